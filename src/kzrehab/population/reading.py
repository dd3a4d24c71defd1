"""Registry files read safely: regular files only, within the size limit, a line at a time
within the line limit, as UTF-8 text; and the errors that name a file and a line."""

from __future__ import annotations

__all__ = ["fail", "open_registry", "lines", "decode_line", "position", "duplicate_id",
           "python_message"]

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

from .._io import NotRegularFileError, open_regular
from ..errors import Location, RegistryError
from ..i18n import N_, _
from ..limits import MAX_LINE_BYTES, MAX_REGISTRY_BYTES


def fail(message: str, file: str, line: int | None = None, key: str | None = None,
          column: int | None = None) -> NoReturn:  # fmt: skip
    raise RegistryError(message, Location(file=file, line=line, key=key, column=column))


def open_registry(path: Path, limited: bool) -> IO[bytes]:
    name = str(path)
    try:
        # a regular file only: a FIFO would block, /dev/zero would never end
        f = open_regular(path)
    except FileNotFoundError:
        fail(_("no such file"), name)
    except IsADirectoryError:
        fail(_("is a directory, not a registry file"), name)
    except NotRegularFileError as exc:
        fail(_("{strerror}: a registry must be a file").format(strerror=exc.strerror), name)
    except OSError as exc:
        fail(_("cannot read: {value}").format(value=exc.strerror or exc), name)
    if limited:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_REGISTRY_BYTES.value:
            f.close()
            fail(MAX_REGISTRY_BYTES.message(_("the registry ({size} "
                                              "bytes)").format(size=size)), name)
    return f


def lines(f: IO[bytes], name: str, limited: bool) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of each line, its end kept; a line longer than
    :data:`~kzrehab.limits.MAX_LINE_BYTES` (its end not counted) is an error before more
    than the limit of it is read."""
    limit = MAX_LINE_BYTES.value if limited else 1 << 62
    read = f.readline
    lineno = 0
    while True:
        raw = read(limit + 2)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and len(raw.rstrip(b"\r\n")) > limit:
            fail(MAX_LINE_BYTES.message(_("the line")), name, lineno)
        yield lineno, raw


def decode_line(raw: bytes, file: str, line: int, what: str) -> str:
    """One line (or a whole file) of UTF-8 text; binary and non-UTF-8 input are errors."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        _line, col = position(raw, nul, line)
        fail(_("contains a NUL byte: this is a binary file, not {what} "
               "text").format(what=what), file, _line,
              column=col)  # fmt: skip
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _line, col = position(raw, exc.start, line)
        fail(
            _("is not UTF-8 text (byte 0x{raw:02x} cannot be decoded): save the "
              "{what} file as UTF-8").format(raw=raw[exc.start], what=what),
            file, _line, column=col,
        )  # fmt: skip


def position(raw: bytes, offset: int, first_line: int) -> tuple[int, int]:
    line = first_line + raw.count(b"\n", 0, offset)
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def duplicate_id(claim_id: str, first: int, name: str, line: int,
                 unit: str = "line") -> NoReturn:  # fmt: skip
    """Raise the error of a claim id given twice (``first``: the line it was first on, or
    the row of a Parquet file: ``unit``)."""
    fail(_("duplicate claim id '{claim_id}' (first on {unit} {first})").format(
             claim_id=claim_id, unit=_(unit), first=first), name, line, "id")


#: the messages of Python's JSON and CSV readers (English), translated where they are shown
_PYTHON_MESSAGES = frozenset({
    N_("Expecting value"), N_("Expecting property name enclosed in double quotes"),
    N_("Expecting ',' delimiter"), N_("Expecting ':' delimiter"), N_("Extra data"),
    N_("Unterminated string starting at"), N_("Invalid control character at"),
    N_("Invalid \\escape"), N_("Invalid \\uXXXX escape"), N_("unexpected end of data"),
    N_("line contains NUL"),
})


def python_message(text: str) -> str:
    """A message of Python's ``json`` or ``csv`` module in the language of output (as it is
    when it is not one of theirs kzrehab knows)."""
    return _(text) if text in _PYTHON_MESSAGES else text
