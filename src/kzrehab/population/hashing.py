"""The hashes of a columnar store (:mod:`kzrehab.population.store`): of each block of an
array, of each array, and the store's digest.

An array's bytes are cut into blocks of :data:`BLOCK_BYTES` (the last one shorter), each
hashed with SHA-256; the array's hash is the SHA-256 of its name, type, shape, the block
size and its block hashes in order. So one block is checked by reading it alone, and the
array's hash, and the digest above it, still stand for every byte: a block cannot change
without its hash, nor its hash without the array's. The digest is the SHA-256 of the store's
format and its arrays' hashes, in name order, all but the id index's (the ids decide it).

Why the digest of a store changed with this format (``kzrehab-store/3``): a reader of one
claim checks blocks, so the digest must stand for the block hashes. A digest made from
hashes of whole arrays (format 2) could not: a block and its recorded hash could be changed
together, and a reader of that block alone would take them for the claims the digest names.
A hash of a whole array cannot be checked from some of its blocks, so the digest of a
format-3 store is another number than that of the same claims in format 2. It is still a
content identity: the same claims give the same arrays, so the same digest. A format-2
store keeps its digest (:func:`digest_of` with its format), and cached results are keyed by
the digest, so a result cached for one format is never served for the other.
"""

from __future__ import annotations

__all__ = ["FORMAT", "INDEX", "BLOCK_BYTES", "BlockHasher", "root_hash", "hash_array", "hashed",
           "digest_of", "array_hasher"]  # fmt: skip

import hashlib
from typing import Any

import numpy as np
import numpy.typing as npt

#: the store's format; a store of another format is refused with a clear message (format 1
#: recorded no hashes; format 2, one hash an array, is still read)
FORMAT = "kzrehab-store/3"

#: the bytes of an array hashed apart: a row read checks the block it is in
BLOCK_BYTES = 1 << 18

#: the id index: derived from the ids, so left out of the digest
INDEX = "ids.index"


def array_hasher(name: str, dtype: np.dtype[Any], shape: tuple[int, ...]) -> Any:
    """The SHA-256 of an array begun with its name, type and shape: its bytes come next
    (format 2's hash of a whole array, still checked when a format-2 store is read)."""
    h = hashlib.sha256()
    h.update(f"{name}\0{dtype.str}\0{list(shape)}\0".encode())
    return h


def root_hash(name: str, dtype: np.dtype[Any], shape: tuple[int, ...], block: int,
              digests: bytes) -> str:
    """An array's hash (format 3): SHA-256 of its name, type, shape, the block size and
    the hashes of its blocks (32 bytes each, in order)."""
    h = hashlib.sha256(f"{name}\0{dtype.str}\0{list(shape)}\0{block}\0".encode())
    h.update(digests)
    digest: str = h.hexdigest()
    return digest


class BlockHasher:
    """Hashes an array's bytes, given in pieces of any size, a block at a time."""

    def __init__(self, name: str, dtype: np.dtype[Any], shape: tuple[int, ...],
                 block: int | None = None) -> None:  # fmt: skip
        self.head = (name, dtype, shape, BLOCK_BYTES if block is None else block)
        self.digests = bytearray()
        self._h = hashlib.sha256()
        self._fill = 0

    def update(self, data: Any) -> None:
        """Hash the next bytes of the array (a buffer: bytes, memoryview, array)."""
        view = memoryview(data).cast("B")
        block = self.head[3]
        while len(view):
            take = min(block - self._fill, len(view))
            self._h.update(view[:take])
            self._fill += take
            view = view[take:]
            if self._fill == block:
                self.digests += self._h.digest()
                self._h, self._fill = hashlib.sha256(), 0

    def finish(self) -> tuple[str, str]:
        """The array's hash and its block hashes (hex), as the metadata records them."""
        if self._fill:
            self.digests += self._h.digest()
            self._h, self._fill = hashlib.sha256(), 0
        return root_hash(*self.head, bytes(self.digests)), self.digests.hex()


def hash_array(name: str, array: npt.NDArray[Any]) -> tuple[str, str]:
    """An array's hash and its block hashes (hex), from the array in memory."""
    h = BlockHasher(name, array.dtype, array.shape)
    h.update(np.ascontiguousarray(array).reshape(-1).view(np.uint8))
    return h.finish()


def hashed(arrays: dict[str, Any]) -> dict[str, Any]:
    """The metadata entries that record the hashes of these arrays: ``block``, ``hashes``
    and ``blocks``."""
    done = {name: hash_array(name, np.asarray(a)) for name, a in arrays.items()}
    return {"block": BLOCK_BYTES, "hashes": {n: h for n, (h, _) in done.items()},
            "blocks": {n: b for n, (_, b) in done.items()}}  # fmt: skip


def digest_of(hashes: dict[str, str], format: str = FORMAT) -> str:
    """A store's digest: SHA-256 of its format and its arrays' hashes, in name order (the
    id index, which the ids decide, left out: a store with or without one has the same
    digest)."""
    text = "".join(f"{name}={hashes[name]}\n" for name in sorted(hashes) if name != INDEX)
    return hashlib.sha256(f"{format}\n{text}".encode()).hexdigest()


