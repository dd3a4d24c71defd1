"""What a number in a report's data is: the markers that suppression reads.

Every number in a report's typed data (:mod:`kzrehab.reports.data`) is declared with one
of these field makers, so the kind travels with the field, not with the spelling of a JSON
key (the rules: ``docs/reports.rst``, *Small-cell suppression*):

- :func:`count` — a number of claims (or a change of one): blanked when its magnitude is
  from 1 to K - 1, and with any of the sibling counts ``blank_with`` (a count that a
  published sibling would otherwise give back by subtraction: a component's ``paying``,
  with its ``claims`` and ``undetermined``);
- :func:`money` — an amount of money (a :class:`~kzrehab.reports.data.Range`, or one end
  of one), blanked when fewer than K claims contribute to it: ``contributors`` names the
  sibling count fields whose sum says how many do, ``blank_with`` the sibling counts whose
  blanking blanks it too. An amount without contributors is blanked only by a rule of the
  class that holds it (a period's total), or is one claim's (a per-claim list, which is
  never published);
- :func:`figure` — a number that counts no claims (the population's size, a threshold, a
  position in a list): never blanked.

Two rules tie several fields of one class together; they are declared on the class:

- :func:`complementary` — counts that add up to a published total (the three statuses):
  when exactly one of them is blank, the smallest other is blanked with it;
- :func:`period_totals` — per-period totals of per-component amounts: when exactly one
  component of a period is blank, the smallest other one that some claim contributes to
  is blanked with it, or, with none, the period's total.

>>> import attrs
>>> from kzrehab.reports.fields import complementary, count, figure, kind_of, rules_of
>>> @complementary("a", "b")
... @attrs.frozen
... class Row:
...     a: int | None = count()
...     b: int | None = count()
...     k: int = figure()
>>> [kind_of(f) for f in attrs.fields(Row)]
[<Kind.COUNT: 'count'>, <Kind.COUNT: 'count'>, <Kind.FIGURE: 'figure'>]
>>> rules_of(Row)
(Complementary(counts=('a', 'b')),)
"""

from __future__ import annotations

__all__ = ["Kind", "KIND", "CONTRIBUTORS", "BLANK_WITH", "count", "money", "figure",
           "kind_of", "contributors_of", "blank_with_of", "Complementary", "PeriodTotals",
           "Rule", "complementary", "period_totals", "rules_of"]  # fmt: skip

import enum
from collections.abc import Callable
from typing import Any, TypeVar

import attrs


class Kind(enum.Enum):
    """The kind of a number in a report's data."""

    COUNT = "count"
    MONEY = "money"
    FIGURE = "figure"


#: the metadata key of a field's :class:`Kind`
KIND = "kzrehab.kind"
#: the metadata key of a money field's contributors (the names of sibling count fields)
CONTRIBUTORS = "kzrehab.contributors"
#: the metadata key of a field's companions (sibling counts that blank it with them)
BLANK_WITH = "kzrehab.blank_with"


def count(*, blank_with: tuple[str, ...] = (), **kwargs: Any) -> Any:
    """A field counting claims (or a change of such a count): suppressed when small, and
    with any of the sibling counts ``blank_with`` (which it, published, would give back)."""
    return attrs.field(metadata={KIND: Kind.COUNT, BLANK_WITH: tuple(blank_with)}, **kwargs)


def money(contributors: str | tuple[str, ...] = (), *, blank_with: tuple[str, ...] = (),
          **kwargs: Any) -> Any:  # fmt: skip
    """A field holding money: suppressed when fewer than K claims contribute to it (the sum
    of the sibling counts ``contributors``), and with any of the counts ``blank_with``."""
    names = (contributors,) if isinstance(contributors, str) else tuple(contributors)
    return attrs.field(metadata={KIND: Kind.MONEY, CONTRIBUTORS: names,
                                 BLANK_WITH: tuple(blank_with)}, **kwargs)  # fmt: skip


def figure(**kwargs: Any) -> Any:
    """A number that counts no claims: never suppressed."""
    return attrs.field(metadata={KIND: Kind.FIGURE}, **kwargs)


def kind_of(field: attrs.Attribute[Any]) -> Kind | None:
    """The kind a field was declared with, or None for a field that is not a number."""
    kind = field.metadata.get(KIND)
    return kind if isinstance(kind, Kind) else None


def contributors_of(field: attrs.Attribute[Any]) -> tuple[str, ...]:
    """A money field's contributors: the sibling counts whose sum is its contributors."""
    return tuple(field.metadata.get(CONTRIBUTORS, ()))


def blank_with_of(field: attrs.Attribute[Any]) -> tuple[str, ...]:
    """The sibling counts whose blanking blanks a field (a count or money) with them."""
    return tuple(field.metadata.get(BLANK_WITH, ()))


# -- rules of a class -----------------------------------------------------------------------------


@attrs.frozen
class Complementary:
    """Counts that add up to a published total: one blank would be given back by the
    others, so when exactly one is blank the smallest other one (the first of equals, in
    this order) is blanked with it."""

    counts: tuple[str, ...]


@attrs.frozen
class PeriodTotals:
    """Per-period totals (``totals``: rows with a ``period`` and the money field ``field``)
    of per-component amounts (``rows``: rows with a ``period`` and the same field): a
    period's total must not give a blank component back by subtraction."""

    rows: str
    totals: str
    field: str


Rule = Complementary | PeriodTotals
#: the class attribute holding a class's rules
RULES = "__kzrehab_rules__"

C = TypeVar("C", bound=type)


def _add(rule: Rule) -> Callable[[C], C]:
    def mark(cls: C) -> C:
        setattr(cls, RULES, (*rules_of(cls), rule))
        return cls

    return mark


def complementary(*counts: str) -> Callable[[C], C]:
    """Declare count fields of a class that add up to a published total."""
    return _add(Complementary(counts))


def period_totals(rows: str, totals: str, field: str) -> Callable[[C], C]:
    """Declare a class's per-period totals of its per-component amounts."""
    return _add(PeriodTotals(rows, totals, field))


def rules_of(cls: type) -> tuple[Rule, ...]:
    """The rules declared on a class, in the order they were declared."""
    rules: tuple[Rule, ...] = cls.__dict__.get(RULES, ())
    return rules
