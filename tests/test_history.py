"""``kzrehab.log`` and ``kzrehab.status`` from Python, their typed documents, and the
suppression that walks the documents' fields by their markers.

The library's documents give the JSON the commands print (``log_json``, ``status_json``);
their suppression (``suppress_log``, ``suppress_status``: the one typed walk of
:mod:`kzrehab.reports.privacy`) blanks, byte for byte, the cells that the suppression these
documents had when it read their JSON by key blanked (kept below as the oracle).
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzrehab
from kzrehab.cli import main
from kzrehab.errors import GitError
from kzrehab.reports.data.common import PopulationInfo
from kzrehab.reports.fields import Kind, kind_of
from kzrehab.reports.history import (
    CommitRecord,
    CommitRow,
    LawAdds,
    LawRow,
    LogDocument,
    StatusChange,
    StatusCounts,
    StatusDocument,
    log_json,
    status_json,
    suppress_log,
    suppress_status,
)
from kzrehab.reports.history_views import render
from kzrehab.tracker.cache import CoverageCache

from .test_gitstore import commit, make_repo, toy
from .test_tracker_cli import BASE

POPULATION = Path(__file__).parent / "data" / "tracker.jsonl"
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The law in force, toy v1, toy v2 (+ ground), a broken toy, toy v3 (renumbered)."""
    root = make_repo(tmp_path / "repo")
    commit(root, {"drafts/current/base.toml": BASE}, "the law in force")
    commit(root, {"drafts/bills/toy.toml": toy()}, "toy v1")
    commit(root, {"drafts/bills/toy.toml": toy(version="v2", deportation=True)},
           "toy v2: deported persons")  # fmt: skip
    commit(root, {"drafts/bills/toy.toml": toy().replace("[law]", "[law", 1)}, "broken")
    commit(root, {"drafts/bills/toy.toml": toy(version="v3", deportation=True, renumber=True)},
           "toy v3: renumbered")  # fmt: skip
    monkeypatch.chdir(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    return root


@pytest.fixture
def population() -> Any:
    return kzrehab.load_population(POPULATION)


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    code = main([*args, "--population", str(POPULATION), "--as-of", AS_OF.isoformat(),
                 "--format", "json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


# -- from Python ----------------------------------------------------------------------------------


def test_log_from_python(repo: Path, population: Any) -> None:
    seen: list[tuple[int, int]] = []
    doc = kzrehab.log(["drafts/bills/toy.toml"], population=population, as_of=AS_OF,
                      progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert isinstance(doc, LogDocument)
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    v3, broken, v2, v1 = doc.commits
    assert [r.commit.message for r in doc.commits] == [
        "toy v3: renumbered", "broken", "toy v2: deported persons", "toy v1"]  # fmt: skip
    assert v1.status == StatusCounts(eligible=1, ineligible=5, undetermined=2)
    assert v1.change == StatusChange(eligible=1, ineligible=5, undetermined=2)  # no parent
    assert (v1.gained, v1.lost) == (None, None)  # measured alone: nothing before
    assert v2.status is not None and v2.status.eligible == 2
    assert (v2.gained, v2.lost, v2.changed) == (1, 0, ("toy v2",))
    assert broken.status is None and broken.versions is None
    assert broken.error is not None and "TOML syntax error" in broken.error
    # the parent could not be evaluated: no change, no gains or losses, all laws "changed"
    assert (v3.change, v3.gained, v3.lost, v3.changed) == (None, None, None, ("toy v3",))
    assert v3.versions == {"toy": "v3"}
    assert v3.commit.author == "Test Drafter" and len(v3.commit.hexsha) == 40
    assert doc.base is None and doc.laws == ("drafts/bills/toy.toml",)
    assert doc.population == PopulationInfo.of(population)


def test_log_on_a_base_and_a_given_cache(repo: Path, population: Any, tmp_path: Path) -> None:
    cache = CoverageCache(tmp_path / "mine", arrays=False)
    doc = kzrehab.log([Path("drafts/bills")], base=["drafts/current"], population=population,
                      as_of=AS_OF, max_count=2, cache=cache)  # fmt: skip
    assert doc.base == ("drafts/current",) and len(doc.commits) == 2
    assert cache.misses and list((tmp_path / "mine").rglob("*.json"))
    again = kzrehab.log("drafts/bills", base="drafts/current", population=population,
                        as_of=AS_OF, max_count=2, cache=cache)  # one path each, from records
    assert again.commits == doc.commits and again.base == doc.base


def test_status_from_python(repo: Path, population: Any) -> None:
    (repo / "drafts/bills/new.toml").write_text(
        toy(version="draft").replace('id = "toy"', 'id = "new"'), encoding="utf-8")
    doc = kzrehab.status("drafts", population=population, as_of=AS_OF)
    assert isinstance(doc, StatusDocument)
    assert doc.directory == "drafts" and doc.in_force == ("base",)
    rows = {r.id: r for r in doc.laws}
    assert [r.file for r in doc.laws] == sorted(r.file for r in doc.laws)
    assert rows["toy"].adds == LawAdds(gained=4, lost=0, eligible=2, undetermined=1)
    last = rows["toy"].last_change
    assert isinstance(last, CommitRecord) and last.message == "toy v3: renumbered"
    assert rows["toy"].uncommitted is False
    assert rows["new"].last_change is None and rows["new"].uncommitted is True
    assert rows["base"].adds is not None and rows["base"].adds.eligible == 1


def test_the_library_gives_what_the_commands_print(
    repo: Path, population: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = kzrehab.log(["drafts"], population=population, as_of=AS_OF)
    assert log_json(doc) == cli_json(capsys, "log", "drafts")
    state = kzrehab.status(population=population, as_of=AS_OF)
    assert status_json(state) == cli_json(capsys, "status")
    for k in (2, 3, 7):
        assert log_json(suppress_log(doc, k)) == cli_json(capsys, "log", "drafts",
                                                          "--suppress-below", str(k))
        assert status_json(suppress_status(state, k)) == cli_json(
            capsys, "status", "--suppress-below", str(k))


def test_results_print_readably(repo: Path, population: Any) -> None:
    doc = kzrehab.log(["drafts/bills/toy.toml"], population=population, as_of=AS_OF)
    text = repr(doc)
    newest = doc.commits[0].commit
    assert text == (f"<LogDocument of drafts/bills/toy.toml: 4 commits, newest {newest.short} "
                    f"{newest.date:%Y-%m-%d}>")  # fmt: skip
    assert repr(doc.commits[-1]).endswith(": 1 eligible, 2 undetermined, 5 ineligible>")
    assert repr(doc.commits[2]).endswith("; 1 gained, 0 lost>")
    assert "not evaluated" in repr(doc.commits[1])
    state = kzrehab.status(population=population, as_of=AS_OF)
    assert repr(state) == "<StatusDocument of drafts: 2 laws, in force: base>"
    toy_row = repr(next(r for r in state.laws if r.id == "toy"))
    assert toy_row.startswith("<LawRow toy (bill, draft, ") and toy_row.endswith(
        "): 4 gained, 0 lost>")


def test_log_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  population: Any) -> None:  # fmt: skip
    (tmp_path / "lone").mkdir()
    (tmp_path / "lone/toy.toml").write_text(toy(), encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(GitError, match="not in a git repository"):
        kzrehab.log([tmp_path / "lone/toy.toml"], population=population, as_of=AS_OF)
    doc = kzrehab.status(tmp_path / "lone", population=population, as_of=AS_OF,
                         cache=CoverageCache(disk=False))  # fmt: skip
    assert doc.laws[0].last_change is None and doc.laws[0].uncommitted is True


def test_the_library_is_exported_lazily() -> None:
    from kzrehab.tracker import history

    assert kzrehab.log is history.log and kzrehab.status is history.status
    assert {"log", "status"} <= set(kzrehab.__all__)


# -- suppression by field -------------------------------------------------------------------------


def _classes(cls: type, seen: set[type] | None = None) -> Iterator[type]:
    """``cls`` and every data class its fields hold, at any depth."""
    seen = set() if seen is None else seen
    if cls in seen:
        return
    seen.add(cls)
    yield cls
    for hint in typing.get_type_hints(cls).values():
        for arg in _flatten(hint):
            if attrs.has(arg):
                yield from _classes(arg, seen)


def _flatten(hint: Any) -> Iterator[Any]:
    yield hint
    for arg in typing.get_args(hint):
        yield from _flatten(arg)


DOCUMENTS = (LogDocument, StatusDocument)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda c: c.__name__)
def test_every_number_is_declared_with_its_kind(document: type) -> None:
    """A number field without a marker would be published unsuppressed: each is marked."""
    for cls in _classes(document):
        hints = typing.get_type_hints(cls)
        for f in attrs.fields(cls):
            if int in set(_flatten(hints[f.name])):
                assert kind_of(f) is not None, (
                    f"{cls.__name__}.{f.name} is a number declared without count(), "
                    "money() or figure()")


def _filled(cls: type, value: int) -> Any:
    """An instance of ``cls`` with every number ``value`` (and every row present)."""
    hints = typing.get_type_hints(cls)
    args: dict[str, Any] = {}
    for f in attrs.fields(cls):
        kinds = [a for a in _flatten(hints[f.name]) if attrs.has(a)]
        if int in set(_flatten(hints[f.name])):
            args[f.name] = value
        elif kinds:
            made = _filled(kinds[0], value)
            tuple_ = typing.get_origin(hints[f.name]) is tuple or any(
                typing.get_origin(a) is tuple for a in typing.get_args(hints[f.name]))
            args[f.name] = (made, made) if tuple_ else made
        elif f.default is not attrs.NOTHING:
            continue
        else:
            args[f.name] = {
                str: "x", bool: False, dt.date: AS_OF,
                dt.datetime: dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            }.get(hints[f.name])
    return cls(**args)


def _counts(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, tuple):
        for v in value:
            yield from _counts(v)
    elif attrs.has(type(value)):
        for f in attrs.fields(type(value)):
            v = getattr(value, f.name)
            if kind_of(f) is Kind.COUNT:
                yield f"{type(value).__name__}.{f.name}", v
            else:
                yield from _counts(v)


@pytest.mark.parametrize(("document", "suppress"),
                         [(LogDocument, suppress_log), (StatusDocument, suppress_status)],
                         ids=["log", "status"])  # fmt: skip
def test_every_count_field_is_suppressed(document: type, suppress: Any) -> None:
    """Every field marked as a count is blanked when small, kept when zero or large; the
    figures (the population's sizes) are kept."""
    small = suppress(_filled(document, 1), 2)
    counts = list(_counts(small))
    assert counts and all(v is None for _, v in counts), counts
    assert small.population.claims == 1 and small.suppressed_below == 2
    for value in (0, 2, -5):
        kept = suppress(_filled(document, value), 2)
        assert all(v == value for _, v in _counts(kept)), value


# -- the typed suppression equals the JSON-based one ---------------------------------------------

_count = st.one_of(st.integers(0, 40), st.integers(-40, 40))
_statuses = st.builds(StatusCounts, _count, _count, _count)
_changes = st.builds(StatusChange, _count, _count, _count)
_commit = st.builds(CommitRecord, st.sampled_from(["a" * 40, "b" * 40]),
                    st.just(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)), st.just("A"),
                    st.just("m"))  # fmt: skip
_population = st.just(PopulationInfo("p", 100, 90, 300, True, "0" * 64))


@st.composite
def _row(draw: st.DrawFn) -> CommitRow:
    if draw(st.booleans()) and draw(st.booleans()):
        return CommitRow(draw(_commit), None, (), None, None, None, None, "broken")
    parent_ok = draw(st.booleans()) or draw(st.booleans())
    moved = parent_ok and draw(st.booleans())
    return CommitRow(draw(_commit), {"toy": "v1"}, ("toy v1",), draw(_statuses),
                     draw(_changes) if parent_ok else None,
                     draw(_count) if moved else None, draw(_count) if moved else None)


_log = st.builds(LogDocument, st.just(AS_OF), _population, st.just(("drafts",)),
                 st.sampled_from([None, ("drafts/current",)]),
                 st.lists(_row(), max_size=6).map(tuple))  # fmt: skip
_adds = st.one_of(st.none(), st.builds(LawAdds, _count, _count, _count, _count))


@st.composite
def _law(draw: st.DrawFn) -> LawRow:
    adds = draw(_adds)
    return LawRow("toy", "drafts/toy.toml", "bill", "draft", "v1",
                  draw(st.one_of(st.none(), _commit)), draw(st.booleans()), adds,
                  "broken" if adds is None else None)


_status = st.builds(StatusDocument, st.just(AS_OF), _population, st.just("drafts"),
                    st.just(("base",)), st.lists(_law(), max_size=4).map(tuple))  # fmt: skip


# -- the oracle: the suppression by key these documents had before they were typed ---------

_COUNTS = frozenset({"eligible", "undetermined", "ineligible", "gained", "lost"})
_STATUS = ("eligible", "undetermined", "ineligible")


def _by_keys(data: dict[str, Any], k: int) -> dict[str, Any]:
    out: dict[str, Any] = _walk_json(data, k)
    commits = out.get("commits") or []
    for i, row in enumerate(commits):
        change, status = row.get("change"), row.get("status")
        if not isinstance(change, dict) or not isinstance(status, dict):
            continue
        older = commits[i + 1].get("status") if i + 1 < len(commits) else None
        for s in _STATUS:
            if status.get(s) is None or (isinstance(older, dict) and older.get(s) is None):
                change[s] = None
    out["suppressed_below"] = k
    return out


def _walk_json(value: Any, k: int, parent: str | None = None) -> Any:
    if isinstance(value, list):
        return [_walk_json(v, k, parent) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, v in value.items():
        if key == "population":
            out[key] = v
        elif key in _COUNTS and type(v) is int:
            out[key] = None if 0 < abs(v) < k else v
        else:
            out[key] = _walk_json(v, k, key)
    complete = all(type(value.get(s)) is int for s in _STATUS)
    if parent not in {"change", "adds"} and complete and sum(out[s] is None for s in _STATUS) == 1:
        shown = [s for s in _STATUS if out[s] is not None]
        out[min(shown, key=lambda s: value[s])] = None
    return out


def _same(typed: dict[str, Any], by_keys: dict[str, Any]) -> None:
    assert json.dumps(typed, ensure_ascii=False) == json.dumps(by_keys, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(_log, st.integers(1, 45))
def test_log_suppression_equals_the_json_suppression(doc: LogDocument, k: int) -> None:
    _same(log_json(suppress_log(doc, k)), _by_keys(log_json(doc), k))


@settings(max_examples=200, deadline=None)
@given(_status, st.integers(1, 45))
def test_status_suppression_equals_the_json_suppression(doc: StatusDocument, k: int) -> None:
    _same(status_json(suppress_status(doc, k)), _by_keys(status_json(doc), k))


def test_suppression_of_real_documents(repo: Path, population: Any) -> None:
    doc = kzrehab.log(["drafts"], base=["drafts/current"], population=population, as_of=AS_OF)
    state = kzrehab.status(population=population, as_of=AS_OF)
    for k in range(1, 10):
        _same(log_json(suppress_log(doc, k)), _by_keys(log_json(doc), k))
        _same(status_json(suppress_status(state, k)), _by_keys(status_json(state), k))
        for fmt in ("text", "md", "html"):
            assert render("t", suppress_log(doc, k), fmt)
    complement = StatusCounts(eligible=1, ineligible=30, undetermined=20)
    assert _blank_counts(complement, 10) == StatusCounts(None, 30, None)


def _blank_counts(counts: StatusCounts, k: int) -> StatusCounts:
    row = CommitRow(CommitRecord("a" * 40, dt.datetime(2025, 1, 1), "A", "m"), {}, (), counts,
                    None, None, None)  # fmt: skip
    doc = LogDocument(AS_OF, PopulationInfo("p", 51, 51, 51), ("d",), None, (row,))
    status = suppress_log(doc, k).commits[0].status
    assert status is not None
    return status


def test_render_refuses_an_unknown_format(repo: Path, population: Any) -> None:
    doc = kzrehab.status(population=population, as_of=AS_OF)
    with pytest.raises(ValueError, match="unknown report format"):
        render("t", doc, "pdf")


# -- log and status: one row per commit, one per law -------------------------------------------


def test_log_and_status_records(repo: Path, population: Any) -> None:
    doc = kzrehab.log(["drafts/bills/toy.toml"], population=population, as_of=AS_OF)
    rows = doc.to_records()
    assert [r["commit.message"] for r in rows] == [c.commit.message for c in doc.commits]
    v3, broken, v2, v1 = rows
    assert (v1["status.eligible"], v1["status.ineligible"], v1["status.undetermined"]) == (
        1, 5, 2)
    assert (v2["gained"], v2["lost"], v2["changed"]) == (1, 0, "toy v2")
    assert v1["gained"] is None and broken["status.eligible"] is None
    assert "TOML syntax error" in broken["error"] and v3["versions"] == "toy: v3"
    assert v3["commit.date"] == doc.commits[0].commit.date.isoformat()
    state = kzrehab.status("drafts", population=population, as_of=AS_OF)
    laws = {r["id"]: r for r in state.to_records()}
    assert (laws["toy"]["adds.gained"], laws["toy"]["adds.eligible"]) == (4, 2)
    assert laws["toy"]["last_change.message"] == "toy v3: renumbered"
    assert laws["toy"]["uncommitted"] is False
    pd = pytest.importorskip("pandas")
    frame = doc.to_pandas()
    assert str(frame["status.eligible"].dtype) == "Int64" and str(frame["gained"].dtype) == "Int64"
    assert frame["gained"].isna().tolist() == [r["gained"] is None for r in rows]
    assert pd.api.types.is_integer_dtype(state.to_pandas()["adds.lost"])
