"""The view of ``kzrehab gaps`` (and the ranking of ``compare --gaps``): built from the
typed data only."""

from __future__ import annotations

__all__ = ["gaps_view", "gap_groups"]

from .blocks import Block, Heading, Para, RangeBar, RangeBars, Table
from .cells import amount_range, count, preamble, suppression
from .data import GapFact, GapRanking, GapsData


def gaps_view(title: str, data: GapsData) -> list[Block]:
    """``kzrehab gaps``: per target, the facts ranked by the claims they would settle."""
    out = [*preamble(title, data.as_of, data.population),
           Para("Laws: " + ", ".join(data.laws)), *suppression(data.suppressed_below)]
    return out + gap_groups(data.ranking)


def _money(f: GapFact) -> str:
    return "; ".join(f"{amount_range(a.amount, blank=True)} {a.period}"
                     for a in f.amounts) or "—"  # fmt: skip


def gap_groups(ranking: GapRanking) -> list[Block]:
    """Per target: how many claims are undetermined, and the facts ranked (a table and a
    chart of the claims each would settle)."""
    out: list[Block] = []
    yes, no = ranking.answers
    for g in ranking.groups:
        out += [Heading(f"{g.target}: {count(g.undetermined)} undetermined"),
                Para(f"No single fact settles {count(g.unsettled)} of them.")]
        if not g.facts:
            continue
        out.append(Table(("fact", "scope", "settles", f"{yes} under some value",
                          f"{no} under some value", "every value settles", "amount (KZT)"),
                         tuple((f.fact, f.scope, count(f.claims), count(f.yes), count(f.no),
                                count(f.always), _money(f)) for f in g.facts)))  # fmt: skip
        bars = [f for f in g.facts[:12] if f.claims is not None]
        if bars:
            out.append(RangeBars(f"Claims settled ({g.target})", "claims", ("settles",),
                                 tuple(f.fact for f in bars),
                                 tuple((RangeBar(f.fact, f.always, f.claims),)
                                       for f in bars)))  # fmt: skip
    return out
