"""The blocks of each report, built from its JSON data only.

Because the text, Markdown and HTML renderings are built from the same (possibly
suppressed) data as the JSON, every format shows the same figures and blanks the same
cells.
"""

from __future__ import annotations

__all__ = ["VIEWS", "count", "signed", "money", "amount_range"]

import math
from collections.abc import Callable, Sequence
from typing import Any

from .blocks import (
    BLANK,
    Block,
    Bullets,
    Edit,
    Flow,
    Flows,
    Heading,
    Item,
    Line,
    Para,
    RangeBar,
    RangeBars,
    Series,
    Table,
)

STATUSES = ("eligible", "undetermined", "ineligible")
Data = dict[str, Any]


# -- cells --------------------------------------------------------------------------------------


def count(n: int | None) -> str:
    """A count with thousands separators; blank when suppressed."""
    return BLANK if n is None else f"{n:,}"


def signed(n: int | None) -> str:
    """A signed change; blank when suppressed."""
    return BLANK if n is None else f"{n:+,}"


def money(x: float | None) -> str:
    """An amount in tenge with thousands separators; ``∞`` for an unbounded side."""
    if x is None or math.isinf(x):
        return "∞"
    return f"{x:,.2f}"


def amount_range(r: dict[str, float | None] | None, blank: bool = False) -> str:
    """An amount range ``lo … hi`` (one value when known); blank when suppressed."""
    if r is None:
        return BLANK if blank else "—"
    lo, hi = r["min"], r["max"]
    return money(lo) if lo == hi else f"{money(lo)} … {money(hi)}"


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _share(n: int | None, total: int) -> str:
    return BLANK if n is None else f"{100 * n / max(total, 1):.1f}%"


def _claims(n: int | None) -> str:
    return "suppressed" if n is None else f"{n:,} claims"


def _edits(raw: Sequence[dict[str, Any]]) -> tuple[Edit, ...]:
    return tuple(Edit(e["kind"], e["text"], e["space"]) for e in raw)


# -- shared parts ---------------------------------------------------------------------------------


def _population(p: Data) -> Para:
    kind = "SYNTHETIC population" if p["synthetic"] else "population"
    return Para(f"{kind} '{p['name']}': {p['claims']:,} claims, {p['victims']:,} victims, "
                f"{p['events']:,} events (digest {p['digest'][:12]})")  # fmt: skip


def _preamble(title: str, data: Data) -> list[Block]:
    out: list[Block] = [Heading(title, 1), Para(f"Assessment date: {data['as_of']}")]
    if "population" in data:
        out.append(_population(data["population"]))
    return out


def _suppression(data: Data) -> list[Block]:
    k = data.get("suppressed_below")
    if k is None:
        return []
    return [Para(f"For publication, cells counting fewer than {k:,} claims — and changes "
                 "computed from them — are left blank (--suppress-below "
                 f"{k}); a second status count is blanked where one blank could be "
                 "recovered from the total.")]  # fmt: skip


def _coverage_line(status: Data) -> str:
    lo, hi = status["eligible"], _plus(status["eligible"], status["undetermined"])
    if lo is None or hi is None:
        return "Coverage: not shown (suppressed cells)."
    return f"Coverage: {lo:,} … {hi:,} claims (eligible … eligible + undetermined)"


def _status_bars(status: Data) -> tuple[RangeBar, RangeBar]:
    e, u, i = (status[s] for s in STATUSES)
    return (RangeBar("covered", e, _plus(e, u)), RangeBar("left out", i, _plus(i, u)))


def _notices(notices: Sequence[str]) -> list[Block]:
    if not notices:
        return []
    return [Heading("Notices"), Bullets(tuple(Item(m) for m in notices))]


# -- coverage -------------------------------------------------------------------------------------


def coverage_view(title: str, data: Data) -> list[Block]:
    """``kzrehab coverage``."""
    status, total = data["status"], data["population"]["claims"]
    laws = "; ".join(f"{law['id']} ({law['kind']}, {law['status']}"
                     f"{', ' + law['version'] if law['version'] else ''})"
                     for law in data["laws"])  # fmt: skip
    out = [*_preamble(title, data), Para(f"Laws: {laws}"), *_suppression(data),
           Heading("Status"),
           RangeBars("Claims covered and left out (surely … possibly)", "claims", ("claims",),
                     ("covered", "left out"), tuple((b,) for b in _status_bars(status))),
           Table(("status", "claims", "share"),
                 tuple((s, count(status[s]), _share(status[s], total)) for s in STATUSES)),
           Para(_coverage_line(status)),
           Heading("By category")]  # fmt: skip
    cats = data["by_category"]
    if cats:
        out.append(RangeBars("Claims by category (eligible … eligible + undetermined)",
                             "claims", ("claims",), tuple(r["category"] for r in cats),
                             tuple((RangeBar(r["category"], r["eligible"],
                                             _plus(r["eligible"], r["undetermined"])),)
                                   for r in cats)))  # fmt: skip
    for key, head in (("by_category", ("category", "eligible", "undetermined")),
                      ("by_ground", ("ground", "applies", "undetermined")),
                      ("by_exclusion", ("exclusion", "holds", "undetermined"))):  # fmt: skip
        if key != "by_category":
            out.append(Heading("By " + head[0]))
        out.append(Table(head, tuple((r[head[0]], count(r[head[1]]), count(r[head[2]]))
                                     for r in data[key])))  # fmt: skip
    out += [Heading("By component"),
            Table(("component", "kind", "claims", "undetermined", "total amount (KZT)"),
                  tuple((r["component"], r["kind"], count(r["claims"]), count(r["undetermined"]),
                         amount_range(r["amount"], blank=r["claims"] is None))
                        for r in data["by_component"]))]  # fmt: skip
    out += _notices(data.get("notices", ()))
    if "claims" in data:
        out += [Heading("Claims"),
                Table(("claim", "status", "categories", "components"),
                      tuple((r["id"], r["status"], ", ".join(r["categories"]) or "—",
                             ", ".join(c["id"] for c in r["components"]) or "—")
                            for r in data["claims"]))]  # fmt: skip
    return out


# -- diff and compare -----------------------------------------------------------------------------


def _laws_line(side: Data) -> str:
    return "; ".join(f"{law['id']} ({law['version'] or law['status']}; {law['ref']})"
                     for law in side["laws"]) or "—"  # fmt: skip


def _law_changes(law: Data) -> list[Block]:
    items: list[Item] = []
    for field, v in law.get("metadata", {}).items():
        items.append(Item(f"{field}: {v['base']} → {v['head']}"))
    for a in law["articles"]:
        moved = a["base"] and a["head"] and a["base"] != a["head"]
        label = f"article {a['base']} → {a['head']}" if moved else \
            f"article {a['head'] or a['base']}"
        items.append(Item(f"{label}: {a['change']}", _edits(a["redline"])))
    for p in law["provisions"]:
        items.append(Item(f"{p['type']} {p['id']}: {p['change']}", _edits(p["redline"]),
                          children=tuple(Item(f["field"], was=f["base"], now=f["head"],
                                              changed_value=True) for f in p["fields"])))
    for n in (*law["parameters"], *law["definitions"]):
        items.append(Item(f"{n['id']}: {n['change']}", children=(
            Item("value", was=n["base"], now=n["head"], changed_value=True),)))
    return [Heading(f"{law['id']} ({law['change']})", 3), Bullets(tuple(items))]


def comparison_view(title: str, data: Data) -> list[Block]:
    """``kzrehab diff`` and ``kzrehab compare``."""
    base, head = data["base"], data["head"]
    b, h = base["status"], head["status"]
    out = [*_preamble(title, data),
           Para(f"Base: {_laws_line(base)}"), Para(f"Head: {_laws_line(head)}"),
           *_suppression(data), Heading("Status"),
           RangeBars("Claims covered and left out (surely … possibly)", "claims",
                     ("base", "head"), ("covered", "left out"),
                     tuple(zip(_status_bars(b), _status_bars(h), strict=True))),
           Table(("status", "base", "head", "change"),
                 tuple((s, count(b[s]), count(h[s]), signed(_minus(h[s], b[s])))
                       for s in STATUSES)),
           Para(f"Base {_coverage_line(b).lower()}"), Para(f"Head {_coverage_line(h).lower()}"),
           Para(f"Gained: {_claims(data['gained'])}; lost: {_claims(data['lost'])}"),
           Heading("Transitions")]  # fmt: skip
    moves = [t for t in data["transitions"] if t["from"] != t["to"]]
    out.append(Flows("Claims by status: base → head", STATUSES,
                     tuple(Flow(t["from"], t["to"], t["claims"]) for t in data["transitions"])))
    out.append(Table(("from", "to", "claims"),
                     tuple((t["from"], t["to"], count(t["claims"])) for t in moves)
                     or (("—", "—", "0"),)))  # fmt: skip
    cats = data["by_category"]
    out += [Heading("By category")]
    if cats:
        out.append(RangeBars("Claims by category (eligible … eligible + undetermined)",
                             "claims", ("base", "head"), tuple(r["category"] for r in cats),
                             tuple(tuple(RangeBar(r["category"], r[s]["eligible"],
                                                  _plus(r[s]["eligible"], r[s]["undetermined"]))
                                         for s in ("base", "head")) for r in cats)))  # fmt: skip
    out += [Table(("category", "base eligible", "base undetermined", "head eligible",
                   "head undetermined"),
                  tuple((r["category"], count(r["base"]["eligible"]),
                         count(r["base"]["undetermined"]), count(r["head"]["eligible"]),
                         count(r["head"]["undetermined"])) for r in cats)),
            Heading("By component"),
            Table(("component", "kind", "base claims", "head claims", "base amount (KZT)",
                   "head amount (KZT)"),
                  tuple((r["component"], r["kind"], count(r["base"]["claims"]),
                         count(r["head"]["claims"]),
                         amount_range(r["base"]["amount"], r["base"]["claims"] is None),
                         amount_range(r["head"]["amount"], r["head"]["claims"] is None))
                        for r in data["by_component"]))]  # fmt: skip
    unbounded = [r["component"] for r in data["by_component"]
                 if r["base"].get("unbounded") or r["head"].get("unbounded")]  # fmt: skip
    if unbounded:
        out.append(Para("Amounts leave out claims whose amount has no upper bound: "
                        + ", ".join(unbounded)))  # fmt: skip
    out.append(Heading("Changed provisions and attribution"))
    rows = {r["provision"]: r for r in data["attribution"]}
    if data["provisions"]:
        def moved(r: Data) -> tuple[str, str]:
            if not r.get("evaluated", True):
                return ("—", "—")  # the variant could not be evaluated
            return (count(r["gained"]), count(r["lost"]))

        out += [Table(("provision", "change", "gained", "lost"),
                      (*((p["id"], p["change"], *moved(rows[p["id"]]))
                         for p in data["provisions"]),
                       ("interaction", "—", *moved(rows["interaction"])))),
                Para("gained/lost: the claims whose status rises/falls when only that "
                     "provision changes; interaction: the changes no single provision "
                     "reproduces.")]  # fmt: skip
    else:
        out.append(Para("No provision changed."))
    for law in data["laws"]:
        out += _law_changes(law)
    out += _notices(data.get("notices", ()))
    if "claims" in data:
        out += [Heading("Claims that changed"),
                Table(("claim", "from", "to", "categories", "components"),
                      tuple((c["id"], c["from"], c["to"],
                             " ".join([*(f"+{x}" for x in c["categories"]["added"]),
                                       *(f"-{x}" for x in c["categories"]["removed"])]) or "—",
                             " ".join([*(f"+{x}" for x in c["components"]["added"]),
                                       *(f"-{x}" for x in c["components"]["removed"]),
                                       *(f"~{a['component']}" for a in c["amounts"])]) or "—")
                            for c in data["claims"]) or (("—",) * 5,))]  # fmt: skip
    return out


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

    out += [Table(("commit", "date", "author", "law changed, version", "eligible",
                   "undetermined", "ineligible", "Δ eligible", "Δ undetermined",
                   "Δ ineligible", "message"),
                  tuple((r["commit"][:7], r["date"][:16].replace("T", " "), r["author"],
                         _short("; ".join(r.get("changed", [])) or "—", 48),
                         *cells(r["status"], False), *cells(r["change"], True),
                         _short(r["message"], 60)) for r in rows)),
            Para("Δ: the change from the next older commit listed "
                 "(the oldest: its status).")]  # fmt: skip
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
            return ("error", "—", "—")
        return (count(a["gained"]), signed(a["eligible"]), signed(a["undetermined"]))

    out = [*_preamble(title, data), Para(f"In force: {', '.join(data['in_force']) or 'none'}"),
           *_suppression(data),
           RangeBars("Claims each law would add over the laws in force (gained)", "claims",
                     ("gained",), tuple(r["id"] for r in rows),
                     tuple((RangeBar(r["id"], g, g),) for r in rows
                           for g in [None if r.get("adds") is None else r["adds"]["gained"]])),
           Table(("law", "kind", "status", "version", "last change", "gained", "Δ eligible",
                  "Δ undetermined"),
                 tuple((r["id"], r["kind"], r["status"], r["version"] or "—", last(r),
                        *adds(r)) for r in rows)),
           Para("gained, Δ: what the law adds over the laws in force (an in-force law: over "
                "the other laws in force).")]  # fmt: skip
    errors = [Item(f"{r['id']}: {r['error']}") for r in rows if "error" in r]
    if errors:
        out += [Para("Errors:"), Bullets(tuple(errors))]
    return out


# -- explain --------------------------------------------------------------------------------------


def _decided(facts: Sequence[Data]) -> str:
    return "; ".join(f"{f['fact']} = {f['value']}" for f in facts)


def explain_view(title: str, data: Data) -> list[Block]:
    """``kzrehab explain CLAIM_ID``: provision by provision, with the deciding facts."""
    out = [*_preamble(title, data),
           Para("Laws: " + ", ".join(law["id"] for law in data["laws"]))]  # fmt: skip
    if data["categories"]:
        out.append(Para("Categories: " + ", ".join(f"{c} ({s})"
                                                   for c, s in data["categories"].items())))
    exclusions = {e["id"]: e for e in data["exclusions"]}
    titles = {law["id"]: law["title"] for law in data["laws"]}
    for law in data["laws"]:
        grounds = [g for g in data["grounds"] if g["law"] == law["id"]]
        if not grounds:
            continue
        items = []
        for g in grounds:
            children = []
            if g["decided_by"]:
                children.append(Item("decided by: " + _decided(g["decided_by"])))
            children += [Item(f"{m['event']}: {m['membership']}") for m in g["events"]]
            for e in g["barred_by"]:
                ex = exclusions[e]
                children.append(Item(f"barred by exclusion {e}: holds = {ex['holds']}",
                                     children=(Item("decided by: " + _decided(ex["decided_by"])),)
                                     if ex["decided_by"] else ()))  # fmt: skip
            items.append(Item(f"ground {g['id']} (art. {g['article'] or '—'}, category "
                              f"{g['category']}): applies = {g['applies']}; condition = "
                              f"{g['when']}", children=tuple(children)))  # fmt: skip
        out += [Heading(f"{law['id']} — {titles[law['id']]}"), Bullets(tuple(items))]
    if data["components"]:
        out += [Heading("Reparation"),
                Table(("component", "kind", "receives", "amount (KZT)"),
                      tuple((c["id"], c["kind"], c["receives"], amount_range(c["amount_range"]))
                            for c in data["components"]))]  # fmt: skip
    return out + _notices(data["notices"])


def explain_against_view(title: str, data: Data) -> list[Block]:
    """``kzrehab explain CLAIM_ID LAW… --against LAW…``."""
    against = data["against"]
    out = [*_preamble(title, data),
           Para(f"Laws: {', '.join(data['laws'])} → {data['status']}"),
           Para(f"Against: {', '.join(against['laws'])} → {against['status']}")]  # fmt: skip
    if not data["differences"]:
        return [*out, Para("No provision has a different value.")]
    items = []
    for d in data["differences"]:
        children = [Item(f"{label}: {_decided(d[side])}")
                    for side, label in (("decided_by", "decided by"),
                                        ("against_decided_by", "against, decided by"))
                    if d.get(side)]  # fmt: skip
        items.append(Item(f"{d['kind']} {d['id']}: {d['value'] or 'absent'} "
                          f"(against: {d['against'] or 'absent'})", children=tuple(children)))
    return [*out, Bullets(tuple(items))]


#: the view of each kind of report
VIEWS: dict[str, Callable[[str, Data], list[Block]]] = {
    "coverage": coverage_view,
    "comparison": comparison_view,
    "log": log_view,
    "status": status_view,
    "explain": explain_view,
    "explain-against": explain_against_view,
}
