"""``kzrehab check``: errors exit 2, lint findings exit 1, a clean draft exits 0."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from kzrehab.cli import main

ROOT = Path(__file__).resolve().parent.parent

HEADER = """
[law]
id = "t"
title = "A test law"
kind = "bill"
status = "draft"

[parameters]
MCI = { 2024-01-01 = 3692 }
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def test_the_bundled_drafts_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "drafts")]) == 0
    assert "no findings" in capsys.readouterr().out


def test_a_constant_negative_amount_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, """
        [[article]]
        number = "1"
          [[article.ground]]
          id = "g"
          category = "victim"
          when = "pensioner"
          [[article.component]]
          id = "c"
          kind = "compensation"
          recipients = ["victim"]
          amount = "10 - 2 * MCI"
    """)  # fmt: skip
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "amount of component 't:c' is negative" in err and "t.toml:" in err


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        ('when = "claimant in {\'victim\', \'spouse\', \'child\', \'grandchild\', '
         '\'descendant\', \'heir\'}"', "lists every value of 'claimant'"),
        ('when = "MCI > 3000"', "the condition of ground 't:g' is constant"),
    ],
)  # fmt: skip
def test_lint_findings_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, finding: str
) -> None:
    path = write(tmp_path, f"""
        [definitions]
        unused = "pensioner"

        [[article]]
        number = "1"
          [[article.ground]]
          id = "g"
          category = "victim"
          {body}
    """)  # fmt: skip
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert finding in out
    # each finding says where: file, line and column, and the key
    assert re.search(r"\.toml:\d+:\d+: definitions\.unused: definition 'unused' is never used",
                     out), out


def test_explain_names_its_population(capsys: pytest.CaptureFixture[str]) -> None:
    sample = ROOT / "tests/data/sample.jsonl"
    first = sample.read_text(encoding="utf-8").splitlines()
    claim_id = next(line for line in first if '"id"' in line and "kzrehab" not in line)
    import json

    cid = json.loads(claim_id)["id"]
    code = main(["explain", cid, str(ROOT / "drafts/current"), "--population", str(sample),
                 "--as-of", "2025-06-01"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC population" in out and "Assessment date: 2025-06-01" in out
