"""The typed data of the tracker's two documents, ``log`` and ``status``, and their JSON.

:func:`kzrehab.log` returns a :class:`LogDocument` (a row per commit) and
:func:`kzrehab.status` a :class:`StatusDocument` (a row per law). Every number in them is
declared with a marker of :mod:`kzrehab.reports.fields`: the counts of claims (and their
changes) with :func:`~kzrehab.reports.fields.count`, the population's sizes and the
suppression threshold with :func:`~kzrehab.reports.fields.figure`. Suppression
(:func:`suppress_log`, :func:`suppress_status`) walks the fields by their marker, not by
the spelling of a JSON key, so a count added to a row is suppressed with the others.

One function per document gives the JSON the commands print: :func:`log_json` and
:func:`status_json` (the keys and their meaning: ``docs/json.rst``). The text, Markdown
and HTML views read the same data (:mod:`kzrehab.reports.history_views`).
"""

from __future__ import annotations

__all__ = [
    "CommitRecord",
    "StatusCounts",
    "StatusChange",
    "CommitRow",
    "LogDocument",
    "LawAdds",
    "LawRow",
    "StatusDocument",
    "log_json",
    "status_json",
    "suppress_log",
    "suppress_status",
    "STATUSES",
]

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..outcome import SHOWN_STATUSES
from .data.common import PopulationInfo, population_json
from .data.labels import with_labels
from .fields import complementary, count, figure

if TYPE_CHECKING:
    import pandas

#: the statuses, in the order the reports show them
STATUSES = SHOWN_STATUSES


# -- shared parts -----------------------------------------------------------------------------


@attrs.frozen
class CommitRecord:
    """Who changed the laws, when, and why: a commit as a report shows it."""

    hexsha: str
    #: the author date, with its time zone
    date: dt.datetime
    author: str
    #: the first line of the message
    message: str

    @property
    def short(self) -> str:
        """The abbreviated hash."""
        return self.hexsha[:7]


@complementary(*STATUSES)
@attrs.frozen
class StatusCounts:
    """Claims by status. Without suppression they add up to the population's claims, so
    one blank count would be worked out from the other two: suppression blanks the smallest
    other one with it (:func:`~kzrehab.reports.fields.complementary`)."""

    eligible: int | None = count()
    ineligible: int | None = count()
    undetermined: int | None = count()

    def minus(self, older: StatusCounts | None) -> StatusChange:
        """The change from ``older`` to these counts (from nothing: these counts)."""
        if older is None:
            return StatusChange(self.eligible, self.ineligible, self.undetermined)
        return StatusChange(*(_minus(getattr(self, s), getattr(older, s))
                              for s in ("eligible", "ineligible", "undetermined")))  # fmt: skip


@attrs.frozen
class StatusChange:
    """A signed change of each status count (these add up to no known total)."""

    eligible: int | None = count()
    ineligible: int | None = count()
    undetermined: int | None = count()


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _commit_repr(c: CommitRecord) -> str:
    return f"{c.short} {c.date:%Y-%m-%d}"


def _status_repr(s: StatusCounts | None) -> str:
    if s is None:
        return "not evaluated"
    return ", ".join(f"{_n(getattr(s, name))} {name}" for name in STATUSES)


def _n(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


# -- log --------------------------------------------------------------------------------------


@attrs.frozen(repr=False)
class CommitRow:
    """One commit that touched the laws: their coverage as committed, and its change."""

    #: the commit: hash, author date, author, first line of the message
    commit: CommitRecord
    #: each law's version label, by law id (None when the laws could not be evaluated)
    versions: Mapping[str, str] | None
    #: the laws this commit changed from its first parent, as ``"LAW_ID VERSION"``
    changed: tuple[str, ...]
    #: claims by status under the laws at this commit (None: could not be evaluated)
    status: StatusCounts | None
    #: ``status`` minus the first parent's (a parent without the laws: ``status`` itself)
    change: StatusChange | None
    #: claims that gain anything at any level from the parent's laws to these (None: not
    #: measured — the oldest commit measured alone, or a side that could not be evaluated)
    gained: int | None = count()
    #: claims that lose anything, likewise
    lost: int | None = count()
    #: why the laws at this commit could not be evaluated
    error: str | None = None

    def __repr__(self) -> str:
        moved = "" if self.gained is None and self.lost is None else (
            f"; {_n(self.gained)} gained, {_n(self.lost)} lost")
        return f"<CommitRow {_commit_repr(self.commit)}: {_status_repr(self.status)}{moved}>"


@attrs.frozen(repr=False)
class LogDocument:
    """``kzrehab log``: the laws' coverage at every commit that touched them, newest first."""

    as_of: dt.date
    population: PopulationInfo
    #: the paths the log is of, as given
    laws: tuple[str, ...]
    #: the laws every commit's laws were measured on top of (None: alone)
    base: tuple[str, ...] | None
    #: newest first
    commits: tuple[CommitRow, ...]
    #: K, when the cells counting fewer than K claims are blanked
    suppressed_below: int | None = figure(default=None)

    def suppress_within(self, original: LogDocument, k: int) -> LogDocument:
        """A row's change is blank where its status or the next older row's is blank, so a
        blank count cannot be recovered by subtraction."""
        rows = list(self.commits)
        for i, row in enumerate(rows):
            if row.change is None or row.status is None:
                continue
            older = rows[i + 1].status if i + 1 < len(rows) else None
            blank = {s: None for s in STATUSES if getattr(row.status, s) is None
                     or (older is not None and getattr(older, s) is None)}  # fmt: skip
            if blank:
                rows[i] = attrs.evolve(row, change=attrs.evolve(row.change, **blank))
        return attrs.evolve(self, commits=tuple(rows))

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per commit, newest first: the table ``commits`` of ``log --format
        csv`` (its columns: docs/reports.rst, *Tables*)."""
        from .tables import table_of

        return table_of(self, "commits").to_records()

    def to_pandas(self) -> pandas.DataFrame:
        """:meth:`to_records` as a :class:`pandas.DataFrame`, counts as ``Int64`` (the
        optional extra ``pandas``: ``pip install 'kzrehab[pandas]'``)."""
        from .tables import table_of

        return table_of(self, "commits").to_pandas("LogDocument.to_pandas()")

    def __repr__(self) -> str:
        newest = f", newest {_commit_repr(self.commits[0].commit)}" if self.commits else ""
        return (f"<LogDocument of {', '.join(self.laws)}: {len(self.commits)} commits"
                f"{newest}>")  # fmt: skip


def log_json(doc: LogDocument) -> dict[str, Any]:
    """The JSON document ``kzrehab log --format json`` prints (``docs/json.rst``)."""
    from ..coverage import SCHEMA

    out: dict[str, Any] = {"schema": SCHEMA, "as_of": doc.as_of.isoformat(),
                           "population": population_json(doc.population),
                           "laws": list(doc.laws),
                           "base": None if doc.base is None else list(doc.base),
                           "commits": [_row_json(r) for r in doc.commits]}  # fmt: skip
    if doc.suppressed_below is not None:
        out["suppressed_below"] = doc.suppressed_below
    return with_labels(out)


def _row_json(r: CommitRow) -> dict[str, Any]:
    out = _commit_json(r.commit)
    if r.versions is not None:
        out["versions"] = dict(r.versions)
    out.update(changed=list(r.changed), status=_status_json(r.status),
               change=_status_json(r.change), gained=r.gained, lost=r.lost)  # fmt: skip
    if r.error is not None:
        out["error"] = r.error
    return out


# -- status -----------------------------------------------------------------------------------


@attrs.frozen
class LawAdds:
    """What a law adds over the laws in force (a law in force: over the others)."""

    #: claims that gain anything, at any level
    gained: int | None = count()
    #: claims that lose anything, at any level
    lost: int | None = count()
    #: the change of the eligible count
    eligible: int | None = count()
    #: the change of the undetermined count
    undetermined: int | None = count()


@attrs.frozen(repr=False)
class LawRow:
    """One law of a directory: what it is, its last change, and what it adds."""

    id: str
    #: the file it is read from
    file: str
    kind: str
    #: the law's own status (``draft``, ``introduced``, ``in-force``, ...)
    status: str
    version: str
    #: the last commit that touched the file (None: never committed, or not in git)
    last_change: CommitRecord | None
    #: whether the working-tree file differs from its last commit
    uncommitted: bool
    #: None when the law could not be evaluated (``error`` says why)
    adds: LawAdds | None
    error: str | None = None

    def __repr__(self) -> str:
        a = self.adds
        adds = (f"could not be evaluated ({self.error})" if a is None
                else f"{_n(a.gained)} gained, {_n(a.lost)} lost")  # fmt: skip
        last = "uncommitted" if self.last_change is None else _commit_repr(self.last_change)
        return f"<LawRow {self.id} ({self.kind}, {self.status}, {last}): {adds}>"


@attrs.frozen(repr=False)
class StatusDocument:
    """``kzrehab status``: every law under a directory, and what it adds to the laws in force."""

    as_of: dt.date
    population: PopulationInfo
    #: the directory, as given
    directory: str
    #: the ids of the laws in force under it
    in_force: tuple[str, ...]
    #: by file path
    laws: tuple[LawRow, ...]
    #: K, when the cells counting fewer than K claims are blanked
    suppressed_below: int | None = figure(default=None)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per law (draft), by file: the table ``laws`` of ``status --format
        csv`` (its columns: docs/reports.rst, *Tables*)."""
        from .tables import table_of

        return table_of(self, "laws").to_records()

    def to_pandas(self) -> pandas.DataFrame:
        """:meth:`to_records` as a :class:`pandas.DataFrame`, counts as ``Int64`` (the
        optional extra ``pandas``: ``pip install 'kzrehab[pandas]'``)."""
        from .tables import table_of

        return table_of(self, "laws").to_pandas("StatusDocument.to_pandas()")

    def __repr__(self) -> str:
        return (f"<StatusDocument of {self.directory}: {len(self.laws)} laws, in force: "
                f"{', '.join(self.in_force) or 'none'}>")  # fmt: skip


def status_json(doc: StatusDocument) -> dict[str, Any]:
    """The JSON document ``kzrehab status --format json`` prints (``docs/json.rst``)."""
    from ..coverage import SCHEMA

    out: dict[str, Any] = {"schema": SCHEMA, "as_of": doc.as_of.isoformat(),
                           "population": population_json(doc.population),
                           "directory": doc.directory, "in_force": list(doc.in_force),
                           "laws": [_law_json(r) for r in doc.laws]}  # fmt: skip
    if doc.suppressed_below is not None:
        out["suppressed_below"] = doc.suppressed_below
    return with_labels(out)


def _law_json(r: LawRow) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.id, "file": r.file, "kind": r.kind, "status": r.status, "version": r.version,
        "last_change": None if r.last_change is None else _commit_json(r.last_change),
        "uncommitted": r.uncommitted,
        "adds": None if r.adds is None else {"gained": r.adds.gained, "lost": r.adds.lost,
                                             "eligible": r.adds.eligible,
                                             "undetermined": r.adds.undetermined},
    }  # fmt: skip
    if r.error is not None:
        out["error"] = r.error
    return out


# -- JSON parts -------------------------------------------------------------------------------


def _commit_json(c: CommitRecord) -> dict[str, Any]:
    return {"commit": c.hexsha, "date": c.date.isoformat(), "author": c.author,
            "message": c.message}  # fmt: skip


def _status_json(s: StatusCounts | StatusChange | None) -> dict[str, int | None] | None:
    if s is None:
        return None
    return {"eligible": s.eligible, "ineligible": s.ineligible, "undetermined": s.undetermined}


# -- suppression ------------------------------------------------------------------------------


def suppress_log(doc: LogDocument, k: int) -> LogDocument:
    """``doc`` with the cells counting fewer than ``k`` claims blanked: the one suppression
    of every report (:func:`kzrehab.reports.privacy.suppress`, ``docs/reports.rst``)."""
    from .privacy import suppress

    return suppress(doc, k)


def suppress_status(doc: StatusDocument, k: int) -> StatusDocument:
    """``doc`` with the cells counting fewer than ``k`` claims blanked: the one suppression
    of every report (:func:`kzrehab.reports.privacy.suppress`, ``docs/reports.rst``)."""
    from .privacy import suppress

    return suppress(doc, k)
