"""Texts per language in drafts (``docs/draft-format.rst``, *Languages*): loading, errors,
the fallback, amendments, content keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzrehab.cli import main
from kzrehab.errors import DraftError
from kzrehab.keys import law_key
from kzrehab.languages import fallback_order, pick
from kzrehab.laws.amend import apply_amendments
from kzrehab.laws.loader import load_law_text, load_laws
from kzrehab.laws.provisions import Law, languages_of, text_in, texts_of, wording

ROOT = Path(__file__).resolve().parent.parent

HEAD = '[law]\nid = "x"\nkind = "bill"\nstatus = "draft"\n'

BODY = """
[[article]]
number = "1"
heading = { kk = "Ақталатын адамдар", ru = "Реабилитируемые лица", en = "Persons rehabilitated" }
text = { ru = "Текст статьи.", en = "The article's text." }

  [[article.ground]]
  id = "g"
  category = "victim"
  when = "claimant == 'victim'"

  [[article.component]]
  id = "c"
  kind = "satisfaction"
  recipients = ["victim"]
  title = { kk = "Кешірім", en = "Apology" }
  text = "An apology."
"""


def law(title: str, body: str = BODY) -> Law:
    return load_law_text(HEAD + f"title = {title}\n" + body, "x.toml")


def test_a_plain_string_is_english() -> None:
    x = load_law_text(HEAD + 'title = "Plain"\n', "x.toml")
    assert x.title == "Plain" and x.wordings == ()
    assert languages_of(x) == ("en",)
    assert text_in(x, "title", "kk") == "Plain"


def test_tables_of_languages_and_the_fallback() -> None:
    x = law('{ en = "Title", ru = "Заголовок", kk = "Тақырып", official = ["kk"] }')
    assert x.title == "Title"
    assert languages_of(x) == ("kk", "ru", "en")
    assert wording(x, "title").official == frozenset({"kk"})
    art = x.articles[0]
    assert art.heading == "Persons rehabilitated"
    assert text_in(art, "heading", "kk") == "Ақталатын адамдар"
    # no Kazakh text: Kazakh falls back to English, then Russian
    assert text_in(art, "text", "kk") == "The article's text."
    ground, component = art.provisions
    # a provision without a text of its own takes its article's, in every language
    assert text_in(ground, "text", "ru") == "Текст статьи."
    assert text_in(component, "title", "kk") == "Кешірім"
    assert text_in(component, "title", "ru") == "Apology"
    assert text_in(component, "text", "ru") == "An apology."


def test_without_english_the_plain_field_holds_russian_then_kazakh() -> None:
    x = law('{ kk = "Тақырып", ru = "Заголовок" }')
    assert x.title == "Заголовок"
    assert languages_of(x) == ("kk", "ru")
    assert law('{ kk = "Тақырып" }').title == "Тақырып"


def test_fallback_order() -> None:
    assert fallback_order() == ("en", "ru", "kk")
    assert fallback_order("kk") == ("kk", "en", "ru")
    assert pick({"ru": "Закон", "kk": "Заң"}, "en") == ("ru", "Закон")
    assert pick({}, "kk") == ("kk", "")
    with pytest.raises(ValueError, match="'de' is not a language"):
        fallback_order("de")


def test_translations_leave_the_content_key_as_it_was() -> None:
    heading = BODY.splitlines()[3]
    assert heading.startswith("heading = {")
    english = law('"Title"', BODY.replace(heading, 'heading = "Persons rehabilitated"'))
    translated = law('{ en = "Title", kk = "Тақырып" }')
    assert law_key(english) == law_key(translated)


@pytest.mark.parametrize(
    ("title", "line", "key", "message"),
    [
        ('{ en = "T", de = "Titel" }', 5, "law.title.de",
         "'de' is not a language of a text: use kk, ru, en"),
        ('{ en = "T", kz = "Заң" }', 5, "law.title.kz", "did you mean 'kk'"),
        ('{ en = "T", ru = 5 }', 5, "law.title.ru", "expected a string, found an integer (5)"),
        ('{ en = "T", kk = "  " }', 5, "law.title.kk", "the kk text is empty"),
        ("{}", 5, "law.title", "needs at least one language: kk, ru, en"),
        ('{ en = "T", official = ["ru"] }', 5, "law.title.official",
         "'ru' is marked official but the table gives no ru text"),
        ('{ en = "T", official = "en" }', 5, "law.title.official", "lists languages"),
        ("[1]", 5, "law.title", "expected a string or a table of languages (kk, ru, en)"),
    ],
)
def test_bad_tables_say_where_and_what(title: str, line: int, key: str, message: str) -> None:
    with pytest.raises(DraftError) as info:
        law(title)
    err = info.value
    assert err.location.file == "x.toml"
    assert err.location.key == key
    assert err.location.line == line
    assert message in err.message


def test_a_bad_heading_language_points_at_its_line() -> None:
    body = BODY.replace('ru = "Реабилитируемые лица"', 'uk = "Реабілітовані"')
    with pytest.raises(DraftError) as info:
        law('"T"', body)
    assert info.value.location.key == "article[0].heading.uk"
    assert info.value.location.line == 9  # the heading line (5 lines of [law] and a blank)


TARGET = '''[law]
id = "t"
title = "Target"
kind = "law"
status = "in-force"

[[article]]
number = "1"
heading = "H"

  [[article.component]]
  id = "c"
  kind = "compensation"
  recipients = ["victim"]
  title = { en = "Payment", ru = "Выплата" }
  text = { en = "Old text.", kk = "Ескі мәтін." }
'''

AMENDING = '''[law]
id = "a"
title = "Amending"
kind = "bill"
status = "draft"

[[article]]
number = "1"
text = { en = "Inserted text.", ru = "Вставленный текст." }

  [[article.amend]]
  id = "new-text"
  law = "t"
  target = "c"
  action = "replace"
  text = "New text."

  [[article.amend]]
  id = "ins"
  law = "t"
  target = "d"
  action = "insert"
  type = "component"
  kind = "satisfaction"
  recipients = ["victim"]
'''


def test_a_replaced_text_drops_its_translations_and_an_insert_keeps_its_own() -> None:
    target = load_law_text(TARGET, "t.toml")
    amending = load_law_text(AMENDING, "a.toml")
    amended = {x.id: x for x in apply_amendments([target, amending]).laws}["t"]
    c = next(p for p in amended.provisions() if p.id == "c")
    d = next(p for p in amended.provisions() if p.id == "d")
    # the Kazakh "Ескі мәтін." translated the old text: it must not stand beside the new one
    assert text_in(c, "text", "kk") == "New text."
    assert text_in(c, "title", "ru") == "Выплата"
    assert text_in(d, "text", "ru") == "Вставленный текст."


def test_check_lists_the_languages_and_the_official_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "x.toml"
    draft.write_text(HEAD + 'title = { en = "T", kk = "Тақырып", official = ["kk"] }\n' + BODY,
                     encoding="utf-8")  # fmt: skip
    assert main(["check", str(draft), "--languages"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "x: kk 3 of 5 texts (official: title); ru 2 of 5 texts (none official); "
        "en 5 of 5 texts (none official)"
    )
    assert main(["check", str(draft)]) == 0
    assert capsys.readouterr().out == "checked 1 law: no findings\n"


def test_every_draft_has_its_title_and_headings_in_three_languages() -> None:
    for law in load_laws([ROOT / "drafts"]):
        for where, w in texts_of(law):
            if where == "title" or where.endswith(" heading"):
                assert w.languages == ("kk", "ru", "en"), f"{law.id}: {where}"
