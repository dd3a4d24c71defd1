"""Parquet registries: the two tables of a CSV registry, typed, read a batch at a time.

A registry written as Parquet by pyarrow (typed columns: booleans, integers, dates, text,
dictionary-encoded text as R writes factors) loads and imports to the same claims and the
same store as the registry as JSON Lines; bad files are reported as the CSV reader
reports them, with the file, the row and the column; without pyarrow the message says how
to install it.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kzrehab.claims import Claim
from kzrehab.cli import main
from kzrehab.errors import MissingExtraError, RegistryError
from kzrehab.population import StoredPopulation, import_registry, load_population
from kzrehab.population import parquet_registry as pr
from kzrehab.population.registry import claim_to_dict
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "sample.jsonl"
CLAIM_COLS = [n for n, f in CLAIM_FACTS.items() if not f.derived]
EVENT_COLS = ["claim_id", "id", *(n for n, f in EVENT_FACTS.items() if not f.derived)]
_KINDS = {**{n: f.kind for n, f in CLAIM_FACTS.items()},
          **{n: f.kind for n, f in EVENT_FACTS.items()}, "claim_id": FactKind.STR,
          "id": FactKind.STR}  # fmt: skip


def _column(name: str, values: list[Any]) -> Any:
    """A typed column: booleans, integers, full dates as dates (else text), enums as
    dictionary-encoded text (an R factor), other text as text."""
    kind = _KINDS[name]
    if kind is FactKind.BOOL:
        return pa.array(values, pa.bool_())
    if kind is FactKind.INT:
        return pa.array(values, pa.int64())
    if kind is FactKind.DATE and all(v is None or len(v) == 10 for v in values):
        return pa.array([None if v is None else dt.date.fromisoformat(v) for v in values],
                        pa.date32())  # fmt: skip
    if kind is FactKind.ENUM:
        return pa.array(values, pa.string()).dictionary_encode()
    return pa.array(values, pa.string())


def write_parquet(claims: tuple[Claim, ...] | list[Claim], folder: Path, name: str = "reg",
                  row_group: int = 300) -> Path:  # fmt: skip
    """``NAME.parquet`` and ``NAME.events.parquet`` of the claims, in small row groups."""
    rows: list[dict[str, Any]] = [claim_to_dict(c) for c in claims]
    claims_t = pa.table({col: _column(col, [r.get(col) for r in rows]) for col in CLAIM_COLS})
    events = [{"claim_id": r["id"], **e} for r in rows for e in r.get("events", [])]
    events_t = pa.table({col: _column(col, [e.get(col) for e in events])
                         for col in EVENT_COLS})  # fmt: skip
    path = folder / f"{name}.parquet"
    pq.write_table(claims_t, path, row_group_size=row_group)
    pq.write_table(events_t, folder / f"{name}.events.parquet", row_group_size=row_group)
    return path


def write_tables(folder: Path, claims: dict[str, Any], events: dict[str, Any] | None = None,
                 name: str = "reg") -> Path:  # fmt: skip
    """A Parquet registry of the given columns (pyarrow infers their types)."""
    path = folder / f"{name}.parquet"
    pq.write_table(pa.table(claims), path)
    pq.write_table(pa.table(events if events is not None else {
        "claim_id": pa.array([], pa.string()), "measure": pa.array([], pa.string())}),
        folder / f"{name}.events.parquet")  # fmt: skip
    return path


def _arrays(path: Path) -> dict[str, Any]:
    with np.load(path) as data:
        return {name: data[name] for name in data.files if name != "meta"}


@pytest.fixture(scope="module")
def sample() -> tuple[Claim, ...]:
    return tuple(load_population(SAMPLE).claims)


def test_a_parquet_registry_loads_the_claims_of_its_json_lines(
    tmp_path: Path, sample: tuple[Claim, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pr, "BATCH", 128)  # batches across the row groups of 300
    path = write_parquet(sample, tmp_path)
    events = pq.ParquetFile(tmp_path / "reg.events.parquet")
    assert events.metadata.num_row_groups > 1
    types = [events.schema_arrow.field(c).type for c in EVENT_COLS]
    assert pa.types.is_dictionary(events.schema_arrow.field("measure").type)
    assert any(map(pa.types.is_boolean, types))
    pop = load_population(path)
    assert pop.name == "reg" and not pop.synthetic and pop.source == str(path)
    assert tuple(pop.claims) == sample
    assert pop.events == sum(len(c.events) for c in sample) > 2000


def test_a_parquet_registry_imports_to_the_store_of_its_json_lines(
    tmp_path: Path, sample: tuple[Claim, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pr, "BATCH", 100)
    path = write_parquet(sample, tmp_path)
    done = import_registry(path, tmp_path / "p.kzstore", chunk=250)
    assert (done.kind, done.claims) == ("columnar store", len(sample))
    import_registry(SAMPLE, tmp_path / "j.kzstore", chunk=250)
    left, right = _arrays(tmp_path / "p.kzstore"), _arrays(tmp_path / "j.kzstore")
    assert list(left) == list(right)
    for name in left:
        assert np.array_equal(left[name], right[name]), name
    stored = StoredPopulation.open(tmp_path / "p.kzstore")
    assert stored.digest == StoredPopulation.open(tmp_path / "j.kzstore").digest
    assert tuple(stored.claims) == sample
    # and as JSON Lines: the canonical lines of the same claims
    import_registry(path, tmp_path / "p.jsonl")
    assert tuple(load_population(tmp_path / "p.jsonl").claims) == sample


def test_the_commands_read_parquet(tmp_path: Path, sample: tuple[Claim, ...],
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    folder = tmp_path / "registry"
    folder.mkdir()
    write_parquet(sample[:50], tmp_path)
    (tmp_path / "reg.parquet").rename(folder / "claims.parquet")
    (tmp_path / "reg.events.parquet").rename(folder / "events.parquet")
    assert main(["population", "import", str(folder), "-o", str(tmp_path / "r.kzstore")]) == 0
    assert "imported 50 claims" in capsys.readouterr().out
    assert load_population(tmp_path / "r.kzstore").name == "registry"
    assert main(["population", "info", str(folder), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["population"]["claims"] == 50
    assert main(["coverage", "drafts/current", "--population", str(folder), "--as-of",
                 "2025-06-01", "--format", "json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["population"]["claims"] == 50


def _error(path: Path) -> str:
    with pytest.raises(RegistryError) as info:
        load_population(path)
    message = str(info.value)
    with pytest.raises(RegistryError) as streamed:
        import_registry(path, path.with_name("out.kzstore"))
    assert str(streamed.value) == message  # the import reports what reading whole reports
    assert not path.with_name("out.kzstore").exists()
    return message


def test_a_column_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    path = write_tables(tmp_path, {"id": [1.0, 2.0]})
    assert _error(path) == (
        f"{path}: id: column 'id' holds floating point values, but id is text: give it as "
        "text or integer (pandas writes an integer column with missing values as floating "
        "point: convert it with .astype('Int64') first)")
    path = write_tables(tmp_path, {"id": ["a"], "victim_alive": [1]})
    assert _error(path).endswith(
        "column 'victim_alive' holds integer values, but victim_alive is true or false: "
        "give it as boolean or text")
    path = write_tables(tmp_path, {"id": ["a"]}, {
        "claim_id": ["a"], "measure": ["exile"],
        "start": pa.array([dt.datetime(1931, 5, 1)], pa.timestamp("s"))})
    assert _error(path) == (
        f"{tmp_path / 'reg.events.parquet'}: start: column 'start' holds timestamp values, "
        "but start is a date (YYYY, YYYY-MM or YYYY-MM-DD as text): give it as date or text "
        "(cast it to a date first)")


def test_a_bad_value_is_reported_as_in_a_csv_file(tmp_path: Path) -> None:
    """The same message as the CSV reader's for the same cell, at the row (not the line)."""
    path = write_tables(tmp_path, {"id": ["a", "b"], "victim_birth_year": ["1901", "19O1"]})
    parquet = _error(path)
    (tmp_path / "reg.csv").write_text("id,victim_birth_year\na,1901\nb,19O1\n")
    (tmp_path / "reg.events.csv").write_text("claim_id,measure\n")
    csv = _error(tmp_path / "reg.csv")
    assert csv == f"{tmp_path / 'reg.csv'}:3: victim_birth_year: victim_birth_year must be a " \
                  "decimal integer, not '19O1'"
    assert parquet == csv.replace("reg.csv:3", "reg.parquet:2")
    path = write_tables(tmp_path, {"id": ["a"], "claimant": ["nephew"]})
    assert "reg.parquet:1: claimant: 'nephew' is not a claimant; claimants are: " in _error(path)
    path = write_tables(tmp_path, {"id": ["a"], "victim_birth_year": [2**60]})
    assert _error(path) == (f"{path}:1: victim_birth_year: victim_birth_year = {2**60} is out "
                            f"of range (at most {2**53} in magnitude)")  # fmt: skip


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = write_tables(tmp_path, {"claimant": ["child"]})
    assert _error(path) == f"{path}: the claims file needs a column 'id'"
    path = write_tables(tmp_path, {"id": ["a"], "claimnt": ["child"]})
    assert _error(path) == (f"{path}: column 2: unknown column 'claimnt'; did you mean "
                            "'claimant'?")  # fmt: skip
    path = write_tables(tmp_path, {"id": ["a"]}, {"claim_id": ["a"], "start": ["1931"]})
    assert _error(path) == (f"{tmp_path / 'reg.events.parquet'}:1: the events file has no "
                            "column 'measure': an event without one would be of unknown "
                            "measure (leave its cell empty where it is unknown)")  # fmt: skip


def test_joins_and_duplicates_name_rows(tmp_path: Path) -> None:
    path = write_tables(tmp_path, {"id": ["a", "b", "a"]})
    assert _error(path) == f"{path}:3: id: duplicate claim id 'a' (first on row 1)"
    events = tmp_path / "reg.events.parquet"
    path = write_tables(tmp_path, {"id": ["abc"]}, {"claim_id": ["abc", "abd"],
                                                     "measure": ["exile", "exile"]})
    assert _error(path) == (f"{events}:2: claim_id: no claim 'abd' in {path}; did you mean "
                            "'abc'?")  # fmt: skip
    path = write_tables(tmp_path, {"id": ["a"]}, {"claim_id": ["a", "a"], "id": ["e", "e"],
                                                   "measure": ["exile", "exile"]})
    assert _error(path) == f"{events}:2: id: duplicate event id 'e' for claim 'a' (first on row 1)"


def test_whole_numbers_as_doubles(tmp_path: Path) -> None:
    """R writes numbers as doubles and pandas a missing one as NaN: a whole double is its
    integer, NaN is unknown, and a fraction is refused as in a CSV file."""
    path = write_tables(tmp_path, {"id": ["a", "b", "c"],
                                   "victim_birth_year": [1901.0, None, float("nan")]})
    assert [c.victim_birth_year for c in load_population(path).claims] == [1901, None, None]
    path = write_tables(tmp_path, {"id": ["a", "b"], "victim_birth_year": [1901.0, 1901.5]})
    assert _error(path) == (f"{path}:2: victim_birth_year: victim_birth_year must be a "
                            "decimal integer, not '1901.5'")  # fmt: skip


def test_blank_rows_integer_ids_and_dates(tmp_path: Path) -> None:
    """A row of nulls is skipped, as a blank CSV row is; integer ids are read as their
    digits (a database's ids), and an empty string is unknown, as an empty CSV cell; a date
    column holds full dates, a text column dates of any precision."""
    path = write_tables(tmp_path, {"id": pa.array([17, None, 18], pa.int32()),
                                   "claimant": ["child", None, ""],
                                   "victim_died": pa.array([dt.date(1938, 2, 1), None, None],
                                                           pa.date64())},
                        {"claim_id": pa.array([18, 18], pa.int64()),
                         "measure": ["exile", "exile"],
                         "start": pa.array([dt.date(1931, 5, 17), None], pa.date32()),
                         "end": ["1933", "1940-02"]})  # fmt: skip
    pop = load_population(path)
    assert [(c.id, c.claimant, len(c.events)) for c in pop.claims] == [
        ("17", "child", 0), ("18", None, 2)]
    assert str(pop.claims[0].victim_died) == "1938-02-01"
    first, second = pop.claims[1].events
    assert (str(first.start), str(first.end)) == ("1931-05-17", "1933")
    assert (second.start, str(second.end)) == (None, "1940-02")


def test_files_that_are_not_a_parquet_registry(tmp_path: Path) -> None:
    (tmp_path / "reg.parquet").write_text("id\na\n")
    (tmp_path / "reg.events.parquet").write_text("claim_id,measure\n")
    assert _error(tmp_path / "reg.parquet").startswith(
        f"{tmp_path / 'reg.parquet'}: is not a Parquet file (")
    (tmp_path / "reg.events.parquet").unlink()
    assert _error(tmp_path / "reg.parquet") == (
        f"{tmp_path / 'reg.events.parquet'}: the events of a Parquet registry go in "
        "reg.events.parquet beside its claims file (an events file with no rows when there "
        "are none)")
    with pytest.raises(RegistryError, match="this is an events file: give the claims file "
                                            r"x\.parquet instead"):
        (tmp_path / "x.events.parquet").write_bytes(b"")
        load_population(tmp_path / "x.events.parquet")
    both = tmp_path / "both"
    both.mkdir()
    (both / "claims.csv").write_text("id\n")
    (both / "claims.parquet").write_bytes(b"")
    with pytest.raises(RegistryError, match="holds both CSV and Parquet tables"):
        load_population(both)


def test_without_pyarrow_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_tables(tmp_path, {"id": ["a"]})
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'kzrehab\[parquet\]'"):
        load_population(path)
    assert main(["population", "import", str(path), "-o", str(tmp_path / "r.kzstore")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("kzrehab: error: reading a Parquet registry needs pyarrow, which is "
                           "not installed: it is an optional extra of kzrehab (pip install "
                           "'kzrehab[parquet]')")
    assert "Traceback" not in err and not (tmp_path / "r.kzstore").exists()


def test_pyarrow_pandas_and_matplotlib_are_imported_only_when_asked_for() -> None:
    """``--help``, the package, a JSON Lines registry and a report never import them."""
    code = ("import sys, contextlib, io\n"
            "import kzrehab.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "    kzrehab.cli.main(['--help'])\n"
            "import kzrehab, kzrehab.population, kzrehab.reports, kzrehab.reports.html\n"
            f"pop = kzrehab.load_population({str(SAMPLE)!r})\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pyarrow', 'pandas', 'matplotlib'}))\n")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_import_never_writes_over_the_events_file(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = write_tables(tmp_path, {"id": ["a"]})
    events = tmp_path / "reg.events.parquet"
    before = events.read_bytes()
    for target in (events, path):
        assert main(["population", "import", str(path), "-o", str(target)]) == 2
        assert "would overwrite the registry" in capsys.readouterr().err
    assert events.read_bytes() == before
    assert main(["coverage", "drafts/current", "--population", str(path), "-o",
                 str(events)]) == 2  # fmt: skip
    assert "would overwrite the registry" in capsys.readouterr().err
    assert events.read_bytes() == before
