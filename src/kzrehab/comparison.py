"""Coverage diffs: two coverages of one population side by side, and what explains them.

:func:`diff` gives a :class:`CoverageDiff` of a base and a head coverage: the nine status
transitions, breakdowns by category and by component for both sides, and what changed for
every claim at every level — status, categories, components, amounts
(:mod:`kzrehab.outcome` defines the levels per claim; this module is their vectorised
twin). :func:`compare` adds the structural diff of the two frameworks' laws
(:mod:`kzrehab.redline`) and the **attribution** of the changes to the changed provisions,
as a :class:`Comparison` — what ``kzrehab diff`` and ``kzrehab compare`` report.

A claim *gains* when it gains at any level and *loses* when it loses at any level; it can
do both.

**Attribution.** The laws compared are the frameworks' laws with their amendments applied,
so a bill's amendment shows as the change it makes to the amended provision (one row, the
amended provision's, naming the amendment). For each changed provision P (and parameter or
definition, ``LAW:parameters.NAME``), the head framework is evaluated with only P back in
its base form — removed if P is new, restored if P was repealed, its old rule if P
changed — and the claims that gain or lose from that variant to the head are P's
``gained`` and ``lost``, broken down by level like the whole diff: what the head gives or
takes *because of P*. A component's ``instead_of`` is the component's: a payment cut by a
replacement is attributed to the replacing component. A change that cannot move an
outcome is credited with nothing without evaluation: a rewording, a renumbering. A
parameter or definition that is only added or removed goes with the provisions that use
(or used) it and is not measured alone (``None``): taking it back alone would leave them
naming nothing, or change nothing. The last row,
``interaction``, counts the claims that gain (lose) although no single provision makes
them gain (lose): what only several changes together do. A row is ``None`` when P
cannot be taken back alone (its base form needs a changed definition of another type,
say).

Attribution is one-at-a-time: provisions that work together (a new ground and the
component it grants) each get the claims; with overlapping changes (two new grounds
covering the same claim) neither row counts the claim's new status, since taking one back
leaves the other; and diff(b, a) does not mirror diff(a, b) row by row. The interaction row tells
how much the rows leave unexplained.
"""

from __future__ import annotations

__all__ = [
    "Transition",
    "Moves",
    "CoverageDiff",
    "AttributionRow",
    "Comparison",
    "diff",
    "compare",
    "attribute",
]

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .cache import framework_key
from .coverage import (
    Coverage,
    cents_json,
    received_arrays,
    sum_cents,
    to_cents,
)
from .errors import KzrehabError, UsageError
from .laws.framework import Framework
from .laws.provisions import PERIODS, Amendment, Article, Component, Exclusion, Law
from .outcome import STATUSES, AmountChange, ClaimDiff, periods
from .redline import LawDiff, diff_laws
from .rules.values import Interval, K

if TYPE_CHECKING:
    from .population import Population

Evaluate = Callable[[Framework], Coverage]
Mask = npt.NDArray[np.bool_]
Cents = npt.NDArray[np.float64]


@attrs.frozen
class Transition:
    """How many claims went from one status to another."""

    from_: str
    to: str
    claims: int


@attrs.frozen(eq=False)
class Moves:
    """Per claim, which way what it may receive changed (for a component, or in a
    period): the masks ``lower``, ``higher`` and ``uncertain``, the change's range in
    cents, and the base's and head's ranges in cents."""

    lower: Mask
    higher: Mask
    uncertain: Mask
    lo: Cents  # the least change (cents; 0 where nothing changed)
    hi: Cents  # the greatest change
    #: what each claim may receive, base and head (cents), for a component
    sides: tuple[Cents, Cents, Cents, Cents] | None = None


def _moves(changed: Mask, lo: Cents, hi: Cents,
           sides: tuple[Cents, Cents, Cents, Cents] | None = None) -> Moves:  # fmt: skip
    lower = changed & (hi < 0)
    higher = changed & (lo > 0)
    return Moves(lower, higher, changed & ~lower & ~higher, lo, hi, sides)


def _range_moves(b_lo: Cents, b_hi: Cents, h_lo: Cents, h_hi: Cents) -> Moves:
    changed = (b_lo != h_lo) | (b_hi != h_hi)
    with np.errstate(invalid="ignore"):
        lo = np.where(changed, h_lo - b_hi, 0.0)
        hi = np.where(changed, h_hi - b_lo, 0.0)
    return _moves(changed, lo, hi, (b_lo, b_hi, h_lo, h_hi))


def _side(cov: Coverage, kind: str, name: str) -> npt.NDArray[np.int8]:
    group: Mapping[str, npt.NDArray[np.int8]] = getattr(cov, kind)
    a = group.get(name)
    return np.zeros(len(cov), np.int8) if a is None else a


def _received(cov: Coverage, c: str) -> tuple[Cents, Cents]:
    if c not in cov.amount_lo:
        z = np.zeros(len(cov))
        return z, z
    lo, hi = received_arrays(_side(cov, "components", c), cov.amount_lo[c], cov.amount_hi[c])
    return to_cents(lo), to_cents(hi)




class CoverageDiff:
    """Two coverages of the same population: base and head, compared at every level."""

    def __init__(self, base: Coverage, head: Coverage) -> None:
        if len(base) != len(head) or base.population.digest != head.population.digest:
            raise UsageError(
                "cannot diff coverages of different populations "
                f"('{base.population.name}' and '{head.population.name}')"
            )
        self.base = base
        self.head = head

    def __repr__(self) -> str:
        return (f"<CoverageDiff {len(self.base):,} claims: {self.gained:,} gain, "
                f"{self.lost:,} lose>")  # fmt: skip

    # -- status ------------------------------------------------------------------------------

    @property
    def matrix(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """3-by-3 counts: ``matrix[from, to]``, statuses indexed as in ``STATUSES``."""
        codes = self.base.status.astype(np.int64) * 3 + self.head.status.astype(np.int64)
        return np.bincount(codes, minlength=9).reshape(3, 3)

    def transitions(self) -> list[Transition]:
        """All nine transitions, from ineligible to eligible, zero counts included."""
        m = self.matrix
        return [Transition(a, b, int(m[i, j]))
                for i, a in enumerate(STATUSES) for j, b in enumerate(STATUSES)]  # fmt: skip

    # -- levels ------------------------------------------------------------------------------

    def _rises_and_falls(self, kind: str) -> dict[str, tuple[Mask, Mask]]:
        names = set(getattr(self.base, kind)) | set(getattr(self.head, kind))
        out = {}
        for name in sorted(names):
            b, h = _side(self.base, kind, name), _side(self.head, kind, name)
            out[name] = (h > b, h < b)
        return out

    @functools.cached_property
    def categories(self) -> dict[str, tuple[Mask, Mask]]:
        """Per category (either side's), sorted: the claims that gain it and that lose it."""
        return self._rises_and_falls("categories")

    @functools.cached_property
    def components(self) -> dict[str, tuple[Mask, Mask]]:
        """Per component (either side's), sorted: the claims that gain it (received or
        possibly, from less) and that lose it. A component that pays an amount is gained
        only where the head's amount may be above 0, and lost only where the base's may:
        gaining or losing a payment of surely 0 tenge changes nothing a person feels."""
        out = self._rises_and_falls("components")
        for c, (gain, loss) in out.items():
            if c in self.head.amount_lo:
                gain &= self.receipts[c][1][1] > 0
            if c in self.base.amount_lo:
                loss &= self.receipts[c][0][1] > 0
        return out

    @functools.cached_property
    def receipts(self) -> dict[str, tuple[tuple[Cents, Cents], tuple[Cents, Cents]]]:
        """Per component with an amount on either side, sorted: what each claim may receive
        from it, base and head, as ranges in cents (0 where it has no amount)."""
        return {c: (_received(self.base, c), _received(self.head, c))
                for c in sorted(set(self.base.amount_lo) | set(self.head.amount_lo))}

    @functools.cached_property
    def amounts(self) -> dict[tuple[str, str], Moves]:
        """Per component with an amount on either side, sorted, and its period: how what
        each claim may receive from it changed. A component whose period differs between
        the sides is two entries — what the base paid in its period going to 0, what the
        head pays in its own coming from 0: one-time and monthly sums are never subtracted
        from each other."""
        out = {}
        base_p, head_p = periods(self.base.framework), periods(self.head.framework)
        for c, ((b_lo, b_hi), (h_lo, h_hi)) in self.receipts.items():
            bp, hp = base_p.get(c), head_p.get(c)
            if bp is None or hp is None or bp == hp:
                out[(c, hp or bp or "once")] = _range_moves(b_lo, b_hi, h_lo, h_hi)
            else:
                zero = np.zeros(len(self.base))
                out[(c, bp)] = _range_moves(b_lo, b_hi, zero, zero)
                out[(c, hp)] = _range_moves(zero, zero, h_lo, h_hi)
        return out

    @functools.cached_property
    def money(self) -> dict[str, Moves]:
        """Per period (``once``, ``month``) in which some claim's component changed: how the
        money each claim may receive in that period changed (the sum of its components'
        changes)."""
        out = {}
        n = len(self.base)
        for period in PERIODS:
            comps = [m for (_, p), m in self.amounts.items() if p == period]
            if not comps:
                continue
            lo, hi, moved = np.zeros(n), np.zeros(n), np.zeros(n, bool)
            sides = [np.zeros(n) for _ in range(4)]
            with np.errstate(invalid="ignore"):
                for m in comps:
                    lo += m.lo
                    hi += m.hi
                    moved |= m.lower | m.higher | m.uncertain
                    assert m.sides is not None
                    for total, side in zip(sides, m.sides, strict=True):
                        total += side
            if moved.any():
                out[period] = _moves(moved & ~((lo == 0) & (hi == 0)), lo, hi,
                                     (sides[0], sides[1], sides[2], sides[3]))
        return out

    def _any(self, masks: Iterable[Mask]) -> Mask:
        out: Mask = np.zeros(len(self.base), bool)
        for m in masks:
            out |= m
        return out

    @functools.cached_property
    def gains(self) -> Mask:
        """Per claim: does it gain at any level."""
        return (self.head.status > self.base.status) | self._any(
            [g for g, _ in self.categories.values()]
            + [g for g, _ in self.components.values()]
            + [m.higher for m in self.money.values()]
        )

    @functools.cached_property
    def loses(self) -> Mask:
        """Per claim: does it lose at any level."""
        return (self.head.status < self.base.status) | self._any(
            [x for _, x in self.categories.values()]
            + [x for _, x in self.components.values()]
            + [m.lower for m in self.money.values()]
        )

    @functools.cached_property
    def changed(self) -> Mask:
        """Per claim: does its outcome differ at all (status, a category, a component, an
        amount range)."""
        status: Mask = self.head.status != self.base.status
        return status | self._any(
            [g | x for g, x in (*self.categories.values(), *self.components.values())]
            + [m.lower | m.higher | m.uncertain for m in self.amounts.values()]
        )

    @property
    def gained(self) -> int:
        """Claims that gain at any level."""
        return int(self.gains.sum())

    @property
    def lost(self) -> int:
        """Claims that lose at any level."""
        return int(self.loses.sum())

    def level_counts(self) -> dict[str, dict[str, int]]:
        """Claims that gain and lose at each level (amounts: higher, lower, uncertain)."""
        money = list(self.money.values())
        return {
            "status": {"gained": int((self.head.status > self.base.status).sum()),
                       "lost": int((self.head.status < self.base.status).sum())},
            "categories": {"gained": int(self._any(g for g, _ in self.categories.values()).sum()),
                           "lost": int(self._any(x for _, x in self.categories.values()).sum())},
            "components": {"gained": int(self._any(g for g, _ in self.components.values()).sum()),
                           "lost": int(self._any(x for _, x in self.components.values()).sum())},
            "amounts": {"higher": int(self._any(m.higher for m in money).sum()),
                        "lower": int(self._any(m.lower for m in money).sum()),
                        "uncertain": int(self._any(m.uncertain for m in money).sum())},
        }  # fmt: skip

    def component_kind(self, c: str) -> str:
        """A component's kind, the head's (or the base's, for a component it removed)."""
        for fw in (self.head.framework, self.base.framework):
            if c in fw.components:
                return fw.components[c][0].kind
        return ""

    def replaced_by(self) -> dict[str, list[str]]:
        """Per component, the head's components that replace it (``instead_of``), by id."""
        replacing: dict[str, list[str]] = {}
        for rid, (comp, law, _) in sorted(self.head.framework.components.items()):
            for target in comp.instead_of:
                replacing.setdefault(law.full_id(target), []).append(rid)
        return replacing

    def claims_by_category(self, mask: Mask, head: bool) -> list[tuple[str, int]]:
        """The claims of ``mask`` by the categories they are surely in under the head (or
        the base), a claim in several counted in each, sorted by id; ``(none)`` last, for
        those in no category."""
        categories = (self.head if head else self.base).categories
        rows = []
        in_some = np.zeros(mask.shape, bool)
        for c, a in sorted(categories.items()):
            sure = a == 2
            in_some |= sure
            rows.append((c, int((mask & sure).sum())))
        rows.append(("(none)", int((mask & ~in_some).sum())))  # none surely
        return rows

    def changes(self) -> dict[str, Any]:
        """The ``changes`` object: each level's gains and losses, with breakdowns."""
        levels = self.level_counts()

        def moves(m: Moves) -> dict[str, Any]:
            return {"higher": int(m.higher.sum()), "lower": int(m.lower.sum()),
                    "uncertain": int(m.uncertain.sum()),
                    "change": cents_json(sum_cents(m.lo), sum_cents(m.hi))}  # fmt: skip

        replacing = self.replaced_by()
        return {
            "status": levels["status"],
            "categories": {**levels["categories"], "by_category": [
                {"category": c, "gained": int(g.sum()), "lost": int(x.sum())}
                for c, (g, x) in self.categories.items()]},
            "components": {**levels["components"], "by_component": [
                {"component": c, "kind": self.component_kind(c), "gained": int(g.sum()),
                 "lost": int(x.sum()), "replaced_by": replacing.get(c, [])}
                for c, (g, x) in self.components.items()]},
            "amounts": {**levels["amounts"],
                        "by_period": [{"period": p, **moves(m)} for p, m in self.money.items()],
                        "by_component": [{"component": c, "period": p, **moves(m)}
                                         for (c, p), m in self.amounts.items()]},
            "gained_by_category": [{"category": c, "claims": n}
                                   for c, n in self.claims_by_category(self.gains, head=True)],
            "lost_by_category": [{"category": c, "claims": n}
                                 for c, n in self.claims_by_category(self.loses, head=False)],
        }  # fmt: skip

    # -- breakdowns of each side -------------------------------------------------------------

    def by_category(self) -> list[dict[str, Any]]:
        """Per category (either side's), sorted: eligible and undetermined on both sides."""
        sides = [{r["category"]: r for r in cov.by_category()} for cov in (self.base, self.head)]
        empty = {"eligible": 0, "undetermined": 0}
        return [{"category": c,
                 **{name: {k: side.get(c, empty)[k] for k in empty}
                    for name, side in zip(("base", "head"), sides, strict=True)}}
                for c in sorted(set(sides[0]) | set(sides[1]))]  # fmt: skip

    def by_component(self) -> list[dict[str, Any]]:
        """Per component (either side's), sorted: claims and the range of the total amount
        on both sides, from each side's own tally (exact cents)."""
        sides = [{r["component"]: r for r in cov.by_component()} for cov in (self.base, self.head)]
        empty = {"claims": 0, "undetermined": 0, "paying": None, "amount": None}
        rows = []
        for c in sorted(set(sides[0]) | set(sides[1])):
            some = sides[1].get(c) or sides[0][c]
            rows.append({"component": c, "kind": some["kind"], "period": some["period"],
                         **{name: {k: side.get(c, empty)[k] for k in empty}
                            for name, side in zip(("base", "head"), sides, strict=True)}})
        return rows

    # -- per claim ---------------------------------------------------------------------------

    def claim_changes(self) -> list[ClaimDiff]:
        """Per claim whose outcome changed, in population order: its changes at every level
        (equal to :func:`kzrehab.outcome.diff_claim` of the claim's two results)."""
        base, head = self.base, self.head
        rows = []
        comp_arrays = {c: (_side(base, "components", c), _side(head, "components", c))
                       for c in self.components}  # fmt: skip
        for i in np.flatnonzero(self.changed):
            amounts = []
            for (c, p), m in self.amounts.items():
                if m.lower[i] or m.higher[i] or m.uncertain[i]:
                    assert m.sides is not None
                    b_lo, b_hi, h_lo, h_hi = m.sides
                    amounts.append(AmountChange(
                        c, p, Interval(b_lo[i] / 100, b_hi[i] / 100),
                        Interval(h_lo[i] / 100, h_hi[i] / 100),
                        Interval(m.lo[i] / 100, m.hi[i] / 100), _way(m, i)))  # fmt: skip
            money = [AmountChange(p, p, *_sides(m, i), Interval(m.lo[i] / 100, m.hi[i] / 100),
                                  _way(m, i))
                     for p, m in self.money.items()
                     if m.lower[i] or m.higher[i] or m.uncertain[i]]  # fmt: skip
            rows.append(ClaimDiff(
                id=base.population.claim_id(int(i)),
                base=K(int(base.status[i])),
                head=K(int(head.status[i])),
                categories_gained=tuple(c for c, (g, _) in self.categories.items() if g[i]),
                categories_lost=tuple(c for c, (_, x) in self.categories.items() if x[i]),
                components_gained=tuple((c, K(int(b[i])), K(int(h[i])))
                                        for c, (b, h) in comp_arrays.items()
                                        if self.components[c][0][i]),
                components_lost=tuple((c, K(int(b[i])), K(int(h[i])))
                                      for c, (b, h) in comp_arrays.items()
                                      if self.components[c][1][i]),
                amounts=tuple(amounts),
                money=tuple(money),
            ))  # fmt: skip
        return rows

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """``schema``, ``as_of``, ``population``, ``base``, ``head``, ``transitions``,
        ``gained``, ``lost``, ``changes`` and the breakdowns; with ``claims``, every claim
        that changed with its changes (:func:`kzrehab.reports.data.comparison_json`)."""
        from .reports.data import comparison_data, comparison_json

        return comparison_json(comparison_data(self, claims=claims), summary=False)


def _sides(m: Moves, i: Any) -> tuple[Interval, Interval]:
    assert m.sides is not None
    b_lo, b_hi, h_lo, h_hi = m.sides
    return Interval(b_lo[i] / 100, b_hi[i] / 100), Interval(h_lo[i] / 100, h_hi[i] / 100)


def _way(m: Moves, i: Any) -> str:
    return "lower" if m.lower[i] else "higher" if m.higher[i] else "uncertain"


def diff(base: Coverage, head: Coverage) -> CoverageDiff:
    """The diff of two coverages of the same population (a :class:`UsageError` otherwise)."""
    return CoverageDiff(base, head)


# -- attribution ----------------------------------------------------------------------------------


@attrs.frozen
class AttributionRow:
    """The claims one changed provision moves alone: ``None`` when it cannot be evaluated."""

    provision: str
    gained: int | None
    lost: int | None
    #: the claims it moves at each level (as :meth:`CoverageDiff.level_counts`)
    levels: Mapping[str, Mapping[str, int]] | None = None
    #: the amendments that made this change (an amended provision's row is theirs too)
    amended_by: tuple[str, ...] = ()
    #: of the claims that gain (lose) from base to head, those that do because of it
    gained_overall: int | None = None
    lost_overall: int | None = None


#: what a unit of change is: (row id, swaps as (law id, key), may it move an outcome,
#: the amendments behind it)
_Unit = tuple[str, tuple[tuple[str, str], ...], bool, tuple[str, ...]]


def _units(laws: Sequence[LawDiff]) -> list[_Unit]:
    units: list[_Unit] = []
    moving = {"added", "removed", "rule-changed", "amended"}
    changed = {p.id for ld in laws for p in ld.provisions if p.type != "amendment"}
    changed |= {n.id for ld in laws for n in (*ld.parameters, *ld.definitions)}
    amenders: dict[str, list[str]] = {}
    for ld in laws:
        for p in ld.provisions:
            for side in (p.head, p.base):
                if isinstance(side, Amendment):
                    amenders.setdefault(f"{side.law}:{side.target}", []).append(p.id)
    ids = {ld.id for ld in laws}
    for ld in laws:
        for p in ld.provisions:
            law_id, _, pid = p.id.partition(":")
            matters = bool(moving & set(p.changes))
            by = tuple(dict.fromkeys(amenders.get(p.id, ())))
            if p.type == "amendment":
                amend = p.head if isinstance(p.head, Amendment) else p.base
                assert isinstance(amend, Amendment)
                target = f"{amend.law}:{amend.target}"
                if target in changed:
                    continue  # the amended provision's own row tells what it does
                inert = amend.law not in ids  # it amends a law outside the framework
                units.append((p.id, ((amend.law, amend.target),), matters and not inert, ()))
            else:
                units.append((p.id, ((law_id, pid),), matters, by))
        for n in (*ld.parameters, *ld.definitions):
            law_id, _, key = n.id.partition(":")
            by = tuple(dict.fromkeys(amenders.get(n.id, ())))
            # an added or removed name goes with the provisions that use it: taking it back
            # alone leaves them naming nothing (not measured: None), or changes nothing
            units.append((n.id, ((law_id, key),), n.change == "rule-changed", by))
    return units


def _ground_ids(laws: Iterable[Law]) -> set[str]:
    return {law.full_id(g.id) for law in laws for g in law.grounds}


def _swap(law: Law, key: str, head: Law | None) -> Law:
    """``law`` with the provision ``key`` in its form in ``head`` (removed when absent)."""
    found = [p for p in head.provisions() if p.id == key] if head is not None else []
    new = found[0] if found else None
    articles = [attrs.evolve(a, provisions=tuple(p for p in a.provisions if p.id != key))
                for a in law.articles]  # fmt: skip
    if new is not None:
        for i, a in enumerate(articles):
            if a.number == new.article:
                articles[i] = attrs.evolve(a, provisions=(*a.provisions, new))
                break
        else:
            articles.append(Article(number=new.article, provisions=(new,)))
    return attrs.evolve(law, articles=tuple(articles))


def _variant(base: Sequence[Law], head: Sequence[Law],
             swaps: Sequence[tuple[str, str]]) -> list[Law] | None:  # fmt: skip
    """The laws ``base`` (amendments applied already, and left out) with the items named
    by ``swaps`` in their form in ``head``."""
    laws = {law.id: _without_amendments(law) for law in base}
    order = [law.id for law in base]
    heads = {law.id: law for law in head}
    changed = False
    for law_id, key in swaps:
        h = heads.get(law_id)
        if law_id not in laws:
            if h is None:
                continue
            laws[law_id] = attrs.evolve(h, articles=())
            order.append(law_id)
        law = laws[law_id]
        params, defs = dict(law.parameters), dict(law.definitions)
        if h is not None:  # names only the head has are inert alone, and may be needed
            params.update({k: v for k, v in h.parameters.items() if k not in params})
            defs.update({k: v for k, v in h.definitions.items() if k not in defs})
        what, _, name = key.partition(".")
        if what in ("parameters", "definitions") and name:
            table: dict[str, Any] = params if what == "parameters" else defs
            source: Any = getattr(h, what) if h is not None else {}
            if name in source:
                table[name] = source[name]
            else:
                table.pop(name, None)
            law = attrs.evolve(law, parameters=params, definitions=defs)
        else:
            source_law = _without_amendments(h) if h is not None else None
            law = attrs.evolve(_swap(law, key, source_law), parameters=params, definitions=defs)
        laws[law_id] = law
        changed = True
    if not changed:
        return None
    return _sanitize([laws[i] for i in order])


def _without_amendments(law: Law) -> Law:
    return attrs.evolve(law, articles=tuple(
        attrs.evolve(a, provisions=tuple(p for p in a.provisions if not isinstance(p, Amendment)))
        for a in law.articles))  # fmt: skip


def _sanitize(laws: list[Law]) -> list[Law]:
    """Drop references to grounds and components absent from the variant; an exclusion or
    a component left referring to nothing (its explicit grounds all gone) is left out, as
    a repeal would."""
    present = _ground_ids(laws)
    comps = {law.full_id(c.id) for law in laws for c in law.components}
    ids = {law.id for law in laws}

    def here(law: Law, ref: str, known: set[str]) -> bool:
        full = law.full_id(ref)
        return full in known or full.split(":", 1)[0] not in ids

    out = []
    for law in laws:
        articles = []
        for a in law.articles:
            kept: list[Any] = []
            for p in a.provisions:
                if isinstance(p, Exclusion | Component) and p.grounds:
                    refs = tuple(g for g in p.grounds if here(law, g, present))
                    if not refs:
                        continue
                    p = attrs.evolve(p, grounds=refs)
                if isinstance(p, Component) and p.instead_of:
                    p = attrs.evolve(p, instead_of=tuple(
                        c for c in p.instead_of if here(law, c, comps)))
                kept.append(p)
            articles.append(attrs.evolve(a, provisions=tuple(kept)))
        out.append(attrs.evolve(law, articles=tuple(articles)))
    return out


def attribute(base: Framework, head: Framework, laws: Sequence[LawDiff], base_cov: Coverage,
              head_cov: Coverage, evaluate: Evaluate) -> list[AttributionRow]:  # fmt: skip
    """Attribution rows for the changed provisions (sorted by id), then ``interaction``.

    A provision's row compares the head with the head in which only that provision is
    back in its base form: the claims that gain and lose because of it.
    """
    whole = CoverageDiff(base_cov, head_cov)
    head_key = framework_key(head)
    rows: list[AttributionRow] = []
    explained_gain = np.zeros(len(base_cov), bool)
    explained_loss = np.zeros(len(base_cov), bool)
    results: dict[str, CoverageDiff] = {}
    for row_id, swaps, matters, by in sorted(_units(laws), key=lambda u: u[0]):
        if not matters and row_id.partition(":")[2].startswith(("parameters.", "definitions.")):
            rows.append(AttributionRow(row_id, None, None, None, by))  # not alone
            continue
        if not matters:
            rows.append(AttributionRow(row_id, 0, 0, _no_levels(), by, 0, 0))
            continue
        d: CoverageDiff | None = CoverageDiff(head_cov, head_cov)
        try:
            variant = _variant(head.laws, base.laws, swaps)
            if variant is not None:
                fw = Framework(variant)
                key = framework_key(fw)
                if key != head_key:
                    if key not in results:
                        results[key] = CoverageDiff(evaluate(fw), head_cov)
                    d = results[key]
        except KzrehabError:
            d = None
        if d is None:
            rows.append(AttributionRow(row_id, None, None, None, by))
            continue
        explained_gain |= d.gains
        explained_loss |= d.loses
        rows.append(AttributionRow(row_id, d.gained, d.lost, d.level_counts(), by,
                                   int((d.gains & whole.gains).sum()),
                                   int((d.loses & whole.loses).sum())))  # fmt: skip
    gained = int((whole.gains & ~explained_gain).sum())
    lost = int((whole.loses & ~explained_loss).sum())
    rows.append(AttributionRow("interaction", gained, lost, None, (), gained, lost))
    return rows


def _no_levels() -> dict[str, dict[str, int]]:
    return {"status": {"gained": 0, "lost": 0}, "categories": {"gained": 0, "lost": 0},
            "components": {"gained": 0, "lost": 0},
            "amounts": {"higher": 0, "lower": 0, "uncertain": 0}}  # fmt: skip


# -- comparisons ----------------------------------------------------------------------------------


@attrs.frozen(eq=False, repr=False)
class Comparison:
    """A coverage diff with the laws' structural diff and the attribution of its changes."""

    coverage: CoverageDiff
    laws: tuple[LawDiff, ...]
    attribution: tuple[AttributionRow, ...]

    @property
    def base(self) -> Coverage:
        return self.coverage.base

    @property
    def head(self) -> Coverage:
        return self.coverage.head

    def provisions(self) -> list[tuple[str, str]]:
        """``(id, change)`` of every changed provision, parameter and definition, by id."""
        found = [(p.id, p.change) for ld in self.laws for p in ld.provisions]
        found += [(n.id, n.change) for ld in self.laws for n in (*ld.parameters, *ld.definitions)]
        return sorted(found)

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """The JSON document of ``kzrehab diff`` and ``kzrehab compare`` (docs/json.rst),
        without its summary sentences: :func:`kzrehab.reports.data.comparison_json`."""
        from .reports.data import comparison_data, comparison_json

        return comparison_json(comparison_data(self, claims=claims), summary=False)

    def __repr__(self) -> str:
        changed = len(self.provisions())
        return (f"<Comparison {len(self.base):,} claims: {self.coverage.gained:,} gain, "
                f"{self.coverage.lost:,} lose; {changed:,} changed provision"
                f"{'s' if changed != 1 else ''}>")


def compare(
    base: Framework,
    head: Framework,
    population: Population,
    as_of: dt.date,
    evaluate: Evaluate | None = None,
) -> Comparison:
    """Evaluate two frameworks over ``population`` and explain the difference.

    ``evaluate`` (default: :meth:`Framework.evaluate` at ``as_of``) lets a caller cache
    coverages, e.g. :meth:`kzrehab.cache.CoverageCache.evaluate`.
    """
    from .evaluation import evaluate as evaluate_

    run: Evaluate = evaluate or (lambda fw: evaluate_(fw, population, as_of))
    base_cov, head_cov = run(base), run(head)
    laws = tuple(diff_laws(base.laws, head.laws))
    rows = attribute(base, head, laws, base_cov, head_cov, run)
    return Comparison(CoverageDiff(base_cov, head_cov), laws, tuple(rows))
