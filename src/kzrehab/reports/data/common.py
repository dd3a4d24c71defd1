"""The parts every report's data shares: the population, an amount range, the laws."""

from __future__ import annotations

__all__ = ["SCHEMA", "PopulationInfo", "Range", "LawInfo", "population_info", "amount_range",
           "cents_range", "law_info", "population_json", "range_json", "law_json"]  # fmt: skip

import math
from typing import TYPE_CHECKING, Any

import attrs

from ...coverage import SCHEMA
from ...i18n import current
from ...languages import DEFAULT
from ...laws.provisions import text_in
from ..fields import figure, money

if TYPE_CHECKING:
    from ...laws.provisions import Law
    from ...population import Population


@attrs.frozen
class PopulationInfo:
    """The population a report measures: never suppressed (its size is stated on purpose)."""

    name: str
    claims: int = figure()
    victims: int = figure()
    events: int = figure()
    #: true when the counts are not statistics of real people
    synthetic: bool = False
    #: SHA-256 in hex of the claims (equal digests, same claims)
    digest: str = ""

    @classmethod
    def of(cls, population: Population) -> PopulationInfo:
        """The facts of ``population`` a report shows."""
        return cls(population.name, len(population), population.victims, population.events,
                   population.synthetic, population.digest)  # fmt: skip


def population_info(p: Population) -> PopulationInfo:
    """What a report says of a population."""
    return PopulationInfo.of(p)


def population_json(p: PopulationInfo) -> dict[str, Any]:
    """The ``population`` object of every evaluating command's JSON (docs/json.rst)."""
    return {"name": p.name, "claims": p.claims, "victims": p.victims, "events": p.events,
            "synthetic": p.synthetic, "digest": p.digest}  # fmt: skip


@attrs.frozen
class Range:
    """An amount range in tenge (``min`` … ``max``): None for an unbounded side. The field
    holding a range says whose money it is and when it is blanked; its ends are blanked
    with it."""

    min: float | None = money()
    max: float | None = money()


def _bound(x: float) -> float | None:
    return None if math.isinf(x) or math.isnan(x) else round(float(x), 2)


def amount_range(lo: float, hi: float) -> Range:
    """An amount range from tenge: rounded to cents, None for an unbounded side."""
    return Range(_bound(lo), _bound(hi))


def cents_range(lo: int | None, hi: int | None) -> Range:
    """An amount range from exact cents (None: unbounded)."""
    return Range(None if lo is None else lo / 100, None if hi is None else hi / 100)


def range_json(r: Range | None) -> dict[str, float | None] | None:
    """A range as JSON: ``{"min": x, "max": y}``."""
    return None if r is None else {"min": r.min, "max": r.max}


@attrs.frozen
class LawInfo:
    """A law a coverage measures: where it was read from, and its version."""

    id: str
    ref: str
    commit: str | None
    title: str
    kind: str
    status: str
    version: str


def law_info(law: Law) -> LawInfo:
    """What a report says of a law: its title in the current language
    (:func:`kzrehab.i18n.current`) when the draft gives it, else as
    :func:`~kzrehab.laws.provisions.text_in` falls back; in English the field itself."""
    lang = current()
    title = law.title if lang == DEFAULT else text_in(law, "title", lang)
    return LawInfo(law.id, law.ref, law.commit, title, law.kind, law.status, law.version)


def law_json(law: LawInfo) -> dict[str, Any]:
    """A law of a coverage as JSON."""
    return {"id": law.id, "ref": law.ref, "commit": law.commit, "title": law.title,
            "kind": law.kind, "status": law.status, "version": law.version}  # fmt: skip
