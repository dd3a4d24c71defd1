"""A store's block hashes (format 3): reading one claim checks only the blocks its rows are
in, reading every claim checks every block, and a store of format 2 still opens."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.cli import main
from kzrehab.errors import RegistryError
from kzrehab.population import (
    InMemoryPopulation,
    StoredPopulation,
    hashing,
    load_population,
    store,
    writer,
)
from kzrehab.population.hashing import BlockHasher, hash_array

from .test_cli_errors import LAW, write

DATA = Path(__file__).parent / "data"
#: 20 claims of ``sample.jsonl`` saved by kzrehab 0.x before block hashes (format 2)
FORMAT_2 = DATA / "store-format2.kzstore"
#: its digest, as that kzrehab computed it
FORMAT_2_DIGEST = "9711fff19d93d1c8aea6eed33dc9914ad79c8929312cad0b568f10744212b75f"


@pytest.fixture(scope="module")
def sample() -> InMemoryPopulation:
    population = load_population(DATA / "sample.jsonl")
    assert isinstance(population, InMemoryPopulation)
    return population


@pytest.fixture
def path(sample: InMemoryPopulation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample saved with blocks of 4 KiB, so that every array has several."""
    monkeypatch.setattr(hashing, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(writer, "BLOCK_BYTES", 4096)
    target = tmp_path / "s.kzstore"
    sample.save(target)
    return target


def _flip(path: Path, array: str, byte: int) -> None:
    """Change one byte of an array in the file, behind its hashes."""
    offset = store._Reader(path).members[array][2]
    with open(path, "r+b") as fh:
        fh.seek(offset + byte)
        value = fh.read(1)
        fh.seek(offset + byte)
        fh.write(bytes([value[0] ^ 0x40]))


def _rewrite(path: Path, change: Any) -> None:
    """Change the metadata of a store."""
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    document = json.loads(arrays.pop("meta").tobytes())
    change(document, arrays)
    arrays["meta"] = np.frombuffer(json.dumps(document).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def _blocks(pop: StoredPopulation) -> tuple[int, int]:
    """Blocks checked so far, and blocks in all."""
    assert pop.store.blocks is not None
    checked = sum(int(done.sum()) for done in pop.store._checked.values())
    return checked, sum(len(d) // 32 for d in pop.store.blocks[1].values())


def test_one_claim_checks_the_blocks_it_reads(sample: InMemoryPopulation, path: Path) -> None:
    pop = StoredPopulation.open(path)
    assert (pop.store.meta["format"], pop.store.meta["block"]) == (hashing.FORMAT, 4096)
    assert pop.claim(sample.claims[1500].id) == sample.claims[1500]
    checked, total = _blocks(pop)
    assert total > 200 and checked < total / 2, (checked, total)
    for name, done in pop.store._checked.items():  # the blocks of its rows
        assert done.sum() <= (2 if name.startswith(("claim.", "event.")) else 12), name
    assert pop.verified_digest == pop.digest  # every block, now
    assert _blocks(pop) == (total, total)


def test_a_full_read_checks_every_block(sample: InMemoryPopulation, path: Path) -> None:
    pop = StoredPopulation.open(path)
    assert list(pop) == list(sample.claims)
    columns = [n for n in pop.store.hashes
               if n.startswith(("claim.", "event.")) or n in ("event_claim", "offsets")]
    assert len(columns) > 40
    assert all(pop.store._checked[n].all() for n in columns)
    chunked = StoredPopulation.open(pop.source).store
    assert sum(part.n_claims for _, part in chunked.chunks(64)) == len(sample)
    assert all(chunked._checked[n].all() for n in columns)


def test_the_digest_stands_for_the_block_hashes(
    sample: InMemoryPopulation, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a reader checks is the block hashes, so the digest depends on the block size."""
    small = StoredPopulation.open(path)
    monkeypatch.setattr(hashing, "BLOCK_BYTES", 1 << 18)
    monkeypatch.setattr(writer, "BLOCK_BYTES", 1 << 18)
    sample.save(tmp_path / "big.kzstore")
    big = StoredPopulation.open(tmp_path / "big.kzstore")
    assert small.digest != big.digest and list(small) == list(big)


def _row_of_block(pop: StoredPopulation, array: str, block: int) -> int:
    """The row of a claim whose first event is in that block of an event array."""
    event = -(-block * 4096 // pop.store.reader.members[array][0].itemsize)
    return int(np.searchsorted(pop.store.offsets(0, len(pop)), event, side="left"))


def test_a_flipped_byte_is_found_where_its_block_is_read(sample: InMemoryPopulation,
                                                          path: Path) -> None:  # fmt: skip
    pop = StoredPopulation.open(path)
    row = _row_of_block(pop, "event.start.lo", 3)
    first = int(pop.store.offsets(row, row)[0])
    _flip(path, "event.start.lo", first * 8)
    damaged = StoredPopulation.open(path)  # opening reads no block of it
    far = sample.claims[len(sample) - 1]
    assert damaged.claim(far.id) == far  # its blocks are sound
    with pytest.raises(RegistryError, match=r"event\.start\.lo.*block 3 of the array"):
        damaged.claim(sample.claims[row].id)
    with pytest.raises(RegistryError, match=r"event\.start\.lo.*block 3 of the array"):
        list(StoredPopulation.open(path))
    with pytest.raises(RegistryError, match=r"event\.start\.lo.*block 3 of the array"):
        list(StoredPopulation.open(path).store.chunks(50))  # as the engine reads
    with pytest.raises(RegistryError, match=r"event\.start\.lo.*block 3 of the array"):
        _ = StoredPopulation.open(path).verified_digest


def test_a_flipped_byte_is_an_error_of_explain_and_coverage(
    sample: InMemoryPopulation, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    write(tmp_path, "law.toml", LAW)
    pop = StoredPopulation.open(path)
    row = _row_of_block(pop, "event.measure", 2)
    _flip(path, "event.measure", int(pop.store.offsets(row, row)[0]) * 4)
    claim = sample.claims[row].id
    for argv in (["explain", claim, "law.toml", "--population", str(path)],
                 ["coverage", "law.toml", "--population", str(path)]):  # fmt: skip
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "s.kzstore: event.measure: block 2 of the array" in err, err
        assert "re-import the registry" in err and "Traceback" not in err
    assert main(["explain", sample.claims[0].id, "law.toml", "--population", str(path)]) == 0


def test_altered_block_hashes_are_refused_on_opening(path: Path) -> None:
    def one_digit(document: dict[str, Any], arrays: dict[str, Any]) -> None:
        text = document["blocks"]["claim.victim_alive"]
        document["blocks"]["claim.victim_alive"] = ("0" if text[0] != "0" else "1") + text[1:]

    _rewrite(path, one_digit)
    with pytest.raises(RegistryError, match=r"claim\.victim_alive: the array's block hashes do "
                                            r"not match its recorded hash"):  # fmt: skip
        StoredPopulation.open(path)


def test_an_altered_array_with_its_hashes_made_again_has_another_digest(path: Path) -> None:
    before = StoredPopulation.open(path).digest

    def change(document: dict[str, Any], arrays: dict[str, Any]) -> None:
        arrays["claim.victim_alive"] = arrays["claim.victim_alive"].copy()
        arrays["claim.victim_alive"][5] = 1 - arrays["claim.victim_alive"][5] % 2
        document.update(hashing.hashed(arrays), digest=before)  # the metadata's claim

    _rewrite(path, change)
    assert StoredPopulation.open(path).digest != before


@pytest.mark.parametrize(
    ("change", "needle"),
    [(lambda d: d.update(block=1000), "block size 1000 is not a power of two"),
     (lambda d: d.update(block=None), "block size None is not a power of two"),
     (lambda d: d["blocks"].pop("offsets"), "block hashes do not list its arrays"),
     (lambda d: d["blocks"].update(offsets="xyz"), "offsets: the array's block hashes"),
     (lambda d: d["blocks"].update(offsets=d["blocks"]["offsets"][:64]),
      "offsets: the array's block hashes")],
    ids=["size", "no-size", "missing", "not-hex", "too-few"],
)  # fmt: skip
def test_bad_block_records_are_refused(path: Path, change: Any, needle: str) -> None:
    _rewrite(path, lambda document, arrays: change(document))
    with pytest.raises(RegistryError, match=needle):
        StoredPopulation.open(path)


def test_a_store_of_format_2_still_opens(sample: InMemoryPopulation, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    pop = StoredPopulation.open(FORMAT_2)
    assert pop.store.meta["format"] == "kzrehab-store/2" and pop.store.blocks is None
    assert pop.digest == FORMAT_2_DIGEST == pop.verified_digest  # the digest it had
    assert list(pop) == list(sample.claims[:20])
    assert pop.claim(sample.claims[7].id) == sample.claims[7]
    assert main(["population", "info", str(FORMAT_2)]) == 0
    assert f"digest: {FORMAT_2_DIGEST}" in capsys.readouterr().out
    copy = tmp_path / "old.kzstore"
    shutil.copy(FORMAT_2, copy)
    _flip(copy, "event.measure", 0)  # checked whole on first read, as before
    with pytest.raises(RegistryError, match=r"event\.measure: the array does not match"):
        StoredPopulation.open(copy).claim(sample.claims[7].id)
    again = tmp_path / "again.kzstore"
    pop.save(again)  # saving it again writes format 3
    assert StoredPopulation.open(again).store.meta["format"] == hashing.FORMAT


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3 * 4096 + 17),
       cuts=st.lists(st.integers(0, 3 * 4096 + 17), max_size=6))  # fmt: skip
def test_block_hashes_do_not_depend_on_how_the_bytes_come(data: bytes, cuts: list[int]) -> None:
    array = np.frombuffer(data, np.uint8)
    h = BlockHasher("a", array.dtype, array.shape, 4096)
    bounds = [0, *sorted(c for c in cuts if c <= len(data)), len(data)]
    for a, b in itertools.pairwise(bounds):
        h.update(data[a:b])
    root, blocks = h.finish()
    assert len(blocks) == 64 * -(-len(data) // 4096)
    assert blocks == "".join(hashlib.sha256(data[i : i + 4096]).hexdigest()
                             for i in range(0, len(data), 4096))  # fmt: skip
    hashing.BLOCK_BYTES, kept = 4096, hashing.BLOCK_BYTES
    try:
        assert hash_array("a", array) == (root, blocks)
    finally:
        hashing.BLOCK_BYTES = kept


def test_a_cache_checks_the_store_before_it_serves_an_entry_not_before_it_makes_one(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry is keyed by the store's digest; it is made from columns checked as they
    are read, so a cold run checks nothing whole — but an entry is served only once the
    whole store is checked against that digest: a byte changed behind the hashes, in a
    column the rules never read, is an error of the warm run, never a stale answer."""
    import datetime as dt

    from kzrehab.tracker.cache import CoverageCache

    as_of = dt.date(2025, 6, 1)
    checked: list[int] = []
    real = store.StoredColumns.verify_all

    def counting(self: Any) -> None:
        checked.append(1)
        real(self)

    monkeypatch.setattr(store.StoredColumns, "verify_all", counting)
    cache = CoverageCache(tmp_path / "cache")
    made = cache.record(["x"], StoredPopulation.open(path), as_of, lambda: {"n": 1},
                        lambda v: True)  # fmt: skip
    assert made == {"n": 1} and not checked  # a miss: made, nothing checked whole
    again = CoverageCache(tmp_path / "cache")  # a new process: the entry is on disk
    assert again.record(["x"], StoredPopulation.open(path), as_of, dict, lambda v: True) == made
    assert checked  # a hit: the whole store checked first
    _flip(path, "event.start.lo", 8)  # a column the entry's computation never read
    damaged = CoverageCache(tmp_path / "cache")
    with pytest.raises(RegistryError, match=r"event\.start\.lo"):
        damaged.record(["x"], StoredPopulation.open(path), as_of, dict, lambda v: True)
