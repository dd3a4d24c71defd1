"""The population that holds its claims: a registry read whole, a synthetic population, the
cases of a law test."""

from __future__ import annotations

__all__ = ["InMemoryPopulation"]

import functools
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping

import attrs

from .._suggest import did_you_mean_among
from ..claims import Claim
from ..errors import UsageError
from ..i18n import _
from .columns import Columns
from .protocol import Population


def _tuple(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return claims if isinstance(claims, tuple) else tuple(claims)


@attrs.frozen(repr=False)
class InMemoryPopulation(Population):
    """A population whose claims are held in memory, in order.

    Its columns for the vectorised engine are built from the claims on first use and kept
    with it. Populations compare by name, claims, ``synthetic`` and source; the
    :attr:`digest` identifies the claims alone.
    """

    #: a short name for reports (a file's stem, or ``synthetic-reference-SIZE-seedSEED``)
    name: str
    #: every claim, in order
    claims: tuple[Claim, ...] = attrs.field(default=(), converter=_tuple)
    #: True for generated populations: every report says so
    synthetic: bool = False
    #: where it came from: a path, or a description of how it was made
    source: str = ""

    def __repr__(self) -> str:
        kind = "synthetic, " if self.synthetic else ""
        n = len(self.claims)
        return f"<InMemoryPopulation {self.name!r}: {kind}{n:,} claim{'s' * (n != 1)}>"

    def __len__(self) -> int:
        return len(self.claims)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    @functools.cached_property
    def victims(self) -> int:
        """The number of distinct victims (``victim_id``)."""
        return len({c.victim_id for c in self.claims})

    @functools.cached_property
    def events(self) -> int:
        """The number of events of all claims."""
        return sum(len(c.events) for c in self.claims)

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 (hex) of the claims' canonical JSON Lines text: the checksum of the file
        that :func:`~kzrehab.population.registry.write_jsonl` writes for them without a
        header. Name, source and ``synthetic`` do not enter it."""
        from .claim_json import canonical_lines

        h = hashlib.sha256()
        batch: list[str] = []
        for line in canonical_lines(self.claims):
            batch.append(line)
            if len(batch) >= 4096:
                h.update("".join(batch).encode("utf-8"))
                batch.clear()
        h.update("".join(batch).encode("utf-8"))
        return h.hexdigest()

    @property
    def verified_digest(self) -> str:
        """The :attr:`digest` (claims in memory need no check)."""
        return self.digest

    @functools.cached_property
    def _index(self) -> Mapping[str, int]:
        return {c.id: i for i, c in enumerate(self.claims)}

    def claim(self, id: str) -> Claim:
        """The claim with this id; :class:`~kzrehab.errors.UsageError` when there is none."""
        row = self._index.get(id)
        if row is None:
            raise UsageError(
                _("no claim '{id}' in population '{name}'{hint}").format(
                    id=id, name=self.name, hint=did_you_mean_among(id, self._index))
            )
        return self.claims[row]

    def claim_id(self, row: int) -> str:
        """The id of the claim in row ``row``."""
        return self.claims[row].id

    @functools.cached_property
    def _columns(self) -> Columns:
        return Columns.from_claims(self.claims)

    def columns(self) -> Columns:
        """The claims as columns, built once."""
        return self._columns

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write this population as a columnar store, atomically."""
        from .store import save_store

        meta = {"name": self.name, "synthetic": self.synthetic, "source": self.source,
                "victims": self.victims}  # fmt: skip
        save_store(path, self.columns(), meta)
