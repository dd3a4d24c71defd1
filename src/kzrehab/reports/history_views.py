"""The blocks of the ``log`` and ``status`` reports, built from their typed data only.

The views read a :class:`~kzrehab.reports.history.LogDocument` or a
:class:`~kzrehab.reports.history.StatusDocument` — suppressed or not — so the text,
Markdown and HTML renderings show the figures the JSON holds, blank cells included.
:func:`render` turns a document into any of the four formats.
"""

from __future__ import annotations

__all__ = ["log_view", "status_view", "render"]

import json
from collections.abc import Callable

from .. import i18n
from ..i18n import _
from .blocks import Block, Bullets, Item, Line, Para, RangeBar, RangeBars, Series, Table
from .cells import count, preamble, signed, suppression
from .data.labels import labelled, value_label
from .history import (
    STATUSES,
    LogDocument,
    StatusChange,
    StatusCounts,
    StatusDocument,
    log_json,
    status_json,
)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def log_view(title: str, doc: LogDocument) -> list[Block]:
    """``kzrehab log``: coverage at every commit, newest first (the chart: oldest first)."""
    out = [*preamble(title, doc.as_of, doc.population), *suppression(doc.suppressed_below)]
    rows = doc.commits
    if not rows:
        return [*out, Para(_("No commit touched these files."))]
    laws = ", ".join(doc.laws)
    if doc.base:
        out.append(Para(_("Each row measures {laws} as committed at that commit, on top of "
                          "{base} (as given); gained/lost of the oldest row: against those "
                          "base laws alone.").format(laws=laws, base=", ".join(doc.base))))
    else:
        out.append(Para(_("Each row measures {laws} as committed at that commit, alone: laws "
                          "outside it are not included, so amendments of them are not "
                          "applied. To measure bills on top of the laws in force, give --base "
                          "(e.g. --base drafts/current).").format(laws=laws)))
    old = rows[::-1]

    def line(name: str, get: Callable[[StatusCounts], int | None]) -> Line:
        return Line(name, tuple(None if r.status is None else get(r.status) for r in old))

    def either(s: StatusCounts) -> int | None:
        e, u = s.eligible, s.undetermined
        return None if e is None or u is None else e + u

    lower, upper = _("eligible"), _("eligible + undetermined")
    out.append(Series(_("Coverage by commit, oldest first (eligible … eligible + undetermined)"),
                      _("claims"), tuple(r.commit.short for r in old),
                      (line(lower, lambda s: s.eligible), line(upper, either)),
                      band=(lower, upper)))  # fmt: skip

    def cells(status: StatusCounts | StatusChange | None, change: bool) -> tuple[str, ...]:
        if status is None:
            return ("—",) * 3
        return tuple(signed(getattr(status, s)) if change else count(getattr(status, s))
                     for s in STATUSES)  # fmt: skip

    def moved(gained: int | None, lost: int | None, evaluated: bool) -> tuple[str, str]:
        if not evaluated:
            return ("—", "—")  # an error
        if gained is None and not doc.suppressed_below:
            return ("—", "—")  # the oldest commit measured alone, or its parent an error
        return (count(gained), count(lost))

    out += [Table((_("commit"), _("date"), _("author"), _("law changed, version"),
                   _("eligible"), _("undetermined"), _("ineligible"), _("Δ eligible"),
                   _("Δ undetermined"), _("Δ ineligible"), _("gained"), _("lost"),
                   _("message")),
                  tuple((r.commit.short, i18n.date_time(r.commit.date),
                         r.commit.author, _short("; ".join(r.changed) or "—", 48),
                         *cells(r.status, False), *cells(r.change, True),
                         *moved(r.gained, r.lost, r.status is not None),
                         _short(r.commit.message, 60)) for r in rows)),
            Para(_("Δ: the change from the commit's parent (its first parent, listed or not; "
                   "a commit before which none of these files existed: its status). "
                   "gained/lost: the claims that gain/lose at any level (status, category, "
                   "component, money) from the parent."))]  # fmt: skip
    return out + _errors(_("Commits that could not be evaluated:"),
                         [(r.commit.short, r.error) for r in rows])


def status_view(title: str, doc: StatusDocument) -> list[Block]:
    """``kzrehab status``: every law in a directory, and what it adds to the laws in force."""
    rows = doc.laws
    table = []
    for r in rows:
        lc = r.last_change
        if lc is None:
            last = _("uncommitted")
        else:
            day, message = i18n.date(lc.date.date()), _short(lc.message, 50)
            last = (_("{date} {message} (+ uncommitted changes)") if r.uncommitted else
                    "{date} {message}").format(date=day, message=message)  # fmt: skip
        a = r.adds
        adds = ((_("error"), "—", "—", "—") if a is None else
                (count(a.gained), count(a.lost), signed(a.eligible), signed(a.undetermined)))
        table.append((r.id, _word(r.kind), _word(r.status), r.version or "—", last, *adds))
    out = [*preamble(title, doc.as_of, doc.population),
           Para(_("In force: {laws}").format(laws=", ".join(doc.in_force) or _("none"))),
           *suppression(doc.suppressed_below),
           RangeBars(_("Claims each law would add over the laws in force (gained)"),
                     _("claims"), (_("gained"),), tuple(r.id for r in rows),
                     tuple((RangeBar(r.id, g, g),) for r in rows
                           for g in [None if r.adds is None else r.adds.gained])),
           Table((_("law"), _("kind"), _("status"), _("version"), _("last change"),
                  _("gained"), _("lost"), _("Δ eligible"), _("Δ undetermined")), tuple(table)),
           Para(_("gained, lost: the claims that gain or lose anything (status, category, "
                  "component, money) with the law over the laws in force (an in-force law: "
                  "over the other laws in force); Δ: the change of the status counts."))]
    return out + _errors(_("Errors:"), [(r.id, r.error) for r in rows])


def _word(value: str) -> str:
    """An enum value (a law's kind or status) as the report's language writes it: itself in
    English."""
    return (value_label(value) or value) if labelled() else value


def _errors(heading: str, rows: list[tuple[str, str | None]]) -> list[Block]:
    """The rows that could not be evaluated, with why, under ``heading`` (none: nothing)."""
    items = tuple(Item(f"{name}: {error}") for name, error in rows if error is not None)
    return [Para(heading), Bullets(items)] if items else []


def render(title: str, doc: LogDocument | StatusDocument, fmt: str) -> str:
    """The report of ``doc`` as ``text``, ``md``, ``html`` or ``json``."""
    data = log_json(doc) if isinstance(doc, LogDocument) else status_json(doc)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    blocks = log_view(title, doc) if isinstance(doc, LogDocument) else status_view(title, doc)
    if fmt == "text":
        from .text import render_text

        return render_text(blocks)
    if fmt == "md":
        from .text import render_markdown

        return render_markdown(blocks)
    if fmt == "html":
        from .._version import __version__
        from .html import render_html

        footer = _("kzrehab {version} · JSON schema {schema} · assessment date {date}").format(
            version=__version__, schema=data["schema"], date=i18n.date(doc.as_of))
        return render_html(title, blocks, footer=footer, lang=i18n.current())
    raise ValueError(f"unknown report format '{fmt}' (one of: text, md, html, json)")
