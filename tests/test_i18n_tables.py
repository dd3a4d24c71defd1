"""The tables, charts and the tracker's reports in Kazakh and Russian (issue 18; the part
"tables" of the catalogs): CSV and XLSX headers, sheet names, the About sheet and the
suppression notes; the ``log`` and ``status`` reports in text, Markdown and HTML with their
charts; the JSON documents' ``labels``.

- Through the pseudo-translation (``tests/pseudo.py``) no plain English word is left but
  data: the keys and values an English table holds, and what the JSON of the same run
  quotes (ids, paths, commit messages, versions).
- In Kazakh and Russian the tables read back: every count and amount of the JSON is in
  them, the ``suppressed`` column names (by their labels) exactly the blank cells, and the
  headers hold no English word.
- A JSON document in Russian has the keys of the English one, plus ``labels``, and
  validates; in English it has no ``labels``.
"""

from __future__ import annotations

import contextvars
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kzrehab import i18n
from kzrehab.cli import main
from kzrehab.reports.blocks import Flow, Flows, RangeBar, RangeBars, Series
from kzrehab.reports.data.labels import KEYS, VALUES, column_label, json_labels
from kzrehab.reports.spreadsheets import DIALECTS
from kzrehab.reports.svg import chart_svg
from kzrehab.reports.tables import SUPPRESSED

from .pseudo import english_words, pseudo_english
from .test_reports import COMMANDS, repo  # noqa: F401  (the fixture)
from .test_tables import BUNDLED, SAMPLE, _blanked, _csv_tables, _numbers, _table_numbers
from .test_tracker_cli import POPULATION

AS_OF = "2025-06-01"
ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "docs" / "schema" / "kzrehab-2.schema.json").read_text())
#: the commands whose tables and reports are checked, with suppression where they have it
TABLES = {"compare": [*COMMANDS["compare"], "--suppress-below", "3"],
          "log": [*COMMANDS["log"], "--suppress-below", "3"],
          "status": [*COMMANDS["status"], "--suppress-below", "3"],
          "explain": ["explain", "t3", "drafts/bills/toy.toml", "--against",
                      "drafts/current"]}  # fmt: skip
_LETTERS = re.compile(r"[A-Za-z]")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``kzrehab ARGS`` in process, in a context of its own (the language it sets does not
    outlive it)."""
    capsys.readouterr()
    code = contextvars.copy_context().run(main, [*args, "--population", POPULATION,
                                                 "--as-of", AS_OF])  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = _run(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _strings(doc: Any) -> Iterator[str]:
    """Every key and string of a JSON document: the data a report quotes."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from _strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)
    elif isinstance(doc, str):
        yield doc


def _xlsx(path: Path) -> Any:
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(path)


def _about_and_notes(wb: Any) -> str:
    """The words of a workbook's About sheet and of its cells' notes."""
    words = [str(v) for row in wb.worksheets[0].iter_rows(values_only=True) for v in row
             if v is not None]  # fmt: skip
    words += [c.comment.text for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row
              if c.comment is not None]  # fmt: skip
    return "\n".join(words)


def _marked(tables: dict[str, list[list[Any]]], suppressed: str, sep: str) -> int:
    """The cells named in the tables' ``suppressed`` columns (by their headers), checked
    blank."""
    n = 0
    for rows in tables.values():
        header = rows[0]
        if suppressed not in header:
            continue
        at = header.index(suppressed)
        for r in rows[1:]:
            for name in (r[at] or "").split(sep) if r[at] else ():
                assert r[header.index(name)] is None, (name, r)
                n += 1
    return n


# -- the pseudo-locale ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compare", "log", "status"])
def test_tables_go_through_the_catalogs(command: str, repo: Path,  # noqa: F811
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """An English table holds keys and values (data); its About sheet and its notes are
    words, and go through the catalogs."""
    doc = _json(capsys, *TABLES[command])
    data = [*_strings(doc), "kzrehab", "JSON", "KZT"]
    with pseudo_english():
        code, _, err = _run(capsys, *TABLES[command], "--format", "xlsx", "-o", "t.xlsx")
        assert code == 0, err
        code, _, err = _run(capsys, *TABLES[command], "--format", "csv", "-o", "t.zip")
        assert code == 0, err
    wb = _xlsx(repo / "t.xlsx")
    assert wb.sheetnames[0] != "About"
    cells = [str(v) for ws in wb.worksheets[1:] for row in ws.iter_rows(values_only=True)
             for v in row if v is not None]  # fmt: skip
    text = _about_and_notes(wb)
    title = str(wb.worksheets[0]["B1"].value)  # the report's title: the command's
    data += [*cells, title, f"{SUPPRESSED}'"]  # the column's key, quoted: 'suppressed'
    assert "⟦" in text and not english_words(text, data), english_words(text, data)
    with zipfile.ZipFile(repo / "t.zip") as z:  # the keys stay: the English tables' bytes
        header = z.read(z.namelist()[0]).decode("utf-8-sig").splitlines()[0]
    assert "⟦" not in header


@pytest.mark.parametrize("command", ["log", "status"])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_log_and_status_go_through_the_catalogs(command: str, fmt: str, repo: Path,  # noqa: F811
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The ``log`` and ``status`` reports, charts included, hold no English word but data
    (and the words of the parts other helpers translate: the preamble's)."""
    doc = _json(capsys, *TABLES[command])
    with pseudo_english():
        code, out, err = _run(capsys, *TABLES[command], "--format", fmt)
        assert code == 0, err
        preamble = _preamble_words(doc, fmt)
    data = [*_strings(doc), *preamble, _title(out), "kzrehab", "JSON", "svg", "http", "www",
            "org"]  # fmt: skip
    if fmt == "html":
        out = re.sub(r"<style>.*?</style>", "", out, flags=re.S)
        out = re.sub(r"<[^<>]*>", " ", out)
    assert "⟦" in out
    assert not english_words(out, data), english_words(out, data)


def _title(out: str) -> str:
    """A report's title (the command's words, translated in the part "cli")."""
    found = re.search(r"<title>(.*?)</title>", out)
    return found.group(1) if found else out.lstrip("# ").splitlines()[0]


def _preamble_words(doc: dict[str, Any], fmt: str) -> set[str]:
    """The English words of the blocks every report starts with (:mod:`kzrehab.reports.
    cells`, translated in the part "reports"): none once they go through the catalogs."""
    import datetime as dt

    from kzrehab.reports.cells import preamble, suppression
    from kzrehab.reports.data.common import PopulationInfo
    from kzrehab.reports.html import render_html
    from kzrehab.reports.text import render_markdown, render_text

    p = doc["population"]
    info = PopulationInfo(p["name"], p["claims"], p["victims"], p["events"], p["synthetic"],
                          p["digest"])  # fmt: skip
    blocks = [*preamble("t", dt.date.fromisoformat(doc["as_of"]), info),
              *suppression(doc.get("suppressed_below"))]
    text = (render_text(blocks) if fmt == "text" else render_markdown(blocks) if fmt == "md"
            else re.sub(r"<[^<>]*>", " ", re.sub(r"<style>.*?</style>", "",
                                                 render_html("t", blocks), flags=re.S)))
    return english_words(text)


def test_charts_go_through_the_catalogs() -> None:
    """Every chart's legend, tooltips and description, suppressed values included."""
    charts: list[RangeBars | Flows | Series] = [
        RangeBars("T", "U", ("", "S"), ("a", "b"),
                  ((RangeBar("a", 1, 5), RangeBar("a", None, None)),
                   (RangeBar("b", 2, 2), RangeBar("b", 0, 3)))),
        Flows("T", ("x", "y"), (Flow("x", "y", 5), Flow("y", "x", None), Flow("x", "x", 1))),
        Flows("T", (), ()),
        Series("T", "U", ("p", "q"), (), None),
        Series("T", "", ("p",), ()),
    ]
    with pseudo_english():
        out = [chart_svg(c) for c in charts]
    for svg in out:
        text = re.sub(r"<svg[^>]*>", " ", svg)
        text = re.sub(r"<[^<>]*>", " ", text)
        assert not english_words(text, ["T", "U", "S"]), (english_words(text, "TUS"), svg)


# -- Kazakh and Russian ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("command", list(TABLES))
def test_tables_read_back_in_kazakh_and_russian(command: str, lang: str, repo: Path,  # noqa: F811
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Every count and amount of the JSON is in the tables; the ``suppressed`` column names
    exactly the blank cells, by their headers; the headers, sheet names, About sheet and
    notes hold no English word (but ids and the data the JSON quotes)."""
    args = TABLES[command]
    doc = _json(capsys, *args)
    wanted = _numbers(doc)
    plain = [a for a in args if a not in ("--suppress-below", "3")]
    blanked = _blanked(_json(capsys, *plain), doc) if "--suppress-below" in args else 0
    with i18n.language(lang):
        suppressed = column_label(SUPPRESSED)
    data = [*_strings(doc), "kzrehab", "JSON", "CSV", "XLSX"]
    for dialect in ("excel-ru", "plain"):
        code, _, err = _run(capsys, *args, "--lang", lang, "--format", "csv", "--csv-dialect",
                            dialect, "-o", f"{lang}.zip")  # fmt: skip
        assert code == 0, err
        tables = _csv_tables(repo / f"{lang}.zip", dialect)
        assert not wanted - _table_numbers(tables), wanted - _table_numbers(tables)
        assert _marked(tables, suppressed, "; ") == blanked
        with zipfile.ZipFile(repo / f"{lang}.zip") as z:  # the stable names of the tables
            assert sorted(n.removesuffix(".csv") for n in z.namelist()) == sorted(tables)
        for name, rows in tables.items():
            assert not english_words(" ".join(rows[0]), []), (name, rows[0])
    code, _, err = _run(capsys, *args, "--lang", lang, "--format", "xlsx", "-o", f"{lang}.xlsx")
    assert code == 0, err
    wb = _xlsx(repo / f"{lang}.xlsx")
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
              for ws in wb.worksheets[1:]}  # fmt: skip
    assert not wanted - _table_numbers(sheets)
    assert _marked(sheets, suppressed, "; ") == blanked
    names = " ".join([*sheets, wb.sheetnames[0]]) + " " + " ".join(
        str(h) for rows in sheets.values() for h in rows[0])
    assert not english_words(names, []), english_words(names, [])
    text = _about_and_notes(wb)
    title = str(wb.worksheets[0]["B1"].value)  # the report's title: the command's
    data += [title, *tables]  # About names each sheet's table by its stable name
    assert not english_words(text, data), english_words(text, data)
    about = [r for r in wb.worksheets[0].iter_rows(values_only=True)]
    stable = {r[1] for r in about if r and r[0] in sheets}  # sheet → table, in About
    assert stable == set(tables)
    if blanked:
        assert any(c.comment is not None for ws in wb.worksheets[1:] for row in ws.iter_rows()
                   for c in row)  # fmt: skip


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("command", ["log", "status"])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_log_and_status_in_kazakh_and_russian(command: str, fmt: str, lang: str,
                                              repo: Path,  # noqa: F811
                                              capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, *TABLES[command])
    with pseudo_english():
        preamble = _preamble_words(doc, fmt)
    code, out, err = _run(capsys, *TABLES[command], "--lang", lang, "--format", fmt)
    assert code == 0, err
    title = _title(out)
    if fmt == "html":
        assert f'<html lang="{lang}">' in out
        out = re.sub(r"<style>.*?</style>", "", out, flags=re.S)
        out = re.sub(r"<[^<>]*>", " ", out)
    data = [*_strings(doc), *preamble, title, "kzrehab", "JSON", "svg", "http", "www", "org",
            "drafts/current"]  # an option's example value: --base drafts/current
    assert not english_words(out, data), english_words(out, data)
    assert ("Қолданыстағы" if lang == "kk" else "Действующие") in out or command == "log"


# -- JSON -----------------------------------------------------------------------------------------


def _keys(doc: Any, path: str = "") -> set[str]:
    if isinstance(doc, dict):
        return set().union(*({f"{path}.{k}"} | _keys(v, f"{path}.{k}") for k, v in doc.items()))
    if isinstance(doc, list):
        return set().union(set(), *(_keys(v, path + "[]") for v in doc))
    return set()


@pytest.mark.parametrize("command", ["compare", "log", "status", "explain", "coverage", "gaps"])
def test_json_in_russian_adds_labels(command: str, repo: Path,  # noqa: F811
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The same keys as in English, plus ``labels``: a label for each key and enum value it
    uses, in Russian; the document validates."""
    args = {"coverage": COMMANDS["coverage"], "gaps": ["gaps", "drafts/bills/toy.toml"]
            }.get(command) or TABLES[command]  # fmt: skip
    english = _json(capsys, *args)
    russian = _json(capsys, *args, "--lang", "ru")
    assert "labels" not in english
    labels = russian.pop("labels")
    assert _keys(russian) == _keys(english)
    assert list(russian) == list(english)
    with i18n.language("ru"):
        assert labels == json_labels(english)
    assert "as_of" in labels["keys"] and labels["keys"]["as_of"] == "Дата оценки"
    assert all(not _LETTERS.search(v) for v in labels["keys"].values())
    assert all(not _LETTERS.search(v) for v in labels["values"].values())
    assert set(labels["keys"]) <= set(_strings(english))
    Draft202012Validator(SCHEMA).validate({**russian, "labels": labels})
    wrongs: list[Any] = [{"keys": labels["keys"]}, {**labels, "keys": {"as_of": 1}}, []]
    for wrong in wrongs:
        assert not Draft202012Validator(SCHEMA).is_valid({**russian, "labels": wrong})


def test_every_key_and_enum_value_of_the_schema_has_a_label() -> None:
    keys: set[str] = set()
    values: set[str] = set()

    def walk(node: Any, parent: str = "") -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            if isinstance(node.get("enum"), list) and parent not in ("redline_language",
                                                                    "set_by", "cap_set_by"):
                values.update(v for v in node["enum"] if isinstance(v, str))
            if isinstance(node.get("const"), str) and parent not in ("schema_version",):
                values.add(node["const"])
            for k, v in node.items():
                walk(v, k if k not in ("properties", "then", "if", "items", "anyOf") else parent)
        elif isinstance(node, list):
            for v in node:
                walk(v, parent)

    walk(SCHEMA)
    assert not keys - set(KEYS), sorted(keys - set(KEYS))
    assert not values - set(VALUES), sorted(values - set(VALUES))


def test_the_labels_are_translated() -> None:
    for lang in ("kk", "ru"):
        with i18n.language(lang):
            assert column_label("figures.status.eligible") == {
                "kk": "Көрсеткіштер · Мәртебе · Құқығы бар",  # noqa: RUF001
                "ru": "Показатели · Статус · Имеет право"}[lang]
            assert column_label("amount_min").endswith({"kk": "ең азы", "ru": "минимум"}[lang])
    assert column_label("figures.status.eligible") == "figures.status.eligible"


def test_english_tables_are_unchanged(repo: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
                                      ) -> None:  # fmt: skip
    """In English the header row holds the keys and the cells their values, as always."""
    code, out, err = _run(capsys, *COMMANDS["compare"], "--format", "csv", "--table",
                          "transitions", "--csv-dialect", "plain")  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "from,to,claims"
    assert set(out.splitlines()[1].split(",")[:2]) <= {"eligible", "undetermined", "ineligible"}
    code, out, err = _run(capsys, *COMMANDS["compare"], "--format", "csv", "--table",
                          "transitions", "--csv-dialect", "plain", "--lang", "ru")  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "Из,В,Заявления"
    assert set(out.splitlines()[1].split(",")[:2]) <= {"имеет право", "не определено",
                                                       "не имеет права"}  # fmt: skip
    assert DIALECTS["plain"].decimal == "."


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_per_claim_columns_in_kazakh_and_russian(lang: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """``--claims``: a column ``NAME:ID`` is NAME's label and the id; yes/no/unknown and the
    statuses are words of the language; the claims' ids and the ids stay."""
    args = [*BUNDLED["compare"], "--claims", "--population", SAMPLE, "--as-of", AS_OF]
    capsys.readouterr()
    ctx = contextvars.copy_context()
    assert ctx.run(main, [*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    code = contextvars.copy_context().run(main, [*args, "--lang", lang, "--format", "csv",
                                                 "--table", "claims", "--csv-dialect", "plain",
                                                 "-o", str(tmp_path / "c.csv")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    text = (tmp_path / "c.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    ids = [*_strings(doc)]
    assert not english_words(header, ids), english_words(header, ids)
    assert not english_words(first, ids), english_words(first, ids)
    yes = {"kk": "иә", "ru": "да"}[lang]
    assert yes in re.split(r"[,\n]", text)


def test_sheet_names_stay_unique_and_short() -> None:
    """Several tables whose labels end alike: each sheet's name is its last parts, then the
    first free ``~N`` (a name taken three times is ``~3``, not ``~2~3``)."""
    from kzrehab.reports.spreadsheets import sheet_names

    names = [f"{c * 10}.by_component" for c in "abcd"]
    with i18n.language("kk"):
        sheets = sheet_names([column_label(n) for n in names], "Есеп туралы")
    assert sheets[1:] == [sheets[0] + "~2", sheets[0] + "~3", sheets[0] + "~4"]
    assert all(len(s) <= 31 for s in sheets) and "·" not in sheets[0]
    assert sheet_names(["x" * 40] * 3) == ["x" * 31, "x" * 29 + "~2", "x" * 29 + "~3"]


def test_cells_in_russian() -> None:
    """An enum value in an enum column is its label, an id is not; a yes/no stays a boolean
    for XLSX and is a word in CSV; the suppressed column names columns by their labels."""
    from kzrehab.reports.spreadsheets import csv_bytes, shown_rows
    from kzrehab.reports.tables import Table

    t = Table("t", ("id", "kind", "evaluated", "claims", SUPPRESSED), (None, None, None, None,
              None), (("bill", "bill", True, None, "claims"),), (frozenset({3}),))  # fmt: skip
    with i18n.language("ru"):
        assert list(shown_rows(t)) == [("bill", "законопроект", True, None, "Заявления")]
        text = csv_bytes(t, "plain").decode()
    assert text == ("Идентификатор,Вид,Оценено,Заявления,Скрыто\n"
                    "bill,законопроект,да,,Заявления\n")
    assert list(shown_rows(t)) == list(t.rows)


def test_long_labels_keep_their_first_words_in_sheet_names() -> None:
    """A label over Excel's 31 characters first shortens the parts before its last to their
    first words, so that the base's and the head's tables stay told apart (the newcomer
    review: 'По категориям' and 'По категориям~2'); English names are unchanged."""
    from kzrehab.reports.data.labels import SEPARATOR
    from kzrehab.reports.spreadsheets import sheet_names

    base = SEPARATOR.join(["Базовая редакция", "По категориям"])
    head = SEPARATOR.join(["Новая редакция", "По категориям"])
    assert sheet_names([base, head]) == [
        SEPARATOR.join(["Базовая", "По категориям"]),
        head]  # 30 characters: it fits whole
    english = ["base.by_category", "head.by_category", "laws_changed.laws.provisions.redline"]
    assert sheet_names(english) == ["base.by_category", "head.by_category",
                                    "laws.provisions.redline"]
