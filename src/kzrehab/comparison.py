"""Coverage diffs: two coverages of one population side by side, and what explains them.

:func:`diff` gives a :class:`CoverageDiff` of a base and a head coverage: the nine status
transitions, breakdowns by category and by component for both sides, and what changed for
every claim at every level — status, categories, components, amounts
(:mod:`kzrehab.outcome` defines the levels per claim; this module is their vectorised
twin). :func:`compare` adds the structural diff of the two frameworks' laws
(:mod:`kzrehab.redline`) and the **attribution** of the changes to the changed provisions
(:mod:`kzrehab.attribution`), as a :class:`Comparison` — what ``kzrehab diff`` and
``kzrehab compare`` report.

A claim *gains* when it gains at any level and *loses* when it loses at any level; it can
do both.
"""

from __future__ import annotations

__all__ = [
    "Transition",
    "Moves",
    "CoverageDiff",
    "diff",
    "diff_claim_columns",
]

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from . import i18n
from .coverage import (
    Coverage,
    cents_json,
    kleene_words,
    received_arrays,
    sum_cents,
    to_cents,
)
from .errors import UsageError
from .evaluation import ties
from .laws.framework import Framework
from .laws.provisions import PERIODS
from .outcome import LEVELS, STATUSES, AmountChange, ClaimDiff, Ties, periods
from .rules.values import FALSE, TRUE, Interval, K

if TYPE_CHECKING:
    import pandas

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


Tri = npt.NDArray[np.int8]


def _range_moves(b_lo: Cents, b_hi: Cents, h_lo: Cents, h_hi: Cents,
                 receipts: tuple[Tri, Tri] | None = None,
                 tied: tuple[Cents, Cents, Tri | None, int] | None = None) -> Moves:  # fmt: skip
    """How what each claim may receive changed: ``head - base`` by interval subtraction,
    or, with ``tied`` (the one amount's range in cents, where the amount is the same rule
    on both sides; whether the receipts differ, None when unknown; and which way), the
    change of :func:`kzrehab.outcome.tied_change`. With the component's ``receipts``
    (base, head), a claim whose receipt changed moves even where its range did not, and
    where whether the receipts differ is known, every claim whose change is not 0."""
    changed = (b_lo != h_lo) | (b_hi != h_hi)
    if receipts is not None:
        changed |= receipts[0] != receipts[1]
    with np.errstate(invalid="ignore"):
        if tied is None or receipts is None:
            lo, hi = h_lo - b_hi, h_hi - b_lo
        else:
            x_lo, x_hi, differ, way = tied
            if differ is not None:
                changed = np.ones(len(b_lo), bool)
            lo, hi = _tied(receipts[0], receipts[1], x_lo, x_hi, differ, way)
        lo = np.where(changed, lo, 0.0)
        hi = np.where(changed, hi, 0.0)
    return _moves(changed & ~((lo == 0) & (hi == 0)), lo, hi, (b_lo, b_hi, h_lo, h_hi))


def _tied(base: Tri, head: Tri, x_lo: Cents, x_hi: Cents, differ: Tri | None,
          way: int) -> tuple[Cents, Cents]:  # fmt: skip
    """:func:`kzrehab.outcome.tied_change` per claim: ``(head - base) * x`` for the one
    amount ``x`` in ``x_lo … x_hi`` (cents), over the pairs of receipts allowed."""
    can = {0: (base != TRUE, head != TRUE), 1: (base != FALSE, head != FALSE)}
    pairs = [(b, h) for b in (0, 1) for h in (0, 1)]
    kleene = {(b, h): can[b][0] & can[h][1] for b, h in pairs}
    allowed = dict(kleene)
    if differ is not None:
        for b, h in pairs:
            if b == h:
                allowed[(b, h)] = kleene[(b, h)] & (differ != TRUE)
            else:
                allowed[(b, h)] = kleene[(b, h)] & (differ != FALSE) & (way in (0, h - b))
        some = np.zeros(len(base), bool)
        for a in allowed.values():
            some |= a
        allowed = {k: np.where(some, a, kleene[k]) for k, a in allowed.items()}
    lo, hi = np.full(len(base), np.inf), np.full(len(base), -np.inf)
    for (b, h), a in allowed.items():
        d = h - b
        low, high = ((x_lo, x_hi) if d > 0 else (0.0 - x_hi, 0.0 - x_lo) if d < 0
                     else (np.zeros(len(base)), np.zeros(len(base))))  # fmt: skip
        lo = np.where(a, np.fmin(lo, low), lo)
        hi = np.where(a, np.fmax(hi, high), hi)
    return lo, hi


def _side(cov: Coverage, kind: str, name: str) -> npt.NDArray[np.int8]:
    group: Mapping[str, npt.NDArray[np.int8]] = getattr(cov, kind)
    a = group.get(name)
    return np.full(len(cov), FALSE, np.int8) if a is None else a


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
                i18n._("cannot diff coverages of different populations "
                       "('{name}' and '{name2}')").format(
                    name=base.population.name, name2=head.population.name)
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
        from each other. A component whose amount is the same rule on both sides
        (:attr:`ties`) changes by :func:`kzrehab.outcome.tied_change`."""
        out = {}
        base_p, head_p = periods(self.base.framework), periods(self.head.framework)
        for c, ((b_lo, b_hi), (h_lo, h_hi)) in self.receipts.items():
            bp, hp = base_p.get(c), head_p.get(c)
            if bp is None or hp is None or bp == hp:
                receipts = (_side(self.base, "components", c), _side(self.head, "components", c))
                tied = self._tied(c, *receipts)
                out[(c, hp or bp or "once")] = _range_moves(b_lo, b_hi, h_lo, h_hi, receipts,
                                                            tied)  # fmt: skip
            else:
                zero = np.zeros(len(self.base))
                out[(c, bp)] = _range_moves(b_lo, b_hi, zero, zero)
                out[(c, hp)] = _range_moves(zero, zero, h_lo, h_hi)
        return out

    def _tied(self, c: str, base: Tri, head: Tri) -> tuple[Cents, Cents, Tri | None, int] | None:
        """What :func:`_range_moves` needs to tie a component's two sides: its one amount
        (cents), whether its receipts differ and which way; None when its amount is not the
        same rule, or where no claim may receive it on both sides but for sure."""
        if c not in self.base.amount_lo or c not in self.head.amount_lo:
            return None
        if not ((base != FALSE) & (head != FALSE) & ((base != TRUE) | (head != TRUE))).any():
            return None  # the subtraction is exact
        if c not in self.ties.amounts:
            return None
        with np.errstate(invalid="ignore"):
            x_lo = to_cents(np.fmin(self.base.amount_lo[c], self.head.amount_lo[c]))
            x_hi = to_cents(np.fmax(self.base.amount_hi[c], self.head.amount_hi[c]))
        tie = self.ties.receipts.get(c)
        if tie is None:
            return x_lo, x_hi, None, 0
        way, others = tie
        own, by = (base, self.head) if way < 0 else (head, self.base)
        replaced = np.zeros(len(self.base), np.int8)  # Kleene or: the greatest
        for o in others:
            replaced = np.maximum(replaced, _side(by, "components", o))
        return x_lo, x_hi, np.minimum(own, replaced), way

    @functools.cached_property
    def ties(self) -> Ties:
        """What is known of how the two sides' components relate
        (:func:`kzrehab.programs.ties`)."""
        return ties(self.base.framework, self.head.framework, self.base.as_of,
                    self.head.as_of)  # fmt: skip

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
        return int(np.count_nonzero(self.gains))

    @property
    def lost(self) -> int:
        """Claims that lose at any level."""
        return int(np.count_nonzero(self.loses))

    def level_counts(self) -> dict[str, dict[str, int]]:
        """Claims that gain and lose at each level (amounts: higher, lower, uncertain)."""
        money = list(self.money.values())

        def n(mask: Mask) -> int:
            return int(np.count_nonzero(mask))

        return {
            "status": {"gained": n(self.head.status > self.base.status),
                       "lost": n(self.head.status < self.base.status)},
            "categories": {"gained": n(self._any(g for g, _ in self.categories.values())),
                           "lost": n(self._any(x for _, x in self.categories.values()))},
            "components": {"gained": n(self._any(g for g, _ in self.components.values())),
                           "lost": n(self._any(x for _, x in self.components.values()))},
            "amounts": {"higher": n(self._any(m.higher for m in money)),
                        "lower": n(self._any(m.lower for m in money)),
                        "uncertain": n(self._any(m.uncertain for m in money))},
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


    def claim_columns(self, changed_only: bool = True) -> dict[str, Any]:
        """What changed for each claim, as columns (:func:`diff_claim_columns`)."""
        return diff_claim_columns(self, changed_only)

    def to_records(self, changed_only: bool = True) -> list[dict[str, Any]]:
        """One plain dict per claim whose outcome changed (``changed_only=False``: per
        claim), in population order: each level's change (:func:`diff_claim_columns`)."""
        from ._extras import records

        return records(diff_claim_columns(self, changed_only))

    def to_pandas(self, changed_only: bool = True) -> pandas.DataFrame:
        """:meth:`to_records` as a :class:`pandas.DataFrame` (the optional extra ``pandas``:
        ``pip install 'kzrehab[pandas]'``)."""
        from ._extras import frame

        return frame(diff_claim_columns(self, changed_only), "CoverageDiff.to_pandas()")


def diff_claim_columns(d: CoverageDiff, changed_only: bool = True) -> dict[str, Any]:
    """What changed for each claim, as columns, one row per claim whose outcome changed
    (``changed_only=False``: every claim), in population order — the one definition of a
    diff's per-claim row (``to_records``, ``to_pandas`` and the ``claims`` table of
    ``diff``/``compare --claims --format csv|xlsx|parquet``), level by level as
    :class:`kzrehab.outcome.ClaimDiff`:

    - ``id``; ``status_from``, ``status_to``;
    - ``gains``, ``loses`` (booleans) and ``levels_gained``, ``levels_lost`` (the levels,
      ``status; categories; components; amounts``);
    - ``categories_gained``, ``categories_lost``, ``components_gained``,
      ``components_lost``: ids joined by ``"; "``;
    - per component (either side's), by id: ``receives_from:ID`` and ``receives_to:ID``,
      ``yes``/``no``/``unknown``;
    - per component with an amount: ``change_min:ID``, ``change_max:ID`` (tenge; 0 where
      what the claim may receive did not change) and ``direction:ID`` (``lower``,
      ``higher``, ``uncertain``, or empty); a component whose period differs between the
      sides has two sets, ``ID@once`` and ``ID@month``;
    - per period (``once``, ``month``) in which some claim's money changed:
      ``money_change_min:PERIOD``, ``money_change_max:PERIOD``, ``money_direction:PERIOD``.
    """
    rows = np.flatnonzero(d.changed) if changed_only else np.arange(len(d.base))
    base, head = d.base, d.head
    out: dict[str, Any] = {
        "id": [base.population.claim_id(int(i)) for i in rows],
        "status_from": np.array(STATUSES, dtype=object)[base.status[rows].astype(np.intp)],
        "status_to": np.array(STATUSES, dtype=object)[head.status[rows].astype(np.intp)],
        "gains": d.gains[rows], "loses": d.loses[rows],
    }  # fmt: skip
    money = list(d.money.values())
    level_masks = {
        "status": ((head.status > base.status), (head.status < base.status)),
        "categories": (d._any(g for g, _ in d.categories.values()),
                       d._any(x for _, x in d.categories.values())),
        "components": (d._any(g for g, _ in d.components.values()),
                       d._any(x for _, x in d.components.values())),
        "amounts": (d._any(m.higher for m in money), d._any(m.lower for m in money)),
    }  # fmt: skip
    assert tuple(level_masks) == LEVELS
    out["levels_gained"] = _joined(rows, ((k, g) for k, (g, _) in level_masks.items()))
    out["levels_lost"] = _joined(rows, ((k, x) for k, (_, x) in level_masks.items()))
    out["categories_gained"] = _joined(rows, ((c, g) for c, (g, _) in d.categories.items()))
    out["categories_lost"] = _joined(rows, ((c, x) for c, (_, x) in d.categories.items()))
    out["components_gained"] = _joined(rows, ((c, g) for c, (g, _) in d.components.items()))
    out["components_lost"] = _joined(rows, ((c, x) for c, (_, x) in d.components.items()))
    for c in d.components:
        out[f"receives_from:{c}"] = kleene_words(_side(base, "components", c)[rows])
        out[f"receives_to:{c}"] = kleene_words(_side(head, "components", c)[rows])
    split = {c for (c, _) in d.amounts if sum(1 for (x, _) in d.amounts if x == c) > 1}
    for (c, p), m in d.amounts.items():
        name = f"{c}@{p}" if c in split else c
        _move_columns(out, m, rows, f"change_min:{name}", f"change_max:{name}",
                      f"direction:{name}")  # fmt: skip
    for p, m in d.money.items():
        _move_columns(out, m, rows, f"money_change_min:{p}", f"money_change_max:{p}",
                      f"money_direction:{p}")  # fmt: skip
    return out


def _joined(rows: npt.NDArray[np.intp], named: Iterable[tuple[str, Mask]]) -> list[str]:
    """Per row, the names whose mask holds there, joined by ``"; "``."""
    found: list[list[str]] = [[] for _ in rows]
    for name, mask in named:
        for j in np.flatnonzero(mask[rows]):
            found[j].append(name)
    return ["; ".join(x) for x in found]


def _move_columns(out: dict[str, Any], m: Moves, rows: npt.NDArray[np.intp], lo: str, hi: str,
                  way: str) -> None:  # fmt: skip
    """A move's change range (tenge; NaN: unbounded) and direction, for ``rows``."""
    with np.errstate(invalid="ignore"):
        out[lo] = np.where(np.isfinite(m.lo[rows]), m.lo[rows] / 100.0, np.nan)
        out[hi] = np.where(np.isfinite(m.hi[rows]), m.hi[rows] / 100.0, np.nan)
    ways = np.full(len(rows), "", dtype=object)
    for word in ("uncertain", "higher", "lower"):
        ways[getattr(m, word)[rows]] = word
    out[way] = ways


def _sides(m: Moves, i: Any) -> tuple[Interval, Interval]:
    assert m.sides is not None
    b_lo, b_hi, h_lo, h_hi = m.sides
    return Interval(b_lo[i] / 100, b_hi[i] / 100), Interval(h_lo[i] / 100, h_hi[i] / 100)


def _way(m: Moves, i: Any) -> str:
    return "lower" if m.lower[i] else "higher" if m.higher[i] else "uncertain"


def diff(base: Coverage, head: Coverage) -> CoverageDiff:
    """The diff of two coverages of the same population (a :class:`UsageError` otherwise)."""
    return CoverageDiff(base, head)


# -- comparisons ----------------------------------------------------------------------------------
