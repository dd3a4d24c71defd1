"""The examples and rules of SPEC §4, one by one, on hand-made claims."""

from __future__ import annotations

import math
from typing import Any

import pytest

from kzrehab.claims import Claim, Event
from kzrehab.dates import PartialDate as D
from kzrehab.errors import LimitError, Location, RuleSyntaxError, RuleTypeError
from kzrehab.rules import parse
from kzrehab.rules.checker import Checker
from kzrehab.rules.interpreter import Evaluator
from kzrehab.rules.values import Interval, K


class Expr:
    def __init__(self, source: str) -> None:
        self.source = source
        self.node = parse(source)
        self.origin = Location(file="law.toml", key="article[1].ground[1].when", line=7, column=8)


DEFS = {
    "repression": Expr("events[measure in {'exile', 'deportation', 'special_settlement'}]"),
    "long_enough": Expr("months >= 6"),
    "heir": Expr("claimant in {'child', 'grandchild'}"),
}
PARAMS = {"MCI": 3932.0}


def run(source: str, claim: Claim) -> Any:
    checker = Checker(DEFS, PARAMS)
    defs = {n: r.node for n, r in checker.check_definitions().items()}
    return Evaluator(defs, PARAMS).evaluate(checker.check(Expr(source)).node, claim)


UNKNOWN_CLAIM = Claim("u")
DEPORTED = Claim(
    "d",
    claimant="child",
    pensioner=None,
    events=(
        Event(measure="deportation", start=D(1931, 5), end=D(1933, 5, 15), place="KZ"),
        Event(measure="exile", start=D(1937), end=None, place=None),
        Event(measure=None, start=None, end=None),
    ),
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("pensioner and false", K.FALSE),
        ("pensioner or true", K.TRUE),
        ("not pensioner", K.UNKNOWN),
        ("pensioner and true", K.UNKNOWN),
        ("known(pensioner)", K.FALSE),
        ("surely(pensioner)", K.FALSE),
        ("possibly(pensioner)", K.TRUE),
        ("victim_died < 1931-05-01", K.UNKNOWN),
        ("citizenship == 'KZ'", K.UNKNOWN),
        ("exists(events)", K.FALSE),
        ("count(events) == 0", K.TRUE),
        ("sum(events.months) == 0", K.TRUE),
    ],
)
def test_unknown_facts_follow_kleene(source: str, expected: K) -> None:
    assert run(source, UNKNOWN_CLAIM) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # 1931-05 is the range [1931-05-01, 1931-05-31]: equal only if both are one day
        ("exists(events[start == 1931-05])", K.UNKNOWN),
        ("exists(events[start in 1931-05..1931-05])", K.TRUE),
        ("exists(events[start < 1931-05-15 and measure == 'deportation'])", K.UNKNOWN),
        ("exists(events[start in 1931-01..1931-12 and measure == 'deportation'])", K.TRUE),
        # the third event's facts are all unknown: it may be anything
        ("exists(events[start >= 1932-01 and measure == 'deportation'])", K.UNKNOWN),
        (
            "exists(events[known(measure) and start >= 1932-01 and measure == 'deportation'])",
            K.FALSE,
        ),
        ("exists(events[year == 1937])", K.TRUE),
        ("exists(events[year in 1928..1934 and place == 'KZ'])", K.TRUE),
        # event 2's place is unknown, event 3 is unknown altogether
        ("exists(events[place == 'CN'])", K.UNKNOWN),
        ("exists(repression[measure == 'torture'])", K.UNKNOWN),
        ("exists(events[measure == 'torture' and start > 1950-01])", K.UNKNOWN),
        ("exists(events[known(start) and start > 1950-01])", K.FALSE),
        ("exists(repression[long_enough])", K.TRUE),
        ("heir", K.TRUE),
        ("exists(events[claim.claimant == 'child'])", K.TRUE),
    ],
)
def test_partial_dates_and_event_sets(source: str, expected: K) -> None:
    assert run(source, DEPORTED) is expected


def test_count_and_sum_ranges() -> None:
    # deportation and exile are in; the unknown event is maybe
    assert run("count(repression)", DEPORTED) == Interval(2, 3)
    # deportation 1931-05 .. 1933-05-15: whole months from 1931-05-31 to 1933-05-15 is 23,
    # from 1931-05-01 to 1933-05-15 is 24; the exile's end is unknown: [0, +inf)
    months = run("sum(repression.months)", DEPORTED)
    assert months.lo == 23 and months.hi == math.inf


def test_spec_amount_formula_is_capped() -> None:
    amount = run("min(0.75 * MCI * sum(repression.months), 100 * MCI)", DEPORTED)
    assert amount == Interval(0.75 * 3932 * 23, 100 * 3932)


def test_min_max_over_events() -> None:
    # the earliest start: event 1 starts in May 1931, event 3 (maybe in) may start any time
    first = run("min(repression.start) < 1931-06", DEPORTED)
    assert first is K.TRUE
    assert run("min(events[measure == 'torture'].year) > 1900", DEPORTED) is K.UNKNOWN


@pytest.mark.parametrize(
    ("a", "op", "b", "expected"),
    [
        (Interval(1, 2), "<", Interval(3, 4), K.TRUE),
        (Interval(1, 3), "<", Interval(3, 4), K.UNKNOWN),
        (Interval(3, 4), "<", Interval(1, 3), K.FALSE),
        (Interval(2, 2), "==", Interval(2, 2), K.TRUE),
        (Interval(1, 2), "==", Interval(2, 3), K.UNKNOWN),
        (Interval(1, 2), "!=", Interval(3, 3), K.TRUE),
    ],
)
def test_comparisons_hold_for_every_pair(a: Interval, op: str, b: Interval, expected: K) -> None:
    from kzrehab.rules.values import compare

    assert compare(op, a, b) is expected


def test_interval_arithmetic() -> None:
    from kzrehab.rules.values import UNBOUNDED, div, mul

    assert mul(Interval(-1, 2), Interval(3, 4)) == Interval(-4, 8)
    assert mul(Interval(0, 0), Interval(-math.inf, math.inf)) == Interval(0, 0)
    assert div(Interval(1, 2), Interval(-1, 1)) == UNBOUNDED
    assert div(Interval(1, 2), Interval(2, 4)) == Interval(0.25, 1)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("exists(events[measure == 'exil'])", "'exil' is not a measure; did you mean 'exile'?"),
        ("pensoner", "unknown name 'pensoner'; did you mean 'pensioner'?"),
        ("measure == 'exile'", "'measure' is an event fact: use it inside an event filter"),
        ("exists(events[pensioner])", "inside events[...] write claim.pensioner"),
        ("start_year > 3", "unknown name 'start_year'"),
        ("victim_died < 1931", "cannot compare a date with a number"),
        ("citizenship == 'Kazakhstan'", "is not a country code"),
        ("pensioner + 1", "'+' needs numbers, not a bool"),
        ("sum(events.measure) > 0", "only numbers and dates"),
        ("long_enough", "'long_enough' reads event facts: use it inside events[...]"),
        ("exists(events[heir])", "claim-scope definition; inside events[...] write claim.heir"),
        ("count(pensioner) > 1", "count() needs events"),
        ("claimant == 'heir' and outcome == 'amnesty'", "'outcome' is an event fact"),
        ("min(3) > 1", "needs two or more numbers"),
        ("claim.measure", "'measure' is not a claim fact"),
    ],
)
def test_type_errors_name_the_problem(source: str, message: str) -> None:
    with pytest.raises(RuleTypeError) as info:
        run(source, UNKNOWN_CLAIM)
    assert message in str(info.value)
    assert str(info.value).startswith("law.toml:7:")


def test_type_error_points_at_the_column_in_the_file() -> None:
    with pytest.raises(RuleTypeError) as info:
        run("exists(events[measure == 'exil'])", UNKNOWN_CLAIM)
    # the expression starts at column 8 of line 7; 'exil' is its 26th character
    assert info.value.location.line == 7
    assert info.value.location.column == 8 + 25
    assert "^^^^^^" in str(info.value)


def test_ground_condition_must_be_a_condition() -> None:
    with pytest.raises(RuleTypeError, match="must be a condition"):
        Checker(DEFS, PARAMS).check(Expr("count(events)"), "bool", "the condition")


def test_definition_cycles_are_reported() -> None:
    defs = {"a": Expr("b and pensioner"), "b": Expr("c or disabled"), "c": Expr("a")}
    with pytest.raises(RuleTypeError, match="cycle: a → b → c → a"):
        Checker(defs, {}).check_definitions()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a < b < c", "comparisons do not chain"),
        ("x = 1", "'=' is not an operator"),
        ("x ==", "ends too soon"),
        ("1931-02-30 < start", "1931-02 has no day 30"),
        ("exsts(events)", "did you mean 'exists'"),
        ("year == 1928..1934", "a range A..B may only follow 'in'"),
        ("(a or b", "expected ')'"),
        ("'open", "unterminated string"),
        ("{}", "a set needs at least one value"),
        ("{'a', 1}", "a set mixes strings and numbers"),
        ("a && b", "write 'and'"),
        ("", "the expression is empty"),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(RuleSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(source)


def test_deep_nesting_is_a_limit_error() -> None:
    with pytest.raises(LimitError, match="KZREHAB_MAX_EXPRESSION_DEPTH"):
        parse("(" * 5000 + "true" + ")" * 5000)
    with pytest.raises(LimitError, match="expression depth"):
        parse(" and ".join(["pensioner"] * 500))


def test_very_long_expression_is_a_limit_error() -> None:
    with pytest.raises(LimitError, match="KZREHAB_MAX_EXPRESSION_LENGTH"):
        parse("pensioner or " * 10_000 + "true")


def test_limits_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_DEPTH", "1000")
    assert parse(" and ".join(["pensioner"] * 500)) is not None


def _explain(source: str, claim: Claim) -> Any:
    checker = Checker(DEFS, PARAMS)
    defs = {n: r.node for n, r in checker.check_definitions().items()}
    return Evaluator(defs, PARAMS).explain(checker.check(Expr(source)).node, claim)


def test_an_event_is_shown_as_it_fared_in_the_narrowest_filter() -> None:
    """``repression[place == 'KZ']``: the 1937 exile is in ``repression`` but its place is
    unknown, so it is *maybe* in the narrower filter; the third event is out of
    ``repression`` (its measure is unknown: maybe) and its place is unknown too."""
    value, trace = _explain("exists(repression[place == 'KZ'])", DEPORTED)
    assert value is K.TRUE
    marks = {m.index: m.membership for m in trace.decisive_events()}
    assert marks == {0: "in", 1: "maybe", 2: "maybe"}
    value, trace = _explain("exists(repression[place == 'RU'])", DEPORTED)
    assert value is K.UNKNOWN
    # the deportation is in `repression` but out of the narrower filter: not listed
    assert {m.index: m.membership for m in trace.decisive_events()} == {1: "maybe", 2: "maybe"}


def test_events_are_numbered_as_their_facts_are() -> None:
    claim = Claim("c", events=(Event(id="E-7", measure="exile", start=D(1937)), Event()))
    _, trace = _explain("exists(events[measure == 'exile'])", claim)
    shown = [m.describe() for m in trace.decisive_events()]
    assert shown == ["event 1 (E-7: exile, 1937)", "event 2 (no facts)"]
    facts = dict(trace.decisive_facts())
    assert "event 1: measure" in facts


def test_the_structural_operators_are_implemented_in_the_registry() -> None:
    """``events``, ``filter`` and ``project`` have real per-claim implementations in the one
    registry (the evaluators only iterate); the compiler's are tested equal to them."""
    from kzrehab.rules.operators import REGISTRY

    assert REGISTRY["events"].interpret(2) == ((0, K.TRUE), (1, K.TRUE))
    assert REGISTRY["events"].interpret(0) == ()
    base = ((0, K.TRUE), (1, K.UNKNOWN), (3, K.TRUE))
    kept = REGISTRY["filter"].interpret(base, [K.FALSE, K.TRUE, K.UNKNOWN])
    assert kept == ((1, K.UNKNOWN), (3, K.UNKNOWN))  # in ∧ false is out: dropped
    one, two = Interval.point(1.0), Interval(2.0, 5.0)
    assert REGISTRY["project"].interpret(base[:2], [one, two]) == ((K.TRUE, one),
                                                                   (K.UNKNOWN, two))
    with pytest.raises(ValueError):  # one value per event of the base, no fewer
        REGISTRY["filter"].interpret(base, [K.TRUE])
    for name in ("events", "filter", "project"):
        assert callable(REGISTRY[name].vectorised.resolve())


def test_an_empty_filter_is_explained_by_every_event_failing_it() -> None:
    """``exists(events[measure == 'exile'])`` is false for a claim whose events are both
    deportations: the explanation names each event's measure, not nothing."""
    claim = Claim("c", events=(Event(measure="deportation"), Event(measure="confiscation")))
    value, trace = _explain("exists(events[measure == 'exile'])", claim)
    assert value is K.FALSE
    facts = dict(trace.decisive_facts())
    assert facts == {"event 1: measure": "'deportation'", "event 2: measure": "'confiscation'"}
    assert trace.decisive_events() == []
    # when an event is kept, only the kept events' conditions explain the set
    claim = Claim("c", events=(Event(measure="exile"), Event(measure="confiscation")))
    value, trace = _explain("exists(events[measure == 'exile'])", claim)
    assert value is K.TRUE
    assert dict(trace.decisive_facts()) == {"event 1: measure": "'exile'"}


@pytest.mark.parametrize(
    ("source", "member"),
    [
        ("exists(events[measure in {'exile', 'deportaton', 'special_settlement'}])",
         "'deportaton'"),
        ("exists(events[place not in {'KZ', 'KAZ'}])", "'KAZ'"),
    ],
)
def test_a_wrong_set_member_is_pointed_at_itself(source: str, member: str) -> None:
    with pytest.raises(RuleTypeError) as info:
        run(source, UNKNOWN_CLAIM)
    assert info.value.location.column == 8 + source.index(member)
    assert "^" * len(member) + "\n" in str(info.value) + "\n"
    assert "^" * (len(member) + 1) not in str(info.value)


def test_a_set_is_shown_as_the_rule_language_writes_it_whatever_the_hash_seed() -> None:
    """explain showed ``frozenset({...})`` in an order that changed with PYTHONHASHSEED."""
    import subprocess
    import sys

    from kzrehab.rules.interpreter import display

    assert display(frozenset({"fine", "detention", "exile"})) == "{'detention', 'exile', 'fine'}"
    code = ("from kzrehab.rules.interpreter import display; "
            "print(display(frozenset({'travel_ban', 'detention', 'psychiatric', 'fine'})))")
    shown = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2", "3")}
    assert shown == {"{'detention', 'fine', 'psychiatric', 'travel_ban'}\n"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("exists(events[motive == 'hunger'])", "'hunger' is not a motive; motives are: political,"),
        ("exists(events[authority in {'court', 'nkvd'}])",
         "'nkvd' is not an authority; authorities are: court, extrajudicial,"),
        ("exists(events[measure in {'exile', 'gulag'}])",
         "'gulag' is not a measure; measures are: execution, imprisonment, exile,"),
    ],
)  # fmt: skip
def test_a_misspelt_enum_literal_lists_the_allowed_values(source: str, message: str) -> None:
    """Issue 16, item 8: the message lists the enum's values, at the literal's place."""
    with pytest.raises(RuleTypeError) as info:
        run(source, UNKNOWN_CLAIM)
    assert message in str(info.value)
    assert str(info.value).startswith("law.toml:7:")
