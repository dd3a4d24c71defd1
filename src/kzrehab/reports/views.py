"""The blocks of each report, built from its data only: :data:`VIEWS`, one view a kind.

Because the text, Markdown and HTML renderings are built from the same (possibly
suppressed) data as the JSON, every format shows the same figures and blanks the same
cells. Each view reads its report's typed data (:mod:`kzrehab.reports.data`):
:mod:`~kzrehab.reports.coverage_view`, :mod:`~kzrehab.reports.comparison_view`,
:mod:`~kzrehab.reports.explain_view` and :mod:`~kzrehab.reports.gaps_view`; the cells and
the parts every view shares are :mod:`kzrehab.reports.cells`. ``log`` and ``status`` still
read their JSON data (below).
"""

from __future__ import annotations

__all__ = ["VIEWS", "View", "count", "signed", "money", "amount_range"]

from collections.abc import Callable
from typing import Any

from .blocks import (
    Block,
    Bullets,
    Item,
    Line,
    Para,
    RangeBar,
    RangeBars,
    Series,
    Table,
)
from .cells import STATUSES, amount_range, count, money, plus, preamble, signed, suppression
from .comparison_view import comparison_view
from .coverage_view import coverage_view
from .data import PopulationInfo
from .explain_view import explain_against_view, explain_view
from .gaps_view import gaps_view

Data = dict[str, Any]
#: a view: the report's title and data → its blocks
View = Callable[[str, Any], list[Block]]

_plus = plus


def _preamble(title: str, data: Data) -> list[Block]:
    """The opening of a report whose data are JSON (``log``, ``status``)."""
    p = data.get("population")
    return preamble(title, data["as_of"], None if p is None else PopulationInfo(**p))


def _suppression(data: Data) -> list[Block]:
    return suppression(data.get("suppressed_below"))


# -- log and status -------------------------------------------------------------------------------


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def log_view(title: str, data: Data) -> list[Block]:
    """``kzrehab log``: coverage at every commit, newest first (the chart: oldest first)."""
    out = [*_preamble(title, data), *_suppression(data)]
    rows = data["commits"]
    if not rows:
        return [*out, Para("No commit touched these files.")]
    laws, base = ", ".join(data.get("laws", ())), data.get("base")
    if base:
        out.append(Para(f"Each row measures {laws} as committed at that commit, on top of "
                        f"{', '.join(base)} (as given); gained/lost of the oldest row: against "
                        "those base laws alone."))
    else:
        out.append(Para(f"Each row measures {laws} as committed at that commit, alone: laws "
                        "outside it are not included, so amendments of them are not applied. "
                        "To measure bills on top of the laws in force, give --base (e.g. "
                        "--base drafts/current)."))
    old = rows[::-1]

    def line(name: str, get: Callable[[Data], int | None]) -> Line:
        return Line(name, tuple(None if r["status"] is None else get(r["status"]) for r in old))

    out.append(Series("Coverage by commit, oldest first (eligible … eligible + undetermined)",
                      "claims", tuple(r["commit"][:7] for r in old),
                      (line("eligible", lambda s: s["eligible"]),
                       line("eligible + undetermined",
                            lambda s: _plus(s["eligible"], s["undetermined"]))),
                      band=("eligible", "eligible + undetermined")))  # fmt: skip

    def cells(status: Data | None, change: bool) -> tuple[str, ...]:
        if status is None:
            return ("—",) * 3
        return tuple(signed(status[s]) if change else count(status[s]) for s in STATUSES)

    def moved(r: Data) -> tuple[str, str]:
        if "gained" not in r or r["status"] is None:
            return ("—", "—")  # an error, or the oldest commit measured alone
        if r["gained"] is None and not data.get("suppressed_below"):
            return ("—", "—")
        return (count(r["gained"]), count(r["lost"]))

    out += [Table(("commit", "date", "author", "law changed, version", "eligible",
                   "undetermined", "ineligible", "Δ eligible", "Δ undetermined",
                   "Δ ineligible", "gained", "lost", "message"),
                  tuple((r["commit"][:7], r["date"][:16].replace("T", " "), r["author"],
                         _short("; ".join(r.get("changed", [])) or "—", 48),
                         *cells(r["status"], False), *cells(r["change"], True), *moved(r),
                         _short(r["message"], 60)) for r in rows)),
            Para("Δ: the change from the commit's parent (its first parent, listed or not; "
                 "a commit before which none of these files existed: its status). "
                 "gained/lost: the claims that gain/lose at any level (status, category, "
                 "component, money) from the parent.")]  # fmt: skip
    errors = [Item(f"{r['commit'][:7]}: {r['error']}") for r in rows if "error" in r]
    if errors:
        out += [Para("Commits that could not be evaluated:"), Bullets(tuple(errors))]
    return out


def status_view(title: str, data: Data) -> list[Block]:
    """``kzrehab status``: every law in a directory, and what it adds to the laws in force."""
    rows = data["laws"]

    def last(r: Data) -> str:
        lc = r["last_change"]
        if lc is None:
            return "uncommitted"
        text = f"{lc['date'][:10]} {_short(lc['message'], 50)}"
        return text + (" (+ uncommitted changes)" if r["uncommitted"] else "")

    def adds(r: Data) -> tuple[str, ...]:
        a = r.get("adds")
        if a is None:
            return ("error", "—", "—", "—")
        return (count(a["gained"]), count(a["lost"]), signed(a["eligible"]),
                signed(a["undetermined"]))

    out = [*_preamble(title, data), Para(f"In force: {', '.join(data['in_force']) or 'none'}"),
           *_suppression(data),
           RangeBars("Claims each law would add over the laws in force (gained)", "claims",
                     ("gained",), tuple(r["id"] for r in rows),
                     tuple((RangeBar(r["id"], g, g),) for r in rows
                           for g in [None if r.get("adds") is None else r["adds"]["gained"]])),
           Table(("law", "kind", "status", "version", "last change", "gained", "lost",
                  "Δ eligible", "Δ undetermined"),
                 tuple((r["id"], r["kind"], r["status"], r["version"] or "—", last(r),
                        *adds(r)) for r in rows)),
           Para("gained, lost: the claims that gain or lose anything (status, category, "
                "component, money) with the law over the laws in force (an in-force law: over "
                "the other laws in force); Δ: the change of the status counts.")]  # fmt: skip
    errors = [Item(f"{r['id']}: {r['error']}") for r in rows if "error" in r]
    if errors:
        out += [Para("Errors:"), Bullets(tuple(errors))]
    return out


#: the view of each kind of report
VIEWS: dict[str, View] = {
    "coverage": coverage_view,
    "comparison": comparison_view,
    "log": log_view,
    "status": status_view,
    "explain": explain_view,
    "explain-against": explain_against_view,
    "gaps": gaps_view,
}
