"""Attribution's variants built as patches of the head (docs/benchmarks.rst, *Attribution of
many changed provisions*): the head lends its checked laws, its compiled program and the
values of its long ``or``\\ s; a patched variant must give the rows a whole evaluation of
the same variant gives, on generated drafts of many provisions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab import attribution
from kzrehab.attribution import compare
from kzrehab.claims import Claim
from kzrehab.errors import RuleTypeError
from kzrehab.evaluation import Known, evaluate, program_of
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.plan import is_group, plan_of
from kzrehab.population import InMemoryPopulation
from kzrehab.rules import compiler
from kzrehab.rules.ast import Node, Op, walk
from kzrehab.rules.printer import unparse

from .rule_strategies import PARAMS, claim_cond, claims

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


def _text(node: Node) -> str:
    return unparse(node).replace('"', "'")


@attrs.frozen
class _Draft:
    """A draft law of many grounds: (id, condition, category) each; a definition the
    conditions may read; an exclusion covering some grounds; a payment granted by some
    grounds and an extra payment instead of it."""

    grounds: tuple[tuple[str, str, str], ...]
    definition: str
    exclusion: str
    excluded: tuple[str, ...]
    granting: tuple[str, ...]
    rate: float

    def law(self) -> str:
        params = "".join(f"{k} = {v}\n" for k, v in {**PARAMS, "RATE": self.rate}.items())
        lines = ['[law]\nid = "many"\ntitle = "Many"\nkind = "bill"\nstatus = "draft"\n',
                 "[parameters]\n" + params, f'[definitions]\nd = "{self.definition}"\n',
                 '[[article]]\nnumber = "1"\ntext = "Grounds."\n']  # fmt: skip
        for gid, cond, cat in self.grounds:
            lines.append(f'  [[article.ground]]\n  id = "{gid}"\n  category = "{cat}"\n'
                         f'  when = "{cond}"\n')  # fmt: skip
        ids = {g for g, _, _ in self.grounds}
        excluded = list(dict.fromkeys(g for g in self.excluded if g in ids))
        if excluded:
            lines.append(f'  [[article.exclusion]]\n  id = "bar"\n'
                         f'  grounds = {json.dumps(excluded)}\n'
                         f'  when = "{self.exclusion}"\n')  # fmt: skip
        granting = [g for g in self.granting if g in ids]
        if granting:
            lines.append(
                f'  [[article.component]]\n  id = "pay"\n  kind = "compensation"\n'
                f'  recipients = ["victim", "child"]\n  grounds = {json.dumps(granting)}\n'
                '  amount = "RATE * 10"\n  period = "once"\n')
            lines.append(
                f'  [[article.component]]\n  id = "extra"\n  kind = "compensation"\n'
                f'  recipients = ["victim"]\n  grounds = {json.dumps(granting[:1])}\n'
                '  amount = "5"\n  period = "once"\n  instead_of = ["pay"]\n')
        return "\n".join(lines)


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[_Draft, _Draft]:
    """A base draft and a head with many changes: grounds taken out, added and changed
    (some sharing one condition), the definition, the rate, the exclusion, the grants."""
    conditions = [_text(c) for c in draw(st.lists(claim_cond(), min_size=2, max_size=4))]
    cond = st.sampled_from([*conditions, "d", f"d and ({conditions[0]})"])
    n = draw(st.integers(10, 40))
    grounds = [(f"g{i}", draw(cond), f"c{i % 2}") for i in range(n)]
    ids = [g for g, _, _ in grounds]
    base = _Draft(tuple(grounds), conditions[1], draw(cond),
                  tuple(draw(st.lists(st.sampled_from(ids), max_size=5, unique=True))),
                  tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=8,
                                      unique=True))), 1.5)  # fmt: skip
    gone = set(draw(st.lists(st.sampled_from(ids), max_size=6, unique=True)))
    changed = set(draw(st.lists(st.sampled_from(ids), max_size=4, unique=True)))
    head_grounds = [(g, draw(cond) if g in changed else c, k) for g, c, k in grounds
                    if g not in gone]  # fmt: skip
    head_grounds += [(f"new{i}", draw(cond), "c1") for i in range(draw(st.integers(0, 4)))]
    head_ids = [g for g, _, _ in head_grounds]
    head = attrs.evolve(
        base,
        grounds=tuple(head_grounds),
        definition=draw(st.sampled_from([base.definition, conditions[0]])),
        rate=draw(st.sampled_from([1.5, 2.5])),
        excluded=tuple(g for g in base.excluded if g in head_ids)
        + tuple(draw(st.lists(st.sampled_from(head_ids), max_size=2, unique=True))),
        granting=tuple(
            draw(st.lists(st.sampled_from(head_ids), min_size=1, max_size=8, unique=True))
        ),
    )
    return base, head


def _rows(base: Framework, head: Framework, people: list[Claim], incremental: bool) -> Any:
    pop = InMemoryPopulation("generated", tuple(
        attrs.evolve(c, id=f"c{i}", victim_id=f"c{i}") for i, c in enumerate(people)))  # fmt: skip
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(attribution, "INCREMENTAL", incremental)
        return [attrs.asdict(r) for r in compare(base, head, pop, AS_OF).attribution]


def _fw(text: str) -> Framework:
    return Framework([load_law_text(text, "many.toml")])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=_pairs(), people=st.lists(claims(), min_size=1, max_size=8),
       sharing=st.booleans())  # fmt: skip
def test_patched_variants_give_the_rows_of_whole_ones_on_generated_drafts(
    pair: tuple[_Draft, _Draft], people: list[Claim], sharing: bool
) -> None:
    base, head = (_fw(d.law()) for d in pair)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler, "SHARING", sharing)
        assert _rows(base, head, people, True) == _rows(base, head, people, False)


# -- the pieces of a patch ------------------------------------------------------------------


def _law(grounds: dict[str, str], definition: str = "claimant == 'victim'") -> str:
    body = "".join(f'  [[article.ground]]\n  id = "{g}"\n  category = "c"\n  when = "{w}"\n\n'
                   for g, w in grounds.items())  # fmt: skip
    return ('[law]\nid = "many"\ntitle = "Many"\nkind = "bill"\nstatus = "draft"\n\n'
            f'[definitions]\nd = "{definition}"\n\n'
            '[[article]]\nnumber = "1"\ntext = "Grounds."\n' + body)  # fmt: skip


def test_a_framework_like_another_checks_what_differs_as_a_new_one_does() -> None:
    head = _fw(_law({"a": "d", "b": "claimant == 'child'"}))
    # the same law with one ground changed: the others are lent
    laws = [load_law_text(_law({"a": "d", "b": "d or pensioner"}), "many.toml")]
    lent, new = Framework(laws, like=head), Framework(laws)
    for fw in (lent, new):
        assert {k: unparse(r.node) for k, r in fw.checked("many").grounds.items()} == {
            "many:a": "d", "many:b": "d or pensioner"}
    # the same law object: all of it lent
    assert Framework(head.laws, like=head).checked("many") is head.checked("many")
    # another definition: nothing is lent, and what no longer checks is an error
    broken = [load_law_text(_law({"a": "d", "b": "claimant == 'child'"}, "1 + 2"), "many.toml")]
    with pytest.raises(RuleTypeError, match="ground 'many:a'"):
        Framework(broken, like=head)


def test_provisions_that_share_a_condition_share_its_checked_and_compiled_tree() -> None:
    cond = "exists(events[measure == 'exile' and year in 1930..1940])"
    fw = _fw(_law({f"g{i}": cond for i in range(50)}))
    trees = {id(r.node) for r in fw.checked("many").grounds.values()}
    assert len(trees) == 1
    program = program_of(fw, fw.parameters_at(AS_OF))
    plan = plan_of(fw)  # twins: one output between them
    assert len({program.outputs[f"when:{plan.ground(f'many:g{i}')}"] for i in range(50)}) == 1
    assert len(plan.twins) == 49
    # a condition of the wrong type is still refused for each ground that has it
    with pytest.raises(RuleTypeError, match="ground 'many:g0' must be a condition"):
        _fw(_law({"g0": "count(events)", "g1": "count(events)"}))


def test_a_forked_program_compiles_only_what_differs_and_gives_the_same_values() -> None:
    grounds = {f"g{i}": f"exists(events[year >= {1920 + i}])" for i in range(40)}
    head = _fw(_law(grounds))
    smaller = dict(grounds)
    del smaller["g7"]
    variant = Framework([load_law_text(_law(smaller), "many.toml")], like=head)
    whole = Framework([load_law_text(_law(smaller), "many.toml")])
    params = head.parameters_at(AS_OF)
    parent = program_of(head, params)
    forked = program_of(variant, params, like=head)
    alone = program_of(whole, params)
    # the forked program is the parent's steps and the few new ones: the status's groups
    # on g7's path, not a new status
    assert len(forked.steps) - len(parent.steps) < 15
    for key in alone.outputs:
        assert forked.signature(forked.outputs[key]) == alone.signature(alone.outputs[key])
    people = tuple(Claim(f"c{i}", claimant="victim") for i in range(3))
    pop = InMemoryPopulation("p", people)
    head_cov = evaluate(head, pop, AS_OF)
    got = evaluate(variant, pop, AS_OF, reuse=(head_cov,))
    want = evaluate(whole, pop, AS_OF)
    assert (got.status == want.status).all()


def test_the_status_of_many_grounds_is_grouped_by_name() -> None:
    """Taking one ground out of two thousand changes a few groups of the status, and the
    status stays shallow."""
    names = [f"g{i}" for i in range(2000)]
    conds = {g: f"claimant_birth_year == {1000 + i}" for i, g in enumerate(names)}  # no twins
    fw = _fw(_law(conds))
    status = plan_of(fw).by_key["status"].node

    def depth(n: Node) -> int:
        return 1 + max((depth(a) for a in n.args), default=0) if isinstance(n, Op) else 1

    assert depth(status) < 40
    groups = [n for n in walk(status) if is_group(n)]
    assert len(groups) > 100
    fewer = _fw(_law({g: conds[g] for g in names[:700] + names[701:]}))
    other = plan_of(fewer).by_key["status"].node
    before = {id(n) for n in walk(status)}
    new = [n for n in walk(other) if id(n) not in before]
    assert 0 < len(new) < 30


def test_the_known_groups_are_one_value_per_claim() -> None:
    """Two groups of one step (two categories of the same grounds) are one value, not two
    joined: a variant's diff then finds the head's very arrays where nothing changed."""
    cond = "exists(events[measure == 'exile'])"
    text = _law({f"g{i}": cond if i % 2 else "pensioner" for i in range(300)})
    fw = _fw(text.replace('category = "c"', 'category = "a"', 150))
    people = tuple(Claim(f"c{i}", claimant="victim") for i in range(3))
    cov = evaluate(fw, InMemoryPopulation("p", people), AS_OF)
    known = Known.of((cov,))
    assert all(len(v) == 3 for v in known.steps.values())
    assert known.rows(0, 3) is known
