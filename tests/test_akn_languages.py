"""Akoma Ntoso per language (``export --to akn --expression``): one expression per
language a law has, each valid against the OASIS schema (as in ``test_akn.py``), with
ISO 639-2/B codes, the official wording marked and the texts that fall back to another
language marked with ``xml:lang``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from kzrehab.akn import (
    AKN_NAMESPACE,
    KZREHAB_NAMESPACE,
    akn_xml,
    default_language,
    expression_file_name,
    expression_uri,
)
from kzrehab.cli import main
from kzrehab.laws.loader import load_law_file, load_law_text, load_laws
from kzrehab.laws.provisions import Law, languages_of

from . import test_akn

#: the OASIS schema (a fixture) and the validation of ``test_akn.py``
schema, validate = test_akn.schema, test_akn.validate

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted(p for p in (ROOT / "drafts").rglob("*.toml") if "cases" not in p.parts)
NS = {"a": AKN_NAMESPACE, "kz": KZREHAB_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CODES = {"kk": "kaz", "ru": "rus", "en": "eng"}


def others() -> list[Law]:
    return load_laws([ROOT / "drafts"])


def test_every_draft_has_three_languages() -> None:
    for path in DRAFTS:
        assert languages_of(load_law_file(path)) == ("kk", "ru", "en"), path


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_expression_validates(schema: Any, path: Path, lang: str) -> None:
    law = load_law_file(path)
    doc = validate(schema, akn_xml(law, laws=others(), language=lang))
    expression = doc.find(".//a:FRBRExpression", NS)
    assert expression.find("a:FRBRlanguage", NS).get("language") == CODES[lang]
    this = expression.find("a:FRBRthis", NS).get("value")
    assert f"/{CODES[lang]}@" in this and this == f"{expression_uri(law, lang)}/!main"
    title = doc.find(".//a:preface/a:longTitle/a:p", NS)
    # every draft gives its title in all three languages: none falls back
    assert title.text and title.get(XML_LANG) is None
    translation = expression.find("a:FRBRtranslation", NS)
    if lang == "en":
        assert translation is None
    else:
        assert translation.get("fromLanguage") == "eng"
        assert translation.get("authoritative") == "false"
        assert translation.get("href") == expression_uri(law, "en")


def test_the_english_expression_is_the_default() -> None:
    law = load_law_file(ROOT / "drafts/current/rehabilitation-1993.toml")
    assert default_language(law) == "en"
    assert akn_xml(law) == akn_xml(law, language="en")


def test_the_kazakh_expression_of_the_1993_law(schema: Any) -> None:
    law = load_law_file(ROOT / "drafts/current/rehabilitation-1993.toml")
    doc = validate(schema, akn_xml(law, language="kk"))
    title = doc.find(".//a:preface/a:longTitle/a:p", NS)
    assert title.text == "Жаппай саяси қуғын-сүргіндер құрбандарын ақтау туралы"
    # the Kazakh title is the official wording; the Russian one is not marked so
    assert title.get(f"{{{KZREHAB_NAMESPACE}}}official") == "true"
    ru = etree.fromstring(akn_xml(law, language="ru").encode("utf-8"))
    official = f"{{{KZREHAB_NAMESPACE}}}official"
    assert ru.find(".//a:preface/a:longTitle/a:p", NS).get(official) is None
    heading = doc.find(".//a:article/a:heading", NS)
    assert heading.text.startswith("Саяси қуғын-сүргіндер")
    assert heading.get(XML_LANG) is None
    # the article texts are given in English only: they say so
    paragraph = doc.find(".//a:article//a:p", NS)
    assert paragraph.get(XML_LANG) == "en"
    assert doc.find(".//a:FRBRWork/a:FRBRname", NS).get("value") == title.text


DRAFT = """[law]
id = "only-russian"
title = { ru = "Закон", kk = "Заң туралы" }
kind = "bill"
status = "draft"

[[article]]
number = "1"
heading = { kk = "Бап" }
text = "An English text."
"""


def test_a_law_without_english(schema: Any) -> None:
    law = load_law_text(DRAFT, "x.toml")
    assert default_language(law) == "ru"
    doc = validate(schema, akn_xml(law))
    assert doc.find(".//a:FRBRlanguage", NS).get("language") == "rus"
    # nothing to translate from: no FRBRtranslation
    assert doc.find(".//a:FRBRtranslation", NS) is None
    kk = validate(schema, akn_xml(law, language="kk"))
    assert kk.find(".//a:article/a:heading", NS).get(XML_LANG) is None
    assert kk.find(".//a:article//a:p", NS).get(XML_LANG) == "en"
    ru = validate(schema, akn_xml(law, language="ru"))
    # the heading falls back from Russian to Kazakh, the only language it is given in
    assert ru.find(".//a:article/a:heading", NS).get(XML_LANG) == "kk"
    with pytest.raises(ValueError, match="no English title, so no en expression"):
        akn_xml(law, language="en")


def test_cli_writes_every_expression(tmp_path: Path, schema: Any) -> None:
    law = ROOT / "drafts/bills/peasants.toml"
    out = tmp_path / "akn"
    args = ["export", str(law), "--to", "akn", "--with", str(ROOT / "drafts"),
            "--expression", "all", "-o", str(out)]  # fmt: skip
    assert main(args) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["peasants.eng.xml", "peasants.kaz.xml", "peasants.rus.xml"]
    loaded = load_law_file(law)
    for lang in ("kk", "ru", "en"):
        text = (out / expression_file_name(loaded, lang)).read_text(encoding="utf-8")
        assert text == akn_xml(loaded, laws=others(), language=lang)
        validate(schema, text)


def test_cli_one_expression(capsys: pytest.CaptureFixture[str]) -> None:
    law = ROOT / "drafts/bills/refugees.toml"
    assert main(["export", str(law), "--to", "akn", "--expression", "ru"]) == 0
    assert '<FRBRlanguage language="rus" />' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--expression", "all"], "give the directory with -o DIR"),
        (["--expression", "de"], "invalid choice: 'de'"),
    ],
)
def test_cli_bad_expression(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    law = ROOT / "drafts/bills/refugees.toml"
    assert main(["export", str(law), "--to", "akn", *extra]) == 2
    assert message in capsys.readouterr().err


def test_cli_a_language_the_law_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "x.toml"
    draft.write_text(DRAFT, encoding="utf-8")
    assert main(["export", str(draft), "--to", "akn", "--expression", "en"]) == 2
    err = capsys.readouterr().err
    assert "has no English title, so no en expression: its languages are kk, ru" in err
    assert "Traceback" not in err


def test_cli_all_into_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.xml"
    out.write_text("kept", encoding="utf-8")
    law = ROOT / "drafts/bills/refugees.toml"
    assert main(["export", str(law), "--to", "akn", "--expression", "all", "-o", str(out)]) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept"


def test_cli_all_never_writes_into_an_input_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "laws"
    folder.mkdir()
    (folder / "x.toml").write_text(DRAFT, encoding="utf-8")
    args = ["export", str(folder / "x.toml"), "--to", "akn", "--with", str(folder),
            "--expression", "all", "-o", str(folder)]  # fmt: skip
    assert main(args) == 2
    assert "a directory this command reads" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["x.toml"]
