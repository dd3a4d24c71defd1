"""JSON Lines claims checked and encoded a chunk at a time, a whole column at a time.

An import (:mod:`.importer`) reads a registry's lines a chunk at a time
(:func:`raw_chunks`: the bytes of consecutive lines, with the limits on a line's length
applied while reading) and gives each chunk to :func:`encode_chunk`, in this process or in
a worker process (``--jobs``). :func:`encode_chunk` decodes each line with msgspec straight
into a structure of typed fields built from the vocabulary (a boolean, an integer, a string,
an enum's or a country's values, or null; no other key), so that types and enum values
are checked in C, without a dictionary a claim; then it checks and encodes the rest a
column at a time (the distinct values of a text fact once each, each distinct date parsed
once a process) into the store's columns (:class:`Encoded`), which
:meth:`~kzrehab.population.writer.StoreWriter.add_encoded` appends in the chunks' order.

**A fast way and the exact way.** :func:`encode_chunk` accepts a chunk only when every
check passes; at the first thing it does not accept — a value that does not fit its fact,
a key given twice, an unknown key, a line that is not UTF-8, a claim with more events than
the limit, anything unusual — it gives the chunk back, and the importer reads that chunk
again a line at a time with :class:`~kzrehab.population.registry.JsonlReader`'s checks.
So every message, line and key is the one of reading the registry line by line, and the
columns of a chunk are the same whichever way it went (the writer codes both alike).
msgspec keeps the last of a key given twice where the standard decoder of the exact way
refuses it: a chunk is accepted only when its keys are as many as its text's quote-colon
pairs, which a key given twice would outnumber.
"""

from __future__ import annotations

__all__ = ["RawChunk", "Encoded", "Keys", "raw_chunks", "encode_chunk"]

import datetime as dt
import functools
import gc
import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs
import msgspec
import numpy as np
import numpy.typing as npt

from ..errors import RegistryError
from ..limits import MAX_EVENTS_PER_CLAIM
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind, is_country_code
from .claim_json import _date, encodable
from .columns import OWN_TABLES, Ranges
from .reading import lines, open_registry
from .registry import (
    _HEADER_KEY,
    _TRUSTED_DECODER,
    JsonlReader,
    PopulationHeader,
    _checked,
    _header_from_json,
)
from .tables import id_keys

#: a chunk also ends when its lines hold this many bytes (a chunk of long lines stays small)
CHUNK_BYTES = 1 << 24
#: and when they hold this many ``{`` (objects): a claim's events become structures, then
#: tuples and columns, some 600 bytes an object in all, where ``{}`` takes 3 bytes of a line
CHUNK_OBJECTS = 1 << 16

_MAX_INT = 2**53
_CLAIM = [(n, f) for n, f in CLAIM_FACTS.items() if n not in OWN_TABLES]
_EVENT = [(n, f) for n, f in EVENT_FACTS.items() if not f.derived]
_BOM = b"\xef\xbb\xbf"
#: what makes :func:`~kzrehab.population.registry._keys_at_least` count with its pattern
#: (one search of the chunk is faster than three of ``in``)
_QUOTE_BLANK = re.compile(b'"[ \t\r]')
#: what ends a key: a quote, blanks and a colon (the blanks JSON allows)
_KEY_END = re.compile(rb'"[ \t\r\n]*:')


@attrs.frozen
class RawChunk:
    """The bytes of consecutive lines of a registry, their ends kept."""

    #: the number of the first line
    first_line: int
    lines: list[bytes]
    #: no line before these was a claim: the first of them that is not blank may be the
    #: header
    may_head: bool
    #: the file is one kzrehab wrote itself (:class:`JsonlReader`'s ``limited=False``)
    trusted: bool
    #: :data:`~kzrehab.limits.MAX_EVENTS_PER_CLAIM` as the importing process reads it (a
    #: worker made by an earlier import may hold another value of its variable)
    events_limit: int


@attrs.frozen
class Keys:
    """Strings as a ledger records them: their UTF-8 bytes end to end, where each ends,
    and each one's index key (:func:`~kzrehab.population.tables.id_key`)."""

    blob: bytes
    ends: npt.NDArray[np.int64]
    keys: npt.NDArray[np.uint64]

    @classmethod
    def of(cls, raws: list[bytes]) -> Keys:
        """The keys of strings' UTF-8 bytes."""
        ends = np.cumsum(np.fromiter(map(len, raws), np.int64, len(raws)))
        return cls(b"".join(raws), ends, id_keys(raws, len(raws)))


@attrs.frozen
class Encoded:
    """A chunk of claims as the store's columns: text facts coded into a table of the chunk's
    own (``tables``, values in the order first met), which the writer maps to its own."""

    #: the line of each claim
    lines: npt.NDArray[np.int64]
    #: the header, when the chunk began with it
    header: PopulationHeader | None
    ids: Keys
    victims: Keys
    #: claim facts but ``id`` and ``victim_id``, encoded as in
    #: :mod:`~kzrehab.population.columns`
    claim: dict[str, Any]
    #: the number of events of each claim
    counts: npt.NDArray[np.int64]
    #: event facts, ``year`` and ``months`` included
    event: dict[str, Any]
    #: ``"claim.NAME"`` or ``"event.NAME"`` → the chunk's own table of a text fact
    tables: dict[str, list[str]]

    @property
    def n_claims(self) -> int:
        return len(self.lines)

    @property
    def n_events(self) -> int:
        return int(self.counts.sum())


def raw_chunks(reader: JsonlReader, size: int) -> Iterator[RawChunk]:
    """The lines of a JSON Lines registry, ``size`` lines (or :data:`CHUNK_BYTES`, or
    :data:`CHUNK_OBJECTS`) at a time.

    A line too long is refused as :func:`~kzrehab.population.reading.lines` refuses it, but
    only once the lines before it have been given: their problems come first.
    """
    name, limited = reader.name, reader.limited
    events_limit = MAX_EVENTS_PER_CLAIM.value
    may_head = True
    with open_registry(reader.path, limited) as f:
        part: list[bytes] = []
        first, held, objects = 1, 0, 0
        try:
            for lineno, raw in lines(f, name, limited):
                part.append(raw)
                held += len(raw)
                objects += raw.count(b"{")
                if len(part) >= size or held >= CHUNK_BYTES or objects >= CHUNK_OBJECTS:
                    yield RawChunk(first, part, may_head, not limited, events_limit)
                    may_head = may_head and not any(map(_filled, _unmarked(first, part)))
                    first, part, held, objects = lineno + 1, [], 0, 0
        except RegistryError:
            if part:
                yield RawChunk(first, part, may_head, not limited, events_limit)
            raise
        if part:
            yield RawChunk(first, part, may_head, not limited, events_limit)


def _unmarked(first_line: int, raws: list[bytes]) -> list[bytes]:
    """The lines without the byte order mark that may begin the file's first."""
    if first_line == 1 and raws and raws[0].startswith(_BOM):
        return [raws[0][len(_BOM):], *raws[1:]]
    return raws


def _filled(raw: bytes) -> bool:
    """True when a line is not blank (as reading its text finds it)."""
    return bool(raw.decode("utf-8", "replace").strip())


def encode_chunk(chunk: RawChunk) -> Encoded | RawChunk:
    """The columns of a chunk of lines, every value checked; the chunk itself when anything
    is not as the fast way accepts it (the importer then reads it line by line)."""
    enabled = gc.isenabled()
    gc.disable()  # the chunk's objects hold no cycles: collecting would only cost time
    try:
        encoded = _encode(chunk)
    except Exception:  # whatever it is, the exact way reports it (or reads the chunk)
        encoded = None
    finally:
        if enabled:
            gc.enable()
    return chunk if encoded is None else encoded


def _encode(chunk: RawChunk) -> Encoded | None:
    raws = _unmarked(chunk.first_line, chunk.lines)
    blob = b"".join(raws)
    if b"\x00" in blob:
        return None
    numbers: Sequence[int] = range(chunk.first_line, chunk.first_line + len(raws))
    # blank lines are skipped (ASCII blanks: blank to the exact way too, which strips more)
    if any(map(bytes.isspace, raws)):
        kept = [i for i, r in enumerate(raws) if not r.isspace()]
        raws = [raws[i] for i in kept]
        numbers = [numbers[i] for i in kept]
    limit = chunk.events_limit
    # more than ``limit`` events take more than twice as many bytes
    if any(r.count(b"{") > limit + 1 for r in raws if len(r) > 2 * limit):
        return None  # a claim that may hold too many events is counted the exact way
    keys_bound = _keys_bound(blob)
    del blob
    header = None
    if chunk.may_head and raws:
        first = _TRUSTED_DECODER.decode(raws[0].decode("utf-8"))
        if type(first) is dict and _HEADER_KEY in first:
            header = _header_from_json(_checked(raws[0].decode("utf-8")))
            keys_bound -= len(first)
            raws, numbers = raws[1:], numbers[1:]
    n = len(raws)
    cols = _transposed(list(map(_decoder().decode, raws)), len(_CLAIM_FIELDS))
    keys = _given(cols, _CLAIM_ABSENT)
    given = dict(zip(_CLAIM_FIELDS, cols, strict=True))
    ids = given["id"]
    if None in ids or _ABSENT in ids or not _good_strings(ids):
        return None  # (msgspec gave a string or null for each id)
    victims = [i if v is None or v is _ABSENT else v
               for v, i in zip(given["victim_id"], ids, strict=True)]  # fmt: skip
    if not _good_strings([v for v, i in zip(victims, ids, strict=True) if v is not i]):
        return None
    tables: dict[str, list[str]] = {}
    if _DAYS[0].size > 1 << 16:  # bounded: a registry of many distinct days
        _DAYS[0] = _Days()
    days = _DAYS[0]
    claim = {}
    for name, fact in _CLAIM:
        col = _encoded(fact, given[name], tables, f"claim.{name}")
        if col is None:
            return None
        claim[name] = days.ranges(col) if fact.kind is FactKind.DATE else col
    lists = [e or () for e in given["events"]]
    counts = np.fromiter(map(len, lists), np.int64, n)
    if n and int(counts.max()) > limit:
        return None
    events = list(itertools.chain.from_iterable(lists))
    del cols, given, lists
    cols = _transposed(events, len(_EVENT_FIELDS))
    del events
    if keys + _given(cols, _EVENT_ABSENT) != keys_bound:
        return None  # perhaps a key given twice: the exact way looks
    given = dict(zip(_EVENT_FIELDS, cols, strict=True))
    if not _event_ids_ok(given["id"], counts):
        return None
    event = {}
    for name, fact in _EVENT:
        col = _encoded(fact, given[name], tables, f"event.{name}")
        if col is None:
            return None
        event[name] = col
    event["year"], event["months"] = days.derived(event["start"], event["end"])
    for name in _EVENT_DATES:
        event[name] = days.ranges(event[name])
    return Encoded(np.array(numbers, np.int64), header, *_keys(ids, victims),
                   claim, counts, event, tables)  # fmt: skip


def _keys_bound(blob: bytes) -> int:
    """A number no smaller than the keys of the objects of JSON text: each key ends with a
    quote and a colon, blanks between (counted with a pattern when a quote is followed by a
    blank, else as the quote-colon pairs, a whole chunk at a time by NumPy); a quote and
    colon inside a string count too. Met, it shows no key given twice."""
    text = np.frombuffer(blob, np.uint8)
    quote = text[:-1] == 34  # '"'
    after = text[1:]
    if (quote & ((after == 32) | (after == 9) | (after == 13))).any():  # ' ', '\t', '\r'
        return len(_KEY_END.findall(blob))
    return int(np.count_nonzero(quote & (after == 58)))  # ':'


#: what a fact not given at all is, told apart from null, so that each key given is
#: counted: msgspec's UNSET; for an integer fact a float, which no JSON integer decodes to
#: (and which NumPy takes as a number)
_ABSENT = msgspec.UNSET
_NO_INT = 0.5
_CLAIM_FIELDS = (*(n for n, f in CLAIM_FACTS.items() if not f.derived), "events")
_EVENT_FIELDS = (*(n for n, f in EVENT_FACTS.items() if not f.derived), "id")


def _absent(names: Sequence[str], facts: Mapping[str, Fact]) -> tuple[object, ...]:
    kinds = [facts[n].kind if n in facts else None for n in names]
    return tuple(_NO_INT if kind is FactKind.INT else _ABSENT for kind in kinds)


_CLAIM_ABSENT = _absent(_CLAIM_FIELDS, CLAIM_FACTS)
_EVENT_ABSENT = _absent(_EVENT_FIELDS, EVENT_FACTS)
_EVENT_DATES = [n for n, f in _EVENT if f.kind is FactKind.DATE]
_PYTHON_TYPE: dict[FactKind, Any] = {FactKind.BOOL: bool, FactKind.INT: int}


@functools.cache
def _decoder() -> msgspec.json.Decoder[Any]:
    """msgspec's decoder of a claim's line into a structure of the claim's facts and a
    list of its events': every fact a field of its JSON type or null (a string for a
    text or a date fact, checked after), and no other key (made once per process)."""

    def fields(names: Sequence[str], facts: Mapping[str, Fact],
               absent: tuple[object, ...]) -> list[tuple[str, Any, Any]]:  # fmt: skip
        return [(n, _json_type(facts[n]) | None, a)
                for n, a in zip(names[:-1], absent, strict=False)]  # fmt: skip

    event = msgspec.defstruct(
        "Event", [*fields(_EVENT_FIELDS, EVENT_FACTS, _EVENT_ABSENT), ("id", str | None, _ABSENT)],
        forbid_unknown_fields=True, gc=False)  # fmt: skip
    claim = msgspec.defstruct(
        "Claim", [*fields(_CLAIM_FIELDS, CLAIM_FACTS, _CLAIM_ABSENT),
                  ("events", list[event] | None, _ABSENT)],  # type: ignore[valid-type]
        forbid_unknown_fields=True, gc=False)  # fmt: skip
    return msgspec.json.Decoder(claim)


def _json_type(fact: Fact) -> Any:
    """The type msgspec checks a fact's value against (null aside): an enum's or a
    country's values, each a string it gives as the same object every time."""
    if fact.name in _CLOSED:
        return Literal[_CLOSED[fact.name]]
    return _PYTHON_TYPE.get(fact.kind, str)


def _transposed(objs: list[Any], width: int) -> list[tuple[Any, ...]]:
    """The fields of decoded structures as columns, each a tuple of one value an object."""
    if not objs:
        return [()] * width
    return list(zip(*map(msgspec.structs.astuple, objs), strict=True))


def _given(cols: list[tuple[Any, ...]], absent: tuple[object, ...]) -> int:
    """The number of keys the objects of these columns were given (``absent``: what each
    column holds where its key was not)."""
    return sum(len(col) - col.count(a) for col, a in zip(cols, absent, strict=True))


def _keys(ids: Sequence[str], victims: list[str]) -> tuple[Keys, Keys]:
    """The ledger keys of the claim ids and of the victim ids (a claim's own id when it
    names no victim: its key is not computed twice)."""
    raws = list(map(str.encode, ids))
    own = Keys.of(raws)
    other = [i for i, (v, c) in enumerate(zip(victims, ids, strict=True)) if v is not c]
    if not other:
        return own, own
    for i in other:
        raws[i] = victims[i].encode()
    keys = own.keys.copy()
    keys[other] = id_keys([raws[i] for i in other], len(other))
    ends = np.cumsum(np.fromiter(map(len, raws), np.int64, len(raws)))
    return own, Keys(b"".join(raws), ends, keys)


def _good_strings(values: Sequence[str]) -> bool:
    """True when every string is a good ``str`` fact: not blank, and UTF-8."""
    return ("" not in values and not any(map(str.isspace, values))
            and (all(map(str.isascii, values)) or all(map(encodable, values))))  # fmt: skip


def _event_ids_ok(eids: tuple[Any, ...], counts: npt.NDArray[np.int64]) -> bool:
    """True when every event id given is a good string and no claim gives one twice."""
    at = [i for i, e in enumerate(eids) if e is not None and e is not _ABSENT]
    if not at:
        return True
    claims = np.repeat(np.arange(len(counts)), counts)[at].tolist()
    pairs = [(c, eids[i]) for c, i in zip(claims, at, strict=True)]
    return _good_strings([e for _, e in pairs]) and len(set(pairs)) == len(pairs)


#: a boolean's code; a fact not given is unknown, as null is
_BOOL_CODE = {True: 2, False: 0, None: 1, _ABSENT: 1}


def _encoded(fact: Fact, col: tuple[Any, ...], tables: dict[str, list[str]],
             array: str) -> Any:  # fmt: skip
    """One fact's column from its values as msgspec decoded them (null or not given:
    unknown), encoded as :mod:`~kzrehab.population.columns` encodes it, a text fact's
    codes into the chunk's own table of its values in the order first met, put in
    ``tables[array]``; a date fact's numbers of its texts (:class:`_Days`); None when a
    value does not fit."""
    kind = fact.kind
    n = len(col)
    if kind is FactKind.BOOL:
        return np.frombuffer(bytes(map(_BOOL_CODE.__getitem__, col)), np.int8)
    if kind is FactKind.INT:
        arr = np.array(col, np.float64)  # OverflowError: the exact way says it
        unknown = np.isnan(arr) | (arr == _NO_INT)  # null is NaN
        known = arr[~unknown]
        # below 2**53 as floats, the integers were within it: no rounding let one through
        if len(known) and not (np.abs(known).max() < _MAX_INT and known.min() >= fact.minimum):
            return None
        return np.where(unknown, fact.minimum, arr), np.where(unknown, math.inf, arr)
    if kind is FactKind.DATE:
        return _DAYS[0].codes(col)
    distinct = dict.fromkeys(col)  # in the order first met
    distinct.pop(None, None)
    distinct.pop(_ABSENT, None)
    values = list(distinct)
    allowed = _ALLOWED.get(fact.name)
    if not (_good_strings(values) if allowed is None else allowed.issuperset(values)):
        return None
    codes: dict[Any, int] = dict(zip(values, range(len(values)), strict=True))
    codes[None] = codes[_ABSENT] = -1
    tables[array] = values
    return np.fromiter(map(codes.__getitem__, col), np.int32, n)


def _closed(fact: Fact) -> tuple[str, ...]:
    """Every value of an enum or a country fact."""
    if fact.kind is FactKind.ENUM:
        return tuple(fact.values)
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    allowed = tuple(a + b for a in letters for b in letters)
    assert all(map(is_country_code, allowed))
    return allowed


_CLOSED = {name: _closed(fact) for name, fact in (*_CLAIM, *_EVENT)
           if fact.kind in (FactKind.ENUM, FactKind.COUNTRY)}  # fmt: skip
_ALLOWED = {name: frozenset(values) for name, values in _CLOSED.items()}


class _Days:
    """The date texts met so far in this process, numbered (0: unknown), with their day
    ranges and the year, month and day each range begins and ends on."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {None: 0, _ABSENT: 0}
        self.size = 1
        #: by number: the first and the last day (ordinals), then the year, month and day
        #: of each (0 for the unknown date); a table grown by doubling
        self.table = np.zeros((8, 1 << 10), np.float64)
        self.table[0, 0], self.table[1, 0] = -math.inf, math.inf

    def codes(self, col: tuple[Any, ...]) -> npt.NDArray[np.int32]:
        """The number of each text of a column (null or not given: 0)."""
        index = self.index
        k = len(col)
        coded = np.fromiter(map(index.get, col, itertools.repeat(-1)), np.int32, k)
        missing = np.flatnonzero(coded < 0)
        if len(missing):
            self._add(list(dict.fromkeys(col[i] for i in missing.tolist())))
            coded = np.fromiter(map(index.__getitem__, col), np.int32, k)
        return coded

    def _add(self, texts: list[str]) -> None:
        rows = []
        for text in texts:
            lo, hi = _date(text).ordinals  # ValueError: the exact way says it
            first, last = dt.date.fromordinal(int(lo)), dt.date.fromordinal(int(hi))
            rows.append((lo, hi, first.year, first.month, first.day,
                         last.year, last.month, last.day))  # fmt: skip
        start, end = self.size, self.size + len(rows)
        if end > self.table.shape[1]:
            grown = np.zeros((8, max(end, 2 * self.table.shape[1])), np.float64)
            grown[:, :start] = self.table[:, :start]
            self.table = grown
        self.table[:, start:end] = np.array(rows, np.float64).T
        self.index.update(zip(texts, range(start, end), strict=True))
        self.size = end

    def ranges(self, codes: npt.NDArray[np.int32]) -> Ranges:
        """The day ranges of numbered texts."""
        return self.table[0][codes], self.table[1][codes]

    def derived(self, start: npt.NDArray[np.int32], end: npt.NDArray[np.int32]) -> Any:
        """The ``year`` and the ``months`` ranges of events from their numbered ``start``
        and ``end`` texts, as :mod:`~kzrehab.population.columns` computes them from the
        day ranges (:func:`~kzrehab.population.columns._years` and ``_months``)."""
        y0, m0, d0, y1, m1, d1 = self.table[2:]
        known = start > 0
        year = (np.where(known, y0[start], -math.inf), np.where(known, y1[start], math.inf))
        known &= end > 0
        # whole months from the last day of start to the first of end, and from the first
        # of start to the last of end (never below 0)
        low = (y0[end] - y1[start]) * 12 + (m0[end] - m1[start]) - (d0[end] < d1[start])
        high = (y1[end] - y0[start]) * 12 + (m1[end] - m0[start]) - (d1[end] < d0[start])
        months = (np.where(known, np.maximum(low, 0), 0.0),
                  np.where(known, np.maximum(high, 0), math.inf))  # fmt: skip
        return year, months


_DAYS = [_Days()]
