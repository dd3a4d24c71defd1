"""A store's long string tables, read from disk a block at a time, and its id index.

The claim ids and the victim ids of a store are as many as its claims. They are kept
packed (UTF-8 bytes and offsets, see :mod:`kzrehab.population.store`) and read only where
asked: :class:`PackedStrings` is a read-only sequence over one of them that holds at most
one block of rows in memory, never a Python string per claim.

The **id index** finds one claim without reading every id: the claim rows ordered by the
key of their id (:func:`id_key`, 64 bits of BLAKE2b of the UTF-8 bytes), ties by row. A
lookup is a binary search over it, reading one id per step, and ends by comparing the id
itself, so a collision of keys can slow a lookup but never give a wrong claim.
"""

from __future__ import annotations

__all__ = ["PackedStrings", "id_key", "id_keys", "key_order", "search"]

import functools
import hashlib
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ..errors import RegistryError
from ..i18n import _

#: rows of a string table read at once
BLOCK = 1 << 16


def id_key(raw: bytes) -> int:
    """The index key of an id's UTF-8 bytes: 64 bits of BLAKE2b, as an unsigned integer."""
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


_BLAKE2B_8 = functools.partial(hashlib.blake2b, digest_size=8)
_DIGEST = operator.methodcaller("digest")


def id_keys(raws: Iterable[bytes], count: int = -1) -> npt.NDArray[np.uint64]:
    """The keys of many ids, as :func:`id_key` gives each (the digests end to end, read as
    little-endian integers; ``count``, the number of ids, is not needed)."""
    digests = b"".join(map(_DIGEST, map(_BLAKE2B_8, raws)))
    return np.frombuffer(digests, "<u8").astype(np.uint64)


def key_order(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """The rows ordered by key, ties by row: the id index."""
    return np.argsort(keys, kind="stable").astype(np.int64, copy=False)


def search(key: int, size: int, key_at: Callable[[int], int]) -> int:
    """The first position of ``0 … size`` whose key is at least ``key`` (``size`` if none),
    for keys in order; ``key_at(position)`` reads one."""
    lo, hi = 0, size
    while lo < hi:
        mid = (lo + hi) // 2
        if key_at(mid) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


Reader = Callable[[str, int, "int | None"], Any]
Bad = Callable[[str, "str | None"], RegistryError]


class PackedStrings(Sequence[str]):
    """A table of strings stored as ``NAME`` (UTF-8 bytes) and ``NAME.offsets``, read a
    block of :data:`BLOCK` rows at a time (the last block read is kept).

    ``read(array, start, stop)`` reads rows of an array (checked against its hash on first
    read); ``bad(message, array)`` makes the error of a damaged table: offsets out of order,
    or bytes that are not UTF-8.
    """

    def __init__(self, name: str, rows: int, blob_bytes: int, read: Reader, bad: Bad) -> None:
        self.name = name
        self._rows = rows
        self._bytes = blob_bytes
        self._read = read
        self._bad = bad
        self._ends_checked = False
        self._block: tuple[int, npt.NDArray[np.int64], bytes] | None = None

    def __repr__(self) -> str:
        return f"<PackedStrings {self.name}: {self._rows:,} strings, {self._bytes:,} bytes>"

    def __len__(self) -> int:
        return self._rows

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._rows))]
        i = index + self._rows if index < 0 else index
        if not 0 <= i < self._rows:
            raise IndexError(_("{name} has no row {index}").format(name=self.name, index=index))
        first, offsets, raw = self._load(i // BLOCK)
        a, b = int(offsets[i - first]), int(offsets[i - first + 1])
        base = int(offsets[0])
        return self._decode(raw[a - base : b - base])

    def __iter__(self) -> Iterator[str]:
        for block in range((self._rows + BLOCK - 1) // BLOCK):
            __, offsets, raw = self._load(block)
            base = int(offsets[0])
            bounds = (offsets - base).tolist()
            for a, b in itertools.pairwise(bounds):
                yield self._decode(raw[a:b])

    def raw(self, row: int) -> bytes:
        """The UTF-8 bytes of one row, read alone (no block is loaded)."""
        self._check_ends()
        offsets = self._read(f"{self.name}.offsets", row, row + 2)
        a, b = int(offsets[0]), int(offsets[1])
        if not 0 <= a <= b <= self._bytes:
            raise self._bad(_("the offsets of the strings are not in order"),
                            f"{self.name}.offsets")  # fmt: skip
        return bytes(self._read(self.name, a, b).tobytes())

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self._bad(_("a string is not UTF-8 "
                              "({reason})").format(reason=exc.reason), self.name) from None

    def _check_ends(self) -> None:
        if self._ends_checked:
            return
        first = self._read(f"{self.name}.offsets", 0, 1)
        last = self._read(f"{self.name}.offsets", self._rows, self._rows + 1)
        if self._rows < 0 or int(first[0]) != 0 or int(last[0]) != self._bytes:
            raise self._bad(_("the offsets of the strings are not in "
                              "order"), f"{self.name}.offsets")
        self._ends_checked = True

    def _load(self, block: int) -> tuple[int, npt.NDArray[np.int64], bytes]:
        if self._block is not None and self._block[0] == block * BLOCK:
            return self._block
        self._check_ends()
        first = block * BLOCK
        stop = min(first + BLOCK, self._rows)
        offsets = self._read(f"{self.name}.offsets", first, stop + 1)
        if (offsets[0] < 0 or offsets[-1] > self._bytes
                or bool((np.diff(offsets) < 0).any())):  # fmt: skip
            raise self._bad(_("the offsets of the strings are not in "
                              "order"), f"{self.name}.offsets")
        raw = bytes(self._read(self.name, int(offsets[0]), int(offsets[-1])).tobytes())
        self._block = (first, offsets, raw)
        return self._block
