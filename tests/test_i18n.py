"""The language of output (issue 18, :doc:`languages`): the catalogs are complete and
compiled, every message goes through them, numbers and dates follow the locale, and the
command line chooses the language from ``--lang``, ``KZREHAB_LANG`` or the locale."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kzrehab import i18n
from kzrehab.cli import main

from .pseudo import english_words, pseudo, pseudo_english

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kzrehab"


def _catalogs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "tools" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the catalogs -------------------------------------------------------------------------


def test_every_message_is_translated_in_every_catalog() -> None:
    problems = _catalogs().check()
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_the_compiled_catalogs_are_those_of_the_po_files(tmp_path: Path) -> None:
    built = _catalogs().compile_catalogs(PACKAGE / "locale", tmp_path)
    assert {p.parent.parent.name for p in built} == {"kk", "ru"}
    for fresh in built:
        installed = PACKAGE / "locale" / fresh.relative_to(tmp_path)
        assert installed.exists() and installed.read_bytes() == fresh.read_bytes(), (
            f"{installed} is older than its .po files: run python tools/catalogs.py compile "
            "(pip install does it)")


def _calls(tree: ast.AST) -> list[ast.Call]:
    names = {"_", "N_", "ngettext"}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id in names]  # fmt: skip


def test_messages_are_string_literals() -> None:
    """Babel extracts only literal messages: an f-string, a sum or a formatted string in
    ``_()`` would never be translated (it is in no catalog). ``_(name)`` translates a
    constant marked with ``N_`` where it is defined; ``N_`` and ``ngettext`` take literals."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree):
            name = call.func.id  # type: ignore[attr-defined]
            texts = call.args[:2] if name == "ngettext" else call.args[:1]
            for arg in texts:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                marked = name == "_" and isinstance(arg, ast.Name | ast.Attribute | ast.Subscript)
                if not (literal or marked):
                    bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not bad, bad


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_plural_forms_follow_the_language(lang: str) -> None:
    header = (PACKAGE / "locale" / lang / "LC_MESSAGES" / "kzrehab.mo").read_bytes()
    want = {"kk": b"nplurals=2; plural=(n != 1);",
            "ru": b"nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0"}[lang]  # fmt: skip
    assert want in header


def test_russian_chooses_among_three_forms() -> None:
    """The catalog's plural rule in use: 1 and 21 take the first form, 2–4 and 22 the
    second, 5–20 and 11–14 the third."""
    catalog = i18n._catalog("ru")
    forms = [catalog.plural(n) for n in (1, 2, 4, 5, 11, 12, 14, 20, 21, 22, 25, 101, 111)]  # type: ignore[attr-defined]
    assert forms == [0, 1, 1, 2, 2, 2, 2, 2, 0, 1, 2, 0, 2]


def test_pseudo_translation_keeps_placeholders() -> None:
    assert pseudo("{n:,} claims of {total}") == "⟦{n:,} ċłȧīḿş őƒ {total}⟧"
    assert pseudo("usage: %(prog)s") == "⟦űşȧğé: %(prog)s⟧"


# -- numbers and dates ---------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "whole", "amount", "share", "day", "tenge"), [
    ("en", "1,234,567", "+1,234.50", "12.5%", "2025-06-01", "KZT"),
    ("kk", "1\xa0234\xa0567", "+1\xa0234,50", "12,5%", "2025\u202fж. 1 маусым", "₸"),
    ("ru", "1\xa0234\xa0567", "+1\xa0234,50", "12,5\xa0%", "1 июня 2025\u202fг.", "₸"),
])  # fmt: skip
def test_numbers_and_dates_follow_the_locale(lang: str, whole: str, amount: str, share: str,
                                             day: str, tenge: str) -> None:  # fmt: skip
    with i18n.language(lang):
        assert i18n.number(1234567) == whole
        assert i18n.decimal(1234.5, sign=True) == amount
        assert i18n.signed(0) == "+0"
        assert i18n.percent(0.125) == share
        assert i18n.date(dt.date(2025, 6, 1)) == day
        assert i18n.currency() == tenge


def test_english_numbers_are_those_python_writes() -> None:
    """English output keeps its figures byte for byte: Babel's ``en`` is Python's ``,``."""
    with i18n.language("en"):
        for x in (0, 7, -7, 999, 1000, -1234567, 10**12):
            assert i18n.number(x) == f"{x:,}"
            assert i18n.signed(x) == f"{x:+,}"
        for y in (0.0, 0.005, 1234.5, -1234.567, 1e9 + 0.25):
            assert i18n.decimal(y) == f"{y:,.2f}"
            assert i18n.decimal(y, sign=True) == f"{y:+,.2f}"
        for share in (0.0, 0.0465, 0.125, 0.99949, 1.0, 0.00051, 12.3456):
            assert i18n.percent(share) == f"{share:,.1%}", share


def test_language_is_scoped() -> None:
    assert i18n.current() == "en"
    with i18n.language("kk"):
        assert i18n.current() == "kk"
        with i18n.language("ru"):
            assert i18n.current() == "ru"
        assert i18n.current() == "kk"
    assert i18n.current() == "en"
    with pytest.raises(i18n.LanguageError, match="use kk, ru, en"):
        i18n.set_language("de")


# -- choosing the language ----------------------------------------------------------------


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "en"),
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "kk_KZ.UTF-8"}, "kk"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "kk_KZ", "LANG": "ru_RU"}, "kk"),
    ({"KZREHAB_LANG": "ru", "LANG": "kk_KZ"}, "ru"),
    ({"LANG": "C"}, "en"),
])  # fmt: skip
def test_the_environment_chooses(environ: dict[str, str], lang: str) -> None:
    assert i18n.from_environment(environ) == lang


def test_a_bad_kzrehab_lang_is_named() -> None:
    with pytest.raises(i18n.LanguageError, match="KZREHAB_LANG: 'xx'"):
        i18n.from_environment({"KZREHAB_LANG": "xx"})


def _cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environ = {k: v for k, v in os.environ.items()
               if k not in ("KZREHAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}  # fmt: skip
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "kzrehab", *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True)  # fmt: skip


def test_lang_option_and_variable_choose_the_language_of_errors() -> None:
    ru = _cli(["--lang", "ru", "check"])
    assert ru.returncode == 2 and "ошибка: необходимо указать аргументы" in ru.stderr
    kk = _cli(["check", "--lang=kk"])
    assert kk.returncode == 2 and "қате:" in kk.stderr
    env = _cli(["check"], {"KZREHAB_LANG": "ru"})
    assert env.returncode == 2 and "использование:" in env.stderr
    wins = _cli(["check", "--lang", "en"], {"KZREHAB_LANG": "ru"})
    assert "usage:" in wins.stderr


@pytest.mark.parametrize(("args", "env", "said"), [
    (["--lang", "xx", "check", "drafts"], {}, "argument --lang: invalid choice: 'xx'"),
    (["check", "drafts"], {"KZREHAB_LANG": "fr"}, "KZREHAB_LANG: 'fr' is not a language"),
])  # fmt: skip
def test_a_bad_language_is_a_usage_error(args: list[str], env: dict[str, str],
                                         said: str) -> None:  # fmt: skip
    done = _cli(args, env)
    assert done.returncode == 2
    assert said in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_help_does_not_import_babel(lang: str) -> None:
    code = ("import sys, kzrehab.cli\n"
            f"try:\n    kzrehab.cli.main(['--lang', '{lang}', '--help'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('babel')))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- everything goes through the catalogs -------------------------------------------------

#: the words of the command line that are names, not English: commands, options, metavars
_CLI_NAMES = ("kzrehab", "COMMAND", "ACTION", "PATH", "LAW", "CLAIM_ID", "DIR", "REV",
              "FILE", "NAME", "DAYS", "N", "K", "FORMAT", "DATE", "LANG", "DIALECT")  # fmt: skip


def _help_texts() -> list[str]:
    from kzrehab.cli import build_parser

    parser = build_parser()
    out = [parser.format_help()]
    sub = next(a for a in parser._actions if a.dest == "command")
    for p in sub.choices.values():  # type: ignore[union-attr]
        out.append(p.format_help())
    return out


def test_help_goes_through_the_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    """Every word of every command's help is translated (the pseudo-translation leaves no
    plain English word), but for the names of commands, options and their values."""
    from kzrehab.cli import build_parser

    with pseudo_english():
        texts = _help_texts()
        parser = build_parser()
    options = {o for a in parser._actions for o in a.option_strings}
    data = [*_CLI_NAMES, *options]
    for p in next(a for a in parser._actions if a.dest == "command").choices.values():  # type: ignore[union-attr]
        data += [o for a in p._actions for o in a.option_strings]
        data += [str(c) for a in p._actions for c in (a.choices or ()) if isinstance(c, str)]
        data += [str(a.metavar) for a in p._actions if a.metavar]
        data += [a.dest for a in p._actions]
    data += list(next(a for a in parser._actions if a.dest == "command").choices)  # type: ignore[arg-type]
    left = set().union(*(english_words(t, data) for t in texts))
    assert not left, sorted(left)


def test_cli_errors_go_through_the_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    with pseudo_english():
        status = main(["check"])
    err = capsys.readouterr().err
    assert status == 2
    assert not english_words(err, ["kzrehab", "check", "PATH", "languages", "lang", "kk",
                                   "ru", "en", "h"]), err  # fmt: skip
