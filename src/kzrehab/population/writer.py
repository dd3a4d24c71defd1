"""Writing a store a chunk of claims at a time, in memory bounded by the chunk.

:class:`StoreWriter` encodes each chunk of claims into the store's columns
(:mod:`kzrehab.population.columns`) and appends them to spool files in a temporary folder
beside the output; :meth:`StoreWriter.finish` then writes the ``.npz`` file from the spools,
hashing every array as it goes, and renames it into place. The store it writes is the one
:func:`~kzrehab.population.store.save_store` writes for the same claims held in memory, byte
for byte in every array, so its digest is the same:

- the shared string table lists values in the order :meth:`Columns.from_claims
  <kzrehab.population.columns.Columns.from_claims>` meets them: fact by fact, each fact's
  values in the order of the claims (of their events). Each chunk is coded against a table
  of its own per fact; the codes are mapped to the shared table at the end;
- victims are numbered in the order they first appear, and claim ids are checked and
  indexed, by :class:`~kzrehab.population.ledger.KeyLedger` (a few numbers a claim);
- events may come apart from their claims and in any order of claims (a CSV events file):
  they are sorted by their claim's row at the end, keeping their order within a claim.

What stays in memory: one chunk, the ledgers' few numbers a claim, and at the end one
column at a time (with the sort's order, for events that came out of order).
"""

from __future__ import annotations

__all__ = ["StoreWriter", "StoreSummary"]

import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import attrs
import numpy as np
import numpy.typing as npt

from .._io import atomic_output
from ..claims import Claim
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind
from .columns import OWN_TABLES, _column, _months, _years
from .hashing import BLOCK_BYTES, FORMAT, INDEX, BlockHasher, digest_of
from .jsonl_chunks import Encoded
from .ledger import KeyLedger
from .registry import Record
from .store import pack_strings

#: values written to or read from a spool at a time
_BLOCK = 1 << 20
_TEXT = (FactKind.ENUM, FactKind.STR, FactKind.COUNTRY)
_CLAIM = [(n, f) for n, f in CLAIM_FACTS.items() if n not in OWN_TABLES]
_EVENT = [(n, f) for n, f in EVENT_FACTS.items() if not f.derived]
_DERIVED = [(n, f) for n, f in EVENT_FACTS.items() if f.derived]


@attrs.frozen
class StoreSummary:
    """What a written store holds."""

    path: str
    claims: int
    events: int
    victims: int
    digest: str

    def __repr__(self) -> str:
        return (f"<StoreSummary {self.path}: {self.claims:,} claims, {self.victims:,} "
                f"victims, {self.events:,} events, digest {self.digest[:12]}>")  # fmt: skip


class _Spool:
    """One array, appended to a file a chunk at a time."""

    def __init__(self, path: Path, dtype: type[Any]) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.count = 0
        self._file = open(path, "w+b")  # noqa: SIM115 - closed by close()

    def append(self, values: npt.NDArray[Any]) -> None:
        self._file.write(np.ascontiguousarray(values, self.dtype).tobytes())
        self.count += len(values)

    def read(self, start: int = 0, stop: int | None = None) -> npt.NDArray[Any]:
        stop = self.count if stop is None else stop
        self._file.flush()
        self._file.seek(start * self.dtype.itemsize)
        return np.fromfile(self._file, self.dtype, stop - start)

    def blocks(self) -> Iterator[npt.NDArray[Any]]:
        for a in range(0, self.count, _BLOCK):
            yield self.read(a, min(a + _BLOCK, self.count))

    def close(self) -> None:
        self._file.close()


def _names(scope: str, name: str, fact: Fact) -> list[str]:
    if fact.kind in (FactKind.INT, FactKind.DATE):
        return [f"{scope}.{name}.lo", f"{scope}.{name}.hi"]
    return [f"{scope}.{name}"]


def _dtype(fact: Fact) -> type[Any]:
    if fact.kind in (FactKind.INT, FactKind.DATE):
        return np.float64
    return np.int8 if fact.kind is FactKind.BOOL else np.int32


class StoreWriter:
    """A store written chunk by chunk: :meth:`add` claims with their events in order, or
    :meth:`add_claims` then :meth:`add_events` (events in any order of claims), then
    :meth:`finish`. Use it as a context manager: leaving the block without
    :meth:`finish`, or by an exception, removes everything it wrote."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        # beside the store (the same disk); where the system keeps temporary files when the
        # folder is missing, which writing the store will report
        self._folder = tempfile.TemporaryDirectory(prefix=f".{self.path.name}.",
                                                   dir=folder if folder.is_dir() else None)
        spool = Path(self._folder.name)
        #: the claim ids, in order: duplicates are found here, and the id index made
        self.ids = KeyLedger(spool / "ids")
        self.victims = KeyLedger(spool / "victims", lines=False)
        self._spools: dict[str, _Spool] = {}
        for scope, facts in (("claim", _CLAIM), ("event", _EVENT)):
            for name, fact in facts:
                for array in _names(scope, name, fact):
                    self._spools[array] = _Spool(spool / array, _dtype(fact))
        for array in ("event.year.lo", "event.year.hi", "event.months.lo", "event.months.hi"):
            self._spools[array] = _Spool(spool / array, np.float64)
        self._spools["event_claim"] = _Spool(spool / "event_claim", np.int64)
        #: each text fact's own table: value → code, in the order first met
        self._tables: dict[str, dict[str, int]] = {
            f"{scope}.{name}": {} for scope, facts in (("claim", _CLAIM), ("event", _EVENT))
            for name, fact in facts if fact.kind in _TEXT
        }  # fmt: skip
        self.n_claims = 0
        self.n_events = 0
        self._in_order = True  # events came sorted by claim
        self._last_row = 0

    def __repr__(self) -> str:
        return (f"<StoreWriter {self.path}: {self.n_claims:,} claims, "
                f"{self.n_events:,} events so far>")  # fmt: skip

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        self.close()

    def spool(self, name: str) -> Path:
        """A path for another spool file, removed with the others."""
        return Path(self._folder.name) / name

    def close(self) -> None:
        """Remove the spools (the store, once finished, stays)."""
        for spool in self._spools.values():
            spool.close()
        self.ids.close()
        self.victims.close()
        self._folder.cleanup()

    # -- adding -----------------------------------------------------------------------------

    def add(self, claims: Sequence[Claim], lines: Sequence[int] | None = None) -> None:
        """Add claims and their events, after those added before (``lines``: where each
        claim came from, for the messages of duplicate ids)."""
        first = self.n_claims
        self._claims(lambda name: [getattr(c, name) for c in claims], [c.id for c in claims],
                     [c.victim_id or c.id for c in claims], lines)  # fmt: skip
        events = [e for c in claims for e in c.events]
        self._events(_rows_of(first, [len(c.events) for c in claims]),
                     lambda name: [getattr(e, name) for e in events], len(events))  # fmt: skip

    def add_records(self, records: Sequence[Record], lines: Sequence[int] | None = None) -> None:
        """:meth:`add` for claims given as their checked facts and their events'
        (:meth:`~kzrehab.population.registry.JsonlReader.records`): no objects are built."""
        first = self.n_claims
        self.add_claims([facts for facts, _ in records], lines)
        events = [e for _, evs in records for e in evs]
        self.add_events(_rows_of(first, [len(evs) for _, evs in records]), events)

    def add_claims(self, claims: Sequence[Mapping[str, object]],
                   lines: Sequence[int] | None = None) -> None:  # fmt: skip
        """Add claims given as their facts, without events (give those to
        :meth:`add_events`)."""
        cols = _scatter(claims, CLAIM_FACTS)
        ids = cols["id"]
        victims = [v or i for v, i in zip(cols["victim_id"], ids, strict=True)]
        self._claims(cols.__getitem__, ids, victims, lines)

    def add_events(self, rows: npt.NDArray[np.int64],
                   events: Sequence[Mapping[str, object]]) -> None:  # fmt: skip
        """Add events given as their facts, each of the claim in the same place of
        ``rows`` (rows of claims already added, in any order)."""
        self._events(rows, _scatter(events, EVENT_FACTS).__getitem__, len(events))

    def add_encoded(self, part: Encoded) -> None:
        """Add a chunk of claims and their events already checked and encoded
        (:func:`~kzrehab.population.jsonl_chunks.encode_chunk`): the same columns as
        :meth:`add_records` of the same claims."""
        first = self.n_claims
        for name, _ in _CLAIM:
            self._spooled("claim", name, self._coded(f"claim.{name}", part.claim[name], part))
        self.ids.extend(part.ids.blob, part.ids.ends, part.ids.keys, part.lines)
        self.victims.extend(part.victims.blob, part.victims.ends, part.victims.keys, part.lines)
        self.n_claims += part.n_claims
        count = part.n_events
        if not count:
            return
        rows = np.repeat(np.arange(first, self.n_claims, dtype=np.int64), part.counts)
        self._note_rows(rows)
        for name, _ in [*_EVENT, *_DERIVED]:
            self._spooled("event", name, self._coded(f"event.{name}", part.event[name], part))
        self.n_events += count

    def _coded(self, array: str, col: Any, part: Encoded) -> Any:
        """A column of an encoded chunk, its text codes mapped to this writer's tables."""
        local = part.tables.get(array)
        if local is None:
            return col
        table = self._tables[array]
        remap = np.array([table.setdefault(v, len(table)) for v in local] + [-1], np.int32)
        return remap[col]  # -1 (unknown) indexes the -1 at the end

    def _spooled(self, scope: str, name: str, col: Any) -> None:
        if isinstance(col, tuple):
            self._spools[f"{scope}.{name}.lo"].append(col[0])
            self._spools[f"{scope}.{name}.hi"].append(col[1])
        else:
            self._spools[f"{scope}.{name}"].append(col)

    def _note_rows(self, rows: npt.NDArray[np.int64]) -> None:
        """Spool the claim rows of events, noting whether they still come in order."""
        if int(rows[0]) < self._last_row or bool((np.diff(rows) < 0).any()):
            self._in_order = False
        self._last_row = int(rows[-1])
        self._spools["event_claim"].append(rows)

    def _claims(self, values: Callable[[str], list[Any]], ids: list[str], victims: list[str],
                lines: Sequence[int] | None) -> None:  # fmt: skip
        for name, fact in _CLAIM:
            self._put("claim", name, fact, values(name))
        add_id, add_victim = self.ids.add, self.victims.add
        for i, (claim_id, victim) in enumerate(zip(ids, victims, strict=True)):
            line = lines[i] if lines is not None else self.n_claims + i + 1
            add_id(claim_id.encode("utf-8"), line)
            add_victim(victim.encode("utf-8"), line)
        self.n_claims += len(ids)

    def _events(self, rows: npt.NDArray[np.int64], values: Callable[[str], list[Any]],
                count: int) -> None:  # fmt: skip
        if not count:
            return
        self._note_rows(rows)
        cols = {name: self._put("event", name, fact, values(name)) for name, fact in _EVENT}
        (start_lo, start_hi), (end_lo, end_hi) = cols["start"], cols["end"]
        for name, (lo, hi) in (("year", (_years(start_lo), _years(start_hi))),
                               ("months", _months(start_lo, start_hi, end_lo, end_hi))):
            self._spools[f"event.{name}.lo"].append(lo)
            self._spools[f"event.{name}.hi"].append(hi)
        self.n_events += count

    def _put(self, scope: str, name: str, fact: Fact, values: list[Any]) -> Any:
        col = _column(fact, values, self._tables.get(f"{scope}.{name}", {}))
        self._spooled(scope, name, col)
        return col

    # -- finishing --------------------------------------------------------------------------

    def finish(self, meta: dict[str, Any]) -> StoreSummary:
        """Write the store with ``meta`` (its name, ``synthetic``, source) atomically."""
        n, m = self.n_claims, self.n_events
        self.ids.drop(lines=True)  # duplicates were looked for while reading
        leaders = self.victims.groups()
        self.victims.drop(keys=True)
        is_first = leaders == np.arange(n, dtype=leaders.dtype)
        codes = np.cumsum(is_first, dtype=np.int32)
        codes -= 1
        victim_codes = codes[leaders]
        del leaders, codes
        order: npt.NDArray[Any] | None = None
        if self._in_order:
            counts = np.zeros(n, np.int64)
            for block in self._spools["event_claim"].blocks():
                counts += np.bincount(block, minlength=n)
        else:
            rows = self._spools["event_claim"].read()
            counts = np.bincount(rows, minlength=n).astype(np.int64)
            order = np.argsort(rows, kind="stable")
            del rows
            if m < 2**31:
                order = order.astype(np.int32)
        table, remaps = self._shared_table(order)
        hashes: dict[str, str] = {}
        block_hashes: dict[str, str] = {}
        with atomic_output(self.path) as out, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:  # fmt: skip

            def put(name: str, dtype: type[Any], count: int,
                    blocks: Iterable[npt.NDArray[Any]]) -> None:  # fmt: skip
                hashes[name], block_hashes[name] = _member(zf, name, np.dtype(dtype), count,
                                                           blocks)  # fmt: skip

            # in the order save_store writes them, which reading a chunk keeps
            for name, fact in _CLAIM:
                for array in _names("claim", name, fact):
                    put(array, _dtype(fact), n, _mapped(self._spools[array].blocks(),
                                                        remaps.get(array)))  # fmt: skip
            put("claim.id", np.int32, n, (np.arange(a, min(a + _BLOCK, n), dtype=np.int32)
                                          for a in range(0, n, _BLOCK)))  # fmt: skip
            put("claim.victim_id", np.int32, n, [victim_codes])
            for name, fact in [*_EVENT, *_DERIVED]:
                for array in _names("event", name, fact):
                    spool = self._spools[array]
                    blocks = spool.blocks() if order is None else _permuted(spool, order)
                    put(array, spool.dtype.type, m, _mapped(blocks, remaps.get(array)))
            del order
            strings, offsets = pack_strings(table)
            put("strings", np.uint8, len(strings), [strings])
            put("strings.offsets", np.int64, len(offsets), [offsets])
            put("ids", np.uint8, self.ids.size, _bytes(self.ids.blocks()))
            put("ids.offsets", np.int64, n + 1, [np.zeros(1, np.int64), self.ids.ends()])
            put(INDEX, np.int64, n, [self.ids.order()])
            self.ids.drop(keys=True)
            lengths = np.diff(self.victims.ends(), prepend=0)[is_first]
            put("victims", np.uint8, int(lengths.sum()), _leaders(self.victims, is_first))
            put("victims.offsets", np.int64, len(lengths) + 1,
                [np.zeros(1, np.int64), np.cumsum(lengths)])  # fmt: skip
            del lengths
            put("event_claim", np.int64, m, _rows(counts))
            put("offsets", np.int64, n + 1, [np.zeros(1, np.int64), np.cumsum(counts)])
            document = {**meta, "victims": int(is_first.sum()), "format": FORMAT,
                        "claims": n, "events": m, "digest": digest_of(hashes),
                        "block": BLOCK_BYTES, "hashes": hashes, "blocks": block_hashes}  # fmt: skip
            text = np.frombuffer(json.dumps(document).encode("utf-8"), np.uint8)
            _member(zf, "meta", text.dtype, len(text), [text])
        return StoreSummary(str(self.path), n, m, int(document["victims"]),
                            str(document["digest"]))  # fmt: skip

    def _shared_table(
        self, order: npt.NDArray[Any] | None
    ) -> tuple[list[str], dict[str, npt.NDArray[np.int32]]]:
        """The shared string table, and each text column's map from its own codes to it."""
        table: dict[str, int] = {}
        remaps: dict[str, npt.NDArray[np.int32]] = {}
        for scope, facts in (("claim", _CLAIM), ("event", _EVENT)):
            for name, fact in facts:
                array = f"{scope}.{name}"
                if fact.kind not in _TEXT:
                    continue
                values = list(self._tables[array])
                met: Iterable[int] = range(len(values))
                if scope == "event" and order is not None:
                    met = _first_met(self._spools[array], order, len(values))
                remap = np.empty(len(values), np.int32)
                for code in met:
                    remap[code] = table.setdefault(values[code], len(table))
                remaps[array] = remap
        return list(table), remaps


def _scatter(records: Sequence[Mapping[str, object]],
             facts: Mapping[str, Fact]) -> dict[str, list[Any]]:  # fmt: skip
    """The values of each fact (``None`` where a record lacks it) and of ``id``."""
    cols: dict[str, list[Any]] = {name: [None] * len(records) for name in (*facts, "id")}
    for i, record in enumerate(records):
        for key, value in record.items():
            cols[key][i] = value
    return cols


def _rows_of(first: int, counts: list[int]) -> npt.NDArray[np.int64]:
    """The claim row of each event of consecutive claims from row ``first``."""
    return np.repeat(np.arange(first, first + len(counts), dtype=np.int64),
                     np.array(counts, np.int64))  # fmt: skip


def _first_met(spool: _Spool, order: npt.NDArray[Any], size: int) -> list[int]:
    """A column's own codes in the order the sorted rows first meet them."""
    codes = spool.read()[order]
    known = np.flatnonzero(codes >= 0)
    first = np.full(size, len(codes), np.int64)
    np.minimum.at(first, codes[known], known)
    return np.argsort(first, kind="stable").tolist()  # type: ignore[no-any-return]


def _mapped(blocks: Iterable[npt.NDArray[Any]],
            remap: npt.NDArray[np.int32] | None) -> Iterator[npt.NDArray[Any]]:  # fmt: skip
    # -1 (unknown) indexes the -1 put at the end
    extended = None if remap is None else np.append(remap, np.int32(-1)).astype(np.int32)
    for block in blocks:
        yield block if extended is None else extended[block]


def _permuted(spool: _Spool, order: npt.NDArray[Any]) -> Iterator[npt.NDArray[Any]]:
    whole = spool.read()
    for a in range(0, len(order), _BLOCK):
        yield whole[order[a : a + _BLOCK]]


def _bytes(blocks: Iterable[bytes]) -> Iterator[npt.NDArray[np.uint8]]:
    for block in blocks:
        yield np.frombuffer(block, np.uint8)


def _rows(counts: npt.NDArray[np.int64]) -> Iterator[npt.NDArray[np.int64]]:
    """The claim row of every event, sorted, a block of claims at a time."""
    for a in range(0, len(counts), _BLOCK):
        b = min(a + _BLOCK, len(counts))
        yield np.repeat(np.arange(a, b, dtype=np.int64), counts[a:b])


def _leaders(ledger: KeyLedger, is_first: npt.NDArray[np.bool_]) -> Iterator[npt.NDArray[np.uint8]]:
    """The bytes of the first entry of each key, in order, a block of entries at a time."""
    ends = ledger.ends()
    for a in range(0, len(ends), _BLOCK):
        b = min(a + _BLOCK, len(ends))
        base = int(ends[a - 1]) if a else 0
        raw = np.frombuffer(ledger.span(base, int(ends[b - 1])), np.uint8)
        lengths = np.diff(ends[a:b], prepend=base)
        yield raw[np.repeat(is_first[a:b], lengths)]


def _member(zf: zipfile.ZipFile, name: str, dtype: np.dtype[Any], count: int,
            blocks: Iterable[npt.NDArray[Any]]) -> tuple[str, str]:  # fmt: skip
    """Write one array as ``NAME.npy`` from its blocks; its hash and its block hashes as
    the store records them."""
    h = BlockHasher(name, dtype, (count,))
    written = 0
    with zf.open(f"{name}.npy", "w", force_zip64=True) as raw:
        out: BinaryIO = raw  # type: ignore[assignment]
        np.lib.format.write_array_header_1_0(out, {
            "descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
            "shape": (count,)})  # fmt: skip
        for block in blocks:
            data = np.ascontiguousarray(block, dtype)
            view = data.data.cast("B")
            out.write(view)
            h.update(view)
            written += len(data)
    if written != count:  # pragma: no cover - a bug, not bad input
        raise AssertionError(f"{name}: wrote {written} values, not {count}")
    return h.finish()
