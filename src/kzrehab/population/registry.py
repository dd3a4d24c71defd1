"""Registries: claims read from JSON Lines, CSV or Parquet, validated, all or nothing (a
guide with examples: :doc:`/howto/import-registry`).

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

**Parquet** — the two tables of a CSV registry as ``NAME.parquet`` and
``NAME.events.parquet``, with typed columns (:mod:`.parquet_registry`); each cell is
checked as the CSV cell it would be.

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
    "JsonlReader",
    "CsvClaims",
    "CsvEvents",
    "claim_from_dict",
    "claim_to_dict",
    "dumps_claim",
    "read_jsonl",
    "read_jsonl_with_header",
    "read_csv",
    "write_jsonl",
    "header_line",
    "canonical_lines",
]

import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import attrs

from .._io import write_atomic
from .._suggest import did_you_mean
from ..claims import Claim
from ..i18n import _
from ..limits import MAX_EVENTS_PER_CLAIM
from .claim_json import (
    Located,
    Structurer,
    canonical_lines,
    claim_from_dict,
    claim_to_dict,
    dumps_claim,
    encodable,
    show_value,
)
from .csv_registry import CsvClaims, CsvEvents, read_csv
from .reading import decode_line, duplicate_id, fail, lines, open_registry, python_message

T = TypeVar("T")
#: a claim's checked facts and its events' (see :meth:`JsonlReader.records`)
Record = tuple[dict[str, object], list[dict[str, object]]]

_HEADER_KEY = "kzrehab"
_HEADER_KIND = "population"
_HEADER_VERSION = 1


@attrs.frozen
class PopulationHeader:
    """What the optional first line of a JSON Lines file says about its population."""

    name: str
    synthetic: bool



def header_line(header: PopulationHeader) -> str:
    """The first line of a JSON Lines file of a named population (with its newline)."""
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
            raise Located(_("unknown header key '{key}'{hint}").format(
                              key=key, hint=did_you_mean(key, expected)), key)
    if obj[_HEADER_KEY] != _HEADER_KIND:
        raise Located(_("a kzrehab header must say \"kzrehab\": \"{HEADER_KIND}\"").format(
                          HEADER_KIND=_HEADER_KIND), _HEADER_KEY)
    version = obj.get("version")
    if type(version) is not int or version != _HEADER_VERSION:  # true and 1.0 equal 1
        raise Located(
            _("header version {show_value} is not supported "
              "(this kzrehab reads version {HEADER_VERSION})").format(
                show_value=show_value(obj.get('version')), HEADER_VERSION=_HEADER_VERSION),
            "version",
        )
    name, synthetic = obj.get("name"), obj.get("synthetic")
    if type(name) is not str or not name.strip() or not encodable(name):
        raise Located(_("the header's name must be a non-empty string, not {show_value}").format(
                          show_value=show_value(name)),
                       "name")  # fmt: skip
    if type(synthetic) is not bool:
        raise Located(_("the header's synthetic must be true or false, not {show_value}").format(
                          show_value=show_value(synthetic)),
                       "synthetic")  # fmt: skip
    return PopulationHeader(name=name, synthetic=synthetic)


# --- JSON Lines -------------------------------------------------------------------------


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(_("{name} is not valid JSON").format(name=name))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, __ in pairs:
            if key in seen:
                raise ValueError(_("key '{key}' is given twice in one object").format(key=key))
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_reject_constant)
#: for files kzrehab wrote itself: no duplicate keys to look for, and faster without
_TRUSTED_DECODER = json.JSONDecoder(parse_constant=_reject_constant)

_KEY_END = re.compile(r'"\s*:')


def _keys_at_least(text: str) -> int:
    """A number no smaller than the keys of all the objects of a line of JSON: each key
    ends with a quote and a colon (blanks between), and nothing else is counted but a
    quote and colon inside a string."""
    if '" ' in text or '"\t' in text or '"\r' in text:
        return len(_KEY_END.findall(text))
    return text.count('":')


def _keys_of(obj: object) -> int:
    """The keys of a claim and of its events."""
    if type(obj) is not dict:
        return 0
    keys = len(obj)
    events = obj.get("events")
    if type(events) is list:
        keys += sum(len(e) for e in events if type(e) is dict)
    return keys


def _checked(text: str) -> Any:
    """A line of JSON parsed with every object checked for a key given twice.

    The fast way first: parsed without the check, and if the line holds exactly as many
    keys as its claim and events have, no key was given twice. Anything else (an error, a
    key given twice, objects nested elsewhere, a colon quoted in a string) is parsed again
    with the check on every object, which gives the same result and the same error as
    ever.
    """
    try:
        obj = _TRUSTED_DECODER.decode(text)
    except (ValueError, RecursionError):
        pass
    else:
        if _keys_of(obj) == _keys_at_least(text):
            return obj
    return _DECODER.decode(text)


#: what an object stands for while the events of a long line are counted
_AN_OBJECT = object()
_SCALARS = (str, int, float, bool, type(None))


def _counted(text: str, trusted: bool, limit: int) -> dict[str, Any] | None:
    """The claim of a line that has more than ``limit`` events, its events counted but not
    built (each object of the line stands as one placeholder); None when the line is
    anything else, to be parsed in full.

    A line of millions of ``{}`` is then a list of references to one object, not millions of
    dictionaries. The line is parsed by the same scanner, duplicate keys checked the same,
    so any error comes out as a full parse gives it; and the claim's own facts are kept as
    they are, so that they are checked in the same order before the events are counted.
    """
    last: list[list[tuple[str, Any]]] = [[]]

    def hook(pairs: list[tuple[str, Any]]) -> object:
        if not trusted:
            _unique_keys(pairs)
        last[0] = pairs
        return _AN_OBJECT

    result = json.JSONDecoder(object_pairs_hook=hook, parse_constant=_reject_constant).decode(text)
    if result is not _AN_OBJECT:
        return None
    obj = dict(last[0])
    events = obj.get("events")
    if type(events) is not list or len(events) <= limit:
        return None
    if not all(isinstance(v, _SCALARS) for k, v in obj.items() if k != "events"):
        return None
    return obj


class JsonlReader:
    """The claims of a JSON Lines registry, read a line at a time.

    Iterating gives ``(line number, claim)`` and raises
    :class:`~kzrehab.errors.RegistryError` at the first bad line; :attr:`header` is the
    header line's, once the first line has been read. Duplicate claim ids are the caller's
    to find (:func:`read_jsonl_with_header` keeps the ids it has seen; an import of
    millions of claims finds them with :class:`~kzrehab.population.ledger.KeyLedger`).

    A line longer than :data:`~kzrehab.limits.MAX_LINE_BYTES` is refused before it is
    parsed, and a claim with more events than
    :data:`~kzrehab.limits.MAX_EVENTS_PER_CLAIM` before its events are built.
    ``limited=False`` lifts the limits on the file's size and lines, for files kzrehab wrote
    itself.
    """

    def __init__(self, path: str | os.PathLike[str], *, limited: bool = True) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.limited = limited
        #: what the header line says, if the file has one (known once iteration has begun)
        self.header: PopulationHeader | None = None

    def __repr__(self) -> str:
        return f"<JsonlReader {self.name}>"

    def __iter__(self) -> Iterator[tuple[int, Claim]]:
        return self._structured(Structurer().claim)

    def records(self) -> Iterator[tuple[int, Record]]:
        """``(line number, (claim facts, [event facts, …]))``: every claim checked as
        iterating checks it, its facts as mappings (no objects are built)."""
        return self._structured(Structurer().record)

    def _structured(self, structure: Callable[[object], T]) -> Iterator[tuple[int, T]]:
        with open_registry(self.path, self.limited) as f:
            yield from self.structured_lines(lines(f, self.name, self.limited), structure)

    def structured_lines(self, items: Iterable[tuple[int, bytes]],
                         structure: Callable[[object], T],
                         first: bool = True) -> Iterator[tuple[int, T]]:  # fmt: skip
        """``(line number, structure(object))`` of the lines ``items`` (numbered, as
        :func:`~kzrehab.population.reading.lines` gives them), each checked as iterating
        checks it; ``first``: the first line that is not blank may be the header."""
        name = self.name
        trusted = not self.limited
        decode = _TRUSTED_DECODER.decode if trusted else _checked
        events_limit = MAX_EVENTS_PER_CLAIM.value
        for lineno, raw in items:
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            text = decode_line(raw, name, lineno, "JSON Lines")
            if not text.strip():
                continue
            try:
                obj = None
                if text.count("{") > events_limit + 1:
                    obj = _counted(text, trusted, events_limit)
                if obj is None:
                    obj = decode(text)
            except json.JSONDecodeError as exc:
                fail(_("invalid JSON: {msg}").format(msg=python_message(exc.msg)), name, lineno,
                     column=exc.colno)
            except RecursionError:
                fail(_("invalid JSON: nested too deeply"), name, lineno)
            except ValueError as exc:
                fail(_("invalid JSON: {exc}").format(exc=exc), name, lineno)
            try:
                if first and type(obj) is dict and _HEADER_KEY in obj:
                    self.header = _header_from_json(obj)
                    first = False
                    continue
                first = False
                item = structure(obj)
            except Located as exc:
                fail(exc.message, name, lineno, exc.key)
            yield lineno, item


def read_jsonl(path: str | os.PathLike[str]) -> tuple[Claim, ...]:
    """Every claim of a JSON Lines registry, or :class:`~kzrehab.errors.RegistryError`."""
    return read_jsonl_with_header(path)[0]


def read_jsonl_with_header(
    path: str | os.PathLike[str], *, limited: bool = True
) -> tuple[tuple[Claim, ...], PopulationHeader | None]:
    """The claims of a JSON Lines registry and its header line, if it has one.

    ``limited=False`` lifts :data:`~kzrehab.limits.MAX_REGISTRY_BYTES` and
    :data:`~kzrehab.limits.MAX_LINE_BYTES`, for files kzrehab wrote itself.
    """
    reader = JsonlReader(path, limited=limited)
    claims: list[Claim] = []
    first_line: dict[str, int] = {}
    for lineno, claim in reader:
        seen = first_line.setdefault(claim.id, lineno)
        if seen != lineno:
            duplicate_id(claim.id, seen, reader.name, lineno)
        claims.append(claim)
    return tuple(claims), reader.header


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
    population's ``.claims`` to write the claims alone. A stored population is written as
    it is read, a chunk of claims at a time.
    """
    if header is None:
        own = getattr(claims, "header", None)
        header = own if isinstance(own, PopulationHeader) else None
    head = [header_line(header)] if header is not None else []
    write_atomic(path, itertools.chain(head, canonical_lines(claims)))
