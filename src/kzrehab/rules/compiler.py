"""The vectorised compiler: the same resolved trees, evaluated over a whole population.

A :class:`Program` compiles resolved trees (the plan's outputs, or any claim-scope
expression) into *steps*: a fact read from the columns, a constant, a per-claim value seen
from inside an event filter (a *spread*), or an operator of the one operator table
(:mod:`kzrehab.rules.operators`) applied to earlier steps, through its vectorised
implementation (:mod:`kzrehab.rules.vectorised`). :meth:`Program.run` evaluates the steps
over the columns of a chunk of claims, in order, each once, and lets go of a value as soon
as no later step reads it.

An argument evaluated per event (a filter's condition, a projected fact) is evaluated once
over every event of the chunk; an aggregating operator (``exists``, ``count``, ``sum``,
``min``/``max`` of ``E.FACT``) gives one value per claim, spread over the claim's events
when used inside a filter.

**Sharing.** Every step has a *signature*: what it computes, as the operator (or fact,
or constant) and the signatures of its arguments — the structure of its whole tree, with
each definition's body in place of its name, each parameter's value in place of its name
and each output's tree in place of a reference to it. Two steps with the same signature
compute the same function of the same columns, so they have the same value: with
:data:`SHARING` on (the default), a program keeps one step per signature, and the cost of a
chunk grows with the *distinct* sub-expressions, not with the provisions that use them
(the same filter, the same ``exists(events[…])``, the same definition, in any law).
Nothing is assumed of the operators but that each is a function of its arguments' values
(none reads anything else, none changes its arguments), and of ``and`` and ``or`` that
``x and x`` and ``x or x`` are ``x`` (Kleene ``min`` and ``max``). Signatures are numbered
in one table for the whole process, so programs of different frameworks can be matched
step by step (:func:`kzrehab.evaluation.column_values`, ``known``). A property test holds
the results equal with sharing on and off, and equal to the per-claim interpreter's, on
generated rules and claims.
"""

from __future__ import annotations

__all__ = ["Program", "Context", "ChunkValues", "Memo", "VectorEvaluator", "broadcast", "SHARING",
           "Iv", "Tx", "Ev", "Pj"]

import functools
import itertools
import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import Any, NamedTuple

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

#: Whether programs keep one step per signature (the differential tests switch it off to
#: check that sharing changes no value).
SHARING = True

#: signature → number, for every step compiled in this process (see the module's text)
_SIGNATURES: dict[Hashable, int] = {}
_FRESH = itertools.count()


def _signature(structure: Hashable) -> int:
    sig = _SIGNATURES.get(structure)
    if sig is None:
        sig = _SIGNATURES[structure] = next(_FRESH)
    return sig


class Context(NamedTuple):
    """What the names of one law's trees mean: its checked definitions, its parameters'
    values at the assessment date, and the definitions that read the current event."""

    definitions: Mapping[str, Node]
    parameters: Mapping[str, float]
    event_scoped: Collection[str] = frozenset()


class _Step(NamedTuple):
    #: ``const``, ``claim``, ``event``, ``spread`` or ``op``
    kind: str
    #: the constant, the fact's name, or the operator's vectorised implementation
    what: Any
    args: tuple[int, ...]
    sig: int


class Memo(dict[int, Any]):
    """Values of steps by signature over one set of columns, kept across runs — of the
    programs of several frameworks over the same claims, such as the versions of a log —
    up to ``budget`` bytes of arrays: a run given a memo as its ``known`` takes what is in
    it instead of computing it, and adds what it computes while the budget lasts (a step
    of the same signature has the same value over the same columns)."""

    def __init__(self, budget: int = 256 << 20) -> None:
        super().__init__()
        self.budget = budget
        self.used = 0

    def keep(self, sig: int, value: Any) -> None:
        """Keep ``value`` as the value of ``sig``, if the budget allows."""
        if sig not in self:
            size = _nbytes(value)
            if self.used + size <= self.budget:
                self[sig] = value
                self.used += size


def _nbytes(value: Any) -> int:
    """The bytes of the arrays a value holds (a view counted whole: an upper bound)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, tuple):
        return sum(_nbytes(v) for v in value)
    return 0


class Program:
    """Resolved trees compiled to steps over columns (see the module's text)."""

    def __init__(self, contexts: Mapping[str | None, Context], *, sharing: bool | None = None):
        self.contexts = contexts
        self.sharing = SHARING if sharing is None else sharing
        self.steps: list[_Step] = []
        #: the step of each output added by name (what ``Name(ref="out")`` reads)
        self.outputs: dict[str, int] = {}
        self._by_sig: dict[int, int] = {}
        #: law → (id of the node, scope) → (the node, kept alive so its id stays its, step)
        self._compiled: dict[str | None, dict[tuple[int, str], tuple[Node, int]]] = {}
        #: a forked program's: the framework-wide trees its parent compiled, the parent's
        #: outputs, and the outputs whose step is not the parent's (see :meth:`fork`)
        self._inherited: dict[tuple[int, str], tuple[Node, int]] = {}
        self._parent_outputs: Mapping[str, int] = {}
        self._changed: set[str] = set()
        #: id of a framework-wide tree → (the tree, the outputs it reads): shared by forks
        self._reads: dict[int, tuple[Node, frozenset[str]]] = {}

    def fork(self, contexts: Mapping[str | None, Context]) -> Program:
        """A program for ``contexts`` (another framework's: attribution's variant of this
        one) that starts from this one's steps: each tree of a law whose context is the
        same (the very same definitions' trees, the same parameters' values) that this
        program compiled is not compiled again, and each step keeps its number, so only
        what differs is compiled. A framework-wide tree (which reads outputs) this program
        compiled is not compiled again when none of the outputs it reads has, in the new
        program, another step than here. No output is named yet."""
        new = Program(contexts, sharing=self.sharing)
        new.steps = list(self.steps)
        new._by_sig = dict(self._by_sig)
        new._inherited = self._compiled.get(None, {})
        new._parent_outputs = self.outputs
        new._reads = self._reads
        for law, memo in self._compiled.items():
            mine, theirs = self.contexts.get(law), contexts.get(law)
            if law is not None and mine is not None and theirs is not None \
                    and _same_context(mine, theirs):
                new._compiled[law] = dict(memo)
        return new

    def patched(self, gone: Collection[str] = ()) -> Program:
        """A fork of this program for the same contexts whose outputs are this one's but
        those ``gone``: attribution's variant as a patch of the head
        (:mod:`kzrehab.variants`), where only the outputs that depend on the change taken
        back are added again, after this (each replacing this one's of its name; the trees
        that read a replaced output are compiled again)."""
        new = self.fork(self.contexts)
        new.outputs = dict(self.outputs)
        for key in gone:
            del new.outputs[key]
        new._changed.update(gone)
        return new

    def add(self, node: Node, law: str | None = None, *, output: str | None = None) -> int:
        """Compile a claim-scope tree of ``law`` (whose definitions and parameters it
        reads); its step. ``output`` names it for the trees that read it."""
        step = self._compile(node, law, "claim")
        if output is not None:
            self.outputs[output] = step
            if self._parent_outputs.get(output) != step:
                self._changed.add(output)
        return step

    def compiled(self) -> list[tuple[Node, int]]:
        """The framework-wide trees compiled (their law None), each with its step."""
        return list(self._compiled.get(None, {}).values())

    def step_of(self, node: Node, law: str | None = None) -> int | None:
        """The step of a claim-scope tree of ``law`` this program compiled, if it did."""
        found = self._compiled.get(law, {}).get((id(node), "claim"))
        return found[1] if found is not None and found[0] is node else None

    def signature(self, step: int) -> int:
        """What a step computes, as a number: equal numbers, equal values."""
        return self.steps[step].sig

    # -- compiling ----------------------------------------------------------------------------

    def _step(self, kind: str, what: Any, args: tuple[int, ...], structure: Hashable) -> int:
        sig = _signature(structure)
        if self.sharing and sig in self._by_sig:
            return self._by_sig[sig]
        self.steps.append(_Step(kind, what, args, sig))
        self._by_sig.setdefault(sig, len(self.steps) - 1)
        return len(self.steps) - 1

    def _spread(self, step: int) -> int:
        """A per-claim value seen from inside an event filter."""
        return self._step("spread", None, (step,), ("spread", self.steps[step].sig))

    def _compile(self, node: Node, law: str | None, scope: str) -> int:
        if scope == "claim" and isinstance(node, Name) and node.ref == "out":
            return self.outputs[node.name]  # another output: its step (an or of thousands)
        memo = (id(node), scope)
        compiled = self._compiled.get(law)
        if compiled is None:
            compiled = self._compiled[law] = {}
        found = compiled.get(memo)
        if found is not None:
            return found[1]
        if law is None and self._inherited:
            found = self._inherited.get(memo)
            if found is not None and found[0] is node \
                    and self._changed.isdisjoint(self._reads_of(node)):
                compiled[memo] = found
                return found[1]
        step = self._node(node, law, scope)
        compiled[memo] = (node, step)
        return step

    def _reads_of(self, node: Node) -> frozenset[str]:
        """The outputs a framework-wide tree reads."""
        found = self._reads.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        reads: frozenset[str] = frozenset()
        if isinstance(node, Name) and node.ref == "out":
            reads = frozenset((node.name,))
        elif isinstance(node, Op):
            reads = reads.union(*(self._reads_of(a) for a in node.args))
        self._reads[id(node)] = (node, reads)
        return reads

    def _node(self, node: Node, law: str | None, scope: str) -> int:
        if isinstance(node, Lit):
            value, key = _literal(node)
            return self._step("const", value, (), ("const", key))
        if isinstance(node, SetLit):
            return self._step("const", node.values, (), ("set", node.values))
        if isinstance(node, Name):
            return self._name(node, law, scope)
        assert isinstance(node, Op)
        op = REGISTRY[node.op]
        aggregate = op.aggregates(len(node.args))
        arg_scope = "claim" if aggregate else scope
        args = tuple(
            self._compile(a, law, "event" if op.per_event and op.per_event[i] else arg_scope)
            for i, a in enumerate(node.args)
        )
        if self.sharing and op.absorbing is not None and args[0] == args[1]:
            return args[0]  # x and x, x or x: x
        sigs = tuple(self.steps[a].sig for a in args)
        step = self._step("op", op.vectorised.resolve(), args, (node.op, sigs))
        return self._spread(step) if aggregate and scope == "event" else step

    def _name(self, node: Name, law: str | None, scope: str) -> int:
        ctx = self.contexts[law]
        if node.ref == "param":
            v = float(ctx.parameters[node.name])
            a = np.asarray(v, np.float64)
            return self._step("const", Iv(a, a), (), ("const", ("iv", v.hex(), v.hex())))
        if node.ref == "event":
            return self._step("event", node.name, (), ("event", node.name))
        if node.ref == "claim":
            step = self._step("claim", node.name, (), ("claim", node.name))
        elif node.ref == "out":
            step = self.outputs[node.name]
        else:
            assert node.ref == "def", f"unresolved name {node.name!r}"
            own = "event" if node.name in ctx.event_scoped else "claim"
            step = self._compile(ctx.definitions[node.name], law, own)
            if own == "event":
                return step
        return self._spread(step) if scope == "event" else step

    # -- running ------------------------------------------------------------------------------

    def run(
        self, columns: Columns, wanted: Iterable[int], known: Mapping[int, Any] | None = None
    ) -> dict[int, Any]:
        """The values of the ``wanted`` steps over ``columns`` (unbroadcast: a constant is a
        0-d array). ``known`` gives values by signature, which are taken instead of
        computed (and what only they read is not computed); a :class:`Memo` also keeps
        what is computed, for the next run over the same columns."""
        memo = known if isinstance(known, Memo) else None
        known = known or {}
        wanted = set(wanted)
        needed: set[int] = set()
        stack = list(wanted)
        while stack:
            s = stack.pop()
            if s not in needed:
                needed.add(s)
                if self.steps[s].sig not in known:
                    stack.extend(self.steps[s].args)
        readers = dict.fromkeys(needed, 0)
        for s in needed:
            if self.steps[s].sig not in known:
                for a in self.steps[s].args:
                    readers[a] += 1
        chunk = ChunkValues(columns)
        values: dict[int, Any] = {}
        with np.errstate(all="ignore"):
            for s in sorted(needed):  # a step comes after its arguments
                step = self.steps[s]
                if step.sig in known:
                    values[s] = known[step.sig]
                    continue
                values[s] = chunk.compute(step, [values[a] for a in step.args])
                if memo is not None:
                    memo.keep(step.sig, values[s])
                for a in step.args:
                    readers[a] -= 1
                    if not readers[a] and a not in wanted:
                        chunk.forget(values.pop(a))
        return {s: values[s] for s in wanted}


def _same_context(a: Context, b: Context) -> bool:
    """Whether two laws' contexts give every tree the same meaning: the very same
    definitions' trees, the same parameters' values, the same event-scope definitions."""
    if a is b:
        return True
    if a.definitions.keys() != b.definitions.keys() or a.parameters != b.parameters:
        return False
    if frozenset(a.event_scoped) != frozenset(b.event_scoped):
        return False
    return all(a.definitions[k] is b.definitions[k] for k in a.definitions)


class ChunkValues:
    """The columns of a chunk of claims and the reductions of each claim's events: what
    the vectorised implementations read (:class:`~kzrehab.rules.vectorised.Reductions`)."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        #: the weighted counts of memberships, by the membership array (kept alive)
        self._counts: dict[int, tuple[Arr, Arr]] = {}

    # what the reductions read of the claims' events, made when first read (a chunk whose
    # steps read no event, such as a patched variant's ``or`` of outputs, makes none)

    @functools.cached_property
    def _nonempty(self) -> Arr:
        c = self.columns
        return c.offsets[1:] > c.offsets[:-1]

    @functools.cached_property
    def _starts(self) -> Arr:
        return self.columns.offsets[:-1][self._nonempty]

    @functools.cached_property
    def _longest(self) -> int:
        c = self.columns
        return int((c.offsets[1:] - c.offsets[:-1]).max(initial=0))

    @functools.cached_property
    def _base(self) -> float:
        """A power of two above any claim's number of events: one weighted count per claim
        then holds the events in (its multiples) and the events maybe in (the rest),
        exactly while ``base * longest`` stays below 2**53."""
        return float(2 ** max(1, self._longest.bit_length()))

    @functools.cached_property
    def _exact(self) -> bool:
        return self._longest < 2**26

    @functools.cached_property
    def _weights(self) -> Arr:
        return np.array([0.0, 1.0, self._base])

    def compute(self, step: _Step, args: list[Any]) -> Any:
        if step.kind == "op":
            return step.what(self, *args)
        if step.kind == "const":
            return step.what
        if step.kind == "spread":
            return self.to_events(args[0])
        c = self.columns
        if step.kind == "event":
            return _fact(c.event[step.what])
        return _fact(c.claim[step.what], OWN_TABLES.get(step.what, ""))

    def to_events(self, value: Any) -> Any:
        """A per-claim value seen from inside an event filter (an event set, or a constant,
        as it is)."""
        ec = self.columns.event_claim
        if isinstance(value, Iv):
            return Iv(_spread(value.lo, ec), _spread(value.hi, ec))
        if isinstance(value, Tx):
            return Tx(_spread(value.codes, ec), value.table)
        if isinstance(value, np.ndarray):
            return _spread(value, ec)
        return value

    def forget(self, value: Any) -> None:
        """A value no later step reads: its event counts go with it."""
        if isinstance(value, Ev):
            self._counts.pop(id(value.member), None)

    # -- per-claim reductions (the Reductions protocol) --------------------------------------

    def per_claim_sum(self, weights: Arr) -> Arr:
        """The sum of a value of every event, per claim, adding each claim's events in
        order (as the interpreter does)."""
        c = self.columns
        weights = np.broadcast_to(weights, (c.n_events,))
        return np.bincount(c.event_claim, weights=weights, minlength=c.n_claims)

    def _count(self, member: Arr) -> Arr:
        """Per claim: ``base * (events in) + (events maybe in)``, in one weighted count
        (once per membership array)."""
        found = self._counts.get(id(member))
        if found is None:
            m = np.broadcast_to(member, (self.columns.n_events,))
            found = self._counts[id(member)] = (member, self.per_claim_sum(self._weights.take(m)))
        return found[1]

    def tally(self, member: Arr) -> tuple[Arr, Arr]:
        """Per claim: events surely in, and events in or maybe in."""
        if not self._exact:
            m = np.broadcast_to(member, (self.columns.n_events,))
            return self.per_claim_sum(m == TRUE), self.per_claim_sum(m >= UNKNOWN)
        counts = self._count(member)
        n_in = np.floor(counts * (1.0 / self._base))  # exact: the base is a power of two
        return n_in, counts - (self._base - 1.0) * n_in

    def _some(self, member: Arr) -> tuple[Arr, Arr]:
        """Per claim: some event in, and some event in or maybe in."""
        if not self._exact:
            n_in, n_any = self.tally(member)
            return n_in > 0, n_any > 0
        counts = self._count(member)
        return counts >= self._base, counts > 0

    def exists(self, member: Arr) -> Arr:
        """Per claim, Kleene: some event surely in (true), none in or maybe in (false)."""
        some_in, some = self._some(member)
        out: Arr = some.view(np.int8) + some_in.view(np.int8)  # 0, 1 or 2
        return out

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
        has_in = self._some(p.member)[0]
        if upper:  # max: lo over the events in, hi over the events in or maybe
            r_lo = self._segment(np.where(m == TRUE, lo, -INF), True, -INF)
            r_hi = self._segment(np.where(m >= UNKNOWN, hi, -INF), True, -INF)
        else:  # min: lo over the events in or maybe, hi over the events in
            r_lo = self._segment(np.where(m >= UNKNOWN, lo, INF), False, INF)
            r_hi = self._segment(np.where(m == TRUE, hi, INF), False, INF)
        return Iv(np.where(has_in, r_lo, -INF), np.where(has_in, r_hi, INF))


class VectorEvaluator:
    """Evaluates resolved expressions of one law over a columnar population: a
    :class:`Program` of one tree at a time."""

    def __init__(
        self,
        columns: Columns,
        definitions: Mapping[str, Node],
        parameters: Mapping[str, float],
        event_scoped: Collection[str],
        *,
        sharing: bool | None = None,
    ) -> None:
        self.columns = columns
        self.program = Program({None: Context(definitions, parameters, frozenset(event_scoped))},
                               sharing=sharing)  # fmt: skip

    def evaluate(self, node: Node) -> Any:
        """The value of a claim-scope expression for every claim (broadcast to full arrays)."""
        step = self.program.add(node)
        return broadcast(self.program.run(self.columns, [step])[step], self.columns.n_claims)


def broadcast(value: Any, n: int) -> Any:
    """A claim-scope value as one value per claim (constants repeated; a value that has
    one already, as it is)."""
    if isinstance(value, Iv):
        if value.lo.shape == value.hi.shape == (n,):
            return value
        return Iv(np.broadcast_to(value.lo, (n,)), np.broadcast_to(value.hi, (n,)))
    if isinstance(value, np.ndarray | np.generic):
        return value if value.shape == (n,) else np.broadcast_to(np.asarray(value), (n,))
    return value


def _spread(values: Arr, index: Arr) -> Arr:
    return values if values.ndim == 0 else values[index]


def _fact(column: Any, table: str = "") -> Any:
    if isinstance(column, tuple):
        return Iv(*column)
    if column.dtype == np.int32:
        return Tx(column, table)
    return column


def _literal(node: Lit) -> tuple[Any, Hashable]:
    """A literal's value, and what tells it apart from every other literal (a number's
    bits, its type: ``1``, ``1.0`` and ``true`` are equal in Python)."""
    v = node.value
    if isinstance(v, bool):
        return np.asarray(TRUE if v else FALSE, np.int8), ("bool", v)
    if isinstance(v, int | float):
        a = np.asarray(float(v), np.float64)
        return Iv(a, a), ("iv", float(v).hex(), float(v).hex())
    if isinstance(v, PartialDate):
        lo, hi = (float(x) for x in v.ordinals)
        return Iv(np.asarray(lo), np.asarray(hi)), ("iv", lo.hex(), hi.hex())
    return v, ("str", v)

