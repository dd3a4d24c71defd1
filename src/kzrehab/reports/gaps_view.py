"""The view of ``kzrehab gaps`` (and the ranking of ``compare --gaps``): built from the
typed data only."""

from __future__ import annotations

__all__ = ["gaps_view", "gap_groups"]

from .. import i18n
from ..i18n import _
from .blocks import Block, Heading, Para, RangeBar, RangeBars, Table
from .cells import amount_range, count, preamble, suppression, word
from .data import GapFact, GapRanking, GapsData


def gaps_view(title: str, data: GapsData) -> list[Block]:
    """``kzrehab gaps``: per target, the facts ranked by the claims they would settle."""
    out = [*preamble(title, data.as_of, data.population),
           Para(_("Laws: {laws}").format(laws=", ".join(data.laws))),
           *suppression(data.suppressed_below)]
    return out + gap_groups(data.ranking)


def _money(f: GapFact) -> str:
    return "; ".join(f"{amount_range(a.amount, blank=True)} {word(a.period)}"
                     for a in f.amounts) or "—"  # fmt: skip


def gap_groups(ranking: GapRanking) -> list[Block]:
    """Per target: how many claims are undetermined, and the facts ranked (a table and a
    chart of the claims each would settle)."""
    out: list[Block] = []
    yes, no = ranking.answers
    for g in ranking.groups:
        out += [Heading(_("{target}: {n} undetermined").format(target=word(g.target),
                                                               n=count(g.undetermined))),
                Para(_("No single fact settles {n} of them.").format(n=count(g.unsettled)))]
        if not g.facts:
            continue
        out.append(Table((_("fact"), _("scope"), _("settles"),
                          _("{answer} under some value").format(answer=word(yes)),
                          _("{answer} under some value").format(answer=word(no)),
                          _("every value settles"),
                          _("amount ({currency})").format(currency=i18n.currency())),
                         tuple((f.fact, word(f.scope), count(f.claims), count(f.yes),
                                count(f.no), count(f.always), _money(f))
                               for f in g.facts)))  # fmt: skip
        bars = [f for f in g.facts[:12] if f.claims is not None]
        if bars:
            out.append(RangeBars(_("Claims settled ({target})").format(target=word(g.target)),
                                 _("claims"), (_("settles"),),
                                 tuple(f.fact for f in bars),
                                 tuple((RangeBar(f.fact, f.always, f.claims),)
                                       for f in bars)))  # fmt: skip
    return out
