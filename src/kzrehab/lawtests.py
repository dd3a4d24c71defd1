"""Law tests as data: case files that drafters write, run through both engines.

A case file is TOML (see ``docs/howto/test-case.rst``). It holds claims, in the fact
vocabulary of registries (:func:`~kzrehab.population.registry.claim_from_dict`), and cases:
a claim, the laws it runs under (paths relative to the case file), the assessment date and
the expected outcome (status, and optionally categories, the grounds that apply, the
components received and amount ranges), with the reasoning and the source passage it rests
on. Case files are untrusted input: they are parsed, never evaluated.

:func:`run_cases` runs each case through the per-claim interpreter
(:func:`kzrehab.evaluation.evaluate_claim`) and the vectorised engine
(:func:`kzrehab.evaluation.evaluate` over a small population of the cases)
and returns typed results; it never prints. Case files live in directories named
``cases`` (:data:`CASES_DIR`), which the law loaders leave out, so ``kzrehab test drafts/``
finds them and ``kzrehab coverage drafts/`` does not load them as laws.
"""

from __future__ import annotations

__all__ = [
    "CASES_DIR",
    "Expected",
    "Case",
    "Failure",
    "CaseResult",
    "find_case_files",
    "load_case_file",
    "load_cases",
    "run_cases",
]

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .claims import Claim
from .errors import CaseError, KzrehabError, Location
from .i18n import N_, _
from .limits import MAX_FILE_BYTES
from .outcome import RECEIVES, SHOWN_STATUSES, STATUSES
from .rules.values import K

if TYPE_CHECKING:
    from .laws.framework import Framework
    from .outcome import ClaimResult

#: the name of the directories that hold case files (law loaders skip them)
CASES_DIR = "cases"

_CATEGORY_VALUES = ("eligible", "undetermined")
_COMPONENT_VALUES = ("received", "possible")
_CASE_KEYS = {"id", "laws", "as_of", "claim", "expect", "reasoning", "source"}
_EXPECT_KEYS = {"status", "categories", "grounds", "components", "amounts"}
_TOP_KEYS = {"defaults", "claim", "case"}


@attrs.frozen
class Expected:
    """What a case expects. ``None`` means "not checked"."""

    status: str
    #: category → ``eligible`` or ``undetermined``, exactly
    categories: Mapping[str, str] | None = None
    #: full ids of the grounds that apply, exactly
    grounds: tuple[str, ...] | None = None
    #: full component id → ``received`` or ``possible``, exactly
    components: Mapping[str, str] | None = None
    #: full component id → (lowest, highest): the computed range must lie within
    amounts: Mapping[str, tuple[float, float]] = attrs.field(factory=dict)


@attrs.frozen
class Case:
    """One law test: a claim under a framework on a date, and what it should give."""

    id: str
    file: str
    #: the index of the case in the file's ``[[case]]`` array
    index: int
    laws: tuple[str, ...]
    as_of: dt.date
    claim: Claim
    expected: Expected
    reasoning: str
    source: str

    @property
    def where(self) -> str:
        return f"{self.file}: case[{self.index}] '{self.id}'"


@attrs.frozen
class Failure:
    """One expectation a case did not meet under one engine."""

    engine: str
    what: str
    expected: str
    got: str
    #: the explanation of the provisions that decided it (interpreter traces)
    explanation: tuple[str, ...] = ()


@attrs.frozen
class CaseResult:
    """A case and its failures (none: it passed)."""

    case: Case
    failures: tuple[Failure, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


# -- finding and reading case files ---------------------------------------------------------


def find_case_files(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """The case files that ``paths`` stand for: a file as given; a directory, every
    ``*.toml`` under a directory named ``cases`` in it (itself included), sorted. A missing
    path, or a directory without case files, is a :class:`CaseError`."""
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*.toml")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and CASES_DIR in (path.name, *p.relative_to(path).parts[:-1])
            )
            if not found:
                raise CaseError(
                    _("no case file (*.toml in a '{CASES_DIR}' directory) under {path}").format(
                        CASES_DIR=CASES_DIR, path=path),
                    Location(file=str(path)),
                )
            out.extend(p for p in found if p not in out)
        elif path.is_file():
            if path not in out:
                out.append(path)
        else:
            raise CaseError(_("no such file or directory"), Location(file=str(path)))
    return out


def _bad(file: str, key: str, message: str) -> CaseError:
    return CaseError(message, Location(file=file, key=key))


def _type_name(value: object) -> str:
    names = {str: N_("a string"), bool: N_("a boolean"), int: N_("an integer"),
             float: N_("a number"), list: N_("an array"), dict: N_("a table"),
             dt.date: N_("a date")}  # fmt: skip
    name = names.get(type(value))
    return _(name) if name else type(value).__name__


def _text(file: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _bad(file, key, _("expected a string, found {type_name}").format(
                                  type_name=_type_name(value)))
    return value.strip()


def _table(file: str, key: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(file, key, _("expected a table, found {type_name}").format(
                                  type_name=_type_name(value)))
    return value


def _strings(file: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _bad(file, key, _("expected an array of strings, found {type_name}").format(
                                  type_name=_type_name(value)))
    return tuple(_text(file, f"{key}[{i}]", v) for i, v in enumerate(value))


def _unknown_keys(file: str, key: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    for k in table:
        if k not in allowed:
            listed = ", ".join(sorted(allowed))
            raise _bad(file, f"{key}.{k}" if key else k,
                       _("unknown key '{k}' (expected one of: {listed})").format(
                           k=k, listed=listed))  # fmt: skip


def _jsonable(value: Any) -> Any:
    """TOML values as the JSON of a registry line: dates as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _claim(file: str, key: str, value: object) -> Claim:
    from .population.registry import claim_from_dict

    table = _table(file, key, value)
    try:
        return claim_from_dict(_jsonable(table))
    except KzrehabError as err:
        inner = err.location.key
        raise _bad(file, f"{key}.{inner}" if inner else key, err.message) from None


def _expected(file: str, key: str, value: object) -> Expected:
    table = _table(file, key, value)
    _unknown_keys(file, key, table, _EXPECT_KEYS)
    if "status" not in table:
        raise _bad(file, f"{key}.status", _("missing: the expected status"))
    status = _text(file, f"{key}.status", table["status"])
    if status not in SHOWN_STATUSES:
        raise _bad(file, f"{key}.status", _("'{status}' is no status ({items})").format(
                                              status=status, items=', '.join(SHOWN_STATUSES)))

    def mapping(name: str, allowed: Sequence[str]) -> dict[str, str] | None:
        if name not in table:
            return None
        out = {}
        for k, v in _table(file, f"{key}.{name}", table[name]).items():
            v = _text(file, f"{key}.{name}.{k}", v)
            if v not in allowed:
                raise _bad(file, f"{key}.{name}.{k}",
                           _("'{v}' is not one of {items}").format(
                               v=v, items=", ".join(allowed)))  # fmt: skip
            out[k] = v
        return out

    grounds = _strings(file, f"{key}.grounds", table["grounds"]) if "grounds" in table else None
    amounts: dict[str, tuple[float, float]] = {}
    for k, v in _table(file, f"{key}.amounts", table.get("amounts", {})).items():
        akey = f"{key}.amounts.{k}"
        if (not isinstance(v, list) or len(v) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)):
            raise _bad(file, akey, _("expected [lowest, highest]: two numbers"))  # fmt: skip
        if v[0] > v[1]:
            raise _bad(file, akey, _("the lowest amount {v} is above the highest {v2}").format(
                                       v=v[0], v2=v[1]))
        amounts[k] = (float(v[0]), float(v[1]))
    return Expected(status, mapping("categories", _CATEGORY_VALUES), grounds,
                    mapping("components", _COMPONENT_VALUES), amounts)  # fmt: skip


def load_case_file(path: str | PathLike[str]) -> list[Case]:
    """The cases of one case file; a :class:`CaseError` names the file and key at fault."""
    file = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES.value + 1)
    except OSError as exc:
        raise CaseError(_("cannot read the file: {value}").format(value=exc.strerror or exc),
                        Location(file=file)) from None  # fmt: skip
    if len(data) > MAX_FILE_BYTES.value:
        raise CaseError(MAX_FILE_BYTES.message(file), Location(file=file))
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CaseError(_("the file is not UTF-8 text"), Location(file=file)) from None
    except tomllib.TOMLDecodeError as exc:
        from .laws.loader import toml_problem

        raise CaseError(_("TOML syntax error: {exc}").format(exc=toml_problem(exc)),
                        Location(file=file)) from None
    except RecursionError:
        raise CaseError(_("the TOML nests too deeply"), Location(file=file)) from None
    _unknown_keys(file, "", doc, _TOP_KEYS)
    defaults = _table(file, "defaults", doc.get("defaults", {}))
    _unknown_keys(file, "defaults", defaults, {"laws", "as_of"})
    claims = {
        name: _claim(file, f"claim.{name}", value)
        for name, value in _table(file, "claim", doc.get("claim", {})).items()
    }
    raw_cases = doc.get("case", [])
    if not isinstance(raw_cases, list) or not raw_cases:
        raise _bad(file, "case", _("expected one or more [[case]] tables"))
    base = Path(file).parent
    cases: list[Case] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_cases):
        key = f"case[{i}]"
        table = _table(file, key, raw)
        _unknown_keys(file, key, table, _CASE_KEYS)
        for required in ("id", "claim", "expect", "reasoning", "source"):
            if required not in table:
                raise _bad(file, f"{key}.{required}", "missing")
        case_id = _text(file, f"{key}.id", table["id"])
        if case_id in seen:
            raise _bad(file, f"{key}.id", _("case id '{case_id}' is used twice").format(
                                              case_id=case_id))
        seen.add(case_id)
        laws_key = f"{key}.laws" if "laws" in table else "defaults.laws"
        if "laws" not in table and "laws" not in defaults:
            raise _bad(file, f"{key}.laws", _("missing: the laws the case runs under"))
        laws = _strings(file, laws_key, table.get("laws", defaults.get("laws")))
        if not laws:
            raise _bad(file, laws_key, "name at least one law file or directory")
        as_of_key = f"{key}.as_of" if "as_of" in table else "defaults.as_of"
        as_of = table.get("as_of", defaults.get("as_of"))
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise _bad(file, as_of_key, _("expected the assessment date (YYYY-MM-DD, no quotes)"))
        claim_value = table["claim"]
        if isinstance(claim_value, str):
            if claim_value not in claims:
                raise _bad(file, f"{key}.claim", _("no claim '{claim_value}' in [claim]").format(
                                                     claim_value=claim_value))
            claim = claims[claim_value]
        else:
            claim = _claim(file, f"{key}.claim", claim_value)
        cases.append(Case(
            id=case_id, file=file, index=i,
            laws=tuple(str(base / law) for law in laws), as_of=as_of, claim=claim,
            expected=_expected(file, f"{key}.expect", table["expect"]),
            reasoning=_text(file, f"{key}.reasoning", table["reasoning"]),
            source=_text(file, f"{key}.source", table["source"]),
        ))  # fmt: skip
    return cases


def load_cases(paths: Iterable[str | PathLike[str]]) -> list[Case]:
    """Every case of the case files that ``paths`` stand for (:func:`find_case_files`)."""
    return [case for path in find_case_files(paths) for case in load_case_file(path)]


# -- running --------------------------------------------------------------------------------


@attrs.frozen
class _Outcome:
    status: str
    categories: dict[str, str]
    grounds: tuple[str, ...]
    components: dict[str, str]
    amounts: dict[str, tuple[float, float]]


def _of_result(r: ClaimResult) -> _Outcome:
    amounts = {c: (a.lo, a.hi) for c, a in r.amounts.items() if a is not None}
    categories = {c: STATUSES[k] for c, k in r.categories.items() if k is not K.FALSE}
    components = {c: RECEIVES[k] for c, k in r.components.items() if k is not K.FALSE}
    return _Outcome(r.status_name, categories, tuple(sorted(r.applying)), components,
                    amounts)  # fmt: skip


def _compare(case: Case, engine: str, got: _Outcome, explain: tuple[str, ...]) -> list[Failure]:
    exp = case.expected
    out: list[Failure] = []

    def fail(what: str, expected: object, actual: object) -> None:
        out.append(Failure(engine, what, str(expected), str(actual), explain))

    if got.status != exp.status:
        fail(_("status"), exp.status, got.status)
    if exp.categories is not None and got.categories != dict(exp.categories):
        fail(_("categories"), dict(sorted(exp.categories.items())),
             dict(sorted(got.categories.items())))  # fmt: skip
    if exp.grounds is not None and set(got.grounds) != set(exp.grounds):
        fail(_("grounds that apply"), sorted(exp.grounds), sorted(got.grounds))
    if exp.components is not None and got.components != dict(exp.components):
        fail(_("components"), dict(sorted(exp.components.items())),
             dict(sorted(got.components.items())))  # fmt: skip
    for comp, (lo, hi) in exp.amounts.items():
        rng = got.amounts.get(comp)
        if rng is None or rng[0] < lo - 0.005 or rng[1] > hi + 0.005:
            fail(_("amount of {comp}").format(comp=comp),
                 _("within [{lo:g}, {hi:g}]").format(lo=lo, hi=hi),
                 _("none") if rng is None else f"[{rng[0]:g}, {rng[1]:g}]")  # fmt: skip
    return out


def explain_lines(fw: Framework, result: ClaimResult, wanted: Iterable[str] = ()) -> list[str]:
    """The provisions that decided a result: each ground that applies or may apply, or
    whose condition held but an exclusion barred, or that the case named, with the facts
    that decided it."""
    names = set(wanted)
    lines: list[str] = []
    for gid, r in result.grounds.items():
        if r.value is K.FALSE and r.when is K.FALSE and gid not in names:
            continue
        barred = [e for e in fw.covering[gid] if result.exclusions[e].value is not K.FALSE]
        facts = r.trace.decisive_facts()[:8] if r.trace else []
        line = _("ground {id}: {value} (condition {when})").format(id=gid, value=r.value,
                                                                   when=r.when)
        if barred:
            held = (f"{e} ({result.exclusions[e].value})" for e in barred)
            line += _(", barred by {exclusions}").format(exclusions=", ".join(held))
        if facts:
            decided = ", ".join(f"{f} = {v}" for f, v in facts)
            line += _("; decided by {facts}").format(facts=decided)
        lines.append(line)
    for eid in result.holding:
        r = result.exclusions[eid]
        facts = r.trace.decisive_facts()[:8] if r.trace else []
        decided = ", ".join(f"{f} = {v}" for f, v in facts)
        lines.append(_("exclusion {id}: holds").format(id=eid)
                     + (_("; decided by {facts}").format(facts=decided) if facts else ""))
    if not lines:
        lines.append(_("no ground's condition holds or may hold: every ground is false"))
    return lines


def run_cases(cases: Sequence[Case]) -> list[CaseResult]:
    """Run every case through the interpreter and the vectorised engine.

    Laws that fail to load raise their :class:`~kzrehab.errors.KzrehabError`, located at
    the case that names them.
    """
    from .evaluation import evaluate, evaluate_claim
    from .laws.framework import load_framework
    from .population import InMemoryPopulation

    frameworks: dict[tuple[str, ...], Framework] = {}
    failures: dict[int, list[Failure]] = {i: [] for i in range(len(cases))}
    groups: dict[tuple[tuple[str, ...], dt.date], list[int]] = {}
    for i, case in enumerate(cases):
        if case.laws not in frameworks:
            try:
                frameworks[case.laws] = load_framework(case.laws)
            except KzrehabError as err:
                raise CaseError(_("the laws of case '{id}' do not load: {err}").format(
                                    id=case.id, err=err),
                                Location(file=case.file, key=f"case[{case.index}].laws")
                                ) from None  # fmt: skip
        fw = frameworks[case.laws]
        try:
            result = evaluate_claim(fw, case.claim, case.as_of)
        except KzrehabError as err:
            raise err.located(case.file, f"case[{case.index}]") from None
        wanted = [*(case.expected.grounds or ())]
        explain = tuple(explain_lines(fw, result, wanted))
        failures[i] += _compare(case, "interpreter", _of_result(result), explain)
        groups.setdefault((case.laws, case.as_of), []).append(i)
    for (laws, as_of), members in groups.items():
        fw = frameworks[laws]
        claims = tuple(attrs.evolve(cases[i].claim, id=f"case-{n}") for n, i in
                       enumerate(members))  # fmt: skip
        cov = evaluate(fw, InMemoryPopulation("cases", claims), as_of)
        for n, i in enumerate(members):
            categories = {
                c: ("eligible" if a[n] == K.TRUE else "undetermined")
                for c, a in cov.categories.items() if a[n] != K.FALSE
            }
            components = {
                c: ("received" if a[n] == K.TRUE else "possible")
                for c, a in cov.components.items() if a[n] != K.FALSE
            }
            amounts = {
                c: (round(float(cov.amount_lo[c][n]), 2), round(float(cov.amount_hi[c][n]), 2))
                for c in components if c in cov.amount_lo
            }
            got = _Outcome(
                ("ineligible", "undetermined", "eligible")[int(cov.status[n])], categories,
                tuple(sorted(g for g, a in cov.grounds.items() if a[n] == K.TRUE)),
                components, amounts,
            )  # fmt: skip
            found = _compare(cases[i], "vectorised", got, ())
            if found:
                result = evaluate_claim(fw, cases[i].claim, as_of)
                explain = tuple(explain_lines(fw, result, cases[i].expected.grounds or ()))
                failures[i] += [attrs.evolve(f, explanation=explain) for f in found]
    return [CaseResult(case, tuple(failures[i])) for i, case in enumerate(cases)]
