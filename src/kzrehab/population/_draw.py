"""How the synthetic population is drawn: a batch of claims of one archetype, column by
column, with NumPy, then made into :class:`~kzrehab.claims.Claim` objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..claims import Claim, Event
from ..dates import PartialDate

#: "today" for the synthetic population: ages, deaths and open-ended events stop here
REFERENCE_DATE = dt.date(2025, 1, 1)

IntA = npt.NDArray[np.int64]
BoolA = npt.NDArray[np.bool_]
ObjA = npt.NDArray[np.object_]
Column = Sequence[object]

_Y0, _Y1 = 1800, 2031
_JAN1: IntA = np.array([dt.date(y, 1, 1).toordinal() for y in range(_Y0, _Y1 + 1)], np.int64)
_YEAR_DAYS: IntA = np.diff(_JAN1)
_TODAY = REFERENCE_DATE.toordinal()
_NOW = REFERENCE_DATE.year

# How often a date is unknown, known to the year, to the month, to the day
SOVIET = (0.10, 0.25, 0.30, 0.35)
SOVIET_END = (0.30, 0.30, 0.20, 0.20)
FAMINE_DATES = (0.15, 0.55, 0.22, 0.08)
DEPORTATION = (0.05, 0.25, 0.35, 0.35)
MODERN = (0.03, 0.02, 0.10, 0.85)
MODERN_END = (0.10, 0.05, 0.15, 0.70)

#: Claim facts about the victim: a second heir's claim has those of the claim before it.
#: The others (claimant, claimant_birth_year, citizenship, residence, pensioner, disabled)
#: are the claimant's own.
_VICTIM_FACTS = (
    "victim_birth_year", "victim_alive", "victim_died", "born_in_repression",
    "victim_citizenship", "lived_in_kz", "ethnic_kazakh", "already_rehabilitated",
    "un_decision", "documentation",
)  # fmt: skip


#: Facts an event has when its archetype does not say otherwise: no proceeding, so no
#: outcome, no confession and no conviction for a grave crime; not as a family member. Each
#: is unknown in the given share (a registry leaves such cells blank).
_EVENT_DEFAULTS = (
    ("proceeding", "none", 0.15),
    ("outcome", "none", 0.25),
    ("confession", "none", 0.20),
    ("grave_crime", "none", 0.15),
    ("as_family_member", False, 0.20),
)


def _norm(p: Sequence[float]) -> npt.NDArray[np.float64]:
    a = np.asarray(p, dtype=np.float64)
    out: npt.NDArray[np.float64] = a / a.sum()
    return out


def when(mask: BoolA, value: Any) -> ObjA:
    """``value`` (one, or one per claim) where ``mask`` holds, None elsewhere."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = value[mask] if isinstance(value, np.ndarray) else value
    return out


class Batch:
    """The columns of ``n`` claims of one archetype while they are being drawn.

    Victim facts and events are drawn per claim position and read, at build time, at the
    position of the claim's first claimant (:attr:`first`): a second heir's claim shares
    the victim and the events of the claim before it.
    """

    def __init__(self, rng: np.random.Generator, n: int, code: str,
                 dates: dict[int, PartialDate | None]) -> None:  # fmt: skip
        self.rng = rng
        self.n = n
        self.code = code
        self.first: IntA = np.arange(n, dtype=np.int64)
        self.columns: dict[str, Column] = {}
        self.slots: list[tuple[BoolA, dict[str, Column]]] = []
        #: the claims where the victim claims in person (set by :func:`claimants`)
        self.in_person: BoolA = np.zeros(n, dtype=bool)
        self._dates = dates

    # random draws ---------------------------------------------------------------------

    def chance(self, p: float | npt.NDArray[np.float64]) -> BoolA:
        """True with probability ``p`` (a number or one per claim)."""
        return self.rng.random(self.n) < p

    def exactly(self, share: float, among: BoolA | None = None) -> BoolA:
        """True for exactly ``round(share * count)`` claims (of ``among``), at random."""
        pool = np.flatnonzero(among) if among is not None else np.arange(self.n)
        k = round(share * len(pool))
        out = np.zeros(self.n, dtype=bool)
        out[self.rng.permutation(pool)[:k]] = True
        return out

    def pick(self, values: Sequence[str], p: Sequence[float]) -> ObjA:
        """One of ``values`` per claim with probabilities ``p``."""
        idx = self.rng.choice(len(values), size=self.n, p=_norm(p))
        return np.asarray(values, dtype=object)[idx]

    def share(self, values: Sequence[str], p: Sequence[float]) -> ObjA:
        """``values`` in exact proportions ``p`` (largest remainder), shuffled."""
        exact = _norm(p) * self.n
        counts = np.floor(exact).astype(np.int64)
        extra = self.n - int(counts.sum())
        counts[np.argsort(-(exact - counts), kind="stable")[:extra]] += 1
        out = np.repeat(np.asarray(values, dtype=object), counts)
        return np.asarray(self.rng.permutation(out), dtype=object)

    def ints(self, lo: int, hi: int) -> IntA:
        """Integers in ``[lo, hi]``."""
        return self.rng.integers(lo, hi + 1, self.n)

    def years(self, spec: Sequence[tuple[int, int, float]]) -> IntA:
        """Years drawn from ``(first, last, weight)`` spans, uniform within a span."""
        span = self.rng.choice(len(spec), size=self.n, p=_norm([w for _, _, w in spec]))
        lo = np.array([a for a, _, _ in spec])[span]
        hi = np.array([b for _, b, _ in spec])[span]
        return np.asarray(lo + np.floor(self.rng.random(self.n) * (hi - lo + 1)), np.int64)

    def day_in(self, years: IntA) -> IntA:
        """A day (ordinal) in each year."""
        y = years - _Y0
        return _JAN1[y] + np.floor(self.rng.random(self.n) * _YEAR_DAYS[y]).astype(np.int64)

    def day_between(self, first: str, last: str) -> IntA:
        """A day (ordinal) between two ISO dates, both included."""
        a = dt.date.fromisoformat(first).toordinal()
        b = dt.date.fromisoformat(last).toordinal()
        return self.rng.integers(a, b + 1, self.n)

    def earlier(self, day: IntA, lo_months: float, hi_months: float) -> IntA:
        """A day some months (uniform in the range) before ``day``."""
        m = lo_months + self.rng.random(self.n) * (hi_months - lo_months)
        return day - np.floor(m * 30.44).astype(np.int64)

    def later(self, start: IntA, lo_months: float, hi_months: float) -> IntA:
        """A day some months (uniform in the range) after ``start``."""
        m = lo_months + self.rng.random(self.n) * (hi_months - lo_months)
        return start + np.floor(m * 30.44).astype(np.int64)

    # columns --------------------------------------------------------------------------

    def unknown(self, values: Any, p: float) -> list[object]:
        """``values`` as Python objects, each unknown (None) with probability ``p``."""
        out: list[object] = (
            values.tolist() if isinstance(values, np.ndarray) else [values] * self.n
        )
        for i in np.flatnonzero(self.rng.random(self.n) < p).tolist():
            out[i] = None
        return out

    def dates(self, days: IntA, precision: Sequence[float]) -> list[object]:
        """Partial dates: each unknown, or known to the year, month or day, as ``precision``
        (four probabilities) says. Days after :data:`REFERENCE_DATE` are unknown."""
        prec = self.rng.choice(4, size=self.n, p=_norm(precision))
        prec[days > _TODAY] = 0
        keys, inverse = np.unique(days * 4 + prec, return_inverse=True)
        cache = self._dates
        made = np.empty(len(keys), dtype=object)
        for j, key in enumerate(keys.tolist()):
            pd = cache.get(key, _MISSING)
            if pd is _MISSING:
                pd = cache[key] = _partial(key >> 2, key & 3)
            made[j] = pd
        out: list[object] = made[inverse.reshape(-1)].tolist()
        return out

    def set(self, **columns: Any) -> None:
        """Claim facts: arrays, lists or one value for every claim."""
        for name, col in columns.items():
            self.columns[name] = col.tolist() if isinstance(col, np.ndarray) else (
                col if isinstance(col, list) else [col] * self.n
            )  # fmt: skip

    def event(self, present: BoolA | bool, **facts: Any) -> None:
        """One event for the claims where ``present`` holds (events stay in call order)."""
        mask = np.ones(self.n, dtype=bool) if present is True else np.asarray(present, bool)
        cols: dict[str, Column] = {}
        for name, col in facts.items():
            if col is None:
                continue
            cols[name] = col.tolist() if isinstance(col, np.ndarray) else (
                col if isinstance(col, list) else [col] * self.n
            )  # fmt: skip
        for name, value, unknown in _EVENT_DEFAULTS:
            if name not in facts:
                cols[name] = self.unknown(value, unknown)
        self.slots.append((mask, cols))

    def second_heirs(self, share: float, dead: BoolA) -> BoolA:
        """Let about ``share`` of claims be a second heir of the victim of the claim before
        (whose victim is then dead); returns the mask of those claims."""
        dup = self.chance(share)
        dup[0] = False
        dup[1:] &= ~dup[:-1]  # at most two claims per victim
        dup[1:] &= dead[:-1]
        self.first = np.where(dup, np.arange(self.n) - 1, np.arange(self.n))
        return dup

    def victim(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """A victim-level array read at each claim's victim."""
        return values[self.first]

    # building -------------------------------------------------------------------------

    def build(self) -> list[Claim]:
        """The claims: events made per slot, then claims, both positionally (fast)."""
        n = self.n
        none: list[object] = [None] * n
        per_slot: list[list[Event | None]] = []
        for mask, cols in self.slots:
            row: list[Event | None] = [None] * n
            where = np.flatnonzero(mask).tolist()
            if where:
                picked = [_take(cols.get(name, none), where) for name in _EVENT_FIELDS]
                for i, event in zip(where, map(Event, *picked), strict=True):
                    row[i] = event
            per_slot.append(row)
        if per_slot:
            events_of = [tuple(e for e in es if e is not None)
                         for es in zip(*per_slot, strict=True)]  # fmt: skip
        else:
            events_of = [()] * n
        width = max(6, len(str(n)))
        ids = [f"{self.code}-{i + 1:0{width}d}" for i in range(n)]
        first = self.first.tolist()
        victim_ids = [ids[v] if v != i else None for i, v in enumerate(first)]
        columns: list[Sequence[object]] = []
        for name in _CLAIM_FIELDS:
            if name == "id":
                columns.append(ids)
            elif name == "victim_id":
                columns.append(victim_ids)
            elif name == "events":
                columns.append([events_of[v] for v in first])
            elif name in _VICTIM_FACTS:
                col = self.columns.get(name, none)
                columns.append([col[v] for v in first])
            else:
                columns.append(self.columns.get(name, none))
        return list(map(Claim, *columns))


def _take(col: Sequence[object], where: list[int]) -> list[object]:
    return [col[i] for i in where]


_EVENT_FIELDS = tuple(f.name for f in attrs.fields(Event))
_CLAIM_FIELDS = tuple(f.name for f in attrs.fields(Claim))
_MISSING: Any = object()


def _partial(day: int, precision: int) -> PartialDate | None:
    if precision == 0:
        return None
    d = dt.date.fromordinal(day)
    if precision == 1:
        return PartialDate(d.year)
    if precision == 2:
        return PartialDate(d.year, d.month)
    return PartialDate(d.year, d.month, d.day)


def year_of(days: IntA) -> IntA:
    """The calendar year of each day ordinal."""
    return np.searchsorted(_JAN1, days, side="right").astype(np.int64) - 1 + _Y0


# --- who claims -------------------------------------------------------------------------


def claimants(b: Batch, vby: IntA, alive: BoolA, self_share: float = 0.85) -> None:
    """Claimant, claimant_birth_year, pensioner, disabled — consistent with the victim.

    A living victim claims in person with probability ``self_share``; otherwise a relative
    born 1935-2005 does, called child, grandchild or descendant by the generations between
    them, sometimes a spouse (of a victim born from 1925) or another heir.
    """
    v_by, v_alive = b.victim(vby), b.victim(alive)
    n = b.n
    cby = np.rint(b.rng.triangular(1935, 1962, 2006, n)).astype(np.int64)
    close = cby - v_by < 18
    cby = np.where(close, np.minimum(v_by + b.ints(18, 36), 2006), cby)
    gap = cby - v_by
    kind = np.where(gap < 45, "child", np.where(gap < 75, "grandchild", "descendant"))
    kind = kind.astype(object)
    spouse = (v_by >= 1925) & b.chance(0.15)
    kind[spouse] = "spouse"
    cby = np.where(spouse, np.minimum(v_by + b.ints(-6, 6), 2006), cby)
    kind[b.chance(0.04)] = "heir"
    young = cby - v_by < 16  # a victim too young to have an adult child claiming
    kind[young] = "spouse"
    cby = np.where(young, np.minimum(v_by + b.ints(-3, 3), 2006), cby)
    selfc = v_alive & b.chance(self_share)
    selfc &= b.first == np.arange(n)  # a second heir is never the victim
    kind[selfc] = "victim"
    cby = np.where(selfc, v_by, cby)
    age = _NOW - cby
    disabled = b.chance(np.where(age >= 70, 0.20, 0.06))
    pensioner = np.where(age >= 63, b.chance(0.95), disabled & b.chance(0.5))
    b.set(
        claimant=b.unknown(kind, 0.02),
        claimant_birth_year=b.unknown(cby, 0.10),
        pensioner=b.unknown(pensioner, 0.10),
        disabled=b.unknown(disabled, 0.15),
    )
    b.in_person = selfc


def homes(b: Batch, citizenship: Sequence[tuple[str, float]], moved: float = 0.05,
           victim_is: ObjA | None = None) -> None:  # fmt: skip
    """Claimants' citizenship, and residence (another country for ``moved`` of them).

    ``victim_is``: the victims' citizenship (victim level); a living victim claiming in
    person has it.
    """
    names, weights = zip(*citizenship, strict=True)
    cit = b.pick(names, weights)
    if victim_is is not None:
        cit = np.where(b.in_person, b.victim(victim_is), cit)
    elsewhere = b.pick(("KZ", "RU", "DE", "TR", "US", "UZ"), (4, 4, 2, 1, 1, 1))
    res = np.where(b.chance(moved), elsewhere, cit)
    b.set(citizenship=b.unknown(cit, 0.05), residence=b.unknown(res, 0.08))


def alive_now(b: Batch, vby: IntA, died_before: IntA | None = None) -> BoolA:
    """Whether each victim is alive now: likely under 80, never over 100."""
    age = _NOW - vby
    p = np.clip((100 - age) / 20.0, 0.0, 0.9)
    alive = b.chance(p)
    if died_before is not None:
        alive &= died_before > _TODAY
    return alive


def death_day(b: Batch, vby: IntA, alive: BoolA, not_before: IntA) -> IntA:
    """A day of death for those not alive, after ``not_before``; after today for the living."""
    life = np.clip(b.rng.normal(68, 12, b.n), 20, 100).astype(np.int64)
    year = np.clip(vby + life, 1800, _NOW - 1)
    day = np.maximum(b.day_in(year), not_before + 1)
    day = np.minimum(day, _TODAY - 1)
    return np.where(alive, _TODAY + 1, day)


def victim_facts(
    b: Batch, *, vby: IntA, alive: BoolA, died: IntA, died_precision: Sequence[float],
    citizenship: ObjA | str, lived_in_kz: float, ethnic_kazakh: float,
    rehabilitated: float, documentation: Sequence[float],
    born_in_repression: BoolA | bool = False, un_decision: BoolA | bool = False,
    unknown_birth: float = 0.20,
) -> None:  # fmt: skip
    """The victim's facts with archive-like unknowns. ``documentation`` weighs court_record,
    archival, testimony, none."""
    n = b.n
    died_col = b.dates(died, died_precision)
    for i in np.flatnonzero(alive).tolist():
        died_col[i] = None
    birth = np.full(n, born_in_repression) if isinstance(born_in_repression, bool) else (
        born_in_repression
    )  # fmt: skip
    un = np.full(n, un_decision) if isinstance(un_decision, bool) else un_decision
    b.set(
        victim_birth_year=b.unknown(vby, unknown_birth),
        victim_alive=b.unknown(alive, 0.05),
        victim_died=died_col,
        born_in_repression=b.unknown(birth, 0.10),
        victim_citizenship=b.unknown(
            citizenship if isinstance(citizenship, np.ndarray) else np.full(n, citizenship,
                                                                            dtype=object),
            0.12,
        ),
        lived_in_kz=b.unknown(b.chance(lived_in_kz), 0.10),
        ethnic_kazakh=b.unknown(b.chance(ethnic_kazakh), 0.12),
        already_rehabilitated=b.unknown(b.chance(rehabilitated), 0.15),
        un_decision=b.unknown(un, 0.05),
        documentation=b.unknown(
            b.pick(("court_record", "archival", "testimony", "none"), documentation), 0.08
        ),
    )


def kz_citizens(b: Batch) -> ObjA:
    """Victims' citizenship for the Soviet era in Kazakhstan: KZ, now or at death."""
    return np.where(b.chance(0.95), "KZ", b.pick(("RU", "UZ", "KG"), (3, 1, 1))).astype(object)


