"""The structural diff in several languages (``docs/reports.rst``, *Redlines*): texts are
compared in every language; the redline is in the report's language when it changed there,
else in the language that changed, and the reports say which."""

from __future__ import annotations

from kzrehab.laws.loader import load_law_text
from kzrehab.laws.provisions import Law
from kzrehab.redline import diff_law
from kzrehab.reports.blocks import Bullets, Item
from kzrehab.reports.comparison_view import _law_changes
from kzrehab.reports.data.laws import law_change, law_change_json
from kzrehab.reports.html import render_html

LAW = """[law]
id = "x"
title = TITLE
kind = "bill"
status = "draft"

[[article]]
number = "1"
heading = HEADING
text = "The text."

  [[article.component]]
  id = "c"
  kind = "satisfaction"
  recipients = ["victim"]
  title = CTITLE
  text = "An apology."
"""


def law(title: str = '"Title"', heading: str = '"Persons"', ctitle: str = '"Apology"') -> Law:
    text = LAW.replace("CTITLE", ctitle).replace("TITLE", title).replace("HEADING", heading)
    return load_law_text(text, "x.toml")


def words(edits: object) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in edits]  # type: ignore[attr-defined]


def test_english_only_drafts_diff_as_before() -> None:
    d = diff_law(law(), law(heading='"Persons rehabilitated"'))
    (a,) = d.articles
    assert a.changes == ("reworded",) and a.languages == ("en",)
    assert a.redline_language == "en"
    assert words(a.text_redline) == [("keep", "Persons"), ("insert", "rehabilitated"),
                                     ("keep", ". The text.")]  # fmt: skip


def test_a_translation_added_is_translated_not_reworded() -> None:
    base = law()
    head = law(heading='{ en = "Persons", kk = "Адамдар" }')
    (a,) = diff_law(base, head).articles
    # nothing was reworded: the base gave no Kazakh text, so the Kazakh heading is added
    assert a.changes == ("translated",) and a.languages == ("kk",)
    # the English report shows the Kazakh texts added, not the English text "replaced"
    assert a.redline_language == "kk"
    assert words(a.text_redline) == [("insert", "Адамдар")]
    change = law_change(diff_law(base, head))
    assert change.articles[0].redline_language == "kk"
    assert law_change_json(change)["articles"][0]["redline_language"] == "kk"


def test_the_report_language_is_preferred() -> None:
    base = law(heading='{ en = "Persons", kk = "Адамдар", ru = "Лица" }')
    head = law(heading='{ en = "People", kk = "Тұлғалар", ru = "Лица" }')
    (a,) = diff_law(base, head).articles
    assert a.languages == ("kk", "en") and a.redline_language == "en"
    (a,) = diff_law(base, head, language="kk").articles
    assert a.redline_language == "kk"
    assert words(a.text_redline)[:2] == [("delete", "Адамдар"), ("insert", "Тұлғалар")]
    # in Russian nothing changed: the redline falls back along ru, en, kk
    (a,) = diff_law(base, head, language="ru").articles
    assert a.redline_language == "en"
    # an English report of an English change names no language
    assert law_change(diff_law(base, head)).articles[0].redline_language is None
    assert "redline_language" not in law_change_json(law_change(diff_law(base, head)))[
        "articles"][0]


def test_a_component_title_changed_in_russian() -> None:
    base = law(ctitle='{ en = "Apology", ru = "Извинение" }')
    head = law(ctitle='{ en = "Apology", ru = "Официальное извинение" }')
    (p,) = diff_law(base, head).provisions
    assert p.changes == ("reworded",) and p.languages == ("ru",)
    assert p.redline_language == "ru"
    assert ("insert", "Официальное извинение") in words(p.text_redline)


def test_a_title_changed_in_another_language_is_its_own_field() -> None:
    base = law(title='{ en = "Title", kk = "Тақырып" }')
    head = law(title='{ en = "Title", kk = "Жаңа тақырып" }')
    d = diff_law(base, head)
    assert [(f.field, f.old, f.new) for f in d.metadata] == [
        ("title.kk", "Тақырып", "Жаңа тақырып")]
    d = diff_law(base, head, language="kk")
    assert [(f.field, f.old, f.new) for f in d.metadata] == [
        ("title", "Тақырып", "Жаңа тақырып")]


def test_the_reports_say_the_language_of_a_redline() -> None:
    change = law_change(diff_law(law(), law(heading='{ en = "Persons", kk = "Адамдар" }')))
    blocks = _law_changes(change)
    bullets = blocks[1]
    assert isinstance(bullets, Bullets)
    item: Item = bullets.items[0]
    assert item.text == "article 1: translated (in Kazakh)"
    assert item.redline_lang == "kk"
    html = render_html("t", blocks)
    assert '<blockquote class="redline" lang="kk">' in html


def test_a_dropped_translation_is_reworded() -> None:
    base = law(heading='{ en = "Persons", kk = "Адамдар" }')
    (a,) = diff_law(base, law()).articles
    assert a.changes == ("reworded",) and a.languages == ("kk",)


def test_reworded_in_english_and_translated_into_russian() -> None:
    base = law()
    head = law(heading='{ en = "People", ru = "Лица" }')
    (a,) = diff_law(base, head).articles
    assert a.changes == ("reworded", "translated") and a.languages == ("en",)
    assert words(a.text_redline)[:2] == [("delete", "Persons"), ("insert", "People")]


def test_a_component_title_translated() -> None:
    (p,) = diff_law(law(), law(ctitle='{ en = "Apology", ru = "Извинение" }')).provisions
    assert p.changes == ("translated",) and p.change == "translated"
    assert words(p.text_redline) == [("insert", "Извинение")]


def test_a_title_a_version_does_not_give_shows_as_none() -> None:
    change = law_change(diff_law(law(), law(title='{ en = "Title", kk = "Тақырып" }')))
    bullets = _law_changes(change)[1]
    assert isinstance(bullets, Bullets)
    assert bullets.items[0].text == "title.kk: (none) → Тақырып"
