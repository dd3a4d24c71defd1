"""Twins (:attr:`kzrehab.plan.Plan.twins`) against a plan without them: generated drafts
whose grounds repeat a few conditions, under exclusions (named or of the whole law, with an
exception or not) and components (naming some twins, ``instead_of``); the coverage by both
engines, every variant of attribution patched and whole, the attribution's rows and the
explanations are those of the same drafts planned with no twins at all."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab import attribution, plan
from kzrehab.claims import Claim
from kzrehab.evaluation import evaluate
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.plan import plan_of
from kzrehab.rules import compiler
from kzrehab.rules.printer import unparse

from .rule_strategies import claim_cond, claims
from .test_framework_engines import assert_same
from .test_variant_patches import _check, _component, _exclusion, _law, _people

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


@contextlib.contextmanager
def _no_twins() -> Iterator[None]:
    """Plans made in it have no twins: each ground is its own (as before twins)."""
    with pytest.MonkeyPatch.context() as mp:
        real = plan.twin_key

        def apart(fw: Framework, law: str, g: str, when: Any) -> Any:
            return (*real(fw, law, g, when), g)

        mp.setattr(plan, "twin_key", apart)
        yield


def _frameworks(texts: list[str]) -> Framework:
    return Framework([load_law_text(t, f"law{i}.toml") for i, t in enumerate(texts)])


@st.composite
def _twin_drafts(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """The texts of a base's and a head's laws: grounds repeating two or three conditions,
    new grounds and changed ones in the head, exclusions and components over them."""
    conds = [unparse(c).replace('"', "'") for c in draw(st.lists(claim_cond(), min_size=1,
                                                               max_size=2))]  # fmt: skip
    cond = st.sampled_from([*conds, "d"])
    cats = st.sampled_from(["c0", "c1", "c2"])
    n = draw(st.integers(2, 9))
    head = [(f"g{i}", draw(cond), draw(cats)) for i in range(n)]
    ids = [g for g, _, _ in head]
    is_new = [draw(st.booleans()) for _ in ids]
    if all(is_new):
        is_new[0] = False
    base = [(g, draw(cond), draw(cats)) if draw(st.booleans()) else (g, w, c)
            for (g, w, c), new in zip(head, is_new, strict=True) if not new]  # fmt: skip
    base_ids = [g for g, _, _ in base]
    extra = ["", ""]
    for k in range(draw(st.integers(0, 2))):
        implicit = draw(st.booleans())
        named = draw(st.lists(st.sampled_from(base_ids), min_size=1, max_size=3, unique=True))
        also = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        when = draw(cond)
        unless = draw(st.sampled_from([None, *conds]))
        for side, names in enumerate((named, list(dict.fromkeys(named + also)))):
            text = _exclusion(f"x{k}", None if implicit else names, when)
            if unless is not None:
                text = text.rstrip("\n") + f'\n  unless = "{unless}"\n\n'
            extra[side] += text
    for k in range(draw(st.integers(0, 3))):
        implicit = draw(st.booleans())
        named = draw(st.lists(st.sampled_from(base_ids), min_size=1, max_size=3, unique=True))
        also = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        instead = f"p{k - 1}" if k and draw(st.booleans()) else ""
        for side, names in enumerate((named, list(dict.fromkeys(named + also)))):
            extra[side] += _component(f"p{k}", None if implicit else names, f"{k + 1}",
                                      instead)  # fmt: skip
    other = [("o0", draw(cond), "c0"), ("o1", draw(cond), draw(cats))]
    other_extra = ["", ""]
    if draw(st.booleans()):  # an exclusion of another law, naming grounds of this one
        named = draw(st.lists(st.sampled_from(base_ids), min_size=1, max_size=3, unique=True))
        when = draw(cond)
        for side in range(2):
            other_extra[side] += _exclusion("far", [f"many:{g}" for g in named], when)
    laws = [[_law("many", base, extra[0]), _law("other", other, other_extra[0])],
            [_law("many", head, extra[1]), _law("other", other, other_extra[1])]]
    # a law that amends this one: a ground's condition replaced, a ground inserted
    amends: list[tuple[str, str, str, str | None]] = []
    if draw(st.booleans()):
        amends.append(("replace", draw(st.sampled_from(base_ids)), draw(cond), None))
    if draw(st.booleans()):
        amends.append(("insert", "ins", draw(cond), draw(cats)))
    if amends:
        for side in draw(st.sampled_from([(1,), (0, 1)])):
            laws[side].append(_amending(amends))
    return laws[0], laws[1]


def _amending(amends: list[tuple[str, str, str, str | None]]) -> str:
    body = ""
    for k, (action, target, when, cat) in enumerate(amends):
        body += (f'  [[article.amend]]\n  id = "a{k}"\n  law = "many"\n  target = "{target}"\n'
                 f'  action = "{action}"\n  when = "{when}"\n')
        if cat is not None:
            body += f'  type = "ground"\n  category = "{cat}"\n'
        body += "\n"
    return ('[law]\nid = "amending"\ntitle = "Amending"\nkind = "bill"\nstatus = "draft"\n\n'
            '[[article]]\nnumber = "1"\ntext = "Amendments."\n' + body)


def _rows(base: Framework, head: Framework, pop: Any, incremental: bool) -> list[Any]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(attribution, "INCREMENTAL", incremental)
        got = attribution.compare(base, head, pop, AS_OF).attribution
    return [attrs.asdict(r) for r in got]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=_twin_drafts(), people=st.lists(claims(), min_size=1, max_size=8),
       sharing=st.booleans())  # fmt: skip
def test_twins_change_nothing_on_generated_drafts(
    texts: tuple[list[str], list[str]], people: list[Claim], sharing: bool
) -> None:
    pop = _people(people)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler, "SHARING", sharing)
        base, head = _frameworks(texts[0]), _frameworks(texts[1])
        got = evaluate(head, pop, AS_OF)
        assert_same(got, evaluate(head, pop, AS_OF, engine="interpreter"))
        _check(base, head, pop)
        _check(base, head, pop, 2)
        rows = _rows(base, head, pop, True)
        assert rows == _rows(base, head, pop, False)
        money = _money(base, head, pop)
        why = [_why(head, c) for c in pop.claims]
        with _no_twins():
            apart_base, apart = _frameworks(texts[0]), _frameworks(texts[1])
            assert not plan_of(apart).twins
            assert_same(got, evaluate(apart, pop, AS_OF))
            assert rows == _rows(apart_base, apart, pop, True)
            assert money == _money(apart_base, apart, pop)
            assert why == [_why(apart, c) for c in pop.claims]


def _why(fw: Framework, claim: Claim) -> tuple[Any, ...]:
    """A claim explained (each ground's values and trace), and what would decide it."""
    from kzrehab.evaluation import evaluate_claim
    from kzrehab.gaps import deciders

    return evaluate_claim(fw, claim, AS_OF), deciders(fw, claim, AS_OF)


def _money(base: Framework, head: Framework, pop: Any) -> tuple[Any, ...]:
    """What the comparison of the two says of the money: the ties, each component's moves."""
    from kzrehab.comparison import diff
    from kzrehab.programs import ties

    d = diff(evaluate(base, pop, AS_OF), evaluate(head, pop, AS_OF))
    tied = ties(base, head, AS_OF)
    return (tied, d.level_counts(), [(k, list(m.lo), list(m.hi), list(m.uncertain))
                                     for k, m in d.amounts.items()])


def test_ties_see_the_same_receipt_whichever_grounds_are_twins() -> None:
    """A component granted by ``b`` whose amount is the same rule on both sides, and that
    the head's ``more`` replaces: its receipt is the same rule on both sides but for that
    replacement (a tie, :func:`kzrehab.programs.ties`), though the base's ``b`` is a twin
    of ``a`` (its receipt reads ``a``'s ``applies``) and the head's is not (``a``'s condition
    changed). The change of what a claim of unknown claimant receives from it is then known
    to be a loss or nothing, as with no twins."""
    from kzrehab.comparison import diff
    from kzrehab.programs import ties

    grounds = [("a", "d", "c0"), ("b", "d", "c0"), ("x", "disabled", "c1")]
    pay = _component("pay", ["b"], "5")
    texts = ([_law("many", grounds, pay)],
             [_law("many", [("a", "pensioner", "c0"), *grounds[1:]],
                   pay + _component("more", ["x"], "7", instead="pay"))])  # fmt: skip
    pop = _people([Claim("u", claimant=None, disabled=None),
                   Claim("v", claimant="victim", disabled=None)])  # fmt: skip
    found = []
    for apart in (False, True):
        with _no_twins() if apart else contextlib.nullcontext():
            base, head = _frameworks(texts[0]), _frameworks(texts[1])
            assert bool(plan_of(base).twins) is not apart
            tied = ties(base, head, AS_OF)
            assert tied.receipts == {"many:pay": (-1, ("many:more",))}
            moves = diff(evaluate(base, pop, AS_OF), evaluate(head, pop, AS_OF)).amounts
            found.append([(k, list(m.lo), list(m.hi)) for k, m in moves.items()])
    assert found[0] == found[1]
    assert found[0][1] == (("many:pay", "once"), [-500.0, -500.0], [0.0, 0.0])


def test_a_receipt_reads_its_grounds_in_the_order_it_names_them() -> None:
    """As before twins: a component's receipt is the ``or`` of its grounds in the order
    it names them, so grounds named in another order are another receipt for ties — the
    money of a comparison that reorders them stays what it was."""
    from kzrehab.comparison import diff
    from kzrehab.programs import ties

    grounds = [("a", "pensioner", "c0"), ("b", "d", "c0"), ("x", "disabled", "c1")]
    base = _frameworks([_law("many", grounds, _component("pay", ["x", "b"], "5"))])
    head = _frameworks([_law("many", grounds, _component("pay", ["b", "x"], "5")
                             + _component("more", ["x"], "7", instead="pay"))])  # fmt: skip
    assert ties(base, head, AS_OF).receipts == {}
    pop = _people([Claim("u", claimant=None, disabled=None),
                   Claim("v", claimant="victim", disabled=None)])  # fmt: skip
    moves = diff(evaluate(base, pop, AS_OF), evaluate(head, pop, AS_OF)).amounts
    pay = moves[("many:pay", "once")]
    assert (list(pay.lo), list(pay.hi)) == ([0.0, -500.0], [0.0, 0.0])
