"""The columnar store: saved atomically, reloaded equal, refused when damaged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.errors import RegistryError
from kzrehab.population.columns import Columns, claims_from_columns
from kzrehab.population.hashing import FORMAT
from kzrehab.population.store import is_store, load_store, save_store

from .rule_strategies import claims


def _numbered(population: list[Claim]) -> list[Claim]:
    import attrs

    return [attrs.evolve(c, id=f"c{i}", victim_id=f"v{i % 3}") for i, c in enumerate(population)]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(claims(), max_size=6))
def test_columns_round_trip_to_claims(population: list[Claim]) -> None:
    population = _numbered(population)
    cols = Columns.from_claims(population)
    assert claims_from_columns(cols, range(len(population))) == population


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(claims(), min_size=1, max_size=6))
def test_store_round_trip(tmp_path: Path, population: list[Claim]) -> None:
    population = _numbered(population)
    cols = Columns.from_claims(population)
    path = tmp_path / "pop.kzstore"
    save_store(path, cols, {"name": "t", "synthetic": True})
    assert is_store(path)
    stored = load_store(path)
    assert stored.meta["format"] == FORMAT and stored.meta["name"] == "t"
    assert claims_from_columns(stored.columns, range(len(population))) == population
    chunked = [
        c
        for _, part in load_store(path).chunks(2)
        for c in claims_from_columns(part, range(part.n_claims))
    ]
    assert chunked == population
    assert [p.name for p in tmp_path.iterdir()] == ["pop.kzstore"]  # no temporary left


def test_damaged_store_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.kzstore"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert not is_store(bad)
    with pytest.raises(RegistryError, match="not a kzrehab store, or a damaged one"):
        load_store(bad)
    with pytest.raises(RegistryError, match="no such file"):
        load_store(tmp_path / "missing.kzstore")
