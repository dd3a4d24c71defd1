"""HTML reports in a real browser: headless Chromium through Selenium.

A realistic report (every kind of block, every kind of chart) is opened from a file: each
chart must be laid out and draw visible shapes, and the console must stay free of errors
(a Content-Security-Policy violation, say). A second page with an external image proves
the console check can fail. Needs Debian's ``chromium`` and ``chromium-driver`` (installed
by ``.ci/run``); the module is skipped, saying which is missing, where they are not.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from kzrehab.reports.blocks import (
    Block,
    Bullets,
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
from kzrehab.reports.html import SCOPE, render_html, render_html_fragment

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
_MISSING = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
if _MISSING:
    pytest.skip(f"no browser for the HTML report test: {', '.join(_MISSING)} missing "
                "(Debian packages chromium and chromium-driver; .ci/run installs them)",
                allow_module_level=True)

TITLE = "Coverage of draft 2024-05 & bill 17"
OPTIONS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync")

#: for every svg: its box, and how many of its data shapes (those with a tooltip) are
#: drawn with a non-empty box
_MEASURE = """
return Array.from(document.querySelectorAll('svg')).map(function (svg) {
  var r = svg.getBoundingClientRect();
  var shapes = svg.querySelectorAll('rect, path, polyline, polygon, circle');
  var drawn = Array.from(shapes).filter(function (s) {
    var b = s.getBBox();
    return s.querySelector('title') !== null && (b.width > 0 || b.height > 0);
  });
  return [r.width, r.height, drawn.length];
});
"""


def report() -> list[Block]:
    """A report with one block of each kind and one chart of each kind."""
    commits = tuple(f"{i * 2654435761 % 16**7:07x}" for i in range(14))
    return [
        Heading(TITLE, 1),
        Para("Population: 12,000 synthetic claims <registry v3>, assessed on 2024-05-01."),
        Heading("Status"),
        Table(("Status", "Claims", "Share", "Compensation (KZT)"),
              (("eligible", "8,123", "67.7%", "1,234.00 … 5,678.00"),
               ("undetermined", "", "", "—"),
               ("ineligible", "3,400", "28.3%", "0.00"))),
        Heading("By category", 3),
        RangeBars("Eligible claims by category", "claims", ("base", "head"),
                  ("deported peoples", "special settlers", "children born in exile"),
                  ((RangeBar("", 4000, 5200), RangeBar("", 4500, 5600)),
                   (RangeBar("", 1200, 1200), RangeBar("", 1900, 2600)),
                   (RangeBar("", 300, 800), RangeBar("", None, None)))),
        Heading("Transitions"),
        Flows("Status changes from base to head", ("eligible", "undetermined", "ineligible"),
              (Flow("eligible", "eligible", 7900), Flow("eligible", "undetermined", 120),
               Flow("eligible", "ineligible", None), Flow("undetermined", "eligible", 400),
               Flow("undetermined", "undetermined", 500), Flow("ineligible", "eligible", 300),
               Flow("ineligible", "ineligible", 2700), Flow("undetermined", "ineligible", 0))),
        Heading("Changed provisions"),
        Bullets((Item("Article 3 amended",
                      redline=(Edit("keep", "victims"), Edit("delete", "of"),
                               Edit("insert", "of political"), Edit("keep", "repression"),
                               Edit("keep", ",", space=False)),
                      children=(Item("min_age", was="16", now="14", changed_value=True),
                                Item("new parameter", now="3", changed_value=True),
                                Item("repealed", was="5", changed_value=True))),
                 Item("Article 7 added"))),
        Heading("History"),
        Series("Eligible claims by commit", "claims", commits,
               (Line("eligible", tuple(None if i == 5 else 7000 + 90 * i for i in range(14))),
                Line("eligible + undetermined",
                     tuple(None if i == 5 else 8000 + 130 * i for i in range(14))),
                Line("ineligible", tuple(3000 - 40 * i for i in range(14)))),
               band=("eligible", "eligible + undetermined")),
        Series("Share eligible (first commit)", "%", ("2024-01-01",),
               (Line("share", (12.5,)),)),
    ]


def charts(blocks: list[Block]) -> int:
    return sum(isinstance(b, RangeBars | Flows | Series) for b in blocks)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in OPTIONS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1200,2400")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        browser.set_page_load_timeout(30)
        browser.set_script_timeout(10)
        yield browser
    finally:
        browser.quit()


def console(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """The browser console's entries since the last call (reading them clears them)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return entries


def open_page(driver: webdriver.Chrome, path: Path, html: str) -> None:
    """Open ``html`` from ``path``; the console entries logged before it are dropped."""
    console(driver)
    path.write_text(html, encoding="utf-8")
    driver.get(path.as_uri())


def severe(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in console(driver) if e.get("level") == "SEVERE"]


def test_report_renders_in_chromium(driver: webdriver.Chrome, tmp_path: Path) -> None:
    blocks = report()
    open_page(driver, tmp_path / "report.html", render_html(TITLE, blocks, footer="kzrehab"))
    assert driver.title == TITLE
    assert driver.find_element(By.TAG_NAME, "h1").text == TITLE
    assert len(driver.find_elements(By.CSS_SELECTOR, "td.suppressed")) == 2
    boxes = driver.execute_script(_MEASURE)
    assert len(boxes) == charts(blocks) == 4
    for i, (width, height, drawn) in enumerate(boxes):
        assert width > 0 and height > 0, f"svg {i} has an empty box"
        assert drawn >= 1, f"svg {i} draws nothing visible"
    assert severe(driver) == []


def test_console_check_catches_errors(driver: webdriver.Chrome, tmp_path: Path) -> None:
    html = render_html(TITLE, report()).replace(
        "</main>", '<img src="http://example.invalid/x.png" alt="x"/></main>')
    open_page(driver, tmp_path / "broken.html", html)
    errors: list[dict[str, Any]] = []
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        errors = severe(driver)
        time.sleep(0.1)
    assert errors, "a blocked external image must log an error in the console"
    assert any("example.invalid" in str(e.get("message")) for e in errors)


# -- Kazakh letters ---------------------------------------------------------------------------

#: the letters Kazakh adds to the Russian alphabet, small and capital
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
#: no font maps an unassigned code point: it is drawn as the missing-glyph box
UNASSIGNED = "\u0378"

#: for each of arguments[0] (letters) drawn on a canvas in the font of arguments[1] (a CSS
#: selector), whether its pixels are those of the missing-glyph box and whether it drew
#: anything; the font is the page's computed font-family, so it tests the style sheet
_GLYPHS = """
var letters = arguments[0];
var family = getComputedStyle(document.querySelector(arguments[1])).fontFamily;
function pixels(text) {
  var canvas = document.createElement('canvas');
  canvas.width = 120; canvas.height = 120;
  var ctx = canvas.getContext('2d');
  ctx.font = '72px ' + family;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 10, 60);
  var data = ctx.getImageData(0, 0, 120, 120).data, alpha = [];
  for (var i = 3; i < data.length; i += 4) { alpha.push(data[i]); }
  return alpha.join(',');
}
var box = pixels(arguments[2]);
return letters.map(function (letter) {
  var drawn = pixels(letter);
  return [letter, drawn === box, /[1-9]/.test(drawn)];
});
"""


def kazakh_report() -> list[Block]:
    """A report in Kazakh: the 1993 law's Kazakh title, the glossary's Kazakh statuses, and
    every Kazakh letter in a paragraph, a table and a heading."""
    from kzrehab.glossary import label

    statuses = ("eligible", "undetermined", "ineligible")
    return [
        Heading("Жаппай саяси қуғын-сүргіндер құрбандарын ақтау туралы", 1),
        Para(f"Әріптер: {KAZAKH_LETTERS}. Ақтау, өтемақы, оңалту, ұрпақ, һәм."),
        Table(("Мәртебе", "Өтініштер"),
              tuple((label("status", s, "kk"), str(100 * i)) for i, s in enumerate(statuses))),
        Heading("Қуғын-сүргін құрбандары"),
    ]


def missing_glyphs(driver: webdriver.Chrome, selector: str) -> list[str]:
    """The Kazakh letters that the element ``selector``'s font draws as the missing-glyph
    box (or not at all)."""
    found = driver.execute_script(_GLYPHS, list(KAZAKH_LETTERS), selector, UNASSIGNED)
    return [letter for letter, is_box, inked in found if is_box or not inked]


def test_kazakh_report_has_no_missing_glyphs(driver: webdriver.Chrome, tmp_path: Path) -> None:
    html = render_html("Есеп", kazakh_report(), lang="kk")
    open_page(driver, tmp_path / "kazakh.html", html)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk"
    assert KAZAKH_LETTERS in driver.find_element(By.TAG_NAME, "p").text
    for selector in ("h1", "p", "td", "th"):
        assert missing_glyphs(driver, selector) == [], selector
    assert severe(driver) == []


#: a font without a single Cyrillic letter (Debian's fonts-dejavu-core has it)
LATIN_ONLY_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf")


@pytest.mark.skipif(not LATIN_ONLY_FONT.exists(), reason=f"{LATIN_ONLY_FONT} is missing")
def test_the_glyph_check_catches_a_font_without_kazakh_letters(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The same check fails in a Chromium whose only font has no Cyrillic: it would catch a
    font stack that left the Kazakh letters to the missing-glyph box."""
    import os
    import shutil

    root = tmp_path_factory.mktemp("latin-only-fonts")
    (root / "fonts").mkdir()
    shutil.copy(LATIN_ONLY_FONT, root / "fonts")
    config = root / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{root / 'fonts'}</dir><cachedir>{root / 'cache'}</cachedir>"
        "</fontconfig>\n", encoding="utf-8")  # fmt: skip
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in OPTIONS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={root / 'profile'}")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER), env=env))
    try:
        page = root / "kazakh.html"
        page.write_text(render_html("Есеп", kazakh_report(), lang="kk"), encoding="utf-8")
        browser.get(page.as_uri())
        assert missing_glyphs(browser, "p") == list(KAZAKH_LETTERS)
    finally:
        browser.quit()


#: the computed style of the host page's own elements, outside any report
_HOST_STYLE = """
return ['body', 'h1#host', 'p#host', 'table#host td', 'table#host th', 'ul#host li'].map(
  function (sel) {
    var s = getComputedStyle(document.querySelector(sel));
    return [sel, s.margin, s.padding, s.color, s.backgroundColor, s.font, s.textAlign,
            s.borderBottom, s.maxWidth];
  });
"""
_HOST = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/><title>notebook</title>'
         "</head><body><h1 id=\"host\">A notebook</h1><p id=\"host\">Some prose.</p>"
         '<table id="host"><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr>'
         '</tbody></table><ul id="host"><li>item</li></ul>{}</body></html>')


def test_notebook_fragment_styles_only_itself(driver: webdriver.Chrome, tmp_path: Path) -> None:
    """A report embedded the way a notebook embeds it (``_repr_html_``) changes no style of the
    page around it, and is itself styled as the page is: its charts drawn, its numbers
    right-aligned."""
    blocks = report()
    open_page(driver, tmp_path / "host.html", _HOST.format(""))
    alone = driver.execute_script(_HOST_STYLE)
    fragment = render_html_fragment(TITLE, blocks, footer="kzrehab")
    open_page(driver, tmp_path / "embedded.html", _HOST.format(fragment + fragment))
    assert driver.execute_script(_HOST_STYLE) == alone
    head = driver.find_element(By.CSS_SELECTOR, f".{SCOPE} th")
    assert head.value_of_css_property("background-color") == "rgba(244, 246, 248, 1)"
    num = driver.find_element(By.CSS_SELECTOR, f".{SCOPE} td.num")
    assert num.value_of_css_property("text-align") == "right"
    boxes = driver.execute_script(_MEASURE)
    assert len(boxes) == 2 * charts(blocks)
    for i, (width, height, drawn) in enumerate(boxes):
        assert width > 0 and height > 0 and drawn >= 1, f"svg {i}"
    assert severe(driver) == []
