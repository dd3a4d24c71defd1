"""Evidence priorities (issue 17): the facts reported as deciding a claim decide it.

- for every reported decider, narrowing the claim to each reported value (concrete values
  inside a reported range) gives the reported status — or component — in both engines;
- every reported decider has a value that decides (no fact is reported that cannot change
  the claim), checked on the sample registry and by brute force on random frameworks;
- the population ranking counts exactly the claims whose per-claim deciders name the fact.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.cli import main
from kzrehab.dates import PartialDate
from kzrehab.evaluation import column_values, evaluate_claim
from kzrehab.gaps import OTHER, ClaimGaps, Decider, Slot, Value, deciders, gaps
from kzrehab.laws.framework import Framework, load_framework
from kzrehab.laws.loader import load_law_text
from kzrehab.population import InMemoryPopulation, Population, load_population
from kzrehab.population.columns import Columns
from kzrehab.rules.ast import Node
from kzrehab.rules.printer import unparse
from kzrehab.rules.values import Interval, K
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind

from .rule_strategies import PARAMS, claim_cond, claims
from .test_gitstore import toy

AS_OF = dt.date(2025, 6, 1)
DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework([ROOT / "drafts/current", ROOT / "drafts/bills"])


@pytest.fixture(scope="module")
def sample() -> Population:
    return load_population(DATA / "sample.jsonl")


def _points(kind: FactKind, value: Value) -> list[Any]:
    """Concrete values inside a reported value (a range's finite ends)."""
    v = value.value
    if isinstance(v, bool):
        return [v]
    if isinstance(v, str):
        return ["ZZ" if kind is FactKind.COUNTRY else "(other)"] if v == OTHER else [v]
    assert isinstance(v, Interval)
    ends = [x for x in (v.lo, v.hi) if math.isfinite(x)]
    if not ends:
        return []
    if kind is FactKind.DATE:
        return [PartialDate.from_date(dt.date.fromordinal(int(x))) for x in ends]
    return [int(x) for x in ends]


def _narrow(claim: Claim, slot: Slot, point: Any) -> Claim:
    if slot.event is None:
        return attrs.evolve(claim, **{slot.fact: point})
    events = list(claim.events)
    events[slot.event] = attrs.evolve(events[slot.event], **{slot.fact: point})
    return attrs.evolve(claim, events=tuple(events))


def _kind(slot: Slot) -> FactKind:
    return (CLAIM_FACTS if slot.event is None else EVENT_FACTS)[slot.fact].kind


def _narrowed(claim: Claim, d: Decider, combo: tuple[Value, ...]) -> list[Claim]:
    out = [claim]
    for slot, value in zip(d.facts, combo, strict=True):
        out = [_narrow(c, slot, p) for c in out for p in _points(_kind(slot), value)]
    return out


def _outcomes(fw: Framework, cs: list[Claim], target: str) -> list[tuple[K, K]]:
    """(interpreter, compiler) values of the target for each claim."""
    key = "status" if target == "status" else f"receives:{target}"
    cols = Columns.from_claims(cs)
    vec = column_values(fw, cols, fw.parameters_at(AS_OF), lambda i: cs[i].id)[key]
    out = []
    for i, c in enumerate(cs):
        r = evaluate_claim(fw, c, AS_OF, explain=False)
        mine = r.status if target == "status" else r.components[target]
        out.append((mine, K(int(vec[i]))))
    return out


def check(fw: Framework, claim: Claim, g: ClaimGaps) -> int:
    """Every reported value gives the reported outcome in both engines; returns how many
    narrowed claims were checked."""
    checked = 0
    for d in [*g.deciders, *(x for ds in g.components.values() for x in ds)]:
        assert d.yes or d.no, d  # a reported fact decides under some value
        for want, combos in ((K.TRUE, d.yes), (K.FALSE, d.no)):
            for combo in combos:
                cs = _narrowed(claim, d, combo)
                for mine, theirs in _outcomes(fw, cs, d.target):
                    assert mine is want and theirs is want, (d, combo)
                    checked += 1
    return checked


def test_reported_values_decide_in_both_engines(framework: Framework, sample: Population
                                                ) -> None:  # fmt: skip
    undetermined = [c for c in sample.claims[:400]
                    if evaluate_claim(framework, c, AS_OF, explain=False).status is K.UNKNOWN]
    assert len(undetermined) >= 5
    checked = 0
    for claim in undetermined[:6]:
        g = deciders(framework, claim, AS_OF)
        assert g.status is K.UNKNOWN and g.deciders
        checked += check(framework, claim, g)
    assert checked > 20


def test_a_decided_claim_has_no_status_deciders(framework: Framework, sample: Population
                                                ) -> None:  # fmt: skip
    claim = next(c for c in sample.claims
                 if evaluate_claim(framework, c, AS_OF, explain=False).status is K.TRUE)
    g = deciders(framework, claim, AS_OF)
    assert g.deciders == ()
    assert "eligible" in repr(g)


_PARAMS = "[parameters]\n" + "".join(f"{k} = {v}\n" for k, v in PARAMS.items())


def _framework(condition: str) -> Framework:
    text = toy().replace("[definitions]", _PARAMS + "\n[definitions]") + (
        "\n[[article]]\nnumber = \"9\"\ntext = \"A new ground.\"\n\n  [[article.ground]]\n"
        f"  id = \"new\"\n  category = \"new\"\n  when = \"{condition}\"\n"
    )
    return Framework([load_law_text(text, "law.toml")])


#: concrete values tried by brute force, per kind
_BRUTE: dict[FactKind, list[Any]] = {
    FactKind.BOOL: [False, True],
    FactKind.COUNTRY: ["KZ", "CN", "RU", "ZZ"],
    FactKind.INT: [1850, 1900, 1920, 1930, 1937, 1950, 1970, 1991, 2000, 2020],
}


def _brute_values(slot: Slot) -> list[Any]:
    f = (CLAIM_FACTS if slot.event is None else EVENT_FACTS)[slot.fact]
    if f.kind is FactKind.ENUM:
        return list(f.values)
    if f.kind is FactKind.DATE:
        return [PartialDate.from_date(dt.date(y, m, 1)) for y in range(1900, 2030, 3)
                for m in (1, 7)]  # fmt: skip
    return list(_BRUTE.get(f.kind, ["(other)"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=claim_cond(), people=st.lists(claims(), min_size=1, max_size=3))
def test_random_frameworks(condition: Node, people: list[Claim]) -> None:
    fw = _framework(unparse(condition).replace('"', "'"))
    for i, claim in enumerate(people):
        claim = attrs.evolve(claim, id=f"c{i}", victim_id=f"c{i}")
        g = deciders(fw, claim, AS_OF, max_facts=1)
        check(fw, claim, g)
        if g.status is not K.UNKNOWN:
            continue
        for d in g.deciders:
            # brute force: some concrete value of the fact decides the claim
            (slot,) = d.facts
            statuses = {evaluate_claim(fw, _narrow(claim, slot, v), AS_OF,
                                       explain=False).status
                        for v in _brute_values(slot)}  # fmt: skip
            statuses |= {s for combo in d.yes + d.no
                         for s, _ in _outcomes(fw, _narrowed(claim, d, combo), "status")}
            assert statuses - {K.UNKNOWN}, d


def test_population_ranking_counts_the_claims_per_claim_deciders_name(
    framework: Framework, sample: Population
) -> None:
    small = InMemoryPopulation("small", tuple(sample.claims[:120]))
    ranking = gaps(framework, small, AS_OF)
    (group,) = ranking.groups
    expected: Counter[tuple[str, str]] = Counter()
    undetermined = 0
    for c in small.claims:
        g = deciders(framework, c, AS_OF, max_facts=1)
        if g.status is not K.UNKNOWN:
            continue
        undetermined += 1
        expected.update({("claim" if s.event is None else "event", s.fact)
                         for d in g.deciders for s in d.facts})  # fmt: skip
    assert group.undetermined == undetermined
    got = {(f.scope, f.fact): f.claims for f in group.facts}
    assert got == dict(expected)
    for f in group.facts:
        assert f.claims <= f.yes + f.no and f.always <= f.claims


def test_gaps_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["gaps", str(ROOT / "drafts/current"), str(ROOT / "drafts/bills"),
            "--population", str(DATA / "sample.jsonl"), "--as-of", AS_OF.isoformat()]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "status" and data["groups"][0]["facts"]
    assert main([*args, "--suppress-below", "10000", "--format", "json"]) == 0
    hidden = json.loads(capsys.readouterr().out)
    assert all(f["claims"] is None for f in hidden["groups"][0]["facts"] if f["claims"])
    for fmt in ("text", "md", "html"):
        assert main([*args, "--by", "component", "--format", fmt]) == 0
        assert "withheld" in capsys.readouterr().out
    assert main([*args, "--by", "nonsense"]) == 2


def test_the_docs_page_shows_what_gaps_prints(capsys: pytest.CaptureFixture[str]) -> None:
    from .test_howto_examples import assert_shown, run, steps

    (step,) = steps(ROOT / "docs" / "gaps.rst")
    status, output = run(step.commands[0].split()[1:], capsys)
    assert status == 0
    assert step.shown is not None
    assert_shown(output, step.shown)


def test_compare_gaps_ranks_the_facts_for_the_claims_the_head_may_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``compare --gaps``: the ranking of kzrehab gaps over the head, kept to the claims
    undetermined under the head and not eligible under the base."""
    import json

    from kzrehab.cli import main

    sample = str(ROOT / "tests" / "data" / "sample.jsonl")
    args = ["compare", "--base", str(ROOT / "drafts/current"), "--with",
            str(ROOT / "drafts/proposals"), "--population", sample, "--as-of", "2025-06-01"]
    assert main([*args, "--format", "json", "--gaps"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (group,) = doc["gaps"]["groups"]
    # the claims the proposal may help: undetermined with it, not eligible without it
    assert group["undetermined"] == doc["changes"]["status"]["gained"] - sum(
        t["claims"] for t in doc["transitions"] if t["to"] == "eligible"
        and t["from"] != "eligible") + sum(
        t["claims"] for t in doc["transitions"]
        if t["from"] == "undetermined" and t["to"] == "undetermined")
    assert all(f["claims"] <= group["undetermined"] for f in group["facts"])
    assert main([*args, "--gaps"]) == 0
    assert "What would decide whether the head helps" in capsys.readouterr().out
    assert main(args) == 0
    assert "What would decide" not in capsys.readouterr().out
