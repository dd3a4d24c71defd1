"""What every view shares: cells (counts, signed changes, money, ranges) and the parts
that open and close a report (title, date, population, suppression, notices)."""

from __future__ import annotations

__all__ = ["count", "signed", "money", "amount_range", "plus", "minus", "share", "claims",
           "amount_label", "preamble", "suppression", "status_bars", "coverage_line",
           "notices", "STATUSES", "word", "words", "status_word", "status_words"]  # fmt: skip

import datetime as dt
import math
from collections.abc import Sequence

from .. import i18n
from ..glossary import label
from ..i18n import N_, _, ngettext
from ..outcome import SHOWN_STATUSES
from .blocks import BLANK, Block, Bullets, Heading, Item, Para, RangeBar
from .data import PopulationInfo, Range, StatusCounts
from .words import period_unit

#: the statuses in the order reports show them
STATUSES = SHOWN_STATUSES

#: the glossary's kinds of codes (:mod:`kzrehab.glossary`) a value is looked up in first
_GLOSSARY_KINDS = ("status", "reparation")
#: the enum values of the data that reports show as words (JSON keeps them as they are):
#: how provisions and articles changed, the kinds of provisions and laws, the states of a
#: law, the values of explain's rows, the sides of a comparison, the scopes of facts
_WORDS = {w: w for w in (
    N_("added"), N_("removed"), N_("changed"), N_("unchanged"), N_("reworded"),
    N_("rule-changed"), N_("amended"), N_("renumbered"), N_("translated"), N_("retargeted"),
    N_("moved"), N_("ground"), N_("exclusion"), N_("component"), N_("amendment"),
    N_("article"), N_("law"), N_("bill"), N_("proposal"), N_("code"), N_("in-force"),
    N_("introduced"), N_("draft"), N_("repealed"), N_("adopted"), N_("true"), N_("false"),
    N_("unknown"), N_("in"), N_("out"), N_("maybe"), N_("received"), N_("possible"),
    N_("withheld"), N_("absent"), N_("event"), N_("claim"), N_("once"), N_("month"),
    N_("base"), N_("head"), N_("title"), N_("kind"), N_("status"), N_("version"),
    N_("effective"), N_("adopted"), N_("published"), N_("sources"), N_("value"),
    N_("heading"), N_("text"), N_("when"), N_("amount"), N_("period"), N_("category"),
    N_("categories"), N_("components"), N_("amounts"), N_("eligible"), N_("undetermined"),
    N_("ineligible"), N_("restitution"), N_("compensation"), N_("rehabilitation"),
    N_("satisfaction"), N_("non-repetition"))}


def word(value: str) -> str:
    """An enum value of the data (``eligible``, ``compensation``, ``added``, ``true``) as a
    word of the report's language: the glossary's form for a status or a form of
    reparation (:func:`kzrehab.glossary.label`), the catalog's for the others; an
    identifier or an unknown value as it is. In English, the value itself."""
    lang = i18n.current()
    if lang != "en":
        for kind in _GLOSSARY_KINDS:
            found = label(kind, value, lang)
            if found != value:
                return found
    return _(value) if value in _WORDS else value


def words(values: str, sep: str = "+") -> str:
    """Values joined by ``sep`` (a change ``reworded+rule-changed``), each as a word."""
    return sep.join(word(v) for v in values.split(sep))


def status_word(status: str) -> str:
    """A status (``eligible``) in the report's language (the glossary's form)."""
    return word(status)


def status_words(statuses: Sequence[str]) -> tuple[str, ...]:
    """Statuses in the report's language."""
    return tuple(word(s) for s in statuses)


def count(n: int | None) -> str:
    """A count with thousands separators; blank when suppressed."""
    return BLANK if n is None else i18n.number(n)


def signed(n: int | None) -> str:
    """A signed change; blank when suppressed."""
    return BLANK if n is None else i18n.signed(n)


def money(x: float | None) -> str:
    """An amount in tenge with thousands separators; ``∞`` for an unbounded side."""
    if x is None or math.isinf(x):
        return "∞"
    return i18n.decimal(x)


def amount_range(r: Range | None, blank: bool = False) -> str:
    """An amount range ``lo … hi`` (one value when known); blank when suppressed."""
    if r is None:
        return BLANK if blank else "—"
    return money(r.min) if r.min == r.max else f"{money(r.min)} … {money(r.max)}"


def minus(a: int | None, b: int | None) -> int | None:
    """``a - b``, blank when either is."""
    return None if a is None or b is None else a - b


def plus(a: int | None, b: int | None) -> int | None:
    """``a + b``, blank when either is."""
    return None if a is None or b is None else a + b


def share(n: int | None, total: int) -> str:
    """``n`` as a percentage of ``total``; blank when suppressed."""
    return BLANK if n is None else i18n.percent(n / max(total, 1))


def claims(n: int | None) -> str:
    """``1,234 claims``, or ``suppressed``."""
    if n is None:
        return _("suppressed")
    return ngettext("{n} claim", "{n} claims", n).format(n=i18n.number(n))


def amount_label(period: str | None) -> str:
    """How a period's amounts are labelled (``KZT, once``), ``—`` for no amount."""
    return "—" if period is None else period_unit(period)


def _population(p: PopulationInfo) -> Para:
    figures = dict(name=p.name, claims=i18n.number(p.claims), victims=i18n.number(p.victims),
                   events=i18n.number(p.events), digest=p.digest[:12])  # fmt: skip
    if p.synthetic:
        return Para(_("SYNTHETIC population '{name}': {claims} claims, {victims} victims, "
                      "{events} events (digest {digest})").format(**figures))
    return Para(_("population '{name}': {claims} claims, {victims} victims, {events} events "
                  "(digest {digest})").format(**figures))


def preamble(title: str, as_of: dt.date | str, population: PopulationInfo | None
             ) -> list[Block]:  # fmt: skip
    """The title, the assessment date and the population."""
    date = as_of if isinstance(as_of, str) else i18n.date(as_of)
    out: list[Block] = [Heading(title, 1), Para(_("Assessment date: {date}").format(date=date))]
    if population is not None:
        out.append(_population(population))
    return out


def suppression(k: int | None) -> list[Block]:
    """What a suppressed report says of its blank cells (nothing when not suppressed)."""
    if k is None:
        return []
    return [Para(_("For publication, cells counting fewer than {n} claims — and changes "
                   "computed from them — are left blank (--suppress-below {k}); a second "
                   "status count is blanked where one blank could be recovered from the "
                   "total.").format(n=i18n.number(k), k=k))]


def coverage_line(status: StatusCounts, side: str | None = None) -> str:
    """``Coverage: eligible … eligible + undetermined``; of the ``base`` or the ``head``
    (``Base coverage: …``) when ``side`` is given."""
    lo, hi = status.eligible, plus(status.eligible, status.undetermined)
    if lo is None or hi is None:
        return (_("Coverage: not shown (suppressed cells).") if side is None else
                _("Base coverage: not shown (suppressed cells).") if side == "base" else
                _("Head coverage: not shown (suppressed cells)."))  # fmt: skip
    line = (_("Coverage: {lo} … {hi} claims ({eligible} … {eligible} + {undetermined})")
            if side is None else
            _("Base coverage: {lo} … {hi} claims ({eligible} … {eligible} + {undetermined})")
            if side == "base" else
            _("Head coverage: {lo} … {hi} claims ({eligible} … {eligible} + {undetermined})"))
    return line.format(lo=i18n.number(lo), hi=i18n.number(hi), eligible=word("eligible"),
                       undetermined=word("undetermined"))  # fmt: skip


def status_bars(status: StatusCounts) -> tuple[RangeBar, RangeBar]:
    """Claims covered and left out, surely … possibly."""
    e, u, i = status.eligible, status.undetermined, status.ineligible
    return (RangeBar(_("covered"), e, plus(e, u)), RangeBar(_("left out"), i, plus(i, u)))


def notices(texts: Sequence[str]) -> list[Block]:
    """The notices of the laws read, under their heading (nothing without one)."""
    if not texts:
        return []
    return [Heading(_("Notices")), Bullets(tuple(Item(m) for m in texts))]
