"""Low-level file helpers shared by every layer: atomic writes and the cache directory."""

from __future__ import annotations

__all__ = ["write_atomic", "cache_dir"]

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def cache_dir() -> Path:
    """Where kzrehab keeps caches: ``$KZREHAB_CACHE``, else ``$XDG_CACHE_HOME/kzrehab``,
    else ``~/.cache/kzrehab``."""
    env = os.environ.get("KZREHAB_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kzrehab"


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes | Iterable[str], *, durable: bool = True
) -> None:
    """Write ``data`` (text, bytes, or text in chunks) to ``path`` atomically.

    A temporary file beside ``path`` is written, flushed to disk and renamed over it; on
    any failure the temporary file is removed and ``path`` is as it was. A new file gets
    the usual permissions (umask); a replaced one keeps its own. ``durable=False`` skips
    waiting for the disk, for caches: a file lost to a crash is simply made again.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write {target}: folder {directory} does not exist")
    fd, tmp = _create_beside(target)
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        with os.fdopen(fd, "wb") as out:
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


def _create_beside(target: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file next to ``target`` (mode 0o666 less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - a 48-bit collision
            continue


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
