"""The data of ``kzrehab coverage``: claims by status, category, ground, exclusion and
component, amount totals by component and by period, and (``--claims``) every claim.

:class:`CoverageFigures` is also each side (base and head) of a comparison.
"""

from __future__ import annotations

__all__ = ["StatusCounts", "CategoryCounts", "GroundCounts", "ExclusionCounts",
           "ComponentTotal", "PeriodTotal", "CoverageFigures", "ClaimComponent", "ClaimRow",
           "CoverageData", "coverage_figures", "coverage_data", "coverage_json",
           "figures_json", "STATUS_ORDER"]  # fmt: skip

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from ...outcome import STATUSES
from ...rules.values import TRUE
from ..fields import complementary, count, figure, money, period_totals
from .common import (
    SCHEMA,
    LawInfo,
    PopulationInfo,
    Range,
    amount_range,
    cents_range,
    law_info,
    law_json,
    population_info,
    population_json,
    range_json,
)

if TYPE_CHECKING:
    from ...coverage import Coverage, Summaries

#: the statuses in the order reports list them
STATUS_ORDER = ("eligible", "undetermined", "ineligible")


@complementary(*STATUS_ORDER)
@attrs.frozen
class StatusCounts:
    """Claims by status: the three add up to the population (complementary suppression)."""

    eligible: int | None = count()
    ineligible: int | None = count()
    undetermined: int | None = count()

    def get(self, status: str) -> int | None:
        """The count of a status by its name."""
        value: int | None = getattr(self, status)
        return value


@attrs.frozen
class CategoryCounts:
    """One category: the claims surely in it, and those that may be."""

    category: str
    eligible: int | None = count()
    undetermined: int | None = count()


@attrs.frozen
class GroundCounts:
    """One ground: the claims it applies to, and those it may apply to."""

    ground: str
    applies: int | None = count()
    undetermined: int | None = count()


@attrs.frozen
class ExclusionCounts:
    """One exclusion: the claims it holds for, and those it may hold for."""

    exclusion: str
    holds: int | None = count()
    undetermined: int | None = count()


@attrs.frozen
class ComponentTotal:
    """One component: the claims that surely and possibly receive it, and the range of the
    total they may receive (``period`` None and no amount for a component without one);
    ``paying`` are the claims that may receive a non-zero amount of it.

    ``paying`` counts claims among ``claims`` + ``undetermined`` (all of them, unless an
    amount can be 0), so published beside a blank one of those it would give it back by
    subtraction: it is blanked with either. The amount is blanked with any of the three:
    with a fixed sum per claim its ends are that sum times the claims (``min``) and times
    the paying claims (``max``)."""

    component: str
    kind: str
    period: str | None
    claims: int | None = count()
    undetermined: int | None = count()
    paying: int | None = count(blank_with=("claims", "undetermined"))
    amount: Range | None = money(contributors="paying",
                                 blank_with=("claims", "undetermined", "paying"))


@attrs.frozen
class PeriodTotal:
    """The total of every amount paid in one period (``once``, ``month``)."""

    period: str
    amount: Range | None = money()


@period_totals(rows="by_component", totals="by_period", field="amount")
@attrs.frozen
class CoverageFigures:
    """What a framework gives a population: the coverage report's figures, and each side
    of a comparison."""

    as_of: dt.date
    laws: tuple[LawInfo, ...]
    status: StatusCounts
    by_category: tuple[CategoryCounts, ...]
    by_component: tuple[ComponentTotal, ...]
    by_period: tuple[PeriodTotal, ...]
    by_ground: tuple[GroundCounts, ...]
    by_exclusion: tuple[ExclusionCounts, ...]
    notices: tuple[str, ...]


@attrs.frozen
class ClaimComponent:
    """A component one claim receives: its amount when known exactly, and its range."""

    id: str
    kind: str
    amount: float | None = money()
    amount_range: Range | None = money()


@attrs.frozen
class ClaimRow:
    """One claim's result (``--claims``): its status and what it is eligible for."""

    id: str
    status: str
    categories: tuple[str, ...]
    grounds: tuple[str, ...]
    exclusions: tuple[str, ...]
    components: tuple[ClaimComponent, ...]


@attrs.frozen
class CoverageData:
    """The data of ``kzrehab coverage``."""

    population: PopulationInfo
    figures: CoverageFigures
    #: every claim's result, with ``--claims``
    claims: tuple[ClaimRow, ...] | None = None
    #: K, when small cells are suppressed
    suppressed_below: int | None = figure(default=None)

    @property
    def as_of(self) -> dt.date:
        return self.figures.as_of

    def __repr__(self) -> str:
        s = self.figures.status
        return (f"<CoverageData {self.population.claims:,} claims: {_n(s.eligible)} eligible, "
                f"{_n(s.undetermined)} undetermined, {_n(s.ineligible)} ineligible>")


def _n(x: int | None) -> str:
    return "(suppressed)" if x is None else f"{x:,}"


# -- built from a coverage ------------------------------------------------------------------------


def coverage_figures(cov: Summaries) -> CoverageFigures:
    """The figures of a coverage (or of a summary of one)."""
    s = cov.tally.status
    return CoverageFigures(
        cov.as_of,
        tuple(law_info(law) for law in cov.framework.laws),
        StatusCounts(eligible=s[2], ineligible=s[0], undetermined=s[1]),
        tuple(CategoryCounts(c, v[0], v[1]) for c, v in sorted(cov.tally.categories.items())),
        tuple(_component(cov, cid, sure, maybe)
              for cid, (sure, maybe) in sorted(cov.tally.components.items())),
        tuple(PeriodTotal(p, cents_range(lo, hi)) for p, (lo, hi) in cov.period_cents().items()),
        tuple(GroundCounts(g, v[0], v[1]) for g, v in sorted(cov.tally.grounds.items())),
        tuple(ExclusionCounts(e, v[0], v[1]) for e, v in sorted(cov.tally.exclusions.items())),
        tuple(cov.framework.notices),
    )  # fmt: skip


def _component(cov: Summaries, cid: str, sure: int, maybe: int) -> ComponentTotal:
    comp = cov.framework.components[cid][0]
    cents = cov.tally.amounts.get(cid)
    return ComponentTotal(
        cid, comp.kind, comp.pays if comp.amount is not None else None, sure, maybe,
        cov.tally.paying.get(cid, 0) if cents is not None else None,
        None if cents is None else cents_range(*cents),
    )  # fmt: skip


def claim_rows(cov: Coverage) -> tuple[ClaimRow, ...]:
    """Per claim, in population order: what it is eligible for and receives."""
    rows = []
    components = sorted(cov.components.items())
    categories = sorted(cov.categories.items())
    grounds = sorted(cov.grounds.items())
    exclusions = sorted(cov.exclusions.items())
    kinds = {cid: cov.framework.components[cid][0].kind for cid, _ in components}
    for i in range(len(cov)):
        comps = []
        for cid, a in components:
            if a[i] != TRUE:
                continue
            rng = None
            amount = None
            if cid in cov.amount_lo:
                lo, hi = float(cov.amount_lo[cid][i]), float(cov.amount_hi[cid][i])
                rng = amount_range(lo, hi)
                amount = rng.min if lo == hi else None
            comps.append(ClaimComponent(cid, kinds[cid], amount, rng))
        rows.append(ClaimRow(
            cov.population.claim_id(i), STATUSES[cov.status[i]],
            tuple(c for c, a in categories if a[i] == TRUE),
            tuple(g for g, a in grounds if a[i] == TRUE),
            tuple(e for e, a in exclusions if a[i] == TRUE),
            tuple(comps),
        ))  # fmt: skip
    return tuple(rows)


def coverage_data(cov: Summaries, claims: bool = False) -> CoverageData:
    """The data of ``kzrehab coverage``; with ``claims`` (a :class:`~kzrehab.coverage.Coverage`
    only: a summary keeps no claims), every claim's result."""
    from ...coverage import Coverage

    rows = claim_rows(cov) if claims and isinstance(cov, Coverage) else None
    return CoverageData(population_info(cov.population), coverage_figures(cov), rows)


# -- as JSON ----------------------------------------------------------------------------------


def figures_json(f: CoverageFigures) -> dict[str, Any]:
    """A coverage's figures as JSON, from ``as_of`` to ``notices`` (a side of a comparison)."""
    return {
        "as_of": f.as_of.isoformat(),
        "laws": [law_json(law) for law in f.laws],
        "status": {"eligible": f.status.eligible, "ineligible": f.status.ineligible,
                   "undetermined": f.status.undetermined},
        "by_category": [{"category": r.category, "eligible": r.eligible,
                         "undetermined": r.undetermined} for r in f.by_category],
        "by_component": [{"component": r.component, "kind": r.kind, "period": r.period,
                          "claims": r.claims, "undetermined": r.undetermined,
                          "paying": r.paying, "amount": range_json(r.amount)}
                         for r in f.by_component],
        "by_period": [{"period": r.period, "amount": range_json(r.amount)}
                      for r in f.by_period],
        "by_ground": [{"ground": r.ground, "applies": r.applies,
                       "undetermined": r.undetermined} for r in f.by_ground],
        "by_exclusion": [{"exclusion": r.exclusion, "holds": r.holds,
                          "undetermined": r.undetermined} for r in f.by_exclusion],
        "notices": list(f.notices),
    }  # fmt: skip


def _claim_json(c: ClaimRow) -> dict[str, Any]:
    return {"id": c.id, "status": c.status, "categories": list(c.categories),
            "grounds": list(c.grounds), "exclusions": list(c.exclusions),
            "components": [{"id": x.id, "kind": x.kind, "amount": x.amount,
                            "amount_range": range_json(x.amount_range)}
                           for x in c.components]}  # fmt: skip


def coverage_json(d: CoverageData) -> dict[str, Any]:
    """The JSON document of ``kzrehab coverage`` (docs/json.rst)."""
    doc: dict[str, Any] = {"schema": SCHEMA, "as_of": d.as_of.isoformat(),
                           "population": population_json(d.population)}
    doc.update(figures_json(d.figures))
    if d.claims is not None:
        doc["claims"] = [_claim_json(c) for c in d.claims]
    if d.suppressed_below is not None:
        doc["suppressed_below"] = d.suppressed_below
    return doc
