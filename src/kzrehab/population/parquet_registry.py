"""Parquet registries: the two tables of a CSV registry as Parquet files, read a batch of
rows at a time.

``NAME.parquet`` holds the claims and ``NAME.events.parquet`` beside it the events (or a
directory holds ``claims.parquet`` and ``events.parquet``): the columns of the CSV registry
(:mod:`kzrehab.population.registry`), typed. Each column's type must fit its fact
(:data:`ACCEPTED`); each cell is then given, as the text a CSV cell would hold, to the CSV
registry's own checks (:func:`~.csv_registry.claim_records`,
:func:`~.csv_registry.event_records`), so both formats accept the same values and report
the same problems, each with its file, row (the first row is 1) and column.

Rows are read a batch at a time (:meth:`pyarrow.parquet.ParquetFile.iter_batches`): memory
holds a row group of the file, not the file. pyarrow is an optional dependency
(``pip install 'kzrehab[parquet]'``), imported only when a Parquet file is read.
"""

from __future__ import annotations

__all__ = ["ParquetClaims", "ParquetEvents", "read_parquet", "ACCEPTED", "BATCH"]

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .._extras import require
from ..claims import Claim
from ..i18n import N_, _
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind
from .csv_registry import (
    ClaimsTable,
    EventsTable,
    claim_records,
    claims_header,
    event_records,
    events_header,
    read_tables,
)
from .reading import fail, open_registry

#: rows converted at a time
BATCH = 8_192

#: the column types each kind of fact accepts (text always: it is checked as a CSV cell)
ACCEPTED: dict[FactKind, tuple[str, ...]] = {
    FactKind.BOOL: ("boolean", "text"),
    FactKind.INT: ("integer", "floating point", "text"),
    FactKind.DATE: ("date", "text"),
    FactKind.STR: ("text", "integer"),
    FactKind.COUNTRY: ("text",),
    FactKind.ENUM: ("text",),
}
_WHAT = {FactKind.BOOL: N_("true or false"), FactKind.INT: N_("an integer"),
         FactKind.DATE: N_("a date (YYYY, YYYY-MM or YYYY-MM-DD as text)"),
         FactKind.STR: N_("text"), FactKind.COUNTRY: N_("a country code (text)"),
         FactKind.ENUM: N_("one of its names (text)")}  # fmt: skip
_HINT = {"floating point": N_(" (pandas writes an integer column with missing values as "
                              "floating point: convert it with .astype('Int64') first)"),
         "timestamp": N_(" (cast it to a date first)")}  # fmt: skip


def _pyarrow() -> tuple[Any, Any]:
    """``pyarrow`` and ``pyarrow.parquet``, or :class:`~kzrehab.errors.MissingExtraError`
    saying how to install them."""
    return (require("pyarrow", _("reading a Parquet registry")),
            require("pyarrow.parquet", _("reading a Parquet registry")))  # fmt: skip


def _kind_of_type(pa: Any, t: Any) -> str:
    """What a column's Arrow type holds: ``boolean``, ``integer``, ``date``, ``text``,
    ``null`` (no value at all), or the name of another type."""
    types = pa.types
    if types.is_dictionary(t):
        return "text" if _kind_of_type(pa, t.value_type) == "text" else str(t)
    if types.is_string(t) or types.is_large_string(t) or types.is_string_view(t):
        return "text"
    for kind, test in (("null", types.is_null), ("boolean", types.is_boolean),
                       ("integer", types.is_integer), ("date", types.is_date),
                       ("floating point", types.is_floating),
                       ("timestamp", types.is_timestamp)):  # fmt: skip
        if test(t):
            return kind
    return str(t)


def _number(v: float) -> str:
    """A floating-point value as a CSV cell: a whole number as its digits (R writes whole
    numbers as doubles), NaN as an empty cell (pandas' missing value); anything else as
    written, which the integer check then refuses."""
    if math.isnan(v):
        return ""
    return str(int(v)) if v.is_integer() else repr(v)


def _cells(pa: Any, column: Any, held: str) -> list[str | None]:
    """A batch's column as the text of CSV cells (None: a null), converted by Arrow where
    it can be: integers, booleans (``true``/``false``), dates (ISO) and dictionary-encoded
    text are cast to text whole."""
    if held == "floating point":
        return [None if v is None else _number(v) for v in column.to_pylist()]
    if held == "null":
        return [None] * len(column)
    if held != "text" or pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    cells: list[str | None] = column.to_pylist()
    return cells


def _held(pa: Any, name: str, schema: Any, columns: list[str], facts: dict[str, FactKind],
          ) -> list[str]:  # fmt: skip
    """What each column holds (:func:`_kind_of_type`); a column whose type does not fit its
    fact is an error naming the file and the column."""
    out = []
    for i, col in enumerate(columns):
        kind = facts[col]
        held = _kind_of_type(pa, schema.field(i).type)
        if held != "null" and held not in ACCEPTED[kind]:
            fail(_("column '{col}' holds {held} values, but {col} is {WHAT}: give it as "
                   "{items}{held2}").format(
                     col=col, held=held, WHAT=_(_WHAT[kind]), items=_(" or ").join(ACCEPTED[kind]),
                     held2=_(_HINT[held]) if held in _HINT else ""), name, key=col)
        out.append(held)
    return out


@contextmanager
def _parquet(path: Path, name: str) -> Iterator[tuple[Any, Any]]:
    """pyarrow and the open Parquet file (a regular file within the size limit)."""
    pa, pq = _pyarrow()
    with open_registry(path, limited=True) as f:
        try:
            pf = pq.ParquetFile(f)
        except (pa.ArrowException, OSError) as exc:
            fail(_("is not a Parquet file ({exc})").format(exc=exc), name)
        yield pa, pf


def _rows(pa: Any, pf: Any, name: str, columns: list[str], facts: dict[str, FactKind]
          ) -> Iterator[tuple[int, list[str]]]:  # fmt: skip
    """``(row, cells as text)`` of each row of an open Parquet file that is not blank."""
    held = _held(pa, name, pf.schema_arrow, columns, facts)
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=BATCH):
            cells = [_cells(pa, column, h) for column, h in zip(batch.columns, held, strict=True)]
            for values in zip(*cells, strict=True):
                row += 1
                if any(v is not None and v.strip() for v in values):
                    yield row, ["" if v is None else v for v in values]
    except (pa.ArrowException, OSError) as exc:
        fail(_("cannot read row {n} or later ({exc})").format(n=row + 1, exc=exc), name)


_CLAIM_KINDS = {name: f.kind for name, f in CLAIM_FACTS.items()}
_EVENT_KINDS = {name: f.kind for name, f in EVENT_FACTS.items()}
_EVENT_KINDS.update(id=FactKind.STR, claim_id=FactKind.STR)


class ParquetClaims(ClaimsTable):
    """The claims file of a Parquet registry."""

    unit = N_("row")

    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        with _parquet(self.path, self.name) as (pa, pf):
            columns = claims_header(self.name, None, list(pf.schema_arrow.names))
            yield from claim_records(self.name, columns,
                                     _rows(pa, pf, self.name, columns, _CLAIM_KINDS))


class ParquetEvents(EventsTable):
    """The events file of a Parquet registry."""

    unit = N_("row")

    def records(self) -> Iterator[tuple[int, str, dict[str, object]]]:
        with _parquet(self.path, self.name) as (pa, pf):
            columns = events_header(self.name, None, list(pf.schema_arrow.names))
            yield from event_records(self.name, columns,
                                     _rows(pa, pf, self.name, columns, _EVENT_KINDS))


def read_parquet(
    claims_path: str | os.PathLike[str], events_path: str | os.PathLike[str]
) -> tuple[Claim, ...]:
    """Every claim of a Parquet registry: a claims file and an events file joined on
    ``claim_id``. Raises :class:`~kzrehab.errors.RegistryError` naming the file, the row
    and the column (:class:`~kzrehab.errors.MissingExtraError` when pyarrow is not
    installed)."""
    return read_tables(ParquetClaims(claims_path), ParquetEvents(events_path))
