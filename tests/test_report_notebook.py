"""Results in a notebook: a report shows itself as HTML, and every result prints what it holds.

:meth:`Report._repr_html_` is the HTML rendering's body as one fragment whose style sheet is
scoped to it (nothing restyles the notebook around it; tests/test_browser.py checks that in
a browser); ``repr`` of a report and of every library result names what it holds instead of
``<… object at 0x…>`` (``LogDocument``'s: tests/test_history.py).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest

from kzrehab.attribution import compare
from kzrehab.evaluation import summarize
from kzrehab.gaps import gaps
from kzrehab.laws.framework import load_framework
from kzrehab.population import import_registry, load_population
from kzrehab.reports import Report
from kzrehab.reports.data import ComparisonData
from kzrehab.reports.html import SCOPE, render_html, render_html_fragment, scoped_style
from kzrehab.tracker.history import status

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 6, 1)
K = 10


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    pop = load_population(ROOT / "tests/data/sample.jsonl")
    base = load_framework([str(ROOT / "drafts/current")])
    head = load_framework([str(ROOT / "drafts/current"), str(ROOT / "drafts/bills/peasants.toml")])
    c = compare(base, head, pop, AS_OF)
    return {"population": pop, "base": base, "head": head, "comparison": c,
            "diff": c.coverage, "coverage": c.base, "summary": summarize(base, pop, AS_OF),
            "gaps": gaps(base, pop, AS_OF)}  # fmt: skip


def test_report_repr_names_kind_title_date_population(results: dict[str, Any]) -> None:
    r = Report.of(results["coverage"])
    name = results["population"].name
    assert repr(r) == ("<Report coverage 'Coverage of admin-offences + cpc-rehabilitation + "
                       "rehabilitation-1993 + victims-fund': as of 2025-06-01, population "
                       f"'{name}' (synthetic, 2,000 claims)>")
    assert repr(r.suppressed(K)).endswith(f"(synthetic, 2,000 claims), suppressed below {K}>")
    assert repr(r.suppressed(None)) == repr(r)


def test_report_of_every_result(results: dict[str, Any]) -> None:
    kinds = {"coverage": "coverage", "summary": "coverage", "comparison": "comparison",
             "diff": "comparison", "gaps": "gaps"}  # fmt: skip
    for key, kind in kinds.items():
        r = Report.of(results[key])
        assert r.kind == kind, key
        assert r.data.as_of == AS_OF
    assert Report.of(results["comparison"]).title == (
        "Comparison: admin-offences + cpc-rehabilitation + rehabilitation-1993 + victims-fund"
        " + peasants")
    assert Report.of(results["gaps"], "Mine").title == "Mine"
    # the comparison's report is the diff's plus the laws' changes and their attribution
    bare, full = Report.of(results["diff"]).data, Report.of(results["comparison"]).data
    assert isinstance(bare, ComparisonData) and isinstance(full, ComparisonData)
    assert bare.laws_changed is None and full.laws_changed is not None
    with pytest.raises(TypeError, match="no report of Framework"):
        Report.of(results["base"])


def test_repr_html_is_the_page_body_scoped(results: dict[str, Any]) -> None:
    r = Report.of(results["comparison"])
    frag, page = r._repr_html_(), r.render("html")
    root = ET.fromstring(frag)  # well-formed XML: one element
    assert root.tag == "div" and root.get("class") == SCOPE
    # the same content as the page's <main>, with the scoped style sheet instead of <head>
    main = page[page.index("<main>\n") + 7: page.index("\n</main>")]
    assert frag == (f'<div class="{SCOPE}" lang="en">\n<style>{scoped_style()}</style>\n'
                    f'{main}\n</div>\n')
    # the fragment says the report's language, as the page's <html> does
    kazakh = attrs.evolve(r, language="kk")._repr_html_()
    assert kazakh.startswith(f'<div class="{SCOPE}" lang="kk">')
    for bad in ("<html", "<head", "<body", "<meta", "<script", " id=", " src=",
                " href=", "url(", "@import"):
        assert bad not in frag, bad


def test_scoped_style_leaves_nothing_global() -> None:
    css = scoped_style()
    outside_media = re.sub(r"@media[^{]*\{", "", css).replace("\n}\n", "\n")
    rules = re.findall(r"([^{}]+)\{[^{}]*\}", outside_media)
    assert len(rules) > 20
    for head in rules:
        for sel in head.split(","):
            assert re.fullmatch(rf"\.{SCOPE}( [^ ].*)?", sel.strip()), sel
    # every rule of the page is kept; the page's own margin is not (not centred in a cell)
    page = re.search(r"<style>(.*)</style>", render_html("t", []), re.S)
    assert page is not None
    assert css.count("{") == page.group(1).count("{")
    scope = re.search(rf"\.{SCOPE} \{{ (padding[^}}]*)\}}", css)
    assert scope is not None and "margin" not in scope.group(1)
    assert "font: 15px/1.5" in scope.group(1)


def test_repr_html_suppressed_marks_blank_cells(results: dict[str, Any]) -> None:
    r = Report.of(results["comparison"]).suppressed(K)
    frag = r._repr_html_()
    assert 'class="num suppressed"' in frag
    assert frag == render_html_fragment(r.title, r.blocks(),
                                        footer=r.render("html").split("<footer><p>")[1]
                                        .split("</p></footer>")[0])


def test_every_result_prints_what_it_holds(results: dict[str, Any]) -> None:
    shown = {key: repr(value) for key, value in results.items()}
    state = status(ROOT / "drafts", population=results["population"], as_of=AS_OF)
    shown["status"] = repr(state)
    with tempfile.TemporaryDirectory() as tmp:
        import_registry(ROOT / "tests/data/sample.jsonl", Path(tmp) / "s.kzstore")
        stored = load_population(Path(tmp) / "s.kzstore")
        shown["stored"] = repr(stored)
    names = {"population": "InMemoryPopulation", "base": "Framework", "head": "Framework",
             "comparison": "Comparison", "diff": "CoverageDiff", "coverage": "Coverage",
             "summary": "CoverageSummary", "gaps": "Gaps", "status": "StatusDocument",
             "stored": "StoredPopulation"}  # fmt: skip
    for key, text in shown.items():
        assert text.startswith(f"<{names[key]} "), text
        assert " object at 0x" not in text, text
    assert "2,000 claims" in shown["stored"] and "1,215 gain" in shown["diff"]
