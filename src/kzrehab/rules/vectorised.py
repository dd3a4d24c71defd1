"""The vectorised implementations of the operators: the formulas of
:mod:`kzrehab.rules.values` on NumPy arrays, over every claim (or every event) at once.

The operator table (:mod:`kzrehab.rules.operators`) names each operator's function here
beside its per-claim implementation; this module, and NumPy with it, is imported when the
first one is called, so reading the table (``kzrehab check``, ``--help``) never loads NumPy.
The walk over a tree is :class:`kzrehab.rules.compiler.VectorEvaluator`; a property test
holds the results equal to the interpreter's on generated rules and claims.

Values (over the claims, or over the events inside a filter; 0-d arrays for constants):

- a condition is an ``int8`` array of the Kleene codes :data:`~kzrehab.rules.values.FALSE`,
  :data:`~kzrehab.rules.values.UNKNOWN` and :data:`~kzrehab.rules.values.TRUE` (and is the
  minimum, or the maximum, not is ``TRUE - x``);
- a number or a date is an :class:`Iv` of two ``float64`` arrays;
- an enum, string or country is a :class:`Tx` of ``int32`` codes (-1 unknown);
- an event set is an :class:`Ev`, the membership of every event as a Kleene code (out,
  maybe or in);
- ``E.FACT`` is a :class:`Pj`: the membership and the fact's range of every event.
"""

from __future__ import annotations

__all__ = ["Iv", "Tx", "Ev", "Pj", "Reductions", "round_cents"]

import functools
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from .values import FALSE, TRUE, UNKNOWN

if TYPE_CHECKING:
    from ..population.columns import Columns

Arr = npt.NDArray[Any]
INF = math.inf


class Iv(NamedTuple):
    """A range per row: lowest and highest possible values."""

    lo: Arr
    hi: Arr


class Tx(NamedTuple):
    """Codes of an enum, string or country per row (-1 unknown) into a string table
    (``""`` the shared one; ``"id"`` and ``"victim"`` for claim and victim ids)."""

    codes: Arr
    table: str = ""


class Ev(NamedTuple):
    """Membership of every event of the population in an event set."""

    member: Arr
    #: every event surely in (``events``): a filter's membership is then its condition
    every: bool = False


class Pj(NamedTuple):
    """A fact over an event set: membership and range per event."""

    member: Arr
    lo: Arr
    hi: Arr


class Reductions(Protocol):
    """What the implementations read from the evaluator
    (:class:`~kzrehab.rules.compiler.VectorEvaluator`): the population's columns and the
    reductions of the events of each claim."""

    @property
    def columns(self) -> Columns: ...

    def per_claim_sum(self, weights: Arr) -> Arr:
        """The sum of a value of every event, per claim."""
        ...

    def tally(self, member: Arr) -> tuple[Arr, Arr]:
        """Per claim: events surely in, and events in or maybe in."""
        ...

    def exists(self, member: Arr) -> Arr:
        """Per claim, Kleene: some event surely in (true), none in or maybe in (false)."""
        ...

    def aggregate_minmax(self, p: Pj, upper: bool) -> Iv:
        """``max(E.FACT)`` (``upper``) or ``min(E.FACT)`` per claim."""
        ...


def _tri(true: Arr, false: Arr) -> Arr:
    """TRUE where ``true``, FALSE where ``false`` (and not true), UNKNOWN elsewhere.

    Arithmetic on the masks seen as bytes (UNKNOWN + true - (false and not true), the codes
    being consecutive): a hundred times faster than two nested ``np.where`` over millions of
    events."""
    t, f = np.broadcast_arrays(np.asarray(true, bool), np.asarray(false, bool))
    out: Arr = np.ascontiguousarray(t).view(np.int8) + np.int8(UNKNOWN)
    out -= np.ascontiguousarray(f & ~t).view(np.int8)
    return out


def _negate(a: Arr) -> Arr:
    """Kleene ``not``: ``TRUE - a`` (the codes are symmetric around UNKNOWN)."""
    return (TRUE - a).astype(np.int8, copy=False)


def _clean(lo: Arr, hi: Arr) -> Iv:
    return Iv(np.where(np.isnan(lo), -INF, lo), np.where(np.isnan(hi), INF, hi))


# --- logic and comparison ------------------------------------------------------------------


def v_and(_: Reductions, a: Arr, b: Arr) -> Arr:
    return np.minimum(a, b)


def v_or(_: Reductions, a: Arr, b: Arr) -> Arr:
    return np.maximum(a, b)


def v_not(_: Reductions, a: Arr) -> Arr:
    return _negate(a)


def _compare(op: str, a: Iv, b: Iv) -> Arr:
    if op == "<":
        return _tri(a.hi < b.lo, a.lo >= b.hi)
    if op == "<=":
        return _tri(a.hi <= b.lo, a.lo > b.hi)
    if op == ">":
        return _compare("<", b, a)
    if op == ">=":
        return _compare("<=", b, a)
    eq = _tri((a.lo == a.hi) & (a.hi == b.lo) & (b.lo == b.hi), (a.hi < b.lo) | (b.hi < a.lo))
    return eq if op == "==" else _negate(eq)


def _text_codes(ev: Reductions, x: Any, table: str) -> Arr:
    """Codes in ``table``: a fact's own codes (translated when it uses another table), or
    a literal's code."""
    if not isinstance(x, Tx):
        return np.asarray(ev.columns.code(x, table), np.int32)
    if x.table == table:
        return x.codes
    mine = ev.columns.table(x.table)
    translate = np.array([ev.columns.code(s, table) for s in mine] + [-1], np.int32)
    return translate[np.where(x.codes >= 0, x.codes, len(mine))]


def _lookup(ev: Reductions, x: Tx, values: Iterable[str], found: int = TRUE) -> Arr:
    """Membership of a text fact in a set of strings, as one gather from a table of the
    Kleene values of the codes (where ``np.isin`` sorts): ``found`` for a code in the set,
    the other of TRUE and FALSE for a code out of it, UNKNOWN for -1 (the table's last
    entry); a string no claim has (code -2) matches nothing."""
    lut = np.full(len(ev.columns.table(x.table)) + 1, TRUE - found, np.int8)
    lut[-1] = UNKNOWN
    wanted = [c for c in (ev.columns.code(v, x.table) for v in values) if c >= 0]
    lut[np.asarray(wanted, np.intp)] = found
    return lut.take(np.asarray(x.codes), mode="wrap")


def _equal(ev: Reductions, a: Any, b: Any, found: int = TRUE) -> Arr:
    """``a == b`` (``found`` TRUE) or ``a != b`` (FALSE)."""
    if isinstance(a, Tx) and isinstance(b, str):
        return _lookup(ev, a, (b,), found)
    if isinstance(b, Tx) and isinstance(a, str):
        return _lookup(ev, b, (a,), found)
    eq = _equal_both(ev, a, b)
    return eq if found == TRUE else _negate(eq)


def _equal_both(ev: Reductions, a: Any, b: Any) -> Arr:
    if isinstance(a, Iv):
        return _compare("==", a, b)
    if isinstance(a, np.ndarray):  # Kleene booleans
        known = (a != UNKNOWN) & (b != UNKNOWN)
        return _tri(known & (a == b), known & (a != b))
    table = a.table if isinstance(a, Tx) else b.table
    ca, cb = _text_codes(ev, a, table), _text_codes(ev, b, table)
    unknown = (ca == -1) | (cb == -1)
    return _tri(~unknown & (ca == cb), ~unknown & (ca != cb))


def _v_cmp(op: str) -> Callable[..., Arr]:
    def impl(ev: Reductions, a: Any, b: Any) -> Arr:
        if isinstance(a, Iv) and op not in {"==", "!="}:
            return _compare(op, a, b)
        return _equal(ev, a, b, TRUE if op == "==" else FALSE)

    return impl


v_eq = _v_cmp("==")
v_ne = _v_cmp("!=")
v_lt = _v_cmp("<")
v_le = _v_cmp("<=")
v_gt = _v_cmp(">")
v_ge = _v_cmp(">=")


def _contains(r: Iv, x: Iv) -> Arr:
    return _tri((r.lo <= x.lo) & (x.hi <= r.hi), (x.hi < r.lo) | (x.lo > r.hi))


def v_in(ev: Reductions, x: Any, s: Any) -> Arr:
    if isinstance(s, Iv):
        return _contains(s, x)
    if isinstance(x, Iv):
        results = [_compare("==", x, Iv(np.asarray(v), np.asarray(v))) for v in sorted(s)]
        return functools.reduce(np.maximum, results)
    return _lookup(ev, x, s)


def v_not_in(ev: Reductions, x: Any, s: Any) -> Arr:
    if isinstance(x, Tx) and not isinstance(s, Iv):
        return _lookup(ev, x, s, FALSE)
    return _negate(v_in(ev, x, s))


# --- arithmetic ----------------------------------------------------------------------------


def v_range(_: Reductions, a: Iv, b: Iv) -> Iv:
    return Iv(a.lo, b.hi)


def v_add(_: Reductions, a: Iv, b: Iv) -> Iv:
    return _clean(a.lo + b.lo, a.hi + b.hi)


def v_sub(_: Reductions, a: Iv, b: Iv) -> Iv:
    return _clean(a.lo - b.hi, a.hi - b.lo)


def _prod(x: Arr, y: Arr) -> Arr:
    return np.where((x == 0.0) | (y == 0.0), 0.0, x * y)


def _point(a: Iv) -> bool:
    """One known value (a constant): its two bounds are one."""
    return a.lo is a.hi or (a.lo.ndim == 0 and a.hi.ndim == 0 and bool(a.lo == a.hi))


def v_mul(_: Reductions, a: Iv, b: Iv) -> Iv:
    # the least and greatest of the four products of the bounds; two of them when one
    # side is a point (the same least and greatest: only NaN and zeros could tell, and
    # both propagate alike)
    if _point(a):
        x, y = _prod(a.lo, b.lo), _prod(a.lo, b.hi)
    elif _point(b):
        x, y = _prod(a.lo, b.lo), _prod(a.hi, b.lo)
    else:
        ps = (_prod(a.lo, b.lo), _prod(a.lo, b.hi), _prod(a.hi, b.lo), _prod(a.hi, b.hi))
        return Iv(functools.reduce(np.minimum, ps), functools.reduce(np.maximum, ps))
    return Iv(np.minimum(x, y), np.maximum(x, y))


def v_div(_: Reductions, a: Iv, b: Iv) -> Iv:
    qs = (a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi)
    unbounded = (b.lo <= 0.0) & (b.hi >= 0.0)
    for q in qs:
        unbounded = unbounded | np.isnan(q)
    lo = functools.reduce(np.minimum, qs)
    hi = functools.reduce(np.maximum, qs)
    return Iv(np.where(unbounded, -INF, lo), np.where(unbounded, INF, hi))


def v_neg(_: Reductions, a: Iv) -> Iv:
    return Iv(-a.hi, -a.lo)


def _v_minmax(upper: bool) -> Callable[..., Any]:
    def impl(ev: Reductions, *args: Any) -> Iv:
        if len(args) == 1:
            return ev.aggregate_minmax(args[0], upper)
        f = np.maximum if upper else np.minimum
        return Iv(
            functools.reduce(f, [a.lo for a in args]), functools.reduce(f, [a.hi for a in args])
        )

    return impl


v_min = _v_minmax(False)
v_max = _v_minmax(True)


def round_cents(x: Arr) -> Arr:
    """Half-to-even rounding to two decimals, exactly as :func:`kzrehab.rules.values.round2`."""
    y = x * 100.0
    return np.where(np.isfinite(y), np.rint(y) / 100.0, x)


def v_cents(_: Reductions, a: Iv) -> Iv:
    return Iv(round_cents(np.asarray(a.lo, np.float64)), round_cents(np.asarray(a.hi, np.float64)))


# --- certainty and text --------------------------------------------------------------------


def v_known(_: Reductions, x: Any) -> Arr:
    if isinstance(x, Iv):
        return _tri(x.lo == x.hi, x.lo != x.hi)
    if isinstance(x, Tx):
        return _tri(x.codes >= 0, x.codes < 0)
    return _tri(x != UNKNOWN, x == UNKNOWN)


def v_surely(_: Reductions, c: Arr) -> Arr:
    return _tri(c == TRUE, c != TRUE)


def v_possibly(_: Reductions, c: Arr) -> Arr:
    return _tri(c != FALSE, c == FALSE)


def v_startswith(ev: Reductions, s: Tx, prefix: str) -> Arr:
    table = np.array([t.startswith(prefix) for t in ev.columns.table(s.table)] + [False], bool)
    codes = s.codes
    hit = table[np.where(codes >= 0, codes, len(table) - 1)]
    return _tri((codes >= 0) & hit, (codes >= 0) & ~hit)


# --- event sets ----------------------------------------------------------------------------


def v_events(ev: Reductions) -> Ev:
    """Every event of every claim, surely in."""
    return Ev(np.full(ev.columns.n_events, TRUE, np.int8), every=True)


def v_filter(ev: Reductions, base: Ev, cond: Arr) -> Ev:
    """Membership ``base and cond`` per event (Kleene ``and`` is the minimum): the
    condition itself, the same array, when the base is every event."""
    shape = base.member.shape
    if base.every:
        return Ev(np.ascontiguousarray(np.broadcast_to(np.asarray(cond, np.int8), shape)))
    return Ev(np.minimum(base.member, np.broadcast_to(cond, shape)).astype(np.int8, copy=False))


def v_project(ev: Reductions, base: Ev, fact: Iv) -> Pj:
    """A fact of every event, with the event's membership."""
    return Pj(base.member, fact.lo, fact.hi)


def v_exists(ev: Reductions, e: Ev) -> Arr:
    return ev.exists(e.member)


def v_count(ev: Reductions, e: Ev) -> Iv:
    n_in, n_any = ev.tally(e.member)
    return Iv(n_in, n_any)


def v_sum(ev: Reductions, p: Pj) -> Iv:
    """An event in adds its range; one maybe in adds from its least below 0 to its
    greatest above 0; one out adds 0.

    When every lower (upper) bound is at least 0, an event maybe in adds 0 to the least
    (its upper bound to the greatest) and one pass is enough; the sign of a zero weight
    cannot change a sum, which starts at +0.0."""
    m = p.member
    lo, hi = np.broadcast_arrays(p.lo, p.hi, m)[:2]
    inside = m == TRUE
    if (lo >= 0.0).all():
        w_lo = np.where(inside, lo, 0.0)
    else:
        w_lo = np.where(inside, lo, np.where(m == UNKNOWN, np.minimum(0.0, lo), 0.0))
    if (hi >= 0.0).all():
        w_hi = np.where(m >= UNKNOWN, hi, 0.0)
    else:
        w_hi = np.where(inside, hi, np.where(m == UNKNOWN, np.maximum(0.0, hi), 0.0))
    return _clean(ev.per_claim_sum(w_lo), ev.per_claim_sum(w_hi))
