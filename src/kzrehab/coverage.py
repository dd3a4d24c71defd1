"""Coverage: what a framework gives every claim of a population at an assessment date.

A :class:`Coverage` holds, per claim, Kleene arrays (``int8``: 0 false, 1 unknown, 2 true)
for the status, every ground (applies), exclusion (holds), category and component
(received), and the rounded amount range of every component with an amount. It knows its
framework and its population, and summarises itself as counts and ranges; its report's
data are :func:`kzrehab.reports.data.coverage_data` (docs/json.rst).
"""

from __future__ import annotations

__all__ = [
    "Coverage",
    "CoverageSummary",
    "Summaries",
    "Tally",
    "Part",
    "SCHEMA",
    "cents_json",
    "exact_cents",
    "sum_cents",
    "to_cents",
    "range_cents",
    "received_arrays",
    "kleene_words",
    "claim_columns",
    "unshared",
]

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .i18n import _
from .laws.framework import Framework
from .laws.provisions import PERIODS
from .outcome import STATUSES, YES_NO, ClaimResult, periods
from .rules.values import TRUE, UNKNOWN

if TYPE_CHECKING:
    import pandas

    from ._extras import Columns
    from .population import Population

#: The version tag of every JSON document kzrehab writes.
SCHEMA = "kzrehab/2"

Tri = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]


@attrs.frozen(eq=False)
class Part:
    """The per-claim arrays of one chunk of claims, as the vectorised engine gives them."""

    status: Tri
    grounds: dict[str, Tri]
    exclusions: dict[str, Tri]
    categories: dict[str, Tri]
    components: dict[str, Tri]
    amount_lo: dict[str, Floats]
    amount_hi: dict[str, Floats]


def population_json(p: Population) -> dict[str, Any]:
    """The ``population`` object of every evaluating command's JSON (docs/json.rst); the
    typed reports' data say it with :class:`kzrehab.reports.data.PopulationInfo`."""
    return {"name": p.name, "claims": len(p), "victims": p.victims, "events": p.events,
            "synthetic": p.synthetic, "digest": p.digest}  # fmt: skip


_SPLIT = 1 << 24


def sum_cents(cents: Floats) -> int | None:
    """The exact sum of whole cents (floats holding integers); None when one is infinite.

    Each value is at most a few times :data:`kzrehab.plan.MAX_AMOUNT` in cents, an exact
    integer in an int64; the values are split into a high and a low part whose int64 sums
    cannot overflow for any population size, and joined as a Python integer: totals are
    exact however large, and never wrap. This is the one summation of every amount total,
    of coverages and of diffs.
    """
    if not np.isfinite(cents).all():
        return None
    c = np.asarray(cents, np.float64).astype(np.int64)
    high, low = np.divmod(c, _SPLIT)
    return int(high.sum(dtype=np.int64)) * _SPLIT + int(low.sum(dtype=np.int64))


def to_cents(x: Floats) -> Floats:
    """Amounts (tenge) as whole cents, in floats holding integers; ±inf stays."""
    return np.where(np.isfinite(x), np.rint(np.asarray(x, np.float64) * 100.0), x)


def exact_cents(x: Floats) -> int:
    """The exact sum, in whole cents, of finite amounts (tenge) already rounded to cents."""
    total = sum_cents(to_cents(x))
    assert total is not None, "exact_cents takes finite amounts"
    return total


def range_cents(lo: Floats, hi: Floats) -> tuple[int | None, int | None]:
    """The exact total of per-claim ranges in cents; None for a side that is unbounded."""
    return sum_cents(to_cents(lo)), sum_cents(to_cents(hi))


def received_arrays(receives: Tri, lo: Floats, hi: Floats) -> tuple[Floats, Floats]:
    """Per claim, the range it may receive from a component: its amount when it surely
    receives it, 0 … its upper end when it possibly does, 0 when it does not
    (:func:`kzrehab.outcome.received`, vectorised)."""
    r_lo = np.where(receives == TRUE, lo, 0.0)
    r_hi = np.where(receives >= UNKNOWN, hi, 0.0)
    return r_lo, r_hi


@attrs.define
class Tally:
    """Counts and amount totals of a coverage: what summaries need, without the claims.

    Amount totals are exact integers of cents (amounts are rounded to cents per claim
    first, :func:`exact_cents`), so chunks add up exactly whatever their order. A
    component's total is the range of what its recipients may receive: at least the sum
    of the lower ends over the claims that surely receive it, at most the sum of the upper
    ends over the claims that surely or possibly receive it (None: unbounded).
    """

    claims: int
    status: list[int]  # ineligible, undetermined, eligible
    grounds: dict[str, list[int]]  # applies, undetermined
    exclusions: dict[str, list[int]]  # holds, undetermined
    categories: dict[str, list[int]]  # eligible, undetermined
    components: dict[str, list[int]]  # claims, undetermined
    #: lowest and highest total in cents (None: unbounded)
    amounts: dict[str, list[int | None]]
    #: claims that may receive a non-zero amount of the component (its contributors)
    paying: dict[str, int] = attrs.field(factory=dict)

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

        counted: dict[int, tuple[Tri, list[int]]] = {}

        def two(a: Tri) -> list[int]:
            # provisions that share a condition share its array (kzrehab.rules.compiler,
            # *Sharing*): each array is counted once
            found = counted.get(id(a))
            if found is None:
                found = counted[id(a)] = (a, [int((a == TRUE).sum()), int((a == UNKNOWN).sum())])
            return list(found[1])

        amounts: dict[str, list[int | None]] = {}
        paying: dict[str, int] = {}
        for cid, lo in amount_lo.items():
            r_lo, r_hi = received_arrays(components[cid], lo, amount_hi[cid])
            amounts[cid] = list(range_cents(r_lo, r_hi))
            paying[cid] = int((r_hi != 0).sum())
        return cls(
            int(status.shape[0]),
            [int(x) for x in np.bincount(status, minlength=3)],
            {k: two(v) for k, v in grounds.items()},
            {k: two(v) for k, v in exclusions.items()},
            {k: two(v) for k, v in categories.items()},
            {k: two(v) for k, v in components.items()},
            amounts,
            paying,
        )

    def add(self, other: Tally) -> None:
        """Add the counts of another chunk of the same framework."""
        self.claims += other.claims
        self.status = [a + b for a, b in zip(self.status, other.status, strict=True)]
        for mine, theirs in (
            (self.grounds, other.grounds), (self.exclusions, other.exclusions),
            (self.categories, other.categories), (self.components, other.components),
        ):  # fmt: skip
            for k, v in theirs.items():
                mine[k] = [a + b for a, b in zip(mine.get(k, [0] * len(v)), v, strict=True)]
        for k, (lo, hi) in other.amounts.items():
            my_lo, my_hi = self.amounts.get(k, [0, 0])
            self.amounts[k] = [None if lo is None or my_lo is None else my_lo + lo,
                               None if hi is None or my_hi is None else my_hi + hi]  # fmt: skip
        for k, n in other.paying.items():
            self.paying[k] = self.paying.get(k, 0) + n


def cents_json(lo: int | None, hi: int | None) -> dict[str, float | None]:
    """A range of exact cents as JSON: tenge, None for an unbounded side."""
    return {"min": None if lo is None else lo / 100, "max": None if hi is None else hi / 100}


class Summaries:
    """The summaries of a coverage, computed from a :class:`Tally`.

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
        """The range of the total a component's recipients may receive (tenge)."""
        cents = self.tally.amounts.get(component)
        if cents is None:
            return None
        lo, hi = cents
        return (-math.inf if lo is None else lo / 100), (math.inf if hi is None else hi / 100)

    def by_component(self) -> list[dict[str, Any]]:
        """Per component: claims that surely / may receive it, its period, and the range of
        the total its recipients may receive."""
        rows = []
        for cid, (sure, maybe) in sorted(self.tally.components.items()):
            comp = self.framework.components[cid][0]
            cents = self.tally.amounts.get(cid)
            rows.append({
                "component": cid,
                "kind": comp.kind,
                "period": comp.pays if comp.amount is not None else None,
                "claims": sure,
                "undetermined": maybe,
                "paying": self.tally.paying.get(cid, 0) if cents is not None else None,
                "amount": None if cents is None else cents_json(*cents),
            })  # fmt: skip
        return rows

    def period_cents(self) -> dict[str, tuple[int | None, int | None]]:
        """Per period (``once``, ``month``, in that order) in which some component pays: the
        exact total in cents of every amount paid in it (None: unbounded)."""
        totals: dict[str, tuple[int | None, int | None]] = {}
        for cid, (lo, hi) in self.tally.amounts.items():
            period = self.framework.components[cid][0].pays
            t_lo, t_hi = totals.get(period, (0, 0))
            totals[period] = (None if lo is None or t_lo is None else t_lo + lo,
                              None if hi is None or t_hi is None else t_hi + hi)  # fmt: skip
        return {p: totals[p] for p in PERIODS if p in totals}

    def by_period(self) -> list[dict[str, Any]]:
        """The total of every amount paid once, and of every amount paid per month: never
        added together."""
        return [{"period": p, "amount": cents_json(*t)} for p, t in self.period_cents().items()]

    def __repr__(self) -> str:
        s = self.tally.status
        return (f"<{type(self).__name__} {self.tally.claims:,} claims: {s[2]:,} eligible, "
                f"{s[1]:,} undetermined, {s[0]:,} ineligible>")


@attrs.frozen(eq=False, repr=False)
class CoverageSummary(Summaries):
    """The summaries of a framework over a population, without per-claim results."""

    framework: Framework
    population: Population
    as_of: dt.date
    _tally: Tally

    @property
    def tally(self) -> Tally:
        return self._tally



@attrs.frozen(eq=False, repr=False)
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
        status = np.fromiter((r.status for r in results), np.int8, n)
        grounds = {g: np.fromiter((r.grounds[g].value for r in results), np.int8, n)
                   for g in framework.covering}  # fmt: skip
        exclusions = {e: np.fromiter((r.exclusions[e].value for r in results), np.int8, n)
                      for e in framework.exclusion_law}  # fmt: skip
        categories = {c: np.fromiter((r.categories[c] for r in results), np.int8, n)
                      for c in framework.categories}  # fmt: skip
        components: dict[str, Tri] = {}
        lo: dict[str, Floats] = {}
        hi: dict[str, Floats] = {}
        for cid, (comp, _law, _grounds) in framework.components.items():
            components[cid] = np.fromiter((r.components[cid] for r in results), np.int8, n)
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

        joined: dict[tuple[int, ...], tuple[list[Any], Any]] = {}

        def join(get: Any) -> dict[str, Any]:
            out = {}
            for k in get(parts[0]):
                pieces = [get(p)[k] for p in parts]
                # outputs that share their arrays in every chunk (provisions sharing a
                # condition, kzrehab.rules.compiler) share the joined one
                key = tuple(id(x) for x in pieces)
                if key not in joined:  # one chunk: its array, as it is
                    whole = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
                    joined[key] = (pieces, whole)
                out[k] = joined[key][1]
            return out

        if not parts:
            raise ValueError(_("no parts"))
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


    # -- per claim --------------------------------------------------------------------------

    def claim_columns(self) -> Columns:
        """Every claim's result as columns (:func:`claim_columns`)."""
        return claim_columns(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per claim, in population order: ``id``, ``status``, a Kleene
        ``yes``/``no``/``unknown`` per category (``category:ID``), and per component
        ``receives:ID`` and, with an amount, ``amount_min:ID`` and ``amount_max:ID`` (the
        columns: docs/reports.rst, *Per-claim rows*)."""
        from ._extras import records

        return records(claim_columns(self))

    def to_pandas(self) -> pandas.DataFrame:
        """:meth:`to_records` as a :class:`pandas.DataFrame` (amounts as ``float64``; the
        optional extra ``pandas``: ``pip install 'kzrehab[pandas]'``)."""
        from ._extras import frame

        return frame(claim_columns(self), "Coverage.to_pandas()")


_WORDS = np.array(YES_NO, dtype=object)
_STATUS_WORDS = np.array(STATUSES, dtype=object)


def kleene_words(a: Tri) -> npt.NDArray[np.object_]:
    """Kleene values (0, 1, 2) as the words of a table's cell: ``no``, ``unknown``, ``yes``."""
    out: npt.NDArray[np.object_] = _WORDS[np.asarray(a, np.intp)]
    return out


def _tenge(cents: Floats) -> Floats:
    """Cents to tenge, NaN for an unbounded side."""
    return np.where(np.isfinite(cents), cents / 100.0, np.nan)


def claim_columns(cov: Coverage) -> dict[str, Any]:
    """Every claim's result as columns, one row per claim in population order — the one
    definition of a coverage's per-claim row (``to_records``, ``to_pandas`` and the
    ``claims`` table of ``coverage --claims --format csv|xlsx|parquet``):

    - ``id``; ``status`` (``eligible``, ``undetermined``, ``ineligible``);
    - ``category:ID`` per category: ``yes``, ``no`` or ``unknown`` (the Kleene value, not
      only what is surely true);
    - per component, by id: ``receives:ID`` (``yes``/``no``/``unknown``) and, for a
      component with an amount, ``amount_min:ID`` and ``amount_max:ID``: what the claim may
      receive from it in tenge (its amount when it surely receives it, 0 to the amount's
      upper end when it possibly does, 0 when it does not: :func:`kzrehab.outcome.received`),
      NaN for an unbounded side.
    """
    n = len(cov)
    out: dict[str, Any] = {"id": [cov.population.claim_id(i) for i in range(n)],
                           "status": _STATUS_WORDS[np.asarray(cov.status, np.intp)]}  # fmt: skip
    for c, a in sorted(cov.categories.items()):
        out[f"category:{c}"] = kleene_words(a)
    for c, a in sorted(cov.components.items()):
        out[f"receives:{c}"] = kleene_words(a)
        if c in cov.amount_lo:
            lo, hi = received_arrays(a, cov.amount_lo[c], cov.amount_hi[c])
            out[f"amount_min:{c}"] = _tenge(to_cents(lo))
            out[f"amount_max:{c}"] = _tenge(to_cents(hi))
    return out


def unshared(a: Coverage, b: Coverage) -> tuple[Coverage, Coverage]:
    """The two coverages without the categories, components and amounts whose arrays
    they share (the very arrays: an output one took from the other,
    :class:`kzrehab.programs.Known`): those move no claim in their diff, so the diff's
    gains, losses and level counts stay the same, and cost only what a change reaches. A
    component whose period differs stays."""
    pa, pb = periods(a.framework), periods(b.framework)

    def same(group: str, k: str) -> bool:
        x, y = getattr(a, group), getattr(b, group)
        return k in x and k in y and x[k] is y[k]

    drop_c = {c for c in a.components if same("components", c) and pa.get(c) == pb.get(c)
              and (c in a.amount_lo) == (c in b.amount_lo)
              and (c not in a.amount_lo or (same("amount_lo", c) and same("amount_hi", c)))}
    drop_k = {k for k in a.categories if same("categories", k)}  # fmt: skip

    def keep(cov: Coverage) -> Coverage:
        return attrs.evolve(
            cov,
            categories={k: v for k, v in cov.categories.items() if k not in drop_k},
            components={k: v for k, v in cov.components.items() if k not in drop_c},
            amount_lo={k: v for k, v in cov.amount_lo.items() if k not in drop_c},
            amount_hi={k: v for k, v in cov.amount_hi.items() if k not in drop_c},
        )

    return keep(a), keep(b)
