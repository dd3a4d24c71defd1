"""The JSON data of the reports that are not a library object's own ``to_json``: the
explanation of one claim, and of why its status differs between two frameworks.

Coverage, diff and compare data come from :meth:`kzrehab.coverage.Coverage.to_json` and
:meth:`kzrehab.diff.Comparison.to_json`; ``log`` and ``status`` are assembled by their
commands.
"""

from __future__ import annotations

__all__ = ["explain_data", "explain_against_data", "explain_differences"]

from typing import TYPE_CHECKING, Any

from ..coverage import SCHEMA, amount_json, population_json
from ..rules.values import K

if TYPE_CHECKING:
    from ..laws.framework import ClaimResult, Framework, ProvisionResult
    from ..model import Claim
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
        "status": result.status,
        "categories": dict(result.categories),
        "grounds": grounds,
        "exclusions": [{"id": e, "holds": str(r.value),
                        "decided_by": [] if r.trace is None else _facts(list(r.trace.children)),
                        "trace": _trace_json(r.trace) if r.trace else None}
                       for e, r in result.exclusions.items()],
        "components": [{"id": c, "kind": fw.components[c][0].kind, "receives": how,
                        "amount_range": None if (a := result.amounts.get(c)) is None
                        else amount_json(a.lo, a.hi)}
                       for c, how in sorted(result.components.items())],
        "notices": list(fw.notices),
    }  # fmt: skip


def explain_differences(mine: ClaimResult, theirs: ClaimResult) -> list[dict[str, Any]]:
    """The grounds, exclusions, categories and components whose values differ, by id."""
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
    for kind, m, n in (("category", mine.categories, theirs.categories),
                       ("component", mine.components, theirs.components)):  # fmt: skip
        for key in sorted(set(m) | set(n)):
            if m.get(key) != n.get(key):
                out.append({"id": key, "kind": kind, "value": m.get(key),
                            "against": n.get(key)})  # fmt: skip
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
        "status": mine.status,
        "categories": dict(mine.categories),
        "against": {"laws": list(other.ids), "status": theirs.status,
                    "categories": dict(theirs.categories)},
        "differences": explain_differences(mine, theirs),
    }  # fmt: skip
