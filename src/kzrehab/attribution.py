"""Attribution: which changed provision moves which claims (:doc:`semantics`, *Attribution*).

The laws compared are the frameworks' laws with their amendments applied, so a bill's
amendment shows as the change it makes to the amended provision (one row, the amended
provision's, naming the amendment). For each changed provision P (and parameter or
definition, ``LAW:parameters.NAME``), the head framework is evaluated with only P back in
its base form — removed if P is new, restored if P was repealed, its old rule if P
changed — and the claims that gain or lose from that variant to the head are P's
``gained`` and ``lost``, broken down by level like the whole diff: what the head gives or
takes *because of P*. A component's ``instead_of`` is the component's: a payment cut by a
replacement is attributed to the replacing component. A change that cannot move an
outcome is credited with nothing without evaluation: a rewording, a renumbering. A
parameter or definition that is only added or removed goes with the provisions that use
(or used) it and is not measured alone (``None``): taking it back alone would leave them
naming nothing, or change nothing. The last row, ``interaction``, counts the claims that
gain (lose) although no single provision makes them gain (lose): what only several changes
together do. A row is ``None`` when P cannot be taken back alone (its base form needs a
changed definition of another type, say).

**A variant is the head with synthetic amendments** (:func:`variant`): P is taken back by
a ``repeal``, ``replace`` or ``insert`` of it that goes through
:func:`~kzrehab.laws.amend.apply_amendments`, as a bill's would, so that a repeal drops
the references to P exactly as a bill's repeal does. The names the base law has and the
head's has not are inserted with it (alone they are inert, and the base form may need
them). What P's base form names that the head no longer has goes as if repealed
(:func:`~kzrehab.laws.amend.drop_references`).

Attribution is one-at-a-time: provisions that work together (a new ground and the
component it grants) each get the claims; with overlapping changes (two new grounds
covering the same claim) neither row counts the claim's new status, since taking one back
leaves the other; and diff(b, a) does not mirror diff(a, b) row by row. The interaction
row tells how much the rows leave unexplained.
"""

from __future__ import annotations

__all__ = ["AttributionRow", "attribute", "variant", "variant_diff", "INCREMENTAL", "Comparison",
           "compare"]

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import numpy as np

from .comparison import CoverageDiff, Evaluate
from .coverage import Coverage, unshared
from .errors import KzrehabError
from .keys import framework_key
from .laws.amend import apply_amendments, drop_references
from .laws.framework import Framework
from .laws.provisions import (
    Amendment,
    AnyProvision,
    Article,
    Component,
    Exclusion,
    Law,
    amendable_fields,
)
from .redline import LawDiff
from .variants import Patcher, evaluate_patch

if TYPE_CHECKING:
    import pandas

    from .population import Population

#: evaluates several frameworks at once, before they are asked for one by one
Prefetch = Callable[[Sequence[Framework]], object]


@attrs.frozen
class AttributionRow:
    """The claims one changed provision moves alone: ``None`` when it cannot be evaluated."""

    provision: str
    gained: int | None
    lost: int | None
    #: the claims it moves at each level (as :meth:`~kzrehab.comparison.CoverageDiff.level_counts`)
    levels: Mapping[str, Mapping[str, int]] | None = None
    #: the amendments that made this change (an amended provision's row is theirs too)
    amended_by: tuple[str, ...] = ()
    #: of the claims that gain (lose) from base to head, those that do because of it
    gained_overall: int | None = None
    lost_overall: int | None = None

    def __repr__(self) -> str:
        if self.gained is None:
            return f"<AttributionRow {self.provision}: not evaluated>"
        return f"<AttributionRow {self.provision}: {self.gained} gain, {self.lost} lose>"


class _Unit(NamedTuple):
    """One change to take back: its row, the item's law and key, whether it may move an
    outcome, and the amendments behind it."""

    row: str
    law: str
    key: str
    matters: bool
    by: tuple[str, ...]


def _units(laws: Sequence[LawDiff]) -> list[_Unit]:
    units: list[_Unit] = []
    moving = {"added", "removed", "rule-changed", "amended"}
    changed = {p.id for ld in laws for p in ld.provisions if p.type != "amendment"}
    changed |= {n.id for ld in laws for n in (*ld.parameters, *ld.definitions)}
    amenders: dict[str, list[str]] = {}
    for ld in laws:
        for p in ld.provisions:
            for side in (p.head, p.base):
                if isinstance(side, Amendment):
                    amenders.setdefault(f"{side.law}:{side.target}", []).append(p.id)
    ids = {ld.id for ld in laws}
    for ld in laws:
        for p in ld.provisions:
            law_id, _, pid = p.id.partition(":")
            matters = bool(moving & set(p.changes))
            by = tuple(dict.fromkeys(amenders.get(p.id, ())))
            if p.type == "amendment":
                amend = p.head if isinstance(p.head, Amendment) else p.base
                assert isinstance(amend, Amendment)
                target = f"{amend.law}:{amend.target}"
                if target in changed:
                    continue  # the amended provision's own row tells what it does
                inert = amend.law not in ids  # it amends a law outside the framework
                units.append(_Unit(p.id, amend.law, amend.target, matters and not inert, ()))
            else:
                units.append(_Unit(p.id, law_id, pid, matters, by))
        for n in (*ld.parameters, *ld.definitions):
            law_id, _, key = n.id.partition(":")
            by = tuple(dict.fromkeys(amenders.get(n.id, ())))
            # an added or removed name goes with the provisions that use it: taking it back
            # alone leaves them naming nothing (not measured: None), or changes nothing
            units.append(_Unit(n.id, law_id, key, n.change == "rule-changed", by))
    return units


# -- variants -------------------------------------------------------------------------------------

#: the id of the synthetic law that holds a variant's amendments: no draft's id can be it
_SYNTHETIC = "(attribution)"


def _bare(law: Law) -> Law:
    """``law`` without its amendments (they are applied already); the law itself when it
    has none."""
    if not any(isinstance(p, Amendment) for a in law.articles for p in a.provisions):
        return law
    return attrs.evolve(law, articles=tuple(
        attrs.evolve(a, provisions=tuple(p for p in a.provisions if not isinstance(p, Amendment)))
        for a in law.articles))  # fmt: skip


def _find(law: Law, pid: str) -> AnyProvision | None:
    return next((p for p in law.provisions() if p.id == pid), None)


def _amendment(law_id: str, target: str, action: str, **changes: Any) -> Amendment:
    return Amendment(id=f"back-{action}-{target.replace('.', '-')}", law=law_id, target=target,
                     action=action, changes=changes)  # fmt: skip


def _apply(laws: list[Law], amendments: Sequence[Amendment]) -> list[Law]:
    """``laws`` with ``amendments`` applied, as the amendments of a bill are."""
    if not amendments:
        return laws
    bill = Law(id=_SYNTHETIC, title="Attribution variant", kind="law", status="draft",
               articles=(Article(number="", provisions=tuple(amendments)),))  # fmt: skip
    return list(apply_amendments([*laws, bill]).laws[:-1])


def _taking_back(now: Law, old: Law | None, key: str) -> list[list[Amendment]]:
    """The amendments, in batches applied one after the other, that put the item ``key``
    of the law ``now`` in its form in ``old`` (removed when ``old`` has none)."""
    first: dict[str, Amendment] = {}
    then: list[Amendment] = []
    if old is not None:  # names only the base has are inert alone, and may be needed
        for name, p in old.parameters.items():
            if name not in now.parameters:
                first[f"parameters.{name}"] = _amendment(
                    now.id, f"parameters.{name}", "insert", value=p.values
                )
        for name, d in old.definitions.items():
            if name not in now.definitions:
                first[f"definitions.{name}"] = _amendment(
                    now.id, f"definitions.{name}", "insert", value=d.expr
                )
    what, _, name = key.partition(".")
    if what in ("parameters", "definitions") and name:
        table: Mapping[str, Any] = getattr(now, what)
        before: Mapping[str, Any] = getattr(old, what) if old is not None else {}
        if name in before:
            value = before[name].values if what == "parameters" else before[name].expr
            action = "replace" if name in table else "insert"
            first[key] = _amendment(now.id, key, action, value=value)
        elif name in table:
            first[key] = _amendment(now.id, key, "repeal")
        return [list(first.values())]
    head_form = _find(now, key)
    base_form = _find(old, key) if old is not None else None
    if base_form is not None and type(base_form) is type(head_form):
        fields = {f: getattr(base_form, f) for f in amendable_fields(type(base_form))}
        first[key] = _amendment(now.id, key, "replace", **fields)
    else:
        if head_form is not None:
            first[key] = _amendment(now.id, key, "repeal")
        if base_form is not None:
            fields = {f: getattr(base_form, f) for f in amendable_fields(type(base_form))}
            then.append(_amendment(now.id, key, "insert", type=base_form.kind_name,
                                   article=base_form.article, **fields))  # fmt: skip
    return [list(first.values()), then]


def _missing(laws: Sequence[Law], law_id: str, p: AnyProvision | None) -> set[str]:
    """The full ids that ``p``, of the law ``law_id``, names but ``laws`` do not have (in a
    law that ``laws`` hold)."""
    if not isinstance(p, Exclusion | Component):
        return set()
    ids = {law.id for law in laws}
    grounds = {law.full_id(g.id) for law in laws for g in law.grounds}
    components = {law.full_id(c.id) for law in laws for c in law.components}
    full = [(r if ":" in r else f"{law_id}:{r}") for r in p.grounds]
    out = {r for r in full if r.split(":", 1)[0] in ids and r not in grounds}
    if isinstance(p, Component):
        replaced = [(r if ":" in r else f"{law_id}:{r}") for r in p.instead_of]
        out |= {r for r in replaced if r.split(":", 1)[0] in ids and r not in components}
    return out


def variant(head: Sequence[Law], base: Sequence[Law], law_id: str, key: str) -> list[Law] | None:
    """The laws ``head`` (amendments applied already, and left out) with the item ``key`` —
    a provision id, ``parameters.NAME`` or ``definitions.NAME`` — of the law ``law_id`` in
    its form in ``base``: the head with one change taken back. None when neither side has
    the law."""
    return _variant([_bare(law) for law in head], [_bare(law) for law in base], law_id, key)


def _variant(laws: list[Law], base: Sequence[Law], law_id: str, key: str) -> list[Law] | None:
    """:func:`variant` of laws without their amendments (``laws`` is not changed)."""
    laws = list(laws)
    old = next((law for law in base if law.id == law_id), None)
    if not any(law.id == law_id for law in laws):
        if old is None:
            return None
        laws.append(attrs.evolve(old, articles=()))  # the law, emptied, to take the item into
    now = next(law for law in laws if law.id == law_id)
    bare_old = old
    for batch in _taking_back(now, bare_old, key):
        laws = _apply(laws, batch)
    back = _find(bare_old, key) if bare_old is not None else None
    missing = _missing(laws, law_id, back)
    return list(drop_references(laws, missing).laws) if missing else laws


# -- rows -----------------------------------------------------------------------------------------


#: Whether a variant is evaluated incrementally (:func:`variant_diff`); the tests switch it
#: off to hold the rows equal either way.
INCREMENTAL = True


def variant_diff(
    fw: Framework, base_cov: Coverage, head_cov: Coverage, evaluate: Evaluate | None = None
) -> CoverageDiff:
    """The evaluation of one variant: the claims that gain and lose from the variant ``fw``
    to the head.

    Without ``evaluate`` the variant is evaluated incrementally: every output that it
    shares with the head or the base — the same rule reading the same rules, found by
    the compiled plan's signatures (:class:`kzrehab.programs.Known`) — is taken from
    their coverages, so only the outputs that depend on the provision taken back are
    evaluated. ``evaluate`` evaluates the whole variant instead (the same result).
    """
    if evaluate is not None:
        return CoverageDiff(evaluate(fw), head_cov)
    from .evaluation import evaluate as evaluate_

    cov = evaluate_(fw, head_cov.population, head_cov.as_of, reuse=(head_cov, base_cov))
    return CoverageDiff(*unshared(cov, head_cov))


def attribute(base: Framework, head: Framework, laws: Sequence[LawDiff], base_cov: Coverage,
              head_cov: Coverage, evaluate: Evaluate,
              prefetch: Prefetch | None = None, incremental: bool | None = None,
              progress: Callable[[int, int], None] | None = None
              ) -> list[AttributionRow]:  # fmt: skip
    """Attribution rows for the changed provisions (sorted by id), then ``interaction``.

    A provision's row compares the head with the head in which only that provision is
    back in its base form (:func:`variant`): the claims that gain and lose because of it.
    Each variant is evaluated by :func:`variant_diff`: incrementally (default:
    :data:`INCREMENTAL`), in this process, or whole by ``evaluate`` — then ``prefetch``, if
    given, is called first with every variant, so that it can evaluate them all at once (on
    all cores) before ``evaluate`` is asked for each. ``progress``, if given, is called with
    ``(done, total)`` after each provision measured incrementally.
    """
    incremental = INCREMENTAL if incremental is None else incremental
    whole = CoverageDiff(base_cov, head_cov)
    head_key = framework_key(head)
    rows: list[AttributionRow] = []
    explained_gain = np.zeros(len(base_cov), bool)
    explained_loss = np.zeros(len(base_cov), bool)
    results: dict[str, _Measured] = {}
    units = sorted(_units(laws), key=lambda u: u.row)
    # evaluated whole, the variants are made first, for prefetch to evaluate them together;
    # incrementally, each is made when measured, and let go after (its plan is large)
    bare = _bare_laws(head, base)
    variants = ({u.row: _variant_of(head, base, u, bare) for u in units if u.matters}
                if not incremental else {})  # fmt: skip
    if prefetch is not None and variants:
        prefetch(list({framework_key(fw): fw for fw in variants.values()
                       if isinstance(fw, Framework) and framework_key(fw) != head_key
                       }.values()))  # fmt: skip
    total, done = sum(u.matters for u in units), 0
    # measured incrementally, a variant that can be a patch of the head is made as one
    patcher = Patcher(head, bare[1], _variant) if incremental else None
    for unit in units:
        row_id, by = unit.row, unit.by
        named = row_id.partition(":")[2].startswith(("parameters.", "definitions."))
        if not unit.matters and named:
            rows.append(AttributionRow(row_id, None, None, None, by))  # not alone
            continue
        if not unit.matters:
            rows.append(AttributionRow(row_id, 0, 0, _no_levels(), by, 0, 0))
            continue
        m: _Measured | None = None
        patch = patcher.patch(unit.law, unit.key) if patcher is not None else None
        fw = (patch.framework if patch is not None else variants.pop(row_id) if variants
              else _variant_of(head, base, unit, bare))  # fmt: skip
        if patch is None and patcher is not None and isinstance(fw, Framework):
            patch = patcher.planned(fw, unit.law, unit.key)  # made whole, evaluated as a patch
        done += 1
        try:
            if isinstance(fw, KzrehabError):
                raise fw
            key = head_key
            if fw is not None:  # measured incrementally, a variant needs no key: one that
                # is the head's rules moves no claim whichever way it is measured
                key = framework_key(fw) if not incremental else f"(variant) {row_id}"
            if key not in results:
                if fw is None or key == head_key:
                    d = CoverageDiff(head_cov, head_cov)
                else:
                    d = (CoverageDiff(*unshared(evaluate_patch(patch, head_cov, base_cov),
                                                     head_cov))
                         if patch is not None else
                         variant_diff(fw, base_cov, head_cov, None if incremental else evaluate))
                # only the counts are kept: a variant's coverage, framework and compiled
                # plan are let go before the next variant is evaluated
                explained_gain |= d.gains
                explained_loss |= d.loses
                results[key] = _Measured(d.gained, d.lost, d.level_counts(),
                                         int(np.count_nonzero(d.gains & whole.gains)),
                                         int(np.count_nonzero(d.loses & whole.loses)))  # fmt: skip
            m = results[key]
        except KzrehabError:
            m = None
        if progress is not None and incremental:
            progress(done, total)
        if m is None:
            rows.append(AttributionRow(row_id, None, None, None, by))
            continue
        levels = {level: dict(counts) for level, counts in m.levels.items()}
        rows.append(AttributionRow(row_id, m.gained, m.lost, levels, by, m.gained_overall,
                                   m.lost_overall))  # fmt: skip
    gained = int((whole.gains & ~explained_gain).sum())
    lost = int((whole.loses & ~explained_loss).sum())
    rows.append(AttributionRow("interaction", gained, lost, None, (), gained, lost))
    return rows


def _variant_of(head: Framework, base: Framework, unit: _Unit,
                bare: tuple[list[Law], list[Law]] | None = None
                ) -> Framework | KzrehabError | None:  # fmt: skip
    """The framework of :func:`variant` for ``unit`` (None: neither side has the law), or
    the error that makes it impossible. ``bare``: the head's and the base's laws without
    their amendments, made once for all the variants."""
    if bare is None:
        bare = _bare_laws(head, base)
    try:
        laws_back = _variant(bare[0], bare[1], unit.law, unit.key)
        # checked as a patch of the head: what the variant shares with it is not checked again
        return None if laws_back is None else Framework(laws_back, like=head)
    except KzrehabError as err:
        return err


def _bare_laws(head: Framework, base: Framework) -> tuple[list[Law], list[Law]]:
    return [_bare(law) for law in head.laws], [_bare(law) for law in base.laws]


class _Measured(NamedTuple):
    """What a row keeps of a variant's diff."""

    gained: int
    lost: int
    levels: Mapping[str, Mapping[str, int]]
    gained_overall: int
    lost_overall: int


def _no_levels() -> dict[str, dict[str, int]]:
    return {"status": {"gained": 0, "lost": 0}, "categories": {"gained": 0, "lost": 0},
            "components": {"gained": 0, "lost": 0},
            "amounts": {"higher": 0, "lower": 0, "uncertain": 0}}  # fmt: skip


# -- the comparison: the diff, the laws' diff and the attribution --------------------------


@attrs.frozen(eq=False, repr=False)
class Comparison:
    """A coverage diff with the laws' structural diff and the attribution of its changes."""

    coverage: CoverageDiff
    laws: tuple[LawDiff, ...]
    attribution: tuple[AttributionRow, ...]

    @property
    def base(self) -> Coverage:
        return self.coverage.base

    @property
    def head(self) -> Coverage:
        return self.coverage.head

    def provisions(self) -> list[tuple[str, str]]:
        """``(id, change)`` of every changed provision, parameter and definition, by id."""
        found = [(p.id, p.change) for ld in self.laws for p in ld.provisions]
        found += [(n.id, n.change) for ld in self.laws for n in (*ld.parameters, *ld.definitions)]
        return sorted(found)

    def to_records(self, changed_only: bool = True) -> list[dict[str, Any]]:
        """One plain dict per claim whose outcome changed (``changed_only=False``: per
        claim): :meth:`kzrehab.comparison.CoverageDiff.to_records`."""
        return self.coverage.to_records(changed_only)

    def to_pandas(self, changed_only: bool = True) -> pandas.DataFrame:
        """:meth:`to_records` as a :class:`pandas.DataFrame` (the optional extra ``pandas``:
        ``pip install 'kzrehab[pandas]'``)."""
        return self.coverage.to_pandas(changed_only)

    def __repr__(self) -> str:
        changed = len(self.provisions())
        return (f"<Comparison {len(self.base):,} claims: {self.coverage.gained:,} gain, "
                f"{self.coverage.lost:,} lose; {changed:,} changed provision"
                f"{'s' if changed != 1 else ''}>")


def compare(
    base: Framework,
    head: Framework,
    population: Population,
    as_of: dt.date,
    evaluate: Evaluate | None = None,
    *,
    jobs: int = 1,
    prefetch: Prefetch | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Evaluate two frameworks over ``population`` and explain the difference.

    ``evaluate`` (default: :func:`kzrehab.evaluate` at ``as_of``) lets a caller cache
    coverages, e.g. :meth:`kzrehab.tracker.cache.CoverageCache.evaluate`; ``prefetch``,
    given with it, is called with several frameworks to evaluate at once before
    ``evaluate`` is asked for each (the base and the head, then attribution's variants;
    e.g. :meth:`~kzrehab.tracker.cache.CoverageCache.evaluate_many`). Without ``evaluate``,
    ``jobs`` worker processes evaluate them (the same results as ``jobs=1``). Attribution's
    variants are measured incrementally in this process (:func:`attribute`), ``progress``
    called with ``(done, total)`` after each.
    """
    from .evaluation import evaluate as evaluate_
    from .evaluation import evaluate_many
    from .redline import diff_laws

    if evaluate is None:
        found: dict[str, Coverage] = {}

        def fill(frameworks: Sequence[Framework]) -> None:
            todo = list({framework_key(fw): fw for fw in frameworks}.items())
            todo = [(key, fw) for key, fw in todo if key not in found]
            results = evaluate_many([fw for _, fw in todo], population, as_of, jobs=jobs)
            for (key, _), cov in zip(todo, results, strict=True):
                if isinstance(cov, Coverage):
                    found[key] = cov

        def run(fw: Framework) -> Coverage:
            key = framework_key(fw)
            if key not in found:
                found[key] = evaluate_(fw, population, as_of, jobs=jobs)
            cov = found[key]  # an equivalent framework's: the same arrays, for this one
            return cov if cov.framework is fw else attrs.evolve(cov, framework=fw)

        evaluate, prefetch = run, fill
    if prefetch is not None:
        prefetch([base, head])
    base_cov, head_cov = evaluate(base), evaluate(head)
    laws = tuple(diff_laws(base.laws, head.laws))
    rows = attribute(base, head, laws, base_cov, head_cov, evaluate, prefetch,
                     progress=progress)
    return Comparison(CoverageDiff(base_cov, head_cov), laws, tuple(rows))
