"""A first run that explains itself (issue 16, item 5).

- When a command must make the synthetic reference population (nothing cached yet), standard
  error says so before the work, and says where it is cached; a later run, which opens the
  cache, says nothing. The library itself prints nothing.
- Without the ``git`` program, commands that read git say how to install it: exit 2, no
  traceback.

The reference builder is swapped for a small population so the tests stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import kzrehab.population.reference as reference
from kzrehab.cli import main
from kzrehab.errors import GitError
from kzrehab.population.in_memory import InMemoryPopulation
from kzrehab.population.synth import synthesize
from kzrehab.tracker.git import GitStore

from .test_cli_errors import LAW

MESSAGE = "kzrehab: making the synthetic reference population (200,000 claims"


@pytest.fixture
def small_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """An empty cache in ``tmp_path``, and a reference builder that makes 300 claims; the
    list holds the sizes it was asked for."""
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    asked: list[int] = []

    def small(size: int, seed: int,
              progress: Callable[[int], None] | None = None) -> InMemoryPopulation:  # fmt: skip
        asked.append(size)
        return synthesize(300, seed, progress)

    monkeypatch.setattr(reference, "synthesize", small)
    reference.reference_population.cache_clear()
    yield asked
    reference.reference_population.cache_clear()


def test_the_first_run_says_the_reference_population_is_being_made(
    small_reference: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not reference.reference_cached()
    assert main(["population", "info"]) == 0
    first = capsys.readouterr()
    assert MESSAGE in first.err
    assert "once, about half a minute" in first.err
    assert str(tmp_path / "cache" / "population") in first.err
    assert MESSAGE not in first.out  # standard output holds only the report
    assert small_reference == [reference.REFERENCE_SIZE]
    assert reference.reference_cached()

    # the next process opens the cache: no message, nothing made
    reference.reference_population.cache_clear()
    assert main(["population", "info", "--format", "json"]) == 0
    again = capsys.readouterr()
    assert again.err == ""
    assert small_reference == [reference.REFERENCE_SIZE]


def test_a_cache_that_cannot_be_written_is_not_said_to_be_used(
    small_reference: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A cache folder under a file cannot hold the population: the message says so, and
    how to mend it, instead of naming that folder as where it is cached."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "a-file" / "cache"))
    assert not reference.reference_cacheable()
    for _ in range(2):  # made each time: nothing could be kept
        assert main(["population", "info"]) == 0
        err = capsys.readouterr().err
        assert MESSAGE in err and "it is cached in" not in err and "once" not in err
        assert "it cannot be cached" in err and "set KZREHAB_CACHE" in err
        reference.reference_population.cache_clear()
    assert small_reference == [reference.REFERENCE_SIZE] * 2


def test_the_message_comes_with_an_evaluating_command(
    small_reference: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    law = tmp_path / "law.toml"
    law.write_text(LAW, encoding="utf-8")
    assert main(["coverage", str(law), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert MESSAGE in captured.err
    assert captured.out.lstrip().startswith("{")


def test_a_terminal_gets_the_progress_bar(
    small_reference: list[int], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import kzrehab._progress

    monkeypatch.setattr(kzrehab._progress, "_isatty", lambda stream: True)
    assert main(["population", "info"]) == 0
    err = capsys.readouterr().err
    assert err.index(MESSAGE) < err.index("synthetic claims made")
    assert "/200,000 synthetic claims made" in err


def test_the_library_prints_nothing(
    small_reference: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    made: list[int] = []
    population = reference.reference_population(progress=made.append)
    assert len(population) == 300
    assert made and made[-1] == 300  # the progress callback reached the builder
    assert capsys.readouterr() == ("", "")


def test_no_git_program_is_a_clear_error(
    small_reference: list[int], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    with pytest.raises(GitError, match="apt install git"):
        GitStore(".")
    # checked before the population is loaded (which may take half a minute to make)
    for argv in (["log", "drafts/current"], ["status", "drafts"],
                 ["diff", "law.toml", "--from", "HEAD"],
                 ["coverage", "HEAD:drafts/current.toml"],
                 ["compare", "--base", "HEAD:a.toml", "--with", "b.toml"]):  # fmt: skip
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("kzrehab: error: kzrehab needs the git program"), argv
        assert "xcode-select --install" in err and "git-scm.com/download/win" in err
        assert "Traceback" not in err
        assert "making the synthetic reference population" not in err


