"""The :class:`Population` and :func:`load_population`."""

from __future__ import annotations

__all__ = ["Population", "load_population", "SUPPORTED_FORMATS"]

import functools
import hashlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from .._io import not_regular
from .._suggest import did_you_mean
from ..claims import Claim
from ..errors import Location, RegistryError, UsageError
from .registry import PopulationHeader, canonical_lines, read_csv, read_jsonl_with_header
from .store import StoredColumns, is_store, load_store, save_store

#: what :func:`load_population` reads, for messages and documentation
SUPPORTED_FORMATS = (
    "JSON Lines (*.jsonl, *.ndjson)",
    "CSV (NAME.csv with its events in NAME.events.csv beside it, "
    "or a directory holding claims.csv and events.csv)",
    "a kzrehab columnar store (kzrehab population import|synth -o NAME.kzstore)",
)


@attrs.frozen
class Population:
    """A set of claims to measure coverage on: a registry, or the synthetic reference one.

    A population holds its claims, or is backed by a columnar store
    (:func:`~kzrehab.population.store.load_store`): then the engine reads the store's
    columns chunk by chunk, and claim objects are built only when asked for.
    Populations compare by name, claims, ``synthetic`` and source; the :attr:`digest`
    identifies the claims alone.
    """

    #: a short name for reports (a file's stem, or ``synthetic-reference-SIZE-seedSEED``)
    name: str
    _claims: tuple[Claim, ...] | None = attrs.field(
        default=None,
        alias="claims",
        repr=lambda c: "<stored>" if c is None else f"<{len(c)} claims>",
    )
    #: True for generated populations: every report says so
    synthetic: bool = False
    #: where it came from: a path, or a description of how it was made
    source: str = ""
    #: the columnar store backing this population, if any
    stored_columns: StoredColumns | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_store(cls, path: str | os.PathLike[str], *, verify: bool = False) -> Population:
        """A population backed by a columnar store file (``verify``: every column checked
        against its hash now, rather than when first read)."""
        stored = load_store(path)
        if verify:
            stored.verify_all()
        meta = stored.meta
        return cls(
            name=str(meta.get("name") or Path(path).stem),
            synthetic=bool(meta.get("synthetic", False)),
            source=str(path),
            stored_columns=stored,
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write this population as a columnar store, atomically."""
        from .columns import columns_of

        meta = {"name": self.name, "synthetic": self.synthetic, "source": self.source,
                "victims": self.victims}  # fmt: skip
        save_store(path, columns_of(self), meta)

    def __len__(self) -> int:
        if self._claims is None:
            assert self.stored_columns is not None
            return self.stored_columns.n_claims
        return len(self._claims)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    @functools.cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim, in order (built from the store on first use when stored)."""
        if self._claims is not None:
            return self._claims
        stored = self.stored_columns
        assert stored is not None
        from .columns import claims_from_columns

        return tuple(claims_from_columns(stored.columns, range(stored.n_claims)))

    @functools.cached_property
    def victims(self) -> int:
        """The number of distinct victims (``victim_id``)."""
        if self._claims is None and self.stored_columns is not None:
            return int(self.stored_columns.meta["victims"])
        return len({c.victim_id for c in self.claims})

    @functools.cached_property
    def events(self) -> int:
        """The number of events of all claims."""
        if self._claims is None and self.stored_columns is not None:
            return self.stored_columns.n_events
        return sum(len(c.events) for c in self.claims)

    @property
    def verified_digest(self) -> str:
        """The :attr:`digest`, once every column of a store has been checked against its
        hash: what cache keys use, so that a cached result is never served for altered
        columns that evaluation would not have read."""
        if self._claims is None and self.stored_columns is not None:
            self.stored_columns.verify_all()
        return self.digest

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 (hex) identifying the claims.

        For claims in memory (a registry, a synthetic population): SHA-256 of their
        canonical JSON Lines text, equal to the checksum of the file that
        :func:`~kzrehab.population.registry.write_jsonl` writes for them without a header.
        For a columnar store: derived from the hashes of its columns, which are checked
        when read (:attr:`~kzrehab.population.store.StoredColumns.digest`), never taken
        from its metadata. Stable across runs and machines; name, source and ``synthetic``
        do not enter it.
        """
        if self._claims is None and self.stored_columns is not None:
            return self.stored_columns.digest
        h = hashlib.sha256()
        batch: list[str] = []
        for line in canonical_lines(self.claims):
            batch.append(line)
            if len(batch) >= 4096:
                h.update("".join(batch).encode("utf-8"))
                batch.clear()
        h.update("".join(batch).encode("utf-8"))
        return h.hexdigest()

    @functools.cached_property
    def _index(self) -> Mapping[str, int]:
        if self._claims is None and self.stored_columns is not None:
            return {cid: i for i, cid in enumerate(self.stored_columns.ids)}
        return {c.id: i for i, c in enumerate(self.claims)}

    def claim_id(self, row: int) -> str:
        """The id of the claim in row ``row`` (without building claims from a store)."""
        if self._claims is None and self.stored_columns is not None:
            return self.stored_columns.ids[row]
        return self.claims[row].id

    def claim(self, id: str) -> Claim:
        """The claim with this id; :class:`~kzrehab.errors.UsageError` when there is none."""
        row = self._index.get(id)
        if row is None:
            raise UsageError(
                f"no claim '{id}' in population '{self.name}'{did_you_mean(id, self._index)}"
            )
        if self._claims is None and self.stored_columns is not None:
            from .columns import claims_from_columns

            s = self.stored_columns
            return claims_from_columns(s.columns, [row])[0]
        return self.claims[row]

    @property
    def header(self) -> PopulationHeader:
        """What a JSON Lines file of this population records about it."""
        return PopulationHeader(name=self.name, synthetic=self.synthetic)


def load_population(path: str | os.PathLike[str]) -> Population:
    """Read a registry into a :class:`Population`, all or nothing.

    By the path: ``*.jsonl`` or ``*.ndjson`` is JSON Lines; ``NAME.csv`` is a CSV claims
    file whose events are in ``NAME.events.csv`` beside it; a directory holds
    ``claims.csv`` and ``events.csv``. Anything else, a missing file or a bad row raises
    :class:`~kzrehab.errors.RegistryError` naming the file (and the line).

    The population is named after the file (or directory) unless a JSON Lines header names
    it, and is synthetic only when such a header says so.
    """
    p = Path(path)
    where = str(p)
    if p.is_dir():
        claims_csv, events_csv = p / "claims.csv", p / "events.csv"
        for need in (claims_csv, events_csv):
            if not need.is_file():
                raise RegistryError(
                    f"a CSV registry directory needs {need.name} (and "
                    f"{events_csv.name if need is claims_csv else claims_csv.name})",
                    Location(file=str(need)),
                )
        return Population(name=p.name, claims=read_csv(claims_csv, events_csv), source=where)
    if not p.exists():
        raise RegistryError("no such file", Location(file=where))
    what = not_regular(p.stat().st_mode)
    if what is not None:  # checked before opening: a FIFO would block, a device never end
        raise RegistryError(f"is {what}, not a registry file", Location(file=where))
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        claims, header = read_jsonl_with_header(p)
        if header is None:
            return Population(name=p.stem, claims=claims, source=where)
        return Population(
            name=header.name, claims=claims, synthetic=header.synthetic, source=where
        )
    if suffix == ".csv":
        if p.name.lower().endswith(".events.csv"):
            stem = p.name[: -len(".events.csv")]
            raise RegistryError(
                f"this is an events file: give the claims file {stem}.csv instead "
                "(its events are read from here)",
                Location(file=where),
            )
        events = p.with_name(p.stem + ".events.csv")
        if not events.is_file():
            raise RegistryError(
                f"the events of a CSV registry go in {events.name} beside its claims file "
                "(an events file with only a header row when there are none)",
                Location(file=str(events)),
            )
        return Population(name=p.stem, claims=read_csv(p, events), source=where)
    if is_store(p):
        return Population.from_store(p)
    raise RegistryError(
        f"cannot tell the format of '{p.name}': supported are {'; '.join(SUPPORTED_FORMATS)}",
        Location(file=where),
    )
