"""``kzrehab population import``: a registry turned into a store a chunk at a time.

:func:`import_registry` reads a JSON Lines, CSV or Parquet registry (or a store) and writes a
columnar store (:class:`~kzrehab.population.writer.StoreWriter`) or canonical JSON Lines,
in memory bounded by the chunk of claims being written and a few numbers a claim, not by
the registry. Every check of :func:`~kzrehab.population.load_population` is made, with the
same messages, and the first problem in the file's order is the one reported, exactly as
when the registry is read whole:

- a duplicate claim id is found by a :class:`~kzrehab.population.ledger.KeyLedger`, at the
  end of the file, or before any later problem is reported;
- in a CSV or Parquet registry, the claims file is read first; each events row then finds
  its claim through the ledger's index keys, and duplicate event ids are found like
  duplicate claim ids. A Parquet file is read a batch of rows at a time
  (:mod:`.parquet_registry`).

Nothing is written unless the whole registry is good: the store (or file) is written
beside its destination and renamed into place only at the end. One exception to streaming:
a CSV or Parquet registry written as JSON Lines is read whole (a claim's line needs all its events,
which may be anywhere in the events file).
"""

from __future__ import annotations

__all__ = ["import_registry", "ImportResult", "CHUNK"]

import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from .._io import write_atomic
from .._pool import ordered_stream
from .._suggest import did_you_mean_among
from ..claims import Claim
from ..errors import RegistryError
from ..limits import MAX_EVENTS_PER_CLAIM
from .claim_json import Structurer
from .csv_registry import (
    ClaimsTable,
    CsvClaims,
    CsvEvents,
    EventsTable,
    duplicate_event_id,
    read_tables,
    too_many_events,
    unknown_claim,
)
from .in_memory import InMemoryPopulation
from .jsonl_chunks import Encoded, encode_chunk, raw_chunks
from .ledger import KeyLedger
from .load import registry_files
from .reading import duplicate_id
from .registry import JsonlReader, PopulationHeader, dumps_claim, header_line, write_jsonl
from .stored import StoredPopulation
from .tables import id_key, key_order
from .writer import StoreWriter

#: claims encoded and written at a time
CHUNK = 8_192
#: lines of JSON Lines checked and encoded at a time: a worker takes as long a line with
#: 512 or with 2,048 lines a chunk, the main process, which hands the chunks out and
#: appends each one's columns to the spools, a third less with 2,048
LINES = 2_048

R = TypeVar("R")


@attrs.frozen
class ImportResult:
    """What :func:`import_registry` wrote."""

    registry: str
    output: str
    #: ``"columnar store"`` or ``"JSON Lines"``
    kind: str
    claims: int
    events: int

    def __repr__(self) -> str:
        return (f"<ImportResult {self.registry} → {self.output} ({self.kind}): "
                f"{self.claims:,} claims, {self.events:,} events>")  # fmt: skip


def import_registry(
    registry: str | os.PathLike[str], output: str | os.PathLike[str], *, chunk: int = CHUNK,
    jobs: int = 1,
) -> ImportResult:
    """Import a registry (JSON Lines, CSV, Parquet or a store) into ``output``: canonical JSON Lines
    when its name ends in ``.jsonl`` or ``.ndjson``, a columnar store otherwise.

    All or nothing: a :class:`~kzrehab.errors.RegistryError` names the first bad row as
    :func:`~kzrehab.population.load_population` would, and leaves ``output`` as it was.
    ``jobs``: the processes that check and encode the chunks of a JSON Lines registry
    written as a store; the store is the same, byte for byte, for any number.
    """
    files = registry_files(registry)
    where, out = str(Path(registry)), Path(output)
    if out.suffix.lower() in {".jsonl", ".ndjson"}:
        claims, events = _to_jsonl(files.kind, files.path, files.events, files.name, where, out)
        return ImportResult(where, str(out), "JSON Lines", claims, events)
    with StoreWriter(out) as writer:
        name, synthetic = files.name, False
        if files.kind == "jsonl":
            reader = JsonlReader(files.path)
            _jsonl_into(writer, reader, chunk, jobs)
            if reader.header is not None:
                name, synthetic = reader.header.name, reader.header.synthetic
        elif files.kind in ("csv", "parquet"):
            assert files.events is not None
            _tables_into(writer, *_tables(files.kind, files.path, files.events), chunk)
        else:
            stored = StoredPopulation.open(files.path)
            name, synthetic = stored.name, stored.synthetic
            for part in _batched(stored, chunk):
                writer.add(part)
        summary = writer.finish({"name": name, "synthetic": synthetic, "source": where})
    return ImportResult(where, str(out), "columnar store", summary.claims, summary.events)


def _batched(claims: Iterable[Claim], size: int) -> Iterator[list[Claim]]:
    it = iter(claims)
    while part := list(itertools.islice(it, size)):
        yield part


def _tables(kind: str, claims: Path, events: Path) -> tuple[ClaimsTable, EventsTable]:
    """The two tables of a CSV or a Parquet registry."""
    if kind == "csv":
        return CsvClaims(claims), CsvEvents(events)
    from .parquet_registry import ParquetClaims, ParquetEvents

    return ParquetClaims(claims), ParquetEvents(events)


def _duplicates(ledger: KeyLedger, name: str, before: int | None = None,
                unit: str = "line") -> None:  # fmt: skip
    """Raise the error of the first claim id given twice (among lines before ``before``;
    ``unit``: what a position counts)."""
    found = ledger.first_duplicate(before)
    if found is not None:
        first, again = found
        duplicate_id(ledger.text(again), ledger.line(first), name, ledger.line(again), unit)


def _line_of(exc: RegistryError, name: str) -> int | None:
    """The line a registry error is on, when it is in file ``name``."""
    loc = exc.location
    return loc.line if loc.file == name else None


def _claims_into(writer: StoreWriter, items: Iterable[tuple[int, R]], name: str, chunk: int,
                 add: Callable[[list[R], list[int]], None], id_of: Callable[[R], object],
                 unit: str = "line", final: bool = True) -> None:  # fmt: skip
    """Write the claims read from file ``name`` a chunk at a time (``add`` a chunk of them,
    ``id_of`` one's id); a claim id given twice is an error (looked for at the end unless
    ``final`` is false: more claims follow)."""
    part: list[R] = []
    lines: list[int] = []
    try:
        for lineno, item in items:
            part.append(item)
            lines.append(lineno)
            if len(part) >= chunk:
                add(part, lines)
                part, lines = [], []
    except RegistryError as exc:
        line = _line_of(exc, name)
        if line is not None:
            for item, lineno in zip(part, lines, strict=True):  # not yet written
                writer.ids.add(str(id_of(item)).encode("utf-8"), lineno)
            _duplicates(writer.ids, name, line, unit)
        raise
    add(part, lines)
    if final:
        _duplicates(writer.ids, name, unit=unit)


def _jsonl_into(writer: StoreWriter, reader: JsonlReader, chunk: int, jobs: int) -> None:
    """Write the claims of a JSON Lines registry a chunk at a time, each chunk checked and
    encoded a column at a time (:mod:`.jsonl_chunks`, on ``jobs`` processes), or read
    line by line when the fast way gives it back; a claim id given twice is an error."""
    name = reader.name
    try:
        lines = raw_chunks(reader, min(chunk, LINES))
        for done in ordered_stream(encode_chunk, lines, jobs, ahead=4 * jobs):
            if isinstance(done, Encoded):
                if done.header is not None:
                    reader.header = done.header
                writer.add_encoded(done)
            else:
                items = zip(itertools.count(done.first_line), done.lines)
                records = reader.structured_lines(items, Structurer().record, done.may_head)
                _claims_into(writer, records, name, chunk, writer.add_records,
                             lambda record: record[0]["id"], final=False)  # fmt: skip
    except RegistryError as exc:
        line = _line_of(exc, name)
        if line is not None:
            _duplicates(writer.ids, name, line)
        raise
    _duplicates(writer.ids, name)


def _tables_into(writer: StoreWriter, claims_file: ClaimsTable, events_file: EventsTable,
                 chunk: int) -> None:  # fmt: skip
    """Write a CSV or Parquet registry: its claims, then its events joined to them by the
    ledger."""
    unit = claims_file.unit
    _claims_into(writer, claims_file.records(), claims_file.name, chunk, writer.add_claims,
                 lambda facts: facts["id"], unit)  # fmt: skip
    ids, n = writer.ids, writer.n_claims
    keys = ids.keys()
    order = key_order(keys)
    ordered = keys[order]
    del keys
    counts = np.zeros(n, np.int32)
    limit = MAX_EVENTS_PER_CLAIM.value
    event_ids = KeyLedger(writer.spool("event-ids"))
    rows: list[int] = []
    part: list[dict[str, object]] = []
    last: tuple[str, int] = ("", -1)
    try:
        for lineno, cid, event in events_file.records():
            row = last[1] if cid == last[0] else _find(cid, ordered, order, ids)
            if row < 0:
                unknown_claim(cid, claims_file.name, did_you_mean_among(cid, ids.texts()),
                              events_file.name, lineno)  # fmt: skip
            last = (cid, row)
            if counts[row] >= limit:
                too_many_events(cid, events_file.name, lineno)
            counts[row] += 1
            event_id = event.get("id")
            if event_id is not None:
                event_ids.add(row.to_bytes(8, "little") + str(event_id).encode("utf-8"), lineno)
            rows.append(row)
            part.append(event)
            if len(part) >= chunk:
                writer.add_events(np.array(rows, np.int64), part)
                rows, part = [], []
        writer.add_events(np.array(rows, np.int64), part)
        _duplicate_events(event_ids, ids, events_file.name, unit=unit)
    except RegistryError as exc:
        line = _line_of(exc, events_file.name)
        if line is not None:
            _duplicate_events(event_ids, ids, events_file.name, line, unit)
        raise
    finally:
        event_ids.close()


def _find(cid: str, ordered: npt.NDArray[np.uint64], order: npt.NDArray[np.int64],
          ids: KeyLedger) -> int:  # fmt: skip
    """The row of claim id ``cid`` by its index key (-1 when no claim has it)."""
    raw = cid.encode("utf-8")
    key = id_key(raw)
    at = int(np.searchsorted(ordered, np.uint64(key)))
    while at < len(ordered) and int(ordered[at]) == key:
        row = int(order[at])
        if ids.raw(row) == raw:
            return row
        at += 1
    return -1


def _duplicate_events(event_ids: KeyLedger, ids: KeyLedger, name: str,
                      before: int | None = None, unit: str = "line") -> None:  # fmt: skip
    """Raise the error of the first event id given twice for one claim."""
    found = event_ids.first_duplicate(before)
    if found is not None:
        first, again = found
        raw = event_ids.raw(again)
        cid = ids.text(int.from_bytes(raw[:8], "little"))
        duplicate_event_id(raw[8:].decode("utf-8"), cid, event_ids.line(first), name,
                           event_ids.line(again), unit)  # fmt: skip


def _to_jsonl(kind: str, path: Path, events: Path | None, name: str, where: str,
              out: Path) -> tuple[int, int]:  # fmt: skip
    """Write a registry as canonical JSON Lines with its header; the claims and events."""
    if kind in ("csv", "parquet"):
        assert events is not None
        whole = InMemoryPopulation(name=name, claims=read_tables(*_tables(kind, path, events)),
                                   source=where)  # fmt: skip
        write_jsonl(whole, out)
        return len(whole), whole.events
    if kind == "store":
        stored = StoredPopulation.open(path)
        write_jsonl(stored, out)
        return len(stored), stored.events
    reader = JsonlReader(path)
    folder = out.parent if str(out.parent) else Path(".")
    counted = [0, 0]
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=folder) as spool:
        ledger = KeyLedger(Path(spool) / "ids")
        try:

            def lines() -> Iterator[str]:
                claims = iter(reader)
                first = next(claims, None)  # the header, if any, is read with it
                header = reader.header or PopulationHeader(name=name, synthetic=False)
                yield header_line(header)
                try:
                    for lineno, claim in itertools.chain([first] if first else [], claims):
                        ledger.add(claim.id.encode("utf-8"), lineno)
                        counted[0] += 1
                        counted[1] += len(claim.events)
                        yield dumps_claim(claim) + "\n"
                except RegistryError as exc:
                    line = _line_of(exc, reader.name)
                    if line is not None:
                        _duplicates(ledger, reader.name, line)
                    raise
                _duplicates(ledger, reader.name)

            write_atomic(out, lines())
        finally:
            ledger.close()
    return counted[0], counted[1]
