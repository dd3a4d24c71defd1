"""Twins (:attr:`kzrehab.plan.Plan.twins`): grounds of one law with the very same condition
under the same exclusions have one ``when`` and one ``applies`` between them, and every
``or`` reads it once. The coverage is the same as if each had its own — by either engine,
and for attribution's variants patched or made whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kzrehab.claims import Claim
from kzrehab.evaluation import evaluate
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.plan import plan_of
from kzrehab.rules import compiler

from .test_framework_engines import assert_same
from .test_variant_patches import _check, _component, _exclusion, _law, _people

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


PEOPLE = [Claim("a", claimant="victim"), Claim("b", claimant="child", pensioner=True),
          Claim("c", claimant="victim", disabled=True), Claim("d", pensioner=None),
          Claim("e", claimant="spouse", disabled=None, pensioner=False)]  # fmt: skip


def _fw(grounds: list[tuple[str, str, str]], extra: str = "") -> Framework:
    return Framework([load_law_text(_law("many", grounds, extra), "many.toml")])


@pytest.mark.parametrize("sharing", [True, False])
def test_twins_have_one_output_and_the_coverage_of_each_its_own(
    sharing: bool, monkeypatch: Any
) -> None:
    monkeypatch.setattr(compiler, "SHARING", sharing)
    fw = _fw([("a", "d", "c0"), ("b", "d", "c1"), ("x", "pensioner", "c1"),
              ("c", "d", "c1"), ("e", "d", "c0")],  # e: the same condition, excluded
             _exclusion("no", ["e"], "disabled") + _component("pay", ["b", "x"], "1"))
    plan = plan_of(fw)
    assert dict(plan.twins) == {"many:b": "many:a", "many:c": "many:a"}
    keys = {o.key for o in plan}
    assert {"when:many:a", "applies:many:a", "applies:many:e"} <= keys
    assert not {"when:many:b", "applies:many:b", "when:many:c", "applies:many:c"} & keys
    status = plan.by_key["status"].node
    reads = [n for n in _names(status) if n.startswith("applies:")]
    assert sorted(reads) == ["applies:many:a", "applies:many:e", "applies:many:x"]
    pop = _people(PEOPLE)
    vec = evaluate(fw, pop, AS_OF)
    assert list(vec.grounds) == ["many:a", "many:b", "many:x", "many:c", "many:e"]
    assert vec.grounds["many:b"] is vec.grounds["many:a"]
    assert_same(vec, evaluate(fw, pop, AS_OF, engine="interpreter"))
    # the same coverage as a framework where no two grounds are twins ("d" and "(d)" are
    # two trees), but the ground ids
    apart = _fw([("a", "d", "c0"), ("b", "(d) and d", "c1"), ("x", "pensioner", "c1"),
                 ("c", "d and (d)", "c1"), ("e", "d", "c0")],
                _exclusion("no", ["e"], "disabled") + _component("pay", ["b", "x"], "1"))
    assert not plan_of(apart).twins
    assert_same(vec, evaluate(apart, pop, AS_OF))


def _names(node: Any) -> list[str]:
    from kzrehab.rules.ast import Name, walk

    return [n.name for n in walk(node) if isinstance(n, Name) and n.ref == "out"]


def test_a_twin_repealed_is_a_patch() -> None:
    """New grounds that are twins of each other or of the base's, their categories shared
    or their own: each variant taking one back is a patch of the head, equal to the whole
    variant — a twin with no outputs of its own (only its category may change), the first
    of twins (its heir has its outputs, and every ``or`` reads the heir's instead)."""
    base = _fw([("g0", "d", "c0"), ("g1", "pensioner", "c1"), ("g2", "disabled", "c1")],
               _component("pay", None, "2"))
    head = _fw([("n0", "d", "c0"), ("g0", "d", "c0"), ("g1", "pensioner", "c1"),
                ("n1", "pensioner", "c2"), ("n2", "d", "c2"), ("g2", "disabled", "c1"),
                ("n3", "d", "c3")],
               _component("pay", None, "2"))
    assert dict(plan_of(head).twins) == {"many:g0": "many:n0", "many:n1": "many:g1",
                                         "many:n2": "many:n0", "many:n3": "many:n0"}
    assert _check(base, head, _people(PEOPLE)) == (4, 0, 0, 0)
    assert _check(base, head, _people(PEOPLE), 2) == (4, 0, 0, 0)


def test_a_changed_ground_with_a_twin_is_a_patch() -> None:
    """A ground whose condition changed, that has twins in the head or takes the condition
    of another ground in the variant: its variant is a patch of the head, equal to the whole
    variant — it leaves its twins (the first of them passes its outputs to the next) and
    has outputs of its own."""
    one = [("g0", "d", "c0"), ("g1", "pensioner", "c1"), ("g2", "pensioner", "c2")]
    two = [("g0", "d", "c0"), ("g1", "d", "c1"), ("g2", "pensioner", "c2")]
    three = [("g0", "d", "c0"), ("g1", "disabled", "c1"), ("g2", "pensioner", "c2")]
    # g1 a twin of g0 in the head, of g2 in the variant; and the other way
    assert _check(_fw(one), _fw(two), _people(PEOPLE)) == (0, 0, 1, 0)
    assert _check(_fw(two), _fw(one), _people(PEOPLE)) == (0, 0, 1, 0)
    # the first of twins changed: its heir (g1) has their outputs; a category moved too
    first = [("g0", "disabled", "c1"), ("g1", "d", "c0"), ("g2", "d", "c1"), ("g3", "d", "c2")]
    firsts = [("g0", "d", "c0"), ("g1", "d", "c0"), ("g2", "d", "c1"), ("g3", "d", "c2")]
    for base, head in ((first, firsts), (firsts, first), (one, three)):
        assert _check(_fw(base, _component("pay", ["g0", "g2"], "3")),
                      _fw(head, _component("pay", ["g0", "g2"], "3")),
                      _people(PEOPLE), 2)[2:] == (1, 0)
