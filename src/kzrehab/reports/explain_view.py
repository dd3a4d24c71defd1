"""The views of ``kzrehab explain`` (one claim, provision by provision) and of
``explain --against`` (why its outcome differs): built from the typed data only."""

from __future__ import annotations

__all__ = ["explain_view", "explain_against_view"]

from collections.abc import Sequence

from .blocks import Block, Bullets, Heading, Item, Para, Table
from .cells import amount_label, amount_range, notices, preamble
from .data import (
    ComponentDifference,
    ExplainAgainstData,
    ExplainData,
    FactValue,
    ProvisionDifference,
)


def _decided(facts: Sequence[FactValue]) -> str:
    return "; ".join(f"{f.fact} = {f.value}" for f in facts)


def explain_view(title: str, data: ExplainData) -> list[Block]:
    """``kzrehab explain CLAIM_ID``: provision by provision, with the deciding facts."""
    out = [*preamble(title, data.as_of, data.population),
           Para("Laws: " + ", ".join(i for i, _ in data.laws))]  # fmt: skip
    if data.categories:
        out.append(Para("Categories: " + ", ".join(f"{c} ({s})"
                                                   for c, s in data.categories.items())))
    exclusions = {e.id: e for e in data.exclusions}
    for law, law_title in data.laws:
        grounds = [g for g in data.grounds if g.law == law]
        if not grounds:
            continue
        items = []
        for g in grounds:
            children = []
            if g.decided_by:
                children.append(Item("decided by: " + _decided(g.decided_by)))
            children += [Item(f"{m.event}: {m.membership}") for m in g.events]
            for e in g.barred_by:
                ex = exclusions[e]
                children.append(Item(f"barred by exclusion {e}: holds = {ex.holds}",
                                     children=(Item("decided by: " + _decided(ex.decided_by)),)
                                     if ex.decided_by else ()))  # fmt: skip
            items.append(Item(f"ground {g.id} (art. {g.article or '—'}, category "
                              f"{g.category}): applies = {g.applies}; condition = "
                              f"{g.when}", children=tuple(children)))  # fmt: skip
        out += [Heading(f"{law} — {law_title}"), Bullets(tuple(items))]
    if data.components:
        out += [Heading("Reparation"),
                Table(("component", "kind", "receives", "amount", "paid"),
                      tuple((c.id, c.kind, c.receives, amount_range(c.amount_range),
                             amount_label(c.period))
                            for c in data.components))]  # fmt: skip
    deciders = data.deciders
    if deciders is not None:
        found = [Item("status: " + d.text) for d in deciders.status]
        found += [Item(f"{c}: {d.text}") for c, ds in deciders.components.items() for d in ds]
        out += [Heading("What would decide it"),
                Bullets(tuple(found)) if found else Para("No single fact or pair of facts.")]
    return out + notices(data.notices)


def explain_against_view(title: str, data: ExplainAgainstData) -> list[Block]:
    """``kzrehab explain CLAIM_ID LAW… --against LAW…``."""
    against = data.against
    out = [*preamble(title, data.as_of, data.population),
           Para(f"Laws: {', '.join(data.laws)} → {data.status}"),
           Para(f"Against: {', '.join(against.laws)} → {against.status}")]  # fmt: skip
    if not data.differences:
        return [*out, Para("No provision has a different value.")]
    items = []
    for d in data.differences:
        children: list[Item] = []
        if isinstance(d, ProvisionDifference):
            children = [Item(f"{label}: {_decided(facts)}")
                        for facts, label in ((d.decided_by, "decided by"),
                                             (d.against_decided_by, "against, decided by"))
                        if facts]  # fmt: skip
        if isinstance(d, ComponentDifference) and (d.amount or d.against_amount):
            unit = amount_label(d.period)
            children += [Item(f"amount: {amount_range(d.amount)} (against: "
                              f"{amount_range(d.against_amount)}), {unit}")]
            children += [Item("because " + c.text,
                              children=(Item("decided by: " + _decided(c.decided_by)),)
                              if c.decided_by else ()) for c in d.causes]
        items.append(Item(f"{d.kind} {d.id}: {d.value or 'absent'} "
                          f"(against: {d.against or 'absent'})", children=tuple(children)))
    return [*out, Bullets(tuple(items))]
