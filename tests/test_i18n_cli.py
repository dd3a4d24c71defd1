"""The command line's own words in every language (issue 18, :doc:`languages`): help, usage
errors and command-line errors, progress bars, the first-run notice, and the output of
``check``, ``test``, ``population`` and ``cache``.

Each is produced under the pseudo-translation (every message marked and its letters changed,
so that a plain English word left is a string that did not go through the catalogs), and in
Kazakh and Russian (no English word of kzrehab's own, and the locale's figures). What may be
left is data: the names of commands, options and their values, paths, ids, and the names of
programs and formats that no language translates (:data:`NAMES`). English is unchanged:
tests/test_cli_errors.py, test_tracker_cli.py and the others hold its words, and the golden
check its bytes.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kzrehab import i18n
from kzrehab.cli import _parsers, build_parser, main

from .pseudo import english_words, pseudo_english
from .test_tracker_cli import AS_OF, POPULATION, repo  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "tests" / "data" / "sample.jsonl")
LANGS = ("pseudo", "kk", "ru")

#: names that no language translates, which the Kazakh and Russian messages keep as they are:
#: programs and their commands (git, pip), formats and their parts (JSON Lines, BOM, UTF-8),
#: products (Excel, Akoma Ntoso), systems named in the install hint, and git's HEAD
NAMES = ("kzrehab", "git", "pip", "install", "apt", "dnf", "xcode", "select", "Debian",
         "Ubuntu", "Fedora", "macOS", "Windows", "https", "scm", "com", "download", "win",
         "JSON", "Lines", "jsonl", "CSV", "csv", "Parquet", "parquet", "pyarrow", "XLSX",
         "xlsx", "HTML", "Markdown", "XML", "URI", "URIs", "TOML", "toml", "zip", "Excel",
         "BOM", "UTF", "null", "Akoma", "Ntoso", "akn", "HEAD", "REV", "PATH", "NAME", "FILE",
         "DIR", "DAYS", "LAW", "CLAIM_ID", "KZREHAB_CACHE", "KZREHAB_CACHE_MAX",
         "KZREHAB_JOBS", "MiB", "events", "claims", "cases", "drafts", "explain", "diff", "log",
         "status", "export", "cache", "clear", "json", "all", "kk", "ru", "en")  # fmt: skip


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Output in ``lang``, or pseudo-translated English."""
    if lang == "pseudo":
        with pseudo_english():
            yield
    else:
        with i18n.language(lang):
            yield


def _run(capsys: pytest.CaptureFixture[str], lang: str, *args: str) -> tuple[int, str, str]:
    """``kzrehab ARGS`` in process, in ``lang`` (the CLI sets the language it is given)."""
    with speaking(lang):
        extra = [] if lang == "pseudo" else ["--lang", lang]
        status = main([*args, *extra])
    out, err = capsys.readouterr()
    return status, out, err


def _words(*texts: object) -> list[str]:
    """The names, and the data given (also as quoted: ``'drafts/current'``)."""
    return [*NAMES, *(str(t) for t in texts), *(f"'{t}'" for t in texts)]


_PATH = re.compile(r"[\w.~:-]*/[\w./~:-]*")


def _left(text: str, *data: object) -> set[str]:
    """The English words of ``text`` but the names, the data given, the paths it quotes
    and the names of commands, options and their values."""
    return english_words(text, _words(*data, *_PATH.findall(text), *_command_line_names()))


def _cyrillic(text: str) -> bool:
    return bool(re.search("[а-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ]", text))


# -- help -------------------------------------------------------------------------------------


def _every_parser() -> list[argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [parser, *_parsers(sub)]


@functools.cache
def _command_line_names() -> tuple[str, ...]:
    return tuple(_names_of(_every_parser()))


def _names_of(parsers: list[argparse.ArgumentParser]) -> list[str]:
    names: list[str] = []
    for p in parsers:
        names.append(p.prog)
        for a in p._actions:
            names += [*a.option_strings, a.dest, str(a.metavar or "")]
            names += [str(c) for c in (a.choices or ())]
    return names


@pytest.mark.parametrize("lang", LANGS)
def test_every_help_page_is_translated(lang: str) -> None:
    """Every command's and action's help (``population synth --help`` too): no English
    word but the names of commands, options and their values."""
    with speaking(lang):
        parsers = _every_parser()
        pages = [p.format_help() for p in parsers]
    assert len(pages) > 15
    names = _names_of(parsers)
    for page in pages:
        assert not _left(page, *names), page
        if lang != "pseudo":
            assert _cyrillic(page)


# -- usage and command-line errors ------------------------------------------------------------

#: the commands that evaluate a population (given the small one, never the reference)
EVALUATING = ("coverage", "gaps", "explain", "diff", "compare", "log")
ERRORS = [
    (["coverage", "drafts/current", "--as-of", "2020-13-01"], "YYYY"),
    (["log", "drafts", "-n", "0"], "whole number"),
    (["gaps", "drafts/current", "-o", "r.parquet"], "does not write"),
    (["coverage", "drafts/current", "--format", "json", "-o", "r.html"], "name the file"),
    (["coverage", "drafts/current", "--format", "xlsx"], "give -o FILE"),
    (["coverage", "drafts/current", "--format", "csv", "-o", "r.csv"], "several tables"),
    (["coverage", "drafts/current", "--format", "csv", "--table", "t", "-o", "r.zip"],
     "not a zip"),
    (["coverage", "drafts/current", "--format", "parquet", "-o", "r.parquet"], "add --claims"),
    (["coverage", "drafts/current", "-o", "drafts/current/r.txt"], "lies inside"),
    (["coverage", "drafts/current/base.toml", "-o", "drafts/current/base.toml"],
     "would overwrite"),
    (["coverage", "drafts/current", "--claims", "--suppress-below", "5", "--population",
      POPULATION, "--as-of", AS_OF], "cannot be combined"),
    (["explain", "drafts/current", "t1"], "is a path, not a claim id"),
    (["cache", "clear", "--older-than", "soon"], "number of days"),
    (["population", "synth", "--size", "10", "--seed", "x", "-o", "p.jsonl"], "0 or greater"),
    (["population", "import", "p.jsonl", "-o", "p.jsonl"], "overwrite the registry"),
    (["export", "drafts", "--to", "akn"], "takes one law"),
    (["export", "drafts/current/base.toml", "--to", "akn", "--expression", "all"],
     "give the directory"),
    (["diff", "HEAD:drafts", "--from", "HEAD"], "working-tree paths"),
    (["diff", "drafts/bills/toy.toml", "--from", "nosuchrev"], "unknown revision"),
    (["diff", "drafts/bills", "../outside.toml", "--from", "HEAD"], "outside the repository"),
    (["compare", "--base", "drafts/current", "--with", "HEAD:drafts/bils/toy.toml"],
     "did you mean"),
    (["compare", "--base", "drafts/current", "--with", ":drafts/bills/toy.toml"],
     "names no revision"),
    (["diff", "drafts/bills/toy.toml", "--from", "HEAD~4", "--to", "HEAD~4"],
     "does not exist at revision"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "english"), ERRORS, ids=[e[1] for e in ERRORS])
def test_usage_and_command_line_errors(repo: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                       args: list[str], english: str) -> None:  # fmt: skip
    (repo / "p.jsonl").write_text(Path(POPULATION).read_text(encoding="utf-8"), encoding="utf-8")
    if args[0] in EVALUATING and "--as-of" not in args:
        args = [*args, "--population", POPULATION, "--as-of", AS_OF]
    status, _, err = _run(capsys, "en", *args)
    assert status == 2 and english in err, err  # the case is the one meant
    repo_words = [repo, *re.findall(r"[0-9a-f]{7}", err)]
    for lang in LANGS:
        status, out, err = _run(capsys, lang, *args)
        assert status == 2 and out == "" and "Traceback" not in err
        assert not _left(err, *args, *repo_words), (lang, err)
        if lang != "pseudo":
            assert _cyrillic(err), err


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_extra_is_said_in_the_language(
        lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    status, _, err = _run(capsys, lang, "coverage", "drafts/current", "--claims", "--format",
                          "parquet", "-o", str(tmp_path / "r.parquet"))  # fmt: skip
    assert status == 2 and "[parquet]" in err
    assert not _left(err, "--format parquet"), err


@pytest.mark.parametrize("lang", LANGS)
def test_git_missing_is_said_in_the_language(
        lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("GIT_PYTHON_GIT_EXECUTABLE", raising=False)
    status, _, err = _run(capsys, lang, "log", "drafts")
    assert status == 2 and "://" in err
    assert not _left(err), err


@pytest.mark.parametrize("lang", LANGS)
def test_outside_a_repository(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    (tmp_path / "lone" / "drafts").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "lone")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    status, _, err = _run(capsys, lang, "diff", "drafts", "--from", "HEAD", "--population",
                          POPULATION)  # fmt: skip
    assert status == 2
    assert not _left(err, tmp_path), err


@pytest.mark.parametrize("lang", LANGS)
def test_the_suggestion_of_a_path_is_translated(
        lang: str, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """A mistyped path: the library says that it does not exist (its own message), the
    command line's hint names the path meant in the language of output."""
    status, _, err = _run(capsys, lang, "check", "drafts/curent")
    assert status == 2 and "'drafts/current'" in err
    assert "did you mean" not in err
    if lang != "pseudo":
        assert {"kk": "деген болар ма?", "ru": "возможно, имелось в виду"}[lang] in err


@pytest.mark.parametrize("lang", LANGS)
def test_not_one_of(lang: str) -> None:
    from kzrehab._suggest import did_you_mean_among, not_one_of

    with speaking(lang):
        listed = not_one_of("hunger", "motive", ["political", "class"])
        close = not_one_of("exil", "measure", ["exile", "prison"])
        among = did_you_mean_among("c-7", ["c-0007"])
    for said in (listed, close, among):
        # "motives": English makes the plural of the name (a placeholder's value)
        assert not _left(said, "hunger", "motive", "motives", "political", "class", "exil",
                         "measure", "exile", "c")  # fmt: skip
    assert "political, class" in listed and "'exile'" in close and "'c-0007'" in among


def test_not_one_of_in_english() -> None:
    from kzrehab._suggest import not_one_of

    assert not_one_of("hunger", "motive", ["political", "class"]) == (
        "'hunger' is not a motive; motives are: political, class")
    assert not_one_of("x", "outcome", ["acquittal"]) == (
        "'x' is not an outcome; outcomes are: acquittal")
    assert not_one_of("exil", "measure", ["exile"]) == (
        "'exil' is not a measure; did you mean 'exile'?")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_bad_cache_cap_is_said_in_the_language(
        lang: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("KZREHAB_CACHE_MAX", "lots")
    status, _, err = _run(capsys, lang, "check", "drafts")
    assert status == 2 and "KZREHAB_CACHE_MAX='lots'" in err
    assert not _left(err, "K M G T G lots") and _cyrillic(err)


# -- progress ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_progress_bars_are_labelled_in_the_language(
        repo: Path, lang: str, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """The bars of ``coverage``, ``compare`` (laws, attribution) and ``log`` (commits)."""
    from kzrehab import _progress

    monkeypatch.setattr(_progress, "_isatty", lambda stream: True)
    every = ""
    for args in (["coverage", "drafts"], ["compare", "--base", "drafts/current", "--with",
                                          "drafts/bills"], ["log", "drafts"]):  # fmt: skip
        status, _, err = _run(capsys, lang, *args, "--population", POPULATION, "--as-of",
                              AS_OF, "--format", "json", "-o", str(repo.parent / "r.json"))
        assert status == 0, err
        every += err
    bars = [line for line in every.split("\r") if line.startswith("[")]
    assert len(bars) >= 4, every
    assert not _left(every), every
    labels = {line.split("] ", 1)[1].split(" ", 1)[1].strip() for line in bars}
    assert len(labels) >= 4, labels


@pytest.mark.parametrize(("lang", "figures"), [("kk", "1\xa0000/12\xa0345"),
                                                ("ru", "1\xa0000/12\xa0345"),
                                                ("en", "1,000/12,345")])  # fmt: skip
def test_progress_counts_in_the_locale(lang: str, figures: str) -> None:
    import io

    from kzrehab._progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with i18n.language(lang):
        bar = Progress(12345, "x", stream=stream)
        bar.update(1000)
    assert f"] {figures} x" in stream.getvalue()


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_run_notice(lang: str, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from kzrehab import _progress
    from kzrehab.commands import _common
    from kzrehab.population import reference

    monkeypatch.setattr(_progress, "_isatty", lambda stream: True)
    monkeypatch.setattr(reference, "reference_cached", lambda: False)

    def made(progress: object = None) -> str:
        progress(1000)  # type: ignore[operator]
        return "made"

    monkeypatch.setattr(reference, "reference_population", made)
    with speaking(lang):
        got: object = _common._reference_population(progress=True)
    assert got == "made"
    err = capsys.readouterr().err
    assert "[" in err and not _left(err, *re.findall(r"\S*/\S*", err)), err
    if lang != "pseudo":
        assert "200\xa0000" in err


# -- the output of check, test, population and cache ------------------------------------------


def _law_words() -> list[str]:
    from kzrehab.laws.loader import load_laws
    from kzrehab.laws.provisions import texts_of

    words = []
    for law in load_laws([str(ROOT / "drafts")]):
        words += [law.id, *(where for where, _ in texts_of(law))]
    return words


@pytest.mark.parametrize("lang", LANGS)
def test_check_output(lang: str, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(ROOT)
    status, out, _ = _run(capsys, lang, "check", "drafts", "--languages")
    assert status == 0
    assert not _left(out, *_law_words()), out
    if lang == "ru":
        assert "проверено 8 законов: замечаний нет" in out
    if lang == "kk":
        assert "8 заң тексерілді: ескертпе жоқ" in out


def test_check_output_in_english(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(ROOT)
    assert main(["check", "drafts/current/rehabilitation-1993.toml", "--languages"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "checked 1 law: no findings"
    assert re.fullmatch(r"rehabilitation-1993: kk \d+ of \d+ texts \(official: title\); .*",
                        out[0]), out[0]


def _failing_case(tmp_path: Path) -> Path:
    text = (ROOT / "drafts" / "cases" / "peasants.toml").read_text(encoding="utf-8")
    text = text.replace('laws = ["../current", "../bills/peasants.toml"]',
                        f'laws = ["{ROOT}/drafts/current", "{ROOT}/drafts/bills/peasants.toml"]')
    text = text.replace('expect = { status = "eligible", categories = { peasant = "eligible" } }',
                        'expect = { status = "ineligible" }', 1)  # fmt: skip
    case = tmp_path / "cases.toml"
    case.write_text(text, encoding="utf-8")
    return case


@pytest.mark.parametrize("lang", LANGS)
def test_test_output(lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``test``'s own words; what failed, and the explanation, are the library's."""
    case = _failing_case(tmp_path)
    status, out, _ = _run(capsys, lang, "test", str(case), "-v")
    assert status == 1
    lines = [line.strip() for line in out.splitlines() if not line.startswith("        ")]
    starts = ("ok ", "FAIL ", "laws: ", "explain:", "reasoning: ", "source: ")
    assert not [line for line in lines if line.startswith(starts)], out
    laws = next(line for line in lines if str(ROOT) in line)
    assert "as of" not in laws and "2025" in laws
    failure = next(line for line in lines if line.startswith("["))
    assert "expected" not in failure and ", got" not in failure, failure
    last = out.splitlines()[-1]
    assert not _left(last), last
    if lang == "ru":
        assert last == "7 примеров: пройдено 6, не пройдено 1"


@pytest.mark.parametrize("lang", LANGS)
def test_population_info(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, lang, "population", "info", SAMPLE, "--format", "json")
    doc = json.loads(out)
    data = [doc["population"]["name"], SAMPLE, doc["population"]["digest"],
            *doc["unknown_share"], *doc["partial_date_share"]]
    status, out, _ = _run(capsys, lang, "population", "info", SAMPLE)
    assert status == 0
    assert not _left(out, *data), out
    if lang == "kk":
        assert "2\xa0000" in out and "2,0%" in out
    if lang == "ru":
        assert "2\xa0000" in out and "2,0\xa0%" in out


@pytest.mark.parametrize("lang", LANGS)
def test_population_synth_and_import(lang: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    made, stored = tmp_path / "p.jsonl", tmp_path / "p.kzstore"
    status, out, _ = _run(capsys, lang, "population", "synth", "--size", "1200", "-o",
                          str(made))  # fmt: skip
    assert status == 0 and not _left(out, made), out
    status, out2, _ = _run(capsys, lang, "population", "import", str(made), "-o", str(stored))
    assert status == 0 and not _left(out2, made, stored), out2
    if lang != "pseudo":
        assert "1\xa0200" in out and "1\xa0200" in out2


def _cache(root: Path) -> None:
    (root / "population").mkdir(parents=True)
    with (root / "population" / "a.kzstore").open("wb") as f:
        f.truncate(3 * 1024**2)
    (root / "coverage" / "ab").mkdir(parents=True)
    (root / "coverage" / "ab" / "ab1.npz").write_bytes(b"x" * 1500)
    (root / "records" / "cd").mkdir(parents=True)
    (root / "records" / "cd" / "cd1.json").write_bytes(b"{}")


@pytest.mark.parametrize("lang", LANGS)
def test_cache_info_and_clear(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = tmp_path / "cache"
    _cache(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(root))
    monkeypatch.delenv("KZREHAB_CACHE_MAX", raising=False)
    status, out, _ = _run(capsys, lang, "cache", "info")
    assert status == 0
    assert not _left(out, root), out
    status, cleared, _ = _run(capsys, lang, "cache", "clear", "--older-than", "0.5")
    assert status == 0 and not _left(cleared, root), cleared
    status, emptied, _ = _run(capsys, lang, "cache", "clear")
    assert status == 0 and not _left(emptied, root), emptied
    if lang == "ru":
        assert "3,0 МиБ" in out and "1,5 КиБ" in out and "2 байта" in out
        assert "1,0 ГиБ" in out and "не использовавшихся более 0,5 дн." in cleared
        assert "удалено 3 записей кэша" not in emptied and "удалены 3 записи кэша" in emptied
    if lang == "kk":
        assert "3,0 МиБ" in out and "0,5 күннен" in cleared


def test_cache_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from kzrehab.commands.cache import _bytes

    assert [_bytes(n) for n in (0, 2, 1023, 1536, 3 * 1024**2, 5 * 1024**4)] == [
        "0 bytes", "2 bytes", "1,023 bytes", "1.5 KiB", "3.0 MiB", "5,120.0 GiB"]
    root = tmp_path / "cache"
    _cache(root)
    monkeypatch.setenv("KZREHAB_CACHE", str(root))
    assert main(["cache", "clear", "--older-than", "0.5"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("removed 0 cache entries last used more than 0.5 days ago (0 bytes)")


def test_population_info_shares_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    """The shares are rounded as they always were (``{v:6.1%}``: 0.0465 is 4.7%)."""
    from kzrehab.commands.population import _share

    for k in range(0, 10001, 7):
        v = round(k / 10000 + 0.00005, 4)
        assert f"{_share(v):>6}" == f"{v:6.1%}", v
    assert _share(0.0465) == "4.7%"


def test_the_operating_systems_errors_are_translated(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:  # fmt: skip
    """An output that is a directory: the OS's words in the language ("Is a directory" in
    English, as the C library says it)."""
    from kzrehab.cli import main

    out = tmp_path / "sub"
    out.mkdir()
    status = main(["--lang", "ru", "coverage", "drafts/current", "--population",
                   "tests/data/sample.jsonl", "-o", str(out), "--format", "json"])
    err = capsys.readouterr().err
    assert status == 2 and "это каталог" in err and "Is a directory" not in err, err
