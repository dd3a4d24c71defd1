"""One claim's changes between a base and a head (``diff`` and ``compare`` ``--claims``)."""

from __future__ import annotations

__all__ = ["ComponentReceipt", "AmountMove", "ClaimChange", "claim_change", "claim_change_json"]

from typing import TYPE_CHECKING, Any

import attrs

from ...outcome import RECEIVES, STATUSES
from ..fields import money
from .common import Range, amount_range, range_json

if TYPE_CHECKING:
    from ...outcome import ClaimDiff
    from ...rules.values import Interval


@attrs.frozen
class ComponentReceipt:
    """How a claim receives a component under the base and under the head."""

    component: str
    from_: str
    to: str


@attrs.frozen
class AmountMove:
    """How what a claim may receive from a component (``component``), or in a period
    (``component`` None: its money), changed: one claim's amounts."""

    component: str | None
    period: str
    base: Range | None = money(default=None)
    head: Range | None = money(default=None)
    change: Range | None = money(default=None)
    #: ``lower``, ``higher`` or ``uncertain``
    direction: str = "uncertain"


@attrs.frozen
class ClaimChange:
    """What changed for one claim, level by level."""

    id: str
    from_: str
    to: str
    gains: tuple[str, ...]
    loses: tuple[str, ...]
    categories_gained: tuple[str, ...]
    categories_lost: tuple[str, ...]
    components_gained: tuple[ComponentReceipt, ...]
    components_lost: tuple[ComponentReceipt, ...]
    amounts: tuple[AmountMove, ...]
    money: tuple[AmountMove, ...]


def _range(r: Interval) -> Range:
    return amount_range(r.lo, r.hi)


def claim_change(c: ClaimDiff) -> ClaimChange:
    """One claim's changes, from :class:`kzrehab.outcome.ClaimDiff`."""
    return ClaimChange(
        c.id, STATUSES[c.base], STATUSES[c.head], tuple(c.levels_gained), tuple(c.levels_lost),
        tuple(c.categories_gained), tuple(c.categories_lost),
        tuple(ComponentReceipt(x, RECEIVES[b], RECEIVES[h]) for x, b, h in c.components_gained),
        tuple(ComponentReceipt(x, RECEIVES[b], RECEIVES[h]) for x, b, h in c.components_lost),
        tuple(AmountMove(a.id, a.period, _range(a.base), _range(a.head), _range(a.change),
                         a.direction) for a in c.amounts),
        tuple(AmountMove(None, m.period, None, None, _range(m.change), m.direction)
              for m in c.money),
    )  # fmt: skip


def claim_change_json(c: ClaimChange) -> dict[str, Any]:
    """One claim's changes, as in the ``claims`` list of ``diff`` and ``compare``."""
    return {
        "id": c.id, "from": c.from_, "to": c.to,
        "gains": list(c.gains), "loses": list(c.loses),
        "categories": {"gained": list(c.categories_gained), "lost": list(c.categories_lost)},
        "components": {
            "gained": [{"component": x.component, "from": x.from_, "to": x.to}
                       for x in c.components_gained],
            "lost": [{"component": x.component, "from": x.from_, "to": x.to}
                     for x in c.components_lost]},
        "amounts": [{"component": a.component, "period": a.period, "base": range_json(a.base),
                     "head": range_json(a.head), "change": range_json(a.change),
                     "direction": a.direction} for a in c.amounts],
        "money": [{"period": m.period, "change": range_json(m.change),
                   "direction": m.direction} for m in c.money],
    }  # fmt: skip
