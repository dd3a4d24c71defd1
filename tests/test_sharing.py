"""Sharing of sub-expressions in the compiled plan changes no value (issue 15).

The compiler keeps one step per signature (:mod:`kzrehab.rules.compiler`, *Sharing*). These
tests hold, on generated rules and claims (unknown facts, partial dates, events maybe in a
filter), that a program with sharing on gives exactly what a program with sharing off
gives, and what the per-claim interpreter gives; that whole frameworks give the same
coverage either way; and that the cost of a plan follows its distinct sub-expressions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.errors import KzrehabError
from kzrehab.evaluation import evaluate, program_of
from kzrehab.laws.framework import Framework, load_framework
from kzrehab.population import InMemoryPopulation
from kzrehab.population.columns import Columns
from kzrehab.rules import compiler, parse, unparse
from kzrehab.rules.ast import Lit, Name, Node, Op
from kzrehab.rules.compiler import Context, Iv, Program, broadcast
from kzrehab.rules.interpreter import Evaluator
from kzrehab.rules.values import Interval, K

from .rule_strategies import PARAMS, claim_cond, claim_num, claims
from .test_compiler_equals_interpreter import _checked
from .test_framework_engines import assert_same

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)


def _numbered(population: list[Claim]) -> list[Claim]:
    return [attrs.evolve(c, id=f"c{i}", victim_id=f"c{i - i % 2}")
            for i, c in enumerate(population)]  # fmt: skip


def _program(trees: list[Node], sharing: bool) -> tuple[Program, list[int], dict[str, Node]]:
    """A program of the resolved ``trees`` (each resolved anew: equal trees are distinct
    objects, as two provisions' are)."""
    resolved = [_checked(t) for t in trees]
    defs, _, scoped = resolved[0]
    program = Program({None: Context(defs, PARAMS, frozenset(scoped))}, sharing=sharing)
    return program, [program.add(node) for _, node, _ in resolved], defs


def _values(trees: list[Node], population: list[Claim], sharing: bool) -> list[Any]:
    program, steps, _ = _program(trees, sharing)
    columns = Columns.from_claims(population)
    got = program.run(columns, steps)
    return [broadcast(got[s], len(population)) for s in steps]


def _same(a: Any, b: Any) -> None:
    if isinstance(a, Iv):
        np.testing.assert_array_equal(a.lo, b.lo)
        np.testing.assert_array_equal(a.hi, b.hi)
    else:
        np.testing.assert_array_equal(a, b)


def _is_condition(tree: Node) -> bool:
    try:
        _checked(Op("not", (tree,)))
    except KzrehabError:
        return False
    return True


def _related(trees: list[Node]) -> list[Node]:
    """The trees, each again (an equal tree), and conditions combined with each other
    and with themselves: what provisions that share conditions look like."""
    out = [*trees, *(parse(unparse(t)) for t in trees)]
    conds = [t for t in trees if _is_condition(t)]
    for a, b in zip(conds, conds[1:] + conds[:1], strict=True):
        out += [Op("and", (a, b)), Op("or", (a, a)), Op("and", (b, Op("not", (a,))))]
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(claim_cond(), claim_num()), min_size=1, max_size=4),
       st.lists(claims(), min_size=1, max_size=6))  # fmt: skip
def test_sharing_changes_no_value(trees: list[Node], population: list[Claim]) -> None:
    population = _numbered(population)
    trees = _related(trees)
    shared, alone = _values(trees, population, True), _values(trees, population, False)
    defs = _program(trees[:1], True)[2]
    scalar = Evaluator(defs, PARAMS)
    for tree, a, b in zip(trees, shared, alone, strict=True):
        _same(a, b)
        node = _checked(tree)[1]
        for i, claim in enumerate(population):
            expected = scalar.evaluate(node, claim)
            got: Any = (K(int(a[i])) if isinstance(expected, K)
                        else Interval(float(a.lo[i]), float(a.hi[i])))  # fmt: skip
            assert got == expected, (unparse(tree), i)


#: the same conditions, through definitions and written out
WRITTEN_TWICE = [
    ("exists(repression)",
     "exists(events[measure in {'exile', 'deportation'} or motive == 'class'])"),
    ("count(early) > 1",
     "count(events[measure in {'exile', 'deportation'} or motive == 'class'][year <= 1932]) > 1"),
    ("sum(early.months) + count(repression)", "total"),
    ("P * 2", "3.5 * 2"),
]  # fmt: skip


@pytest.mark.parametrize(("one", "other"), WRITTEN_TWICE)
def test_a_definition_and_its_body_written_out_are_one_step(one: str, other: str) -> None:
    program, (a, b), _ = _program([parse(one), parse(other)], True)
    assert a == b
    program, (a, b), _ = _program([parse(one), parse(other)], False)
    assert a != b and program.signature(a) == program.signature(b)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(WRITTEN_TWICE), st.lists(claims(), min_size=1, max_size=6))
def test_written_twice_gives_one_value(pair: tuple[str, str], population: list[Claim]) -> None:
    trees = [parse(s) for s in pair]
    for a, b in zip(*(_values(trees, _numbered(population), s) for s in (True, False)),
                    strict=True):  # fmt: skip
        _same(a, b)


def test_literals_of_another_type_or_sign_are_never_one_step() -> None:
    program = Program({None: Context({}, {"Z": -0.0, "ONE": 1.0})})
    steps = [program.add(n) for n in (Lit(True), Lit(1), Lit(1.0), Lit(0.0), Lit(-0.0))]
    assert steps[0] != steps[1] and steps[1] == steps[2] and steps[3] != steps[4]
    assert program.add(Name("Z", ref="param")) == steps[4] != steps[3]
    assert program.add(Name("ONE", ref="param")) == steps[1]  # the same value: one step
    assert program.signature(steps[0]) != program.signature(steps[1])


def test_and_or_of_one_condition_twice_is_the_condition() -> None:
    _, (a, both, either), _ = _program(
        [parse("exists(repression)"), parse("exists(repression) and exists(repression)"),
         parse("exists(repression) or exists(repression)")], True)  # fmt: skip
    assert a == both == either


# -- whole frameworks ---------------------------------------------------------------------------

FRAMEWORKS = {
    "drafts": ["drafts/current", "drafts/bills", "drafts/proposals"],
    "event-heavy": ["benchmarks/event_heavy"],
    "bench": ["benchmarks/bench_law.toml"],
}


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return {k: load_framework([ROOT / p for p in v]) for k, v in FRAMEWORKS.items()}


@settings(max_examples=40, deadline=None)
@given(st.lists(claims(), min_size=1, max_size=8), st.sampled_from(sorted(FRAMEWORKS)))
def test_frameworks_give_the_same_coverage_with_and_without_sharing(
    frameworks: dict[str, Framework], population: list[Claim], which: str
) -> None:
    pop = InMemoryPopulation("generated", tuple(_numbered(population)))
    fw = frameworks[which]
    shared = evaluate(fw, pop, AS_OF)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler, "SHARING", False)
        alone = evaluate(fw, pop, AS_OF)
    assert_same(shared, alone)
    assert_same(shared, evaluate(fw, pop, AS_OF, engine="interpreter"))


def test_sharing_program_is_smaller(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["event-heavy"]
    params = fw.parameters_at(AS_OF)
    shared = len(program_of(fw, params).steps)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler, "SHARING", False)
        alone = len(program_of(fw, params).steps)
    assert shared < alone


def _grounds(n: int) -> Framework:
    condition = "exists(events[measure in {'exile', 'deportation'} and year in 1930..1940])"
    grounds = "".join(f'\n  [[article.ground]]\n  id = "g{i}"\n  category = "victim"\n'
                      f'  when = "{condition}"\n' for i in range(n))  # fmt: skip
    text = ('[law]\nid = "many"\ntitle = "Many"\nkind = "bill"\nstatus = "draft"\n\n'
            '[[article]]\nnumber = "1"\ntext = "Grounds."\n' + grounds +
            '\n  [[article.component]]\n  id = "pay"\n  kind = "compensation"\n'
            '  recipients = ["victim"]\n  amount = "10"\n  period = "once"\n')  # fmt: skip
    from kzrehab.laws.loader import load_law_text

    return Framework([load_law_text(text, "many.toml")])


def test_grounds_sharing_one_condition_cost_one() -> None:
    """The steps a chunk runs do not grow with the grounds that share a condition: one
    ground, or a hundred whose status, category and payment read them all."""
    one, many = _grounds(1), _grounds(100)
    steps = [len(program_of(f, f.parameters_at(AS_OF)).steps) for f in (one, many)]
    assert steps[0] == steps[1]
    pop = InMemoryPopulation("generated", tuple(
        Claim(f"c{i}", claimant="victim", events=()) for i in range(3)))  # fmt: skip
    cov = evaluate(many, pop, AS_OF)
    assert len({id(a) for a in cov.grounds.values()}) == 1  # one array, shared
    assert cov.tally.grounds == {g: [0, 0] for g in many.covering}


def test_a_value_read_by_no_later_step_is_let_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays bounded by what is still to be read: every step computed but not
    wanted is let go after its last reader, and only the wanted values are returned."""
    program, steps, _ = _program([parse("sum(repression[long_enough].months) > 3"),
                                  parse("heir")], True)  # fmt: skip
    forgotten: list[Any] = []
    monkeypatch.setattr(compiler.ChunkValues, "forget", lambda self, value: forgotten.append(value))
    columns = Columns.from_claims([Claim("a"), Claim("b", pensioner=True)])
    got = program.run(columns, steps[:1])
    assert set(got) == {steps[0]}
    assert len(forgotten) == steps[0]  # every step before it (all that it reads)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(claim_cond(), claim_num()), min_size=1, max_size=4),
       st.lists(st.one_of(claim_cond(), claim_num()), min_size=1, max_size=3),
       st.lists(claims(), min_size=1, max_size=6))  # fmt: skip
def test_a_memo_of_another_program_changes_no_value(
    first: list[Node], more: list[Node], population: list[Claim]
) -> None:
    """A program run with a :class:`~kzrehab.rules.compiler.Memo` that another program
    filled over the same columns (the versions of a log over one chunk) gives what it
    gives alone, and computes only what the other did not."""
    population = _numbered(population)
    columns = Columns.from_claims(population)
    trees_a, trees_b = _related(first), _related(first[:1] + more)  # they share some trees
    prog_a, steps_a, _ = _program(trees_a, True)
    prog_b, steps_b, _ = _program(trees_b, True)
    memo = compiler.Memo()
    prog_a.run(columns, steps_a, memo)
    assert memo and memo.used > 0
    alone, with_memo = prog_b.run(columns, steps_b), prog_b.run(columns, steps_b, memo)
    for s in steps_b:
        _same(broadcast(alone[s], len(population)), broadcast(with_memo[s], len(population)))
    # what both programs have is taken from the memo, not computed again
    computed: list[int] = []
    real = compiler.ChunkValues.compute

    def counting(self: compiler.ChunkValues, step: Any, args: list[Any]) -> Any:
        computed.append(step.sig)
        return real(self, step, args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler.ChunkValues, "compute", counting)
        again = compiler.Memo()
        prog_a.run(columns, steps_a, again)
        computed.clear()
        prog_b.run(columns, steps_b, again)
    shared = {prog_a.signature(s) for s in steps_a} & {prog_b.signature(s) for s in steps_b}
    assert not shared & set(computed)


def test_a_memo_keeps_nothing_beyond_its_budget() -> None:
    population = _numbered([Claim(id="x", victim_id="x")] * 3)
    columns = Columns.from_claims(population)
    program, steps, _ = _program([parse("exists(repression)"), parse("P * 2")], True)
    memo = compiler.Memo(budget=0)
    got = program.run(columns, steps, memo)
    assert got and not [v for v in memo.values() if compiler._nbytes(v)] and memo.used == 0
