"""kzrehab: model, evaluate and track Kazakhstan's laws on rehabilitation of victims of
political repression.

>>> import kzrehab
>>> fw = kzrehab.load_framework(["drafts/current"])          # doctest: +SKIP
>>> pop = kzrehab.load_population("registry.jsonl")           # doctest: +SKIP
>>> cov = kzrehab.evaluate(fw, pop)                            # doctest: +SKIP
>>> history = kzrehab.log(["drafts/bills"], population=pop)     # doctest: +SKIP
"""

from __future__ import annotations

from ._version import __version__

__all__ = [
    "__version__",
    "Claim",
    "Event",
    "Framework",
    "KzrehabError",
    "PartialDate",
    "load_framework",
    "load_population",
    "reference_population",
    "evaluate",
    "evaluate_claim",
    "summarize",
    "diff",
    "compare",
    "log",
    "status",
]

from typing import TYPE_CHECKING, Any

from .errors import KzrehabError

if TYPE_CHECKING:
    from .attribution import compare
    from .claims import Claim, Event
    from .comparison import diff
    from .dates import PartialDate
    from .evaluation import evaluate, evaluate_claim, summarize
    from .laws.framework import Framework
    from .population import load_population, reference_population
    from .tracker.git import load_framework
    from .tracker.history import log, status


def __getattr__(name: str) -> Any:
    """Import the heavier parts (attrs, the engine, NumPy) only when they are asked for."""
    if name in {"Claim", "Event"}:
        from . import claims

        return getattr(claims, name)
    if name == "PartialDate":
        from .dates import PartialDate

        return PartialDate
    if name == "Framework":
        from .laws.framework import Framework

        return Framework
    if name == "load_framework":
        from .tracker.git import load_framework

        return load_framework
    if name in {"load_population", "reference_population"}:
        from . import population

        return getattr(population, name)
    if name in {"evaluate", "evaluate_claim", "summarize"}:
        from . import evaluation

        return getattr(evaluation, name)
    if name == "diff":
        from .comparison import diff

        return diff
    if name == "compare":
        from .attribution import compare

        return compare
    if name in {"log", "status"}:
        from .tracker import history

        return getattr(history, name)
    raise AttributeError(f"module 'kzrehab' has no attribute {name!r}")
