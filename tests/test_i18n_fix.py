"""Fixes of the newcomer review of ``--lang kk|ru`` (issue 18): a law's title in the report's
language in the data (JSON, CSV, XLSX), a generated title that follows the language a report
is rendered in, and the dates of ``log`` and ``status`` in the locale's form."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from kzrehab import i18n
from kzrehab.evaluation import summarize
from kzrehab.laws.framework import load_framework
from kzrehab.population import load_population
from kzrehab.reports import Report
from kzrehab.reports.data import PopulationInfo
from kzrehab.reports.data.common import law_info
from kzrehab.reports.history import (
    CommitRecord,
    CommitRow,
    LawAdds,
    LawRow,
    LogDocument,
    StatusCounts,
    StatusDocument,
)
from kzrehab.reports.history_views import render
from kzrehab.reports.tables import report_tables

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 6, 1)
PEASANTS = {
    "en": "On the rehabilitation of victims of repressions against peasants (modelled)",
    "kk": "Шаруаларға қарсы қуғын-сүргін құрбандарын ақтау туралы (модельденген)",
    "ru": "О реабилитации жертв репрессий против крестьян (смоделировано)",
}


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    pop = load_population(ROOT / "tests/data/sample.jsonl")
    fw = load_framework([str(ROOT / "drafts/current"), str(ROOT / "drafts/bills/peasants.toml")])
    return {"framework": fw, "coverage": summarize(fw, pop, AS_OF)}


# -- 1. a law's title in the report's data ---------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_laws_title_in_the_data_is_in_the_reports_language(results: dict[str, Any],
                                                             lang: str) -> None:
    peasants = next(law for law in results["framework"].laws if law.id == "peasants")
    with i18n.language(lang):
        assert law_info(peasants).title == PEASANTS[lang]
        r = Report.of(results["coverage"])
        doc = r.json_data()
        titles = {law["id"]: law["title"] for law in doc["laws"]}
        assert titles["peasants"] == PEASANTS[lang]
        cells = [str(c) for t in report_tables(r.data) for row in t.rows for c in row]
        assert PEASANTS[lang] in cells
        assert all(PEASANTS[other] not in cells for other in PEASANTS if other != lang)


def test_in_english_a_laws_title_is_the_drafts_title(results: dict[str, Any]) -> None:
    for law in results["framework"].laws:
        assert law_info(law).title == law.title


# -- 2. a generated title follows the language it is rendered in ---------------------------


def test_a_generated_title_follows_the_language_rendered_in(results: dict[str, Any]) -> None:
    r = Report.of(results["coverage"])  # made in English
    english = r.title
    assert english.startswith("Coverage of ")
    with i18n.language("kk"):
        kk = r.title
        text, page = r.render("text"), r.render("html")
    assert kk != english
    assert text.splitlines()[0] == kk
    assert f"<title>{kk}</title>" in page and english not in page
    with i18n.language("ru"):
        made = Report.of(results["coverage"])  # made in Russian, rendered in English
        ru = made.title
    assert ru not in (english, kk)
    assert made.render("text").splitlines()[0] == english
    # a report given its language is titled in it; an explicit title is kept as given
    assert attrs.evolve(r, language="ru").render("text").splitlines()[0] == ru
    assert attrs.evolve(r, title="Mine").title == "Mine"
    mine = Report.of(results["coverage"], "Mine")
    with i18n.language("kk"):
        assert mine.title == "Mine" and mine.render("text").splitlines()[0] == "Mine"


def test_generated_titles_are_equal_when_made_alike(results: dict[str, Any]) -> None:
    assert Report.of(results["coverage"]) == Report.of(results["coverage"])


# -- 3. the dates of log and status ----------------------------------------------------------


def _plain(text: str) -> str:
    """``text`` with the locale's no-break spaces as plain spaces (``2026\u202fж.``)."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_date_time() -> None:
    moment = dt.datetime(2026, 12, 2, 7, 40, 59, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert i18n.date_time(moment) == "2026-12-02 07:40"
    with i18n.language("ru"):
        assert _plain(i18n.date_time(moment)) == "2 декабря 2026 г., 07:40"
    with i18n.language("kk"):
        assert _plain(i18n.date_time(moment)) == "2026 ж. 2 желтоқсан, 07:40"


PEOPLE = PopulationInfo("registry", 10, 10, 12, False, "9f86d081")
COMMIT = CommitRecord("0123456789abcdef", dt.datetime(2026, 12, 2, 7, 40,
                      tzinfo=dt.timezone(dt.timedelta(hours=5))), "A. Author", "Amend")
LOG = LogDocument(AS_OF, PEOPLE, ("peasants",), None, (
    CommitRow(COMMIT, {"peasants": "1"}, ("peasants 1",), StatusCounts(5, 3, 2), None, None,
              None),))
STATUS = StatusDocument(AS_OF, PEOPLE, "drafts/bills", ("rehab-1993",), (
    LawRow("peasants", "drafts/bills/peasants.toml", "bill", "draft", "1", COMMIT, False,
           LawAdds(2, 0, 2, 0)),))


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize(("lang", "when", "day"), [
    ("en", "2026-12-02 07:40", "2026-12-02"),
    ("ru", "2 декабря 2026 г., 07:40", "2 декабря 2026 г."),
    ("kk", "2026 ж. 2 желтоқсан, 07:40", "2026 ж. 2 желтоқсан")])  # fmt: skip
def test_log_and_status_dates_in_the_locales_form(fmt: str, lang: str, when: str,
                                                  day: str) -> None:
    with i18n.language(lang):
        log, status = (_plain(render("Log", LOG, fmt)), _plain(render("Status", STATUS, fmt)))
    assert when in log
    assert f"{day} Amend" in status
    if lang != "en":
        assert "2026-12-02" not in log and "2026-12-02" not in status
    # the JSON keeps ISO 8601
    with i18n.language(lang):
        assert json.loads(render("Log", LOG, "json"))["commits"][0]["date"].startswith(
            "2026-12-02T07:40")


# -- 4. the catalogs' words for the population's victims and for "surely" -------------------


def test_tables_catalogs_use_the_reviewed_words() -> None:
    for lang, victims, avoid in (("ru", "Репрессированные лица", ("Жертвы", "наверняка")),
                                 ("kk", "Қуғын-сүргінге ұшыраған адамдар", ("Құрбандар",))):
        with i18n.language(lang):
            assert i18n._("Victims") == victims
        po = (ROOT / "src/kzrehab/locale" / lang / "tables.po").read_text(encoding="utf-8")
        assert all(f'"{w}' not in po and f" {w}" not in po for w in avoid)
    with i18n.language("ru"):
        assert i18n._("surely") == "достоверно"
