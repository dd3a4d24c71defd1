"""The bundled default population: the synthetic reference population (SPEC §8).

:func:`reference_population` is ``synthesize(REFERENCE_SIZE, REFERENCE_SEED)``, made once per
process. Generating it is faster than reading it back from JSON Lines (both are bound by
building the claim objects, and reading also parses and checks every value), so the claims
are not cached on disk. What is cached is its digest, which would otherwise cost as much as
generating it: one small file per size, seed and generator, in the user's cache directory
(``$KZREHAB_CACHE``, else ``$XDG_CACHE_HOME/kzrehab``, else ``~/.cache/kzrehab``), keyed by
everything that decides the claims — the generator's version and source, the serialisation
code and NumPy's version — so a stale digest is never used.
"""

from __future__ import annotations

__all__ = ["REFERENCE_SIZE", "REFERENCE_SEED", "reference_population", "cache_dir"]

import contextlib
import functools
import hashlib
import os
import re
import sys
from pathlib import Path

import numpy as np

from ._population import Population
from .registry import atomic_write
from .synth import GENERATOR_VERSION, synthesize

#: claims in the reference population (about 2.5 events each)
REFERENCE_SIZE = 200_000
#: the seed of the reference population
REFERENCE_SEED = 1993

# The modules whose source decides the reference claims and their canonical text.
_SOURCES = (
    "kzrehab.population.synth",
    "kzrehab.population._archetypes",
    "kzrehab.population._draw",
    "kzrehab.population._calibration",
    "kzrehab.population.registry",
    "kzrehab.model",
    "kzrehab.dates",
    "kzrehab.vocabulary",
)
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def cache_dir() -> Path:
    """Where kzrehab keeps caches: ``$KZREHAB_CACHE``, else the user's cache directory."""
    env = os.environ.get("KZREHAB_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kzrehab"


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


def _digest_path(size: int, seed: int) -> Path | None:
    key = _generator_key()
    if key is None:
        return None
    return cache_dir() / "population" / f"reference-{size}-seed{seed}-{key}.sha256"


def _read_digest(path: Path) -> str | None:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = path.read_text(encoding="ascii").strip()
        if _HEX64.match(text):
            return text
    return None


def _write_digest(path: Path, digest: str) -> None:
    """Write atomically; a cache that cannot be written is simply not written."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, [digest + "\n"])


@functools.lru_cache(maxsize=4)
def reference_population(size: int = REFERENCE_SIZE, seed: int = REFERENCE_SEED) -> Population:
    """The synthetic reference population, the default of every evaluating command.

    Made once per process (the same object is returned again); its digest comes from the
    cache when this generator has made it before, and is stored there otherwise.
    """
    population = synthesize(size, seed)
    path = _digest_path(size, seed)
    known = _read_digest(path) if path is not None else None
    if known is not None:
        # the digest is a cached property: fill it in rather than recompute it
        object.__setattr__(population, "digest", known)
    elif path is not None and _writable(path.parent):
        _write_digest(path, population.digest)
    return population


def _writable(directory: Path) -> bool:
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        return os.access(directory, os.W_OK)
    return False
