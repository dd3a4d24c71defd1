"""Coverage: what a framework gives every claim of a population at an assessment date.

A :class:`Coverage` holds, per claim, Kleene arrays (``int8``: 0 false, 1 unknown, 2 true)
for the status, every ground (applies), exclusion (holds), category and component
(received), and the rounded amount range of every component with an amount. It knows its
framework and its population, and summarises itself as counts and ranges (SPEC §7).
"""

from __future__ import annotations

__all__ = ["Coverage", "SCHEMA"]

import datetime as dt
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


@attrs.frozen(eq=False)
class Coverage:
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

    def counts(self) -> dict[str, int]:
        """Claims by status."""
        tally = np.bincount(self.status, minlength=3)
        return {"eligible": int(tally[2]), "ineligible": int(tally[0]),
                "undetermined": int(tally[1])}  # fmt: skip

    def by_category(self) -> list[dict[str, Any]]:
        """Per category: claims surely in it, and claims that may be."""
        return [
            {"category": c, "eligible": int((a == 2).sum()), "undetermined": int((a == 1).sum())}
            for c, a in sorted(self.categories.items())
        ]

    def by_ground(self) -> list[dict[str, Any]]:
        """Per ground: claims it applies to, and claims it may apply to."""
        return [
            {"ground": g, "applies": int((a == 2).sum()), "undetermined": int((a == 1).sum())}
            for g, a in self.grounds.items()
        ]

    def by_exclusion(self) -> list[dict[str, Any]]:
        """Per exclusion: claims it holds for, and claims it may hold for."""
        return [
            {"exclusion": e, "holds": int((a == 2).sum()), "undetermined": int((a == 1).sum())}
            for e, a in self.exclusions.items()
        ]

    def amount_total(self, component: str) -> tuple[float, float] | None:
        """The range of the total amount over the claims that surely receive a component."""
        if component not in self.amount_lo:
            return None
        sure = self.components[component] == 2
        return (float(self.amount_lo[component][sure].sum()),
                float(self.amount_hi[component][sure].sum()))  # fmt: skip

    def by_component(self) -> list[dict[str, Any]]:
        """Per component: claims that surely / may receive it, and the total amount range."""
        rows = []
        for cid, a in self.components.items():
            total = self.amount_total(cid)
            rows.append({
                "component": cid,
                "kind": self.framework.components[cid][0].kind,
                "claims": int((a == 2).sum()),
                "undetermined": int((a == 1).sum()),
                "amount": None if total is None else {"min": _bound(total[0]),
                                                      "max": _bound(total[1])},
            })  # fmt: skip
        return rows

    def claim_rows(self) -> list[dict[str, Any]]:
        """Per claim, in population order: what it is eligible for and receives (§7)."""
        rows = []
        for i, claim in enumerate(self.population.claims):
            comps = []
            for cid, a in self.components.items():
                if a[i] != 2:
                    continue
                rng = None
                if cid in self.amount_lo:
                    lo, hi = float(self.amount_lo[cid][i]), float(self.amount_hi[cid][i])
                    rng = {"min": _bound(lo), "max": _bound(hi)}
                amount = rng["min"] if rng and lo == hi else None
                comps.append({"id": cid, "kind": self.framework.components[cid][0].kind,
                              "amount": amount, "amount_range": rng})  # fmt: skip
            rows.append({
                "id": claim.id,
                "status": STATUSES[self.status[i]],
                "categories": sorted(c for c, a in self.categories.items() if a[i] == 2),
                "grounds": sorted(g for g, a in self.grounds.items() if a[i] == 2),
                "exclusions": sorted(e for e, a in self.exclusions.items() if a[i] == 2),
                "components": comps,
            })  # fmt: skip
        return rows

    def population_json(self) -> dict[str, Any]:
        """The ``population`` object of every evaluating command's JSON."""
        p = self.population
        return {"name": p.name, "claims": len(p), "victims": p.victims, "events": p.events,
                "synthetic": p.synthetic, "digest": p.digest}  # fmt: skip

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """The JSON document of ``kzrehab coverage`` (SPEC §7)."""
        doc: dict[str, Any] = {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "population": self.population_json(),
            "laws": [{"id": law.id, "ref": law.ref, "commit": law.commit}
                     for law in self.framework.laws],
            "status": self.counts(),
            "by_category": self.by_category(),
            "by_component": self.by_component(),
        }  # fmt: skip
        if claims:
            doc["claims"] = self.claim_rows()
        return doc
