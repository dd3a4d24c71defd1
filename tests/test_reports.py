"""Reports: one object per command, four renderings of the same figures, small-cell
suppression for publication, and progress bars only on a terminal."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from kzrehab._progress import Progress
from kzrehab.cli import main
from kzrehab.reports import FORMATS, Report
from kzrehab.reports.data import (
    ComponentTotal,
    CoverageData,
    CoverageFigures,
    MoneyMoves,
    PeriodMoney,
    PeriodTotal,
    PopulationInfo,
    Range,
    StatusCounts,
    coverage_data,
    coverage_json,
)
from kzrehab.reports.data.common import PopulationInfo as HistoryPopulation
from kzrehab.reports.history import (
    CommitRecord,
    CommitRow,
    LawAdds,
    LogDocument,
    StatusChange,
)
from kzrehab.reports.history import StatusCounts as HistoryCounts
from kzrehab.reports.privacy import suppress

from .test_gitstore import commit, make_repo, toy
from .test_tracker_cli import BASE, POPULATION, run


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A law in force and three commits of a toy bill: v1, v2 (a ground added), v3
    (renumbered and reworded)."""
    root = make_repo(tmp_path / "repo")
    commit(root, {"drafts/current/base.toml": BASE, "drafts/bills/toy.toml": toy()}, "toy v1")
    commit(root, {"drafts/bills/toy.toml": toy(version="v2", deportation=True)}, "toy v2")
    commit(root, {"drafts/bills/toy.toml": toy(version="v3", deportation=True, renumber=True,
                                               reword=True)}, "toy v3")  # fmt: skip
    monkeypatch.chdir(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    return root


COMMANDS = {
    "coverage": ["coverage", "drafts/bills/toy.toml"],
    "diff": ["diff", "drafts/bills/toy.toml", "--from", "HEAD~2"],
    "compare": ["compare", "--base", "drafts/current", "--with", "drafts/bills/toy.toml"],
    "log": ["log", "drafts/bills/toy.toml"],
    "status": ["status", "drafts"],
}  # fmt: skip


#: the keys of the JSON documents whose integers count claims (or changes of such counts)
COUNT_KEYS = frozenset({"eligible", "undetermined", "ineligible", "claims", "gained", "lost",
                        "applies", "holds", "unbounded", "paying", "higher", "lower",
                        "uncertain", "gained_overall", "lost_overall", "unsettled",
                        "received", "withheld", "always"})  # fmt: skip


def _counts(doc: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value under a count key, outside the population object."""
    out: list[tuple[str, Any]] = []
    if isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _counts(v, f"{path}[{i}]")
    elif isinstance(doc, dict):
        for k, v in doc.items():
            if k == "population":
                continue
            if k in COUNT_KEYS and (v is None or type(v) is int):
                out.append((f"{path}.{k}", v))
            else:
                out += _counts(v, f"{path}.{k}")
    return out


# -- suppression, unit ----------------------------------------------------------------------------


def _component(name: str, claims: int | None, paying: int | None, amount: float | None,
               period: str | None = "once", undetermined: int = 0) -> ComponentTotal:  # fmt: skip
    return ComponentTotal(name, "compensation", period, claims, undetermined, paying,
                          None if amount is None else Range(amount, amount))


def _figures(status: StatusCounts, rows: tuple[ComponentTotal, ...] = (),
             periods: tuple[PeriodTotal, ...] = ()) -> CoverageFigures:  # fmt: skip
    return CoverageFigures(dt.date(2025, 6, 1), (), status, (), rows, periods, (), (), ())


def test_counts_below_k_become_null_and_a_zero_only_by_complement() -> None:
    figures = _figures(StatusCounts(eligible=2, ineligible=40, undetermined=0),
                       (_component("a", 3, None, None, None, undetermined=12),))
    out = suppress(figures, 5)
    # eligible 2 is blank; the zero would give it back (42 - 40), so it goes with it
    assert out.status == StatusCounts(eligible=None, ineligible=40, undetermined=None)
    assert out.by_component == (_component("a", None, None, None, None, undetermined=12),)
    assert figures.status.eligible == 2  # the input is not changed


def test_a_document_says_it_is_suppressed_and_keeps_its_population() -> None:
    doc = CoverageData(PopulationInfo("p", 3, 3, 3),
                       _figures(StatusCounts(eligible=2, ineligible=0, undetermined=1)))
    out = suppress(doc, 5)
    assert out.population == doc.population  # the population's size is kept
    assert out.suppressed_below == 5 and doc.suppressed_below is None
    assert coverage_json(out)["suppressed_below"] == 5
    assert list(coverage_json(out))[-1] == "suppressed_below"
    assert "suppressed_below" not in coverage_json(doc)


def test_one_blank_status_cell_takes_the_smallest_other_with_it() -> None:
    out = suppress(StatusCounts(eligible=3, undetermined=50, ineligible=900), 10)
    assert out == StatusCounts(eligible=None, undetermined=None, ineligible=900)
    # equal others: the first in the order eligible, undetermined, ineligible goes
    out = suppress(StatusCounts(eligible=50, undetermined=3, ineligible=50), 10)
    assert out == StatusCounts(eligible=None, undetermined=None, ineligible=50)


def _log(*rows: tuple[tuple[int, int, int], tuple[int, int, int]]) -> LogDocument:
    """A log of rows (newest first), each (status, change) as (eligible, undetermined,
    ineligible)."""
    def row(i: int, status: tuple[int, int, int], change: tuple[int, int, int]) -> CommitRow:
        e, u, n = status
        de, du, dn = change
        return CommitRow(CommitRecord(f"{i:040d}", dt.datetime(2025, 1, 1), "A", "m"), {}, (),
                         HistoryCounts(eligible=e, undetermined=u, ineligible=n),
                         StatusChange(eligible=de, undetermined=du, ineligible=dn), None, None)
    return LogDocument(dt.date(2025, 6, 1), HistoryPopulation("p", 1000, 1000, 1000), ("d",),
                       None, tuple(row(i, *r) for i, r in enumerate(rows)))


def _cells(c: Any) -> tuple[object, object, object]:
    return (c.eligible, c.undetermined, c.ineligible)


def test_changes_are_blanked_by_magnitude_and_by_their_operands() -> None:
    newer = ((100, 4, 300), (50, -30, -20))
    older = ((50, 34, 320), (50, 34, 3))
    out = suppress(_log(newer, older), 10).commits
    # undetermined 4 is blank, so the smaller other cell (eligible 100) goes with it
    assert _cells(out[0].status) == (None, None, 300)
    # a change is blank where its own row's count is blank ...
    assert _cells(out[0].change) == (None, None, -20)
    # ... and by its magnitude
    assert _cells(out[1].change) == (50, 34, None)
    # an older row's blank count blanks the newer row's change computed from it
    out = suppress(_log(older, ((5, 500, 500), (5, 500, 500))), 10).commits
    assert out[0].change is not None and out[0].status is not None
    assert out[0].change.eligible is None and out[0].status.eligible == 50


def test_changes_are_not_completed_like_a_status_breakdown() -> None:
    adds = suppress(LawAdds(gained=12, lost=0, eligible=12, undetermined=0), 5)
    # a zero is published: no claim lost anything (a statement about every claim alike)
    assert adds == LawAdds(gained=12, lost=0, eligible=12, undetermined=0)


def test_zero_is_published_and_amounts_need_k_contributors() -> None:
    # 50 recipients, but only one paid a non-zero amount: the total is one person's
    a = _component("a", 50, 1, 1917.0)
    b = _component("b", 50, 0, 0.0)
    out = suppress((a, b), 10)
    assert out[0].amount is None and out[0].paying is None and out[0].claims == 50
    assert out[1].amount == Range(0.0, 0.0) and out[1].paying == 0
    # a change of money is blanked when fewer than K claims' money moves
    once = PeriodMoney("once", 1, 0, 0, Range(5.0, 5.0))
    month = PeriodMoney("month", 0, 0, 0, Range(0.0, 0.0))
    assert suppress((once, month), 10) == (PeriodMoney("once", None, 0, 0, None), month)
    # ... by the claims whose money moves, however they split: 5 + 3 + 4 is 12 claims
    split = PeriodMoney("once", 5, 3, 4, Range(-1.0, 9.0))
    assert suppress(split, 10) == PeriodMoney("once", None, None, None, Range(-1.0, 9.0))
    assert suppress(MoneyMoves(0, 3, 0), 10) == MoneyMoves(0, None, 0)


# -- suppression, through the commands ----------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_suppressed_json_has_no_count_below_k(
    name: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *COMMANDS[name], "--format", "json", "--suppress-below", "2")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["suppressed_below"] == 2
    counts = _counts(doc)
    assert counts, "the report has counts"
    assert all(v is None or v == 0 or abs(v) >= 2 for _, v in counts), counts
    assert any(v is None for _, v in counts), "the toy population has cells below 2"


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_format_says_it_is_suppressed(
    name: str, fmt: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *COMMANDS[name], "--format", fmt, "--suppress-below", "3")
    assert code == 0, err
    assert re.search(r"fewer\s+than\s+3\s+claims", out), out[:2000]


def test_text_blanks_the_cells_json_nulls(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [*COMMANDS["coverage"], "--suppress-below", "3"]
    doc = json.loads(run(capsys, *args, "--format", "json")[1])
    text = run(capsys, *args, "--format", "text")[1]
    status = doc["status"]
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()
            if line.split()[:1] and line.split()[0] in status}  # fmt: skip
    for s, n in status.items():
        assert (rows[s] == []) if n is None else (rows[s][0] == f"{n:,}"), (s, rows[s])


@pytest.mark.parametrize("name", list(COMMANDS))
def test_only_suppressed_cells_are_blank(
    name: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A blank cell means "suppressed" (HTML hatches it and says so): a cell that has
    nothing to show for another reason shows "—"."""
    code, out, err = run(capsys, *COMMANDS[name], "--format", "html")
    assert code == 0, err
    assert 'class="suppressed"' not in out and 'class="num suppressed"' not in out
    code, out, err = run(capsys, *COMMANDS[name], "--format", "html", "--suppress-below", "3")
    assert "suppressed" in out


def test_claims_cannot_be_published(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *COMMANDS["coverage"], "--claims", "--suppress-below", "5")
    assert code == 2
    assert "--claims" in err and "--suppress-below" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_bad_thresholds_exit_2(value: str, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *COMMANDS["coverage"], "--suppress-below", value)
    assert code == 2 and "--suppress-below" in err and "Traceback" not in err


# -- one report, four formats ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_all_formats_show_the_same_status_counts(
    name: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outs = {fmt: run(capsys, *COMMANDS[name], "--format", fmt)[1] for fmt in FORMATS}
    doc = json.loads(outs["json"])
    numbers = [v for _, v in _counts(doc) if v not in (None, 0)]
    assert numbers
    for fmt in ("text", "md", "html"):
        for n in numbers:
            assert re.search(rf"(?<![\d,]){n:,}(?![\d,])", outs[fmt]) or \
                re.search(rf"(?<![\d,])\+{n:,}(?![\d,])", outs[fmt]), (fmt, n)


def test_no_personal_fact_without_claims(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = [json.loads(line)["id"] for line in Path(POPULATION).read_text().splitlines()]
    for name, args in COMMANDS.items():
        for fmt in FORMATS:
            out = run(capsys, *args, "--format", fmt)[1]
            assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", out)], (name, fmt)
    out = run(capsys, *COMMANDS["coverage"], "--claims")[1]
    assert all(i in out for i in ids)


def test_markdown_is_pasteable(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, *COMMANDS["diff"], "--format", "md")[1]
    assert out.startswith("# Diff of drafts/bills/toy.toml")
    assert "| status | base | head | change |" in out
    assert "|---|---:|---:|---:|" in out
    assert "~~sent into exile~~ **exiled by the authorities**" in out  # the redline


def test_every_evaluating_command_offers_every_format() -> None:
    from kzrehab.commands import _common

    assert _common.FORMATS == FORMATS  # spelt out twice, so that --help stays light


def test_report_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        Report("nonsense", "t", {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a gaps report carries GapsData, not dict"):
        Report("gaps", "t", {"as_of": "2020-01-01", "by": "status"})  # type: ignore[arg-type]


# -- progress -----------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_and_erases_itself() -> None:
    term = Terminal()
    with Progress(4, "things", stream=term) as bar:
        for i in range(1, 5):
            bar.update(i)
    text = term.getvalue()
    assert "4/4 things" in text and "[########################]" in text
    assert text.endswith("\r")  # erased


def test_progress_is_silent_in_a_pipe_or_when_disabled() -> None:
    pipe = io.StringIO()
    with Progress(4, "things", stream=pipe) as bar:
        bar.update(4)
    assert pipe.getvalue() == ""
    term = Terminal()
    with Progress(4, "things", stream=term, enabled=False) as bar:
        bar.update(4)
    assert term.getvalue() == ""


def test_synth_draws_nothing_in_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["population", "synth", "--size", "300", "--seed", "2",
                 "-o", str(tmp_path / "p.npz")]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert err == "" and "\r" not in out


def test_synth_draws_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    term = Terminal()
    monkeypatch.setattr("sys.stderr", term)
    assert main(["population", "synth", "--size", "300", "--seed", "2",
                 "-o", str(tmp_path / "p.npz")]) == 0  # fmt: skip
    assert "300/300 synthetic claims made" in term.getvalue()


def test_log_draws_on_a_terminal_but_not_in_json_mode(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    term = Terminal()
    monkeypatch.setattr("sys.stderr", term)
    run(capsys, "log", "drafts/bills/toy.toml")
    assert "commits evaluated" in term.getvalue()
    term.seek(0)
    term.truncate()
    run(capsys, "log", "drafts/bills/toy.toml", "--format", "json")
    assert term.getvalue() == ""


def test_coverage_draws_one_step_per_chunk_on_a_terminal(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    term = Terminal()
    monkeypatch.setattr("sys.stderr", term)
    monkeypatch.setattr("kzrehab.commands.core.CHUNK", 3)
    monkeypatch.setattr("kzrehab._progress.Progress.update", _unthrottled)
    run(capsys, *COMMANDS["coverage"])
    steps = re.findall(r"(\d+)/8 claims evaluated", term.getvalue())
    assert steps == ["3", "6", "8"]
    term.seek(0)
    term.truncate()
    run(capsys, *COMMANDS["coverage"], "--format", "json")
    assert term.getvalue() == ""


def _unthrottled(self: Progress, count: int) -> None:
    """``Progress.update`` without its ten-a-second limit, so every step is seen."""
    self._drawn = -1.0
    Progress.__dict__["_draw"](self, count)


def test_a_period_total_never_gives_a_blank_component_back() -> None:
    rows = (_component("a", 50, 3, 30.0), _component("b", 50, 12, 40.0),
            _component("c", 50, 50, 500.0, "month"), _component("d", 50, 0, 0.0))
    periods = (PeriodTotal("once", Range(70.0, 70.0)), PeriodTotal("month", Range(500.0, 500.0)))
    status = StatusCounts(eligible=50, ineligible=50, undetermined=50)
    out = suppress(_figures(status, rows, periods), 10)
    # a is blank; the once total minus b would give it back: b (the smallest other that
    # anyone contributes to; d is an exact zero) goes with it, and the budget line stays
    assert [r.amount for r in out.by_component] == [
        None, None, Range(500.0, 500.0), Range(0.0, 0.0)]
    assert out.by_period == periods
    # a period with no other component to blank loses its total instead
    alone = suppress(_figures(status, rows[:1], periods[:1]), 10)
    assert alone.by_period == (PeriodTotal("once", None),)


# -- drafts that try to single out one claim ---------------------------------------------------

_SPY = """
[law]
id = "spy"
title = "A draft written to read one person's facts"
kind = "proposal"
status = "draft"

[[article]]
number = "1"
text = "Exiles are victims."

  [[article.ground]]
  id = "exile"
  category = "victim"
  when = "exists(events[measure == 'exile'])"

  [[article.ground]]
  id = "exile-but-one"
  category = "victim"
  when = "exists(events[measure == 'exile']) and not (claimant_birth_year == 1950)"

  [[article.component]]
  id = "probe"
  kind = "compensation"
  recipients = ["victim"]
  amount = "count(events[claim.claimant_birth_year == 1950]) * victim_birth_year"
  period = "once"
"""


def _spied() -> Report:
    from kzrehab.claims import Claim, Event
    from kzrehab.dates import parse_date
    from kzrehab.evaluation import evaluate
    from kzrehab.laws.framework import Framework
    from kzrehab.laws.loader import load_law_text
    from kzrehab.population import InMemoryPopulation

    exile = (Event(measure="exile", start=parse_date("1931")),)
    people = [Claim(f"p{i}", claimant="victim", claimant_birth_year=1960 + i % 20,
                    victim_birth_year=1900 + i % 30, events=exile) for i in range(50)]
    people[7] = Claim("p7", claimant="victim", claimant_birth_year=1950,
                      victim_birth_year=1917, events=exile)  # the one the draft is after
    cov = evaluate(Framework([load_law_text(_SPY, "spy.toml")]),
                   InMemoryPopulation("p", tuple(people)), dt.date(2025, 6, 1))
    return Report("coverage", "spy", coverage_data(cov)).suppressed(10)


def test_an_amount_that_one_claim_alone_makes_is_blank() -> None:
    report = _spied()
    data = report.json_data()
    probe = next(r for r in data["by_component"] if r["component"] == "spy:probe")
    # 50 claims receive the component, one of them a non-zero amount: their birth year
    assert probe["claims"] == 50 and probe["paying"] is None and probe["amount"] is None
    assert data["by_period"] == [{"period": "once", "amount": None}]  # nothing else to blank
    for fmt in ("text", "md", "html", "json"):
        assert "1,917" not in report.render(fmt)
        assert "1917" not in report.render(fmt)


def test_two_grounds_that_differ_by_one_claim_are_a_documented_limit() -> None:
    """Cell suppression does not see differences between two published counts: two grounds
    over the same claims, 50 against 49, tell whether one person has a fact. The limit is
    stated in docs/reports.rst; identifying fields cannot be used to aim it at a name."""
    grounds = {r["ground"]: r["applies"] for r in _spied().json_data()["by_ground"]}
    assert grounds == {"spy:exile": 50, "spy:exile-but-one": 49}  # both published
    docs = (Path(__file__).resolve().parent.parent / "docs" / "reports.rst").read_text("utf-8")
    assert "two grounds whose conditions differ by one test" in docs


def _ints(doc: Any, path: str = "") -> list[tuple[str, int]]:
    """Every integer of a document outside the population object, whatever its key."""
    out: list[tuple[str, int]] = []
    if isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _ints(v, f"{path}[{i}]")
    elif isinstance(doc, dict):
        for k, v in doc.items():
            if k in ("population", "suppressed_below"):
                continue
            if type(v) is int:
                out.append((f"{path}.{k}", v))
            else:
                out += _ints(v, f"{path}.{k}")
    return out


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_integer_below_k_escapes_suppression_whatever_its_key(
    name: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every integer a report publishes counts claims: a count added under a new key must
    be suppressed too (it was not: gained_overall and lost_overall leaked)."""
    code, out, err = run(capsys, *COMMANDS[name], "--format", "json", "--suppress-below", "3")
    assert code == 0, err
    small = [(p, v) for p, v in _ints(json.loads(out)) if 0 < abs(v) < 3]
    assert not small, small
