"""The opening of a ``diff`` or ``compare`` report in plain sentences, made from its data.

The sentences are generated from the report's JSON data — after suppression, so a blank
count is never written out — for a policy officer to paste into a memo: who gains and who
loses, at which levels, in which categories, what it costs once and per month, which
provisions explain it, and whether the population is synthetic.
"""

from __future__ import annotations

__all__ = ["summary", "level_words", "money_words", "PERIOD_WORDS"]

from typing import Any

Data = dict[str, Any]

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


def money_words(change: Data | None) -> str:
    """A change of money as a range in words: ``+1,000.00 … +2,000.00 KZT``."""
    if change is None:
        return "a suppressed amount"
    lo, hi = change["min"], change["max"]
    if lo is None and hi is None:
        return "an unbounded change"
    if lo == hi:
        return f"{_money(lo)} KZT"
    return f"{'-∞' if lo is None else _money(lo)} … {'+∞' if hi is None else _money(hi)} KZT"


def level_words(levels: Data, losses: bool) -> list[str]:
    """The levels at which claims gain (or lose), as phrases; blank counts said as such."""
    out = []
    if losses:
        parts = (
            (levels["status"]["lost"], "fall in status"),
            (levels["categories"]["lost"], "lose a category"),
            (levels["components"]["lost"],
             "lose a component or keep it only possibly"),
            (levels["amounts"]["lower"], "surely receive less money"),
        )
    else:
        parts = (
            (levels["status"]["gained"], "rise in status"),
            (levels["categories"]["gained"], "gain a category"),
            (levels["components"]["gained"], "gain a component or may now receive it"),
            (levels["amounts"]["higher"], "surely receive more money"),
        )
    for n, what in parts:
        if n != 0:
            out.append(f"{_n(n)} {what}")
    return out


def _top(rows: list[Data], key: str, name: str, k: int = 3) -> list[Data]:
    shown = [r for r in rows if isinstance(r.get(key), int) and r[key] > 0]
    return sorted(shown, key=lambda r: (-r[key], r[name]))[:k]


def summary(data: Data) -> list[str]:
    """The summary sentences of a comparison's data."""
    changes = data["changes"]
    total = data["population"]["claims"]
    gained, lost = data["gained"], data["lost"]
    out = [f"Of {total:,} claims, {_n(gained)} gain something under the head (the laws "
           f"compared with the base) and {_n(lost)} lose something (a claim can do both; "
           "suppressed: fewer than the publication threshold)." if None in (gained, lost) else
           f"Of {total:,} claims, {_n(gained)} gain something under the head (the laws "
           f"compared with the base) and {_n(lost)} lose something (a claim can do both)."]
    rows = [r for r in data.get("attribution", ()) if r["provision"] != "interaction"]
    if lost == 0:
        out.append("No claim loses anything: no status, category or component falls, and "
                   "no one surely receives less money.")
    else:
        words = level_words(changes, losses=True)
        if words:
            sure = ("" if changes["amounts"]["lower"] != 0
                    else " No claim surely receives less money.")
            out.append("Losses: " + "; ".join(words) + "." + sure)
        comps = _top(changes["components"]["by_component"], "lost", "component", k=5)
        if comps:
            out.append("Components lost or now only possible: " + ", ".join(
                f"{r['component']} ({r['lost']:,} claims"
                + (f": {', '.join(r['replaced_by'])} takes its place where both apply "
                   "(instead_of), and whether these claims qualify for that is not known, "
                   "so this one is now only possibly received"
                   if r.get("replaced_by") else "") + ")" for r in comps) + ".")
        losers = _top(rows, "lost_overall", "provision", k=5)
        if losers:
            out.append("The losses come from: " + ", ".join(
                f"{r['provision']} ({r['lost_overall']:,} claims)" for r in losers) + ".")
        cats = _top([r for r in changes["lost_by_category"] if r["category"] != "(none)"],
                    "claims", "category")
        nowhere = next((r["claims"] for r in changes["lost_by_category"]
                        if r["category"] == "(none)"), 0)  # fmt: skip
        if cats or nowhere:
            parts = [f"{r['category']} ({r['claims']:,})" for r in cats]
            if nowhere:
                parts.append(f"in no category for sure ({_n(nowhere)})")
            out.append("Those who lose are, under the base: " + ", ".join(parts)
                       + " (a claim in several categories counts in each).")
    words = level_words(changes, losses=False)
    if words:
        out.append("Gains: " + "; ".join(words) + ".")
    gainers = _top(rows, "gained_overall", "provision")
    if gainers:
        out.append("The provisions that explain most of the gains: " + ", ".join(
            f"{r['provision']} ({r['gained_overall']:,} claims)" for r in gainers) + ".")
    cats = _top(changes["categories"]["by_category"], "gained", "category")
    if cats:
        out.append("Largest gains by category: " + ", ".join(
            f"{r['category']} ({r['gained']:,} claims)" for r in cats) + ".")
    lost_cats = _top(changes["categories"]["by_category"], "lost", "category")
    if lost_cats:
        out.append("Categories lost: " + ", ".join(
            f"{r['category']} ({r['lost']:,} claims)" for r in lost_cats) + ".")
    periods = {r["period"]: r for r in changes["amounts"]["by_period"]}
    for period in ("once", "month"):
        label = PERIOD_WORDS[period].capitalize()
        r = periods.get(period)
        if r is None:
            out.append(f"{label}: no change.")
        else:
            out.append(f"{label}: the total changes by {money_words(r['change'])} "
                       f"(claims that surely receive more: {_n(r['higher'])}; surely less: "
                       f"{_n(r['lower'])}; may receive a different amount: {_n(r['uncertain'])}).")
    if data["population"].get("synthetic"):
        out.append("The population is synthetic: these figures show what the drafts would do "
                   "to a made-up population calibrated to published totals, not to real "
                   "people.")
    return out
