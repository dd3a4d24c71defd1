"""The columnar store: a population's columns in one uncompressed NumPy ``.npz`` file.

A million claims (about 2.5 million events) reopen in a fraction of a second: the arrays
are read as they are, chunk by chunk, and claim objects are built only for the claims
asked for (``explain``) or while they are streamed. The file is written atomically (a
temporary file in the same folder, then a rename), so a crash never leaves half a store
behind. A store is written from columns in memory by :func:`save_store`, or chunk by chunk
from a registry by :class:`~kzrehab.population.writer.StoreWriter`; both write the same
bytes for the same claims.

Layout: ``claim.NAME`` / ``claim.NAME.lo`` / ``claim.NAME.hi`` and ``event.…`` arrays as in
:class:`~kzrehab.population.columns.Columns`; ``strings``, ``ids`` and ``victims`` as UTF-8
blobs with offsets; ``ids.index``, the id index (:mod:`kzrehab.population.tables`: claim
rows ordered by a hash of their ids); ``meta`` a small JSON document (format version,
name, synthetic, source, victims, and a SHA-256 **hash of every array**: its name, type,
shape and bytes).

A store proves its content. Its :attr:`StoredColumns.digest` is derived from the recorded
hashes (never read from the metadata) of every array but the id index, which is derived
from the ids; an array, the index too, is checked against its hash the first time it is
read, and a mismatch is a :class:`~kzrehab.errors.RegistryError` naming the file and the
array. The values are checked too, chunk by chunk as they are read (a hand-made store can
carry hashes of bad arrays): shapes against the claim and event counts, offsets, Kleene
values, codes within their table and, for enums, among the fact's values, dates and
numbers that are not NaN with their low end below their high end, ids that are UTF-8, and
index rows that are rows. A store without an id index (written before it existed) is read
the same; its index is then made in memory on the first lookup.
"""

from __future__ import annotations

__all__ = ["FORMAT", "INDEX", "save_store", "load_store", "is_store", "digest_of", "StoredColumns",
           "array_hasher", "pack_strings"]  # fmt: skip

import hashlib
import io
import itertools
import json
import os
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._io import not_regular, write_atomic
from ..errors import Location, RegistryError
from ..i18n import _
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind, is_country_code
from .columns import OWN_TABLES, Columns, Names
from .tables import PackedStrings, id_key, id_keys, key_order, search

#: the store's format; a store of another format is refused with a clear message (format 1
#: recorded no hashes)
FORMAT = "kzrehab-store/2"

#: bytes hashed at a time when a column is verified (memory stays bounded)
_BLOCK = 1 << 22

#: the id index: derived from the ids, so left out of the digest
INDEX = "ids.index"


def array_hasher(name: str, dtype: np.dtype[Any], shape: tuple[int, ...]) -> Any:
    """The SHA-256 of an array begun with its name, type and shape: its bytes come next."""
    h = hashlib.sha256()
    h.update(f"{name}\0{dtype.str}\0{list(shape)}\0".encode())
    return h


def _hash(name: str, array: npt.NDArray[Any]) -> str:
    h = array_hasher(name, array.dtype, array.shape)
    h.update(np.ascontiguousarray(array).tobytes())
    digest: str = h.hexdigest()
    return digest


def digest_of(hashes: dict[str, str]) -> str:
    """A store's digest: SHA-256 of its arrays' hashes, in name order (the id index, which
    the ids decide, left out: a store with or without one has the same digest)."""
    text = "".join(f"{name}={hashes[name]}\n" for name in sorted(hashes) if name != INDEX)
    return hashlib.sha256(f"{FORMAT}\n{text}".encode()).hexdigest()


def pack_strings(
    strings: Sequence[str],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Strings as one UTF-8 blob and the offsets where each starts (and the last ends)."""
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), np.uint8), offsets


def _unpack(blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> list[str]:
    raw = blob.tobytes()
    return [raw[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]


def save_store(path: str | os.PathLike[str], columns: Columns, meta: dict[str, Any]) -> None:
    """Write columns (with their id tables) and metadata to ``path`` atomically."""
    arrays: dict[str, Any] = {}
    for scope, cols in (("claim", columns.claim), ("event", columns.event)):
        for name, col in cols.items():
            if isinstance(col, tuple):
                arrays[f"{scope}.{name}.lo"], arrays[f"{scope}.{name}.hi"] = col
            else:
                arrays[f"{scope}.{name}"] = col
    arrays["strings"], arrays["strings.offsets"] = pack_strings(columns.strings)
    arrays["ids"], arrays["ids.offsets"] = pack_strings(columns.names.ids)
    arrays[INDEX] = key_order(id_keys((s.encode("utf-8") for s in columns.names.ids),
                                      columns.n_claims))  # fmt: skip
    arrays["victims"], arrays["victims.offsets"] = pack_strings(columns.names.victims)
    arrays["event_claim"] = columns.event_claim
    arrays["offsets"] = columns.offsets
    hashes = {name: _hash(name, np.asarray(a)) for name, a in arrays.items()}
    document = {**meta, "format": FORMAT, "claims": columns.n_claims,
                "events": columns.n_events, "digest": digest_of(hashes), "hashes": hashes}
    arrays["meta"] = np.frombuffer(json.dumps(document).encode("utf-8"), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_atomic(path, buffer.getvalue())


def is_store(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a zip file holding a kzrehab store's metadata."""
    try:
        if not_regular(os.stat(path).st_mode) is not None:
            return False
        with zipfile.ZipFile(path) as z:
            return "meta.npy" in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


class _Reader:
    """Reads the arrays of an uncompressed ``.npz`` file, whole or a slice at a time.

    ``numpy.savez`` stores each array uncompressed in the zip, so an array's rows sit at a
    known place in the file; a slice is read with one seek, without loading the rest.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.members: dict[str, tuple[np.dtype[Any], tuple[int, ...], int]] = {}
        with zipfile.ZipFile(path) as z, open(path, "rb") as fh:
            for info in z.infolist():
                if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                    raise ValueError(_("member {filename} is not a stored .npy array").format(
                                         filename=info.filename))
                fh.seek(info.header_offset)
                local = fh.read(30)
                name_len = int.from_bytes(local[26:28], "little")
                extra_len = int.from_bytes(local[28:30], "little")
                fh.seek(info.header_offset + 30 + name_len + extra_len)
                version = np.lib.format.read_magic(fh)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
                elif version == (2, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
                else:
                    raise ValueError(_("member {filename} has .npy format {version}").format(
                                         filename=info.filename, version=version))
                if fortran or dtype.hasobject:
                    raise ValueError(_("member {filename} is not a plain array").format(
                                         filename=info.filename))
                self.members[info.filename[:-4]] = (dtype, shape, fh.tell())

    def __contains__(self, name: str) -> bool:
        return name in self.members

    def names(self) -> list[str]:
        return list(self.members)

    def hash(self, name: str) -> str:
        """The hash of a member as :func:`_hash` computes it, streamed from the file."""
        dtype, shape, offset = self.members[name]
        h = array_hasher(name, dtype, shape)
        left = dtype.itemsize * int(np.prod(shape, dtype=np.int64))
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            while left > 0:
                block = fh.read(min(left, _BLOCK))
                if not block:
                    raise ValueError(_("member {name} is cut short").format(name=name))
                h.update(block)
                left -= len(block)
        digest: str = h.hexdigest()
        return digest

    def read(self, name: str, start: int = 0, stop: int | None = None) -> Any:
        dtype, shape, offset = self.members[name]
        rows = shape[0] if shape else 1
        stop = rows if stop is None else stop
        with open(self.path, "rb") as fh:
            fh.seek(offset + start * dtype.itemsize)
            data = np.fromfile(fh, dtype=dtype, count=max(0, stop - start))
        return data.reshape(shape) if not shape else data


class StoredColumns:
    """A store opened for reading: its metadata at once, the columns when needed.

    :meth:`chunks` reads consecutive chunks of claims from disk, so evaluating ten million
    claims never holds all their columns in memory; :attr:`columns` reads them all;
    :meth:`slice` reads the rows of a few claims, and :meth:`find` the row of an id (by
    the id index). The ids and the victims are :class:`~.tables.PackedStrings`, read a
    block at a time.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.where = where = str(path)
        self.reader = _Reader(path)
        r = self.reader
        meta = json.loads(r.read("meta").tobytes().decode("utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else None
            raise RegistryError(
                _("store format {found!r} is not {FORMAT!r}: re-import the registry "
                  "(kzrehab population import REGISTRY -o STORE)").format(
                    found=found, FORMAT=FORMAT),
                Location(file=where),
            )
        self.meta: dict[str, Any] = meta
        self.n_claims = self._count("claims")
        self.n_events = self._count("events")
        hashes = meta.get("hashes")
        if (not isinstance(hashes, dict)
                or sorted(hashes) != sorted(n for n in r.names() if n != "meta")
                or not all(isinstance(v, str) for v in hashes.values())):  # fmt: skip
            raise self._bad(_("the store's recorded hashes do not list its arrays"))
        self.hashes: dict[str, str] = hashes
        #: derived from the recorded hashes, which every read is checked against
        self.digest = digest_of(hashes)
        self._verified: set[str] = set()
        self._check_shapes()
        self.strings = tuple(self._strings("strings"))
        self.offsets: npt.NDArray[np.int64] = self.read("offsets")
        o = self.offsets
        if o[0] != 0 or o[-1] != self.n_events or bool((np.diff(o) < 0).any()):
            raise self._bad(_("the offsets of the claims' events are not in order"), "offsets")
        self._allowed = _allowed_codes(self.strings)
        victims = self.reader.members["victims.offsets"][1][0] - 1
        #: the size of each string table, by :data:`~.columns.OWN_TABLES` key
        self._sizes = {"": len(self.strings), "id": self.n_claims, "victim": victims}
        #: the claim ids, in order, and the table of victim ids (``claim.victim_id`` codes)
        self.ids = self._packed("ids", self.n_claims)
        self.victims = self._packed("victims", victims)
        self._keys: npt.NDArray[np.uint64] | None = None  # a store without an index
        self._full: Columns | None = None
        self.names = Names(self.ids, self.victims)

    def __repr__(self) -> str:
        return (f"<StoredColumns {self.where}: {self.n_claims:,} claims, "
                f"{self.n_events:,} events>")  # fmt: skip

    # -- checks ------------------------------------------------------------------------------

    def _bad(self, message: str, array: str | None = None) -> RegistryError:
        return RegistryError(message, Location(file=self.where, key=array))

    def _count(self, key: str) -> int:
        value = self.meta.get(key)
        if type(value) is not int or value < 0:
            raise self._bad(_("the store's {key} count {value!r} is not a whole number").format(
                                key=key, value=value))
        return value

    def _check_shapes(self) -> None:
        """Every array the layout needs, with the type and length the counts say."""
        n, m = self.n_claims, self.n_events
        want: dict[str, tuple[str, int | None]] = {
            "strings": ("u1", None), "strings.offsets": ("i8", None), "ids": ("u1", None),
            "ids.offsets": ("i8", n + 1), "victims": ("u1", None),
            "victims.offsets": ("i8", None), "event_claim": ("i8", m), "offsets": ("i8", n + 1),
        }  # fmt: skip
        for scope, facts, count in (("claim", CLAIM_FACTS, n), ("event", EVENT_FACTS, m)):
            for name, fact in facts.items():
                if fact.kind in (FactKind.INT, FactKind.DATE):
                    want[f"{scope}.{name}.lo"] = want[f"{scope}.{name}.hi"] = ("f8", count)
                else:
                    want[f"{scope}.{name}"] = ("i1" if fact.kind is FactKind.BOOL else "i4",
                                               count)  # fmt: skip
        if INDEX in self.reader:
            want[INDEX] = ("i8", n)
        for name, (kind, rows) in want.items():
            if name not in self.reader:
                raise self._bad(_("the store lacks this array"), name)
            dtype, shape, __ = self.reader.members[name]
            if dtype.str.lstrip("<|=") != kind or len(shape) != 1 or (
                    rows is not None and shape[0] != rows):  # fmt: skip
                raise self._bad(_("the array is {str}{shape}, not {kind}"
                                  "[{value}] as the store's counts "
                                  "({n} claims, {m} events) say").format(
                                    str=dtype.str, shape=list(shape), kind=kind,
                                    value='any' if rows is None else rows, n=n, m=m))  # fmt: skip

    def verify(self, name: str) -> None:
        """Check an array against its recorded hash (once): a RegistryError if it differs."""
        if name in self._verified:
            return
        try:
            actual = self.reader.hash(name)
        except (OSError, ValueError) as exc:
            raise self._bad(_("cannot read the array ({exc})").format(exc=exc), name) from None
        if actual != self.hashes.get(name):
            raise self._bad(_("the array does not match its recorded hash: the store is "
                              "damaged or was altered (re-import the registry)"), name)
        self._verified.add(name)

    def verify_all(self) -> None:
        """Check every array against its hash (before the digest is trusted as a key)."""
        for name in self.hashes:
            self.verify(name)

    def read(self, name: str, start: int = 0, stop: int | None = None) -> Any:
        """An array (or rows of it), checked against its hash on first read."""
        self.verify(name)
        return self.reader.read(name, start, stop)

    def _strings(self, name: str) -> list[str]:
        blob, offsets = self.read(name), self.read(f"{name}.offsets")
        if (len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(blob)
                or bool((np.diff(offsets) < 0).any())):  # fmt: skip
            raise self._bad(_("the offsets of the strings are not in order"), f"{name}.offsets")
        try:
            return _unpack(blob, offsets)
        except UnicodeDecodeError as exc:
            raise self._bad(_("a string is not UTF-8 "
                              "({reason})").format(reason=exc.reason), name) from None

    def _packed(self, name: str, rows: int) -> PackedStrings:
        blob = int(self.reader.members[name][1][0])
        return PackedStrings(name, rows, blob, self.read, self._bad)

    # -- the id index -----------------------------------------------------------------------

    def find(self, id: str) -> int | None:
        """The row of the claim with this id, or None: a binary search of the id index
        (a few small reads), ending on the id itself."""
        try:
            raw = id.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no stored id has one
            return None
        key, n = id_key(raw), self.n_claims
        if INDEX not in self.reader:
            keys, order = self._memory_index()
            position = int(np.searchsorted(keys, np.uint64(key), side="left"))

            def row_at(p: int) -> int:
                return int(order[p])
        else:

            def row_at(p: int) -> int:
                row = int(self.read(INDEX, p, p + 1)[0])
                if not 0 <= row < n:
                    raise self._bad(_("an index row is not a claim's row"), INDEX)
                return row

            position = search(key, n, lambda p: id_key(self.ids.raw(row_at(p))))
        while position < n:
            row = row_at(position)
            found = self.ids.raw(row)
            if found == raw:
                return row
            if id_key(found) != key:
                return None
            position += 1
        return None

    def _memory_index(self) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
        """The keys of every id in order, and the rows in that order, for a store written
        without an index (two numbers a claim)."""
        if self._keys is None:
            keys = id_keys((s.encode("utf-8") for s in self.ids), self.n_claims)
            self._order = key_order(keys)
            self._keys = keys[self._order]
        return self._keys, self._order

    def _check(self, cols: Columns, a: int) -> None:
        """The values of a chunk of claims starting at row ``a`` (see the module's notes)."""
        rows = np.repeat(np.arange(cols.n_claims, dtype=np.int64), np.diff(cols.offsets))
        if not np.array_equal(cols.event_claim, rows):
            raise self._bad(_("events are not sorted by their claims' rows"), "event_claim")
        for scope, facts, table in (("claim", CLAIM_FACTS, cols.claim),
                                    ("event", EVENT_FACTS, cols.event)):  # fmt: skip
            for name, fact in facts.items():
                problem = _problem(fact, table[name], self._allowed, self._sizes, a, cols,
                                   scope)  # fmt: skip
                if problem:
                    raise self._bad(problem, f"{scope}.{name}")

    def slice(self, a: int, b: int) -> Columns:
        """The columns of claims ``a`` to ``b`` (excluded) and their events, read from disk
        and checked."""
        cols = self._read_slice(a, b)
        self._check(cols, a)
        return cols

    def _read_slice(self, a: int, b: int) -> Columns:
        r = self
        ea, eb = int(self.offsets[a]), int(self.offsets[b])
        claim: dict[str, Any] = {}
        event: dict[str, Any] = {}
        for key in self.reader.names():
            scope, __, rest = key.partition(".")
            if scope not in {"claim", "event"}:
                continue
            lo, hi = (a, b) if scope == "claim" else (ea, eb)
            target = claim if scope == "claim" else event
            name, __, bound = rest.partition(".")
            if bound == "hi":
                continue
            if bound == "lo":
                target[name] = (r.read(key, lo, hi), r.read(f"{scope}.{name}.hi", lo, hi))
            else:
                target[name] = r.read(key, lo, hi)
        return Columns(
            b - a,
            eb - ea,
            self.strings,
            claim,
            event,
            r.read("event_claim", ea, eb) - a,
            self.offsets[a : b + 1] - ea,
            self.names,
        )

    @property
    def columns(self) -> Columns:
        """Every column, read once."""
        if self._full is None:
            self._full = self.slice(0, self.n_claims)
        return self._full

    def chunks(self, size: int) -> Iterator[tuple[int, Columns]]:
        """``(first claim row, columns)`` of consecutive chunks read from disk."""
        if self._full is not None or self.n_claims <= size:
            yield from self.columns.chunks(size)
            return
        for a in range(0, self.n_claims, size):
            yield a, self.slice(a, min(a + size, self.n_claims))


def _allowed_codes(strings: Sequence[str]) -> dict[str, npt.NDArray[np.bool_]]:
    """For each enum fact and for countries, which codes of the string table it may take."""
    allowed = {name: np.array([s in fact.values for s in strings], np.bool_)
               for name, fact in (*CLAIM_FACTS.items(), *EVENT_FACTS.items())
               if fact.kind is FactKind.ENUM}  # fmt: skip
    allowed[""] = np.array([is_country_code(s) for s in strings], np.bool_)
    return allowed


#: the day ordinals :class:`datetime.date` can hold
_DAYS = (1.0, 3652059.0)


def _problem(fact: Any, col: Any, allowed: dict[str, npt.NDArray[np.bool_]],
             sizes: dict[str, int], first: int, cols: Columns, scope: str) -> str | None:
    """What is wrong with one column of a chunk, or None."""
    kind = fact.kind
    if kind is FactKind.BOOL:
        return None if bool(((col >= 0) & (col <= 2)).all()) else _("a value is not 0, 1 or 2")
    if kind in (FactKind.INT, FactKind.DATE):
        lo, hi = col
        if bool(np.isnan(lo).any() | np.isnan(hi).any()):
            return _("a value is NaN")
        if bool((lo > hi).any()):
            return _("a range's low end is above its high end")
        if kind is FactKind.DATE:
            for end in (lo, hi):
                known = end[np.isfinite(end)]
                if bool(((known < _DAYS[0]) | (known > _DAYS[1]) | (known != np.floor(known)))
                        .any()):  # fmt: skip
                    return _("a date is not a day from year 1 to 9999")
        return None
    if fact.name == "id" and scope == "claim":
        expected = np.arange(first, first + cols.n_claims, dtype=col.dtype)
        return None if np.array_equal(col, expected) else _("a claim's id code is not its row")
    size = sizes[OWN_TABLES.get(fact.name, "") if scope == "claim" else ""]
    if bool(((col < -1) | (col >= size)).any()):
        return _("a code is outside its table of {size} strings").format(size=size)
    if kind is FactKind.ENUM or kind is FactKind.COUNTRY:
        ok = allowed[fact.name if kind is FactKind.ENUM else ""]
        used = col[col >= 0]
        if used.size and not bool(ok[used].all()):
            bad = cols.strings[int(used[~ok[used]][0])]
            if kind is FactKind.ENUM:
                return _("'{bad}' is not a {fact} value").format(bad=bad, fact=fact.name)
            return _("'{bad}' is not a country code").format(bad=bad)
    return None


def load_store(path: str | os.PathLike[str]) -> StoredColumns:
    """Open a store; a file that is not one, or of another format, is a RegistryError."""
    where = str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise RegistryError(_("no such file"), Location(file=where)) from None
    what = not_regular(mode)
    if what is not None:
        raise RegistryError(_("is {what}, not a store "
                              "file").format(what=what), Location(file=where))
    try:
        return StoredColumns(path)
    except RegistryError:
        raise
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise RegistryError(_("not a kzrehab store, or a damaged one ({exc})").format(exc=exc),
                            Location(file=where)) from None  # fmt: skip
