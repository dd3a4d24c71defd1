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
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from ..errors import KzrehabError, UsageError
from ..reports.data.common import PopulationInfo
from ..reports.history import (
    CommitRecord,
    CommitRow,
    LawAdds,
    LawRow,
    LogDocument,
    StatusChange,
    StatusCounts,
    StatusDocument,
)

if TYPE_CHECKING:
    from ..laws.framework import Framework
    from ..laws.provisions import Law
    from ..population import Population
    from .cache import CoverageCache
    from .git import CommitInfo, GitStore

StrPath = str | PathLike[str]
#: called with the commits evaluated so far and their number
Progress = Callable[[int, int], None]

_STATUS_KEYS = ("eligible", "ineligible", "undetermined")


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
        raise UsageError("a log needs the path of at least one law")
    pop, date = _population(population), as_of or dt.date.today()
    base_laws = load_refs(base_refs) if base_refs else []
    base_keys = sorted(law_key(law) for law in base_laws)
    rows: list[CommitRow] = []
    with GitStore(paths[0]) as store:
        relpaths = [store.relative(p) for p in paths]
        if cache is None:
            cache = CoverageCache(arrays=False)
        walk = _Walk(store, relpaths, cache, pop, date, base_laws, base_keys)
        commits = store.log(relpaths, max_count)
        if jobs > 1:
            walk.prefetch(commits, jobs, evaluating)
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
                last_change = None if last is None else _record(last)
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


# -- the walk through the commits ---------------------------------------------------------------


@attrs.frozen
class _State:
    """The laws at a commit: their status counts, versions and blobs (by law id), the
    sorted content keys of their rules, and where to read them from again."""

    status: StatusCounts
    versions: dict[str, str]
    blobs: dict[str, str]
    rules: list[str]
    rev: str
    files: list[tuple[str, Any]]


@attrs.define
class _Walk:
    """What the rows of one log share: the repository and the paths, the cache, the
    population, the base laws, and the content key of every blob read so far."""

    store: GitStore
    relpaths: list[str]
    cache: CoverageCache
    population: Population
    as_of: dt.date
    base: list[Law]
    base_keys: list[str]
    rules_of_blob: dict[str, str] = attrs.Factory(dict)

    def row(self, c: CommitInfo) -> CommitRow:
        """The row of commit ``c``: measured, and compared with its first parent (on a
        branchy history the row below is not necessarily its parent)."""
        commit = _record(c)
        try:
            state = self.state(c.hexsha)
            assert state is not None
        except KzrehabError as err:
            return CommitRow(commit, None, (), None, None, None, None, str(err))
        change: StatusChange | None = None
        gained = lost = None
        try:
            parent = self.state(c.parent, parent=True) if c.parent is not None else None
        except KzrehabError:
            parent = None
        else:
            change = state.status.minus(None if parent is None else parent.status)
            try:
                moved = self.step(state, parent)
            except KzrehabError:
                moved = None
            if moved is not None:
                gained, lost = moved["gained"], moved["lost"]
        before = parent.blobs if parent is not None else {}
        changed = tuple(f"{law} {state.versions[law]}".strip()
                        for law, blob in state.blobs.items() if before.get(law) != blob)
        return CommitRow(commit, state.versions, changed, state.status, change, gained, lost)

    def _key(self, *parts: Iterable[str]) -> list[str]:
        out = [*self.base_keys]
        for p in parts:
            out += ["|", *p]
        return out

    def _files(self, rev: str) -> list[tuple[str, Any]]:
        files: dict[str, Any] = {}
        for rel in self.relpaths:
            files.update(self.store.files(rev, rel, missing_ok=True))
        return list(files.items())

    def _blobs_key(self, files: list[tuple[str, Any]]) -> list[str]:
        return ["blobs", *self._key(sorted(b.hexsha for _, b in files))]

    def state(self, rev: str, *, parent: bool = False) -> _State | None:
        """The laws at ``rev`` (for a parent that holds none of the files, None: nothing
        before). Keyed by their blobs, then by their rules' content."""
        listed = self._files(rev)
        if parent and not listed:
            return None
        entry = self.cache.record(
            self._blobs_key(listed), self.population, self.as_of,
            functools.partial(self._by_content, rev, listed), _valid_entry,
        )  # fmt: skip
        return _State(StatusCounts(**entry["status"]), dict(entry["versions"]),
                      dict(entry["laws"]), list(entry["rules"]), rev, listed)  # fmt: skip

    def _load(self, rev: str, files: list[tuple[str, Any]]) -> list[tuple[Law, str]]:
        from ..keys import law_key

        loaded = [(self.store.law(rev, path, blob), blob.hexsha) for path, blob in files]
        for law, blob in loaded:
            if blob not in self.rules_of_blob:
                self.rules_of_blob[blob] = law_key(law)
        return loaded

    def _by_content(self, rev: str, files: list[tuple[str, Any]]) -> dict[str, Any]:
        """The record of the laws at ``rev`` made from their content: the status counts
        keyed by their rules (rewordings share them), their versions and blobs."""
        from ..laws.framework import Framework

        loaded = self._load(rev, files)
        laws = [law for law, _ in loaded]

        def evaluate() -> dict[str, Any]:
            fw = Framework([*self.base, *laws])
            return {"status": self.cache.evaluate(fw, self.population, self.as_of).counts()}

        rules = sorted(self.rules_of_blob[blob] for _, blob in loaded)
        status = self.cache.record(["rules", *self._key(rules)], self.population, self.as_of,
                                   evaluate, _valid_status_entry)["status"]
        return {"status": status, "versions": {law.id: law.version for law in laws},
                "laws": {law.id: blob for law, blob in loaded}, "rules": rules}  # fmt: skip

    def _framework(self, state: _State | None) -> Framework:
        return self._framework_at(None if state is None else (state.rev, state.files))

    def _framework_at(self, at: tuple[str, list[tuple[str, Any]]] | None) -> Framework:
        """The base laws, with the laws at ``(rev, files)``."""
        from ..laws.framework import Framework

        if at is None:
            return Framework(self.base)
        return Framework([*self.base, *(law for law, _ in self._load(*at))])

    def step(self, new: _State, old: _State | None) -> dict[str, Any] | None:
        """Claims that gain and lose from the parent's laws (or the base alone) to these."""
        from ..comparison import diff

        if old is None and not self.base:
            return None  # nothing before, measured alone: nothing to compare with
        if old is not None and old.rules == new.rules:
            return {"gained": 0, "lost": 0}  # the same rules: a rewording moves no one

        def compute() -> dict[str, Any]:
            d = diff(self.cache.evaluate(self._framework(old), self.population, self.as_of),
                     self.cache.evaluate(self._framework(new), self.population, self.as_of))
            return {"gained": d.gained, "lost": d.lost}

        return self.cache.record(["step", *self._key(old.rules if old is not None else [],
                                                     new.rules)],
                                 self.population, self.as_of, compute, _valid_step)  # fmt: skip

    # -- on all cores: what the rows will need, before them ---------------------------------

    def _peek(self, parts: list[str], valid: Callable[[dict[str, Any]], bool]
              ) -> dict[str, Any] | None:  # fmt: skip
        """The record ``parts``, or None when there is none (nothing is computed)."""

        def missing() -> dict[str, Any]:
            raise _Missing

        try:
            return self.cache.record(parts, self.population, self.as_of, missing, valid)
        except _Missing:
            return None

    def prefetch(self, commits: Sequence[CommitInfo], jobs: int,
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
        revs = dict.fromkeys(r for c in commits for r in (c.hexsha, c.parent) if r is not None)
        files = {rev: self._files(rev) for rev in revs}
        todo = [rev for rev, f in files.items()
                if self._peek(self._blobs_key(f), _valid_entry) is None]  # fmt: skip
        from ..chunks import share
        from ..population.stored import StoredPopulation

        share(self.population)  # before the workers are forked, by the parsing
        self.store.preload(((rev, path, blob) for rev in todo for path, blob in files[rev]),
                           jobs)  # fmt: skip

        if not isinstance(self.population, StoredPopulation):
            return  # a population in memory is evaluated here, row by row
        rules: dict[str, list[str] | None] = {}
        at: dict[tuple[str, ...], str | None] = {}  # a version's rules → a commit with them
        counts: list[tuple[str, ...]] = []
        for rev, f in files.items():
            entry = self._peek(self._blobs_key(f), _valid_entry)
            if entry is not None:
                rules[rev] = list(entry["rules"])
                continue
            try:
                loaded = self._load(rev, f)
            except KzrehabError:
                rules[rev] = None
                continue
            mine = rules[rev] = sorted(self.rules_of_blob[blob] for _, blob in loaded)
            if tuple(mine) not in at and self._peek(["rules", *self._key(mine)],
                                                    _valid_status_entry) is None:
                at[tuple(mine)] = rev
                counts.append(tuple(mine))
        steps: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for c in commits:
            new = rules.get(c.hexsha)
            alone = c.parent is None or not files[c.parent]  # nothing before: the base alone
            if new is None or (alone and not self.base):
                continue
            old = [] if alone else rules.get(c.parent or "")
            if old is None or old == new or (tuple(old), tuple(new)) in steps:
                continue
            if self._peek(["step", *self._key(old, new)], _valid_step) is None:
                steps.append((tuple(old), tuple(new)))
                at.setdefault(tuple(new), c.hexsha)
                at.setdefault(tuple(old), None if alone else c.parent)
        self._measure(at, files, counts, steps, jobs, evaluating)

    def _measure(self, at: dict[tuple[str, ...], str | None], files: dict[str, Any],
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
                fw = self._framework_at(None if rev is None else (rev, files[rev]))
            except KzrehabError:
                continue  # the row says why
            index[key] = len(frameworks)
            frameworks.append(pickle.dumps(fw, pickle.HIGHEST_PROTOCOL))
        counts = [k for k in counts if k in index]
        steps = [(a, b) for a, b in steps if a in index and b in index]
        pop = self.population
        # a few chunks a worker: the work is shared out evenly, and the bar moves
        pairs = tuple((index[old], index[new]) for old, new in steps)
        tasks = [_Versions(tuple(frameworks), pop.source, pop.digest, self.as_of, first, stop,
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
                self.cache.record(["rules", *self._key(key)], pop, self.as_of,
                                  functools.partial(dict, value), _valid_status_entry)
        for (old, new), m in zip(steps, moved, strict=True):
            if m is not None:
                self.cache.record(["step", *self._key(old, new)], pop, self.as_of,
                                  functools.partial(dict, gained=m[0], lost=m[1]), _valid_step)


def _add(totals: list[list[int] | None], more: list[list[int] | None]
         ) -> list[list[int] | None]:  # fmt: skip
    """Counts added item by item (None, a version that could not be evaluated, stays)."""
    return [None if t is None or m is None else [a + b for a, b in zip(t, m, strict=True)]
            for t, m in zip(totals, more, strict=True)]  # fmt: skip


def _valid_status_entry(value: dict[str, Any]) -> bool:
    return _valid_status(value.get("status"))


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
    from ..coverage import Coverage, Part
    from ..evaluation import evaluate_chunk

    last = {i: k for k, pair in enumerate(task.steps) for i in pair}
    held: dict[int, Coverage | None] = {}
    counted: dict[int, list[int] | None] = {}

    def coverage(i: int) -> Coverage | None:
        if i not in held:
            chunk = Chunk(task.frameworks[i], task.population, task.digest, task.as_of,
                          task.first, task.stop)  # fmt: skip
            try:
                fw, pop = open_chunk(chunk)
                part = evaluate_chunk(chunk)
                assert isinstance(part, Part)
                held[i] = Coverage.from_parts(fw, pop, task.as_of, [part])
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
            d = CoverageDiff(old, new)
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
    """A record looked for, not made (:meth:`_Walk._peek`)."""


def _valid_status(value: object) -> bool:
    return (isinstance(value, dict) and sorted(value) == sorted(_STATUS_KEYS)
            and all(type(v) is int for v in value.values()))  # fmt: skip


def _valid_entry(value: dict[str, Any]) -> bool:
    return (_valid_status(value.get("status")) and isinstance(value.get("versions"), dict)
            and isinstance(value.get("laws"), dict)
            and isinstance(value.get("rules"), list))  # fmt: skip


def _valid_step(value: dict[str, Any]) -> bool:
    return all(type(value.get(k)) is int for k in ("gained", "lost"))


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


def _record(c: CommitInfo) -> CommitRecord:
    return CommitRecord(c.hexsha, c.date, c.author, c.message)


def _store_or_none(directory: StrPath) -> GitStore | None:
    from .git import GitStore

    try:
        return GitStore(directory)
    except KzrehabError:
        return None
