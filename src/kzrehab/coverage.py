"""Coverage: what a framework gives every claim of a population at an assessment date.

A :class:`Coverage` holds, per claim, Kleene arrays (``int8``: 0 false, 1 unknown, 2 true)
for the status, every ground (applies), exclusion (holds), category and component
(received), and the rounded amount range of every component with an amount. It knows its
framework and its population, and summarises itself as counts and ranges (SPEC §7).
"""

from __future__ import annotations

__all__ = ["Coverage", "CoverageSummary", "Summaries", "Tally", "SCHEMA", "amount_json"]

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .laws.framework import STATUSES, ClaimResult, Framework
from .rules.values import K

if TYPE_CHECKING:
    from .laws._vector import Part
    from .population import Population

#: The version tag of every JSON document kzrehab writes.
SCHEMA = "kzrehab/1"

Tri = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]


def _bound(x: float) -> float | None:
    return None if math.isinf(x) or math.isnan(x) else round(float(x), 2)


def amount_json(lo: float, hi: float) -> dict[str, float | None]:
    """An amount range as JSON (SPEC §7): ``{"min": x, "max": y}`` in tenge rounded to
    cents, ``None`` for an unbounded side."""
    return {"min": _bound(lo), "max": _bound(hi)}


def population_json(p: Population) -> dict[str, Any]:
    """The ``population`` object of every evaluating command's JSON (SPEC §7)."""
    return {"name": p.name, "claims": len(p), "victims": p.victims, "events": p.events,
            "synthetic": p.synthetic, "digest": p.digest}  # fmt: skip


def _cents(x: Floats) -> int:
    """The exact sum of amounts already rounded to cents (order-independent)."""
    return int(np.rint(x * 100.0).astype(np.int64).sum())


@attrs.define
class Tally:
    """Counts and amount totals of a coverage: what summaries need, without the claims.

    Amount totals are kept in whole cents (amounts are rounded to cents per claim first),
    so chunks add up exactly whatever their order.
    """

    claims: int
    status: list[int]  # ineligible, undetermined, eligible
    grounds: dict[str, list[int]]  # applies, undetermined
    exclusions: dict[str, list[int]]  # holds, undetermined
    categories: dict[str, list[int]]  # eligible, undetermined
    components: dict[str, list[int]]  # claims, undetermined
    amounts: dict[str, list[int]]  # lowest and highest total in cents; unbounded highs
    unbounded: dict[str, bool]

    @classmethod
    def of(
        cls,
        status: Tri,
        grounds: Mapping[str, Tri],
        exclusions: Mapping[str, Tri],
        categories: Mapping[str, Tri],
        components: Mapping[str, Tri],
        amount_lo: Mapping[str, Floats],
        amount_hi: Mapping[str, Floats],
    ) -> Tally:
        """Count per-claim arrays."""

        def two(a: Tri) -> list[int]:
            return [int((a == 2).sum()), int((a == 1).sum())]

        amounts: dict[str, list[int]] = {}
        unbounded: dict[str, bool] = {}
        for cid, lo in amount_lo.items():
            sure = components[cid] == 2
            hi = amount_hi[cid][sure]
            finite = np.isfinite(hi)
            amounts[cid] = [_cents(lo[sure]), _cents(hi[finite])]
            unbounded[cid] = bool((~finite).any())
        return cls(
            int(status.shape[0]),
            [int(x) for x in np.bincount(status, minlength=3)],
            {k: two(v) for k, v in grounds.items()},
            {k: two(v) for k, v in exclusions.items()},
            {k: two(v) for k, v in categories.items()},
            {k: two(v) for k, v in components.items()},
            amounts,
            unbounded,
        )

    def add(self, other: Tally) -> None:
        """Add the counts of another chunk of the same framework."""
        self.claims += other.claims
        self.status = [a + b for a, b in zip(self.status, other.status, strict=True)]
        for mine, theirs in (
            (self.grounds, other.grounds), (self.exclusions, other.exclusions),
            (self.categories, other.categories), (self.components, other.components),
            (self.amounts, other.amounts),
        ):  # fmt: skip
            for k, v in theirs.items():
                mine[k] = [a + b for a, b in zip(mine.get(k, [0] * len(v)), v, strict=True)]
        for k, u in other.unbounded.items():
            self.unbounded[k] = self.unbounded.get(k, False) or u


class Summaries:
    """The summaries of a coverage (SPEC §7), computed from a :class:`Tally`.

    Shared by :class:`Coverage` (which holds every claim's result) and
    :class:`CoverageSummary` (which holds only the tally: ten million claims).
    """

    framework: Framework
    population: Population
    as_of: dt.date

    @property
    def tally(self) -> Tally:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.tally.claims

    def counts(self) -> dict[str, int]:
        """Claims by status."""
        s = self.tally.status
        return {"eligible": s[2], "ineligible": s[0], "undetermined": s[1]}

    def by_category(self) -> list[dict[str, Any]]:
        """Per category: claims surely in it, and claims that may be."""
        return [{"category": c, "eligible": v[0], "undetermined": v[1]}
                for c, v in sorted(self.tally.categories.items())]  # fmt: skip

    def by_ground(self) -> list[dict[str, Any]]:
        """Per ground: claims it applies to, and claims it may apply to."""
        return [{"ground": g, "applies": v[0], "undetermined": v[1]}
                for g, v in sorted(self.tally.grounds.items())]  # fmt: skip

    def by_exclusion(self) -> list[dict[str, Any]]:
        """Per exclusion: claims it holds for, and claims it may hold for."""
        return [{"exclusion": e, "holds": v[0], "undetermined": v[1]}
                for e, v in sorted(self.tally.exclusions.items())]  # fmt: skip

    def amount_total(self, component: str) -> tuple[float, float] | None:
        """The range of the total amount over the claims that surely receive a component."""
        cents = self.tally.amounts.get(component)
        if cents is None:
            return None
        hi = math.inf if self.tally.unbounded[component] else cents[1] / 100
        return cents[0] / 100, hi

    def by_component(self) -> list[dict[str, Any]]:
        """Per component: claims that surely / may receive it, and the total amount range."""
        rows = []
        for cid, (sure, maybe) in sorted(self.tally.components.items()):
            total = self.amount_total(cid)
            rows.append({
                "component": cid,
                "kind": self.framework.components[cid][0].kind,
                "claims": sure,
                "undetermined": maybe,
                "amount": None if total is None else amount_json(*total),
            })  # fmt: skip
        return rows

    def population_json(self) -> dict[str, Any]:
        """The ``population`` object of every evaluating command's JSON."""
        return population_json(self.population)

    def summary_json(self) -> dict[str, Any]:
        """The coverage object of SPEC §7, without claims."""
        return {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "population": self.population_json(),
            "laws": [{"id": law.id, "ref": law.ref, "commit": law.commit, "title": law.title,
                      "kind": law.kind, "status": law.status, "version": law.version}
                     for law in self.framework.laws],
            "status": self.counts(),
            "by_category": self.by_category(),
            "by_component": self.by_component(),
            "by_ground": self.by_ground(),
            "by_exclusion": self.by_exclusion(),
            "notices": list(self.framework.notices),
        }  # fmt: skip


@attrs.frozen(eq=False)
class CoverageSummary(Summaries):
    """The summaries of a framework over a population, without per-claim results."""

    framework: Framework
    population: Population
    as_of: dt.date
    _tally: Tally

    @property
    def tally(self) -> Tally:
        return self._tally

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """The JSON document of ``kzrehab coverage`` (claims are not kept here)."""
        return self.summary_json()


@attrs.frozen(eq=False)
class Coverage(Summaries):
    """The result of a framework over a population at an assessment date."""

    framework: Framework
    population: Population
    as_of: dt.date
    #: per claim: 0 ineligible, 1 undetermined, 2 eligible
    status: Tri
    grounds: Mapping[str, Tri]
    exclusions: Mapping[str, Tri]
    categories: Mapping[str, Tri]
    components: Mapping[str, Tri]
    amount_lo: Mapping[str, Floats]
    amount_hi: Mapping[str, Floats]

    @classmethod
    def from_results(
        cls,
        framework: Framework,
        population: Population,
        as_of: dt.date,
        results: Sequence[ClaimResult],
    ) -> Coverage:
        """Assemble per-claim results of the interpreter into arrays."""
        n = len(results)
        status = np.fromiter((STATUSES.index(r.status) for r in results), np.int8, n)
        ground_ids = list(framework.covering)
        grounds = {
            g: np.fromiter((r.grounds[g].value for r in results), np.int8, n) for g in ground_ids
        }
        exclusions = {
            e: np.fromiter((r.exclusions[e].value for r in results), np.int8, n)
            for e in framework.exclusion_law
        }
        cat_code = {"eligible": K.TRUE, "undetermined": K.UNKNOWN}
        categories = {
            c: np.fromiter((cat_code.get(r.categories.get(c, ""), 0) for r in results), np.int8, n)
            for c in framework.categories
        }
        comp_code = {"received": K.TRUE, "possible": K.UNKNOWN}
        components: dict[str, Tri] = {}
        lo: dict[str, Floats] = {}
        hi: dict[str, Floats] = {}
        for cid, (comp, _, _) in framework.components.items():
            components[cid] = np.fromiter(
                (comp_code.get(r.components.get(cid, ""), 0) for r in results), np.int8, n
            )
            if comp.amount is not None:
                ranges = [r.amounts.get(cid) for r in results]
                lo[cid] = np.array([x.lo if x else np.nan for x in ranges], np.float64)
                hi[cid] = np.array([x.hi if x else np.nan for x in ranges], np.float64)
        return cls(framework, population, as_of, status, grounds, exclusions, categories,
                   components, lo, hi)  # fmt: skip

    @classmethod
    def from_parts(
        cls,
        framework: Framework,
        population: Population,
        as_of: dt.date,
        parts: Sequence[Part],
    ) -> Coverage:
        """Join the arrays of the vectorised engine's chunks."""

        def join(get: Any) -> dict[str, Any]:
            keys = get(parts[0]).keys()
            return {k: np.concatenate([get(p)[k] for p in parts]) for k in keys}

        if not parts:
            raise ValueError("no parts")
        return cls(
            framework, population, as_of,
            np.concatenate([p.status for p in parts]),
            join(lambda p: p.grounds), join(lambda p: p.exclusions),
            join(lambda p: p.categories), join(lambda p: p.components),
            join(lambda p: p.amount_lo), join(lambda p: p.amount_hi),
        )  # fmt: skip

    # -- summaries --------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.status.shape[0])

    @functools.cached_property
    def tally(self) -> Tally:
        """Counts and totals of every claim's result."""
        return Tally.of(self.status, self.grounds, self.exclusions, self.categories,
                        self.components, self.amount_lo, self.amount_hi)  # fmt: skip

    def claim_rows(self) -> list[dict[str, Any]]:
        """Per claim, in population order: what it is eligible for and receives (§7)."""
        rows = []
        components = sorted(self.components.items())
        categories = sorted(self.categories.items())
        grounds = sorted(self.grounds.items())
        exclusions = sorted(self.exclusions.items())
        kinds = {cid: self.framework.components[cid][0].kind for cid, _ in components}
        for i in range(len(self)):
            comps = []
            for cid, a in components:
                if a[i] != 2:
                    continue
                rng = None
                if cid in self.amount_lo:
                    lo, hi = float(self.amount_lo[cid][i]), float(self.amount_hi[cid][i])
                    rng = amount_json(lo, hi)
                amount = rng["min"] if rng and lo == hi else None
                comps.append({"id": cid, "kind": kinds[cid], "amount": amount,
                              "amount_range": rng})  # fmt: skip
            rows.append({
                "id": self.population.claim_id(i),
                "status": STATUSES[self.status[i]],
                "categories": [c for c, a in categories if a[i] == 2],
                "grounds": [g for g, a in grounds if a[i] == 2],
                "exclusions": [e for e, a in exclusions if a[i] == 2],
                "components": comps,
            })  # fmt: skip
        return rows

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """The JSON document of ``kzrehab coverage`` (SPEC §7)."""
        doc = self.summary_json()
        if claims:
            doc["claims"] = self.claim_rows()
        return doc
