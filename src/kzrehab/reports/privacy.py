"""Small-cell suppression for publication (``--suppress-below K``).

Suppression works on a report's JSON data, before any rendering, so every format blanks
the same cells:

- every count of claims — and every signed change of such counts — whose magnitude is
  below K becomes ``null`` (zero included: "no claim" is as telling as "one claim");
- the amount range of a component whose claim count is blanked becomes ``null``;
- a change is blanked when a count it is computed from is blanked (so the blank count
  cannot be recovered by subtraction);
- in a status breakdown (eligible, undetermined, ineligible — they add up to the
  population), one blank cell would be recoverable from the other two, so the smallest
  other cell is blanked with it (complementary suppression).

The population's own size is not suppressed. Per-claim lists (``--claims``) cannot be
combined with suppression: the command refuses the combination.
"""

from __future__ import annotations

__all__ = ["suppress", "COUNT_KEYS"]

from typing import Any

#: keys whose integer values count claims (or are changes of such counts)
COUNT_KEYS = frozenset({"eligible", "undetermined", "ineligible", "claims", "gained", "lost",
                        "applies", "holds", "unbounded"})  # fmt: skip
_STATUS = ("eligible", "undetermined", "ineligible")
#: objects left as they are: the population's size and the per-claim explanation
_KEEP = frozenset({"population"})


def suppress(data: dict[str, Any], k: int) -> dict[str, Any]:
    """A copy of a report's JSON data with the cells counting fewer than ``k`` claims blanked."""
    out = _walk(data, k)
    assert isinstance(out, dict)
    _changes(out.get("commits"), k)
    out["suppressed_below"] = k
    return out


def _small(v: object, k: int) -> bool:
    return type(v) is int and abs(v) < k


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
    if parent not in _CHANGES and all(s in value for s in _STATUS):
        _complement(out, value)
    return out


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
