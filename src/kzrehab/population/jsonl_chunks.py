"""JSON Lines claims checked and encoded a chunk at a time, a whole column at a time.

An import (:mod:`.importer`) reads a registry's lines a chunk at a time
(:func:`raw_chunks`: the bytes of consecutive lines, with the limits on a line's length
applied while reading) and gives each chunk to :func:`encode_chunk`, in this process or in
a worker process (``--jobs``). :func:`encode_chunk` decodes the chunk's lines with the
standard :mod:`json` decoder, checks each fact's values against the vocabulary a column at
a time (the types of a column in one set, its distinct values checked once each), and
encodes them into the store's columns (:class:`Encoded`), which
:meth:`~kzrehab.population.writer.StoreWriter.add_encoded` appends in the chunks' order.

**A fast way and the exact way.** :func:`encode_chunk` accepts a chunk only when every
check passes; at the first thing it does not accept — a value that does not fit its fact,
a key given twice, an unknown key, a line that is not UTF-8, a claim with more events than
the limit, anything unusual — it gives the chunk back, and the importer reads that chunk
again a line at a time with :class:`~kzrehab.population.registry.JsonlReader`'s checks.
So every message, line and key is the one of reading the registry line by line, and the
columns of a chunk are the same whichever way it went (the writer codes both alike).
"""

from __future__ import annotations

__all__ = ["RawChunk", "Encoded", "Keys", "raw_chunks", "encode_chunk"]

import gc
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import RegistryError
from ..limits import MAX_EVENTS_PER_CLAIM
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind, is_country_code
from .claim_json import _CLAIM_TABLE, _EVENT_TABLE, _date, encodable
from .columns import OWN_TABLES, _months, _years
from .reading import lines, open_registry
from .registry import (
    _HEADER_KEY,
    _TRUSTED_DECODER,
    JsonlReader,
    PopulationHeader,
    _header_from_json,
    _keys_at_least,
)
from .tables import id_keys

#: a chunk also ends when its lines hold this many bytes (a chunk of long lines stays small)
CHUNK_BYTES = 1 << 24

_MAX_INT = 2**53
_NONE = type(None)
_CLAIM = [(n, f) for n, f in CLAIM_FACTS.items() if n not in OWN_TABLES]
_EVENT = [(n, f) for n, f in EVENT_FACTS.items() if not f.derived]
_CLAIM_INDEX = {name: i for i, name in enumerate(_CLAIM_TABLE)}
_EVENT_INDEX = {name: i for i, name in enumerate(_EVENT_TABLE)}
_BOM = b"\xef\xbb\xbf"
#: what makes :func:`~kzrehab.population.registry._keys_at_least` count with its pattern
#: (one search of the chunk is faster than three of ``in``)
_QUOTE_BLANK = re.compile('"[ \t\r]')
_BOOL_CODE = {True: 2, False: 0, None: 1}


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
    """The lines of a JSON Lines registry, ``size`` lines (or :data:`CHUNK_BYTES`) at a time.

    A line too long is refused as :func:`~kzrehab.population.reading.lines` refuses it, but
    only once the lines before it have been given: their problems come first.
    """
    name, limited = reader.name, reader.limited
    may_head = True
    with open_registry(reader.path, limited) as f:
        part: list[bytes] = []
        first, held = 1, 0
        try:
            for lineno, raw in lines(f, name, limited):
                part.append(raw)
                held += len(raw)
                if len(part) >= size or held >= CHUNK_BYTES:
                    yield RawChunk(first, part, may_head, not limited)
                    may_head = may_head and not any(map(_filled, _unmarked(first, part)))
                    first, part, held = lineno + 1, [], 0
        except RegistryError:
            if part:
                yield RawChunk(first, part, may_head, not limited)
            raise
        if part:
            yield RawChunk(first, part, may_head, not limited)


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
    blob = b"".join(_unmarked(chunk.first_line, chunk.lines))
    if b"\x00" in blob:
        return None
    text = blob.decode("utf-8")  # UnicodeDecodeError: the exact way says where
    del blob
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    if len(parts) != len(chunk.lines):
        return None
    numbers: Sequence[int] = range(chunk.first_line, chunk.first_line + len(parts))
    if not all(map(str.strip, parts)):  # blank lines are skipped
        kept = [i for i, p in enumerate(parts) if p.strip()]
        parts = [parts[i] for i in kept]
        numbers = [numbers[i] for i in kept]
    limit = MAX_EVENTS_PER_CLAIM.value
    if any(p.count("{") > limit + 1 for p in parts if len(p) > limit):
        return None  # a claim that may hold too many events is counted the exact way
    # no more keys than the text's '":' (a bound that, met, shows no key given twice)
    blanks = _QUOTE_BLANK.search(text)
    keys_bound = sum(map(_keys_at_least, parts)) if blanks else text.count('":')
    del text
    objs = _decoded(parts)
    if objs is None:
        return None
    header = None
    if chunk.may_head and objs and type(objs[0]) is dict and _HEADER_KEY in objs[0]:
        header = _header_from_json(objs[0])
        keys_bound -= _keys_at_least(parts[0])
        objs, numbers = objs[1:], numbers[1:]
    del parts
    if set(map(type, objs)) - {dict}:
        return None
    n = len(objs)
    cols, keys = _columns(objs, _CLAIM_INDEX)
    del objs
    if cols is None:
        return None
    ids, rows = cols.get("id", ([], _NO_ROWS))
    if len(ids) != n or set(map(type, ids)) - {str} or not _good_strings(ids):
        return None  # (a dictionary has a key once: n ids are one a claim)
    victims = list(ids)
    given, rows = cols.get("victim_id", ([], _NO_ROWS))
    if set(map(type, given)) - {str, _NONE} or not _good_strings(
            [v for v in given if v is not None]):  # fmt: skip
        return None
    for victim, row in zip(given, rows.tolist(), strict=True):
        if victim is not None:
            victims[row] = victim
    tables: dict[str, list[str]] = {}
    claim = {}
    for name, fact in _CLAIM:
        col = _encoded(fact, cols.get(name), n, tables, f"claim.{name}")
        if col is None:
            return None
        claim[name] = col
    listed, rows = cols.pop("events", ([], _NO_ROWS))
    if set(map(type, listed)) - {list, _NONE}:
        return None
    lists = [e or () for e in listed]
    counts = np.zeros(n, np.int64)
    counts[rows] = np.fromiter(map(len, lists), np.int64, len(lists))
    if n and int(counts.max()) > limit:
        return None
    events = list(itertools.chain.from_iterable(lists))
    del cols, listed, lists
    if set(map(type, events)) - {dict}:
        return None
    m = len(events)
    cols, event_keys = _columns(events, _EVENT_INDEX)
    del events
    if cols is None or keys + event_keys != keys_bound:
        return None  # an unknown key; or perhaps a key given twice: the exact way looks
    if "id" in cols and not _event_ids_ok(*cols["id"], counts):
        return None
    event = {}
    for name, fact in _EVENT:
        col = _encoded(fact, cols.get(name), m, tables, f"event.{name}")
        if col is None:
            return None
        event[name] = col
    (start_lo, start_hi), (end_lo, end_hi) = event["start"], event["end"]
    event["year"] = (_years(start_lo), _years(start_hi))
    event["months"] = _months(start_lo, start_hi, end_lo, end_hi)
    return Encoded(np.array(numbers, np.int64), header, *_keys(ids, victims),
                   claim, counts, event, tables)  # fmt: skip


def _decoded(parts: list[str]) -> list[Any] | None:
    """The JSON value of each line, by the decoder's scanner itself (as ``decode`` calls
    it, without a Python call a line); None unless each line is one value and blanks."""
    scan = _TRUSTED_DECODER.scan_once  # type: ignore[attr-defined]
    found = list(map(scan, parts, itertools.repeat(0)))
    if len(found) != len(parts):  # a StopIteration (no value at 0) ends map quietly
        return None
    if not found:
        return []
    objs, ends = zip(*found, strict=True)
    if list(ends) != list(map(len, parts)):  # something after the value: blanks only?
        for end, part in zip(ends, parts, strict=True):
            if part[end:].strip(" \t\r\n"):
                return None
    return list(objs)


_NO_ROWS = np.zeros(0, np.int64)
#: what :func:`_columns` gives of a fact: the values given (null included), and the row
#: of the object each came from, in order
Given = tuple[list[Any], npt.NDArray[np.int64]]


def _columns(objs: list[dict[str, Any]],
             index: dict[str, int]) -> tuple[dict[str, Given] | None, int]:  # fmt: skip
    """The values of each key of the objects, with the row each came from, and the number of
    keys; None when a key is not in ``index`` (the names it numbers). The objects' items are
    read in order, once (reading each object once, in order, is the fast way to read them);
    then grouped by key."""
    keys = list(itertools.chain.from_iterable(objs))
    codes = np.fromiter(map(index.get, keys, itertools.repeat(-1)), np.int8, len(keys))
    if len(codes) and int(codes.min()) < 0:
        return None, len(keys)
    values = list(itertools.chain.from_iterable(map(dict.values, objs)))
    rows = np.repeat(np.arange(len(objs), dtype=np.int64),
                     np.fromiter(map(len, objs), np.int64, len(objs)))  # fmt: skip
    order = np.argsort(codes, kind="stable")  # by key, each key's rows in order
    ends = np.cumsum(np.bincount(codes, minlength=len(index))).tolist()
    values = list(map(values.__getitem__, order.tolist()))
    rows = rows[order]
    out = {}
    start = 0
    for name, end in zip(index, ends, strict=True):
        if end > start:
            out[name] = (values[start:end], rows[start:end])
        start = end
    return out, len(keys)


def _keys(ids: list[str], victims: list[str]) -> tuple[Keys, Keys]:
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


def _event_ids_ok(eids: list[Any], rows: npt.NDArray[np.int64],
                  counts: npt.NDArray[np.int64]) -> bool:  # fmt: skip
    """True when every event id is a good string and no claim gives one twice."""
    if set(map(type, eids)) - {str, _NONE}:
        return False
    claims = np.repeat(np.arange(len(counts)), counts)[rows].tolist()
    pairs = [(c, e) for c, e in zip(claims, eids, strict=True) if e is not None]
    return _good_strings([e for _, e in pairs]) and len(set(pairs)) == len(pairs)


def _encoded(fact: Fact, given: Given | None, n: int, tables: dict[str, list[str]],
             array: str) -> Any:  # fmt: skip
    """One fact's column of ``n`` rows, from the values given and their rows (None: no
    value given), encoded as :mod:`~kzrehab.population.columns` encodes it, a text fact's
    codes into the chunk's own table, put in ``tables[array]``; None when a value does not
    fit."""
    kind = fact.kind
    if given is None:
        return _unknown(fact, n, tables, array)
    col, rows = given
    k = len(col)
    if kind is FactKind.BOOL:
        # by identity: 1 == True, but only true, false and null are booleans here
        ids = np.fromiter(map(id, col), np.intp, k)
        true, false = ids == id(True), ids == id(False)
        if not (true | false | (ids == id(None))).all():
            return None
        out = np.ones(n, np.int8)
        out[rows] = np.where(true, np.int8(2), np.where(false, np.int8(0), np.int8(1)))
        return out
    if kind is FactKind.INT:
        if set(map(type, col)) - {int, _NONE}:
            return None
        arr = np.array(col, np.float64)  # None is NaN; OverflowError: the exact way
        unknown = np.isnan(arr)
        known = arr[~unknown]
        # below 2**53 as floats, the integers were within it: no rounding let one through
        if len(known) and not (np.abs(known).max() < _MAX_INT and known.min() >= fact.minimum):
            return None
        lo, hi = np.full(n, fact.minimum), np.full(n, math.inf)
        lo[rows] = np.where(unknown, fact.minimum, arr)
        hi[rows] = np.where(unknown, math.inf, arr)
        return lo, hi
    if kind is FactKind.DATE:
        return _dates(col, rows, n)
    closed = _CLOSED.get(fact.name)
    if closed is not None:  # every value it may take is known: coded in one pass
        index, allowed = closed
        full = np.full(n, len(allowed), np.int32)
        full[rows] = np.fromiter(map(index.get, col, itertools.repeat(-1)), np.int32, k)
        if (full < 0).any():  # not one of its values (only a str equals a str)
            return None
        return _first_met(full, allowed, tables, array)
    distinct = dict.fromkeys(col)  # in the order first met; only a str equals a str
    if set(map(type, distinct)) - {str, _NONE}:
        return None
    distinct.pop(None, None)
    values = list(distinct)
    if not _good_strings(values):
        return None
    codes: dict[str | None, int] = dict(zip(values, range(len(values)), strict=True))
    codes[None] = -1
    tables[array] = values
    out = np.full(n, -1, np.int32)
    out[rows] = np.fromiter(map(codes.__getitem__, col), np.int32, k)
    return out


def _closed(fact: Fact) -> tuple[dict[str | None, int], tuple[str, ...]]:
    """Every value of an enum or a country fact, each with its number (null the last)."""
    if fact.kind is FactKind.ENUM:
        allowed = tuple(fact.values)
    else:
        letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
        allowed = tuple(a + b for a in letters for b in letters)
        assert all(map(is_country_code, allowed))
    index: dict[str | None, int] = {v: i for i, v in enumerate(allowed)}
    index[None] = len(allowed)
    return index, allowed


_CLOSED = {name: _closed(fact) for name, fact in (*_CLAIM, *_EVENT)
           if fact.kind in (FactKind.ENUM, FactKind.COUNTRY)}  # fmt: skip


def _first_met(full: npt.NDArray[np.int32], allowed: tuple[str, ...],
               tables: dict[str, list[str]], array: str) -> npt.NDArray[np.int32]:  # fmt: skip
    """Codes into all the values a fact may take (null: ``len(allowed)``) as codes into the
    values the chunk gives, in the order first met (-1: null)."""
    met, first = np.unique(full, return_index=True)
    met = met[np.argsort(first, kind="stable")]
    met = met[met < len(allowed)]
    local = np.full(len(allowed) + 1, -1, np.int32)
    local[met] = np.arange(len(met), dtype=np.int32)
    tables[array] = [allowed[i] for i in met.tolist()]
    out: npt.NDArray[np.int32] = local[full]
    return out


class _Days:
    """The day ranges of date texts met so far in this process, numbered (0: unknown)."""

    def __init__(self) -> None:
        self.index: dict[str | None, int] = {None: 0}
        self.lo: list[float] = [-math.inf]
        self.hi: list[float] = [math.inf]
        self.arrays = (np.array(self.lo), np.array(self.hi))

    def add(self, texts: Iterable[str]) -> None:
        for text in texts:
            if text not in self.index:
                lo, hi = _date(text).ordinals  # ValueError: the exact way says it
                self.index[text] = len(self.lo)
                self.lo.append(lo)
                self.hi.append(hi)
        self.arrays = (np.array(self.lo, np.float64), np.array(self.hi, np.float64))


_DAYS = [_Days()]


def _dates(col: list[Any], rows: npt.NDArray[np.int64], n: int) -> Any:
    """A date column's day ranges, the days of each distinct text found once per process."""
    if len(_DAYS[0].index) > 1 << 16:  # bounded: a registry of many distinct days
        _DAYS[0] = _Days()
    days = _DAYS[0]
    k = len(col)
    coded = np.fromiter(map(days.index.get, col, itertools.repeat(-1)), np.int32, k)
    missing = np.flatnonzero(coded < 0)
    if len(missing):
        new = dict.fromkeys(col[i] for i in missing.tolist())
        if set(map(type, new)) - {str}:
            return None
        days.add(new)
        coded = np.fromiter(map(days.index.__getitem__, col), np.int32, k)
    full = np.zeros(n, np.int32)
    full[rows] = coded
    lo, hi = days.arrays
    return lo[full], hi[full]


def _unknown(fact: Fact, n: int, tables: dict[str, list[str]], array: str) -> Any:
    """The column of a fact no object gives."""
    kind = fact.kind
    if kind is FactKind.BOOL:
        return np.ones(n, np.int8)
    if kind in (FactKind.INT, FactKind.DATE):
        low = fact.minimum if kind is FactKind.INT else -math.inf
        return np.full(n, low, np.float64), np.full(n, math.inf, np.float64)
    tables[array] = []
    return np.full(n, -1, np.int32)
