"""Applying amendments: repeal, replace, insert, merging, conflicts and notices."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from kzrehab.errors import AmendmentError, DraftError
from kzrehab.laws.amend import INSERTED_HEADING, Amended, apply_amendments
from kzrehab.laws.loader import load_law_text, load_laws
from kzrehab.laws.provisions import Component, Exclusion, Ground, Law

DATA = Path(__file__).parent / "data" / "laws"

CURRENT = """\
[law]
id = "current"
title = "Current law"
kind = "law"
status = "in-force"

[parameters]
MCI = 3692

[definitions]
deported = "exists(events[measure == 'deportation'])"

[[article]]
number = "1"
text = "Victims."

  [[article.ground]]
  id = "victim"
  category = "political"
  when = "exists(events[motive == 'political'])"

  [[article.ground]]
  id = "family"
  category = "family"
  when = "deported"

[[article]]
number = "2"
text = "Exclusions."

  [[article.exclusion]]
  id = "amnesty"
  when = "exists(events[outcome == 'amnesty'])"
  grounds = ["victim"]

  [[article.exclusion]]
  id = "confession"
  when = "exists(events[confession == 'voluntary'])"
  unless = "un_decision"
  grounds = ["victim", "family"]

[[article]]
number = "3"
text = "Payments."

  [[article.component]]
  id = "payment"
  kind = "compensation"
  title = "Payment"
  grounds = ["victim"]
  recipients = ["victim"]
  amount = "10 * MCI"

  [[article.component]]
  id = "family-payment"
  kind = "compensation"
  grounds = ["family"]
  recipients = ["spouse", "child"]
  instead_of = ["payment"]
"""


def bill(amendments: str, law_id: str = "bill") -> Law:
    """A bill whose article 1 holds the given ``[[article.amend]]`` tables."""
    text = (
        f'[law]\nid = "{law_id}"\ntitle = "A bill"\nkind = "bill"\nstatus = "draft"\n'
        + '\n[[article]]\nnumber = "1"\ntext = "Amendments."\n'
        + textwrap.dedent(amendments)
    )
    return load_law_text(text, f"{law_id}.toml")


def amend(id: str, target: str, action: str, fields: str = "", law: str = "current") -> str:
    return (
        f'[[article.amend]]\nid = "{id}"\nlaw = "{law}"\ntarget = "{target}"\n'
        f'action = "{action}"\n' + textwrap.dedent(fields) + "\n"
    )


def current(text: str = CURRENT) -> Law:
    return load_law_text(text, "current.toml")


def apply(*bills: Law, base: Law | None = None) -> Amended:
    return apply_amendments([base or current(), *bills])


def provision(law: Law, pid: str) -> Ground | Exclusion | Component:
    for p in law.provisions():
        if p.id == pid:
            assert isinstance(p, Ground | Exclusion | Component)
            return p
    raise AssertionError(f"no provision {pid}")


def ids(law: Law) -> list[str]:
    return [p.id for p in law.provisions()]


# -- nothing to do ----------------------------------------------------------------------


def test_laws_without_amendments_come_back_unchanged() -> None:
    base = current()
    result = apply_amendments([base])
    assert result.laws == (base,) and result.laws[0] is base
    assert result.notices == ()


def test_the_amending_law_keeps_its_amendments() -> None:
    b = bill(amend("a", "amnesty", "repeal"))
    result = apply(b)
    assert result.laws[1] is b
    assert [a.id for a in result.laws[1].amendments] == ["a"]


# -- repeal -----------------------------------------------------------------------------


def test_repeal_removes_the_provision() -> None:
    result = apply(bill(amend("a", "amnesty", "repeal")))
    assert "amnesty" not in ids(result.laws[0])
    assert result.notices == ()


def test_repealing_a_ground_drops_references_and_notices_what_is_inert() -> None:
    result = apply(bill(amend("no-victims", "victim", "repeal")))
    law = result.laws[0]
    assert "victim" not in ids(law)
    # the exclusion covering only the repealed ground is inert and left out
    assert "amnesty" not in ids(law)
    # the reference is dropped from a list that still names another ground...
    confession = provision(law, "confession")
    assert isinstance(confession, Exclusion)
    assert confession.grounds == ("family",)
    assert confession.amended_by == ("bill:no-victims",)
    # ... and the component granted only by it is left out, and so is its instead_of
    assert "payment" not in ids(law)
    family_payment = provision(law, "family-payment")
    assert isinstance(family_payment, Component)
    assert family_payment.instead_of == ()
    assert family_payment.amended_by == ("bill:no-victims",)
    assert result.notices == (
        "exclusion current:amnesty covered only repealed grounds (current:victim): it is inert "
        "and left out of the framework",
        "component current:payment was granted by only repealed grounds (current:victim): it "
        "is inert and left out of the framework",
    )


def test_repeal_drops_full_id_references_from_other_laws() -> None:
    other_text = textwrap.dedent("""
        [law]
        id = "other"
        title = "Other"
        kind = "law"
        status = "in-force"
        [[article]]
        number = "1"
          [[article.exclusion]]
          id = "bar"
          when = "true"
          grounds = ["current:family", "current:victim"]
          [[article.component]]
          id = "extra"
          kind = "satisfaction"
          grounds = ["current:family"]
          recipients = ["victim"]
        """)
    other = load_law_text(other_text, "other.toml")
    result = apply(other, bill(amend("x", "family", "repeal")))
    law = result.laws[1]
    bar = provision(law, "bar")
    assert isinstance(bar, Exclusion) and bar.grounds == ("current:victim",)
    assert bar.amended_by == ("bill:x",)
    assert "extra" not in ids(law)
    assert any("component other:extra was granted by only repealed grounds" in n
               for n in result.notices)  # fmt: skip
    assert "family-payment" not in ids(result.laws[0])


def test_default_grounds_become_inert_with_a_notice() -> None:
    text = textwrap.dedent("""
        [law]
        id = "current"
        title = "t"
        kind = "law"
        status = "in-force"
        [[article]]
        number = "1"
          [[article.ground]]
          id = "only"
          category = "c"
          when = "true"
          [[article.exclusion]]
          id = "everything"
          when = "true"
          [[article.component]]
          id = "pay"
          kind = "compensation"
          recipients = ["victim"]
        """)
    result = apply(bill(amend("x", "only", "repeal")), base=current(text))
    assert ids(result.laws[0]) == ["everything", "pay"]
    assert result.notices == (
        "exclusion current:everything covers no ground any more",
        "component current:pay is granted by no ground any more",
    )


def test_repeal_of_a_component_drops_it_from_instead_of() -> None:
    result = apply(bill(amend("x", "payment", "repeal")))
    family_payment = provision(result.laws[0], "family-payment")
    assert isinstance(family_payment, Component)
    assert family_payment.instead_of == ()
    assert family_payment.amended_by == ("bill:x",)


def test_repeal_of_parameters_and_definitions() -> None:
    result = apply(
        bill(amend("p", "parameters.MCI", "repeal") + amend("d", "definitions.deported", "repeal"))
    )
    law = result.laws[0]
    assert "MCI" not in law.parameters and "deported" not in law.definitions
    assert result.notices == (
        "current: parameters.MCI is repealed by bill:p but still named by current:payment",
        "current: definitions.deported is repealed by bill:d but still named by current:family",
    )


# -- replace ----------------------------------------------------------------------------


def test_replace_keeps_the_other_fields_and_records_amended_by() -> None:
    before = current()
    result = apply(bill(amend("a", "confession", "replace", 'unless = "un_decision or true"')))
    old = provision(before, "confession")
    new = provision(result.laws[0], "confession")
    assert isinstance(old, Exclusion) and isinstance(new, Exclusion)
    assert new.unless is not None and new.unless.source == "un_decision or true"
    assert new.unless.origin.file == "bill.toml"
    assert (new.when, new.grounds, new.text, new.article) == (
        old.when, old.grounds, old.text, old.article,
    )  # fmt: skip
    assert new.amended_by == ("bill:a",)
    assert new.origin == old.origin


def test_replace_of_component_fields() -> None:
    fields = 'amount = "20 * MCI"\nrecipients = ["victim", "heir"]\ntitle = "Larger payment"'
    result = apply(bill(amend("a", "payment", "replace", fields)))
    new = provision(result.laws[0], "payment")
    assert isinstance(new, Component)
    assert new.amount is not None and new.amount.source == "20 * MCI"
    assert new.recipients == ("victim", "heir")
    assert new.title == "Larger payment"
    assert new.kind == "compensation" and new.grounds == ("victim",)


def test_replace_with_a_field_the_target_has_not_is_an_error() -> None:
    b = bill(amend("a", "victim", "replace", 'unless = "true"'))
    with pytest.raises(AmendmentError) as info:
        apply(b)
    assert "bill:a replaces 'unless' of current:victim" in info.value.message
    assert "a ground has no such field" in info.value.message
    assert info.value.location == b.amendments[0].origin


def test_replace_of_parameters_and_definitions() -> None:
    fields = "value = { 2026-01-01 = 4000 }"
    result = apply(
        bill(
            amend("p", "parameters.MCI", "replace", fields)
            + amend("d", "definitions.deported", "replace", "value = 'false'")
        )
    )
    law = result.laws[0]
    assert law.parameters["MCI"].values == ((dt.date(2026, 1, 1), 4000.0),)
    assert law.parameters["MCI"].origin.file == "bill.toml"
    assert law.definitions["deported"].expr.source == "false"


# -- insert -----------------------------------------------------------------------------


def test_insert_into_a_numbered_article() -> None:
    fields = 'type = "ground"\narticle = "1"\ncategory = "torture"\nwhen = "true"'
    result = apply(bill(amend("a", "torture", "insert", fields)))
    law = result.laws[0]
    article = law.articles[0]
    assert [p.id for p in article.provisions] == ["victim", "family", "torture"]
    torture = article.provisions[-1]
    assert isinstance(torture, Ground)
    assert (torture.category, torture.when.source, torture.article) == ("torture", "true", "1")
    assert torture.amended_by == ("bill:a",)
    assert torture.text == "Amendments."  # the amendment's text by default
    assert law.full_id(torture.id) == "current:torture"


def test_insert_without_article_joins_the_inserted_article() -> None:
    fields = 'type = "exclusion"\nwhen = "true"\ngrounds = ["family"]\ntext = "Own text."'
    result = apply(bill(amend("a", "new-bar", "insert", fields)))
    last = result.laws[0].articles[-1]
    assert (last.number, last.heading) == ("", INSERTED_HEADING)
    (bar,) = last.provisions
    assert isinstance(bar, Exclusion)
    assert (bar.grounds, bar.text, bar.article) == (("family",), "Own text.", "")
    assert result.notices == ()


def test_insert_into_a_missing_article_is_noticed() -> None:
    fields = 'type = "component"\narticle = "99"\nkind = "satisfaction"\nrecipients = ["victim"]'
    result = apply(bill(amend("a", "apology", "insert", fields)))
    assert result.laws[0].articles[-1].heading == INSERTED_HEADING
    assert result.notices == (
        "current has no article 99: current:apology, inserted by bill:a, joins "
        f"'{INSERTED_HEADING}'",
    )


def test_inserting_an_existing_id_is_an_error() -> None:
    fields = 'type = "ground"\ncategory = "c"\nwhen = "true"'
    with pytest.raises(AmendmentError, match="already has a provision with that id"):
        apply(bill(amend("a", "payment", "insert", fields)))
    with pytest.raises(AmendmentError, match="already has a parameter 'MCI'"):
        apply(bill(amend("a", "parameters.MCI", "insert", "value = 1")))
    with pytest.raises(AmendmentError, match="already has a parameter 'MCI'"):
        apply(bill(amend("a", "definitions.MCI", "insert", "value = 'true'")))


def test_insert_of_parameters_and_definitions() -> None:
    result = apply(
        bill(
            amend("p", "parameters.bonus", "insert", "value = 5")
            + amend("d", "definitions.tortured", "insert", 'value = "exists(events)"')
        )
    )
    law = result.laws[0]
    assert law.parameters["bonus"].values == ((None, 5.0),)
    assert law.definitions["tortured"].expr.source == "exists(events)"


def test_repeal_drops_references_from_inserted_provisions() -> None:
    fields = 'type = "exclusion"\nwhen = "true"\ngrounds = ["family", "victim"]'
    result = apply(bill(amend("i", "bar", "insert", fields) + amend("r", "victim", "repeal")))
    bar = provision(result.laws[0], "bar")
    assert isinstance(bar, Exclusion)
    assert bar.grounds == ("family",)
    assert bar.amended_by == ("bill:i", "bill:r")


# -- several amendments of one target ---------------------------------------------------


def test_identical_amendments_merge() -> None:
    fields = "when = \"exists(events[motive ==  'political'])\""
    one = bill(amend("a", "victim", "replace", fields), law_id="one")
    two = bill(amend("b", "victim", "replace", fields), law_id="two")
    result = apply(one, two)
    victim = provision(result.laws[0], "victim")
    assert victim.amended_by == ("one:a", "two:b")
    repeal_one = bill(amend("a", "amnesty", "repeal"), law_id="one")
    repeal_two = bill(amend("b", "amnesty", "repeal"), law_id="two")
    assert "amnesty" not in ids(apply(repeal_one, repeal_two).laws[0])


def test_different_amendments_of_one_target_are_an_error() -> None:
    one = bill(amend("a", "victim", "replace", 'when = "true"'), law_id="one")
    two = bill(amend("b", "victim", "replace", 'when = "false"'), law_id="two")
    with pytest.raises(AmendmentError) as info:
        apply(one, two)
    message = info.value.message
    assert "one:a" in message and "two:b" in message and "current:victim" in message
    assert info.value.location == two.amendments[0].origin
    three = bill(amend("c", "victim", "repeal"), law_id="three")
    with pytest.raises(AmendmentError, match=r"one:a \(replace\) and three:c \(repeal\)"):
        apply(one, three)


def test_amending_an_inserted_provision_is_a_conflict() -> None:
    fields = 'type = "ground"\ncategory = "c"\nwhen = "true"'
    b = bill(amend("i", "new", "insert", fields) + amend("r", "new", "replace", 'when = "false"'))
    with pytest.raises(AmendmentError, match="amend current:new differently"):
        apply(b)


# -- targets ----------------------------------------------------------------------------


def test_a_missing_target_is_an_error_with_a_suggestion() -> None:
    b = bill(amend("a", "amensty", "repeal"))
    with pytest.raises(AmendmentError) as info:
        apply(b)
    err = info.value
    assert err.message == (
        "amendment bill:a cannot repeal 'amensty': law current has no such provision, "
        "parameter or definition; did you mean 'amnesty'?"
    )
    assert err.location.file == "bill.toml"
    assert err.location.key == "article[0].amend[0]"
    assert err.location.line == 10
    assert str(err).startswith("bill.toml:10:1: article[0].amend[0]: amendment bill:a")


@pytest.mark.parametrize(
    ("target", "action", "fields", "hint"),
    [
        ("parameters.MCII", "replace", "value = 1", "did you mean 'parameters.MCI'?"),
        ("definitions.deportd", "repeal", "", "did you mean 'definitions.deported'?"),
        ("family-paymnt", "replace", 'title = "x"', "did you mean 'family-payment'?"),
    ],
)
def test_missing_targets_of_every_kind(target: str, action: str, fields: str, hint: str) -> None:
    with pytest.raises(AmendmentError, match=hint):
        apply(bill(amend("a", target, action, fields)))


def test_an_amendment_of_a_law_not_in_the_framework_is_noticed() -> None:
    result = apply(bill(amend("cpc-no-bar", "voluntary", "repeal", law="cpc")))
    assert result.notices == ("cpc is not in the framework: amendment bill:cpc-no-bar not applied"
                              " (nor its expressions checked: give the law it amends too)",)


def test_amendments_cannot_be_amended() -> None:
    first = bill(amend("a", "amnesty", "repeal"), law_id="first")
    second = bill(amend("b", "a", "repeal", law="first"), law_id="second")
    with pytest.raises(AmendmentError, match="first:a, which is itself an amendment"):
        apply(first, second)


def test_a_law_given_twice_is_an_error() -> None:
    with pytest.raises(DraftError, match="given twice"):
        apply_amendments([current(), current()])


# -- the drafts under tests/data --------------------------------------------------------


def test_the_bill_amends_the_current_law() -> None:
    result = apply_amendments(load_laws([DATA]))
    bill_law, law = result.laws
    assert bill_law.id == "prisoners-of-conscience" and law.id == "rehabilitation-1993"
    assert "self-incrimination" not in ids(law)
    assert law.parameters["ceiling"].values == ((None, 150.0),)
    torture = provision(law, "torture-victim")
    assert isinstance(torture, Ground) and torture.article == "1"
    assert torture.amended_by == ("prisoners-of-conscience:new-torture-ground",)
    assert result.notices == (
        "cpc is not in the framework: amendment prisoners-of-conscience:cpc-no-bar not applied"
        " (nor its expressions checked: give the law it amends too)",
    )
