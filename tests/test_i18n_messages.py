"""The messages of the library in every language (issue 18, :doc:`languages`): the errors of
drafts, rules, registries and case files, the findings of ``kzrehab check`` and the results
of ``kzrehab test`` go through the catalogs.

The bad inputs are those of the error tests (``test_cli_errors``, ``test_loader``,
``test_population_registry``, ``test_lawtests``), reused. Under the pseudo-translation every
word of a message is marked, so a plain English word left in one is a string that did not
go through the catalogs, unless it is data: a word of the input the message quotes (a key,
an id, a value, a path) or a name of the vocabulary (enum values, facts, language codes). In
Kazakh and Russian the same messages hold no English word of their own either.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from kzrehab import i18n, vocabulary
from kzrehab._suggest import _PLURALS
from kzrehab.cli import main
from kzrehab.errors import KzrehabError, Location, RegistryError
from kzrehab.laws.provisions import PERIODS, PROVISION_TYPES
from kzrehab.laws.schema import ACTIONS
from kzrehab.lawtests import _CASE_KEYS
from kzrehab.outcome import SHOWN_STATUSES
from kzrehab.population import load_population
from kzrehab.rules.values import K

from . import test_cli_errors as cli_errors
from . import test_lawtests as lawtests
from . import test_loader as loader_tests
from . import test_population_registry as registry_tests
from .pseudo import english_words, pseudo_english

ROOT = Path(__file__).resolve().parent.parent

#: each language checked, and how it is chosen
LANGS: dict[str, Callable[[], AbstractContextManager[Any]]] = {
    "pseudo": pseudo_english,
    "kk": lambda: i18n.language("kk"),
    "ru": lambda: i18n.language("ru"),
}


def _vocabulary() -> list[str]:
    """The names a message may quote: enum values, facts, kinds, languages (identifiers)."""
    names: list[str] = [*PERIODS, *PROVISION_TYPES, *ACTIONS, *i18n.LANGUAGES, "true", "false",
                        *SHOWN_STATUSES, *_CASE_KEYS, "population", "JSON Lines", "CSV",
                        "Parquet", "kzrehab", "max"]
    for value in vars(vocabulary).values():
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            names += value
    names += [*vocabulary.CLAIM_FACTS, *vocabulary.EVENT_FACTS]
    return names


VOCABULARY = _vocabulary()
#: the hints of kzrehab._suggest, which the command line's part translates (its own tests)
_SUGGESTION = re.compile(r"; did you mean '[^']*'\?|'[^']*' is not an? [\w ]+(?=;)|"
                         r"; [\w ]+ are: [^\n]*")  # fmt: skip


def _leaks(text: str, data: Iterable[str | bytes]) -> set[str]:
    """The English words of ``text`` that are neither data nor the vocabulary's names."""
    allowed: set[str] = set()
    quoted = re.findall(r"'([^'\n]*)'", text)  # what a message quotes is data (a hint's name)
    for item in [*data, *VOCABULARY, str(ROOT), *quoted]:
        if isinstance(item, bytes):
            item = item.decode("utf-8", "replace")
        allowed.update(w.lower() for w in re.findall(r"[A-Za-z]+", item))
    # a vocabulary's name in the English plural of a hint ("claimants are: ...") is a name
    allowed |= {w + "s" for w in allowed}
    allowed |= {w for plural in _PLURALS.values() for w in plural.split()}
    found = english_words(_SUGGESTION.sub("", text))
    return {w for w in found if not set(re.findall(r"[a-z]+", w.lower())) <= allowed}


#: what a translation keeps as it is (technical tokens: formats, encodings, the rule
#: language's words, file patterns and commands), allowed in Kazakh and Russian
TECHNICAL = ("YYYY-MM-DD UTF-8 NUL ISO 3166-1 alpha-2 exists and or not in a < b c NAME.csv "
             "claims.csv events.csv jsonl ndjson kzstore population import synth parquet "
             "E.FACT FACT events[...] claim.NAME sum known startswith prefix strings pandas "
             "astype Int64 npy NaN REGISTRY STORE parameters definitions value type once month "
             "insert replace repeal target action id law KIND VALUE text status source "
             "attrs.field metadata role kzrehab.laws.provisions instead_of true false")


def _check(lang: str, text: str, data: Iterable[str | bytes]) -> None:
    assert text.strip()
    leaks = _leaks(text, [*data, TECHNICAL] if lang in ("kk", "ru") else data)
    assert not leaks, f"{sorted(leaks)} in:\n{text}"
    if lang in ("kk", "ru") and not _SUGGESTION.search(text):
        assert re.search("[а-яәғқңөұүһі]", text.lower()), text


def _run(capsys: pytest.CaptureFixture[str], lang: str, *argv: str | Path) -> tuple[int, str]:
    """Run a command line in ``lang`` (the command line chooses its language itself: Kazakh
    and Russian by ``--lang``, the pseudo-locale as the English catalog)."""
    chosen = ["--lang", lang] if lang in i18n.LANGUAGES else []
    with LANGS[lang]():
        status = main([*chosen, *(str(a) for a in argv)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.out + captured.err


def _cases(test: Any) -> list[Any]:
    """The parameter sets of a parametrized test of another module (its cases, reused)."""
    marks = [m for m in test.pytestmark
             if m.name == "parametrize" and m.args[0] not in ("command", "lang")]  # fmt: skip
    return [p.values if hasattr(p, "values") else p for p in marks[0].args[1]]


# -- drafts --------------------------------------------------------------------------------


def _draft_cases() -> Iterator[tuple[str, str | bytes]]:
    """(file name, content) of every bad draft of the error tests."""
    for old, new, _needles in [*_cases(cli_errors.test_bad_expressions),
                               *_cases(cli_errors.test_bad_values)]:  # fmt: skip
        yield "law.toml", cli_errors.LAW.replace(old, new, 1)
    for name, content, _needles in _cases(cli_errors.test_unreadable_drafts):
        yield name, content
    for test in (loader_tests.test_unknown_keys_everywhere, loader_tests.test_bad_ids,
                 loader_tests.test_wrong_types):  # fmt: skip
        for body, _key, _message in _cases(test):
            yield "draft.toml", loader_tests.draft(body)
    for top, _key, _message in _cases(loader_tests.test_wrong_types_at_the_top):
        yield "top.toml", top + (loader_tests.HEADER if not top.startswith("law") else "")
    for line, _message in _cases(loader_tests.test_bad_law_dates):
        yield "dates.toml", loader_tests.HEADER + line + "\n"
    for value, _key, _message in _cases(loader_tests.test_bad_parameter_values):
        yield "values.toml", loader_tests.draft(f"\n[parameters]\nX = {value}\n")
    for table, name, _message in _cases(loader_tests.test_reserved_and_bad_names):
        yield "names.toml", loader_tests.draft(f'\n[{table}]\n"{name}" = "1"\n')
    two = loader_tests.HEADER.replace('"bill"', '"bil"').replace('"draft"', '"drafft"')
    yield "two.toml", two
    yield "amend.toml", cli_errors.BILL + AMEND.format(target="nothing", action="repeal")
    yield "amend.toml", cli_errors.BILL + AMEND.format(target="exiled-victim", action="erase")


AMEND = """
[[article.amend]]
id = "a1"
law = "test-law"
target = "{target}"
action = "{action}"
"""

DRAFTS = list(_draft_cases())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "content"), DRAFTS, ids=[f"draft{i}" for i in range(len(DRAFTS))])
def test_draft_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, name: str,
                      content: str | bytes) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    argv = [path]
    if name.startswith("amend"):  # a bill, with the law it amends
        law = tmp_path / "law.toml"
        law.write_text(cli_errors.LAW, encoding="utf-8")
        argv = [law, path]
    status, text = _run(capsys, lang, "check", *argv)
    assert status == 2, text
    _check(lang, text, [str(tmp_path), name, content])


FINDINGS = """\
[law]
id = "t"
title = "Zakon"
kind = "bill"
status = "draft"

[parameters]
MCI = { 2024-01-01 = 3692 }

[definitions]
unused = "pensioner"

[[article]]
number = "1"
  [[article.ground]]
  id = "g"
  category = "victim"
  when = "MCI > 3000"

  [[article.ground]]
  id = "h"
  category = "victim"
  when = "claimant in {'victim', 'spouse', 'child', 'grandchild', 'descendant', 'heir'}"

  [[article.exclusion]]
  id = "e"
  when = "MCI > 3000"
  grounds = ["g"]

  [[article.exclusion]]
  id = "f"
  when = "pensioner"
  grounds = ["other-law:x"]

  [[article.component]]
  id = "a"
  kind = "compensation"
  recipients = ["victim"]
  grounds = ["h"]
  amount = "10 * MCI"

  [[article.component]]
  id = "b"
  kind = "compensation"
  recipients = ["victim"]
  grounds = ["h"]
  amount = "5 * MCI"
  period = "once"
  instead_of = ["a"]

  [[article.component]]
  id = "c"
  kind = "satisfaction"
  recipients = ["victim"]
  period = "month"
  grounds = ["h"]
  instead_of = ["a"]

  [[article.amend]]
  id = "m"
  law = "other-law"
  target = "x"
  action = "repeal"
"""


@pytest.mark.parametrize("lang", LANGS)
def test_check_findings(capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str) -> None:
    """Every kind of finding of ``kzrehab check``, and its notices, in the language."""
    path = tmp_path / "t.toml"
    path.write_text(FINDINGS, encoding="utf-8")
    status, text = _run(capsys, lang, "check", path)
    assert status == 1
    findings = [line for line in text.splitlines() if str(path) in line or "other-law" in line]
    assert len(findings) >= 10, text
    # "warning:" is the command line's; "<the replaced amount>" is markup the pseudo-locale
    # keeps as it is (translated in Kazakh and Russian)
    _check(lang, "\n".join(findings), [str(path), FINDINGS, "warning", "the replaced amount",
                                        "des"])  # a quoted expression cut short: "des…"


# -- registries ----------------------------------------------------------------------------


def _registry_cases() -> Iterator[tuple[str, str | bytes]]:
    """(file name, content) of every bad registry of the error tests."""
    for rows, _needles in _cases(cli_errors.test_malformed_registry_rows):
        import json

        yield "r.jsonl", "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows)
    for name, content, _needles in _cases(cli_errors.test_unreadable_registries):
        if name != "deep.jsonl":
            yield name, content
    good = registry_tests.GOOD
    for line, _message, _key in registry_tests.BAD_LINES:
        yield "registry.jsonl", "\n".join([good, "", good.replace("c1", "c2"), line])
    for header, _message in _cases(registry_tests.test_a_bad_header_is_an_error):
        yield "registry.jsonl", header + "\n" + good
    yield "registry.jsonl", "\n".join([good, good])


REGISTRIES = list(_registry_cases())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "content"), REGISTRIES,
                         ids=[f"registry{i}" for i in range(len(REGISTRIES))])  # fmt: skip
def test_registry_errors(tmp_path: Path, lang: str, name: str, content: str | bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with LANGS[lang](), pytest.raises(KzrehabError) as info:
        load_population(path)
    _check(lang, str(info.value), [str(path), content])


CSV = list(registry_tests.CSV_ERRORS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("which", "text"), [(w, t) for w, t, _l, _m in CSV],
                         ids=[f"csv{i}" for i in range(len(CSV))])  # fmt: skip
def test_csv_registry_errors(tmp_path: Path, lang: str, which: str, text: str) -> None:
    claims, events = (text, "claim_id\n") if which == "claims" else ("id\nc1\nc2\n", text)
    path = registry_tests._csv(tmp_path, claims_text=claims, events_text=events)
    with LANGS[lang](), pytest.raises(RegistryError) as info:
        load_population(path)
    _check(lang, str(info.value), [str(path), str(tmp_path), "registry.events.csv", text])


# -- kzrehab test --------------------------------------------------------------------------


def _case_edits() -> list[Any]:
    return [edit for edit, _needles in _cases(lawtests.test_bad_input_exits_2_naming_file_and_key)]


CASE_EDITS = _case_edits()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edit", CASE_EDITS, ids=[f"case{i}" for i in range(len(CASE_EDITS))])
def test_case_file_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str,
                          edit: Any) -> None:  # fmt: skip
    laws = (ROOT / "drafts" / "current").as_posix()
    text = edit(lawtests.CASE.format(laws=laws, status="eligible"))
    path = lawtests.write(tmp_path, text=text)
    status, out = _run(capsys, lang, "test", path)
    assert status == 2
    _check(lang, out, [str(path), text])


@pytest.mark.parametrize("lang", LANGS)
def test_a_failing_case(capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str) -> None:
    """The library's part of a failure: what differs and the provisions that decided it."""
    from kzrehab.lawtests import load_cases, run_cases

    path = lawtests.write(tmp_path, status="ineligible")
    text = path.read_text(encoding="utf-8").replace(
        'expect = { status = "ineligible" }',
        'expect = { status = "ineligible", grounds = ["x"], amounts = { y = [1, 2] } }')
    path.write_text(text, encoding="utf-8")
    with LANGS[lang]():
        results = run_cases(load_cases([path]))
        shown = [f"{f.what}: {f.expected} / {f.got}\n" + "\n".join(f.explanation)
                 for r in results for f in r.failures]  # fmt: skip
    assert shown
    _check(lang, "\n".join(shown), [text, *_law_ids()])


def _law_ids() -> list[str]:
    """Every id and fact name of the drafts, which a case's explanation quotes."""
    return [line for path in sorted((ROOT / "drafts").rglob("*.toml"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith(_QUOTED)]  # fmt: skip


_QUOTED = ("id =", "when =", "unless =", "[", "amount =")


# -- the library's own words -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_location_without_a_file(lang: str) -> None:
    with LANGS[lang]():
        shown = str(Location(line=3, column=7))
    assert "3" in shown and "7" in shown
    _check(lang, shown, [])


def test_english_is_unchanged() -> None:
    """English messages are the code's own strings, byte for byte."""
    assert str(Location(line=3, column=7)) == "line 3, column 7"
    assert str(Location(file="a.toml", line=3, column=7)) == "a.toml:3:7"
    with pytest.raises(KzrehabError) as info:
        loader_tests.load("[law\n")
    assert info.value.message == "TOML syntax error: Expected ']' at the end of a table declaration"
    text = textwrap.dedent(FINDINGS)
    assert "Zakon" in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_words_of_explanations(lang: str) -> None:
    """What ``explain`` quotes from the library: the facts that would decide a claim, how
    each event fared in a filter, an unknown value."""
    from kzrehab.claims import Event
    from kzrehab.gaps import Decider, Slot
    from kzrehab.narrowing import Value
    from kzrehab.rules.interpreter import EventMark, display
    from kzrehab.rules.values import Interval
    from kzrehab.vocabulary import FactKind

    def text(word: str) -> Value:
        return Value(FactKind.ENUM, word)

    day = dt.date(1938, 1, 1).toordinal()
    early, late = Interval(float("-inf"), day - 1.0), Interval(float(day), float("inf"))

    with LANGS[lang]():
        texts = [
            Decider("status", (Slot("outcome", 0),), yes=((text("quashed"),),),
                    no=((text("convicted"),),), open=((text("pending"),),)).describe(),
            Decider("t:c", (Slot("start"),), yes=((Value(FactKind.DATE, early),),),
                    no=((Value(FactKind.DATE, late),),)).describe(),
            EventMark(0, Event(measure="exile"), "in").describe(),
            EventMark(1, Event(), "maybe").describe(),
            display(None),
            display(((0, K.TRUE), (1, K.UNKNOWN))),
        ]
    _check(lang, "\n".join(texts), ["quashed convicted pending"])
    if lang == "ru":
        assert texts[0] == ("событие 1: outcome: имеет право, если quashed; не имеет права, если "
                            "convicted; остаётся открытым, если pending")


@pytest.mark.parametrize("date", [False, True])
def test_an_unknown_number_or_date_is_said_in_the_language(date: bool) -> None:
    """A fact known not at all (an interval from -inf to +inf) reads "unknown" in the
    language of output, as a missing value does (explain's traces)."""
    import math

    from kzrehab.rules.interpreter import display
    from kzrehab.rules.values import Interval, K

    whole = Interval(-math.inf, math.inf)
    assert display(whole, date=date) == display(K.UNKNOWN) == "unknown"
    with i18n.language("ru"):
        assert display(whole, date=date) == display(None) == display(K.UNKNOWN) == "неизвестно"
        assert display(K.TRUE) == "true"  # as the rule language writes it
