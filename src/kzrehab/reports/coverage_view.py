"""The view of ``kzrehab coverage``: its blocks, built from its typed data only."""

from __future__ import annotations

__all__ = ["coverage_view"]

from ..i18n import _
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
    word,
)
from .data import ComponentTotal, CoverageData


def coverage_view(title: str, data: CoverageData) -> list[Block]:
    """``kzrehab coverage``."""
    f = data.figures
    suppressed = data.suppressed_below is not None
    status, total = f.status, data.population.claims
    laws = "; ".join(f"{law.id} ({word(law.kind)}, {word(law.status)}"
                     f"{', ' + law.version if law.version else ''})"
                     for law in f.laws)  # fmt: skip
    out = [*preamble(title, data.as_of, data.population),
           Para(_("Laws: {laws}").format(laws=laws)),
           *suppression(data.suppressed_below),
           Heading(_("Status")),
           RangeBars(_("Claims covered and left out (surely … possibly)"), _("claims"),
                     (_("claims"),), (_("covered"), _("left out")),
                     tuple((b,) for b in status_bars(status))),
           Table((_("status"), _("claims"), _("share")),
                 tuple((word(s), count(status.get(s)), share(status.get(s), total))
                       for s in STATUSES)),
           Para(coverage_line(status)),
           Heading(_("By category"))]  # fmt: skip
    cats = f.by_category
    if cats:
        out.append(RangeBars(_("Claims by category (eligible … eligible + undetermined)"),
                             _("claims"), (_("claims"),), tuple(r.category for r in cats),
                             tuple((RangeBar(r.category, r.eligible,
                                             plus(r.eligible, r.undetermined)),)
                                   for r in cats)))  # fmt: skip
    out += [Table((_("category"), word("eligible"), word("undetermined")),
                  tuple((r.category, count(r.eligible), count(r.undetermined)) for r in cats)),
            Heading(_("By ground")),
            Table((_("ground"), _("applies"), word("undetermined")),
                  tuple((r.ground, count(r.applies), count(r.undetermined))
                        for r in f.by_ground)),
            Heading(_("By exclusion")),
            Table((_("exclusion"), _("holds"), word("undetermined")),
                  tuple((r.exclusion, count(r.holds), count(r.undetermined))
                        for r in f.by_exclusion)),
            Heading(_("By component")),
            Table((_("component"), _("kind"), _("claims"), word("undetermined"), _("paid"),
                   _("total amount")),
                  tuple((r.component, word(r.kind), count(r.claims), count(r.undetermined),
                         amount_label(r.period), _total(r, suppressed))
                        for r in f.by_component)),
            Para(_("A total is the range of what the recipients may receive: at least what "
                   "those who surely receive the component surely get, at most what every "
                   "possible recipient could get."))]  # fmt: skip
    if f.by_period:
        out += [Heading(_("By period")),
                Table((_("paid"), _("total amount")),
                      tuple((amount_label(r.period), amount_range(r.amount, blank=True))
                            for r in f.by_period)),
                Para(_("One-time and monthly amounts are never added together."))]  # fmt: skip
    out += notices(f.notices)
    if data.claims is not None:
        out += [Heading(_("Claims")),
                Table((_("claim"), _("status"), _("categories"), _("components")),
                      tuple((r.id, word(r.status), ", ".join(r.categories) or "—",
                             ", ".join(c.id for c in r.components) or "—")
                            for r in data.claims))]  # fmt: skip
    return out


def _total(row: ComponentTotal, suppressed: bool) -> str:
    """A component's total: blank when suppressed, ``—`` when it pays no amount."""
    return amount_range(row.amount, blank=row.period is not None and suppressed)
