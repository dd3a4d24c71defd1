"""The columnar form of a population: every fact an array, events indexed by claim.

Encodings (the same the compiler reads; :mod:`kzrehab.rules.compiler`):

- booleans: ``int8`` Kleene values (0 false, 1 unknown, 2 true);
- integers and dates: two ``float64`` arrays, the lowest and highest possible value (dates
  as day ordinals; ``-inf``/``+inf`` when unknown), so partial dates keep their meaning;
- enums, strings and countries: ``int32`` codes into one shared string table, ``-1`` when
  unknown — except ``id`` (its code is the claim's row) and ``victim_id`` (codes into the
  table of victims), whose tables are as long as the population and are read only when a
  rule or a report needs them;
- events: one row per event, sorted by claim, ``event_claim`` the claim's row and
  ``offsets`` where each claim's events start; ``year`` and ``months`` are computed here.
"""

from __future__ import annotations

__all__ = ["Columns", "Names", "Ranges", "claims_from_columns", "OWN_TABLES"]

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..claims import Claim, Event
from ..dates import PartialDate
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, Fact, FactKind

Ranges = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]


#: the facts whose codes index their own table instead of the shared one
OWN_TABLES = {"id": "id", "victim_id": "victim"}


class Names:
    """The claim ids and the table of victim ids, given or read on first use."""

    def __init__(
        self,
        ids: Sequence[str] | Callable[[], Sequence[str]],
        victims: Sequence[str] | Callable[[], Sequence[str]],
    ) -> None:
        self._ids = ids
        self._victims = victims
        #: string → code, per table, built on first use
        self.codes: dict[str, dict[str, int]] = {}

    @functools.cached_property
    def ids(self) -> Sequence[str]:
        return self._ids() if callable(self._ids) else self._ids

    @functools.cached_property
    def victims(self) -> Sequence[str]:
        return self._victims() if callable(self._victims) else self._victims


@attrs.frozen(eq=False)
class Columns:
    """A population as arrays."""

    n_claims: int
    n_events: int
    #: the shared string table of every enum, string and country fact
    strings: tuple[str, ...]
    #: claim facts by name: int8 (bool), int32 codes (text) or (lo, hi) float64 pairs
    claim: dict[str, Any]
    #: event facts by name, ``year`` and ``months`` included
    event: dict[str, Any]
    #: for each event, the row of its claim (sorted)
    event_claim: npt.NDArray[np.int64]
    #: ``offsets[i]:offsets[i+1]`` are the events of claim ``i``
    offsets: npt.NDArray[np.int64]
    #: the tables of ``id`` and ``victim_id``
    names: Names

    def table(self, key: str = "") -> Sequence[str]:
        """A string table: the shared one (``""``), ``"id"`` or ``"victim"``."""
        if key == "id":
            return self.names.ids
        if key == "victim":
            return self.names.victims
        return self.strings

    def code(self, text: str, key: str = "") -> int:
        """The code of a string in a table, or -2 when no claim has it."""
        codes = self.names.codes.get(key)
        if codes is None:  # built once, shared by every chunk of the same population
            codes = self.names.codes[key] = {s: i for i, s in enumerate(self.table(key))}
        return codes.get(text, -2)

    def chunks(self, size: int) -> Iterator[tuple[int, Columns]]:
        """``(first claim row, columns)`` of consecutive chunks of at most ``size`` claims."""
        if self.n_claims <= size:
            yield 0, self
            return
        for a in range(0, self.n_claims, size):
            yield a, self.slice(a, min(a + size, self.n_claims))

    def slice(self, a: int, b: int) -> Columns:
        """The columns of claims ``a`` to ``b`` (excluded) and their events."""
        ea, eb = int(self.offsets[a]), int(self.offsets[b])

        def cut(col: Any, lo: int, hi: int) -> Any:
            if isinstance(col, tuple):
                return col[0][lo:hi], col[1][lo:hi]
            return col[lo:hi]

        return Columns(
            b - a,
            eb - ea,
            self.strings,
            {k: cut(v, a, b) for k, v in self.claim.items()},
            {k: cut(v, ea, eb) for k, v in self.event.items()},
            self.event_claim[ea:eb] - a,
            self.offsets[a : b + 1] - ea,
            self.names,
        )

    @classmethod
    def from_claims(cls, claims: Sequence[Claim]) -> Columns:
        """Build the columns of a list of claims."""
        table: dict[str, int] = {}
        events: list[Event] = [e for c in claims for e in c.events]
        counts = np.fromiter((len(c.events) for c in claims), np.int64, len(claims))
        offsets = np.zeros(len(claims) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        event_claim = np.repeat(np.arange(len(claims), dtype=np.int64), counts)
        claim_cols = {
            name: _column(fact, [getattr(c, name) for c in claims], table)
            for name, fact in CLAIM_FACTS.items()
            if name not in OWN_TABLES
        }
        victims: dict[str, int] = {}
        claim_cols["id"] = np.arange(len(claims), dtype=np.int32)
        claim_cols["victim_id"] = _column(
            CLAIM_FACTS["victim_id"], [c.victim_id or c.id for c in claims], victims
        )
        names = Names([c.id for c in claims], list(victims))
        event_cols = {
            name: _column(fact, [getattr(e, name) for e in events], table)
            for name, fact in EVENT_FACTS.items()
            if not fact.derived
        }
        start_lo, start_hi = event_cols["start"]
        end_lo, end_hi = event_cols["end"]
        event_cols["year"] = (_years(start_lo), _years(start_hi))
        event_cols["months"] = _months(start_lo, start_hi, end_lo, end_hi)
        return cls(len(claims), len(events), tuple(table), claim_cols, event_cols,
                   event_claim, offsets, names)  # fmt: skip


def _column(fact: Fact, values: list[Any], table: dict[str, int]) -> Any:
    n = len(values)
    if fact.kind is FactKind.BOOL:
        return np.fromiter((1 if v is None else 2 if v else 0 for v in values), np.int8, n)
    if fact.kind is FactKind.INT:
        lo = np.fromiter((fact.minimum if v is None else v for v in values), np.float64, n)
        hi = np.fromiter((math.inf if v is None else v for v in values), np.float64, n)
        return lo, hi
    if fact.kind is FactKind.DATE:
        return _dates(values)
    return np.fromiter((-1 if v is None else table.setdefault(v, len(table)) for v in values),
                       np.int32, n)  # fmt: skip


_UNKNOWN_DAYS = (-math.inf, math.inf)
#: the day ordinals of dates met so far: a population repeats the same dates many times
_ORDINALS: dict[PartialDate | None, tuple[float, float]] = {None: _UNKNOWN_DAYS}


def _dates(values: Iterable[PartialDate | None]) -> Ranges:
    known = _ORDINALS
    if len(known) > 1 << 16:  # bounded: a registry of many distinct days
        known.clear()
        known[None] = _UNKNOWN_DAYS
    pairs = [known.get(d) or known.setdefault(d, d.ordinals) for d in values]  # type: ignore[union-attr]
    arr = np.array(pairs, np.float64).reshape(-1, 2)
    return np.ascontiguousarray(arr[:, 0]), np.ascontiguousarray(arr[:, 1])


_EPOCH = np.datetime64("0001-01-01", "D")


def _ymd(ordinals: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int64], ...]:
    """Year, month and day of finite day ordinals (``date.toordinal`` numbering)."""
    days = (_EPOCH + (ordinals.astype(np.int64) - 1)).astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, day


def _years(ordinals: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = ordinals.copy()
    finite = np.isfinite(ordinals)
    out[finite] = _ymd(ordinals[finite])[0]
    return out


def _whole_months(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """:func:`kzrehab.dates.whole_months` on arrays of finite day ordinals."""
    ya, ma, da = _ymd(a)
    yb, mb, db = _ymd(b)
    n = (yb - ya) * 12 + (mb - ma) - (db < da)
    out: npt.NDArray[np.float64] = np.maximum(n, 0).astype(np.float64)
    return out


def _months(s_lo: Any, s_hi: Any, e_lo: Any, e_hi: Any) -> Ranges:
    """The ``months`` range of each event, as :func:`kzrehab.dates.months_range`."""
    lo = np.zeros(s_lo.shape, np.float64)
    ok = np.isfinite(s_hi) & np.isfinite(e_lo)
    lo[ok] = _whole_months(s_hi[ok], e_lo[ok])
    hi = np.full(s_lo.shape, math.inf)
    ok = np.isfinite(s_lo) & np.isfinite(e_hi)
    hi[ok] = _whole_months(s_lo[ok], e_hi[ok])
    return lo, hi


def _date_of(lo: float, hi: float) -> PartialDate | None:
    """The partial date whose day range is ``[lo, hi]`` (None when unbounded)."""
    if math.isinf(lo) or math.isinf(hi):
        return None
    first, last = dt.date.fromordinal(int(lo)), dt.date.fromordinal(int(hi))
    if first == last:
        return PartialDate.from_date(first)
    if first.month == last.month and first.year == last.year:
        return PartialDate(first.year, first.month)
    return PartialDate(first.year)


def _decode(fact: Fact, col: Any, i: int, strings: Sequence[str]) -> Any:
    if fact.kind is FactKind.BOOL:
        k = int(col[i])
        return None if k == 1 else k == 2
    if fact.kind is FactKind.INT:
        lo, hi = float(col[0][i]), float(col[1][i])
        return int(lo) if lo == hi else None
    if fact.kind is FactKind.DATE:
        return _date_of(float(col[0][i]), float(col[1][i]))
    code = int(col[i])
    return None if code < 0 else strings[code]


def claims_from_columns(
    columns: Columns,
    rows: Iterable[int],
    event_ids: Sequence[str | None] | None = None,
) -> list[Claim]:
    """Rebuild the claim objects of some rows (the inverse of :meth:`Columns.from_claims`)."""
    c = columns
    claim_facts = [(n, f) for n, f in CLAIM_FACTS.items()]
    event_facts = [(n, f) for n, f in EVENT_FACTS.items() if not f.derived]
    tables = {n: c.table(OWN_TABLES.get(n, "")) for n, _ in claim_facts}
    out = []
    for i in rows:
        events = tuple(
            Event(
                **{n: _decode(f, c.event[n], j, c.strings) for n, f in event_facts},
                id=event_ids[j] if event_ids else None,
            )
            for j in range(int(c.offsets[i]), int(c.offsets[i + 1]))
        )
        out.append(
            Claim(
                events=events,
                **{n: _decode(f, c.claim[n], i, tables[n]) for n, f in claim_facts},
            )
        )
    return out
