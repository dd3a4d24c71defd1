"""The cache, kept: where it lives, its size cap, least-recently-used eviction, and
``kzrehab cache info|clear`` (kzrehab._cache; docs/cli.rst, "The cache")."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import platformdirs
import pytest

from kzrehab import _cache
from kzrehab._io import cache_dir
from kzrehab.cli import main
from kzrehab.errors import UsageError
from kzrehab.population import load_population
from kzrehab.tracker.cache import CoverageCache

from .test_comparison import AS_OF, DATA, fw
from .test_gitstore import toy

HOUR = 3600.0


@pytest.fixture(autouse=True)
def _fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of this test's own, no cap set, and no entry taken as used by
    this process (other tests have used theirs)."""
    root = tmp_path / "cache"
    monkeypatch.setenv("KZREHAB_CACHE", str(root))
    monkeypatch.delenv("KZREHAB_CACHE_MAX", raising=False)
    monkeypatch.setattr(_cache, "_used", set())
    monkeypatch.setattr(_cache, "_pending", {})
    return root


def _entry(root: Path, kind: str, name: str, size: int, hours_ago: float) -> Path:
    """A file where an entry of ``kind`` lives, last used ``hours_ago``."""
    depth, suffix = _cache.KINDS[kind]
    folder = root / kind / (name[:2] if depth else "")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}{suffix}"
    path.write_bytes(b"x" * size)
    when = time.time() - hours_ago * HOUR
    os.utime(path, (when, when))
    return path


# -- where, and the cap -----------------------------------------------------------------------


def test_the_cache_lives_in_the_platforms_user_cache_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"  # the override
    monkeypatch.delenv("KZREHAB_CACHE")
    assert cache_dir() == Path(platformdirs.user_cache_dir("kzrehab", appauthor=False))
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "kzrehab"


@pytest.mark.parametrize(("text", "size"), [
    ("1073741824", 1024**3), ("500M", 500 * 1024**2), ("2G", 2 * 1024**3), ("2g", 2 * 1024**3),
    ("1.5GiB", 3 * 1024**3 // 2), ("64 KB", 64 * 1024), ("0", 0), (" 1T ", 1024**4),
])  # fmt: skip
def test_sizes(text: str, size: int) -> None:
    assert _cache.parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "-1", "1e9", "2X", "G", "1.2.3", "9" * 40, "½G"])
def test_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValueError):
        _cache.parse_size(text)


def test_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cache.cache_max() == 1024**3
    monkeypatch.setenv("KZREHAB_CACHE_MAX", "500M")
    assert _cache.cache_max() == 500 * 1024**2
    monkeypatch.setenv("KZREHAB_CACHE_MAX", "lots")
    with pytest.raises(UsageError, match=r"KZREHAB_CACHE_MAX='lots' is not a size"):
        _cache.cache_max()


@pytest.mark.parametrize("argv", [["cache", "info"], ["check", "drafts/current"]])
def test_a_bad_cap_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.chdir(Path(__file__).parent.parent)
    monkeypatch.setenv("KZREHAB_CACHE_MAX", "a lot")
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("kzrehab: error: KZREHAB_CACHE_MAX='a lot' is not a size: give a number of "
                   "bytes, or a number with K, M, G or T (binary units: 500M is 500 MiB), "
                   "e.g. 500M or 2G; the default is 1G\n")  # fmt: skip


# -- eviction ---------------------------------------------------------------------------------


def test_the_cap_evicts_the_least_recently_used_first(_fresh: Path) -> None:
    oldest = _entry(_fresh, "coverage", "aa01", 100, hours_ago=5)
    old = _entry(_fresh, "records", "bb02", 100, hours_ago=4)
    store = _entry(_fresh, "population", "reference-x", 100, hours_ago=3)
    newer = _entry(_fresh, "coverage", "cc03", 100, hours_ago=2)
    stranger = _fresh / "coverage" / "notes.txt"  # not an entry: never touched
    stranger.write_bytes(b"y" * 1000)
    removed = _cache.evict(cap=250)
    assert [e.path for e in removed] == [oldest, old]
    assert sorted(p.name for p in _fresh.rglob("*.*")) == sorted(
        [store.name, newer.name, "notes.txt"])
    assert _cache.evict(cap=250) == []  # within the cap now
    assert [e.path for e in _cache.evict(cap=0)] == [store, newer]
    assert stranger.exists()


def test_a_read_refreshes_an_entry(_fresh: Path) -> None:
    pop = load_population(DATA / "tracker.jsonl")
    a, b = fw(toy()), fw(toy(deportation=True))
    CoverageCache().evaluate(a, pop, AS_OF)
    CoverageCache().evaluate(b, pop, AS_OF)
    first, second = sorted(_fresh.rglob("*.npz"), key=lambda p: p.stat().st_mtime_ns)
    for i, path in enumerate((first, second)):  # a used before b, both long ago
        when = time.time() - (10 - i) * HOUR
        os.utime(path, (when, when))
    _cache._used.clear()  # as in a new process
    # a is read (in a new cache object, as by a new run): its last use becomes now
    cache = CoverageCache()
    cache.evaluate(a, pop, AS_OF)
    assert (cache.hits, cache.misses) == (1, 0)
    assert time.time() - first.stat().st_mtime < 60
    _cache._used.clear()
    removed = _cache.evict(cap=first.stat().st_size)
    assert [e.path for e in removed] == [second]
    assert first.exists()


def test_the_entries_in_use_are_never_evicted(_fresh: Path) -> None:
    mine = _entry(_fresh, "coverage", "aa01", 100, hours_ago=9)
    _cache.touch(mine)  # used by this process
    os.utime(mine, (time.time() - 9 * HOUR,) * 2)  # (and its time set back)
    store = _entry(_fresh, "population", "reference-x", 100, hours_ago=0.9)  # another run's
    old_store = _entry(_fresh, "population", "reference-y", 100, hours_ago=1.1)
    recent = _entry(_fresh, "coverage", "bb02", 100, hours_ago=0.05)  # read whole, if at all
    old = _entry(_fresh, "coverage", "cc03", 100, hours_ago=8)
    assert [e.path for e in _cache.evict(cap=0)] == [old, old_store, recent]
    assert mine.exists() and store.exists()


def test_a_write_evicts(_fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = [_entry(_fresh, "coverage", f"{i:02d}aa", 10_000, hours_ago=10 - i) for i in range(5)]
    pop = load_population(DATA / "tracker.jsonl")
    monkeypatch.setenv("KZREHAB_CACHE_MAX", "12000")  # an eighth: less than the new entry
    CoverageCache().evaluate(fw(toy()), pop, AS_OF)
    (new,) = set(_fresh.rglob("*.npz")) - set(old)
    assert new.stat().st_size > 12_000 // 8
    assert [p for p in old if p.exists()] == old[-1:]  # the most recently used is kept
    assert new.exists()  # and the entry just written
    assert sum(e.size for e in _cache.entries()) <= 12_000


def test_the_process_evicts_when_it_ends(_fresh: Path) -> None:
    """Less than an eighth of the cap written: no scan during the run, one at its end."""
    old = [_entry(_fresh, "records", f"{i:02d}bb", 400, hours_ago=10 - i) for i in range(4)]
    code = ("import sys; from pathlib import Path; from kzrehab import _cache; "
            "p = Path(sys.argv[1]) / 'records' / 'zz' / 'zz.json'; "
            "p.parent.mkdir(parents=True); p.write_bytes(b'{}'); "
            "_cache.written(sys.argv[1], p); "
            "print(len(_cache.entries(sys.argv[1])))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, str(_fresh)], capture_output=True,
                          text=True, check=True,
                          env={**os.environ, "KZREHAB_CACHE_MAX": "1000"})  # fmt: skip
    assert done.stdout.strip() == "5"  # all there until the end
    assert [p.exists() for p in old] == [False, False, True, True]
    assert (_fresh / "records" / "zz" / "zz.json").exists()


def test_eviction_survives_entries_vanishing_under_it(_fresh: Path) -> None:
    """Two evictions at once (two processes sharing the cache): each skips what the other
    removed, neither fails, and the cache ends within the cap."""
    for i in range(400):
        _entry(_fresh, "coverage", f"{i:04d}", 100, hours_ago=1 + i / 1000)
    failures: list[BaseException] = []

    def evict() -> None:
        try:
            _cache.evict(cap=5_000)
        except BaseException as exc:  # pragma: no cover - the failure reported below
            failures.append(exc)

    threads = [threading.Thread(target=evict) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert 0 < sum(e.size for e in _cache.entries()) <= 5_000
    gone = _cache.entries()[0]
    gone.path.unlink()  # listed, then removed by someone else
    assert _cache._remove(gone) is False


def test_the_reference_population_is_an_entry_marked_when_opened(_fresh: Path) -> None:
    from kzrehab.population import reference_population
    from kzrehab.population.reference import reference_path

    reference_population.cache_clear()
    try:
        reference_population(300, 5)
        path = reference_path(300, 5)
        assert path is not None
        assert [e.path for e in _cache.entries()] == [path]
        os.utime(path, (0, 0))
        reference_population.cache_clear()
        reference_population(300, 5)  # opened from the cache: its use is marked
        assert time.time() - path.stat().st_mtime < 60
        path.unlink()  # evicted by another process: made again, no error
        reference_population.cache_clear()
        assert len(reference_population(300, 5)) == 300
    finally:
        reference_population.cache_clear()


# -- kzrehab cache info | clear ---------------------------------------------------------------


def test_cache_info(_fresh: Path, capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert main(["cache", "info"]) == 0
    assert "(empty: not made yet)" in capsys.readouterr().out
    _entry(_fresh, "population", "reference-x", 2048, hours_ago=30)
    _entry(_fresh, "coverage", "aa01", 1000, hours_ago=2)
    _entry(_fresh, "coverage", "bb02", 500, hours_ago=1)
    monkeypatch.setenv("KZREHAB_CACHE_MAX", "2M")
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"cache directory: {_fresh} (KZREHAB_CACHE)"
    assert out[1] == "size: 3.5 KiB of a cap of 2.0 MiB (KZREHAB_CACHE_MAX)"
    assert out[3].split() == ["kind", "entries", "size", "least", "recently", "used", "last",
                              "used"]  # fmt: skip
    rows = {line.split()[0]: line.split()[1:4] for line in out[5:8]}
    assert rows == {"population": ["1", "2.0", "KiB"], "coverage": ["2", "1.5", "KiB"],
                    "records": ["0", "0", "bytes"]}  # fmt: skip

    assert main(["cache", "info", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cache"] == {"directory": str(_fresh), "set_by": "KZREHAB_CACHE", "exists": True,
                            "size": 3548, "cap": 2 * 1024**2,
                            "cap_set_by": "KZREHAB_CACHE_MAX"}  # fmt: skip
    assert [(k["kind"], k["entries"], k["size"]) for k in doc["kinds"]] == [
        ("population", 1, 2048), ("coverage", 2, 1500), ("records", 0, 0)]
    assert [e["path"] for e in doc["entries"]] == [
        "population/reference-x.kzstore", "coverage/aa/aa01.npz", "coverage/bb/bb02.npz"]
    last = dt.datetime.fromisoformat(doc["kinds"][1]["last_used"])
    assert abs(last.timestamp() - (time.time() - HOUR)) < 60


def test_cache_clear(_fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _entry(_fresh, "population", "reference-x", 2048, hours_ago=24 * 10)
    recent = _entry(_fresh, "coverage", "aa01", 1000, hours_ago=2)
    _entry(_fresh, "records", "bb02", 500, hours_ago=24 * 3)
    keep = _fresh / "population" / "README"
    keep.write_text("not an entry")
    assert main(["cache", "clear", "--older-than", "2"]) == 0
    assert capsys.readouterr().out == (
        f"removed 2 cache entries last used more than 2 days ago (2.5 KiB) from {_fresh}; "
        "1 left (1,000 bytes)\n")
    assert [e.path for e in _cache.entries()] == [recent]
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == (
        f"removed 1 cache entry (1,000 bytes) from {_fresh}; 0 left (0 bytes)\n")
    assert _cache.entries() == [] and keep.exists()
    assert not list((_fresh / "coverage").iterdir())  # its empty folders too
    assert main(["cache", "clear", "--older-than", "soon"]) == 2
    assert "'soon' is not a number of days" in capsys.readouterr().err
