"""The per-claim interpreter: evaluates resolved trees on one claim, every value a range.

:class:`Evaluator` is bound to one law's checked definitions and its parameter values at the
assessment date. :meth:`Evaluator.evaluate` returns the range value of an expression for a
claim; :meth:`Evaluator.explain` also returns a :class:`Trace` — which sub-conditions
decided the result, which facts they read and which events were in, maybe or out — built by
a :class:`Tracer` passed down the evaluation.

Operators are taken from the operator table (:mod:`kzrehab.rules.operators`): eager ones
receive their argument values; those with an argument evaluated per event (``filter``,
``project``) receive one value per event of their base set; ``and`` and ``or`` skip their
second operand when the first decides (their ``absorbing`` value), unless explaining.
"""

from __future__ import annotations

__all__ = [
    "Evaluator",
    "Tracer",
    "Trace",
    "EventMark",
    "fact_value",
    "event_fact_value",
    "display",
]

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..claims import Claim, Event
from ..dates import PartialDate, months_range, year_of_ordinal
from ..i18n import _
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind
from .ast import Lit, Name, Node, Op, SetLit
from .operators import REGISTRY, EventSet, Operator
from .printer import unparse
from .values import UNBOUNDED, Interval, K

Value = Any


def _date_range(d: PartialDate | None) -> Interval:
    if d is None:
        return UNBOUNDED
    lo, hi = d.ordinals
    return Interval(float(lo), float(hi))


def _convert(kind: FactKind, raw: object, minimum: float = -math.inf) -> Value:
    if kind is FactKind.BOOL:
        return K.of(raw)  # type: ignore[arg-type]
    if kind is FactKind.INT:
        return Interval(minimum, math.inf) if raw is None else Interval.point(raw)  # type: ignore[arg-type]
    if kind is FactKind.DATE:
        return _date_range(raw)  # type: ignore[arg-type]
    return raw


def fact_value(claim: Claim, name: str) -> Value:
    """The range value of a claim fact."""
    return _convert(CLAIM_FACTS[name].kind, getattr(claim, name))


def event_fact_value(event: Event, name: str) -> Value:
    """The range value of an event fact, derived facts (``year``, ``months``) included."""
    if name == "year":
        start = _date_range(event.start)
        return Interval(year_of_ordinal(start.lo), year_of_ordinal(start.hi))
    if name == "months":
        s, e = _date_range(event.start), _date_range(event.end)
        return Interval(*months_range((s.lo, s.hi), (e.lo, e.hi)))
    fact = EVENT_FACTS[name]
    return _convert(fact.kind, getattr(event, name), fact.minimum)


def display(value: Value, date: bool = False) -> str:
    """A value as a reader sees it: ``true``, ``unknown``, ``1931-05-01..1931-05-31``."""
    if isinstance(value, K):  # true and false as the rule language writes them
        return _("unknown") if value is K.UNKNOWN else str(value)
    if isinstance(value, Interval):
        if date:

            def day(x: float) -> str:
                return "?" if math.isinf(x) else dt.date.fromordinal(int(x)).isoformat()

            if value.lo == -math.inf and value.hi == math.inf:
                return _("unknown")
            return day(value.lo) if value.known else f"{day(value.lo)}..{day(value.hi)}"
        if value.lo == -math.inf and value.hi == math.inf:
            return _("unknown")
        return str(value)
    if value is None:
        return _("unknown")
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, frozenset):  # as the rule language writes a set, in sorted order
        return "{" + ", ".join(display(v) for v in sorted(value)) + "}"
    if isinstance(value, tuple):
        sure = sum(1 for __, m in value if m is K.TRUE)
        return _("{sure} in, {maybe} maybe").format(sure=sure, maybe=len(value) - sure)
    return str(value)


@attrs.frozen
class EventMark:
    """How one event fared in an event filter: ``in``, ``maybe`` or ``out``."""

    index: int
    event: Event
    membership: str

    def describe(self) -> str:
        """``event 2 (deportation, 1931-05)``: numbered from 1 in the claim's order, as the
        facts are (``event 2: year``); the registry's own id, when it gives one, comes first
        in the parentheses (``event 2 (E-7: deportation, 1931-05)``)."""
        e = self.event
        parts = [p for p in (e.measure, e.episode, str(e.start) if e.start else None) if p]
        facts = ", ".join(parts) or _("no facts")
        if e.id:
            return _("event {n} ({id}: {facts})").format(n=self.index + 1, id=e.id, facts=facts)
        return _("event {n} ({facts})").format(n=self.index + 1, facts=facts)


@attrs.frozen
class Trace:
    """The explanation of one evaluated expression: a tree mirroring the expression's."""

    text: str
    value: str
    children: tuple[Trace, ...] = ()
    #: this child decided its parent's value (for ``and``/``or``: the false/true ones)
    decisive: bool = True
    #: for a fact or parameter: its name as written
    fact: str | None = None
    #: for an event filter: how each event of the base set fared
    events: tuple[EventMark, ...] = ()
    #: an event filter's trace: its first child is the base set it filters
    filter: bool = False

    def decisive_facts(self) -> list[tuple[str, str]]:
        """The facts (name, value) read by the decisive path, in order, without repeats."""
        out: list[tuple[str, str]] = []
        stack = [self]
        while stack:
            t = stack.pop()
            if t.fact is not None and (t.fact, t.value) not in out:
                out.append((t.fact, t.value))
            stack.extend(reversed([c for c in t.children if c.decisive]))
        return out

    def decisive_events(self) -> list[EventMark]:
        """The events that were in or maybe in the filters on the decisive path.

        A filter's own marks say how each event of its base set fared; the base set's own
        filters are not looked into (an event in ``A`` but out of ``A[C]`` is out)."""
        out: list[EventMark] = []
        stack = [self]
        while stack:
            t = stack.pop()
            out.extend(m for m in t.events if m.membership != "out" and m not in out)
            kids = t.children[1:] if t.filter else t.children
            stack.extend(reversed([c for c in kids if c.decisive]))
        return out


_DATE_FACTS = frozenset(
    n for n, f in (*CLAIM_FACTS.items(), *EVENT_FACTS.items()) if f.kind is FactKind.DATE
)


class Evaluator:
    """Evaluates resolved expressions of one law on claims."""

    def __init__(self, definitions: Mapping[str, Node], parameters: Mapping[str, float]) -> None:
        self.definitions = definitions
        self.parameters = parameters
        #: the values of the plan's outputs for the bound claim (``Name`` with ``ref == "out"``)
        self.outputs: dict[str, Value] = {}
        self._claim: Claim | None = None
        self._claim_cache: dict[str, Value] = {}
        self._event_cache: dict[tuple[int, str], Value] = {}

    def bind(self, claim: Claim) -> None:
        """Evaluate the following expressions on ``claim``."""
        if claim is not self._claim:
            self._claim = claim
            self._claim_cache = {}
            self._event_cache = {}

    def evaluate(self, node: Node, claim: Claim) -> Value:
        """The range value of a resolved claim-scope expression on ``claim``."""
        self.bind(claim)
        return self._eval(node, None, None)[0]

    def explain(self, node: Node, claim: Claim) -> tuple[Value, Trace]:
        """The value and its trace."""
        self.bind(claim)
        value, trace = self._eval(node, None, Tracer(claim))
        assert trace is not None
        return value, trace

    # -- evaluation ---------------------------------------------------------------------
    #
    # One fold over the tree. ``tracer`` is passed down: None when only the value is wanted
    # (``and``/``or`` then skip an operand once the other decides, and definitions are
    # evaluated once per claim or event), else the :class:`Tracer` that builds each node's
    # trace from its children's.

    def _eval(
        self, node: Node, event: int | None, tracer: Tracer | None
    ) -> tuple[Value, Trace | None]:
        if isinstance(node, Lit):
            v = node.value
            if isinstance(v, bool):
                value: Value = K.of(v)
            elif isinstance(v, int | float):
                value = Interval.point(v)
            elif isinstance(v, PartialDate):
                value = _date_range(v)
            else:
                value = v
            return value, None if tracer is None else tracer.leaf(node, value)
        if isinstance(node, SetLit):
            items = node.values
            return items, None if tracer is None else tracer.leaf(node, items)
        if isinstance(node, Name):
            return self._name(node, event, tracer)
        assert isinstance(node, Op)
        op = REGISTRY[node.op]
        if op.per_event:
            return self._per_event(node, op, event, tracer)
        if op.syntax == "atom":  # reads the claim: its events
            assert self._claim is not None
            value = op.interpret(len(self._claim.events))
            return value, None if tracer is None else tracer.leaf(node, value)
        if tracer is None and op.absorbing is not None:
            left = self._eval(node.args[0], event, None)[0]
            if left is op.absorbing:
                return left, None
            return op.interpret(left, self._eval(node.args[1], event, None)[0]), None
        results = [self._eval(a, event, tracer) for a in node.args]
        value = op.interpret(*(v for v, __ in results))
        return value, None if tracer is None else tracer.operation(node, value, results)

    def _name(
        self, node: Name, event: int | None, tracer: Tracer | None
    ) -> tuple[Value, Trace | None]:
        assert self._claim is not None
        n = node.name
        label: str | None = None
        if node.ref == "claim":
            if n not in self._claim_cache:
                self._claim_cache[n] = fact_value(self._claim, n)
            value = self._claim_cache[n]
            label = f"claim.{n}"
        elif node.ref == "event":
            assert event is not None
            key = (event, n)
            if key not in self._event_cache:
                self._event_cache[key] = event_fact_value(self._claim.events[event], n)
            value = self._event_cache[key]
            label = _("event {n}: {fact}").format(n=event + 1, fact=n)
        elif node.ref == "param":
            value = Interval.point(self.parameters[n])
            label = n
        elif node.ref == "out":
            value = self.outputs[n]
            label = n
        else:
            assert node.ref == "def", f"unresolved name {n!r}"
            body = self.definitions[n]
            if tracer is not None:
                value, inner = self._eval(body, event, tracer)
                assert inner is not None
                return value, tracer.definition(n, inner)
            key = (-1 if event is None else event, "def:" + n)
            if key not in self._event_cache:
                self._event_cache[key] = self._eval(body, event, None)[0]
            return self._event_cache[key], None
        return value, None if tracer is None else tracer.leaf(node, value, label)

    def _per_event(
        self, node: Op, op: Operator, event: int | None, tracer: Tracer | None
    ) -> tuple[Value, Trace | None]:
        """``E[C]`` or ``E.F``: the base set, then the second argument for each of its
        events."""
        base_node, arg = node.args
        base, base_trace = self._eval(base_node, event, tracer)
        per_event = [self._eval(arg, index, tracer) for index, __ in base]
        value = op.interpret(base, [v for v, __ in per_event])
        if tracer is None:
            return value, None
        assert base_trace is not None
        return value, tracer.per_event(node, value, base, base_trace, per_event)


class Tracer:
    """Builds the :class:`Trace` of an expression on one claim while the interpreter
    evaluates it, each node's trace from its children's (:meth:`Evaluator.explain`)."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim

    def leaf(self, node: Node, value: Value, fact: str | None = None) -> Trace:
        """A literal, a set, ``events``, or a fact or parameter (``fact``: its name)."""
        return Trace(unparse(node), _show(node, value), fact=fact)

    def definition(self, name: str, inner: Trace) -> Trace:
        """A definition: its name, above the trace of its body."""
        return Trace(name, inner.value, (inner,))

    def operation(
        self, node: Op, value: Value, results: Sequence[tuple[Value, Trace | None]]
    ) -> Trace:
        """An operation on its arguments' values; for ``and``/``or``, the arguments that
        decided are marked."""
        kleene = REGISTRY[node.op].absorbing is not None and isinstance(value, K)
        children = []
        for child_value, child in results:
            assert child is not None
            # an operand of another value than the result's did not decide it
            bystander = kleene and isinstance(child_value, K) and child_value is not value
            children.append(attrs.evolve(child, decisive=False) if bystander else child)
        return Trace(unparse(node), _show(node, value), tuple(children))

    def per_event(
        self,
        node: Op,
        value: Value,
        base: EventSet,
        base_trace: Trace,
        per_event: Sequence[tuple[Value, Trace | None]],
    ) -> Trace:
        """``E[C]`` (how each event of ``E`` fared) or ``E.F`` (the fact of each)."""
        if node.op == "filter":
            return self._filter(node, value, base, base_trace, per_event)
        shown = ", ".join(display(v, _is_date(node.args[1])) for __, v in value) or _("no events")
        return Trace(unparse(node), shown, (base_trace,))

    def _filter(
        self,
        node: Op,
        es: EventSet,
        base: EventSet,
        base_trace: Trace,
        per_event: Sequence[tuple[Value, Trace | None]],
    ) -> Trace:
        kept = dict(es)
        marks: list[EventMark] = []
        cond_traces: list[Trace] = []
        # the conditions of the events kept decide the set; when none is kept, every
        # event's condition does (why the set is empty: each event failed it)
        for (index, __), (__, t) in zip(base, per_event, strict=True):
            both = kept.get(index, K.FALSE)
            membership = {K.TRUE: "in", K.UNKNOWN: "maybe", K.FALSE: "out"}[both]
            marks.append(EventMark(index, self.claim.events[index], membership))
            if t is not None and (both is not K.FALSE or not kept):
                text = _("event {n}: {fact}").format(n=index + 1, fact=t.text)
                cond_traces.append(attrs.evolve(t, text=text))
        return Trace(unparse(node), display(es), (base_trace, *cond_traces),
                     events=tuple(marks), filter=True)  # fmt: skip


def _show(node: Node, value: Value) -> str:
    return display(value, date=_is_date(node))


def _is_date(node: Node) -> bool:
    if isinstance(node, Lit):
        return isinstance(node.value, PartialDate)
    if isinstance(node, Name):
        return node.name in _DATE_FACTS and node.ref in {"claim", "event"}
    if isinstance(node, Op) and node.op in {"min", "max"}:
        return any(_is_date(a) for a in node.args)
    if isinstance(node, Op) and node.op == "project":
        return _is_date(node.args[1])
    return False
