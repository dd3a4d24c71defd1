"""The laws through their history: :func:`log` and :func:`status`.

:func:`log` measures the laws at every commit that touched them; :func:`status` measures
what each law of a directory adds to the laws in force. Both return typed documents
(:mod:`kzrehab.reports.history`): counts by status, their change, the claims that gain and
lose at any level, and beside them who changed the laws, when and why (the commit).

A log evaluates as little as it can, through :class:`~kzrehab.tracker.cache.CoverageCache`
records on three levels:

1. a commit's status counts are keyed by its drafts' git **blob ids** (and the ``base``
   laws' content): a warm log reads these records and parses no draft;
2. on a miss, by the **content of the laws as written** (:func:`kzrehab.keys.law_key`), so
   two commits whose drafts differ only in wording share a record;
3. on a miss again, the coverage of the **amended framework** is evaluated (and filed
   under :func:`kzrehab.keys.coverage_key`).

The claims that gain and lose from a commit's first parent to it are keyed by the two
commits' contents; equal rules move no one, and are not evaluated.

>>> import kzrehab
>>> doc = kzrehab.log(["drafts/bills"], base=["drafts/current"])   # doctest: +SKIP
>>> doc.commits[0].status.eligible                                  # doctest: +SKIP
"""

from __future__ import annotations

__all__ = ["log", "status"]

import contextlib
import datetime as dt
import os
from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING

from ..errors import KzrehabError, UsageError
from ..i18n import _
from ..reports.data.common import PopulationInfo
from ..reports.history import (
    CommitRow,
    LawAdds,
    LawRow,
    LogDocument,
    StatusDocument,
)
from .walk import Progress, Walk, record_of

if TYPE_CHECKING:
    from ..laws.framework import Framework
    from ..laws.provisions import Law
    from ..population import Population
    from .cache import CoverageCache
    from .git import GitStore

StrPath = str | PathLike[str]


def log(
    laws: StrPath | Sequence[StrPath],
    *,
    base: StrPath | Sequence[StrPath] | None = None,
    population: Population | None = None,
    as_of: dt.date | None = None,
    max_count: int | None = None,
    cache: CoverageCache | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    evaluating: Progress | None = None,
) -> LogDocument:
    """The coverage of ``laws`` (working-tree files or directories in one git repository,
    or one of them) at every commit that touched them, newest first.

    Each commit's laws are measured alone, or on top of the ``base`` laws (paths or
    ``REV:PATH``, e.g. the laws in force); each row's change and the claims that gain and
    lose are from the commit's first parent. A commit whose laws cannot be evaluated gets
    a row with its ``error``. ``population`` defaults to the bundled reference population,
    ``as_of`` to today, ``max_count`` (the newest commits only) to all; ``cache`` to a
    cache on disk (:func:`kzrehab.tracker.cache.cache_dir`) that keeps records, not the
    coverages' arrays. ``progress`` is called with the commits done and their number.

    With ``jobs`` above 1, the drafts of every commit not recorded yet are first parsed,
    and every distinct version of the laws whose counts or changes are not recorded is
    measured, all at once on ``jobs`` worker processes, a chunk of a stored population
    each (``evaluating`` is called with the chunks done and their number); the rows are
    the same as with ``jobs=1``.
    """
    from ..keys import law_key
    from .cache import CoverageCache
    from .git import GitStore, load_refs

    paths, base_refs = _paths(laws), _paths(base or [])
    if not paths:
        raise UsageError(_("a log needs the path of at least one law"))
    pop, date = _population(population), as_of or dt.date.today()
    base_laws = load_refs(base_refs) if base_refs else []
    base_keys = sorted(law_key(law) for law in base_laws)
    rows: list[CommitRow] = []
    with GitStore(paths[0]) as store:
        relpaths = [store.relative(p) for p in paths]
        if cache is None:
            cache = CoverageCache(arrays=False)
        walk = Walk(store, relpaths, cache, pop, date, base_laws, base_keys)
        commits = store.log(relpaths, max_count)
        if jobs > 1:
            from .ahead import prefetch

            prefetch(walk, commits, jobs, evaluating)
        if progress is not None:
            progress(0, len(commits))
        for c in commits:
            rows.append(walk.row(c))
            if progress is not None:
                progress(len(rows), len(commits))
    return LogDocument(date, PopulationInfo.of(pop), tuple(paths),
                       tuple(base_refs) if base_refs else None, tuple(rows))  # fmt: skip


def status(
    directory: StrPath = "drafts",
    *,
    population: Population | None = None,
    as_of: dt.date | None = None,
    cache: CoverageCache | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> StatusDocument:
    """Every law under ``directory``, by file path, and what it adds to the laws in force
    there (a law in force: to the other laws in force): the claims that gain and lose
    anything, and the change of the eligible and undetermined counts.

    In a git repository each law's row has its last change and whether the file has
    uncommitted changes; elsewhere none. A law that cannot be evaluated gets a row with its
    ``error``. ``population`` defaults to the bundled reference population, ``as_of`` to
    today, ``cache`` to a cache on disk (:func:`kzrehab.tracker.cache.cache_dir`).
    The frameworks are evaluated all at once on ``jobs`` worker processes (the same rows
    as with ``jobs=1``); ``progress`` is called with the frameworks evaluated and their
    number.
    """
    from ..comparison import diff
    from ..laws.framework import Framework
    from ..laws.loader import expand_paths, load_law_file
    from .cache import CoverageCache

    pop, date = _population(population), as_of or dt.date.today()
    if cache is None:
        cache = CoverageCache()
    found: list[tuple[str, Law]] = [(str(f), load_law_file(f)) for f in expand_paths([directory])]
    in_force = [law for _, law in found if law.status == "in-force"]
    store = _store_or_none(directory)
    rows: list[LawRow] = []
    sides = [_sides(law, in_force) for _, law in found]
    frameworks: list[Framework] = []
    for side in (s for pair in sides for s in pair):
        with contextlib.suppress(KzrehabError):  # the row says why, below
            frameworks.append(Framework(side))
    cache.evaluate_many(frameworks, pop, date, jobs=jobs, done=progress)
    try:
        for (file, law), (base, head) in zip(found, sides, strict=True):
            last_change, uncommitted = None, True
            if store is not None:
                last = store.last_change(store.relative(file))
                last_change = None if last is None else record_of(last)
                uncommitted = store.uncommitted(file)
            adds: LawAdds | None = None
            error: str | None = None
            try:
                d = diff(cache.evaluate(Framework(base), pop, date),
                         cache.evaluate(Framework(head), pop, date))  # fmt: skip
                b, h = d.base.counts(), d.head.counts()
                adds = LawAdds(d.gained, d.lost, h["eligible"] - b["eligible"],
                               h["undetermined"] - b["undetermined"])  # fmt: skip
            except KzrehabError as err:
                error = str(err)
            rows.append(LawRow(law.id, file, law.kind, law.status, law.version, last_change,
                               uncommitted, adds, error))  # fmt: skip
    finally:
        if store is not None:
            store.close()
    return StatusDocument(date, PopulationInfo.of(pop), os.fspath(directory),
                          tuple(law.id for law in in_force), tuple(rows))  # fmt: skip


def _sides(law: Law, in_force: list[Law]) -> tuple[list[Law], list[Law]]:
    """The laws without ``law`` and with it (a law in force: the other laws in force)."""
    if law.status == "in-force":
        return [x for x in in_force if x is not law], in_force
    return in_force, [*in_force, law]


# -- shared -------------------------------------------------------------------------------------


def _paths(given: StrPath | Sequence[StrPath]) -> list[str]:
    """One path or several, as strings."""
    if isinstance(given, str | PathLike):
        return [os.fspath(given)]
    return [os.fspath(p) for p in given]


def _population(population: Population | None) -> Population:
    if population is not None:
        return population
    from ..population import reference_population

    return reference_population()


def _store_or_none(directory: StrPath) -> GitStore | None:
    from .git import GitStore

    try:
        return GitStore(directory)
    except KzrehabError:
        return None
