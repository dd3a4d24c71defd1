"""A log on all cores: what its rows will need, made before them (:func:`prefetch`).

:func:`kzrehab.log` with ``jobs`` above 1 first parses, on the worker processes, the drafts
of every commit that has no record yet (:meth:`~kzrehab.tracker.git.GitStore.preload`).
Then each worker takes a chunk of the (stored) population and measures on it every
version of the laws whose status counts, or whose change from its parent, is not
recorded — each version evaluated once, its status counted, the claims that gain and
lose from parent to commit counted (:func:`_versions_chunk`) — and sends back a few
integers, which are added in exact integers and recorded under the keys the rows look
up. The rows, made one by one after, then find only records: the same rows as
with ``jobs=1``.
"""

from __future__ import annotations

__all__ = ["prefetch"]

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import KzrehabError
from .walk import Progress, Walk, valid_entry, valid_status_entry, valid_step

if TYPE_CHECKING:
    from ..laws.framework import Framework
    from .git import CommitInfo


def _peek(walk: Walk, parts: list[str], valid: Callable[[dict[str, Any]], bool]
          ) -> dict[str, Any] | None:  # fmt: skip
    """The record ``parts``, or None when there is none (nothing is computed)."""

    def missing() -> dict[str, Any]:
        raise _Missing

    try:
        return walk.cache.record(parts, walk.population, walk.as_of, missing, valid)
    except _Missing:
        return None


def prefetch(walk: Walk, commits: Sequence[CommitInfo], jobs: int,
             evaluating: Progress | None) -> None:  # fmt: skip
    """Before the rows, on ``jobs`` processes: parse the drafts of every commit (and
    first parent) that has no record, then measure every version of the laws whose
    counts, or whose change from its parent, is not recorded, and record them — so
    that the rows, made one by one after, find only records.

    Each worker takes a chunk of the population and evaluates every such version on
    it once, counting statuses and the claims that gain and lose from parent to
    commit there (:func:`_versions_chunk`); the chunks' counts are added in exact
    integers. Nothing large comes back. A version that cannot be evaluated is left
    for its row to report."""
    from ..chunks import share
    from ..population.stored import StoredPopulation

    revs = dict.fromkeys(r for c in commits for r in (c.hexsha, c.parent) if r is not None)
    files = {rev: walk.files(rev) for rev in revs}
    todo = [rev for rev, f in files.items()
            if _peek(walk, walk.blobs_key(f), valid_entry) is None]  # fmt: skip
    share(walk.population)  # before the workers are forked, by the parsing
    walk.store.preload(((rev, path, blob) for rev in todo for path, blob in files[rev]),
                       jobs)  # fmt: skip
    if not isinstance(walk.population, StoredPopulation):
        return  # a population in memory is evaluated here, row by row
    rules: dict[str, list[str] | None] = {}
    at: dict[tuple[str, ...], str | None] = {}  # a version's rules → a commit with them
    counts: list[tuple[str, ...]] = []
    for rev, f in files.items():
        entry = _peek(walk, walk.blobs_key(f), valid_entry)
        if entry is not None:
            rules[rev] = list(entry["rules"])
            continue
        try:
            loaded = walk.load(rev, f)
        except KzrehabError:
            rules[rev] = None
            continue
        mine = rules[rev] = sorted(walk.rules_of_blob[blob] for _, blob in loaded)
        if tuple(mine) not in at and _peek(walk, ["rules", *walk.key(mine)],
                                                valid_status_entry) is None:
            at[tuple(mine)] = rev
            counts.append(tuple(mine))
    steps: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for c in commits:
        new = rules.get(c.hexsha)
        alone = c.parent is None or not files[c.parent]  # nothing before: the base alone
        if new is None or (alone and not walk.base):
            continue
        old = [] if alone else rules.get(c.parent or "")
        if old is None or old == new or (tuple(old), tuple(new)) in steps:
            continue
        if _peek(walk, ["step", *walk.key(old, new)], valid_step) is None:
            steps.append((tuple(old), tuple(new)))
            at.setdefault(tuple(new), c.hexsha)
            at.setdefault(tuple(old), None if alone else c.parent)
    _measure(walk, at, files, counts, steps, jobs, evaluating)


def _measure(walk: Walk, at: dict[tuple[str, ...], str | None], files: dict[str, Any],
             counts: list[tuple[str, ...]],
             steps: list[tuple[tuple[str, ...], tuple[str, ...]]],
             jobs: int, evaluating: Progress | None) -> None:  # fmt: skip
    """Evaluate the versions ``at`` chunk by chunk on ``jobs`` processes, and record the
    status counts of ``counts`` and the gains and losses of ``steps``."""
    import pickle

    from .._pool import ordered_map
    from ..chunks import chunk_bounds

    if not counts and not steps:
        return
    index: dict[tuple[str, ...], int] = {}
    frameworks: list[bytes] = []
    for key, rev in at.items():
        try:
            fw = walk.framework_at(None if rev is None else (rev, files[rev]))
        except KzrehabError:
            continue  # the row says why
        index[key] = len(frameworks)
        frameworks.append(pickle.dumps(fw, pickle.HIGHEST_PROTOCOL))
    counts = [k for k in counts if k in index]
    steps = [(a, b) for a, b in steps if a in index and b in index]
    pop = walk.population
    # a few chunks a worker: the work is shared out evenly, and the bar moves
    pairs = tuple((index[old], index[new]) for old, new in steps)
    tasks = [_Versions(tuple(frameworks), pop.source, pop.digest, walk.as_of, first, stop,
                       tuple(index[k] for k in counts), pairs)
             for first, stop in chunk_bounds(len(pop), 1_000_000, 4 * jobs)]  # fmt: skip
    total = len(tasks)
    if evaluating is not None:
        evaluating(0, total)
    statuses: list[list[int] | None] = [[0, 0, 0] for _ in counts]
    moved: list[list[int] | None] = [[0, 0] for _ in steps]
    done = None if evaluating is None else (lambda n: evaluating(n, total))
    for got_counts, got_steps in ordered_map(_versions_chunk, tasks, jobs, done):
        statuses, moved = _add(statuses, got_counts), _add(moved, got_steps)
    # a version that cannot be evaluated is left for its row to report
    for key, s in zip(counts, statuses, strict=True):
        if s is not None:
            value = {"status": {"eligible": s[2], "ineligible": s[0], "undetermined": s[1]}}
            walk.cache.record(["rules", *walk.key(key)], pop, walk.as_of,
                              functools.partial(dict, value), valid_status_entry)
    for (old, new), m in zip(steps, moved, strict=True):
        if m is not None:
            walk.cache.record(["step", *walk.key(old, new)], pop, walk.as_of,
                              functools.partial(dict, gained=m[0], lost=m[1]), valid_step)


def _add(totals: list[list[int] | None], more: list[list[int] | None]
         ) -> list[list[int] | None]:  # fmt: skip
    """Counts added item by item (None, a version that could not be evaluated, stays)."""
    return [None if t is None or m is None else [a + b for a, b in zip(t, m, strict=True)]
            for t, m in zip(totals, more, strict=True)]  # fmt: skip


class _Versions(NamedTuple):
    """A chunk of the population and the versions of the laws to measure on it (pickled
    frameworks): the statuses of ``counts``, the gains and losses of ``steps``."""

    frameworks: tuple[bytes, ...]
    population: str
    digest: str
    as_of: dt.date
    first: int
    stop: int
    counts: tuple[int, ...]
    steps: tuple[tuple[int, int], ...]


def _versions_chunk(task: _Versions) -> tuple[list[list[int] | None],
                                              list[list[int] | None]]:  # fmt: skip
    """In a worker: per version of ``counts`` the claims by status (ineligible,
    undetermined, eligible), and per step the claims that gain and lose, on one chunk;
    None where a version cannot be evaluated. Each version is evaluated once, and dropped
    once no step needs it any more."""
    import numpy as np

    from ..chunks import Chunk, open_chunk
    from ..comparison import CoverageDiff
    from ..coverage import Coverage, Part, unshared
    from ..evaluation import Known, evaluate_chunk

    last = {i: k for k, pair in enumerate(task.steps) for i in pair}
    held: dict[int, Coverage | None] = {}
    counted: dict[int, list[int] | None] = {}
    # every value computed over the chunk, by signature: each version computes what is new
    memo = Known.memo()
    like: list[Framework] = []  # the version evaluated last, whose program the next forks

    def coverage(i: int) -> Coverage | None:
        if i not in held:
            chunk = Chunk(task.frameworks[i], task.population, task.digest, task.as_of,
                          task.first, task.stop)  # fmt: skip
            try:
                fw, pop = open_chunk(chunk)
                part = evaluate_chunk(chunk, memo, like[-1] if like else None)
                assert isinstance(part, Part)
                held[i] = Coverage.from_parts(fw, pop, task.as_of, [part])
                like[:] = [fw]
            except KzrehabError:
                held[i] = None
            cov = held[i]
            counted[i] = (None if cov is None else
                          [int(x) for x in np.bincount(cov.status, minlength=3)])  # fmt: skip
        return held[i]

    moved: list[list[int] | None] = []
    for k, (a, b) in enumerate(task.steps):
        old, new = coverage(a), coverage(b)
        if old is None or new is None:
            moved.append(None)
        else:
            d = CoverageDiff(*unshared(old, new))  # what they share moves no claim
            moved.append([d.gained, d.lost])
        for i in (a, b):
            if last[i] == k:
                held.pop(i, None)
    for i in task.counts:
        if i not in counted:
            coverage(i)
            held.pop(i, None)
    return [counted[i] for i in task.counts], moved


class _Missing(Exception):
    """A record looked for, not made (:meth:`Walk._peek`)."""
