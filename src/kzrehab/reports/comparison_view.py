"""The view of ``kzrehab diff`` and ``kzrehab compare``: the summary and who loses first,
then the breakdowns, money, attribution and the laws' redlines — built from the typed
data only."""

from __future__ import annotations

__all__ = ["comparison_view"]

from collections.abc import Sequence

from .. import i18n
from ..i18n import N_, _, ngettext
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
    status_words,
    suppression,
    word,
    words,
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
from .words import category_word, level_words, money_words, summary


def _laws_line(side: CoverageFigures) -> str:
    return "; ".join(f"{law.id} ({law.version or word(law.status)}; {law.ref})"
                     for law in side.laws) or "—"  # fmt: skip


def _edits(raw: Sequence[RedlineEdit]) -> tuple[Edit, ...]:
    return tuple(Edit(e.kind, e.text, e.space) for e in raw)


#: a change in another language than the report's: `` (in Kazakh)`` after it
_IN = {"kk": N_("{change} (in Kazakh)"), "ru": N_("{change} (in Russian)"),
       "en": N_("{change} (in English)")}


def _in(change: str, lang: str | None) -> str:
    """A change (``reworded``) as words, with `` (in Kazakh)`` after it when its redline is
    in another language than the report's."""
    shown = words(change)
    return _(_IN[lang]).format(change=shown) if lang else shown


def _value(text: str | None) -> str:
    """A law's metadata value as shown: ``(none)`` for one a version does not give."""
    return _("(none)") if text is None else text


#: a field's text in one language (the draft's dotted key ``title.kk``)
_FIELD_IN = {"kk": N_("{field}.kk"), "ru": N_("{field}.ru"), "en": N_("{field}.en")}


def _field(name: str) -> str:
    """A field's name (``title``; ``title.kk``, its Kazakh text) in words."""
    base, _dot, lang = name.partition(".")
    return _(_FIELD_IN[lang]).format(field=word(base)) if lang in _FIELD_IN else word(name)


def _law_changes(law: LawChange) -> list[Block]:
    items: list[Item] = [Item(f"{_field(f.field)}: {_value(f.base)} → {_value(f.head)}")
                         for f in law.metadata]  # fmt: skip
    for a in law.articles:
        moved = a.base and a.head and a.base != a.head
        label = (_("article {base} → {head}").format(base=a.base, head=a.head) if moved
                 else _("article {number}").format(number=a.head or a.base))
        items.append(Item(_("{label}: {change}").format(
            label=label, change=_in(a.change, a.redline_language)), _edits(a.redline),
                          redline_lang=a.redline_language))
    for p in law.provisions:
        items.append(Item(_("{kind} {id}: {change}").format(
            kind=word(p.kind), id=p.id, change=_in(p.change, p.redline_language)),
                          _edits(p.redline),
                          children=tuple(Item(_field(f.field), was=f.base, now=f.head,
                                              changed_value=True) for f in p.fields),
                          redline_lang=p.redline_language))
    for n in (*law.parameters, *law.definitions):
        items.append(Item(f"{n.id}: {words(n.change)}", children=(
            Item(word("value"), was=n.base, now=n.head, changed_value=True),)))
    return [Heading(_("{law} ({change})").format(law=law.id, change=words(law.change)), 3),
            Bullets(tuple(items))]


def _total(side: ComponentSide, suppressed: bool, period: str | None) -> str:
    """A component's total: blank when suppressed, ``—`` when it pays no amount (or the
    side has no such component)."""
    return amount_range(side.amount, blank=period is not None and suppressed)


def _levels_text(levels: Levels | None) -> str:
    """A row's changes by level, compactly: ``status +5; components +9 -2; money ↑3 ↓1 ?4``."""
    if levels is None:
        return "—"
    parts = []
    for label, level in ((N_("status"), levels.status), (N_("categories"), levels.categories),
                         (N_("components"), levels.components)):  # fmt: skip
        g, x = level.gained, level.lost
        if g != 0 or x != 0:
            parts.append(f"{_(label)} +{count(g)} -{count(x)}")
    a = levels.amounts
    if a.higher != 0 or a.lower != 0 or a.uncertain != 0:
        parts.append(_("money ↑{higher} ↓{lower} ?{uncertain}").format(
            higher=count(a.higher), lower=count(a.lower), uncertain=count(a.uncertain)))
    return "; ".join(parts) or "—"


def _attribution_rows(data: ComparisonData) -> tuple[Attribution, ...]:
    return () if data.laws_changed is None else data.laws_changed.attribution


def _who_loses(data: ComparisonData) -> list[Block]:
    """Who loses, before the breakdowns: by level, component, category and provision."""
    changes = data.changes
    levels = "; ".join(level_words(changes.levels(), losses=True)) or _("suppressed")
    line = (_("A suppressed number of claims lose something: {levels}.").format(levels=levels)
            if data.lost is None else ngettext(
                "{n} claim loses something: {levels}.", "{n} claims lose something: {levels}.",
                data.lost).format(n=i18n.number(data.lost), levels=levels))
    if changes.amounts.lower == 0:
        line = _("{sentence} No claim surely receives less money.").format(sentence=line)
    out: list[Block] = [Heading(_("Who loses")), Para(line)]
    amounts = {r.component: r for r in changes.amounts.by_component}
    comps = [r for r in changes.components.by_component if r.lost != 0]
    if comps:
        def change(c: str) -> str:
            r = amounts.get(c)
            if r is None or (r.lower == 0 and r.uncertain == 0):
                return "—"
            return f"{amount_range(r.change, blank=True)} ({amount_label(r.period)})"

        out.append(Table((_("component lost"), _("kind"), _("claims"),
                          _("change of its total, all claims")),
                         tuple((r.component, word(r.kind), count(r.lost), change(r.component))
                               for r in comps)))  # fmt: skip
    cats = [r for r in changes.lost_by_category if r.claims != 0]
    if cats:
        out.append(Table((_("category under the base"), _("claims that lose")),
                         tuple((category_word(r.category) if r.category != "(none)"
                                else _("(in no category for sure)"), count(r.claims))
                               for r in cats)))  # fmt: skip
    rows = [r for r in _attribution_rows(data) if r.evaluated and r.lost_overall != 0]
    if rows:
        out.append(Table((_("responsible provision"), _("claims that lose"), _("how"),
                          _("amended by")),
                         tuple((r.provision, count(r.lost_overall), _levels_text(r.levels),
                                ", ".join(r.amended_by) or "—") for r in rows)))
        out.append(Para(_("claims that lose: of the claims that lose anything, those that "
                          "lose because of that provision (the head against the head without "
                          "it); how: everything the provision does, gains included.")))
    return out


def _attribution(data: ComparisonData) -> list[Block]:
    changed = data.laws_changed
    provisions: tuple[ChangedProvision, ...] = () if changed is None else changed.provisions
    if not provisions:
        return [Para(_("No provision changed."))]
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
        (_("provision"), _("change"), _("gained"), _("lost"), _("by level"), _("amended by")),
        (*((p.id, words(p.change), *moved(r), _levels_text(r.levels),
            ", ".join(r.amended_by) or "—") for p, r in moving),
         (_("interaction"), "—", *moved(inter), "—", "—")))]  # fmt: skip
    if idle:
        n = len(idle)
        out.append(Para(ngettext(
            "{n} provision changed nothing on this population: {provisions}.",
            "{n} provisions changed nothing on this population: {provisions}.", n).format(
                n=i18n.number(n), provisions=", ".join(idle))))
    if names:
        out.append(Para(ngettext(
            "{n} parameter or definition was added or removed with the provisions that use "
            "it, and is not measured alone (taking one back would leave those provisions "
            "naming nothing): {names}.",
            "{n} parameters and definitions were added or removed with the provisions that "
            "use them, and are not measured alone (taking one back would leave those "
            "provisions naming nothing): {names}.", len(names)).format(
                n=i18n.number(len(names)), names=", ".join(names))))
    if folded:
        out.append(Para(_("Amendments counted in the row of the provision they amend (above, "
                          "or among those that changed nothing): {amendments}.").format(
                              amendments=", ".join(folded))))
    out.append(Para(_("gained/lost: the claims that gain/lose at any level because of that "
                      "provision (the head against the head with only that provision taken "
                      "back); interaction: the claims that gain/lose although no single "
                      "provision makes them.")))
    return out


def comparison_view(title: str, data: ComparisonData) -> list[Block]:
    """``kzrehab diff`` and ``kzrehab compare``: the summary and who loses first."""
    suppressed = data.suppressed_below is not None
    b, h = data.base.status, data.head.status
    changes = data.changes
    out: list[Block] = [*preamble(title, data.as_of, data.population),
                        *suppression(data.suppressed_below), Heading(_("Summary")),
                        Bullets(tuple(Item(t) for t in summary(data)))]  # fmt: skip
    if data.lost != 0:
        out += _who_loses(data)
    out += [Heading(_("Laws compared")),
            Para(_("Base: {laws}").format(laws=_laws_line(data.base))),
            Para(_("Head: {laws}").format(laws=_laws_line(data.head)))]
    a = changes.amounts
    sides = (_("base"), _("head"))
    out += [Heading(_("Changes by level")),
            Table((_("level"), _("claims that gain"), _("claims that lose"),
                   _("may gain or lose")),
                  (*((_(label), count(lv.gained), count(lv.lost), "—")
                     for label, lv in ((N_("status"), changes.status),
                                       (N_("categories"), changes.categories),
                                       (N_("components"), changes.components))),
                   (_("amounts (money)"), count(a.higher), count(a.lower),
                    count(a.uncertain)))),
            Para(_("Gained: {gained}; lost: {lost} (at any level).").format(
                gained=claims(data.gained), lost=claims(data.lost))),
            Heading(_("Status")),
            RangeBars(_("Claims covered and left out (surely … possibly)"), _("claims"),
                      sides, (_("covered"), _("left out")),
                      tuple(zip(status_bars(b), status_bars(h), strict=True))),
            Table((_("status"), _("base"), _("head"), _("change")),
                  tuple((word(s), count(b.get(s)), count(h.get(s)),
                         signed(minus(h.get(s), b.get(s)))) for s in STATUSES)),
            Para(coverage_line(b, "base")), Para(coverage_line(h, "head")),
            Heading(_("Transitions"))]  # fmt: skip
    moves = [t for t in data.transitions if t.from_ != t.to]
    out.append(Flows(_("Claims by status: base → head"), status_words(STATUSES),
                     tuple(Flow(word(t.from_), word(t.to), t.claims)
                           for t in data.transitions)))  # fmt: skip
    out.append(Table((_("from"), _("to"), _("claims")),
                     tuple((word(t.from_), word(t.to), count(t.claims)) for t in moves)
                     or (("—", "—", "0"),)))  # fmt: skip
    cats = data.by_category
    gained_cat = {r.category: r for r in changes.categories.by_category}
    out += [Heading(_("By category"))]
    if cats:
        out.append(RangeBars(_("Claims by category (eligible … eligible + undetermined)"),
                             _("claims"), sides, tuple(r.category for r in cats),
                             tuple(tuple(RangeBar(r.category, s.eligible,
                                                  plus(s.eligible, s.undetermined))
                                         for s in (r.base, r.head)) for r in cats)))
    out += [Table((_("category"), _("base eligible"), _("base undetermined"),
                   _("head eligible"), _("head undetermined"), _("gained"), _("lost")),
                  tuple((r.category, count(r.base.eligible), count(r.base.undetermined),
                         count(r.head.eligible), count(r.head.undetermined),
                         *_gained_lost(gained_cat.get(r.category)))
                        for r in cats))]  # fmt: skip
    comp_moves = {r.component: r for r in changes.components.by_component}
    out += [Heading(_("By component")),
            Table((_("component"), _("kind"), _("base: surely"), _("possibly"),
                   _("head: surely"), _("possibly"), _("gained"), _("lost"), _("paid"),
                   _("base total"), _("head total")),
                  tuple((r.component, word(r.kind), count(r.base.claims),
                         count(r.base.undetermined),
                         count(r.head.claims), count(r.head.undetermined),
                         *_gained_lost(comp_moves.get(r.component)),
                         amount_label(r.period), _total(r.base, suppressed, r.period),
                         _total(r.head, suppressed, r.period))
                        for r in data.by_component)),
            Para(_("Totals are ranges of what the recipients may receive: at least what "
                   "those who surely receive a component surely get, at most what every "
                   "possible recipient could get. One-time and monthly amounts are never "
                   "added together."))]  # fmt: skip
    out += _money_tables(data)
    if data.gaps is not None:
        out += [Heading(_("What would decide whether the head helps")),
                Para(_("For the claims the head may help — undetermined under it, not "
                       "eligible under the base — the unknown facts that would decide them, "
                       "ranked by how many claims some value of theirs would settle (kzrehab "
                       "gaps)."))]
        out += gap_groups(data.gaps)
    out.append(Heading(_("Changed provisions and attribution")))
    out += _attribution(data)
    if data.laws_changed is not None:
        for law in data.laws_changed.laws:
            out += _law_changes(law)
        out += notices(data.laws_changed.notices)
    if data.claims is not None:
        out += [Heading(_("Claims that changed")),
                Table((_("claim"), _("from"), _("to"), _("gains"), _("loses"), _("categories"),
                       _("components"), _("money")),
                      tuple((c.id, word(c.from_), word(c.to),
                             ", ".join(word(g) for g in c.gains) or "—",
                             ", ".join(word(x) for x in c.loses) or "—",
                             " ".join([*(f"+{x}" for x in c.categories_gained),
                                       *(f"-{x}" for x in c.categories_lost)]) or "—",
                             " ".join([*(f"+{x.component}" for x in c.components_gained),
                                       *(f"-{x.component}" for x in c.components_lost)])
                             or "—",
                             "; ".join(f"{word(m.period)} {money_words(m.change)}"
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
    out: list[Block] = [Heading(_("Money by period")), Table(
        (_("paid"), _("base total"), _("head total"), _("change of the total"),
         _("claims: more"), _("less"), _("may change")),
        tuple((amount_label(p), amount_range(base.get(p), blank=p in base),
               amount_range(head.get(p), blank=p in head),
               amount_range(moved.get(p, _ZERO).change, blank=True),
               *_moves(moved.get(p, _ZERO))) for p in periods))]  # fmt: skip
    rows: list[ComponentMoney] = [r for r in changes.by_component
                                  if r.higher != 0 or r.lower != 0 or r.uncertain != 0]
    if rows:
        out.append(Table((_("component"), _("paid"), _("claims: more"), _("less"),
                          _("may change"), _("change of its total")),
                         tuple((r.component, amount_label(r.period), *_moves(r),
                                amount_range(r.change, blank=True)) for r in rows)))
    out.append(Para(_("A claim's money changes by a range: from what it may receive under "
                      "the base to what it may receive under the head, component by "
                      "component; 'may change' when that range spans zero. The change of a "
                      "total is summed claim by claim, a claim whose range is the same on "
                      "both sides counting 0: it is narrower than the head's total minus the "
                      "base's, whose ends subtract every claim's whole range.")))
    return out


def _moves(m: MoneyMoves | PeriodMoney | ComponentMoney) -> tuple[str, str, str]:
    return count(m.higher), count(m.lower), count(m.uncertain)
