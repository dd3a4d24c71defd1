"""Reports: one report object per command, rendered as text, Markdown, HTML or JSON.

A :class:`Report` is a command's JSON data (SPEC §7, documented in the JSON page of the
docs) with a title and a kind. Its text, Markdown and HTML renderings are built from that
data only (:mod:`kzrehab.reports.views`), so every format shows the same figures. For
publication, :meth:`Report.suppressed` blanks the cells counting fewer than K claims
(:mod:`kzrehab.reports.privacy`) before anything is rendered.

Reports show aggregates. Per-claim results appear only when the command is asked for
them (``--claims``), and ``explain`` shows the one claim it is asked about by its id.

>>> from kzrehab.reports import Report
>>> r = Report("gaps", "Gaps in drafts/bills", {"schema": "kzrehab/2", "as_of": "2026-01-01",
...            "laws": ["drafts/bills"], "by": "status", "groups": []})
>>> print(r.render("text"))
Gaps in drafts/bills
====================
<BLANKLINE>
Assessment date: 2026-01-01
<BLANKLINE>
Laws: drafts/bills
<BLANKLINE>
"""

from __future__ import annotations

__all__ = ["Report", "FORMATS", "KINDS"]

import json
from typing import Any

import attrs

from .blocks import Block
from .privacy import suppress
from .text import render_markdown, render_text
from .views import VIEWS

#: the formats every evaluating command offers
FORMATS = ("text", "md", "html", "json")
#: the kinds of report, one per command (``diff`` and ``compare`` share one)
KINDS = tuple(VIEWS)


@attrs.frozen
class Report:
    """A command's report: its ``kind`` (a key of :data:`KINDS`), a title and its JSON data."""

    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    title: str
    data: dict[str, Any]

    def suppressed(self, k: int | None) -> Report:
        """This report with the cells counting fewer than ``k`` claims blanked (None: as is)."""
        if k is None:
            return self
        return attrs.evolve(self, data=suppress(self.data, k))

    def json_data(self) -> dict[str, Any]:
        """The JSON document: the data, and for a comparison its summary in sentences
        (made from the data as it is, suppressed or not, as the other formats are)."""
        if self.kind != "comparison":
            return self.data
        from .words import summary

        return {**self.data, "summary": summary(self.data)}

    def blocks(self) -> list[Block]:
        """The report's blocks (:mod:`kzrehab.reports.blocks`), built from its data."""
        return VIEWS[self.kind](self.title, self.data)

    def render(self, fmt: str) -> str:
        """The report as ``text``, ``md``, ``html`` or ``json``."""
        if fmt == "json":
            return _json(self.json_data())
        if fmt == "text":
            return render_text(self.blocks())
        if fmt == "md":
            return render_markdown(self.blocks())
        if fmt == "html":
            from .html import render_html

            return render_html(self.title, self.blocks(), footer=_footer(self.data))
        raise ValueError(f"unknown report format '{fmt}' (one of: {', '.join(FORMATS)})")


def _json(data: dict[str, Any]) -> str:
    """The JSON document, indented; a ``claims`` list has one claim a line (readable, and
    written by the C encoder: indenting a million claims in pure Python takes minutes)."""
    claims = data.get("claims")
    if not isinstance(claims, list) or not claims:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = json.dumps({**data, "claims": []}, indent=2, ensure_ascii=False)
    marker = '\n  "claims": []'
    at = text.rindex(marker)
    rows = ",\n".join("    " + json.dumps(c, ensure_ascii=False) for c in claims)
    return f'{text[:at]}\n  "claims": [\n{rows}\n  ]{text[at + len(marker):]}\n'


def _footer(data: dict[str, Any]) -> str:
    from .._version import __version__

    return (f"kzrehab {__version__} · JSON schema {data.get('schema', '—')} · "
            f"assessment date {data.get('as_of', '—')}")  # fmt: skip
