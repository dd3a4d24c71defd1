"""Opening a population by its path: :func:`load_population`."""

from __future__ import annotations

__all__ = ["load_population", "registry_files", "RegistryFiles", "SUPPORTED_FORMATS"]

import os
from pathlib import Path

import attrs

from .._io import not_regular
from .._suggest import did_you_mean_path
from ..errors import Location, RegistryError
from ..i18n import N_, _
from .csv_registry import read_csv
from .in_memory import InMemoryPopulation
from .parquet_registry import read_parquet
from .protocol import Population
from .registry import read_jsonl_with_header
from .store import is_store
from .stored import StoredPopulation

#: what :func:`load_population` reads, for messages and documentation
SUPPORTED_FORMATS = (
    N_("JSON Lines (*.jsonl, *.ndjson)"),
    N_("CSV (NAME.csv with its events in NAME.events.csv beside it, "
       "or a directory holding claims.csv and events.csv)"),
    N_("Parquet (NAME.parquet with its events in NAME.events.parquet beside it, "
       "or a directory holding claims.parquet and events.parquet)"),
    N_("a kzrehab columnar store (kzrehab population import|synth -o NAME.kzstore)"),
)


@attrs.frozen
class RegistryFiles:
    """What a path names, by the rules of :func:`load_population`."""

    #: ``"jsonl"``, ``"csv"``, ``"parquet"`` or ``"store"``
    kind: str
    #: the JSON Lines file, the CSV or Parquet claims file or the store
    path: Path
    #: the CSV or Parquet events file
    events: Path | None
    #: the population's name when no header names it: the file's stem, or the directory's
    #: name
    name: str


def registry_files(path: str | os.PathLike[str]) -> RegistryFiles:
    """Which files a registry path names, and in which format; a
    :class:`~kzrehab.errors.RegistryError` when it names none that can be read."""
    p = Path(path)
    where = str(p)
    if p.is_dir():
        csv, parquet = ((p / f"claims.{ext}").exists() or (p / f"events.{ext}").exists()
                        for ext in ("csv", "parquet"))  # fmt: skip
        if csv and parquet:
            raise RegistryError(_("holds both CSV and Parquet tables: give the claims file "
                                  "claims.csv or claims.parquet instead"), Location(file=where))
        if parquet:
            return _two_tables_dir(p, "parquet", "Parquet")
        return _two_tables_dir(p, "csv", "CSV")
    if not p.exists():
        raise RegistryError(_("no such "
                              "file{hint}").format(hint=did_you_mean_path(p)), Location(file=where))
    what = not_regular(p.stat().st_mode)
    if what is not None:  # checked before opening: a FIFO would block, a device never end
        raise RegistryError(_("is {what}, not a registry "
                              "file").format(what=what), Location(file=where))
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return RegistryFiles("jsonl", p, None, p.stem)
    for ext, label in ((".csv", "CSV"), (".parquet", "Parquet")):
        if suffix == ext:
            return _two_tables(p, ext, label)
    if is_store(p):
        return RegistryFiles("store", p, None, p.stem)
    if suffix == ".kzstore":  # named as a store, but not one
        raise RegistryError(
            _("is named like a kzrehab columnar store but is not one (not a zip file holding "
              "a store's metadata): it is damaged or was not made by kzrehab; make it again "
              "with kzrehab population import REGISTRY -o {name}").format(name=p.name),
            Location(file=where),
        )
    raise RegistryError(
        _("cannot tell the format of '{name}': supported are {items}").format(
            name=p.name, items="; ".join(_(f) for f in SUPPORTED_FORMATS)),
        Location(file=where),
    )


def _two_tables_dir(p: Path, kind: str, what: str) -> RegistryFiles:
    """A directory holding the claims and events tables of a CSV or Parquet registry."""
    claims, events = p / f"claims.{kind}", p / f"events.{kind}"
    for need in (claims, events):
        if not need.is_file():
            raise RegistryError(
                _("a {what} registry directory needs {name} (and "
                  "{value})").format(
                    what=what, name=need.name,
                    value=events.name if need is claims else claims.name),
                Location(file=str(need)),
            )
    return RegistryFiles(kind, claims, events, p.name)


def _two_tables(p: Path, ext: str, what: str) -> RegistryFiles:
    """A CSV or Parquet claims file, and its events file beside it."""
    where = str(p)
    if p.name.lower().endswith(f".events{ext}"):
        stem = p.name[: -len(f".events{ext}")]
        raise RegistryError(
            _("this is an events file: give the claims file {stem}{ext} instead "
              "(its events are read from here)").format(stem=stem, ext=ext),
            Location(file=where),
        )
    events = p.with_name(p.stem + f".events{ext}")
    if not events.is_file():
        raise RegistryError(
            _("the events of a {what} registry go in {name} beside its claims file "
              "(an events file with {value} when there are none)").format(
                what=what, name=events.name,
                value=_("only a header row") if ext == ".csv" else _("no rows")),
            Location(file=str(events)),
        )
    return RegistryFiles(ext[1:], p, events, p.stem)


def load_population(path: str | os.PathLike[str]) -> Population:
    """Read a registry into a :class:`~kzrehab.population.Population`, all or nothing: a
    registry's claims into an :class:`~.in_memory.InMemoryPopulation`, a store opened as a
    :class:`~.stored.StoredPopulation` (whose claims stay on disk).

    By the path: ``*.jsonl`` or ``*.ndjson`` is JSON Lines; ``NAME.csv`` is a CSV claims
    file whose events are in ``NAME.events.csv`` beside it, ``NAME.parquet`` a Parquet
    one whose events are in ``NAME.events.parquet``; a directory holds ``claims.csv`` and
    ``events.csv`` (or ``claims.parquet`` and ``events.parquet``). Anything else, a missing
    file or a bad row raises :class:`~kzrehab.errors.RegistryError` naming the file (and
    the line or row).

    The population is named after the file (or directory) unless a JSON Lines header names
    it, and is synthetic only when such a header says so.
    """
    where = str(Path(path))
    files = registry_files(path)
    if files.kind in ("csv", "parquet"):
        assert files.events is not None
        read = read_csv if files.kind == "csv" else read_parquet
        return InMemoryPopulation(name=files.name, claims=read(files.path, files.events),
                                  source=where)  # fmt: skip
    if files.kind == "jsonl":
        claims, header = read_jsonl_with_header(files.path)
        if header is None:
            return InMemoryPopulation(name=files.name, claims=claims, source=where)
        return InMemoryPopulation(name=header.name, claims=claims, synthetic=header.synthetic,
                                  source=where)  # fmt: skip
    return StoredPopulation.open(files.path)
