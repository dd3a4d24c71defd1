"""The data of ``kzrehab diff`` and ``kzrehab compare``: two coverages of one population
side by side, what changed at every level, the changed provisions with their redlines and
the attribution of the changes to them, and (``--claims``) every claim that changed.
"""

from __future__ import annotations

__all__ = ["Transition", "GainsLosses", "MoneyMoves", "Levels", "CategoryChange",
           "CategoryChanges", "ComponentChange", "ComponentChanges", "PeriodMoney",
           "ComponentMoney", "AmountChanges", "CategoryClaims", "Changes", "CategorySide",
           "CategoryBoth", "ComponentSide", "ComponentBoth", "ChangedProvision", "Attribution",
           "LawsChanged", "ComparisonData", "comparison_data", "levels_of", "comparison_json",
           "changes_json", "levels_json"]  # fmt: skip

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ...coverage import sum_cents
from ..fields import count, figure, money, period_totals
from .claims import ClaimChange, claim_change, claim_change_json
from .common import (
    SCHEMA,
    PopulationInfo,
    Range,
    cents_range,
    population_info,
    population_json,
    range_json,
)
from .coverage import CoverageFigures, coverage_figures, figures_json
from .gaps import GapRanking, gap_ranking, gap_ranking_json
from .laws import LawChange, law_change, law_change_json

if TYPE_CHECKING:
    from ...attribution import Comparison
    from ...comparison import CoverageDiff, Moves
    from ...gaps import Gaps

#: the money moves of a change: the claims whose money may change (its contributors)
MOVES = ("higher", "lower", "uncertain")


@attrs.frozen
class Transition:
    """Claims that went from one status (base) to another (head)."""

    from_: str
    to: str
    claims: int | None = count()


@attrs.frozen
class GainsLosses:
    """Claims that gain and that lose at one level (status, categories, components)."""

    gained: int | None = count()
    lost: int | None = count()


@attrs.frozen
class MoneyMoves:
    """Claims that surely receive more, surely less, or may receive either."""

    higher: int | None = count()
    lower: int | None = count()
    uncertain: int | None = count()


@attrs.frozen
class Levels:
    """Claims that gain and lose at each level: status, categories, components, money."""

    status: GainsLosses
    categories: GainsLosses
    components: GainsLosses
    amounts: MoneyMoves


def levels_of(m: Mapping[str, Mapping[str, int]]) -> Levels:
    """Levels from :meth:`kzrehab.comparison.CoverageDiff.level_counts`."""
    return Levels(GainsLosses(m["status"]["gained"], m["status"]["lost"]),
                  GainsLosses(m["categories"]["gained"], m["categories"]["lost"]),
                  GainsLosses(m["components"]["gained"], m["components"]["lost"]),
                  MoneyMoves(*(m["amounts"][k] for k in MOVES)))  # fmt: skip


@attrs.frozen
class CategoryChange:
    """One category: the claims that gain it, and those that lose it."""

    category: str
    gained: int | None = count()
    lost: int | None = count()


@attrs.frozen
class CategoryChanges:
    """The categories level: claims that gain or lose some category, and per category."""

    gained: int | None = count()
    lost: int | None = count()
    by_category: tuple[CategoryChange, ...] = ()


@attrs.frozen
class ComponentChange:
    """One component: the claims that gain it and lose it, and the head's components that
    replace it (``instead_of``)."""

    component: str
    kind: str
    gained: int | None = count()
    lost: int | None = count()
    replaced_by: tuple[str, ...] = ()


@attrs.frozen
class ComponentChanges:
    """The components level: claims that gain or lose some component, and per component."""

    gained: int | None = count()
    lost: int | None = count()
    by_component: tuple[ComponentChange, ...] = ()


@attrs.frozen
class PeriodMoney:
    """How the money of one period changed: which way, and the change of its total."""

    period: str
    higher: int | None = count()
    lower: int | None = count()
    uncertain: int | None = count()
    change: Range | None = money(contributors=MOVES)


@attrs.frozen
class ComponentMoney:
    """How what one component pays in one period changed."""

    component: str
    period: str
    higher: int | None = count()
    lower: int | None = count()
    uncertain: int | None = count()
    change: Range | None = money(contributors=MOVES)


@period_totals(rows="by_component", totals="by_period", field="change")
@attrs.frozen
class AmountChanges:
    """The money level: claims whose money moves, by period and by component."""

    higher: int | None = count()
    lower: int | None = count()
    uncertain: int | None = count()
    by_period: tuple[PeriodMoney, ...] = ()
    by_component: tuple[ComponentMoney, ...] = ()


@attrs.frozen
class CategoryClaims:
    """The claims of one category (``(none)``: in no category for sure)."""

    category: str
    claims: int | None = count()


@attrs.frozen
class Changes:
    """What changed at every level, with breakdowns; and who gains and loses by category."""

    status: GainsLosses
    categories: CategoryChanges
    components: ComponentChanges
    amounts: AmountChanges
    #: the claims that gain, by the categories they are surely in under the head
    gained_by_category: tuple[CategoryClaims, ...]
    #: the claims that lose, by the categories they are surely in under the base
    lost_by_category: tuple[CategoryClaims, ...]

    def levels(self) -> Levels:
        """The counts of every level, without breakdowns."""
        c, k, a = self.categories, self.components, self.amounts
        return Levels(self.status, GainsLosses(c.gained, c.lost), GainsLosses(k.gained, k.lost),
                      MoneyMoves(a.higher, a.lower, a.uncertain))  # fmt: skip


@attrs.frozen
class CategorySide:
    """One category on one side: claims surely in it, and those that may be."""

    eligible: int | None = count()
    undetermined: int | None = count()


@attrs.frozen
class CategoryBoth:
    """One category (either side's), on both sides."""

    category: str
    base: CategorySide
    head: CategorySide


@attrs.frozen
class ComponentSide:
    """One component on one side: as in a coverage's :class:`ComponentTotal`."""

    claims: int | None = count()
    undetermined: int | None = count()
    paying: int | None = count(blank_with=("claims", "undetermined"), default=None)
    amount: Range | None = money(contributors="paying",
                                 blank_with=("claims", "undetermined", "paying"), default=None)


@attrs.frozen
class ComponentBoth:
    """One component (either side's), on both sides."""

    component: str
    kind: str
    period: str | None
    base: ComponentSide
    head: ComponentSide


@attrs.frozen
class ChangedProvision:
    """A changed provision, parameter or definition, and how it changed."""

    id: str
    change: str


@attrs.frozen
class Attribution:
    """The claims one changed provision moves alone (``interaction``: what only several
    changes together do); not ``evaluated`` when it cannot be taken back alone."""

    provision: str
    gained: int | None = count()
    lost: int | None = count()
    #: of the claims that gain (lose) from base to head, those that do because of it
    gained_overall: int | None = count()
    lost_overall: int | None = count()
    evaluated: bool = True
    levels: Levels | None = None
    amended_by: tuple[str, ...] = ()


@attrs.frozen
class LawsChanged:
    """What changed in the laws, and which changed provision moves which claims."""

    provisions: tuple[ChangedProvision, ...]
    attribution: tuple[Attribution, ...]
    laws: tuple[LawChange, ...]
    notices: tuple[str, ...]


@attrs.frozen
class ComparisonData:
    """The data of ``kzrehab diff`` and ``kzrehab compare`` (of a bare coverage diff: without
    ``laws_changed``)."""

    population: PopulationInfo
    as_of: dt.date
    base: CoverageFigures
    head: CoverageFigures
    #: the transitions between statuses that some claim makes
    transitions: tuple[Transition, ...]
    changes: Changes
    by_category: tuple[CategoryBoth, ...]
    by_component: tuple[ComponentBoth, ...]
    #: the claims that gain, and that lose, at any level
    gained: int | None = count()
    lost: int | None = count()
    laws_changed: LawsChanged | None = None
    #: ``--gaps``: the unknown facts that would decide the claims the head may help
    gaps: GapRanking | None = None
    #: ``--claims``: every claim that changed
    claims: tuple[ClaimChange, ...] | None = None
    suppressed_below: int | None = figure(default=None)

    def __repr__(self) -> str:
        def n(x: int | None) -> str:
            return "(suppressed)" if x is None else f"{x:,}"

        return (f"<ComparisonData {self.population.claims:,} claims: {n(self.gained)} gain, "
                f"{n(self.lost)} lose>")


# -- built from a comparison ----------------------------------------------------------------------


def _moves(m: Moves) -> tuple[int, int, int, Range]:
    return (int(m.higher.sum()), int(m.lower.sum()), int(m.uncertain.sum()),
            cents_range(sum_cents(m.lo), sum_cents(m.hi)))  # fmt: skip


def changes_of(d: CoverageDiff) -> Changes:
    """What changed at every level of a coverage diff."""
    levels = levels_of(d.level_counts())
    replacing = d.replaced_by()
    return Changes(
        levels.status,
        CategoryChanges(levels.categories.gained, levels.categories.lost, tuple(
            CategoryChange(c, int(g.sum()), int(x.sum())) for c, (g, x) in d.categories.items())),
        ComponentChanges(levels.components.gained, levels.components.lost, tuple(
            ComponentChange(c, d.component_kind(c), int(g.sum()), int(x.sum()),
                            tuple(replacing.get(c, ())))
            for c, (g, x) in d.components.items())),
        AmountChanges(levels.amounts.higher, levels.amounts.lower, levels.amounts.uncertain,
                      tuple(PeriodMoney(p, *_moves(m)) for p, m in d.money.items()),
                      tuple(ComponentMoney(c, p, *_moves(m)) for (c, p), m in d.amounts.items())),
        tuple(CategoryClaims(c, n) for c, n in d.claims_by_category(d.gains, head=True)),
        tuple(CategoryClaims(c, n) for c, n in d.claims_by_category(d.loses, head=False)),
    )  # fmt: skip


def _sides(base: CoverageFigures, head: CoverageFigures
           ) -> tuple[tuple[CategoryBoth, ...], tuple[ComponentBoth, ...]]:  # fmt: skip
    """Per category and per component (either side's), sorted: both sides."""
    cats = [{r.category: CategorySide(r.eligible, r.undetermined) for r in f.by_category}
            for f in (base, head)]
    by_category = tuple(CategoryBoth(c, cats[0].get(c, CategorySide(0, 0)),
                                     cats[1].get(c, CategorySide(0, 0)))
                        for c in sorted(set(cats[0]) | set(cats[1])))  # fmt: skip
    comps = [{r.component: r for r in f.by_component} for f in (base, head)]
    rows = []
    for c in sorted(set(comps[0]) | set(comps[1])):
        some = comps[1].get(c) or comps[0][c]
        b, h = (ComponentSide(r.claims, r.undetermined, r.paying, r.amount) if r is not None
                else ComponentSide(0, 0) for r in (comps[0].get(c), comps[1].get(c)))
        rows.append(ComponentBoth(c, some.kind, some.period, b, h))
    return by_category, tuple(rows)


def _laws_changed(c: Comparison) -> LawsChanged:
    return LawsChanged(
        tuple(ChangedProvision(i, change) for i, change in c.provisions()),
        tuple(Attribution(r.provision, r.gained, r.lost, r.gained_overall, r.lost_overall,
                          r.gained is not None,
                          None if r.levels is None else levels_of(r.levels), r.amended_by)
              for r in c.attribution),
        tuple(law_change(ld) for ld in c.laws if ld.status != "unchanged"),
        tuple(dict.fromkeys([*c.base.framework.notices, *c.head.framework.notices])),
    )  # fmt: skip


def comparison_data(result: Comparison | CoverageDiff, claims: bool = False,
                    gaps: Gaps | None = None) -> ComparisonData:  # fmt: skip
    """The data of ``kzrehab diff`` and ``kzrehab compare`` (docs/json.rst): of a
    :class:`~kzrehab.attribution.Comparison`, or of a bare coverage diff; with ``claims``,
    every claim that changed; with ``gaps``, the ranking of what would decide the claims
    the head may help."""
    from ...attribution import Comparison

    d = result.coverage if isinstance(result, Comparison) else result
    base, head = coverage_figures(d.base), coverage_figures(d.head)
    by_category, by_component = _sides(base, head)
    return ComparisonData(
        population_info(d.head.population), d.head.as_of, base, head,
        tuple(Transition(t.from_, t.to, t.claims) for t in d.transitions() if t.claims > 0),
        changes_of(d), by_category, by_component, d.gained, d.lost,
        _laws_changed(result) if isinstance(result, Comparison) else None,
        None if gaps is None else gap_ranking(gaps),
        tuple(claim_change(c) for c in d.claim_changes()) if claims else None,
    )  # fmt: skip



# -- as JSON ----------------------------------------------------------------------------------


def _gl(x: GainsLosses | CategoryChanges | ComponentChanges) -> dict[str, int | None]:
    return {"gained": x.gained, "lost": x.lost}


def _moves_json(m: MoneyMoves | AmountChanges | PeriodMoney | ComponentMoney
                ) -> dict[str, int | None]:  # fmt: skip
    return {"higher": m.higher, "lower": m.lower, "uncertain": m.uncertain}


def levels_json(levels: Levels) -> dict[str, dict[str, int | None]]:
    """Claims that gain and lose at each level, as JSON."""
    return {"status": _gl(levels.status), "categories": _gl(levels.categories),
            "components": _gl(levels.components), "amounts": _moves_json(levels.amounts)}


def changes_json(c: Changes) -> dict[str, Any]:
    """The ``changes`` object: each level's gains and losses, with breakdowns."""
    return {
        "status": _gl(c.status),
        "categories": {**_gl(c.categories), "by_category": [
            {"category": r.category, "gained": r.gained, "lost": r.lost}
            for r in c.categories.by_category]},
        "components": {**_gl(c.components), "by_component": [
            {"component": r.component, "kind": r.kind, "gained": r.gained, "lost": r.lost,
             "replaced_by": list(r.replaced_by)} for r in c.components.by_component]},
        "amounts": {**_moves_json(c.amounts),
                    "by_period": [{"period": r.period, **_moves_json(r),
                                   "change": range_json(r.change)}
                                  for r in c.amounts.by_period],
                    "by_component": [{"component": r.component, "period": r.period,
                                      **_moves_json(r), "change": range_json(r.change)}
                                     for r in c.amounts.by_component]},
        "gained_by_category": [{"category": r.category, "claims": r.claims}
                               for r in c.gained_by_category],
        "lost_by_category": [{"category": r.category, "claims": r.claims}
                             for r in c.lost_by_category],
    }  # fmt: skip


def _side_json(s: ComponentSide) -> dict[str, Any]:
    return {"claims": s.claims, "undetermined": s.undetermined, "paying": s.paying,
            "amount": range_json(s.amount)}


def comparison_json(d: ComparisonData, summary: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON document of ``kzrehab diff`` and ``kzrehab compare`` (docs/json.rst); with
    ``summary``, its opening in sentences (:func:`kzrehab.reports.words.summary` of the
    data as they are, suppressed or not)."""
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "as_of": d.as_of.isoformat(),
        "population": population_json(d.population),
        "base": figures_json(d.base),
        "head": figures_json(d.head),
        "transitions": [{"from": t.from_, "to": t.to, "claims": t.claims}
                        for t in d.transitions],
        "gained": d.gained,
        "lost": d.lost,
        "changes": changes_json(d.changes),
        "by_category": [{"category": r.category,
                         "base": {"eligible": r.base.eligible,
                                  "undetermined": r.base.undetermined},
                         "head": {"eligible": r.head.eligible,
                                  "undetermined": r.head.undetermined}}
                        for r in d.by_category],
        "by_component": [{"component": r.component, "kind": r.kind, "period": r.period,
                          "base": _side_json(r.base), "head": _side_json(r.head)}
                         for r in d.by_component],
    }  # fmt: skip
    changed = d.laws_changed
    if changed is not None:
        doc["provisions"] = [{"id": p.id, "change": p.change} for p in changed.provisions]
        doc["attribution"] = [{
            "provision": r.provision, "gained": r.gained, "lost": r.lost,
            "gained_overall": r.gained_overall, "lost_overall": r.lost_overall,
            "evaluated": r.evaluated,
            "levels": None if r.levels is None else levels_json(r.levels),
            "amended_by": list(r.amended_by),
        } for r in changed.attribution]  # fmt: skip
        doc["laws"] = [law_change_json(law) for law in changed.laws]
        doc["notices"] = list(changed.notices)
    if d.gaps is not None:
        doc["gaps"] = gap_ranking_json(d.gaps)
    if d.claims is not None:
        doc["claims"] = [claim_change_json(c) for c in d.claims]
    if d.suppressed_below is not None:
        doc["suppressed_below"] = d.suppressed_below
    if summary is not None:
        doc["summary"] = list(summary)
    return doc
