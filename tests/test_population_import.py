"""Streaming import: the store written chunk by chunk is the store of the claims in memory,
and every problem is reported as reading the registry whole reports it."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.cli import main
from kzrehab.errors import RegistryError
from kzrehab.population import (
    StoredPopulation,
    import_registry,
    load_population,
    synthesize,
    write_jsonl,
)
from kzrehab.population.registry import claim_to_dict, dumps_claim
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind

from .strategies import events, populations, texts

DATA = Path(__file__).parent / "data"
GOOD = '{"id": "c1", "claimant": "child", "events": [{"measure": "exile", "start": "1931-05"}]}'

#: strings a CSV cell keeps as they are (cells are stripped; a NUL byte is refused)
_CELL = texts().map(str.strip).filter(lambda s: bool(s) and "\x00" not in s)
_STR_EVENT_FACTS: dict[str, Any] = {
    name: st.one_of(st.none(), _CELL)
    for name in (*(n for n, f in EVENT_FACTS.items() if f.kind is FactKind.STR), "id")
}
_CSV_CLAIMS = populations(
    max_size=12,
    ids=_CELL,
    victim_id=st.one_of(st.none(), _CELL),
    event_strategy=events(**_STR_EVENT_FACTS),
)  # fmt: skip


def _arrays(path: Path) -> dict[str, Any]:
    with np.load(path) as data:
        return {name: data[name] for name in data.files if name != "meta"}


def _same_store(a: Path, b: Path) -> None:
    left, right = _arrays(a), _arrays(b)
    assert list(left) == list(right)  # the same arrays, in the same order
    for name in left:
        assert left[name].dtype == right[name].dtype, name
        assert np.array_equal(left[name], right[name]), name
    assert StoredPopulation.open(a).digest == StoredPopulation.open(b).digest


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(claims_: tuple[Claim, ...], folder: Path, shuffle: int | None) -> Path:
    """``NAME.csv`` and ``NAME.events.csv`` of the claims; events shuffled across claims
    (each claim's own in their order) when ``shuffle`` is a seed."""
    claim_cols = [n for n, f in CLAIM_FACTS.items() if not f.derived]
    event_cols = ["claim_id", "id", *(n for n, f in EVENT_FACTS.items() if not f.derived)]
    path = folder / "reg.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(claim_cols)
        for c in claims_:
            row = [_cell(getattr(c, n)) for n in claim_cols]
            if c.victim_id == c.id:
                row[claim_cols.index("victim_id")] = ""
            out.writerow(row)
    rows = [(c.id, e) for c in claims_ for e in c.events]
    if shuffle is not None:  # interleave the claims' events, keeping each claim's order
        queues: dict[str, list[Any]] = {}
        for cid, e in rows:
            queues.setdefault(cid, []).append(e)
        turns = [cid for cid, _ in rows]
        random.Random(shuffle).shuffle(turns)
        rows = [(cid, queues[cid].pop(0)) for cid in turns]
    with open(folder / "reg.events.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(event_cols)
        for cid, e in rows:
            out.writerow([cid, *(_cell(getattr(e, n)) for n in event_cols[1:])])
    return path


# --- the same store ---------------------------------------------------------------------


def test_a_streamed_store_is_the_store_of_the_claims_in_memory(tmp_path: Path) -> None:
    pop = synthesize(2_500, seed=3)
    write_jsonl(pop, tmp_path / "r.jsonl")
    pop.save(tmp_path / "memory.kzstore")
    done = import_registry(tmp_path / "r.jsonl", tmp_path / "streamed.kzstore", chunk=300)
    assert (done.claims, done.events, done.kind) == (len(pop), pop.events, "columnar store")
    _same_store(tmp_path / "memory.kzstore", tmp_path / "streamed.kzstore")
    stored = StoredPopulation.open(tmp_path / "streamed.kzstore")
    assert (stored.name, stored.synthetic, stored.victims) == (pop.name, True, pop.victims)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(claims_=populations(max_size=12), chunk=st.integers(1, 5))
def test_any_registry_streams_to_the_same_store(tmp_path: Path, claims_: tuple[Claim, ...],
                                                chunk: int) -> None:  # fmt: skip
    write_jsonl(claims_, tmp_path / "r.jsonl")
    load_population(tmp_path / "r.jsonl").save(tmp_path / "a.kzstore")
    import_registry(tmp_path / "r.jsonl", tmp_path / "b.kzstore", chunk=chunk)
    _same_store(tmp_path / "a.kzstore", tmp_path / "b.kzstore")
    assert tuple(StoredPopulation.open(tmp_path / "b.kzstore")) == tuple(
        load_population(tmp_path / "a.kzstore"))  # fmt: skip


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(claims_=_CSV_CLAIMS, chunk=st.integers(1, 4), shuffle=st.one_of(st.none(), st.integers()))
def test_a_csv_registry_streams_to_the_same_store(
    tmp_path: Path, claims_: tuple[Claim, ...], chunk: int, shuffle: int | None
) -> None:
    registry = _write_csv(claims_, tmp_path, shuffle)
    whole = load_population(registry)
    assert whole.claims == claims_
    whole.save(tmp_path / "a.kzstore")
    import_registry(registry, tmp_path / "b.kzstore", chunk=chunk)
    _same_store(tmp_path / "a.kzstore", tmp_path / "b.kzstore")


def test_a_store_imports_to_the_same_store(tmp_path: Path) -> None:
    synthesize(700, seed=2).save(tmp_path / "a.kzstore")
    import_registry(tmp_path / "a.kzstore", tmp_path / "b.kzstore", chunk=100)
    _same_store(tmp_path / "a.kzstore", tmp_path / "b.kzstore")


def test_json_lines_out_are_the_canonical_lines(tmp_path: Path) -> None:
    pop = synthesize(400, seed=5)
    write_jsonl(pop, tmp_path / "r.jsonl")
    done = import_registry(tmp_path / "r.jsonl", tmp_path / "out.jsonl")
    assert done.kind == "JSON Lines" and (done.claims, done.events) == (400, pop.events)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "r.jsonl").read_bytes()
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(dumps_claim(c) + "\n" for c in pop.claims[:5]), encoding="utf-8")
    import_registry(plain, tmp_path / "out2.jsonl")
    header = json.loads((tmp_path / "out2.jsonl").read_text(encoding="utf-8").split("\n")[0])
    assert header == {"kzrehab": "population", "version": 1, "name": "plain",
                      "synthetic": False}  # fmt: skip


# --- the same errors --------------------------------------------------------------------


def _line(**facts: Any) -> str:
    return json.dumps({"id": "c", **facts})


BAD_JSONL = {
    "duplicate-first": [GOOD, _line(id="c2"), GOOD, '{"id": "c3", "claimant": "king"}'],
    "error-first": [GOOD, '{"id": "c3", "claimant": "king"}', GOOD],
    "duplicate-at-end": [GOOD, *(_line(id=f"x{i}") for i in range(30)), GOOD],
    "syntax-after-duplicate": [GOOD, GOOD, "{not json"],
    "duplicate-key": [GOOD, '{"id": "a", "id": "b"}'],
    "duplicate-key-in-event": [
        GOOD, '{"id": "a", "events": [{"measure": "exile", "measure": "exile"}]}'],
    "colon-in-a-string": [GOOD, '{"id": "a\\": 1", "claimant": "child"}', GOOD],
    "blank-before-colon": [GOOD, '{"id" : "a", "id" : "b"}'],
    "duplicate-event-id": [GOOD, '{"id": "a", "events": [{"id": "e"}, {"id": "e"}]}'],
    "header-later": [
        GOOD, '{"kzrehab": "population", "version": 1, "name": "x", "synthetic": true}'],
}  # fmt: skip


def _both(registry: Path, tmp_path: Path) -> tuple[str, str]:
    with pytest.raises(RegistryError) as whole:
        load_population(registry)
    out = tmp_path / "out.kzstore"
    with pytest.raises(RegistryError) as streamed:
        import_registry(registry, out, chunk=2)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no spool left
    return str(whole.value), str(streamed.value)


@pytest.mark.parametrize("name", sorted(BAD_JSONL))
def test_a_bad_registry_gives_the_error_of_reading_it_whole(tmp_path: Path, name: str) -> None:
    registry = tmp_path / "r.jsonl"
    registry.write_text("\n".join(BAD_JSONL[name]) + "\n", encoding="utf-8")
    whole, streamed = _both(registry, tmp_path)
    assert whole == streamed
    with pytest.raises(RegistryError) as as_lines:
        import_registry(registry, tmp_path / "out.jsonl")
    assert str(as_lines.value) == whole
    assert not (tmp_path / "out.jsonl").exists()


def test_the_colon_in_a_string_is_no_duplicate(tmp_path: Path) -> None:
    registry = tmp_path / "r.jsonl"
    registry.write_text('{"id": "a\\": 1", "claimant": "child"}\n{"id" : "b"}\n',
                        encoding="utf-8")  # fmt: skip
    assert [c.id for c in load_population(registry)] == ['a": 1', "b"]
    import_registry(registry, tmp_path / "s.kzstore")
    assert StoredPopulation.open(tmp_path / "s.kzstore").claim('a": 1').claimant == "child"


BAD_CSV = {
    "duplicate-claim": ("id\nc1\nc2\nc1\n", "claim_id,measure\nc1,exile\n"),
    "unknown-claim": ("id\nclaim-1\n", "claim_id,measure\nclaim-1,exile\nclaim-2,exile\n"),
    "event-ids": ("id\nc1\nc2\n", "claim_id,id,measure\nc1,e,exile\nc2,e,exile\nc1,e,exile\n"),
    "event-ids-then-bad-value": ("id\nc1\n", "claim_id,id,measure\nc1,e,\nc1,e,\nc1,,king\n"),
    "bad-value-then-event-ids": ("id\nc1\n", "claim_id,id,measure\nc1,e,king\nc1,e,\n"),
    "too-many-events": ("id\nc1\nc2\n", "claim_id,measure\nc1,\nc2,\nc1,\nc1,\nc1,\n"),
    "no-claim-id": ("id\nc1\n", "claim_id,measure\n,exile\n"),
    "binary": ("id\nc1\n", "claim_id,measure\nc1,\n\x00\n"),
    "no-measure-column": ("id\nc1\n", "claim_id,place\nc1,KZ\n"),
}


@pytest.mark.parametrize("name", sorted(BAD_CSV))
def test_a_bad_csv_registry_gives_the_error_of_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "3")
    claims_text, events_text = BAD_CSV[name]
    (tmp_path / "r.csv").write_text(claims_text, encoding="utf-8")
    (tmp_path / "r.events.csv").write_text(events_text, encoding="utf-8")
    whole, streamed = _both(tmp_path / "r.csv", tmp_path)
    assert whole == streamed


# --- limits while reading ---------------------------------------------------------------


def test_a_long_line_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KZREHAB_MAX_LINE_BYTES", "200")
    registry = tmp_path / "r.jsonl"
    long = json.dumps({"id": "c2", "events": [{"measure": "exile"}] * 20})
    registry.write_text(f"{GOOD}\n{long}\n{{broken\n", encoding="utf-8")
    (tmp_path / "out.kzstore").write_bytes(b"before")
    status = main(["population", "import", str(registry), "-o", str(tmp_path / "out.kzstore")])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{registry}:2: the line exceeds the limit on registry line length (200 bytes)" in err
    assert "KZREHAB_MAX_LINE_BYTES" in err
    assert (tmp_path / "out.kzstore").read_bytes() == b"before"  # nothing half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.kzstore", "r.jsonl"]
    with pytest.raises(RegistryError, match=r"r\.jsonl:2: the line exceeds"):
        load_population(registry)


def test_a_line_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = GOOD.replace('"child"', '"child"' + " " * 10)
    monkeypatch.setenv("KZREHAB_MAX_LINE_BYTES", str(len(line.encode())))
    registry = tmp_path / "r.jsonl"
    registry.write_bytes(line.encode() + b"\r\n")
    assert len(load_population(registry)) == 1
    monkeypatch.setenv("KZREHAB_MAX_LINE_BYTES", str(len(line.encode()) - 1))
    with pytest.raises(RegistryError, match="line length"):
        load_population(registry)


def test_a_long_csv_line_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_LINE_BYTES", "50")
    (tmp_path / "r.csv").write_text("id,claimant\nc1,child\n" + "c2," + "x" * 60 + "\n")
    (tmp_path / "r.events.csv").write_text("claim_id\n")
    with pytest.raises(RegistryError, match=r"r\.csv:3: the line exceeds"):
        import_registry(tmp_path / "r.csv", tmp_path / "s.kzstore")


def test_events_are_counted_before_they_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzrehab.population import registry as module

    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "3")
    built: list[int] = []
    real = module._counted

    def spy(text: str, trusted: bool, limit: int) -> Any:
        found = real(text, trusted, limit)
        built.append(-1 if found is None else len(found["events"]))
        return found

    monkeypatch.setattr(module, "_counted", spy)
    path = tmp_path / "r.jsonl"
    path.write_text(GOOD + "\n" + '{"id": "c2", "events": [' + ", ".join(["{}"] * 50) + "]}\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(RegistryError) as info:
        load_population(path)
    assert str(info.value) == (f"{path}:2: events: a claim with 50 events exceeds the limit on "
                               "events per claim (3 events); set KZREHAB_MAX_EVENTS_PER_CLAIM "
                               "to raise it")  # fmt: skip
    assert built == [50]  # counted: placeholders, not fifty dictionaries
    # a fact checked before the events still comes first; braces inside strings are no events
    path.write_text('{"id": "c2", "claimant": "king", "events": [' + ", ".join(["{}"] * 9)
                    + "]}\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(RegistryError, match="'king' is not a claimant"):
        load_population(path)
    path.write_text(json.dumps({"id": "{{{{{{", "events": [{"charge": "{}{}{}"}]}) + "\n",
                    encoding="utf-8")  # fmt: skip
    assert load_population(path).claims[0].events[0].charge == "{}{}{}"


def test_the_population_import_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.kzstore"
    assert main(["population", "import", str(DATA / "sample.jsonl"), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    pop = load_population(DATA / "sample.jsonl")
    assert said == (f"imported 2,000 claims ({pop.events:,} events) from {DATA / 'sample.jsonl'} "
                    f"to {out} (columnar store)\n")  # fmt: skip
    stored = StoredPopulation.open(out)
    assert (stored.name, stored.synthetic, stored.source) == (pop.name, True, str(out))
    assert claim_to_dict(stored.claim("soviet-convicted-000001")) == claim_to_dict(
        pop.claim("soviet-convicted-000001"))  # fmt: skip


def test_a_csv_directory_imports_under_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "claims.csv").write_text("id;claimant\nc1;child\nc2;victim\n", encoding="utf-8")
    (folder / "events.csv").write_text("claim_id;measure\nc2;exile\nc1;exile\n", encoding="utf-8")
    import_registry(folder, tmp_path / "a.kzstore")
    load_population(folder).save(tmp_path / "b.kzstore")
    _same_store(tmp_path / "a.kzstore", tmp_path / "b.kzstore")
    assert StoredPopulation.open(tmp_path / "a.kzstore").name == "registry"
