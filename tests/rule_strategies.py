"""Hypothesis strategies for well-typed rule trees and for claims with unknowns.

Trees are built as the parser builds them (names unresolved), so they serve the round-trip
test, the Kleene and soundness tests, and the interpreter-versus-compiler test alike.
Claims use a small set of values per fact so that comparisons in generated rules are
sometimes true, sometimes false and sometimes unknown.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import attrs
from hypothesis import strategies as st

from kzrehab.claims import Claim, Event
from kzrehab.dates import PartialDate
from kzrehab.rules.ast import Lit, Name, Node, Op, SetLit
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind

PARAMS = {"P": 3.5, "MCI": 3932.0}

CLAIM_BOOLS = [n for n, f in CLAIM_FACTS.items() if f.kind is FactKind.BOOL]
CLAIM_INTS = [n for n, f in CLAIM_FACTS.items() if f.kind is FactKind.INT]
EVENT_BOOLS = [n for n, f in EVENT_FACTS.items() if f.kind is FactKind.BOOL]
EVENT_NUMS = ["year", "months"]
EVENT_ENUMS = ["measure", "motive", "outcome", "confession", "authority"]
SMALL_ENUM = {
    "measure": ["exile", "deportation", "imprisonment", "torture"],
    "motive": ["political", "class", "famine"],
    "outcome": ["convicted", "acquitted", "amnesty"],
    "confession": ["none", "voluntary", "coerced"],
    "authority": ["court", "extrajudicial"],
    "claimant": ["victim", "child", "grandchild"],
    "documentation": ["archival", "none"],
}
COUNTRIES = ["KZ", "CN", "RU"]
CHARGES = ["RSFSR-58-10", "RSFSR-58-2", "KZ-CC-272"]

years = st.integers(1925, 1940)


def _date_lit() -> st.SearchStrategy[PartialDate]:
    return st.one_of(
        years.map(lambda y: PartialDate(y, 1)),
        st.tuples(years, st.integers(1, 12)).map(lambda t: PartialDate(t[0], t[1])),
        st.tuples(years, st.integers(1, 12), st.integers(1, 28)).map(
            lambda t: PartialDate(t[0], t[1], t[2])
        ),
    )


def num_lit() -> st.SearchStrategy[Node]:
    return st.one_of(
        st.integers(0, 2000).map(Lit),
        st.sampled_from([0.5, 0.75, 1.5, 2.25, 100.0]).map(Lit),
    )


def _enum_cmp(name: st.SearchStrategy[str], qualified: bool = False) -> st.SearchStrategy[Node]:
    def build(draw_name: str) -> st.SearchStrategy[Node]:
        values = SMALL_ENUM[draw_name]
        ref = Name(draw_name, qualified=qualified)
        return st.one_of(
            st.tuples(st.sampled_from(["==", "!="]), st.sampled_from(values)).map(
                lambda t: Op(t[0], (ref, Lit(t[1])))
            ),
            st.tuples(
                st.sampled_from(["in", "not in"]),
                st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True),
            ).map(lambda t: Op(t[0], (ref, SetLit(tuple(Lit(v) for v in t[1]))))),
        )

    return name.flatmap(build)


def _cmp(a: st.SearchStrategy[Node], b: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), a, b).map(
        lambda t: Op(t[0], (t[1], t[2]))
    )


def _logic(leaf: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(["and", "or"]), inner, inner).map(
                lambda t: Op(t[0], (t[1], t[2]))
            ),
            inner.map(lambda x: Op("not", (x,))),
            st.tuples(st.sampled_from(["surely", "possibly", "known"]), inner).map(
                lambda t: Op(t[0], (t[1],))
            ),
        ),
        max_leaves=3,
    )


def _arith(leaf: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(["+", "-", "*", "/"]), inner, inner).map(
                lambda t: Op(t[0], (t[1], t[2]))
            ),
            inner.map(lambda x: Op("neg", (x,))),
            st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
                lambda t: Op(t[0], tuple(t[1]))
            ),
        ),
        max_leaves=3,
    )


def event_num() -> st.SearchStrategy[Node]:
    base = st.one_of(st.sampled_from(EVENT_NUMS).map(Name), num_lit())
    return _arith(base)


def event_cond() -> st.SearchStrategy[Node]:
    """A condition at event scope (inside ``events[...]``)."""
    leaf = st.one_of(
        _enum_cmp(st.sampled_from(EVENT_ENUMS)),
        st.sampled_from(EVENT_BOOLS).map(Name),
        _cmp(event_num(), num_lit()),
        st.tuples(st.sampled_from(["in", "not in"]), st.sampled_from(EVENT_NUMS), years, years).map(
            lambda t: Op(t[0], (Name(t[1]), Op("range", (Lit(min(t[2:])), Lit(max(t[2:]))))))
        ),
        st.tuples(
            st.sampled_from(["<", ">=", "=="]), st.sampled_from(["start", "end"]), _date_lit()
        ).map(lambda t: Op(t[0], (Name(t[1]), Lit(t[2])))),
        st.tuples(st.sampled_from(["start", "end"]), _date_lit(), _date_lit()).map(
            lambda t: Op("in", (Name(t[0]), Op("range", (Lit(t[1]), Lit(t[2])))))
        ),
        st.sampled_from(["RSFSR-58", "KZ-CC"]).map(
            lambda p: Op("startswith", (Name("charge"), Lit(p)))
        ),
        st.sampled_from(COUNTRIES).map(lambda c: Op("==", (Name("place"), Lit(c)))),
        st.sampled_from(CLAIM_BOOLS).map(lambda n: Name(n, qualified=True)),
        _enum_cmp(st.just("claimant"), qualified=True),
    )
    return _logic(leaf)


def event_set() -> st.SearchStrategy[Node]:
    """``events``, or one or two filters of it."""
    events = Op("events", ())
    return st.one_of(
        st.just(events),
        event_cond().map(lambda c: Op("filter", (events, c))),
        st.tuples(event_cond(), event_cond()).map(
            lambda t: Op("filter", (Op("filter", (events, t[0])), t[1]))
        ),
    )


def _claim_num() -> st.SearchStrategy[Node]:
    leaf = st.one_of(
        st.sampled_from(CLAIM_INTS).map(Name),
        num_lit(),
        st.sampled_from(sorted(PARAMS)).map(Name),
        event_set().map(lambda e: Op("count", (e,))),
        st.tuples(event_set(), st.sampled_from(EVENT_NUMS)).map(
            lambda t: Op("sum", (Op("project", (t[0], Name(t[1]))),))
        ),
        st.tuples(st.sampled_from(["min", "max"]), event_set(), st.sampled_from(EVENT_NUMS)).map(
            lambda t: Op(t[0], (Op("project", (t[1], Name(t[2]))),))
        ),
    )
    return _arith(leaf)


def claim_date() -> st.SearchStrategy[Node]:
    return st.one_of(
        st.just(Name("victim_died")),
        _date_lit().map(Lit),
        st.tuples(
            st.sampled_from(["min", "max"]), event_set(), st.sampled_from(["start", "end"])
        ).map(lambda t: Op(t[0], (Op("project", (t[1], Name(t[2]))),))),
    )


def _claim_cond() -> st.SearchStrategy[Node]:
    leaf = st.one_of(
        st.sampled_from(CLAIM_BOOLS).map(Name),
        st.booleans().map(Lit),
        _enum_cmp(st.sampled_from(["claimant", "documentation"])),
        st.tuples(st.sampled_from(["citizenship", "residence"]), st.sampled_from(COUNTRIES)).map(
            lambda t: Op("==", (Name(t[0]), Lit(t[1])))
        ),
        st.tuples(
            st.sampled_from(["citizenship", "residence"]),
            st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2, unique=True),
        ).map(lambda t: Op("in", (Name(t[0]), SetLit(tuple(Lit(c) for c in t[1]))))),
        _cmp(_claim_num(), _claim_num()),
        _cmp(claim_date(), claim_date()),
        st.tuples(_claim_num(), years, years).map(
            lambda t: Op("in", (t[0], Op("range", (Lit(min(t[1:])), Lit(max(t[1:]))))))
        ),
        event_set().map(lambda e: Op("exists", (e,))),
        _claim_num().map(lambda n: Op("known", (n,))),
    )
    return _logic(leaf)


def claim_cond() -> st.SearchStrategy[Node]:
    """A well-typed claim-scope condition (deferred: keeps the strategy's repr short)."""
    return st.deferred(_claim_cond)


def claim_num() -> st.SearchStrategy[Node]:
    """A well-typed claim-scope number."""
    return st.deferred(_claim_num)


# --- claims ------------------------------------------------------------------------------


def _maybe(strategy: st.SearchStrategy[object], p_none: float = 0.3) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy) if p_none else strategy


def partial_dates() -> st.SearchStrategy[PartialDate]:
    return st.one_of(
        years.map(PartialDate),
        st.tuples(years, st.integers(1, 12)).map(lambda t: PartialDate(t[0], t[1])),
        st.tuples(years, st.integers(1, 12), st.integers(1, 28)).map(
            lambda t: PartialDate(t[0], t[1], t[2])
        ),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    start = draw(st.one_of(st.none(), partial_dates()))
    end = draw(st.one_of(st.none(), partial_dates()))
    return Event(
        measure=draw(_maybe(st.sampled_from(SMALL_ENUM["measure"]))),  # type: ignore[arg-type]
        motive=draw(_maybe(st.sampled_from(SMALL_ENUM["motive"]))),  # type: ignore[arg-type]
        outcome=draw(_maybe(st.sampled_from(SMALL_ENUM["outcome"]))),  # type: ignore[arg-type]
        confession=draw(_maybe(st.sampled_from(SMALL_ENUM["confession"]))),  # type: ignore[arg-type]
        authority=draw(_maybe(st.sampled_from(SMALL_ENUM["authority"]))),  # type: ignore[arg-type]
        charge=draw(_maybe(st.sampled_from(CHARGES))),  # type: ignore[arg-type]
        place=draw(_maybe(st.sampled_from(COUNTRIES))),  # type: ignore[arg-type]
        as_family_member=draw(_maybe(st.booleans())),  # type: ignore[arg-type]
        start=start,
        end=end,
    )


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    bools = {n: draw(_maybe(st.booleans())) for n in CLAIM_BOOLS}
    return Claim(
        id="c1",
        claimant=draw(_maybe(st.sampled_from(SMALL_ENUM["claimant"]))),  # type: ignore[arg-type]
        documentation=draw(_maybe(st.sampled_from(SMALL_ENUM["documentation"]))),  # type: ignore[arg-type]
        claimant_birth_year=draw(_maybe(st.integers(1900, 2000))),  # type: ignore[arg-type]
        victim_birth_year=draw(_maybe(st.integers(1880, 1930))),  # type: ignore[arg-type]
        victim_died=draw(_maybe(partial_dates())),  # type: ignore[arg-type]
        citizenship=draw(_maybe(st.sampled_from(COUNTRIES))),  # type: ignore[arg-type]
        residence=draw(_maybe(st.sampled_from(COUNTRIES))),  # type: ignore[arg-type]
        events=tuple(draw(st.lists(events(), max_size=4))),
        **bools,  # type: ignore[arg-type]
    )


# --- filling in unknowns (for the soundness test) -------------------------------------------


def _fill_date(d: PartialDate | None, rnd: random.Random) -> PartialDate:
    if d is None:
        lo, hi = dt.date(1920, 1, 1).toordinal(), dt.date(1945, 12, 31).toordinal()
    else:
        lo, hi = d.ordinals
    return PartialDate.from_date(dt.date.fromordinal(rnd.randint(lo, hi)))


def fill(claim: Claim, rnd: random.Random) -> Claim:
    """The claim with every unknown fact and partial date replaced by a possible value."""

    def pick(kind: FactKind, name: str, value: Any) -> Any:
        if kind is FactKind.DATE:
            return _fill_date(value, rnd)
        if value is not None:
            return value
        if kind is FactKind.BOOL:
            return rnd.random() < 0.5
        if kind is FactKind.INT:
            return rnd.randint(1880, 2000)
        if kind is FactKind.COUNTRY:
            return rnd.choice(COUNTRIES)
        if kind is FactKind.ENUM:
            fact = CLAIM_FACTS.get(name) or EVENT_FACTS[name]
            return rnd.choice(SMALL_ENUM.get(name) or list(fact.values))
        if name == "charge":
            return rnd.choice(CHARGES)
        return rnd.choice(["c1", "c2", "x"])

    new_events = tuple(
        attrs.evolve(e, **{
            n: pick(f.kind, n, getattr(e, n)) for n, f in EVENT_FACTS.items() if not f.derived
        })
        for e in claim.events
    )  # fmt: skip
    fields = {
        n: pick(f.kind, n, getattr(claim, n))
        for n, f in CLAIM_FACTS.items()
        if n not in {"id", "victim_id"}
    }
    return attrs.evolve(claim, events=new_events, **fields)
