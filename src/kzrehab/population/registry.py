"""Registries: claims read from JSON Lines or CSV, validated, all or nothing (SPEC §8).

**JSON Lines** — one claim per line, a JSON object whose keys are the claim facts of
:data:`~kzrehab.vocabulary.CLAIM_FACTS` plus ``events``, a list of objects whose keys are the
event facts of :data:`~kzrehab.vocabulary.EVENT_FACTS` plus an optional ``id``::

    {"id": "c1", "claimant": "child", "events": [{"measure": "exile", "start": "1931-05"}]}

Dates are ISO strings known to the year, the month or the day (``"1931"``, ``"1931-05"``,
``"1931-05-17"``); a fact that is ``null`` or absent is unknown. Derived facts (``year``,
``months``) are computed, never read. Blank lines are skipped. The first line may be a
header written by :func:`write_jsonl` for a named population::

    {"kzrehab": "population", "version": 1, "name": "...", "synthetic": true}

**CSV** — a claims file (one row per claim, columns named by claim facts, ``id`` required)
and an events file (one row per event, a ``claim_id`` column naming its claim, then event
facts and an optional ``id``). An empty cell is unknown, booleans are ``true``/``false``
(any case), integers are decimal. A claim's events keep the order of the events file.
Cells are separated by commas, or by semicolons or tabs when the header row is (as
spreadsheets save CSV in many locales); UTF-8 with or without a byte order mark.

Every value is checked strictly against the vocabulary (a boolean is not a number, a number
is not a string). The first problem raises :class:`~kzrehab.errors.RegistryError` naming the
file, the line and the key (``events[2].measure``; event indices count from 0, as in JSON);
nothing is returned half-read.

Conversion is table-driven: one converter per :class:`~kzrehab.vocabulary.FactKind`, so a
fact added to the vocabulary is read and written without a change here.
"""

from __future__ import annotations

__all__ = [
    "PopulationHeader",
    "claim_from_dict",
    "claim_to_dict",
    "dumps_claim",
    "read_jsonl",
    "read_jsonl_with_header",
    "read_csv",
    "write_jsonl",
    "canonical_lines",
]

import csv
import functools
import io
import itertools
import json
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NoReturn

import attrs

from .._io import NotRegularFileError, open_regular, write_atomic
from .._suggest import did_you_mean
from ..claims import Claim, Event
from ..dates import PartialDate, parse_date
from ..errors import Location, RegistryError
from ..limits import MAX_EVENTS_PER_CLAIM, MAX_REGISTRY_BYTES
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind, is_country_code

#: integers beyond this magnitude are not exact in float64, which evaluation uses (SPEC §4)
_MAX_INT = 2**53

_HEADER_KEY = "kzrehab"
_HEADER_KIND = "population"
_HEADER_VERSION = 1


@attrs.frozen
class PopulationHeader:
    """What the optional first line of a JSON Lines file says about its population."""

    name: str
    synthetic: bool


class _Bad(Exception):
    """A value does not fit its fact; carries the message (the caller adds the location)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _show(value: object) -> str:
    """A value as JSON would spell it, shortened for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


# --- values: one checker per fact kind --------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _date(text: str) -> PartialDate:
    """``parse_date`` with a cache: registries repeat the same dates many times."""
    return parse_date(text)


def _check_date(fact: Fact, text: str) -> PartialDate:
    try:
        return _date(text)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _check_enum(fact: Fact, text: str) -> str:
    if text in fact.values:
        return text
    hint = did_you_mean(text, fact.values) or f"; expected one of: {', '.join(fact.values)}"
    raise _Bad(f"'{text}' is not {_article(fact.name)} {fact.name}{hint}")


def _check_country(fact: Fact, text: str) -> str:
    if is_country_code(text):
        return text
    hint = ""
    if len(text) == 2 and is_country_code(text.upper()):
        hint = f"; did you mean '{text.upper()}'?"
    raise _Bad(
        f"'{text}' is not a country code (ISO 3166-1 alpha-2, two capital letters such as "
        f"'KZ'){hint}"
    )


def _check_str(fact: Fact, text: str) -> str:
    if not text.strip():
        raise _Bad(f"{fact.name} must be a non-empty string, not {_show(text)}")
    if not _encodable(text):
        raise _Bad(f"{fact.name} holds a lone surrogate (a \\ud800 to \\udfff escape "
                   "without its pair), which is not a character")  # fmt: skip
    return text


def _encodable(text: str) -> bool:
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
        raise _Bad(f"{fact.name} = {value} is out of range (at most {_MAX_INT} in magnitude)")
    if value < fact.minimum:
        raise _Bad(f"{fact.name} = {value} is below its minimum {fact.minimum:g}")
    return value


_Converter = Callable[[Any], object]


def _json_converter(fact: Fact) -> _Converter:
    """The checker of one fact's JSON values (never given None)."""
    kind = fact.kind
    if kind is FactKind.BOOL:

        def conv(value: Any) -> object:
            if value is True or value is False:
                return value
            raise _Bad(f"{fact.name} must be true or false, not {_show(value)}")

    elif kind is FactKind.INT:

        def conv(value: Any) -> object:
            if type(value) is int:
                return _check_int(fact, value)
            raise _Bad(f"{fact.name} must be an integer, not {_show(value)}")

    else:
        check = _TEXT_CHECKS[kind]
        expected = _TEXT_EXPECTED[kind]

        def conv(value: Any) -> object:
            if type(value) is str:
                return check(fact, value)
            raise _Bad(f"{fact.name} must be {expected}, not {_show(value)}")

    return conv


_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})
_DECIMAL = re.compile(r"[+-]?[0-9]+\Z")


def _csv_converter(fact: Fact) -> _Converter:
    """The checker of one fact's CSV cells (stripped, never empty)."""
    kind = fact.kind
    if kind is FactKind.BOOL:

        def conv(cell: Any) -> object:
            low = cell.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise _Bad(f"{fact.name} must be true or false, not '{cell}'")

    elif kind is FactKind.INT:

        def conv(cell: Any) -> object:
            if _DECIMAL.match(cell) and len(cell) <= 20:
                return _check_int(fact, int(cell))
            raise _Bad(f"{fact.name} must be a decimal integer, not '{cell}'")

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
    FactKind.DATE: "a date string (YYYY, YYYY-MM or YYYY-MM-DD)",
    FactKind.STR: "a string",
    FactKind.COUNTRY: "a country code string such as \"KZ\"",
    FactKind.ENUM: "a string",
}


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
_CLAIM_CSV = {name: _csv_converter(f) for name, f in _CLAIM_INPUTS.items()}
_EVENT_CSV = {name: _csv_converter(f) for name, f in _EVENT_INPUTS.items()}
_EVENT_ID = CLAIM_FACTS["id"]  # an event's optional ``id`` is checked as a str fact
_EVENT_JSON["id"] = _json_converter(_EVENT_ID)
_EVENT_CSV["id"] = _csv_converter(_EVENT_ID)
_CLAIM_KEYS = (*_CLAIM_JSON, "events")
_EVENT_KEYS = tuple(_EVENT_JSON)
_CLAIM_OUT = [(name, _json_unstructure(f)) for name, f in _CLAIM_INPUTS.items()]
_EVENT_OUT = [("id", _json_unstructure(_EVENT_ID))] + [
    (name, _json_unstructure(f)) for name, f in _EVENT_INPUTS.items()
]


def _unknown_key(key: str, facts: Mapping[str, Fact], allowed: Iterable[str], what: str) -> str:
    fact = facts.get(key)
    if fact is not None and fact.derived:
        return (
            f"'{key}' is derived by kzrehab ({fact.doc}) and cannot be given in a registry"
        )
    return f"unknown {what} '{key}'{did_you_mean(key, allowed)}"


# --- structuring ------------------------------------------------------------------------


class _Located(Exception):
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
_Entry = tuple[int, float, _Converter]


def _table(converters: Mapping[str, _Converter], facts: Mapping[str, Fact]) -> dict[str, _Entry]:
    return {
        name: (_CODE_OF_KIND[(facts.get(name) or _EVENT_ID).kind],
               (facts.get(name) or _EVENT_ID).minimum, conv)
        for name, conv in converters.items()
    }  # fmt: skip


_CLAIM_TABLE = _table(_CLAIM_JSON, CLAIM_FACTS)
_CLAIM_TABLE["events"] = (_SKIP, 0.0, lambda value: value)
_EVENT_TABLE = _table(_EVENT_JSON, EVENT_FACTS)


class _Structurer:
    """Turns decoded JSON objects into claims, checking every value.

    Values of enum, country and date facts that passed once are remembered (per reader),
    so a registry's thousands of repeated ``"KZ"`` and ``"1937-08"`` are checked once.
    """

    def __init__(self) -> None:
        self.memo: dict[str, dict[str, object]] = {
            name: {} for name, (code, _, _) in (*_CLAIM_TABLE.items(), *_EVENT_TABLE.items())
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
                raise _Located(_unknown_key(key, facts, allowed, what), where + key)
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
                        except _Bad as exc:
                            raise _Located(exc.message, where + key) from None
                    kwargs[key] = hit
                    continue
            elif code == _FREE:
                if kind is str and value and not value.isspace() and _encodable(value):
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
            except _Bad as exc:
                raise _Located(exc.message, where + key) from None
        return kwargs

    def claim(self, obj: object) -> Claim:
        if type(obj) is not dict:
            raise _Located(f"a claim must be a JSON object, not {_show(obj)}", None)
        kwargs = self._fields(obj, _CLAIM_TABLE, CLAIM_FACTS, _CLAIM_KEYS, "claim fact", "")
        if "id" not in kwargs:
            raise _Located("a claim needs an 'id' (a non-empty string)", "id")
        return Claim(events=self.events(obj.get("events")), **kwargs)  # type: ignore[arg-type]

    def events(self, value: object) -> tuple[Event, ...]:
        if value is None:
            return ()
        if type(value) is not list:
            raise _Located(f"events must be a list of objects, not {_show(value)}", "events")
        if len(value) > self.limit:
            raise _Located(
                MAX_EVENTS_PER_CLAIM.message(f"a claim with {len(value)} events"), "events"
            )
        events = tuple(self.event(obj, i) for i, obj in enumerate(value))
        if any(e.id is not None for e in events):
            _check_event_ids(events)
        return events

    def event(self, obj: object, index: int) -> Event:
        where = f"events[{index}]"
        if type(obj) is not dict:
            raise _Located(f"an event must be a JSON object, not {_show(obj)}", where)
        kwargs = self._fields(obj, _EVENT_TABLE, EVENT_FACTS, _EVENT_KEYS, "event fact",
                              where + ".")  # fmt: skip
        return Event(**kwargs)  # type: ignore[arg-type]


def _check_event_ids(events: tuple[Event, ...]) -> None:
    seen: dict[str, int] = {}
    for i, event in enumerate(events):
        if event.id is None:
            continue
        if event.id in seen:
            raise _Located(
                f"duplicate event id '{event.id}' (also events[{seen[event.id]}])",
                f"events[{i}].id",
            )
        seen[event.id] = i


def claim_from_dict(obj: Mapping[str, object]) -> Claim:
    """A claim from a JSON-shaped mapping, validated as one line of JSON Lines.

    Raises :class:`~kzrehab.errors.RegistryError` whose location carries the key.
    """
    try:
        return _Structurer().claim(dict(obj))
    except _Located as exc:
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


def _header_line(header: PopulationHeader) -> str:
    obj = {
        _HEADER_KEY: _HEADER_KIND,
        "version": _HEADER_VERSION,
        "name": header.name,
        "synthetic": header.synthetic,
    }
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def _header_from_json(obj: dict[str, Any]) -> PopulationHeader:
    expected = {_HEADER_KEY, "version", "name", "synthetic"}
    for key in obj:
        if key not in expected:
            raise _Located(f"unknown header key '{key}'{did_you_mean(key, expected)}", key)
    if obj[_HEADER_KEY] != _HEADER_KIND:
        raise _Located(f"a kzrehab header must say \"kzrehab\": \"{_HEADER_KIND}\"", _HEADER_KEY)
    if obj.get("version") != _HEADER_VERSION:
        raise _Located(
            f"header version {_show(obj.get('version'))} is not supported "
            f"(this kzrehab reads version {_HEADER_VERSION})",
            "version",
        )
    name, synthetic = obj.get("name"), obj.get("synthetic")
    if type(name) is not str or not name.strip() or not _encodable(name):
        raise _Located(f"the header's name must be a non-empty string, not {_show(name)}",
                       "name")  # fmt: skip
    if type(synthetic) is not bool:
        raise _Located(f"the header's synthetic must be true or false, not {_show(synthetic)}",
                       "synthetic")  # fmt: skip
    return PopulationHeader(name=name, synthetic=synthetic)


# --- reading ----------------------------------------------------------------------------


def _fail(message: str, file: str, line: int | None = None, key: str | None = None,
          column: int | None = None) -> NoReturn:  # fmt: skip
    raise RegistryError(message, Location(file=file, line=line, key=key, column=column))


def _open(path: Path, limited: bool) -> IO[bytes]:
    name = str(path)
    try:
        # a regular file only: a FIFO would block, /dev/zero would never end
        f = open_regular(path)
    except FileNotFoundError:
        _fail("no such file", name)
    except IsADirectoryError:
        _fail("is a directory, not a registry file", name)
    except NotRegularFileError as exc:
        _fail(f"{exc.strerror}: a registry must be a file", name)
    except OSError as exc:
        _fail(f"cannot read: {exc.strerror or exc}", name)
    if limited:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_REGISTRY_BYTES.value:
            f.close()
            _fail(MAX_REGISTRY_BYTES.message(f"the registry ({size} bytes)"), name)
    return f


def _decode(raw: bytes, file: str, line: int, what: str) -> str:
    """One line (or a whole file) of UTF-8 text; binary and non-UTF-8 input are errors."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        _line, col = _position(raw, nul, line)
        _fail(f"contains a NUL byte: this is a binary file, not {what} text", file, _line,
              column=col)  # fmt: skip
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _line, col = _position(raw, exc.start, line)
        _fail(
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded): save the "
            f"{what} file as UTF-8",
            file, _line, column=col,
        )  # fmt: skip


def _position(raw: bytes, offset: int, first_line: int) -> tuple[int, int]:
    line = first_line + raw.count(b"\n", 0, offset)
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"key '{key}' is given twice in one object")
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_reject_constant)
#: for files kzrehab wrote itself: no duplicate keys to look for, and faster without
_TRUSTED_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def read_jsonl(path: str | os.PathLike[str]) -> tuple[Claim, ...]:
    """Every claim of a JSON Lines registry, or :class:`~kzrehab.errors.RegistryError`."""
    return read_jsonl_with_header(path)[0]


def read_jsonl_with_header(
    path: str | os.PathLike[str], *, limited: bool = True
) -> tuple[tuple[Claim, ...], PopulationHeader | None]:
    """The claims of a JSON Lines registry and its header line, if it has one.

    ``limited=False`` lifts :data:`~kzrehab.limits.MAX_REGISTRY_BYTES`, for files kzrehab wrote
    itself (the cached reference population).
    """
    p = Path(path)
    name = str(p)
    claims: list[Claim] = []
    header: PopulationHeader | None = None
    first_line: dict[str, int] = {}
    decode = (_DECODER if limited else _TRUSTED_DECODER).decode
    structure = _Structurer().claim
    with _open(p, limited) as f:
        first = True
        for lineno, raw in enumerate(f, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            text = _decode(raw, name, lineno, "JSON Lines")
            if not text.strip():
                continue
            try:
                obj = decode(text)
            except json.JSONDecodeError as exc:
                _fail(f"invalid JSON: {exc.msg}", name, lineno, column=exc.colno)
            except RecursionError:
                _fail("invalid JSON: nested too deeply", name, lineno)
            except ValueError as exc:
                _fail(f"invalid JSON: {exc}", name, lineno)
            try:
                if first and type(obj) is dict and _HEADER_KEY in obj:
                    header = _header_from_json(obj)
                    first = False
                    continue
                first = False
                claim = structure(obj)
            except _Located as exc:
                _fail(exc.message, name, lineno, exc.key)
            seen = first_line.setdefault(claim.id, lineno)
            if seen != lineno:
                _fail(f"duplicate claim id '{claim.id}' (first on line {seen})", name, lineno, "id")
            claims.append(claim)
    return tuple(claims), header


def _read_csv_rows(path: Path, what: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank row; the line is where the row starts."""
    name = str(path)
    with _open(path, limited=True) as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = _decode(raw, name, 1, what)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            _fail(f"malformed CSV: {exc}", name, start)
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _delimiter(text: str) -> str:
    """The delimiter the header row uses: ``,`` unless it has more ``;`` (as spreadsheets
    write CSV in many locales, Russian and Kazakh among them) or tabs."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))


def _csv_header(
    path: Path, rows: Iterator[tuple[int, list[str]]], converters: Mapping[str, _Converter],
    facts: Mapping[str, Fact], required: str, extra: str | None, what: str,
) -> list[str]:  # fmt: skip
    name = str(path)
    try:
        lineno, header = next(rows)
    except StopIteration:
        _fail(f"is empty: a {what} file needs a header row naming its columns", name)
    columns = [cell.strip() for cell in header]
    allowed = [*converters, *([extra] if extra else [])]
    seen: set[str] = set()
    for i, col in enumerate(columns, 1):
        if col in seen:
            _fail(f"column '{col}' is given twice", name, lineno, f"column {i}")
        seen.add(col)
        if col not in converters and col != extra:
            if not col:
                _fail("a column has no name", name, lineno, f"column {i}")
            _fail(_unknown_key(col, facts, allowed, "column"), name, lineno, f"column {i}")
    if required not in seen:
        _fail(f"the {what} file needs a column '{required}'", name, lineno)
    return columns


def _csv_record(
    name: str, lineno: int, row: list[str], columns: list[str],
    converters: Mapping[str, _Converter],
) -> dict[str, object]:  # fmt: skip
    if len(row) != len(columns):
        _fail(f"the row has {len(row)} cells but the header names {len(columns)} columns",
              name, lineno)  # fmt: skip
    out: dict[str, object] = {}
    for col, cell in zip(columns, row, strict=True):
        cell = cell.strip()
        if not cell:
            continue
        conv = converters.get(col)
        if conv is None:  # the join column
            out[col] = cell
            continue
        try:
            out[col] = conv(cell)
        except _Bad as exc:
            _fail(exc.message, name, lineno, col)
    return out


def read_csv(
    claims_path: str | os.PathLike[str], events_path: str | os.PathLike[str]
) -> tuple[Claim, ...]:
    """Every claim of a CSV registry: a claims file and an events file joined on ``claim_id``.

    Raises :class:`~kzrehab.errors.RegistryError` naming the file and the line.
    """
    cpath, epath = Path(claims_path), Path(events_path)
    cname, ename = str(cpath), str(epath)

    records: dict[str, dict[str, object]] = {}
    lines: dict[str, int] = {}
    rows = _read_csv_rows(cpath, "CSV")
    columns = _csv_header(cpath, rows, _CLAIM_CSV, CLAIM_FACTS, "id", None, "claims")
    for lineno, row in rows:
        record = _csv_record(cname, lineno, row, columns, _CLAIM_CSV)
        cid = record.get("id")
        if not isinstance(cid, str):
            _fail("the claim has no id", cname, lineno, "id")
        if cid in lines:
            _fail(f"duplicate claim id '{cid}' (first on line {lines[cid]})", cname, lineno, "id")
        lines[cid] = lineno
        records[cid] = record

    events: dict[str, list[tuple[int, Event]]] = {cid: [] for cid in records}
    limit = MAX_EVENTS_PER_CLAIM.value
    rows = _read_csv_rows(epath, "CSV")
    columns = _csv_header(epath, rows, _EVENT_CSV, EVENT_FACTS, "claim_id", "claim_id", "events")
    for lineno, row in rows:
        record = _csv_record(ename, lineno, row, columns, _EVENT_CSV)
        cid = record.pop("claim_id", None)
        if not isinstance(cid, str):
            _fail("the event has no claim_id", ename, lineno, "claim_id")
        mine = events.get(cid)
        if mine is None:
            _fail(
                f"no claim '{cid}' in {cname}{did_you_mean(cid, records)}",
                ename, lineno, "claim_id",
            )  # fmt: skip
        if len(mine) >= limit:
            _fail(MAX_EVENTS_PER_CLAIM.message(f"claim '{cid}' with more events"), ename, lineno)
        event = Event(**record)  # type: ignore[arg-type]
        if event.id is not None:
            for other_line, other in mine:
                if other.id == event.id:
                    _fail(
                        f"duplicate event id '{event.id}' for claim '{cid}' "
                        f"(first on line {other_line})",
                        ename, lineno, "id",
                    )  # fmt: skip
        mine.append((lineno, event))

    return tuple(
        Claim(events=tuple(e for _, e in events[cid]), **record)  # type: ignore[arg-type]
        for cid, record in records.items()
    )


# --- writing ----------------------------------------------------------------------------


def write_jsonl(
    claims: Iterable[Claim],
    path: str | os.PathLike[str],
    *,
    header: PopulationHeader | None = None,
) -> None:
    """Write claims as canonical JSON Lines, atomically.

    The text goes to a temporary file in the same directory, is flushed to disk, then
    replaces ``path`` in one step: readers see the old file or the new one, never half of
    one, and on failure nothing is left behind. With ``header`` — by default the header of
    ``claims`` when it is a :class:`~kzrehab.population.Population` — the first line names
    the population and says whether it is synthetic (:func:`read_jsonl_with_header`); give a
    population's ``.claims`` to write the claims alone.
    """
    if header is None:
        own = getattr(claims, "header", None)
        header = own if isinstance(own, PopulationHeader) else None
    head = [_header_line(header)] if header is not None else []
    write_atomic(path, itertools.chain(head, canonical_lines(claims)))
