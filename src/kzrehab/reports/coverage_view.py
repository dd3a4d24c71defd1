"""The view of ``kzrehab coverage``: its blocks, built from its typed data only."""

from __future__ import annotations

__all__ = ["coverage_view"]

from .blocks import Block, Heading, Para, RangeBar, RangeBars, Table
from .cells import (
    STATUSES,
    amount_label,
    amount_range,
    count,
    coverage_line,
    notices,
    plus,
    preamble,
    share,
    status_bars,
    suppression,
)
from .data import ComponentTotal, CoverageData


def coverage_view(title: str, data: CoverageData) -> list[Block]:
    """``kzrehab coverage``."""
    f = data.figures
    suppressed = data.suppressed_below is not None
    status, total = f.status, data.population.claims
    laws = "; ".join(f"{law.id} ({law.kind}, {law.status}"
                     f"{', ' + law.version if law.version else ''})"
                     for law in f.laws)  # fmt: skip
    out = [*preamble(title, data.as_of, data.population), Para(f"Laws: {laws}"),
           *suppression(data.suppressed_below),
           Heading("Status"),
           RangeBars("Claims covered and left out (surely … possibly)", "claims", ("claims",),
                     ("covered", "left out"), tuple((b,) for b in status_bars(status))),
           Table(("status", "claims", "share"),
                 tuple((s, count(status.get(s)), share(status.get(s), total))
                       for s in STATUSES)),
           Para(coverage_line(status)),
           Heading("By category")]  # fmt: skip
    cats = f.by_category
    if cats:
        out.append(RangeBars("Claims by category (eligible … eligible + undetermined)",
                             "claims", ("claims",), tuple(r.category for r in cats),
                             tuple((RangeBar(r.category, r.eligible,
                                             plus(r.eligible, r.undetermined)),)
                                   for r in cats)))  # fmt: skip
    out += [Table(("category", "eligible", "undetermined"),
                  tuple((r.category, count(r.eligible), count(r.undetermined)) for r in cats)),
            Heading("By ground"),
            Table(("ground", "applies", "undetermined"),
                  tuple((r.ground, count(r.applies), count(r.undetermined))
                        for r in f.by_ground)),
            Heading("By exclusion"),
            Table(("exclusion", "holds", "undetermined"),
                  tuple((r.exclusion, count(r.holds), count(r.undetermined))
                        for r in f.by_exclusion)),
            Heading("By component"),
            Table(("component", "kind", "claims", "undetermined", "paid", "total amount"),
                  tuple((r.component, r.kind, count(r.claims), count(r.undetermined),
                         amount_label(r.period), _total(r, suppressed))
                        for r in f.by_component)),
            Para("A total is the range of what the recipients may receive: at least what "
                 "those who surely receive the component surely get, at most what every "
                 "possible recipient could get.")]  # fmt: skip
    if f.by_period:
        out += [Heading("By period"),
                Table(("paid", "total amount"),
                      tuple((amount_label(r.period), amount_range(r.amount, blank=True))
                            for r in f.by_period)),
                Para("One-time and monthly amounts are never added together.")]  # fmt: skip
    out += notices(f.notices)
    if data.claims is not None:
        out += [Heading("Claims"),
                Table(("claim", "status", "categories", "components"),
                      tuple((r.id, r.status, ", ".join(r.categories) or "—",
                             ", ".join(c.id for c in r.components) or "—")
                            for r in data.claims))]  # fmt: skip
    return out


def _total(row: ComponentTotal, suppressed: bool) -> str:
    """A component's total: blank when suppressed, ``—`` when it pays no amount."""
    return amount_range(row.amount, blank=row.period is not None and suppressed)
