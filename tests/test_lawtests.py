"""``kzrehab test`` and :mod:`kzrehab.lawtests`: the drafts' cases pass, a failing case
exits 1 with the explanation, bad input exits 2 naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzrehab.cli import main
from kzrehab.errors import CaseError
from kzrehab.laws.loader import expand_paths
from kzrehab.lawtests import find_case_files, load_cases, run_cases

ROOT = Path(__file__).parent.parent

CASE = """
[defaults]
laws = ["{laws}"]
as_of = 2025-06-01

[claim.settler]
id = "t-settler"
claimant = "victim"
claimant_birth_year = 1938
victim_birth_year = 1938
victim_alive = true
victim_citizenship = "KZ"
citizenship = "KZ"
residence = "KZ"
lived_in_kz = false
pensioner = true

[[claim.settler.events]]
measure = "special_settlement"
start = "1944-03"
end = "1956-07"
place = "KZ"
proceeding = "none"
motive = "national"
as_family_member = false

[[case]]
id = "settler"
claim = "settler"
expect = {{ status = "{status}" }}
reasoning = "A citizen of Kazakhstan in special settlement for a national motive."
source = "sources.md §A1, Art. 2"
"""


def write(tmp_path: Path, status: str = "eligible", text: str | None = None) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    path = folder / "t.toml"
    laws = (ROOT / "drafts" / "current").as_posix()
    path.write_text(text if text is not None else CASE.format(laws=laws, status=status))
    return path


def test_the_drafts_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(ROOT / "drafts")]) == 0
    assert " 0 failed" in capsys.readouterr().out


def test_every_law_has_cases() -> None:
    laws = {p.stem for p in expand_paths([ROOT / "drafts"])}
    files = {p.stem for p in find_case_files([ROOT / "drafts"])}
    assert laws <= files


def test_law_directories_leave_cases_out() -> None:
    assert not any("cases" in p.parts for p in expand_paths([ROOT / "drafts"]))


def test_a_passing_case(tmp_path: Path) -> None:
    assert main(["test", str(write(tmp_path))]) == 0


def test_a_failing_case_exits_1_with_the_explanation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", str(tmp_path)]) == 2  # no cases yet: bad input
    write(tmp_path, status="ineligible")
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "'settler'" in out
    assert "[interpreter] status: expected ineligible, got eligible" in out
    assert "[vectorised] status: expected ineligible, got eligible" in out
    assert "ground rehabilitation-1993:citizen: true" in out
    assert "1 failed" in out


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        (lambda s: s.replace('status = "eligible"', 'status = "maybe"'),
         ["t.toml", "case[0].expect.status", "no status"]),
        (lambda s: s.replace('measure = "special_settlement"', 'measure = "exiled"'),
         ["t.toml", "claim.settler.events[0].measure"]),
        (lambda s: s.replace('reasoning = ', 'reasons = '), ["t.toml", "case[0].reasons"]),
        (lambda s: s.replace("as_of = 2025-06-01", 'as_of = "soon"'),
         ["t.toml", "defaults.as_of"]),
        (lambda s: s.replace("[[case]]", "[[case"), ["t.toml", "TOML syntax error"]),
        (lambda s: s.replace('claim = "settler"', 'claim = "nobody"'),
         ["t.toml", "case[0].claim", "nobody"]),
    ],
)
def test_bad_input_exits_2_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: object, needles: list[str]
) -> None:
    laws = (ROOT / "drafts" / "current").as_posix()
    text = edit(CASE.format(laws=laws, status="eligible"))  # type: ignore[operator]
    path = write(tmp_path, text=text)
    assert main(["test", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_missing_laws_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, text=CASE.format(laws="nowhere", status="eligible"))
    with pytest.raises(CaseError, match=r"case\[0\]\.laws"):
        run_cases(load_cases([path]))


def test_no_bill_takes_anyone_out() -> None:
    """A bill or proposal only adds to current law: no case's claim falls in status."""
    from kzrehab import evaluate_claim, load_framework

    cases = load_cases([ROOT / "drafts"])
    current = load_framework([ROOT / "drafts" / "current"])
    for bill in sorted([*(ROOT / "drafts" / "bills").glob("*.toml"),
                        *(ROOT / "drafts" / "proposals").glob("*.toml")]):  # fmt: skip
        fw = load_framework([ROOT / "drafts" / "current", bill])
        for case in cases:
            before = evaluate_claim(current, case.claim, case.as_of, explain=False).status
            after = evaluate_claim(fw, case.claim, case.as_of, explain=False).status
            assert after >= before, (bill.name, case.id)
