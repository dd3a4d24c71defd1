"""The JSON data of the reports that are not a library object's own ``to_json``: the
explanation of one claim, and of why its status differs between two frameworks.

Coverage, diff and compare data come from :meth:`kzrehab.coverage.Coverage.to_json` and
:meth:`kzrehab.comparison.Comparison.to_json`; ``log`` and ``status`` are assembled by their
commands.
"""

from __future__ import annotations

__all__ = ["explain_data", "explain_against_data", "explain_differences", "deciders_json"]

from typing import TYPE_CHECKING, Any

from ..coverage import SCHEMA, amount_json, population_json
from ..outcome import RECEIVES, STATUSES
from ..rules.values import K

if TYPE_CHECKING:
    from ..claims import Claim
    from ..gaps import ClaimGaps, Decider
    from ..laws.framework import Framework
    from ..outcome import ClaimResult, ProvisionResult
    from ..population import Population
    from ..rules.interpreter import Trace

#: how many decisive facts and events an explanation lists per provision
MAX_FACTS, MAX_EVENTS = 12, 10


def _trace_json(trace: Trace) -> dict[str, Any]:
    return {
        "expression": trace.text,
        "value": trace.value,
        "decisive": trace.decisive,
        **({"fact": trace.fact} if trace.fact else {}),
        **({"events": [{"event": m.describe(), "membership": m.membership}
                       for m in trace.events]} if trace.events else {}),
        "children": [_trace_json(c) for c in trace.children],
    }  # fmt: skip


def _facts(traces: list[Trace]) -> list[dict[str, str]]:
    seen: list[tuple[str, str]] = []
    for t in traces:
        seen += [f for f in t.decisive_facts() if f not in seen]
    return [{"fact": f, "value": v} for f, v in seen[:MAX_FACTS]]


def categories_json(result: ClaimResult) -> dict[str, str]:
    """The categories a claim is in (``eligible``) or may be in (``undetermined``)."""
    return {c: STATUSES[k] for c, k in result.categories.items() if k is not K.FALSE}


def components_json(result: ClaimResult) -> dict[str, str]:
    """The components a claim receives (``received``) or may receive (``possible``)."""
    return {c: RECEIVES[k] for c, k in sorted(result.components.items()) if k is not K.FALSE}


def _decided(r: ProvisionResult | None) -> list[dict[str, str]]:
    return [] if r is None or r.trace is None else _facts([r.trace])


def explain_data(
    fw: Framework, claim: Claim, result: ClaimResult, population: Population
) -> dict[str, Any]:
    """Why one claim is (not) eligible: per provision its value, the facts and events that
    decided it, and the full trace."""
    where = {law.full_id(g.id): (law, g) for law in fw.laws for g in law.grounds}
    grounds = []
    for gid, r in result.grounds.items():  # in framework order: law by law, article by article
        law, g = where[gid]
        grounds.append({
            "id": gid, "law": law.id, "article": g.article or None, "category": g.category,
            "applies": str(r.value), "when": str(r.when),
            "decided_by": _decided(r),
            "events": [] if r.trace is None else [
                {"event": m.describe(), "membership": m.membership}
                for m in r.trace.decisive_events()[:MAX_EVENTS]],
            "barred_by": [e for e in fw.covering[gid]
                          if result.exclusions[e].value is not K.FALSE],
            "trace": _trace_json(r.trace) if r.trace else None,
        })  # fmt: skip
    return {
        "schema": SCHEMA,
        "as_of": result.as_of.isoformat(),
        "population": population_json(population),
        "claim": claim.id,
        "laws": [{"id": law.id, "title": law.title} for law in fw.laws],
        "status": result.status_name,
        "categories": categories_json(result),
        "grounds": grounds,
        "exclusions": [{"id": e, "holds": str(r.value),
                        "decided_by": [] if r.trace is None else _facts(list(r.trace.children)),
                        "trace": _trace_json(r.trace) if r.trace else None}
                       for e, r in result.exclusions.items()],
        "components": [{"id": c, "kind": fw.components[c][0].kind, "receives": how,
                        "amount_range": None if (a := result.amounts.get(c)) is None
                        else amount_json(a.lo, a.hi),
                        "period": fw.components[c][0].pays
                        if fw.components[c][0].amount is not None else None}
                       for c, how in components_json(result).items()],
        "notices": list(fw.notices),
    }  # fmt: skip


def explain_differences(
    fw: Framework, other: Framework, mine: ClaimResult, theirs: ClaimResult
) -> list[dict[str, Any]]:
    """The grounds, exclusions, categories and components whose values differ, by id; a
    component also when what it pays differs, with both amount ranges and its causes."""
    out: list[dict[str, Any]] = []
    for kind, a, b in (("ground", mine.grounds, theirs.grounds),
                       ("exclusion", mine.exclusions, theirs.exclusions)):  # fmt: skip
        for pid in sorted(set(a) | set(b)):
            x, y = a.get(pid), b.get(pid)
            vx, vy = (str(x.value) if x else None), (str(y.value) if y else None)
            if vx != vy:
                out.append({"id": pid, "kind": kind, "value": vx, "against": vy,
                            "decided_by": _decided(x),
                            "against_decided_by": _decided(y)})  # fmt: skip
    cats, their_cats = categories_json(mine), categories_json(theirs)
    for key in sorted(set(cats) | set(their_cats)):
        if cats.get(key) != their_cats.get(key):
            out.append({"id": key, "kind": "category", "value": cats.get(key),
                        "against": their_cats.get(key)})  # fmt: skip
    comps, their_comps = components_json(mine), components_json(theirs)
    for key in sorted(set(mine.components) | set(theirs.components)):
        amount, against = mine.amounts.get(key), theirs.amounts.get(key)
        if comps.get(key) == their_comps.get(key) and amount == against:
            continue
        out.append({"id": key, "kind": "component", "value": comps.get(key),
                    "against": their_comps.get(key),
                    "amount": None if amount is None else amount_json(amount.lo, amount.hi),
                    "against_amount": None if against is None
                    else amount_json(against.lo, against.hi),
                    "period": _period(key, fw, other),
                    "causes": _causes(key, fw, other, mine, theirs)})  # fmt: skip
    return out


def _period(component: str, *frameworks: Framework) -> str | None:
    for f in frameworks:
        if component in f.components:
            comp = f.components[component][0]
            return comp.pays if comp.amount is not None else None
    return None


def _causes(component: str, fw: Framework, other: Framework, mine: ClaimResult,
            theirs: ClaimResult) -> list[dict[str, Any]]:  # fmt: skip
    """Why a component's outcome differs: the components that replace it (``instead_of``)
    on either side, its grounds whose values differ, and a changed amount rule."""
    out: list[dict[str, Any]] = []
    for side, f, r in (("laws", fw, mine), ("against", other, theirs)):
        for rid, (comp, law, _) in f.components.items():
            if component in {law.full_id(x) for x in comp.instead_of} and \
                    r.components.get(rid, K.FALSE) is not K.FALSE:
                out.append({"provision": rid, "why": "instead_of", "side": side,
                            "text": f"{rid} replaces it ({RECEIVES[r.components[rid]]}) "
                                    f"under the {'laws' if side == 'laws' else 'against laws'}",
                            "decided_by": []})  # fmt: skip
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
            out.append({"provision": gid, "why": "ground", "side": side,
                        "text": f"its ground {gid} applies: {kx if x else 'absent'} "
                                f"(against: {ky if y else 'absent'})",
                        "decided_by": _decided(x) if x else _decided(y)})  # fmt: skip
    rules = [f.components[component][0].amount for f in (fw, other) if component in f.components]
    sources = {r.source if r is not None else None for r in rules}
    if len(rules) == 2 and len(sources) == 2:
        out.append({"provision": component, "why": "amount", "side": "both",
                    "text": "the rule of its amount differs", "decided_by": []})
    return out


def explain_against_data(
    fw: Framework,
    other: Framework,
    claim: Claim,
    mine: ClaimResult,
    theirs: ClaimResult,
    population: Population,
) -> dict[str, Any]:
    """Why a claim's status under ``fw`` differs from its status under ``other``."""
    return {
        "schema": SCHEMA,
        "as_of": mine.as_of.isoformat(),
        "population": population_json(population),
        "claim": claim.id,
        "laws": list(fw.ids),
        "status": mine.status_name,
        "categories": categories_json(mine),
        "against": {"laws": list(other.ids), "status": theirs.status_name,
                    "categories": categories_json(theirs)},
        "differences": explain_differences(fw, other, mine, theirs),
    }  # fmt: skip


def _decider_json(d: Decider) -> dict[str, Any]:
    def combos(cs: tuple[tuple[Any, ...], ...]) -> list[list[str]]:
        return [[str(v) for v in c] for c in cs]

    return {"facts": [str(s) for s in d.facts], "yes": combos(d.yes), "no": combos(d.no),
            "open": combos(d.open), "complete": d.complete, "text": d.describe()}


def deciders_json(g: ClaimGaps) -> dict[str, Any]:
    """What would decide a claim (``explain``'s ``deciders``): for its status and each
    component it possibly receives, the facts and the values that decide it."""
    return {"status": [_decider_json(d) for d in g.deciders],
            "components": {c: [_decider_json(d) for d in ds]
                           for c, ds in sorted(g.components.items())}}  # fmt: skip
