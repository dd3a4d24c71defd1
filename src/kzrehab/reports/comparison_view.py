"""The view of ``kzrehab diff`` and ``kzrehab compare``: the summary and who loses first,
then the breakdowns, money, attribution and the laws' redlines — built from the typed
data only."""

from __future__ import annotations

__all__ = ["comparison_view"]

from collections.abc import Sequence

from ..languages import NAMES
from .blocks import (
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
from .cells import (
    STATUSES,
    amount_label,
    amount_range,
    claims,
    count,
    coverage_line,
    minus,
    notices,
    plus,
    preamble,
    signed,
    status_bars,
    suppression,
)
from .data import (
    Attribution,
    CategoryChange,
    ChangedProvision,
    ComparisonData,
    ComponentChange,
    ComponentMoney,
    ComponentSide,
    CoverageFigures,
    LawChange,
    Levels,
    MoneyMoves,
    PeriodMoney,
    Range,
    RedlineEdit,
)
from .gaps_view import gap_groups
from .words import level_words, money_words, summary


def _laws_line(side: CoverageFigures) -> str:
    return "; ".join(f"{law.id} ({law.version or law.status}; {law.ref})"
                     for law in side.laws) or "—"  # fmt: skip


def _edits(raw: Sequence[RedlineEdit]) -> tuple[Edit, ...]:
    return tuple(Edit(e.kind, e.text, e.space) for e in raw)


def _in(lang: str | None) -> str:
    """`` (in Kazakh)`` after a change whose redline is in another language than the
    report's; nothing otherwise."""
    return f" (in {NAMES[lang]})" if lang else ""


def _value(text: str | None) -> str:
    """A law's metadata value as shown: ``(none)`` for one a version does not give."""
    return "(none)" if text is None else text


def _law_changes(law: LawChange) -> list[Block]:
    items: list[Item] = [Item(f"{f.field}: {_value(f.base)} → {_value(f.head)}")
                         for f in law.metadata]  # fmt: skip
    for a in law.articles:
        moved = a.base and a.head and a.base != a.head
        label = f"article {a.base} → {a.head}" if moved else f"article {a.head or a.base}"
        items.append(Item(f"{label}: {a.change}{_in(a.redline_language)}", _edits(a.redline),
                          redline_lang=a.redline_language))
    for p in law.provisions:
        items.append(Item(f"{p.kind} {p.id}: {p.change}{_in(p.redline_language)}",
                          _edits(p.redline),
                          children=tuple(Item(f.field, was=f.base, now=f.head,
                                              changed_value=True) for f in p.fields),
                          redline_lang=p.redline_language))
    for n in (*law.parameters, *law.definitions):
        items.append(Item(f"{n.id}: {n.change}", children=(
            Item("value", was=n.base, now=n.head, changed_value=True),)))
    return [Heading(f"{law.id} ({law.change})", 3), Bullets(tuple(items))]


def _total(side: ComponentSide, suppressed: bool, period: str | None) -> str:
    """A component's total: blank when suppressed, ``—`` when it pays no amount (or the
    side has no such component)."""
    return amount_range(side.amount, blank=period is not None and suppressed)


def _levels_text(levels: Levels | None) -> str:
    """A row's changes by level, compactly: ``status +5; components +9 -2; money ↑3 ↓1 ?4``."""
    if levels is None:
        return "—"
    parts = []
    for label, level in (("status", levels.status), ("categories", levels.categories),
                         ("components", levels.components)):  # fmt: skip
        g, x = level.gained, level.lost
        if g != 0 or x != 0:
            parts.append(f"{label} +{count(g)} -{count(x)}")
    a = levels.amounts
    if a.higher != 0 or a.lower != 0 or a.uncertain != 0:
        parts.append(f"money ↑{count(a.higher)} ↓{count(a.lower)} ?{count(a.uncertain)}")
    return "; ".join(parts) or "—"


def _attribution_rows(data: ComparisonData) -> tuple[Attribution, ...]:
    return () if data.laws_changed is None else data.laws_changed.attribution


def _who_loses(data: ComparisonData) -> list[Block]:
    """Who loses, before the breakdowns: by level, component, category and provision."""
    changes = data.changes
    who = "A suppressed number of claims" if data.lost is None else claims(data.lost)
    money = ("" if changes.amounts.lower != 0 else
             " No claim surely receives less money.")  # fmt: skip
    out: list[Block] = [Heading("Who loses"), Para(
        f"{who} lose something: "
        + ("; ".join(level_words(changes.levels(), losses=True)) or "suppressed") + "."
        + money)]
    amounts = {r.component: r for r in changes.amounts.by_component}
    comps = [r for r in changes.components.by_component if r.lost != 0]
    if comps:
        def change(c: str) -> str:
            r = amounts.get(c)
            if r is None or (r.lower == 0 and r.uncertain == 0):
                return "—"
            return f"{amount_range(r.change, blank=True)} ({amount_label(r.period)})"

        out.append(Table(("component lost", "kind", "claims", "change of its total, all claims"),
                         tuple((r.component, r.kind, count(r.lost), change(r.component))
                               for r in comps)))  # fmt: skip
    cats = [r for r in changes.lost_by_category if r.claims != 0]
    if cats:
        out.append(Table(("category under the base", "claims that lose"),
                         tuple((r.category if r.category != "(none)"
                                else "(in no category for sure)", count(r.claims))
                               for r in cats)))  # fmt: skip
    rows = [r for r in _attribution_rows(data) if r.evaluated and r.lost_overall != 0]
    if rows:
        out.append(Table(("responsible provision", "claims that lose", "how", "amended by"),
                         tuple((r.provision, count(r.lost_overall), _levels_text(r.levels),
                                ", ".join(r.amended_by) or "—") for r in rows)))
        out.append(Para("claims that lose: of the claims that lose anything, those that lose "
                        "because of that provision (the head against the head without it); "
                        "how: everything the provision does, gains included."))
    return out


def _attribution(data: ComparisonData) -> list[Block]:
    changed = data.laws_changed
    provisions: tuple[ChangedProvision, ...] = () if changed is None else changed.provisions
    if not provisions:
        return [Para("No provision changed.")]
    rows = {r.provision: r for r in _attribution_rows(data)}
    moving: list[tuple[ChangedProvision, Attribution]] = []
    idle, folded, names = [], [], []
    for p in provisions:
        r = rows.get(p.id)
        if r is None:
            folded.append(p.id)
        elif r.evaluated and r.gained == 0 and r.lost == 0:
            idle.append(p.id)
        elif not r.evaluated and p.change in ("added", "removed") and \
                p.id.partition(":")[2].startswith(("parameters.", "definitions.")):
            names.append(p.id)
        else:
            moving.append((p, r))

    def moved(r: Attribution) -> tuple[str, str]:
        if not r.evaluated:
            return ("—", "—")  # the provision could not be taken back alone
        return (count(r.gained), count(r.lost))

    inter = rows["interaction"]
    out: list[Block] = [Table(
        ("provision", "change", "gained", "lost", "by level", "amended by"),
        (*((p.id, p.change, *moved(r), _levels_text(r.levels),
            ", ".join(r.amended_by) or "—") for p, r in moving),
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


def comparison_view(title: str, data: ComparisonData) -> list[Block]:
    """``kzrehab diff`` and ``kzrehab compare``: the summary and who loses first."""
    suppressed = data.suppressed_below is not None
    b, h = data.base.status, data.head.status
    changes = data.changes
    out: list[Block] = [*preamble(title, data.as_of, data.population),
                        *suppression(data.suppressed_below), Heading("Summary"),
                        Bullets(tuple(Item(t) for t in summary(data)))]  # fmt: skip
    if data.lost != 0:
        out += _who_loses(data)
    out += [Heading("Laws compared"), Para(f"Base: {_laws_line(data.base)}"),
            Para(f"Head: {_laws_line(data.head)}")]
    a = changes.amounts
    out += [Heading("Changes by level"),
            Table(("level", "claims that gain", "claims that lose", "may gain or lose"),
                  (*((label, count(lv.gained), count(lv.lost), "—")
                     for label, lv in (("status", changes.status),
                                       ("categories", changes.categories),
                                       ("components", changes.components))),
                   ("amounts (money)", count(a.higher), count(a.lower), count(a.uncertain)))),
            Para(f"Gained: {claims(data.gained)}; lost: {claims(data.lost)} "
                 "(at any level)."),
            Heading("Status"),
            RangeBars("Claims covered and left out (surely … possibly)", "claims",
                      ("base", "head"), ("covered", "left out"),
                      tuple(zip(status_bars(b), status_bars(h), strict=True))),
            Table(("status", "base", "head", "change"),
                  tuple((s, count(b.get(s)), count(h.get(s)), signed(minus(h.get(s), b.get(s))))
                        for s in STATUSES)),
            Para(f"Base {coverage_line(b).lower()}"), Para(f"Head {coverage_line(h).lower()}"),
            Heading("Transitions")]  # fmt: skip
    moves = [t for t in data.transitions if t.from_ != t.to]
    out.append(Flows("Claims by status: base → head", STATUSES,
                     tuple(Flow(t.from_, t.to, t.claims) for t in data.transitions)))
    out.append(Table(("from", "to", "claims"),
                     tuple((t.from_, t.to, count(t.claims)) for t in moves)
                     or (("—", "—", "0"),)))  # fmt: skip
    cats = data.by_category
    gained_cat = {r.category: r for r in changes.categories.by_category}
    out += [Heading("By category")]
    if cats:
        out.append(RangeBars("Claims by category (eligible … eligible + undetermined)",
                             "claims", ("base", "head"), tuple(r.category for r in cats),
                             tuple(tuple(RangeBar(r.category, s.eligible,
                                                  plus(s.eligible, s.undetermined))
                                         for s in (r.base, r.head)) for r in cats)))
    out += [Table(("category", "base eligible", "base undetermined", "head eligible",
                   "head undetermined", "gained", "lost"),
                  tuple((r.category, count(r.base.eligible), count(r.base.undetermined),
                         count(r.head.eligible), count(r.head.undetermined),
                         *_gained_lost(gained_cat.get(r.category)))
                        for r in cats))]  # fmt: skip
    comp_moves = {r.component: r for r in changes.components.by_component}
    out += [Heading("By component"),
            Table(("component", "kind", "base: surely", "possibly", "head: surely", "possibly",
                   "gained", "lost", "paid", "base total", "head total"),
                  tuple((r.component, r.kind, count(r.base.claims), count(r.base.undetermined),
                         count(r.head.claims), count(r.head.undetermined),
                         *_gained_lost(comp_moves.get(r.component)),
                         amount_label(r.period), _total(r.base, suppressed, r.period),
                         _total(r.head, suppressed, r.period))
                        for r in data.by_component)),
            Para("Totals are ranges of what the recipients may receive: at least what those "
                 "who surely receive a component surely get, at most what every possible "
                 "recipient could get. One-time and monthly amounts are never added "
                 "together.")]  # fmt: skip
    out += _money_tables(data)
    if data.gaps is not None:
        out += [Heading("What would decide whether the head helps"),
                Para("For the claims the head may help — undetermined under it, not eligible "
                     "under the base — the unknown facts that would decide them, ranked by "
                     "how many claims some value of theirs would settle (kzrehab gaps).")]
        out += gap_groups(data.gaps)
    out.append(Heading("Changed provisions and attribution"))
    out += _attribution(data)
    if data.laws_changed is not None:
        for law in data.laws_changed.laws:
            out += _law_changes(law)
        out += notices(data.laws_changed.notices)
    if data.claims is not None:
        out += [Heading("Claims that changed"),
                Table(("claim", "from", "to", "gains", "loses", "categories", "components",
                       "money"),
                      tuple((c.id, c.from_, c.to, ", ".join(c.gains) or "—",
                             ", ".join(c.loses) or "—",
                             " ".join([*(f"+{x}" for x in c.categories_gained),
                                       *(f"-{x}" for x in c.categories_lost)]) or "—",
                             " ".join([*(f"+{x.component}" for x in c.components_gained),
                                       *(f"-{x.component}" for x in c.components_lost)])
                             or "—",
                             "; ".join(f"{m.period} {money_words(m.change)}"
                                       for m in c.money) or "—")
                            for c in data.claims) or (("—",) * 8,))]  # fmt: skip
    return out


def _gained_lost(row: CategoryChange | ComponentChange | None) -> tuple[str, str]:
    """A breakdown row's gained and lost (0 and 0 for a row the changes do not list)."""
    return ("0", "0") if row is None else (count(row.gained), count(row.lost))


_ZERO = PeriodMoney("", 0, 0, 0, Range(0.0, 0.0))


def _money_tables(data: ComparisonData) -> list[Block]:
    """Money by period (base and head totals, and the change), then by component."""
    changes = data.changes.amounts
    base = {r.period: r.amount for r in data.base.by_period}
    head = {r.period: r.amount for r in data.head.by_period}
    moved: dict[str, PeriodMoney] = {r.period: r for r in changes.by_period}
    periods = [p for p in ("once", "month") if p in base or p in head]
    if not periods:
        return []
    out: list[Block] = [Heading("Money by period"), Table(
        ("paid", "base total", "head total", "change of the total", "claims: more", "less",
         "may change"),
        tuple((amount_label(p), amount_range(base.get(p), blank=p in base),
               amount_range(head.get(p), blank=p in head),
               amount_range(moved.get(p, _ZERO).change, blank=True),
               *_moves(moved.get(p, _ZERO))) for p in periods))]  # fmt: skip
    rows: list[ComponentMoney] = [r for r in changes.by_component
                                  if r.higher != 0 or r.lower != 0 or r.uncertain != 0]
    if rows:
        out.append(Table(("component", "paid", "claims: more", "less", "may change",
                          "change of its total"),
                         tuple((r.component, amount_label(r.period), *_moves(r),
                                amount_range(r.change, blank=True)) for r in rows)))
    out.append(Para("A claim's money changes by a range: from what it may receive under the "
                    "base to what it may receive under the head, component by component; "
                    "'may change' when that range spans zero. The change of a total is summed "
                    "claim by claim, a claim whose range is the same on both sides counting "
                    "0: it is narrower than the head's total minus the base's, whose ends "
                    "subtract every claim's whole range."))
    return out


def _moves(m: MoneyMoves | PeriodMoney | ComponentMoney) -> tuple[str, str, str]:
    return count(m.higher), count(m.lower), count(m.uncertain)
