"""The git store: ``REV:PATH`` references, history, and that reading never writes.

Every test works in a temporary repository. The helpers here (:func:`make_repo`,
:func:`commit`, :data:`TOY` and its variants) are shared with the diff and tracker tests.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from kzrehab.errors import DraftError, GitError
from kzrehab.tracker.git import GitStore, blob_id, load_framework, load_refs, split_ref

#: a small law: exile is a ground, a voluntary confession bars it, a payment of 100
TOY = """\
[law]
id = "toy"
title = "A toy law"
kind = "bill"
status = "draft"
version = "v1"

[definitions]
exiled = "exists(events[measure == 'exile'])"

[[article]]
number = "1"
heading = "Victims"
text = "Persons sent into exile are victims."

  [[article.ground]]
  id = "exile"
  category = "victim"
  when = "exiled"

[[article]]
number = "2"
heading = "Exclusions"
text = "Persons who confessed voluntarily are not rehabilitated."

  [[article.exclusion]]
  id = "confession"
  when = "exists(events[confession == 'voluntary'])"

[[article]]
number = "3"
heading = "Payment"
text = "A victim receives a payment."

  [[article.component]]
  id = "payment"
  kind = "compensation"
  recipients = ["victim"]
  amount = "100"
"""

#: a ground for deportation added in an inserted article 1-1
DEPORTATION = """
[[article]]
number = "1-1"
heading = "Deported persons"
text = "Persons deported are victims too."

  [[article.ground]]
  id = "deportation"
  category = "victim"
  when = "exists(events[measure == 'deportation'])"
"""


def toy(*, version: str = "v1", deportation: bool = False, no_exclusion: bool = False,
        renumber: bool = False, reword: bool = False) -> str:  # fmt: skip
    """The toy law, changed as asked."""
    text = TOY.replace('version = "v1"', f'version = "{version}"')
    if no_exclusion:
        start = text.index("  [[article.exclusion]]")
        end = text.index("[[article]]", start)
        text = text[:start] + text[end:]
    if renumber:
        for old, new in (('"1"', '"10"'), ('"2"', '"20"'), ('"3"', '"30"')):
            text = text.replace(f"number = {old}", f"number = {new}")
    if reword:
        text = text.replace("sent into exile", "exiled by the authorities")
    if deportation:
        marker = "[[article]]\nnumber = \"2"
        at = text.index(marker) if marker in text else len(text)
        text = text[:at] + DEPORTATION.lstrip("\n") + "\n" + text[at:]
    return text


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output."""
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


def make_repo(path: Path) -> Path:
    """A new repository with a local identity."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    git(path, "config", "user.name", "Test Drafter")
    git(path, "config", "user.email", "drafter@example.org")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit(repo: Path, files: Mapping[str, str], message: str) -> str:
    """Write ``files`` (relative paths → text), commit them all, return the commit hash."""
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def snapshot(repo: Path) -> tuple[str, str]:
    """What reading must not change: ``git status --porcelain`` and the index's bytes."""
    index = repo / ".git" / "index"
    digest = hashlib.sha256(index.read_bytes()).hexdigest() if index.exists() else ""
    # --no-optional-locks: git status itself must not refresh the index it is checking
    return git(repo, "--no-optional-locks", "status", "--porcelain"), digest


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with three commits of drafts/toy.toml; the current directory."""
    root = make_repo(tmp_path / "repo")
    commit(root, {"drafts/toy.toml": toy()}, "toy v1")
    commit(root, {"drafts/toy.toml": toy(version="v2", deportation=True)}, "toy v2")
    commit(root, {"README.md": "notes\n"}, "notes")
    commit(root, {"drafts/other/more.toml": toy().replace('id = "toy"', 'id = "more"')},
           "another law")  # fmt: skip
    monkeypatch.chdir(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    return root


def test_split_ref() -> None:
    assert split_ref("drafts/toy.toml") is None
    assert split_ref("HEAD~1:drafts/toy.toml") == ("HEAD~1", "drafts/toy.toml")
    with pytest.raises(GitError, match="names no revision"):
        split_ref(":drafts/toy.toml")


def test_existing_file_with_colon_is_a_path(repo: Path) -> None:
    weird = repo / "a:b.toml"
    weird.write_text(toy().replace('id = "toy"', 'id = "weird"'), encoding="utf-8")
    assert split_ref("a:b.toml") is None
    (law,) = load_refs(["a:b.toml"])
    assert law.id == "weird" and law.commit is None


def test_rev_path_file(repo: Path) -> None:
    (law,) = load_refs(["HEAD~3:drafts/toy.toml"])
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert law.version == "v1"
    assert law.ref == "HEAD~3:drafts/toy.toml"
    assert law.commit == first
    (law,) = load_refs(["HEAD:drafts/toy.toml"])
    assert law.version == "v2" and [g.id for g in law.grounds] == ["exile", "deportation"]


def test_rev_path_directory_is_recursive(repo: Path) -> None:
    laws = load_refs(["HEAD:drafts"])
    assert [law.id for law in laws] == ["more", "toy"]
    assert [law.ref for law in laws] == ["HEAD:drafts/other/more.toml", "HEAD:drafts/toy.toml"]


def test_mixed_refs_and_duplicates(repo: Path) -> None:
    laws = load_refs(["drafts/other", "HEAD~1:drafts/toy.toml"])
    assert [(law.id, law.commit is None) for law in laws] == [("more", True), ("toy", False)]
    with pytest.raises(DraftError, match="law id 'toy' is used by both"):
        load_refs(["drafts/toy.toml", "HEAD~1:drafts/toy.toml"])


def test_load_framework_accepts_rev_path(repo: Path) -> None:
    fw = load_framework(["HEAD~3:drafts/toy.toml"])
    assert fw.ids == ("toy",)
    assert fw.law("toy").version == "v1"


def test_paths_relative_to_the_top_or_to_here(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "drafts")
    (top,) = load_refs(["HEAD:drafts/toy.toml"])  # as in git: from the top
    (here,) = load_refs(["HEAD:./toy.toml"])  # ./: from the current directory
    assert top.version == here.version == "v2"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("nosuchrev:drafts/toy.toml", "unknown revision 'nosuchrev'"),
        ("HEAD~99:drafts/toy.toml", "unknown revision 'HEAD~99'"),
        ("HEAD:../outside.toml", "outside the repository"),
        ("HEAD:/etc/passwd", "outside the repository"),
        ("HEAD:drafts/missing.toml", "does not exist at revision HEAD"),
        ("HEAD~3:drafts/other", "does not exist at revision HEAD~3"),
        ("HEAD:.git/config", ".git"),
        ("--output=x:drafts/toy.toml", "not a revision"),
    ],
)
def test_bad_references(repo: Path, ref: str, message: str) -> None:
    with pytest.raises(GitError, match=message):
        load_refs([ref])


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    monkeypatch.chdir(lone)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(GitError, match="not in a git repository"):
        load_refs(["HEAD:drafts/toy.toml"])


def test_directory_without_drafts(repo: Path) -> None:
    commit(repo, {"docs/notes.md": "no drafts here\n"}, "docs")
    with pytest.raises(GitError, match=r"no draft \(\*\.toml\) under the directory docs"):
        load_refs(["HEAD:docs"])


def test_log_and_last_change(repo: Path) -> None:
    with GitStore(".") as store:
        log = store.log(["drafts/toy.toml"])
        assert [c.message for c in log] == ["toy v2", "toy v1"]
        assert log[0].author == "Test Drafter"
        assert [c.message for c in store.log(["drafts"], max_count=2)] == [
            "another law", "toy v2"]  # fmt: skip
        last = store.last_change("drafts/toy.toml")
        assert last is not None and last.message == "toy v2"
        assert store.last_change("drafts/untracked.toml") is None


def test_uncommitted(repo: Path) -> None:
    with GitStore(".") as store:
        assert not store.uncommitted("drafts/toy.toml")
        (repo / "drafts/toy.toml").write_text(toy(version="v3"), encoding="utf-8")
        assert store.uncommitted("drafts/toy.toml")
        (repo / "drafts/new.toml").write_text(toy(), encoding="utf-8")
        assert store.uncommitted("drafts/new.toml")


def test_blob_id_is_gits(repo: Path) -> None:
    data = (repo / "drafts/toy.toml").read_bytes()
    assert blob_id(data) == git(repo, "hash-object", "drafts/toy.toml").strip()
    assert blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_reading_writes_nothing(repo: Path) -> None:
    (repo / "drafts/toy.toml").write_text(toy(version="v3"), encoding="utf-8")  # a change
    mtime = os.stat(repo / ".git" / "index").st_mtime_ns
    before = snapshot(repo)
    load_refs(["HEAD~3:drafts/toy.toml", "HEAD:drafts/other"])
    load_refs(["HEAD:drafts"])
    with GitStore(".") as store:
        store.log(["drafts"])
        store.uncommitted("drafts/toy.toml")
        store.last_change("drafts/toy.toml")
    assert snapshot(repo) == before
    assert os.stat(repo / ".git" / "index").st_mtime_ns == mtime


def test_preload_parses_each_blob_on_the_workers_into_its_own_law(tmp_path: Path) -> None:
    """Drafts parsed on worker processes, a few to a task: each blob's law is its own (the
    version each commit wrote), and one that cannot be parsed is left for ``law()`` to
    report, as one process would."""
    from kzrehab._pool import shutdown
    from kzrehab.tracker import git as kgit

    repo = make_repo(tmp_path / "repo")
    revs = [commit(repo, {"toy.toml": TOY.replace('version = "v1"', f'version = "v{i}"')},
                   f"v{i}") for i in range(11)]  # fmt: skip
    bad = commit(repo, {"toy.toml": TOY.replace("[law]", "[law")}, "broken")
    store = GitStore(repo)
    files = [(rev, path, blob) for rev in [*revs, bad] for path, blob in store.files(rev, "")]
    kgit._PARSED.clear()
    shutdown()  # workers forked under this test's limits (a pool kept from a test that
    # raised one would parse nothing: its limits are not the caller's)
    store.preload(files, 2)
    assert len(kgit._PARSED) == 11  # the broken one is not kept
    for i, rev in enumerate(revs):
        ((path, blob),) = store.files(rev, "")
        assert store.law(rev, path, blob).version == f"v{i}"
    ((path, blob),) = store.files(bad, "")
    with pytest.raises(DraftError):
        store.law(bad, path, blob)
