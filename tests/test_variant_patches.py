"""Attribution's variants of new grounds as patches of the head (:mod:`kzrehab.variants`):
the patched variant's framework, plan and coverage are those of the whole variant — the
head amended with a repeal of the ground, checked, planned and evaluated anew — on
generated drafts of many grounds, exclusions and components (their grounds named or
not), sharing on and off, in one chunk or several."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab import attribution
from kzrehab.attribution import _bare, _bare_laws, _Unit, _variant, _variant_of
from kzrehab.claims import Claim
from kzrehab.coverage import Coverage
from kzrehab.evaluation import evaluate, output_signatures, program_of
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.laws.provisions import Ground
from kzrehab.plan import plan_of
from kzrehab.population import InMemoryPopulation, Population, load_population
from kzrehab.rules import compiler
from kzrehab.rules.printer import unparse
from kzrehab.variants import Patch, Patcher, evaluate_patch

from .rule_strategies import PARAMS, claim_cond, claims
from .test_framework_engines import assert_same

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


_PARAMS = "".join(f"{k} = {v}\n" for k, v in {**PARAMS, "RATE": 2.5}.items())


def _law(law_id: str, grounds: list[tuple[str, str, str]], extra: str = "") -> str:
    body = "".join(f'  [[article.ground]]\n  id = "{g}"\n  category = "{cat}"\n  when = "{w}"\n\n'
                   for g, w, cat in grounds)  # fmt: skip
    return (f'[law]\nid = "{law_id}"\ntitle = "Many"\nkind = "bill"\nstatus = "draft"\n\n'
            f"[parameters]\n{_PARAMS}\n[definitions]\nd = \"claimant == 'victim'\"\n\n"
            '[[article]]\nnumber = "1"\ntext = "Grounds."\n' + body + extra)  # fmt: skip


def _component(cid: str, grounds: list[str] | None, amount: str, instead: str = "") -> str:
    named = f"  grounds = {grounds!r}\n".replace("'", '"') if grounds is not None else ""
    instead_of = f'  instead_of = ["{instead}"]\n' if instead else ""
    return (f'  [[article.component]]\n  id = "{cid}"\n  kind = "compensation"\n'
            f'  recipients = ["victim", "child"]\n{named}  amount = "{amount}"\n'
            f'  period = "once"\n{instead_of}\n')  # fmt: skip


def _exclusion(eid: str, grounds: list[str] | None, when: str) -> str:
    named = f"  grounds = {grounds!r}\n".replace("'", '"') if grounds is not None else ""
    return f'  [[article.exclusion]]\n  id = "{eid}"\n{named}  when = "{when}"\n\n'


def _same_framework(patched: Framework, whole: Framework) -> None:
    assert [_bare(law) for law in patched.laws] == list(whole.laws)
    ids = {law.id: law for law in patched.laws}
    for name in ("covering", "ground_category", "exclusion_grounds"):
        a, b = getattr(patched, name), getattr(whole, name)
        assert list(a.items()) == list(b.items()), name
    for table in ("ground_law", "exclusion_law"):
        a, b = getattr(patched, table), getattr(whole, table)
        assert [(k, v.id) for k, v in a.items()] == [(k, v.id) for k, v in b.items()], table
        assert all(v is ids[v.id] for v in a.values())
    assert [(k, c, law.id, gs) for k, (c, law, gs) in patched.components.items()] == [
        (k, c, law.id, gs) for k, (c, law, gs) in whole.components.items()]
    assert all(entry[1] is ids[entry[1].id] for entry in patched.components.values())
    for whole_law in whole.laws:
        a, b = patched.checked(whole_law.id), whole.checked(whole_law.id)
        assert a.law is ids[whole_law.id]
        for part in ("definitions", "grounds", "amounts"):
            assert {k: unparse(r.node) for k, r in getattr(a, part).items()} == {
                k: unparse(r.node) for k, r in getattr(b, part).items()}, part
        assert list(a.exclusions) == list(b.exclusions)
    assert patched.categories == whole.categories
    assert patched.notices == whole.notices


def _same_plan(head: Framework, patch: Patch, whole: Framework, identical: bool) -> None:
    """The whole variant's plan is the head's without the patch's gone outputs and with
    the patch's outputs in place of the head's — the same rules (and, ``identical``, the
    head's others the very same trees) — and the status and categories the head's ``or``
    with the ground taken out, replaced or added."""
    mine, theirs = plan_of(head).by_key, plan_of(whole).by_key
    added = {key for key, __, which in patch.plan.ors if which == "added"}
    new = {o.key: o for o in patch.plan.outputs}
    # (a ground repealed that had twins: its first twin has outputs of its own now)
    ours = (set(mine) - patch.plan.gone) | added | set(new)
    # a changed ground keeps outputs of its own where the whole variant's plan makes it, or
    # the ground it takes the condition of, a twin: the same values, another plan
    extra = ours - set(theirs)
    whole_twins = plan_of(whole).twins
    assert all(k.partition(":")[2] in whole_twins for k in extra), extra
    assert set(theirs) <= ours
    if extra:
        return  # its coverage is held equal to the whole variant's all the same
    ors = {key: (tree, which) for key, tree, which in patch.plan.ors}
    params = head.parameters_at(AS_OF)
    program = program_of(head, params).patched(patch.plan.gone)
    for o in patch.plan.outputs:
        program.add(o.node, o.law, output=o.key)
    sigs = output_signatures(whole, params)
    for key, o in theirs.items():
        if key in ors:
            tree, which = ors[key]
            assert (mine[key].node if key in mine else None) is tree, which
            continue
        assert program.signature(program.outputs[key]) == sigs[key], key
        if identical and key not in new:  # the head's very tree
            assert o.node is mine[key].node, key


def _check(base: Framework, head: Framework, pop: Population, chunk: int = 1_000_000
           ) -> tuple[int, int, int, int]:  # fmt: skip
    """Every variant of a new or changed ground patched is the whole one; the numbers of
    new grounds' patched whole, and made whole but planned and evaluated as patches, then
    of changed grounds'."""
    base_cov, head_cov = evaluate(base, pop, AS_OF), evaluate(head, pop, AS_OF)
    bare = _bare_laws(head, base)
    patcher = Patcher(head, bare[1], _variant)
    counts = [0, 0, 0, 0]
    for law in head.laws:
        for g in law.grounds:
            old = next((p for b in base.laws if b.id == law.id for p in b.provisions()
                        if p.id == g.id), None)  # fmt: skip
            if old is not None and (not isinstance(old, Ground)
                                    or (old.when.source, old.category) == (g.when.source,
                                                                          g.category)):
                continue  # not new, not changed
            patch = patcher.patch(law.id, g.id)
            unit = _Unit(law.full_id(g.id), law.id, g.id, True, ())
            whole = _variant_of(head, base, unit, bare)
            if not isinstance(whole, Framework):
                continue  # it cannot be taken back alone
            if patch is not None:
                counts[0 if old is None else 2] += 1
                _same_framework(patch.framework, whole)
            else:
                patch = patcher.planned(whole, law.id, g.id)
                assert patch is not None  # every new or changed ground's is one here
                counts[1 if old is None else 3] += 1
            want = evaluate(whole, pop, AS_OF)
            # and the whole variant planned and evaluated as a patch, whichever it is
            planned = patcher.planned(whole, law.id, g.id)
            assert planned is not None
            for p in (patch, planned):
                _same_plan(head, p, whole, p.framework is not whole)
                got = evaluate_patch(p, head_cov, base_cov, chunk)
                assert isinstance(got, Coverage)
                assert_same(got, want)
    return counts[0], counts[1], counts[2], counts[3]


def _people(people: list[Claim]) -> InMemoryPopulation:
    return InMemoryPopulation("generated", tuple(
        attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}") for i, c in enumerate(people)))  # fmt: skip


@st.composite
def _drafts(draw: st.DrawFn) -> tuple[Framework, Framework]:
    """A base of grounds and the head with new grounds among them, in the same law and in
    another; exclusions and components that name their grounds or cover all of their law's,
    an ``instead_of``, an amount, categories that only a new ground grants."""
    conds = [unparse(c).replace('"', "'") for c in draw(st.lists(claim_cond(), min_size=2,
                                                               max_size=4))]  # fmt: skip
    cond = st.sampled_from([*conds, "d", f"d and ({conds[0]})"])
    n = draw(st.integers(1, 30))
    old = [(f"g{i}", draw(cond), f"c{i % 3}") for i in range(n)]
    new = [(f"new{i}", draw(cond), draw(st.sampled_from(["c0", "c1", f"only{i}"])))
           for i in range(draw(st.integers(1, 6)))]  # fmt: skip
    at = sorted(draw(st.lists(st.integers(0, n), min_size=len(new), max_size=len(new))))
    changed = set(draw(st.lists(st.sampled_from(range(n)), max_size=3, unique=True)))
    head_grounds = [(g, draw(cond), draw(st.sampled_from([cat, "c0", "c3"]))) if i in changed
                    else (g, w, cat) for i, (g, w, cat) in enumerate(old)]  # fmt: skip
    for k, (i, g) in enumerate(zip(at, new, strict=True)):
        head_grounds.insert(i + k, g)
    named = [g for g, _, _ in old[: draw(st.integers(1, n))]]
    new_ids = [g for g, _, _ in new]
    # in the head, what names grounds may name new ones too
    also = draw(st.lists(st.sampled_from(new_ids), max_size=2, unique=True))
    extra = ["", ""]
    if draw(st.booleans()):
        implicit, when = draw(st.booleans()), draw(cond)
        for k, names in enumerate((named, named + also)):
            extra[k] += _exclusion("bar", None if implicit else names, when)
    if draw(st.booleans()):
        implicit = draw(st.booleans())
        for k, names in enumerate((named, named + also)):
            extra[k] += _component("pay", None if implicit else names, "RATE * 10")
            extra[k] += _component("more", names[:1], "5", instead="pay")
    if draw(st.booleans()):  # what names only a new ground goes with it
        extra[1] += _exclusion("only-new", new_ids[:1], draw(cond))
        extra[1] += _component("solo", new_ids[:1], "7")
        extra[1] += _component("instead", named[:1], "3", instead="solo")
    other = [("o1", draw(cond), "c0")]
    other_extra = _component("theirs", None, "1") if draw(st.booleans()) else ""
    base_laws = [_law("many", old, extra[0]), _law("other", other, other_extra)]
    head_laws = [_law("many", head_grounds, extra[1]),
                 _law("other", [*other, ("onew", draw(cond), "c2")], other_extra)]
    return (Framework([load_law_text(t, f"law{i}.toml") for i, t in enumerate(base_laws)]),
            Framework([load_law_text(t, f"law{i}.toml") for i, t in enumerate(head_laws)]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=_drafts(), people=st.lists(claims(), min_size=1, max_size=8),
       sharing=st.booleans(), chunk=st.integers(1, 4))  # fmt: skip
def test_a_patched_variant_is_the_whole_variant_on_generated_drafts(
    pair: tuple[Framework, Framework], people: list[Claim], sharing: bool, chunk: int
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler, "SHARING", sharing)
        base, head = (Framework(fw.laws) for fw in pair)  # planned with the sharing asked
        patched, __, __, __ = _check(base, head, _people(people), chunk)
        assert patched >= 1  # "onew" is always patched whole


def test_a_patched_variant_is_the_whole_variant_with_many_grounds() -> None:
    """Three hundred grounds, each of its own condition (an event of one measure in one
    year), over the sample registry: the status and the categories of each variant with a
    ground taken out, computed from the head's groups where the ground decided them, are
    those of the variant evaluated whole."""
    measures = ["deportation", "special_settlement", "exile", "confiscation", "imprisonment"]
    grounds = [(f"g{i}", f"exists(events[measure == '{measures[i % 5]}' and year == "
                         f"{1920 + i // 5 % 40}])", f"c{i % 4}") for i in range(300)]
    pop = load_population(ROOT / "tests" / "data" / "sample.jsonl")
    head = Framework([load_law_text(_law("many", grounds, _component("pay", None, "RATE")),
                                    "many.toml")])  # fmt: skip
    base = Framework([load_law_text(_law("many", grounds[:280]), "many.toml")])
    assert _check(base, head, pop) == (20, 0, 0, 0)
    # the head's coverage made of a twin framework (the same laws, planned apart): its
    # groups are found all the same
    twin = Framework(head.laws)
    head_cov, base_cov = evaluate(twin, pop, AS_OF), evaluate(base, pop, AS_OF)
    patch = Patcher(head, _bare_laws(head, base)[1]).patch("many", "g290")
    assert patch is not None
    unit = _Unit("many:g290", "many", "g290", True, ())
    whole = _variant_of(head, base, unit)
    assert isinstance(whole, Framework)
    assert_same(evaluate_patch(patch, head_cov, base_cov), evaluate(whole, pop, AS_OF))


def test_what_cannot_be_a_patch_is_made_whole() -> None:
    """A ground an exclusion or component names, one the base has, one whose law has
    names only the base has, or the last ground of a law whose component covers them all:
    no patch (the variant is made whole, as before), and the rows stay the same."""
    grounds = [("a", "d", "c"), ("b", "pensioner", "c")]
    base = Framework([load_law_text(_law("many", grounds[:1]), "many.toml")])
    named = Framework([load_law_text(_law("many", grounds, _exclusion("x", ["b"], "disabled")),
                                     "many.toml")])  # fmt: skip
    bare = _bare_laws(named, base)
    assert Patcher(named, bare[1]).patch("many", "b") is None
    assert Patcher(named, bare[1]).patch("many", "a") is None  # the base has it
    alone = Framework([load_law_text(_law("many", grounds[1:], _component("p", None, "1")),
                                     "many.toml")])  # fmt: skip
    empty = Framework([load_law_text(_law("empty", []), "empty.toml")])
    assert Patcher(alone, _bare_laws(alone, empty)[1]).patch("many", "b") is None
    more = base.laws[0]
    more = attrs.evolve(more, definitions={**more.definitions, "e": more.definitions["d"]})
    assert Patcher(named, [more]).patch("many", "b") is None
    people = _people([Claim("x", claimant="victim", pensioner=True), Claim("y")])
    for head in (named, alone):
        rows = []
        for incremental in (True, False):
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(attribution, "INCREMENTAL", incremental)
                got = attribution.compare(base, head, people, AS_OF).attribution
                rows.append([attrs.asdict(r) for r in got])
        assert rows[0] == rows[1]


@pytest.mark.parametrize(("base", "head", "counts"), [
    (("current",), ("current", "bills"), (0, 7, 0, 0)),
    (("current", "bills"), ("current", "bills", "proposals"), (2, 0, 0, 0)),
])  # fmt: skip
def test_the_bundled_drafts_are_measured_with_patches(
    base: tuple[str, ...], head: tuple[str, ...], counts: tuple[int, int, int, int]
) -> None:
    """The bills' new grounds, which their components name, are variants made whole but
    planned and evaluated as patches; the proposals' new grounds are patches whole."""
    from kzrehab.laws.framework import load_framework

    pop = load_population(ROOT / "tests" / "data" / "sample.jsonl")
    a, b = (load_framework([ROOT / "drafts" / d for d in ds]) for ds in (base, head))
    assert _check(a, b, pop) == counts


def test_a_ground_moved_out_of_the_only_category_it_granted() -> None:
    """The head moves the one ground of category ``c1`` to ``c0``: taking the change back
    gives the variant a category the head has not (``added``), which its plan holds and
    its coverage fills — as the whole variant's do (a case Hypothesis found)."""
    base = Framework([load_law_text(_law("many", [("g0", "d", "c0"), ("g1", "pensioner", "c1")]),
                                    "law0.toml")])  # fmt: skip
    head = Framework([load_law_text(_law("many", [("g0", "d", "c0"), ("g1", "pensioner", "c0")]),
                                    "law0.toml")])  # fmt: skip
    assert "c1" in base.categories and "c1" not in head.categories
    people = [Claim(id="a", victim_id="a", claimant="victim"),
              Claim(id="b", victim_id="b", claimant="child")]
    assert _check(base, head, _people(people), 1)[2:] == (1, 0)
