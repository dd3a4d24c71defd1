"""Keys seen while importing, kept on disk: duplicates found and equal keys grouped without
holding a Python string per key.

An import of ten million claims must find a claim id given twice, number the distinct
victims in the order they first appear, and find the claim an events row names. A
:class:`KeyLedger` records each key (its UTF-8 bytes) in a spool file, and in memory only
its 64-bit index key (:func:`~kzrehab.population.tables.id_key`), the line it came from and
where its bytes end: 24 bytes a key. Equal keys are found by sorting the index keys, and
confirmed by comparing the bytes read back, so a collision of index keys costs a read,
never a wrong answer.
"""

from __future__ import annotations

__all__ = ["KeyLedger"]

import os
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .tables import id_key, key_order

#: keys read back at a time when they are streamed in order
_BLOCK = 1 << 16


class KeyLedger:
    """Byte strings recorded in order, each with the line it came from.

    Entries are numbered from 0 in the order they were added. The spool file is created at
    ``path`` and removed by :meth:`close`. ``lines=False`` keeps no lines (16 bytes a key),
    for keys whose duplicates are no error.
    """

    def __init__(self, path: Path, *, lines: bool = True) -> None:
        self.path = path
        self._file = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._keys = array("Q")
        self._lines = array("q") if lines else None
        self._ends = array("q")
        self._size = 0

    def __repr__(self) -> str:
        return f"<KeyLedger {self.path.name}: {len(self):,} keys, {self._size:,} bytes>"

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, raw: bytes, line: int) -> None:
        """Record a key and the line it came from."""
        self._file.write(raw)
        self._size += len(raw)
        self._ends.append(self._size)
        self._keys.append(id_key(raw))
        if self._lines is not None:
            self._lines.append(line)

    def extend(self, blob: bytes, ends: npt.NDArray[np.int64], keys: npt.NDArray[np.uint64],
               lines: npt.NDArray[np.int64]) -> None:  # fmt: skip
        """Record many keys at once: their bytes end to end (``blob``), where each ends in
        it, their index keys and their lines (as :meth:`add` of each in turn)."""
        self._file.write(blob)
        self._ends.frombytes((np.asarray(ends, np.int64) + self._size).tobytes())
        self._size += len(blob)
        self._keys.frombytes(np.asarray(keys, np.uint64).tobytes())
        if self._lines is not None:
            self._lines.frombytes(np.asarray(lines, np.int64).tobytes())

    def close(self) -> None:
        """Close and remove the spool file."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    # -- reading back ---------------------------------------------------------------------

    @property
    def size(self) -> int:
        """The bytes of every key."""
        return self._size

    def keys(self) -> npt.NDArray[np.uint64]:
        """The index key of every entry: a view, not a copy (nothing may be added while it
        is held)."""
        return np.frombuffer(self._keys, dtype=np.uint64)

    def line(self, entry: int) -> int:
        """The line an entry came from (0 when lines are not kept)."""
        return 0 if self._lines is None else self._lines[entry]

    def ends(self) -> npt.NDArray[np.int64]:
        """Where each entry's bytes end in the spool: a view, as :meth:`keys`."""
        return np.frombuffer(self._ends, dtype=np.int64)

    def drop(self, *, keys: bool = False, lines: bool = False) -> None:
        """Free the index keys or the lines once they are needed no more."""
        if keys:
            self._keys = array("Q")
        if lines and self._lines is not None:
            self._lines = array("q")

    def raw(self, entry: int) -> bytes:
        """The bytes of one entry, read back."""
        self._file.flush()
        start = self._ends[entry - 1] if entry else 0
        return os.pread(self._file.fileno(), self._ends[entry] - start, start)

    def text(self, entry: int) -> str:
        """One entry as text."""
        return self.raw(entry).decode("utf-8")

    def span(self, start: int, stop: int) -> bytes:
        """The bytes of spool offsets ``start`` to ``stop``."""
        self._file.flush()
        return os.pread(self._file.fileno(), stop - start, start)

    def blocks(self, size: int = 1 << 22) -> Iterator[bytes]:
        """Every entry's bytes, in order, a block of ``size`` bytes at a time."""
        for start in range(0, self._size, size):
            yield self.span(start, min(start + size, self._size))

    def texts(self) -> Iterator[str]:
        """Every entry as text, in order."""
        ends = self._ends
        for a in range(0, len(ends), _BLOCK):
            b = min(a + _BLOCK, len(ends))
            base = ends[a - 1] if a else 0
            raw = self.span(base, ends[b - 1])
            start = 0
            for end in ends[a:b]:
                yield raw[start : end - base].decode("utf-8")
                start = end - base

    # -- equal keys -----------------------------------------------------------------------

    def order(self) -> npt.NDArray[np.int64]:
        """The entries ordered by index key, ties by entry: a store's id index."""
        return key_order(self.keys())

    def first_duplicate(self, before: int | None = None) -> tuple[int, int] | None:
        """``(first, again)``: the earliest entry whose key an earlier entry (``first``, the
        earliest with it) already had, among the entries from lines before ``before``; None
        when every key is distinct."""
        count = len(self)
        if before is not None and self._lines is not None:
            lines = np.frombuffer(self._lines, dtype=np.int64)
            count = int(np.searchsorted(lines, before, side="left"))
            del lines  # release the buffer: the ledger may grow again
        keys = self.keys()[:count]
        order = _index(key_order(keys))
        ordered = keys[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(same):
            return None
        for again in np.sort(order[same]).tolist():
            key = keys[again]
            lo = int(np.searchsorted(ordered, key, side="left"))
            raw = self.raw(again)
            for first in order[lo:].tolist():
                if first >= again or keys[first] != key:
                    break
                if self.raw(first) == raw:
                    return first, again
        return None

    def groups(self) -> npt.NDArray[Any]:
        """For each entry, the first entry with the same key (itself when it is the first).

        About five numbers an entry at once, at the peak.
        """
        count = len(self)
        keys = self.keys()
        order = _index(key_order(keys))
        ordered = keys[order]
        del keys
        starts = np.ones(count, np.bool_)
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        del ordered
        group = _index(np.cumsum(starts) - 1)
        leaders = order[starts]
        del starts
        first = np.empty(count, np.int64)
        first[order] = leaders[group]
        del order, group, leaders
        split: set[int] = set()
        for entry in np.flatnonzero(first != np.arange(count)).tolist():
            leader = int(first[entry])
            if leader not in split and self.raw(entry) != self.raw(leader):
                split.add(leader)
        for leader in split:  # index keys shared by different keys: group by the bytes
            members = np.flatnonzero(first == leader).tolist()
            seen: dict[bytes, int] = {}
            for entry in members:
                first[entry] = seen.setdefault(self.raw(entry), entry)
        return _index(first)


def _index(rows: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """Row numbers in 32 bits when they fit (half the memory)."""
    return rows.astype(np.int32) if len(rows) < 2**31 - 1 else rows
