"""The HTML rendering of a report: one self-contained, printable HTML5 page.

:func:`render_html` turns the report's blocks (:mod:`kzrehab.reports.blocks`) into a page
that needs nothing else: the style sheet is inline, charts are inline SVG
(:mod:`kzrehab.reports.svg`), there is no JavaScript, and a Content-Security-Policy forbids
every network request. All text is escaped; numeric columns are right-aligned as in the
text rendering (:func:`kzrehab.reports.text.numeric_columns`). The markup is also
well-formed XML (every element closed, attributes quoted), so an XML parser can check it.

The page says its language (``<html lang="…">``: the report's, English unless asked;
a quoted redline in another language carries its own ``lang``). The font stack names, after
the system's own interface font, fonts with the Kazakh letters of the Cyrillic alphabet
(U+04D9 ә, U+0493, U+049B, U+04A3, U+04E9, U+04B1, U+04AF, U+04BB, U+0456 and their
capitals): "Segoe UI" (Windows), "Noto Sans" and "DejaVu Sans"
(Linux; fontconfig lists DejaVu Sans for ``:lang=kk``), before Roboto, Helvetica Neue and
Arial, so that a Kazakh text is set in one font rather than patched letter by letter from
another. ``tests/test_browser.py`` renders a Kazakh page in Chromium and checks that no
letter falls back to the missing-glyph box.
"""

from __future__ import annotations

__all__ = ["render_html", "render_html_fragment", "SCOPE", "CSP", "SUPPRESSED_TITLE"]

import re
from collections.abc import Sequence

from kzrehab.i18n import N_, _, current
from kzrehab.languages import check_language
from kzrehab.reports.blocks import (
    BLANK,
    Block,
    Bullets,
    Edit,
    Flows,
    Heading,
    Item,
    Para,
    RangeBars,
    Series,
    Table,
)
from kzrehab.reports.svg import chart_svg, esc
from kzrehab.reports.text import numeric_columns

#: the page may load nothing: inline styles and data: images only
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#: the class of a report embedded in another page (:func:`render_html_fragment`)
SCOPE = "kzrehab-report"
#: the tooltip of a suppressed (blank) table cell
SUPPRESSED_TITLE = N_("suppressed: fewer claims than the publication threshold")

_STYLE = """
:root { color-scheme: light; }
body { margin: 2rem auto; max-width: 62rem; padding: 0 1rem; color: #222; background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto,
  "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.7rem; margin: 0 0 1rem; border-bottom: 2px solid #0072B2; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p { margin: .5rem 0; }
.table { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .7rem; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid #999; background: #f4f6f8; }
tbody tr:nth-child(even) td { background: #fafafa; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.suppressed, tbody tr:nth-child(even) td.suppressed {
  background: repeating-linear-gradient(135deg, #eee 0 4px, #f8f8f8 4px 8px); }
ul { padding-left: 1.4rem; }
li { margin: .2rem 0; }
code { font: .9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
del { color: #a3360a; background: #fbe9e2; }
ins { color: #005a38; background: #e3f4ec; text-decoration: underline; }
blockquote.redline { margin: .3rem 0 .5rem; padding: .3rem .8rem; border-left: 3px solid #aaa;
  background: #f7f7f7; }
figure.chart { margin: 1rem 0 1.6rem; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .9rem; color: #555; margin-top: .3rem; }
footer { margin-top: 3rem; padding-top: .6rem; border-top: 1px solid #ccc; color: #555;
  font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  table, figure, blockquote { break-inside: avoid; }
  del, ins, td.suppressed { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render_html(
    title: str, blocks: Sequence[Block], *, footer: str | None = None, lang: str | None = None
) -> str:
    """One self-contained HTML5 document of ``blocks`` titled ``title``, in the language
    ``lang`` (the ``lang`` of ``<html>``: ``en``, ``kk`` or ``ru``; by default the language
    output is written in, :func:`kzrehab.i18n.current`).

    The first level-1 heading is the page's only ``<h1>`` (the title is used when there is
    none; a later level-1 heading becomes an ``<h2>``). ``footer`` is a closing line of
    small print. The result is also well-formed XML once its DOCTYPE line is removed."""
    lang = check_language(lang or current())
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"/>',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        *_body(title, blocks, footer),
        "</main>",
        "</body>",
        "</html>",
        "",
    ])


def render_html_fragment(title: str, blocks: Sequence[Block], *,
                         footer: str | None = None, lang: str | None = None) -> str:
    """The same report as one ``<div class="kzrehab-report">`` to embed in another page (a
    notebook's output, :meth:`kzrehab.reports.Report._repr_html_`).

    It holds the page's body and its style sheet with every rule scoped to that ``div``
    (:func:`scoped_style`), so nothing restyles the page around it; it has no ``id`` to
    clash with another report's, no script, and loads nothing. Where the host strips
    ``<style>`` (an untrusted notebook), the tables and lists still read as plain HTML.
    The result is well-formed XML."""
    return "\n".join([
        f'<div class="{SCOPE}" lang="{check_language(lang or current())}">',
        f"<style>{scoped_style()}</style>",
        *_body(title, blocks, footer),
        "</div>",
        "",
    ])


def scoped_style(style: str = _STYLE, scope: str = SCOPE) -> str:
    """The page's style sheet with every selector scoped to ``.scope``: ``:root`` and
    ``body`` become the scope itself (an embedded report is not centred on a page of its
    own: its margin is dropped), every other selector a descendant of it; ``@media``
    blocks are scoped inside."""
    out: list[str] = []
    for head, rules in re.findall(r"([^{}]+)\{((?:[^{}]|\{[^{}]*\})*)\}", style):
        head = head.strip()
        if head.startswith("@"):
            out.append(f"{head} {{{scoped_style(rules, scope)}}}")
            continue
        selectors = []
        for sel in head.split(","):
            sel = " ".join(sel.split())
            selectors.append(f".{scope}" if sel in (":root", "body") else f".{scope} {sel}")
        decls = " ".join(rules.split())
        if head == "body":
            decls = re.sub(r"(?:^|(?<=; ))(margin|max-width): [^;]*; ?", "", decls)
        out.append(f"{', '.join(selectors)} {{ {decls} }}")
    return "\n" + "\n".join(out) + "\n"


def _body(title: str, blocks: Sequence[Block], footer: str | None) -> list[str]:
    """The page's content: the headings, paragraphs, tables, lists and charts, and the
    footer."""
    body: list[str] = []
    has_h1 = False
    if not any(isinstance(b, Heading) and b.level <= 1 for b in blocks):
        body.append(f"<h1>{esc(title)}</h1>")
        has_h1 = True
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            if level == 1:
                level, has_h1 = (2 if has_h1 else 1), True
            body.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif isinstance(block, Para):
            body.append(f"<p>{esc(block.text)}</p>")
        elif isinstance(block, Table):
            body.append(_table(block))
        elif isinstance(block, Bullets):
            body.append(_list(block.items))
        elif isinstance(block, RangeBars | Flows | Series):
            body.append(f'<figure class="chart">{chart_svg(block)}'
                        f"<figcaption>{esc(block.title)}</figcaption></figure>")
    if footer is not None:
        body.append(f"<footer><p>{esc(footer)}</p></footer>")
    return body


def _table(table: Table) -> str:
    numeric = numeric_columns(table)

    def cls(i: int, *more: str) -> str:
        names = (["num"] if i < len(numeric) and numeric[i] else []) + list(more)
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f'<th scope="col"{cls(i)}>{esc(h)}</th>'
                   for i, h in enumerate(table.headers))
    rows = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            if cell == BLANK:
                cells.append(f'<td{cls(i, "suppressed")} title="{esc(_(SUPPRESSED_TITLE))}">'
                             "</td>")
            else:
                cells.append(f"<td{cls(i)}>{esc(cell)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="table"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table></div>")


def _list(items: Sequence[Item]) -> str:
    return "<ul>" + "".join(f"<li>{_item(item)}</li>" for item in items) + "</ul>"


def _item(item: Item) -> str:
    parts = [esc(item.text)]
    if item.changed_value:
        was = "" if item.was is None else f"<del><code>{esc(item.was)}</code></del> → "
        now = esc(_("(none)")) if item.now is None else f"<code>{esc(item.now)}</code>"
        parts.append(f' <span class="change">{was}<ins>{now}</ins></span>')
    if item.redline:
        lang = f' lang="{esc(item.redline_lang)}"' if item.redline_lang else ""
        parts.append(f'<blockquote class="redline"{lang}><p>{_redline(item.redline)}</p>'
                     "</blockquote>")
    if item.children:
        parts.append(_list(item.children))
    return "".join(parts)


def _redline(edits: Sequence[Edit]) -> str:
    out = []
    for n, edit in enumerate(edits):
        if n and edit.space:
            out.append(" ")
        text = esc(edit.text)
        out.append(f"<del>{text}</del>" if edit.kind == "delete"
                   else f"<ins>{text}</ins>" if edit.kind == "insert" else text)
    return "".join(out)
