"""Populations: the claims coverage is measured on (see :doc:`/population`).

- :class:`Population` is what every population offers the engines and the reports; an
  :class:`InMemoryPopulation` holds its claims, a :class:`StoredPopulation` reads them from
  a columnar store (:mod:`.store`) a chunk at a time;
- :func:`load_population` reads a registry (JSON Lines or CSV, :mod:`.registry`), all or
  nothing, or opens a store;
- :func:`import_registry` turns a registry into a store (or canonical JSON Lines) a chunk at
  a time, in memory bounded by the chunk, not the registry (:mod:`.importer`);
- :func:`reference_population` is the bundled synthetic one, calibrated to published
  figures (:mod:`.synth`);
- :func:`synthesize` makes a synthetic population of any size for any seed;
- :func:`write_jsonl` writes claims as JSON Lines, atomically.
"""

from __future__ import annotations

from .importer import import_registry
from .in_memory import InMemoryPopulation
from .load import SUPPORTED_FORMATS, load_population
from .protocol import Population
from .reference import REFERENCE_SEED, REFERENCE_SIZE, reference_population
from .registry import write_jsonl
from .stored import StoredPopulation
from .synth import synthesize

__all__ = [
    "Population",
    "InMemoryPopulation",
    "StoredPopulation",
    "load_population",
    "import_registry",
    "reference_population",
    "REFERENCE_SIZE",
    "REFERENCE_SEED",
    "synthesize",
    "write_jsonl",
    "SUPPORTED_FORMATS",
]
