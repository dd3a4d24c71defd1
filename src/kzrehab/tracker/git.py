"""Drafts in git: law references ``PATH`` and ``REV:PATH``, history and last changes.

The only module that imports GitPython, and only inside functions, so that commands that
never read a revision never import it.

A law reference is a working-tree ``PATH`` or ``REV:PATH``: the file (or, for a directory,
every ``*.toml`` under it, recursively, hidden ones left out) as committed at any revision
git understands — a hash, a tag, a branch, ``HEAD~2``. As in git, the ``PATH`` of
``REV:PATH`` is relative to the top of the repository, unless it starts with ``./`` or
``../`` (relative to the current directory) or is absolute; either way it must lie inside
the repository. A reference that names an existing file is always a working-tree path, so
``a:b.toml`` on disk is read from disk (``docs/cli.rst``).

Everything here only reads: blobs are read from commit trees, never through the index or
a checkout, and nothing is written to the repository. Problems — not a repository, a bad
revision, a path outside the repository or missing at the revision — are
:class:`~kzrehab.errors.GitError`.
"""

from __future__ import annotations

__all__ = [
    "CommitInfo",
    "GitStore",
    "split_ref",
    "load_refs",
    "load_framework",
    "blob_id",
    "require_git",
]

import contextlib
import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Iterable
from os import PathLike
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import attrs

from .._suggest import nearest_path
from ..errors import DraftError, GitError, KzrehabError, Location
from ..i18n import N_, _
from ..laws.loader import load_law_file, load_law_text
from ..laws.provisions import Law
from ..limits import MAX_FILE_BYTES, fingerprint

if TYPE_CHECKING:
    import git

    from ..laws.framework import Framework

#: parsed laws by git blob id (a blob's content never changes) and the limits they were
#: loaded under, shared by every store
_PARSED: dict[tuple[str, str], Law] = {}
_PARSED_MAX = 512


def _parse(task: tuple[bytes, str, str, str]) -> Law | KzrehabError | None:
    """In a worker: the law in a blob's bytes, read from ``REV:PATH`` at a commit (None
    when the worker's limits are not the caller's)."""
    data, ref, commit, limits = task
    if fingerprint() != limits:
        return None
    try:
        return load_law_text(data, ref, ref=ref, commit=commit)
    except KzrehabError as err:
        return err


def _parse_some(tasks: list[tuple[bytes, str, str, str]]) -> list[Law | KzrehabError | None]:
    """In a worker: :func:`_parse` of several blobs (one task of the pool for a few: a task
    costs more to send than a draft to parse)."""
    return [_parse(task) for task in tasks]


@attrs.frozen
class CommitInfo:
    """One commit, as the tracker shows it."""

    hexsha: str
    #: the author date, with its time zone
    date: dt.datetime
    author: str
    #: the first line of the message
    message: str
    #: the first parent's hash (None for a root commit)
    parent: str | None = None

    @property
    def short(self) -> str:
        """The abbreviated hash."""
        return self.hexsha[:7]


def blob_id(data: bytes) -> str:
    """The git blob id of ``data`` (what ``git hash-object`` prints, without filters)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def split_ref(ref: str | PathLike[str]) -> tuple[str, str] | None:
    """``(REV, PATH)`` for a ``REV:PATH`` reference; None for a working-tree path.

    A reference with no ``:`` or naming an existing file or directory is a path.
    """
    text = os.fspath(ref)
    if ":" not in text or os.path.exists(text):
        return None
    rev, _colon, path = text.partition(":")
    if not rev:
        raise GitError(
            _("'{ref}' names no revision before ':' (write REV:PATH, e.g. HEAD:{path})")
            .format(ref=text, path=path)
        )
    return rev, path


#: what to do when the git program is missing
GIT_MISSING = N_(
    "kzrehab needs the git program for REV:PATH, diff, log and status, and it is not on "
    "the PATH; install it (Debian/Ubuntu: apt install git; Fedora: dnf install git; "
    "macOS: xcode-select --install; Windows: https://git-scm.com/download/win) and try again"
)


def require_git() -> None:
    """Raise :class:`GitError`, saying how to install it, when the ``git`` program is not
    on the ``PATH`` (or ``$GIT_PYTHON_GIT_EXECUTABLE``, GitPython's override, names no
    program); checked before GitPython is imported, which fails without it."""
    if shutil.which(os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git") is None:
        raise GitError(_(GIT_MISSING))


class GitStore:
    """A git repository, read only. Use as a context manager to release git's processes."""

    def __init__(self, start: str | PathLike[str] = ".") -> None:
        """Open the repository holding ``start`` (a directory or a file's path).

        :class:`GitError` when the ``git`` program is not installed (:func:`require_git`).
        """
        require_git()
        import git

        where = Path(start)
        folder = where if where.is_dir() else where.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        try:
            self.repo: git.Repo = git.Repo(folder, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(
                _("{path} is not in a git repository (revisions can only be read from one)")
                .format(path=where)
            ) from None
        if self.repo.working_tree_dir is None:
            raise GitError(_("{path} is a bare repository: it has no working tree").format(
                path=self.repo.git_dir))
        #: the top of the working tree, symbolic links resolved
        self.root = Path(self.repo.working_tree_dir).resolve()
        self._commits: dict[str, git.Commit] = {}

    def __enter__(self) -> GitStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the git processes this store started."""
        with contextlib.suppress(Exception):
            self.repo.close()

    # -- revisions and paths ---------------------------------------------------------------

    def commit(self, rev: str) -> git.Commit:
        """The commit a revision names; :class:`GitError` when it names none."""
        import git

        found = self._commits.get(rev)
        if found is not None:
            return found
        if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
            raise GitError(_("'{rev}' is not a revision").format(rev=rev))
        try:
            found = self.repo.commit(rev)
        except (git.exc.ODBError, git.exc.GitCommandError, ValueError, KeyError, IndexError,
                TypeError, NotImplementedError):  # fmt: skip
            # NotImplementedError: GitPython parses revisions itself and does not know
            # every form git does (HEAD@{yesterday})
            raise GitError(
                _("unknown revision '{rev}' in the repository at {root} (give a commit hash, "
                  "a tag, a branch or e.g. HEAD~1)").format(rev=rev, root=self.root)
            ) from None
        self._commits[rev] = found
        return found

    def relative(self, path: str | PathLike[str], *, from_root: bool = False) -> str:
        """``path`` relative to the top of the repository, as a POSIX path (``""``: the top).

        A relative ``path`` is taken from the current directory, or from the top of the
        repository when ``from_root`` (as in ``REV:PATH``) unless it starts with ``./`` or
        ``../``. A path outside the repository is a :class:`GitError`.
        """
        text = os.fspath(path)
        posix = text.replace(os.sep, "/")
        local = posix in (".", "..") or posix.startswith(("./", "../"))
        if os.path.isabs(text):
            full = Path(os.path.abspath(text))
        elif from_root and not local:
            full = Path(os.path.abspath(self.root / text))
        else:
            full = Path(os.path.abspath(text))
        try:
            rel = _resolve_lexically(full).relative_to(self.root)
        except ValueError:
            raise GitError(_("{path} is outside the repository at {root}").format(
                path=text, root=self.root)) from None
        if rel.parts[:1] == (".git",):
            raise GitError(_("{path} is inside the repository's .git directory").format(
                path=text))
        return rel.as_posix() if rel.parts else ""

    def files(self, rev: str, relpath: str, *, missing_ok: bool = False) -> list[tuple[str, Any]]:
        """The draft files ``relpath`` stands for at ``rev``: ``(path, blob)``, sorted.

        A directory stands for every ``*.toml`` under it (hidden ones left out). A path
        missing at the revision is a :class:`GitError` (an empty list when ``missing_ok``).
        """
        commit = self.commit(rev)
        tree: Any = commit.tree
        try:
            obj: Any = self._walk(tree, relpath, rev)
        except KeyError:
            if missing_ok:
                return []
            near = nearest_path(relpath, lambda folder: _names(tree, folder))
            raise GitError(
                _("{path} does not exist at revision {rev} ({commit})").format(
                    path=relpath, rev=rev, commit=commit.hexsha[:7])
                + (_("; did you mean {name}?").format(name=repr(near)) if near else "")
            ) from None
        if obj.type == "blob":
            return [(str(obj.path), obj)]
        if obj.type != "tree":
            raise GitError(_("{path} at revision {rev} is a submodule, not a draft").format(
                path=relpath, rev=rev))
        found: list[tuple[str, Any]] = sorted(
            ((str(o.path), o) for o in obj.traverse()
             if o.type == "blob" and o.path.endswith(".toml")
             and not _hidden(PurePosixPath(o.path).relative_to(obj.path or "."))),
            key=lambda pair: pair[0],
        )  # fmt: skip
        if not found and not missing_ok:
            raise GitError(
                _("no draft (*.toml) under the directory {path} at revision {rev} ({commit})")
                .format(path=relpath or ".", rev=rev, commit=commit.hexsha[:7])
            )
        return found

    @staticmethod
    def _walk(tree: Any, relpath: str, rev: str) -> Any:
        """The object at ``relpath`` in ``tree``, one part at a time, so that a path through
        a file or a submodule is a :class:`GitError` (KeyError: missing)."""
        obj = tree
        walked: list[str] = []
        for part in PurePosixPath(relpath).parts if relpath else ():
            if obj.type != "tree":
                said = (_("{path} at revision {rev} is not a path to a draft: {part} is a "
                          "submodule, not a directory") if obj.type == "submodule"
                        else _("{path} at revision {rev} is not a path to a draft: {part} is "
                               "a file, not a directory"))  # fmt: skip
                raise GitError(said.format(path=relpath, rev=rev, part="/".join(walked)))
            obj = obj / part
            walked.append(part)
        return obj

    # -- laws ------------------------------------------------------------------------------

    def law(self, rev: str, path: str, blob: Any) -> Law:
        """The law in a blob, recorded as read from ``REV:PATH`` at its commit."""
        commit = self.commit(rev)
        ref = f"{rev}:{path}"
        key = (blob.hexsha, fingerprint())
        cached = _PARSED.get(key)
        if cached is not None:
            return attrs.evolve(cached, ref=ref, commit=commit.hexsha)
        limit = MAX_FILE_BYTES.value
        if blob.size > limit:
            raise DraftError(MAX_FILE_BYTES.message(f"{ref} ({blob.size} bytes)"),
                             Location(file=ref))  # fmt: skip
        data = blob.data_stream.read()
        law = load_law_text(data, ref, ref=ref, commit=commit.hexsha)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = law
        return law

    def preload(self, files: Iterable[tuple[str, str, Any]], jobs: int) -> None:
        """Parse the drafts ``(rev, path, blob)`` not parsed yet on ``jobs`` worker
        processes, so that :meth:`law` finds them (each blob once; one that cannot be
        parsed is left for :meth:`law` to report)."""
        from .._pool import ordered_map

        if jobs < 2:
            return  # read one by one by law(), as they are needed
        key = fingerprint()
        todo: dict[str, tuple[bytes, str, str, str]] = {}
        for rev, path, blob in files:
            if (blob.hexsha, key) in _PARSED or blob.hexsha in todo:
                continue
            if blob.size <= MAX_FILE_BYTES.value:
                ref = f"{rev}:{path}"
                todo[blob.hexsha] = (blob.data_stream.read(), ref, self.commit(rev).hexsha, key)
        if len(todo) < 2:
            return
        tasks = list(todo.values())
        size = -(-len(tasks) // (4 * jobs))  # four batches a worker: the work shared evenly
        batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
        parsed = (law for some in ordered_map(_parse_some, batches, jobs) for law in some)
        for blob_id_, law in zip(todo, parsed, strict=True):
            if isinstance(law, Law):
                if len(_PARSED) >= _PARSED_MAX:
                    _PARSED.pop(next(iter(_PARSED)))
                _PARSED[(blob_id_, key)] = law

    def laws_at(
        self, rev: str, paths: Iterable[str | PathLike[str]], *, missing_ok: bool = False
    ) -> list[tuple[Law, str]]:
        """The laws at working-tree ``paths`` as committed at ``rev``: ``(law, blob id)``."""
        out: list[tuple[Law, str]] = []
        seen: set[str] = set()
        for given in paths:
            for path, blob in self.files(rev, self.relative(given), missing_ok=missing_ok):
                if path not in seen:
                    seen.add(path)
                    out.append((self.law(rev, path, blob), blob.hexsha))
        return out

    # -- history ---------------------------------------------------------------------------

    def log(self, relpaths: Iterable[str], max_count: int | None = None,
            rev: str = "HEAD", *, no_merges: bool = False) -> list[CommitInfo]:  # fmt: skip
        """The commits that touched ``relpaths`` (``git log -- PATHS``), newest first."""
        import git

        self.commit(rev)
        paths = [p or "." for p in relpaths]
        kwargs: dict[str, Any] = {} if max_count is None else {"max_count": max_count}
        if no_merges:
            kwargs["no_merges"] = True
        try:
            commits = list(self.repo.iter_commits(rev, paths=paths, **kwargs))
        except git.GitCommandError as exc:
            raise GitError(_("git log failed: {reason}").format(
                reason=exc.stderr.strip() or exc)) from None
        return [_info(c) for c in commits]

    def last_change(self, relpath: str) -> CommitInfo | None:
        """The last commit that touched ``relpath``, or None (untracked, or no commit yet).
        A merge is not a change of its own: the commit it brought in is."""
        try:
            found = self.log([relpath], max_count=1, no_merges=True)
        except GitError:
            return None
        return found[0] if found else None

    def uncommitted(self, path: str | PathLike[str]) -> bool:
        """True when the working-tree file differs from ``HEAD`` (or is not in it).

        Compares blob ids computed here, so the index is neither read nor refreshed.
        """
        relpath = self.relative(path)
        try:
            blob = self.commit("HEAD").tree / relpath
        except (GitError, KeyError):
            return True
        try:
            data = Path(path).read_bytes()
        except OSError:
            return True
        return bool(blob.hexsha != blob_id(data))


def _names(tree: Any, folder: str) -> list[str] | None:
    """The names in ``folder`` of a commit's tree, or None when it is no folder there."""
    try:
        obj = tree if folder in ("", ".") else tree / folder
    except KeyError:
        return None
    return [PurePosixPath(o.path).name for o in obj] if obj.type == "tree" else None


def _info(c: Any) -> CommitInfo:
    message = c.message if isinstance(c.message, str) else c.message.decode("utf-8", "replace")
    return CommitInfo(
        hexsha=c.hexsha,
        date=c.authored_datetime,
        author=str(c.author.name or c.author.email or ""),
        message=(message.strip().splitlines() or [""])[0],
        parent=c.parents[0].hexsha if c.parents else None,
    )


def _hidden(relative: PurePosixPath) -> bool:
    """Hidden, or under a ``cases`` directory (law test cases, not laws): as on disk."""
    return any(part.startswith(".") for part in relative.parts) or "cases" in relative.parts[:-1]


def _resolve_lexically(path: Path) -> Path:
    """``path`` with symbolic links resolved for the part of it that exists."""
    existing = path
    rest: list[str] = []
    while not existing.exists() and existing != existing.parent:
        rest.append(existing.name)
        existing = existing.parent
    resolved = existing.resolve()
    for name in reversed(rest):
        resolved = resolved / name
    return resolved


def load_refs(refs: Iterable[str | PathLike[str]]) -> list[Law]:
    """Load the laws at ``refs``: working-tree paths and ``REV:PATH`` references.

    Working-tree paths are read as :func:`~kzrehab.laws.loader.load_laws` reads them;
    ``REV:PATH`` references from the repository holding the current directory. Two laws
    with the same id are a :class:`~kzrehab.errors.DraftError` naming both.
    """
    from ..laws.loader import expand_paths, load_laws

    refs = list(refs)
    parsed = [(ref, split_ref(ref)) for ref in refs]
    if all(split is None for _, split in parsed):
        return load_laws(refs)
    laws: list[Law] = []
    seen: set[tuple[str | None, str]] = set()
    store: GitStore | None = None
    try:
        for ref, split in parsed:
            if split is None:
                for file in expand_paths([ref]):
                    key = (None, str(file.resolve()))
                    if key not in seen:
                        seen.add(key)
                        laws.append(load_law_file(file))
                continue
            rev, path = split
            store = store or GitStore(".")
            commit = store.commit(rev).hexsha
            for relpath, blob in store.files(rev, store.relative(path, from_root=True)):
                if (commit, relpath) not in seen:
                    seen.add((commit, relpath))
                    laws.append(store.law(rev, relpath, blob))
    finally:
        if store is not None:
            store.close()
    by_id: dict[str, Law] = {}
    for law in laws:
        if law.id in by_id:
            raise DraftError(
                _("law id '{id}' is used by both {first} and {second}").format(
                    id=law.id, first=by_id[law.id].ref, second=law.ref),
                Location(file=law.ref, key="law.id"),
            )
        by_id[law.id] = law
    return laws


def load_framework(refs: Iterable[str | PathLike[str]]) -> Framework:
    """Load the laws at ``refs`` into a checked framework: files, directories, or ``REV:PATH``
    as committed in git (:func:`load_refs`). This is ``kzrehab.load_framework``."""
    from ..laws.framework import Framework

    return Framework(load_refs(refs))
