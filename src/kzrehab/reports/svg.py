"""Inline SVG drawings of the report charts (:data:`~kzrehab.reports.blocks.Chart`).

:func:`chart_svg` draws a :class:`RangeBars`, :class:`Flows` or :class:`Series` as one
``<svg>`` element for the HTML report: plain string building, no libraries, no scripts, no
external resources, and the same string for the same chart (coordinates have one decimal).
Every shape carries a ``<title>`` (its tooltip) with the exact number it stands for; a
suppressed value is never drawn, the chart says "suppressed" instead. Colours are the
Okabe-Ito palette, safe for colour-blind readers.
"""

from __future__ import annotations

__all__ = ["chart_svg", "esc", "PALETTE"]

import math
import re
from collections.abc import Sequence
from html import escape
from itertools import groupby

from kzrehab import i18n
from kzrehab.i18n import N_, _, ngettext
from kzrehab.reports.blocks import Chart, Flows, RangeBars, Series

#: Okabe-Ito colours (blue, orange, bluish green, reddish purple, sky blue, vermillion, …)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: status colours of a flow chart, in the order of its statuses (eligible, undetermined, …)
STATUS_COLOURS = ("#009E73", "#E69F00", "#D55E00", "#0072B2", "#CC79A7", "#56B4E9", "#000000")
#: what a chart shows instead of a suppressed value, and its tooltip (translated where used)
SUPPRESSED = N_("suppressed")
SUPPRESSED_WHY = N_("suppressed (fewer claims than the publication threshold)")
INK, MUTED, GRID = "#222222", "#595959", "#d9d9d9"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
CHAR_W = 7.0  # generous width of one character at 12px, for layout
#: a white outline behind a text drawn over shapes, to keep it readable
_HALO = {"stroke": "#ffffff", "stroke_width": "3", "stroke_opacity": "0.8",
         "paint_order": "stroke"}
#: characters XML 1.0 (and so well-formed XHTML) does not allow
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def chart_svg(chart: Chart) -> str:
    """One inline ``<svg>`` element drawing ``chart``, with a ``<title>`` and ``<desc>``.

    Raises :class:`ValueError` when the chart is inconsistent (as many bar groups as
    labels, as many values per line as points, a band naming two of the lines)."""
    if isinstance(chart, RangeBars):
        return _range_bars(chart)
    if isinstance(chart, Flows):
        return _flows(chart)
    return _series(chart)


# --- helpers -------------------------------------------------------------------------


def esc(text: str) -> str:
    """``text`` escaped for XML and HTML text and attributes; characters XML forbids
    (control characters, lone surrogates) become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", text))


def _c(x: float) -> str:
    """A coordinate with one decimal (never ``-0.0``)."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _num(v: float, places: int = 6) -> str:
    """A number with the language's separators and no trailing zeros: ``1,234`` or ``12.5``
    (``1 234``, ``12,5``)."""
    s = i18n.decimal(v, places)
    point = i18n.decimal(0.5, 1)[1:2]  # the language's decimal separator
    if point in s:
        s = s.rstrip("0").rstrip(point)
    return "0" if s in ("-0", "\u2212" + "0") else s


def _unit(v: float, unit: str) -> str:
    """The exact number with its unit, for tooltips: ``1,234 claims``, ``12.5%``; a whole
    number of claims in the form its number takes (``1 claim``; Russian has three)."""
    if unit == _("claims") and float(v).is_integer():
        return _claims(int(v))
    return _num(v) + (unit if unit in ("", "%") else " " + unit)


def _claims(n: int) -> str:
    """``n`` claims, in words."""
    return ngettext("{n} claim", "{n} claims", n).format(n=i18n.number(n))


def _val(v: float | None) -> float | None:
    """A drawable number, or None (not drawn) for None, NaN, infinities and magnitudes
    beyond 1e100 (where the scale's arithmetic would overflow)."""
    return float(v) if v is not None and abs(v) <= 1e100 else None


def _el(tag: str, attrs: dict[str, str | float], body: str = "") -> str:
    """An element; numbers become coordinates, strings are escaped."""
    head = " ".join([tag, *(f'{k}="{esc(v) if isinstance(v, str) else _c(v)}"'
                            for k, v in attrs.items())])
    return f"<{head}>{body}</{tag}>" if body else f"<{head}/>"


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: str = "1") -> str:
    return _el("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke,
                        "stroke-width": width})


def _tip(text: str) -> str:
    return f"<title>{esc(text)}</title>"


def _text(x: float, y: float, s: str, tip: str = "", **attrs: str) -> str:
    a: dict[str, str | float] = {"x": x, "y": y}
    a.update({k.replace("_", "-"): v for k, v in attrs.items()})
    return _el("text", a, esc(s) + (_tip(tip) if tip else ""))


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _svg(width: float, height: float, title: str, desc: str, body: Sequence[str]) -> str:
    w, h = _c(width), _c(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" '
        f'width="{w}" height="{h}" font-family="{esc(FONT)}" font-size="12" fill="{INK}">'
        f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>{''.join(body)}</svg>"
    )


def _legend(items: Sequence[tuple[str, str, str]], x0: float, y0: float, width: float
            ) -> tuple[list[str], float]:
    """Legend entries ``(kind, colour, label)`` (kind ``solid``, ``light`` or ``line``)
    in rows from (x0, y0); returns the SVG and the y below the legend."""
    out: list[str] = []
    x, y = x0, y0
    for kind, colour, label in items:
        need = 22 + len(label) * CHAR_W + 16
        if x > x0 and x + need > x0 + width:
            x, y = x0, y + 18
        if kind == "line":
            out.append(_line(x, y + 6, x + 16, y + 6, colour, "2"))
            out.append(_el("circle", {"cx": x + 8, "cy": y + 6, "r": 3.0, "fill": colour},
                           _tip(label)))
        else:
            a: dict[str, str | float] = {"x": x, "y": y, "width": 16.0, "height": 12.0}
            a.update(_light(colour) if kind == "light" else {"fill": colour})
            out.append(_el("rect", a, _tip(label)))
        out.append(_text(x + 22, y + 10, label))
        x += need
    return out, y + 18


def _light(colour: str) -> dict[str, str | float]:
    """The look of a "possibly" extension or a range: pale fill, dashed outline."""
    return {"fill": colour, "fill-opacity": "0.28", "stroke": colour, "stroke-dasharray": "3 2"}


def _nice_step(span: float, n: int = 4) -> float:
    raw = span / n
    mag = 10.0 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 5, 10) if raw <= m * mag * (1 + 1e-9))


# --- range bars ----------------------------------------------------------------------


def _range_bars(ch: RangeBars) -> str:
    if len(ch.bars) != len(ch.labels):
        raise ValueError(f"range chart {ch.title!r}: {len(ch.labels)} labels, "
                         f"{len(ch.bars)} groups of bars")
    vmax = max((v for g in ch.bars for b in g for v in (_val(b.lo), _val(b.hi))
                if v is not None), default=0.0)
    scale = vmax if vmax > 1e-9 else 1.0  # all zero (or suppressed): any scale will do
    label_w = min(max((len(s) for s in ch.labels), default=0), 34) * CHAR_W + 16
    plot_x, plot_w = max(label_w, 60.0), 400.0

    def value_text(lo: float | None, hi: float | None) -> str:
        if lo is None or hi is None:
            return _(SUPPRESSED)
        return _num(lo, 1) if lo == hi else f"{_num(lo, 1)} … {_num(hi, 1)}"

    texts = [value_text(_val(b.lo), _val(b.hi)) for g in ch.bars for b in g]
    width = plot_x + plot_w + max((len(t) for t in texts), default=0) * CHAR_W + 20
    series = [(s or _("series {n}").format(n=i + 1)) for i, s in enumerate(ch.series)] or [""]
    items = [("solid", PALETTE[i % len(PALETTE)], s) for i, s in enumerate(series) if s]
    items += [("solid", MUTED, _("surely")), ("light", MUTED, _("possibly"))]
    body, y = _legend(items, 8, 8, width - 16)
    top, y = y + 2, y + 6
    for label, group in zip(ch.labels, ch.bars, strict=True):
        group_h = max(len(group), 1) * 17 - 3
        body.append(_text(plot_x - 8, y + group_h / 2 + 4, _short(label, 34), label,
                          text_anchor="end"))
        for j, bar in enumerate(group):
            colour = PALETTE[j % len(series) % len(PALETTE)]
            name = ", ".join(s for s in (label, series[j % len(series)]) if s)
            body.append(_bar(name, bar.lo, bar.hi, ch.unit, colour, plot_x, y, plot_w / scale,
                             value_text(_val(bar.lo), _val(bar.hi))))
            y += 17
        y += 9 if group else 26
    y += 2
    body += [_line(plot_x, y, plot_x + plot_w, y, MUTED), _line(plot_x, top, plot_x, y, MUTED)]
    step = _nice_step(scale)
    for k in range(int(scale / step + 1e-9) + 1):
        tx = plot_x + k * step / scale * plot_w
        body.append(_line(tx, y, tx, y + 4, MUTED))
        body.append(_text(tx, y + 16, _num(k * step, 2), text_anchor="middle", fill=MUTED))
    body.append(_text(plot_x + plot_w / 2, y + 34, ch.unit, text_anchor="middle"))
    desc = _("Range bars (solid: surely, light: possibly) in {unit}. {bars}").format(
        unit=ch.unit or _("units"),
        bars="; ".join(f"{lab}, {series[j % len(series)]}: "
                       f"{value_text(_val(b.lo), _val(b.hi))}"
                       for lab, g in zip(ch.labels, ch.bars, strict=True)
                       for j, b in enumerate(g)))  # fmt: skip
    return _svg(width, y + 44, ch.title, desc, body)


def _bar(name: str, lo_: float | None, hi_: float | None, unit: str, colour: str,
         x: float, y: float, k: float, text: str) -> str:
    """One bar at (x, y), ``k`` pixels per unit; or "suppressed" without a bar."""
    lo, hi = _val(lo_), _val(hi_)
    if lo is None or hi is None:
        return _text(x + 6, y + 11, text, f"{name}: {_(SUPPRESSED_WHY)}",
                     fill=MUTED, font_style="italic")
    a, b = sorted((max(lo, 0.0), max(hi, 0.0)))
    w_lo, w_ext = a * k, (b - a) * k
    out = [_el("rect", {"x": x, "y": y, "width": max(w_lo, 1.0), "height": 14.0,
                        "fill": colour}, _tip(_("{name}: surely {value}").format(
                            name=name, value=_unit(lo, unit))))]
    if w_ext >= 0.05:
        out.append(_el("rect", {"x": x + w_lo, "y": y + 0.5, "width": w_ext, "height": 13.0,
                                **_light(colour)}, _tip(_("{name}: possibly {value}").format(
                                    name=name, value=_unit(hi, unit)))))
    tip = f"{name}: {_unit(lo, unit)}" + ("" if lo == hi else f" … {_unit(hi, unit)}")
    out.append(_text(x + max(w_lo + w_ext, 1.0) + 6, y + 11, text, tip))
    return "".join(out)


# --- flows ---------------------------------------------------------------------------


def _flows(ch: Flows) -> str:
    statuses = list(dict.fromkeys([*ch.statuses, *(s for f in ch.flows
                                                     for s in (f.source, f.target))]))
    drawn = [f for f in ch.flows if f.claims is not None and f.claims > 0]
    hidden = [f for f in ch.flows if f.claims is None]
    if not statuses:
        return _svg(320, 40, ch.title, _("No transitions."),
                    [_text(8, 24, _("no transitions"))])
    idx = {s: i for i, s in enumerate(statuses)}
    out_n = {s: sum(f.claims or 0 for f in drawn if f.source == s) for s in statuses}
    in_n = {s: sum(f.claims or 0 for f in drawn if f.target == s) for s in statuses}
    total = sum(out_n.values())
    gap, top, node_w, width = 18.0, 44.0, 12.0, 660.0
    k = (280.0 - gap * (len(statuses) - 1)) / total if total else 0.0
    lx, rx = 170.0, width - 170.0 - node_w
    x1, x2, xm = lx + node_w, rx, width / 2

    def curve(y0: float, y1: float) -> str:  # from (x1, y0) to (x2, y1)
        return f"C{_c(xm)} {_c(y0)} {_c(xm)} {_c(y1)} {_c(x2)} {_c(y1)}"

    def stack(sizes: dict[str, int]) -> dict[str, tuple[float, float]]:
        pos, y = {}, top
        for s in statuses:
            pos[s] = (y, max(sizes[s] * k, 4.0))
            y += pos[s][1] + gap
        return pos

    left, right = stack(out_n), stack(in_n)
    body = [_text(lx + node_w, 20, _("base"), text_anchor="end", font_weight="bold"),
            _text(rx, 20, _("head"), font_weight="bold")]
    labels: list[tuple[float, str, str]] = []
    off_l, off_r = dict.fromkeys(statuses, 0.0), dict.fromkeys(statuses, 0.0)
    ends: dict[int, float] = {}
    for i in sorted(range(len(drawn)), key=lambda i: (idx[drawn[i].target], idx[drawn[i].source])):
        ends[i] = right[drawn[i].target][0] + off_r[drawn[i].target]
        off_r[drawn[i].target] += (drawn[i].claims or 0) * k
    for i in sorted(range(len(drawn)), key=lambda i: (idx[drawn[i].source], idx[drawn[i].target])):
        f, w = drawn[i], (drawn[i].claims or 0) * k
        y0, y1 = left[f.source][0] + off_l[f.source], ends[i]
        off_l[f.source] += w
        tip = f"{f.source} → {f.target}: {_claims(f.claims or 0)}"
        d = (f"M{_c(x1)} {_c(y0)}{curve(y0, y1)}L{_c(x2)} {_c(y1 + w)}"
             f"C{_c(xm)} {_c(y1 + w)} {_c(xm)} {_c(y0 + w)} {_c(x1)} {_c(y0 + w)}Z")
        colour = STATUS_COLOURS[idx[f.source] % len(STATUS_COLOURS)]
        body.append(_el("path", {"d": d, "fill": colour, "fill-opacity": "0.4",
                                 "stroke": colour, "stroke-width": "0.5"}, _tip(tip)))
        labels.append((y0 + w / 2 + 4, i18n.number(f.claims or 0), tip))
    for f in hidden:
        y0 = left[f.source][0] + left[f.source][1] / 2
        y1 = right[f.target][0] + right[f.target][1] / 2
        d = f"M{_c(x1)} {_c(y0)}{curve(y0, y1)}"
        tip = f"{f.source} → {f.target}: {_(SUPPRESSED_WHY)}"
        body.append(_el("path", {"d": d, "fill": "none", "stroke": MUTED, "stroke-width": "1.5",
                                 "stroke-dasharray": "4 3"}, _tip(tip)))
        body.append(_text(xm, (y0 + y1) / 2 - 4, _(SUPPRESSED), tip, text_anchor="middle",
                          font_size="11", fill=MUTED, **_HALO))
    for side, pos, counts, x in (("base", left, out_n, lx), ("head", right, in_n, rx)):
        for s in statuses:
            y, h = pos[s]
            partial = any(s == (f.source if side == "base" else f.target) for f in hidden)
            n = f"{'≥ ' if partial else ''}{i18n.number(counts[s])}"
            colour = STATUS_COLOURS[idx[s] % len(STATUS_COLOURS)]
            where = _("base") if side == "base" else _("head")
            tip = (_("{side}: {status}: {n} claims (and suppressed flows)") if partial else
                   _("{side}: {status}: {n} claims")).format(side=where, status=s, n=n)
            body.append(_el("rect", {"x": x, "y": y, "width": node_w, "height": h,
                                     "fill": colour}, _tip(tip)))
            tx, anchor = (x - 6, "end") if side == "base" else (x + node_w + 6, "start")
            body.append(_text(tx, y + h / 2 + 4, f"{_short(s, 16)} ({n})", tip,
                              text_anchor=anchor))
    last = top
    for y, text, tip in sorted(labels, key=lambda t: t[0]):
        last = max(y, last + 13)
        body.append(_text(x1 + 4, last, text, tip, font_size="11", **_HALO))
    height = max(max(p[0] + p[1] for p in (*left.values(), *right.values())), last) + 16
    desc = _("Transitions of claims from the base status (left) to the head status (right): "
             "{flows}.").format(flows="; ".join(
                 f"{f.source} → {f.target}: "
                 f"{_(SUPPRESSED) if f.claims is None else i18n.number(f.claims)}"
                 for f in ch.flows) or _("none"))  # fmt: skip
    return _svg(width, height, ch.title, desc, body)


# --- series --------------------------------------------------------------------------


def _series(ch: Series) -> str:
    n = len(ch.points)
    if any(len(line.values) != n for line in ch.lines):
        raise ValueError(f"series {ch.title!r}: every line needs one value per point ({n})")
    names = [line.name for line in ch.lines]
    if ch.band is not None and not all(b in names for b in ch.band):
        raise ValueError(f"series {ch.title!r}: band {ch.band!r} names unknown lines")
    vals = [[_val(v) for v in line.values] for line in ch.lines]
    finite = [v for vs in vals for v in vs if v is not None]
    lo, hi = min([0.0, *finite]), max([0.0, *finite])
    hi = hi if hi - lo > 1e-9 else lo + 1.0
    step = _nice_step(hi - lo)
    t0, t1 = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    ticks = [t0 + i * step for i in range(round((t1 - t0) / step) + 1)]
    tick_w = max(len(_num(t, 4)) for t in ticks) * CHAR_W
    plot_x, plot_w, plot_h, width = tick_w + 34, 520.0, 220.0, tick_w + 34 + 540
    items = [("line", PALETTE[i % len(PALETTE)], s) for i, s in enumerate(names)]
    if ch.band is not None:
        items.append(("light", PALETTE[names.index(ch.band[1]) % len(PALETTE)],
                      _("range: {lower} to {upper}").format(lower=ch.band[0],
                                                            upper=ch.band[1])))
    body, plot_y = _legend(items, 8, 8, width - 16)
    plot_y += 10

    def px(i: int) -> float:
        return plot_x + (plot_w / 2 if n == 1 else 10 + i * (plot_w - 20) / (n - 1))

    def py(v: float) -> float:
        return plot_y + plot_h - (v - t0) / (t1 - t0) * plot_h

    for t in ticks:
        body.append(_line(plot_x, py(t), plot_x + plot_w, py(t), GRID if t else MUTED))
        body.append(_text(plot_x - 6, py(t) + 4, _num(t, 4), text_anchor="end", fill=MUTED))
    mid = plot_y + plot_h / 2
    body.append(_text(14, mid, ch.unit, text_anchor="middle",
                      transform=f"rotate(-90 14 {_c(mid)})"))
    rotate = n > 6 or any(len(p) > 10 for p in ch.points)
    stride = max(1, math.ceil(n / 12))
    base = plot_y + plot_h
    for i, p in enumerate(ch.points):
        if (n - 1 - i) % stride == 0:
            x, y = px(i), base + 16
            extra = {"text_anchor": "end", "transform": f"rotate(-40 {_c(x)} {_c(y)})"} \
                if rotate else {"text_anchor": "middle"}
            body.append(_text(x, y, _short(p, 16), p, **extra))
    bottom = base + (max((min(len(p), 16) for p in ch.points), default=0) * CHAR_W * 0.65 + 30
                     if rotate else 32)
    if ch.band is not None:
        lo_v, hi_v = vals[names.index(ch.band[0])], vals[names.index(ch.band[1])]
        colour = PALETTE[names.index(ch.band[1]) % len(PALETTE)]
        both = [i for i in range(n) if lo_v[i] is not None and hi_v[i] is not None]
        for run in _runs(both):
            tip = _("{lower} to {upper}: {values}").format(
                lower=ch.band[0], upper=ch.band[1], values=", ".join(
                    f"{ch.points[i]}: {_unit(lo_v[i] or 0.0, '')} … "
                    f"{_unit(hi_v[i] or 0.0, ch.unit)}" for i in run))  # fmt: skip
            pts = [(px(i), py(hi_v[i] or 0.0)) for i in run]
            pts += [(px(i), py(lo_v[i] or 0.0)) for i in reversed(run)]
            if len(run) == 1:  # one point: a narrow box from lower to upper
                pts = [(x + d, y) for (x, y), ds in zip(pts, ((-4, 4), (4, -4)), strict=True)
                       for d in ds]
            body.append(_el("polygon", {"points": _pts(pts), "fill": colour,
                                        "fill-opacity": "0.18"}, _tip(tip)))
    for li, (line, vs) in enumerate(zip(ch.lines, vals, strict=True)):
        colour = PALETTE[li % len(PALETTE)]
        present = [i for i, v in enumerate(vs) if v is not None]
        for run in _runs(present):
            if len(run) > 1:
                tip = f"{line.name}: " + ", ".join(
                    f"{ch.points[i]}: {_unit(vs[i] or 0.0, ch.unit)}" for i in run)
                body.append(_el("polyline", {
                    "points": _pts([(px(i), py(vs[i] or 0.0)) for i in run]), "fill": "none",
                    "stroke": colour, "stroke-width": "2", "stroke-linejoin": "round"},
                    _tip(tip)))
        for i in present:
            tip = f"{line.name}, {ch.points[i]}: {_unit(vs[i] or 0.0, ch.unit)}"
            body.append(_el("circle", {"cx": px(i), "cy": py(vs[i] or 0.0), "r": 3.5,
                                       "fill": colour}, _tip(tip)))
    if not finite:
        body.append(_text(plot_x + plot_w / 2, mid, _("no data"), text_anchor="middle",
                          fill=MUTED))
    unit, lines = ch.unit or _("values"), ", ".join(names) or _("no lines")
    if n:
        desc = ngettext("Line chart of {unit} over {n} point from {first} to {last}: {lines}.",
                        "Line chart of {unit} over {n} points from {first} to {last}: {lines}.",
                        n).format(unit=unit, n=i18n.number(n), first=ch.points[0],
                                  last=ch.points[-1], lines=lines)  # fmt: skip
    else:
        desc = _("Line chart of {unit} over no points: {lines}.").format(unit=unit, lines=lines)
    return _svg(width, bottom, ch.title, desc, body)


def _runs(indices: Sequence[int]) -> list[list[int]]:
    """Consecutive runs: [0, 1, 3] → [[0, 1], [3]]."""
    return [[i for _, i in g] for _, g in groupby(enumerate(indices), lambda t: t[1] - t[0])]


def _pts(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_c(x)},{_c(y)}" for x, y in points)
