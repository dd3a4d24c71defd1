"""Claims as JSON: every value checked against the vocabulary, and the canonical text.

:class:`Structurer` turns decoded JSON objects (a line of JSON Lines) into
:class:`~kzrehab.claims.Claim` objects, checking each value strictly against its fact (a
boolean is not a number, a number is not a string); the CSV converters check a CSV cell
the same way. :func:`claim_to_dict` and :func:`dumps_claim` go the other way:
:func:`dumps_claim` writes the canonical line of JSON Lines the digest of a population
in memory is computed over.

Conversion is table-driven: one converter per :class:`~kzrehab.vocabulary.FactKind`, so a
fact added to the vocabulary is read and written without a change here. The formats
themselves are described in :mod:`kzrehab.population.registry`.
"""

from __future__ import annotations

__all__ = ["claim_from_dict", "claim_to_dict", "dumps_claim", "canonical_lines"]

import functools
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .._suggest import did_you_mean, not_one_of
from ..claims import Claim, Event
from ..dates import PartialDate, parse_date
from ..errors import Location, RegistryError
from ..i18n import N_, _
from ..limits import MAX_EVENTS_PER_CLAIM
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind, is_country_code

#: integers beyond this magnitude are not exact in float64, which evaluation uses (see
#: "Arithmetic on ranges" in docs/semantics.rst)
_MAX_INT = 2**53


class BadValue(Exception):
    """A value does not fit its fact; carries the message (the caller adds the location)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def show_value(value: object) -> str:
    """A value as JSON would spell it, shortened for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- values: one checker per fact kind --------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _date(text: str) -> PartialDate:
    """``parse_date`` with a cache: registries repeat the same dates many times."""
    return parse_date(text)


def _check_date(fact: Fact, text: str) -> PartialDate:
    try:
        return _date(text)
    except ValueError as exc:
        raise BadValue(str(exc)) from None


def _check_enum(fact: Fact, text: str) -> str:
    if text in fact.values:
        return text
    raise BadValue(not_one_of(text, fact.name, fact.values))


def _check_country(fact: Fact, text: str) -> str:
    if is_country_code(text):
        return text
    hint = ""
    if len(text) == 2 and is_country_code(text.upper()):
        hint = f"; did you mean '{text.upper()}'?"
    raise BadValue(
        _("'{text}' is not a country code (ISO 3166-1 alpha-2, two capital letters such as "
          "'KZ'){hint}").format(text=text, hint=hint)
    )


def _check_str(fact: Fact, text: str) -> str:
    if not text.strip():
        raise BadValue(_("{name} must be a non-empty string, not {show_value}").format(
                           name=fact.name, show_value=show_value(text)))
    if not encodable(text):
        raise BadValue(_("{name} holds a lone surrogate (a \\ud800 to \\udfff escape "
                     "without its pair), which is not a "
                     "character").format(name=fact.name))  # fmt: skip
    return text


def encodable(text: str) -> bool:
    """True when ``text`` can be written as UTF-8 (it holds no lone surrogate, which a JSON
    ``\\ud800`` escape can make)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_int(fact: Fact, value: int) -> int:
    if not -_MAX_INT <= value <= _MAX_INT:
        raise BadValue(_("{name} = {value} is out of range (at most {MAX_INT} in "
                         "magnitude)").format(
                           name=fact.name, value=value, MAX_INT=_MAX_INT))
    if value < fact.minimum:
        raise BadValue(_("{name} = {value} is below its minimum {minimum:g}").format(
                           name=fact.name, value=value, minimum=fact.minimum))
    return value


Converter = Callable[[Any], object]


def _json_converter(fact: Fact) -> Converter:
    """The checker of one fact's JSON values (never given None)."""
    kind = fact.kind
    if kind is FactKind.BOOL:

        def conv(value: Any) -> object:
            if value is True or value is False:
                return value
            raise BadValue(_("{name} must be true or false, not {show_value}").format(
                               name=fact.name, show_value=show_value(value)))

    elif kind is FactKind.INT:

        def conv(value: Any) -> object:
            if type(value) is int:
                return _check_int(fact, value)
            raise BadValue(_("{name} must be an integer, not {show_value}").format(
                               name=fact.name, show_value=show_value(value)))

    else:
        check = _TEXT_CHECKS[kind]
        expected = _TEXT_EXPECTED[kind]

        def conv(value: Any) -> object:
            if type(value) is str:
                return check(fact, value)
            raise BadValue(_("{name} must be {expected}, not {show_value}").format(
                               name=fact.name, expected=_(expected), show_value=show_value(value)))

    return conv


_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})
_DECIMAL = re.compile(r"[+-]?[0-9]+\Z")


def _csv_converter(fact: Fact) -> Converter:
    """The checker of one fact's CSV cells (stripped, never empty)."""
    kind = fact.kind
    if kind is FactKind.BOOL:

        def conv(cell: Any) -> object:
            low = cell.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise BadValue(_("{name} must be true or false, not '{cell}'").format(
                               name=fact.name, cell=cell))

    elif kind is FactKind.INT:

        def conv(cell: Any) -> object:
            if _DECIMAL.match(cell) and len(cell) <= 20:
                return _check_int(fact, int(cell))
            raise BadValue(_("{name} must be a decimal integer, not '{cell}'").format(
                               name=fact.name, cell=cell))

    else:
        check = _TEXT_CHECKS[kind]

        def conv(cell: Any) -> object:
            return check(fact, cell)

    return conv


_TEXT_CHECKS: Mapping[FactKind, Callable[[Fact, str], object]] = {
    FactKind.DATE: _check_date,
    FactKind.STR: _check_str,
    FactKind.COUNTRY: _check_country,
    FactKind.ENUM: _check_enum,
}
_TEXT_EXPECTED: Mapping[FactKind, str] = {
    FactKind.DATE: N_("a date string (YYYY, YYYY-MM or YYYY-MM-DD)"),
    FactKind.STR: N_("a string"),
    FactKind.COUNTRY: N_("a country code string such as \"KZ\""),
    FactKind.ENUM: N_("a string"),
}
#: the message of an unknown key, by what the key names
_UNKNOWN = {"claim fact": N_("unknown claim fact '{key}'{hint}"),
            "event fact": N_("unknown event fact '{key}'{hint}"),
            "column": N_("unknown column '{key}'{hint}")}  # fmt: skip


def _json_unstructure(fact: Fact) -> Callable[[Any], object]:
    """How one fact's value is written to JSON."""
    if fact.kind is FactKind.DATE:
        return str
    return lambda value: value


def _inputs(facts: Mapping[str, Fact]) -> dict[str, Fact]:
    """The facts a registry may give: every fact that is not derived."""
    return {name: fact for name, fact in facts.items() if not fact.derived}


_CLAIM_INPUTS = _inputs(CLAIM_FACTS)
_EVENT_INPUTS = _inputs(EVENT_FACTS)
_CLAIM_JSON = {name: _json_converter(f) for name, f in _CLAIM_INPUTS.items()}
_EVENT_JSON = {name: _json_converter(f) for name, f in _EVENT_INPUTS.items()}
CLAIM_CSV = {name: _csv_converter(f) for name, f in _CLAIM_INPUTS.items()}
EVENT_CSV = {name: _csv_converter(f) for name, f in _EVENT_INPUTS.items()}
_EVENT_ID = CLAIM_FACTS["id"]  # an event's optional ``id`` is checked as a str fact
_EVENT_JSON["id"] = _json_converter(_EVENT_ID)
EVENT_CSV["id"] = _csv_converter(_EVENT_ID)
_CLAIM_KEYS = (*_CLAIM_JSON, "events")
_EVENT_KEYS = tuple(_EVENT_JSON)
_CLAIM_OUT = [(name, _json_unstructure(f)) for name, f in _CLAIM_INPUTS.items()]
_EVENT_OUT = [("id", _json_unstructure(_EVENT_ID))] + [
    (name, _json_unstructure(f)) for name, f in _EVENT_INPUTS.items()
]


def unknown_key(key: str, facts: Mapping[str, Fact], allowed: Iterable[str], what: str) -> str:
    fact = facts.get(key)
    if fact is not None and fact.derived:
        return _("'{key}' is derived by kzrehab ({doc}) and cannot be given in a "
                 "registry").format(key=key, doc=_(fact.doc))
    hint = did_you_mean(key, allowed)
    if what in _UNKNOWN:
        return _(_UNKNOWN[what]).format(key=key, hint=hint)
    return _("unknown {what} '{key}'{hint}").format(what=what, key=key, hint=hint)


# --- structuring ------------------------------------------------------------------------


class Located(Exception):
    """A problem with the key path where it was found (the line is added by the reader)."""

    def __init__(self, message: str, key: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key


# How each key's value is checked in line (the common, valid case); anything else goes to
# its converter, which returns the value or raises the message. ``_SKIP``: ``events``,
# structured apart.
_MEMO, _BOOL, _INT, _FREE, _SKIP = range(5)
_CODE_OF_KIND = {
    FactKind.BOOL: _BOOL, FactKind.INT: _INT, FactKind.STR: _FREE,
    FactKind.DATE: _MEMO, FactKind.COUNTRY: _MEMO, FactKind.ENUM: _MEMO,
}  # fmt: skip
_Entry = tuple[int, float, Converter]


def _table(converters: Mapping[str, Converter], facts: Mapping[str, Fact]) -> dict[str, _Entry]:
    return {
        name: (_CODE_OF_KIND[(facts.get(name) or _EVENT_ID).kind],
               (facts.get(name) or _EVENT_ID).minimum, conv)
        for name, conv in converters.items()
    }  # fmt: skip


_CLAIM_TABLE = _table(_CLAIM_JSON, CLAIM_FACTS)
_CLAIM_TABLE["events"] = (_SKIP, 0.0, lambda value: value)
_EVENT_TABLE = _table(_EVENT_JSON, EVENT_FACTS)


class Structurer:
    """Turns decoded JSON objects into claims, checking every value.

    Values of enum, country and date facts that passed once are remembered (per reader),
    so a registry's thousands of repeated ``"KZ"`` and ``"1937-08"`` are checked once.
    """

    def __init__(self) -> None:
        self.memo: dict[str, dict[str, object]] = {
            name: {} for name, (code, _low, _conv) in (*_CLAIM_TABLE.items(), *_EVENT_TABLE.items())
            if code == _MEMO
        }  # fmt: skip
        self.limit = MAX_EVENTS_PER_CLAIM.value

    def _fields(self, obj: dict[str, Any], table: Mapping[str, _Entry], facts: Mapping[str, Fact],
                allowed: Iterable[str], what: str, where: str) -> dict[str, object]:  # fmt: skip
        kwargs: dict[str, object] = {}
        memo = self.memo
        for key, value in obj.items():
            entry = table.get(key)
            if entry is None:
                raise Located(unknown_key(key, facts, allowed, what), where + key)
            if value is None:
                continue
            code, minimum, conv = entry
            kind = type(value)
            if code == _MEMO:
                if kind is str:
                    seen = memo[key]
                    hit = seen.get(value)
                    if hit is None:
                        try:
                            hit = seen[value] = conv(value)
                        except BadValue as exc:
                            raise Located(exc.message, where + key) from None
                    kwargs[key] = hit
                    continue
            elif code == _FREE:
                if kind is str and value and not value.isspace() and encodable(value):
                    kwargs[key] = value
                    continue
            elif code == _BOOL:
                if kind is bool:
                    kwargs[key] = value
                    continue
            elif code == _INT:
                if kind is int and -_MAX_INT <= value <= _MAX_INT and value >= minimum:
                    kwargs[key] = value
                    continue
            else:
                continue
            try:
                kwargs[key] = conv(value)  # raises the message
            except BadValue as exc:
                raise Located(exc.message, where + key) from None
        return kwargs

    def claim(self, obj: object) -> Claim:
        """The claim of a decoded JSON object; :class:`Located` at its first problem."""
        kwargs, events = self.record(obj)
        return Claim(events=tuple(Event(**e) for e in events),  # type: ignore[arg-type]
                     **kwargs)  # type: ignore[arg-type]  # fmt: skip

    def record(self, obj: object) -> tuple[dict[str, object], list[dict[str, object]]]:
        """The checked facts of a claim and of each of its events, as :meth:`claim` checks
        them, without building the objects (an import writes the facts as they are)."""
        if type(obj) is not dict:
            raise Located(_("a claim must be a JSON object, not {show_value}").format(
                              show_value=show_value(obj)), None)
        kwargs = self._fields(obj, _CLAIM_TABLE, CLAIM_FACTS, _CLAIM_KEYS, "claim fact", "")
        if "id" not in kwargs:
            raise Located(_("a claim needs an 'id' (a non-empty string)"), "id")
        return kwargs, self.events(obj.get("events"))

    def events(self, value: object) -> list[dict[str, object]]:
        if value is None:
            return []
        if type(value) is not list:
            raise Located(_("events must be a list of objects, not {show_value}").format(
                              show_value=show_value(value)), "events")
        if len(value) > self.limit:
            raise Located(
                MAX_EVENTS_PER_CLAIM.message(_("a claim with {n} "
                                               "events").format(n=len(value))), "events"
            )
        events = [self.event(obj, i) for i, obj in enumerate(value)]
        if any("id" in e for e in events):
            _check_event_ids(events)
        return events

    def event(self, obj: object, index: int) -> dict[str, object]:
        where = f"events[{index}]"
        if type(obj) is not dict:
            raise Located(_("an event must be a JSON object, not {show_value}").format(
                              show_value=show_value(obj)), where)
        return self._fields(obj, _EVENT_TABLE, EVENT_FACTS, _EVENT_KEYS, "event fact",
                            where + ".")  # fmt: skip


def _check_event_ids(events: list[dict[str, object]]) -> None:
    seen: dict[object, int] = {}
    for i, event in enumerate(events):
        event_id = event.get("id")
        if event_id is None:
            continue
        if event_id in seen:
            raise Located(
                _("duplicate event id '{event_id}' (also events[{seen}])").format(
                    event_id=event_id, seen=seen[event_id]),
                f"events[{i}].id",
            )
        seen[event_id] = i


def claim_from_dict(obj: Mapping[str, object]) -> Claim:
    """A claim from a JSON-shaped mapping, validated as one line of JSON Lines.

    Raises :class:`~kzrehab.errors.RegistryError` whose location carries the key.
    """
    try:
        return Structurer().claim(dict(obj))
    except Located as exc:
        raise RegistryError(exc.message, Location(key=exc.key)) from None


def _event_to_dict(event: Event) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, conv in _EVENT_OUT:
        value = getattr(event, name)
        if value is not None:
            out[name] = conv(value)
    return out


def claim_to_dict(claim: Claim) -> dict[str, object]:
    """The JSON form of a claim: vocabulary order, unknown facts left out, ``victim_id``
    left out when it is the claim's ``id``, events last (an empty list left out)."""
    out: dict[str, object] = {}
    for name, conv in _CLAIM_OUT:
        value = getattr(claim, name)
        if value is not None:
            out[name] = conv(value)
    if out.get("victim_id") == claim.id:
        del out["victim_id"]
    if claim.events:
        out["events"] = [_event_to_dict(e) for e in claim.events]
    return out


# The canonical text is ``json.dumps(claim_to_dict(claim), ensure_ascii=False,
# separators=(",", ":"))``; it is written here field by field, which is several times
# faster (the digest of a large population serialises every claim). A test checks that
# the two agree.

_BOOL_TEXT = {True: "true", False: "false"}
_escape: Callable[[str], str] = json.encoder.encode_basestring


def _date_text(value: PartialDate) -> str:
    return f'"{value}"'


_TEXT_OF_KIND: Mapping[FactKind, Callable[[Any], str]] = {
    FactKind.BOOL: _BOOL_TEXT.__getitem__,
    FactKind.INT: int.__repr__,
    FactKind.DATE: _date_text,
    FactKind.STR: _escape,
    FactKind.COUNTRY: _escape,
    FactKind.ENUM: _escape,
}


def _text_spec(facts: Iterable[Fact]) -> tuple[Callable[[Any], tuple[Any, ...]],
                                               tuple[tuple[str, Callable[[Any], str]], ...]]:
    facts = list(facts)
    getter = operator.attrgetter(*(f.name for f in facts))
    spec = tuple((json.dumps(f.name) + ":", _TEXT_OF_KIND[f.kind]) for f in facts)
    return getter, spec


_CLAIM_GET, _CLAIM_TEXT = _text_spec(_CLAIM_INPUTS.values())
_EVENT_GET, _EVENT_TEXT = _text_spec([_EVENT_ID, *_EVENT_INPUTS.values()])
_VICTIM_ID_AT = list(_CLAIM_INPUTS).index("victim_id")


def dumps_claim(claim: Claim) -> str:
    """A claim as one canonical line of JSON Lines (without the newline).

    Canonical: the same claim always gives the same text — :func:`claim_to_dict`'s keys in
    that order, compact separators, non-ASCII characters kept as they are (UTF-8).
    """
    values = list(_CLAIM_GET(claim))
    if values[_VICTIM_ID_AT] == claim.id:
        values[_VICTIM_ID_AT] = None
    parts = [key + text(v) for (key, text), v in zip(_CLAIM_TEXT, values, strict=True)
             if v is not None]  # fmt: skip
    if claim.events:
        events = [
            "{" + ",".join([key + text(v)
                            for (key, text), v in zip(_EVENT_TEXT, _EVENT_GET(e), strict=True)
                            if v is not None]) + "}"
            for e in claim.events
        ]  # fmt: skip
        parts.append('"events":[' + ",".join(events) + "]")
    return "{" + ",".join(parts) + "}"


def canonical_lines(claims: Iterable[Claim]) -> Iterator[str]:
    """The canonical JSON Lines text of claims, one line (with its newline) at a time."""
    for claim in claims:
        yield dumps_claim(claim) + "\n"


