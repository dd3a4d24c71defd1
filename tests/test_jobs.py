"""All cores, identical results (issue 15, item 5), and progress on a terminal (issue 16,
item 5).

- ``--jobs N`` evaluates chunks, attribution's variants and the versions of a ``log`` in
  worker processes; the output is the same, byte for byte, as with ``--jobs 1``. The
  populations here are small stores cut into several chunks (``MIN_CHUNK`` is lowered).
- Errors raised in a worker are raised as with one process; a worker that dies is a clear
  error; the workers also start by ``spawn`` (every task pickles).
- Every long step draws a bar on standard error when it is a terminal, and nothing
  otherwise; standard output is the same either way.
- The chunk function runs under Dask (the example of docs/benchmarks.rst), when Dask is
  installed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import kzrehab
import kzrehab._progress
import kzrehab.chunks as chunks
import kzrehab.evaluation as evaluation
from kzrehab import _pool
from kzrehab.cli import main
from kzrehab.errors import EvaluationError, KzrehabError, UsageError
from kzrehab.laws.framework import load_framework
from kzrehab.population import Population, load_population, synthesize
from kzrehab.tracker.git import load_refs

from .test_cli_errors import LAW
from .test_history import repo  # noqa: F401  (a fixture: the toy law's history)

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)
CURRENT = str(ROOT / "drafts" / "current")
BILLS = str(ROOT / "drafts" / "bills")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A columnar store of 900 synthetic claims."""
    path = tmp_path_factory.mktemp("jobs") / "synthetic.kzstore"
    synthesize(900, 7).save(path)
    return path


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Chunks of a few hundred claims (three for three jobs), and a cache of the test's."""
    monkeypatch.setattr(chunks, "MIN_CHUNK", 1)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(_pool.JOBS_VARIABLE, raising=False)


def pop_of(store: Path) -> Population:
    return load_population(store)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def same_arrays(a: Any, b: Any) -> None:
    np.testing.assert_array_equal(a.status, b.status)
    for group in ("grounds", "exclusions", "categories", "components", "amount_lo",
                  "amount_hi"):  # fmt: skip
        left, right = getattr(a, group), getattr(b, group)
        assert list(left) == list(right)
        for k in left:
            np.testing.assert_array_equal(left[k], right[k])


# -- the library ----------------------------------------------------------------------------------


def test_chunks_are_small_and_cover_the_population(store: Path) -> None:
    fw, pop = load_framework([CURRENT]), pop_of(store)
    todo = chunks.chunks(fw, pop, AS_OF, jobs=3)
    assert [(c.first, c.stop) for c in todo] == [(0, 300), (300, 600), (600, 900)]
    assert all(c.population == str(store) and c.digest == pop.digest for c in todo)
    assert [(c.first, c.stop) for c in chunks.chunks(fw, pop, AS_OF, size=400)] == [
        (0, 400), (400, 800), (800, 900)]  # fmt: skip
    with pytest.raises(ValueError, match="stored population"):
        chunks.chunks(fw, kzrehab.load_population(ROOT / "tests/data/sample.jsonl"), AS_OF)


def test_evaluate_and_summarize_on_several_processes(store: Path) -> None:
    fw, pop = load_framework([CURRENT, BILLS]), pop_of(store)
    one = evaluation.evaluate(fw, pop, AS_OF)
    done: list[int] = []
    many = evaluation.evaluate(fw, pop, AS_OF, jobs=3, chunk=250, progress=done.append)
    assert done == [250, 500, 750, 900]
    same_arrays(one, many)
    assert evaluation.summarize(fw, pop, AS_OF, jobs=3).tally == one.tally
    assert evaluation.summarize(fw, pop, AS_OF, jobs=2, chunk=100).tally == one.tally


def test_the_library_runs_in_process_unless_asked(store: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(workers: int) -> None:
        raise AssertionError("a pool was made")

    monkeypatch.setattr(_pool, "_pool", no_pool)
    fw, pop = load_framework([CURRENT]), pop_of(store)
    evaluation.evaluate(fw, pop, AS_OF)
    evaluation.summarize(fw, pop, AS_OF)
    kzrehab.compare(fw, load_framework([CURRENT, BILLS]), pop, AS_OF)
    # an in-memory population is evaluated here whatever jobs says
    sample = kzrehab.load_population(ROOT / "tests/data/sample.jsonl")
    evaluation.evaluate(fw, sample, AS_OF, jobs=4)


def test_evaluate_many_keeps_each_frameworks_error(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(LAW.replace('amount = "10 * MCI"',
                               'amount = "(1900 - victim_birth_year) * MCI"'))  # fmt: skip
    good, wrong, pop = load_framework([CURRENT]), load_framework([bad]), pop_of(store)
    with pytest.raises(EvaluationError) as single:
        evaluation.evaluate(wrong, pop, AS_OF)
    with pytest.raises(EvaluationError) as pooled:
        evaluation.evaluate(wrong, pop, AS_OF, jobs=3)
    assert str(pooled.value) == str(single.value)  # the same claim: the first, in order
    for jobs in (1, 3):
        got = evaluation.evaluate_many([good, wrong, good], pop, AS_OF, jobs=jobs)
        assert isinstance(got[1], EvaluationError) and str(got[1]) == str(single.value)
        same_arrays(got[0], evaluation.evaluate(good, pop, AS_OF))
        same_arrays(got[2], got[0])


def test_compare_on_several_processes(store: Path) -> None:
    base = kzrehab.Framework(load_refs([CURRENT]))
    head = kzrehab.Framework(load_refs([CURRENT, BILLS]))
    pop = pop_of(store)
    one = kzrehab.compare(base, head, pop, AS_OF)
    three = kzrehab.compare(base, head, pop, AS_OF, jobs=3)
    assert three.attribution == one.attribution and len(one.attribution) > 3
    same_arrays(three.head, one.head)


def _exit(code: int) -> int:
    os._exit(code)


def test_a_worker_that_dies_is_a_clear_error() -> None:
    with pytest.raises(KzrehabError, match=r"worker process stopped.*--jobs 1"):
        list(_pool.ordered_map(_exit, [3, 3], 2))
    assert list(_pool.ordered_map(abs, [-1, -2, 3], 2)) == [1, 2, 3]  # a new pool


def test_workers_may_be_spawned(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pool.shutdown()
    monkeypatch.setattr(_pool, "START_METHOD", "spawn")
    try:
        fw, pop = load_framework([CURRENT]), pop_of(store)
        spawned = evaluation.evaluate(fw, pop, AS_OF, jobs=2)
        same_arrays(spawned, evaluation.evaluate(fw, pop, AS_OF))
    finally:
        _pool.shutdown()


@pytest.mark.skipif(_pool.START_METHOD != "fork", reason="workers are forked on Linux only")
def test_forked_workers_find_the_population_open(store: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from kzrehab.population.stored import StoredPopulation

    fw, pop = load_framework([CURRENT]), pop_of(store)
    expected = evaluation.evaluate(fw, pop, AS_OF)
    _pool.shutdown()  # the next pool is forked after the population is handed over

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker opened the store again")

    monkeypatch.setattr(StoredPopulation, "open", no_open)
    try:
        same_arrays(evaluation.evaluate(fw, pop, AS_OF, jobs=2), expected)
    finally:
        _pool.shutdown()


def test_default_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _pool.default_jobs() == _pool.usable_cores() >= 1
    monkeypatch.setenv(_pool.JOBS_VARIABLE, "3")
    assert _pool.default_jobs() == 3
    for bad in ("0", "two", "-1", "9" * 40):
        monkeypatch.setenv(_pool.JOBS_VARIABLE, bad)
        with pytest.raises(UsageError, match="KZREHAB_JOBS"):
            _pool.default_jobs()
    with pytest.raises(ValueError):
        list(_pool.ordered_map(abs, [1], 0))


def test_a_bad_jobs_value_is_exit_2(store: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["coverage", CURRENT, "--population", str(store), "--jobs", "0"]) == 2
    assert "is not a whole number of at least 1" in capsys.readouterr().err
    monkeypatch.setenv(_pool.JOBS_VARIABLE, "lots")
    assert main(["coverage", CURRENT, "--population", str(store)]) == 2
    err = capsys.readouterr().err
    assert "KZREHAB_JOBS='lots' is not a number of processes" in err and "Traceback" not in err


# -- the command line: byte for byte --------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--claims"], ["--format", "md"]])
def test_coverage_is_the_same_on_any_number_of_processes(
    store: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    argv = ["coverage", CURRENT, BILLS, "--population", str(store), "--as-of", "2025-06-01",
            "--format", "json", *extra]  # fmt: skip
    one, _ = cli(capsys, *argv, "--jobs", "1")
    assert cli(capsys, *argv, "--jobs", "3")[0] == one
    assert cli(capsys, *argv)[0] == one  # the default: every core


@pytest.mark.parametrize("by", ["status", "component"])
def test_gaps_are_the_same_on_any_number_of_processes(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, by: str
) -> None:
    import kzrehab.narrowing

    monkeypatch.setattr(kzrehab.narrowing, "BATCH", 60)  # many batches of narrowed claims
    argv = ["gaps", CURRENT, BILLS, "--population", str(store), "--as-of", "2025-06-01",
            "--format", "json", "--by", by]  # fmt: skip
    one, _ = cli(capsys, *argv, "--jobs", "1")
    assert any(group["facts"] for group in json.loads(one)["groups"])
    assert cli(capsys, *argv, "--jobs", "3")[0] == one


@pytest.mark.parametrize("command", [["compare", "--base", CURRENT, "--with", BILLS],
                                     ["compare", "--base", CURRENT, "--with", BILLS, "--gaps"]])
def test_compare_is_the_same_on_any_number_of_processes(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, command: list[str],
) -> None:
    argv = [*command, "--population", str(store), "--as-of", "2025-06-01", "--format", "json"]
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "one"))
    one, _ = cli(capsys, *argv, "--jobs", "1")
    assert json.loads(one)["attribution"]
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "three"))  # cold again
    assert cli(capsys, *argv, "--jobs", "3")[0] == one
    assert cli(capsys, *argv, "--jobs", "3")[0] == one  # warm


@pytest.mark.usefixtures("repo")
@pytest.mark.parametrize("command", [["log", "drafts/bills/toy.toml"],
                                     ["log", "drafts/bills", "--base", "drafts/current"],
                                     ["status", "drafts"]])
def test_log_and_status_are_the_same_on_any_number_of_processes(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, command: list[str],
) -> None:
    argv = [*command, "--population", str(store), "--as-of", "2025-06-01", "--format", "json"]
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "one"))
    one, _ = cli(capsys, *argv, "--jobs", "1")
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "three"))
    assert cli(capsys, *argv, "--jobs", "3")[0] == one  # cold: parsed and evaluated at once
    assert cli(capsys, *argv, "--jobs", "3")[0] == one  # warm: records only
    assert cli(capsys, *argv, "--jobs", "1")[0] == one


@pytest.mark.usefixtures("repo")
def test_log_from_python_on_several_processes(store: Path, tmp_path: Path) -> None:
    from kzrehab.tracker.cache import CoverageCache

    pop = pop_of(store)
    one = kzrehab.log(["drafts/bills"], base=["drafts/current"], population=pop, as_of=AS_OF,
                      cache=CoverageCache(tmp_path / "one"))  # fmt: skip
    versions: list[tuple[int, int]] = []
    cache = CoverageCache(tmp_path / "three", arrays=False)
    three = kzrehab.log(["drafts/bills"], base=["drafts/current"], population=pop,
                        as_of=AS_OF, cache=cache, jobs=3,
                        evaluating=lambda d, t: versions.append((d, t)))  # fmt: skip
    assert three == one
    n = len(chunks.chunk_bounds(len(pop), 1_000_000, 4 * 3))
    assert n > 3 and versions[0] == (0, n) and versions[-1] == (n, n)


# -- progress on a terminal -----------------------------------------------------------------------


@pytest.mark.usefixtures("repo")
@pytest.mark.parametrize("command, bars", [
    (["coverage", CURRENT], ["claims evaluated"]),
    (["coverage", CURRENT, "--claims"], ["claims evaluated"]),
    (["compare", "--base", CURRENT, "--with", BILLS],
     ["laws evaluated", "provisions measured (attribution)"]),
    (["log", "drafts/bills", "--base", "drafts/current"],
     ["population chunks measured (every version)", "commits evaluated"]),
    (["status", "drafts"], ["laws evaluated"]),
])  # fmt: skip
def test_progress_goes_to_a_terminal_only(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, command: list[str], bars: list[str],
) -> None:
    argv = [*command, "--population", str(store), "--as-of", "2025-06-01", "--jobs", "3"]
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "plain"))
    plain_out, plain_err = cli(capsys, *argv)
    assert plain_err == ""  # standard error is no terminal: nothing drawn

    monkeypatch.setattr(kzrehab._progress, "_isatty", lambda stream: True)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "terminal"))
    out, err = cli(capsys, *argv)
    assert out == plain_out  # standard output is the same
    for bar in bars:
        assert re.search(rf"\] [\d,]+/[\d,]+ {re.escape(bar)}", err), (bar, err)
    assert err.endswith("\r")  # every bar erased

    # a JSON report on standard output: no bar, even on a terminal
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "json"))
    assert cli(capsys, *argv, "--format", "json")[1] == ""


# -- Dask -----------------------------------------------------------------------------------------


def test_the_dask_example(store: Path) -> None:
    """The example of docs/benchmarks.rst, "Beyond one machine", run as it is written
    (on this store) and checked against :func:`kzrehab.summarize`."""
    pytest.importorskip("dask")
    page = (ROOT / "docs" / "benchmarks.rst").read_text(encoding="utf-8")
    block = page.split(".. dask-example-start", 1)[1].split(".. dask-example-end", 1)[0]
    code = "\n".join(line[3:] for line in block.splitlines() if line.startswith("   "))
    assert "dask.delayed(evaluate_chunk)" in code
    code = code.replace('"registry.kzstore"', repr(str(store)))
    code = code.replace('"drafts/current"', repr(CURRENT))
    scope: dict[str, Any] = {}
    exec(compile(code, "docs/benchmarks.rst", "exec"), scope)
    fw, pop = load_framework([CURRENT]), pop_of(store)
    assert scope["summary"].tally == kzrehab.summarize(fw, pop, AS_OF).tally
    assert len(scope["todo"]) > 1


def test_the_versions_of_a_law_share_their_parsed_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """A log parses each rule's text once (the trees hold no position); an expression that
    does not parse is an error every time, and a limit is never bypassed."""
    from kzrehab.laws.loader import load_law_text

    first = load_law_text(LAW, "a.toml")
    second = load_law_text("# moved down a line\n" + LAW.replace("A test law", "Reworded"),
                           "b.toml")  # fmt: skip
    (g1,), (g2,) = first.grounds, second.grounds
    assert g1.when.node is g2.when.node
    assert (g1.when.origin.line or 0) + 1 == g2.when.origin.line  # positions stay their own
    broken = LAW.replace('when = "exists(exiled)"', 'when = "exists(exiled"')
    for _ in range(2):
        with pytest.raises(KzrehabError, match=r"b\.toml"):
            load_law_text(broken, "b.toml")
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_LENGTH", "5")  # parsed before, refused now
    with pytest.raises(KzrehabError, match="expression"):
        load_law_text(LAW, "a.toml")
