"""Small-cell suppression for publication (``--suppress-below K``).

Suppression works on a report's typed data (:mod:`kzrehab.reports.data`), before any
rendering, so every format blanks the same cells (the rules, their reasons and their
limits: ``docs/reports.rst``). It walks the data's fields and reads what each number is
from its marker (:mod:`kzrehab.reports.fields`), never from its name:

- every :func:`~kzrehab.reports.fields.count` of claims — and every signed change of
  such counts — whose magnitude is from 1 to K - 1 becomes None; a zero is published on
  purpose (a zero says that no claim at all has the property, which singles out no one);
- a count declared ``blank_with`` sibling counts is blanked whenever one of them is blank
  (a component's ``paying``, with its ``claims`` and ``undetermined``: published, it
  would give either back by subtraction);
- a :func:`~kzrehab.reports.fields.money` field is blanked when fewer than K claims
  contribute a non-zero amount to it (the sum of its ``contributors``: a component's
  ``paying`` claims, a change of money's ``higher`` + ``lower`` + ``uncertain``), and
  with any count of its ``blank_with`` (a component's total with any of its counts);
- a class's :func:`~kzrehab.reports.fields.complementary` counts (the statuses, which
  add up to the population) lose a second cell when exactly one is blank, the smallest
  other; its :func:`~kzrehab.reports.fields.period_totals` keep a period's total (or
  change) from giving one blank component back by subtraction: the smallest other
  component of the period that some claim contributes to is blanked too (or, with none,
  the total);
- a :func:`~kzrehab.reports.fields.figure` is never blanked: the population's own size.

Per-claim lists (``--claims``) cannot be combined with suppression: the command refuses
the combination.

A rule that spans a class's rows, not its fields, is the class's own method
``suppress_within(original, k)``, called once its fields are blanked: ``log`` blanks a
row's change where its status or the older row's is blank
(:meth:`kzrehab.reports.history.LogDocument.suppress_within`).
"""

from __future__ import annotations

__all__ = ["suppress"]

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from .fields import (
    Complementary,
    Kind,
    PeriodTotals,
    blank_with_of,
    contributors_of,
    kind_of,
    rules_of,
)

T = TypeVar("T")


def suppress(data: T, k: int) -> T:
    """A copy of a report's data (or of a part of it) with the cells counting fewer than
    ``k`` claims blanked; a document says so (its ``suppressed_below``)."""
    walked = _walk(data, k)
    if attrs.has(type(walked)) and "suppressed_below" in attrs.fields_dict(type(walked)):
        walked = attrs.evolve(walked, suppressed_below=k)
    out: T = walked
    return out


def _small(v: object, k: int) -> bool:
    return type(v) is int and 0 < abs(v) < k


def _walk(value: Any, k: int) -> Any:
    if isinstance(value, tuple):
        return tuple(_walk(v, k) for v in value)
    if isinstance(value, Mapping):
        return {key: _walk(v, k) for key, v in value.items()}
    if not attrs.has(type(value)):
        return value
    fields = attrs.fields(type(value))
    changes: dict[str, Any] = {}
    for f in fields:
        kind, v = kind_of(f), getattr(value, f.name)
        if kind is Kind.COUNT:
            if _small(v, k):
                changes[f.name] = None
        elif kind is None and v is not None and not isinstance(v, str | bool):
            changes[f.name] = _walk(v, k)
    out = attrs.evolve(value, **changes) if changes else value
    rules = rules_of(type(value))
    for rule in rules:
        if isinstance(rule, Complementary):
            out = _complement(rule, out, value)
    out = _companions(out, value, fields, k)
    for rule in rules:
        if isinstance(rule, PeriodTotals):
            out = _period_totals(rule, out, value)
    within = getattr(out, "suppress_within", None)
    return out if within is None else within(value, k)


def _companions(out: Any, raw: Any, fields: tuple[attrs.Attribute[Any], ...], k: int) -> Any:
    """Once a row's counts are blanked by their size (and by its complementary rules): blank
    every count declared ``blank_with`` a blank sibling (to the end of a chain of them),
    then every money field with fewer than ``k`` contributors or with a blank companion."""
    changes: dict[str, None] = {}

    def blank(name: str) -> bool:
        return name in changes or getattr(out, name) is None

    grew = True
    while grew:
        grew = False
        for f in fields:
            if kind_of(f) is Kind.COUNT and not blank(f.name) and \
                    any(blank(c) for c in blank_with_of(f)):
                changes[f.name] = None
                grew = True
    for f in fields:  # money, once its counts are blanked
        if kind_of(f) is not Kind.MONEY or getattr(out, f.name) is None:
            continue
        few = _small(_contributors(raw, f), k) if contributors_of(f) else False
        if few or any(blank(c) for c in blank_with_of(f)):
            changes[f.name] = None
    return attrs.evolve(out, **changes) if changes else out


def _contributors(row: Any, f: attrs.Attribute[Any]) -> int:
    """The claims that contribute a non-zero amount to a money field (as given: unblanked)."""
    return sum(int(getattr(row, c) or 0) for c in contributors_of(f))


def _complement(rule: Complementary, out: Any, raw: Any) -> Any:
    """Blank a second count when exactly one is blank (they add up to a published total)."""
    if not all(type(getattr(raw, c)) is int for c in rule.counts):
        return out
    blank = [c for c in rule.counts if getattr(out, c) is None]
    if len(blank) != 1:
        return out
    shown = [c for c in rule.counts if getattr(out, c) is not None]
    return attrs.evolve(out, **{min(shown, key=lambda c: getattr(raw, c)): None})


def _period_totals(rule: PeriodTotals, out: Any, raw: Any) -> Any:
    """A period's total (or change) and its components' must not give a blank one back.

    When exactly one component of a period is blank, the smallest other shown one of the
    period is blanked with it (complementary suppression, as for the statuses), so the
    period's figure — the budget line a reader looks for — stays published; when the
    period has no other component to blank, its figure is blanked instead. Two or more
    blank components leave only their sum to be worked out, from at least two cells.
    """
    rows, totals = list(getattr(out, rule.rows)), list(getattr(out, rule.totals))
    raw_rows = getattr(raw, rule.rows)
    key = rule.field
    for i, t in enumerate(totals):
        mine = [(j, was) for j, was in enumerate(raw_rows) if was.period == t.period]
        blank = [j for j, was in mine
                 if getattr(rows[j], key) is None and getattr(was, key) is not None]
        if len(blank) != 1:
            continue
        # a component nobody contributes to is an exact zero: blanking it hides nothing
        money = attrs.fields_dict(type(raw_rows[blank[0]]))[key]
        shown = [(j, was) for j, was in mine
                 if getattr(rows[j], key) is not None and _contributors(was, money)]
        if shown:
            j = min(shown, key=lambda jw: _size(getattr(jw[1], key)))[0]
            rows[j] = attrs.evolve(rows[j], **{key: None})
        else:
            totals[i] = attrs.evolve(t, **{key: None})
    return attrs.evolve(out, **{rule.rows: tuple(rows), rule.totals: tuple(totals)})


def _size(amount: Any) -> float:
    """How large an amount range is, to pick the smallest cell to blank."""
    hi = amount.max
    return abs(hi) if isinstance(hi, int | float) else float("inf")
