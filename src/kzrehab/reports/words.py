"""The opening of a ``diff`` or ``compare`` report in plain sentences, made from its data.

The sentences are generated from the report's typed data (:mod:`kzrehab.reports.data`) —
after suppression, so a blank count is never written out — for a policy officer to paste
into a memo: who gains and who loses, at which levels, in which categories, what it costs
once and per month, which provisions explain it, and whether the population is synthetic.
"""

from __future__ import annotations

__all__ = ["summary", "level_words", "money_words", "PERIOD_WORDS"]

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .data import ComparisonData, Levels, Range

#: how a period is named in words and in table headings
PERIOD_WORDS = {"once": "one-time payments", "month": "monthly allowances"}
PERIOD_UNITS = {"once": "KZT, once", "month": "KZT a month"}


def _n(x: int | None) -> str:
    return "a suppressed number of claims" if x is None else f"{x:,}"


def _claims(x: int | None) -> str:
    if x is None:
        return "a suppressed number of claims"
    return f"{x:,} claim" + ("" if x == 1 else "s")


def _money(x: float | None, signed: bool = True) -> str:
    if x is None:
        return "unbounded"
    return f"{x:+,.2f}" if signed else f"{x:,.2f}"


def money_words(change: Range | None) -> str:
    """A change of money as a range in words: ``+1,000.00 … +2,000.00 KZT``."""
    if change is None:
        return "a suppressed amount"
    lo, hi = change.min, change.max
    if lo is None and hi is None:
        return "an unbounded change"
    if lo == hi:
        return f"{_money(lo)} KZT"
    return f"{'-∞' if lo is None else _money(lo)} … {'+∞' if hi is None else _money(hi)} KZT"


def level_words(levels: Levels, losses: bool) -> list[str]:
    """The levels at which claims gain (or lose), as phrases; blank counts said as such."""
    out = []
    if losses:
        parts = (
            (levels.status.lost, "fall in status"),
            (levels.categories.lost, "lose a category"),
            (levels.components.lost, "lose a component or keep it only possibly"),
            (levels.amounts.lower, "surely receive less money"),
        )
    else:
        parts = (
            (levels.status.gained, "rise in status"),
            (levels.categories.gained, "gain a category"),
            (levels.components.gained, "gain a component or may now receive it"),
            (levels.amounts.higher, "surely receive more money"),
        )
    for n, what in parts:
        if n != 0:
            out.append(f"{_n(n)} {what}")
    return out


R = TypeVar("R")


def _top(rows: Sequence[R], value: Callable[[R], int | None], name: Callable[[R], str],
         k: int = 3) -> list[tuple[R, int]]:  # fmt: skip
    """The ``k`` rows with the largest shown non-zero value, with it (ties: by name)."""
    shown = [(r, v) for r in rows if (v := value(r)) is not None and v > 0]
    return sorted(shown, key=lambda rv: (-rv[1], name(rv[0])))[:k]


def summary(data: ComparisonData) -> list[str]:
    """The summary sentences of a comparison's data."""
    changes = data.changes
    total = data.population.claims
    gained, lost = data.gained, data.lost
    out = [f"Of {total:,} claims, {_n(gained)} gain something under the head (the laws "
           f"compared with the base) and {_n(lost)} lose something (a claim can do both; "
           "suppressed: fewer than the publication threshold)." if None in (gained, lost) else
           f"Of {total:,} claims, {_n(gained)} gain something under the head (the laws "
           f"compared with the base) and {_n(lost)} lose something (a claim can do both)."]
    attribution = () if data.laws_changed is None else data.laws_changed.attribution
    rows = [r for r in attribution if r.provision != "interaction"]
    if lost == 0:
        out.append("No claim loses anything: no status, category or component falls, and "
                   "no one surely receives less money.")
    else:
        words = level_words(changes.levels(), losses=True)
        if words:
            sure = ("" if changes.amounts.lower != 0
                    else " No claim surely receives less money.")
            out.append("Losses: " + "; ".join(words) + "." + sure)
        comps = _top(changes.components.by_component, lambda r: r.lost, lambda r: r.component,
                     k=5)  # fmt: skip
        if comps:
            out.append("Components lost or now only possible: " + ", ".join(
                f"{r.component} ({n:,} claims"
                + (f": {', '.join(r.replaced_by)} takes its place where both apply "
                   "(instead_of), and whether these claims qualify for that is not known, "
                   "so this one is now only possibly received"
                   if r.replaced_by else "") + ")" for r, n in comps) + ".")
        losers = _top(rows, lambda r: r.lost_overall, lambda r: r.provision, k=5)
        if losers:
            out.append("The losses come from: " + ", ".join(
                f"{r.provision} ({n:,} claims)" for r, n in losers) + ".")
        cats = _top([r for r in changes.lost_by_category if r.category != "(none)"],
                    lambda r: r.claims, lambda r: r.category)
        nowhere = next((r.claims for r in changes.lost_by_category
                        if r.category == "(none)"), 0)  # fmt: skip
        if cats or nowhere:
            parts = [f"{r.category} ({n:,})" for r, n in cats]
            if nowhere:
                parts.append(f"in no category for sure ({_n(nowhere)})")
            out.append("Those who lose are, under the base: " + ", ".join(parts)
                       + " (a claim in several categories counts in each).")
    words = level_words(changes.levels(), losses=False)
    if words:
        out.append("Gains: " + "; ".join(words) + ".")
    gainers = _top(rows, lambda r: r.gained_overall, lambda r: r.provision)
    if gainers:
        out.append("The provisions that explain most of the gains: " + ", ".join(
            f"{r.provision} ({n:,} claims)" for r, n in gainers) + ".")
    by_category = changes.categories.by_category
    gained_cats = _top(by_category, lambda r: r.gained, lambda r: r.category)
    if gained_cats:
        out.append("Largest gains by category: " + ", ".join(
            f"{r.category} ({n:,} claims)" for r, n in gained_cats) + ".")
    lost_cats = _top(by_category, lambda r: r.lost, lambda r: r.category)
    if lost_cats:
        out.append("Categories lost: " + ", ".join(
            f"{r.category} ({n:,} claims)" for r, n in lost_cats) + ".")
    periods = {r.period: r for r in changes.amounts.by_period}
    for period in ("once", "month"):
        label = PERIOD_WORDS[period].capitalize()
        m = periods.get(period)
        if m is None:
            out.append(f"{label}: no change.")
        else:
            out.append(f"{label}: the total changes by {money_words(m.change)} "
                       f"(claims that surely receive more: {_n(m.higher)}; surely less: "
                       f"{_n(m.lower)}; may receive a different amount: {_n(m.uncertain)}).")
    if data.population.synthetic:
        out.append("The population is synthetic: these figures show what the drafts would do "
                   "to a made-up population calibrated to published totals, not to real "
                   "people.")
    return out
