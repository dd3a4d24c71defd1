"""The bundled default population: the synthetic reference population (:doc:`/population`).

:func:`reference_population` is ``synthesize(REFERENCE_SIZE, REFERENCE_SEED)``. The first
run generates it and saves it as a columnar store in the user's cache directory
(:func:`kzrehab._io.cache_dir`); later runs open that store, which takes a fraction of a
second. The store's name carries a key of everything that decides the claims — the
generator's version and source, the serialisation code and NumPy's version — so a stale
store is never used; a damaged one is ignored and made anew. The store is an entry of the
cache, kept within its size cap like the others (:mod:`kzrehab._cache`): opening it marks
it used, and one evicted (by another process, even while this one starts) is made again.
"""

from __future__ import annotations

__all__ = ["REFERENCE_SIZE", "REFERENCE_SEED", "reference_population", "reference_path",
           "reference_cached"]

import contextlib
import functools
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .._cache import touch, written
from .._io import cache_dir
from ..errors import RegistryError
from .protocol import Population
from .stored import StoredPopulation
from .synth import GENERATOR_VERSION, synthesize

#: claims in the reference population (about 2.5 events each)
REFERENCE_SIZE = 200_000
#: the seed of the reference population
REFERENCE_SEED = 1993

# The modules whose source decides the reference claims and their canonical text.
_SOURCES = (
    "kzrehab.population.synth",
    "kzrehab.population._archetypes",
    "kzrehab.population._archetypes_soviet",
    "kzrehab.population._draw",
    "kzrehab.population._calibration",
    "kzrehab.population.claim_json",
    "kzrehab.population.columns",
    "kzrehab.population.store",
    "kzrehab.population.tables",
    "kzrehab.claims",
    "kzrehab.dates",
    "kzrehab.vocabulary",
)


@functools.lru_cache(maxsize=1)
def _generator_key() -> str | None:
    """A hash of everything that decides the reference claims, or None if a source is
    unreadable (then nothing is cached)."""
    h = hashlib.sha256(f"{GENERATOR_VERSION}\n{np.__version__}\n".encode())
    for name in _SOURCES:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if not path:
            return None
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            return None
    return h.hexdigest()[:20]


def reference_path(size: int = REFERENCE_SIZE, seed: int = REFERENCE_SEED) -> Path | None:
    """Where the reference population's store is cached (None when it cannot be keyed)."""
    key = _generator_key()
    if key is None:
        return None
    return cache_dir() / "population" / f"reference-{size}-seed{seed}-{key}.kzstore"


def reference_cached(size: int = REFERENCE_SIZE, seed: int = REFERENCE_SEED) -> bool:
    """Whether :func:`reference_population` will open a cached store rather than make the
    population (which takes about half a minute at the default size).

    The command line asks this to say, before the work, that the population is being made.
    A store that turns out to be damaged is still made anew.
    """
    path = reference_path(size, seed)
    return path is not None and path.is_file()


def reference_cacheable(size: int = REFERENCE_SIZE, seed: int = REFERENCE_SEED) -> bool:
    """Whether a population made by :func:`reference_population` will be cached: its folder
    in the cache can be made and written (the command line says where, or that it cannot)."""
    path = reference_path(size, seed)
    return path is not None and _writable(path.parent)


@functools.lru_cache(maxsize=4)
def reference_population(
    size: int = REFERENCE_SIZE,
    seed: int = REFERENCE_SEED,
    *,
    progress: Callable[[int], None] | None = None,
) -> Population:
    """The synthetic reference population, the default of every evaluating command.

    Opened from the cache when this generator has made it before; generated (and cached,
    where the cache directory is writable) otherwise. The same object is returned again
    within a process for the same arguments.

    ``progress``, if given, is passed to :func:`~kzrehab.population.synthesize` when the
    population must be made (see :func:`reference_cached`); nothing is ever printed.
    """
    path = reference_path(size, seed)
    if path is not None and path.is_file():
        # checked whole: a damaged or altered store is made anew, never an error, and so is
        # one that another process evicted in between
        with contextlib.suppress(RegistryError, OSError):
            opened = StoredPopulation.open(path, verify=True)
            touch(path)
            return opened
    population = synthesize(size, seed, progress=progress)
    if path is not None and _writable(path.parent):
        with contextlib.suppress(OSError, RegistryError):
            population.save(path)
            written(path.parent.parent, path)
            # the store, so that the digest is the same in this run as in the next ones
            return StoredPopulation.open(path, verify=True)
    return population


def _writable(directory: Path) -> bool:
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        return os.access(directory, os.W_OK)
    return False
