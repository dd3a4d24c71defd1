"""The document model every report is rendered from.

A command builds one report object (:class:`~kzrehab.reports.Report`): its JSON data, and
the blocks below, built from that data only — so the text, Markdown, HTML and JSON
renderings always show the same numbers, suppressed cells included. Blocks hold text
already formatted for people; charts hold numbers. Text and Markdown leave charts out
(their tables carry the same figures); HTML draws them as inline SVG.
"""

from __future__ import annotations

__all__ = ["Block", "Heading", "Para", "Table", "Bullets", "Item", "Edit", "Chart",
           "RangeBars", "RangeBar", "Flows", "Flow", "Series", "Line", "BLANK"]  # fmt: skip

from typing import TypeAlias

import attrs

from ..redline import Edit

#: what a suppressed cell shows (an empty cell; the report says why)
BLANK = ""


@attrs.frozen
class Heading:
    """A heading; level 1 is the report's title."""

    text: str
    level: int = 2


@attrs.frozen
class Para:
    """A paragraph of plain text (no markup: renderers escape it)."""

    text: str


@attrs.frozen
class Table:
    """A table of formatted cells. ``numeric`` marks right-aligned columns (default: a
    column is numeric when every non-blank cell looks like a number)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] | None = None


@attrs.frozen
class Item:
    """A list item: a line of text, an optional redline (``> …`` under it), an optional
    change of a value (``was`` → ``now``, either may be None), and nested items."""

    text: str
    redline: tuple[Edit, ...] = ()
    was: str | None = None
    now: str | None = None
    changed_value: bool = False
    children: tuple[Item, ...] = ()
    #: the language of the redline when it is not the report's (``kk``, ``ru``, ``en``)
    redline_lang: str | None = None


@attrs.frozen
class Bullets:
    """A bulleted list."""

    items: tuple[Item, ...]


@attrs.frozen
class RangeBar:
    """One bar of a range chart: ``lo`` is surely (e.g. eligible), ``hi`` possibly (e.g.
    eligible + undetermined). ``None`` is a suppressed value: the bar is not drawn."""

    label: str
    lo: float | None
    hi: float | None


@attrs.frozen
class RangeBars:
    """Horizontal bars as ranges, one group per label; with two ``series`` (e.g. base and
    head) each label has one bar per series. ``bars[i]`` belongs to ``series[i % n]``."""

    title: str
    unit: str
    series: tuple[str, ...]
    labels: tuple[str, ...]
    bars: tuple[tuple[RangeBar, ...], ...]  # per label: one bar per series


@attrs.frozen
class Flow:
    """Claims moving from one status to another (``claims`` None when suppressed)."""

    source: str
    target: str
    claims: int | None


@attrs.frozen
class Flows:
    """The transitions between two versions: base statuses on the left, head on the right."""

    title: str
    statuses: tuple[str, ...]
    flows: tuple[Flow, ...]


@attrs.frozen
class Line:
    """One line of a time series (``None``: unknown or suppressed, a gap)."""

    name: str
    values: tuple[float | None, ...]


@attrs.frozen
class Series:
    """Values over successive points (oldest first), e.g. the tracker's coverage by commit."""

    title: str
    unit: str
    points: tuple[str, ...]
    lines: tuple[Line, ...]
    #: optional ranges drawn as a band between two lines: (lower line, upper line) by name
    band: tuple[str, str] | None = None


Chart: TypeAlias = RangeBars | Flows | Series
Block: TypeAlias = Heading | Para | Table | Bullets | Chart
