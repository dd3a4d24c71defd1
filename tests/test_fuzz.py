"""Fuzzing: untrusted input never raises anything but a :class:`~kzrehab.errors.KzrehabError`.

Targets (SPEC §10, "bad input of any kind ... never a traceback"):

- the tokenizer and parser (:func:`kzrehab.rules.parse`) on arbitrary text, on random
  token soup, on grammar-built expressions and on mutations of the expressions of the real
  drafts;
- the type checker (:class:`kzrehab.rules.checker.Checker`) on whatever parses, against a
  real law's definitions and against random (possibly cyclic) definitions;
- the loader (:func:`kzrehab.laws.loader.load_law_text`) on arbitrary bytes, on mutated
  drafts and on TOML documents built from Hypothesis dictionaries; what loads is then
  checked as a framework (:class:`~kzrehab.laws.framework.Framework`) and exported to Akoma
  Ntoso, which must be well-formed XML;
- the registry reader (:func:`kzrehab.population.load_population`) on mutated lines of a
  JSON Lines registry, lone surrogate escapes among them; what loads is digested and
  written back;
- the store reader on stores whose arrays were changed behind their hashes or, as a
  hand-made store would be, with their hashes recomputed (NaN, huge and negative values,
  counts that disagree); whatever opens is evaluated and its claims rebuilt.

Each target runs twice: a quick version in the normal suite (a few hundred inputs in all)
and a long one marked ``slow`` (100,000 inputs in all; ``pytest -m slow``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab.akn import akn_xml
from kzrehab.errors import KzrehabError, Location
from kzrehab.evaluation import summarize
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_file, load_law_text
from kzrehab.laws.provisions import Expression, Law
from kzrehab.rules import parse
from kzrehab.rules.checker import Checker
from kzrehab.rules.operators import FUNCTIONS
from kzrehab.vocabulary import (
    CLAIM_FACTS,
    CLAIMANTS,
    EVENT_FACTS,
    LAW_KINDS,
    LAW_STATUSES,
    REPARATION_KINDS,
)

ROOT = Path(__file__).resolve().parent.parent
DRAFT_FILES = sorted(
    p for p in (ROOT / "drafts").rglob("*.toml") if "cases" not in p.parts
) + sorted((ROOT / "tests" / "data" / "laws").rglob("*.toml"))
DRAFT_TEXTS = [p.read_bytes() for p in DRAFT_FILES]
LAWS: list[Law] = [load_law_file(p) for p in DRAFT_FILES]
CURRENT = [law_ for law_ in LAWS if Path(law_.ref).parent == ROOT / "drafts" / "current"]
CONTEXT = next(law for law in CURRENT if law.id == "rehabilitation-1993")


def _expressions(laws: Iterable[Law]) -> list[str]:
    out: list[str] = []
    for law in laws:
        out += [d.expr.source for d in law.definitions.values()]
        for p in law.provisions():
            for field in ("when", "unless", "amount"):
                value = getattr(p, field, None)
                if isinstance(value, Expression):
                    out.append(value.source)
    return sorted(set(out))


EXPRESSIONS = _expressions(LAWS)

#: total inputs of the long runs, shared out among the targets
SLOW_TOTAL = 100_000
QUICK = 50

_SETTINGS = dict(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)


def tolerate(fn: Callable[[], object]) -> object:
    """Run ``fn``; a KzrehabError is a fine answer to bad input, anything else fails."""
    try:
        return fn()
    except KzrehabError as err:
        assert str(err), "an error without a message"
        return None


# -- expressions ---------------------------------------------------------------------------

NAMES = [
    *CLAIM_FACTS, *EVENT_FACTS, *CONTEXT.definitions, *CONTEXT.parameters,
    "d0", "d1", "d2", "exil", "foo", "MCJ", "claimant_", "Measure", "_",
]  # fmt: skip
ENUM_VALUES = ["exile", "exil", "KZ", "kz", "victim", "political", "none", "", "RSFSR-58"]


def _string_literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ") + "'"


literals = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.sampled_from(["0.75", "1e999", "1e-999", "3.", "0x10", "1_000", "9" * 400, "1e3"]),
    st.sampled_from(ENUM_VALUES).map(_string_literal),
    st.text(max_size=8).map(_string_literal),
    st.sampled_from(["true", "false", "events", "claim"]),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["1931-02-30", "1931-13", "1931-00-01", "0000-01-01", "1931-05", "9999-12"]),
    st.lists(st.sampled_from(ENUM_VALUES), min_size=0, max_size=3).map(
        lambda vs: "{" + ", ".join(map(_string_literal, vs)) + "}"
    ),
    st.lists(st.integers(-3, 3), min_size=1, max_size=3).map(
        lambda vs: "{" + ", ".join(map(str, vs)) + "}"
    ),
)
names = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES).map(lambda n: f"claim.{n}"),
)
BINARY_OPS = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "..", "+", "-",
              "*", "/"]  # fmt: skip


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(BINARY_OPS), inner).map(lambda t: " ".join(t)),
        inner.map(lambda a: f"not {a}"),
        inner.map(lambda a: f"-{a}"),
        inner.map(lambda a: f"({a})"),
        st.tuples(st.sampled_from([*sorted(FUNCTIONS), "len", "exist"]),
                  st.lists(inner, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(inner, st.sampled_from(NAMES)).map(lambda t: f"{t[0]}.{t[1]}"),
    )  # fmt: skip


#: syntactically plausible expressions of any type, well- or ill-typed
expressions = st.recursive(st.one_of(literals, names), _extend, max_leaves=25)

TOKENS = [
    *BINARY_OPS, *sorted(FUNCTIONS), "(", ")", "[", "]", "{", "}", ",", ".", "'", '"', "=",
    "&", "|", "!", "\\", "\n", "\t", " ", "claim", "events", "not", "1931-05", "..", "'x",
    "\u00a0", "\u0661\u0669\u0663\u0661", "\U0001f600", "\x00",
]  # fmt: skip
token_soup = st.lists(st.one_of(st.sampled_from(TOKENS), names, literals), max_size=30).map(
    " ".join
)


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """A text with one to four random edits: delete, insert, duplicate or replace a span."""
    text = draw(base)
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 12)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "replace", "swap"]))
        piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)))
        if action == "delete":
            text = text[:i] + text[j:]
        elif action == "insert":
            text = text[:i] + piece + text[i:]
        elif action == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif action == "replace":
            text = text[:i] + piece + text[j:]
        else:
            k = draw(st.integers(0, n))
            text = text[:i] + text[k : k + 5] + text[j:]
    return text


@st.composite
def deep(draw: st.DrawFn) -> str:
    """Expressions nested far beyond the limits, in every way the grammar nests."""
    n = draw(st.integers(50, 3000))
    kind = draw(st.sampled_from(["paren", "not", "neg", "call", "filter", "set", "sum"]))
    inner = draw(st.sampled_from(["true", "1", "victim_alive", "events", "x"]))
    return {
        "paren": "(" * n + inner + ")" * n,
        "not": "not " * n + inner,
        "neg": "-" * n + inner,
        "call": "exists(" * n + inner + ")" * n,
        "filter": "events" + "[true]" * n,
        "set": "{" * n + "}" * n,
        "sum": " + ".join([inner] * n),
    }[kind]


expression_texts = st.one_of(
    st.text(max_size=60),
    token_soup,
    expressions,
    st.sampled_from(EXPRESSIONS),
    mutated(st.sampled_from(EXPRESSIONS)),
    mutated(expressions),
    deep(),
)


def fuzz_parse(text: str) -> None:
    tolerate(lambda: parse(text))


def _expr(text: str, name: str = "x") -> Expression | None:
    try:
        node = parse(text)
    except KzrehabError:
        return None
    return Expression(text, node, Location(file="fuzz.toml", key=name, line=1, column=1))


def fuzz_check_in_a_law(args: tuple[str, str | None]) -> None:
    text, want = args
    expr = _expr(text)
    if expr is None:
        return
    checker = Checker({n: d.expr for n, d in CONTEXT.definitions.items()}, CONTEXT.parameters)
    tolerate(lambda: checker.check(expr, want))


def fuzz_check_definitions(args: tuple[dict[str, str], str]) -> None:
    texts, text = args
    defs = {n: e for n, t in texts.items() if (e := _expr(t, n)) is not None}
    checker = Checker(defs, ["MCI", "P"])
    tolerate(checker.check_definitions)
    expr = _expr(text)
    if expr is not None:
        tolerate(lambda: Checker(defs, ["MCI"]).check(expr, "bool"))


# -- draft files ---------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A value in TOML (tables inline), for any value Hypothesis builds below."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(doc: dict[str, Any]) -> str:
    return "".join(f"{_toml_string(k)} = {toml_value(v)}\n" for k, v in doc.items())


toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_any = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


#: how often a generated draft's values are junk: never (half of the drafts), one value in
#: forty, or one in eight; shared by every value of one draft
_JUNK_RATE = st.shared(st.sampled_from([0, 0, 40, 8]), key="junk-rate")


@st.composite
def _mostly(draw: st.DrawFn, usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> Any:
    rate = draw(_JUNK_RATE)
    return draw(rare) if rate and draw(st.integers(0, rate - 1)) == 0 else draw(usual)


def _sometimes(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A plausible value, or at the draft's junk rate any TOML value."""
    return _mostly(good, toml_any)


def _choice(good: list[str], bad: list[str]) -> st.SearchStrategy[Any]:
    """One of ``good``, or at the draft's junk rate one of ``bad`` or any TOML value."""
    return _mostly(st.sampled_from(good), st.one_of(st.sampled_from(bad), toml_any))


def _texts(law: Law, fields: tuple[str, ...]) -> list[str]:
    out = []
    for p in law.provisions():
        for field in fields:
            value = getattr(p, field, None)
            if isinstance(value, Expression):
                out.append(value.source)
    return sorted(set(out))


#: expressions that are well-typed with CONTEXT's definitions and parameters, which the
#: generated drafts usually carry, so that most drafts get as far as the checker
CONDITIONS = _texts(CONTEXT, ("when", "unless"))
AMOUNTS = _texts(CONTEXT, ("amount",))
CONTEXT_PARAMETERS = {
    name: (
        p.values[0][1]
        if p.values[0][0] is None
        else {str(since): value for since, value in p.values}
    )
    for name, p in CONTEXT.parameters.items()
}
CONTEXT_DEFINITIONS = {name: d.expr.source for name, d in CONTEXT.definitions.items()}

ID_POOL = ["a", "b", "c", "g1", "grave-crime", "x-1", "rehabilitation-1993"]
ids = _mostly(
    st.one_of(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12),
        st.sampled_from(ID_POOL),
    ),
    st.one_of(st.sampled_from(["Bad Id", "", "a_b"]), toml_any),
)
conditions = _mostly(
    st.sampled_from(CONDITIONS),
    st.one_of(expressions, mutated(st.sampled_from(CONDITIONS)), st.sampled_from(AMOUNTS)),
)
amounts = _mostly(
    st.sampled_from(AMOUNTS),
    st.one_of(expressions, mutated(st.sampled_from(AMOUNTS)), st.sampled_from(CONDITIONS)),
)
refs = _mostly(
    st.lists(
        st.sampled_from([*ID_POOL, "rehabilitation-1993:grave-crime"]), max_size=3, unique=True
    ),
    st.one_of(st.lists(st.sampled_from(["x:y:z", "No", ""]), max_size=2), toml_any),
)
recipients = _mostly(
    st.lists(st.sampled_from(CLAIMANTS), min_size=1, max_size=3, unique=True),
    st.one_of(st.just([]), st.lists(st.sampled_from(["cousin", "Victim"]), max_size=2), toml_any),
)
kinds = _choice(list(REPARATION_KINDS), ["money", ""])


def _table(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """A table with its required keys and some optional ones; at the draft's junk rate, any
    subset of them and maybe an unknown key."""
    tame = st.fixed_dictionaries(required, optional=optional)
    wild = st.fixed_dictionaries({}, optional={**required, **optional, "colour": toml_any})
    return _mostly(tame, wild)


GROUND_FIELDS = {"category": ids, "when": conditions, "text": st.text(max_size=20)}
EXCLUSION_FIELDS = {"when": conditions, "unless": conditions, "grounds": refs}
COMPONENT_FIELDS = {
    "kind": kinds,
    "recipients": recipients,
    "title": st.text(max_size=20),
    "grounds": refs,
    "amount": amounts,
    "instead_of": refs,
}
grounds = _table({"id": ids, "category": ids, "when": conditions}, {"text": st.text(max_size=20)})
exclusions = _table(
    {"id": ids, "when": conditions},
    {"unless": conditions, "grounds": refs, "text": st.text(max_size=20)},
)
components = _table(
    {"id": ids, "kind": kinds, "recipients": recipients},
    {k: v for k, v in COMPONENT_FIELDS.items() if k not in {"kind", "recipients"}},
)
values = st.one_of(
    st.sampled_from(CONDITIONS),
    st.integers(0, 9),
    st.dictionaries(st.dates().map(str), st.integers(0, 9), min_size=1),
)


@st.composite
def _amend(draw: st.DrawFn) -> dict[str, Any]:
    """An amendment whose keys fit its action (most of the time)."""
    action = draw(_choice(["repeal", "replace", "insert"], ["delete"]))
    target = draw(
        _choice(
            [*ID_POOL, "parameters.MCI", "parameters.NEW", "definitions.repression",
             "definitions.d0", "nope"],
            ["definitions.", "parameters.1x", "A B"],
        )
    )  # fmt: skip
    law = draw(_choice(["rehabilitation-1993", "fuzz", "nope"], ["No"]))
    amend: dict[str, Any] = {"id": draw(ids), "law": law, "target": target, "action": action}
    if isinstance(target, str) and target.startswith(("parameters.", "definitions.")):
        if action != "repeal":
            amend["value"] = draw(_sometimes(values))
    elif action == "replace":
        fields = {**GROUND_FIELDS, **EXCLUSION_FIELDS, **COMPONENT_FIELDS}
        amend.update(draw(st.fixed_dictionaries({}, optional=fields)))
    elif action == "insert":
        kind = draw(_choice(["ground", "exclusion", "component"], ["rule"]))
        amend["type"] = kind
        tables = {"ground": grounds, "exclusion": exclusions, "component": components}
        table = tables.get(kind, grounds) if isinstance(kind, str) else grounds
        amend.update({k: v for k, v in draw(table).items() if k != "id"})
        if draw(st.booleans()):
            amend["article"] = draw(_choice(["1", "2", "99"], [""]))
    if draw(_mostly(st.just(False), st.booleans())):  # a key its action cannot take
        amend[draw(st.sampled_from(["when", "value", "type", "article", "colour"]))] = "true"
    return amend


articles = _table(
    {
        "number": _mostly(st.integers(1, 99).map(str), st.sampled_from([" ", "", "1 bis", "§"])),
        "ground": _sometimes(st.lists(grounds, max_size=3)),
    },
    {
        "heading": st.text(max_size=20),
        "text": st.text(max_size=60),
        "id": ids,
        "exclusion": _sometimes(st.lists(exclusions, max_size=2)),
        "component": _sometimes(st.lists(components, max_size=2)),
        "amend": _sometimes(st.lists(_amend(), max_size=2)),
    },
)
law_tables = _table(
    {
        "id": _choice(["fuzz"], ["Fuzz", ""]),
        "title": _sometimes(st.text(max_size=30)),
        "kind": _choice(list(LAW_KINDS), ["decree"]),
        "status": _choice(list(LAW_STATUSES), ["lost"]),
    },
    {
        "version": _sometimes(st.text(max_size=30)),
        "effective": _sometimes(st.dates()),
        "adopted": _sometimes(st.dates()),
        "published": _sometimes(st.dates()),
        "sources": _sometimes(st.lists(st.text(max_size=20), max_size=2)),
    },
)
parameter_values = _mostly(
    st.one_of(
        st.floats(0, 1e6),
        st.integers(0, 10**6),
        st.dictionaries(st.dates().map(str), st.integers(0, 9), min_size=1, max_size=3),
    ),
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(2**70), 2**70),
        st.dictionaries(st.text(max_size=10), st.one_of(st.integers(0, 9), st.floats())),
        toml_any,
    ),
)


def _merge(base: Any, extra: dict[str, Any]) -> Any:
    return {**base, **extra} if isinstance(base, dict) else base


parameters = st.builds(
    _merge,
    _sometimes(st.just(CONTEXT_PARAMETERS)),
    st.dictionaries(
        _mostly(
            st.sampled_from(["NEW", "P", "ok_name"]),
            st.sampled_from(["d0", "measure", "claim", "1x", "MCI"]),
        ),
        parameter_values,
        max_size=2,
    ),
)
definitions = st.builds(
    _merge,
    _sometimes(st.just(CONTEXT_DEFINITIONS)),
    st.dictionaries(
        _mostly(
            st.sampled_from(["d0", "d1", "repression"]),
            st.sampled_from(["MCI", "measure", "events", "x y"]),
        ),
        _sometimes(st.one_of(expressions, st.sampled_from(CONDITIONS))),
        max_size=2,
    ),
)
draft_documents = _table(
    {"law": law_tables, "article": _sometimes(st.lists(articles, min_size=1, max_size=3))},
    {"parameters": _sometimes(parameters), "definitions": _sometimes(definitions)},
)


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """A real draft with random edits to its bytes or lines."""
    data = draw(st.sampled_from(DRAFT_TEXTS))
    if draw(st.booleans()):
        lines = data.split(b"\n")
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(lines) - 1))
            action = draw(st.sampled_from(["drop", "duplicate", "move", "edit"]))
            if action == "drop":
                del lines[i]
            elif action == "duplicate":
                lines.insert(i, lines[i])
            elif action == "move":
                lines.insert(draw(st.integers(0, len(lines))), lines.pop(i))
            else:
                lines[i] = draw(mutated(st.just(lines[i].decode("utf-8", "replace")))).encode(
                    "utf-8", "surrogatepass"
                )
            if not lines:
                break
        return b"\n".join(lines)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 40)))
        data = data[:i] + draw(st.binary(max_size=6)) + data[j:]
    return data


def fuzz_load(data: bytes | str) -> None:
    law = tolerate(lambda: load_law_text(data, "fuzz.toml"))
    if not isinstance(law, Law):
        return
    tolerate(lambda: Framework([law]))
    if law.id not in {x.id for x in CURRENT}:  # with the laws it may amend
        tolerate(lambda: Framework([law, *CURRENT]))
    xml = akn_xml(law)
    ET.fromstring(xml.encode("utf-8"))  # well-formed, whatever the draft's text holds


def fuzz_load_document(doc: dict[str, Any]) -> None:
    fuzz_load(toml_document(doc))


# -- registries and stores -------------------------------------------------------------------

REGISTRY_LINES = (ROOT / "tests" / "data" / "sample.jsonl").read_bytes().splitlines()[:8]
HOSTILE_JSON = [b'"\\ud800"', b'"\\udc00x"', b'"\\u0000"', b"1e999", b"NaN", b"-1",
                b"99999999999999999999", b'"\\n# x"', b"[]", b"{}", b"null", b"true"]


@st.composite
def mutated_registry(draw: st.DrawFn) -> bytes:
    """Lines of a real registry, some values replaced by hostile JSON, some bytes changed."""
    lines = list(draw(st.lists(st.sampled_from(REGISTRY_LINES), min_size=1, max_size=5)))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        values = [m.span() for m in re.finditer(rb'"[^"]*"|-?\d+|true|false', lines[i])]
        if values:
            a, b = draw(st.sampled_from(values))
            lines[i] = lines[i][:a] + draw(st.sampled_from(HOSTILE_JSON)) + lines[i][b:]
    if draw(st.booleans()):
        lines.append(draw(st.binary(max_size=20)))
    return b"\n".join(lines) + b"\n"


def fuzz_registry(data: bytes) -> None:
    import tempfile

    from kzrehab.population import load_population, write_jsonl

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.jsonl"
        path.write_bytes(data)
        pop = tolerate(lambda: load_population(path))
        if pop is None:
            return
        assert isinstance(pop.digest, str)  # type: ignore[attr-defined]
        write_jsonl(pop, Path(folder) / "back.jsonl")  # type: ignore[arg-type]


def _store_arrays() -> tuple[dict[str, Any], dict[str, Any]]:
    import io
    import json
    import tempfile

    import numpy as np

    from kzrehab.population import load_population

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.kzstore"
        load_population(ROOT / "tests" / "data" / "sample.jsonl").save(path)
        with np.load(io.BytesIO(path.read_bytes())) as data:
            arrays = {name: data[name] for name in data.files}
    return arrays, json.loads(arrays.pop("meta").tobytes())


STORE_ARRAYS, STORE_META = _store_arrays()
STORE_VALUES = [float("nan"), float("inf"), -float("inf"), -1, -2, 0, 1, 2, 3, 255, 10**6,
                2**31 - 1, 1e300, -1e300, 0.5]  # fmt: skip


@st.composite
def mutated_store(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """A store's arrays and metadata with some values changed; rehash or not."""
    import numpy as np

    arrays = {k: v.copy() for k, v in STORE_ARRAYS.items()}
    meta = dict(STORE_META)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(arrays)))
        a = arrays[name]
        if a.size == 0:
            continue
        i = draw(st.integers(0, a.size - 1))
        value = draw(st.sampled_from(STORE_VALUES))
        with np.errstate(all="ignore"):
            if a.dtype.kind == "f" or isinstance(value, int):
                try:
                    a[i] = value
                except (OverflowError, ValueError):
                    a[i] = 0
    if draw(st.booleans()):
        key = draw(st.sampled_from(["claims", "events", "victims"]))
        meta[key] = draw(st.sampled_from([0, -1, 1, 10**9, "x", None, meta.get(key, 0) + 1]))
    return arrays, meta, draw(st.booleans())


def fuzz_store(args: tuple[dict[str, Any], dict[str, Any], bool]) -> None:
    import io
    import json
    import tempfile

    import numpy as np

    from kzrehab.population import load_population
    from kzrehab.population.hashing import hashed

    arrays, meta, rehash = args
    if rehash:
        meta = {**meta, **hashed(arrays)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.kzstore"
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
        path.write_bytes(buffer.getvalue())
        pop: Any = tolerate(lambda: load_population(path))
        if pop is None:
            return
        framework = Framework(CURRENT)
        tolerate(lambda: summarize(framework, pop, dt.date(2025, 6, 1), chunk=3))
        tolerate(lambda: [pop.claim_id(i) for i in range(len(pop))])
        tolerate(lambda: pop.claims)


# -- the two runs of every target ----------------------------------------------------------

TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]] = {
    "parse": (expression_texts, fuzz_parse),
    "parse-unicode": (st.text(alphabet=st.characters(), max_size=80), fuzz_parse),
    "check-in-a-law": (
        st.tuples(st.one_of(expressions, mutated(st.sampled_from(EXPRESSIONS)), deep()),
                  st.sampled_from([None, "bool", "num"])),
        fuzz_check_in_a_law,
    ),
    "check-definitions": (
        st.tuples(st.dictionaries(st.sampled_from(["d0", "d1", "d2", "measure", "MCI"]),
                                  expressions, max_size=4), expressions),
        fuzz_check_definitions,
    ),
    "load-bytes": (st.binary(max_size=600), fuzz_load),
    "load-mutated-draft": (mutated_bytes(), fuzz_load),
    "load-toml-document": (draft_documents, fuzz_load_document),
    "load-any-toml": (st.dictionaries(st.text(max_size=8), toml_any, max_size=5),
                      fuzz_load_document),
    "registry": (mutated_registry(), fuzz_registry),
    "store": (mutated_store(), fuzz_store),
}  # fmt: skip


def _run(name: str, examples: int) -> None:
    strategy, target = TARGETS[name]

    @settings(max_examples=examples, database=None, **_SETTINGS)  # type: ignore[arg-type]
    @given(strategy)
    def run(value: Any) -> None:
        target(value)

    run()


@pytest.mark.parametrize("name", list(TARGETS))
def test_fuzz_quick(name: str) -> None:
    _run(name, QUICK)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(TARGETS))
def test_fuzz_long(name: str) -> None:
    _run(name, SLOW_TOTAL // len(TARGETS))


# -- what the fuzzers found, kept as plain tests -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "exists(" * 2000 + "events" + ")" * 2000,
        "min(" * 2000 + "1" + ", 1)" * 2000,
        "'" + "\\" * 3,
        "\u0661\u0669\u0663\u0661-05",
        "1931-02-30",
        "9" * 5000,
        "1e999",
    ],
)
def test_parser_regressions(text: str) -> None:
    fuzz_parse(text)
