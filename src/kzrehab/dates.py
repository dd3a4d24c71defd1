"""Dates known to the day, the month or the year, and the day ranges they stand for.

A :class:`PartialDate` such as ``1931-05`` stands for every day of May 1931: the closed
range of day ordinals ``[1931-05-01, 1931-05-31]`` (:func:`datetime.date.toordinal`).
Unknown dates are the range ``[-inf, +inf]``. Everything that turns dates into numbers
lives here, so the interpreter and the vectorised compiler agree by construction.
"""

from __future__ import annotations

__all__ = ["PartialDate", "parse_date", "date_error",
           "whole_months", "months_range", "year_of_ordinal"]

import calendar
import datetime as dt
import math
import re

import attrs

from .i18n import N_, _

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


@attrs.frozen(order=False)
class PartialDate:
    """A date known to the year (``month`` and ``day`` None), the month, or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(_("year {year} is out of range 1..9999").format(year=self.year))
        if self.month is None:
            if self.day is not None:
                raise ValueError(_("a day needs a month"))
            return
        if not 1 <= self.month <= 12:
            raise ValueError(_("month {month} is out of range 1..12").format(month=self.month))
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(
                    _("{year:04d}-{month:02d} has no day {day} (it has {last})").format(
                        year=self.year, month=self.month, day=self.day, last=last)
                )

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    @property
    def first(self) -> dt.date:
        """The earliest day this date may be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The latest day this date may be."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    @property
    def ordinals(self) -> tuple[int, int]:
        """The closed range of day ordinals this date stands for."""
        return self.first.toordinal(), self.last.toordinal()

    @classmethod
    def from_date(cls, day: dt.date) -> PartialDate:
        """The date known to the day."""
        return cls(day.year, day.month, day.day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


#: Python's messages for a date it cannot make, translated where they are shown
_PYTHON_DATE_ERRORS = frozenset({N_("day is out of range for month"),
                                 N_("month must be in 1..12")})  # fmt: skip
_YEAR_OUT_OF_RANGE = re.compile(r"year (-?\d+) is out of range")


def date_error(exc: ValueError) -> str:
    """What is wrong with a date, from the ``ValueError`` of :mod:`datetime` (whose message
    is English) or of kzrehab (already in the language of output)."""
    text = str(exc)
    if text in _PYTHON_DATE_ERRORS:
        return _(text)
    if m := _YEAR_OUT_OF_RANGE.fullmatch(text):
        return _("year {year} is out of range").format(year=m.group(1))
    return text


def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError saying what is wrong."""
    m = _ISO.match(text)
    if not m:
        raise ValueError(_("'{text}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)").format(
                             text=text))
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    try:
        return PartialDate(year, month, day)
    except ValueError as exc:
        raise ValueError(_("'{text}' is not a date: {exc}").format(text=text, exc=exc)) from None


def whole_months(a: int, b: int) -> int:
    """Complete calendar months from day ordinal ``a`` to day ordinal ``b``
    (``docs/rule-language.rst``, "Months and years")."""
    da, db = dt.date.fromordinal(a), dt.date.fromordinal(b)
    n = (db.year - da.year) * 12 + (db.month - da.month) - (1 if db.day < da.day else 0)
    return max(n, 0)


def months_range(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    """The range of ``months`` for an event whose start and end are the given day ranges.

    ``[whole_months(start.hi, end.lo), whole_months(start.lo, end.hi)]``; an unbounded side
    gives 0 below and +inf above.
    """
    s_lo, s_hi = start
    e_lo, e_hi = end
    lo = 0.0 if math.isinf(s_hi) or math.isinf(e_lo) else float(whole_months(int(s_hi), int(e_lo)))
    hi = (
        math.inf
        if math.isinf(s_lo) or math.isinf(e_hi)
        else float(whole_months(int(s_lo), int(e_hi)))
    )
    return lo, hi


def year_of_ordinal(day: float) -> float:
    """The calendar year of a day ordinal; infinities stay infinite."""
    if math.isinf(day):
        return day
    return float(dt.date.fromordinal(int(day)).year)
