"""The claim vocabulary (``docs/vocabulary.rst``): every fact a rule may name, defined once.

The type checker, the interpreter, the registry importer, the population store and the
documentation all read :data:`CLAIM_FACTS` and :data:`EVENT_FACTS`. The vocabulary may grow
(new facts, new enum values) but names are never renamed.
"""

from __future__ import annotations

__all__ = [
    "FactKind",
    "Fact",
    "CLAIM_FACTS",
    "EVENT_FACTS",
    "ENUMS",
    "REPARATION_KINDS",
    "CLAIMANTS",
    "LAW_KINDS",
    "LAW_STATUSES",
    "IDENTIFYING",
    "claim_fact",
    "event_fact",
    "is_country_code",
]

import enum
import re
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from .i18n import N_


class FactKind(enum.Enum):
    """The type of a fact. Numbers and dates are ranges; the others are known or unknown."""

    BOOL = "bool"
    INT = "int"
    DATE = "date"
    STR = "str"
    COUNTRY = "country"
    ENUM = "enum"


@attrs.frozen
class Fact:
    """One named fact of a claim or of an event."""

    name: str
    kind: FactKind
    doc: str
    values: tuple[str, ...] = ()
    #: computed from other facts (``year``, ``months``), never read from a registry
    derived: bool = False
    #: the smallest value an unknown int fact can take (``months`` is never negative)
    minimum: float = float("-inf")


def _enum(*values: str) -> tuple[str, ...]:
    return tuple(values)


CLAIMANTS = _enum("victim", "spouse", "child", "grandchild", "descendant", "heir")
REPARATION_KINDS = _enum(
    "restitution", "compensation", "rehabilitation", "satisfaction", "non-repetition"
)
LAW_KINDS = _enum("law", "bill", "proposal")
LAW_STATUSES = _enum("draft", "introduced", "first-reading", "adopted", "in-force", "withdrawn")

MEASURES = _enum(
    "execution", "imprisonment", "exile", "special_settlement", "deportation",
    "forced_labour", "psychiatric", "confiscation", "dekulakization", "requisition",
    "forced_sedentarisation", "deprivation_of_rights", "citizenship_revoked", "expulsion",
    "forced_flight", "famine_death", "torture", "sexual_violence", "trafficking",
    "detention", "restriction_of_freedom", "fine", "travel_ban", "killed", "injured",
    "dismissal", "blacklisting",
)  # fmt: skip
AUTHORITIES = _enum(
    "court", "extrajudicial", "central_union_body", "administrative", "police", "security",
    "military",
)  # fmt: skip
PROCEEDINGS = _enum("criminal", "administrative", "none")
MOTIVES = _enum(
    "political", "class", "social", "national", "religious", "scientific", "creative",
    "protest", "uprising", "famine", "belief", "ethnic", "sex", "sexual_orientation", "colour",
    "language", "economic_status", "birth", "other_status",
)  # fmt: skip
OUTCOMES = _enum(
    "convicted", "acquitted", "terminated", "quashed", "served", "parole", "amnesty",
    "pardon", "mitigated", "pending", "none",
)  # fmt: skip
TERMINATIONS = _enum(
    "no_event", "no_offence", "no_complaint", "decriminalised", "res_judicata",
    "prior_termination", "amnesty", "limitation", "insanity", "immunity", "death",
)  # fmt: skip
CONFESSIONS = _enum("none", "voluntary", "coerced", "for_release")
GRAVE_CRIMES = _enum(
    "none", "treason", "espionage", "terrorism", "sabotage", "punitive_operations",
    "war_crime", "banditry", "murder", "attack_on_police",
)  # fmt: skip
VIOLENCE = _enum("none", "advocated", "used")
DOCUMENTATION = _enum("court_record", "archival", "testimony", "none")


def _facts(*facts: Fact) -> Mapping[str, Fact]:
    return MappingProxyType({f.name: f for f in facts})


B, I, D, S, C, E = (
    FactKind.BOOL, FactKind.INT, FactKind.DATE, FactKind.STR, FactKind.COUNTRY, FactKind.ENUM,
)  # fmt: skip

#: Facts of a claim: bare names at claim scope, ``claim.NAME`` inside an event filter.
CLAIM_FACTS: Mapping[str, Fact] = _facts(
    Fact("id", S, "unique within the population"),
    Fact("victim_id", S, "the victim the claim is about (several heirs may claim for one victim); default: `id`"),
    Fact("claimant", E, "who applies", CLAIMANTS),
    Fact("claimant_birth_year", I, "the claimant's year of birth"),
    Fact("victim_birth_year", I, "the victim's year of birth"),
    Fact("victim_alive", B, "the victim is alive"),
    Fact("victim_died", D, "when the victim died"),
    Fact("born_in_repression", B, "the victim was born in a camp, exile or special settlement"),
    Fact("victim_citizenship", C, "ISO 3166-1 alpha-2 of the victim today or at death; a victim who died a citizen of the Kazakh SSR (before 16 December 1991) is `KZ`, of another Soviet republic that republic's code"),
    Fact("citizenship", C, "the claimant's citizenship"),
    Fact("residence", C, "the claimant's country of residence"),
    Fact("lived_in_kz", B, "the victim lived on today's territory of Kazakhstan before the repression"),
    Fact("ethnic_kazakh", B, "the victim was of Kazakh origin (as for *kandas*)"),
    Fact("pensioner", B, "the claimant receives a pension"),
    Fact("disabled", B, "the claimant has a recognised disability"),
    Fact("already_rehabilitated", B, "rehabilitated by an earlier decision"),
    Fact("un_decision", B, "a UN treaty body or working group found the victim's detention arbitrary"),
    Fact("documentation", E, "the best evidence of the repression", DOCUMENTATION),
)  # fmt: skip

#: Facts of an event: bare names inside ``events[...]``.
EVENT_FACTS: Mapping[str, Fact] = _facts(
    Fact("measure", E, "what was done to the victim", MEASURES),
    Fact("episode", S, "a named historical episode, e.g. `great-terror`, `december-1986`"),
    Fact("start", D, "when it began (known to the day, the month or the year)"),
    Fact("end", D, "when it ended (known to the day, the month or the year)"),
    Fact("year", I, N_("the year of `start` (a range when `start` spans years)"), derived=True),
    Fact("months", I, N_("whole months from `start` to `end`"), derived=True, minimum=0.0),
    Fact("place", C, "where it happened (`KZ` = today's territory of Kazakhstan)"),
    Fact("destination", C, "for deportation, flight and expulsion: where to"),
    Fact("authority", E, "which body acted", AUTHORITIES),
    Fact("proceeding", E, "the kind of proceeding", PROCEEDINGS),
    Fact("motive", E, "why the victim was repressed", MOTIVES),
    Fact("charge", S, "article charged, e.g. `RSFSR-58-10`, `KZ-CC-272`"),
    Fact("suffered_offence", S, "an offence committed against the victim, e.g. `KZ-CC-146` (torture)"),
    Fact("outcome", E, "how the case ended", OUTCOMES),
    Fact("termination", E, "why a case was terminated (Criminal Procedure Code art. 35(1))", TERMINATIONS),
    Fact("confession", E, "whether and how the victim confessed", CONFESSIONS),
    Fact("grave_crime", E, "a well-founded conviction for a grave crime", GRAVE_CRIMES),
    Fact("violence", E, "whether the record establishes that the victim used or advocated violence in the acts the event concerns (`none`: established that they did not)", VIOLENCE),
    Fact("as_family_member", B, "repressed as a family member of a repressed person"),
)  # fmt: skip

#: Every enum fact's values, by fact name.
ENUMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {f.name: f.values for f in (*CLAIM_FACTS.values(), *EVENT_FACTS.values()) if f.kind is E}
)

#: facts that identify a claim or a person rather than describe them: a registry gives them
#: and reports name claims by them, but a rule cannot read them (identity is not a fact: a
#: rule that names one person's id singles that person out)
IDENTIFYING: frozenset[str] = frozenset({"id", "victim_id"})

_COUNTRY = re.compile(r"[A-Z]{2}\Z")


def is_country_code(text: str) -> bool:
    """True for a string shaped as an ISO 3166-1 alpha-2 code (two capital letters)."""
    return bool(_COUNTRY.match(text))


def claim_fact(name: str) -> Fact | None:
    """The claim fact called ``name``, or None."""
    return CLAIM_FACTS.get(name)


def event_fact(name: str) -> Fact | None:
    """The event fact called ``name``, or None."""
    return EVENT_FACTS.get(name)
