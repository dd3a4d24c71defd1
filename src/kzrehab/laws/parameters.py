"""Parameters on a date: which value of a dated parameter, such as the monthly calculation
index (``MCI``), is in force on the assessment date.

A law's ``[parameters]`` give named numbers (:class:`~kzrehab.laws.provisions.Parameter`):
a plain number, or dated values of which the latest on or before the assessment date
applies (:doc:`draft-format`, *The assessment date*). With
``MCI = { 2024-01-01 = 3692, 2025-01-01 = 3932 }``, ``MCI`` is 3692 on 2024-06-01, 3932
from 2025-01-01 on, and has no value on 2023-12-31: evaluating then is an error naming it.
"""

from __future__ import annotations

__all__ = ["value_on", "parameters_at"]

import datetime as dt
from collections.abc import Iterable

from ..errors import EvaluationError, Location
from ..i18n import _
from .provisions import Law, Parameter


def value_on(parameter: Parameter, as_of: dt.date) -> float | None:
    """The value of ``parameter`` in force on ``as_of``, or None when there is none yet."""
    found: float | None = None
    for since, value in parameter.values:
        if since is None or since <= as_of:
            found = value
    return found


def parameters_at(laws: Iterable[Law], as_of: dt.date) -> dict[str, dict[str, float]]:
    """Every law's parameter values on ``as_of``, by law id and name.

    A parameter with no value on or before ``as_of`` is an
    :class:`~kzrehab.errors.EvaluationError` naming it and its first date.
    """
    out: dict[str, dict[str, float]] = {}
    for law in laws:
        values: dict[str, float] = {}
        for name, p in law.parameters.items():
            v = value_on(p, as_of)
            if v is None:
                first = min(d for d, __ in p.values if d is not None)
                raise EvaluationError(
                    _("parameter {name} has no value on or before {as_of} "
                      "(its first value is from {first}); choose a later --as-of").format(
                        name=name, as_of=as_of.isoformat(), first=first.isoformat()),
                    p.origin if p.origin.file else Location(file=law.ref, key=f"parameters.{name}"),
                )
            values[name] = v
        out[law.id] = values
    return out
