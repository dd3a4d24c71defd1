"""Populations: the claims coverage is measured on (SPEC §8).

- :func:`load_population` reads a registry (JSON Lines or CSV, :mod:`.registry`), all or
  nothing;
- :func:`reference_population` is the bundled synthetic one, calibrated to published
  figures (:mod:`.synth`);
- :func:`synthesize` makes a synthetic population of any size for any seed;
- :func:`write_jsonl` writes claims as JSON Lines, atomically.
"""

from __future__ import annotations

from ._population import SUPPORTED_FORMATS, Population, load_population
from .reference import REFERENCE_SEED, REFERENCE_SIZE, reference_population
from .registry import write_jsonl
from .synth import synthesize

__all__ = [
    "Population",
    "load_population",
    "reference_population",
    "REFERENCE_SIZE",
    "REFERENCE_SEED",
    "synthesize",
    "write_jsonl",
    "SUPPORTED_FORMATS",
]
