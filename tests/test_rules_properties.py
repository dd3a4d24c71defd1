"""Laws of the rule language, checked on generated trees and claims.

- parse(unparse(t)) == t for every tree;
- Kleene identities (De Morgan, double negation, absorption) hold on claims with unknowns;
- ranges are sound: filling in a claim's unknowns never gives a value outside the range
  computed for the claim with the unknowns.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.errors import Location
from kzrehab.rules import Lit, Node, Op, parse, unparse
from kzrehab.rules.checker import Checker
from kzrehab.rules.interpreter import Evaluator
from kzrehab.rules.values import Interval, K

from .rule_strategies import PARAMS, claim_cond, claim_num, claims, fill


class _Expr:
    def __init__(self, node: Node) -> None:
        self.node = node
        self.source = unparse(node)
        self.origin = Location()


_CHECKER = Checker({}, PARAMS)
_EVAL = Evaluator({}, PARAMS)


def evaluate(node: Node, claim: Claim) -> Any:
    resolved = _CHECKER.check(_Expr(node)).node
    return _EVAL.evaluate(resolved, claim)


@given(st.one_of(claim_cond(), claim_num()))
def test_parse_of_unparse_is_identity(tree: Node) -> None:
    assert parse(unparse(tree)) == tree


@given(st.one_of(claim_cond(), claim_num()))
def test_generated_trees_type_check(tree: Node) -> None:
    _CHECKER.check(_Expr(tree))


@given(claim_cond(), claim_cond(), claims())
def test_de_morgan(a: Node, b: Node, claim: Claim) -> None:
    assert evaluate(Op("not", (Op("and", (a, b)),)), claim) == evaluate(
        Op("or", (Op("not", (a,)), Op("not", (b,)))), claim
    )
    assert evaluate(Op("not", (Op("or", (a, b)),)), claim) == evaluate(
        Op("and", (Op("not", (a,)), Op("not", (b,)))), claim
    )


@given(claim_cond(), claims())
def test_double_negation(a: Node, claim: Claim) -> None:
    assert evaluate(Op("not", (Op("not", (a,)),)), claim) == evaluate(a, claim)


@given(claim_cond(), claim_cond(), claims())
def test_absorption(a: Node, b: Node, claim: Claim) -> None:
    va = evaluate(a, claim)
    assert evaluate(Op("or", (a, Op("and", (a, b)))), claim) == va
    assert evaluate(Op("and", (a, Op("or", (a, b)))), claim) == va


@given(claim_cond(), claims())
def test_surely_and_possibly_bracket_the_value(a: Node, claim: Claim) -> None:
    v = evaluate(a, claim)
    assert evaluate(Op("surely", (a,)), claim) == (K.TRUE if v is K.TRUE else K.FALSE)
    assert evaluate(Op("possibly", (a,)), claim) == (K.FALSE if v is K.FALSE else K.TRUE)


def _within(filled: Any, ranged: Any) -> bool:
    if isinstance(ranged, K):
        return ranged is K.UNKNOWN or filled is ranged
    assert isinstance(ranged, Interval) and isinstance(filled, Interval)
    return ranged.lo <= filled.lo and filled.hi <= ranged.hi


def without_certainty(node: Node) -> Node:
    """The tree with ``surely(C)``/``possibly(C)`` replaced by C and ``known(X)`` by true.

    These operators speak about what is known, not about the facts: ``known(x)`` is false
    while x is unknown and true once it is filled in. Soundness is a property of the
    fact-level fragment of the language (documented in the rule-language page).
    """
    if isinstance(node, Op):
        if node.op in {"surely", "possibly"}:
            return without_certainty(node.args[0])
        if node.op == "known":
            return Lit(True)
        return Op(node.op, tuple(without_certainty(a) for a in node.args))
    return node


@settings(max_examples=300)
@given(st.one_of(claim_cond(), claim_num()), claims(), st.integers(0, 2**32 - 1))
def test_ranges_are_sound(tree: Node, claim: Claim, seed: int) -> None:
    tree = without_certainty(tree)
    ranged = evaluate(tree, claim)
    rnd = random.Random(seed)
    for _ in range(3):
        filled_claim = fill(claim, rnd)
        filled = evaluate(tree, filled_claim)
        assert _within(filled, ranged), (unparse(tree), filled, ranged)
