"""Hostile strings in every field that reaches a report, in every format.

A claim id, a population name, a law's title and version, a provision's text, a commit's
message and author can hold anything their authors typed: HTML, Markdown that starts a
block (``#``, ``>``, ``-``, ``1.``, ``===``), newlines, terminal escape sequences and bidi
controls. Text and Markdown show them as literal text on one line; HTML escapes them; JSON
carries them exactly.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from kzrehab.cli import main
from kzrehab.reports import text as rendering

from .test_gitstore import commit, make_repo, toy

#: what a hostile author writes: raw HTML, a new heading, quote, list, numbered list and
#: setext underline on lines of their own, inline Markdown, an entity, a link, a terminal
#: escape sequence, a bidi override and a table cell's pipe
HOSTILE = ("<img src=x onerror=alert(1)>\n# HEADING\n> QUOTE\n- ITEM\n+ PLUS\n1. ONE\n"
           "2) TWO\n===\n---\n    CODE\r\n*em* _u_ `tick` ~~s~~ [link](http://evil.example) "
           "&amp; www.evil.example a@evil.example \x1b[31mRED\x1b[0m \u202eTXET "
           "| pipe |")  # fmt: skip
#: the same, on one line (a git author's name)
ONE_LINE = HOSTILE.replace("\n", " ").replace("\r", " ").replace("<", "(").replace(">", ")")
#: the constructs of HOSTILE that must not start a line of Markdown or text
STARTS = ("# HEADING", "> QUOTE", "- ITEM", "+ PLUS", "1. ONE", "2) TWO", "===", "---",
          "    CODE")  # fmt: skip

AS_OF = "2025-06-01"


def _toml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A repository whose law, commit and registry carry the hostile strings."""
    root = make_repo(tmp_path / "repo")
    law = toy().replace('title = "A toy law"', f"title = {_toml(HOSTILE)}")
    law = law.replace('version = "v1"', f"version = {_toml(HOSTILE)}")
    commit(root, {"drafts/toy.toml": law}, "v1")
    changed = law.replace('text = "Persons sent into exile are victims."',
                          f"text = {_toml('Persons sent into exile. ' + HOSTILE)}")  # fmt: skip
    changed = changed.replace('when = "exiled"', 'when = "exiled or victim_alive"')
    (root / "drafts/toy.toml").write_text(changed, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", f"user.name={ONE_LINE}", "commit", "-q", "-m",
                    HOSTILE.replace("\n", " ", 1)], cwd=root, check=True)  # fmt: skip
    (root / "extra").mkdir()
    (root / "extra/other.toml").write_text(
        changed.replace('id = "toy"', 'id = "other"'), encoding="utf-8")
    header = {"kzrehab": "population", "version": 1, "name": HOSTILE, "synthetic": False}
    claims = [{"id": f"{HOSTILE} {i}", "claimant": "victim", "victim_alive": i % 2 == 0,
               "events": [{"measure": "exile", "start": "1937-05"}]} for i in range(3)]  # fmt: skip
    pop = tmp_path / "r.jsonl"
    pop.write_text("\n".join(json.dumps(x) for x in [header, *claims]) + "\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    return {"pop": str(pop), "claim": f"{HOSTILE} 0"}


def commands(world: dict[str, str]) -> dict[str, list[str]]:
    return {
        "coverage": ["coverage", "drafts", "--claims"],
        "explain": ["explain", world["claim"], "drafts"],
        "explain-against": ["explain", world["claim"], "drafts", "--against", "HEAD:drafts"],
        "diff": ["diff", "drafts", "--from", "HEAD", "--claims"],
        "compare": ["compare", "--base", "HEAD:drafts", "--with", "extra/other.toml", "--claims"],
        "log": ["log", "drafts"],
        "status": ["status", "drafts"],
    }


def render(capsys: pytest.CaptureFixture[str], argv: list[str], fmt: str, pop: str) -> str:
    status = main([*argv, "--population", pop, "--as-of", AS_OF, "--format", fmt])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def _unescaped(line: str, char: str) -> int:
    return len(re.findall(rf"(?<!\\){re.escape(char)}", line.replace("\\\\", "")))


def _check_markdown(out: str) -> None:
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    assert _unescaped(out.replace(HOSTILE, ""), "<") == 0, "raw HTML"
    assert _unescaped(out, "&") == 0, "an entity"
    assert not re.search(r"(?<!\\)\]\(|(?<!\\)://|www\.evil|(?<!\\)@evil", out), "a link"
    for line in out.splitlines():
        body = line.lstrip(" ")
        assert not body.startswith(STARTS), line
        assert "CODE" not in line or not line.startswith("    "), line
    # every table row has as many cells as its header
    table: int | None = None
    for line in out.splitlines():
        if line.startswith("|"):
            cells = _unescaped(line, "|")
            table = cells if table is None else table
            assert cells == table, line
        else:
            table = None


def _check_text(out: str) -> None:
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    for line in out.splitlines():
        assert not line.lstrip(" ").startswith(
            tuple(s for s in STARTS if s[0].isalnum() or s[-1].isalpha())), line
        assert not line.startswith("    CODE"), line


@pytest.mark.parametrize("name", ["coverage", "explain", "explain-against", "diff", "compare",
                                  "log", "status"])  # fmt: skip
def test_hostile_strings_in_every_format(world: dict[str, str], name: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    argv = commands(world)[name]
    md = render(capsys, argv, "md", world["pop"])
    assert "HEADING" in md  # the hostile string is shown, as text
    _check_markdown(md)
    _check_text(render(capsys, argv, "text", world["pop"]))
    html = render(capsys, argv, "html", world["pop"])
    assert "<img" not in html and "&lt;img src=x" in html and "\x1b" not in html
    doc = json.loads(render(capsys, argv, "json", world["pop"]))
    assert HOSTILE in json.dumps(doc, ensure_ascii=False) or json.dumps(HOSTILE) in json.dumps(
        doc)  # JSON carries the strings exactly


@pytest.mark.parametrize(
    ("text", "markdown"),
    [("# heading", "\\# heading"), ("> quote", "\\> quote"), ("- item", "\\- item"),
     ("+ item", "\\+ item"), ("1. one", "1\\. one"), ("12) twelve", "12\\) twelve"),
     ("===", "\\==="), ("   # indented", "\\# indented"), ("a\nb", "a\\\\x0ab"),
     ("<b>", "\\<b\\>"), ("&amp;", "\\&amp;"), ("[x](y)", "\\[x\\](y)"),
     ("https://x", "https\\://x"), ("a | b", "a \\| b"), ("1937-05", "1937-05"),
     ("2,511.00", "2,511.00")],
)  # fmt: skip
def test_markdown_escapes(text: str, markdown: str) -> None:
    assert rendering._md_escape(text) == markdown


@pytest.mark.parametrize(
    ("text", "shown"),
    [("a\nb", "a\\x0ab"), ("\x1b[31m", "\\x1b[31m"), ("\u202eabc", "\\u202eabc"),
     ("\u2028", "\\u2028"), ("Qazaqstan · 1937", "Qazaqstan · 1937")],
)  # fmt: skip
def test_text_shows_control_characters_as_escapes(text: str, shown: str) -> None:
    assert rendering.plain(text) == shown


def test_the_claims_table_keeps_its_shape(world: dict[str, str],
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    out = render(capsys, commands(world)["coverage"], "text", world["pop"])
    rows = [line for line in out.splitlines() if "HEADING" in line and "onerror" in line]
    assert len(rows) >= 3  # one line per claim, the newlines shown as \x0a
    assert all("\\x0a# HEADING" in row for row in rows)
