"""Attribution variants: the head with one change taken back, by synthetic amendments that
go through :func:`kzrehab.laws.amend.apply_amendments`."""

from __future__ import annotations

import pytest

from kzrehab.attribution import AttributionRow, variant
from kzrehab.laws import amend
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.laws.provisions import Component, Exclusion, Ground, Law

HEADER = """\
[law]
id = "x"
title = "X"
kind = "law"
status = "draft"

[parameters]
P = 1
"""


def law(body: str, header: str = HEADER) -> list[Law]:
    return list(Framework([load_law_text(header + body, "x.toml")]).laws)


def provisions(laws: list[Law] | None) -> dict[str, object]:
    assert laws is not None
    return {p.id: p for law in laws for p in law.provisions()}


GROUND = """
[[article]]
number = "1"
  [[article.ground]]
  id = "{id}"
  category = "victim"
  when = "true"
"""
BASE = GROUND.format(id="a") + """
  [[article.component]]
  id = "pay"
  kind = "compensation"
  recipients = ["victim"]
  grounds = ["a"]
"""


def test_taking_back_an_added_ground_drops_what_names_only_it() -> None:
    head = law(BASE + GROUND.format(id="b").replace('number = "1"', 'number = "2"') + """
  [[article.exclusion]]
  id = "only-b"
  when = "true"
  grounds = ["b"]

  [[article.component]]
  id = "more"
  kind = "compensation"
  recipients = ["victim"]
  grounds = ["a", "b"]

  [[article.component]]
  id = "top-up"
  kind = "compensation"
  recipients = ["victim"]
  grounds = ["b"]

  [[article.component]]
  id = "instead"
  kind = "compensation"
  recipients = ["victim"]
  instead_of = ["top-up", "pay"]
""")
    laws = variant(head, law(BASE), "x", "b")
    found = provisions(laws)
    assert "b" not in found and "only-b" not in found and "top-up" not in found
    more, instead = found["more"], found["instead"]
    assert isinstance(more, Component) and more.grounds == ("a",)
    # the component left out is dropped from instead_of in turn, as a bill's repeal does
    assert isinstance(instead, Component) and instead.instead_of == ("x:pay",)
    assert laws is not None
    Framework(laws)


def test_restoring_a_form_that_names_what_the_head_repealed() -> None:
    head = law(GROUND.format(id="c") + """
  [[article.component]]
  id = "pay"
  kind = "compensation"
  recipients = ["victim"]
  grounds = ["c"]
""")
    # pay's base form names a, which the head has not: it goes as if repealed, and pay,
    # granted by no ground left, is left out
    found = provisions(variant(head, law(BASE), "x", "pay"))
    assert set(found) == {"c"}
    # the ground itself taken back: a is back
    found = provisions(variant(head, law(BASE), "x", "a"))
    assert set(found) == {"a", "c", "pay"}


def test_a_provision_whose_type_changed() -> None:
    head = law(GROUND.format(id="a") + """
  [[article.exclusion]]
  id = "pay"
  when = "true"
""")
    laws = variant(head, law(BASE), "x", "pay")
    found = provisions(laws)
    assert isinstance(found["pay"], Component) and isinstance(found["a"], Ground)
    assert not any(isinstance(p, Exclusion) for p in found.values())
    assert laws is not None
    Framework(laws)


def test_a_parameter_and_the_names_only_the_base_has() -> None:
    base = law(BASE, HEADER.replace("P = 1", "P = 1\nQ = 5"))
    head = law(BASE, HEADER.replace("P = 1", "P = 2"))
    laws = variant(head, base, "x", "parameters.P")
    assert laws is not None
    (x,) = laws
    assert {k: v.values for k, v in x.parameters.items()} == {"P": ((None, 1.0),),
                                                             "Q": ((None, 5.0),)}  # fmt: skip


def test_a_law_only_the_base_has_comes_back_with_the_provision() -> None:
    other = law(GROUND.format(id="g"), HEADER.replace('id = "x"', 'id = "y"'))
    laws = variant(law(BASE), [*law(BASE), *other], "y", "g")
    assert laws is not None and [x.id for x in laws] == ["x", "y"]
    assert [p.id for p in laws[1].provisions()] == ["g"]
    assert variant(law(BASE), law(BASE), "nowhere", "g") is None


def test_variants_go_through_apply_amendments(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    apply = amend.apply_amendments

    def spy(laws: list[Law]) -> object:
        calls.append([f"{a.action} {a.law}:{a.target}" for x in laws for a in x.amendments])
        return apply(laws)

    monkeypatch.setattr("kzrehab.attribution.apply_amendments", spy)
    head = law(BASE.replace('when = "true"', 'when = "false"'))
    variant(head, law(BASE), "x", "a")
    assert calls == [["replace x:a"]]


def test_row_reprs() -> None:
    assert repr(AttributionRow("x:a", 3, 1)) == "<AttributionRow x:a: 3 gain, 1 lose>"
    assert repr(AttributionRow("x:b", None, None)) == "<AttributionRow x:b: not evaluated>"
