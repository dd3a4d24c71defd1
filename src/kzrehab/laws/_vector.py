"""The vectorised evaluation of a framework over (a chunk of) a columnar population.

The same semantics as :meth:`Framework.evaluate_claim`, on arrays of Kleene values
(0 false, 1 unknown, 2 true): exclusions hold as ``when AND NOT unless``, grounds apply as
``when AND NOT (OR of their exclusions)``, the status is the OR of the grounds, components
are received as ``(OR of their grounds) AND claimant among the recipients``, and
``instead_of`` is applied in the same order as the interpreter applies it.
"""

from __future__ import annotations

__all__ = ["Part", "evaluate_columns"]

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import EvaluationError, Location
from ..population.columns import Columns
from ..rules.compiler import Iv, VectorEvaluator

if TYPE_CHECKING:
    from .framework import Framework

Tri = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]


@attrs.frozen(eq=False)
class Part:
    """The per-claim arrays of one chunk of claims."""

    status: Tri
    grounds: dict[str, Tri]
    exclusions: dict[str, Tri]
    categories: dict[str, Tri]
    components: dict[str, Tri]
    amount_lo: dict[str, Floats]
    amount_hi: dict[str, Floats]


def _any(arrays: list[Tri], n: int) -> Tri:
    """Kleene OR of arrays (false for none)."""
    out = np.zeros(n, np.int8)
    for a in arrays:
        np.maximum(out, a, out=out)
    return out


def round2(x: Floats) -> Floats:
    """Half-to-even rounding to two decimals, exactly as :func:`kzrehab.rules.values.round2`."""
    y = x * 100.0
    return np.where(np.isfinite(y), np.rint(y) / 100.0, x)


def evaluate_columns(
    fw: Framework,
    columns: Columns,
    params: Mapping[str, Mapping[str, float]],
    claim_id: Callable[[int], str],
) -> Part:
    """Evaluate a framework over columns; ``claim_id(i)`` names row ``i`` in errors."""
    n = columns.n_claims
    evs = {}
    for law in fw.laws:
        defs = fw.plan(law.id).definitions
        evs[law.id] = VectorEvaluator(
            columns,
            {k: r.node for k, r in defs.items()},
            params[law.id],
            [k for k, r in defs.items() if r.scope == "event"],
        )

    def cond(law_id: str, node: Any) -> Tri:
        with np.errstate(all="ignore"):
            return np.ascontiguousarray(evs[law_id].evaluate(node), dtype=np.int8)

    exclusions: dict[str, Tri] = {}
    grounds: dict[str, Tri] = {}
    for law in fw.laws:
        for full, (when, unless) in fw.plan(law.id).exclusions.items():
            value = cond(law.id, when.node)
            if unless is not None:
                value = np.minimum(value, 2 - cond(law.id, unless.node)).astype(np.int8)
            exclusions[full] = value
    for law in fw.laws:
        for full, when in fw.plan(law.id).grounds.items():
            barred = _any([exclusions[e] for e in fw.covering[full]], n)
            grounds[full] = np.minimum(cond(law.id, when.node), 2 - barred).astype(np.int8)
    status = _any(list(grounds.values()), n)
    categories = {
        cat: _any([a for g, a in grounds.items() if fw.ground_category[g] == cat], n)
        for cat in fw.categories
    }
    claimant = columns.claim["claimant"]
    receive: dict[str, Tri] = {}
    for full, (comp, _, gs) in fw.components.items():
        codes = np.array([columns.code(r) for r in comp.recipients], np.int32)
        hit = np.isin(claimant, codes)
        who = np.where(claimant == -1, 1, np.where(hit, 2, 0)).astype(np.int8)
        receive[full] = np.minimum(_any([grounds[g] for g in gs], n), who)
    for full, (comp, law, _) in fw.components.items():
        for replaced in comp.instead_of:
            target = law.full_id(replaced)
            if target in receive:
                receive[target] = np.minimum(receive[target], 2 - receive[full]).astype(np.int8)
    lo: dict[str, Floats] = {}
    hi: dict[str, Floats] = {}
    for full, (comp, law, _) in fw.components.items():
        resolved = fw.plan(law.id).amounts.get(full)
        if resolved is None:
            continue
        with np.errstate(all="ignore"):
            value = evs[law.id].evaluate(resolved.node)
        assert isinstance(value, Iv)
        gets = receive[full] != 0
        negative = gets & (value.lo < 0)
        if negative.any():
            i = int(np.argmax(negative))
            raise EvaluationError(
                f"the amount of component '{full}' can be negative "
                f"({value.lo[i]:g} … {value.hi[i]:g}) for claim '{claim_id(i)}'; "
                "a law's amounts must not be negative (use max(0, …))",
                comp.amount.origin if comp.amount else Location(file=law.ref),
            )
        lo[full] = np.where(gets, round2(np.asarray(value.lo, np.float64)), np.nan)
        hi[full] = np.where(gets, round2(np.asarray(value.hi, np.float64)), np.nan)
    return Part(status, grounds, exclusions, categories, receive, lo, hi)
