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

Narrowing is vectorised: the narrowed claims are rows of a :class:`Columns` whose column is
overwritten with the value, evaluated with :func:`kzrehab.evaluation.column_values`; only
the undetermined claims are copied, a batch of rows at a time.
"""

from __future__ import annotations

__all__ = ["Slot", "Value", "Decider", "ClaimGaps", "FactPriority", "GapGroup", "Gaps",
           "deciders", "gaps", "domains", "BY"]  # fmt: skip

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .evaluation import column_values
from .plan import plan_of
from .population.columns import Columns, Names, _months, _years
from .rules.ast import Lit, Name, Node, Op, SetLit, walk
from .rules.values import FALSE, TRUE, UNKNOWN, Interval, K
from .vocabulary import CLAIM_FACTS, EVENT_FACTS, IDENTIFYING, FactKind

if TYPE_CHECKING:
    from .claims import Claim
    from .laws.framework import Framework
    from .population import Population

#: the groupings of :func:`gaps`
BY = ("status", "category", "component")
#: the rows narrowed in one evaluation (memory stays bounded)
BATCH = 200_000
#: the string a narrowed string or country fact takes for "none of the plan's literals"
OTHER = "\x00other"
_ORDERING = frozenset({"<", "<=", ">", ">=", "==", "!=", "in", "not in", "range",
                       "startswith"})  # fmt: skip
_RANGED = (FactKind.INT, FactKind.DATE)
_TEXT = (FactKind.ENUM, FactKind.STR, FactKind.COUNTRY)


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
        return f"event {self.event_id or self.event + 1}: {self.fact}"


@attrs.frozen
class Value:
    """One value a fact may be narrowed to: a boolean, a string (:data:`OTHER` for none of
    the plan's literals) or a range (a number's, or a date's as day ordinals)."""

    kind: FactKind
    value: bool | str | Interval

    def __str__(self) -> str:
        v = self.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return "other" if v == OTHER else v
        return _range_text(self.kind, v)


def _range_text(kind: FactKind, r: Interval) -> str:
    if kind is FactKind.DATE:
        def show(x: float) -> str:
            return dt.date.fromordinal(int(x)).isoformat()
        below, upto, above = "before", r.hi + 1, "from"
    else:
        def show(x: float) -> str:
            return f"{x:g}"
        below, upto, above = "≤", r.hi, "≥"
    if r.lo == r.hi:
        return show(r.lo)
    if math.isinf(r.lo):
        return f"{below} {show(upto)}"
    if math.isinf(r.hi):
        return f"{above} {show(r.lo)}"
    return f"{show(r.lo)} … {show(r.hi)}"


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
        words = ("received", "not received") if self.target != "status" else (
            "eligible", "ineligible")

        def combos(cs: tuple[tuple[Value, ...], ...]) -> str:
            return ", ".join(" & ".join(str(v) for v in c) for c in cs)
        parts = [f"{w} if {combos(cs)}" for w, cs in zip(words, (self.yes, self.no),
                                                          strict=True) if cs]
        if self.open:
            parts.append(f"still open if {combos(self.open)}")
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


@attrs.frozen
class Gaps:
    """Evidence priorities of a framework over a population (:func:`gaps`)."""

    laws: tuple[str, ...]
    population: Population = attrs.field(repr=False)
    as_of: dt.date
    by: str
    groups: tuple[GapGroup, ...]

    def to_json(self) -> dict[str, Any]:
        """The ``gaps`` report's data (docs/json.rst)."""
        from .coverage import SCHEMA, amount_json, population_json

        yes, no = ("received", "withheld") if self.by == "component" else (
            "eligible", "ineligible")
        return {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "population": population_json(self.population),
            "laws": list(self.laws),
            "by": self.by,
            "groups": [{
                "target": g.target, "undetermined": g.undetermined, "unsettled": g.unsettled,
                "facts": [{"fact": f.fact, "scope": f.scope, "claims": f.claims,
                           yes: f.yes, no: f.no, "always": f.always,
                           "amounts": [{"period": p, "claims": f.claims,
                                        "amount": amount_json(a.lo, a.hi)}
                                       for p, a in sorted(f.amounts.items())]}
                          for f in g.facts],
            } for g in self.groups],
        }  # fmt: skip


# -- what the plan compares each fact with ----------------------------------------------------


def _facts_of(node: Node, defs: Mapping[str, Node], memo: dict[str, frozenset[tuple[str, str]]]
              ) -> frozenset[tuple[str, str]]:  # fmt: skip
    """(scope, fact) of every fact a tree reads, through the law's definitions."""
    found: set[tuple[str, str]] = set()
    for n in walk(node):
        if not isinstance(n, Name):
            continue
        if n.ref in {"claim", "event"}:
            found.add((n.ref, n.name))
        elif n.ref == "def" and n.name in defs:
            if n.name not in memo:
                memo[n.name] = frozenset()  # a definition reads no cycle (checked)
                memo[n.name] = _facts_of(defs[n.name], defs, memo)
            found |= memo[n.name]
    return frozenset(found)


Key = tuple[str, str]
#: a sum of facts (each with coefficient +1 or -1) and a constant, the constant as the
#: candidate values it may take (a date literal: both ends of its range)
Linear = tuple[dict[Key, int], list[float]]


def _linear(node: Node, defs: Mapping[str, Node], params: Mapping[str, float],
            depth: int = 0) -> Linear | None:  # fmt: skip
    """A tree as a sum of facts and constants, or None when it is not one (a product, an
    aggregate …)."""
    if depth > 50:
        return None
    if isinstance(node, Lit):
        v = node.value
        if isinstance(v, bool | str):
            return None
        if isinstance(v, int | float):
            return {}, [float(v)]
        lo, hi = v.ordinals
        return {}, sorted({float(lo), float(hi)})
    if isinstance(node, Name):
        if node.ref in {"claim", "event"}:
            return {(node.ref, node.name): 1}, [0.0]
        if node.ref == "param" and node.name in params:
            return {}, [float(params[node.name])]
        if node.ref == "def" and node.name in defs:
            return _linear(defs[node.name], defs, params, depth + 1)
        return None
    if isinstance(node, Op) and node.op == "neg" and len(node.args) == 1:
        inner = _linear(node.args[0], defs, params, depth + 1)
        return None if inner is None else ({k: -s for k, s in inner[0].items()},
                                           [-c for c in inner[1]])  # fmt: skip
    if isinstance(node, Op) and node.op in {"+", "-"} and len(node.args) == 2:
        a = _linear(node.args[0], defs, params, depth + 1)
        b = _linear(node.args[1], defs, params, depth + 1)
        if a is None or b is None:
            return None
        sign = 1 if node.op == "+" else -1
        facts = dict(a[0])
        for k, s in b[0].items():
            facts[k] = facts.get(k, 0) + sign * s
        facts = {k: s for k, s in facts.items() if s}
        if any(abs(s) != 1 for s in facts.values()):
            return None
        consts = sorted({x + sign * y for x in a[1] for y in b[1]})[:8]
        return facts, consts
    return None


def _comparisons(node: Node, defs: Mapping[str, Node], params: Mapping[str, float]
                 ) -> Iterator[Linear]:  # fmt: skip
    """Every comparison of a tree as ``left - right`` in linear form (``x in a..b`` as two)."""
    for n in walk(node):
        if not isinstance(n, Op) or len(n.args) != 2:
            continue
        pairs: list[tuple[Node, Node]] = []
        if n.op in {"<", "<=", ">", ">=", "==", "!="}:
            pairs = [(n.args[0], n.args[1])]
        elif n.op in {"in", "not in"} and isinstance(n.args[1], Op) and n.args[1].op == "range":
            pairs = [(n.args[0], n.args[1].args[0]), (n.args[0], n.args[1].args[1])]
        elif n.op in {"in", "not in"} and isinstance(n.args[1], SetLit):
            pairs = [(n.args[0], i) for i in n.args[1].items if not isinstance(i.value, str)]
        for left, right in pairs:
            a = _linear(left, defs, params)
            b = _linear(right, defs, params)
            if a is None or b is None:
                continue
            facts = dict(a[0])
            for k, s in b[0].items():
                facts[k] = facts.get(k, 0) - s
            facts = {k: s for k, s in facts.items() if s}
            if facts and all(abs(s) == 1 for s in facts.values()):
                yield facts, sorted({x - y for x in a[1] for y in b[1]})[:8]


def _strings(node: Node, defs: Mapping[str, Node],
             memo: dict[str, frozenset[Key]]) -> Iterator[tuple[Key, str]]:  # fmt: skip
    """(fact, literal) of every string literal a comparison holds with a fact."""
    for n in walk(node):
        if isinstance(n, Op) and n.op in _ORDERING:
            lits = [x.value for x in walk(n) if isinstance(x, Lit) and isinstance(x.value, str)]
            for key in _facts_of(n, defs, memo):
                for lit in lits:
                    yield key, lit


def _base(scope: str, fact: str) -> list[Key]:
    """The recorded facts behind a fact (``year`` → ``start``; ``months`` → both dates)."""
    if scope == "event" and fact == "year":
        return [("event", "start")]
    if scope == "event" and fact == "months":
        return [("event", "start"), ("event", "end")]
    return [(scope, fact)]


def _year_ordinals(y: float) -> list[tuple[float, float]]:
    """The days of a year constant (a fractional one: of the years around it)."""
    out: list[tuple[float, float]] = []
    for y_ in {math.floor(y), math.ceil(y)} if math.isfinite(y) else ():
        if 1 <= y_ <= 9999:
            out.append((dt.date(y_, 1, 1).toordinal(), dt.date(y_, 12, 31).toordinal()))
    return out


@attrs.frozen
class _Domain:
    scope: str
    fact: str
    kind: FactKind
    #: booleans, strings, or (lo, hi) ranges
    values: tuple[Any, ...]

    def value(self, i: int) -> Value:
        v = self.values[i]
        return Value(self.kind, Interval(*v) if isinstance(v, tuple) else v)


def domains(fw: Framework, as_of: dt.date) -> dict[tuple[str, str], _Domain]:
    """The domain of every recorded fact the plan reads, by (scope, fact)."""
    strings: dict[Key, set[str]] = {}
    forms: list[Linear] = []
    read: set[Key] = set()
    all_params = fw.parameters_at(as_of)
    for law in fw.laws:
        defs = {n: r.node for n, r in fw.checked(law.id).definitions.items()}
        trees = [*defs.values(), *(o.node for o in plan_of(fw) if o.law == law.id)]
        memo: dict[str, frozenset[Key]] = {}
        for tree in trees:
            read |= _facts_of(tree, defs, memo)
            for key, lit in _strings(tree, defs, memo):
                strings.setdefault(key, set()).add(lit)
            forms += _comparisons(tree, defs, all_params[law.id])
    # split points: f ± k ⋈ 0 splits f at ∓k; f ± g ± k ⋈ 0 at the points of g moved by k
    points: dict[Key, set[float]] = {}
    for facts, consts in forms:
        if len(facts) == 1:
            ((key, s),) = facts.items()
            points.setdefault(key, set()).update(-s * c for c in consts)
    direct = {k: sorted(v) for k, v in points.items()}
    for facts, consts in forms:
        if len(facts) != 2:
            continue
        (k1, s1), (k2, s2) = facts.items()
        for me, sm, other, so in ((k1, s1, k2, s2), (k2, s2, k1, s1)):
            for gv in direct.get(other, ())[:40]:
                points.setdefault(me, set()).update(-sm * (c + so * gv) for c in consts)
    cuts: dict[Key, set[tuple[float, float]]] = {}
    for (scope, fact), ps in points.items():
        if scope == "event" and fact == "months":
            continue
        if scope == "event" and fact == "year":
            for p in ps:
                cuts.setdefault(("event", "start"), set()).update(_year_ordinals(p))
            continue
        cuts.setdefault((scope, fact), set()).update((p, p) for p in ps)
    read |= {("claim", "claimant")}  # every component reads who applies
    out: dict[tuple[str, str], _Domain] = {}
    for scope, fact in sorted({b for r in read for b in _base(*r)}):
        vocabulary = CLAIM_FACTS if scope == "claim" else EVENT_FACTS
        f = vocabulary.get(fact)
        if f is None or f.derived or fact in IDENTIFYING:
            continue
        values: tuple[Any, ...]
        if f.kind is FactKind.BOOL:
            values = (False, True)
        elif f.kind is FactKind.ENUM:
            values = f.values
        elif f.kind in _TEXT:
            values = (*sorted(strings.get((scope, fact), ())), OTHER)
        else:
            values = tuple(_regions(cuts.get((scope, fact), set())))
        out[(scope, fact)] = _Domain(scope, fact, f.kind, values)
    return out


def _regions(consts: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The sub-ranges split at both ends of each constant and one step past them (whole
    numbers: a fractional constant splits at the whole numbers around it)."""
    cuts: set[float] = set()
    for lo, hi in consts:
        if not (math.isfinite(lo) and math.isfinite(hi)):
            continue
        lo, hi = math.floor(lo), math.ceil(hi)
        cuts.update({lo, lo + 1, hi, hi + 1})
    edges = sorted(cuts)
    out: list[tuple[float, float]] = []
    start = -math.inf
    for e in edges:
        out.append((start, e - 1))
        start = e
    out.append((start, math.inf))
    return out


# -- narrowing ------------------------------------------------------------------------------------


@attrs.frozen
class _Set:
    """Overwrite one fact of each narrowed row: ``values`` per row (codes, Kleene bytes,
    or (lo, hi) ranges)."""

    scope: str
    fact: str
    event: int | None
    values: Any


#: what a job narrows: one fact (of one event), or a pair
Tag = Any


@attrs.frozen
class _Job:
    """Rows of the base columns to copy, and what to overwrite in them."""

    rows: npt.NDArray[np.int64]
    sets: tuple[_Set, ...]
    #: per row, the index of each set's value in its domain (for reading back)
    picks: tuple[npt.NDArray[np.int64], ...]


def _extend(cols: Columns, doms: Iterable[_Domain]) -> Columns:
    """The columns with every string of the domains in the string table."""
    known = set(cols.strings)
    extra = sorted({v for d in doms if d.kind in _TEXT for v in d.values
                    if isinstance(v, str)} - known)  # fmt: skip
    if not extra:
        return cols
    names = Names(lambda: cols.names.ids, lambda: cols.names.victims)
    return attrs.evolve(cols, strings=cols.strings + tuple(extra), names=names)


def _take(cols: Columns, rows: npt.NDArray[np.int64]) -> Columns:
    """Copies of some claims (rows may repeat) with their events."""
    starts = cols.offsets[rows]
    counts = cols.offsets[rows + 1] - starts
    offsets = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    total = int(offsets[-1])
    idx = np.repeat(starts - offsets[:-1], counts) + np.arange(total, dtype=np.int64)

    def cut(col: Any, at: Any) -> Any:
        if isinstance(col, tuple):
            return np.asarray(col[0])[at], np.asarray(col[1])[at]
        return np.asarray(col)[at]

    return Columns(len(rows), total, cols.strings,
                   {k: cut(v, rows) for k, v in cols.claim.items()},
                   {k: cut(v, idx) for k, v in cols.event.items()},
                   np.repeat(np.arange(len(rows), dtype=np.int64), counts), offsets,
                   cols.names)  # fmt: skip


def _current(cols: Columns, d: _Domain, rows: npt.NDArray[np.int64], event: int | None) -> Any:
    col = cols.claim[d.fact] if d.scope == "claim" else cols.event[d.fact]
    at = rows if event is None else cols.offsets[rows] + event
    if isinstance(col, tuple):
        return np.asarray(col[0])[at], np.asarray(col[1])[at]
    return np.asarray(col)[at]


def _valid(cols: Columns, d: _Domain, rows: npt.NDArray[np.int64], event: int | None
           ) -> npt.NDArray[np.bool_]:  # fmt: skip
    """(rows, values): which values narrow each row's current value (a row whose fact is
    known, or known to within one value, gets none)."""
    cur = _current(cols, d, rows, event)
    m = len(d.values)
    if d.kind is FactKind.BOOL:
        ok = np.broadcast_to((cur == UNKNOWN)[:, None], (len(rows), m))
    elif d.kind in _TEXT:
        ok = np.broadcast_to((cur < 0)[:, None], (len(rows), m))
    else:
        lo, hi = cur
        r_lo = np.array([v[0] for v in d.values])
        r_hi = np.array([v[1] for v in d.values])
        ok = (r_lo[None, :] <= hi[:, None]) & (r_hi[None, :] >= lo[:, None])
    ok = np.array(ok)
    ok[ok.sum(axis=1) < 2] = False
    return ok


def _encode(cols: Columns, d: _Domain, rows: npt.NDArray[np.int64], event: int | None,
            picks: npt.NDArray[np.int64]) -> Any:  # fmt: skip
    if d.kind is FactKind.BOOL:
        return np.where(np.array(d.values, bool)[picks], TRUE, FALSE).astype(np.int8)
    if d.kind in _TEXT:
        codes = np.array([cols.code(v) for v in d.values], np.int32)
        return codes[picks]
    lo, hi = _current(cols, d, rows, event)
    r_lo = np.array([v[0] for v in d.values])[picks]
    r_hi = np.array([v[1] for v in d.values])[picks]
    return np.maximum(lo, r_lo), np.minimum(hi, r_hi)


def _narrowed(cols: Columns, jobs: Sequence[_Job]) -> Columns:
    sub = _take(cols, np.concatenate([j.rows for j in jobs]))
    at = 0
    dates = False
    for j in jobs:
        seg = slice(at, at + len(j.rows))
        for s in j.sets:
            if s.scope == "claim":
                col, pos = sub.claim[s.fact], np.arange(seg.start, seg.stop)
            else:
                assert s.event is not None
                col, pos = sub.event[s.fact], sub.offsets[seg.start:seg.stop] + s.event
                dates |= s.fact in {"start", "end"}
            if isinstance(col, tuple):
                col[0][pos], col[1][pos] = s.values
            else:
                col[pos] = s.values
        at = seg.stop
    if dates:
        s_lo, s_hi = sub.event["start"]
        e_lo, e_hi = sub.event["end"]
        sub.event["year"] = (_years(s_lo), _years(s_hi))
        sub.event["months"] = _months(s_lo, s_hi, e_lo, e_hi)
    return sub


def _run(fw: Framework, cols: Columns, params: Mapping[str, Mapping[str, float]],
         jobs: Iterable[tuple[Tag, _Job]], targets: Sequence[str]
         ) -> Iterator[tuple[Tag, _Job, dict[str, npt.NDArray[np.int8]]]]:  # fmt: skip
    """Each job (with its tag) and the targets' values over its narrowed rows, a batch at a
    time; jobs without rows are left out."""
    batch: list[tuple[Tag, _Job]] = []
    size = 0

    def flush() -> Iterator[tuple[Tag, _Job, dict[str, npt.NDArray[np.int8]]]]:
        jobs_ = [j for _, j in batch]
        sub = _narrowed(cols, jobs_)
        rows = np.concatenate([j.rows for j in jobs_])

        def claim_id(i: int) -> str:
            return cols.names.ids[int(cols.claim["id"][rows[i]])]

        values = column_values(fw, sub, params, claim_id)
        at = 0
        for tag, j in batch:
            n = len(j.rows)
            yield tag, j, {t: values[t][at:at + n] for t in targets}
            at += n

    for tag, job in jobs:
        if not len(job.rows):
            continue
        batch.append((tag, job))
        size += len(job.rows)
        if size >= BATCH:
            yield from flush()
            batch, size = [], 0
    if batch:
        yield from flush()


def _single_jobs(cols: Columns, doms: Mapping[tuple[str, str], _Domain],
                 rows: npt.NDArray[np.int64]
                 ) -> Iterator[tuple[tuple[_Domain, int | None], _Job]]:  # fmt: skip
    """One job per fact (and per event index): every row whose fact it narrows, once per
    value."""
    n_events = cols.offsets[rows + 1] - cols.offsets[rows]
    most = int(n_events.max()) if len(rows) else 0
    for d in doms.values():
        for event in [None] if d.scope == "claim" else range(most):
            mine = rows if event is None else rows[n_events > event]
            ok = _valid(cols, d, mine, event)
            r, v = np.nonzero(ok)
            picked, picks = mine[r], v.astype(np.int64)
            values = _encode(cols, d, picked, event, picks)
            yield (d, event), _Job(picked, (_Set(d.scope, d.fact, event, values),), (picks,))


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
        combos[int(k)].append(tuple(value(d, s, p, i) for (d, _), s, p in
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
) -> Gaps:
    """Rank the unknown facts by how many undetermined claims some value of theirs would
    settle: the status (``by="status"``), each category or each component; ``among``, a
    mask over the population's claims, keeps only those claims (``compare --gaps``: the
    claims a bill may help)."""
    from .coverage import range_cents
    from .population.columns import columns_of

    if by not in BY:
        raise ValueError(f"unknown grouping {by!r} (one of: {', '.join(BY)})")
    as_of = as_of or dt.date.today()
    params = fw.parameters_at(as_of)
    doms = domains(fw, as_of)
    whole: Any = columns_of(population)
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
    for (d, _), job, got in _run(fw, cols, params, _single_jobs(cols, doms, rows),
                                 run_targets):  # fmt: skip
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
            yes, no, _, always = a[t]
            settles = (yes | no) & mask
            if not settles.any():
                continue
            settled_any |= settles
            amounts: dict[str, Interval] = {}
            for c in money_keys:
                if t.startswith("receives:") and c != t:
                    continue
                c_yes, c_no, _, _ = a[c]
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
