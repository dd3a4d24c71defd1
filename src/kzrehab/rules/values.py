"""Range values of the per-claim interpreter: Kleene booleans and closed intervals.

Every value is a range of possible values (``docs/rule-language.rst``, *Values are ranges*):

- a boolean is :class:`K` — ``FALSE`` (0), ``UNKNOWN`` (1) or ``TRUE`` (2). Ordered this
  way, Kleene ``and`` is ``min``, ``or`` is ``max`` and ``not`` is ``TRUE - x``, which is how
  the vectorised engine computes them too, on ``int8`` arrays of the same codes
  (:data:`FALSE`, :data:`UNKNOWN`, :data:`TRUE`);
- a number or a date is an :class:`Interval` of float64 bounds (dates as day ordinals), with
  ``-inf``/``+inf`` for an unbounded side;
- an enum, string or country is a ``str`` when known and ``None`` when unknown.

The functions here are the single definition of range arithmetic and comparison used by the
interpreter; :mod:`kzrehab.rules.vectorised` implements the same formulas on arrays and the
differential property test holds them equal.
"""

from __future__ import annotations

__all__ = [
    "K",
    "FALSE",
    "UNKNOWN",
    "TRUE",
    "Interval",
    "UNBOUNDED",
    "kand",
    "kor",
    "knot",
    "compare",
    "contains",
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "imin",
    "imax",
    "round2",
]

import enum
import math
from collections.abc import Iterable
from typing import Final

import attrs

from ..i18n import _

INF = math.inf


class K(enum.IntEnum):
    """A Kleene truth value, ordered FALSE < UNKNOWN < TRUE."""

    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

    @classmethod
    def of(cls, value: bool | None) -> K:
        """``True``/``False`` to TRUE/FALSE, ``None`` (unknown) to UNKNOWN."""
        return cls.UNKNOWN if value is None else cls.TRUE if value else cls.FALSE

    def __str__(self) -> str:
        return self.name.lower()


# The Kleene codes as plain ints: the values of the vectorised engine's ``int8`` arrays (and
# of stored coverages). Plain ints, not K members, because NumPy keeps ``TRUE - a`` an
# ``int8`` array only for a Python int; an IntEnum member would widen it to ``int64``.

#: Kleene false: the code of :attr:`K.FALSE` (0).
FALSE: Final[int] = int(K.FALSE)
#: Kleene unknown: the code of :attr:`K.UNKNOWN` (1).
UNKNOWN: Final[int] = int(K.UNKNOWN)
#: Kleene true: the code of :attr:`K.TRUE` (2).
TRUE: Final[int] = int(K.TRUE)


def kand(values: Iterable[K]) -> K:
    """Kleene conjunction (``TRUE`` for no values)."""
    return K(min(values, default=K.TRUE))


def kor(values: Iterable[K]) -> K:
    """Kleene disjunction (``FALSE`` for no values)."""
    return K(max(values, default=K.FALSE))


def knot(value: K) -> K:
    """Kleene negation."""
    return K(TRUE - value)


def _clean(lo: float, hi: float) -> tuple[float, float]:
    # NaN can only arise from inf - inf or 0 * inf style bounds; widen to be sound.
    return (-INF if lo != lo else lo), (INF if hi != hi else hi)


@attrs.frozen
class Interval:
    """The closed range ``[lo, hi]`` of possible values of a number or a date."""

    lo: float
    hi: float

    @classmethod
    def point(cls, value: float) -> Interval:
        """The range of one value."""
        return cls(float(value), float(value))

    @property
    def known(self) -> bool:
        """True when the range holds one value."""
        return self.lo == self.hi

    def __str__(self) -> str:
        def fmt(x: float) -> str:
            return "-inf" if x == -INF else "+inf" if x == INF else f"{x:g}"

        return fmt(self.lo) if self.known else f"[{fmt(self.lo)}, {fmt(self.hi)}]"


UNBOUNDED = Interval(-INF, INF)


def compare(op: str, a: Interval, b: Interval) -> K:
    """``a OP b``: TRUE when it holds for every pair of possible values, FALSE for none."""
    if op == "<":
        return K.TRUE if a.hi < b.lo else K.FALSE if a.lo >= b.hi else K.UNKNOWN
    if op == "<=":
        return K.TRUE if a.hi <= b.lo else K.FALSE if a.lo > b.hi else K.UNKNOWN
    if op == ">":
        return compare("<", b, a)
    if op == ">=":
        return compare("<=", b, a)
    if op == "==":
        if a.lo == a.hi == b.lo == b.hi:
            return K.TRUE
        return K.FALSE if a.hi < b.lo or b.hi < a.lo else K.UNKNOWN
    if op == "!=":
        return knot(compare("==", a, b))
    raise ValueError(_("unknown comparison {op!r}").format(op=op))


def contains(r: Interval, x: Interval) -> K:
    """``x in r``: TRUE when every possible x lies in r, FALSE when none does."""
    if r.lo <= x.lo and x.hi <= r.hi:
        return K.TRUE
    return K.FALSE if x.hi < r.lo or x.lo > r.hi else K.UNKNOWN


def add(a: Interval, b: Interval) -> Interval:
    return Interval(*_clean(a.lo + b.lo, a.hi + b.hi))


def sub(a: Interval, b: Interval) -> Interval:
    return Interval(*_clean(a.lo - b.hi, a.hi - b.lo))


def neg(a: Interval) -> Interval:
    return Interval(-a.hi, -a.lo)


def _prod(x: float, y: float) -> float:
    # 0 times an unbounded side is 0: the bound stands for "any real", never infinity itself.
    return 0.0 if x == 0.0 or y == 0.0 else x * y


def mul(a: Interval, b: Interval) -> Interval:
    ps = (_prod(a.lo, b.lo), _prod(a.lo, b.hi), _prod(a.hi, b.lo), _prod(a.hi, b.hi))
    return Interval(min(ps), max(ps))


def div(a: Interval, b: Interval) -> Interval:
    """True division; the whole line when the divisor may be 0 or a bound is undefined."""
    if b.lo <= 0.0 <= b.hi:
        return UNBOUNDED
    qs = (a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi)
    if any(q != q for q in qs):
        return UNBOUNDED
    return Interval(min(qs), max(qs))


def imin(args: Iterable[Interval]) -> Interval:
    """``min`` of two or more ranges, bound by bound."""
    items = list(args)
    return Interval(min(a.lo for a in items), min(a.hi for a in items))


def imax(args: Iterable[Interval]) -> Interval:
    """``max`` of two or more ranges, bound by bound."""
    items = list(args)
    return Interval(max(a.lo for a in items), max(a.hi for a in items))


def round2(x: float) -> float:
    """Round half to even to two decimals, as ``numpy.round(x, 2)`` does."""
    y = x * 100.0
    if math.isinf(y):
        return x
    return round(y) / 100.0
