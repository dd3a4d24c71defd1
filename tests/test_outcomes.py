"""Outcomes compared at every level: status, categories, components, amounts.

Small hand-made frameworks hold each level; generated rules and claims hold the two
implementations of the outcome diff equal (the per-claim :func:`kzrehab.outcome.diff_claim`
and the vectorised :class:`kzrehab.comparison.CoverageDiff`), and the evaluation plan is the only
thing either engine evaluates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzrehab
from kzrehab.attribution import Comparison, compare
from kzrehab.claims import Claim, Event
from kzrehab.comparison import CoverageDiff
from kzrehab.coverage import exact_cents, sum_cents
from kzrehab.dates import parse_date
from kzrehab.errors import EvaluationError
from kzrehab.evaluation import (
    check_amounts,
    evaluate,
    evaluate_claim,
    evaluators,
    ties,
)
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.outcome import diff_claim, periods
from kzrehab.plan import MAX_AMOUNT, plan_of
from kzrehab.population import InMemoryPopulation, Population
from kzrehab.reports import Report
from kzrehab.reports.data import comparison_data, result_json
from kzrehab.rules.compiler import Program, VectorEvaluator
from kzrehab.rules.interpreter import Evaluator
from kzrehab.rules.printer import unparse
from kzrehab.rules.values import K

from .rule_strategies import PARAMS, claim_cond, claim_num, claims

AS_OF = dt.date(2025, 6, 1)
ROOT = Path(__file__).resolve().parent.parent


def law(text: str, name: str = "law.toml") -> Any:
    return load_law_text(text, name)


def fw(*texts: str) -> Framework:
    return Framework([law(t, f"law{i}.toml") for i, t in enumerate(texts)])


def ev(measure: str, start: str = "1931-05", end: str | None = "1932-05",
       **facts: Any) -> Event:  # fmt: skip
    return Event(measure=measure, start=parse_date(start),
                 end=parse_date(end) if end else None, **facts)  # fmt: skip


def pop_of(*claims: Claim) -> Population:
    return InMemoryPopulation("hand-made", claims)


CURRENT = """
[law]
id = "old"
title = "The law in force"
kind = "law"
status = "in-force"

[[article]]
number = "1"
text = "Exiles are victims; relocated persons are relocated; a payment of 1,000 once."

  [[article.ground]]
  id = "exile"
  category = "victim"
  when = "exists(events[measure == 'exile'])"

  [[article.ground]]
  id = "relocated"
  category = "relocated"
  when = "exists(events[measure == 'exile' and year < 1935])"

  [[article.component]]
  id = "payment"
  kind = "compensation"
  recipients = ["victim"]
  amount = "1000"
  period = "once"

  [[article.component]]
  id = "allowance"
  kind = "compensation"
  recipients = ["victim"]
  amount = "10"
  period = "month"
"""

#: a bill whose payment replaces the old one, and is smaller
SMALLER = """
[law]
id = "bill"
title = "A bill"
kind = "bill"
status = "draft"

[[article]]
number = "1"
text = "Exiles receive 100 instead of the old payment."

  [[article.ground]]
  id = "exile"
  category = "exile"
  when = "exists(events[measure == 'exile'])"

  [[article.component]]
  id = "payment"
  kind = "compensation"
  recipients = ["victim"]
  amount = "100"
  period = "once"
  instead_of = ["old:payment"]
"""

EXILE = Claim("c1", claimant="victim", events=(ev("exile"),))


def test_a_component_replaced_by_a_smaller_one_is_a_loss() -> None:
    c = compare(fw(CURRENT), fw(CURRENT, SMALLER), pop_of(EXILE), AS_OF)
    d = c.coverage
    assert d.lost == 1 and d.gained == 1  # it loses the old payment, gains the new one
    (change,) = d.claim_changes()
    assert change.components_lost == (("old:payment", K.TRUE, K.FALSE),)
    assert change.components_gained == (("bill:payment", K.FALSE, K.TRUE),)
    (money,) = change.money
    assert (money.period, money.direction) == ("once", "lower")
    assert (money.change.lo, money.change.hi) == (-900.0, -900.0)
    assert (money.base.lo, money.head.lo) == (1000.0, 100.0)  # once, from every component
    changes = d.changes()
    assert changes["amounts"]["lower"] == 1 and changes["amounts"]["higher"] == 0
    assert changes["amounts"]["by_period"] == [
        {"period": "once", "higher": 0, "lower": 1, "uncertain": 0,
         "change": {"min": -900.0, "max": -900.0}}]  # fmt: skip
    # the cut is the replacing component's: taking it back gives the old payment back
    rows = {r.provision: r for r in c.attribution}
    assert (rows["bill:payment"].gained, rows["bill:payment"].lost) == (1, 1)
    assert rows["bill:payment"].levels is not None
    assert rows["bill:payment"].levels["amounts"]["lower"] == 1
    # the report says so first, in words
    text = Report("comparison", "t", comparison_data(c)).render("text")
    head = text[: text.index("Changes by level")]
    assert "1 lose something" in head and "Who loses" in head
    assert "bill:payment (1 claim)" in head  # the provision responsible (one claim: singular)
    assert "surely receive less money" in head


def test_a_category_lost_while_the_status_stays() -> None:
    later = CURRENT.replace("year < 1935", "year < 1930")
    d = compare(fw(CURRENT), fw(later), pop_of(EXILE), AS_OF).coverage
    (change,) = d.claim_changes()
    assert change.base == change.head == K.TRUE
    assert change.categories_lost == ("relocated",)
    assert change.levels_lost == ("categories",) and not change.gains
    assert d.changes()["categories"]["by_category"] == [
        {"category": "relocated", "gained": 0, "lost": 1},
        {"category": "victim", "gained": 0, "lost": 0}]  # fmt: skip
    assert d.changes()["status"] == {"gained": 0, "lost": 0}


def test_an_amount_that_may_change() -> None:
    # the head pays by months of exile; the exile's end is unknown: less or more than 1,000
    months = CURRENT.replace('amount = "1000"', 'amount = "100 * sum(events.months)"')
    open_ended = Claim("c1", claimant="victim", events=(ev("exile", end=None),))
    d = compare(fw(CURRENT), fw(months), pop_of(open_ended), AS_OF).coverage
    (change,) = d.claim_changes()
    (amount,) = change.amounts
    assert amount.direction == "uncertain" and amount.change.lo < 0 < amount.change.hi
    assert not change.loses and not change.gains  # may: neither surely
    assert d.changes()["amounts"]["uncertain"] == 1


def test_a_category_lost_to_a_narrower_ground_keeps_the_components_of_another() -> None:
    head = CURRENT.replace("measure == 'exile'])\"\n\n  [[article.ground]]",
                           "measure == 'imprisonment'])\"\n\n  [[article.ground]]", 1)
    d = compare(fw(CURRENT), fw(head), pop_of(EXILE), AS_OF).coverage
    assert d.changes()["status"] == {"gained": 0, "lost": 0}  # still relocated
    assert d.changes()["categories"]["by_category"][1] == {"category": "victim",
                                                          "gained": 0, "lost": 1}
    # the payment is granted by every ground of the law: 'relocated' still grants it
    assert d.changes()["components"]["lost"] == 0
    assert d.lost == 1


def formats(result: Comparison) -> Iterator[tuple[str, str]]:
    report = Report("comparison", "periods", comparison_data(result))
    for fmt in ("text", "md", "html", "json"):
        yield fmt, report.render(fmt)


def test_once_and_monthly_totals_are_kept_apart_in_every_format() -> None:
    more = CURRENT.replace('amount = "10"', 'amount = "30"')
    people = pop_of(*(attrs.evolve(EXILE, id=f"c{i}") for i in range(3)))
    result = compare(fw(CURRENT), fw(more), people, AS_OF)
    data = result_json(result)
    periods = {r["period"]: r["amount"] for r in data["head"]["by_period"]}
    assert periods == {"once": {"min": 3000.0, "max": 3000.0},
                       "month": {"min": 90.0, "max": 90.0}}  # fmt: skip
    moved = {r["period"]: r for r in data["changes"]["amounts"]["by_period"]}
    assert set(moved) == {"month"} and moved["month"]["change"] == {"min": 60.0, "max": 60.0}
    for fmt, text in formats(result):
        assert "3,090" not in text and "3090" not in text, fmt  # never added together
        if fmt != "json":
            assert "KZT, once" in text and "KZT a month" in text, fmt
            assert "Monthly allowances: the total changes by +60.00 KZT" in text, fmt
            assert "One-time payments: no change." in text, fmt
    assert json.loads(dict(formats(result))["json"])["summary"]


def test_a_component_that_changes_its_period_is_not_subtracted_across_periods() -> None:
    monthly = CURRENT.replace('amount = "1000"\n  period = "once"', 'amount = "1000"\n'
                              '  period = "month"')
    d = compare(fw(CURRENT), fw(monthly), pop_of(EXILE), AS_OF).coverage
    (change,) = d.claim_changes()
    assert [(m.period, m.change.lo, m.direction) for m in change.money] == [
        ("once", -1000.0, "lower"), ("month", 1000.0, "higher")]
    base_p, head_p = periods(fw(CURRENT)), periods(fw(monthly))
    assert diff_claim(evaluate_claim(fw(CURRENT), EXILE, AS_OF),
                      evaluate_claim(fw(monthly), EXILE, AS_OF), base_p, head_p) == change


def test_nothing_lost_is_said_in_words() -> None:
    data = comparison_data(compare(fw(CURRENT), fw(CURRENT), pop_of(EXILE), AS_OF))
    text = Report("comparison", "same", data).render("text")
    assert "No claim loses anything" in text and "Who loses" not in text


# -- totals are exact integers of cents ---------------------------------------------------------


@given(st.lists(st.integers(-(10**15), 10**15), max_size=300))
def test_the_total_is_the_exact_sum_of_the_cents(cents: list[int]) -> None:
    values = np.array(cents, np.float64)
    assert sum_cents(values) == sum(cents)
    assert exact_cents(values / 100.0) == sum(cents)


def test_a_large_total_does_not_wrap() -> None:
    big = CURRENT.replace('amount = "1000"', 'amount = "9999999999999"')
    people = pop_of(*(attrs.evolve(EXILE, id=f"c{i}") for i in range(5000)))
    for engine in ("vectorised", "interpreter"):
        cov = evaluate(fw(big), people, AS_OF, engine=engine)
        row = next(r for r in cov.by_component() if r["component"] == "old:payment")
        assert row["amount"]["min"] == 9_999_999_999_999 * 5000  # exact, no wrap
        assert cov.tally.amounts["old:payment"][0] == 999_999_999_999_900 * 5000


def test_an_amount_above_the_ceiling_is_an_error_naming_component_and_claim() -> None:
    huge = CURRENT.replace('amount = "1000"', 'amount = "1000 * claimant_birth_year * 1e11"')
    person = attrs.evolve(EXILE, claimant_birth_year=1920)
    for engine in ("vectorised", "interpreter"):
        with pytest.raises(EvaluationError, match=r"old:payment.*'c1'.*ceiling"):
            evaluate(fw(huge), pop_of(person), AS_OF, engine=engine)
    with pytest.raises(EvaluationError, match="ceiling"):
        check_amounts(fw(CURRENT.replace('amount = "1000"', f'amount = "{MAX_AMOUNT * 2:.0f}"')))


# -- one plan, two engines ----------------------------------------------------------------------


def _params(text: str) -> str:
    params = "[parameters]\n" + "".join(f"{k} = {v}\n" for k, v in PARAMS.items())
    return text.replace("[[article]]", params + "\n[[article]]", 1)


def _with(text: str, condition: str, amount: str) -> str:
    return _params(text) + (
        '\n[[article]]\nnumber = "9"\ntext = "More."\n\n  [[article.ground]]\n'
        f'  id = "new"\n  category = "new"\n  when = "{condition}"\n\n'
        '  [[article.exclusion]]\n  id = "bar"\n  grounds = ["exile"]\n'
        f'  when = "not ({condition})"\n\n'
        '  [[article.component]]\n  id = "extra"\n  kind = "compensation"\n'
        '  recipients = ["victim", "child"]\n'
        f'  amount = "max(0, min({amount}, 1000000))"\n  period = "month"\n'
        '  instead_of = ["payment"]\n'
    )


_SETTINGS = settings(max_examples=50, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@_SETTINGS
@given(condition=claim_cond(), amount=claim_num(), old_amount=claim_num(),
       people=st.lists(claims(), min_size=1, max_size=10))  # fmt: skip
def test_per_claim_diff_equals_the_vectorised_diff(condition: Any, amount: Any, old_amount: Any,
                                                   people: list[Claim]) -> None:  # fmt: skip
    src = unparse(condition).replace('"', "'")
    # the old payment's amount, the same rule on both sides (tied: docs/semantics.rst)
    current = CURRENT.replace('amount = "1000"', 'amount = "max(0, min({}, 1000000))"'.format(
        unparse(old_amount).replace('"', "'")))
    base = fw(_params(current))
    head = fw(_with(current, src, unparse(amount).replace('"', "'")))
    population = InMemoryPopulation("random", tuple(attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}")
                                            for i, c in enumerate(people)))  # fmt: skip
    vector = CoverageDiff(evaluate(base, population, AS_OF), evaluate(head, population, AS_OF))
    interp = CoverageDiff(evaluate(base, population, AS_OF, engine="interpreter"),
                          evaluate(head, population, AS_OF, engine="interpreter"))
    assert vector.changes() == interp.changes()
    expected = []
    for claim in population.claims:
        d = diff_claim(evaluate_claim(base, claim, AS_OF, explain=False),
                       evaluate_claim(head, claim, AS_OF, explain=False), periods(base),
                       periods(head), ties(base, head, AS_OF))
        if d.changed:
            expected.append(d)
    assert vector.claim_changes() == expected
    assert list(np.flatnonzero(vector.gains)) == [
        i for i, c in enumerate(population.claims) if any(
            d.id == c.id and d.gains for d in expected)]  # fmt: skip


def test_no_framework_rule_is_evaluated_outside_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tree either engine is asked to evaluate is one of the plan's outputs."""
    seen: list[Any] = []
    engines: set[type] = set()
    for cls, names in ((Evaluator, ("evaluate", "explain")), (VectorEvaluator, ("evaluate",)),
                       (Program, ("add",))):  # fmt: skip
        for name in names:
            original = getattr(cls, name)

            def spy(self: Any, node: Any, *args: Any, __original: Any = original,
                    __cls: Any = cls, **kw: Any) -> Any:  # fmt: skip
                seen.append(node)
                engines.add(__cls)
                return __original(self, node, *args, **kw)

            monkeypatch.setattr(cls, name, spy)
    from kzrehab import plan as plan_module

    plans: list[Any] = []
    build = plan_module._build

    def recorded(framework: Framework) -> Any:
        plans.append(build(framework))
        return plans[-1]

    monkeypatch.setattr(plan_module, "_build", recorded)
    # a variant patched (kzrehab.variants) has its plan as a patch of the head's: the
    # outputs the patch makes again are its plan's
    from kzrehab import variants

    def recording(make: Any) -> Any:
        def patched(*args: Any) -> Any:
            made = make(*args)
            plans.append(made.outputs)
            return made

        return patched

    for name in ("without_ground", "ground_changed"):
        monkeypatch.setattr(variants, name, recording(getattr(variants, name)))
    base, head = fw(CURRENT), fw(CURRENT, SMALLER)
    people = pop_of(EXILE, Claim("c2", claimant="child", events=(ev("imprisonment"),)))
    compare(base, head, people, AS_OF)
    evaluate(head, people, AS_OF, engine="interpreter")
    evaluate_claim(head, EXILE, AS_OF, explain=True)
    check_amounts(head)
    assert seen and engines == {Evaluator, Program}  # the compiler compiles the plan's trees
    plans += [plan_of(f) for f in (base, head)]
    # compare evaluates variants too: each of their trees is its own plan's (the plans
    # made are recorded: a variant's plan goes with its framework)
    nodes = {id(o.node) for p in plans for o in p}
    assert all(id(n) in nodes for n in seen)


def test_the_plan_has_one_output_per_rule() -> None:
    plan = plan_of(fw(CURRENT, SMALLER))
    kinds = [o.kind for o in plan]
    assert kinds.count("status") == 1
    assert {o.key for o in plan.of_kind("receives")} == {
        "receives:old:payment", "receives:old:allowance", "receives:bill:payment"}
    # instead_of is a condition of the replaced component's tree
    replaced = plan.by_key["receives:old:payment"].node
    assert "receives" not in unparse(replaced) and "applies:bill:exile" in unparse(replaced)
    assert all(o.given == f"receives:{o.subject}" for o in plan.of_kind("amount"))


def test_evaluators_are_per_law_plus_one_for_the_framework() -> None:
    assert set(evaluators(fw(CURRENT, SMALLER), AS_OF)) == {"old", "bill", None}


# -- the period of an amount --------------------------------------------------------------------


def test_an_amount_without_a_period_is_read_as_once_and_linted() -> None:
    silent = CURRENT.replace('  period = "once"\n', "", 1)
    f = fw(silent)
    assert f.components["old:payment"][0].pays == "once"
    assert any("no period" in x and "old:payment" in x for x in f.lint())
    assert not any("no period" in x for x in fw(CURRENT).lint())


def test_a_framework_is_a_value() -> None:
    f = fw(CURRENT)
    with pytest.raises(AttributeError, match="value"):
        f.laws = ()
    assert repr(f) == "<Framework old>"
    assert isinstance(f.notices, tuple)


def test_the_order_of_grounds_is_the_laws_order_whatever_the_hash_seed() -> None:
    import subprocess
    import sys

    code = ("import kzrehab; fw = kzrehab.load_framework(['drafts/current', 'drafts/bills']); "
            "print(list(fw.covering))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}, check=True,
                           cwd=ROOT).stdout for seed in ("1", "2", "3")}  # fmt: skip
    assert len(outs) == 1
    f = kzrehab.load_framework([ROOT / "drafts/current"])
    assert list(f.covering) == [law.full_id(g.id) for law in f.laws for g in law.grounds]


@_SETTINGS
@given(condition=claim_cond(), amount=claim_num(),
       people=st.lists(claims(), min_size=1, max_size=10))  # fmt: skip
def test_both_engines_give_every_output_of_the_plan(condition: Any, amount: Any,
                                                    people: list[Claim]) -> None:  # fmt: skip
    """Not only what a coverage keeps: every output — each ground's condition, each part
    of an exclusion, the status, categories, receipts and amounts — is the same."""
    from kzrehab.evaluation import claim_values, column_values
    from kzrehab.population.columns import Columns
    from kzrehab.rules.values import Interval

    f = fw(_with(CURRENT, unparse(condition).replace('"', "'"),
                 unparse(amount).replace('"', "'")))  # fmt: skip
    claims_ = [attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}") for i, c in enumerate(people)]
    vector = column_values(f, Columns.from_claims(claims_),
                           f.parameters_at(AS_OF), lambda i: claims_[i].id)  # fmt: skip
    evs = evaluators(f, AS_OF)
    for i, claim in enumerate(claims_):
        values, _ = claim_values(f, claim, evs)
        for o in plan_of(f):
            got = vector[o.key]
            if o.kind == "amount":
                want = values.get(o.key)
                if want is None:
                    assert np.isnan(got.lo[i]) and np.isnan(got.hi[i]), o.key
                else:
                    assert isinstance(want, Interval)
                    assert (float(got.lo[i]), float(got.hi[i])) == (want.lo, want.hi), o.key
            else:
                assert int(got[i]) == int(values[o.key]), (o.key, claim)


def test_losing_a_payment_of_surely_nothing_is_no_loss() -> None:
    nothing = CURRENT.replace('amount = "1000"', 'amount = "0"')
    d = compare(fw(nothing), fw(nothing, SMALLER), pop_of(EXILE), AS_OF).coverage
    # old:payment (0 tenge) is replaced by bill:payment (100 tenge): a gain, no loss
    assert (d.gained, d.lost) == (1, 0)
    assert d.changes()["components"]["by_component"][2] == {
        "component": "old:payment", "kind": "compensation", "gained": 0, "lost": 0,
        "replaced_by": ["bill:payment"]}  # fmt: skip
