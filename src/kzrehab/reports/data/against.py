"""The data of ``kzrehab explain CLAIM_ID LAW… --against LAW…``: why one claim's outcome
differs between two frameworks — the grounds, exclusions, categories and components whose
values differ, and for a component, why."""

from __future__ import annotations

__all__ = ["Cause", "ProvisionDifference", "CategoryDifference", "ComponentDifference",
           "Difference", "AgainstSide", "ExplainAgainstData", "explain_against_data",
           "explain_differences", "explain_against_json"]  # fmt: skip

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ...i18n import _
from ...outcome import RECEIVES
from ...rules.values import K
from ..fields import figure, money
from .common import (
    SCHEMA,
    PopulationInfo,
    Range,
    amount_range,
    population_info,
    population_json,
    range_json,
)
from .explain import FactValue, categories_of, components_of, decided_by, facts_json
from .labels import labelled, value_label

if TYPE_CHECKING:
    from ...claims import Claim
    from ...laws.framework import Framework
    from ...outcome import ClaimResult
    from ...population import Population


@attrs.frozen
class Cause:
    """Why a component's outcome differs: a component replacing it (``instead_of``), one
    of its grounds (``ground``), or the rule of its amount (``amount``); ``side`` says
    under which laws (``laws``, ``against`` or ``both``)."""

    provision: str
    why: str
    side: str
    text: str
    decided_by: tuple[FactValue, ...] = ()


@attrs.frozen
class ProvisionDifference:
    """A ground or exclusion (``kind``) whose value differs (None: absent on that side)."""

    id: str
    kind: str
    value: str | None
    against: str | None
    decided_by: tuple[FactValue, ...]
    against_decided_by: tuple[FactValue, ...]


@attrs.frozen
class CategoryDifference:
    """A category the claim is (or may be) in on one side and not the same on the other."""

    id: str
    value: str | None
    against: str | None
    kind: str = "category"


@attrs.frozen
class ComponentDifference:
    """A component the claim receives differently, or whose amount differs, and why."""

    id: str
    value: str | None
    against: str | None
    amount: Range | None = money()
    against_amount: Range | None = money()
    period: str | None = None
    causes: tuple[Cause, ...] = ()
    kind: str = "component"


Difference = ProvisionDifference | CategoryDifference | ComponentDifference


@attrs.frozen
class AgainstSide:
    """The other framework's laws, and the claim's status and categories under them."""

    laws: tuple[str, ...]
    status: str
    categories: Mapping[str, str]


@attrs.frozen
class ExplainAgainstData:
    """The data of ``kzrehab explain CLAIM_ID LAW… --against LAW…``."""

    population: PopulationInfo
    as_of: dt.date
    claim: str
    laws: tuple[str, ...]
    status: str
    categories: Mapping[str, str]
    against: AgainstSide
    differences: tuple[Difference, ...]
    suppressed_below: int | None = figure(default=None)

    def __repr__(self) -> str:
        return (f"<ExplainAgainstData {self.claim}: {self.status} against "
                f"{self.against.status}, {len(self.differences)} difference(s)>")


def explain_differences(fw: Framework, other: Framework, mine: ClaimResult,
                        theirs: ClaimResult) -> tuple[Difference, ...]:  # fmt: skip
    """The grounds, exclusions, categories and components whose values differ, by id; a
    component also when what it pays differs, with both amount ranges and its causes."""
    out: list[Difference] = []
    for kind, a, b in (("ground", mine.grounds, theirs.grounds),
                       ("exclusion", mine.exclusions, theirs.exclusions)):  # fmt: skip
        for pid in sorted(set(a) | set(b)):
            x, y = a.get(pid), b.get(pid)
            vx, vy = (str(x.value) if x else None), (str(y.value) if y else None)
            if vx != vy:
                out.append(ProvisionDifference(pid, kind, vx, vy, decided_by(x), decided_by(y)))
    cats, their_cats = categories_of(mine), categories_of(theirs)
    for key in sorted(set(cats) | set(their_cats)):
        if cats.get(key) != their_cats.get(key):
            out.append(CategoryDifference(key, cats.get(key), their_cats.get(key)))
    comps, their_comps = components_of(mine), components_of(theirs)
    for key in sorted(set(mine.components) | set(theirs.components)):
        amount, against = mine.amounts.get(key), theirs.amounts.get(key)
        if comps.get(key) == their_comps.get(key) and amount == against:
            continue
        out.append(ComponentDifference(
            key, comps.get(key), their_comps.get(key),
            None if amount is None else amount_range(amount.lo, amount.hi),
            None if against is None else amount_range(against.lo, against.hi),
            _period(key, fw, other), _causes(key, fw, other, mine, theirs)))  # fmt: skip
    return tuple(out)


def _period(component: str, *frameworks: Framework) -> str | None:
    for f in frameworks:
        if component in f.components:
            comp = f.components[component][0]
            return comp.pays if comp.amount is not None else None
    return None


def _causes(component: str, fw: Framework, other: Framework, mine: ClaimResult,
            theirs: ClaimResult) -> tuple[Cause, ...]:  # fmt: skip
    """Why a component's outcome differs: the components that replace it (``instead_of``)
    on either side, its grounds whose values differ, and a changed amount rule."""
    out: list[Cause] = []
    for side, f, r in (("laws", fw, mine), ("against", other, theirs)):
        for rid, (comp, law, _grounds) in f.components.items():
            if component in {law.full_id(x) for x in comp.instead_of} and \
                    r.components.get(rid, K.FALSE) is not K.FALSE:
                receives = _word(RECEIVES[r.components[rid]])
                out.append(Cause(rid, "instead_of", side, (
                    _("{component} replaces it ({receives}) under the laws") if side == "laws"
                    else _("{component} replaces it ({receives}) under the against laws")
                ).format(component=rid, receives=receives)))  # fmt: skip
    grounds = set()
    for f in (fw, other):
        if component in f.components:
            grounds.update(f.components[component][2])
    for gid in sorted(grounds):
        x, y = mine.grounds.get(gid), theirs.grounds.get(gid)
        kx = x.value if x else K.FALSE  # an absent ground applies to no one
        ky = y.value if y else K.FALSE
        if kx != ky:
            side = "both" if x and y else "laws" if x else "against"
            out.append(Cause(gid, "ground", side,
                             _("its ground {ground} applies: {value} (against: {against})")
                             .format(ground=gid, value=_word(f"{kx}") if x else _("absent"),
                                     against=_word(f"{ky}") if y else _("absent")),
                             decided_by(x) if x else decided_by(y)))  # fmt: skip
    rules = [f.components[component][0].amount for f in (fw, other) if component in f.components]
    sources = {r.source if r is not None else None for r in rules}
    if len(rules) == 2 and len(sources) == 2:
        out.append(Cause(component, "amount", "both", _("the rule of its amount differs")))
    return tuple(out)


def _word(value: str) -> str:
    """An enum value in a sentence: itself in English, its label in Kazakh and Russian."""
    return (value_label(value) or value) if labelled() else value


def explain_against_data(fw: Framework, other: Framework, claim: Claim, mine: ClaimResult,
                         theirs: ClaimResult, population: Population
                         ) -> ExplainAgainstData:  # fmt: skip
    """Why a claim's status under ``fw`` differs from its status under ``other``."""
    return ExplainAgainstData(
        population_info(population), mine.as_of, claim.id, tuple(fw.ids), mine.status_name,
        categories_of(mine),
        AgainstSide(tuple(other.ids), theirs.status_name, categories_of(theirs)),
        explain_differences(fw, other, mine, theirs))  # fmt: skip


def _difference_json(d: Difference) -> dict[str, Any]:
    if isinstance(d, ProvisionDifference):
        return {"id": d.id, "kind": d.kind, "value": d.value, "against": d.against,
                "decided_by": facts_json(d.decided_by),
                "against_decided_by": facts_json(d.against_decided_by)}  # fmt: skip
    if isinstance(d, CategoryDifference):
        return {"id": d.id, "kind": d.kind, "value": d.value, "against": d.against}
    return {"id": d.id, "kind": d.kind, "value": d.value, "against": d.against,
            "amount": range_json(d.amount), "against_amount": range_json(d.against_amount),
            "period": d.period,
            "causes": [{"provision": c.provision, "why": c.why, "side": c.side,
                        "text": c.text, "decided_by": facts_json(c.decided_by)}
                       for c in d.causes]}  # fmt: skip


def explain_against_json(d: ExplainAgainstData) -> dict[str, Any]:
    """The JSON document of ``kzrehab explain … --against`` (docs/json.rst)."""
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "as_of": d.as_of.isoformat(),
        "population": population_json(d.population),
        "claim": d.claim,
        "laws": list(d.laws),
        "status": d.status,
        "categories": dict(d.categories),
        "against": {"laws": list(d.against.laws), "status": d.against.status,
                    "categories": dict(d.against.categories)},
        "differences": [_difference_json(x) for x in d.differences],
    }  # fmt: skip
    if d.suppressed_below is not None:
        doc["suppressed_below"] = d.suppressed_below
    return doc
