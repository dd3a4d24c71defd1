"""The views of ``kzrehab explain`` (one claim, provision by provision) and of
``explain --against`` (why its outcome differs): built from the typed data only."""

from __future__ import annotations

__all__ = ["explain_view", "explain_against_view"]

from collections.abc import Sequence

from ..i18n import _
from .blocks import Block, Bullets, Heading, Item, Para, Table
from .cells import amount_label, amount_range, notices, preamble, word
from .data import (
    ComponentDifference,
    ExplainAgainstData,
    ExplainData,
    FactValue,
    ProvisionDifference,
)


def _decided(facts: Sequence[FactValue]) -> str:
    return "; ".join(f"{f.fact} = {f.value}" for f in facts)


def _decided_by(facts: Sequence[FactValue]) -> str:
    return _("decided by: {facts}").format(facts=_decided(facts))


def explain_view(title: str, data: ExplainData) -> list[Block]:
    """``kzrehab explain CLAIM_ID``: provision by provision, with the deciding facts."""
    out = [*preamble(title, data.as_of, data.population),
           Para(_("Laws: {laws}").format(laws=", ".join(i for i, _t in data.laws)))]
    if data.categories:
        out.append(Para(_("Categories: {categories}").format(categories=", ".join(
            f"{c} ({word(s)})" for c, s in data.categories.items()))))
    exclusions = {e.id: e for e in data.exclusions}
    for law, law_title in data.laws:
        grounds = [g for g in data.grounds if g.law == law]
        if not grounds:
            continue
        items = []
        for g in grounds:
            children = []
            if g.decided_by:
                children.append(Item(_decided_by(g.decided_by)))
            children += [Item(f"{m.event}: {word(m.membership)}") for m in g.events]
            for e in g.barred_by:
                ex = exclusions[e]
                children.append(Item(_("barred by exclusion {id}: holds = {holds}").format(
                    id=e, holds=word(ex.holds)),
                    children=(Item(_decided_by(ex.decided_by)),) if ex.decided_by else ()))
            items.append(Item(_("ground {id} (art. {article}, category {category}): applies = "
                                "{applies}; condition = {when}").format(
                id=g.id, article=g.article or "—", category=g.category,
                applies=word(g.applies), when=word(g.when)), children=tuple(children)))
        out += [Heading(f"{law} — {law_title}"), Bullets(tuple(items))]
    if data.components:
        out += [Heading(_("Reparation")),
                Table((_("component"), _("kind"), _("receives"), _("amount"), _("paid")),
                      tuple((c.id, word(c.kind), word(c.receives), amount_range(c.amount_range),
                             amount_label(c.period))
                            for c in data.components))]  # fmt: skip
    deciders = data.deciders
    if deciders is not None:
        found = [Item(_("status: {decider}").format(decider=d.text)) for d in deciders.status]
        found += [Item(f"{c}: {d.text}") for c, ds in deciders.components.items() for d in ds]
        out += [Heading(_("What would decide it")),
                Bullets(tuple(found)) if found else Para(_("No single fact or pair of facts."))]
    return out + notices(data.notices)


def explain_against_view(title: str, data: ExplainAgainstData) -> list[Block]:
    """``kzrehab explain CLAIM_ID LAW… --against LAW…``."""
    against = data.against
    out = [*preamble(title, data.as_of, data.population),
           Para(_("Laws: {laws} → {status}").format(laws=", ".join(data.laws),
                                                    status=word(data.status))),
           Para(_("Against: {laws} → {status}").format(laws=", ".join(against.laws),
                                                       status=word(against.status)))]
    if not data.differences:
        return [*out, Para(_("No provision has a different value."))]
    items = []
    for d in data.differences:
        children: list[Item] = []
        if isinstance(d, ProvisionDifference):
            children = [Item(_decided_by(d.decided_by))] if d.decided_by else []
            if d.against_decided_by:
                children.append(Item(_("against, decided by: {facts}").format(
                    facts=_decided(d.against_decided_by))))
        if isinstance(d, ComponentDifference) and (d.amount or d.against_amount):
            unit = amount_label(d.period)
            children += [Item(_("amount: {amount} (against: {against}), {unit}").format(
                amount=amount_range(d.amount), against=amount_range(d.against_amount),
                unit=unit))]
            children += [Item(_("because {cause}").format(cause=c.text),
                              children=(Item(_decided_by(c.decided_by)),)
                              if c.decided_by else ()) for c in d.causes]
        items.append(Item(_("{kind} {id}: {value} (against: {against})").format(
            kind=word(d.kind), id=d.id, value=word(d.value or "absent"),
            against=word(d.against or "absent")), children=tuple(children)))
    return [*out, Bullets(tuple(items))]
