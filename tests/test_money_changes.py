"""Money changes are sound ranges of *head - base*, tied where both sides read the same facts.

A component whose amount is the same rule on both sides has one value for a claim whatever
its unknown facts are (docs/semantics.rst, "What changes for a claim"): a component lost
for sure cannot have a positive change, and one received the same way on both sides changes
by exactly 0. The property tests complete every unknown fact of small claims in every way
and check that the true change lies in the range reported for the incomplete claim.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.attribution import compare
from kzrehab.claims import Claim, Event
from kzrehab.comparison import CoverageDiff
from kzrehab.evaluation import evaluate, evaluate_claim, same_amounts
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.outcome import ClaimResult, diff_claim, periods, tied_change
from kzrehab.population import InMemoryPopulation
from kzrehab.reports import Report
from kzrehab.reports.data import comparison_data
from kzrehab.rules.values import Interval, K

AS_OF = dt.date(2025, 6, 1)

#: the law in force: exiles receive a payment of 500 … 1,000 by the claimant's birth year
#: (``{floor}``: the least amount)
OLD = """
[law]
id = "old"
title = "The law in force"
kind = "law"
status = "in-force"

[[article]]
number = "1"
text = "Exiles receive a payment."

  [[article.ground]]
  id = "exile"
  category = "victim"
  when = "exists(events[measure == 'exile'])"

  [[article.component]]
  id = "payment"
  kind = "compensation"
  recipients = ["victim"]
  amount = "max({floor}, min((claimant_birth_year - 1900) * 20, 1000))"
  period = "once"
"""

#: a bill paying 700 instead of the old payment to the citizens of KZ (``{when}``)
BILL = """
[law]
id = "bill"
title = "A bill"
kind = "bill"
status = "draft"

[[article]]
number = "1"
text = "Citizens receive 700 instead."

  [[article.ground]]
  id = "citizen"
  category = "citizen"
  when = "{when}"

  [[article.component]]
  id = "payment"
  kind = "compensation"
  recipients = ["victim"]
  amount = "700"
  period = "once"
  instead_of = ["old:payment"]
"""


def fw(*texts: str) -> Framework:
    return Framework([load_law_text(t, f"law{i}.toml") for i, t in enumerate(texts)])


def old(floor: int = 500) -> str:
    return OLD.replace("{floor}", str(floor))


def bill(when: str = "citizenship == 'KZ'") -> str:
    return BILL.replace("{when}", when)


def exile(**facts: Any) -> Claim:
    return Claim("c1", claimant="victim", events=(Event(measure="exile"),), **facts)


def _diff(base: Framework, head: Framework, claim: Claim) -> CoverageDiff:
    people = InMemoryPopulation("small", (claim,))
    return CoverageDiff(evaluate(base, people, AS_OF), evaluate(head, people, AS_OF))


def test_a_component_lost_for_sure_has_no_positive_change() -> None:
    """Received surely (500 … 1,000, the birth year unknown) under the base, only possibly
    under the head (whether the bill replaces it is unknown): its amount is the same rule,
    so the claim receives the same x or nothing, -1,000 … 0 — not -1,000 … +500, as two
    independent ranges would give."""
    base, head = fw(old()), fw(old(), bill())
    claim = exile()
    result = compare(base, head, InMemoryPopulation("small", (claim,)), AS_OF)
    row = next(r for r in result.coverage.changes()["amounts"]["by_component"]
               if r["component"] == "old:payment")  # fmt: skip
    assert row["change"] == {"min": -1000.0, "max": 0.0}
    assert row["uncertain"] == 1
    text = Report("comparison", "t", comparison_data(result)).render("text")
    lost = next(line for line in text.splitlines() if line.startswith("old:payment "))
    assert "-1,000.00 … 0.00" in lost, lost
    (change,) = result.coverage.claim_changes()
    amount = next(a for a in change.amounts if a.id == "old:payment")
    assert amount.change == Interval(-1000.0, 0.0)
    assert change == diff_claim(evaluate_claim(base, claim, AS_OF, explain=False),
                                evaluate_claim(head, claim, AS_OF, explain=False),
                                periods(base), periods(head), same_amounts(base, head, AS_OF))


def test_a_surely_received_payment_whose_range_stays_the_same_may_still_be_lost() -> None:
    """0 … 1,000 surely, then 0 … 1,000 only possibly: the same range, but not the same
    receipt — it changes by -1,000 … 0, not by 0."""
    base, head = fw(old(floor=0)), fw(old(floor=0), bill())
    d = _diff(base, head, exile())
    moves = d.amounts[("old:payment", "once")]
    assert (moves.lo[0], moves.hi[0], bool(moves.uncertain[0])) == (-100_000.0, 0.0, True)


def test_the_same_unknown_amount_on_both_sides_changes_by_zero() -> None:
    """The birth year is unknown (500 … 1,000) and the bill does not apply: the claim
    surely receives the same payment on both sides: no change, whatever the year."""
    base, head = fw(old()), fw(old(), bill())
    d = _diff(base, head, exile(citizenship="RU"))
    assert not d.changed.any() and d.money == {}
    assert "old:payment" in same_amounts(base, head, AS_OF)
    assert tied_change(K.TRUE, K.TRUE, Interval(500.0, 1000.0)) == Interval(0.0, 0.0)


def test_a_changed_amount_rule_is_not_tied() -> None:
    """Another floor is another rule: the two amounts are not the same value, and their
    change stays the subtraction of the two ranges."""
    assert "old:payment" not in same_amounts(fw(old()), fw(old(floor=600)), AS_OF)
    d = _diff(fw(old()), fw(old(floor=600)), exile())
    moves = d.amounts[("old:payment", "once")]
    assert (moves.lo[0], moves.hi[0]) == (600.0 * 100 - 1000 * 100, 1000.0 * 100 - 500 * 100)


# -- every completion of the unknown facts lies in the range ------------------------------------

_RECEIPTS = {K.FALSE: (0,), K.UNKNOWN: (0, 1), K.TRUE: (1,)}


@given(st.sampled_from(list(K)), st.sampled_from(list(K)),
       st.integers(0, 2000), st.integers(0, 2000), st.data())  # fmt: skip
def test_the_tied_change_holds_every_completion(base: K, head: K, a: int, b: int,
                                                data: st.DataObject) -> None:  # fmt: skip
    lo, hi = min(a, b), max(a, b)
    change = tied_change(base, head, Interval(float(lo), float(hi)))
    x = data.draw(st.integers(lo, hi))
    for r_b, r_h in itertools.product(_RECEIPTS[base], _RECEIPTS[head]):
        assert change.lo <= (r_h - r_b) * x <= change.hi
    if base is K.TRUE and head is not K.TRUE:
        assert change.hi <= 0  # lost for sure: never more
    # never wider than the subtraction of the two ranges received
    def got(k: K) -> Interval:
        return Interval(lo if k is K.TRUE else 0, 0 if k is K.FALSE else hi)

    assert got(head).lo - got(base).hi <= change.lo and change.hi <= got(head).hi - got(base).lo


#: each fact of a small claim: its values, None being unknown
_FACTS: dict[str, tuple[Any, ...]] = {
    "claimant": ("victim", "child"),
    "claimant_birth_year": (1910, 1930, 1960),
    "citizenship": ("KZ", "RU"),
    "measure": ("exile", "arrest"),
}

_HEADS = [
    ("citizenship == 'KZ'", False),  # the bill replaces the old payment where it applies
    ("claimant_birth_year < 1950", False),  # ... on the same fact as the amount
    ("citizenship == 'KZ'", True),  # and the old payment's amount changes
]


def _claim(facts: dict[str, Any]) -> Claim:
    return Claim("c1", claimant=facts["claimant"], claimant_birth_year=facts["claimant_birth_year"],
                 citizenship=facts["citizenship"],
                 events=(Event(measure=facts["measure"]),))  # fmt: skip


def _completions(facts: dict[str, Any]) -> list[dict[str, Any]]:
    unknown = [k for k, v in facts.items() if v is None]
    return [{**facts, **dict(zip(unknown, values, strict=True))}
            for values in itertools.product(*(_FACTS[k] for k in unknown))]  # fmt: skip


def _received(result: ClaimResult, c: str) -> float:
    got = result.received(c)
    assert got.lo == got.hi  # every fact known: one value
    return got.lo


@settings(max_examples=150, deadline=None)
@given(facts=st.fixed_dictionaries({k: st.one_of(st.none(), st.sampled_from(v))
                                    for k, v in _FACTS.items()}),
       floor=st.sampled_from([0, 500]), head=st.sampled_from(_HEADS))  # fmt: skip
def test_every_completion_lies_in_the_reported_change(facts: dict[str, Any], floor: int,
                                                      head: tuple[str, bool]) -> None:  # fmt: skip
    when, new_floor = head
    base_fw = fw(old(floor))
    head_fw = fw(old(floor + 100 if new_floor else floor), bill(when))
    ties = same_amounts(base_fw, head_fw, AS_OF)
    assert ("old:payment" in ties) is not new_floor
    b_p, h_p = periods(base_fw), periods(head_fw)
    base = evaluate_claim(base_fw, _claim(facts), AS_OF, explain=False)
    result = evaluate_claim(head_fw, _claim(facts), AS_OF, explain=False)
    d = diff_claim(base, result, b_p, h_p, ties)
    assert _diff(base_fw, head_fw, _claim(facts)).claim_changes() == ([d] if d.changed else [])
    reported = {a.id: a.change for a in d.amounts}
    money = {m.period: m.change for m in d.money}
    #: the one change left unseen (docs/semantics.rst): possibly received on both sides
    #: with the same range, by receipts of different rules
    unseen = {c for c in h_p if c not in reported and base.components.get(c) is K.UNKNOWN
              and result.components.get(c) is K.UNKNOWN and base.received(c) == result.received(c)}
    for complete in _completions(facts):
        b = evaluate_claim(base_fw, _claim(complete), AS_OF, explain=False)
        h = evaluate_claim(head_fw, _claim(complete), AS_OF, explain=False)
        total = 0.0
        for c in sorted(set(b_p) | set(h_p)):
            true = _received(h, c) - _received(b, c)
            total += true
            if c in unseen:
                continue
            change = reported.get(c, Interval(0.0, 0.0))
            assert change.lo <= true <= change.hi, (c, complete, change, true)
            if c in base.components and base.components[c] is K.TRUE and (
                    result.components.get(c) is not K.TRUE and c in ties):  # fmt: skip
                assert change.hi <= 0  # lost for sure
        if not unseen:
            change = money.get("once", Interval(0.0, 0.0))
            assert change.lo <= total <= change.hi, (complete, change, total)


def test_the_claims_of_a_comparison_are_the_per_claim_diffs_with_ties() -> None:
    """The vectorised diff ties what the per-claim diff ties: equal on every small claim."""
    base_fw, head_fw = fw(old()), fw(old(), bill())
    people = [attrs.evolve(_claim(dict(zip(_FACTS, values, strict=True))), id=f"c{i}")
              for i, values in enumerate(itertools.product(*((None, *v) for v in _FACTS.values())))]
    population = InMemoryPopulation("small", tuple(people))
    vector = CoverageDiff(evaluate(base_fw, population, AS_OF),
                          evaluate(head_fw, population, AS_OF))  # fmt: skip
    ties = same_amounts(base_fw, head_fw, AS_OF)
    expected = [d for c in people if (d := diff_claim(
        evaluate_claim(base_fw, c, AS_OF, explain=False),
        evaluate_claim(head_fw, c, AS_OF, explain=False), periods(base_fw), periods(head_fw),
        ties)).changed]  # fmt: skip
    assert vector.claim_changes() == expected
    assert any(a.id == "old:payment" and a.change.hi == 0 and a.change.lo < 0
               for d in expected for a in d.amounts)
