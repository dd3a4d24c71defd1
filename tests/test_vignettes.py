"""Archetype claims ("vignettes") under current law and under each bill and proposal.

Each vignette is a synthetic claim (identifiers like ``vignette-alash-1938``; never the name
of a real person) built from the facts of SPEC §3. Each test states, in its docstring, the
legal reasoning that gives the expected status and categories under the modelled drafts in
``drafts/``: the current law (every file of ``drafts/current``), and the current law with
one bill or proposal added.

The expectations follow from the drafts' rules, not from history: when a draft changes, the
reasoning here must be re-read together with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kzrehab import load_framework
from kzrehab.dates import PartialDate
from kzrehab.evaluation import evaluate_claim
from kzrehab.model import Claim, Event
from kzrehab.reports.data import categories_json, components_json

AS_OF = dt.date(2025, 6, 1)

#: framework name → draft paths relative to the repository root
FRAMEWORKS: Mapping[str, tuple[str, ...]] = {
    "current": ("drafts/current",),
    "peasants": ("drafts/current", "drafts/bills/peasants.toml"),
    "intellectuals": ("drafts/current", "drafts/bills/intellectuals.toml"),
    "refugees": ("drafts/current", "drafts/bills/refugees.toml"),
    "prisoners-of-conscience": (
        "drafts/current",
        "drafts/proposals/prisoners-of-conscience.toml",
    ),
}
BILLS = ("peasants", "intellectuals", "refugees", "prisoners-of-conscience")

Evaluate = Callable[[str, Claim], Any]


@pytest.fixture(scope="module")
def repo_root() -> Path:
    return Path(__file__).parent.parent


@pytest.fixture(scope="module")
def evaluate(repo_root: Path) -> Evaluate:
    """Evaluate a claim under a named framework at :data:`AS_OF` (frameworks loaded once)."""
    cache: dict[str, Any] = {}

    def run(name: str, claim: Claim) -> Any:
        if name not in cache:
            cache[name] = load_framework([str(repo_root / p) for p in FRAMEWORKS[name]])
        res = evaluate_claim(cache[name], claim, as_of=AS_OF)
        # the outcome in words, as the reports show it
        return SimpleNamespace(status=res.status_name, categories=categories_json(res),
                               components=components_json(res))

    return run


def same_under_all(status: str, categories: dict[str, str]) -> list[Any]:
    """The same expectation under the current law and under every bill and proposal."""
    return [pytest.param(name, status, categories, id=name) for name in FRAMEWORKS]


def expect(base: tuple[str, dict[str, str]], **changed: tuple[str, dict[str, str]]) -> list[Any]:
    """``base`` under every framework except those named in ``changed`` (``_`` for ``-``)."""
    params = []
    for name in FRAMEWORKS:
        status, categories = changed.get(name.replace("-", "_"), base)
        params.append(pytest.param(name, status, categories, id=name))
    return params


def check(res: Any, status: str, categories: dict[str, str]) -> None:
    assert res.status == status
    assert dict(res.categories) == categories


# --- the vignettes ------------------------------------------------------------------------


def alash_1938() -> Claim:
    """A member of the Alash movement, arrested in 1937 and shot in 1938 on the sentence of
    a central Union body (the Military Collegium of the USSR Supreme Court); a grandchild
    applies."""
    facts: dict[str, Any] = dict(
        place="KZ", proceeding="criminal", motive="political", episode="alash",
        charge="RSFSR-58-2", outcome="convicted", confession="coerced", grave_crime="none",
        as_family_member=False,
    )  # fmt: skip
    return Claim(
        id="vignette-alash-1938", claimant="grandchild", claimant_birth_year=1960,
        victim_birth_year=1885, victim_alive=False, victim_died=PartialDate(1938, 2),
        born_in_repression=False, victim_citizenship=None, citizenship="KZ", residence="KZ",
        lived_in_kz=True, ethnic_kazakh=True, pensioner=False, disabled=False,
        already_rehabilitated=False, un_decision=False, documentation="archival",
        events=(
            Event(measure="imprisonment", start=PartialDate(1937, 9), end=PartialDate(1938, 2),
                  authority="security", **facts),
            Event(measure="execution", start=PartialDate(1938, 2), end=PartialDate(1938, 2),
                  authority="central_union_body", **facts),
        ),
    )  # fmt: skip


def dekulakised_1931() -> Claim:
    """A peasant family head dekulakised in March 1931 and deported within Kazakhstan to a
    special settlement, where he died in 1942; a grandchild applies."""
    facts: dict[str, Any] = dict(
        place="KZ", proceeding="none", motive="class", episode="collectivisation",
        outcome="none", confession="none", grave_crime="none", as_family_member=False,
    )  # fmt: skip
    return Claim(
        id="vignette-dekulakised-1931", claimant="grandchild", claimant_birth_year=1950,
        victim_birth_year=1890, victim_alive=False, victim_died=PartialDate(1942, 1),
        born_in_repression=False, victim_citizenship=None, citizenship="KZ", residence="KZ",
        lived_in_kz=True, ethnic_kazakh=True, pensioner=True, disabled=False,
        already_rehabilitated=False, un_decision=False, documentation="archival",
        events=(
            Event(measure="dekulakization", start=PartialDate(1931, 3), end=PartialDate(1931, 3),
                  authority="administrative", **facts),
            Event(measure="deportation", start=PartialDate(1931, 5), end=PartialDate(1931, 6),
                  destination="KZ", authority="security", **facts),
            Event(measure="special_settlement", start=PartialDate(1931, 6),
                  end=PartialDate(1942, 1), authority="security", **facts),
        ),
    )  # fmt: skip


def nomads_china_1932() -> Claim:
    """A nomad family stripped of its livestock in the 1931 procurement campaign fled to
    China in 1932; the refugee died there; a grandchild in Xinjiang, a Chinese citizen,
    applies."""
    facts: dict[str, Any] = dict(
        place="KZ", proceeding="none", motive="famine", episode="famine-1930",
        outcome="none", confession="none", grave_crime="none", as_family_member=False,
    )  # fmt: skip
    return Claim(
        id="vignette-nomads-china-1932", claimant="grandchild", claimant_birth_year=1985,
        victim_birth_year=1900, victim_alive=False, victim_died=PartialDate(1960),
        born_in_repression=False, victim_citizenship="CN", citizenship="CN", residence="CN",
        lived_in_kz=True, ethnic_kazakh=True, pensioner=False, disabled=False,
        already_rehabilitated=False, un_decision=False, documentation="testimony",
        events=(
            Event(measure="requisition", start=PartialDate(1931, 9), end=PartialDate(1931, 12),
                  authority="administrative", **facts),
            Event(measure="forced_flight", start=PartialDate(1932, 3), end=PartialDate(1932, 6),
                  destination="CN", **facts),
        ),
    )  # fmt: skip


def born_in_special_settlement_1953() -> Claim:
    """A woman born in April 1953 in a special settlement in Kazakhstan, to a family of a
    deported people, released with it in 1956; she applies herself, a pensioner. Whether she
    "lived in Kazakhstan before the repression" does not arise: it is left unknown."""
    return Claim(
        id="vignette-born-special-settlement-1953", claimant="victim",
        claimant_birth_year=1953, victim_birth_year=1953, victim_alive=True,
        born_in_repression=True, victim_citizenship="KZ", citizenship="KZ", residence="KZ",
        lived_in_kz=None, ethnic_kazakh=False, pensioner=True, disabled=False,
        already_rehabilitated=False, un_decision=False, documentation="archival",
        events=(
            Event(measure="special_settlement", start=PartialDate(1953, 4),
                  end=PartialDate(1956, 1), place="KZ", authority="security",
                  proceeding="none", motive="national", episode="deportation-of-peoples",
                  outcome="none", confession="none", grave_crime="none",
                  as_family_member=True),
        ),
    )  # fmt: skip


def alzhir_wife_1938() -> Claim:
    """A woman of Almaty sentenced in 1938 by the NKVD Special Board, as the wife of a
    "traitor to the Motherland", to eight years in the ALZhIR camp; her son, six years old
    at her arrest and now a pensioner, applies."""
    return Claim(
        id="vignette-alzhir-wife-1938", claimant="child", claimant_birth_year=1932,
        victim_birth_year=1905, victim_alive=False, victim_died=PartialDate(1975),
        born_in_repression=False, victim_citizenship=None, citizenship="KZ", residence="KZ",
        lived_in_kz=True, ethnic_kazakh=True, pensioner=True, disabled=False,
        already_rehabilitated=False, un_decision=False, documentation="archival",
        events=(
            Event(measure="imprisonment", start=PartialDate(1938, 3), end=PartialDate(1946, 3),
                  place="KZ", authority="central_union_body", proceeding="none",
                  motive="political", episode="alzhir", outcome="served", confession="none",
                  grave_crime="none", as_family_member=True),
        ),
    )  # fmt: skip


def chechen_deportation_1944() -> Claim:
    """A Chechen boy, six in February 1944, deported with his people to Kazakhstan by a
    decision of the Union authorities, in special settlement until July 1956; he stayed in
    Kazakhstan and applies himself, a pensioner."""
    facts: dict[str, Any] = dict(
        proceeding="none", motive="national", episode="deportation-of-peoples",
        outcome="none", confession="none", grave_crime="none", as_family_member=False,
    )  # fmt: skip
    return Claim(
        id="vignette-chechen-deportation-1944", claimant="victim", claimant_birth_year=1938,
        victim_birth_year=1938, victim_alive=True, born_in_repression=False,
        victim_citizenship="KZ", citizenship="KZ", residence="KZ", lived_in_kz=False,
        ethnic_kazakh=False, pensioner=True, disabled=False, already_rehabilitated=False,
        un_decision=False, documentation="archival",
        events=(
            Event(measure="deportation", start=PartialDate(1944, 2, 23),
                  end=PartialDate(1944, 3, 10), place="RU", destination="KZ",
                  authority="central_union_body", **facts),
            Event(measure="special_settlement", start=PartialDate(1944, 3),
                  end=PartialDate(1956, 7), place="KZ", authority="security", **facts),
        ),
    )  # fmt: skip


def december_1986(grave_crime: str = "none") -> Claim:
    """A student convicted for taking part in the December 1986 events in Almaty, imprisoned
    until June 1990; he applies himself."""
    suffix = "" if grave_crime == "none" else f"-{grave_crime.replace('_', '-')}"
    return Claim(
        id=f"vignette-december-1986{suffix}", claimant="victim", claimant_birth_year=1966,
        victim_birth_year=1966, victim_alive=True, born_in_repression=False,
        victim_citizenship="KZ", citizenship="KZ", residence="KZ", lived_in_kz=True,
        ethnic_kazakh=True, pensioner=False, disabled=False, already_rehabilitated=False,
        un_decision=False, documentation="court_record",
        events=(
            Event(measure="imprisonment", start=PartialDate(1986, 12, 18),
                  end=PartialDate(1990, 6), place="KZ", authority="court",
                  proceeding="criminal", motive="protest", episode="december-1986",
                  charge="KAZSSR-CC-65", outcome="convicted", confession="none",
                  grave_crime=grave_crime, as_family_member=False),
        ),
    )  # fmt: skip


def january_2022_amnesty() -> Claim:
    """A protester detained in January 2022, tortured in police custody, coerced into
    confessing to "mass riots", and released when the case ended under the amnesty law of
    November 2022; he applies himself."""
    return Claim(
        id="vignette-january-2022-amnesty", claimant="victim", claimant_birth_year=1990,
        victim_birth_year=1990, victim_alive=True, born_in_repression=False,
        victim_citizenship="KZ", citizenship="KZ", residence="KZ", lived_in_kz=True,
        ethnic_kazakh=True, pensioner=False, disabled=False, already_rehabilitated=False,
        un_decision=False, documentation="testimony",
        events=(
            Event(measure="detention", start=PartialDate(2022, 1, 6),
                  end=PartialDate(2022, 3, 15), place="KZ", authority="police",
                  proceeding="criminal", motive="political", episode="january-2022",
                  charge="KZ-CC-272", outcome="amnesty", termination="amnesty",
                  confession="coerced", grave_crime="none", as_family_member=False),
            Event(measure="torture", start=PartialDate(2022, 1, 7), end=PartialDate(2022, 1, 9),
                  place="KZ", authority="police", proceeding="none", motive="political",
                  episode="january-2022", suffered_offence="KZ-CC-146", outcome="none",
                  confession="none", grave_crime="none", as_family_member=False),
        ),
    )  # fmt: skip


def prisoner_of_conscience_served() -> Claim:
    """A civic activist convicted in 2016 of "inciting discord" for his posts, who served the
    full five-year sentence without confessing; a UN working group found his detention
    arbitrary. He applies himself. (The event's episode is unknown.)"""
    return Claim(
        id="vignette-prisoner-of-conscience-served", claimant="victim",
        claimant_birth_year=1975, victim_birth_year=1975, victim_alive=True,
        born_in_repression=False, victim_citizenship="KZ", citizenship="KZ", residence="KZ",
        lived_in_kz=True, ethnic_kazakh=True, pensioner=False, disabled=False,
        already_rehabilitated=False, un_decision=True, documentation="court_record",
        events=(
            Event(measure="imprisonment", start=PartialDate(2016, 5, 10),
                  end=PartialDate(2021, 5, 10), place="KZ", authority="court",
                  proceeding="criminal", motive="political", charge="KZ-CC-174",
                  outcome="served", confession="none", grave_crime="none",
                  as_family_member=False),
        ),
    )  # fmt: skip


def terminated_after_confession_for_release() -> Claim:
    """A protester detained in 2019, released after signing an admission of guilt as the
    condition of release, whose case was later terminated for lack of an offence; the
    prosecution is not classed as political (motive 'protest'). He applies himself."""
    return Claim(
        id="vignette-terminated-confession-for-release", claimant="victim",
        claimant_birth_year=1988, victim_birth_year=1988, victim_alive=True,
        born_in_repression=False, victim_citizenship="KZ", citizenship="KZ", residence="KZ",
        lived_in_kz=True, ethnic_kazakh=True, pensioner=False, disabled=False,
        already_rehabilitated=False, un_decision=False, documentation="court_record",
        events=(
            Event(measure="detention", start=PartialDate(2019, 6, 10),
                  end=PartialDate(2019, 9, 2), place="KZ", authority="police",
                  proceeding="criminal", motive="protest", charge="KZ-CC-400",
                  outcome="terminated", termination="no_offence", confession="for_release",
                  grave_crime="none", as_family_member=False),
        ),
    )  # fmt: skip


# --- the tests ----------------------------------------------------------------------------

VICTIM = {"victim": "eligible"}


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    expect(
        ("eligible", VICTIM), intellectuals=("eligible", {**VICTIM, "intellectual": "eligible"})
    ),
)
def test_alash_intellectual_shot_1938(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: a victim. Art. 1: execution and imprisonment for a political motive in
    the Soviet era are forms of repression. Art. 2 (d): he lived in Kazakhstan and was
    sentenced by a central Union body, so ground ``resident-repressed-outside`` applies
    (his citizenship at death is unknown, so ``citizen`` is only unknown, which does not
    matter). No established grave-crime conviction. Not injured: the applicant is a
    grandchild. The CPC, the Administrative Code and the Victims Fund concern events from
    1992 and 2015.

    Intellectuals bill: his events belong to the episode ``alash``, so he is also in the
    category ``intellectual`` (political rehabilitation of the person and the ideas). The
    peasants and refugees bills and the proposal add nothing: the motive is political (not
    class or famine), there is no flight, and the events are Soviet-era.
    """
    check(evaluate(framework, alash_1938()), status, categories)


def test_alash_components(evaluate: Evaluate) -> None:
    """A grandchild receives the restoration of the good name under the 1993 law (its
    recipients include relatives; heirs' applications are unverified), but not the payment
    or the restoration of rights, which go to the victim. Under the intellectuals bill the
    grandchild also receives the political rehabilitation of the person and of the ideas."""
    current = evaluate("current", alash_1938()).components
    assert current == {"rehabilitation-1993:good-name": "received"}
    bill = evaluate("intellectuals", alash_1938()).components
    for component in (
        "intellectuals:rehabilitation-of-person",
        "intellectuals:rehabilitation-of-ideas",
        "intellectuals:publication",
        "intellectuals:commemoration",
        "intellectuals:repudiation-of-labels",
        "intellectuals:restoration-of-titles",
    ):
        assert bill[component] == "received"


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    expect(("eligible", VICTIM), peasants=("eligible", {**VICTIM, "peasant": "eligible"})),
)
def test_dekulakised_family_deported_1931(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: a victim. Dekulakisation itself is not a form of repression in art. 1
    as modelled, but the deportation and the special settlement for a class motive are.
    Art. 2: a deportation from a place in Kazakhstan is a forced relocation to or from
    Kazakhstan, so ground ``relocated`` applies (he was repressed inside Kazakhstan by a
    regional body, so ``resident-repressed-outside`` does not; his citizenship is unknown).

    Peasants bill: dekulakisation, deportation and special settlement for a class motive in
    Kazakhstan in 1926-1938 make him a victim of repressions against peasants as well. The
    other bills add nothing (class motive, no flight, Soviet-era).
    """
    check(evaluate(framework, dekulakised_1931()), status, categories)


def test_dekulakised_components(evaluate: Evaluate) -> None:
    """The grandchild receives the peasants bill's recognition (grandchildren were added in
    its second version) and its guarantee of non-repetition, but not its payment, which
    goes to the victim or a surviving child."""
    res = evaluate("peasants", dekulakised_1931())
    assert res.components["peasants:recognition"] == "received"
    assert res.components["peasants:open-archives"] == "received"
    assert res.components["rehabilitation-1993:good-name"] == "received"
    assert "peasants:payment" not in res.components
    assert "rehabilitation-1993:one-time-payment" not in res.components


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    expect(
        ("ineligible", {}),
        peasants=("eligible", {"peasant": "eligible"}),
        refugees=("eligible", {"refugee": "eligible"}),
    ),
)
def test_nomad_family_fled_to_china_1932(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: ineligible. The requisition of livestock and the flight abroad are not
    forms of repression in art. 1 as modelled, and the famine is not among its motives;
    the victim died a Chinese citizen. Every other current ground is false: the events are
    from the 1930s (not CPC, Administrative Code or Victims Fund events).

    Peasants bill: the requisition in Kazakhstan in 1931 during the famine is a repression
    against peasants. Refugees bill: a forced flight from Kazakhstan in 1916-1939, and the
    grandchild is not a citizen of Kazakhstan, so both its grounds apply. The intellectuals
    bill and the proposal do not reach famine victims.
    """
    check(evaluate(framework, nomads_china_1932()), status, categories)


def test_nomad_grandchild_in_china_components(evaluate: Evaluate) -> None:
    """The refugees bill gives the grandchild abroad recognition, simplified citizenship,
    the right of return and resettlement support (descendants were widened to grandchildren
    in its second version), but its payment only to a living refugee."""
    res = evaluate("refugees", nomads_china_1932())
    for component in (
        "refugees:recognition",
        "refugees:simplified-citizenship",
        "refugees:right-of-return",
        "refugees:resettlement-support",
    ):
        assert res.components[component] == "received"
    assert "refugees:payment" not in res.components


@pytest.mark.parametrize(
    ("framework", "status", "categories"), same_under_all("eligible", {"injured": "eligible"})
)
def test_child_born_in_special_settlement_1953(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: injured, not a victim. Art. 2 recognises as injured the children who
    were with their parents in places of special settlement, including those born there
    (the 2025 court case of a woman born in 1953). She was in the settlement as a family
    member, aged under 18, so the settlement is not her *own* repression: no victim ground
    applies. She is a citizen of Kazakhstan, so the repression is within the law's scope.
    No bill changes this: the settlement is from 1953 and for a national motive.
    """
    check(evaluate(framework, born_in_special_settlement_1953()), status, categories)


def test_child_born_in_special_settlement_components(evaluate: Evaluate) -> None:
    """As an injured pensioner she receives the monthly special state allowance, the
    restoration of rights and of her good name, but not the one-time payment, which the
    1993 law (as modelled) grants to victims."""
    res = evaluate("current", born_in_special_settlement_1953())
    assert res.components == {
        "rehabilitation-1993:restoration-of-rights": "received",
        "rehabilitation-1993:good-name": "received",
        "rehabilitation-1993:monthly-allowance": "received",
    }


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    same_under_all("eligible", {"victim": "eligible", "injured": "eligible"}),
)
def test_wife_sent_to_alzhir(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: the wife is a victim and her son is injured. Imprisonment for a
    political motive, even as a family member, is her own repression (she was an adult).
    Art. 2 (d): she lived in Kazakhstan and was sentenced by a central Union body (the
    NKVD Special Board). Art. 2: her son was six when she was imprisoned, so as a child of
    a victim under 18 he is injured. The bills add nothing: a political motive in the
    ``alzhir`` episode is neither a peasant, an intellectual nor a refugee case.
    """
    check(evaluate(framework, alzhir_wife_1938()), status, categories)


def test_wife_sent_to_alzhir_components(evaluate: Evaluate) -> None:
    """The son, an injured pensioner, receives the monthly allowance and his mother's good
    name; the one-time payment and restoration of rights go only to the victim herself."""
    res = evaluate("current", alzhir_wife_1938())
    assert res.components == {
        "rehabilitation-1993:good-name": "received",
        "rehabilitation-1993:monthly-allowance": "received",
    }


@pytest.mark.parametrize(("framework", "status", "categories"), same_under_all("eligible", VICTIM))
def test_chechen_family_deported_1944(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: a victim. The deportation of a people for a national motive is a form
    of repression (art. 1), and art. 2 covers persons forcibly relocated to Kazakhstan
    (ground ``relocated``); he is also a citizen of Kazakhstan (ground ``citizen``). He was
    deported with his whole people, not as the family member of a repressed person, so he
    is a victim, not (only) injured. The bills add nothing: the peasants bill ends in 1938,
    and a deportation without a criminal case is not "prosecution as a nationalist" under
    the intellectuals bill.
    """
    check(evaluate(framework, chechen_deportation_1944()), status, categories)


def test_chechen_components(evaluate: Evaluate) -> None:
    """Alive and a pensioner, he receives every component of the 1993 law: restoration of
    rights, good name, the one-time payment (about 147 months of special settlement at
    0.75 MCI, capped at 100 MCI) and the monthly allowance."""
    res = evaluate("current", chechen_deportation_1944())
    assert res.components == {
        "rehabilitation-1993:restoration-of-rights": "received",
        "rehabilitation-1993:good-name": "received",
        "rehabilitation-1993:one-time-payment": "received",
        "rehabilitation-1993:monthly-allowance": "received",
    }


@pytest.mark.parametrize(("framework", "status", "categories"), same_under_all("eligible", VICTIM))
def test_december_1986_participant_convicted(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: a victim. Art. 2 (e) covers those who lived in Kazakhstan and were
    repressed for taking part in the events of 17-18 December 1986 (ground
    ``december-1986``); his imprisonment in that episode is also a repression for the
    ``citizen`` ground. He was not convicted of murder or of an attack on a police officer,
    so the exception does not apply. The CPC does not reach Soviet prosecutions, and the
    proposal concerns prosecutions from 1992, so nothing changes under any bill.
    """
    check(evaluate(framework, december_1986()), status, categories)


@pytest.mark.parametrize(("framework", "status", "categories"), same_under_all("ineligible", {}))
def test_december_1986_attack_on_police_excluded(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: ineligible. Art. 2 (e) excepts participants convicted of an attack on
    the life of a police officer; the exclusion ``december-1986-violence`` holds (the
    conviction is established) and bars every ground of the 1993 law. No bill or proposal
    reaches him (the proposal's violence bar would too, were its grounds to apply).
    """
    check(evaluate(framework, december_1986("attack_on_police")), status, categories)


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    expect(
        ("eligible", {"torture-victim": "eligible"}),
        prisoners_of_conscience=(
            "eligible",
            {"torture-victim": "eligible", "prisoner-of-conscience": "eligible"},
        ),
    ),
)
def test_january_2022_detainee_tortured_coerced_amnestied(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: eligible only as a victim of torture. Victims Compensation Fund art. 6:
    torture under Criminal Code art. 146, recorded, in 2022. The CPC gives him nothing: his
    case ended under the amnesty, which does not rehabilitate (Art. 35(1) point 3), and he
    was not acquitted. (His coerced confession would not bar him anyway.) The 1993 law
    covers the Soviet era only.

    Proposal: a politically motivated criminal prosecution in independent Kazakhstan
    qualifies whatever its outcome, amnesty included; he used no violence, so he is also a
    prisoner of conscience. The bills concern Soviet-era victims.
    """
    check(evaluate(framework, january_2022_amnesty()), status, categories)


def test_january_2022_components(evaluate: Evaluate) -> None:
    """Under current law he receives only the Fund's payment (30 MCI, unverified); the
    proposal adds all five forms of reparation."""
    current = evaluate("current", january_2022_amnesty()).components
    assert current == {"victims-fund:payment-abuse": "received"}
    proposal = evaluate("prisoners-of-conscience", january_2022_amnesty()).components
    assert proposal == {
        "victims-fund:payment-abuse": "received",
        "prisoners-of-conscience:restoration-of-rights": "received",
        "prisoners-of-conscience:compensation": "received",
        "prisoners-of-conscience:care": "received",
        "prisoners-of-conscience:acknowledgement": "received",
        "prisoners-of-conscience:guarantees": "received",
    }


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    expect(
        ("ineligible", {}),
        prisoners_of_conscience=("eligible", {"prisoner-of-conscience": "eligible"}),
    ),
)
def test_prisoner_of_conscience_served_full_sentence(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: ineligible. Under the CPC only an acquittal or a termination on points
    1, 2, 5-8 of Art. 35(1) rehabilitates; a sentence served in full is neither. No torture
    is recorded, so the Fund does not apply; the 1993 law covers the Soviet era only.
    (His unknown episode does not matter: every ground that reads it also requires a date
    his imprisonment does not have.)

    Proposal: a politically motivated prosecution qualifies without acquittal, and a UN
    working group found his detention arbitrary: both its grounds apply. The bills concern
    Soviet-era victims.
    """
    check(evaluate(framework, prisoner_of_conscience_served()), status, categories)


@pytest.mark.parametrize(
    ("framework", "status", "categories"),
    expect(
        ("ineligible", {}),
        prisoners_of_conscience=("eligible", {"wrongful-prosecution": "eligible"}),
    ),
)
def test_termination_after_confession_for_release(
    evaluate: Evaluate, framework: str, status: str, categories: dict[str, str]
) -> None:
    """Current law: ineligible. The termination for lack of an offence (Art. 35(1) point 2)
    would rehabilitate, but the admission of guilt signed for release counts as voluntary
    self-incrimination (Freedom Now), and the exclusion ``self-incrimination`` bars the CPC
    grounds.

    Proposal: it repeals that exclusion, so the CPC ground ``termination`` applies. He is
    not a prisoner of conscience in the proposal's sense: the prosecution is not classed as
    political or religious.
    """
    check(evaluate(framework, terminated_after_confession_for_release()), status, categories)


@pytest.mark.parametrize("bill", BILLS)
def test_no_bill_takes_anyone_out(evaluate: Evaluate, bill: str) -> None:
    """A bill or proposal only adds to current law here: no vignette's status falls."""
    order = ("ineligible", "undetermined", "eligible")
    for make in (
        alash_1938, dekulakised_1931, nomads_china_1932, born_in_special_settlement_1953,
        alzhir_wife_1938, chechen_deportation_1944, december_1986, january_2022_amnesty,
        prisoner_of_conscience_served, terminated_after_confession_for_release,
    ):  # fmt: skip
        claim = make()
        before = evaluate("current", claim).status
        after = evaluate(bill, claim).status
        assert order.index(after) >= order.index(before), claim.id
