"""Hypothesis strategies for valid claims, built from the vocabulary.

Every fact of :data:`~kzrehab.vocabulary.CLAIM_FACTS` and (non-derived)
:data:`~kzrehab.vocabulary.EVENT_FACTS` may be unknown (None); dates come in every
precision; enum values come from the vocabulary, so a value added there is generated here
without a change. For the rule tests' smaller value sets see ``rule_strategies.py``.

    from .strategies import claims, populations

    @given(claims())
    def test_something(claim: Claim) -> None: ...
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from kzrehab.claims import Claim, Event
from kzrehab.dates import PartialDate
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind

__all__ = [
    "COUNTRIES",
    "partial_dates",
    "texts",
    "fact_values",
    "events",
    "claims",
    "populations",
]

#: countries that occur in the domain; ``countries()`` mixes in any two capital letters
COUNTRIES = ("KZ", "RU", "CN", "MN", "UZ", "KG", "TM", "TR", "IR", "AF", "DE", "UA")


def partial_dates(min_year: int = 1900, max_year: int = 2025) -> st.SearchStrategy[PartialDate]:
    """Dates known to the year, the month or the day, between the two years."""
    days = st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31))
    return st.one_of(
        days.map(lambda d: PartialDate(d.year)),
        days.map(lambda d: PartialDate(d.year, d.month)),
        days.map(PartialDate.from_date),
    )


def texts(max_size: int = 24) -> st.SearchStrategy[str]:
    """Non-blank strings of any Unicode (no surrogates), quotes and escapes included."""
    return st.text(min_size=1, max_size=max_size).filter(lambda s: not s.isspace())


def countries() -> st.SearchStrategy[str]:
    """Two capital letters, usually a country of the domain."""
    letters = st.sampled_from(string.ascii_uppercase)
    return st.one_of(st.sampled_from(COUNTRIES), st.tuples(letters, letters).map("".join))


def fact_values(
    fact: Fact,
    *,
    ints: st.SearchStrategy[int] | None = None,
    dates: st.SearchStrategy[PartialDate] | None = None,
    strings: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Any]:
    """Known values of one fact (never None); the keyword strategies override the defaults
    (years 1850-2025, dates 1900-2025, any non-blank text)."""
    kind = fact.kind
    if kind is FactKind.BOOL:
        return st.booleans()
    if kind is FactKind.INT:
        low = int(max(fact.minimum, 1850)) if fact.minimum != float("-inf") else 1850
        return ints if ints is not None else st.integers(low, 2025)
    if kind is FactKind.DATE:
        return dates if dates is not None else partial_dates()
    if kind is FactKind.COUNTRY:
        return countries()
    if kind is FactKind.ENUM:
        return st.sampled_from(fact.values)
    if kind is FactKind.STR:
        return strings if strings is not None else texts()
    raise AssertionError(f"no strategy for facts of kind {kind}")  # pragma: no cover


def _maybe(values: st.SearchStrategy[Any], unknown: float) -> st.SearchStrategy[Any]:
    if unknown <= 0:
        return values
    if unknown >= 1:
        return st.none()
    return st.one_of(st.none(), values)


def _model_fields(cls: type) -> set[str]:
    return {f.name for f in attrs.fields(cls)}


def events(
    *, unknown: float = 0.5, **overrides: st.SearchStrategy[Any]
) -> st.SearchStrategy[Event]:
    """Events with every input fact possibly unknown and an optional ``id``.

    ``overrides`` replace the strategy of named facts (``measure=st.just('exile')``);
    ``unknown=0`` makes every fact known, ``unknown=1`` every fact unknown.
    """
    fields = _model_fields(Event)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for name, fact in EVENT_FACTS.items():
        if fact.derived or name not in fields:
            continue
        kwargs[name] = overrides.get(name, _maybe(fact_values(fact), unknown))
    kwargs["id"] = overrides.get("id", st.one_of(st.none(), texts(8)))
    return st.builds(Event, **kwargs)


def _unique_event_ids(evs: Sequence[Event]) -> tuple[Event, ...]:
    seen: set[str] = set()
    out = []
    for e in evs:
        if e.id is not None and e.id in seen:
            e = attrs.evolve(e, id=None)
        if e.id is not None:
            seen.add(e.id)
        out.append(e)
    return tuple(out)


def claims(
    *,
    max_events: int = 5,
    unknown: float = 0.5,
    ids: st.SearchStrategy[str] | None = None,
    event_strategy: st.SearchStrategy[Event] | None = None,
    **overrides: st.SearchStrategy[Any],
) -> st.SearchStrategy[Claim]:
    """Valid claims: every claim fact possibly unknown, 0..``max_events`` events whose ids,
    when given, are unique within the claim. ``overrides`` replace named claim facts."""
    fields = _model_fields(Claim)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for name, fact in CLAIM_FACTS.items():
        if fact.derived or name not in fields or name == "id":
            continue
        kwargs[name] = overrides.get(name, _maybe(fact_values(fact), unknown))
    kwargs["id"] = ids if ids is not None else texts(16)
    kwargs["events"] = st.lists(
        event_strategy if event_strategy is not None else events(unknown=unknown),
        max_size=max_events,
    ).map(_unique_event_ids)
    return st.builds(Claim, **kwargs)


def populations(
    *, min_size: int = 0, max_size: int = 20, **claim_options: Any
) -> st.SearchStrategy[tuple[Claim, ...]]:
    """Tuples of claims with distinct ids (a valid registry)."""
    return st.lists(
        claims(**claim_options), min_size=min_size, max_size=max_size, unique_by=lambda c: c.id
    ).map(tuple)
