"""The vectorised framework evaluation equals the per-claim interpreter, claim by claim.

Runs the real drafts (current law, every bill and the proposal) over generated claims and
over the bundled sample registry, comparing every array of the two coverages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.coverage import Coverage
from kzrehab.evaluation import evaluate, summarize
from kzrehab.laws.framework import Framework, load_framework
from kzrehab.population import InMemoryPopulation
from kzrehab.reports.data import result_json

from .rule_strategies import claims

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)
FRAMEWORKS = {
    "current": ["drafts/current"],
    "all": ["drafts/current", "drafts/bills", "drafts/proposals"],
}


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return {k: load_framework([ROOT / p for p in v]) for k, v in FRAMEWORKS.items()}


def assert_same(a: Coverage, b: Coverage) -> None:
    np.testing.assert_array_equal(a.status, b.status)
    for name in ("grounds", "exclusions", "categories", "components"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.keys() == right.keys()
        for k in left:
            np.testing.assert_array_equal(left[k], right[k], err_msg=f"{name} {k}")
    for name in ("amount_lo", "amount_hi"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.keys() == right.keys()
        for k in left:
            np.testing.assert_array_equal(left[k], right[k], err_msg=f"{name} {k}")


@settings(max_examples=60, deadline=None)
@given(st.lists(claims(), min_size=1, max_size=8), st.sampled_from(sorted(FRAMEWORKS)))
def test_engines_agree_on_generated_claims(
    frameworks: dict[str, Framework], population: list[Claim], which: str
) -> None:
    numbered = (attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}") for i, c in enumerate(population))
    pop = InMemoryPopulation("generated", tuple(numbered))
    fw = frameworks[which]
    assert_same(evaluate(fw, pop, AS_OF), evaluate(fw, pop, AS_OF, engine="interpreter"))


def test_engines_agree_on_the_sample_registry(frameworks: dict[str, Framework]) -> None:
    from kzrehab.population import load_population

    pop = load_population(ROOT / "tests/data/sample.jsonl")
    fw = frameworks["all"]
    assert_same(evaluate(fw, pop, AS_OF), evaluate(fw, pop, AS_OF, engine="interpreter"))


def test_chunked_evaluation_equals_whole(frameworks: dict[str, Framework]) -> None:
    from kzrehab.population import load_population

    pop = load_population(ROOT / "tests/data/sample.jsonl")
    fw = frameworks["all"]
    assert_same(evaluate(fw, pop, AS_OF), evaluate(fw, pop, AS_OF, chunk=137))


def test_chunked_summary_equals_the_coverage_summaries(frameworks: dict[str, Framework]) -> None:
    from kzrehab.population import load_population

    pop = load_population(ROOT / "tests/data/sample.jsonl")
    fw = frameworks["all"]
    whole = evaluate(fw, pop, AS_OF)
    chunked = summarize(fw, pop, AS_OF, chunk=333)
    assert result_json(chunked) == result_json(whole)
    assert chunked.by_ground() == whole.by_ground()
    assert chunked.by_exclusion() == whole.by_exclusion()
    # totals are exact sums of the per-claim amounts, in cents
    for row in whole.by_component():
        cid = row["component"]
        if cid in whole.amount_lo:
            sure = whole.components[cid] == 2
            assert row["amount"]["min"] == round(float(whole.amount_lo[cid][sure].sum()), 2)
