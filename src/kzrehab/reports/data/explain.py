"""The data of ``kzrehab explain``: why one claim is (not) eligible, provision by provision
(:class:`ExplainData`), or why its outcome differs between two frameworks
(:class:`ExplainAgainstData`). The one claim it names is shown; nothing is counted."""

from __future__ import annotations

__all__ = ["FactValue", "EventMembership", "TraceNode", "GroundResult", "ExclusionResult",
           "ComponentResult", "DeciderRow", "Deciders", "ExplainData", "explain_data",
           "explain_json", "deciders_data"]  # fmt: skip

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ...i18n import current
from ...laws.provisions import text_in
from ...outcome import RECEIVES, STATUSES
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

if TYPE_CHECKING:
    from ...claims import Claim
    from ...gaps import ClaimGaps, Decider
    from ...laws.framework import Framework
    from ...outcome import ClaimResult, ProvisionResult
    from ...population import Population
    from ...rules.interpreter import EventMark, Trace

#: how many decisive facts and events an explanation lists per provision
MAX_FACTS, MAX_EVENTS = 12, 10


@attrs.frozen
class FactValue:
    """A fact that decided a value, and its value (as written)."""

    fact: str
    value: str


@attrs.frozen
class EventMembership:
    """How one event fared in an event filter: ``in``, ``maybe`` or ``out``."""

    event: str
    membership: str


@attrs.frozen
class TraceNode:
    """The explanation of one evaluated expression: a tree mirroring the expression's."""

    expression: str
    value: str
    decisive: bool
    fact: str | None
    events: tuple[EventMembership, ...]
    children: tuple[TraceNode, ...]


@attrs.frozen
class GroundResult:
    """A ground's value for the claim, the facts and events that decided it, the
    exclusions that bar it, and its trace."""

    id: str
    law: str
    article: str | None
    category: str
    applies: str
    when: str
    decided_by: tuple[FactValue, ...]
    events: tuple[EventMembership, ...]
    barred_by: tuple[str, ...]
    trace: TraceNode | None


@attrs.frozen
class ExclusionResult:
    """An exclusion's value for the claim, and what decided it."""

    id: str
    holds: str
    decided_by: tuple[FactValue, ...]
    trace: TraceNode | None


@attrs.frozen
class ComponentResult:
    """A component the claim receives (or may): its amount range and period."""

    id: str
    kind: str
    receives: str
    amount_range: Range | None = money()
    period: str | None = None


@attrs.frozen
class DeciderRow:
    """Facts whose values would decide the status or a component (:class:`kzrehab.gaps.Decider`)."""

    facts: tuple[str, ...]
    yes: tuple[tuple[str, ...], ...]
    no: tuple[tuple[str, ...], ...]
    open: tuple[tuple[str, ...], ...]
    complete: bool
    text: str


@attrs.frozen
class Deciders:
    """What would decide the claim: its status, and each component it possibly receives."""

    status: tuple[DeciderRow, ...]
    components: Mapping[str, tuple[DeciderRow, ...]]


@attrs.frozen
class ExplainData:
    """The data of ``kzrehab explain CLAIM_ID``."""

    population: PopulationInfo
    as_of: dt.date
    claim: str
    #: the laws as (id, title)
    laws: tuple[tuple[str, str], ...]
    status: str
    #: the categories the claim is in (``eligible``) or may be in (``undetermined``)
    categories: Mapping[str, str]
    grounds: tuple[GroundResult, ...]
    exclusions: tuple[ExclusionResult, ...]
    components: tuple[ComponentResult, ...]
    notices: tuple[str, ...]
    #: what would decide it, when it is undetermined or possibly receives a component
    deciders: Deciders | None = None
    suppressed_below: int | None = figure(default=None)

    def __repr__(self) -> str:
        return f"<ExplainData {self.claim}: {self.status}>"


# -- built from a claim's result ------------------------------------------------------------------


def trace_node(trace: Trace) -> TraceNode:
    """A trace as report data."""
    return TraceNode(trace.text, trace.value, trace.decisive, trace.fact,
                     _events(trace.events), tuple(trace_node(c) for c in trace.children))


def _events(marks: tuple[EventMark, ...] | list[EventMark]) -> tuple[EventMembership, ...]:
    return tuple(EventMembership(m.describe(), m.membership) for m in marks)


def _facts(traces: list[Trace]) -> tuple[FactValue, ...]:
    seen: list[tuple[str, str]] = []
    for t in traces:
        seen += [f for f in t.decisive_facts() if f not in seen]
    return tuple(FactValue(f, v) for f, v in seen[:MAX_FACTS])


def decided_by(r: ProvisionResult | None) -> tuple[FactValue, ...]:
    """The facts that decided a provision's value (none without a trace)."""
    return () if r is None or r.trace is None else _facts([r.trace])


def categories_of(result: ClaimResult) -> dict[str, str]:
    """The categories a claim is in (``eligible``) or may be in (``undetermined``)."""
    return {c: STATUSES[k] for c, k in result.categories.items() if k is not K.FALSE}


def components_of(result: ClaimResult) -> dict[str, str]:
    """The components a claim receives (``received``) or may receive (``possible``)."""
    return {c: RECEIVES[k] for c, k in sorted(result.components.items()) if k is not K.FALSE}


def explain_data(fw: Framework, claim: Claim, result: ClaimResult, population: Population,
                 deciders: ClaimGaps | None = None) -> ExplainData:  # fmt: skip
    """Why one claim is (not) eligible: per provision its value, the facts and events that
    decided it, and the full trace; with ``deciders``, what would decide it."""
    where = {law.full_id(g.id): (law, g) for law in fw.laws for g in law.grounds}
    grounds = []
    for gid, r in result.grounds.items():  # in framework order: law by law, article by article
        law, g = where[gid]
        grounds.append(GroundResult(
            gid, law.id, g.article or None, g.category, str(r.value), str(r.when),
            decided_by(r),
            () if r.trace is None else _events(r.trace.decisive_events()[:MAX_EVENTS]),
            tuple(e for e in fw.covering[gid] if result.exclusions[e].value is not K.FALSE),
            trace_node(r.trace) if r.trace else None,
        ))  # fmt: skip
    return ExplainData(
        population_info(population), result.as_of, claim.id,
        tuple((law.id, text_in(law, "title", current())) for law in fw.laws),
        result.status_name, categories_of(result),
        tuple(grounds),
        tuple(ExclusionResult(e, str(r.value),
                              () if r.trace is None else _facts(list(r.trace.children)),
                              trace_node(r.trace) if r.trace else None)
              for e, r in result.exclusions.items()),
        tuple(ComponentResult(c, fw.components[c][0].kind, how,
                              None if (a := result.amounts.get(c)) is None
                              else amount_range(a.lo, a.hi),
                              fw.components[c][0].pays
                              if fw.components[c][0].amount is not None else None)
              for c, how in components_of(result).items()),
        tuple(fw.notices),
        None if deciders is None else deciders_data(deciders),
    )  # fmt: skip


def _decider(d: Decider) -> DeciderRow:
    def combos(cs: tuple[tuple[Any, ...], ...]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(str(v) for v in c) for c in cs)

    return DeciderRow(tuple(str(s) for s in d.facts), combos(d.yes), combos(d.no),
                      combos(d.open), d.complete, d.describe())  # fmt: skip


def deciders_data(g: ClaimGaps) -> Deciders:
    """What would decide a claim: for its status and each component it possibly receives,
    the facts and the values that decide it."""
    return Deciders(tuple(_decider(d) for d in g.deciders),
                    {c: tuple(_decider(d) for d in ds) for c, ds in sorted(g.components.items())})


# -- as JSON ----------------------------------------------------------------------------------


def trace_json(t: TraceNode) -> dict[str, Any]:
    """A trace as JSON."""
    return {
        "expression": t.expression,
        "value": t.value,
        "decisive": t.decisive,
        **({"fact": t.fact} if t.fact else {}),
        **({"events": events_json(t.events)} if t.events else {}),
        "children": [trace_json(c) for c in t.children],
    }  # fmt: skip


def events_json(events: tuple[EventMembership, ...]) -> list[dict[str, str]]:
    """Events and how each fared, as JSON."""
    return [{"event": m.event, "membership": m.membership} for m in events]


def facts_json(facts: tuple[FactValue, ...]) -> list[dict[str, str]]:
    """Facts and their values, as JSON."""
    return [{"fact": f.fact, "value": f.value} for f in facts]


def _decider_json(d: DeciderRow) -> dict[str, Any]:
    def combos(cs: tuple[tuple[str, ...], ...]) -> list[list[str]]:
        return [list(c) for c in cs]

    return {"facts": list(d.facts), "yes": combos(d.yes), "no": combos(d.no),
            "open": combos(d.open), "complete": d.complete, "text": d.text}


def explain_json(d: ExplainData) -> dict[str, Any]:
    """The JSON document of ``kzrehab explain CLAIM_ID`` (docs/json.rst)."""
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "as_of": d.as_of.isoformat(),
        "population": population_json(d.population),
        "claim": d.claim,
        "laws": [{"id": i, "title": t} for i, t in d.laws],
        "status": d.status,
        "categories": dict(d.categories),
        "grounds": [{
            "id": g.id, "law": g.law, "article": g.article, "category": g.category,
            "applies": g.applies, "when": g.when, "decided_by": facts_json(g.decided_by),
            "events": events_json(g.events), "barred_by": list(g.barred_by),
            "trace": None if g.trace is None else trace_json(g.trace),
        } for g in d.grounds],
        "exclusions": [{"id": e.id, "holds": e.holds, "decided_by": facts_json(e.decided_by),
                        "trace": None if e.trace is None else trace_json(e.trace)}
                       for e in d.exclusions],
        "components": [{"id": c.id, "kind": c.kind, "receives": c.receives,
                        "amount_range": range_json(c.amount_range), "period": c.period}
                       for c in d.components],
        "notices": list(d.notices),
    }  # fmt: skip
    if d.deciders is not None:
        doc["deciders"] = {"status": [_decider_json(x) for x in d.deciders.status],
                           "components": {c: [_decider_json(x) for x in xs]
                                          for c, xs in d.deciders.components.items()}}
    if d.suppressed_below is not None:
        doc["suppressed_below"] = d.suppressed_below
    return doc
