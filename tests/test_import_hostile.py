"""Hostile or careless JSON Lines registries: the fast way of importing them (a chunk decoded
by msgspec, on ``--jobs`` processes) refuses or writes exactly what the exact way, a line
at a time, does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzrehab import _pool
from kzrehab.errors import RegistryError
from kzrehab.population import import_registry


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
