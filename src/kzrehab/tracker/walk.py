"""The walk of one log through its commits (:class:`Walk`): each commit's state and its
change from its first parent, looked up in the cache's records and made on a miss
(:func:`kzrehab.tracker.history.log` tells how the records are keyed). Both the rows,
made one by one (:mod:`kzrehab.tracker.history`), and the work made ahead on all cores
(:mod:`kzrehab.tracker.ahead`) go through it, and through the validators of its records.
"""

from __future__ import annotations

__all__ = ["Walk", "State", "Progress", "record_of", "valid_entry", "valid_status_entry",
           "valid_step"]

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import KzrehabError
from ..reports.history import CommitRecord, CommitRow, StatusChange, StatusCounts

if TYPE_CHECKING:
    from ..coverage import Coverage
    from ..laws.framework import Framework
    from ..laws.provisions import Law
    from ..population import Population
    from .cache import CoverageCache
    from .git import CommitInfo, GitStore

#: called with the commits evaluated so far and their number
Progress = Callable[[int, int], None]

_STATUS_KEYS = ("eligible", "ineligible", "undetermined")


@attrs.frozen
class State:
    """The laws at a commit: their status counts, versions and blobs (by law id), the
    sorted content keys of their rules, and where to read them from again."""

    status: StatusCounts
    versions: dict[str, str]
    blobs: dict[str, str]
    rules: list[str]
    rev: str
    files: list[tuple[str, Any]]


@attrs.define
class Walk:
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
        commit = record_of(c)
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

    def key(self, *parts: Iterable[str]) -> list[str]:
        out = [*self.base_keys]
        for p in parts:
            out += ["|", *p]
        return out

    def files(self, rev: str) -> list[tuple[str, Any]]:
        """The draft files at ``rev``, ``(path, blob)`` (read once per commit)."""
        found = self.files_at.get(rev)
        if found is None:
            files: dict[str, Any] = {}
            for rel in self.relpaths:
                files.update(self.store.files(rev, rel, missing_ok=True))
            found = self.files_at[rev] = list(files.items())
        return found

    def blobs_key(self, files: list[tuple[str, Any]]) -> list[str]:
        return ["blobs", *self.key(sorted(b.hexsha for _, b in files))]

    def state(self, rev: str, *, parent: bool = False) -> State | None:
        """The laws at ``rev`` (for a parent that holds none of the files, None: nothing
        before). Keyed by their blobs, then by their rules' content."""
        listed = self.files(rev)
        if parent and not listed:
            return None
        entry = self.cache.record(
            self.blobs_key(listed), self.population, self.as_of,
            functools.partial(self._by_content, rev, listed), valid_entry,
        )  # fmt: skip
        return State(StatusCounts(**entry["status"]), dict(entry["versions"]),
                      dict(entry["laws"]), list(entry["rules"]), rev, listed)  # fmt: skip

    def load(self, rev: str, files: list[tuple[str, Any]]) -> list[tuple[Law, str]]:
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

        loaded = self.load(rev, files)
        laws = [law for law, _ in loaded]

        def evaluate() -> dict[str, Any]:
            fw = Framework([*self.base, *laws])
            return {"status": self.evaluate(fw).counts()}

        rules = sorted(self.rules_of_blob[blob] for _, blob in loaded)
        status = self.cache.record(["rules", *self.key(rules)], self.population, self.as_of,
                                   evaluate, valid_status_entry)["status"]
        return {"status": status, "versions": {law.id: law.version for law in laws},
                "laws": {law.id: blob for law, blob in loaded}, "rules": rules}  # fmt: skip

    def framework(self, state: State | None) -> Framework:
        return self.framework_at(None if state is None else (state.rev, state.files))

    def framework_at(self, at: tuple[str, list[tuple[str, Any]]] | None) -> Framework:
        """The base laws, with the laws at ``(rev, files)``."""
        from ..laws.framework import Framework

        if at is None:
            return Framework(self.base)
        return Framework([*self.base, *(law for law, _ in self.load(*at))])

    def step(self, new: State, old: State | None) -> dict[str, Any] | None:
        """Claims that gain and lose from the parent's laws (or the base alone) to these."""
        from ..comparison import CoverageDiff
        from ..coverage import unshared

        if old is None and not self.base:
            return None  # nothing before, measured alone: nothing to compare with
        if old is not None and old.rules == new.rules:
            return {"gained": 0, "lost": 0}  # the same rules: a rewording moves no one

        def compute() -> dict[str, Any]:
            a, b = self.evaluate(self.framework(old)), self.evaluate(self.framework(new))
            d = CoverageDiff(*unshared(a, b))  # what they share moves no claim
            return {"gained": d.gained, "lost": d.lost}

        return self.cache.record(["step", *self.key(old.rules if old is not None else [],
                                                     new.rules)],
                                 self.population, self.as_of, compute, valid_step)  # fmt: skip


def valid_status_entry(value: dict[str, Any]) -> bool:
    return _valid_status(value.get("status"))


def _valid_status(value: object) -> bool:
    return (isinstance(value, dict) and sorted(value) == sorted(_STATUS_KEYS)
            and all(type(v) is int for v in value.values()))  # fmt: skip


def valid_entry(value: dict[str, Any]) -> bool:
    return (_valid_status(value.get("status")) and isinstance(value.get("versions"), dict)
            and isinstance(value.get("laws"), dict)
            and isinstance(value.get("rules"), list))  # fmt: skip


def valid_step(value: dict[str, Any]) -> bool:
    return all(type(value.get(k)) is int for k in ("gained", "lost"))


def record_of(c: CommitInfo) -> CommitRecord:
    return CommitRecord(c.hexsha, c.date, c.author, c.message)
