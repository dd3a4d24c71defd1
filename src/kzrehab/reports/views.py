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
    Para,
    RangeBar,
    RangeBars,
    Table,
)
from .words import PERIOD_UNITS, level_words, money_words, summary

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
    suppressed = "suppressed_below" in data
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
            Table(("component", "kind", "claims", "undetermined", "paid", "total amount"),
                  tuple((r["component"], r["kind"], count(r["claims"]), count(r["undetermined"]),
                         _amount_label(r.get("period")), _total(r, suppressed))
                        for r in data["by_component"])),
            Para("A total is the range of what the recipients may receive: at least what "
                 "those who surely receive the component surely get, at most what every "
                 "possible recipient could get.")]  # fmt: skip
    periods = data.get("by_period", ())
    if periods:
        out += [Heading("By period"),
                Table(("paid", "total amount"),
                      tuple((_amount_label(r["period"]),
                             amount_range(r["amount"], blank=True)) for r in periods)),
                Para("One-time and monthly amounts are never added together.")]  # fmt: skip
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


def _amount_label(period: str | None) -> str:
    return "—" if period is None else PERIOD_UNITS[period]


def _total(side: Data, suppressed: bool, period: str | None = None) -> str:
    """A component's total: blank when suppressed, ``—`` when it pays no amount (or the
    side has no such component)."""
    pays = (period or side.get("period")) is not None
    return amount_range(side["amount"], blank=pays and suppressed)


def _levels_text(levels: Data | None) -> str:
    """A row's changes by level, compactly: ``status +5; components +9 -2; money ↑3 ↓1 ?4``."""
    if levels is None:
        return "—"
    parts = []
    for level, label in (("status", "status"), ("categories", "categories"),
                         ("components", "components")):  # fmt: skip
        g, x = levels[level]["gained"], levels[level]["lost"]
        if g != 0 or x != 0:
            parts.append(f"{label} +{count(g)} -{count(x)}")
    a = levels["amounts"]
    if a["higher"] != 0 or a["lower"] != 0 or a["uncertain"] != 0:
        parts.append(f"money ↑{count(a['higher'])} ↓{count(a['lower'])} ?{count(a['uncertain'])}")
    return "; ".join(parts) or "—"


def _who_loses(data: Data) -> list[Block]:
    """Who loses, before the breakdowns: by level, component, category and provision."""
    changes = data["changes"]
    lost = data["lost"]
    who = "A suppressed number of claims" if lost is None else _claims(lost)
    money = ("" if changes["amounts"]["lower"] != 0 else
             " No claim surely receives less money.")  # fmt: skip
    out: list[Block] = [Heading("Who loses"), Para(
        f"{who} lose something: "
        + ("; ".join(level_words(changes, losses=True)) or "suppressed") + "." + money)]
    amounts = {r["component"]: r for r in changes["amounts"]["by_component"]}
    comps = [r for r in changes["components"]["by_component"] if r["lost"] != 0]
    if comps:
        def change(c: str) -> str:
            r = amounts.get(c)
            if r is None or (r["lower"] == 0 and r["uncertain"] == 0):
                return "—"
            return f"{amount_range(r['change'], blank=True)} ({_amount_label(r['period'])})"

        out.append(Table(("component lost", "kind", "claims", "change of its total, all claims"),
                         tuple((r["component"], r["kind"], count(r["lost"]), change(r["component"]))
                               for r in comps)))  # fmt: skip
    cats = [r for r in changes["lost_by_category"] if r["claims"] != 0]
    if cats:
        out.append(Table(("category under the base", "claims that lose"),
                         tuple((r["category"] if r["category"] != "(none)"
                                else "(in no category for sure)", count(r["claims"]))
                               for r in cats)))  # fmt: skip
    rows = [r for r in data["attribution"] if r["evaluated"] and r.get("lost_overall") != 0]
    if rows:
        out.append(Table(("responsible provision", "claims that lose", "how", "amended by"),
                         tuple((r["provision"],
                                count(r["lost_overall"]) if r["evaluated"] else "—",
                                _levels_text(r.get("levels")),
                                ", ".join(r.get("amended_by", ())) or "—") for r in rows)))
        out.append(Para("claims that lose: of the claims that lose anything, those that lose "
                        "because of that provision (the head against the head without it); "
                        "how: everything the provision does, gains included."))
    return out


def _attribution(data: Data) -> list[Block]:
    rows = {r["provision"]: r for r in data["attribution"]}
    if not data["provisions"]:
        return [Para("No provision changed.")]
    moving, idle, folded, names = [], [], [], []
    for p in data["provisions"]:
        r = rows.get(p["id"])
        if r is None:
            folded.append(p["id"])
        elif r["evaluated"] and r["gained"] == 0 and r["lost"] == 0:
            idle.append(p["id"])
        elif not r["evaluated"] and p["change"] in ("added", "removed") and \
                p["id"].partition(":")[2].startswith(("parameters.", "definitions.")):
            names.append(p["id"])
        else:
            moving.append((p, r))

    def moved(r: Data) -> tuple[str, str]:
        if not r.get("evaluated", True):
            return ("—", "—")  # the provision could not be taken back alone
        return (count(r["gained"]), count(r["lost"]))

    inter = rows["interaction"]
    out: list[Block] = [Table(
        ("provision", "change", "gained", "lost", "by level", "amended by"),
        (*((p["id"], p["change"], *moved(r), _levels_text(r.get("levels")),
            ", ".join(r.get("amended_by", ())) or "—") for p, r in moving),
         ("interaction", "—", *moved(inter), "—", "—")))]  # fmt: skip
    if idle:
        n = len(idle)
        out.append(Para(f"{n} provision{'s' if n != 1 else ''} changed nothing on this "
                        f"population: {', '.join(idle)}."))
    if names:
        out.append(Para(f"{len(names)} parameters and definitions were added or removed with "
                        "the provisions that use them, and are not measured alone (taking "
                        "one back would leave those provisions naming nothing): "
                        + ", ".join(names) + "."))
    if folded:
        out.append(Para("Amendments counted in the row of the provision they amend (above, "
                        "or among those that changed nothing): " + ", ".join(folded) + "."))
    out.append(Para("gained/lost: the claims that gain/lose at any level because of that "
                    "provision (the head against the head with only that provision taken "
                    "back); interaction: the claims that gain/lose although no single "
                    "provision makes them."))
    return out


def comparison_view(title: str, data: Data) -> list[Block]:
    """``kzrehab diff`` and ``kzrehab compare``: the summary and who loses first."""
    suppressed = "suppressed_below" in data
    base, head = data["base"], data["head"]
    b, h = base["status"], head["status"]
    changes = data["changes"]
    out: list[Block] = [*_preamble(title, data), *_suppression(data), Heading("Summary"),
                        Bullets(tuple(Item(t) for t in summary(data)))]  # fmt: skip
    if data["lost"] != 0:
        out += _who_loses(data)
    out += [Heading("Laws compared"), Para(f"Base: {_laws_line(base)}"),
            Para(f"Head: {_laws_line(head)}")]
    levels = (("status", "gained", "lost"), ("categories", "gained", "lost"),
              ("components", "gained", "lost"))
    out += [Heading("Changes by level"),
            Table(("level", "claims that gain", "claims that lose", "may gain or lose"),
                  (*((lv, count(changes[lv][g]), count(changes[lv][x]), "—")
                     for lv, g, x in levels),
                   ("amounts (money)", count(changes["amounts"]["higher"]),
                    count(changes["amounts"]["lower"]),
                    count(changes["amounts"]["uncertain"])))),
            Para(f"Gained: {_claims(data['gained'])}; lost: {_claims(data['lost'])} "
                 "(at any level)."),
            Heading("Status"),
            RangeBars("Claims covered and left out (surely … possibly)", "claims",
                      ("base", "head"), ("covered", "left out"),
                      tuple(zip(_status_bars(b), _status_bars(h), strict=True))),
            Table(("status", "base", "head", "change"),
                  tuple((s, count(b[s]), count(h[s]), signed(_minus(h[s], b[s])))
                        for s in STATUSES)),
            Para(f"Base {_coverage_line(b).lower()}"), Para(f"Head {_coverage_line(h).lower()}"),
            Heading("Transitions")]  # fmt: skip
    moves = [t for t in data["transitions"] if t["from"] != t["to"]]
    out.append(Flows("Claims by status: base → head", STATUSES,
                     tuple(Flow(t["from"], t["to"], t["claims"]) for t in data["transitions"])))
    out.append(Table(("from", "to", "claims"),
                     tuple((t["from"], t["to"], count(t["claims"])) for t in moves)
                     or (("—", "—", "0"),)))  # fmt: skip
    cats = data["by_category"]
    gained_cat = {r["category"]: r for r in changes["categories"]["by_category"]}
    out += [Heading("By category")]
    if cats:
        out.append(RangeBars("Claims by category (eligible … eligible + undetermined)",
                             "claims", ("base", "head"), tuple(r["category"] for r in cats),
                             tuple(tuple(RangeBar(r["category"], r[s]["eligible"],
                                                  _plus(r[s]["eligible"], r[s]["undetermined"]))
                                         for s in ("base", "head")) for r in cats)))  # fmt: skip
    none = {"gained": 0, "lost": 0}
    out += [Table(("category", "base eligible", "base undetermined", "head eligible",
                   "head undetermined", "gained", "lost"),
                  tuple((r["category"], count(r["base"]["eligible"]),
                         count(r["base"]["undetermined"]), count(r["head"]["eligible"]),
                         count(r["head"]["undetermined"]),
                         count(gained_cat.get(r["category"], none)["gained"]),
                         count(gained_cat.get(r["category"], none)["lost"])) for r in cats))]
    comp_moves = {r["component"]: r for r in changes["components"]["by_component"]}
    out += [Heading("By component"),
            Table(("component", "kind", "base: surely", "possibly", "head: surely", "possibly",
                   "gained", "lost", "paid", "base total", "head total"),
                  tuple((r["component"], r["kind"], count(r["base"]["claims"]),
                         count(r["base"]["undetermined"]), count(r["head"]["claims"]),
                         count(r["head"]["undetermined"]),
                         count(comp_moves.get(r["component"], none)["gained"]),
                         count(comp_moves.get(r["component"], none)["lost"]),
                         _amount_label(r["period"]),
                         _total(r["base"], suppressed, r["period"]),
                         _total(r["head"], suppressed, r["period"]))
                        for r in data["by_component"])),
            Para("Totals are ranges of what the recipients may receive: at least what those "
                 "who surely receive a component surely get, at most what every possible "
                 "recipient could get. One-time and monthly amounts are never added "
                 "together.")]  # fmt: skip
    out += _money_tables(data)
    if "gaps" in data:
        out += [Heading("What would decide whether the head helps"),
                Para("For the claims the head may help — undetermined under it, not eligible "
                     "under the base — the unknown facts that would decide them, ranked by "
                     "how many claims some value of theirs would settle (kzrehab gaps).")]
        out += _gap_groups(data["gaps"])
    out.append(Heading("Changed provisions and attribution"))
    out += _attribution(data)
    for law in data["laws"]:
        out += _law_changes(law)
    out += _notices(data.get("notices", ()))
    if "claims" in data:
        out += [Heading("Claims that changed"),
                Table(("claim", "from", "to", "gains", "loses", "categories", "components",
                       "money"),
                      tuple((c["id"], c["from"], c["to"], ", ".join(c["gains"]) or "—",
                             ", ".join(c["loses"]) or "—",
                             " ".join([*(f"+{x}" for x in c["categories"]["gained"]),
                                       *(f"-{x}" for x in c["categories"]["lost"])]) or "—",
                             " ".join([*(f"+{x['component']}" for x in c["components"]["gained"]),
                                       *(f"-{x['component']}" for x in c["components"]["lost"])])
                             or "—",
                             "; ".join(f"{m['period']} {money_words(m['change'])}"
                                       for m in c["money"]) or "—")
                            for c in data["claims"]) or (("—",) * 8,))]  # fmt: skip
    return out


def _money_tables(data: Data) -> list[Block]:
    """Money by period (base and head totals, and the change), then by component."""
    changes = data["changes"]["amounts"]
    base = {r["period"]: r["amount"] for r in data["base"].get("by_period", ())}
    head = {r["period"]: r["amount"] for r in data["head"].get("by_period", ())}
    moved = {r["period"]: r for r in changes["by_period"]}
    periods = [p for p in ("once", "month") if p in base or p in head]
    if not periods:
        return []
    zero = {"higher": 0, "lower": 0, "uncertain": 0, "change": {"min": 0.0, "max": 0.0}}
    out: list[Block] = [Heading("Money by period"), Table(
        ("paid", "base total", "head total", "change of the total", "claims: more", "less",
         "may change"),
        tuple((_amount_label(p), amount_range(base.get(p), blank=p in base),
               amount_range(head.get(p), blank=p in head),
               amount_range(moved.get(p, zero)["change"], blank=True),
               count(moved.get(p, zero)["higher"]), count(moved.get(p, zero)["lower"]),
               count(moved.get(p, zero)["uncertain"])) for p in periods))]  # fmt: skip
    rows = [r for r in changes["by_component"]
            if r["higher"] != 0 or r["lower"] != 0 or r["uncertain"] != 0]  # fmt: skip
    if rows:
        out.append(Table(("component", "paid", "claims: more", "less", "may change",
                          "change of its total"),
                         tuple((r["component"], _amount_label(r["period"]), count(r["higher"]),
                                count(r["lower"]), count(r["uncertain"]),
                                amount_range(r["change"], blank=True)) for r in rows)))
    out.append(Para("A claim's money changes by a range: from what it may receive under the "
                    "base to what it may receive under the head, component by component; "
                    "'may change' when that range spans zero. The change of a total is summed "
                    "claim by claim, a claim whose range is the same on both sides counting "
                    "0: it is narrower than the head's total minus the base's, whose ends "
                    "subtract every claim's whole range."))
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
                Table(("component", "kind", "receives", "amount", "paid"),
                      tuple((c["id"], c["kind"], c["receives"], amount_range(c["amount_range"]),
                             _amount_label(c.get("period")))
                            for c in data["components"]))]  # fmt: skip
    deciders = data.get("deciders")
    if deciders:
        items = [Item("status: " + d["text"]) for d in deciders["status"]]
        items += [Item(f"{c}: {d['text']}") for c, ds in deciders["components"].items()
                  for d in ds]
        out += [Heading("What would decide it"),
                Bullets(tuple(items)) if items else Para("No single fact or pair of facts.")]
    return out + _notices(data["notices"])


def gaps_view(title: str, data: Data) -> list[Block]:
    """``kzrehab gaps``: per target, the facts ranked by the claims they would settle."""
    out = [*_preamble(title, data), Para("Laws: " + ", ".join(data["laws"])),
           *_suppression(data)]  # fmt: skip
    return out + _gap_groups(data)


def _gap_groups(data: Data) -> list[Block]:
    out: list[Block] = []
    yes, no = ("received", "withheld") if data["by"] == "component" else (
        "eligible", "ineligible")
    for g in data["groups"]:
        out += [Heading(f"{g['target']}: {count(g['undetermined'])} undetermined"),
                Para(f"No single fact settles {count(g['unsettled'])} of them.")]
        if not g["facts"]:
            continue

        def money_of(f: Data) -> str:
            return "; ".join(f"{amount_range(a['amount'], blank=True)} {a['period']}"
                             for a in f["amounts"]) or "—"
        out.append(Table(("fact", "scope", "settles", f"{yes} under some value",
                          f"{no} under some value", "every value settles", "amount (KZT)"),
                         tuple((f["fact"], f["scope"], count(f["claims"]), count(f[yes]),
                                count(f[no]), count(f["always"]), money_of(f))
                               for f in g["facts"])))  # fmt: skip
        bars = [f for f in g["facts"][:12] if f["claims"] is not None]
        if bars:
            out.append(RangeBars(f"Claims settled ({g['target']})", "claims", ("settles",),
                                 tuple(f["fact"] for f in bars),
                                 tuple((RangeBar(f["fact"], f["always"], f["claims"]),)
                                       for f in bars)))  # fmt: skip
    return out


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
        if d["kind"] == "component" and (d.get("amount") or d.get("against_amount")):
            unit = _amount_label(d.get("period"))
            children += [Item(f"amount: {amount_range(d.get('amount'))} (against: "
                              f"{amount_range(d.get('against_amount'))}), {unit}")]
            children += [Item("because " + c["text"],
                              children=(Item("decided by: " + _decided(c["decided_by"])),)
                              if c["decided_by"] else ()) for c in d.get("causes", ())]
        items.append(Item(f"{d['kind']} {d['id']}: {d['value'] or 'absent'} "
                          f"(against: {d['against'] or 'absent'})", children=tuple(children)))
    return [*out, Bullets(tuple(items))]


#: the view of each kind of report
VIEWS: dict[str, Callable[[str, Data], list[Block]]] = {
    "coverage": coverage_view,
    "comparison": comparison_view,
    "explain": explain_view,
    "explain-against": explain_against_view,
    "gaps": gaps_view,
}
