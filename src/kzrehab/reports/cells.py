"""What every view shares: cells (counts, signed changes, money, ranges) and the parts
that open and close a report (title, date, population, suppression, notices)."""

from __future__ import annotations

__all__ = ["count", "signed", "money", "amount_range", "plus", "minus", "share", "claims",
           "amount_label", "preamble", "suppression", "status_bars", "coverage_line",
           "notices", "STATUSES"]  # fmt: skip

import datetime as dt
import math
from collections.abc import Sequence

from ..outcome import SHOWN_STATUSES
from .blocks import BLANK, Block, Bullets, Heading, Item, Para, RangeBar
from .data import PopulationInfo, Range, StatusCounts
from .words import PERIOD_UNITS

#: the statuses in the order reports show them
STATUSES = SHOWN_STATUSES


def count(n: int | None) -> str:
    """A count with thousands separators; blank when suppressed."""
    return BLANK if n is None else f"{n:,}"


def signed(n: int | None) -> str:
    """A signed change; blank when suppressed."""
    return BLANK if n is None else f"{n:+,}"


def money(x: float | None) -> str:
    """An amount in tenge with thousands separators; ``∞`` for an unbounded side."""
    if x is None or math.isinf(x):
        return "∞"
    return f"{x:,.2f}"


def amount_range(r: Range | None, blank: bool = False) -> str:
    """An amount range ``lo … hi`` (one value when known); blank when suppressed."""
    if r is None:
        return BLANK if blank else "—"
    return money(r.min) if r.min == r.max else f"{money(r.min)} … {money(r.max)}"


def minus(a: int | None, b: int | None) -> int | None:
    """``a - b``, blank when either is."""
    return None if a is None or b is None else a - b


def plus(a: int | None, b: int | None) -> int | None:
    """``a + b``, blank when either is."""
    return None if a is None or b is None else a + b


def share(n: int | None, total: int) -> str:
    """``n`` as a percentage of ``total``; blank when suppressed."""
    return BLANK if n is None else f"{100 * n / max(total, 1):.1f}%"


def claims(n: int | None) -> str:
    """``1,234 claims``, or ``suppressed``."""
    return "suppressed" if n is None else f"{n:,} claims"


def amount_label(period: str | None) -> str:
    """How a period's amounts are labelled (``KZT, once``), ``—`` for no amount."""
    return "—" if period is None else PERIOD_UNITS[period]


def _population(p: PopulationInfo) -> Para:
    kind = "SYNTHETIC population" if p.synthetic else "population"
    return Para(f"{kind} '{p.name}': {p.claims:,} claims, {p.victims:,} victims, "
                f"{p.events:,} events (digest {p.digest[:12]})")  # fmt: skip


def preamble(title: str, as_of: dt.date | str, population: PopulationInfo | None
             ) -> list[Block]:  # fmt: skip
    """The title, the assessment date and the population."""
    date = as_of if isinstance(as_of, str) else as_of.isoformat()
    out: list[Block] = [Heading(title, 1), Para(f"Assessment date: {date}")]
    if population is not None:
        out.append(_population(population))
    return out


def suppression(k: int | None) -> list[Block]:
    """What a suppressed report says of its blank cells (nothing when not suppressed)."""
    if k is None:
        return []
    return [Para(f"For publication, cells counting fewer than {k:,} claims — and changes "
                 "computed from them — are left blank (--suppress-below "
                 f"{k}); a second status count is blanked where one blank could be "
                 "recovered from the total.")]  # fmt: skip


def coverage_line(status: StatusCounts) -> str:
    """``Coverage: eligible … eligible + undetermined``."""
    lo, hi = status.eligible, plus(status.eligible, status.undetermined)
    if lo is None or hi is None:
        return "Coverage: not shown (suppressed cells)."
    return f"Coverage: {lo:,} … {hi:,} claims (eligible … eligible + undetermined)"


def status_bars(status: StatusCounts) -> tuple[RangeBar, RangeBar]:
    """Claims covered and left out, surely … possibly."""
    e, u, i = status.eligible, status.undetermined, status.ineligible
    return (RangeBar("covered", e, plus(e, u)), RangeBar("left out", i, plus(i, u)))


def notices(texts: Sequence[str]) -> list[Block]:
    """The notices of the laws read, under their heading (nothing without one)."""
    if not texts:
        return []
    return [Heading("Notices"), Bullets(tuple(Item(m) for m in texts))]
