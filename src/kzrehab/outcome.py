"""A claim's outcome under a framework, and what changes for it between two frameworks.

A claim's **outcome** is its status, its categories (each a Kleene value), its components
(each received, possibly received, or not) and the amount range of each component it may
receive (:class:`ClaimResult`). Values stay Kleene values and ranges; words are made only
when a report is rendered.

Two outcomes of one claim differ at four **levels** (:func:`diff_claim`, documented in
``docs/semantics.rst``):

- **status**: gained when it rises (ineligible < undetermined < eligible), lost when it falls;
- **categories**: a category gained when its value rises (false < unknown < true), lost
  when it falls;
- **components**: likewise, received > possibly received > not received; a component
  that pays an amount counts only where that amount may be above 0 (gaining or losing a
  payment of surely 0 tenge changes nothing a person feels);
- **amounts**: what the claim may receive from each component is a range: the amount's
  range when it surely receives it, from 0 to the amount's upper end when it possibly does,
  0 when it does not (:func:`received`). Per period (``once``, ``month``) the claim's
  change is the sum of the changes of the components it may receive with that period, as
  a range: ``head - base`` by interval subtraction, or, for a component whose amount is
  the same rule on both sides (:class:`Ties`), :func:`tied_change` of its one amount (a
  component received the same way with the same range on both sides, its receipts not
  known to differ, changes by 0). The claim's money is *surely lower* when the whole
  change range is below 0, *surely higher* when it is above 0, and *uncertain* when it is
  neither but some component changed.

A claim **loses** when it loses on any level (status or a category or a component falls,
or its money is surely lower in some period) and **gains** when it gains on any level; it
can do both. The vectorised twin over whole populations is
:class:`kzrehab.comparison.CoverageDiff`; a differential test holds the two equal.
"""

from __future__ import annotations

__all__ = [
    "STATUSES",
    "LEVELS",
    "YES_NO",
    "ProvisionResult",
    "ClaimResult",
    "AmountChange",
    "ClaimDiff",
    "received",
    "tied_change",
    "Ties",
    "diff_claim",
    "periods",
    "cents",
]

import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from .laws.provisions import PERIODS
from .rules.ast import Name, Node, Op
from .rules.interpreter import Trace
from .rules.values import Interval, K, kand, kor

if TYPE_CHECKING:
    from .laws.framework import Framework

#: Claim statuses in rising order; a status's index is its Kleene value.
STATUSES = ("ineligible", "undetermined", "eligible")
#: The same statuses in the order reports and case files show them: eligible first.
SHOWN_STATUSES = STATUSES[::-1]
#: The levels at which two outcomes are compared, in the order reports show them.
LEVELS = ("status", "categories", "components", "amounts")
#: How a component is received, by Kleene value.
RECEIVES = ("not", "possible", "received")
#: A Kleene value in a table's cell (a per-claim row, docs/reports.rst), by Kleene value.
YES_NO = ("no", "unknown", "yes")

_ZERO = Interval(0.0, 0.0)


@attrs.frozen
class ProvisionResult:
    """The value of one provision for one claim, with its trace when explained."""

    id: str
    value: K
    trace: Trace | None = None
    #: for a ground: its ``when`` value before exclusions
    when: K | None = None


@attrs.frozen
class ClaimResult:
    """What a framework gives one claim: its outcome, provision by provision."""

    claim_id: str
    status: K
    #: every category of the framework → whether the claim is in it
    categories: Mapping[str, K]
    #: full ground id → whether it applies
    grounds: Mapping[str, ProvisionResult]
    #: full exclusion id → whether it holds
    exclusions: Mapping[str, ProvisionResult]
    #: every full component id → whether the claim receives it
    components: Mapping[str, K]
    #: full component id → its amount range (rounded to cents), for the components with an
    #: amount that the claim receives or possibly receives
    amounts: Mapping[str, Interval]
    as_of: dt.date

    @property
    def status_name(self) -> str:
        """``eligible``, ``undetermined`` or ``ineligible``."""
        return STATUSES[self.status]

    @property
    def applying(self) -> list[str]:
        """Full ids of the grounds that apply (true)."""
        return [g for g, r in self.grounds.items() if r.value is K.TRUE]

    @property
    def holding(self) -> list[str]:
        """Full ids of the exclusions that hold (true)."""
        return [e for e, r in self.exclusions.items() if r.value is K.TRUE]

    def received(self, component: str) -> Interval:
        """What the claim may receive from a component (0 … 0 when it does not)."""
        return received(self.components.get(component, K.FALSE), self.amounts.get(component))


def received(receives: K, amount: Interval | None) -> Interval:
    """The range a claim may receive from a component: its amount when it surely receives
    it, 0 to the amount's upper end when it possibly does, 0 when it does not or the
    component has no amount."""
    if receives is K.FALSE or amount is None:
        return _ZERO
    if receives is K.TRUE:
        return amount
    return Interval(0.0, amount.hi)


#: the receipts (0 or 1) a Kleene value allows
_RECEIPTS = {K.FALSE: (0,), K.UNKNOWN: (0, 1), K.TRUE: (1,)}


def tied_change(base: K, head: K, amount: Interval, differ: K = K.UNKNOWN,
                way: int = 0) -> Interval:  # fmt: skip
    """The change of what a claim receives from a component whose amount is the same rule
    on both sides: one value *x* in ``amount`` (never negative) for the claim under every
    completion of its unknown facts, received (1) or not (0) on each side as ``base`` and
    ``head`` allow. The change *(head - base) * x* lies between the least and the greatest
    of these products: exactly 0 when it surely receives it on both sides, at most 0 when it
    surely received it and now only possibly does (docs/semantics.rst).

    What is known of the two receipts narrows the pairs: ``differ``, whether they differ
    (false: the same for every completion), and ``way``, the sign of *head - base* when
    they do (-1: the head's receipt is the base's and not some other's; 0: unknown)."""
    pairs = [(b, h) for b in _RECEIPTS[base] for h in _RECEIPTS[head]
             if (b == h and differ is not K.TRUE)
             or (b != h and differ is not K.FALSE and way in (0, h - b))]  # fmt: skip
    lo = hi = None
    for b, h in pairs or [(b, h) for b in _RECEIPTS[base] for h in _RECEIPTS[head]]:
        d = h - b
        low, high = ((amount.lo, amount.hi) if d > 0 else (0.0 - amount.hi, 0.0 - amount.lo)
                     if d < 0 else (0.0, 0.0))  # fmt: skip
        lo = low if lo is None else min(lo, low)
        hi = high if hi is None else max(hi, high)
    assert lo is not None and hi is not None
    return Interval(lo, hi)


@attrs.frozen
class Ties:
    """What is known of how a base's and a head's components relate, for every claim and
    whatever its unknown facts are (:func:`kzrehab.programs.ties`)."""

    #: the components whose amount is the same rule on both sides: one value on both
    amounts: frozenset[str] = frozenset()
    #: component -> ``(way, others)``: way -1, the head's receipt is the base's and not
    #: that of any of ``others`` (the head's components that now replace it); +1, the
    #: base's is the head's and not any of ``others``' (the base's that replaced it).
    #: ``others`` empty: the same receipt on both sides.
    receipts: Mapping[str, tuple[int, tuple[str, ...]]] = attrs.field(factory=dict)

    @classmethod
    def of(cls, base_sigs: Mapping[str, int], head_sigs: Mapping[str, int],
           base_receipts: Mapping[str, Node],
           head_receipts: Mapping[str, Node]) -> Ties:  # fmt: skip
        """The ties of two frameworks, from the signatures of their plans' outputs (by
        key) and their receipts' trees (by component): the amounts of the same signature,
        and the receipts whose trees are the same but for ``and not REPLACING`` on one
        side (docs: :mod:`kzrehab.plan`), each replacement the receipt of a component."""
        amounts = frozenset(k.removeprefix("amount:") for k, sig in base_sigs.items()
                            if k.startswith("amount:") and head_sigs.get(k) == sig)  # fmt: skip
        receipts: dict[str, tuple[int, tuple[str, ...]]] = {}
        for c in amounts:
            b_core, b_by = _replaced(base_receipts[c])
            h_core, h_by = _replaced(head_receipts[c])
            b_keys = {_key(t, base_sigs): t for t in b_by}
            h_keys = {_key(t, head_sigs): t for t in h_by}
            if (_key(b_core, base_sigs) is None or _key(b_core, base_sigs)
                    != _key(h_core, head_sigs) or None in b_keys or None in h_keys):
                continue  # fmt: skip
            if b_keys.keys() <= h_keys.keys():
                way, trees, mine, theirs = -1, head_receipts, h_keys, b_keys
            elif h_keys.keys() <= b_keys.keys():
                way, trees, mine, theirs = 1, base_receipts, b_keys, h_keys
            else:
                continue
            new = [t for k, t in mine.items() if k not in theirs]  # in the plan's order
            names = [next((o for o, tree in trees.items() if tree == t), None) for t in new]
            if None not in names:
                receipts[c] = (way, tuple(n for n in names if n is not None))
        return cls(amounts, receipts)

    def differ(self, c: str, base: Mapping[str, K], head: Mapping[str, K]) -> K | None:
        """Whether the component's two receipts differ for a claim (its receipts by
        component, base and head); None when nothing is known of them."""
        tie = self.receipts.get(c)
        if tie is None:
            return None
        way, others = tie
        own, by = (base, head) if way < 0 else (head, base)
        return kand([own.get(c, K.FALSE), kor(by.get(o, K.FALSE) for o in others)])


def _replaced(node: Node) -> tuple[Node, list[Node]]:
    """A receipt's tree without its ``and not REPLACING``, and the replacing trees."""
    others = []
    while isinstance(node, Op) and node.op == "and" and len(node.args) == 2:
        neg = node.args[1]
        if not (isinstance(neg, Op) and neg.op == "not"):
            break
        others.append(neg.args[0])
        node = node.args[0]
    return node, others


def _key(tree: Node, sigs: Mapping[str, int]) -> tuple[Node, frozenset[tuple[str, int]]] | None:
    """A framework-wide tree with the signatures of the outputs it reads: two trees of the
    same key have the same value (None: it reads more than outputs and the claim's facts)."""
    refs = _outputs_read(tree)
    return None if refs is None else (tree, frozenset((r, sigs[r]) for r in refs))


def _outputs_read(node: Node) -> set[str] | None:
    """The outputs a framework-wide tree reads (None if it reads anything but outputs,
    the claim's facts and literals)."""
    if isinstance(node, Name):
        return {node.name} if node.ref == "out" else set() if node.ref == "claim" else None
    found: set[str] = set()
    for a in node.args if isinstance(node, Op) else ():
        more = _outputs_read(a)
        if more is None:
            return None
        found |= more
    return found


def _direction(change: Interval, moved: bool) -> str | None:
    if change.hi < 0:
        return "lower"
    if change.lo > 0:
        return "higher"
    return "uncertain" if moved else None


@attrs.frozen
class AmountChange:
    """How what a claim may receive from one component (or in one period: then ``base``
    and ``head`` are what it may receive in that period from every component) changed."""

    #: a full component id, or a period (``once``, ``month``) for the claim's money
    id: str
    period: str
    base: Interval
    head: Interval
    #: the range of head - base (0 … 0 for a component whose range did not change)
    change: Interval
    #: ``lower``, ``higher`` or ``uncertain``
    direction: str


@attrs.frozen
class ClaimDiff:
    """What changed for one claim between a base and a head framework, level by level."""

    id: str
    base: K
    head: K
    categories_gained: tuple[str, ...] = ()
    categories_lost: tuple[str, ...] = ()
    #: ``(component, base value, head value)``, by id
    components_gained: tuple[tuple[str, K, K], ...] = ()
    components_lost: tuple[tuple[str, K, K], ...] = ()
    #: per component whose received range changed, by id
    amounts: tuple[AmountChange, ...] = ()
    #: per period whose money changed (``once``, ``month``)
    money: tuple[AmountChange, ...] = ()

    @property
    def levels_gained(self) -> tuple[str, ...]:
        """The levels at which the claim gains."""
        return tuple(level for level, hit in (
            ("status", self.head > self.base),
            ("categories", bool(self.categories_gained)),
            ("components", bool(self.components_gained)),
            ("amounts", any(m.direction == "higher" for m in self.money)),
        ) if hit)  # fmt: skip

    @property
    def levels_lost(self) -> tuple[str, ...]:
        """The levels at which the claim loses."""
        return tuple(level for level, hit in (
            ("status", self.head < self.base),
            ("categories", bool(self.categories_lost)),
            ("components", bool(self.components_lost)),
            ("amounts", any(m.direction == "lower" for m in self.money)),
        ) if hit)  # fmt: skip

    @property
    def gains(self) -> bool:
        return bool(self.levels_gained)

    @property
    def loses(self) -> bool:
        return bool(self.levels_lost)

    @property
    def changed(self) -> bool:
        return bool(
            self.base != self.head or self.categories_gained or self.categories_lost
            or self.components_gained or self.components_lost or self.amounts
        )  # fmt: skip


def cents(x: float) -> float:
    """Tenge to whole cents (a float holding an integer, exact below 2**53; ±inf stays)."""
    return x if math.isinf(x) else float(round(x * 100.0))


def _sub(head: Interval, base: Interval) -> tuple[float, float]:
    """head - base in cents, as a range."""
    return cents(head.lo) - cents(base.hi), cents(head.hi) - cents(base.lo)


def _tenge(lo: float, hi: float) -> Interval:
    return Interval(lo / 100.0, hi / 100.0)


def pays(result: ClaimResult, periods: Mapping[str, str], component: str) -> bool:
    """Whether the component may pay the claim something: always for a component without
    an amount (its reparation is not money); for one with an amount, where its amount may
    be above 0 (a payment of surely 0 tenge is not felt, gained or lost)."""
    return component not in periods or result.received(component).hi > 0


def periods(fw: Framework) -> dict[str, str]:
    """The period (``once`` or ``month``) of each component of a framework with an amount."""
    return {c: comp.pays for c, (comp, _, _) in fw.components.items() if comp.amount is not None}


def diff_claim(base: ClaimResult, head: ClaimResult, base_periods: Mapping[str, str],
               head_periods: Mapping[str, str], ties: Ties | None = None) -> ClaimDiff:  # fmt: skip
    """The changes of one claim's outcome from ``base`` to ``head``; the periods give each
    side's components' periods (:func:`periods`). A component whose period differs between
    the sides counts as two: the base's amount going to 0 in the base's period, the head's
    coming from 0 in the head's. ``ties``: what is known of how the two sides' components
    relate (:func:`kzrehab.programs.ties`): a component whose amount is the same rule
    changes by :func:`tied_change`; the others by ``head - base``, interval subtraction."""
    ties = ties or Ties()
    cats = sorted(set(base.categories) | set(head.categories))
    b_cat = {c: base.categories.get(c, K.FALSE) for c in cats}
    h_cat = {c: head.categories.get(c, K.FALSE) for c in cats}
    comps = sorted(set(base.components) | set(head.components))
    b_comp = {c: base.components.get(c, K.FALSE) for c in comps}
    h_comp = {c: head.components.get(c, K.FALSE) for c in comps}
    amounts: list[AmountChange] = []
    money: dict[str, tuple[float, float]] = {}  # in cents
    #: component, period, base and head received, whether its receipt changed (None: the
    #: component changed its period, and counts as two)
    parts: list[tuple[str, str, Interval, Interval, bool | None]] = []
    for c in comps:
        b, h = base.received(c), head.received(c)
        bp, hp = base_periods.get(c), head_periods.get(c)
        if bp is None or hp is None or bp == hp:
            paid = bp is not None or hp is not None
            parts.append((c, hp or bp or "once", b, h, paid and b_comp[c] != h_comp[c]))
        else:
            parts += [(c, bp, b, _ZERO, None), (c, hp, _ZERO, h, None)]
    totals: dict[str, list[float]] = {}  # per period: base lo, hi, head lo, hi (cents)
    for _, period, b, h, _ in parts:
        t = totals.setdefault(period, [0.0, 0.0, 0.0, 0.0])
        for j, x in enumerate((b.lo, b.hi, h.lo, h.hi)):
            t[j] += cents(x)
    for c, period, b, h, receipt in parts:
        differ = ties.differ(c, b_comp, h_comp) if receipt is not None else None
        if b == h and not receipt and differ is None:
            continue
        if c in ties.amounts and receipt is not None:
            known = [a for a in (base.amounts.get(c), head.amounts.get(c)) if a is not None]
            amount = Interval(cents(min(a.lo for a in known)),
                              cents(max(a.hi for a in known))) if known else _ZERO  # fmt: skip
            way = ties.receipts[c][0] if differ is not None else 0
            tied = tied_change(b_comp[c], h_comp[c], amount,
                               K.UNKNOWN if differ is None else differ, way)
            lo, hi = tied.lo, tied.hi
        elif b == h and not receipt:
            continue
        else:
            lo, hi = _sub(h, b)
        if lo == 0 and hi == 0:
            continue
        direction = _direction(Interval(lo, hi), True)
        assert direction is not None
        amounts.append(AmountChange(c, period, b, h, _tenge(lo, hi), direction))
        m_lo, m_hi = money.get(period, (0.0, 0.0))
        money[period] = (m_lo + lo, m_hi + hi)
    money_changes = []
    for period, (lo, hi) in sorted(money.items(), key=lambda kv: PERIODS.index(kv[0])):
        direction = _direction(Interval(lo, hi), True)
        if direction is not None and not (lo == 0 and hi == 0):
            b_lo, b_hi, h_lo, h_hi = totals[period]
            money_changes.append(AmountChange(period, period, _tenge(b_lo, b_hi),
                                              _tenge(h_lo, h_hi), _tenge(lo, hi), direction))
    return ClaimDiff(
        id=base.claim_id,
        base=base.status,
        head=head.status,
        categories_gained=tuple(c for c in cats if h_cat[c] > b_cat[c]),
        categories_lost=tuple(c for c in cats if h_cat[c] < b_cat[c]),
        components_gained=tuple((c, b_comp[c], h_comp[c]) for c in comps
                                if h_comp[c] > b_comp[c] and pays(head, head_periods, c)),
        components_lost=tuple((c, b_comp[c], h_comp[c]) for c in comps
                              if h_comp[c] < b_comp[c] and pays(base, base_periods, c)),
        amounts=tuple(amounts),
        money=tuple(money_changes),
    )


def finite(x: float) -> float | None:
    """A bound as JSON: None for an unbounded side."""
    return None if math.isinf(x) or math.isnan(x) else x
