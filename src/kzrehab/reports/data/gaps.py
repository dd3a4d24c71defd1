"""The data of ``kzrehab gaps`` (and of ``compare --gaps``): per target — the status, a
category or a component — the unknown facts ranked by the undetermined claims some value
of theirs would settle (:func:`kzrehab.gaps.gaps`)."""

from __future__ import annotations

__all__ = ["GapAmount", "GapFact", "GapGroup", "GapRanking", "GapsData", "gap_ranking",
           "gaps_data", "gap_ranking_json", "gaps_json"]  # fmt: skip

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from ..fields import count, figure, money
from .common import (
    SCHEMA,
    PopulationInfo,
    Range,
    amount_range,
    population_info,
    population_json,
    range_json,
)

if TYPE_CHECKING:
    from ... import gaps


@attrs.frozen
class GapAmount:
    """The money, in one period, whose receipt a fact would settle: the sum of the amount
    ranges of the components it decides, over the claims it settles (``claims``)."""

    period: str
    claims: int | None = count()
    amount: Range | None = money(contributors="claims")


@attrs.frozen
class GapFact:
    """One fact's rank: the undetermined claims some value of it would settle (``claims``),
    those some value makes eligible or receive the component (``yes``) or ineligible or
    not receive it (``no``), and those every value settles (``always``)."""

    fact: str
    scope: str
    claims: int | None = count()
    yes: int | None = count()
    no: int | None = count()
    always: int | None = count()
    amounts: tuple[GapAmount, ...] = ()


@attrs.frozen
class GapGroup:
    """The ranking of facts for one target."""

    target: str
    #: claims whose target is unknown
    undetermined: int | None = count()
    #: of those, claims no single fact settles
    unsettled: int | None = count()
    facts: tuple[GapFact, ...] = ()


@attrs.frozen
class GapRanking:
    """The ranking for every target of one grouping (``by``: status, category, component)."""

    by: str
    groups: tuple[GapGroup, ...]

    @property
    def answers(self) -> tuple[str, str]:
        """What ``yes`` and ``no`` mean: ``eligible``/``ineligible``, or for components
        ``received``/``withheld``."""
        return ("received", "withheld") if self.by == "component" else ("eligible", "ineligible")


@attrs.frozen
class GapsData:
    """The data of ``kzrehab gaps``."""

    population: PopulationInfo
    as_of: dt.date
    laws: tuple[str, ...]
    ranking: GapRanking
    suppressed_below: int | None = figure(default=None)

    def __repr__(self) -> str:
        return (f"<GapsData by {self.ranking.by}: "
                f"{', '.join(g.target for g in self.ranking.groups) or 'no target'}>")


def gap_ranking(g: gaps.Gaps) -> GapRanking:
    """The ranking of a :class:`kzrehab.gaps.Gaps`."""
    return GapRanking(g.by, tuple(
        GapGroup(group.target, group.undetermined, group.unsettled, tuple(
            GapFact(f.fact, f.scope, f.claims, f.yes, f.no, f.always,
                    tuple(GapAmount(p, f.claims, amount_range(a.lo, a.hi))
                          for p, a in sorted(f.amounts.items())))
            for f in group.facts))
        for group in g.groups))  # fmt: skip


def gaps_data(g: gaps.Gaps) -> GapsData:
    """The data of ``kzrehab gaps`` (docs/json.rst)."""
    return GapsData(population_info(g.population), g.as_of, g.laws, gap_ranking(g))


def gap_ranking_json(r: GapRanking) -> dict[str, Any]:
    """``by`` and ``groups``: the ranking as JSON (``compare --gaps``'s ``gaps``)."""
    yes, no = r.answers
    return {"by": r.by, "groups": [{
        "target": g.target, "undetermined": g.undetermined, "unsettled": g.unsettled,
        "facts": [{"fact": f.fact, "scope": f.scope, "claims": f.claims,
                   yes: f.yes, no: f.no, "always": f.always,
                   "amounts": [{"period": a.period, "claims": a.claims,
                                "amount": range_json(a.amount)} for a in f.amounts]}
                  for f in g.facts],
    } for g in r.groups]}  # fmt: skip


def gaps_json(d: GapsData) -> dict[str, Any]:
    """The JSON document of ``kzrehab gaps`` (docs/json.rst)."""
    doc: dict[str, Any] = {"schema": SCHEMA, "as_of": d.as_of.isoformat(),
                           "population": population_json(d.population), "laws": list(d.laws),
                           **gap_ranking_json(d.ranking)}  # fmt: skip
    if d.suppressed_below is not None:
        doc["suppressed_below"] = d.suppressed_below
    return doc
