"""The archetypes of the Soviet terror: convictions, executions, the Alash, ALZhIR, exile and
special settlement, dekulakisation and the deported peoples.

Each function fills a :class:`~kzrehab.population._draw.Batch` with the facts and events of
its archetype; the weights and the figures behind them are in
:mod:`kzrehab.population._calibration`, and the table of all archetypes is
:data:`kzrehab.population._archetypes.ARCHETYPES`. Shares written here without a source
are assumptions of the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ._draw import (
    DEPORTATION,
    FAMINE_DATES,
    SOVIET,
    SOVIET_END,
    Batch,
    IntA,
    alive_now,
    claimants,
    death_day,
    homes,
    kz_citizens,
    victim_facts,
    when,
    year_of,
)  # fmt: skip

_MOTIVES_58 = ("political", "religious", "national", "scientific", "creative", "social", "class")
_CHARGES_58 = ("RSFSR-58-10", "RSFSR-58-11", "RSFSR-58-7", "RSFSR-58-2", "RSFSR-58-6",
               "RSFSR-58-8", "RSFSR-58-1a", "RSFSR-59-3", "RSFSR-61")  # fmt: skip
_CHARGE_WEIGHTS = (40, 15, 10, 8, 6, 6, 5, 5, 5)
_GRAVE = ("none", "espionage", "treason", "terrorism", "sabotage", "banditry", "war_crime",
          "punitive_operations")  # fmt: skip


def _arrest_years(b: Batch) -> IntA:
    """Arrest years 1921-1954: 35% in 1937-1938, a bump in 1929-1933 (assumed)."""
    return b.years([(1921, 1928, 10), (1929, 1933, 25), (1934, 1936, 10), (1937, 1938, 35),
                    (1939, 1945, 12), (1946, 1954, 8)])  # fmt: skip


def _soviet_convicted(b: Batch) -> None:
    arrest = b.day_in(_arrest_years(b))
    vby = year_of(arrest) - b.ints(18, 62)
    end = b.later(arrest, 12, 120)
    exile_end = b.later(end, 24, 60)
    alive = alive_now(b, vby)
    b.second_heirs(0.12, ~alive)
    died = death_day(b, vby, alive, exile_end)
    great_terror = (year_of(arrest) >= 1937) & (year_of(arrest) <= 1938)
    authority = np.where(
        great_terror, b.pick(("extrajudicial", "court", "central_union_body"), (6, 2, 2)),
        b.pick(("court", "extrajudicial", "central_union_body"), (5, 3, 2)),
    )  # fmt: skip
    quashed = b.chance(0.65)
    outcome = np.where(quashed, "quashed", "convicted").astype(object)
    grave = np.where(b.chance(0.015), b.pick(_GRAVE[1:], (3, 3, 2, 2, 4, 1, 1)), "none")
    b.event(
        True, measure="imprisonment", episode=when(great_terror, "great-terror"),
        start=b.dates(arrest, SOVIET), end=b.dates(end, SOVIET_END),
        place=b.unknown(np.where(b.chance(0.9), "KZ", "RU"), 0.05),
        authority=b.unknown(authority, 0.10), proceeding=b.unknown("criminal", 0.10),
        motive=b.unknown(b.pick(_MOTIVES_58, (62, 10, 8, 4, 4, 7, 5)), 0.08),
        charge=b.unknown(b.pick(_CHARGES_58, _CHARGE_WEIGHTS), 0.20),
        outcome=b.unknown(outcome, 0.15),
        confession=b.unknown(b.pick(("coerced", "voluntary", "none"), (5, 2, 3)), 0.45),
        grave_crime=b.unknown(grave, 0.25),
        as_family_member=b.unknown(b.chance(0.03), 0.10),
    )  # fmt: skip
    b.event(
        b.chance(0.45), measure=b.pick(("exile", "special_settlement"), (7, 3)),
        start=b.dates(end, SOVIET), end=b.dates(exile_end, SOVIET_END),
        place=b.unknown(b.pick(("KZ", "RU"), (6, 4)), 0.10),
        authority=b.unknown(b.pick(("extrajudicial", "administrative"), (1, 1)), 0.30),
        proceeding=b.unknown("administrative", 0.30), motive=b.unknown("political", 0.20),
    )  # fmt: skip
    b.event(
        b.chance(0.50), measure="confiscation", start=b.dates(arrest, SOVIET),
        place=b.unknown("KZ", 0.10), authority=b.unknown("court", 0.30),
        motive=b.unknown("political", 0.20),
    )  # fmt: skip
    b.event(
        b.chance(0.40), measure="deprivation_of_rights", start=b.dates(end, SOVIET),
        end=b.dates(b.later(end, 36, 60), SOVIET_END), place=b.unknown("KZ", 0.10),
        motive=b.unknown("political", 0.20),
    )  # fmt: skip
    claimants(b, vby, alive)
    cit = kz_citizens(b)
    homes(b, (("KZ", 93), ("RU", 4), ("UZ", 1), ("DE", 1), ("KG", 1)), victim_is=cit)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=SOVIET_END, citizenship=cit,
        lived_in_kz=0.9, ethnic_kazakh=0.6, rehabilitated=0.6, documentation=(6, 3, 1, 0.2),
    )  # fmt: skip


def _soviet_executed(b: Batch) -> None:
    terror = b.exactly(0.80)
    shot = np.where(terror, b.day_between("1937-08-05", "1938-11-17"),
                    b.day_in(b.years([(1921, 1936, 6), (1939, 1953, 4)])))  # fmt: skip
    arrest = shot - b.ints(20, 300)
    vby = year_of(arrest) - b.ints(20, 65)
    alive = np.zeros(b.n, dtype=bool)
    b.second_heirs(0.12, ~alive)
    episode = when(terror, "great-terror")
    authority = np.where(terror, b.pick(("extrajudicial", "central_union_body"), (8, 2)),
                         b.pick(("court", "extrajudicial", "central_union_body"), (4, 4, 2)))
    outcome = np.where(b.chance(0.75), "quashed", "convicted")
    motive = b.pick(_MOTIVES_58, (65, 10, 10, 4, 3, 4, 4))
    # one case: the arrest and the execution share its confession, outcome and verdict
    case = {
        "authority": b.unknown(authority, 0.10), "proceeding": b.unknown("criminal", 0.10),
        "motive": b.unknown(motive, 0.05), "outcome": b.unknown(outcome, 0.10),
        "charge": b.unknown(b.pick(_CHARGES_58, _CHARGE_WEIGHTS), 0.15),
        "confession": b.unknown(b.pick(("coerced", "voluntary", "none"), (6, 1, 3)), 0.45),
        "grave_crime": b.unknown(np.where(b.chance(0.01), "espionage", "none"), 0.25),
    }  # fmt: skip
    b.event(
        True, measure="imprisonment", episode=episode, start=b.dates(arrest, SOVIET),
        end=b.dates(shot, SOVIET_END), place=b.unknown("KZ", 0.05), **case,
    )  # fmt: skip
    b.event(
        True, measure="execution", episode=episode, start=b.dates(shot, SOVIET),
        place=b.unknown("KZ", 0.05), **case,
    )  # fmt: skip
    b.event(
        b.chance(0.45), measure="confiscation", start=b.dates(arrest, SOVIET),
        place=b.unknown("KZ", 0.10), authority=b.unknown(authority, 0.20),
        motive=b.unknown(motive, 0.10),
    )  # fmt: skip
    b.event(
        b.chance(0.20), measure="deprivation_of_rights", start=b.dates(arrest, SOVIET),
        place=b.unknown("KZ", 0.10), motive=b.unknown("political", 0.10),
    )  # fmt: skip
    claimants(b, vby, alive)
    homes(b, (("KZ", 94), ("RU", 4), ("UZ", 1), ("KG", 1)))
    victim_facts(
        b, vby=vby, alive=alive, died=shot, died_precision=(0.15, 0.15, 0.2, 0.5),
        citizenship=kz_citizens(b), lived_in_kz=0.92, ethnic_kazakh=0.65,
        rehabilitated=0.7, documentation=(7, 2, 1, 0.1),
    )  # fmt: skip


def _alash(b: Batch) -> None:
    arrest = np.where(b.chance(0.6), b.day_between("1928-09-01", "1930-12-31"),
                      b.day_between("1937-06-01", "1938-06-30"))  # fmt: skip
    vby = b.ints(1880, 1900)
    shot = b.later(arrest, 2, 12)
    executed = b.chance(0.5) & (year_of(arrest) >= 1937)
    prison_end = np.where(executed, shot, b.later(arrest, 6, 18))
    exile_end = b.later(prison_end, 36, 84)
    alive = np.zeros(b.n, dtype=bool)
    died = np.where(executed, shot, np.maximum(exile_end, b.day_in(b.ints(1938, 1960))))
    b.second_heirs(0.12, ~alive)
    b.event(
        True, measure="imprisonment", episode="alash", start=b.dates(arrest, SOVIET),
        end=b.dates(prison_end, SOVIET_END), place="KZ",
        authority=b.unknown("central_union_body", 0.1), proceeding="criminal",
        motive=b.unknown(b.pick(("national", "political", "creative", "scientific"),
                                (6, 2, 1, 1)), 0.05),
        charge=b.unknown(b.pick(("RSFSR-58-2", "RSFSR-58-11", "RSFSR-58-10"), (3, 4, 3)),
                         0.2),
        outcome=b.unknown(b.pick(("quashed", "convicted"), (9, 1)), 0.05),
        confession=b.unknown("coerced", 0.5), grave_crime=b.unknown("none", 0.2),
    )  # fmt: skip
    b.event(
        ~executed, measure="exile", episode="alash", start=b.dates(prison_end, SOVIET),
        end=b.dates(exile_end, SOVIET_END), place="RU", destination="RU",
        authority=b.unknown("central_union_body", 0.2), motive="national",
    )  # fmt: skip
    b.event(
        executed, measure="execution", episode="great-terror",
        start=b.dates(shot, SOVIET), place="KZ", authority="extrajudicial",
        proceeding="criminal", motive="national",
    )  # fmt: skip
    claimants(b, vby, alive)
    homes(b, (("KZ", 97), ("RU", 3)))
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=SOVIET, citizenship="KZ",
        lived_in_kz=1.0, ethnic_kazakh=1.0, rehabilitated=0.95, documentation=(8, 2, 0.1, 0),
        unknown_birth=0.05,
    )  # fmt: skip


def _alzhir(b: Batch) -> None:
    arrest = b.day_between("1937-09-01", "1939-06-30")
    vby = year_of(arrest) - b.ints(20, 50)
    release = b.later(arrest, 48, 96)
    alive = np.zeros(b.n, dtype=bool)
    b.second_heirs(0.12, ~alive)
    died = death_day(b, vby, alive, release)
    b.event(
        True, measure="imprisonment", episode="alzhir", start=b.dates(arrest, SOVIET),
        end=b.dates(release, SOVIET_END), place="KZ",
        authority=b.unknown("central_union_body", 0.10),
        proceeding=b.unknown(b.pick(("criminal", "administrative"), (6, 4)), 0.30),
        motive=b.unknown("political", 0.05),
        charge=b.unknown(b.pick(("RSFSR-58-1v", "RSFSR-58-12"), (7, 3)), 0.40),
        outcome=b.unknown(b.pick(("quashed", "convicted"), (8, 2)), 0.15),
        confession=b.unknown("none", 0.6), grave_crime=b.unknown("none", 0.2),
        as_family_member=b.unknown(True, 0.03),
    )  # fmt: skip
    b.event(
        b.chance(0.35), measure="exile", start=b.dates(release, SOVIET),
        end=b.dates(b.later(release, 12, 60), SOVIET_END),
        place=b.unknown(b.pick(("KZ", "RU"), (6, 4)), 0.2), authority="administrative",
        motive="political", as_family_member=b.unknown(True, 0.2),
    )  # fmt: skip
    b.event(
        b.chance(0.40), measure="confiscation", start=b.dates(arrest, SOVIET),
        place=b.unknown(b.pick(("RU", "KZ", "UA", "BY"), (6, 2, 1, 1)), 0.2),
        authority="central_union_body", motive="political", as_family_member=True,
    )  # fmt: skip
    b.event(
        b.chance(0.25), measure="deprivation_of_rights", start=b.dates(release, SOVIET),
        motive="political", as_family_member=b.unknown(True, 0.2),
    )  # fmt: skip
    claimants(b, vby, alive)
    homes(b, (("KZ", 50), ("RU", 40), ("UA", 4), ("BY", 2), ("DE", 2), ("IL", 2)), 0.05)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=SOVIET_END,
        citizenship=b.pick(("RU", "KZ", "UA", "BY", "GE"), (55, 25, 10, 5, 5)),
        lived_in_kz=0.15, ethnic_kazakh=0.10, rehabilitated=0.8, documentation=(6, 4, 1, 0.1),
    )  # fmt: skip


def _exile_special_settler(b: Batch) -> None:
    start = b.day_in(b.years([(1929, 1933, 40), (1934, 1941, 30), (1942, 1953, 30)]))
    vby = year_of(start) - b.ints(0, 60)
    end = b.later(start, 24, 180)
    alive = alive_now(b, vby, end)
    b.second_heirs(0.12, ~alive)
    died = death_day(b, vby, alive, end)
    child = year_of(start) - vby < 18
    measure = b.pick(("exile", "special_settlement"), (5, 5))
    motive = b.pick(("social", "class", "political", "religious", "national"), (3, 3, 2, 1, 1))
    b.event(
        True, measure=b.unknown(measure, 0.03), start=b.dates(start, SOVIET),
        end=b.dates(end, SOVIET_END),
        place=b.unknown(b.pick(("KZ", "RU"), (85, 15)), 0.08),
        authority=b.unknown(b.pick(("administrative", "extrajudicial", "central_union_body"),
                                   (5, 3, 2)), 0.15),
        proceeding=b.unknown(b.pick(("administrative", "none"), (7, 3)), 0.25),
        motive=b.unknown(motive, 0.10), outcome=b.unknown("none", 0.5),
        as_family_member=b.unknown(child | b.chance(0.25), 0.15),
    )  # fmt: skip
    b.event(
        b.chance(0.60), measure="deprivation_of_rights", start=b.dates(start, SOVIET),
        end=b.dates(end, SOVIET_END), place=b.unknown("KZ", 0.1),
        motive=b.unknown(motive, 0.10),
    )  # fmt: skip
    b.event(
        b.chance(0.25), measure="forced_labour", start=b.dates(b.later(start, 1, 12), SOVIET),
        end=b.dates(end, SOVIET_END), place=b.unknown("KZ", 0.1),
        authority=b.unknown("administrative", 0.2), motive=b.unknown(motive, 0.10),
    )  # fmt: skip
    b.event(
        b.chance(0.40), measure="confiscation", start=b.dates(start, SOVIET),
        place=b.unknown("KZ", 0.1), motive=b.unknown(motive, 0.10),
    )  # fmt: skip
    born = child & (vby >= year_of(start))
    claimants(b, vby, alive)
    cit = kz_citizens(b)
    homes(b, (("KZ", 92), ("RU", 5), ("UZ", 1), ("DE", 1), ("KG", 1)), victim_is=cit)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=SOVIET_END, citizenship=cit,
        lived_in_kz=0.75, ethnic_kazakh=0.55, rehabilitated=0.75, documentation=(2, 6, 2, 0.3),
        born_in_repression=born,
    )  # fmt: skip


def _dekulakised(b: Batch) -> None:
    start = b.day_in(b.years([(1928, 1928, 10), (1929, 1931, 70), (1932, 1933, 20)]))
    vby = year_of(start) - b.ints(0, 60)
    settle_end = b.later(start, 24, 120)
    alive = alive_now(b, vby, settle_end)
    b.second_heirs(0.12, ~alive)
    died = death_day(b, vby, alive, np.maximum(settle_end, b.later(start, 21, 21)))
    episode = b.unknown("collectivisation", 0.15)
    auth = b.pick(("administrative", "extrajudicial", "court"), (7, 2, 1))
    deported = b.chance(0.40)
    b.event(
        True, measure="confiscation", episode=episode, start=b.dates(start, FAMINE_DATES),
        place=b.unknown("KZ", 0.05), authority=b.unknown(auth, 0.2),
        proceeding=b.unknown(b.pick(("administrative", "none", "criminal"), (6, 3, 1)), 0.3),
        motive=b.unknown(b.pick(("class", "political"), (9, 1)), 0.05),
        charge=b.unknown(when(b.chance(0.1), "RSFSR-61"), 0.0),
        as_family_member=b.unknown(b.chance(0.3), 0.2),
    )  # fmt: skip
    b.event(
        b.chance(0.70), measure="dekulakization", episode=episode,
        start=b.dates(start, FAMINE_DATES), place=b.unknown("KZ", 0.05),
        authority=b.unknown(auth, 0.2), motive=b.unknown("class", 0.05),
        as_family_member=b.unknown(b.chance(0.3), 0.2),
    )  # fmt: skip
    b.event(
        deported, measure="deportation", episode=episode,
        start=b.dates(b.later(start, 0, 6), FAMINE_DATES), place=b.unknown("KZ", 0.05),
        destination=b.unknown(b.pick(("KZ", "RU", "UZ"), (6, 3, 1)), 0.2),
        authority=b.unknown(auth, 0.2), proceeding=b.unknown("administrative", 0.3),
        motive=b.unknown("class", 0.05), as_family_member=b.unknown(b.chance(0.4), 0.2),
    )  # fmt: skip
    b.event(
        deported & b.chance(0.8), measure="special_settlement", episode=episode,
        start=b.dates(b.later(start, 1, 8), FAMINE_DATES),
        end=b.dates(settle_end, SOVIET_END),
        place=b.unknown(b.pick(("KZ", "RU"), (7, 3)), 0.1), authority="administrative",
        motive=b.unknown("class", 0.05), as_family_member=b.unknown(b.chance(0.4), 0.2),
    )  # fmt: skip
    b.event(
        b.chance(0.25), measure="forced_sedentarisation", episode=episode,
        start=b.dates(b.later(start, 0, 20), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.2), motive=b.unknown("class", 0.1),
    )  # fmt: skip
    b.event(
        b.chance(0.30), measure="requisition", episode=episode,
        start=b.dates(b.later(start, 0, 20), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.2), motive=b.unknown("class", 0.1),
    )  # fmt: skip
    b.event(
        b.chance(0.30), measure="deprivation_of_rights", episode=episode,
        start=b.dates(start, FAMINE_DATES), place="KZ", motive=b.unknown("class", 0.1),
    )  # fmt: skip
    born = deported & (vby >= year_of(start))
    claimants(b, vby, alive)
    cit = kz_citizens(b)
    homes(b, (("KZ", 93), ("RU", 4), ("UZ", 2), ("KG", 1)), victim_is=cit)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=SOVIET_END, citizenship=cit,
        lived_in_kz=0.95, ethnic_kazakh=0.7, rehabilitated=0.1, documentation=(1, 5, 3, 1),
        born_in_repression=born,
    )  # fmt: skip


def _deported(b: Batch, *, first: str, last: str, origin: str, release: tuple[str, str],
              labour: float, living: Sequence[tuple[str, float]],
              victim_citizenship: Sequence[tuple[str, float]]) -> None:  # fmt: skip
    day = b.day_between(first, last)
    settled = b.later(day, 0.5, 2)
    free = b.day_between(*release)
    in_settlement = b.chance(0.15)  # born in special settlement (assumed share)
    vby = np.where(in_settlement, year_of(settled) + b.ints(0, 8), year_of(day) - b.ints(0, 70))
    vby = np.minimum(vby, year_of(free))
    born_day = np.minimum(np.maximum(b.day_in(vby), settled), free - 30)
    settle_start = np.where(in_settlement, born_day, settled)
    alive = alive_now(b, vby)
    b.second_heirs(0.12, ~alive)
    # a share died in the special settlement (assumed), the others after their release
    died_there = ~alive & b.chance(0.12)
    died = np.where(
        died_there, settle_start + np.floor(b.rng.random(b.n) * (free - settle_start)),
        death_day(b, vby, alive, free),
    ).astype(np.int64)  # fmt: skip
    settle_end = np.where(died_there, died, np.maximum(free, settle_start + 30))
    deported = ~in_settlement
    episode = b.unknown("deportation-of-peoples", 0.05)
    family = b.chance(0.55) | (year_of(day) - vby < 16)
    b.event(
        deported, measure="deportation", episode=episode, start=b.dates(day, DEPORTATION),
        end=b.dates(settled, SOVIET_END), place=b.unknown(origin, 0.05),
        destination=b.unknown("KZ", 0.02),
        authority=b.unknown(b.pick(("central_union_body", "security"), (8, 2)), 0.10),
        proceeding=b.unknown("none", 0.20), motive=b.unknown("national", 0.03),
        as_family_member=b.unknown(family, 0.10),
    )  # fmt: skip
    b.event(
        True, measure="special_settlement", episode=episode,
        start=b.dates(settle_start, DEPORTATION), end=b.dates(settle_end, SOVIET_END),
        place="KZ", authority=b.unknown("central_union_body", 0.15),
        proceeding=b.unknown("none", 0.3), motive=b.unknown("national", 0.03),
        as_family_member=b.unknown(family, 0.10),
    )  # fmt: skip
    adult = (year_of(day) - vby >= 16) & (year_of(day) - vby <= 55) & deported
    labour_start = b.later(day, 3, 12)
    labour_end = np.minimum(b.later(day, 36, 60), settle_end)
    b.event(
        adult & b.chance(labour) & (labour_start < labour_end), measure="forced_labour",
        start=b.dates(labour_start, DEPORTATION), end=b.dates(labour_end, SOVIET_END),
        place=b.unknown("KZ", 0.1), authority=b.unknown("central_union_body", 0.2),
        motive=b.unknown("national", 0.05),
    )  # fmt: skip
    b.event(
        b.chance(0.45), measure="deprivation_of_rights", episode=episode,
        start=b.dates(settle_start, DEPORTATION), end=b.dates(settle_end, SOVIET_END),
        place="KZ", motive=b.unknown("national", 0.05), as_family_member=b.unknown(family, 0.1),
    )  # fmt: skip
    b.event(
        deported & b.chance(0.35), measure="confiscation", start=b.dates(day, DEPORTATION),
        place=b.unknown(origin, 0.1), motive="national",
    )  # fmt: skip
    claimants(b, vby, alive, self_share=0.9)
    names, weights = zip(*victim_citizenship, strict=True)
    # a victim who died in the special settlement died a citizen of the Kazakh SSR: KZ (the
    # recorded decision of the 1993 law's draft); the draw is made for everyone all the same,
    # so the other claims of a seed do not move. victim_facts leaves a share unknown.
    cit = np.where(died_there, "KZ", b.pick(names, weights)).astype(object)
    homes(b, living, 0.05, victim_is=cit)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=SOVIET_END, citizenship=cit,
        lived_in_kz=0.0, ethnic_kazakh=0.0, rehabilitated=0.45, documentation=(1, 7, 2, 0.2),
        born_in_repression=in_settlement, unknown_birth=0.12,
    )  # fmt: skip


def _deported_koreans(b: Batch) -> None:
    _deported(
        b, first="1937-09-01", last="1937-11-30", origin="RU",
        release=("1945-01-01", "1947-12-31"), labour=0.15,
        living=(("KZ", 82), ("RU", 8), ("UZ", 4), ("KR", 6)),
        victim_citizenship=(("KZ", 88), ("RU", 7), ("UZ", 5)),
    )  # fmt: skip


def _deported_germans(b: Batch) -> None:
    _deported(
        b, first="1941-08-28", last="1941-12-31", origin="RU",
        release=("1955-12-13", "1956-06-30"), labour=0.40,
        living=(("KZ", 60), ("DE", 33), ("RU", 7)),
        victim_citizenship=(("KZ", 65), ("DE", 28), ("RU", 7)),
    )  # fmt: skip


def _deported_chechens_ingush(b: Batch) -> None:
    _deported(
        b, first="1944-02-23", last="1944-03-31", origin="RU",
        release=("1956-07-16", "1957-12-31"), labour=0.10,
        living=(("RU", 75), ("KZ", 22), ("TR", 3)),
        victim_citizenship=(("RU", 72), ("KZ", 28)),
    )  # fmt: skip


def _deported_other(b: Batch) -> None:
    _deported(
        b, first="1936-01-01", last="1949-12-31",
        origin=b.pick(("RU", "UA", "GE", "AZ", "AM", "BY", "LT", "LV", "EE", "MD"),
                      (30, 20, 15, 8, 6, 5, 4, 4, 4, 4)),  # type: ignore[arg-type]
        release=("1954-01-01", "1958-12-31"), labour=0.25,
        living=(("KZ", 55), ("RU", 20), ("UA", 8), ("GE", 7), ("AZ", 5), ("TR", 5)),
        victim_citizenship=(("KZ", 60), ("RU", 20), ("UA", 8), ("GE", 7), ("AZ", 5)),
    )  # fmt: skip


#: the archetypes of the Soviet terror, in the order of the calibration
SOVIET_ARCHETYPES: dict[str, Callable[[Batch], None]] = {
    "soviet-convicted": _soviet_convicted,
    "soviet-executed": _soviet_executed,
    "alash": _alash,
    "alzhir": _alzhir,
    "exile-special-settler": _exile_special_settler,
    "dekulakised": _dekulakised,
    "deported-koreans": _deported_koreans,
    "deported-germans": _deported_germans,
    "deported-chechens-ingush": _deported_chechens_ingush,
    "deported-other": _deported_other,
}
