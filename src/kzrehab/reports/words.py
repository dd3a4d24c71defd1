"""The opening of a ``diff`` or ``compare`` report in plain sentences, made from its data.

The sentences are generated from the report's typed data (:mod:`kzrehab.reports.data`) —
after suppression, so a blank count is never written out — for a policy officer to paste
into a memo: who gains and who loses, at which levels, in which categories, what it costs
once and per month, which provisions explain it, and whether the population is synthetic.
They are written in the report's language (:func:`kzrehab.i18n.current`): each sentence
is one message of the catalogs, its counts in the language's plural forms and its figures
in the language's format (:doc:`languages`).
"""

from __future__ import annotations

__all__ = ["summary", "level_words", "money_words", "PERIOD_WORDS", "period_words",
           "period_unit", "category_word"]  # fmt: skip

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from .. import i18n
from ..glossary import label
from ..i18n import N_, _, ngettext

if TYPE_CHECKING:  # the modules that define them: the data package reads these words
    from .data.common import Range
    from .data.comparison import ComparisonData, Levels

#: how a period is named in words and in table headings (English; :func:`period_words`
#: gives them in the report's language)
PERIOD_WORDS = {"once": N_("one-time payments"), "month": N_("monthly allowances")}
#: how a period's amounts are labelled (``{currency}``: KZT, or ₸ in Kazakh and Russian)
PERIOD_UNITS = {"once": N_("{currency}, once"), "month": N_("{currency} a month")}
_NO_CHANGE = {"once": N_("One-time payments: no change."),
              "month": N_("Monthly allowances: no change.")}
_CHANGE = {
    "once": N_("One-time payments: the total changes by {change} (claims that surely receive "
               "more: {higher}; surely less: {lower}; may receive a different amount: "
               "{uncertain})."),
    "month": N_("Monthly allowances: the total changes by {change} (claims that surely "
                "receive more: {higher}; surely less: {lower}; may receive a different "
                "amount: {uncertain})."),
}


def period_words(period: str) -> str:
    """A period in words (``one-time payments``) in the report's language."""
    return _(PERIOD_WORDS[period])


def period_unit(period: str) -> str:
    """How a period's amounts are labelled (``KZT, once``) in the report's language."""
    return _(PERIOD_UNITS[period]).format(currency=i18n.currency())


def _n(x: int | None) -> str:
    return _("a suppressed number of claims") if x is None else i18n.number(x)


def _claims(n: int) -> str:
    return ngettext("{n} claim", "{n} claims", n).format(n=i18n.number(n))


def _money(x: float | None, signed: bool = True) -> str:
    if x is None:
        return _("unbounded")
    return i18n.decimal(x, sign=signed)


def money_words(change: Range | None) -> str:
    """A change of money as a range in words: ``+1,000.00 … +2,000.00 KZT``."""
    if change is None:
        return _("a suppressed amount")
    lo, hi = change.min, change.max
    if lo is None and hi is None:
        return _("an unbounded change")
    if lo == hi:
        return f"{_money(lo)} {i18n.currency()}"
    return (f"{'-∞' if lo is None else _money(lo)} … {'+∞' if hi is None else _money(hi)} "
            f"{i18n.currency()}")  # fmt: skip


def level_words(levels: Levels, losses: bool) -> list[str]:
    """The levels at which claims gain (or lose), as phrases; blank counts said as such."""
    if losses:
        parts = (
            (levels.status.lost, N_("{n} fall in status")),
            (levels.categories.lost, N_("{n} lose a category")),
            (levels.components.lost, N_("{n} lose a component or keep it only possibly")),
            (levels.amounts.lower, N_("{n} surely receive less money")),
        )
    else:
        parts = (
            (levels.status.gained, N_("{n} rise in status")),
            (levels.categories.gained, N_("{n} gain a category")),
            (levels.components.gained, N_("{n} gain a component or may now receive it")),
            (levels.amounts.higher, N_("{n} surely receive more money")),
        )
    return [_(what).format(n=_n(n)) for n, what in parts if n != 0]


def category_word(category: str) -> str:
    """A category as the summary names it: in Kazakh and Russian the glossary's term, with
    its id in brackets (``жертва [victim]``), so that it can be found in the tables, which
    keep the ids; in English, and for a category the glossary does not have, its id."""
    lang = i18n.current()
    if lang != i18n.DEFAULT:
        found = label("category", category, lang)
        if found != category:
            return _("{term} [{id}]").format(term=found, id=category)
    return category


R = TypeVar("R")


def _top(rows: Sequence[R], value: Callable[[R], int | None], name: Callable[[R], str],
         k: int = 3) -> list[tuple[R, int]]:  # fmt: skip
    """The ``k`` rows with the largest shown non-zero value, with it (ties: by name)."""
    shown = [(r, v) for r in rows if (v := value(r)) is not None and v > 0]
    return sorted(shown, key=lambda rv: (-rv[1], name(rv[0])))[:k]


def _named(name: str, n: int) -> str:
    """``peasants:payment (10 claims)``."""
    return _("{name} ({claims})").format(name=name, claims=_claims(n))


def _list(items: Sequence[str]) -> str:
    return ", ".join(items)


def summary(data: ComparisonData) -> list[str]:
    """The summary sentences of a comparison's data."""
    changes = data.changes
    total = data.population.claims
    gained, lost = data.gained, data.lost
    figures = dict(total=i18n.number(total), gained=_n(gained), lost=_n(lost))
    out = [ngettext(
        "Of {total} claim, {gained} gain something under the head (the laws compared with "
        "the base) and {lost} lose something (a claim can do both; suppressed: fewer than "
        "the publication threshold).",
        "Of {total} claims, {gained} gain something under the head (the laws compared with "
        "the base) and {lost} lose something (a claim can do both; suppressed: fewer than "
        "the publication threshold).", total).format(**figures)
        if None in (gained, lost) else ngettext(
        "Of {total} claim, {gained} gain something under the head (the laws compared with "
        "the base) and {lost} lose something (a claim can do both).",
        "Of {total} claims, {gained} gain something under the head (the laws compared with "
        "the base) and {lost} lose something (a claim can do both).", total).format(**figures)]
    attribution = () if data.laws_changed is None else data.laws_changed.attribution
    rows = [r for r in attribution if r.provision != "interaction"]
    if lost == 0:
        out.append(_("No claim loses anything: no status, category or component falls, and "
                     "no one surely receives less money."))
    else:
        words = level_words(changes.levels(), losses=True)
        if words:
            line = _("Losses: {levels}.").format(levels="; ".join(words))
            if changes.amounts.lower == 0:
                line = _("{sentence} No claim surely receives less money.").format(
                    sentence=line)
            out.append(line)
        comps = _top(changes.components.by_component, lambda r: r.lost, lambda r: r.component,
                     k=5)  # fmt: skip
        if comps:
            out.append(_("Components lost or now only possible: {components}.").format(
                components=_list([_(
                    "{component} ({claims}: {replacements} takes its place where both apply "
                    "(instead_of), and whether these claims qualify for that is not known, so "
                    "this one is now only possibly received)").format(
                        component=r.component, claims=_claims(n),
                        replacements=", ".join(r.replaced_by))
                    if r.replaced_by else _named(r.component, n) for r, n in comps])))
        losers = _top(rows, lambda r: r.lost_overall, lambda r: r.provision, k=5)
        if losers:
            out.append(_("The losses come from: {provisions}.").format(
                provisions=_list([_named(r.provision, n) for r, n in losers])))
        cats = _top([r for r in changes.lost_by_category if r.category != "(none)"],
                    lambda r: r.claims, lambda r: r.category)
        nowhere = next((r.claims for r in changes.lost_by_category
                        if r.category == "(none)"), 0)  # fmt: skip
        if cats or nowhere:
            parts = [f"{category_word(r.category)} ({i18n.number(n)})" for r, n in cats]
            if nowhere:
                parts.append(_("in no category for sure ({n})").format(n=_n(nowhere)))
            out.append(_("Those who lose are, under the base: {categories} (a claim in several "
                         "categories counts in each).").format(categories=_list(parts)))
    words = level_words(changes.levels(), losses=False)
    if words:
        out.append(_("Gains: {levels}.").format(levels="; ".join(words)))
    gainers = _top(rows, lambda r: r.gained_overall, lambda r: r.provision)
    if gainers:
        out.append(_("The provisions that explain most of the gains: {provisions}.").format(
            provisions=_list([_named(r.provision, n) for r, n in gainers])))
    by_category = changes.categories.by_category
    gained_cats = _top(by_category, lambda r: r.gained, lambda r: r.category)
    if gained_cats:
        out.append(_("Largest gains by category: {categories}.").format(
            categories=_list([_named(category_word(r.category), n) for r, n in gained_cats])))
    lost_cats = _top(by_category, lambda r: r.lost, lambda r: r.category)
    if lost_cats:
        out.append(_("Categories lost: {categories}.").format(
            categories=_list([_named(category_word(r.category), n) for r, n in lost_cats])))
    periods = {r.period: r for r in changes.amounts.by_period}
    for period in ("once", "month"):
        m = periods.get(period)
        if m is None:
            out.append(_(_NO_CHANGE[period]))
        else:
            out.append(_(_CHANGE[period]).format(
                change=money_words(m.change), higher=_n(m.higher), lower=_n(m.lower),
                uncertain=_n(m.uncertain)))
    if data.population.synthetic:
        out.append(_("The population is synthetic: these figures show what the drafts would "
                     "do to a made-up population calibrated to published totals, not to real "
                     "people."))
    return out
