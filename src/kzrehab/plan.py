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

__all__ = ["Output", "Plan", "plan_of", "out", "negative_amount", "too_large_amount",
           "amount_problem", "MAX_AMOUNT"]

import weakref
from collections.abc import Iterator, Mapping, Sequence

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


def _any(nodes: Sequence[Node]) -> Node:
    """Kleene OR of trees; false for none. Balanced (``or`` is associative), so that its
    depth grows with the logarithm of the number of trees: two thousand grounds make a
    status eleven levels deep, not two thousand."""
    if not nodes:
        return Lit(False)
    if len(nodes) == 1:
        return nodes[0]
    half = len(nodes) // 2
    return Op("or", (_any(nodes[:half]), _any(nodes[half:])))


def _and(a: Node, b: Node) -> Node:
    return Op("and", (a, b))


def _not(a: Node) -> Node:
    return Op("not", (a,))


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
    for law in fw.laws:
        for full, when in fw.checked(law.id).grounds.items():
            outputs.append(Output(f"when:{full}", "when", when.node, law.id, full))
            barred = [out(f"holds:{e}") for e in fw.covering[full]]
            tree: Node = out(f"when:{full}")
            if barred:
                tree = _and(tree, _not(_any(barred)))
            outputs.append(Output(f"applies:{full}", "applies", tree, None, full))
    grounds = list(fw.covering)
    outputs.append(Output("status", "status", _any([out(f"applies:{g}") for g in grounds])))
    for cat in fw.categories:
        members = [out(f"applies:{g}") for g in grounds if fw.ground_category[g] == cat]
        outputs.append(Output(f"category:{cat}", "category", _any(members), None, cat))
    receives: dict[str, Node] = {}
    for full, (comp, _, gs) in fw.components.items():
        claimant = Op("in", (Name("claimant", ref="claim"),
                             SetLit(tuple(Lit(r) for r in comp.recipients))))  # fmt: skip
        receives[full] = _and(_any([out(f"applies:{g}") for g in gs]), claimant)
    for full, (comp, law, _) in fw.components.items():
        for replaced in comp.instead_of:
            target = law.full_id(replaced)
            if target in receives:
                receives[target] = _and(receives[target], _not(receives[full]))
    for full, tree in receives.items():
        outputs.append(Output(f"receives:{full}", "receives", tree, None, full))
    for full, (_, law, _) in fw.components.items():
        resolved = fw.checked(law.id).amounts.get(full)
        if resolved is not None:
            outputs.append(Output(f"amount:{full}", "amount", Op("cents", (resolved.node,)),
                                  law.id, full, given=f"receives:{full}"))  # fmt: skip
    return Plan(fw, tuple(outputs))


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
