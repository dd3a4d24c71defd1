"""The population backed by a columnar store: claims streamed from disk, one found by its id.

A :class:`StoredPopulation` holds the opened store (:class:`~.store.StoredColumns`), not
its claims. The vectorised engine reads the store's columns chunk by chunk; iterating the
population (or its :attr:`~StoredPopulation.claims`) decodes one chunk of claims at a time;
:meth:`~StoredPopulation.claim` finds a claim through the store's id index and reads only
its rows. Nothing keeps a claim object per claim, so a command that shows one claim of ten
million (``explain``) stays small.
"""

from __future__ import annotations

__all__ = ["StoredPopulation", "StoredClaims", "CHUNK"]

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

import attrs

from .._suggest import did_you_mean_among
from ..claims import Claim
from ..errors import Location, RegistryError, UsageError
from ..i18n import _
from .columns import claims_from_columns
from .hashing import INDEX
from .protocol import Population
from .store import StoredColumns, load_store

#: claims decoded at a time when a stored population is iterated
CHUNK = 16_384


@attrs.frozen(repr=False)
class StoredPopulation(Population):
    """A population read from a columnar store.

    Open one with :meth:`open` (or :func:`~kzrehab.population.load_population`).
    Populations compare by name, ``synthetic`` and source; the :attr:`digest`, derived from
    the hashes of the store's arrays, identifies the claims.
    """

    #: a short name for reports (the store's recorded name, else the file's stem)
    name: str
    #: True for generated populations: every report says so
    synthetic: bool
    #: the store's path
    source: str
    #: the opened store
    store: StoredColumns = attrs.field(eq=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, verify: bool = False) -> StoredPopulation:
        """The population of a store file (``verify``: every array checked against its
        hash now, rather than when first read); a file that is not a store is a
        :class:`~kzrehab.errors.RegistryError`."""
        stored = load_store(path)
        if verify:
            stored.verify_all()
        meta = stored.meta
        return cls(name=str(meta.get("name") or Path(path).stem),
                   synthetic=bool(meta.get("synthetic", False)), source=str(path),
                   store=stored)  # fmt: skip

    def __repr__(self) -> str:
        kind = "synthetic, " if self.synthetic else ""
        n, m = len(self), self.events
        return (f"<StoredPopulation {self.name!r}: {kind}{n:,} claim{'s' * (n != 1)}, "
                f"{m:,} event{'s' * (m != 1)}, from {self.source}>")  # fmt: skip

    def __len__(self) -> int:
        return self.store.n_claims

    def __iter__(self) -> Iterator[Claim]:
        for __, part in self.store.chunks(CHUNK):
            yield from claims_from_columns(part, range(part.n_claims))

    @property
    def claims(self) -> StoredClaims:
        """Every claim, in order, read from the store when asked for (never cached)."""
        return StoredClaims(self)

    @property
    def victims(self) -> int:
        """The number of distinct victims, as the store recorded it."""
        return int(self.store.meta["victims"])

    @property
    def events(self) -> int:
        """The number of events of all claims."""
        return self.store.n_events

    @property
    def digest(self) -> str:
        """Derived from the hashes of the store's arrays, which are checked when read
        (:attr:`~kzrehab.population.store.StoredColumns.digest`), never taken from its
        metadata."""
        return self.store.digest

    @property
    def verified_digest(self) -> str:
        """The :attr:`digest`, once every array of the store has been checked against its
        hash: what a cache asks for before it serves an entry keyed by the digest, so that
        a cached result is never served for altered columns that evaluation would not
        have read (an entry is made from columns checked as they were read)."""
        self.store.verify_all()
        return self.digest

    def rows(self, a: int, b: int) -> list[Claim]:
        """The claims of rows ``a`` to ``b`` (excluded), read and checked."""
        return claims_from_columns(self.store.slice(a, b), range(b - a))

    def claim(self, id: str) -> Claim:
        """The claim with this id, found by the store's id index and read alone;
        :class:`~kzrehab.errors.UsageError` when there is none."""
        row = self.store.find(id)
        if row is not None:
            return self.rows(row, row + 1)[0]
        suggestion = did_you_mean_among(id, self._other_ids(id))
        raise UsageError(_("no claim '{id}' in population '{name}'{suggestion}").format(
                             id=id, name=self.name, suggestion=suggestion))

    def _other_ids(self, id: str) -> Iterator[str]:
        """Every id, a block at a time; finding ``id`` among them means the index failed."""
        for other in self.store.ids:
            if other == id:
                raise RegistryError(_("the id index does not find a claim the store holds: "
                                      "the store is damaged (re-import the registry)"),
                                    Location(file=self.store.where, key=INDEX))  # fmt: skip
            yield other

    def claim_id(self, row: int) -> str:
        """The id of the claim in row ``row`` (read with its block of ids)."""
        return self.store.ids[row]

    def columns(self) -> StoredColumns:
        """The store, which the engine reads chunk by chunk."""
        return self.store

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write this population as another store, atomically, a chunk at a time."""
        from .writer import StoreWriter

        with StoreWriter(path) as writer:
            for __, part in self.store.chunks(CHUNK):
                writer.add(claims_from_columns(part, range(part.n_claims)))
            writer.finish({"name": self.name, "synthetic": self.synthetic,
                           "source": self.source})  # fmt: skip


class StoredClaims(Sequence[Claim]):
    """The claims of a stored population as a sequence: an item or a slice is read from
    the store when asked for, iterating streams them a chunk at a time, and nothing is
    kept. Equal to any sequence of the same claims."""

    def __init__(self, population: StoredPopulation) -> None:
        self._population = population

    def __repr__(self) -> str:
        return f"<StoredClaims of {self._population.name!r}: {len(self):,} claims>"

    def __len__(self) -> int:
        return len(self._population)

    @overload
    def __getitem__(self, index: int) -> Claim: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Claim, ...]: ...

    def __getitem__(self, index: int | slice) -> Claim | tuple[Claim, ...]:
        n = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            if step == 1:
                return tuple(self._population.rows(start, stop)) if start < stop else ()
            return tuple(self[i] for i in range(start, stop, step))
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(_("population '{name}' has no claim row {index}").format(
                                 name=self._population.name, index=index))
        return self._population.rows(i, i + 1)[0]

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._population)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]
