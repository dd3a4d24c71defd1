"""``diff``, ``compare``, ``log``, ``status`` and ``explain --against``, in process, in a
temporary repository — and that none of them writes to it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from kzrehab.cli import main
from kzrehab.tracker import git as gitstore

from .test_gitstore import commit, make_repo, snapshot, toy

POPULATION = str(Path(__file__).parent / "data" / "tracker.jsonl")
AS_OF = "2025-06-01"

BASE = """\
[law]
id = "base"
title = "The law in force"
kind = "law"
status = "in-force"
version = "1993"

[[article]]
number = "1"
text = "Persons imprisoned are victims."

  [[article.ground]]
  id = "prison"
  category = "prisoner"
  when = "exists(events[measure == 'imprisonment'])"
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five commits: the law in force, toy v1, toy v2 (+ ground), notes, toy v3 (renumbered)."""
    root = make_repo(tmp_path / "repo")
    commit(root, {"drafts/current/base.toml": BASE}, "the law in force")
    commit(root, {"drafts/bills/toy.toml": toy()}, "toy v1")
    commit(root, {"drafts/bills/toy.toml": toy(version="v2", deportation=True)},
           "toy v2: deported persons")  # fmt: skip
    commit(root, {"README.md": "notes\n"}, "notes")
    commit(root, {"drafts/bills/toy.toml": toy(version="v3", deportation=True, renumber=True)},
           "toy v3: renumbered")  # fmt: skip
    monkeypatch.chdir(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--population", POPULATION, "--as-of", AS_OF])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_diff_between_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD~3", "--to", "HEAD~2")
    assert doc["schema"] == "kzrehab/2" and doc["as_of"] == AS_OF
    assert doc["population"]["claims"] == 8
    law = doc["base"]["laws"][0]
    assert len(doc["base"]["laws"]) == 1
    assert {k: law[k] for k in ("id", "ref", "version")} == {
        "id": "toy", "ref": "HEAD~3:drafts/bills/toy.toml", "version": "v1"}
    assert len(law["commit"]) == 40
    assert doc["base"]["status"] == {"eligible": 1, "ineligible": 5, "undetermined": 2}
    assert doc["head"]["status"] == {"eligible": 2, "ineligible": 4, "undetermined": 2}
    assert {"from": "ineligible", "to": "eligible", "claims": 1} in doc["transitions"]
    assert doc["provisions"] == [{"id": "toy:deportation", "change": "added"}]
    assert [{k: r[k] for k in ("provision", "gained", "lost", "evaluated")}
            for r in doc["attribution"]] == [
        {"provision": "toy:deportation", "gained": 1, "lost": 0, "evaluated": True},
        {"provision": "interaction", "gained": 0, "lost": 0, "evaluated": True},
    ]  # fmt: skip
    assert doc["attribution"][0]["levels"]["status"] == {"gained": 1, "lost": 0}
    assert "claims" not in doc


def test_diff_of_a_version_with_itself(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "diff", "drafts", "--from", "HEAD")  # HEAD against the working tree
    assert all(t["from"] == t["to"] for t in doc["transitions"])
    assert doc["provisions"] == []
    assert doc["attribution"] == [{"provision": "interaction", "gained": 0, "lost": 0,
                                   "gained_overall": 0, "lost_overall": 0,
                                   "evaluated": True, "levels": None,
                                   "amended_by": []}]  # fmt: skip


def test_renumbering_is_reported_and_moves_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = run_json(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD~1")
    assert all(t["from"] == t["to"] for t in doc["transitions"])
    assert doc["provisions"] == [{"id": f"toy:{p}", "change": "renumbered"}
                                 for p in ("confession", "exile", "payment")]  # fmt: skip
    assert all(r["gained"] == r["lost"] == 0 for r in doc["attribution"])


def test_diff_text_and_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD~3")
    assert code == 0
    assert "toy:deportation" in out and "added" in out and "interaction" in out
    assert "t3" not in out  # no claim ids without --claims
    code, out, _ = run(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD~3", "--format",
                       "md", "--claims")  # fmt: skip
    assert code == 0
    assert "| toy:deportation | added | 1 | 0 |" in out
    assert "| t3 | ineligible | eligible |" in out


def test_compare(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "compare", "--base", "drafts/current", "--with",
                   "drafts/bills/toy.toml")  # fmt: skip
    assert [law["id"] for law in doc["base"]["laws"]] == ["base"]
    assert [law["id"] for law in doc["head"]["laws"]] == ["base", "toy"]
    assert doc["base"]["status"]["eligible"] == 1  # t5, imprisoned
    assert doc["head"]["status"]["eligible"] == 3
    changes = {p["id"]: p["change"] for p in doc["provisions"]}
    assert changes["toy:exile"] == "added" and changes["toy:deportation"] == "added"
    assert doc["attribution"][-1]["provision"] == "interaction"
    rows = {r["provision"]: (r["gained"], r["lost"]) for r in doc["attribution"]}
    # what each does in the head: without the exile ground t1 and t4 lose (t7 may still be
    # deported); the exclusion, a provision of its own, takes from t2, t4 and t6
    assert rows["toy:exile"] == (2, 0) and rows["toy:deportation"] == (1, 0)
    assert rows["toy:confession"] == (0, 3) and rows["toy:payment"] == (3, 0)


def test_compare_with_a_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "compare", "--base", "drafts/current", "--with",
                   "HEAD~3:drafts/bills/toy.toml")  # fmt: skip
    assert doc["head"]["laws"][1]["ref"] == "HEAD~3:drafts/bills/toy.toml"
    assert "toy:deportation" not in {p["id"] for p in doc["provisions"]}


def test_log(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "log", "drafts/bills/toy.toml")
    commits = doc["commits"]
    assert [c["message"] for c in commits] == ["toy v3: renumbered", "toy v2: deported persons",
                                               "toy v1"]  # fmt: skip
    assert all(c["author"] == "Test Drafter" and len(c["commit"]) == 40 for c in commits)
    assert [c["status"]["eligible"] for c in commits] == [2, 2, 1]
    assert commits[2]["change"] == commits[2]["status"]  # the oldest: its status
    assert commits[1]["change"] == {"eligible": 1, "ineligible": -1, "undetermined": 0}
    assert commits[0]["change"] == {"eligible": 0, "ineligible": 0, "undetermined": 0}
    assert [c["versions"] for c in commits] == [{"toy": "v3"}, {"toy": "v2"}, {"toy": "v1"}]
    # t3 gains by v2's new ground; the oldest row, measured alone, has nothing to compare
    assert [(c["gained"], c["lost"]) for c in commits] == [(0, 0), (1, 0), (None, None)]
    assert doc["base"] is None
    doc = run_json(capsys, "log", "drafts", "-n", "2")
    assert [c["message"] for c in doc["commits"]] == ["toy v3: renumbered",
                                                      "toy v2: deported persons"]  # fmt: skip
    # each row against its parent, listed or not
    assert doc["commits"][1]["change"] == {"eligible": 1, "ineligible": -1, "undetermined": 0}
    assert (doc["commits"][1]["gained"], doc["commits"][1]["lost"]) == (1, 0)


def test_log_on_top_of_the_laws_in_force(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "log", "drafts/bills/toy.toml", "--base", "drafts/current")
    assert doc["base"] == ["drafts/current"]
    commits = doc["commits"]
    # measured with the base law, whose ground covers t5; the oldest row against the base
    assert [c["status"]["eligible"] for c in commits] == [3, 3, 2]
    assert [(c["gained"], c["lost"]) for c in commits] == [(0, 0), (1, 0), (3, 0)]
    code, out, _ = run(capsys, "log", "drafts/bills/toy.toml", "--base", "drafts/current")
    assert code == 0 and "on top of drafts/current" in out
    code, out, _ = run(capsys, "log", "drafts/bills/toy.toml")
    assert "alone" in out and "--base" in out  # the header says what it measured


def test_log_survives_a_broken_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit(repo, {"drafts/bills/toy.toml": toy().replace("[law]", "[law", 1)}, "broken")
    commit(repo, {"drafts/bills/toy.toml": toy(version="v4")}, "fixed")
    commits = run_json(capsys, "log", "drafts/bills/toy.toml")["commits"]
    assert [c["message"] for c in commits[:3]] == ["fixed", "broken", "toy v3: renumbered"]
    assert commits[1]["status"] is None and "TOML syntax error" in commits[1]["error"]
    assert commits[0]["change"] is None and commits[1]["change"] is None
    assert commits[2]["change"] == {"eligible": 0, "ineligible": 0, "undetermined": 0}
    code, out, _ = run(capsys, "log", "drafts/bills/toy.toml")
    assert code == 0 and "could not be evaluated" in out


def test_log_of_untracked_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "drafts/new.toml").write_text(toy(), encoding="utf-8")
    assert run_json(capsys, "log", "drafts/new.toml")["commits"] == []


def test_log_of_a_mistyped_path_is_an_error(repo: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist and that no commit touched is a mistake, not a law with no
    history: exit 2, with the nearest existing path (a deleted law with commits still has
    its log)."""
    code, _out, err = run(capsys, "log", "drafts/bills/toi.toml")
    assert code == 2
    assert ("drafts/bills/toi.toml: no such file or directory, and no commit touched it; "
            "did you mean 'drafts/bills/toy.toml'?") in err
    (repo / "drafts/bills/toy.toml").unlink()
    commits = run_json(capsys, "log", "drafts/bills/toy.toml")["commits"]
    assert [c["message"] for c in commits][:1] == ["toy v3: renumbered"]


def test_log_of_a_mistyped_path_from_outside_the_repository(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Run from a folder that is no repository, a mistyped path is looked for in the
    repository the log reads, not in the current folder's ('. is not in a git
    repository')."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    code, _out, err = run(capsys, "log", str(repo / "drafts/bills/toi.toml"))
    assert code == 2
    assert "no such file or directory, and no commit touched it" in err
    assert "not in a git repository" not in err


def test_log_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "log", "drafts/bills/toy.toml", "--format", "md")
    assert code == 0
    assert "toy v2: deported persons" in out and "| toy v2 |" in out


def test_log_reuses_the_cache(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    first = run_json(capsys, "log", "drafts")
    # a log keeps records, not the coverages' arrays
    assert not list((tmp_path / "cache").rglob("*.npz"))
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert entries
    # not rewritten (a rename would give a new inode); a read sets the last use (mtime)
    stamps = [(e.stat().st_ino, e.read_bytes()) for e in entries]
    gitstore._PARSED.clear()

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm log parses no draft")

    monkeypatch.setattr(gitstore, "load_law_text", no_parsing)
    assert run_json(capsys, "log", "drafts") == first  # gains and losses too, from records
    assert [(e.stat().st_ino, e.read_bytes())
            for e in sorted((tmp_path / "cache").rglob("*.json"))] == stamps


def test_status(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "drafts/bills/new.toml").write_text(
        toy(version="draft").replace('id = "toy"', 'id = "new"'), encoding="utf-8")
    doc = run_json(capsys, "status")
    assert doc["directory"] == "drafts" and doc["in_force"] == ["base"]
    rows = {r["id"]: r for r in doc["laws"]}
    assert rows["toy"]["last_change"]["message"] == "toy v3: renumbered"
    assert rows["toy"]["uncommitted"] is False
    # t1 and t3 become eligible, t4 undetermined (t7 is undetermined already)
    # t7 stays undetermined but may now be a victim: it gains a category and a component
    assert rows["toy"]["adds"] == {"gained": 4, "lost": 0, "eligible": 2, "undetermined": 1}
    assert rows["new"]["last_change"] is None and rows["new"]["uncommitted"] is True
    assert rows["base"]["adds"]["eligible"] == 1  # over the other laws in force: none
    assert (rows["toy"]["kind"], rows["toy"]["status"], rows["toy"]["version"]) == (
        "bill", "draft", "v3")  # fmt: skip
    code, out, _ = run(capsys, "status", "drafts")
    assert code == 0 and "uncommitted" in out and "toy v3: renumbered" in out


def test_explain_against(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "explain", "t3", "drafts/bills/toy.toml", "--against",
                   "HEAD~3:drafts/bills/toy.toml")  # fmt: skip
    assert (doc["status"], doc["against"]["status"]) == ("eligible", "ineligible")
    ground = next(d for d in doc["differences"] if d["id"] == "toy:deportation")
    assert (ground["kind"], ground["value"], ground["against"]) == ("ground", "true", None)
    assert any(f["fact"].endswith("measure") and "deportation" in f["value"]
               for f in ground["decided_by"])  # fmt: skip
    code, out, _ = run(capsys, "explain", "t3", "drafts/bills/toy.toml", "--against",
                       "HEAD~3:drafts/bills/toy.toml")  # fmt: skip
    assert code == 0 and "eligible against ineligible" in out and "measure = " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "drafts/bills/toy.toml", "--from", "nosuchrev"], "unknown revision 'nosuchrev'"),
        (["diff", "drafts/bills/toy.toml", "--from", "HEAD~4", "--to", "HEAD~4"],
         "does not exist at revision HEAD~4"),
        (["diff", "drafts/bills", "../outside.toml", "--from", "HEAD"],
         "outside the repository"),
        (["diff", "../outside.toml", "--from", "HEAD"], "not in a git repository"),
        (["diff", "HEAD:drafts", "--from", "HEAD"], "working-tree paths"),
        (["compare", "--base", "drafts/current", "--with", "HEAD:../x.toml"],
         "outside the repository"),
        (["compare", "--base", "drafts/current", "--with", "HEAD:drafts/nope.toml"],
         "does not exist at revision HEAD"),
        (["explain", "t1", "drafts/bills", "--against", "nosuchrev:drafts/bills"],
         "unknown revision"),
        (["log", "drafts", "-n", "0"], "is not a whole number of at least 1"),
    ],
)
def test_bad_input_exits_2(repo: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                           message: str) -> None:  # fmt: skip
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    lone = tmp_path / "lone"
    (lone / "drafts").mkdir(parents=True)
    (lone / "drafts/toy.toml").write_text(toy(), encoding="utf-8")
    monkeypatch.chdir(lone)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    for args in (["diff", "drafts", "--from", "HEAD"], ["log", "drafts"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and "not in a git repository" in err
    code, out, _ = run(capsys, "status", "drafts", "--format", "json")
    assert code == 0 and json.loads(out)["laws"][0]["last_change"] is None


def test_reading_commands_write_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "drafts/bills/toy.toml").write_text(toy(version="wip"), encoding="utf-8")
    index = repo / ".git" / "index"
    mtime = os.stat(index).st_mtime_ns
    before = snapshot(repo)
    for args in (
        ["diff", "drafts", "--from", "HEAD~3"],
        ["diff", "drafts", "--from", "HEAD~3", "--to", "HEAD"],
        ["compare", "--base", "HEAD:drafts/current", "--with", "HEAD~2:drafts/bills"],
        ["log", "drafts"],
        ["status"],
        ["explain", "t3", "drafts/bills", "--against", "HEAD~3:drafts/bills"],
    ):
        code, _, err = run(capsys, *args)
        assert code == 0, err
    assert snapshot(repo) == before
    assert os.stat(index).st_mtime_ns == mtime
