"""What a number in a report's data is: the field markers that suppression reads.

Every number in a report's typed data is declared with one of these field makers, so the
kind travels with the field, not with the spelling of a JSON key:

- :func:`count` — a number of claims (or a change of one): blanked when its magnitude is
  from 1 to K - 1 (``docs/reports.rst``);
- :func:`money` — an amount of money, blanked when fewer than K claims contribute to it
  (``contributors`` names the sibling count field that says how many do);
- :func:`figure` — a number that counts no claims (the population's size, a threshold, a
  position in a list): never blanked.

>>> import attrs
>>> @attrs.frozen
... class Row:
...     claims: int | None = count()
...     k: int = figure()
>>> [kind_of(f) for f in attrs.fields(Row)]
[<Kind.COUNT: 'count'>, <Kind.FIGURE: 'figure'>]
"""

from __future__ import annotations

__all__ = ["Kind", "KIND", "CONTRIBUTORS", "count", "money", "figure", "kind_of"]

import enum
from typing import Any

import attrs


class Kind(enum.Enum):
    """The kind of a number in a report's data."""

    COUNT = "count"
    MONEY = "money"
    FIGURE = "figure"


#: the metadata key of a field's :class:`Kind`
KIND = "kzrehab.kind"
#: the metadata key of a money field's contributors (the name of a sibling count field)
CONTRIBUTORS = "kzrehab.contributors"


def count(**kwargs: Any) -> Any:
    """A field counting claims (or a change of such a count): suppressed when small."""
    return attrs.field(metadata={KIND: Kind.COUNT}, **kwargs)


def money(contributors: str | None = None, **kwargs: Any) -> Any:
    """A field holding money: suppressed when fewer than K claims contribute to it."""
    return attrs.field(metadata={KIND: Kind.MONEY, CONTRIBUTORS: contributors}, **kwargs)


def figure(**kwargs: Any) -> Any:
    """A number that counts no claims: never suppressed."""
    return attrs.field(metadata={KIND: Kind.FIGURE}, **kwargs)


def kind_of(field: attrs.Attribute[Any]) -> Kind | None:
    """The kind a field was declared with, or None for a field that is not a number."""
    kind = field.metadata.get(KIND)
    return kind if isinstance(kind, Kind) else None
