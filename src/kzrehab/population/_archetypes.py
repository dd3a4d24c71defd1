"""The archetypes of the synthetic population: how each one's claims are drawn.

:data:`ARCHETYPES` is the table of all of them. The archetypes of the Soviet terror are in
:mod:`kzrehab.population._archetypes_soviet`; here are the famine and the flight abroad,
the refugees' descendants, December 1986, January 2022 and the prisoners of conscience.
Each function fills a :class:`~kzrehab.population._draw.Batch` with the facts and events of
its archetype; the weights and the figures behind them are in
:mod:`kzrehab.population._calibration`. Shares written here without a source are
assumptions of the model.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._archetypes_soviet import SOVIET_ARCHETYPES
from ._calibration import CALIBRATION, DESTINATIONS
from ._draw import (
    FAMINE_DATES,
    MODERN,
    MODERN_END,
    Batch,
    alive_now,
    claimants,
    death_day,
    homes,
    victim_facts,
    when,
    year_of,
)  # fmt: skip

# --- the archetypes ---------------------------------------------------------------------

def _famine_death(b: Batch) -> None:
    death = b.day_in(b.years([(1930, 1930, 8), (1931, 1931, 25), (1932, 1932, 42),
                              (1933, 1933, 25)]))  # fmt: skip
    vby = year_of(death) - np.clip(np.rint(b.rng.exponential(18, b.n)), 0, 80).astype(np.int64)
    alive = np.zeros(b.n, dtype=bool)
    b.second_heirs(0.12, ~alive)
    episode = b.unknown("famine-1930", 0.10)
    b.event(
        b.chance(0.65), measure="requisition", episode=episode,
        start=b.dates(b.earlier(death, 2, 30), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.3), motive=b.unknown(b.pick(
            ("class", "famine"), (5, 5)), 0.2),
    )  # fmt: skip
    b.event(
        b.chance(0.45), measure="forced_sedentarisation", episode=episode,
        start=b.dates(b.earlier(death, 1, 24), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.3), motive=b.unknown("class", 0.2),
    )  # fmt: skip
    b.event(
        b.chance(0.30), measure="confiscation", episode=b.unknown("collectivisation", 0.3),
        start=b.dates(b.earlier(death, 6, 40), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.3), motive=b.unknown("class", 0.1),
    )  # fmt: skip
    b.event(
        True, measure="famine_death", episode=episode, start=b.dates(death, FAMINE_DATES),
        place=b.unknown("KZ", 0.02), proceeding=b.unknown("none", 0.15),
        motive=b.unknown("famine", 0.05),
    )  # fmt: skip
    claimants(b, vby, alive)
    homes(b, (("KZ", 95), ("RU", 2), ("UZ", 2), ("CN", 1)))
    victim_facts(
        b, vby=vby, alive=alive, died=death, died_precision=FAMINE_DATES, citizenship="KZ",
        lived_in_kz=0.98, ethnic_kazakh=0.92, rehabilitated=0.0, documentation=(0, 2, 6, 2),
        unknown_birth=0.35,
    )  # fmt: skip


_TURKEY_VIA = {"CN": 0.10, "IR": 0.25, "AF": 0.40}  # moved on to Turkey (assumed shares)


def _flight(b: Batch, *, abroad: bool) -> None:
    names, weights = zip(*DESTINATIONS, strict=True)
    dest = b.share(names, weights)
    flight = b.day_in(b.years([(1930, 1930, 15), (1931, 1931, 35), (1932, 1932, 35),
                               (1933, 1933, 15)]))  # fmt: skip
    vby = year_of(flight) - np.clip(np.rint(b.rng.exponential(20, b.n)), 0, 70).astype(np.int64)
    alive = alive_now(b, vby)
    b.second_heirs(0.12, ~alive)
    soviet = np.isin(dest, ("RU", "UZ", "KG", "TM"))
    revoked = (~soviet) & b.chance(0.15)
    revoked_day = b.later(flight, 6, 60)
    died = death_day(b, vby, alive, np.where(revoked, revoked_day, flight))
    episode = b.unknown("famine-1930", 0.15)
    uprising = b.chance(0.10)
    b.event(
        b.chance(0.55), measure="requisition", episode=episode,
        start=b.dates(b.earlier(flight, 2, 30), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.3), motive=b.unknown("class", 0.2),
    )  # fmt: skip
    b.event(
        b.chance(0.40), measure="confiscation", episode=b.unknown("collectivisation", 0.3),
        start=b.dates(b.earlier(flight, 6, 40), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.3), motive=b.unknown("class", 0.1),
    )  # fmt: skip
    b.event(
        b.chance(0.40), measure="forced_sedentarisation", episode=episode,
        start=b.dates(b.earlier(flight, 1, 24), FAMINE_DATES), place="KZ",
        authority=b.unknown("administrative", 0.3), motive=b.unknown("class", 0.2),
    )  # fmt: skip
    b.event(
        True, measure="forced_flight", episode=episode, start=b.dates(flight, FAMINE_DATES),
        place=b.unknown("KZ", 0.03), destination=b.unknown(dest, 0.06),
        proceeding=b.unknown("none", 0.15),
        motive=b.unknown(np.where(uprising, "uprising", "famine"), 0.08),
    )  # fmt: skip
    b.event(
        revoked, measure="citizenship_revoked", start=b.dates(revoked_day, FAMINE_DATES),
        place="KZ", motive="political",
    )  # fmt: skip
    claimants(b, vby, alive, self_share=0.8)
    if abroad:
        turkey = np.zeros(b.n, dtype=bool)
        for country, share in _TURKEY_VIA.items():
            turkey |= (dest == country) & b.chance(share)
        home = np.where(turkey, "TR", dest).astype(object)
        kandas = b.chance(0.05)  # returned, kept a foreign residence (assumed)
        cit = np.where(kandas, "KZ", home).astype(object)
        b.set(citizenship=b.unknown(cit, 0.05), residence=b.unknown(home, 0.05))
    else:
        homes(b, (("KZ", 100),), 0.02)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=FAMINE_DATES,
        citizenship=np.where(b.chance(0.7), dest, "KZ").astype(object),
        lived_in_kz=0.95, ethnic_kazakh=0.95, rehabilitated=0.0, documentation=(0, 1, 6, 3),
        unknown_birth=0.35,
    )  # fmt: skip


def _famine_flight(b: Batch) -> None:
    _flight(b, abroad=False)


def _refugee_descendants_abroad(b: Batch) -> None:
    _flight(b, abroad=True)


def _december_1986(b: Batch) -> None:
    detained = b.day_between("1986-12-17", "1986-12-19")
    vby = b.years([(1950, 1959, 3), (1960, 1970, 7)])
    criminal = b.exactly(99 / 8_500)
    grave = b.exactly(1 / 6, criminal)
    alive = alive_now(b, vby)
    release = detained + b.ints(1, 15)
    prison_end = b.later(detained, 12, 120)
    b.event(
        True, measure="detention", episode="december-1986", start=b.dates(detained, MODERN),
        end=b.dates(release, MODERN_END), place="KZ",
        authority=b.unknown(b.pick(("police", "security", "military"), (7, 2, 1)), 0.05),
        proceeding=b.unknown(np.where(criminal, "criminal",
                                      b.pick(("administrative", "none"), (6, 4))), 0.05),
        motive=b.unknown(b.pick(("protest", "national", "political"), (6, 3, 1)), 0.03),
        outcome=b.unknown(np.where(criminal, "convicted",
                                   b.pick(("none", "terminated", "served"), (5, 2, 3))), 0.1),
        confession=b.unknown(b.pick(("coerced", "none", "voluntary"), (3, 6, 1)), 0.3),
        violence=b.unknown(b.pick(("none", "used"), (95, 5)), 0.4),
    )  # fmt: skip
    b.event(
        criminal, measure="imprisonment", episode="december-1986",
        start=b.dates(release, MODERN), end=b.dates(prison_end, MODERN_END), place="KZ",
        authority="court", proceeding="criminal", motive=b.unknown("protest", 0.05),
        outcome=b.unknown(b.pick(("quashed", "served", "mitigated", "convicted"), (5, 2, 2, 1)),
                          0.05),
        confession=b.unknown(b.pick(("coerced", "none", "voluntary"), (5, 3, 2)), 0.2),
        grave_crime=np.where(grave, b.pick(("murder", "attack_on_police"), (1, 1)), "none"),
        violence=np.where(grave, "used", np.asarray(b.unknown("none", 0.5), dtype=object)),
    )  # fmt: skip
    b.event(
        b.chance(0.20), measure="dismissal", episode="december-1986",
        start=b.dates(b.later(detained, 0, 6), MODERN), place="KZ",
        authority=b.unknown("administrative", 0.2), motive=b.unknown("protest", 0.1),
    )  # fmt: skip
    b.event(
        b.chance(0.08), measure="injured", episode="december-1986",
        start=b.dates(detained, MODERN), place="KZ", authority=b.unknown("police", 0.2),
        motive="protest",
    )  # fmt: skip
    died = death_day(b, vby, alive, release)
    claimants(b, vby, alive, self_share=0.95)
    homes(b, (("KZ", 97), ("RU", 2), ("TR", 1)), 0.03)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=MODERN, citizenship="KZ",
        lived_in_kz=1.0, ethnic_kazakh=0.95, rehabilitated=0.4, documentation=(4, 4, 2, 0.3),
        unknown_birth=0.05,
    )  # fmt: skip


def _january_2022(b: Batch) -> None:
    detained = b.day_between("2022-01-04", "2022-01-12")
    vby = b.years([(1960, 1979, 3), (1980, 1995, 6), (1996, 2004, 2)])
    alive = np.ones(b.n, dtype=bool)
    criminal = b.chance(0.60)
    terror = criminal & b.chance(0.10)
    tortured = b.exactly(243 / 9_900)
    release = detained + b.ints(1, 60)
    c_outcome = np.where(
        terror, b.pick(("convicted", "terminated", "pending"), (7, 2, 1)),
        b.pick(("amnesty", "terminated", "convicted", "acquitted", "pending"), (35, 35, 22, 3, 5)),
    ).astype(object)  # fmt: skip
    termination = when(
        c_outcome == "terminated",
        b.pick(("amnesty", "no_offence", "no_event", "limitation", "res_judicata"),
               (5, 3, 1, 0.5, 0.5)),
    )  # fmt: skip
    termination = np.where(terror & (termination == "amnesty"), "no_offence", termination)
    outcome = np.where(criminal, c_outcome, b.pick(("served", "terminated", "none"), (6, 2, 2)))
    termination = when(criminal, termination)
    confession = b.pick(("coerced", "for_release", "voluntary", "none"), (25, 20, 15, 30))
    confession = np.where(tortured & b.chance(0.6), "coerced", confession)
    # whether the record establishes that the detainee used (or advocated) violence:
    # mostly not recorded either way; established for those charged with terrorism
    violence = b.unknown(np.where(terror, "used", b.pick(("none", "used"), (9, 1))), 0.35)
    b.event(
        True, measure="detention", episode="january-2022", start=b.dates(detained, MODERN),
        end=b.dates(release, MODERN_END), place="KZ",
        authority=b.unknown(b.pick(("police", "security", "military"), (6, 3, 1)), 0.05),
        proceeding=b.unknown(np.where(criminal, "criminal", "administrative"), 0.05),
        motive=b.unknown(b.pick(("protest", "political"), (8, 2)), 0.05),
        charge=b.unknown(when(criminal, np.where(terror, "KZ-CC-255", "KZ-CC-272")),
                         0.05),
        outcome=b.unknown(outcome, 0.05), termination=b.unknown(termination, 0.05),
        confession=b.unknown(np.where(criminal, confession, "none"), 0.10),
        grave_crime=b.unknown("none", 0.15), violence=violence,
    )  # fmt: skip
    b.event(
        tortured, measure="torture", episode="january-2022",
        start=b.dates(detained + b.ints(0, 5), MODERN), place="KZ",
        authority=b.unknown(b.pick(("police", "security"), (6, 4)), 0.1),
        suffered_offence="KZ-CC-146", motive=b.unknown("protest", 0.2),
    )  # fmt: skip
    convicted = criminal & (c_outcome == "convicted")
    prison = convicted & b.chance(0.7)
    b.event(
        prison, measure="imprisonment", episode="january-2022",
        start=b.dates(release, MODERN), end=b.dates(b.later(release, 12, 96), MODERN_END),
        place="KZ", authority="court", proceeding="criminal",
        charge=np.where(terror, "KZ-CC-255", "KZ-CC-272"),
        outcome=b.unknown(b.pick(("served", "parole", "pardon", "convicted"), (3, 3, 1, 3)),
                          0.1),
        confession=b.unknown(confession, 0.1), grave_crime=b.unknown("none", 0.2),
        violence=violence,
    )  # fmt: skip
    b.event(
        convicted & ~prison, measure="restriction_of_freedom", episode="january-2022",
        start=b.dates(release, MODERN), end=b.dates(b.later(release, 12, 60), MODERN_END),
        place="KZ", authority="court", proceeding="criminal", outcome="convicted",
        charge="KZ-CC-272", confession=b.unknown(confession, 0.1), violence=violence,
    )  # fmt: skip
    b.event(
        b.chance(0.10), measure="dismissal", episode="january-2022",
        start=b.dates(b.later(release, 0, 6), MODERN), place="KZ", motive="protest",
    )  # fmt: skip
    died = death_day(b, vby, alive, release)
    claimants(b, vby, alive, self_share=0.97)
    homes(b, (("KZ", 97), ("KG", 2), ("RU", 1)), 0.02, victim_is=np.full(b.n, "KZ", object))
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=MODERN, citizenship="KZ",
        lived_in_kz=0.98, ethnic_kazakh=0.8, rehabilitated=0.01, documentation=(6, 1, 3, 0.5),
        unknown_birth=0.03,
    )  # fmt: skip


def _prisoner_of_conscience(b: Batch) -> None:
    arrest = b.day_in(b.years([(2005, 2015, 3), (2016, 2023, 7)]))
    vby = year_of(arrest) - b.ints(20, 65)
    alive = np.ones(b.n, dtype=bool)
    release = b.later(arrest, 8, 84)
    outcome = b.pick(("served", "parole", "pardon", "amnesty", "mitigated"), (35, 30, 15, 10, 10))
    confession = b.pick(("for_release", "coerced", "none", "voluntary"), (40, 15, 35, 5))
    motive = b.pick(("political", "religious", "protest", "creative", "belief", "ethnic",
                     "sexual_orientation"), (60, 20, 10, 6, 2, 1, 1))
    b.event(
        True, measure="imprisonment", start=b.dates(arrest, MODERN),
        end=b.dates(release, MODERN_END), place="KZ", authority="court",
        proceeding=b.unknown("criminal", 0.02), motive=b.unknown(motive, 0.05),
        charge=b.unknown(b.pick(("KZ-CC-174", "KZ-CC-405", "KZ-CC-274", "KZ-CC-256"),
                                (4, 3, 2, 1)), 0.05),
        outcome=b.unknown(outcome, 0.03), confession=b.unknown(confession, 0.10),
        grave_crime=b.unknown("none", 0.1), violence=b.unknown("none", 0.25),
    )  # fmt: skip
    b.event(
        b.chance(0.10), measure="torture", start=b.dates(b.later(arrest, 0, 6), MODERN),
        place="KZ", authority=b.unknown(b.pick(("police", "security"), (1, 1)), 0.2),
        suffered_offence="KZ-CC-146", motive=b.unknown(motive, 0.2),
    )  # fmt: skip
    for measure, share in (("restriction_of_freedom", 0.20), ("travel_ban", 0.30),
                           ("blacklisting", 0.40), ("dismissal", 0.15)):  # fmt: skip
        b.event(
            b.chance(share), measure=measure, start=b.dates(release, MODERN),
            end=b.dates(b.later(release, 12, 96), MODERN_END), place="KZ",
            authority=b.unknown(b.pick(("court", "administrative"), (1, 1)), 0.3),
            motive=b.unknown(motive, 0.1),
        )  # fmt: skip
    died = death_day(b, vby, alive, release)
    claimants(b, vby, alive, self_share=0.97)
    homes(b, (("KZ", 92), ("DE", 3), ("US", 2), ("UA", 3)), 0.05)
    victim_facts(
        b, vby=vby, alive=alive, died=died, died_precision=MODERN, citizenship="KZ",
        lived_in_kz=1.0, ethnic_kazakh=0.75, rehabilitated=0.02, documentation=(8, 0, 2, 0),
        un_decision=b.chance(0.20), unknown_birth=0.02,
    )  # fmt: skip


#: every archetype, in the order of :data:`~kzrehab.population._calibration.CALIBRATION`
ARCHETYPES: dict[str, Callable[[Batch], None]] = {
    **SOVIET_ARCHETYPES,
    "famine-death": _famine_death,
    "famine-flight": _famine_flight,
    "refugee-descendants-abroad": _refugee_descendants_abroad,
    "december-1986": _december_1986,
    "january-2022": _january_2022,
    "prisoner-of-conscience": _prisoner_of_conscience,
}
assert set(ARCHETYPES) == {c.archetype for c in CALIBRATION}

