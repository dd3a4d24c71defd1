"""Hostile or careless JSON Lines registries: the fast way of importing them (a chunk decoded
by msgspec, on ``--jobs`` processes) refuses or writes exactly what the exact way, a line
at a time, does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzrehab import _pool
from kzrehab.errors import RegistryError
from kzrehab.population import import_registry, importer
from kzrehab.population.jsonl_chunks import CHUNK_OBJECTS, Encoded, encode_chunk, raw_chunks
from kzrehab.population.registry import JsonlReader

from .test_population_import import _same_store


def _lines(path: Path, objs: list[object]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


def test_the_workers_count_events_against_the_limit_of_this_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(A worker read the limit from its own environment, copied when the pool was made:
    with the limit lowered since, a claim with too many events was written.)"""
    registry = _lines(tmp_path / "r.jsonl", [{"id": f"c{i}", "events": [{}] * (6 if i == 3 else 1)}
                                             for i in range(10)])  # fmt: skip
    _pool.shutdown()
    monkeypatch.delenv("KZREHAB_MAX_EVENTS_PER_CLAIM", raising=False)
    import_registry(registry, tmp_path / "a.kzstore", jobs=2)  # the pool starts here
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "5")
    for jobs in (1, 2):
        with pytest.raises(RegistryError, match=r"r\.jsonl:4: events: a claim with 6 events "):
            import_registry(registry, tmp_path / "b.kzstore", jobs=jobs)
        assert not (tmp_path / "b.kzstore").exists()


def test_a_chunk_of_claims_with_many_events_is_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(2,048 lines of 1,000 events ``{}`` each, 6 MB, were one chunk: two million
    structures, then their tuples and columns, 1.4 GiB at the peak of a worker.)"""
    registry = _lines(tmp_path / "r.jsonl", [{"id": f"c{i}", "events": [{}] * 1000}
                                             for i in range(300)])  # fmt: skip
    chunks = list(raw_chunks(JsonlReader(registry), 2048))
    assert [c.first_line for c in chunks][:2] == [1, 67]
    assert all(sum(r.count(b"{") for r in c.lines) <= CHUNK_OBJECTS + 1001 for c in chunks)
    assert sum(len(c.lines) for c in chunks) == 300
    done = [encode_chunk(c) for c in chunks]
    assert all(isinstance(d, Encoded) for d in done)
    import_registry(registry, tmp_path / "fast.kzstore", jobs=2)
    monkeypatch.setattr(importer, "encode_chunk", lambda chunk: chunk)
    import_registry(registry, tmp_path / "exact.kzstore")
    _same_store(tmp_path / "exact.kzstore", tmp_path / "fast.kzstore")
