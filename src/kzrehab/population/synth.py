"""The calibrated synthetic population (:doc:`/population`): claims drawn from archetypes of
repression.

:func:`synthesize` splits a population of ``size`` claims between the archetypes of
:data:`CALIBRATION` in proportion to their weights — the number of people each stands for,
from the published figures of ``sources.md`` §E (or an assumption, said so in the record's
note) — and draws each archetype's claims with NumPy, vectorised, from one
``numpy.random.Generator(PCG64(seed))``: the same seed gives the same population, claim for
claim. Facts are unknown, and dates known only to the month or the year, in the shares an
archive would leave them.

Claim ids are ``ARCHETYPE-NNNNNN`` (``famine-death-000123``), so a report's example claim
says where it came from. Within the Soviet-era archetypes about one claim in eight is a
second heir claiming for the same victim (same ``victim_id``, same events).

Everything here is synthetic: no claim describes a real person.
"""

from __future__ import annotations

__all__ = [
    "Calibration",
    "CALIBRATION",
    "DESTINATIONS",
    "GENERATOR_VERSION",
    "REFERENCE_DATE",
    "allocate",
    "synthesize",
]

from collections.abc import Callable

import numpy as np

from ..claims import Claim
from ..dates import PartialDate
from ..i18n import _
from ._archetypes import ARCHETYPES
from ._calibration import CALIBRATION, DESTINATIONS, TOTAL_WEIGHT, Calibration
from ._draw import REFERENCE_DATE, Batch
from .in_memory import InMemoryPopulation

#: bump when a change to the generator changes what a seed gives
GENERATOR_VERSION = 3


def allocate(size: int) -> dict[str, int]:
    """How many claims each archetype gets in a population of ``size``.

    When ``size`` allows, every archetype first gets one claim (so small populations still
    show every kind of case); the rest are shared in proportion to the weights, rounded by
    largest remainder so that the counts add up to ``size``.
    """
    if size < 0:
        raise ValueError(_("size must be at least 0, not {size}").format(size=size))
    names = [c.archetype for c in CALIBRATION]
    base = 1 if size >= len(names) else 0
    rest = size - base * len(names)
    exact = np.array([c.weight for c in CALIBRATION], dtype=np.float64) / TOTAL_WEIGHT * rest
    counts = np.floor(exact).astype(np.int64)
    left = rest - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:left]] += 1
    return dict(zip(names, (counts + base).tolist(), strict=True))


def synthesize(
    size: int, seed: int, progress: Callable[[int], None] | None = None
) -> InMemoryPopulation:
    """A synthetic population of ``size`` claims, the same for the same ``seed``.

    ``progress``, if given, is called with the number of claims made so far after each
    archetype (the command line draws a progress bar with it).

    Archetypes come in the order of :data:`CALIBRATION`, each with :func:`allocate`'s
    share of the claims; within one, facts are drawn vectorised from one
    ``numpy.random.Generator(PCG64(seed))``.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(_("size must be a whole number of claims, not {size!r}").format(
                             size=size))
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(_("seed must be a non-negative integer, not {seed!r}").format(seed=seed))
    rng = np.random.Generator(np.random.PCG64(seed))
    dates: dict[int, PartialDate | None] = {}
    claims: list[Claim] = []
    for archetype, n in allocate(size).items():
        if n == 0:
            continue
        batch = Batch(rng, n, archetype, dates)
        ARCHETYPES[archetype](batch)
        claims.extend(batch.build())
        if progress is not None:
            progress(len(claims))
    return InMemoryPopulation(
        name=f"synthetic-reference-{size}-seed{seed}",
        claims=tuple(claims),
        synthetic=True,
        source=f"kzrehab.population.synth.synthesize(size={size}, seed={seed}), "
        f"generator version {GENERATOR_VERSION}",
    )
