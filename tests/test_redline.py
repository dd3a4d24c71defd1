"""The structural diff of laws: provisions by id, articles by id/provisions/text, redlines."""

from __future__ import annotations

from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_law_text
from kzrehab.laws.provisions import Law
from kzrehab.redline import (
    Edit,
    diff_law,
    diff_laws,
    match_articles,
    redline,
)
from kzrehab.reports.text import render_redline

from .test_gitstore import toy


def law(text: str) -> Law:
    return load_law_text(text, "test.toml")


def changes(base: str, head: str) -> dict[str, str]:
    return {p.id: p.change for p in diff_law(law(base), law(head)).provisions}


def test_identical_versions_have_no_change() -> None:
    d = diff_law(law(toy()), law(toy()))
    assert not d.changed and d.status == "unchanged"


def test_version_and_status_are_metadata() -> None:
    d = diff_law(law(toy()), law(toy(version="v2")))
    assert [(m.field, m.old, m.new) for m in d.metadata] == [("version", "v1", "v2")]
    assert not d.provisions and not d.articles


def test_reworded() -> None:
    d = diff_law(law(toy()), law(toy(reword=True)))
    assert {p.id: p.change for p in d.provisions} == {"toy:exile": "reworded"}
    (p,) = d.provisions
    assert p.inherited_text  # its text is its article's
    assert [a.change for a in d.articles] == ["reworded"]
    assert render_redline(d.articles[0].text_redline) == (
        "Victims. Persons [-sent into exile-] {+exiled by the authorities+} are victims.")


def test_white_space_and_expression_layout_are_no_change() -> None:
    base = toy()
    head = base.replace("Persons sent into exile are victims.",
                        "Persons sent   into\\n exile are victims.")
    head = head.replace("when = \"exists(events[confession == 'voluntary'])\"",
                        "when = \"exists( events[ confession=='voluntary' ] )\"")
    assert changes(base, head) == {}


def test_rule_changed() -> None:
    head = toy().replace("measure == 'exile'", "measure in {'exile', 'special_settlement'}")
    d = diff_law(law(toy()), law(head))
    assert {p.id: p.change for p in d.definitions} == {"toy:definitions.exiled": "rule-changed"}
    head = toy().replace('recipients = ["victim"]', 'recipients = ["victim", "child"]')
    d = diff_law(law(toy()), law(head))
    (p,) = d.provisions
    assert (p.id, p.change) == ("toy:payment", "rule-changed")
    assert [(f.field, f.old, f.new) for f in p.fields] == [
        ("recipients", "victim", "victim, child")]  # fmt: skip


def test_recipients_order_is_no_change() -> None:
    base = toy().replace('recipients = ["victim"]', 'recipients = ["victim", "child"]')
    head = toy().replace('recipients = ["victim"]', 'recipients = ["child", "victim"]')
    assert changes(base, head) == {}


def test_inserted_article_is_no_cascade() -> None:
    d = diff_law(law(toy()), law(toy(deportation=True)))
    assert {p.id: p.change for p in d.provisions} == {"toy:deportation": "added"}
    assert [(a.base_number, a.head_number, a.change) for a in d.articles] == [
        (None, "1-1", "added")]  # fmt: skip


def test_renumbering_alone() -> None:
    d = diff_law(law(toy()), law(toy(renumber=True)))
    assert {p.id: p.change for p in d.provisions} == {
        "toy:exile": "renumbered", "toy:confession": "renumbered", "toy:payment": "renumbered"}
    assert [(a.base_number, a.head_number, a.change, a.matched_by) for a in d.articles] == [
        ("1", "10", "renumbered", "provisions"), ("2", "20", "renumbered", "provisions"),
        ("3", "30", "renumbered", "provisions")]  # fmt: skip


def test_combination() -> None:
    head = toy(renumber=True, reword=True).replace("category = \"victim\"", "category = \"exile\"")
    assert changes(toy(), head)["toy:exile"] == "reworded+rule-changed+renumbered"


def test_added_and_removed() -> None:
    base = toy(deportation=True)
    assert changes(base, toy()) == {"toy:deportation": "removed"}
    assert changes(toy(), toy(no_exclusion=True)) == {"toy:confession": "removed"}


def test_amended() -> None:
    bill = """
[law]
id = "bill"
title = "An amending bill"
kind = "bill"
status = "draft"

[[article]]
number = "1"
text = "The exclusion of the toy law is narrowed."

  [[article.amend]]
  id = "narrow"
  law = "toy"
  target = "confession"
  action = "replace"
  unless = "un_decision"
"""
    before = Framework([law(toy())]).laws
    after = Framework([law(toy()), load_law_text(bill, "bill.toml")]).laws
    found = {p.id: (p.change, [f.field for f in p.fields])
             for d in diff_laws(before, after) for p in d.provisions}  # fmt: skip
    assert found == {"toy:confession": ("rule-changed+amended", ["unless"]),
                     "bill:narrow": ("added", [])}  # fmt: skip
    assert [d.status for d in diff_laws(before, after)] == ["changed", "added"]
    assert [d.status for d in diff_laws(after, before)] == ["changed", "removed"]


PROSE = """
[law]
id = "prose"
title = "Prose"
kind = "law"
status = "in-force"
{articles}
"""


def prose(*articles: tuple[str, str, str]) -> Law:
    body = "".join(
        f'\n[[article]]\nnumber = "{n}"\nheading = "{h}"\ntext = "{t}"\n' for n, h, t in articles
    )
    return law(PROSE.format(articles=body))


PURPOSE = ("Purpose", "This law restores the rights and the good name of the victims of "
           "political repressions and provides for compensation of the harm done.")
SCOPE = ("Scope", "This law applies to citizens and foreigners repressed on the territory "
         "of Kazakhstan, and to their spouses, children and grandchildren.")
TERMS = ("Terms", "Political repression means coercion by the state for political, social, "
         "national or religious motives, in any of the forms listed in this law.")


def test_articles_matched_by_text_similarity() -> None:
    base = prose(("1", *PURPOSE), ("2", *SCOPE), ("3", *TERMS))
    head = prose(("1", *PURPOSE), ("2", "Archives", "Archives of the repressions are opened."),
                 ("3", SCOPE[0], SCOPE[1].replace("grandchildren", "grandchildren and heirs")),
                 ("4", *TERMS))  # fmt: skip
    d = diff_law(base, head)
    assert [(a.base_number, a.head_number, a.change, a.matched_by) for a in d.articles] == [
        (None, "2", "added", ""),
        ("2", "3", "reworded+renumbered", "text"),
        ("3", "4", "renumbered", "text"),
    ]  # fmt: skip
    assert render_redline(d.articles[1].text_redline, markdown=True).endswith(
        "children and grandchildren **and heirs**.")


def test_articles_matched_by_id_first() -> None:
    base = law(toy().replace('number = "1"\n', 'number = "1"\nid = "victims"\n', 1))
    head_text = toy().replace('number = "1"\n', 'number = "1"\nid = "victims"\n', 1)
    head_text = head_text.replace("Persons sent into exile are victims.", "Entirely new words.")
    pairs = match_articles(base.articles, law(head_text).articles)
    assert [(b and b.number, h and h.number, how) for b, h, how in pairs] == [
        ("1", "1", "id"), ("2", "2", "provisions"), ("3", "3", "provisions")]  # fmt: skip


def test_parameters_and_definitions() -> None:
    base = toy().replace("[definitions]", "[parameters]\nMCI = 3692\nold = 1\n\n[definitions]")
    head = toy().replace("[definitions]", "[parameters]\nMCI = { 2024-01-01 = 3692, "
                         "2025-01-01 = 3932 }\n\n[definitions]\nunused = \"true\"")
    d = diff_law(law(base), law(head))
    assert [(n.id, n.change, n.old, n.new) for n in d.parameters] == [
        ("toy:parameters.MCI", "rule-changed", "3692", "2024-01-01: 3692; 2025-01-01: 3932"),
        ("toy:parameters.old", "removed", "1", None),
    ]  # fmt: skip
    assert [(n.id, n.change) for n in d.definitions] == [("toy:definitions.unused", "added")]


def test_redline() -> None:
    edits = redline("a  b\nc d", "a x c d e")
    assert edits == (Edit("keep", "a", False), Edit("delete", "b"), Edit("insert", "x"),
                     Edit("keep", "c d"), Edit("insert", "e"))  # fmt: skip
    assert render_redline(edits) == "a [-b-] {+x+} c d {+e+}"
    assert render_redline(edits, markdown=True) == "a ~~b~~ **x** c d **e**"
    assert redline("same  text\n", "same text") == (Edit("keep", "same text", False),)
    assert render_redline(redline("in 1930-1933.", "in 1930-1934, abroad.")) == (
        "in 1930-[-1933-] {+1934, abroad+}.")
    assert render_redline(redline("x", "a_b*c"), markdown=True) == "~~x~~ **a\\_b\\*c**"
