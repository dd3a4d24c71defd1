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
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import KzrehabError, UsageError
from ..i18n import _
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
    from ..coverage import Coverage
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
        raise UsageError(_("a log needs the path of at least one law"))
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
    files_at: dict[str, list[tuple[str, Any]]] = attrs.Factory(dict)
    #: the coverage evaluated last, whose outputs the next evaluation takes where it
    #: shares them (consecutive commits mostly do)
    recent: list[Coverage] = attrs.Factory(list)

    def evaluate(self, fw: Framework) -> Coverage:
        """The coverage of ``fw``, from the cache or evaluated, reusing the last one's
        shared outputs (:func:`kzrehab.evaluation.evaluate`, ``reuse``)."""
        cov = self.cache.evaluate(fw, self.population, self.as_of, reuse=self.recent)
        self.recent[:] = [cov]
        return cov

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
        """The draft files at ``rev``, ``(path, blob)`` (read once per commit)."""
        found = self.files_at.get(rev)
        if found is None:
            files: dict[str, Any] = {}
            for rel in self.relpaths:
                files.update(self.store.files(rev, rel, missing_ok=True))
            found = self.files_at[rev] = list(files.items())
        return found

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
            return {"status": self.evaluate(fw).counts()}

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
        from ..comparison import CoverageDiff
        from ..coverage import unshared

        if old is None and not self.base:
            return None  # nothing before, measured alone: nothing to compare with
        if old is not None and old.rules == new.rules:
            return {"gained": 0, "lost": 0}  # the same rules: a rewording moves no one

        def compute() -> dict[str, Any]:
            a, b = self.evaluate(self._framework(old)), self.evaluate(self._framework(new))
            d = CoverageDiff(*unshared(a, b))  # what they share moves no claim
            return {"gained": d.gained, "lost": d.lost}

        return self.cache.record(["step", *self._key(old.rules if old is not None else [],
                                                     new.rules)],
                                 self.population, self.as_of, compute, _valid_step)  # fmt: skip


def _valid_status_entry(value: dict[str, Any]) -> bool:
    return _valid_status(value.get("status"))


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
