"""Where each key of a TOML text is: the line and column behind every message of the loader.

:mod:`tomllib` gives values without positions. :class:`Spans` finds, in a text that
:mod:`tomllib` accepted, where the value of each **key path** starts — TOML dotted keys
with **0-based** array indices, so ``article[1].ground[0].when`` is the ``when`` of the
first ground of the second ``[[article]]`` — and where each table header is; and, for a
string, where each of its characters is, so that an error inside an expression points at
the offending character itself (:doc:`draft-format`, *Validation*).
"""

from __future__ import annotations

__all__ = ["join", "decode_string", "offset_in", "Spans"]

import bisect
import contextlib
import re
from collections.abc import Sequence

from ..errors import Location
from ..i18n import _


def join(prefix: str, *keys: str) -> str:
    """The key path of ``keys`` under ``prefix``: ``join("law", "id") == "law.id"``."""
    return ".".join((prefix, *keys)) if prefix else ".".join(keys)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")
#: spaces, tabs and comments (a comment runs to its line's end); and line ends too
_BLANK = re.compile(r"(?:[ \t]+|#[^\n]*)*")
_BLANK_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")


class _Scanner:
    """Finds where the value of each key path starts in a text that tomllib accepted.

    Not a TOML parser: it only follows table headers, keys, strings, arrays and inline
    tables well enough to map each key path (``article[1].ground[0].when``) to the offset
    of its value, and each table header (``article[1].ground[0]``) to its offset.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.spots: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def scan(self) -> dict[str, int]:
        with contextlib.suppress(IndexError, RecursionError, ValueError):
            self._document()
        return self.spots

    def _document(self) -> None:
        text, table = self.text, ""
        while True:
            self._blank(newlines=True)
            if self.pos >= len(text):
                return
            start = self.pos
            if text.startswith("[[", start):
                self.pos += 2
                table = self._resolve(self._keys(), array=True)
                self.spots[table] = start
                self._blank()
                self.pos += 2
            elif text[start] == "[":
                self.pos += 1
                table = self._resolve(self._keys(), array=False)
                self.spots.setdefault(table, start)
                self._blank()
                self.pos += 1
            else:
                keys = self._keys()
                self._blank()
                self.pos += 1  # '='
                self._blank()
                self._value(join(table, *keys))

    def _resolve(self, keys: list[str], *, array: bool) -> str:
        prefix = ""
        for key in keys[:-1]:
            prefix = join(prefix, key)
            if prefix in self.counts:
                prefix = f"{prefix}[{self.counts[prefix] - 1}]"
        path = join(prefix, keys[-1])
        if array:
            self.counts[path] = self.counts.get(path, 0) + 1
            return f"{path}[{self.counts[path] - 1}]"
        return path

    def _blank(self, *, newlines: bool = False) -> None:
        """Past spaces, tabs and comments (and line ends, with ``newlines``)."""
        found = (_BLANK_LINES if newlines else _BLANK).match(self.text, self.pos)
        assert found is not None  # it matches the empty string
        self.pos = found.end()

    def _keys(self) -> list[str]:
        keys: list[str] = []
        while True:
            self._blank()
            start = self.pos
            if self.text[start] in "\"'":
                decoded = decode_string(self.text, start)
                if decoded is None:
                    raise ValueError(_("unreadable key"))
                keys.append(decoded[0])
                self.pos = decoded[1][-1] + 1
            else:
                m = _BARE_KEY.match(self.text, start)
                if not m:
                    raise ValueError(_("unreadable key"))
                keys.append(m.group())
                self.pos = m.end()
            self._blank()
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            return keys

    def _value(self, path: str) -> None:
        text, start = self.text, self.pos
        self.spots[path] = start
        ch = text[start]
        if ch in "\"'":
            decoded = decode_string(text, start)
            if decoded is None:
                raise ValueError(_("unreadable string"))
            end = decoded[1][-1]
            quote = text[start]
            while end < len(text) and text[end] == quote:
                end += 1
            self.pos = end
        elif ch == "[":
            self.pos += 1
            index = 0
            while True:
                self._blank(newlines=True)
                if text[self.pos] == "]":
                    self.pos += 1
                    return
                self._value(f"{path}[{index}]")
                index += 1
                self._blank(newlines=True)
                if text[self.pos] == ",":
                    self.pos += 1
        elif ch == "{":
            self.pos += 1
            while True:
                self._blank(newlines=True)
                if text[self.pos] == "}":
                    self.pos += 1
                    return
                keys = self._keys()
                self._blank()
                self.pos += 1  # '='
                self._blank()
                self._value(join(path, *keys))
                self._blank(newlines=True)
                if text[self.pos] == ",":
                    self.pos += 1
        else:
            m = _SCALAR.match(text, start)
            assert m is not None
            self.pos = start + len(m.group().rstrip())


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def decode_string(text: str, start: int) -> tuple[str, Sequence[int]] | None:
    """The TOML string at ``start``: its value, and the offset in ``text`` of each of its
    characters followed by the offset of its closing delimiter. None when unreadable."""
    quote = text[start]
    multi = text.startswith(quote * 3, start)
    basic = quote == '"'
    i = start + (3 if multi else 1)
    if multi:
        if text.startswith("\r\n", i):
            i += 2
        elif text.startswith("\n", i):
            i += 1
    # the fast path: no escape and no carriage return, so each character stands for itself
    end = text.find(quote * 3 if multi else quote, i)
    if end >= 0 and not (basic and "\\" in text[i:end]) and not (multi and "\r" in text[i:end]):
        run = 3 if multi else 1
        while multi and end + run < len(text) and text[end + run] == quote and run < 5:
            run += 1
        close = end + (run - 3 if multi else 0)
        return text[i:close], range(i, close + 1)
    out: list[str] = []
    offsets: list[int] = []
    delimiter = quote * 3 if multi else quote
    while i < len(text):
        if text.startswith(delimiter, i):
            run = 1
            while multi and i + run < len(text) and text[i + run] == quote:
                run += 1
            for k in range(min(run - 3, 2) if multi else 0):
                out.append(quote)
                offsets.append(i + k)
            offsets.append(i + max(0, min(run - 3, 2)) if multi else i)
            return "".join(out), offsets
        ch = text[i]
        if basic and ch == "\\":
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                offsets.append(i)
                i += 2
            elif nxt in "uU":
                width = 4 if nxt == "u" else 8
                out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                offsets.append(i)
                i += 2 + width
            elif multi and nxt in " \t\r\n":
                i += 1
                while i < len(text) and text[i] in " \t\r\n":
                    i += 1
            else:
                return None
        elif multi and text.startswith("\r\n", i):
            out.append("\n")
            offsets.append(i)
            i += 2
        elif not multi and ch == "\n":
            return None
        else:
            out.append(ch)
            offsets.append(i)
            i += 1
    return None




def offset_in(source: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column within ``source``."""
    lines = source.split("\n")
    offset = sum(len(text) + 1 for text in lines[: max(line - 1, 0)])
    return min(max(offset + column - 1, 0), len(source))


class Spans:
    """The positions of the key paths of one TOML text that :mod:`tomllib` accepted."""

    def __init__(self, file: str, text: str) -> None:
        #: the file name given in locations
        self.file = file
        self.text = text
        #: key path (or table header) → the offset where its value (or header) starts
        self.offsets = _Scanner(text).scan()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __repr__(self) -> str:
        return f"<Spans of {self.file}: {len(self.offsets)} key paths>"

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of a character offset."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def location(self, key: str) -> Location:
        """The location of a key path: its value, else the nearest enclosing key's."""
        probe = key
        while probe:
            if probe in self.offsets:
                line, column = self.position(self.offsets[probe])
                return Location(self.file, key or None, line, column)
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return Location(self.file, key or None)

    def characters(self, key: str, value: str) -> Sequence[int] | None:
        """The offset of each character of the string ``value`` written at ``key``, then of
        its closing delimiter; None when ``key`` holds no string spelling ``value``."""
        start = self.offsets.get(key)
        decoded = decode_string(self.text, start) if start is not None else None
        return decoded[1] if decoded is not None and decoded[0] == value else None
