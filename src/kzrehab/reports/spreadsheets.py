"""Tables written as files: CSV (one file, or a zip of one per table), an XLSX workbook, and
Parquet for per-claim rows (``docs/reports.rst``, *Tables: CSV, XLSX, Parquet*).

The tables themselves are :mod:`kzrehab.reports.tables`; this module only writes them, the
same bytes for the same tables (a zip's and a workbook's dates are fixed):

- CSV in one of three dialects (:data:`DIALECTS`): ``excel-ru``, for Excel in Kazakhstan
  and Russia (a UTF-8 byte order mark, ``;`` between cells, a decimal comma), ``excel``
  (the mark, ``,``, a decimal point) and ``plain`` (no mark, ``,``, a point). Yes/no
  values are ``yes``/``no``; in the Excel dialects a cell of words that starts with ``=``,
  ``+``, ``-``, ``@`` or a tab is written after a ``'`` so that Excel does not run it as a
  formula;
- XLSX through XlsxWriter: a sheet ``About`` (the report, the population, the assessment
  date, the laws and commits, the suppression threshold), then a sheet per table (names cut
  to Excel's 31 characters), numbers as numbers, words never read as formulas, a
  suppressed cell blank, shaded and annotated;
- Parquet through pyarrow (the extra ``parquet``): the per-claim table, typed columns.

In Kazakh and Russian (:mod:`kzrehab.i18n`) the header rows, the sheets' names, the sheet
``About``, the notes and the enum values in cells are the language's words
(:func:`headers`, :func:`shown_rows`, :mod:`kzrehab.reports.data.labels`); in English the
header row holds the columns' keys, as it always has. The zip's files keep the tables'
stable names in every language.
"""

from __future__ import annotations

__all__ = ["DIALECTS", "Dialect", "csv_bytes", "zip_bytes", "write_xlsx", "write_parquet",
           "about_rows", "sheet_names", "headers", "shown_rows", "XLSX_ROWS", "write_tables",
           "BINARY"]  # fmt: skip

import csv
import datetime as dt
import io
import json
import numbers
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import attrs

from .. import i18n
from ..errors import UsageError
from ..i18n import N_, _, ngettext
from .data.labels import ENUM_KEYS, SEPARATOR, cell_label, column_label, labelled
from .fields import Kind
from .tables import SUMMARY, SUPPRESSED, Cell, Table, claims_table, report_tables


@attrs.frozen
class Dialect:
    """How a CSV file is written."""

    delimiter: str
    decimal: str
    bom: bool
    #: cells of words that a spreadsheet would run as a formula get a ``'`` first
    guard: bool
    terminator: str = "\r\n"


#: the CSV dialects of ``--csv-dialect``; the first is the default
DIALECTS = {
    "excel-ru": Dialect(";", ",", bom=True, guard=True),
    "excel": Dialect(",", ".", bom=True, guard=True),
    "plain": Dialect(",", ".", bom=False, guard=False, terminator="\n"),
}
#: the most rows a sheet holds (Excel's limit, less the header)
XLSX_ROWS = 1_048_575
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
#: every member of a zip is dated so (the earliest date a zip can hold): the same bytes
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _number(x: float) -> str:
    text = repr(x)
    return format(x, "f") if "e" in text else text


def _csv_cell(v: Cell, d: Dialect) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        text = _number(v)
        return text.replace(".", d.decimal) if d.decimal != "." else text
    if d.guard and v.startswith(_FORMULA):
        return "'" + v
    return v


def csv_bytes(table: Table, dialect: str) -> bytes:
    """One table as a CSV file in a dialect of :data:`DIALECTS` (UTF-8)."""
    d = DIALECTS[dialect]
    out = io.StringIO()
    w = csv.writer(out, delimiter=d.delimiter, lineterminator=d.terminator)
    w.writerow(headers(table))
    w.writerows([_csv_cell(v, d) for v in row] for row in shown_rows(table))
    return ("\ufeff" if d.bom else "").encode("utf-8") + out.getvalue().encode("utf-8")


def zip_bytes(tables: Sequence[Table], dialect: str) -> bytes:
    """A zip of one CSV file per table, ``NAME.csv``, in the tables' order; dated so that
    the same tables give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for t in tables:
            info = zipfile.ZipInfo(f"{t.name}.csv", _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, csv_bytes(t, dialect))
    return buffer.getvalue()


# -- what people read: the header row and the cells, in the language of output ---------------


def headers(table: Table) -> list[str]:
    """The header row of a table as written: its columns (the stable keys) in English, their
    labels in Kazakh and Russian (:func:`~kzrehab.reports.data.labels.column_label`)."""
    return [column_label(c) for c in table.columns]


def shown_rows(table: Table) -> Iterator[tuple[Cell, ...]]:
    """The rows of a table as written. In English, as they are. In Kazakh and Russian an
    enum value is a word of the language, the summary's fields and the
    ``suppressed`` column name columns by their labels (joined by ``"; "``: a label may
    hold spaces)."""
    if not labelled():
        yield from table.rows
        return
    labels = headers(table)
    mark = len(table.columns) - 1 if table.columns[-1:] == (SUPPRESSED,) else -1
    field = table.name == SUMMARY
    enums = {c for c, col in enumerate(table.columns)
             if col.partition(":")[0].rsplit(".", 1)[-1] in ENUM_KEYS}
    memo: dict[tuple[int, str], Cell] = {}  # a million claims: each enum word translated once

    def shown(c: int, v: Cell) -> Cell:
        if not isinstance(v, str):  # a yes/no too: a word in CSV (_csv_cell), XLSX's boolean
            return v
        if c in enums:
            found: Cell = memo.get((c, v))
            if found is None:
                found = memo[(c, v)] = str(cell_label(table.columns[c], v))
            return found
        return column_label(v) if field and c == 0 else v

    for r, row in enumerate(table.rows):
        cells = [shown(c, v) for c, v in enumerate(row)]
        if mark >= 0:
            blank = table.blanked[r] if table.blanked else frozenset()
            cells[mark] = "; ".join(labels[i] for i in sorted(blank)) or None
        yield tuple(cells)


#: what Excel does not allow in a sheet's name
_NOT_IN_SHEET = str.maketrans({c: "-" for c in "[]:*?/\\"})


def sheet_names(names: Iterable[str], about: str = "About") -> list[str]:
    """A sheet name per table: Excel's 31 characters at most, unique whatever the case (and
    other than ``about``, the first sheet's); a long label first keeps only the first word
    of each part before its last (``Новая редакция · По категориям`` →
    ``Новая · По категориям``), then a long name keeps its last parts
    (``laws_changed.laws.provisions.redline`` → ``laws.provisions.redline``; a label's
    parts are joined by :data:`~kzrehab.reports.data.labels.SEPARATOR`)."""
    out: list[str] = []
    taken = {about.lower()}
    for name in names:
        short = name.translate(_NOT_IN_SHEET)
        if len(short) > 31 and SEPARATOR in short:  # a label: its parts before the last
            parts = short.split(SEPARATOR)        # shortened to their first words first
            brief = SEPARATOR.join([*(p.split()[0] for p in parts[:-1] if p.split()),
                                    parts[-1]])  # fmt: skip
            short = brief if len(brief) <= 31 else short
        sep = SEPARATOR if SEPARATOR in short else "."
        while len(short) > 31 and sep in short:
            short = short.split(sep, 1)[1]
        short = stem = short[:31]
        n = 2
        while short.lower() in taken:  # the first free ~N after the name (not ~2~3)
            tail = f"~{n}"
            short = stem[: 31 - len(tail)] + tail
            n += 1
        taken.add(short.lower())
        out.append(short)
    return out


# -- About: what a workbook is of -----------------------------------------------------------------


def _walk(value: Any) -> Iterator[Any]:
    """Every attrs record inside a report's data, depth first."""
    if isinstance(value, tuple | list):
        for v in value:
            yield from _walk(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif attrs.has(type(value)):
        yield value
        for f in attrs.fields(type(value)):
            yield from _walk(getattr(value, f.name))


def about_rows(title: str, data: Any, summary: Table, tables: Sequence[str] = ()
               ) -> list[tuple[Cell, ...]]:  # fmt: skip
    """The rows of the sheet ``About``: the report, the population, the assessment date, the
    laws and the commits it measures, and the suppression threshold. In Kazakh and Russian
    also the name of each of ``tables`` (the stable names, ``--table NAME``) beside its
    sheet's translated name."""
    from .._version import __version__
    from .data.common import SCHEMA, LawInfo
    from .history import CommitRecord

    values = {r[0]: r[1] for r in summary.rows}
    k = getattr(data, "suppressed_below", None)
    rows: list[tuple[Cell, ...]] = [
        (_("report"), title),
        (_("made by"), _("kzrehab {version} (JSON schema {schema})").format(
            version=__version__, schema=SCHEMA))]  # fmt: skip
    rows += [(column_label(name), cell_label(name, v)) for name, v in values.items()
             if isinstance(name, str) and name.startswith("population.")]
    rows.append((_("as of"), i18n.date(data.as_of)))
    for f in attrs.fields(type(data)):  # what the document names as its laws, as given
        v = getattr(data, f.name)
        if f.name in ("laws", "base", "directory", "in_force", "claim") and (
                isinstance(v, str) or (isinstance(v, tuple) and v and not attrs.has(
                    type(v[0])))):  # fmt: skip
            rows.append((column_label(f.name), v if isinstance(v, str) else "; ".join(
                " ".join(x) if isinstance(x, tuple) else str(x) for x in v)))
    rows.append((_("suppressed below"), k))
    rows.append((_("suppressed cells"), _("none: the report is not suppressed") if k is None
                 else ngettext("blank and shaded, with a note, and named in each row's column "
                               "'{column}': they count fewer than {k} claim",
                               "blank and shaded, with a note, and named in each row's column "
                               "'{column}': they count fewer than {k} claims", k).format(
                                   column=column_label(SUPPRESSED), k=k)))  # fmt: skip
    records = list(_walk(data))
    laws = list(dict.fromkeys((x.id, x.ref, x.commit, x.version) for x in records
                              if isinstance(x, LawInfo)))  # fmt: skip
    if laws:
        rows += [(), _about_laws(), *laws]
    commits = list(dict.fromkeys((c.hexsha, i18n.date(c.date) if labelled() else
                                  c.date.isoformat(), c.author, c.message)
                                 for c in records if isinstance(c, CommitRecord)))
    if commits:
        rows += [(), _about_commits(), *commits]
    if labelled():  # the stable names of the sheets, for a program reading the workbook
        rows += [(), _about_sheets(), *zip(
            sheet_names(column_label(t) for t in tables), tables, strict=True)]
    return rows


def _about_laws() -> tuple[str, ...]:
    return (_("law"), _("ref"), _("commit"), _("version"))


def _about_commits() -> tuple[str, ...]:
    return (_("commit"), _("date"), _("author"), _("message"))


def _about_sheets() -> tuple[str, ...]:
    return (_("sheet"), _("table"))


# -- XLSX -----------------------------------------------------------------------------------------


def write_xlsx(out: IO[bytes], tables: Sequence[Table], about: Sequence[tuple[Cell, ...]],
               *, title: str, created: dt.date, k: int | None) -> None:  # fmt: skip
    """Write a workbook: the sheet ``About``, then one sheet per table.

    Its document properties are fixed (created on ``created``, the assessment date), so
    the same tables give the same bytes. A workbook with more than a few hundred thousand
    cells is written row by row from temporary files (XlsxWriter's constant memory).
    """
    import xlsxwriter

    cells = sum(len(t.rows) * len(t.columns) for t in tables)
    big = cells > 2_000_000
    wb = xlsxwriter.Workbook(out, {"constant_memory": big, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": title, "author": "kzrehab", "comments": "",
                       "created": dt.datetime.combine(created, dt.time())})  # fmt: skip
    bold = wb.add_format({"bold": True})
    formats = {Kind.COUNT: wb.add_format({"num_format": "#,##0"}),
               Kind.FIGURE: wb.add_format({"num_format": "#,##0"}),
               Kind.MONEY: wb.add_format({"num_format": "#,##0.00"})}  # fmt: skip
    blank = wb.add_format({"pattern": 1, "bg_color": "#D9D9D9"})
    note = "" if k is None else ngettext("suppressed: fewer than {k} claim",
                                         "suppressed: fewer than {k} claims", k).format(k=k)
    about_sheet = _("About")
    ws = wb.add_worksheet(about_sheet)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 3, 40)
    heads = {_about_laws(), _about_commits(), _about_sheets()}
    for r, row in enumerate(about):
        for c, v in enumerate(row):
            _put(ws, r, c, v, bold if c == 0 or tuple(row) in heads else None)
    names = sheet_names((column_label(t.name) for t in tables), about_sheet)
    for t, name in zip(tables, names, strict=True):
        ws = wb.add_worksheet(name)
        head = headers(t)
        for c, col in enumerate(head):
            ws.set_column(c, c, min(max(len(col) + 2, 10), 48))
        ws.write_row(0, 0, head, bold)
        ws.freeze_panes(1, 0)
        writers = {str: ws.write_string, int: ws.write_number, float: ws.write_number,
                   bool: ws.write_boolean}  # fmt: skip
        kinds = [formats.get(k) if k is not None else None for k in t.kinds]
        summary = t.name == SUMMARY  # its values: an amount (a float) as money
        for r, row in enumerate(shown_rows(t), start=1):
            marked = t.blanked[r - 1] if t.blanked else ()
            for c, v in enumerate(row):
                if v is None:
                    if c in marked:
                        ws.write_blank(r, c, None, blank)
                        if not big:
                            ws.write_comment(r, c, note)
                    continue
                fmt = formats[Kind.MONEY] if summary and type(v) is float else kinds[c]
                write = writers.get(type(v))
                if write is None:
                    _put(ws, r, c, v, fmt)
                else:
                    write(r, c, v, fmt)
        if t.rows:
            ws.autofilter(0, 0, len(t.rows), len(t.columns) - 1)
    wb.close()


def _put(ws: Any, r: int, c: int, v: Any, fmt: Any) -> None:
    if v is None:
        return
    if isinstance(v, bool):
        ws.write_boolean(r, c, v, fmt)
    elif isinstance(v, numbers.Real):  # a NumPy number too
        ws.write_number(r, c, float(v), fmt)
    else:
        ws.write_string(r, c, str(v), fmt)


# -- Parquet --------------------------------------------------------------------------------------


def write_parquet(out: IO[bytes], columns: Any, what: str,
                  about: Sequence[tuple[Cell, ...]] = ()) -> None:  # fmt: skip
    """Write per-claim columns (a result's ``claim_columns``) as one Parquet table: numbers
    as ``double`` (null: none), words as strings, yes/no as booleans (the extra
    ``parquet``). ``about`` (the rows of the sheet ``About``: the population, the
    assessment date, the laws and commits) goes into the file's metadata as JSON under
    ``kzrehab.about``, so the file says what it measures once it is shared."""
    from .._extras import require

    pa = require("pyarrow", what)
    pq = require("pyarrow.parquet", what)
    import numpy as np

    arrays = {}
    for name, v in columns.items():
        if isinstance(v, np.ndarray) and v.dtype.kind == "f":
            arrays[name] = pa.array(v, pa.float64(), from_pandas=True)  # NaN → null
        elif isinstance(v, np.ndarray) and v.dtype.kind == "b":
            arrays[name] = pa.array(v, pa.bool_())
        else:
            arrays[name] = pa.array(list(v), pa.string())
    meta = {b"kzrehab.about": json.dumps([list(r) for r in about if r], default=str,
                                         ensure_ascii=False).encode()}  # fmt: skip
    pq.write_table(pa.table(arrays).replace_schema_metadata(meta), out)


# -- a report's tables, written -------------------------------------------------------------------

#: why each table format needs ``-o FILE`` (CSV: when it is a zip of several tables)
BINARY = {"csv": N_("a zip of one CSV file per table"), "xlsx": N_("an XLSX workbook"),
          "parquet": N_("a Parquet file")}  # fmt: skip


def write_tables(
    fmt: str,
    output: str | None,
    *,
    title: str,
    data: Any,
    original: Any = None,
    claims: Any = None,
    dialect: str = "excel-ru",
    table: str | None = None,
    stdout: IO[bytes] | None = None,
) -> None:
    """Write a report's data (``original``: before suppression) as ``csv``, ``xlsx`` or
    ``parquet`` to ``output``, atomically — or, for one table as CSV, to ``stdout``.

    ``claims`` are per-claim columns (``--claims``), the table ``claims``; ``table`` picks
    one table by name. Binary output (a zip, a workbook, Parquet) is never written to
    standard output: without ``output`` it is a :class:`~kzrehab.errors.UsageError`.
    """
    from .._io import atomic_output

    if fmt == "parquet":
        if claims is None:
            raise UsageError(_("--format parquet writes one row per claim: add --claims"))
        if not output:
            raise UsageError(_("--format {format} writes {what}: give -o FILE").format(
                format=fmt, what=_(BINARY[fmt])))
        about = about_rows(title, data, report_tables(data, original)[0])  # summary first
        with atomic_output(output) as out:
            write_parquet(out, claims, "--format parquet", about)
        return
    tables = report_tables(data, original)
    if claims is not None:
        tables.append(claims_table(claims))
    if table is not None:
        tables = _pick(tables, table)
    if fmt == "csv" and len(tables) == 1:
        content = csv_bytes(tables[0], dialect)
        if not output:
            assert stdout is not None
            stdout.write(content)
            stdout.flush()
            return
        with atomic_output(output) as out:
            out.write(content)
        return
    if not output:
        message = (_("--format {format} writes {what} here: give -o FILE (or --table NAME "
                     "for one table as CSV)") if fmt == "csv" else
                   _("--format {format} writes {what} here: give -o FILE"))  # fmt: skip
        raise UsageError(message.format(format=fmt, what=_(BINARY[fmt])))
    if fmt == "csv":
        with atomic_output(output) as out:
            out.write(zip_bytes(tables, dialect))
        return
    for t in tables:
        if len(t.rows) > XLSX_ROWS:
            raise UsageError(_("the table '{table}' has {n} rows, more than a sheet holds "
                               "({most}): use --format csv or parquet").format(
                                   table=t.name, n=i18n.number(len(t.rows)),
                                   most=i18n.number(XLSX_ROWS)))  # fmt: skip
    about = about_rows(title, data, tables[0] if tables[0].name == SUMMARY
                       else report_tables(data, original)[0], [t.name for t in tables])
    with atomic_output(output) as out:
        write_xlsx(out, tables, about, title=title, created=data.as_of,
                   k=getattr(data, "suppressed_below", None))


def _pick(tables: list[Table], name: str) -> list[Table]:
    for t in tables:
        if t.name == name:
            return [t]
    from .._suggest import did_you_mean

    names = [t.name for t in tables]
    raise UsageError(_("no table '{name}' in this report{suggestion}; its tables: "
                       "{tables}").format(name=name, suggestion=did_you_mean(name, names),
                                          tables=", ".join(names)))  # fmt: skip
