"""Low-level file helpers shared by every layer: atomic writes, reading regular files only,
and the cache directory.

Inputs are read only when they are regular files: :func:`open_regular` refuses a directory,
a device (``/dev/zero``), a FIFO or a socket before reading a byte, and never blocks on a
FIFO. Outputs are written by :func:`write_atomic`, which refuses to replace a symbolic
link, a device, a FIFO or a socket, and removes the temporary files that interrupted
writes (``kill -9``, a power cut) left beside its target.
"""

from __future__ import annotations

__all__ = ["write_atomic", "atomic_output", "cache_dir", "open_regular", "NotRegularFileError",
           "not_regular", "STALE_SECONDS"]  # fmt: skip

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError
from .i18n import N_, _

#: a temporary file of an interrupted write is removed when it is at least this old (and no
#: process holds its lock)
STALE_SECONDS = 600

_KINDS = ((stat.S_ISCHR, N_("a character device")), (stat.S_ISBLK, N_("a block device")),
          (stat.S_ISFIFO, N_("a FIFO (named pipe)")), (stat.S_ISSOCK, N_("a socket")),
          (stat.S_ISDIR, N_("a directory")), (stat.S_ISLNK, N_("a symbolic link")))  # fmt: skip


class NotRegularFileError(OSError):
    """A path names a device, FIFO, socket or directory where a regular file is needed."""


def not_regular(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file (``"a FIFO (named pipe)"``),
    or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, what in _KINDS:
        if test(mode):
            return _(what)
    return _("not a regular file")


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` for reading in binary, only if it is a regular file.

    The path is checked before it is opened (a FIFO is never opened), then opened without
    blocking and checked again on the open file (it may have been swapped in between).
    Raises :class:`FileNotFoundError`, :class:`IsADirectoryError`,
    :class:`NotRegularFileError` (whose ``strerror`` says what the path is) or another
    :class:`OSError`.
    """
    _require_regular(os.stat(path).st_mode, path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        _require_regular(os.fstat(fd).st_mode, path)
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _require_regular(mode: int, path: str | os.PathLike[str]) -> None:
    what = not_regular(mode)
    if what is None:
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, _("is a directory, not a file"), os.fspath(path))
    raise NotRegularFileError(errno.EINVAL, _("is {what}, not a regular "
                                              "file").format(what=what), os.fspath(path))


def cache_dir() -> Path:
    """Where kzrehab keeps caches: ``$KZREHAB_CACHE`` when set, else the platform's user
    cache directory (``platformdirs.user_cache_dir``): ``~/.cache/kzrehab`` on Linux (or
    ``$XDG_CACHE_HOME/kzrehab``), ``~/Library/Caches/kzrehab`` on macOS,
    ``%LOCALAPPDATA%\\kzrehab\\Cache`` on Windows. :mod:`kzrehab._cache` keeps it within its
    size cap."""
    env = os.environ.get("KZREHAB_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs  # here: ``kzrehab --help`` never needs it

    return Path(platformdirs.user_cache_dir("kzrehab", appauthor=False))


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes | Iterable[str], *, durable: bool = True
) -> None:
    """Write ``data`` (text, bytes, or text in chunks) to ``path`` atomically.

    A temporary file beside ``path`` is written, flushed to disk and renamed over it; on
    any failure the temporary file is removed and ``path`` is as it was. A new file gets
    the usual permissions (umask); a replaced one keeps its own. ``durable=False`` skips
    waiting for the disk, for caches: a file lost to a crash is simply made again.

    ``path`` must be a regular file or not exist: a symbolic link, a device, a FIFO or a
    socket is refused with :class:`~kzrehab.errors.UsageError` (a link is not written
    through: give the path it points to). Temporary files that interrupted writes to
    ``path`` left behind are removed first, when :data:`STALE_SECONDS` old and not in use.
    """
    with atomic_output(path, durable=durable) as out:
        if isinstance(data, bytes):
            out.write(data)
        elif isinstance(data, str):
            out.write(data.encode("utf-8"))
        else:
            buffer: list[str] = []
            for chunk in data:
                buffer.append(chunk)
                if len(buffer) >= 4096:
                    out.write("".join(buffer).encode("utf-8"))
                    buffer.clear()
            out.write("".join(buffer).encode("utf-8"))


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, atomically, for output too large to hold
    (a store written chunk by chunk): ``with atomic_output(p) as out: out.write(…)``.

    The same guarantees as :func:`write_atomic`: a temporary file beside ``path``, renamed
    over it when the block ends without an exception and removed when it raises.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(_("cannot write {target}: folder {directory} does not exist").format(
                             target=target, directory=directory))
    refuse_target(target)
    remove_stale_temporaries(target)
    fd, tmp = _create_beside(target)
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_directory(directory)


def refuse_target(target: Path) -> None:
    """Refuse an output path that is a symbolic link or not a regular file (UsageError)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError:
        return  # the write itself will report what is wrong
    if stat.S_ISLNK(mode):
        try:
            pointed = os.readlink(target)
        except OSError:  # pragma: no cover - a link removed in between
            pointed = "?"
        raise UsageError(
            _("cannot write {target}: it is a symbolic link (to {pointed}); kzrehab does not "
              "write through links: give the path of the file itself").format(
                target=target, pointed=pointed)
        )
    what = not_regular(mode)
    if what is not None and not stat.S_ISDIR(mode):  # a directory: os.replace says so
        raise UsageError(_("cannot write {target}: it is {what}, not a regular file").format(
                             target=target, what=what))


def _temporary_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{target.name}.") + r"[0-9a-f]{12}\.tmp\Z")


def remove_stale_temporaries(target: Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temporary files of interrupted writes to ``target``; return them.

    A candidate is named as :func:`write_atomic` names its temporary files
    (``.NAME.<12 hex digits>.tmp``, beside ``target``), is a regular file (not a link)
    owned by this user, was last modified at least ``older_than`` seconds ago, and no
    process holds the lock that every write holds on its temporary file while it lives.
    Anything that fails is left alone: cleaning only saves space.
    """
    directory = target.parent if str(target.parent) else Path(".")
    pattern = _temporary_pattern(target)
    removed: list[Path] = []
    now = time.time()
    try:
        names = [n for n in os.listdir(directory) if pattern.match(n)]
    except OSError:
        return removed
    for name in names:
        tmp = directory / name
        with contextlib.suppress(OSError):
            st = os.lstat(tmp)
            if (not stat.S_ISREG(st.st_mode) or now - st.st_mtime < older_than
                    or (hasattr(os, "geteuid") and st.st_uid != os.geteuid())):  # fmt: skip
                continue
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                if not _try_lock(fd):
                    continue  # a write in progress holds it
                if os.fstat(fd).st_ino != st.st_ino:
                    continue  # pragma: no cover - replaced in between
                os.unlink(tmp)
                removed.append(tmp)
            finally:
                os.close(fd)
    return removed


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; True where locks do not exist."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the age alone decides
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _create_beside(target: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file next to ``target`` (mode 0o666 less the umask),
    locked for as long as its descriptor is open (see :func:`remove_stale_temporaries`)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:  # pragma: no cover - a 48-bit collision
            continue
        _try_lock(fd)
        return fd, tmp


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
