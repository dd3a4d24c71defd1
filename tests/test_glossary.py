"""The glossary (``docs/glossary.rst``, :mod:`kzrehab.glossary`): every status, category,
form of reparation and claimant has a term in English, Kazakh and Russian; official forms
say where they were read; the page is generated from the data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kzrehab.glossary import by_code, glossary, label, parse, term
from kzrehab.laws.loader import load_laws
from kzrehab.laws.provisions import Ground
from kzrehab.outcome import STATUSES
from kzrehab.vocabulary import CLAIMANTS, REPARATION_KINDS

ROOT = Path(__file__).resolve().parent.parent
#: the letters of Kazakh that Russian lacks
KAZAKH_ONLY = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def draft_categories() -> set[str]:
    laws = load_laws([ROOT / "drafts"])
    return {p.category for law in laws for p in law.provisions() if isinstance(p, Ground)}


@pytest.mark.parametrize(
    ("kind", "values"),
    [("status", STATUSES), ("reparation", REPARATION_KINDS), ("claimant", CLAIMANTS),
     ("category", sorted(draft_categories()))],
)  # fmt: skip
def test_every_code_has_a_term_in_three_languages(kind: str, values: list[str]) -> None:
    assert values
    for value in values:
        found = by_code(kind, value)
        assert found is not None, f"no glossary term for {kind} '{value}'"
        for lang in ("en", "kk", "ru"):
            assert found.form(lang).text.strip(), f"{kind} '{value}' has no {lang} form"


def test_every_form_is_marked_and_official_ones_say_where_they_were_read() -> None:
    for t in glossary():
        for form in (t.kk, t.ru):
            assert form.status in ("official", "unverified", "project")
            if form.status == "official":
                assert "http" in form.source, f"{t.id}: an official form needs its address"


def test_the_letters_belong_to_their_language() -> None:
    """Kazakh forms write Cyrillic (the Kazakh letter i, U+0456, never Adilet's Latin i);
    Russian forms hold no letter only Kazakh has."""
    for t in glossary():
        assert not re.search("[A-Za-z]", t.kk.text), f"{t.id}: Latin letters in {t.kk.text!r}"
        assert not re.search("[A-Za-z]", t.ru.text), f"{t.id}: Latin letters in {t.ru.text!r}"
        assert not set(t.ru.text) & set(KAZAKH_ONLY), f"{t.id}: Kazakh letters in Russian"


def test_the_terms_of_the_1993_law() -> None:
    victim, injured = term("victim"), term("injured")
    assert (victim.ru.text, victim.ru.status) == ("жертва", "official")
    assert (injured.ru.text, injured.ru.status) == ("пострадавший", "official")
    assert (victim.kk.text, victim.kk.status) == ("құрбан", "official")
    rehabilitation = term("rehabilitation")
    assert (rehabilitation.kk.text, rehabilitation.kk.status) == ("ақтау", "official")
    # the UN's rehabilitation is another word in Kazakh
    assert label("reparation", "rehabilitation", "kk") == "оңалту"


def test_labels() -> None:
    assert label("status", "eligible") == "eligible"
    assert label("status", "eligible", "kk") == "құқығы бар"  # noqa: RUF001
    assert label("status", "undetermined", "ru") == "не определено"
    assert label("category", "no-such-category", "ru") == "no-such-category"
    with pytest.raises(ValueError, match="not a language"):
        label("status", "eligible", "de")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('kk = { text = "ақтау", status = "official" }', "an official form needs its source"),
        ('kk = { text = "ақтау", status = "sure" }', "status 'sure' is not one of"),
        ('kk = { status = "project" }', "the text is missing"),
    ],
)
def test_bad_data_is_refused(entry: str, message: str) -> None:
    text = f'[[term]]\nid = "t"\ngroup = "law"\nen = "t"\n{entry}\n' \
           'ru = { text = "термин", status = "project" }\n'  # fmt: skip
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_a_code_given_twice_is_refused() -> None:
    one = '[[term]]\nid = "ID"\ngroup = "status"\ncodes = ["status:x"]\nen = "x"\n' \
          'kk = { text = "термин", status = "project" }\n' \
          'ru = { text = "термин", status = "project" }\n'
    with pytest.raises(ValueError, match="'status:x' is given by both 'a' and 'b'"):
        parse(one.replace("ID", "a") + one.replace("ID", "b"))


def test_the_page_is_generated_from_the_data() -> None:
    page = (ROOT / "docs" / "glossary.rst").read_text(encoding="utf-8")
    assert ".. kzrehab-glossary::" in page
    index = (ROOT / "docs" / "index.rst").read_text(encoding="utf-8")
    assert re.search(r"^   glossary$", index, re.M)
