"""Two populations behind one protocol; a stored one streams its claims and finds one by its
id index, never holding a claim object per claim."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kzrehab.commands.population import info
from kzrehab.errors import RegistryError, UsageError
from kzrehab.population import (
    InMemoryPopulation,
    Population,
    StoredPopulation,
    load_population,
    synthesize,
)
from kzrehab.population import stored as stored_module
from kzrehab.population.hashing import INDEX, digest_of, hashed
from kzrehab.population.store import StoredColumns
from kzrehab.population.tables import BLOCK, PackedStrings

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def memory() -> InMemoryPopulation:
    return synthesize(1_500, seed=4)


@pytest.fixture
def stored(memory: InMemoryPopulation, tmp_path: Path) -> StoredPopulation:
    memory.save(tmp_path / "p.kzstore")
    return StoredPopulation.open(tmp_path / "p.kzstore")


def _rewrite(path: Path, change: Any) -> None:
    """Rewrite a store's arrays as a hand-made (or older) store would be, hashes matching."""
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    document = json.loads(arrays.pop("meta").tobytes())
    change(arrays)
    document.update(hashed(arrays))
    arrays["meta"] = np.frombuffer(json.dumps(document).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def test_both_kinds_are_populations(memory: InMemoryPopulation, stored: StoredPopulation) -> None:
    kinds: list[Population] = [memory, stored]
    for pop in kinds:
        assert (len(pop), pop.name, pop.synthetic) == (1_500, memory.name, True)
        assert (pop.victims, pop.events) == (memory.victims, memory.events)
        assert pop.claim_id(7) == memory.claims[7].id
        assert pop.claim(memory.claims[7].id) == memory.claims[7]
        assert pop.header == memory.header
        assert pop.columns().n_claims == 1_500
    assert stored.digest != memory.digest  # a store's digest comes from its arrays' hashes
    assert stored.verified_digest == stored.digest


def test_readable_reprs(memory: InMemoryPopulation, stored: StoredPopulation) -> None:
    name = "'synthetic-reference-1500-seed4'"
    assert repr(memory) == f"<InMemoryPopulation {name}: synthetic, 1,500 claims>"
    assert repr(stored) == (f"<StoredPopulation {name}: synthetic, 1,500 claims, "
                            f"{memory.events:,} events, from {stored.source}>")  # fmt: skip
    assert repr(stored.claims) == "<StoredClaims of 'synthetic-reference-1500-seed4': 1,500 claims>"
    assert repr(stored.store).startswith("<StoredColumns ") and "1,500 claims" in repr(stored.store)
    assert repr(stored.store.ids).startswith("<PackedStrings ids: 1,500 strings, ")


def test_iterating_a_store_streams_its_claims(
    memory: InMemoryPopulation, stored: StoredPopulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored_module, "CHUNK", 200)
    read: list[tuple[int, int]] = []
    real = StoredColumns.slice

    def spy(self: StoredColumns, a: int, b: int) -> Any:
        read.append((a, b))
        return real(self, a, b)

    monkeypatch.setattr(StoredColumns, "slice", spy)
    assert list(stored) == list(memory.claims)
    assert read == [(a, min(a + 200, 1_500)) for a in range(0, 1_500, 200)]
    assert stored.store._full is None  # the whole store was never held
    assert stored.claims == memory.claims and memory.claims == stored.claims
    assert stored.claims[-1] == memory.claims[-1]
    assert stored.claims[10:13] == memory.claims[10:13]
    assert stored.claims[::500] == memory.claims[::500]
    assert stored.claims is not stored.claims  # a view, nothing cached


def test_a_claim_is_found_by_the_index_and_read_alone(
    memory: InMemoryPopulation, stored: StoredPopulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[tuple[int, int]] = []
    real = StoredColumns.slice

    def spy(self: StoredColumns, a: int, b: int) -> Any:
        read.append((a, b))
        return real(self, a, b)

    monkeypatch.setattr(StoredColumns, "slice", spy)
    for row in (0, 1, 777, 1_499):
        assert stored.claim(memory.claims[row].id) == memory.claims[row]
    assert read == [(0, 1), (1, 2), (777, 778), (1_499, 1_500)]
    assert stored.store._full is None  # never the whole store; of the ids, one block at most
    assert all(stored.store.find(c.id) == i for i, c in enumerate(memory.claims))


def test_an_unknown_id_is_named_with_the_closest(memory: InMemoryPopulation,
                                                 stored: StoredPopulation) -> None:  # fmt: skip
    near = memory.claims[42].id + "x"
    for pop in (memory, stored):
        with pytest.raises(UsageError) as info_:
            pop.claim(near)
        assert str(info_.value) == (f"no claim '{near}' in population '{memory.name}'; did you "
                                    f"mean '{memory.claims[42].id}'?")  # fmt: skip
        with pytest.raises(UsageError, match="no claim 'zzz' in population"):
            pop.claim("zzz")
    assert stored.store.find("\ud800") is None


def test_an_unknown_id_prefers_the_same_number(memory: InMemoryPopulation,
                                               stored: StoredPopulation) -> None:  # fmt: skip
    """Issue 16, item 8: ``soviet-convicted-3`` is ``soviet-convicted-000003``, not the
    closer-spelt ``soviet-convicted-000023``."""
    for pop in (memory, stored):
        for typed, meant in (("soviet-convicted-3", "soviet-convicted-000003"),
                             ("soviet-convicted-17", "soviet-convicted-000017"),
                             ("dekulakised-0017", "dekulakised-000017")):  # fmt: skip
            with pytest.raises(UsageError) as info_:
                pop.claim(typed)
            assert str(info_.value).endswith(f"; did you mean '{meant}'?")


def test_the_index_is_left_out_of_the_digest(stored: StoredPopulation, tmp_path: Path) -> None:
    hashes = dict(stored.store.hashes)
    assert INDEX in hashes
    assert stored.digest == digest_of({k: v for k, v in hashes.items() if k != INDEX})
    path = Path(stored.source)
    _rewrite(path, lambda arrays: arrays.pop(INDEX))  # a store written before the index
    older = StoredPopulation.open(path)
    assert older.digest == stored.digest
    assert older.claim(stored.claim_id(300)).id == stored.claim_id(300)
    assert older.store._keys is not None  # the index, made in memory
    with pytest.raises(UsageError, match="no claim 'nope'"):
        older.claim("nope")


def test_a_damaged_index_never_gives_a_wrong_claim(stored: StoredPopulation) -> None:
    path = Path(stored.source)
    _rewrite(path, lambda arrays: arrays.update({INDEX: arrays[INDEX][::-1].copy()}))
    damaged = StoredPopulation.open(path)
    ids = [stored.claim_id(row) for row in range(0, 1_500, 37)]
    refused = 0
    for claim_id in ids:
        try:
            assert damaged.claim(claim_id).id == claim_id
        except RegistryError as exc:
            assert "ids.index" in str(exc) and "damaged" in str(exc)
            refused += 1
    assert refused
    _rewrite(path, lambda arrays: arrays.update({INDEX: np.full(1_500, 10**6, np.int64)}))
    with pytest.raises(RegistryError, match=r"ids\.index: an index row is not a claim's row"):
        StoredPopulation.open(path).claim(ids[0])


def test_packed_strings_read_a_block_at_a_time(tmp_path: Path) -> None:
    from kzrehab.claims import Claim

    count = BLOCK + 10
    pop = InMemoryPopulation("many", tuple(Claim(id=f"c{i}") for i in range(count)))
    pop.save(tmp_path / "m.kzstore")
    ids = StoredPopulation.open(tmp_path / "m.kzstore").store.ids
    assert isinstance(ids, PackedStrings) and len(ids) == count
    assert ids[count - 1] == f"c{count - 1}" and ids[-2] == f"c{count - 2}"
    assert ids._block is not None and ids._block[0] == BLOCK
    assert ids[3:6] == ["c3", "c4", "c5"]
    assert list(ids) == [f"c{i}" for i in range(count)]
    with pytest.raises(IndexError):
        ids[count]


def test_info_counts_a_chunk_at_a_time(memory: InMemoryPopulation, stored: StoredPopulation,
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from kzrehab.commands import population as command

    whole = info(memory)
    monkeypatch.setattr(command, "CHUNK", 64)
    chunked = info(stored)
    for key in ("unknown_share", "partial_date_share"):
        assert chunked[key] == whole[key]
        assert list(chunked[key]) == list(whole[key])


def test_a_stored_population_saves_and_writes_json_lines(stored: StoredPopulation,
                                                         tmp_path: Path) -> None:  # fmt: skip
    from kzrehab.population import write_jsonl

    stored.save(tmp_path / "copy.kzstore")
    assert StoredPopulation.open(tmp_path / "copy.kzstore").digest == stored.digest
    write_jsonl(stored, tmp_path / "s.jsonl")
    back = load_population(tmp_path / "s.jsonl")
    assert back.claims == stored.claims and back.name == stored.name and back.synthetic


def test_the_same_number_beats_a_closer_spelling() -> None:
    """The reference population's case: ``-003717`` is closer in spelling to ``-17``."""
    from kzrehab._suggest import did_you_mean_among

    ids = ["soviet-convicted-003717", "soviet-convicted-000017", "soviet-convicted-000170"]
    assert did_you_mean_among("soviet-convicted-17", iter(ids)) == (
        "; did you mean 'soviet-convicted-000017'?")  # fmt: skip
    assert did_you_mean_among("soviet-convicted-37", iter(ids)) == (
        "; did you mean 'soviet-convicted-003717'?")  # fmt: skip
