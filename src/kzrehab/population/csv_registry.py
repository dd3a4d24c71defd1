"""CSV registries: a claims file and an events file, read a row at a time.

The format is described in :mod:`kzrehab.population.registry`. The checks of a table's
columns and of each row's cells (:func:`claims_header`, :func:`claim_records`, …) take the
cells as text; a Parquet registry (:mod:`.parquet_registry`) gives its cells to the same
checks, and both join their two tables with :func:`read_tables`. A file is first checked
as text, a block of lines at a time (the first NUL byte, else the first byte that is not
UTF-8, is reported wherever it is), then parsed row by row: memory holds a row, not the file.
"""

from __future__ import annotations

__all__ = ["ClaimsTable", "EventsTable", "CsvClaims", "CsvEvents", "read_csv", "read_tables",
           "claims_header", "events_header", "claim_records", "event_records", "check_header",
           "row_record", "unknown_claim", "too_many_events", "duplicate_event_id"]  # fmt: skip

import abc
import csv
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import attrs

from .._suggest import did_you_mean
from ..claims import Claim, Event
from ..i18n import N_, _
from ..limits import MAX_EVENTS_PER_CLAIM
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact
from .claim_json import CLAIM_CSV, EVENT_CSV, BadValue, Converter, unknown_key
from .reading import duplicate_id, fail, lines, open_registry, position, python_message

#: bytes of a CSV file checked at a time for NUL bytes and UTF-8 (then whole lines)
_CHECK_BLOCK = 1 << 22


def _check_text(path: Path, what: str) -> None:
    """Check a whole CSV file as the text it must be, a block of lines at a time: the first
    NUL byte anywhere is reported, else the first byte that is not UTF-8, else nothing; a
    line over :data:`~kzrehab.limits.MAX_LINE_BYTES` as soon as it is met."""
    name = str(path)
    nul: tuple[int, int] | None = None
    bad: tuple[int, int, int] | None = None

    def check(block: list[bytes], done: int) -> None:
        nonlocal nul, bad
        raw = b"".join(block)
        if done == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        at = raw.find(b"\x00")
        if at >= 0:
            nul = position(raw, at, done + 1)
        elif bad is None:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = (*position(raw, exc.start, done + 1), raw[exc.start])

    with open_registry(path, limited=True) as f:
        block: list[bytes] = []
        size = done = 0  # done: the lines before the block
        for __, line in lines(f, name, True):
            block.append(line)
            size += len(line)
            if size >= _CHECK_BLOCK:
                check(block, done)
                if nul is not None:
                    break
                done += len(block)
                block, size = [], 0
        if nul is None:
            check(block, done)
    if nul is not None:
        fail(_("contains a NUL byte: this is a binary file, not {what} "
               "text").format(what=what), name, nul[0],
              column=nul[1])  # fmt: skip
    if bad is not None:
        fail(_("is not UTF-8 text (byte 0x{bad:02x} cannot be decoded): save the {what} "
                "file as "
                "UTF-8").format(bad=bad[2], what=what), name, bad[0], column=bad[1])  # fmt: skip


def _textlines(path: Path) -> Iterator[str]:
    """The lines of a checked CSV file as text, split as ``newline=""`` splits them."""
    with open_registry(path, limited=True) as f:
        for lineno, raw in lines(f, str(path), True):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            text = raw.decode("utf-8")
            if "\r" in text[:-2]:  # a line ended by a lone carriage return
                yield from io.StringIO(text, newline="")
            else:
                yield text


def _read_csv_rows(path: Path, what: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank row; the line is where the row starts."""
    name = str(path)
    _check_text(path, what)
    lines = _textlines(path)
    head = next(lines, "")
    reader = csv.reader(itertools.chain([head], lines), delimiter=_delimiter(head), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            fail(_("malformed CSV: {exc}").format(exc=python_message(str(exc))), name, start)
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _delimiter(header: str) -> str:
    """The delimiter the header row uses: ``,`` unless it has more ``;`` (as spreadsheets
    write CSV in many locales, Russian and Kazakh among them) or tabs."""
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))


def _csv_header(path: Path, rows: Iterator[tuple[int, list[str]]], what: str,
                check: Callable[[str, int | None, list[str]], list[str]]) -> list[str]:
    name = str(path)
    try:
        lineno, header = next(rows)
    except StopIteration:
        fail(_("is empty: a {what} file needs a header row naming its "
               "columns").format(what=_(what)), name)
    return check(name, lineno, header)


def check_header(
    name: str, lineno: int | None, header: list[str], converters: Mapping[str, Converter],
    facts: Mapping[str, Fact], required: str, extra: str | None, what: str,
) -> list[str]:  # fmt: skip
    """The columns a table of a registry names (a CSV header row, a Parquet file's schema),
    checked: each a fact (or the ``extra`` join column) given once, ``required`` among
    them."""
    columns = [cell.strip() for cell in header]
    allowed = [*converters, *([extra] if extra else [])]
    seen: set[str] = set()
    for i, col in enumerate(columns, 1):
        where = _("column {n}").format(n=i)
        if col in seen:
            fail(_("column '{col}' is given twice").format(col=col), name, lineno, where)
        seen.add(col)
        if col not in converters and col != extra:
            if not col:
                fail(_("a column has no name"), name, lineno, where)
            fail(unknown_key(col, facts, allowed, "column"), name, lineno, where)
    if required not in seen:
        fail(_("the {what} file needs a column "
               "'{required}'").format(what=_(what), required=required), name, lineno)
    return columns


def row_record(
    name: str, lineno: int, row: list[str], columns: list[str],
    converters: Mapping[str, Converter],
) -> dict[str, object]:  # fmt: skip
    """One row's facts, each cell checked as text by its fact's converter (an empty cell is
    unknown; the join column is kept as it is)."""
    if len(row) != len(columns):
        fail(_("the row has {n} cells but the header names {n2} columns").format(
                 n=len(row), n2=len(columns)),
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
        except BadValue as exc:
            fail(exc.message, name, lineno, col)
    return out


def claims_header(name: str, lineno: int | None, header: list[str]) -> list[str]:
    """The checked columns of a claims table."""
    return check_header(name, lineno, header, CLAIM_CSV, CLAIM_FACTS, "id", None, "claims")


def events_header(name: str, lineno: int | None, header: list[str]) -> list[str]:
    """The checked columns of an events table."""
    return check_header(name, lineno, header, EVENT_CSV, EVENT_FACTS, "claim_id", "claim_id",
                        "events")  # fmt: skip


def claim_records(name: str, columns: list[str], rows: Iterable[tuple[int, list[str]]]
                  ) -> Iterator[tuple[int, dict[str, object]]]:  # fmt: skip
    """``(line, facts)`` of each row of a claims table (its cells as text)."""
    for lineno, row in rows:
        record = row_record(name, lineno, row, columns, CLAIM_CSV)
        if not isinstance(record.get("id"), str):
            fail(_("the claim has no id"), name, lineno, "id")
        yield lineno, record


def event_records(name: str, columns: list[str], rows: Iterable[tuple[int, list[str]]]
                  ) -> Iterator[tuple[int, str, dict[str, object]]]:  # fmt: skip
    """``(line, claim id, facts)`` of each row of an events table (its cells as text)."""
    for lineno, row in rows:
        if "measure" not in columns:  # an events file of no events may leave it out
            fail(_("the events file has no column 'measure': an event without one would "
                   "be of unknown measure (leave its cell empty where it is unknown)"),
                 name, lineno)  # fmt: skip
        record = row_record(name, lineno, row, columns, EVENT_CSV)
        cid = record.pop("claim_id", None)
        if not isinstance(cid, str):
            fail(_("the event has no claim_id"), name, lineno, "claim_id")
        yield lineno, cid, record


class ClaimsTable(abc.ABC):
    """The claims table of a registry of two tables, read a row at a time: iterating gives
    ``(position, claim)``, each claim without its events (they are in the events table).
    Duplicate ids are the caller's to find, as with :class:`JsonlReader`. A position is a
    line of a CSV file, a row of a Parquet file (``unit``)."""

    #: what a position counts, for messages
    unit = N_("line")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = str(self.path)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def __iter__(self) -> Iterator[tuple[int, Claim]]:
        for lineno, record in self.records():
            yield lineno, Claim(**record)  # type: ignore[arg-type]

    @abc.abstractmethod
    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        """``(position, facts)``: each claim's checked facts, without building the claim."""


class EventsTable(abc.ABC):
    """The events table of a registry of two tables, read a row at a time: iterating gives
    ``(position, claim id, event)``. Which claim the id names, how many events a claim has
    and whether an event id is given twice for one claim are the caller's to check
    (:func:`unknown_claim`, :func:`too_many_events`, :func:`duplicate_event_id`)."""

    unit = N_("line")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = str(self.path)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def __iter__(self) -> Iterator[tuple[int, str, Event]]:
        for lineno, cid, record in self.records():
            yield lineno, cid, Event(**record)  # type: ignore[arg-type]

    @abc.abstractmethod
    def records(self) -> Iterator[tuple[int, str, dict[str, object]]]:
        """``(position, claim id, facts)``: each event's checked facts, without building it."""


class CsvClaims(ClaimsTable):
    """The claims file of a CSV registry."""

    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        rows = _read_csv_rows(self.path, "CSV")
        columns = _csv_header(self.path, rows, N_("claims"), claims_header)
        yield from claim_records(self.name, columns, rows)


class CsvEvents(EventsTable):
    """The events file of a CSV registry."""

    def records(self) -> Iterator[tuple[int, str, dict[str, object]]]:
        rows = _read_csv_rows(self.path, "CSV")
        columns = _csv_header(self.path, rows, N_("events"), events_header)
        yield from event_records(self.name, columns, rows)


def unknown_claim(cid: str, claims_file: str, suggestion: str, events_file: str,
                  line: int) -> NoReturn:  # fmt: skip
    """Raise the error of an event whose claim is not in the claims file (``suggestion``:
    ``did_you_mean``'s text)."""
    fail(_("no claim '{cid}' in {claims_file}{suggestion}").format(
             cid=cid, claims_file=claims_file, suggestion=suggestion),
         events_file, line, "claim_id")


def too_many_events(cid: str, events_file: str, line: int) -> NoReturn:
    """Raise the error of a claim's event beyond :data:`~kzrehab.limits.MAX_EVENTS_PER_CLAIM`."""
    fail(MAX_EVENTS_PER_CLAIM.message(_("claim '{cid}' with more events").format(cid=cid)),
         events_file, line)


def duplicate_event_id(event_id: str, cid: str, first: int, events_file: str,
                       line: int, unit: str = "line") -> NoReturn:  # fmt: skip
    """Raise the error of an event id given twice for one claim (``unit``: what ``first``
    counts, a line or a row)."""
    fail(_("duplicate event id '{event_id}' for claim '{cid}' (first on {unit} {first})").format(
             event_id=event_id, cid=cid, unit=_(unit), first=first),
          events_file, line, "id")  # fmt: skip


def read_csv(
    claims_path: str | os.PathLike[str], events_path: str | os.PathLike[str]
) -> tuple[Claim, ...]:
    """Every claim of a CSV registry: a claims file and an events file joined on ``claim_id``.

    Raises :class:`~kzrehab.errors.RegistryError` naming the file and the line.
    """
    return read_tables(CsvClaims(claims_path), CsvEvents(events_path))


def read_tables(claims_file: ClaimsTable, events_file: EventsTable) -> tuple[Claim, ...]:
    """Every claim of a registry of two tables, its events joined on ``claim_id``: a claim's
    events in the order of the events table."""
    unit = claims_file.unit
    records: dict[str, Claim] = {}
    lines: dict[str, int] = {}
    for lineno, claim in claims_file:
        cid = claim.id
        if cid in lines:
            duplicate_id(cid, lines[cid], claims_file.name, lineno, unit)
        lines[cid] = lineno
        records[cid] = claim

    events: dict[str, list[tuple[int, Event]]] = {cid: [] for cid in records}
    limit = MAX_EVENTS_PER_CLAIM.value
    for lineno, cid, event in events_file:
        mine = events.get(cid)
        if mine is None:
            unknown_claim(cid, claims_file.name, did_you_mean(cid, records), events_file.name,
                          lineno)  # fmt: skip
        if len(mine) >= limit:
            too_many_events(cid, events_file.name, lineno)
        if event.id is not None:
            for other_line, other in mine:
                if other.id == event.id:
                    duplicate_event_id(event.id, cid, other_line, events_file.name, lineno,
                                       unit)  # fmt: skip
        mine.append((lineno, event))

    return tuple(attrs.evolve(claim, events=tuple(e for __, e in events[cid]))
                 for cid, claim in records.items())  # fmt: skip
