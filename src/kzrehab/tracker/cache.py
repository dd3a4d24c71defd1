"""A content-keyed cache of coverage results, so the tracker re-evaluates only what changed.

An entry holds the arrays of a :class:`~kzrehab.coverage.Coverage` (status, grounds,
exclusions, categories, components, amount ranges) in one ``.npz`` file, compressed
(deflate at its fastest level: about 1 MB for the reference population's 200,000 claims,
not 40) and written atomically (a temporary file, then a rename; no fsync — a cache file
is never trusted).
It is filed under :func:`~kzrehab.keys.coverage_key`: the content of the framework's rules
(not their prose, file names or commits, so two commits whose drafts differ only in
wording share an entry), the population's verified digest, the assessment date, the limits
in force, :data:`~kzrehab.keys.CACHE_FORMAT` and the kzrehab version (:mod:`kzrehab.keys`).

Small JSON **records** (:meth:`CoverageCache.record`) sit beside the arrays, keyed by any
content ids — the tracker keys a commit's status counts by its drafts' git blob ids, then
by the content of the laws as written (:func:`~kzrehab.keys.law_key`), then by the amended
framework (:mod:`kzrehab.tracker.history`).

Entries live in :func:`~kzrehab._io.cache_dir` (``$KZREHAB_CACHE`` when set, else the
platform's user cache directory). Every read marks the entry used and every write is
followed by eviction within the size cap (:mod:`kzrehab._cache`). A missing, corrupt,
partial or mismatched entry is ignored and rewritten, never trusted; a cache directory
that cannot be written only costs time.
"""

from __future__ import annotations

__all__ = ["CoverageCache", "cache_dir"]

import contextlib
import datetime as dt
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._cache import touch, written
from .._io import cache_dir, write_atomic
from ..errors import KzrehabError
from ..evaluation import evaluate, evaluate_many
from ..keys import CACHE_FORMAT, cache_key, coverage_key

if TYPE_CHECKING:
    from ..coverage import Coverage
    from ..laws.framework import Framework
    from ..population import Population

Tri = np.ndarray[Any, np.dtype[np.int8]]
Floats = np.ndarray[Any, np.dtype[np.float64]]

def _names(framework: Framework) -> dict[str, list[str]]:
    return {
        "grounds": list(framework.covering),
        "exclusions": list(framework.exclusion_law),
        "categories": list(framework.categories),
        "components": list(framework.components),
        "amounts": [c for c, (comp, _, _) in framework.components.items()
                    if comp.amount is not None],
    }  # fmt: skip


class CoverageCache:
    """Coverage results by content key: in this process, and on disk.

    ``directory`` None means :func:`cache_dir`; ``disk=False`` keeps entries in memory
    only. :attr:`hits` and :attr:`misses` count lookups.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *,
                 disk: bool = True, arrays: bool = True) -> None:  # fmt: skip
        self.directory = Path(directory) if directory is not None else cache_dir()
        self.disk = disk
        #: whether coverages' arrays go to disk too (records always do when ``disk``)
        self.arrays = arrays
        self.hits = 0
        self.misses = 0
        self._memory: dict[str, Coverage] = {}
        self._records: dict[str, dict[str, Any]] = {}

    def path(self, key: str) -> Path:
        """The file of an entry."""
        return self.directory / "coverage" / key[:2] / f"{key}.npz"

    def evaluate(
        self, framework: Framework, population: Population, as_of: dt.date, *, jobs: int = 1,
        reuse: Sequence[Coverage] = (),
    ) -> Coverage:
        """The coverage of ``framework``: from the cache, or evaluated (on ``jobs``
        processes, or taking what it shares with the coverages ``reuse`` of the same
        population at the same date: :func:`~kzrehab.evaluation.evaluate`) and stored."""
        key = coverage_key(framework, population, as_of)
        found = self._memory.get(key)
        if found is not None:
            self.hits += 1
            return _rebind(found, framework)
        found = self.load(key, framework, population, as_of) if self.disk and self.arrays else None
        if found is not None:
            self.hits += 1
        else:
            self.misses += 1
            found = evaluate(framework, population, as_of, jobs=jobs, reuse=reuse)
            if self.disk and self.arrays:
                self.store(key, found)
        self._memory[key] = found
        return found

    def evaluate_many(self, frameworks: Sequence[Framework], population: Population,
                      as_of: dt.date, *, jobs: int = 1,
                      done: Callable[[int, int], None] | None = None) -> None:  # fmt: skip
        """Make sure the coverages of ``frameworks`` are at hand: read from the disk, or
        evaluated all at once on ``jobs`` processes
        (:func:`~kzrehab.evaluation.evaluate_many`) and stored, so that
        :meth:`evaluate` finds them. One that cannot be evaluated is left out (its error
        comes when :meth:`evaluate` is asked for it). ``done`` is called with the number
        of frameworks evaluated so far and the number of those not found."""
        todo: dict[str, Framework] = {}
        for fw in frameworks:
            key = coverage_key(fw, population, as_of)
            if key in self._memory or key in todo:
                continue
            found = self.load(key, fw, population, as_of) if self.disk and self.arrays else None
            if found is not None:
                self._memory[key] = found  # a hit when evaluate() asks for it
            else:
                todo[key] = fw
        if done is not None:
            done(0, len(todo))
        results = evaluate_many(list(todo.values()), population, as_of, jobs=jobs,
                                done=None if done is None else lambda n: done(n, len(todo)))
        for key, result in zip(todo, results, strict=True):
            if isinstance(result, KzrehabError):
                continue
            self.misses += 1
            if self.disk and self.arrays:
                self.store(key, result)
            self._memory[key] = result

    def record(
        self,
        parts: Iterable[str],
        population: Population,
        as_of: dt.date,
        compute: Callable[[], dict[str, Any]],
        valid: Callable[[dict[str, Any]], bool],
    ) -> dict[str, Any]:
        """A small JSON record keyed by ``parts`` (content ids), the population and date.

        ``compute`` makes it on a miss; a stored record that ``valid`` rejects is ignored
        and rewritten. The tracker keys a commit's status by its blob ids this way, so a
        warm ``log`` does not even parse the drafts.
        """
        key = cache_key("record", parts, population, as_of)
        found = self._records.get(key)
        if found is not None:
            self.hits += 1
            return found
        path = self.directory / "records" / key[:2] / f"{key}.json"
        stored: Any = None
        if self.disk:
            with contextlib.suppress(OSError, ValueError):
                stored = json.loads(path.read_bytes().decode("utf-8"))
        if (isinstance(stored, dict) and stored.get("key") == key
                and isinstance(stored.get("value"), dict) and valid(stored["value"])):
            _ = population.verified_digest  # served only for the columns the key stands for
            touch(path)
            self.hits += 1
            self._records[key] = stored["value"]
            return self._records[key]
        self.misses += 1
        value = compute()
        self._records[key] = value
        if self.disk:
            with contextlib.suppress(OSError, TypeError, ValueError):
                _write(path, json.dumps({"key": key, "value": value}).encode("utf-8"))
                written(self.directory, path)
        return value

    # -- disk ------------------------------------------------------------------------------

    def load(
        self, key: str, framework: Framework, population: Population, as_of: dt.date
    ) -> Coverage | None:
        """The entry for ``key``, or None when it is missing or cannot be trusted."""
        from ..coverage import Coverage

        path = self.path(key)
        try:
            raw = path.read_bytes()  # read whole: np.load leaks a file it fails to read
            with np.load(io.BytesIO(raw), allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile,
                UnicodeDecodeError):  # fmt: skip
            return None
        n = len(population)
        expected = _names(framework)
        if (not isinstance(meta, dict) or meta.get("format") != CACHE_FORMAT
                or meta.get("key") != key or meta.get("claims") != n):  # fmt: skip
            return None
        names: dict[str, list[str]] = {}
        for group, items in expected.items():
            stored = meta.get(group)
            if not isinstance(stored, list) or sorted(map(str, stored)) != sorted(items):
                return None
            names[group] = [str(x) for x in stored]

        def tri(name: str) -> Tri | None:
            a: Tri | None = arrays.get(name)
            if a is None or a.dtype != np.int8 or a.shape != (n,):
                return None
            if n and (a.min() < 0 or a.max() > 2):
                return None
            return a

        def floats(name: str) -> Floats | None:
            a: Floats | None = arrays.get(name)
            return a if a is not None and a.dtype == np.float64 and a.shape == (n,) else None

        status = tri("status")
        if status is None:
            return None
        groups: dict[str, dict[str, Tri]] = {}
        for group in ("grounds", "exclusions", "categories", "components"):
            found: dict[str, Tri] = {}
            for i, item in enumerate(names[group]):
                a = tri(f"{group}{i}")
                if a is None:
                    return None
                found[item] = a
            groups[group] = found  # in the order the evaluation gave
        lo: dict[str, Floats] = {}
        hi: dict[str, Floats] = {}
        for i, c in enumerate(names["amounts"]):
            low, high = floats(f"lo{i}"), floats(f"hi{i}")
            if low is None or high is None:
                return None
            lo[c], hi[c] = low, high
        _ = population.verified_digest  # served only for the columns the key stands for
        touch(path)
        return Coverage(framework, population, as_of, status, groups["grounds"],
                        groups["exclusions"], groups["categories"], groups["components"],
                        lo, hi)  # fmt: skip

    def store(self, key: str, coverage: Coverage) -> None:
        """Write an entry atomically; a directory that cannot be written is skipped."""
        names = {group: list(getattr(coverage, group))
                 for group in ("grounds", "exclusions", "categories", "components")}
        names["amounts"] = list(coverage.amount_lo)
        meta = {"format": CACHE_FORMAT, "key": key, "claims": len(coverage), **names}
        arrays: dict[str, Any] = {
            "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            "status": coverage.status.astype(np.int8, copy=False),
        }
        for group in ("grounds", "exclusions", "categories", "components"):
            values = getattr(coverage, group)
            for i, item in enumerate(names[group]):
                arrays[f"{group}{i}"] = np.asarray(values[item], dtype=np.int8)
        for i, c in enumerate(names["amounts"]):
            arrays[f"lo{i}"] = np.asarray(coverage.amount_lo[c], dtype=np.float64)
            arrays[f"hi{i}"] = np.asarray(coverage.amount_hi[c], dtype=np.float64)
        buffer = io.BytesIO()
        # np.savez_compressed deflates at level 6: four times slower, for 40% less
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, array in arrays.items():
                with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, array, allow_pickle=False)
        with contextlib.suppress(OSError):
            _write(self.path(key), buffer.getvalue())
            written(self.directory, self.path(key))


def _write(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all, without waiting for the disk: a cache file
    lost to a crash is ignored when read, and made again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, durable=False)


def _rebind(coverage: Coverage, framework: Framework) -> Coverage:
    """The same arrays, for an equivalent framework (its laws' refs and commits)."""
    if coverage.framework is framework:
        return coverage
    return attrs.evolve(coverage, framework=framework)
