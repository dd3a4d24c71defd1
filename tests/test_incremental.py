"""Incremental attribution (issue 15): a variant re-evaluates only the outputs that depend
on the provision taken back, and the rows are exactly those of evaluating every variant
whole — on the bundled drafts and on generated changes and claims."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab import attribution
from kzrehab.attribution import compare
from kzrehab.claims import Claim
from kzrehab.evaluation import Known, evaluate
from kzrehab.laws.framework import Framework, load_framework
from kzrehab.laws.loader import load_law_text
from kzrehab.population import InMemoryPopulation, Population, load_population
from kzrehab.rules import compiler
from kzrehab.rules.ast import Node
from kzrehab.rules.printer import unparse

from .rule_strategies import claim_cond, claim_num, claims
from .test_framework_engines import assert_same
from .test_outcomes import CURRENT, _with

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


def _rows(base: Framework, head: Framework, pop: Population, incremental: bool) -> list[Any]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(attribution, "INCREMENTAL", incremental)
        return [attrs.asdict(r) for r in compare(base, head, pop, AS_OF).attribution]


def _drafts(*dirs: str) -> Framework:
    return load_framework([ROOT / "drafts" / d for d in dirs])


PAIRS = [
    (("current",), ("current", "bills")),
    (("current", "bills"), ("current", "bills", "proposals")),
    (("current", "bills", "proposals"), ("current",)),
]


@pytest.mark.parametrize(("base", "head"), PAIRS)
def test_rows_are_the_same_incrementally_on_the_bundled_drafts(
    base: tuple[str, ...], head: tuple[str, ...]
) -> None:
    pop = load_population(ROOT / "tests" / "data" / "sample.jsonl")
    a, b = _drafts(*base), _drafts(*head)
    rows = _rows(a, b, pop, True)
    assert rows == _rows(a, b, pop, False)
    assert any(r["gained"] or r["lost"] for r in rows[:-1])  # some row moves claims


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claims(), min_size=1, max_size=10))
def test_rows_are_the_same_incrementally_on_generated_claims(people: list[Claim]) -> None:
    pop = InMemoryPopulation("generated", tuple(
        attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}") for i, c in enumerate(people)))  # fmt: skip
    a, b = _drafts("current"), _drafts("current", "bills", "proposals")
    assert _rows(a, b, pop, True) == _rows(a, b, pop, False)


def _fw(*texts: str) -> Framework:
    return Framework([load_law_text(t, f"law{i}.toml") for i, t in enumerate(texts)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=claim_cond(), amount=claim_num(), other=claim_cond(),
       people=st.lists(claims(), min_size=1, max_size=8))  # fmt: skip
def test_rows_are_the_same_incrementally_on_generated_changes(
    condition: Node, amount: Node, other: Node, people: list[Claim]
) -> None:
    def text(cond: Node) -> str:
        return unparse(cond).replace('"', "'")

    pop = InMemoryPopulation("generated", tuple(
        attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}") for i, c in enumerate(people)))  # fmt: skip
    base = _fw(_with(CURRENT, text(other), "1"))
    # a changed condition and amount, a new ground sharing the condition, and the exile
    # ground made to read it: several changes, some of them sharing rules
    head_text = _with(CURRENT, text(condition), text(amount)).replace(
        "when = \"exists(events[measure == 'exile'])\"",
        f"when = \"exists(events[measure == 'exile']) or ({text(condition)})\"")  # fmt: skip
    head = _fw(head_text)
    assert _rows(base, head, pop, True) == _rows(base, head, pop, False)


GROUNDS = 30


def _many(changed: str | None = None) -> Framework:
    body = "".join(
        f'\n  [[article.ground]]\n  id = "g{i}"\n  category = "c{i % 3}"\n'
        f"  when = \"exists(events[measure == 'exile' and year >= {1920 + i}])\"\n"
        for i in range(GROUNDS)
    )
    if changed:
        body = body.replace("year >= 1925]", changed)
    return _fw(
        '[law]\nid = "many"\ntitle = "Many"\nkind = "bill"\nstatus = "draft"\n\n'
        '[[article]]\nnumber = "1"\ntext = "Grounds."\n' + body
        + '\n  [[article.component]]\n  id = "pay"\n  kind = "compensation"\n'
        '  recipients = ["victim"]\n  amount = "10 * count(events)"\n  period = "once"\n'
    )  # fmt: skip


def test_a_variant_evaluates_only_what_depends_on_the_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Taking back one ground of thirty evaluates that ground and what reads it (the
    status, its category, the payment's receipt), not the other grounds."""
    people = tuple(Claim(f"c{i}", claimant="victim") for i in range(4))
    pop = InMemoryPopulation("people", people)
    base, head = _many(), _many("year >= 1925 and place == 'KZ']")
    base_cov, head_cov = evaluate(base, pop, AS_OF), evaluate(head, pop, AS_OF)
    computed: list[Any] = []
    original = compiler.ChunkValues.compute

    def counting(self: Any, step: Any, args: Any) -> Any:
        computed.append(step)
        return original(self, step, args)

    for cov in (head_cov, base_cov):  # the groups of their long "or"s: once, for all variants
        Known.of((cov,))
    monkeypatch.setattr(compiler.ChunkValues, "compute", counting)
    whole = evaluate(base, pop, AS_OF)
    n_whole, computed[:] = len(computed), []
    again = evaluate(base, pop, AS_OF, reuse=(head_cov,))
    assert_same(again, whole)
    # one ground's condition (one filter, one exists), and the trees that read it (the
    # status, its category, the receipt: their "or"s); nothing at all when all is known
    assert [s.what.__name__ for s in computed if s.kind == "op" and s.what.__name__ in
            ("v_filter", "v_exists")] == ["v_filter", "v_exists"]  # fmt: skip
    assert len(computed) < n_whole // 3, (len(computed), n_whole)
    # of the "or"s over thirty grounds, only the groups on the changed ground's path
    assert sum(s.kind == "op" and s.what.__name__ == "v_or" for s in computed) <= 20
    computed[:] = []
    assert_same(evaluate(base, pop, AS_OF, reuse=(base_cov,)), whole)
    assert not computed
    assert np.array_equal(base_cov.status, whole.status)


def test_reuse_needs_the_same_population_and_date() -> None:
    pop = InMemoryPopulation("one", (Claim("a"),))
    other = InMemoryPopulation("one", (Claim("a"),))
    fw = _many()
    cov = evaluate(fw, pop, AS_OF)
    for population, date in ((other, AS_OF), (pop, dt.date(2024, 1, 1))):
        with pytest.raises(ValueError, match="same population"):
            evaluate(fw, population, date, reuse=(cov,))


def test_a_variant_is_let_go_once_measured() -> None:
    """A framework's plan and compiled program go with it: attribution's variants do not
    pile up (a plan held its framework, so every framework ever planned stayed in memory)."""
    import gc
    import weakref

    pop = InMemoryPopulation("one", (Claim("a", claimant="victim"),))
    fw = _many()
    evaluate(fw, pop, AS_OF)
    gone = weakref.ref(fw)
    del fw
    gc.collect()
    assert gone() is None
