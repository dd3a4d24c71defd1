"""The reports in Kazakh and Russian (issue 18): every word of a report's own goes through
the catalogs, numbers follow the locale, the HTML says its language, the drafts' texts are
picked in the report's language, and plurals are right (docs/languages.rst).

Each command runs in process on a small synthetic population, in text, Markdown and HTML:
under the pseudo-translation (:mod:`tests.pseudo`) no plain English word may be left but
the data the report quotes (ids, the drafts' own texts, expressions: the strings of the
JSON document of the same run); in Kazakh and Russian no English word of the report's own.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kzrehab import i18n
from kzrehab.cli import main
from kzrehab.reports import Report
from kzrehab.reports.cells import _WORDS, word
from kzrehab.reports.data import GapRanking, GapsData, PopulationInfo

from .pseudo import english_words, pseudo_english

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-01"
#: the commit before the drafts got their Kazakh and Russian titles and headings
BEFORE_TITLES = "be9b999~1"


def _has(rev: str) -> bool:
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", rev], cwd=ROOT,
                          capture_output=True).returncode == 0  # fmt: skip


needs_history = pytest.mark.skipif(not _has(BEFORE_TITLES),
                                   reason="needs the project's git history")

#: the commands whose reports are checked (``--population``, ``--as-of`` and ``--format``
#: are added): the main job, suppressed, coverage, explain (alone and against), gaps, diff
COMMANDS: dict[str, tuple[str, ...]] = {
    "compare": ("compare", "--base", "drafts/current", "--with", "drafts/bills",
                "drafts/proposals"),
    "compare-suppressed": ("compare", "--base", "drafts/current", "--with", "drafts/bills",
                           "drafts/proposals", "--suppress-below", "5", "--gaps"),
    "coverage": ("coverage", "drafts/current", "drafts/bills", "--claims"),
    "gaps": ("gaps", "drafts/current", "drafts/bills"),
    "gaps-components": ("gaps", "drafts/current", "drafts/bills", "--by", "component"),
    "diff": ("diff", "drafts/bills/peasants.toml", "--from", BEFORE_TITLES),
    "diff-laws": ("diff", "drafts/bills", "--from", "f15e4eb~1"),
}  # fmt: skip
FORMATS = ("text", "md", "html")

Run = Callable[..., str]


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 1,500-claim synthetic population; the cache in a temporary directory; cwd the
    project root."""
    tmp = tmp_path_factory.mktemp("i18n-reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KZREHAB_CACHE", str(tmp / "cache"))
        mp.delenv("KZREHAB_LANG", raising=False)
        mp.chdir(ROOT)
        path = tmp / "small.npz"
        argv = ["population", "synth", "--size", "1500", "--seed", "3", "-o", str(path)]
        assert main(["--lang", "en", *argv]) == 0
        yield path


@pytest.fixture
def run(population: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``kzrehab ARGV… --population P --as-of D --format F --lang L`` in process: stdout."""

    def run_(argv: tuple[str, ...], fmt: str, lang: str) -> str:
        capsys.readouterr()
        code = main([*argv, "--population", str(population), "--as-of", AS_OF,
                     "--format", fmt, "--lang", lang])  # fmt: skip
        out, err = capsys.readouterr()
        assert code == 0, f"kzrehab {' '.join(argv)} exited {code}: {err}"
        return out

    return run_


#: the keys whose values are enum values, which reports write as words of their language
#: (kzrehab.reports.cells.word): they are not data
WORDS_AT = frozenset({"status", "kind", "change", "applies", "holds", "receives", "membership",
                      "when", "from", "to", "period", "scope", "field", "against",
                      "gains", "loses"})


def _strings(doc: Any, key: str = "") -> Iterator[str]:
    if isinstance(doc, str):
        if key not in WORDS_AT or doc not in _WORDS:
            yield doc
    elif isinstance(doc, dict):
        for k, value in doc.items():
            yield from _strings(value, k)
    elif isinstance(doc, list):
        for value in doc:
            yield from _strings(value, key)


def _claim(run: Run) -> str:
    doc = json.loads(run(("coverage", "drafts/current", "drafts/bills", "--claims"), "json",
                         "en"))  # fmt: skip
    ids: list[str] = [c["id"] for c in doc["claims"] if c["status"] == "eligible"]
    return ids[0]


def _commands(run: Run) -> dict[str, tuple[str, ...]]:
    claim = _claim(run)
    return {**COMMANDS,
            "explain": ("explain", claim, "drafts/current", "drafts/bills"),
            "explain-against": ("explain", claim, "drafts/current", "drafts/bills",
                                "--against", "drafts/current")}  # fmt: skip


def _data(run: Run, argv: tuple[str, ...]) -> list[str]:
    """The data a report quotes: every string of its JSON document (in English) but the
    enum values the reports write as words (:data:`WORDS_AT`), and the words of its title
    (the command's, made in kzrehab.commands)."""
    strings = list(_strings(json.loads(run(argv, "json", "en"))))
    title = run(argv, "text", "en").splitlines()[0]
    # the language codes (``title.kk``), the program, its commands and its formats' names
    return [*strings, title, "kk ru en", "kzrehab gaps", "KZT", "JSON"]


def _html_text(page: str) -> str:
    """The text of an HTML page: without its markup (tags, attributes, the style sheet) and
    its charts (their words are the tables part's: tests/test_i18n_tables.py), unescaped."""
    return html.unescape(re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^<>]*>", " ", page,
                                flags=re.S))  # fmt: skip


def _skip_without_history(name: str) -> None:
    if name.startswith("diff") and not _has(BEFORE_TITLES):
        pytest.skip("needs the project's git history")


@pytest.mark.parametrize("name", [*COMMANDS, "explain", "explain-against"])
def test_every_report_word_goes_through_the_catalogs(run: Run, name: str) -> None:
    _skip_without_history(name)
    argv = _commands(run)[name]
    data = _data(run, argv)
    for fmt in FORMATS:
        with pseudo_english():
            out = run(argv, fmt, "en")
        assert "⟦" in out
        if fmt == "html":
            out = _html_text(out)
        left = english_words(out, data)
        assert not left, f"{name} --format {fmt}: English left: {sorted(left)}"


#: a whole number of at least 1,000 grouped with a no-break space (the population's size)
_GROUPED = re.compile(r"\d\xa0\d{3}")


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("name", [*COMMANDS, "explain", "explain-against"])
def test_reports_in_kazakh_and_russian(run: Run, name: str, lang: str) -> None:
    _skip_without_history(name)
    argv = _commands(run)[name]
    data = _data(run, argv)
    for fmt in FORMATS:
        out = run(argv, fmt, lang)
        shown = out
        if fmt == "html":
            assert f'<html lang="{lang}">' in out
            shown = _html_text(out)
        left = english_words(shown, data)
        assert not left, f"{name} --format {fmt} --lang {lang}: English left: {sorted(left)}"
        assert _GROUPED.search(out), f"{name} --format {fmt}: no locale number"
        assert "1,500" not in out
        assert re.search("[а-яәғқңөұүһі]", out)


def test_the_main_job_reads_as_its_language(run: Run) -> None:
    """Statuses as the glossary writes them, dates and amounts in the locale's form."""
    ru = run(COMMANDS["compare"], "text", "ru")
    assert "Дата оценки: 1 июня 2025\u202fг." in ru
    assert "имеет право" in ru and "не определено" in ru
    assert re.search(r"\d,\d\d … [+-]?\d[\d\xa0]*,\d\d ₸", ru)
    kk = run(COMMANDS["compare"], "md", "kk")
    assert "құқығы бар" in kk and "2025\u202fж. 1 маусым" in kk  # noqa: RUF001


TITLES = {"kk": "Шаруаларға қарсы қуғын-сүргін құрбандарын ақтау туралы (модельденген)",
          "ru": "О реабилитации жертв репрессий против крестьян (смоделировано)"}


@needs_history
@pytest.mark.parametrize(("lang", "other", "named"), [
    ("kk", "ru", "- атауы (орыс тілінде): (жоқ) → "),
    ("ru", "kk", "- название (на казахском языке): (нет) → "),
    ("en", "ru", "- title.ru: (none) → ")])  # fmt: skip
def test_a_diff_shows_the_drafts_texts_in_the_reports_language(run: Run, lang: str,
                                                             other: str, named: str) -> None:
    """The Kazakh and Russian titles were added in one commit: the title's change is the
    one in the report's language, the other's is listed as the title in that language (in
    English ``title.ru``, the draft's key)."""
    out = run(COMMANDS["diff"], "text", lang)
    if lang in TITLES:  # (English: the English title did not change)
        assert re.search(rf"^- (атауы|название): .* → {re.escape(TITLES[lang])}$", out, re.M)
        assert f".{lang}" not in out
    assert named + TITLES[other] in out


def test_explain_heads_each_law_with_its_title_in_the_reports_language(run: Run) -> None:
    argv = _commands(run)["explain"]
    assert "Шаруаларға қарсы қуғын-сүргін құрбандарын ақтау туралы" in run(argv, "text", "kk")
    assert "О реабилитации жертв репрессий против крестьян" in run(argv, "text", "ru")
    assert "On the rehabilitation of victims of repressions against peasants" in run(
        argv, "text", "en")


def _report(claims: int, language: str | None = None) -> Report:
    people = PopulationInfo("registry", claims, claims, claims, False, "9f86d081")
    data = GapsData(people, dt.date(2026, 1, 1), ("drafts/bills",), GapRanking("status", ()))
    return Report("gaps", "Gaps in drafts/bills", data, language=language)


@pytest.mark.parametrize(("n", "form"), [(1, "1 заявление"), (2, "2 заявления"),
                                         (5, "5 заявлений"), (21, "21 заявление"),
                                         (1234, "1\xa0234 заявления")])  # fmt: skip
def test_a_russian_plural_in_a_sentence(n: int, form: str) -> None:
    with i18n.language("ru"):
        text = repr(_report(n))
    assert text.endswith(f"({form})>"), text
    assert repr(_report(n, "ru")) == text


def test_a_report_in_its_own_language_whatever_the_current_one() -> None:
    report = _report(10, "kk")
    with i18n.language("ru"):
        page = report.render("html")
        fragment = report._repr_html_()
    assert '<html lang="kk">' in page and "Бағалау күні" in page
    assert 'lang="kk"' in fragment
    assert i18n.current() == "en"


def test_html_lang_follows_the_language_of_output() -> None:
    report = _report(10)
    assert '<html lang="en">' in report.render("html")
    with i18n.language("ru"):
        assert '<html lang="ru">' in report.render("html")
        assert "Дата оценки" in report.render("text")


def test_enum_values_are_written_as_the_glossary_writes_them() -> None:
    assert word("eligible") == "eligible" and word("compensation") == "compensation"
    with i18n.language("ru"):
        assert (word("eligible"), word("ineligible")) == ("имеет право", "не имеет права")
        assert word("non-repetition") == "гарантии неповторения"
        assert word("added") == "добавлено"
        assert word("peasants:payment") == "peasants:payment"  # an identifier
    with i18n.language("kk"):
        assert word("undetermined") == "анықталмаған"


@pytest.mark.parametrize("cell", ["1\xa0234", "+1\xa0234", "-5", "1\xa0234,50", "12,5%",
                                  "12,5\xa0%", "-1\xa0171\xa0736,00 … 113\xa0045,00",
                                  "0,00 … ∞"])  # fmt: skip
def test_locale_numbers_are_right_aligned(cell: str) -> None:
    from kzrehab.reports.text import is_number

    assert is_number(cell)
    assert not is_number("₸, единовременно") and not is_number("имеет право")


def test_the_summary_names_categories_by_the_glossarys_terms() -> None:
    """In Kazakh and Russian a category is named by its glossary term, its id after it (the
    tables keep the ids); in English by its id."""
    from kzrehab.reports.words import category_word

    assert category_word("injured") == "injured"
    with i18n.language("ru"):
        assert category_word("injured") == "пострадавший [injured]"
        assert category_word("no-such-category") == "no-such-category"
    with i18n.language("kk"):
        assert category_word("victim") == "құрбан [victim]"
