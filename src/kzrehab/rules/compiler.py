"""The vectorised compiler: the same resolved trees, evaluated over a whole population.

:class:`VectorEvaluator` walks a tree once over the columns of every claim, calling each
operator's vectorised implementation from the one operator table
(:mod:`kzrehab.rules.operators`; the implementations and the array values they work on are
in :mod:`kzrehab.rules.vectorised`). An argument evaluated per event (a filter's condition,
a projected fact) is evaluated once over every event of the population; an aggregating
operator (``exists``, ``count``, ``sum``, ``min``/``max`` of ``E.FACT``) gives one value per
claim, spread over the claim's events when used inside a filter. A property test holds the
results equal to the per-claim interpreter's on generated rules and claims.
"""

from __future__ import annotations

__all__ = ["VectorEvaluator", "Iv", "Tx", "Ev", "Pj"]

import math
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ..dates import PartialDate
from ..population.columns import OWN_TABLES, Columns
from .ast import Lit, Name, Node, Op, SetLit
from .operators import REGISTRY
from .values import FALSE, TRUE, UNKNOWN
from .vectorised import Ev, Iv, Pj, Tx

Arr = npt.NDArray[Any]
INF = math.inf


class VectorEvaluator:
    """Evaluates resolved expressions of one law over a columnar population."""

    def __init__(
        self,
        columns: Columns,
        definitions: Mapping[str, Node],
        parameters: Mapping[str, float],
        event_scoped: Collection[str],
    ) -> None:
        self.columns = columns
        self.definitions = definitions
        self.parameters = parameters
        #: the values of the plan's outputs read so far (``Name`` with ``ref == "out"``)
        self.outputs: dict[str, Any] = {}
        self._memo: dict[tuple[str, str], Any] = {}
        #: definitions that read the current event (the checker's ``Resolved.scope``)
        self.event_scoped = frozenset(event_scoped)
        c = columns
        self._starts = c.offsets[:-1][c.offsets[1:] > c.offsets[:-1]]
        self._nonempty = c.offsets[1:] > c.offsets[:-1]

    # -- public -----------------------------------------------------------------------------

    def evaluate(self, node: Node) -> Any:
        """The value of a claim-scope expression for every claim (broadcast to full arrays)."""
        with np.errstate(all="ignore"):
            value = self._value(node, "claim")
        n = self.columns.n_claims
        if isinstance(value, Iv):
            return Iv(np.broadcast_to(value.lo, (n,)), np.broadcast_to(value.hi, (n,)))
        if isinstance(value, np.ndarray | np.generic):
            return np.broadcast_to(np.asarray(value), (n,))
        return value

    # -- per-claim reductions ----------------------------------------------------------------

    def per_claim_sum(self, weights: Arr) -> Arr:
        c = self.columns
        weights = np.broadcast_to(weights, (c.n_events,))
        return np.bincount(c.event_claim, weights=weights, minlength=c.n_claims)

    def tally(self, member: Arr) -> tuple[Arr, Arr]:
        """Per claim: events surely in, and events in or maybe in."""
        member = np.broadcast_to(member, (self.columns.n_events,))
        return self.per_claim_sum(member == TRUE), self.per_claim_sum(member >= UNKNOWN)

    def _segment(self, values: Arr, upper: bool, empty: float) -> Arr:
        out = np.full(self.columns.n_claims, empty)
        if self._starts.size:
            ufunc = np.maximum if upper else np.minimum
            out[self._nonempty] = ufunc.reduceat(values, self._starts)
        return out

    def aggregate_minmax(self, p: Pj, upper: bool) -> Iv:
        m = np.broadcast_to(p.member, (self.columns.n_events,))
        lo = np.broadcast_to(p.lo, m.shape)
        hi = np.broadcast_to(p.hi, m.shape)
        has_in = self.tally(m)[0] > 0
        if upper:  # max: lo over the events in, hi over the events in or maybe
            r_lo = self._segment(np.where(m == TRUE, lo, -INF), True, -INF)
            r_hi = self._segment(np.where(m >= UNKNOWN, hi, -INF), True, -INF)
        else:  # min: lo over the events in or maybe, hi over the events in
            r_lo = self._segment(np.where(m >= UNKNOWN, lo, INF), False, INF)
            r_hi = self._segment(np.where(m == TRUE, hi, INF), False, INF)
        return Iv(np.where(has_in, r_lo, -INF), np.where(has_in, r_hi, INF))

    # -- the walk ---------------------------------------------------------------------------

    def _to_events(self, value: Any) -> Any:
        """A per-claim value seen from inside an event filter."""
        ec = self.columns.event_claim
        if isinstance(value, Iv):
            return Iv(_spread(value.lo, ec), _spread(value.hi, ec))
        if isinstance(value, Tx):
            return Tx(_spread(value.codes, ec), value.table)
        if isinstance(value, np.ndarray):
            return _spread(value, ec)
        return value

    def _value(self, node: Node, scope: str) -> Any:
        if isinstance(node, Lit):
            return _literal(node)
        if isinstance(node, SetLit):
            return node.values
        if isinstance(node, Name):
            return self._name(node, scope)
        assert isinstance(node, Op)
        op = REGISTRY[node.op]
        aggregate = op.aggregates(len(node.args))
        arg_scope = "claim" if aggregate else scope
        # an argument evaluated per event (a filter's condition, a projected fact) is
        # evaluated once over every event of the population
        args = [self._value(a, "event" if op.per_event and op.per_event[i] else arg_scope)
                for i, a in enumerate(node.args)]  # fmt: skip
        value = op.vectorised(self, *args)
        return self._to_events(value) if aggregate and scope == "event" else value

    def _name(self, node: Name, scope: str) -> Any:
        c = self.columns
        if node.ref == "param":
            v = np.asarray(self.parameters[node.name], np.float64)
            return Iv(v, v)
        if node.ref == "event":
            return _fact(c.event[node.name])
        if node.ref == "claim":
            value = _fact(c.claim[node.name], OWN_TABLES.get(node.name, ""))
            return self._to_events(value) if scope == "event" else value
        if node.ref == "out":
            value = self.outputs[node.name]
            return self._to_events(value) if scope == "event" else value
        assert node.ref == "def", f"unresolved name {node.name!r}"
        body = self.definitions[node.name]
        own = "event" if node.name in self.event_scoped else "claim"
        key = (node.name, own)
        if key not in self._memo:
            self._memo[key] = self._value(body, own)
        value = self._memo[key]
        if own == "claim" and scope == "event" and not isinstance(value, Ev):
            return self._to_events(value)
        return value


def _spread(values: Arr, index: Arr) -> Arr:
    return values if values.ndim == 0 else values[index]


def _fact(column: Any, table: str = "") -> Any:
    if isinstance(column, tuple):
        return Iv(*column)
    if column.dtype == np.int32:
        return Tx(column, table)
    return column


def _literal(node: Lit) -> Any:
    v = node.value
    if isinstance(v, bool):
        return np.asarray(TRUE if v else FALSE, np.int8)
    if isinstance(v, int | float):
        a = np.asarray(float(v), np.float64)
        return Iv(a, a)
    if isinstance(v, PartialDate):
        lo, hi = v.ordinals
        return Iv(np.asarray(float(lo)), np.asarray(float(hi)))
    return v
