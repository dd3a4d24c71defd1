"""Tables: ``--format csv`` (three dialects; a zip of one file per table) and ``xlsx`` (opened
with openpyxl) write every count and amount of the command's JSON, equal, with and without
``--suppress-below``; a suppressed cell is blank and marked; the bytes are the same run
after run; per-claim rows as ``claims`` tables and as Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest

from kzrehab.cli import main
from kzrehab.reports.data import Range
from kzrehab.reports.fields import Kind, count, figure, money
from kzrehab.reports.privacy import suppress
from kzrehab.reports.spreadsheets import DIALECTS, csv_bytes, sheet_names
from kzrehab.reports.tables import SUPPRESSED, Table, report_tables

from .test_reports import COMMANDS, repo  # noqa: F401  (the fixture)
from .test_tracker_cli import POPULATION

AS_OF = "2025-06-01"
ROOT = Path(__file__).parent.parent
SAMPLE = str(Path(__file__).parent / "data" / "sample.jsonl")
#: the extension of each table format's file (several CSV tables: a zip)
SUFFIX = {"csv": "zip", "xlsx": "xlsx"}

#: the toy repository's commands, and the bundled drafts' over the sample population
ALL = {**COMMANDS, "gaps": ["gaps", "drafts/bills/toy.toml"],
       "explain": ["explain", "t3", "drafts/bills/toy.toml"],
       "explain-against": ["explain", "t3", "drafts/bills/toy.toml", "--against",
                           "drafts/current"]}  # fmt: skip
SUPPRESSING = ("coverage", "diff", "compare", "log", "status", "gaps")


def _run(capsys: pytest.CaptureFixture[str], *args: str, population: str = POPULATION
         ) -> tuple[int, bytes, str]:  # fmt: skip
    capsys.readouterr()
    code = main([*args, "--population", population, "--as-of", AS_OF])
    out, err = capsys.readouterr()
    return code, out.encode(), err


def _json(capsys: pytest.CaptureFixture[str], *args: str, population: str = POPULATION) -> Any:
    code, out, err = _run(capsys, *args, "--format", "json", population=population)
    assert code == 0, err
    return json.loads(out)


def _numbers(doc: Any) -> Counter[float]:
    """Every number of a JSON document (not a yes/no)."""
    out: Counter[float] = Counter()
    if isinstance(doc, dict):
        for v in doc.values():
            out += _numbers(v)
    elif isinstance(doc, list):
        for v in doc:
            out += _numbers(v)
    elif isinstance(doc, int | float) and not isinstance(doc, bool):
        out[doc] += 1
    return out


def _blanked(before: Any, after: Any) -> int:
    """The numbers of ``before`` that are null in ``after`` (the JSON's suppressed cells)."""
    if isinstance(before, dict):
        return sum(_blanked(v, after.get(k) if isinstance(after, dict) else None)
                   for k, v in before.items())  # fmt: skip
    if isinstance(before, list):
        return sum(_blanked(v, after[i] if isinstance(after, list) and i < len(after) else None)
                   for i, v in enumerate(before))  # fmt: skip
    return int(isinstance(before, int | float) and not isinstance(before, bool) and after is None)


def _parse(cell: str, decimal: str) -> Any:
    for kind in (int, float):
        try:
            return kind(cell.replace(decimal, ".") if kind is float else cell)
        except ValueError:
            pass
    return cell


def _csv_tables(path: Path, dialect: str) -> dict[str, list[list[Any]]]:
    d = DIALECTS[dialect]
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            assert data.startswith(b"\xef\xbb\xbf") == d.bom
            text = data.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=d.delimiter))
            out[name.removesuffix(".csv")] = [rows[0]] + [
                [_parse(c, d.decimal) if c else None for c in r] for r in rows[1:]]
    return out


def _xlsx_tables(path: Path) -> tuple[dict[str, list[list[Any]]], int]:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "About"
    out, notes = {}, 0
    for ws in wb.worksheets[1:]:
        out[ws.title] = [list(r) for r in ws.iter_rows(values_only=True)]
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None:
                    assert c.value is None and "suppressed: fewer than" in c.comment.text
                    assert c.fill.fgColor.rgb.endswith("D9D9D9")
                    notes += 1
    return out, notes


def _table_numbers(tables: dict[str, list[list[Any]]]) -> Counter[float]:
    out: Counter[float] = Counter()
    for rows in tables.values():
        for r in rows[1:]:
            out.update(v for v in r if isinstance(v, int | float) and not isinstance(v, bool))
    return out


def _marked(tables: dict[str, list[list[Any]]]) -> int:
    """The cells named in the tables' ``suppressed`` columns, checked blank."""
    n = 0
    for rows in tables.values():
        header = rows[0]
        if SUPPRESSED not in header:
            continue
        at = header.index(SUPPRESSED)
        for r in rows[1:]:
            for name in (r[at] or "").split():
                assert r[header.index(name)] is None
                n += 1
    return n


@pytest.mark.parametrize("command", list(ALL))
@pytest.mark.parametrize("k", [None, 2, 3])
def test_every_count_and_amount_round_trips(
    command: str, k: int | None, repo: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    if k is not None and command not in SUPPRESSING:
        pytest.skip("explain shows one claim: nothing to suppress")
    args = [*ALL[command], *(["--suppress-below", str(k)] if k else [])]
    doc = _json(capsys, *args)
    wanted = _numbers(doc)
    blanked = _blanked(_json(capsys, *ALL[command]), doc) if k else 0
    for dialect in DIALECTS:
        out = repo.parent / f"out-{dialect}.zip"
        code, _, err = _run(capsys, *args, "--format", "csv", "--csv-dialect", dialect,
                            "-o", str(out))  # fmt: skip
        assert code == 0, err
        tables = _csv_tables(out, dialect)
        assert not wanted - _table_numbers(tables), (dialect, wanted - _table_numbers(tables))
        assert _marked(tables) == blanked
        assert all((SUPPRESSED in rows[0]) == bool(k) for rows in tables.values())
    out = repo.parent / "out.xlsx"
    code, _, err = _run(capsys, *args, "--format", "xlsx", "-o", str(out))
    assert code == 0, err
    sheets, notes = _xlsx_tables(out)
    assert not wanted - _table_numbers(sheets)
    assert _marked(sheets) == blanked == notes
    if command in SUPPRESSING:
        assert k is None or blanked, "the toy population is small enough to blank a cell"


def test_the_same_run_gives_the_same_bytes(repo: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
                                           ) -> None:  # fmt: skip
    for fmt in ("csv", "xlsx"):
        outputs = []
        for i in range(2):
            out = repo.parent / f"same-{i}.{SUFFIX[fmt]}"
            code, _, err = _run(capsys, *COMMANDS["compare"], "--suppress-below", "2",
                                "--format", fmt, "-o", str(out))  # fmt: skip
            assert code == 0, err
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1]


def test_the_default_dialect_suits_excel_in_kazakhstan(
    repo: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    code, out, err = _run(capsys, *COMMANDS["coverage"], "--format", "csv", "--table",
                          "figures.by_period")  # fmt: skip
    assert code == 0, err
    assert out.startswith("\ufeffperiod;amount_min;amount_max\r\n".encode())
    amounts = [r.split(";") for r in out.decode("utf-8-sig").splitlines()[1:]]
    assert amounts and all("," in a[1] and "." not in a[1] for a in amounts)
    code, out, _ = _run(capsys, *COMMANDS["coverage"], "--format", "csv", "--table",
                        "figures.by_period", "--csv-dialect", "plain")  # fmt: skip
    assert out.startswith(b"period,amount_min,amount_max\n")
    code, _, err = _run(capsys, *COMMANDS["coverage"], "--format", "xlsx", "--table",
                        "figures.by_period", "-o", "one.xlsx")  # fmt: skip
    assert code == 0, err
    openpyxl = pytest.importorskip("openpyxl")
    assert openpyxl.load_workbook("one.xlsx").sheetnames == ["About", "figures.by_period"]


def test_binary_needs_an_output_file(repo: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
                                     ) -> None:  # fmt: skip
    for fmt, said in (("csv", "a zip of one CSV file per table"), ("xlsx", "an XLSX workbook")):
        code, out, err = _run(capsys, *COMMANDS["coverage"], "--format", fmt)
        assert (code, out) == (2, b"") and said in err and "give -o FILE" in err
    code, _, err = _run(capsys, *COMMANDS["coverage"], "--format", "csv", "--table", "nope")
    assert code == 2 and "no table 'nope'" in err and "figures.by_category" in err
    code, _, err = _run(capsys, *COMMANDS["coverage"], "--format", "parquet", "-o", "x.parquet")
    assert code == 2 and "add --claims" in err
    code, _, err = _run(capsys, *COMMANDS["log"], "--format", "parquet")
    assert code == 2 and "invalid choice: 'parquet'" in err
    code, _, err = _run(capsys, *COMMANDS["coverage"], "--format", "xlsx", "-o",
                        "drafts/bills/toy.toml")  # fmt: skip
    assert code == 2 and "would overwrite the draft" in err


# -- per-claim rows -------------------------------------------------------------------------------


def _sample(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, bytes, str]:
    return _run(capsys, *args, population=SAMPLE)


BUNDLED = {"coverage": ["coverage", str(ROOT / "drafts/current"), str(ROOT / "drafts/bills")],
           "compare": ["compare", "--base", str(ROOT / "drafts/current"), "--with",
                       str(ROOT / "drafts/bills")]}  # fmt: skip


@pytest.mark.parametrize("command", list(BUNDLED))
def test_claims_tables_hold_the_jsons_claims(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _json(capsys, *BUNDLED[command], "--claims", population=SAMPLE)
    code, _, err = _sample(capsys, *BUNDLED[command], "--claims", "--format", "csv",
                           "--csv-dialect", "excel", "-o", str(tmp_path / "c.zip"))  # fmt: skip
    assert code == 0, err
    tables = _csv_tables(tmp_path / "c.zip", "excel")
    claims = tables["claims"]
    assert [r[0] for r in claims[1:]] == [c["id"] for c in doc["claims"]]
    without = {k: v for k, v in doc.items() if k != "claims"}
    assert not _numbers(without) - _table_numbers(tables)
    header, rows = claims[0], {r[0]: r for r in claims[1:]}
    checked = 0
    for c in doc["claims"]:
        row = rows[c["id"]]
        if command == "coverage":
            pairs = [(f"amount_{m}:{x['id']}", x["amount_range"][m]) for x in c["components"]
                     if x["amount_range"] is not None for m in ("min", "max")]
        else:
            pairs = [(f"change_{m}:{a['component']}", a["change"][m]) for a in c["amounts"]
                     for m in ("min", "max")]
            pairs += [(f"money_change_{m}:{a['period']}", a["change"][m]) for a in c["money"]
                      for m in ("min", "max")]
        for column, value in pairs:
            assert row[header.index(column)] == value
            checked += 1
    assert checked > 100
    code, _, err = _sample(capsys, *BUNDLED[command], "--claims", "--format", "xlsx", "-o",
                           str(tmp_path / "c.xlsx"))  # fmt: skip
    assert code == 0, err
    sheets, _ = _xlsx_tables(tmp_path / "c.xlsx")
    words = {True: "yes", False: "no", "": None}  # a yes/no is a boolean cell in a sheet
    assert [[words.get(v, v) if isinstance(v, bool | str) else v for v in r]
            for r in sheets["claims"]] == claims
    code, _, err = _sample(capsys, *BUNDLED[command], "--claims", "--suppress-below", "5",
                           "--format", "csv", "-o", str(tmp_path / "s.zip"))  # fmt: skip
    assert code == 2 and "cannot be combined" in err and not (tmp_path / "s.zip").exists()


def test_parquet_round_trips_the_claims(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:  # fmt: skip
    pq = pytest.importorskip("pyarrow.parquet")
    from kzrehab.evaluation import evaluate
    from kzrehab.laws.framework import Framework
    from kzrehab.laws.loader import load_laws
    from kzrehab.population import load_population

    out = tmp_path / "claims.parquet"
    code, _, err = _sample(capsys, *BUNDLED["coverage"], "--claims", "--format", "parquet",
                           "-o", str(out))  # fmt: skip
    assert code == 0, err
    table = pq.read_table(out)
    cov = evaluate(Framework(load_laws(BUNDLED["coverage"][1:])), load_population(SAMPLE),
                   dt.date.fromisoformat(AS_OF))  # fmt: skip
    assert table.to_pylist() == cov.to_records()
    assert str(table.schema.field("status").type) == "string"
    assert all(str(table.schema.field(c).type) == "double"
               for c in table.column_names if c.startswith("amount_"))
    # the file says what it measures: the population, the date, the laws
    about = {r[0]: r[1:] for r in json.loads(table.schema.metadata[b"kzrehab.about"])}
    assert about["as of"] == [AS_OF]
    assert about["population.claims"] == [len(cov.population)]
    assert any(r[0] == "rehabilitation-1993" for r in
               json.loads(table.schema.metadata[b"kzrehab.about"]))


# -- units ----------------------------------------------------------------------------------------


def test_sheet_names_fit_excel() -> None:
    names = sheet_names(["summary", "laws_changed.laws.provisions.redline",
                         "laws_changed.laws.articles.redline", "x" * 40, "x" * 41, "About"])
    assert names[:3] == ["summary", "laws.provisions.redline", "laws.articles.redline"]
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 6
    assert names[5] != "About"


def test_csv_cells_never_run_as_formulas() -> None:
    t = Table("t", ("a", "n"), (None, None), (("=HYPERLINK(1)", 1.5), ("-x", None)))
    text = csv_bytes(t, "excel").decode("utf-8-sig")
    assert text == "a,n\r\n'=HYPERLINK(1),1.5\r\n'-x,\r\n"
    assert csv_bytes(t, "plain").decode() == "a,n\n=HYPERLINK(1),1.5\n-x,\n"
    assert csv_bytes(t, "excel-ru").decode("utf-8-sig").splitlines()[1] == "'=HYPERLINK(1);1,5"


@attrs.frozen
class Leaf:
    period: str
    claims: int | None = count()
    amount: Range | None = money(contributors="claims")


@attrs.frozen
class Row:
    name: str
    flags: tuple[str, ...]
    eligible: int | None = count()
    leaves: tuple[Leaf, ...] = ()


@attrs.frozen
class Side:
    total: int | None = count()


@attrs.frozen
class Doc:
    as_of: dt.date
    side: Side
    rows: tuple[Row, ...]
    suppressed_below: int | None = figure(default=None)


def test_a_new_field_appears_in_the_tables_without_new_code() -> None:
    doc = Doc(dt.date(2025, 6, 1), Side(7), (
        Row("a", ("x", "y"), 2, (Leaf("once", 2, Range(1.5, 2.0)), Leaf("month", 9, None))),
        Row("b", (), 12)))  # fmt: skip
    summary, rows, leaves = report_tables(doc)
    assert summary.rows == (("as_of", "2025-06-01"), ("side.total", 7), ("suppressed_below", None))
    assert (rows.name, rows.columns, rows.kinds) == (
        "rows", ("name", "flags", "eligible"), (None, None, Kind.COUNT))
    assert rows.rows == (("a", "x; y", 2), ("b", "", 12))
    assert leaves.name == "rows.leaves"
    assert leaves.columns == ("rows.name", "period", "claims", "amount_min", "amount_max")
    assert leaves.rows == (("a", "once", 2, 1.5, 2.0), ("a", "month", 9, None, None))
    _, rows, leaves = report_tables(suppress(doc, 5), doc)
    assert rows.columns[-1] == "suppressed" and rows.rows[0][-2:] == (None, "eligible")
    assert leaves.rows[0][2:] == (None, None, None, "claims amount_min amount_max")
    assert leaves.rows[1][-1] is None  # 9 claims, and an amount that was never there


def test_a_sheet_holds_what_excel_holds(repo: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from kzrehab.reports import spreadsheets

    monkeypatch.setattr(spreadsheets, "XLSX_ROWS", 3)
    code, _, err = _run(capsys, *COMMANDS["compare"], "--claims", "--format", "xlsx", "-o",
                        "out.xlsx")  # fmt: skip
    assert code == 2 and "more than a sheet holds (3)" in err and "csv or parquet" in err
    assert not Path("out.xlsx").exists()


HIDE = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "pyarrow":
            raise ImportError("hidden")
sys.meta_path.insert(0, Hide())
from kzrehab.cli import main
raise SystemExit(main({argv!r}))
"""


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path) -> None:
    argv = ["coverage", "drafts/current", "--population", SAMPLE, "--claims", "--format",
            "parquet", "-o", str(tmp_path / "c.parquet")]  # fmt: skip
    done = subprocess.run([sys.executable, "-c", HIDE.format(argv=argv)], cwd=ROOT,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "--format parquet needs pyarrow" in done.stderr
    assert "pip install 'kzrehab[parquet]'" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "c.parquet").exists()


def test_no_claim_in_the_aggregate_tables(repo: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
                                          ) -> None:  # fmt: skip
    ids = [json.loads(line)["id"] for line in Path(POPULATION).read_text().splitlines()]
    for name in SUPPRESSING:
        for fmt in ("csv", "xlsx"):
            out = repo.parent / f"agg.{SUFFIX[fmt]}"
            code, _, err = _run(capsys, *ALL[name], "--format", fmt, "-o", str(out))
            assert code == 0, err
            tables = _csv_tables(out, "excel-ru") if fmt == "csv" else _xlsx_tables(out)[0]
            cells = {str(v) for rows in tables.values() for r in rows for v in r}
            assert not [i for i in ids if any(re.search(rf"\b{re.escape(i)}\b", c)
                                              for c in cells)], (name, fmt)  # fmt: skip
    code, listed, err = _run(capsys, *COMMANDS["coverage"], "--claims", "--format", "csv",
                             "--table", "claims")  # fmt: skip
    assert code == 0, err
    assert all(i.encode() in listed for i in ids)


def test_the_options_spell_the_writers_names() -> None:
    from kzrehab.commands import _common
    from kzrehab.reports import spreadsheets

    assert tuple(DIALECTS) == _common.CSV_DIALECTS  # spelt out so that --help stays light
    assert set(_common.TABLE_FORMATS) == set(spreadsheets.BINARY)
