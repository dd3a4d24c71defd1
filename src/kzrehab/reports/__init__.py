"""Reports: one report object per command, rendered as text, Markdown, HTML or JSON.

A :class:`Report` is a command's typed data (:mod:`kzrehab.reports.data`) with a title and
a kind. Its JSON is the data's document function (docs/json.rst); its text, Markdown and
HTML renderings are built from the same data only (:mod:`kzrehab.reports.views`), so every
format shows the same figures. For publication, :meth:`Report.suppressed` blanks the
cells counting fewer than K claims (:mod:`kzrehab.reports.privacy`) before anything is
rendered. (``log`` and ``status`` still carry their JSON data, a ``dict``.)

In a notebook a report shows itself: :meth:`Report.of` makes the report of a library result
as its command makes it, its ``repr`` says what it is, and its ``_repr_html_`` is the HTML
rendering as one fragment whose style sheet applies to the report alone
(:func:`kzrehab.reports.html.render_html_fragment`).

Reports show aggregates. Per-claim results appear only when the command is asked for
them (``--claims``), and ``explain`` shows the one claim it is asked about by its id.

>>> import datetime as dt
>>> from kzrehab.reports import Report
>>> from kzrehab.reports.data import GapRanking, GapsData, PopulationInfo
>>> people = PopulationInfo("registry", 10, 10, 12, False, "9f86d081")
>>> data = GapsData(people, dt.date(2026, 1, 1), ("drafts/bills",), GapRanking("status", ()))
>>> r = Report("gaps", "Gaps in drafts/bills", data)
>>> r
<Report gaps 'Gaps in drafts/bills': as of 2026-01-01, population 'registry' (10 claims)>
>>> print(r.render("text"))
Gaps in drafts/bills
====================
<BLANKLINE>
Assessment date: 2026-01-01
<BLANKLINE>
population 'registry': 10 claims, 10 victims, 12 events (digest 9f86d081)
<BLANKLINE>
Laws: drafts/bills
<BLANKLINE>
"""

from __future__ import annotations

__all__ = ["Report", "FORMATS", "KINDS"]

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .. import i18n
from ..i18n import N_, _, ngettext
from .blocks import Block
from .data import (
    ComparisonData,
    CoverageData,
    Document,
    ExplainAgainstData,
    ExplainData,
    GapsData,
    document_json,
)
from .privacy import suppress
from .text import render_markdown, render_text
from .views import VIEWS

T = TypeVar("T")

if TYPE_CHECKING:
    from ..attribution import Comparison
    from ..comparison import CoverageDiff
    from ..coverage import Summaries
    from ..gaps import Gaps
    from . import tables

#: the formats every evaluating command offers (``csv`` and ``xlsx``: its tables,
#: :mod:`kzrehab.reports.tables`); ``coverage``, ``diff`` and ``compare`` offer ``parquet``
#: too, for their per-claim rows
FORMATS = ("text", "md", "html", "json", "csv", "xlsx")
#: the kinds of report, one per command (``diff`` and ``compare`` share one)
KINDS = tuple(VIEWS)
#: the data each kind of report carries
DATA: dict[str, type] = {"coverage": CoverageData, "comparison": ComparisonData,
                         "explain": ExplainData,
                         "explain-against": ExplainAgainstData, "gaps": GapsData}


def _check_data(report: Report, _: attrs.Attribute[Any], data: object) -> None:
    expected = DATA[report.kind]
    if not isinstance(data, expected):
        raise TypeError(f"a {report.kind} report carries {expected.__name__}, not "
                        f"{type(data).__name__} (kzrehab.reports.data builds it)")


@attrs.frozen
class _Title:
    """A title :meth:`Report.of` generates: its message (marked with ``N_``) and the
    values of its placeholders, translated when it is shown, in the language then."""

    message: str
    values: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return _(self.message).format(**dict(self.values))


@attrs.frozen
class Report:
    """A command's report: its ``kind`` (a key of :data:`KINDS`), a title and its data."""

    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    #: the title as given, or the one :meth:`of` generates (written in the language the
    #: report is shown in): read it as :attr:`title`
    _title: str | _Title = attrs.field(alias="title")
    #: the typed data (:mod:`kzrehab.reports.data`)
    data: Document = attrs.field(validator=_check_data)
    #: the language the report is written in (``kk``, ``ru``, ``en``; the HTML's ``lang``);
    #: None: the language output is written in when it is rendered
    #: (:func:`kzrehab.i18n.current`, which ``--lang`` sets)
    language: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(i18n.LANGUAGES)))
    #: the data before suppression (None: not suppressed), which the tables mark against
    original: Document | None = attrs.field(default=None, repr=False)

    @classmethod
    def of(cls, result: Summaries | Comparison | CoverageDiff | Gaps,
           title: str | None = None) -> Report:  # fmt: skip
        """The report of a library result, as its command makes it: of a
        :class:`~kzrehab.coverage.Coverage` (or its summary) the ``coverage`` report, of a
        :class:`~kzrehab.attribution.Comparison` or a bare
        :class:`~kzrehab.comparison.CoverageDiff` the ``comparison`` report, of
        :class:`~kzrehab.gaps.Gaps` the ``gaps`` report; titled as the command titles it
        unless ``title`` is given. In a notebook the report shows itself as HTML."""
        from ..attribution import Comparison
        from ..comparison import CoverageDiff
        from ..coverage import Summaries
        from ..gaps import Gaps
        from .data import comparison_data, coverage_data, gaps_data

        if isinstance(result, Summaries):
            return cls("coverage", title or _Title(N_("Coverage of {laws}"), (
                ("laws", " + ".join(result.framework.ids)),)), coverage_data(result))
        if isinstance(result, Comparison | CoverageDiff):
            d = result.coverage if isinstance(result, Comparison) else result
            base, head = d.base.framework.ids, d.head.framework.ids
            added = [i for i in head if i not in base]
            default = (_Title(N_("Comparison: {base} + {added}"), (
                ("base", " + ".join(base)), ("added", " + ".join(added)))) if added
                and list(base) == [i for i in head if i in base]
                else _Title(N_("Comparison: {base} → {head}"), (
                    ("base", " + ".join(base)), ("head", " + ".join(head)))))
            return cls("comparison", title or default, comparison_data(result))
        if isinstance(result, Gaps):
            return cls("gaps", title or _Title(N_("Evidence priorities for {laws}"), (
                ("laws", " + ".join(result.laws)),)), gaps_data(result))
        raise TypeError(f"no report of {type(result).__name__} (a Coverage, a Comparison, "
                        "a CoverageDiff or Gaps)")

    @property
    def title(self) -> str:
        """The title: as given, or the one :meth:`of` generates, in the report's language
        (the current one, :func:`kzrehab.i18n.current`, when it has none), so that a report
        rendered in another language than it was made in is titled in that language."""
        t = self._title
        return t if isinstance(t, str) else self._in_language(lambda: str(t))

    def suppressed(self, k: int | None) -> Report:
        """This report with the cells counting fewer than ``k`` claims blanked (None: as is)."""
        if k is None:
            return self
        return attrs.evolve(self, data=suppress(self.data, k), original=self.data)

    def tables(self) -> list[tables.Table]:
        """The report's tables (:func:`kzrehab.reports.tables.report_tables`, each a
        :class:`kzrehab.reports.tables.Table`): a suppressed report's mark the cells that
        suppression blanked."""
        from .tables import report_tables

        return self._in_language(lambda: report_tables(self.data, self.original))

    def json_data(self) -> dict[str, Any]:
        """The JSON document (:func:`kzrehab.reports.data.document_json`): for a comparison
        with its summary in sentences (made from the data as they are, suppressed or not,
        as the other formats are)."""
        return self._in_language(lambda: document_json(self.data))

    def _in_language(self, make: Callable[[], T]) -> T:
        """``make()`` in the report's language (the current one when it has none)."""
        if self.language is None:
            return make()
        with i18n.language(self.language):
            return make()

    def blocks(self) -> list[Block]:
        """The report's blocks (:mod:`kzrehab.reports.blocks`), built from its data, in its
        language."""
        return self._in_language(lambda: VIEWS[self.kind](self.title, self.data))

    def __repr__(self) -> str:
        return self._in_language(self._repr)

    def _repr(self) -> str:
        d = self.data
        p = d.population
        n = i18n.number(p.claims)
        claims = (ngettext("synthetic, {n} claim", "synthetic, {n} claims", p.claims)
                  if p.synthetic else ngettext("{n} claim", "{n} claims", p.claims)).format(n=n)
        text = _("<Report {kind} {title}: as of {date}, population {name} ({claims})>").format(
            kind=self.kind, title=repr(self.title), date=i18n.date(d.as_of),
            name=repr(p.name), claims=claims)
        if d.suppressed_below is not None:
            text = _("{report}, suppressed below {k}>").format(report=text[:-1],
                                                              k=d.suppressed_below)
        return text

    def _repr_html_(self) -> str:
        """The HTML rendering as a fragment for a notebook's output: the page's body and its
        style sheet scoped to the report (:func:`kzrehab.reports.html.render_html_fragment`)."""
        from .html import render_html_fragment

        return self._in_language(lambda: render_html_fragment(
            self.title, self.blocks(), footer=_footer(self.data)))

    def render(self, fmt: str) -> str:
        """The report as ``text``, ``md``, ``html`` or ``json``, in its language (the
        current one, :func:`kzrehab.i18n.current`, when it has none)."""
        return self._in_language(lambda: self._render(fmt))

    def _render(self, fmt: str) -> str:
        if fmt == "json":
            return _json(self.json_data())
        if fmt == "text":
            return render_text(self.blocks())
        if fmt == "md":
            return render_markdown(self.blocks())
        if fmt == "html":
            from .html import render_html

            return render_html(self.title, self.blocks(), footer=_footer(self.data))
        if fmt in FORMATS:
            raise ValueError(f"'{fmt}' is a format of tables: Report.tables(), written by "
                             "kzrehab.reports.spreadsheets.write_tables")
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


def _footer(data: Document) -> str:
    from .._version import __version__
    from .data import SCHEMA

    return _("kzrehab {version} · JSON schema {schema} · assessment date {date}").format(
        version=__version__, schema=SCHEMA, date=i18n.date(data.as_of))
