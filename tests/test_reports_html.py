"""The HTML rendering of reports and its SVG charts.

The page must be self-contained (no script, no network), escape every text, parse as XML,
mark suppressed cells, and draw every chart with exact numbers in its tooltips — without
crashing on empty, zero or suppressed data.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzrehab.reports.blocks import (
    Block,
    Bullets,
    Chart,
    Edit,
    Flow,
    Flows,
    Heading,
    Item,
    Line,
    Para,
    RangeBar,
    RangeBars,
    Series,
    Table,
)
from kzrehab.reports.html import CSP, SUPPRESSED_TITLE, render_html
from kzrehab.reports.svg import chart_svg

SVG = "{http://www.w3.org/2000/svg}"
SHAPES = ("rect", "path", "polyline", "polygon", "circle")
EVIL = "<script>alert(1)</script> & co"


def parse(doc: str) -> ET.Element:
    """The page as XML (the DOCTYPE line removed)."""
    first, rest = doc.split("\n", 1)
    assert first == "<!DOCTYPE html>"
    return ET.fromstring(rest)


def svg_of(chart: Chart) -> ET.Element:
    return ET.fromstring(chart_svg(chart))


def shapes(svg: ET.Element) -> list[ET.Element]:
    return [e for tag in SHAPES for e in svg.iter(SVG + tag)]


def tips(svg: ET.Element) -> list[str]:
    """The tooltips of the drawn shapes."""
    return [t.text or "" for e in shapes(svg) for t in e.findall(SVG + "title")]


def texts(svg: ET.Element) -> list[str]:
    """The visible texts (without their tooltips)."""
    return [e.text or "" for e in svg.iter(SVG + "text")]


def assert_finite_geometry(out: str) -> None:
    """Every coordinate has one decimal; no NaN or infinity anywhere in the geometry."""
    coords = re.findall(r' (?:x|y|x1|y1|x2|y2|cx|cy|width|height|r)="([^"]*)"', out)
    assert all(re.fullmatch(r"-?\d+\.\d", c) for c in coords)
    for attr in re.findall(r' (?:d|points|viewBox|transform)="([^"]*)"', out):
        assert re.fullmatch(r"[-\d., MCLZrotate()]*", attr), attr


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(tag) if cls in (e.get("class") or "").split()]


BARS = RangeBars("Eligible by category", "claims", ("base", "head"),
                 ("deported peoples", "special settlers"),
                 ((RangeBar("", 4000, 5200), RangeBar("", 4500, 4500)),
                  (RangeBar("", 1200, 1900), RangeBar("", None, None))))
FLOWS = Flows("Status changes", ("eligible", "undetermined", "ineligible"),
              (Flow("eligible", "eligible", 7900), Flow("eligible", "ineligible", None),
               Flow("undetermined", "eligible", 1234), Flow("ineligible", "undetermined", 0),
               Flow("ineligible", "ineligible", 2700)))
SERIES = Series("Coverage by commit", "claims", ("a1", "b2", "c3", "d4", "e5"),
                (Line("eligible", (7000, 7100, None, 7300, 7400)),
                 Line("possibly", (8000, 8100, None, 8300, 12345))),
                band=("eligible", "possibly"))


def realistic() -> list[Block]:
    return [
        Heading("Coverage", 1),
        Para("Population: 12,000 synthetic claims."),
        Heading("Status"),
        Table(("Status", "Claims", "Share"),
              (("eligible", "8,123", "67.7%"), ("undetermined", "", ""),
               ("ineligible", "3,400", "28.3%"))),
        Heading("Changes", 3),
        Bullets((Item("Article 3 amended",
                      redline=(Edit("keep", "victims"), Edit("delete", "of"),
                               Edit("insert", "of political"), Edit("keep", "repression"),
                               Edit("keep", ",", space=False)),
                      children=(Item("min_age", was="16", now="14", changed_value=True),)),)),
        BARS, FLOWS, SERIES,
    ]


# --- the page ------------------------------------------------------------------------


def test_page_is_self_contained_xml() -> None:
    doc = render_html("Coverage report", realistic(), footer="kzrehab 1.0")
    root = parse(doc)
    assert root.tag == "html" and root.get("lang") == "en"
    head = root.find("head")
    assert head is not None
    metas = head.findall("meta")
    assert any(m.get("charset") == "utf-8" for m in metas)
    assert any(m.get("name") == "viewport" for m in metas)
    csp = [m.get("content") for m in metas if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [CSP] and "default-src 'none'" in CSP
    assert head.findtext("title") == "Coverage report"
    assert head.find("style") is not None and head.find("link") is None
    assert "<script" not in doc.lower() and not re.search(r"\son[a-z]+=", doc)
    assert not re.search(r"https?://", doc.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    assert len(list(root.iter("h1"))) == 1 and root.findtext(".//h1") == "Coverage"
    assert [e.tag for e in root.iter() if e.tag in ("h2", "h3")] == ["h2", "h3"]
    assert root.findtext(".//footer/p") == "kzrehab 1.0"
    assert len(list(root.iter(SVG + "svg"))) == 3
    assert [f.findtext("figcaption") for f in by_class(root, "figure", "chart")] == [
        BARS.title, FLOWS.title, SERIES.title]


def test_one_h1_the_title_when_blocks_have_none() -> None:
    def headings(blocks: list[Block]) -> list[tuple[str, str | None]]:
        root = parse(render_html("My & title", blocks))
        return [(e.tag, e.text) for e in root.iter() if re.fullmatch(r"h\d", e.tag)]

    assert headings([Heading("A"), Heading("B", 3)]) == [
        ("h1", "My & title"), ("h2", "A"), ("h3", "B")]
    assert headings([Heading("A", 1), Heading("B"), Heading("C", 1)]) == [
        ("h1", "A"), ("h2", "B"), ("h2", "C")]


def test_every_text_is_escaped() -> None:
    blocks: list[Block] = [
        Heading(EVIL), Para(EVIL), Table((EVIL, "n"), ((EVIL, "1"),)),
        Bullets((Item(EVIL, redline=(Edit("insert", EVIL),), was=EVIL, now=EVIL,
                      changed_value=True),)),
        RangeBars(EVIL, EVIL, (EVIL,), (EVIL,), ((RangeBar(EVIL, 1, 2),),)),
        Flows(EVIL, (EVIL, "b"), (Flow(EVIL, "b", 3), Flow("b", EVIL, None))),
        Series(EVIL, EVIL, (EVIL, "x"), (Line(EVIL, (1, 2)), Line("u", (2, 3))),
               band=(EVIL, "u")),
    ]
    doc = render_html(EVIL, blocks, footer=EVIL)
    assert "<script" not in doc and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in doc
    root = parse(doc)
    found = [e for e in root.iter() if EVIL in "".join(e.itertext())
             and not any(EVIL in "".join(c.itertext()) for c in e)]
    tags = {e.tag.replace(SVG, "svg:") for e in found}
    assert {"title", "h1", "h2", "p", "th", "td", "code", "ins", "figcaption",
            "svg:title", "svg:text", "svg:desc"} <= tags


def test_characters_xml_forbids_are_replaced() -> None:
    chart = RangeBars("t\x01", "\x02", ("\x03",), ("\x04",), ((RangeBar("", 1, 2),),))
    doc = render_html("a\x00b", [Para("c\x1fd\ud800"), chart], footer="\x0b")
    root = parse(doc)
    assert root.findtext(".//p") == "c\ufffdd\ufffd" and root.findtext("head/title") == "a\ufffdb"


def test_suppressed_cells_are_marked() -> None:
    root = parse(render_html("t", [Table(("Status", "Claims"),
                                         (("eligible", "8,123"), ("ineligible", "")))]))
    cells = list(root.iter("td"))
    blank = by_class(root, "td", "suppressed")
    assert len(blank) == 1 and blank[0] is cells[3]
    assert blank[0].get("title") == SUPPRESSED_TITLE and not blank[0].text
    assert (blank[0].get("class") or "").split() == ["num", "suppressed"]
    assert cells[1].get("class") == "num" and cells[0].get("class") is None
    assert [th.get("class") for th in root.iter("th")] == [None, "num"]


@pytest.mark.parametrize(("cells", "numeric", "expected"), [
    (("1,234", "+12", "-3", "12.5%", ""), None, True),
    (("1,234.00 … 5,678.00", "0.00", "—"), None, True),
    (("1,234", "n/a"), None, False),
    (("", ""), None, False),
    (("abc",), (True,), True),
    (("12",), (False,), False),
])
def test_numeric_columns_are_right_aligned(cells: tuple[str, ...],
                                           numeric: tuple[bool, ...] | None,
                                           expected: bool) -> None:
    table = Table(("h",), tuple((c,) for c in cells), numeric)
    root = parse(render_html("t", [table]))
    assert [th.get("class") == "num" for th in root.iter("th")] == [expected]
    assert all((td.get("class") or "").startswith("num") is expected for td in root.iter("td"))


def test_redline_and_changed_values() -> None:
    item = Item("Art. 3", redline=(Edit("keep", "victims"), Edit("delete", "of"),
                                   Edit("insert", "of political"), Edit("keep", "repression"),
                                   Edit("keep", ",", space=False)),
                children=(Item("a", was="16", now="14", changed_value=True),
                          Item("b", was=None, now="3", changed_value=True),
                          Item("c", was="3", now=None, changed_value=True),
                          Item("d", was="1", now="2")))
    root = parse(render_html("t", [Bullets((item,))]))
    quote = by_class(root, "blockquote", "redline")
    assert len(quote) == 1
    assert "".join(quote[0].itertext()) == "victims of of political repression,"
    assert [e.text for e in quote[0].iter("del")] == ["of"]
    assert [e.text for e in quote[0].iter("ins")] == ["of political"]
    outer = root.find(".//ul")
    assert outer is not None
    inner = outer.findall("./li/ul/li")
    assert ["".join(li.itertext()) for li in inner] == ["a 16 → 14", "b 3", "c 3 → (none)", "d"]
    assert [c.text for c in inner[0].iter("code")] == ["16", "14"]
    assert inner[0].find(".//del/code") is not None and inner[0].find(".//ins/code") is not None
    assert inner[1].find(".//del") is None
    assert inner[2].findtext(".//ins") == "(none)"


# --- charts --------------------------------------------------------------------------


def test_range_bars() -> None:
    svg = svg_of(BARS)
    assert svg.get("role") == "img" and svg.findtext(SVG + "title") == BARS.title
    assert svg.find(SVG + "desc") is not None and "viewBox" in svg.attrib
    bar_tips = tips(svg)
    for tip in ("deported peoples, base: surely 4,000 claims",
                "deported peoples, base: possibly 5,200 claims",
                "deported peoples, head: surely 4,500 claims",
                "special settlers, base: surely 1,200 claims",
                "special settlers, base: possibly 1,900 claims"):
        assert tip in bar_tips
    # lo == hi: no "possibly" extension; suppressed: no bar at all
    assert not any(t.startswith("deported peoples, head: possibly") for t in bar_tips)
    assert not any(t.startswith("special settlers, head") for t in bar_tips)
    shown = texts(svg)
    assert {"4,000 … 5,200", "4,500", "1,200 … 1,900", "suppressed", "claims"} <= set(shown)
    widths = {t.findtext(SVG + "title"): float(t.get("width", "0"))
              for t in svg.iter(SVG + "rect")}
    assert widths["deported peoples, head: surely 4,500 claims"] == pytest.approx(
        widths["deported peoples, base: surely 4,000 claims"] * 4500 / 4000, abs=0.1)


def test_flows() -> None:
    svg = svg_of(FLOWS)
    paths = list(svg.iter(SVG + "path"))
    path_tips = [p.findtext(SVG + "title") for p in paths]
    assert path_tips == ["eligible → eligible: 7,900 claims",
                         "undetermined → eligible: 1,234 claims",
                         "ineligible → ineligible: 2,700 claims",
                         "eligible → ineligible: suppressed (fewer claims than the "
                         "publication threshold)"]
    dashed = [p for p in paths if p.get("stroke-dasharray")]
    assert len(dashed) == 1 and dashed[0].get("fill") == "none"
    assert {"7,900", "1,234", "2,700", "suppressed"} <= set(texts(svg))
    assert not any("ineligible → undetermined" in t for t in tips(svg))  # 0: omitted
    nodes = {r.findtext(SVG + "title"): float(r.get("height", "0"))
             for r in svg.iter(SVG + "rect")}
    assert nodes["head: eligible: 9,134 claims"] == pytest.approx(
        nodes["base: eligible: ≥ 7,900 claims (and suppressed flows)"] * 9134 / 7900, abs=0.1)


def test_series() -> None:
    svg = svg_of(SERIES)
    lines = list(svg.iter(SVG + "polyline"))
    assert len(lines) == 4  # two lines, each broken by the gap at c3
    circles = [c.findtext(SVG + "title") for c in svg.iter(SVG + "circle")]
    assert "possibly, e5: 12,345 claims" in circles and "eligible, a1: 7,000 claims" in circles
    assert not any(", c3:" in (c or "") for c in circles)
    assert len([c for c in circles if c and ":" in c]) == 8
    assert len(list(svg.iter(SVG + "polygon"))) == 2  # the band, on both sides of the gap
    assert {"a1", "e5", "10,000", "claims"} <= set(texts(svg))


def test_series_with_one_point_draws_a_circle() -> None:
    svg = svg_of(Series("One", "%", ("2024-01-01",), (Line("share", (12.5,)),)))
    circles = [c for c in svg.iter(SVG + "circle") if c.findtext(SVG + "title") == (
        "share, 2024-01-01: 12.5%")]
    assert len(circles) == 1 and float(circles[0].get("r", "0")) > 0


def test_band_of_one_point_is_a_box() -> None:
    svg = svg_of(Series("One", "claims", ("a", "b", "c"),
                        (Line("lo", (1000, None, 5)), Line("hi", (2500, 7, None))),
                        band=("lo", "hi")))
    boxes = list(svg.iter(SVG + "polygon"))
    assert len(boxes) == 1 and len((boxes[0].get("points") or "").split()) == 4
    assert boxes[0].findtext(SVG + "title") == "lo to hi: a: 1,000 … 2,500 claims"


def test_every_shape_has_a_tooltip() -> None:
    for chart in (BARS, FLOWS, SERIES):
        svg = svg_of(chart)
        assert shapes(svg)
        assert all(e.find(SVG + "title") is not None for e in shapes(svg)), chart.title


@pytest.mark.parametrize("chart", [
    RangeBars("empty", "claims", ("base",), (), ()),
    RangeBars("zeros", "claims", ("base", "head"), ("a",),
              ((RangeBar("", 0, 0), RangeBar("", 0, 0)),)),
    RangeBars("all suppressed", "", (), ("a", "b"),
              ((RangeBar("", None, 3),), (RangeBar("", None, None),))),
    RangeBars("no bars", "claims", ("base",), ("a",), ((),)),
    Flows("empty", (), ()),
    Flows("zero", ("a", "b"), (Flow("a", "b", 0),)),
    Flows("all suppressed", ("a", "b"), (Flow("a", "b", None), Flow("b", "b", None))),
    Series("no points", "claims", (), (Line("x", ()),)),
    Series("no lines", "claims", ("a",), ()),
    Series("all unknown", "claims", ("a", "b"), (Line("x", (None, None)),), band=("x", "x")),
    Series("zeros", "claims", ("a", "b"), (Line("x", (0, 0)),)),
    Series("nan", "claims", ("a", "b"), (Line("x", (float("nan"), float("inf"))),)),
])
def test_degenerate_charts_do_not_crash(chart: Chart) -> None:
    out = chart_svg(chart)
    svg = ET.fromstring(out)
    assert svg.tag == SVG + "svg" and svg.findtext(SVG + "title") == chart.title
    assert_finite_geometry(out)
    parse(render_html("t", [chart]))


def test_suppressed_bars_are_not_drawn() -> None:
    svg = svg_of(RangeBars("s", "claims", ("base",), ("a",), ((RangeBar("", None, 9),),)))
    assert tips(svg) == ["base", "surely", "possibly"]  # the legend only
    assert "suppressed" in texts(svg)


@pytest.mark.parametrize("chart", [
    RangeBars("t", "u", ("a",), ("x", "y"), ((RangeBar("", 1, 2),),)),
    Series("t", "u", ("a", "b"), (Line("x", (1,)),)),
    Series("t", "u", ("a",), (Line("x", (1,)),), band=("x", "nope")),
])
def test_inconsistent_charts_are_refused(chart: Chart) -> None:
    with pytest.raises(ValueError):
        chart_svg(chart)


def test_output_is_deterministic() -> None:
    first = render_html("t", realistic(), footer="f")
    assert render_html("t", realistic(), footer="f") == first
    assert all(chart_svg(c) == chart_svg(c) for c in (BARS, FLOWS, SERIES))


# --- properties ----------------------------------------------------------------------

values = st.one_of(st.none(), st.just(0.0), st.integers(0, 10**9).map(float),
                   st.floats(0, 1e6, allow_nan=False))
# any text but control characters (replaced: see test_characters_xml_forbids_are_replaced)
names = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12)


@st.composite
def charts(draw: st.DrawFn) -> Chart:
    kind = draw(st.sampled_from(["bars", "flows", "series"]))
    if kind == "bars":
        series = draw(st.lists(names, min_size=1, max_size=3))
        labels = draw(st.lists(names, max_size=5))
        bars = tuple(tuple(RangeBar("", draw(values), draw(values)) for _ in series)
                     for _ in labels)
        return RangeBars(draw(names), draw(names), tuple(series), tuple(labels), bars)
    if kind == "flows":
        statuses = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        flows = draw(st.lists(st.builds(Flow, st.sampled_from(statuses),
                                        st.sampled_from(statuses),
                                        st.one_of(st.none(), st.integers(0, 10**7))),
                              max_size=9))
        return Flows(draw(names), tuple(statuses), tuple(flows))
    points = draw(st.lists(names, max_size=30))
    lines = draw(st.lists(st.builds(Line, names, st.lists(values, min_size=len(points),
                                                          max_size=len(points)).map(tuple)),
                          max_size=3))
    band = None
    if len(lines) >= 2 and draw(st.booleans()):
        band = (lines[0].name, lines[1].name)
    return Series(draw(names), draw(names), tuple(points), tuple(lines), band)


@settings(max_examples=150, deadline=None)
@given(charts())
def test_any_chart_is_well_formed(chart: Chart) -> None:
    out = chart_svg(chart)
    assert out == chart_svg(chart)
    svg = ET.fromstring(out)
    assert_finite_geometry(out)
    assert all(float(c) >= 0 for c in re.findall(r'(?:width|height)="([^"]*)"', out))
    if isinstance(chart, RangeBars):
        bars = [b for group in chart.bars for b in group]
        drawn = [b for b in bars if b.lo is not None and b.hi is not None]
        surely = [t for t in tips(svg) if ": surely " in t]
        assert len(surely) == len(drawn)
        assert texts(svg).count("suppressed") == len(bars) - len(drawn)
        unit = {"": "", "%": "%"}.get(chart.unit, " " + chart.unit)
        for bar in drawn:
            if bar.lo is not None and bar.lo.is_integer():
                assert any(t.endswith(f": surely {int(bar.lo):,}{unit}") for t in surely)
    elif isinstance(chart, Series):
        present = sum(v is not None for line in chart.lines for v in line.values)
        assert len([c for c in svg.iter(SVG + "circle") if c.find(SVG + "title") is not None]
                   ) == present + len(chart.lines)
    parse(render_html(chart.title, [chart]))
