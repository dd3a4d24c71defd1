"""What every population offers the engines, the reports and the commands.

A :class:`Population` is a set of claims to measure coverage on. There are two kinds:

- :class:`~kzrehab.population.in_memory.InMemoryPopulation` holds its claims (a registry
  read whole, a synthetic population, the cases of a law test);
- :class:`~kzrehab.population.stored.StoredPopulation` is backed by a columnar store on
  disk (:mod:`kzrehab.population.store`): the vectorised engine reads its columns chunk by
  chunk, iterating streams claims, and one claim is found by the store's id index. It never
  holds a claim object per claim.

Code that evaluates, reports or describes a population takes a :class:`Population` and
works with either.
"""

from __future__ import annotations

__all__ = ["Population"]

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..claims import Claim
    from .columns import Columns
    from .registry import PopulationHeader
    from .store import StoredColumns


class Population(Protocol):
    """A set of claims to measure coverage on: a registry, a store, or a synthetic one.

    Rows number the claims from 0 in their order; a claim's id is unique. Two populations
    of the same claims have the same :attr:`digest`, whatever their name and source.
    """

    @property
    def name(self) -> str:
        """A short name for reports (a file's stem, ``synthetic-reference-SIZE-seedSEED``)."""
        ...

    @property
    def synthetic(self) -> bool:
        """True for generated populations: every report says so."""
        ...

    @property
    def source(self) -> str:
        """Where it came from: a path, or a description of how it was made."""
        ...

    @property
    def claims(self) -> Sequence[Claim]:
        """Every claim, in order: a tuple in memory, a sequence read on demand from a store
        (never cached: iterate it to stream)."""
        ...

    @property
    def victims(self) -> int:
        """The number of distinct victims (``victim_id``)."""
        ...

    @property
    def events(self) -> int:
        """The number of events of all claims."""
        ...

    @property
    def digest(self) -> str:
        """SHA-256 (hex) identifying the claims, stable across runs and machines; name,
        source and ``synthetic`` do not enter it."""
        ...

    @property
    def verified_digest(self) -> str:
        """The :attr:`digest`, once everything it stands for has been checked (a store's
        columns against their hashes): what a cache asks for before it serves an entry
        keyed by the digest."""
        ...

    def __len__(self) -> int:
        """The number of claims."""
        ...

    def __iter__(self) -> Iterator[Claim]:
        """The claims in order (streamed from a store, chunk by chunk)."""
        ...

    def claim(self, id: str) -> Claim:
        """The claim with this id; :class:`~kzrehab.errors.UsageError` (with a close id
        when there is one) if there is none."""
        ...

    def claim_id(self, row: int) -> str:
        """The id of the claim in row ``row``, without building the claim."""
        ...

    def columns(self) -> Columns | StoredColumns:
        """The columns the vectorised engine reads, with ``chunks(size)``."""
        ...

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the population as a columnar store, atomically."""
        ...

    @property
    def header(self) -> PopulationHeader:
        """What a JSON Lines file of this population records about it."""
        from .registry import PopulationHeader

        return PopulationHeader(name=self.name, synthetic=self.synthetic)
