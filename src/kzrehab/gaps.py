"""Which unknown facts would decide a claim: evidence priorities for archival research.

A claim is *undetermined* when some fact it depends on is unknown (docs/semantics.rst).
Learning that fact may decide it. This module finds such facts by **narrowing**: the
evaluation plan (:mod:`kzrehab.plan`) is run again with one unknown fact set to each value
it can take, and the outcomes are read off. No rule is re-derived here; the plan decides.

The values a fact can take (its *domain*, :func:`domains`):

- a boolean: ``false`` and ``true``; an enumeration: each of its values;
- a string or a country: each literal the plan compares it with, and *other* (a value
  equal to none of them);
- a number or a date: the sub-ranges that the constants the plan compares it with (and
  the parameters, at the assessment date) split it into. A date literal ``d`` and a
  number ``n`` split at both ends of their range and one step past them, so that every
  comparison (``<``, ``<=``, ``==`` …) has the same value over a whole sub-range. A
  ``year`` constant splits the event's ``start``. A fact already known to a range (a date
  known to the year) is narrowed only to the sub-ranges inside it.

A fact that is known is never narrowed. An event's fact is narrowed one event at a time
(*event 2: outcome*). For one claim (:func:`deciders`) each fact gets the values that make
the claim eligible, ineligible, or leave it undetermined — and likewise, for each component
the claim only possibly receives, received or not. Where no single fact decides, pairs of
facts are tried (``max_facts``). Over a population (:func:`gaps`) facts are ranked by how
many undetermined claims some value of theirs would settle.

Narrowing is vectorised (:mod:`kzrehab.narrowing`): the narrowed claims are rows of a
:class:`Columns` whose column is overwritten with the value, evaluated with
:func:`kzrehab.evaluation.column_values`; only the undetermined claims are copied, a batch
of rows at a time.
"""

from __future__ import annotations

__all__ = ["Slot", "Value", "Decider", "ClaimGaps", "FactPriority", "GapGroup", "Gaps",
           "deciders", "gaps", "domains", "BY", "OTHER", "BATCH"]  # fmt: skip

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .evaluation import column_values
from .i18n import _
from .narrowing import (
    _RANGED,
    BATCH,
    OTHER,
    Tag,
    Value,
    _Domain,
    _encode,
    _extend,
    _Job,
    _run,
    _Set,
    _single_jobs,
    domains,
)
from .population.columns import Columns
from .rules.values import FALSE, TRUE, UNKNOWN, Interval, K

if TYPE_CHECKING:
    from .claims import Claim
    from .laws.framework import Framework
    from .population import Population

#: the groupings of :func:`gaps`
BY = ("status", "category", "component")


# -- results --------------------------------------------------------------------------------------


@attrs.frozen
class Slot:
    """A fact of a claim, or of one of its events (``event`` its index, from 0)."""

    fact: str
    event: int | None = None
    event_id: str | None = None

    def __str__(self) -> str:
        if self.event is None:
            return self.fact
        return _("event {n}: {fact}").format(n=self.event_id or self.event + 1, fact=self.fact)


@attrs.frozen
class Decider:
    """Facts whose values, once known, would decide a claim's status (``target`` is
    ``status``) or whether it receives a component (``target`` its full id).

    Each of ``yes``, ``no`` and ``open`` holds combinations of values, one per fact of
    ``facts``: those that make the claim eligible (receive the component), ineligible (not
    receive it), and those that leave it undetermined.
    """

    target: str
    facts: tuple[Slot, ...]
    yes: tuple[tuple[Value, ...], ...]
    no: tuple[tuple[Value, ...], ...]
    open: tuple[tuple[Value, ...], ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every value decides it (learning the facts surely settles it)."""
        return not self.open

    def describe(self) -> str:
        """``event 1: outcome: eligible if quashed; ineligible if convicted, served``."""
        if self.target == "status":
            words = (_("eligible if {combos}"), _("ineligible if {combos}"))
        else:
            words = (_("received if {combos}"), _("not received if {combos}"))

        def combos(cs: tuple[tuple[Value, ...], ...]) -> str:
            return ", ".join(" & ".join(str(v) for v in c) for c in cs)
        parts = [w.format(combos=combos(cs)) for w, cs in zip(words, (self.yes, self.no),
                                                               strict=True) if cs]
        if self.open:
            parts.append(_("still open if {combos}").format(combos=combos(self.open)))
        return f"{' & '.join(str(s) for s in self.facts)}: {'; '.join(parts)}"

    def __repr__(self) -> str:
        return f"<Decider {self.target}: {self.describe()}>"


@attrs.frozen
class ClaimGaps:
    """What would decide one claim: for its status (when undetermined) and for each
    component it only possibly receives, the deciding facts, single facts first."""

    claim_id: str
    status: K
    #: deciders of the status (empty when the status is decided, or nothing found)
    deciders: tuple[Decider, ...]
    #: full component id → its deciders, for every component possibly received
    components: Mapping[str, tuple[Decider, ...]]

    def __repr__(self) -> str:
        facts = ", ".join(" & ".join(map(str, d.facts)) for d in self.deciders)
        return (f"<ClaimGaps {self.claim_id}: {self.status_name}; status decided by "
                f"{facts or 'nothing found'}; {len(self.components)} possible component(s)>")

    @property
    def status_name(self) -> str:
        return ("ineligible", "undetermined", "eligible")[self.status]


@attrs.frozen
class FactPriority:
    """One fact's rank over a population: the undetermined claims some value of it would
    settle (``claims``), those some value makes eligible (``yes``) or ineligible (``no``),
    those that every value settles (``always``), and the money whose receipt it would
    settle, by period (the sum of the amount ranges of the components it decides)."""

    fact: str
    scope: str
    claims: int
    yes: int
    no: int
    always: int
    amounts: Mapping[str, Interval]

    def __repr__(self) -> str:
        return (f"<FactPriority {self.fact}: settles {self.claims:,} (eligible {self.yes:,}, "
                f"ineligible {self.no:,}, always {self.always:,})>")


@attrs.frozen
class GapGroup:
    """The ranking of facts for one target: the status, a category or a component."""

    target: str
    #: claims whose target is unknown
    undetermined: int
    #: of those, claims no single fact settles
    unsettled: int
    facts: tuple[FactPriority, ...]


@attrs.frozen(repr=False)
class Gaps:
    """Evidence priorities of a framework over a population (:func:`gaps`)."""

    laws: tuple[str, ...]
    population: Population = attrs.field(repr=False)
    as_of: dt.date
    by: str
    groups: tuple[GapGroup, ...]


    def __repr__(self) -> str:
        groups = "; ".join(f"{g.target}: {g.undetermined:,} undetermined, "
                           f"{len(g.facts)} fact{'s' if len(g.facts) != 1 else ''}"
                           for g in self.groups[:3])  # fmt: skip
        more = f"; … {len(self.groups) - 3} more" if len(self.groups) > 3 else ""
        return f"<Gaps by {self.by}, {len(self.population):,} claims: {groups or 'none'}{more}>"


# -- one claim ------------------------------------------------------------------------------------


def deciders(
    fw: Framework, claim: Claim, as_of: dt.date | None = None, *, max_facts: int = 2
) -> ClaimGaps:
    """The facts that would decide a claim's status (when undetermined) and whether it
    receives each component it only possibly receives; where no single fact decides one
    of them, sets of up to ``max_facts`` facts."""
    as_of = as_of or dt.date.today()
    doms = domains(fw, as_of)
    base = Columns.from_claims([claim])
    cols = _extend(base, doms.values())
    params = fw.parameters_at(as_of)
    values = column_values(fw, cols, params, lambda i: claim.id)
    targets = ["status"] if values["status"][0] == UNKNOWN else []
    targets += [f"receives:{c}" for c in fw.components if values[f"receives:{c}"][0] == UNKNOWN]
    found: dict[str, list[Decider]] = {t: [] for t in targets}
    if not targets:
        return ClaimGaps(claim.id, K(int(values["status"][0])), (), {})
    row = np.zeros(1, np.int64)
    slots: list[tuple[_Domain, int | None, npt.NDArray[np.int64]]] = []
    for (d, event), job, got in _run(fw, cols, params, _single_jobs(cols, doms, row), targets):
        slots.append((d, event, job.picks[0]))
        for t in targets:
            dec = _decider(t, [(d, event)], job, got[t], claim)
            if dec is not None:
                found[t].append(dec)
    if max_facts >= 2:
        _pairs(fw, cols, params, claim, slots, targets, found)
    comps = {t.removeprefix("receives:"): tuple(found[t]) for t in targets if t != "status"}
    return ClaimGaps(claim.id, K(int(values["status"][0])), tuple(found.get("status", ())),
                     comps)  # fmt: skip


def _slot(d: _Domain, event: int | None, claim: Claim) -> Slot:
    if event is None:
        return Slot(d.fact)
    return Slot(d.fact, event, claim.events[event].id)


def _decider(target: str, facts: Sequence[tuple[_Domain, int | None]],
             job: _Job, got: npt.NDArray[np.int8], claim: Claim) -> Decider | None:  # fmt: skip
    if not ((got == FALSE) | (got == TRUE)).any():
        return None
    combos: dict[int, list[tuple[Value, ...]]] = {0: [], 1: [], 2: []}

    def value(d: _Domain, s: _Set, p: npt.NDArray[np.int64], i: int) -> Value:
        if d.kind in _RANGED:  # the sub-range within what is known of the fact
            return Value(d.kind, Interval(float(s.values[0][i]), float(s.values[1][i])))
        return d.value(int(p[i]))

    for i, k in enumerate(got):
        combos[int(k)].append(tuple(value(d, s, p, i) for (d, __), s, p in
                                    zip(facts, job.sets, job.picks, strict=True)))  # fmt: skip
    merged = {k: _merge(v) for k, v in combos.items()}
    return Decider(target.removeprefix("receives:"),
                   tuple(_slot(d, e, claim) for d, e in facts),
                   merged[2], merged[0], merged[1])  # fmt: skip


def _merge(combos: list[tuple[Value, ...]]) -> tuple[tuple[Value, ...], ...]:
    """Adjacent ranges of a single fact joined (``1930 … 1936`` and ``1937`` → one)."""
    if not combos or len(combos[0]) != 1 or not isinstance(combos[0][0].value, Interval):
        return tuple(combos)
    out: list[Value] = []
    for (v,) in sorted(combos, key=lambda c: c[0].value.lo):  # type: ignore[union-attr]
        r = v.value
        assert isinstance(r, Interval)
        if out:
            last = out[-1].value
            assert isinstance(last, Interval)
            if last.hi + 1 == r.lo:
                out[-1] = Value(v.kind, Interval(last.lo, r.hi))
                continue
        out.append(v)
    return tuple((v,) for v in out)


#: the narrowed rows tried at most for the pairs of one claim
MAX_PAIR_ROWS = 50_000


def _pairs(fw: Framework, cols: Columns, params: Mapping[str, Mapping[str, float]],
           claim: Claim, slots: Sequence[tuple[_Domain, int | None, npt.NDArray[np.int64]]],
           targets: Sequence[str], found: dict[str, list[Decider]]) -> None:  # fmt: skip
    """Pairs of facts, for the targets no single fact decides."""
    left = [t for t in targets if not found[t]]
    if not left:
        return
    jobs: list[tuple[Tag, _Job]] = []
    rows = 0
    row = np.zeros(1, np.int64)
    for (d1, e1, p1), (d2, e2, p2) in itertools.combinations(slots, 2):
        if (d1.scope, d1.fact, e1) == (d2.scope, d2.fact, e2):
            continue
        grid = np.meshgrid(p1, p2, indexing="ij")
        a, b = grid[0].ravel(), grid[1].ravel()
        rows += len(a)
        if rows > MAX_PAIR_ROWS:
            break
        r = np.repeat(row, len(a))
        sets = (_Set(d1.scope, d1.fact, e1, _encode(cols, d1, r, e1, a)),
                _Set(d2.scope, d2.fact, e2, _encode(cols, d2, r, e2, b)))
        jobs.append((((d1, e1), (d2, e2)), _Job(r, sets, (a, b))))
    for facts, job, got in _run(fw, cols, params, jobs, left):
        for t in left:
            dec = _decider(t, facts, job, got[t], claim)
            if dec is not None:
                found[t].append(dec)


# -- a population ---------------------------------------------------------------------------------


def gaps(
    fw: Framework,
    population: Population,
    as_of: dt.date | None = None,
    *,
    by: str = "status",
    among: npt.NDArray[np.bool_] | None = None,
    jobs: int = 1,
) -> Gaps:
    """Rank the unknown facts by how many undetermined claims some value of theirs would
    settle: the status (``by="status"``), each category or each component; ``among``, a
    mask over the population's claims, keeps only those claims (``compare --gaps``: the
    claims a bill may help). ``jobs`` worker processes evaluate the batches of narrowed
    claims of a stored population (the same ranking)."""
    from .coverage import range_cents

    if by not in BY:
        raise ValueError(_("unknown grouping {by!r} (one of: {items})").format(
                             by=by, items=', '.join(BY)))
    as_of = as_of or dt.date.today()
    params = fw.parameters_at(as_of)
    doms = domains(fw, as_of)
    whole: Any = population.columns()
    if not isinstance(whole, Columns):  # a stored population: every column, read once
        whole = whole.columns
    cols = _extend(whole, doms.values())
    values = column_values(fw, cols, params, lambda i: population.claim_id(i))
    comps = [f"receives:{c}" for c in fw.components]
    if by == "status":
        targets = ["status"]
    elif by == "category":
        targets = [f"category:{c}" for c in fw.categories]
    else:
        targets = comps
    money_keys = [c for c in comps if f"amount:{c.removeprefix('receives:')}" in values]
    unknown = {t: values[t] == UNKNOWN for t in [*targets, *money_keys]}
    if among is not None:
        unknown = {t: u & among for t, u in unknown.items()}
    any_unknown = np.zeros(cols.n_claims, bool)
    for t in targets:
        any_unknown |= unknown[t]
    rows = np.flatnonzero(any_unknown).astype(np.int64)
    n = len(rows)
    periods = {c: fw.components[c.removeprefix("receives:")][0].pays
               for c in money_keys}  # fmt: skip
    # per target, per fact: per claim (index into rows) whether some value gives 2 / 0, and
    # whether every narrowing settles it
    acc: dict[tuple[str, str], dict[str, Any]] = {}
    run_targets = sorted(set(targets) | set(money_keys))
    for (d, __), job, got in _run(fw, cols, params, _single_jobs(cols, doms, rows),
                                 run_targets, (population, as_of, jobs)):  # fmt: skip
        where = np.searchsorted(rows, job.rows)
        key = (d.scope, d.fact)
        a = acc.get(key)
        if a is None:
            a = acc[key] = {t: (np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool),
                                np.zeros(n, bool)) for t in run_targets}  # fmt: skip
        for t in run_targets:
            yes, no, mine, always = a[t]
            k = got[t]
            yes[where[k == TRUE]] = True
            no[where[k == FALSE]] = True
            # every value of the fact (of this event) settles it
            mine[:] = False
            mine[where] = True
            mine[where[k == UNKNOWN]] = False
            always |= mine
    groups = []
    for t in targets:
        mask = unknown[t][rows]
        facts = []
        settled_any = np.zeros(n, bool)
        for (scope, fact), a in acc.items():
            yes, no, __, always = a[t]
            settles = (yes | no) & mask
            if not settles.any():
                continue
            settled_any |= settles
            amounts: dict[str, Interval] = {}
            for c in money_keys:
                if t.startswith("receives:") and c != t:
                    continue
                c_yes, c_no, __, __ = a[c]
                decided = (c_yes | c_no) & unknown[c][rows] & mask
                if not decided.any():
                    continue
                amt = values[f"amount:{c.removeprefix('receives:')}"]
                lo = np.nan_to_num(np.asarray(amt.lo)[rows][decided], nan=0.0)
                hi = np.nan_to_num(np.asarray(amt.hi)[rows][decided], nan=0.0, posinf=np.inf)
                p = periods[c]
                prev = amounts.get(p, Interval(0.0, 0.0))
                # the one summation of every amount total: exact cents
                lo_c, hi_c = range_cents(lo, hi)
                amounts[p] = Interval(
                    prev.lo + (float("-inf") if lo_c is None else lo_c / 100),
                    prev.hi + (float("inf") if hi_c is None else hi_c / 100))
            facts.append(FactPriority(fact, scope, int(settles.sum()), int((yes & mask).sum()),
                                      int((no & mask).sum()),
                                      int((always & mask).sum()), amounts))
        facts.sort(key=lambda f: (-f.claims, -max((a.hi for a in f.amounts.values()),
                                                  default=0.0), f.scope, f.fact))
        groups.append(GapGroup(t.partition(":")[2] or t, int(mask.sum()),
                               int((mask & ~settled_any).sum()), tuple(facts)))
    return Gaps(tuple(fw.ids), population, as_of, by, tuple(groups))
