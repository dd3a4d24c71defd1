"""The evaluation plan: every rule of a framework written once, as rule-language trees.

A :class:`~kzrehab.laws.framework.Framework` holds checked laws. Its plan turns what the
framework *means* into one tree per output, in an order where every output comes after
the outputs it reads:

==============  ===========================================================================
output          tree
==============  ===========================================================================
``when``        a ground's condition, as written (``when:LAW:GROUND``)
``excl``        an exclusion's condition (``excl:LAW:EXCLUSION``)
``unless``      an exclusion's exception (``unless:LAW:EXCLUSION``)
``holds``       ``excl and not unless`` (``holds:LAW:EXCLUSION``)
``applies``     ``when and not (holds₁ or holds₂ …)`` over the exclusions covering the
                ground (``applies:LAW:GROUND``)
``status``      ``applies₁ or applies₂ …`` over every ground (``status``)
``category``    the ``or`` of the grounds granting the category (``category:NAME``)
``receives``    ``(applies … or …) and claimant in {recipients}``, then, for each
                ``instead_of`` in framework order, ``and not receives(replacing)``
                (``receives:LAW:COMPONENT``)
``amount``      ``cents(AMOUNT)``: the amount rounded half-to-even to cents
                (``amount:LAW:COMPONENT``), read only where ``receives`` is not false
==============  ===========================================================================

Grounds of one law with the very same condition under the same exclusions are *twins*
(:attr:`Plan.twins`): the first of them has the ``when`` and the ``applies``, the others
read its, and every ``or`` reads it once (docs/semantics.rst, *Twins*).

A tree reads another output with a :class:`~kzrehab.rules.ast.Name` whose ``ref`` is
``out``. Trees of a law's own conditions and amounts read that law's definitions and
parameters (``Output.law``); the framework-wide outputs read only other outputs and the
``claimant`` fact.

The per-claim interpreter and the NumPy compiler (:mod:`kzrehab.evaluation`) evaluate
these trees and nothing else: no framework rule is written twice. An amount output
carries the rule that it must not be negative where its component is received
(:func:`negative_amount`), and a ceiling (:data:`MAX_AMOUNT`) above which totals could
not stay exact.
"""

from __future__ import annotations

__all__ = ["Output", "Plan", "plan_of", "out", "is_group", "groups_of", "Groups",
           "ground_outputs", "twin_key", "receipts", "receipts_apart", "negative_amount",
           "too_large_amount", "amount_problem", "MAX_AMOUNT"]

import bisect
import functools
import itertools
import weakref
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from . import i18n
from .errors import EvaluationError, Location
from .laws.framework import Framework
from .rules.ast import Lit, Name, Node, Op, SetLit
from .rules.values import Interval

#: The largest amount (tenge) one claim may receive from one component: its cents stay
#: exact in a float64 (2**53 cents), so every total is an exact integer of cents.
MAX_AMOUNT = 10.0**13


@attrs.frozen
class Output:
    """One output of the plan: its key, its tree and the law whose names the tree reads."""

    key: str
    #: ``when``, ``excl``, ``unless``, ``holds``, ``applies``, ``status``, ``category``,
    #: ``receives`` or ``amount``
    kind: str
    node: Node = attrs.field(eq=False)
    #: the law whose definitions and parameters the tree reads; None for framework-wide
    law: str | None = None
    #: the provision (full id), category name, or None for ``status``
    subject: str | None = None
    #: the output that must not be false for this one to be read (an amount's receives)
    given: str | None = None


def out(key: str) -> Name:
    """A reference to another output of the plan (one node per key: nodes are immutable,
    and a plan of thousands of provisions makes hundreds of thousands of references)."""
    found = _OUT.get(key)
    if found is None:
        found = _OUT[key] = Name(key, ref="out")
    return found


_OUT: dict[str, Name] = {}


# -- framework-wide trees, made once --------------------------------------------------------
#
# Attribution evaluates many variants of one framework, each with one change taken back;
# the compiler recognises a tree it compiled by its identity (and the outputs it reads),
# and the evaluation takes a value it knows by signature. So the framework-wide trees are
# made once for what they are made of (an operator over the very same arguments gives the
# very same node), and an ``or`` of many outputs is cut into groups by its outputs' names,
# not by their positions: taking one ground out of the status changes only the groups on
# its path (about eight ``or`` each), not the whole tree, and the other groups' values
# are known (:func:`is_group`, :class:`kzrehab.programs.Known`).

#: the trees made, by operator and the identities of their arguments (a node keeps its
#: arguments alive, so their identities stay theirs while it is here)
_MADE: weakref.WeakValueDictionary[tuple[object, ...], Op] = weakref.WeakValueDictionary()
#: the ``or`` of several outputs, by level and the identities of the outputs
_ANY: weakref.WeakValueDictionary[tuple[object, ...], Node] = weakref.WeakValueDictionary()
#: the groups of an ``or`` of many outputs (:func:`is_group`), by identity
_GROUPS: weakref.WeakValueDictionary[int, Node] = weakref.WeakValueDictionary()
_FALSE = Lit(False)
#: the highest level of a group: groups of about 8**7 outputs are never reached
_TOP = 7
_LEVELS: dict[str, int] = {}


def _op(op: str, args: tuple[Node, ...]) -> Op:
    key = (op, *(id(a) for a in args))
    found = _MADE.get(key)
    if found is None:
        found = _MADE[key] = Op(op, args)
    return found


def _level(node: Node) -> int:
    """How many levels of groups an output closes: 1 in 8 closes a group of level 1, 1 in
    64 also one of level 2, … (a hash of its name: the same for the same output)."""
    if not isinstance(node, Name):
        return 0
    level = _LEVELS.get(node.name)
    if level is None:
        h = zlib.crc32(node.name.encode("utf-8"))
        level = 0
        while level < _TOP and not h & 0x7:
            level, h = level + 1, h >> 3
        level = _LEVELS[node.name] = level
    return level


def _any(nodes: Sequence[Node]) -> Node:
    """Kleene OR of trees; false for none. Its depth grows with the logarithm of the number
    of trees (two thousand grounds make a status about twenty levels deep, not two
    thousand): the trees are cut into groups of about eight, the groups into groups of
    about eight groups, …, by the trees' names (``or`` is associative and commutative)."""
    if not nodes:
        return _FALSE
    nodes = tuple(nodes)
    return _grouped(nodes, tuple(map(_level, nodes)), _TOP)


def _grouped(nodes: tuple[Node, ...], levels: tuple[int, ...], level: int) -> Node:
    if len(nodes) == 1:
        return nodes[0]
    key = (level, *map(id, nodes))
    found = _ANY.get(key)
    if found is not None:
        return found
    # a group ends after a tree that closes groups of its level: the highest level at which
    # some tree but the last closes one, so that there are several (at level 0, every tree)
    level = min(level, max(levels[:-1]))
    cuts = [i + 1 for i, closes in enumerate(levels) if closes >= level]
    if not cuts or cuts[-1] != len(nodes):
        cuts.append(len(nodes))
    children = tuple(_grouped(nodes[a:b], levels[a:b], level - 1)
                     for a, b in itertools.pairwise([0, *cuts]))  # fmt: skip
    tree = _balanced(children)
    _GROUPS[id(tree)] = tree
    _ANY[key] = tree
    _remember(tree, Groups(nodes, tuple(cuts), children))
    return tree


class Groups:
    """How :func:`_grouped` cut an ``or`` of many outputs into groups."""

    __slots__ = ("_places", "children", "ends", "nodes")

    def __init__(self, nodes: tuple[Node, ...], ends: tuple[int, ...],
                 children: tuple[Node, ...]) -> None:  # fmt: skip
        #: the outputs, in order
        self.nodes = nodes
        #: where each group ends (after its last output)
        self.ends = ends
        #: the groups' trees, in order (an output alone is its own)
        self.children = children
        self._places: dict[int, int] | None = None

    def holding(self, node: Node) -> int:
        """The group that holds ``node`` (one of the outputs, by identity)."""
        if self._places is None:  # made when first asked: most ors are never taken apart
            self._places = {id(n): i for i, n in enumerate(self.nodes)}
        return bisect.bisect_right(self.ends, self._places[id(node)])


#: the shape of each tree :func:`_grouped` made, by identity (the tree weakly: an entry
#: goes with its tree)
_SHAPES: dict[int, tuple[weakref.ReferenceType[Node], Groups]] = {}


def _remember(tree: Node, shape: Groups) -> None:
    key = id(tree)

    def gone(ref: weakref.ReferenceType[Node], key: int = key, shapes: Any = _SHAPES) -> None:
        if shapes.get(key, (None,))[0] is ref:  # (the table itself: at exit, names are gone)
            del shapes[key]

    _SHAPES[key] = (weakref.ref(tree, gone), shape)


def groups_of(tree: Node) -> Groups | None:
    """How an ``or`` of many outputs (:func:`is_group`) is cut into groups; None for a tree
    that is not one."""
    found = _SHAPES.get(id(tree))
    return found[1] if found is not None and found[0]() is tree else None


def _balanced(nodes: Sequence[Node]) -> Node:
    # (a group is made once, by :func:`_grouped`: the trees inside it need not be looked up)
    if len(nodes) == 1:
        return nodes[0]
    half = len(nodes) // 2
    return Op("or", (_balanced(nodes[:half]), _balanced(nodes[half:])))


def is_group(node: Node) -> bool:
    """Whether ``node`` is a group of an ``or`` of many outputs (a status, a category, the
    grounds of a component): such an ``or`` is cut into groups of about eight outputs by
    their names, groups of groups, and so on. Their values are worth keeping
    (:class:`kzrehab.programs.Known`): a variant that takes one output out evaluates only
    the groups on its path."""
    return _GROUPS.get(id(node)) is node


def _and(a: Node, b: Node) -> Node:
    return _op("and", (a, b))


def _not(a: Node) -> Node:
    return _op("not", (a,))


_CLAIMANT = Name("claimant", ref="claim")


@functools.lru_cache(maxsize=1024)
def _claimant_in(recipients: tuple[str, ...]) -> Op:
    """``claimant in {recipients}``, one node per set of recipients."""
    return Op("in", (_CLAIMANT, SetLit(tuple(Lit(r) for r in recipients))))


def _weakly(fw: Framework) -> weakref.ReferenceType[Framework]:
    return weakref.ref(fw)


@attrs.frozen(eq=False)
class Plan:
    """Every output of a framework, in evaluation order."""

    #: the framework, weakly: plans are kept per framework only while it lives (a plan
    #: holding it would keep every framework ever planned, the variants of attribution too)
    _framework: weakref.ReferenceType[Framework] = attrs.field(alias="framework",
                                                                converter=_weakly)
    outputs: tuple[Output, ...]
    #: a ground that has the very outputs of a ground before it → that ground (its twin):
    #: the same condition, read in the same law, under the same exclusions
    twins: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def framework(self) -> Framework:
        fw = self._framework()
        assert fw is not None, "a plan outlived its framework"
        return fw

    def __iter__(self) -> Iterator[Output]:
        return iter(self.outputs)

    @property
    def by_key(self) -> Mapping[str, Output]:
        return {o.key: o for o in self.outputs}

    def of_kind(self, kind: str) -> list[Output]:
        """The outputs of one kind, in order."""
        return [o for o in self.outputs if o.kind == kind]

    def ground(self, ground: str) -> str:
        """The ground whose ``when`` and ``applies`` outputs are ``ground``'s: itself, or
        its twin (:attr:`twins`)."""
        return self.twins.get(ground, ground)


_PLANS: weakref.WeakKeyDictionary[Framework, Plan] = weakref.WeakKeyDictionary()


def plan_of(fw: Framework) -> Plan:
    """The plan of a framework (built once per framework)."""
    plan = _PLANS.get(fw)
    if plan is None:
        plan = _PLANS[fw] = _build(fw)
    return plan


def _build(fw: Framework) -> Plan:
    outputs: list[Output] = []
    for law in fw.laws:
        checked = fw.checked(law.id)
        for full, (when, unless) in checked.exclusions.items():
            outputs.append(Output(f"excl:{full}", "excl", when.node, law.id, full))
            holds: Node = out(f"excl:{full}")
            if unless is not None:
                outputs.append(Output(f"unless:{full}", "unless", unless.node, law.id, full))
                holds = _and(holds, _not(out(f"unless:{full}")))
            outputs.append(Output(f"holds:{full}", "holds", holds, None, full))
    twins: dict[str, str] = {}
    firsts: dict[tuple[str, int, tuple[str, ...]], str] = {}  # (the law keeps each tree)
    for law in fw.laws:
        parsed = {law.full_id(g.id): g.when.node for g in law.grounds}
        for full, when in fw.checked(law.id).grounds.items():
            key = twin_key(fw, law.id, full, parsed[full])
            first = firsts.setdefault(key, full)
            if first != full:  # its twin's outputs are its own
                twins[full] = first
                continue
            outputs += ground_outputs(fw, law.id, full, when.node)
    order = {g: i for i, g in enumerate(fw.covering)}
    outputs.append(Output("status", "status", _any(_firsts(fw.covering, twins, order))))
    granting: dict[str, list[str]] = {cat: [] for cat in fw.categories}
    for g in fw.covering:
        granting[fw.ground_category[g]].append(g)
    for cat, members in granting.items():
        outputs.append(Output(f"category:{cat}", "category",
                              _any(_firsts(members, twins, order)), None, cat))  # fmt: skip
    for full, tree in receipts(fw, twins).items():
        outputs.append(Output(f"receives:{full}", "receives", tree, None, full))
    for full, (_, law, _) in fw.components.items():
        resolved = fw.checked(law.id).amounts.get(full)
        if resolved is not None:
            outputs.append(Output(f"amount:{full}", "amount", _op("cents", (resolved.node,)),
                                  law.id, full, given=f"receives:{full}"))  # fmt: skip
    return Plan(fw, tuple(outputs), twins)


def ground_outputs(fw: Framework, law: str, ground: str, when: Node) -> tuple[Output, Output]:
    """A ground's ``when`` and ``applies``."""
    barred = [out(f"holds:{e}") for e in fw.covering[ground]]
    tree: Node = out(f"when:{ground}")
    if barred:
        tree = _and(tree, _not(_any(barred)))
    return (Output(f"when:{ground}", "when", when, law, ground),
            Output(f"applies:{ground}", "applies", tree, None, ground))


def twin_key(fw: Framework, law: str, ground: str, when: Node) -> tuple[str, int, tuple[str, ...]]:
    """What two grounds share when they are twins: their law (whose definitions and
    parameters the condition reads), their condition (the very same parsed tree: a text
    parsed once is one tree, however many grounds write it) and the exclusions covering
    them. Twins have the same ``applies`` for every claim."""
    return law, id(when), tuple(fw.covering[ground])


def _firsts(grounds: Iterable[str], twins: Mapping[str, str], order: Mapping[str, int]
            ) -> list[Name]:  # fmt: skip
    """The ``applies`` the grounds read (a twin's is its first twin's, :attr:`Plan.twins`),
    each once (the ``or`` of a tree with itself is the tree), in the plan's order of
    grounds: the same ``or`` whichever of the twins are among the grounds."""
    firsts = {twins.get(g, g) for g in grounds}
    return [out(f"applies:{g}") for g in sorted(firsts, key=order.__getitem__)]


def receipts(fw: Framework, twins: Mapping[str, str]) -> dict[str, Node]:
    """The tree of each component's ``receives`` output (``twins``: :attr:`Plan.twins`):
    the ``applies`` of its grounds in the order it names them (so ties compare it with
    another framework's as they did before twins, :func:`receipts_apart`), each once."""
    receives: dict[str, Node] = {}
    for full, (comp, _, gs) in fw.components.items():
        claimant = _claimant_in(tuple(comp.recipients))
        read = dict.fromkeys(twins.get(g, g) for g in gs)
        receives[full] = _and(_any([out(f"applies:{g}") for g in read]), claimant)
    for full, (comp, law, _) in fw.components.items():
        for replaced in comp.instead_of:
            target = law.full_id(replaced)
            if target in receives:
                receives[target] = _and(receives[target], _not(receives[full]))
    return receives


_APART: weakref.WeakKeyDictionary[Plan, dict[str, Node]] = weakref.WeakKeyDictionary()


def receipts_apart(plan: Plan) -> Mapping[str, Node]:
    """Each component's ``receives`` tree as it would be if no grounds were twins, each
    reading the ``applies`` of every ground it names (its plan's own when it has none):
    which grounds are twins depends on how the laws were read, not on their rules, and
    :func:`kzrehab.programs.ties` compares two frameworks' receipts by the outputs read."""
    if not plan.twins:
        return {o.subject: o.node for o in plan.of_kind("receives") if o.subject is not None}
    found = _APART.get(plan)
    if found is None:
        fw = plan.framework
        found = _APART[plan] = receipts(fw, {})
    return found


def _origin(fw: Framework, component: str) -> Location:
    comp, law, _ = fw.components[component]
    return comp.amount.origin if comp.amount else Location(file=law.ref)


def negative_amount(fw: Framework, component: str, claim_id: str, value: str) -> EvaluationError:
    """The error for an amount that can be negative for a claim that may receive it."""
    return EvaluationError(
        i18n._("the amount of component '{component}' can be negative ({value}) for claim "
               "'{claim_id}'; a law's amounts must not be negative (use max(0, …))").format(
            component=component, value=value, claim_id=claim_id),
        _origin(fw, component),
    )


def too_large_amount(fw: Framework, component: str, claim_id: str, value: str) -> EvaluationError:
    """The error for an amount above :data:`MAX_AMOUNT` for a claim that may receive it."""
    return EvaluationError(
        i18n._("the amount of component '{component}' can be {value} tenge for claim "
               "'{claim_id}', above the ceiling of {ceiling} tenge a claim: totals would "
               "no longer be exact to the cent (check the rule's units)").format(
            component=component, value=value, claim_id=claim_id,
            ceiling=i18n.decimal(MAX_AMOUNT, 0)),
        _origin(fw, component),
    )


def amount_problem(value: Interval) -> str | None:
    """``negative`` or ``too large`` for an amount range that breaks a rule, else None."""
    if value.lo < 0:
        return "negative"
    if value.lo > MAX_AMOUNT or (value.hi != float("inf") and value.hi > MAX_AMOUNT):
        return "too large"
    return None
