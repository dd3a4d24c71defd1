"""The format follows ``-o``: without ``--format``, the output file's extension names it;
with ``--format``, an ``-o`` whose extension names another format is refused before any
work (exit 2), so no file is written under a name that says what it is not
(``docs/cli.rst``, *Output*)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kzrehab.cli import main

ROOT = Path(__file__).parent.parent
SAMPLE = str(Path(__file__).parent / "data" / "sample.jsonl")
LAW = str(ROOT / "drafts" / "current")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["coverage", LAW, "--population", SAMPLE, "--as-of", "2025-06-01", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("name", "magic"), [
    ("r.xlsx", b"PK"), ("r.json", b"{"), ("r.html", b"<!DOCTYPE html>"), ("r.zip", b"PK"),
    ("r.md", b"# Coverage"), ("r.txt", b"Coverage"), ("r.out", b"Coverage"),
])  # fmt: skip
def test_the_extension_names_the_format(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        name: str, magic: bytes) -> None:  # fmt: skip
    code, err = run(capsys, "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).read_bytes().startswith(magic)


def test_a_zip_of_csv_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "-o", str(tmp_path / "r.zip"))[0] == 0
    names = zipfile.ZipFile(tmp_path / "r.zip").namelist()
    assert names and all(n.endswith(".csv") for n in names)
    assert run(capsys, "--table", "summary", "-o", str(tmp_path / "s.csv"))[0] == 0
    assert (tmp_path / "s.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # excel-ru: a BOM


@pytest.mark.parametrize(("args", "says"), [
    (["--format", "xlsx", "-o", "out.csv"], "ends in .csv, but --format xlsx"),
    (["--format", "json", "-o", "out.html"], "name the file .json"),
    (["--format", "csv", "-o", "out.csv"], "name the file .zip, or give --table"),
    (["-o", "out.csv"], "name the file .zip, or give --table"),
    (["--format", "csv", "--table", "summary", "-o", "s.zip"], "name the file .csv"),
])  # fmt: skip
def test_a_mismatch_is_refused_before_any_work(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path, args: list[str],
                                               says: str) -> None:  # fmt: skip
    args = [str(tmp_path / a) if a.startswith(("out.", "s.")) else a for a in args]
    code, err = run(capsys, *args)
    assert code == 2 and says in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_format_the_command_does_not_write(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:  # fmt: skip
    code = main(["explain", "x", LAW, "--population", SAMPLE, "-o", str(tmp_path / "x.parquet")])
    err = capsys.readouterr().err
    assert code == 2 and "does not write .parquet files" in err
