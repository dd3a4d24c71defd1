"""The README's examples run: its draft, its rule, its library snippet."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

import kzrehab
from kzrehab.cli import main
from kzrehab.reports.data import result_json

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    """The fenced code blocks of the README in a language (``""``: no language)."""
    found: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in README.splitlines():
        if fence is None and line.startswith("```"):
            fence, current = line[3:].strip(), []
        elif fence is not None and line.startswith("```"):
            if fence == lang:
                found.append("\n".join(current) + "\n")
            fence = None
        elif fence is not None:
            current.append(line)
    return found


def test_the_readme_draft_checks_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (draft,) = blocks("toml")
    path = tmp_path / "peasants.toml"
    path.write_text(draft, encoding="utf-8")
    assert main(["check", str(path)]) == 0, capsys.readouterr()


def test_the_readme_rule_type_checks(tmp_path: Path) -> None:
    rule = next(b for b in blocks("") if b.startswith("exists(")).strip()
    path = tmp_path / "r.toml"
    path.write_text(
        '[law]\nid = "r"\ntitle = "r"\nkind = "bill"\nstatus = "draft"\n'
        f'[[article]]\nnumber = "1"\n[[article.ground]]\nid = "g"\ncategory = "c"\n'
        f"when = {rule!r}\n".replace("when = '", 'when = "').replace("'\n", '"\n'),
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 0


def test_the_readme_commands_are_the_ci_ones() -> None:
    commands = [b.strip() for b in blocks("sh")]
    assert any("kzrehab compare" in c for c in commands)
    tests = next(c for c in commands if "pytest" in c)
    assert tests.endswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '"$PY" -m pytest' in ci


def test_the_library_snippet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's library use, with HEAD~1 of a small temporary repository."""
    repo = tmp_path / "repo"
    (repo / "drafts").mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (draft,) = blocks("toml")
    law = repo / "drafts" / "peasants.toml"
    law.write_text(draft, encoding="utf-8")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    law.write_text(draft.replace("1928..1934", "1926..1938"), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "v2"], check=True)

    monkeypatch.chdir(repo)
    new = kzrehab.load_framework(["drafts/peasants.toml"])
    old = kzrehab.load_framework(["HEAD~1:drafts/peasants.toml"])
    pop = kzrehab.load_population(ROOT / "tests/data/sample.jsonl")
    cov_after = kzrehab.evaluate(new, pop, as_of=dt.date(2025, 6, 1))
    cov_before = kzrehab.evaluate(old, pop, as_of=dt.date(2025, 6, 1))
    res = kzrehab.evaluate_claim(new, pop.claims[0], as_of=dt.date(2025, 6, 1))
    assert res.status_name in {"eligible", "ineligible", "undetermined"}
    d = kzrehab.diff(cov_before, cov_after)
    moved = [t for t in result_json(d)["transitions"] if t["from"] != t["to"]]
    # widening the period from 1928..1934 to 1926..1938 only ever gains claims
    assert all(
        ["ineligible", "undetermined", "eligible"].index(t["to"])
        > ["ineligible", "undetermined", "eligible"].index(t["from"])
        for t in moved
    )
    assert d.lost == 0 and d.gained == sum(t["claims"] for t in moved) > 0
    assert d.changes()["status"]["gained"] == d.gained
    cmp = kzrehab.compare(old, new, pop, dt.date(2025, 6, 1))
    assert {r.provision for r in cmp.attribution if r.gained} == {
        "peasants:peasant-victim", "peasants:one-time-payment"}  # both read the years
    assert len(cov_after.to_records()) == len(pop)
    pytest.importorskip("pandas")
    assert cmp.to_pandas().query("loses").empty  # widening the period loses nobody
    history = kzrehab.log(["drafts/peasants.toml"], population=pop, as_of=dt.date(2025, 6, 1))
    assert [r.commit.message for r in history.commits] == ["v2", "v1"]
    assert history.commits[0].gained == d.gained and history.commits[0].lost == 0
    state = kzrehab.status("drafts", population=pop, as_of=dt.date(2025, 6, 1))
    assert [row.id for row in state.laws] == ["peasants"]
    assert callable(kzrehab.reference_population)
