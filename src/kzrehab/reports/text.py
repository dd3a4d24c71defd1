"""Render report blocks as plain text (aligned tables for a terminal) or Markdown (tables
that paste into a pull request or a memo). Charts are left out: the tables next to them
carry the same figures."""

from __future__ import annotations

__all__ = ["render_text", "render_markdown", "render_redline", "numeric_columns", "is_number"]

import re
from collections.abc import Iterable, Sequence

from .blocks import Block, Bullets, Edit, Heading, Item, Para, Table

#: a formatted number: 1,234 · +12 · -3 · 12.5% · 1,234.00 … 5,678.00 · ∞
_NUMBER = re.compile(r"^[+\-\u2212]?[\d,]+(\.\d+)?%?( … ([\d,]+(\.\d+)?|∞))?$|^∞$|^—$")


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


def _md_escape(text: str) -> str:
    for ch in "\\*_~|`":
        text = text.replace(ch, "\\" + ch)
    return text


def _markdown_table(t: Table) -> str:
    numeric = numeric_columns(t)
    head = "| " + " | ".join(_md_escape(h) for h in t.headers) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in t.rows]
    return "\n".join([head, rule, *body])


def _text_table(t: Table) -> str:
    numeric = numeric_columns(t)
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
        text = _md_escape(e.text) if markdown else e.text
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
            was = f"~~`{item.was}`~~ → " if item.was is not None else ""
            now = f"`{item.now}`" if item.now is not None else "(none)"
            out = [f"{pad}- {_md_escape(item.text)}: {was}{now}"]
        else:
            out = [f"{pad}  {item.text}:"]
            if item.was is not None:
                out.append(f"{pad}    - {item.was}")
            if item.now is not None:
                out.append(f"{pad}    + {item.now}")
    else:
        out = [f"{pad}- {_md_escape(item.text) if markdown else item.text}"]
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
                out.append(f"{b.text}\n{('=' if b.level == 1 else '-') * len(b.text)}")
        elif isinstance(b, Para):
            out.append(_md_escape(b.text) if markdown else b.text)
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
