"""Safety net while suppression moves from key names to field markers: the typed walk
gives the same documents as the old dict walk (kept here verbatim as the oracle)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kzrehab.comparison import compare
from kzrehab.evaluation import evaluate
from kzrehab.gaps import gaps
from kzrehab.laws.framework import load_framework
from kzrehab.population import load_population
from kzrehab.reports.data import (
    comparison_data,
    comparison_json,
    coverage_data,
    coverage_json,
    gaps_data,
    gaps_json,
)
from kzrehab.reports.privacy import suppress

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 6, 1)

COUNT_KEYS = frozenset({"eligible", "undetermined", "ineligible", "claims", "gained", "lost",
                        "applies", "holds", "unbounded", "paying", "higher", "lower",
                        "uncertain", "gained_overall", "lost_overall", "unsettled",
                        "received", "withheld", "always"})  # fmt: skip
_STATUS = ("eligible", "undetermined", "ineligible")
#: objects left as they are: the population's size and the per-claim explanation
_KEEP = frozenset({"population"})


def old_suppress(data: dict[str, Any], k: int) -> dict[str, Any]:
    """A copy of a report's JSON data with the cells counting fewer than ``k`` claims blanked."""
    out = _walk(data, k)
    assert isinstance(out, dict)
    _changes(out.get("commits"), k)
    out["suppressed_below"] = k
    return out


def _small(v: object, k: int) -> bool:
    return type(v) is int and 0 < abs(v) < k


#: the counts of claims whose money moved, which contribute to a change of money
_MOVES = ("higher", "lower", "uncertain")


#: objects holding changes of counts, which add up to no known total
_CHANGES = frozenset({"change", "adds"})


def _walk(value: Any, k: int, parent: str | None = None) -> Any:
    if isinstance(value, list):
        return [_walk(v, k, parent) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, v in value.items():
        if key in _KEEP:
            out[key] = v
        elif key in COUNT_KEYS and type(v) is int:
            out[key] = None if _small(v, k) else v
        else:
            out[key] = _walk(v, k, key)
    if "amount" in out and "claims" in out and out["claims"] is None:
        out["amount"] = None
    if "amount" in out and "paying" in out and _small(value.get("paying"), k):
        out["amount"] = None
    if ("change" in out and isinstance(out["change"], dict)
            and all(m in value for m in _MOVES) and _small(sum(value[m] for m in _MOVES), k)):
        out["change"] = None
    if parent not in _CHANGES and all(s in value for s in _STATUS):
        _complement(out, value)
    _period_totals(out, value)
    return out


def _period_totals(out: dict[str, Any], raw: dict[str, Any]) -> None:
    """A period's total (or change) and its components' must not give a blank one back.

    When exactly one component of a period is blank, the smallest other shown one of the
    period is blanked with it (complementary suppression, as for the statuses), so the
    period's figure — the budget line a reader looks for — stays published; when the
    period has no other component to blank, its figure is blanked instead. Two or more
    blank components leave only their sum to be worked out, from at least two cells.
    """
    rows, totals = out.get("by_component"), out.get("by_period")
    if not isinstance(rows, list) or not isinstance(totals, list):
        return
    raw_rows = raw["by_component"]
    for key in ("amount", "change"):
        for t in totals:
            if not isinstance(t, dict) or key not in t:
                continue
            period = t.get("period")
            mine = [(r, was) for r, was in zip(rows, raw_rows, strict=True)
                    if isinstance(r, dict) and r.get("period") == period and key in r]
            blank = [r for r, was in mine if r[key] is None and was.get(key) is not None]
            if len(blank) != 1:
                continue
            # a component nobody contributes to is an exact zero: blanking it hides nothing
            shown = [(r, was) for r, was in mine if r[key] is not None and _contributors(was)]
            if shown:
                smallest = min(shown, key=lambda rw: _size(rw[1][key]))[0]
                smallest[key] = None
            else:
                t[key] = None


def _contributors(row: dict[str, Any]) -> int:
    """The claims that contribute a non-zero amount to a row's amount or change."""
    if type(row.get("paying")) is int:
        return int(row["paying"])
    return sum(int(row.get(m) or 0) for m in _MOVES)


def _size(amount: Any) -> float:
    """How large an amount range is, to pick the smallest cell to blank."""
    if not isinstance(amount, dict):
        return 0.0
    hi = amount.get("max")
    return abs(hi) if isinstance(hi, int | float) else float("inf")


def _complement(out: dict[str, Any], raw: dict[str, Any]) -> None:
    """Blank a second status count when exactly one is blank (the three sum to a total)."""
    if not all(type(raw[s]) is int for s in _STATUS):
        return
    blank = [s for s in _STATUS if out[s] is None]
    if len(blank) == 1:
        shown = [s for s in _STATUS if out[s] is not None]
        out[min(shown, key=lambda s: raw[s])] = None


def _changes(commits: Any, k: int) -> None:
    """``log``: a row's change is blank where its status or the older row's is blank."""
    if not isinstance(commits, list):
        return
    for i, row in enumerate(commits):
        change, status = row.get("change"), row.get("status")
        if not isinstance(change, dict) or not isinstance(status, dict):
            continue
        older = commits[i + 1].get("status") if i + 1 < len(commits) else None
        for s in _STATUS:
            if status.get(s) is None or (isinstance(older, dict) and older.get(s) is None):
                change[s] = None


@pytest.fixture(scope="module")
def docs() -> list[tuple[str, Any, Any]]:
    pop = load_population(ROOT / "tests/data/sample.jsonl")
    cur = load_framework([str(ROOT / "drafts/current")])
    head = load_framework([str(ROOT / "drafts/current"), str(ROOT / "drafts/bills"),
                           str(ROOT / "drafts/proposals")])
    out: list[tuple[str, Any, Any]] = []
    for fw in (cur, head):
        out.append(("coverage", coverage_data(evaluate(fw, pop, AS_OF)), coverage_json))
    c = compare(cur, head, pop, AS_OF)
    may_help = (c.head.status == 1) & (c.base.status < 2)
    g = gaps(head, pop, AS_OF, among=may_help)
    out.append(("compare", comparison_data(c, gaps=g),
                lambda d: comparison_json(d, summary=False)))
    out.append(("diff-back", comparison_data(compare(head, cur, pop, AS_OF)),
                lambda d: comparison_json(d, summary=False)))
    for by in ("status", "category", "component"):
        out.append((f"gaps-{by}", gaps_data(gaps(head, pop, AS_OF, by=by)), gaps_json))
    return out


@pytest.mark.parametrize("k", [2, 3, 5, 10, 20, 50, 100, 300, 1000])
def test_typed_suppression_equals_the_dict_walk(docs: list[tuple[str, Any, Any]], k: int) -> None:
    for name, data, to_json in docs:
        assert to_json(suppress(data, k)) == old_suppress(to_json(data), k), name
