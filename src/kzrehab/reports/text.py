"""Render report blocks as plain text (aligned tables for a terminal) or Markdown (tables
that paste into a pull request or a memo). Charts are left out: the tables next to them
carry the same figures."""

from __future__ import annotations

__all__ = ["render_text", "render_markdown", "render_redline", "numeric_columns", "is_number",
           "plain"]  # fmt: skip

import re
from collections.abc import Iterable, Sequence

from ..i18n import _
from .blocks import Block, Bullets, Edit, Heading, Item, Para, Table

#: a formatted number: 1,234 · +12 · -3 · 12.5% · 1,234.00 … 5,678.00 · ∞; in Kazakh and
#: Russian 1 234 (a no-break space) · 1 234,50 · 12,5 % (:mod:`kzrehab.i18n`)
_NUMBER = re.compile(r"^[+\-\u2212]?[\d,\xa0\u202f]+([.,]\d+)?(\xa0?%)?"
                     r"( … ([\d,\xa0\u202f]+([.,]\d+)?|∞))?$|^∞$|^—$")


def is_number(cell: str) -> bool:
    """Whether a formatted cell is a number (numbers are right-aligned)."""
    return bool(_NUMBER.match(cell)) and cell != "—"


def numeric_columns(t: Table) -> tuple[bool, ...]:
    """The table's numeric columns: as given, or those whose non-blank cells are numbers."""
    if t.numeric is not None:
        return t.numeric
    out = []
    for i in range(len(t.headers)):
        cells = [r[i] for r in t.rows if r[i] not in ("", "—")]
        out.append(bool(cells) and all(is_number(c) for c in cells))
    return tuple(out)


#: characters that must not reach a terminal or a Markdown line as they are: C0 and C1
#: controls (newlines, escape sequences), line and paragraph separators, and the bidi
#: controls that reorder what a reader sees
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: str) -> str:
    """``text`` on one line, its control characters shown as escapes (``\\n``, ``\\x1b``):
    a claim id, title or commit message can neither break a table or a heading nor send a
    terminal escape sequence."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


#: Markdown's inline syntax: emphasis, code, tables, raw HTML and entities, links
_MD_INLINE = re.compile(r"[\\`*_~|<>&@\[\]]")
#: what starts a block at the start of a line: headings, quotes, lists, thematic breaks and
#: setext underlines; a numbered list item (``1.`` / ``1)``) is escaped at its dot
_MD_LINE_START = re.compile(r"\A(\s*)([#>+\-=*]|\d{1,9}(?=[.)]))")
#: what GitHub turns into a link without any syntax
_MD_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)([:.])")


def _md_escape(text: str, *, cell: bool = False) -> str:
    """``text`` as literal Markdown: no HTML, entity, link, emphasis or code, on one line,
    and (outside table cells, where no block can start) no heading, quote or list."""
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(), plain(text))
    text = _MD_AUTOLINK.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)
    if not cell:
        text = _MD_LINE_START.sub(_escape_line_start, text.lstrip(" "))
    return text


def _escape_line_start(m: re.Match[str]) -> str:
    mark = m.group(2)
    if mark[0].isdigit():  # 1. or 1): the dot or bracket after the number is escaped
        return m.group(1) + mark + "\\"
    return m.group(1) + "\\" + mark


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span: fenced by more backticks than it holds in a row."""
    text = plain(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _markdown_table(t: Table) -> str:
    numeric = numeric_columns(t)
    head = "| " + " | ".join(_md_escape(h, cell=True) for h in t.headers) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = ["| " + " | ".join(_md_escape(c, cell=True) for c in r) + " |" for r in t.rows]
    return "\n".join([head, rule, *body])


def _text_table(t: Table) -> str:
    numeric = numeric_columns(t)
    t = Table(tuple(map(plain, t.headers)), tuple(tuple(map(plain, r)) for r in t.rows))
    widths = [max([len(h), *(len(r[i]) for r in t.rows)]) for i, h in enumerate(t.headers)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(t.headers), line(["-" * w for w in widths]), *map(line, t.rows)])


def render_redline(edits: Iterable[Edit], markdown: bool = False) -> str:
    """A redline as text (``[-old-]{+new+}``) or as Markdown (``~~old~~ **new**``)."""
    parts: list[str] = []
    for e in edits:
        text = _md_escape(e.text, cell=True) if markdown else plain(e.text)
        if e.kind == "delete":
            text = f"~~{text}~~" if markdown else f"[-{text}-]"
        elif e.kind == "insert":
            text = f"**{text}**" if markdown else f"{{+{text}+}}"
        parts.append((" " if parts and e.space else "") + text)
    return "".join(parts)


def _item(item: Item, markdown: bool, depth: int) -> list[str]:
    pad = "  " * depth
    if item.changed_value:
        if markdown:
            was = f"~~{_md_code(item.was)}~~ → " if item.was is not None else ""
            now = _md_code(item.now) if item.now is not None else _("(none)")
            out = [f"{pad}- {_md_escape(item.text)}: {was}{now}"]
        else:
            out = [f"{pad}  {plain(item.text)}:"]
            if item.was is not None:
                out.append(f"{pad}    - {plain(item.was)}")
            if item.now is not None:
                out.append(f"{pad}    + {plain(item.now)}")
    else:
        out = [f"{pad}- {_md_escape(item.text) if markdown else plain(item.text)}"]
    if item.redline:
        out.append(f"{pad}  > {render_redline(item.redline, markdown)}")
    for child in item.children:
        out += _item(child, markdown, depth + 1)
    return out


def _render(blocks: Sequence[Block], markdown: bool) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            if markdown:
                out.append(f"{'#' * b.level} {_md_escape(b.text)}")
            else:
                text = plain(b.text)
                out.append(f"{text}\n{('=' if b.level == 1 else '-') * len(text)}")
        elif isinstance(b, Para):
            out.append(_md_escape(b.text) if markdown else plain(b.text))
        elif isinstance(b, Table):
            out.append(_markdown_table(b) if markdown else _text_table(b))
        elif isinstance(b, Bullets):
            out.append("\n".join(line for i in b.items for line in _item(i, markdown, 0)))
        else:  # a chart: the tables carry its figures
            continue
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_text(blocks: Sequence[Block]) -> str:
    """Plain text for a terminal or a pipe."""
    return _render(blocks, markdown=False)


def render_markdown(blocks: Sequence[Block]) -> str:
    """GitHub-flavoured Markdown."""
    return _render(blocks, markdown=True)
