"""Coverage diffs, attribution and the coverage cache.

The laws the diff must obey: diff(a, a) moves nobody; diff(a, b) mirrors diff(b, a);
adding a ground never removes coverage; repealing an exclusion never removes coverage;
renumbering alone moves nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzrehab
from kzrehab import comparison
from kzrehab.attribution import Comparison, compare
from kzrehab.comparison import CoverageDiff, diff
from kzrehab.coverage import Coverage
from kzrehab.errors import UsageError
from kzrehab.evaluation import evaluate
from kzrehab.keys import coverage_key, framework_key
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text, load_laws
from kzrehab.population import InMemoryPopulation, Population, load_population
from kzrehab.reports.data import result_json
from kzrehab.rules.ast import Node
from kzrehab.rules.printer import unparse
from kzrehab.rules.values import K
from kzrehab.tracker.cache import CoverageCache

from .rule_strategies import PARAMS, claim_cond, claims
from .test_gitstore import DEPORTATION, toy

#: two grounds for deportation, each enough alone
DEPORTATION_TWICE = DEPORTATION.lstrip("\n") + DEPORTATION.replace(
    'id = "deportation"', 'id = "deported"').replace('number = "1-1"', 'number = "1-2"')

AS_OF = dt.date(2025, 6, 1)
DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def pop() -> Population:
    return load_population(DATA / "tracker.jsonl")


def fw(*texts: str) -> Framework:
    return Framework([load_law_text(t, f"law{i}.toml") for i, t in enumerate(texts)])


def run(base: Framework, head: Framework, pop: Population) -> Comparison:
    return compare(base, head, pop, AS_OF)


def rows(c: Comparison) -> dict[str, tuple[int | None, int | None]]:
    return {r.provision: (r.gained, r.lost) for r in c.attribution}


def moved(c: Comparison) -> dict[tuple[str, str], int]:
    return {(t.from_, t.to): t.claims for t in c.coverage.transitions()
            if t.claims and t.from_ != t.to}  # fmt: skip


def test_diff_of_a_version_with_itself(pop: Population) -> None:
    c = run(fw(toy()), fw(toy()), pop)
    assert all(t.from_ == t.to for t in c.coverage.transitions() if t.claims)
    assert sum(t.claims for t in c.coverage.transitions()) == len(pop)
    assert c.coverage.gained == c.coverage.lost == 0
    assert c.provisions() == []
    assert rows(c) == {"interaction": (0, 0)}
    assert c.coverage.claim_changes() == []


def test_added_ground(pop: Population) -> None:
    c = run(fw(toy()), fw(toy(deportation=True)), pop)
    assert moved(c) == {("ineligible", "eligible"): 1}
    assert c.provisions() == [("toy:deportation", "added")]
    assert rows(c) == {"toy:deportation": (1, 0), "interaction": (0, 0)}
    (change,) = c.coverage.claim_changes()
    assert (change.id, change.base, change.head) == ("t3", K.FALSE, K.TRUE)
    assert change.categories_gained == ("victim",)
    assert change.components_gained == ()  # t3's claimant is a child: no payment
    assert change.levels_gained == ("status", "categories") and not change.loses


def test_each_provision_is_credited_with_what_taking_it_back_undoes(pop: Population) -> None:
    c = run(fw(toy()), fw(toy(deportation=True, no_exclusion=True)), pop)
    # without the new ground, t3 and t6 lose again; with the exclusion back, t2, t4 and t6
    # do: t6 needs both, and each row counts it
    assert rows(c) == {"toy:deportation": (2, 0), "toy:confession": (3, 0),
                       "interaction": (0, 0)}  # fmt: skip
    assert c.coverage.gained == 4


def test_interaction(pop: Population) -> None:
    twin = DEPORTATION_TWICE
    c = run(fw(toy()), fw(toy().replace("[[article]]\nnumber = \"2", twin + "[[article]]\n"
                                        "number = \"2")), pop)  # fmt: skip
    # t3 gains by either of two new grounds: taking one back leaves the other
    assert rows(c)["interaction"] == (1, 0)
    assert rows(c)["toy:deportation"] == rows(c)["toy:deported"] == (0, 0)


def test_mirror(pop: Population) -> None:
    # without t6, whom only both changes together move, attribution mirrors exactly
    small = InMemoryPopulation("small", tuple(c for c in pop.claims if c.id != "t6"))
    a, b = fw(toy()), fw(toy(deportation=True, no_exclusion=True))
    forward, backward = run(a, b, small), run(b, a, small)
    swapped = {(t.to, t.from_): t.claims for t in forward.coverage.transitions()}
    assert {(t.from_, t.to): t.claims for t in backward.coverage.transitions()} == swapped
    assert {k: (lo, g) for k, (g, lo) in rows(forward).items()} == rows(backward)
    assert [c for _, c in forward.provisions()] == ["removed", "added"]
    assert [c for _, c in backward.provisions()] == ["added", "removed"]


def test_renumbering_moves_nothing(pop: Population) -> None:
    c = run(fw(toy()), fw(toy(renumber=True, reword=True)), pop)
    assert c.coverage.gained == c.coverage.lost == 0
    assert dict(c.provisions()) == {"toy:confession": "renumbered",
                                    "toy:exile": "reworded+renumbered",
                                    "toy:payment": "renumbered"}  # fmt: skip
    assert set(rows(c).values()) == {(0, 0)}


def test_amendment_is_credited_with_what_its_target_does(pop: Population) -> None:
    bill = """
[law]
id = "bill"
title = "Narrows the exclusion"
kind = "bill"
status = "draft"

[[article]]
number = "1"
text = "A confession is no bar for persons sent into exile."

  [[article.amend]]
  id = "narrow"
  law = "toy"
  target = "confession"
  action = "replace"
  unless = "exists(events[measure == 'exile'])"
"""
    c = run(fw(toy()), fw(toy(), bill), pop)
    assert dict(c.provisions()) == {"bill:narrow": "added",
                                    "toy:confession": "rule-changed+amended"}  # fmt: skip
    # one row, the amended provision's, naming the amendment
    assert rows(c) == {"toy:confession": (2, 0), "interaction": (0, 0)}
    assert c.attribution[0].amended_by == ("bill:narrow",)


def test_provision_that_cannot_change_alone(pop: Population) -> None:
    head = toy(deportation=True).replace(
        'exiled = "exists(events[measure == \'exile\'])"',
        'exiled = "events[measure == \'exile\' or measure == \'deportation\']"',
    ).replace('when = "exiled"', 'when = "exists(exiled)"')
    c = run(fw(toy(deportation=True)), fw(head), pop)
    # each alone is ill-typed: the ground needs the new definition and the other way round
    assert rows(c)["toy:exile"] == (None, None)
    assert rows(c)["toy:definitions.exiled"] == (None, None)
    assert c.coverage.gained == c.coverage.lost == 0
    assert rows(c)["interaction"] == (0, 0)


def test_breakdowns(pop: Population) -> None:
    c = run(fw(toy()), fw(toy(no_exclusion=True)), pop)
    (cat,) = c.coverage.by_category()
    assert cat == {"category": "victim", "base": {"eligible": 1, "undetermined": 2},
                   "head": {"eligible": 3, "undetermined": 1}}  # fmt: skip
    (comp,) = c.coverage.by_component()
    # the total: at least what the sure recipients get, at most what every possible one could
    assert comp["base"] == {"claims": 1, "undetermined": 2, "paying": 3,
                            "amount": {"min": 100.0, "max": 300.0}}  # fmt: skip
    assert comp["head"]["claims"] == 3 and comp["head"]["amount"] == {"min": 300.0, "max": 400.0}
    assert comp["period"] == "once"


def test_json(pop: Population) -> None:
    doc = result_json(run(fw(toy()), fw(toy(deportation=True)), pop))
    assert list(doc)[:7] == ["schema", "as_of", "population", "base", "head", "transitions",
                             "gained"]  # fmt: skip
    assert doc["schema"] == "kzrehab/2" and doc["as_of"] == "2025-06-01"
    assert "claims" not in doc["base"] and "population" not in doc["base"]
    assert doc["base"]["status"] == {"eligible": 1, "ineligible": 5, "undetermined": 2}
    assert {"from": "ineligible", "to": "eligible", "claims": 1} in doc["transitions"]
    assert all(t["claims"] > 0 for t in doc["transitions"])
    assert doc["provisions"] == [{"id": "toy:deportation", "change": "added"}]
    assert doc["attribution"][-1] == {"provision": "interaction", "gained": 0, "lost": 0,
                                      "gained_overall": 0, "lost_overall": 0,
                                   "evaluated": True, "levels": None,
                                      "amended_by": []}  # fmt: skip
    assert doc["changes"]["status"] == {"gained": 1, "lost": 0}
    assert "claims" not in doc
    with_claims = result_json(run(fw(toy()), fw(toy(deportation=True)), pop), claims=True)
    assert [c["id"] for c in with_claims["claims"]] == ["t3"]


def test_different_populations_are_refused(pop: Population) -> None:
    small = InMemoryPopulation("small", pop.claims[:3])
    a = evaluate(fw(toy()), pop, AS_OF)
    b = evaluate(fw(toy()), small, AS_OF)
    with pytest.raises(UsageError, match="different populations"):
        diff(a, b)


def test_kzrehab_diff_is_a_plain_function(pop: Population) -> None:
    a = evaluate(fw(toy()), pop, AS_OF)
    b = evaluate(fw(toy(deportation=True)), pop, AS_OF)
    d = kzrehab.diff(a, b)
    assert isinstance(d, CoverageDiff) and d.gained == 1
    assert inspect.isfunction(kzrehab.diff) and kzrehab.diff is comparison.diff
    with pytest.raises(ModuleNotFoundError):  # no module hides behind the function's name
        importlib.import_module("kzrehab.diff")


# -- the laws of coverage diffs, on random rules and claims ------------------------------------

_PARAMS = "[parameters]\n" + "".join(f"{k} = {v}\n" for k, v in PARAMS.items())


def _with_ground(condition: str) -> str:
    return toy().replace("[definitions]", _PARAMS + "\n[definitions]") + (
        "\n[[article]]\nnumber = \"9\"\ntext = \"A new ground.\"\n\n  [[article.ground]]\n"
        f"  id = \"new\"\n  category = \"new\"\n  when = \"{condition}\"\n"
    )


def _with_exclusion(condition: str, unless: str) -> str:
    return toy(deportation=True).replace("[definitions]", _PARAMS + "\n[definitions]") + (
        "\n[[article]]\nnumber = \"9\"\ntext = \"A new exclusion.\"\n\n  [[article.exclusion]]\n"
        f"  id = \"bar\"\n  when = \"{condition}\"\n  unless = \"{unless}\"\n"
    )


def _population(cs: list[kzrehab.Claim]) -> Population:
    return InMemoryPopulation("random", tuple(attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}")
                                      for i, c in enumerate(cs)))  # fmt: skip


_SETTINGS = settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@_SETTINGS
@given(condition=claim_cond(), people=st.lists(claims(), min_size=1, max_size=12))
def test_adding_a_ground_never_removes_coverage(condition: Node,
                                                people: list[kzrehab.Claim]) -> None:  # fmt: skip
    pop = _population(people)
    source = unparse(condition).replace('"', "'")
    base = fw(toy().replace("[definitions]", _PARAMS + "\n[definitions]"))
    c = run(base, fw(_with_ground(source)), pop)
    assert (c.head.status >= c.base.status).all()
    assert c.coverage.lost == 0
    assert all(r.lost in (0, None) for r in c.attribution)


@_SETTINGS
@given(condition=claim_cond(), unless=claim_cond(),
       people=st.lists(claims(), min_size=1, max_size=12))  # fmt: skip
def test_repealing_an_exclusion_never_removes_coverage(
    condition: Node, unless: Node, people: list[kzrehab.Claim]
) -> None:
    pop = _population(people)
    with_bar = fw(_with_exclusion(unparse(condition).replace('"', "'"),
                                  unparse(unless).replace('"', "'")))  # fmt: skip
    without = fw(toy(deportation=True).replace("[definitions]", _PARAMS + "\n[definitions]"))
    c = run(with_bar, without, pop)
    assert (c.head.status >= c.base.status).all()
    assert c.coverage.lost == 0
    assert rows(c)["toy:bar"][1] == 0


def test_repealing_each_exclusion_of_current_law_never_removes_coverage() -> None:
    sample = load_population(DATA / "sample.jsonl")
    current = load_laws([ROOT / "drafts" / "current"])
    base = Framework(current)
    base_cov = evaluate(base, sample, AS_OF)
    for law in current:
        for ex in law.exclusions:
            repeal = (f'[law]\nid = "repeal"\ntitle = "Repeal"\nkind = "bill"\n'
                      f'status = "draft"\n\n[[article]]\nnumber = "1"\n\n  [[article.amend]]\n'
                      f'  id = "r"\n  law = "{law.id}"\n  target = "{ex.id}"\n'
                      f'  action = "repeal"\n')  # fmt: skip
            head = Framework([*current, load_law_text(repeal, "repeal.toml")])
            d = diff(base_cov, evaluate(head, sample, AS_OF))
            assert d.lost == 0, (law.id, ex.id)


# -- the cache ------------------------------------------------------------------------------------


def _same(a: Coverage, b: Coverage) -> None:
    np.testing.assert_array_equal(a.status, b.status)
    for group in ("grounds", "exclusions", "categories", "components", "amount_lo",
                  "amount_hi"):  # fmt: skip
        left, right = getattr(a, group), getattr(b, group)
        assert list(left) == list(right)
        for k in left:
            np.testing.assert_array_equal(left[k], right[k])


def test_cache_round_trip(pop: Population, tmp_path: Path) -> None:
    framework = fw(toy(deportation=True))
    first = CoverageCache(tmp_path / "c")
    a = first.evaluate(framework, pop, AS_OF)
    assert (first.hits, first.misses) == (0, 1)
    first.evaluate(framework, pop, AS_OF)
    assert (first.hits, first.misses) == (1, 1)
    second = CoverageCache(tmp_path / "c")
    b = second.evaluate(fw(toy(deportation=True)), pop, AS_OF)
    assert (second.hits, second.misses) == (1, 0)
    _same(a, b)
    assert result_json(b) == result_json(a)


def test_cache_uses_the_default_directory(pop: Population, tmp_path: Path) -> None:
    cache = CoverageCache()
    cache.evaluate(fw(toy()), pop, AS_OF)
    assert list((tmp_path / "cache").rglob("*.npz"))


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty"])
def test_corrupt_cache_entry_is_ignored_and_rewritten(pop: Population, tmp_path: Path,
                                                     damage: str) -> None:  # fmt: skip
    framework = fw(toy())
    CoverageCache(tmp_path / "c").evaluate(framework, pop, AS_OF)
    (entry,) = (tmp_path / "c").rglob("*.npz")
    good = entry.read_bytes()
    entry.write_bytes({"garbage": b"not a zip file", "truncate": good[: len(good) // 2],
                       "empty": b""}[damage])  # fmt: skip
    cache = CoverageCache(tmp_path / "c")
    _same(cache.evaluate(framework, pop, AS_OF), evaluate(framework, pop, AS_OF))
    assert (cache.hits, cache.misses) == (0, 1)
    assert entry.read_bytes() == good  # rewritten whole


def test_cache_entry_for_other_rules_is_not_trusted(pop: Population, tmp_path: Path) -> None:
    a, b = fw(toy()), fw(toy(deportation=True))
    cache = CoverageCache(tmp_path / "c")
    cache.evaluate(a, pop, AS_OF)
    (entry,) = (tmp_path / "c").rglob("*.npz")
    target = cache.path(coverage_key(b, pop, AS_OF))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(entry.read_bytes())  # a's arrays under b's key
    fresh = CoverageCache(tmp_path / "c")
    _same(fresh.evaluate(b, pop, AS_OF), evaluate(b, pop, AS_OF))
    assert fresh.misses == 1


def test_cache_key(pop: Population) -> None:
    key = framework_key(fw(toy()))
    assert framework_key(fw(toy(version="v9", reword=True, renumber=True))) == key
    assert framework_key(fw(toy(deportation=True))) != key
    assert framework_key(fw(toy().replace("== 'exile'", "== 'deportation'"))) != key
    base = coverage_key(fw(toy()), pop, AS_OF)
    assert coverage_key(fw(toy()), pop, dt.date(2024, 1, 1)) != base
    assert coverage_key(fw(toy()), InMemoryPopulation("x", pop.claims[:2]), AS_OF) != base


def test_unwritable_cache_only_costs_time(pop: Population, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = CoverageCache(blocker)
    cache.evaluate(fw(toy()), pop, AS_OF)
    assert cache.misses == 1
