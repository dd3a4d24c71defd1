"""The synthetic population: deterministic, calibrated, incomplete the way archives are."""

from __future__ import annotations

import collections
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzrehab.claims import Claim, Event
from kzrehab.population import (
    REFERENCE_SEED,
    REFERENCE_SIZE,
    Population,
    StoredPopulation,
    load_population,
    reference_population,
    synthesize,
)
from kzrehab.population.registry import claim_from_dict, claim_to_dict
from kzrehab.population.synth import (
    CALIBRATION,
    DESTINATIONS,
    GENERATOR_VERSION,
    REFERENCE_DATE,
    allocate,
)

DATA = Path(__file__).parent / "data"
SIZE = 40_000


@functools.cache
def _population(size: int = SIZE, seed: int = 1) -> Population:
    return synthesize(size, seed)


def _archetype(claim: Claim) -> str:
    return claim.id.rsplit("-", 1)[0]


def _by_archetype(pop: Population) -> dict[str, list[Claim]]:
    groups: dict[str, list[Claim]] = collections.defaultdict(list)
    for claim in pop.claims:
        groups[_archetype(claim)].append(claim)
    return groups


def _events(claims: list[Claim], measure: str | None = None) -> Iterator[Event]:
    for claim in claims:
        for event in claim.events:
            if measure is None or event.measure == measure:
                yield event


# --- determinism -----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_population() -> None:
    a, b = synthesize(3_000, seed=42), synthesize(3_000, seed=42)
    assert a.digest == b.digest
    assert a.claims == b.claims


def test_another_seed_gives_another_population() -> None:
    assert synthesize(3_000, seed=42).digest != synthesize(3_000, seed=43).digest


def test_it_is_labelled_synthetic() -> None:
    pop = synthesize(50, seed=9)
    assert pop.synthetic
    assert pop.name == "synthetic-reference-50-seed9"
    assert "synthesize(size=50, seed=9)" in pop.source
    assert f"version {GENERATOR_VERSION}" in pop.source


@pytest.mark.parametrize(("size", "seed"), [(-1, 0), (10, -1), (True, 0), (10, 1.5)])
def test_bad_arguments_are_refused(size: object, seed: object) -> None:
    with pytest.raises(ValueError):
        synthesize(size, seed)  # type: ignore[arg-type]


def test_empty_and_tiny_populations() -> None:
    assert len(synthesize(0, seed=1)) == 0
    tiny = synthesize(5, seed=1)
    assert len(tiny) == 5
    assert len({c.id for c in tiny}) == 5


# --- calibration -----------------------------------------------------------------------


def test_the_calibration_table_is_complete() -> None:
    names = [c.archetype for c in CALIBRATION]
    assert len(names) == len(set(names))
    for record in CALIBRATION:
        assert record.weight > 0
        assert record.figure and record.note
        assert record.source.startswith("https://") or "sources.md" in record.source
    assert sum(c.share for c in CALIBRATION) == pytest.approx(1.0)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 2_000, 199_999])
def test_allocation_adds_up(size: int) -> None:
    counts = allocate(size)
    assert sum(counts.values()) == size
    assert list(counts) == [c.archetype for c in CALIBRATION]
    if size >= len(CALIBRATION):
        assert min(counts.values()) >= 1


def test_archetype_shares_follow_the_calibration() -> None:
    pop = _population()
    seen = collections.Counter(_archetype(c) for c in pop.claims)
    rest = SIZE - len(CALIBRATION)
    for record in CALIBRATION:
        # one claim each first, then the rest in proportion (largest remainder)
        assert abs(seen[record.archetype] - 1 - record.share * rest) < 1, record.archetype
        assert abs(seen[record.archetype] / SIZE - record.share) < 0.001, record.archetype


def test_every_archetype_is_present_in_the_sample_size() -> None:
    seen = {_archetype(c) for c in synthesize(2_000, seed=7).claims}
    assert seen == {c.archetype for c in CALIBRATION}


def test_great_terror_share_of_executions() -> None:
    executed = _by_archetype(_population())["soviet-executed"]
    terror = sum(1 for c in executed if c.events[0].episode == "great-terror")
    assert terror / len(executed) == pytest.approx(0.80, abs=0.01)


def test_refugee_destinations_china_share() -> None:
    groups = _by_archetype(_population())
    flights = [
        e.destination
        for name in ("famine-flight", "refugee-descendants-abroad")
        for e in _events(groups[name], "forced_flight")
        if e.destination is not None
    ]
    shares = collections.Counter(flights)
    china = dict(DESTINATIONS)["CN"]
    assert china == pytest.approx(332_500 / 882_500)
    assert shares["CN"] / len(flights) == pytest.approx(china, abs=0.02)
    assert set(shares) == {code for code, _ in DESTINATIONS}


def test_january_2022_torture_and_december_1986_prosecution_shares() -> None:
    groups = _by_archetype(synthesize(120_000, seed=3))
    jan = groups["january-2022"]
    tortured = [c for c in jan if any(e.measure == "torture" for e in c.events)]
    assert len(tortured) == round(len(jan) * 243 / 9_900)
    for claim in tortured:
        torture = next(e for e in claim.events if e.measure == "torture")
        assert torture.suffered_offence == "KZ-CC-146"
    dec = groups["december-1986"]
    prosecuted = [c for c in dec if any(e.measure == "imprisonment" for e in c.events)]
    assert len(prosecuted) == round(len(dec) * 99 / 8_500)


def test_about_two_and_a_half_events_per_claim() -> None:
    pop = _population()
    assert 2.3 <= pop.events / len(pop) <= 2.7


def test_heirs_share_victims() -> None:
    pop = _population()
    assert 0.85 * len(pop) < pop.victims < 0.95 * len(pop)
    by_id = {c.id: c for c in pop.claims}
    for claim in pop.claims:
        if claim.victim_id != claim.id:
            first = by_id[claim.victim_id]  # type: ignore[index]
            assert claim.events == first.events
            assert claim.victim_birth_year == first.victim_birth_year
            assert claim.claimant != "victim"


# --- realism ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "low", "high"),
    [
        ("claimant", 0.01, 0.05),
        ("claimant_birth_year", 0.05, 0.15),
        ("victim_birth_year", 0.05, 0.35),
        ("victim_alive", 0.03, 0.08),
        ("victim_citizenship", 0.05, 0.20),
        ("citizenship", 0.03, 0.10),
        ("lived_in_kz", 0.05, 0.15),
        ("ethnic_kazakh", 0.05, 0.20),
        ("already_rehabilitated", 0.10, 0.20),
        ("documentation", 0.05, 0.12),
    ],
)
def test_claim_facts_are_unknown_in_realistic_shares(fact: str, low: float, high: float) -> None:
    claims = _population().claims
    unknown = sum(getattr(c, fact) is None for c in claims) / len(claims)
    assert low <= unknown <= high


def test_dates_come_in_every_precision() -> None:
    starts = [e.start for e in _events(list(_population().claims))]
    known = [d for d in starts if d is not None]
    precision = collections.Counter(d.precision for d in known)
    assert 0.05 <= 1 - len(known) / len(starts) <= 0.20
    for level in ("year", "month", "day"):
        assert precision[level] / len(known) > 0.15, level


def test_every_value_is_valid_for_the_vocabulary() -> None:
    for claim in synthesize(3_000, seed=5).claims:
        assert claim_from_dict(claim_to_dict(claim)) == claim


def test_lives_and_events_are_consistent() -> None:
    today = REFERENCE_DATE
    for claim in _population().claims:
        if claim.claimant in ("child", "grandchild", "descendant") and (
            claim.claimant_birth_year and claim.victim_birth_year
        ):
            assert claim.claimant_birth_year - claim.victim_birth_year >= 16, claim.id
        if claim.claimant_birth_year is not None:
            assert claim.claimant_birth_year <= today.year - 18, claim.id
        if claim.victim_died is not None:
            assert claim.victim_alive is not True, claim.id
        for event in claim.events:
            if event.start and event.end:
                assert event.start.first <= event.end.last, claim.id
            if event.start and claim.victim_died:
                assert event.start.first <= claim.victim_died.last, claim.id
            if event.start:
                assert event.start.first <= today, claim.id


def test_modern_victims_claim_for_themselves_and_soviet_ones_through_heirs() -> None:
    groups = _by_archetype(_population())
    for name in ("january-2022", "december-1986"):
        claimants = collections.Counter(c.claimant for c in groups[name])
        assert claimants["victim"] / len(groups[name]) > 0.75, name
    for name in ("soviet-executed", "famine-death", "alzhir"):
        assert all(c.claimant != "victim" for c in groups[name]), name


def test_descendants_abroad_live_abroad() -> None:
    abroad = _by_archetype(_population())["refugee-descendants-abroad"]
    residence = collections.Counter(c.residence for c in abroad if c.residence is not None)
    assert residence["KZ"] == 0
    assert {"CN", "MN", "UZ", "RU", "TR"} <= set(residence)
    known = [c.ethnic_kazakh for c in abroad if c.ethnic_kazakh is not None]
    assert sum(known) / len(known) > 0.9


def test_deported_peoples_come_to_kazakhstan() -> None:
    groups = _by_archetype(_population())
    for name in ("deported-koreans", "deported-germans", "deported-chechens-ingush"):
        deportations = list(_events(groups[name], "deportation"))
        assert deportations, name
        known = [e.destination for e in deportations if e.destination is not None]
        assert set(known) == {"KZ"}
        assert {e.episode for e in deportations} <= {"deportation-of-peoples", None}


# --- the reference population and the sample -------------------------------------------


def test_reference_defaults() -> None:
    assert (REFERENCE_SIZE, REFERENCE_SEED) == (200_000, 1993)


def test_the_reference_population_is_cached_as_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path))
    reference_population.cache_clear()
    try:
        first = reference_population(300, 5)
        assert reference_population(300, 5) is first
        (cached,) = (tmp_path / "population").glob("reference-300-seed5-*.kzstore")
        reference_population.cache_clear()
        again = reference_population(300, 5)  # a new process: the store is opened
        assert isinstance(again, StoredPopulation)
        # a store's digest derives from its columns' hashes: the first run, too, returns
        # the population as stored
        assert again.digest == first.digest
        assert isinstance(first, StoredPopulation)
        assert again.claims == first.claims == synthesize(300, 5).claims
        assert again.synthetic and again.name == first.name
        cached.write_bytes(b"damaged")
        reference_population.cache_clear()
        assert reference_population(300, 5).digest == first.digest  # a bad entry is ignored
    finally:
        reference_population.cache_clear()


def test_the_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kzrehab._io import cache_dir

    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "k"))
    assert cache_dir() == tmp_path / "k"
    monkeypatch.delenv("KZREHAB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "kzrehab"


def test_the_sample_registry_is_what_the_generator_makes() -> None:
    """If the generator changes, regenerate the sample (and bump GENERATOR_VERSION):

    python -c "from kzrehab.population import synthesize, write_jsonl;
               write_jsonl(synthesize(2000, seed=7), 'tests/data/sample.jsonl')"
    """
    sample = load_population(DATA / "sample.jsonl")
    assert sample.claims == synthesize(2_000, seed=7).claims
