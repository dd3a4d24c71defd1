"""The vectorised compiler equals the per-claim interpreter on every claim and every rule.

The most important test of the project: Hypothesis generates random well-typed rule trees
and random claims (unknown facts, partial dates, events maybe in a filter) and asserts that
evaluating the tree over the columnar population gives, for every claim, exactly the value
the interpreter gives for that claim alone.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.errors import Location
from kzrehab.population.columns import Columns
from kzrehab.rules import Node, parse, unparse
from kzrehab.rules.checker import Checker
from kzrehab.rules.compiler import Iv, VectorEvaluator
from kzrehab.rules.interpreter import Evaluator
from kzrehab.rules.operators import REGISTRY
from kzrehab.rules.values import Interval, K

from .rule_strategies import PARAMS, claim_cond, claim_num, claims


class _Expr:
    def __init__(self, node: Node) -> None:
        self.node = node
        self.source = unparse(node)
        self.origin = Location()


DEFINITIONS = {
    "repression": "events[measure in {'exile', 'deportation'} or motive == 'class']",
    "long_enough": "months >= 6 and claim.claimant != 'victim'",
    "heir": "claimant in {'child', 'grandchild'} or pensioner",
    "early": "repression[year <= 1932]",
    "total": "sum(early.months) + count(repression)",
}


def _checked(tree: Node) -> tuple[dict[str, Node], Node, list[str]]:
    """Definitions and tree resolved, and the definitions that read the current event."""
    exprs = {n: _Expr(parse(s)) for n, s in DEFINITIONS.items()}
    checker = Checker(exprs, PARAMS)
    resolved = checker.check_definitions()
    defs = {n: r.node for n, r in resolved.items()}
    scoped = [n for n, r in resolved.items() if r.scope == "event"]
    return defs, checker.check(_Expr(tree)).node, scoped


def _agree(tree: Node, population: list[Claim]) -> None:
    # unique claim ids; every second claim shares its victim with the one before
    population = [
        attrs.evolve(c, id=f"c{i}", victim_id=f"c{i - i % 2}") for i, c in enumerate(population)
    ]
    defs, node, scoped = _checked(tree)
    vector = VectorEvaluator(Columns.from_claims(population), defs, PARAMS, scoped).evaluate(node)
    scalar = Evaluator(defs, PARAMS)
    for i, claim in enumerate(population):
        expected: Any = scalar.evaluate(node, claim)
        if isinstance(expected, K):
            got: Any = K(int(vector[i]))
        else:
            assert isinstance(vector, Iv)
            got = Interval(float(vector.lo[i]), float(vector.hi[i]))
        assert got == expected, (unparse(tree), i, got, expected)


@settings(max_examples=400, deadline=None)
@given(st.one_of(claim_cond(), claim_num()), st.lists(claims(), min_size=1, max_size=6))
def test_compiler_equals_interpreter(tree: Node, population: list[Claim]) -> None:
    _agree(tree, population)


DEFINITION_USES = [
    "exists(repression[long_enough])",
    "heir and exists(early)",
    "total > 3",
    "exists(events[claim.heir and year in 1930..1935])",
    "min(repression.start) < 1931-06 or max(early.end) >= 1933-01",
    "exists(events[exists(repression[known(start)]) and place == 'KZ'])",
    "sum(repression[long_enough].months) * P / count(events) > 1",
    # strings: identifying facts (id, victim_id) cannot appear in a rule; events' can
    "exists(events[episode == 'c1' or charge in {'c2', 'c9'}])",
    "exists(events[charge == episode and startswith(charge, 'c1')])",
    "exists(events[claim.heir and episode != 'c0'])",
]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(DEFINITION_USES), st.lists(claims(), min_size=1, max_size=6))
def test_compiler_equals_interpreter_through_definitions(
    source: str, population: list[Claim]
) -> None:
    _agree(parse(source), population)


def test_every_operator_has_both_implementations() -> None:
    for name, op in REGISTRY.items():
        assert callable(op.interpret), f"{name} has no per-claim implementation"
        assert callable(op.vectorised.resolve()), f"{name} has no vectorised implementation"
        assert callable(op.check), f"{name} has no type rule"


def test_claims_without_events() -> None:
    population = [Claim("a"), Claim("b", pensioner=True)]
    for source in ["exists(events)", "count(events) == 0", "min(events.year) > 1900",
                   "sum(events.months) == 0", "pensioner or exists(repression)"]:  # fmt: skip
        _agree(parse(source), population)


def test_vector_result_is_one_value_per_claim() -> None:
    defs, node, scoped = _checked(parse("true"))
    columns = Columns.from_claims([Claim("a"), Claim("b")])
    value = VectorEvaluator(columns, defs, PARAMS, scoped).evaluate(node)
    assert isinstance(value, np.ndarray) and value.shape == (2,) and (value == 2).all()
