"""A report's data as tables: what ``--format csv``, ``xlsx`` and ``parquet`` write.

The tables are derived once, from a report's typed data (:mod:`kzrehab.reports.data`,
:mod:`kzrehab.reports.history`) after suppression, by walking its attrs fields and their
types — so a field added to the data appears in every table format without new code
(``docs/reports.rst``, *Tables: CSV, XLSX, Parquet*):

- the document's own values, and those of the single objects inside it, make the table
  ``summary``: one row per value, its ``field`` (the path of the field, ``figures.status.
  eligible``) and its ``value``;
- each list of records makes a table named by its path (``figures.by_category``,
  ``changes.amounts.by_component``): a row per record, a column per field; a single object
  inside a record adds its fields with its name as a prefix (``levels.status.gained``);
  a list inside a record makes its own table, whose first columns name the record it
  belongs to (``groups.target``);
- an amount range is two columns, ``NAME_min`` and ``NAME_max``; numbers stay numbers, a
  date is written as ``YYYY-MM-DD``; a list of words or a mapping of words is one cell,
  its items joined by ``"; "``; a recursive tree (an explanation's trace) is left out;
- a number blanked by suppression is None, and is **marked**: each table of a
  suppressed report ends with a column ``suppressed`` naming, per row, the columns
  blanked in it.

A field's marker (:mod:`kzrehab.reports.fields`) says what its column holds: a count, money
or a figure (:attr:`Table.kinds`).
"""

from __future__ import annotations

__all__ = ["Table", "report_tables", "table_of", "claims_table", "SUMMARY", "SUPPRESSED",
           "JOIN"]  # fmt: skip

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .data.common import Range
from .fields import Kind, kind_of

if TYPE_CHECKING:
    import pandas

#: the name of the table of the document's own values
SUMMARY = "summary"
#: the name of the column that marks a row's suppressed cells
SUPPRESSED = "suppressed"
#: how the items of a list of words are joined in one cell
JOIN = "; "

Cell = str | int | float | bool | None


@attrs.frozen
class Table:
    """One table: its name, columns, what each column holds, and its rows."""

    name: str
    columns: tuple[str, ...]
    #: per column: a count, money, a figure, or None (words, a date, a yes/no)
    kinds: tuple[Kind | None, ...]
    rows: Sequence[tuple[Cell, ...]]
    #: per row, the columns whose number was blanked by suppression (by index; empty: none)
    blanked: tuple[frozenset[int], ...] = ()

    def columns_dict(self) -> dict[str, list[Cell]]:
        """The table as columns: name → one value per row."""
        return {name: [row[i] for row in self.rows] for i, name in enumerate(self.columns)}

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_pandas(self, what: str) -> pandas.DataFrame:
        """The table as a :class:`pandas.DataFrame`: counts and figures as ``Int64`` (a
        blank is ``<NA>``), money as ``float64`` (``what`` names the result when pandas
        is missing)."""
        from .._extras import frame

        dtypes = {c: ("float64" if k is Kind.MONEY else "Int64")
                  for c, k in zip(self.columns, self.kinds, strict=True) if k is not None}
        return frame(self.columns_dict(), what, dtypes)


# -- the shape of a class: its columns and its lists, from its fields' types -------------------


@attrs.frozen
class _Col:
    name: str
    kind: Kind | None
    get: Callable[[Any], Cell]


@attrs.frozen
class _List:
    name: str
    get: Callable[[Any], Any]
    #: the record classes of its items
    items: tuple[type, ...]
    #: a mapping from a key to a list of records (its rows get a ``key`` column)
    keyed: bool


@attrs.frozen
class _Shape:
    cols: tuple[_Col, ...]
    lists: tuple[_List, ...]


def _name(field: str) -> str:
    return field.rstrip("_")


def _members(t: Any) -> list[Any]:
    """The members of a union (``X | None``: X), or the type itself."""
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(t) if a is not type(None)]
    return [t]


def _records(t: Any) -> tuple[type, ...] | None:
    """The record classes of ``t`` when it is one (or a union of) attrs classes."""
    found = _members(t)
    if found and all(isinstance(a, type) and attrs.has(a) for a in found):
        return tuple(found)
    return None


def _cell(v: Any) -> Cell:
    if v is None or isinstance(v, str | bool | int | float):
        return v
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, enum.Enum):
        return _cell(v.value)
    if isinstance(v, Mapping):
        return JOIN.join(f"{k}: {_cell(x)}" for k, x in v.items())
    if isinstance(v, tuple | list):
        return JOIN.join(str(_cell(x)) if not isinstance(x, tuple | list)
                         else " ".join(str(_cell(y)) for y in x) for x in v)  # fmt: skip
    return str(v)


def _via(get: Callable[[Any], Any], name: str) -> Callable[[Any], Any]:
    def inner(obj: Any) -> Any:
        holder = get(obj)
        return None if holder is None else getattr(holder, name, None)

    return inner


@functools.cache
def _shape(classes: tuple[type, ...]) -> _Shape:
    """The columns and lists of records of any of ``classes`` (a union's members share the
    columns of the same name)."""
    cols: dict[str, _Col] = {}
    lists: dict[str, _List] = {}
    for cls in classes:
        for c in _fields(cls, lambda obj: obj, ""):
            if isinstance(c, _Col):
                cols.setdefault(c.name, c)
            else:
                lists.setdefault(c.name, c)
    # a union's record has no value (None) in another member's columns: ``_via``
    return _Shape(tuple(cols.values()), tuple(lists.values()))


@functools.cache
def _recursive(cls: type) -> bool:
    """Whether records of ``cls`` may hold records of ``cls`` (a tree)."""
    seen: set[type] = set()
    todo = [cls]
    while todo:
        c = todo.pop()
        for t in typing.get_type_hints(c).values():
            for inner in _inner_types(t):
                if inner is cls:
                    return True
                if inner not in seen:
                    seen.add(inner)
                    todo.append(inner)
    return False


def _inner_types(t: Any) -> list[type]:
    """The attrs classes named anywhere in a type."""
    found = [t] if isinstance(t, type) and attrs.has(t) else []
    for a in typing.get_args(t):
        found += _inner_types(a)
    return found


def _fields(cls: type, get: Callable[[Any], Any], prefix: str) -> list[_Col | _List]:
    """The columns and lists of the fields of ``cls``, reached from a row by ``get``."""
    hints = typing.get_type_hints(cls)
    out: list[_Col | _List] = []
    for f in attrs.fields(cls):
        name, t, field_get = prefix + _name(f.name), hints[f.name], _via(get, f.name)
        kind = kind_of(f)
        inner = _members(t)
        if len(inner) == 1 and inner[0] is Range:
            out += [_Col(f"{name}_min", Kind.MONEY, _via(field_get, "min")),
                    _Col(f"{name}_max", Kind.MONEY, _via(field_get, "max"))]  # fmt: skip
            continue
        single = _records(t)
        if single is not None:
            if any(_recursive(c) for c in single):
                continue  # a tree (an explanation's trace): not a table
            for c in single:
                out += _fields(c, field_get, name + ".")
            continue
        origin = typing.get_origin(inner[0]) if len(inner) == 1 else None
        args = typing.get_args(inner[0]) if origin is not None else ()
        if origin is tuple and args and args[-1] is Ellipsis:
            items = _records(args[0])
            if items is not None:
                if not any(_recursive(c) for c in items):
                    out.append(_List(name, field_get, items, keyed=False))
                continue
        if origin is not None and issubclass(origin, Mapping) and len(args) == 2:
            value = args[1]
            if typing.get_origin(value) is tuple:
                items = _records(typing.get_args(value)[0])
                if items is not None:
                    out.append(_List(name, field_get, items, keyed=True))
                    continue
        out.append(_Col(name, kind, _cells(field_get)))
    return out


def _cells(get: Callable[[Any], Any]) -> Callable[[Any], Cell]:
    return lambda obj: _cell(get(obj))


# -- walking the data -------------------------------------------------------------------------


@attrs.define
class _Builder:
    suppressed: bool
    tables: dict[str, list[Any]] = attrs.field(factory=dict)
    shapes: dict[str, tuple[tuple[str, ...], tuple[Kind | None, ...]]] = attrs.field(
        factory=dict)

    def add(self, name: str, keys: list[tuple[str, Cell]], shape: _Shape,
            rows: list[tuple[Any, Any]]) -> None:  # fmt: skip
        """Rows of records ``(value, as before suppression)`` into the table ``name``, each
        after its ancestors' ``keys``; then the records' own lists."""
        table = self.tables.setdefault(name, [])
        self.shapes.setdefault(name, (
            tuple(k for k, _ in keys) + tuple(c.name for c in shape.cols),
            (None,) * len(keys) + tuple(c.kind for c in shape.cols)))  # fmt: skip
        for value, before in rows:
            cells = [c.get(value) for c in shape.cols]
            blank = frozenset(len(keys) + i for i, c in enumerate(shape.cols)
                              if cells[i] is None and c.get(before) is not None)
            table.append(((*(v for _, v in keys), *cells), blank))
            key = _key(shape, name, cells)
            self.lists(name, [*keys, *key], shape, value, before)

    def lists(self, name: str, keys: list[tuple[str, Cell]], shape: _Shape, value: Any,
              before: Any) -> None:  # fmt: skip
        for lst in shape.lists:
            path = f"{name}.{lst.name}" if name != SUMMARY else lst.name
            items, was = lst.get(value), lst.get(before)
            if items is None:
                continue
            sub = _shape(lst.items)
            if lst.keyed:
                for k in items:
                    pairs = list(zip(items[k], was[k], strict=True))
                    self.add(path, [*keys, ("key", k)], sub, pairs)
                if not items:
                    self.add(path, [*keys, ("key", None)], sub, [])
            else:
                self.add(path, keys, sub, list(zip(items, was, strict=True)))


def _key(shape: _Shape, name: str, cells: list[Cell]) -> list[tuple[str, Cell]]:
    """The column that names a record in its lists' tables: its first column of words."""
    last = name.rsplit(".", 1)[-1]
    for c, v in zip(shape.cols, cells, strict=True):
        if c.kind is None:
            return [(f"{last}.{c.name}", v)]
    return []


def report_tables(data: Any, original: Any = None) -> list[Table]:
    """The tables of a report's data (``original``: the data before suppression, to mark
    what suppression blanked; None: the data are not suppressed)."""
    before = data if original is None else original
    b = _Builder(suppressed=original is not None)
    shape = _shape((type(data),))
    summary: list[tuple[Cell, ...]] = []
    blanked: list[frozenset[int]] = []
    for c in shape.cols:
        v = c.get(data)
        summary.append((c.name, v))
        blanked.append(frozenset({1}) if v is None and c.get(before) is not None else frozenset())
    b.lists(SUMMARY, [], shape, data, before)
    out = [_finish(Table(SUMMARY, ("field", "value"), (None, None), tuple(summary),
                         tuple(blanked)), b.suppressed)]  # fmt: skip
    for name, rows in b.tables.items():
        columns, kinds = b.shapes[name]
        out.append(_finish(Table(name, columns, kinds, tuple(r for r, _ in rows),
                                 tuple(x for _, x in rows)), b.suppressed))  # fmt: skip
    return out


def _finish(t: Table, suppressed: bool) -> Table:
    """A suppressed report's table ends with the column naming each row's blanked cells."""
    if not suppressed:
        return t
    marks = tuple(" ".join(t.columns[i] for i in sorted(x)) or None for x in t.blanked)
    return Table(t.name, (*t.columns, SUPPRESSED), (*t.kinds, None),
                 tuple((*r, m) for r, m in zip(t.rows, marks, strict=True)), t.blanked)


def table_of(data: Any, name: str) -> Table:
    """One table of a report's data, by name (:func:`report_tables`)."""
    for t in report_tables(data):
        if t.name == name:
            return t
    raise KeyError(name)


def claims_table(columns: Mapping[str, Any]) -> Table:
    """The per-claim rows of a result (``claim_columns``) as the table ``claims``: numbers
    (NumPy floats, NaN: none) as money, words as words. Its rows are read from the columns
    as they are written (a million claims are never held as tuples)."""
    import numpy as np

    names = tuple(columns)
    kinds: list[Kind | None] = []
    lists: list[list[Cell]] = []
    for n in names:
        v = columns[n]
        if isinstance(v, np.ndarray) and v.dtype.kind == "f":
            kinds.append(Kind.MONEY)
            lists.append([None if x != x else x for x in v.tolist()])
        else:
            kinds.append(None)
            lists.append(v.tolist() if isinstance(v, np.ndarray) else list(v))
    return Table("claims", names, tuple(kinds), _Rows(lists))


class _Rows(Sequence[tuple[Cell, ...]]):
    """Rows read from columns."""

    def __init__(self, lists: list[list[Cell]]) -> None:
        self._lists = lists

    def __len__(self) -> int:
        return len(self._lists[0]) if self._lists else 0

    @typing.overload
    def __getitem__(self, i: int) -> tuple[Cell, ...]: ...
    @typing.overload
    def __getitem__(self, i: slice) -> Sequence[tuple[Cell, ...]]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return tuple(col[i] for col in self._lists)

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        return zip(*self._lists, strict=True)
