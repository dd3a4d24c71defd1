"""The notebook how-to (docs/howto/notebook.rst) runs as written and shows its real outputs.

``sphinx-build -b doctest`` runs the page in CI; this runs the same blocks here, with the
doctest extension's option flags and global setup, so a change that alters an output the
page shows fails the test suite too, naming the line. The page's example proposal checks
clean.
"""

from __future__ import annotations

import doctest
import re
import tempfile
import textwrap
from pathlib import Path

import pytest

from kzrehab.cli import main

pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "howto" / "notebook.rst"
#: sphinx.ext.doctest's default flags, and docs/conf.py's doctest_global_setup
FLAGS = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL | doctest.DONT_ACCEPT_TRUE_FOR_1
GLOBAL_SETUP = "import datetime as dt"


def blocks(text: str) -> list[tuple[str, int, str]]:
    """``(directive, line, body)`` of each ``testsetup`` and ``doctest`` block of the page."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = re.match(r"\.\. (testsetup|doctest):: notebook\s*$", line)
        if not m:
            continue
        body: list[str] = []
        for nxt in lines[i + 1:]:
            if nxt.strip() and not nxt.startswith("   "):
                break
            body.append(nxt)
        found.append((m.group(1), i + 2, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
    return found


def test_the_page_has_its_steps() -> None:
    kinds = [kind for kind, _, _ in blocks(PAGE.read_text(encoding="utf-8"))]
    assert kinds[0] == "testsetup" and kinds.count("doctest") >= 7


def test_the_notebook_page_runs_as_shown(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the chart is saved here
    globs: dict[str, object] = {}
    exec(GLOBAL_SETUP, globs)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=FLAGS)
    ran = 0
    for kind, line, body in blocks(PAGE.read_text(encoding="utf-8")):
        if kind == "testsetup":
            exec(compile(body, f"{PAGE}:{line}", "exec"), globs)
            continue
        test = parser.get_doctest(body, globs, f"notebook.rst:{line}", str(PAGE), line)
        ran += len(test.examples)
        result = runner.run(test, clear_globs=False)
        globs.update(test.globs)  # a DocTest runs in a copy: the next cell goes on from it
        assert result.failed == 0, f"{PAGE}:{line}: an output differs from the page's"
    assert ran >= 30
    assert list(tmp_path.glob("*/losers.png"))


def test_a_changed_output_fails() -> None:
    """The runner above does compare outputs: a wrong one is a failure."""
    test = doctest.DocTestParser().get_doctest(">>> 1 + 1\n3\n", {}, "wrong", None, 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    assert runner.run(test, out=lambda _: None).failed == 1


def test_the_example_proposal_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "drafts/current"),
                 str(ROOT / "docs/howto/examples/trade-off.toml")]) == 0  # fmt: skip
    assert "no findings" in capsys.readouterr().out
