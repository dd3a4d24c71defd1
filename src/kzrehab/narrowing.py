"""Narrowing: what each unknown fact may be, and the claims re-evaluated with it set so.

:mod:`kzrehab.gaps` finds the facts that would decide a claim by setting each unknown fact
to each value it can take and reading the plan's outcomes off. This module holds the two
halves of that: the *domain* of every fact the plan reads (:func:`domains`: what the plan
compares it with, and so which values give different outcomes), and the narrowed columns
— the undetermined claims copied as rows of a :class:`~kzrehab.population.columns.Columns`
whose column is overwritten with the value, evaluated with
:func:`kzrehab.evaluation.column_values` a batch of rows at a time (:func:`_run`).
"""

from __future__ import annotations

__all__ = ["Value", "domains", "OTHER", "BATCH"]

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from .chunks import Chunk, chunks, on_pool, open_chunk
from .errors import KzrehabError
from .evaluation import column_values
from .i18n import _
from .plan import plan_of
from .population.columns import Columns, Names, _months, _years
from .rules.ast import Lit, Name, Node, Op, SetLit, walk
from .rules.values import FALSE, TRUE, UNKNOWN, Interval
from .vocabulary import CLAIM_FACTS, EVENT_FACTS, IDENTIFYING, FactKind

if TYPE_CHECKING:
    from .laws.framework import Framework
    from .population import Population

#: the rows narrowed in one evaluation (memory stays bounded)
BATCH = 200_000
#: the string a narrowed string or country fact takes for "none of the plan's literals"
OTHER = "\x00other"
_ORDERING = frozenset({"<", "<=", ">", ">=", "==", "!=", "in", "not in", "range",
                       "startswith"})  # fmt: skip
_RANGED = (FactKind.INT, FactKind.DATE)
_TEXT = (FactKind.ENUM, FactKind.STR, FactKind.COUNTRY)


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
        below, upto, above = _("before {value}"), r.hi + 1, _("from {value}")
    else:
        def show(x: float) -> str:
            return f"{x:g}"
        below, upto, above = "≤ {value}", r.hi, "≥ {value}"
    if r.lo == r.hi:
        return show(r.lo)
    if math.isinf(r.lo):
        return below.format(value=show(upto))
    if math.isinf(r.hi):
        return above.format(value=show(r.lo))
    return f"{show(r.lo)} … {show(r.hi)}"


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
         jobs: Iterable[tuple[Tag, _Job]], targets: Sequence[str],
         pool: tuple[Population, dt.date, int] | None = None,
         ) -> Iterator[tuple[Tag, _Job, dict[str, npt.NDArray[np.int8]]]]:  # fmt: skip
    """Each job (with its tag) and the targets' values over its narrowed rows, a batch at a
    time; jobs without rows are left out. With ``pool`` — the population ``cols`` are
    the columns of (extended by :func:`_extend`), the date of ``params``, a number of
    processes — a stored population's batches are evaluated on that many worker
    processes, which copy and narrow the rows themselves (:func:`_batch_values`)."""
    batches = _batches(jobs)
    done: Iterator[tuple[list[tuple[Tag, _Job]], dict[str, Any] | KzrehabError]]
    if pool is not None and on_pool(pool[0], pool[2]):
        done = _pooled(fw, cols, batches, targets, *pool)
    else:
        done = ((b, _values(fw, cols, params, [j for _, j in b], targets)) for b in batches)
    for batch, values in done:
        if isinstance(values, KzrehabError):
            raise values
        at = 0
        for tag, j in batch:
            n_rows = len(j.rows)
            yield tag, j, {t: values[t][at:at + n_rows] for t in targets}
            at += n_rows


def _batches(jobs: Iterable[tuple[Tag, _Job]]) -> Iterator[list[tuple[Tag, _Job]]]:
    """The jobs with rows, in batches of about :data:`BATCH` rows."""
    batch: list[tuple[Tag, _Job]] = []
    size = 0
    for tag, job in jobs:
        if not len(job.rows):
            continue
        batch.append((tag, job))
        size += len(job.rows)
        if size >= BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _pooled(fw: Framework, cols: Columns, batches: Iterator[list[tuple[Tag, _Job]]],
            targets: Sequence[str], population: Population, as_of: dt.date, n: int
            ) -> Iterator[tuple[list[tuple[Tag, _Job]],
                                dict[str, Any] | KzrehabError]]:  # fmt: skip
    """Each batch and its values from ``n`` worker processes, ``2 n`` batches at a time
    (memory stays bounded)."""
    from ._pool import ordered_map

    whole = chunks(fw, population, as_of, size=max(len(population), 1))[0]
    while window := list(itertools.islice(batches, 2 * n)):
        tasks = [_Batch(whole, cols.strings, tuple(j for _, j in b), tuple(targets))
                 for b in window]  # fmt: skip
        yield from zip(window, ordered_map(_batch_values, tasks, n), strict=True)


def _values(fw: Framework, cols: Columns, params: Mapping[str, Mapping[str, float]],
            jobs: Sequence[_Job], targets: Sequence[str]) -> dict[str, Any]:  # fmt: skip
    """The targets' values over the narrowed rows of ``jobs``, in order."""
    sub = _narrowed(cols, jobs)
    rows = np.concatenate([j.rows for j in jobs])

    def claim_id(i: int) -> str:
        return cols.names.ids[int(cols.claim["id"][rows[i]])]

    values = column_values(fw, sub, params, claim_id)
    return {t: values[t] for t in targets}


class _Batch(NamedTuple):
    """A batch of narrowing jobs, as sent to a worker: the whole population as a chunk,
    the string table of the extended columns, the jobs and the targets."""

    whole: Chunk
    strings: tuple[str, ...]
    jobs: tuple[_Job, ...]
    targets: tuple[str, ...]


def _batch_values(batch: _Batch) -> dict[str, Any] | KzrehabError:
    """In a worker: :func:`_values` of a batch, over the population's columns (read once
    per process) extended to the batch's string table."""
    try:
        fw, pop = open_chunk(batch.whole)
        whole: Any = pop.columns()
        if not isinstance(whole, Columns):  # a store: every column, read once
            whole = whole.columns
        cols = whole
        if batch.strings != whole.strings:
            cols = attrs.evolve(whole, strings=batch.strings, names=Names(
                lambda: whole.names.ids, lambda: whole.names.victims))  # fmt: skip
        params = fw.parameters_at(batch.whole.as_of)
        return _values(fw, cols, params, batch.jobs, batch.targets)
    except KzrehabError as err:
        return err


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
