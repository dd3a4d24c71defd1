"""Which files a list of paths stands for, and reading one of them safely.

A directory stands for every draft (``*.toml``) under it, leaving out hidden files and
directories and those named ``cases``, which hold law test cases (:doc:`draft-format`).
A file is read only when it is a regular file, and never beyond
:data:`~kzrehab.limits.MAX_FILE_BYTES`. :mod:`kzrehab.laws.loader` loads what is found.
"""

from __future__ import annotations

__all__ = ["expand_paths", "read_draft"]

import os
from collections.abc import Iterable
from os import PathLike
from pathlib import Path

from .._io import open_regular
from .._suggest import did_you_mean_path
from ..errors import DraftError, Location
from ..i18n import _
from ..limits import MAX_FILE_BYTES


def _hidden(relative: Path) -> bool:
    """Hidden (``.git``), or under a ``cases`` directory: law test case files, not laws."""
    return any(part.startswith(".") for part in relative.parts) or "cases" in relative.parts[:-1]


def expand_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """The draft files that ``paths`` stand for, in order and each once.

    A directory stands for every ``*.toml`` file under it, recursively and sorted, leaving
    out hidden files and directories (``.git``) and directories named ``cases``, which hold
    law test cases (:mod:`kzrehab.lawtests`). A missing path, or a directory without a
    draft, is a :class:`~kzrehab.errors.DraftError` naming it (a missing path with the
    nearest existing one, when one is close).
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*.toml") if p.is_file() and not _hidden(p.relative_to(path))
            )
            if not found:
                raise DraftError(
                    _("no draft (*.toml) under the directory "
                      "{path}").format(path=path), Location(file=str(path))
                )
        elif path.exists():
            found = [path]
        else:
            raise DraftError(_("no such file or directory{hint}").format(
                                 hint=did_you_mean_path(path)),
                             Location(file=str(path)))
        for p in found:
            resolved = p.resolve()
            if resolved not in seen:
                seen.add(resolved)
                out.append(p)
    return out


def read_draft(path: str | PathLike[str]) -> bytes:
    """The bytes of the regular file at ``path``, at most
    :data:`~kzrehab.limits.MAX_FILE_BYTES` of them; a :class:`~kzrehab.errors.DraftError`
    naming it when it cannot be read or is larger."""
    name = str(path)
    limit = MAX_FILE_BYTES.value
    try:
        # a regular file only: a FIFO would block, /dev/zero would never end
        with open_regular(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(min(size, limit) + 1)
            if len(data) > size:  # the file grew while read: read on, within the limit
                data += stream.read(limit + 1 - len(data))
    except OSError as exc:
        raise DraftError(
            _("cannot read the file: "
              "{value}").format(value=exc.strerror or exc), Location(file=name)
        ) from None
    if len(data) > limit:
        size = max(size, len(data))
        raise DraftError(MAX_FILE_BYTES.message(_("{name} ({size} bytes)").format(
                                                    name=name, size=size)), Location(file=name))
    return data
