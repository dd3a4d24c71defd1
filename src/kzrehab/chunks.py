"""Chunks of an evaluation, as sent to worker processes (:mod:`kzrehab._pool`).

A :class:`Chunk` is all a worker needs to evaluate part of a population, and small: the
pickled framework (a few hundred kilobytes), the path and digest of the population's
columnar store, the assessment date and the chunk's bounds — no claim. A worker opens
what a chunk names with :func:`open_chunk`: the store once per process (checked against
the digest), the framework once per process. :func:`kzrehab.evaluation.evaluate_chunk`
evaluates it. Workers forked after :func:`share` find the population already open.

Only a stored population has a path: a population in memory (a JSON Lines or CSV
registry read whole) is evaluated in the calling process (:func:`on_pool`); sending it to
every worker would cost more than evaluating it.
"""

from __future__ import annotations

__all__ = ["Chunk", "chunks", "chunk_bounds", "share", "open_chunk", "chunk_columns", "on_pool",
           "MIN_CHUNK"]

import datetime as dt
import pickle
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import Location
from .i18n import _

if TYPE_CHECKING:
    from .laws.framework import Framework
    from .population import Population
    from .population.columns import Columns
    from .population.store import StoredColumns


#: with several jobs, a population is cut into at least as many chunks as jobs, of at least
#: this many claims (and at most ``chunk``)
MIN_CHUNK = 20_000


class Chunk(NamedTuple):
    """One chunk of an evaluation, all a worker needs to evaluate it (small: no claim)."""

    #: the framework, pickled (:func:`pickle.dumps`)
    framework: bytes
    #: the path of the population's columnar store, and its digest (checked when opened)
    population: str
    digest: str
    as_of: dt.date
    #: the chunk's claims: rows ``first`` to ``stop`` (excluded)
    first: int
    stop: int
    #: only the counts (a :class:`~kzrehab.coverage.Tally`), not the per-claim arrays
    summary: bool = False


def chunks(
    fw: Framework,
    population: Population,
    as_of: dt.date,
    *,
    size: int = 1_000_000,
    jobs: int = 1,
    summary: bool = False,
) -> list[Chunk]:
    """The chunks of an evaluation of ``fw`` over a stored population, in order: at most
    ``size`` claims each, and at least ``jobs`` of them (of no fewer than
    :data:`MIN_CHUNK` claims) so that every worker gets one. A population that is not a
    store is a :class:`ValueError` (it has no path a worker could open)."""
    from .population.stored import StoredPopulation

    if not isinstance(population, StoredPopulation):
        raise ValueError(_("only a stored population can be sent to workers by its path"))
    framework = pickle.dumps(fw, pickle.HIGHEST_PROTOCOL)
    share(population)
    return [Chunk(framework, population.source, population.digest, as_of, a, b, summary)
            for a, b in chunk_bounds(len(population), size, jobs)]  # fmt: skip


def share(population: Population) -> None:
    """Hand a stored population, as opened here, to the workers forked from now on: they
    find it open (its columns read and checked so far, not again) instead of opening its
    store by path. Reading a store opens its file anew each time, so a forked copy is
    safe; a spawned worker opens the store itself."""
    from .population.stored import StoredPopulation

    if isinstance(population, StoredPopulation):
        key = (population.source, population.digest)
        if _OPENED.get(key) is not population:
            _remember(_OPENED, key, population)


def chunk_bounds(n: int, size: int, jobs: int) -> list[tuple[int, int]]:
    """``(first, stop)`` of the chunks of ``n`` claims: at most ``size`` claims each, and
    at least ``jobs`` chunks of no fewer than :data:`MIN_CHUNK` claims."""
    step = max(1, min(size, max(MIN_CHUNK, -(-n // max(jobs, 1)))))
    return [(a, min(a + step, n)) for a in range(0, n, step)]


#: in a worker: the stores opened (by path and digest), and the frameworks unpickled (by
#: their bytes' hash), kept for the next chunks (a framework's plan is built once)
_OPENED: dict[tuple[str, str], Population] = {}
_FRAMEWORKS: dict[bytes, Framework] = {}
_KEEP = 8


def open_chunk(chunk: Chunk) -> tuple[Framework, Population]:
    """The framework and the population of a :class:`Chunk`, as a worker opens them: the
    store once per process (its digest checked against the chunk's), the framework once
    per process and framework (so its plan is built once)."""
    import hashlib

    from .errors import RegistryError
    from .population.stored import StoredPopulation

    pop = _OPENED.get((chunk.population, chunk.digest))
    if pop is None:
        pop = StoredPopulation.open(chunk.population)
        if pop.digest != chunk.digest:
            raise RegistryError(_("the population store changed while it was being evaluated"),
                                Location(file=chunk.population))  # fmt: skip
        _remember(_OPENED, (chunk.population, chunk.digest), pop)
    digest = hashlib.sha256(chunk.framework).digest()
    fw = _FRAMEWORKS.get(digest)
    if fw is None:
        fw = _remember(_FRAMEWORKS, digest, pickle.loads(chunk.framework))
    return fw, pop


#: in a worker: the columns of the last chunks read (the versions of a log, attribution's
#: variants, evaluate the same chunk one after the other)
_COLUMNS: dict[tuple[str, str, int, int], Columns | StoredColumns] = {}


def chunk_columns(chunk: Chunk, population: Population) -> Columns | StoredColumns:
    """The columns of a chunk's claims (read from the store, and checked, once for the
    chunks of several frameworks)."""
    key = (chunk.population, chunk.digest, chunk.first, chunk.stop)
    found = _COLUMNS.get(key)
    if found is None:
        columns = population.columns()
        found = columns.slice(chunk.first, chunk.stop)
        if len(_COLUMNS) >= 2:
            _COLUMNS.pop(next(iter(_COLUMNS)))
        _COLUMNS[key] = found
    return found


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(memo) >= _KEEP:
        memo.pop(next(iter(memo)))
    memo[key] = value
    return value


def on_pool(population: Population, jobs: int) -> bool:
    """Whether ``jobs`` worker processes may evaluate ``population`` (a store of more than
    one chunk's claims)."""
    from .population.stored import StoredPopulation

    if jobs < 1:
        raise ValueError(_("jobs must be at least 1, not {jobs}").format(jobs=jobs))
    return jobs > 1 and isinstance(population, StoredPopulation) and len(population) > 1
