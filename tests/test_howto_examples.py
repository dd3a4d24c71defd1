"""The how-to guides and the tutorial show what kzrehab really does.

Every example file under ``docs/howto/examples`` is tested here: the drafts check as the
page says, the registries import with the claim count the page states, the bad files fail
with the message the page shows, and the amendment is attributed in ``compare``.

The pages' own commands are run too, from a copy of the repository's ``drafts/`` and
``docs/howto/examples/`` in a temporary directory, and their output is compared with the
output the page shows (a line "…" in a shown output stands for lines left out). Commands
over the synthetic reference population (every evaluating command without
``--population``) take minutes and are marked ``slow``; the others run always.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from kzrehab import load_population
from kzrehab.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOWTO = DOCS / "howto"
EXAMPLES = HOWTO / "examples"
SAMPLE = ROOT / "tests" / "data" / "sample.jsonl"

#: every file of docs/howto/examples, and so every file these tests must cover
EXAMPLE_FILES = {
    "amend-children.toml",
    "amend-children-typo.toml",
    "registry.jsonl",
    "registry.csv",
    "registry.events.csv",
    "registry-bad.jsonl",
    "trade-off.toml",
}
#: the claims of the example registry, as docs/howto/import-registry.rst states
REGISTRY_CLAIMS, REGISTRY_EVENTS = 4, 6
PAGES = ("import-registry", "write-amendment", "explain-claim")
#: the pages whose steps are Python (doctests, run by tests/test_howto_notebook.py)
PYTHON_PAGES = ("notebook",)
#: the commands that evaluate laws: over the reference population unless --population
EVALUATING = {"coverage", "compare", "diff", "explain", "log", "status"}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``kzrehab ARGV`` in this process: its exit status and its output (stdout, stderr)."""
    capsys.readouterr()
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out + out.err


# --- reading the pages ------------------------------------------------------------------


@attrs.frozen
class Block:
    """A ``.. code-block::`` of a page: its language and its text, unindented."""

    language: str
    text: str


def blocks(page: Path) -> list[Block]:
    """The code blocks of an reStructuredText page, in order."""
    return blocks_of(page.read_text(encoding="utf-8"))


def blocks_of(text: str) -> list[Block]:
    """The code blocks of reStructuredText, in order."""
    found: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)\.\. code-block:: (\S+)\s*$", lines[i])
        i += 1
        if not m:
            continue
        indent = len(m.group(1))
        while i < len(lines) and lines[i].strip().startswith(":"):
            i += 1  # options
        body: list[str] = []
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
            body.append(lines[i])
            i += 1
        depth = min(_indent(line) for line in body if line.strip())
        text = "\n".join(line[depth:] for line in body).strip("\n") + "\n"
        found.append(Block(m.group(2), text))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


@attrs.frozen
class Step:
    """Shell commands shown on a page, and the output shown after them (if any)."""

    commands: tuple[str, ...]
    shown: str | None

    @property
    def slow(self) -> bool:
        """Whether a command evaluates laws over the reference population."""
        return any(
            words[:1] == ["kzrehab"] and words[1] in EVALUATING and "--population" not in words
            for words in map(shlex.split, self.commands)
        )


def steps(page: Path) -> list[Step]:
    """Each ``sh`` block of a page with the ``text`` block that follows it, if one does."""
    found: list[Step] = []
    bs = blocks(page)
    for i, b in enumerate(bs):
        if b.language != "sh":
            continue
        nxt = bs[i + 1] if i + 1 < len(bs) else None
        shown = nxt.text if nxt is not None and nxt.language == "text" else None
        found.append(Step(tuple(b.text.splitlines()), shown))
    return found


def assert_shown(actual: str, shown: str) -> None:
    """The output matches the shown one; a line "…" in the shown one stands for any lines."""
    got = [line.rstrip() for line in actual.splitlines()]
    chunks: list[list[str]] = [[]]
    for line in shown.splitlines():
        if line.strip() == "…":
            chunks.append([])
        else:
            chunks[-1].append(line.rstrip())
    chunks = [_trim(c) for c in chunks]
    if len(chunks) == 1:
        assert _trim(got) == chunks[0], f"output:\n{actual}"
        return
    at = 0
    for chunk in chunks:
        if not chunk:
            continue
        for start in range(at, len(got) - len(chunk) + 1):
            if got[start : start + len(chunk)] == chunk:
                at = start + len(chunk)
                break
        else:
            pytest.fail("not in the output, in this order:\n" + "\n".join(chunk) +
                        f"\n\noutput:\n{actual}")  # fmt: skip


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0]:
        lines = lines[1:]
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of what the pages' commands read, as the current directory."""
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "drafts", work / "drafts")
    shutil.copytree(EXAMPLES, work / "docs" / "howto" / "examples")
    monkeypatch.chdir(work)
    return work


def run_step(step: Step, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run a page's commands as written; compare the last one's output with the shown one."""
    output = ""
    for command in step.commands:
        words = shlex.split(command)
        if words[0] == "kzrehab":
            status, output = run(words[1:], capsys)
            expected = _expected_status(step.shown, words)
            assert status == expected, f"{command}: exit {status}\n{output}"
        elif words[0] == "python3":
            done = subprocess.run([sys.executable, *words[1:]], cwd=workdir, check=True,
                                  capture_output=True, text=True)  # fmt: skip
            output = done.stdout
        else:
            raise AssertionError(f"no way to run {command!r} here")
    last = shlex.split(step.commands[-1])
    if not output and "-o" in last:  # the shown output is the report written
        output = (workdir / last[last.index("-o") + 1]).read_text(encoding="utf-8")
    if step.shown is not None:
        assert_shown(output, step.shown)


def _expected_status(shown: str | None, words: list[str]) -> int:
    """What the page implies: 2 for an error, 1 for findings of ``check``, else 0."""
    if shown is not None and shown.startswith("kzrehab: error:"):
        return 2
    if words[1] == "check" and shown is not None and re.search(r"\d+ findings?\n", shown):
        return 1
    return 0


def test_the_examples_are_the_known_ones() -> None:
    """A new example file needs a test here; and every one is shown by a page."""
    assert {p.name for p in EXAMPLES.iterdir()} == EXAMPLE_FILES
    pages = "".join((HOWTO / f"{page}.rst").read_text(encoding="utf-8")
                    for page in (*PAGES, *PYTHON_PAGES))  # fmt: skip
    for name in EXAMPLE_FILES:
        assert f"examples/{name}" in pages, name


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_commands_without_the_reference_population(
    page: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = 0
    for step in steps(HOWTO / f"{page}.rst"):
        if not step.slow:
            run_step(step, workdir, capsys)
            ran += 1
    assert ran or page == "explain-claim"


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_the_pages_commands(
    page: str, workdir: Path, capsys: pytest.CaptureFixture[str],
    shared_cache: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("KZREHAB_CACHE", str(shared_cache))
    for step in steps(HOWTO / f"{page}.rst"):
        run_step(step, workdir, capsys)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the slow tests of this module: the reference population is made once."""
    return tmp_path_factory.mktemp("cache")


# --- the example drafts -----------------------------------------------------------------


def test_the_amendment_checks_clean_with_the_law_it_amends(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = run(["check", str(ROOT / "drafts/current"),
                       str(EXAMPLES / "amend-children.toml")], capsys)  # fmt: skip
    assert status == 0, out
    assert out == "checked 5 laws: no findings\n"


def test_the_amendment_alone_has_findings_as_the_page_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = run(["check", str(EXAMPLES / "amend-children.toml")], capsys)
    assert status == 1, out
    for amendment in ("children-any-age", "payment-cap-150"):
        assert (f"rehabilitation-1993 is not in the framework: amendment "
                f"children-of-victims:{amendment} not applied") in out  # fmt: skip
    page = (HOWTO / "write-amendment.rst").read_text(encoding="utf-8")
    assert "with exit status 1" in page


def test_the_typo_is_found_only_with_the_law_it_amends(
    capsys: pytest.CaptureFixture[str],
) -> None:
    typo = str(EXAMPLES / "amend-children-typo.toml")
    status, out = run(["check", typo], capsys)
    assert status == 1 and "in_scop" not in out, out
    status, out = run(["check", str(ROOT / "drafts/current"), typo], capsys)
    assert status == 2
    assert "article[0].amend[0].when: unknown name 'in_scop'; did you mean 'in_scope'?" in out
    good = (EXAMPLES / "amend-children.toml").read_text(encoding="utf-8").splitlines()
    bad = Path(typo).read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(good, bad, strict=True)) if a != b]
    assert differ == [0, 1, 2, 25]  # the comment, and line 26 as the page says


def test_compare_attributes_the_amendment(capsys: pytest.CaptureFixture[str]) -> None:
    """Each amendment is counted in the row of what it amends, as the page says."""
    status, out = run([
        "compare", "--base", str(ROOT / "drafts/current"),
        "--with", str(EXAMPLES / "amend-children.toml"),
        "--population", str(SAMPLE), "--as-of", "2025-06-01", "--format", "json",
    ], capsys)  # fmt: skip
    assert status == 0, out
    report = json.loads(out)
    rows = {row["provision"]: row for row in report["attribution"]}
    assert list(rows) == [
        "rehabilitation-1993:child-of-victim",
        "rehabilitation-1993:parameters.PAYMENT_CAP",
        "interaction",
    ]
    assert rows["rehabilitation-1993:child-of-victim"]["amended_by"] == [
        "children-of-victims:children-any-age"
    ]
    assert rows["rehabilitation-1993:parameters.PAYMENT_CAP"]["amended_by"] == [
        "children-of-victims:payment-cap-150"
    ]
    assert report["lost"] == 0
    changes = {row["id"]: row["change"] for row in report["provisions"]}
    assert changes["children-of-victims:children-any-age"] == "added"
    assert "amended" in changes["rehabilitation-1993:child-of-victim"].split("+")
    page = (HOWTO / "write-amendment.rst").read_text(encoding="utf-8")
    assert "An amendment is counted in the row of what it amends." in page


# --- the example registries -------------------------------------------------------------


@pytest.mark.parametrize("registry", ["registry.jsonl", "registry.csv"])
def test_the_registry_imports(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "registry.npz"
    status, out = run(["population", "import", str(EXAMPLES / registry), "-o", str(out_path)],
                      capsys)  # fmt: skip
    assert status == 0, out
    assert out.startswith(f"imported {REGISTRY_CLAIMS} claims ({REGISTRY_EVENTS} events)")
    pop = load_population(out_path)
    assert (len(pop), pop.events, pop.synthetic) == (REGISTRY_CLAIMS, REGISTRY_EVENTS, False)
    page = (HOWTO / "import-registry.rst").read_text(encoding="utf-8")
    assert f"imported {REGISTRY_CLAIMS} claims ({REGISTRY_EVENTS} events)" in page


def test_jsonl_and_csv_are_the_same_registry() -> None:
    jsonl = load_population(EXAMPLES / "registry.jsonl")
    csv = load_population(EXAMPLES / "registry.csv")
    assert jsonl.claims == csv.claims
    assert jsonl.digest == csv.digest
    assert [c.id for c in jsonl.claims] == [f"C-{i:04d}" for i in range(1, 5)]


def test_the_bad_registry_fails_as_the_page_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out_path = tmp_path / "registry.npz"
    out_path.write_bytes(b"left alone")
    status, out = run(["population", "import", "docs/howto/examples/registry-bad.jsonl",
                       "-o", str(out_path)], capsys)  # fmt: skip
    assert status == 2
    page = (HOWTO / "import-registry.rst").read_text(encoding="utf-8")
    (message,) = [line.strip() for line in page.splitlines() if "registry-bad.jsonl:" in line]
    assert out.strip() == message
    assert out_path.read_bytes() == b"left alone"


def test_the_bad_registry_differs_from_the_good_one_in_one_row() -> None:
    good = (EXAMPLES / "registry.jsonl").read_text(encoding="utf-8").splitlines()
    bad = (EXAMPLES / "registry-bad.jsonl").read_text(encoding="utf-8").splitlines()
    assert [i for i, (a, b) in enumerate(zip(good, bad, strict=True)) if a != b] == [2]


def test_the_spread_out_claim_is_the_fourth_line() -> None:
    (shown,) = [b for b in blocks(HOWTO / "import-registry.rst") if b.language == "json"]
    line = (EXAMPLES / "registry.jsonl").read_text(encoding="utf-8").splitlines()[3]
    assert json.loads(shown.text) == json.loads(line)


# --- the tutorial -----------------------------------------------------------------------

TUTORIAL = DOCS / "tutorial.rst"
GIT = ["git", "-c", "user.name=A. Drafter", "-c", "user.email=drafter@example.org"]


def _tutorial_draft() -> str:
    (draft,) = [b.text for b in blocks(TUTORIAL) if b.language == "toml"]
    return draft


def _shown_after(marker: str) -> str:
    """The first ``text`` block of the tutorial after ``marker``."""
    text = TUTORIAL.read_text(encoding="utf-8")
    rest = text[text.index(marker) :]
    return next(b for b in blocks_of(rest) if b.language == "text").text


@pytest.fixture
def tutorial_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``my-drafts`` as the tutorial sets it up, with the first draft written."""
    repo = tmp_path / "my-drafts"
    (repo / "drafts" / "bills").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "drafts/bills/peasants.toml").write_text(_tutorial_draft(), encoding="utf-8")
    monkeypatch.chdir(repo)
    yield repo


def test_the_tutorial_draft_checks(tutorial_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(["check", "drafts/bills/peasants.toml"], capsys)
    assert status == 0
    assert_shown(out, _shown_after("   kzrehab check drafts/bills/peasants.toml\n"))


def test_the_tutorial_mistakes(tutorial_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tutorial_repo / "drafts/bills/peasants.toml"
    draft = path.read_text(encoding="utf-8")
    path.write_text(draft.replace("'special_settlement'} and", "'special_setlement'} and"),
                    encoding="utf-8")  # fmt: skip
    status, out = run(["check", "drafts/bills/peasants.toml"], capsys)
    assert status == 2
    assert_shown(out, _shown_after("Misspell ``'special_settlement'``"))
    path.write_text(draft.replace("[definitions]\n",
                                  '[definitions]\nfamine_years = "year in 1930..1933"\n'),
                    encoding="utf-8")  # fmt: skip
    status, out = run(["check", "drafts/bills/peasants.toml"], capsys)
    assert status == 1
    assert_shown(out, _shown_after("Add a definition and forget to use it"))


def test_the_tutorial_revision(tutorial_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Commit, change as the shown ``git diff`` says, diff against the commit, commit, log."""
    repo = str(tutorial_repo)
    subprocess.run([*GIT, "-C", repo, "add", "drafts/bills/peasants.toml"], check=True)
    subprocess.run([*GIT, "-C", repo, "commit", "-qm", "peasants: first draft"], check=True)
    (change,) = [b.text for b in blocks(TUTORIAL) if b.language == "diff"]
    subprocess.run(["git", "-C", repo, "apply", "-"], input=change, text=True, check=True)
    shown = subprocess.run(["git", "-C", repo, "diff"], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    assert [line.rstrip() for line in shown.splitlines()] == change.splitlines()

    assert run(["check", "drafts/bills/peasants.toml"], capsys)[0] == 0
    sample = ["--population", str(SAMPLE), "--as-of", "2025-06-01"]
    status, out = run(["diff", "drafts/bills/peasants.toml", "--from", "HEAD", *sample,
                       "--format", "json"], capsys)  # fmt: skip
    assert status == 0, out
    report = json.loads(out)
    rows = {row["provision"]: row for row in report["attribution"]}
    assert rows["peasants:peasant-victim"]["gained"] > 0
    assert all(row["lost"] == 0 for row in rows.values())
    assert {row["id"]: row["change"] for row in report["provisions"]} == {
        "peasants:peasant-victim": "reworded+rule-changed",
        "peasants:one-time-payment": "reworded+rule-changed",
    }

    subprocess.run([*GIT, "-C", repo, "commit", "-qam",
                    "peasants: widen the period to 1926-1938"], check=True)  # fmt: skip
    status, out = run(["log", "drafts/bills/peasants.toml", *sample], capsys)
    assert status == 0 and "peasants: widen the period to 1926-1938" in out
    status, out = run(["diff", "drafts/bills/peasants.toml", "--from", "HEAD~1", "--to", "HEAD",
                       *sample, "--format", "md", "--suppress-below", "10",
                       "-o", "peasants-diff.md"], capsys)  # fmt: skip
    assert status == 0, out
    assert (tutorial_repo / "peasants-diff.md").read_text(encoding="utf-8").startswith("# Diff")


@pytest.mark.slow
def test_the_tutorial_outputs(
    tutorial_repo: Path, capsys: pytest.CaptureFixture[str],
    shared_cache: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The tutorial's coverage and diff over the reference population, as shown."""
    monkeypatch.setenv("KZREHAB_CACHE", str(shared_cache))
    repo = str(tutorial_repo)
    subprocess.run([*GIT, "-C", repo, "add", "drafts/bills/peasants.toml"], check=True)
    subprocess.run([*GIT, "-C", repo, "commit", "-qm", "peasants: first draft"], check=True)
    command = "kzrehab coverage drafts/bills/peasants.toml --as-of 2025-06-01"
    status, out = run(shlex.split(command)[1:], capsys)
    assert status == 0
    assert_shown(out, _shown_after(f"   {command}\n"))

    (change,) = [b.text for b in blocks(TUTORIAL) if b.language == "diff"]
    subprocess.run(["git", "-C", repo, "apply", "-"], input=change, text=True, check=True)
    command = "kzrehab diff drafts/bills/peasants.toml --from HEAD --as-of 2025-06-01"
    status, out = run(shlex.split(command)[1:], capsys)
    assert status == 0
    assert_shown(out, _shown_after(f"   {command}\n"))
