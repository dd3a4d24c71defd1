"""Claims and events: the people and the repressions kzrehab measures laws against.

Field names are exactly the fact names of :mod:`kzrehab.vocabulary`; ``None`` means the fact
is unknown. Dates are :class:`~kzrehab.dates.PartialDate` (known to the day, month or year).
"""

from __future__ import annotations

__all__ = ["Claim", "Event"]

import attrs

from .dates import PartialDate


@attrs.frozen
class Event:
    """One act of repression suffered by the victim (``docs/vocabulary.rst``, event facts)."""

    measure: str | None = None
    episode: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    place: str | None = None
    destination: str | None = None
    authority: str | None = None
    proceeding: str | None = None
    motive: str | None = None
    charge: str | None = None
    suffered_offence: str | None = None
    outcome: str | None = None
    termination: str | None = None
    confession: str | None = None
    grave_crime: str | None = None
    violence: str | None = None
    as_family_member: bool | None = None
    #: an optional identifier of the event within its claim (not a fact), shown in traces
    id: str | None = None


@attrs.frozen
class Claim:
    """One application for rehabilitation: who applies, for which victim, and the events."""

    id: str
    victim_id: str | None = None
    claimant: str | None = None
    claimant_birth_year: int | None = None
    victim_birth_year: int | None = None
    victim_alive: bool | None = None
    victim_died: PartialDate | None = None
    born_in_repression: bool | None = None
    victim_citizenship: str | None = None
    citizenship: str | None = None
    residence: str | None = None
    lived_in_kz: bool | None = None
    ethnic_kazakh: bool | None = None
    pensioner: bool | None = None
    disabled: bool | None = None
    already_rehabilitated: bool | None = None
    un_decision: bool | None = None
    documentation: str | None = None
    events: tuple[Event, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.victim_id is None:
            object.__setattr__(self, "victim_id", self.id)
