"""The cache directory, kept: its entries, their last use, the size cap and eviction.

The cache directory (:func:`kzrehab._io.cache_dir`) holds three kinds of **entry**, each a
regular file that kzrehab can make again, so losing one only costs time:

``population``
   the reference population's store (``population/*.kzstore``,
   :mod:`kzrehab.population.reference`), about 90 MB;
``coverage``
   an evaluated coverage's arrays (``coverage/XX/KEY.npz``,
   :mod:`kzrehab.tracker.cache`), about a megabyte each for the reference population;
``records``
   a small JSON record of the tracker (``records/XX/KEY.json``), a few hundred bytes.

Nothing else in the directory is an entry (a write's temporary file, a file someone put
there): :func:`entries` does not list it, :func:`evict` and :func:`clear` never remove it.

The **last use** of an entry is its modification time: kzrehab sets it to now whenever it
reads the entry (:func:`touch`) and when it writes it, and nothing else in kzrehab changes
it; the access time, which mounts update lazily or never, is not used.

The directory is **capped** at :func:`cache_max` bytes (1 GiB unless ``KZREHAB_CACHE_MAX``
says otherwise). After a write (:func:`written`) the least recently used entries are
removed until the entries fit, leaving alone every entry this process has read or
written, and every population store used in the last hour
(:data:`STORE_IN_USE_SECONDS`), which another run may be reading: a run never loses what
it uses, so a run that needs more than the cap leaves the directory above it until a
later run evicts. The scan runs once an
eighth of the cap has been written since the last one, and once more when the process
ends, so that a run that wrote anything leaves the directory within the cap (within
what is in use). Two processes may share the directory: an entry that vanishes under one
of them (the other evicted it) is skipped here, and is a cache miss for a reader, never
an error.
"""

from __future__ import annotations

__all__ = ["KINDS", "DEFAULT_MAX", "CACHE_MAX_ENV", "STORE_IN_USE_SECONDS", "Entry", "parse_size",
           "cache_max", "entries", "touch", "written", "evict", "clear"]  # fmt: skip

import atexit
import contextlib
import os
import re
import stat
import time
from pathlib import Path

import attrs

from ._io import cache_dir
from .errors import UsageError
from .i18n import _

#: the kinds of entry: the folder they live in, how many levels of sub-folders below it
#: (``coverage/ab/ab12….npz``: one), and the suffix of their files
KINDS: dict[str, tuple[int, str]] = {
    "population": (0, ".kzstore"),
    "coverage": (1, ".npz"),
    "records": (1, ".json"),
}

#: the cap when ``KZREHAB_CACHE_MAX`` is not set: 1 GiB
DEFAULT_MAX = 1024**3
#: the environment variable that sets the cap
CACHE_MAX_ENV = "KZREHAB_CACHE_MAX"
#: a population store last used less than this many seconds ago is spared by eviction:
#: another process may be using it (a store is read from its file all along a run, while a
#: coverage or a record is read whole at once, and missing is only a cache miss)
STORE_IN_USE_SECONDS = 3600

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"\s*(\d{1,15}(?:\.\d{1,6})?)\s*([KMGT]?)(?:I?B)?\s*\Z", re.IGNORECASE)


@attrs.frozen
class Entry:
    """One entry of the cache: its kind, file, size in bytes and last use (seconds since
    the epoch)."""

    kind: str
    path: Path
    size: int
    last_used: float


def parse_size(text: str) -> int:
    """Bytes from ``"1073741824"``, ``"500M"``, ``"2G"``, ``"1.5GiB"``…; the units K, M,
    G and T are binary (``500M`` is 500 MiB, as ``du`` counts), with or without ``B`` or
    ``iB``. A :class:`ValueError` for anything else."""
    m = _SIZE.match(text)
    if m is None:
        raise ValueError(f"not a size: {text!r}")
    number, unit = m.groups()
    return int(float(number) * _UNITS[unit.upper()]) if "." in number \
        else int(number) * _UNITS[unit.upper()]  # fmt: skip


def cache_max() -> int:
    """The cap in bytes: ``KZREHAB_CACHE_MAX`` when set, else :data:`DEFAULT_MAX`.

    A value that is not a size (:func:`parse_size`) is a
    :class:`~kzrehab.errors.UsageError` naming the variable; the command line checks it
    before any work.
    """
    raw = os.environ.get(CACHE_MAX_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MAX
    try:
        return parse_size(raw)
    except ValueError:
        shown = raw if len(raw) <= 30 else raw[:27] + "..."
        raise UsageError(
            _("{variable}={value} is not a size: give a number of bytes, or a number with K, "
              "M, G or T (binary units: 500M is 500 MiB), e.g. 500M or 2G; the default is "
              "1G").format(variable=CACHE_MAX_ENV, value=repr(shown))
        ) from None


def _root(directory: str | os.PathLike[str] | None) -> Path:
    return Path(directory) if directory is not None else cache_dir()


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(path)


def entries(directory: str | os.PathLike[str] | None = None) -> list[Entry]:
    """Every entry of the cache at ``directory`` (default: :func:`~kzrehab._io.cache_dir`),
    by kind in the order of :data:`KINDS`, then by path. Files that vanish while they are
    listed are left out; a directory that cannot be read lists nothing."""
    root = _root(directory)
    out: list[Entry] = []
    for kind, (depth, suffix) in KINDS.items():
        folders = [root / kind]
        for _level in range(depth):
            folders = [sub for f in folders for sub in _subfolders(f)]
        found: list[Entry] = []
        for folder in folders:
            with contextlib.suppress(OSError), os.scandir(folder) as it:
                for item in it:
                    if item.name.startswith(".") or not item.name.endswith(suffix):
                        continue
                    with contextlib.suppress(OSError):
                        st = item.stat(follow_symlinks=False)
                        if stat.S_ISREG(st.st_mode):
                            found.append(Entry(kind, Path(item.path), st.st_size,
                                               st.st_mtime))  # fmt: skip
        out += sorted(found, key=lambda e: e.path)
    return out


def _subfolders(folder: Path) -> list[Path]:
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        return sorted(Path(d.path) for d in it
                      if not d.name.startswith(".") and d.is_dir(follow_symlinks=False))
    return []


# -- use, and eviction ------------------------------------------------------------------------

#: the entries this process has read or written (absolute paths): never evicted by it
_used: set[str] = set()
#: bytes written since the last eviction scan, by cache directory
_pending: dict[str, int] = {}
_registered: list[bool] = []


def touch(path: str | os.PathLike[str]) -> None:
    """Mark the entry at ``path`` used now: its last use is set to now, and this process
    will not evict it. An entry that cannot be touched (it vanished, a read-only cache) is
    left as it is."""
    _used.add(_key(path))
    with contextlib.suppress(OSError):
        os.utime(path)


def written(directory: str | os.PathLike[str] | None, path: str | os.PathLike[str]) -> None:
    """Note that the entry at ``path`` was just written into the cache at ``directory``
    (None: :func:`~kzrehab._io.cache_dir`): it is in use, and the least recently used
    entries are evicted once an eighth of the cap has been written since the last scan, and
    when the process ends (:func:`evict`)."""
    root = _key(_root(directory))
    _used.add(_key(path))
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    _pending[root] = _pending.get(root, 0) + size + 1
    if not _registered:
        _registered.append(True)
        atexit.register(_at_exit)
    with contextlib.suppress(UsageError):
        if _pending[root] > cache_max() // 8:
            evict(root)


def _at_exit() -> None:
    """Evict in every cache directory this process wrote to since its last scan."""
    for root in list(_pending):
        with contextlib.suppress(Exception):  # a cache never fails the run that used it
            evict(root)


def evict(directory: str | os.PathLike[str] | None = None, cap: int | None = None,
          ) -> list[Entry]:  # fmt: skip
    """Remove the least recently used entries until the cache fits in ``cap`` bytes
    (default :func:`cache_max`), sparing the entries this process has used and the
    population stores used less than :data:`STORE_IN_USE_SECONDS` ago (by another process,
    perhaps); return those removed. An entry another process removed first is skipped."""
    root = _root(directory)
    now = time.time()
    _pending.pop(_key(root), None)
    limit = cache_max() if cap is None else cap
    found = entries(root)
    total = sum(e.size for e in found)
    removed: list[Entry] = []
    for e in sorted(found, key=lambda e: (e.last_used, str(e.path))):
        if total <= limit:
            break
        if _key(e.path) in _used or (e.kind == "population"
                                     and now - e.last_used < STORE_IN_USE_SECONDS):
            continue
        done = _remove(e)
        if done is not None:
            total -= e.size  # removed, or gone already
            if done:
                removed.append(e)
    return removed


def _remove(e: Entry) -> bool | None:
    """Remove an entry's file unless it changed since it was listed (used, or rewritten,
    by another process meanwhile): True when removed, False when it was gone already, None
    when it is still there."""
    try:
        st = os.stat(e.path, follow_symlinks=False)
        if st.st_mtime != e.last_used or not stat.S_ISREG(st.st_mode):
            return None
        os.unlink(e.path)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    return True


def clear(directory: str | os.PathLike[str] | None = None, *,
          older_than: float | None = None) -> list[Entry]:  # fmt: skip
    """Remove every entry of the cache, or with ``older_than`` (seconds) those last used
    longer ago than that; return those removed. Empty sub-folders of the kinds' folders
    are removed too; anything that is not an entry is left alone."""
    root = _root(directory)
    now = time.time()
    removed = [e for e in entries(root)
               if (older_than is None or now - e.last_used > older_than) and _remove(e)]
    for kind, (depth, _suffix) in KINDS.items():
        if depth:
            for folder in _subfolders(root / kind):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty
    return removed
