"""Two frictions a new user hit (issue 16): a missing file is answered with the nearest
existing path, and ``diff`` of a law that did not exist at ``--from`` reports every
provision as added."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzrehab._suggest import did_you_mean_path, nearest_path
from kzrehab.cli import main
from kzrehab.errors import DraftError, RegistryError
from kzrehab.laws.discovery import expand_paths
from kzrehab.population.load import registry_files

from .test_tracker_cli import repo, run, run_json

__all__ = ["repo"]  # the temporary repository's fixture, used by name

# -- the nearest existing path ----------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("drafts/bills/peasants.toml", "drafts/bills/refugees.toml",
                 "drafts/current/rehabilitation-1993.toml", "drafts/.hidden/x.toml",
                 "registry/claims.jsonl"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("given", "nearest"), [
    ("drafts/bill/peasants.toml", "drafts/bills/peasants.toml"),  # a folder misspelt
    ("drafts/bills/peasant.toml", "drafts/bills/peasants.toml"),  # the file
    ("drafts/bils/refugee.toml", "drafts/bills/refugees.toml"),  # both
    ("drafts/bills/peasants", "drafts/bills/peasants.toml"),  # no suffix
    ("draft", "drafts"),
    ("./drafts/curent", "drafts/current"),
    ("drafts/hidden/x.toml", None),  # a hidden folder is offered only for a hidden part
    ("drafts/bills/land-reform.toml", None),  # nothing close
    ("nowhere/peasants.toml", None),
    ("drafts/bills/peasants.toml/x", None),  # through a file
    ("drafts/bills/peasants.toml", None),  # it exists
])  # fmt: skip
def test_the_nearest_existing_path(tree: Path, given: str, nearest: str | None) -> None:
    assert nearest_path(given, _listing) == nearest
    assert did_you_mean_path(given) == (f"; did you mean '{nearest}'?" if nearest else "")


def _listing(folder: str) -> list[str] | None:
    path = Path(folder)
    return sorted(p.name for p in path.iterdir()) if path.is_dir() else None


def test_an_absolute_path(tree: Path) -> None:
    assert did_you_mean_path(tree / "drafts/bill") == f"; did you mean '{tree / 'drafts/bills'}'?"


def test_a_missing_draft_names_the_nearest(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DraftError, match=r"no such file or directory; did you mean "
                                         r"'drafts/bills/peasants.toml'\?"):  # fmt: skip
        expand_paths(["drafts/bill/peasants.toml"])
    assert main(["check", "drafts/bill/peasants.toml"]) == 2
    assert capsys.readouterr().err == (
        "kzrehab: error: drafts/bill/peasants.toml: no such file or directory; did you mean "
        "'drafts/bills/peasants.toml'?\n")


def test_a_missing_registry_names_the_nearest(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(RegistryError, match=r"no such file; did you mean "
                                            r"'registry/claims.jsonl'\?"):  # fmt: skip
        registry_files("registry/claim.jsonl")
    assert main(["population", "info", "registy/claims.jsonl"]) == 2
    assert capsys.readouterr().err == (
        "kzrehab: error: registy/claims.jsonl: no such file; did you mean "
        "'registry/claims.jsonl'?\n")


def test_a_path_missing_at_a_revision_names_the_nearest(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "compare", "--base", "drafts/current", "--with",
                       "HEAD:drafts/bill/toy.toml")  # fmt: skip
    assert code == 2
    assert err.endswith("drafts/bill/toy.toml does not exist at revision HEAD ("
                        f"{_short(repo)}); did you mean 'drafts/bills/toy.toml'?\n")


def _short(repo: Path) -> str:
    from kzrehab.tracker.git import GitStore

    with GitStore(repo) as store:
        return str(store.commit("HEAD").hexsha[:7])


# -- diff of a law that did not exist ---------------------------------------------------------


def test_diff_of_a_law_that_did_not_exist_at_from(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HEAD~4 is the first commit: the law in force, no toy yet."""
    doc = run_json(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD~4")
    assert doc["base"]["laws"] == []
    assert doc["base"]["status"] == {"eligible": 0, "ineligible": 8, "undetermined": 0}
    assert [law["id"] for law in doc["head"]["laws"]] == ["toy"]
    assert doc["provisions"] == [{"id": f"toy:{p}", "change": "added"} for p in (
        "confession", "definitions.exiled", "deportation", "exile", "payment")]
    assert [(law["id"], law["change"]) for law in doc["laws"]] == [("toy", "added")]
    first = _first(repo)
    assert doc["notices"][0] == (f"drafts/bills/toy.toml did not exist at revision HEAD~4 "
                                 f"({first}): every provision of it is added")  # fmt: skip
    code, out, _ = run(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD~4")
    assert code == 0
    assert "- drafts/bills/toy.toml did not exist at revision HEAD~4" in out


def test_diff_of_a_law_that_did_not_exist_at_to(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = run_json(capsys, "diff", "drafts/bills", "--from", "HEAD", "--to", "HEAD~4")
    assert doc["head"]["laws"] == [] and doc["base"]["laws"]
    assert {p["change"] for p in doc["provisions"]} == {"removed"}
    assert doc["notices"][0].endswith("every provision of it is removed")
    (repo / "drafts/bills/toy.toml").unlink()  # gone from the working tree
    doc = run_json(capsys, "diff", "drafts/bills/toy.toml", "--from", "HEAD")
    assert {p["change"] for p in doc["provisions"]} == {"removed"}
    assert doc["notices"][0] == ("drafts/bills/toy.toml does not exist in the working tree: "
                                 "every provision of it is removed")  # fmt: skip


def test_diff_of_a_law_that_exists_nowhere(repo: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, out, err = run(capsys, "diff", "drafts/bills/toi.toml", "--from", "HEAD~4")
    assert (code, out) == (2, "")
    assert err == ("kzrehab: error: drafts/bills/toi.toml: no such file or directory; did "
                   "you mean 'drafts/bills/toy.toml'?\n")
    code, out, err = run(capsys, "diff", "drafts/bills/toi.toml", "--from", "HEAD~4",
                         "--to", "HEAD")  # fmt: skip
    assert code == 2 and "drafts/bills/toi.toml does not exist at revision HEAD" in err
    assert "did you mean 'drafts/bills/toy.toml'?" in err


def _first(repo: Path) -> str:
    from kzrehab.tracker.git import GitStore

    with GitStore(repo) as store:
        return str(store.commit("HEAD~4").hexsha[:7])
