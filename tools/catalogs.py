"""The message catalogs of kzrehab's output languages (:doc:`languages` in the docs):
extract, update, check and compile, with Babel.

    python tools/catalogs.py update     # after changing messages in the code
    python tools/catalogs.py check      # what tests/test_i18n.py holds
    python tools/catalogs.py compile    # the .mo files (pip install does this too)
    python tools/catalogs.py fill ru ru.json   # put translations from {message: text}

The messages are the English string literals passed to ``_``, ``N_`` and ``ngettext``
(:mod:`kzrehab.i18n`) in ``src/kzrehab``, extracted by Babel. Each language has its ``.po``
files in ``src/kzrehab/locale/LANG/``, one per part of the package (:data:`PARTS`: the
reports, their tables and charts, the command line, and the messages of the rest), so that a
translator of the reports reads only the reports; ``compile`` joins them into the one
``LANG/LC_MESSAGES/kzrehab.mo`` that gettext reads. ``update`` adds each new message, with
an empty translation, to the file of the part that first uses it and removes those no longer
used; ``check`` lists every message without a translation (or only a fuzzy one), every
translation whose ``{placeholders}`` differ from its message's, every message translated in
two files, and every file the extraction does not know. ``setup.py`` imports
:func:`compile_catalogs` to build the ``.mo`` files when kzrehab is installed.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kzrehab"
LOCALE = PACKAGE / "locale"
#: the languages that have catalogs (English is the language of the messages themselves)
LANGUAGES = ("kk", "ru")
DOMAIN = "kzrehab"
#: each part of the package and the paths (relative to the package) whose messages it holds;
#: a message goes to the first part one of its locations matches, else to "messages"
PARTS: dict[str, tuple[str, ...]] = {
    "tables": ("reports/tables.py", "reports/spreadsheets.py", "reports/svg.py",
               "reports/history_views.py", "reports/history.py", "reports/data/"),
    "reports": ("reports/",),
    "cli": ("cli.py", "commands/", "_progress.py", "_suggest.py", "_cache.py", "tracker/",
            "_extras.py"),
}
DEFAULT_PART = "messages"
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}!:]*)(?:[!:][^{}]*)?\}(?!\})")

Key = str | tuple[str, str]


def _part(locations: Iterable[str]) -> str:
    for where in locations:
        for part, prefixes in PARTS.items():
            if any(where == p or where.startswith(p) for p in prefixes):
                return part
    return DEFAULT_PART


def extract() -> dict[Key, list[str]]:
    """Every message of the package and the files that use it (in the package), in a
    stable order: by the first file, then the message."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    found: dict[Key, list[str]] = {}
    keywords = {k: DEFAULT_KEYWORDS[k] for k in ("_", "N_", "ngettext")}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=keywords):  # fmt: skip
        key: Key = message if isinstance(message, str) else (message[0], message[1])
        files = found.setdefault(key, [])
        if filename not in files:
            files.append(filename)
    return found


def _read(path: Path, lang: str):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def _new_catalog(lang: str, part: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    from babel.messages.catalog import Catalog

    # a fixed date, so that updating a catalog changes only its messages
    when = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    return Catalog(locale=lang, domain=DOMAIN, project="kzrehab", fuzzy=False,
                   creation_date=when, revision_date=when,
                   last_translator="kzrehab contributors",
                   language_team=f"kzrehab ({lang})",
                   copyright_holder="kzrehab contributors",
                   msgid_bugs_address="the kzrehab issue tracker",
                   header_comment=f"# kzrehab's messages in {lang}: {part}.\n"
                   "# The project's own translation, not reviewed by a sworn translator; the\n"
                   "# legal terms follow the glossary (docs/glossary.rst).\n")  # fmt: skip


def _files(lang: str) -> list[Path]:
    return sorted((LOCALE / lang).glob("*.po"))


def _union(lang: str):  # type: ignore[no-untyped-def]
    """The messages of every ``.po`` file of ``lang``: ``{id: (file, message)}``."""
    out = {}
    for path in _files(lang):
        for m in _read(path, lang):
            if m.id:
                out.setdefault(m.id, []).append((path.name, m))
    return out


def _write(path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False,
             include_lineno=False, ignore_obsolete=True)  # fmt: skip
    data = buf.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def update() -> None:
    """Bring every ``.po`` file up to the code: add new messages untranslated to their
    part's file, drop the messages no longer used, refresh where each is used."""
    template = extract()
    for lang in LANGUAGES:
        have = _union(lang)
        catalogs = {}
        for key, files in template.items():
            ident = key
            part = _part(files)
            old = have.get(ident)
            if old:
                name, msg = old[0]
                part = name.removesuffix(".po")
                string, flags = msg.string, msg.flags
            else:
                string, flags = (("", "") if isinstance(key, tuple) else ""), set()
            cat = catalogs.get(part)
            if cat is None:
                cat = catalogs[part] = _new_catalog(lang, part)
            if isinstance(key, tuple) and isinstance(string, str):
                string = (string,)
            cat.add(key, string, locations=[(f, None) for f in files], flags=flags)
        for part in {*catalogs, *(p.stem for p in _files(lang))}:
            path = LOCALE / lang / f"{part}.po"
            if part in catalogs:
                _write(path, catalogs[part])
            else:
                path.unlink()


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def check() -> list[str]:
    """What is wrong with the catalogs, one line each (nothing when they are complete)."""
    template = extract()
    problems = []
    for lang in LANGUAGES:
        have = _union(lang)
        for key in template:
            entries = have.get(key)
            shown = key if isinstance(key, str) else key[0]
            if not entries:
                problems.append(f"{lang}: no translation of {shown!r} (run tools/catalogs.py"
                                " update, then translate it)")
                continue
            if len(entries) > 1:
                problems.append(f"{lang}: {shown!r} is translated in "
                                + " and ".join(name for name, _m in entries))
            _name, msg = entries[0]
            strings = [msg.string] if isinstance(msg.string, str) else list(msg.string)
            if msg.fuzzy or not all(strings):
                problems.append(f"{lang}: {shown!r} has no translation yet"
                                + (" (only a fuzzy one)" if msg.fuzzy else ""))
                continue
            ids = [key] if isinstance(key, str) else list(key)
            want = set().union(*(_placeholders(i) for i in ids))
            for s in strings:
                got = _placeholders(s)
                # a plural form may leave out the count ("one claim"), never add a name
                if not got <= want or (isinstance(key, str) and got != want):
                    problems.append(f"{lang}: {shown!r}: the translation's placeholders "
                                    f"{sorted(got)} differ from {sorted(want)}")
        for key in have:
            if key not in template:
                shown = key if isinstance(key, str) else key[0]
                problems.append(f"{lang}: {shown!r} is no longer used (run tools/catalogs.py"
                                " update)")
    return problems


def compile_catalogs(locale_dir: Path = LOCALE, out_dir: Path | None = None) -> list[Path]:
    """Join each language's ``.po`` files into ``OUT/LANG/LC_MESSAGES/kzrehab.mo`` (``OUT``
    is ``locale_dir`` unless given); the ``.mo`` files written."""
    from babel.messages.mofile import write_mo

    out_dir = locale_dir if out_dir is None else out_dir
    written = []
    for lang_dir in sorted(p for p in locale_dir.iterdir() if p.is_dir()):
        pos = sorted(lang_dir.glob("*.po"))
        if not pos:
            continue
        lang = lang_dir.name
        joined = None
        for path in pos:
            cat = _read(path, lang)
            if joined is None:
                joined = cat
            else:
                for m in cat:
                    if m.id and m.id not in joined:
                        joined[m.id] = m
        buf = io.BytesIO()
        write_mo(buf, joined, use_fuzzy=False)
        target = out_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != buf.getvalue():
            target.write_bytes(buf.getvalue())
        written.append(target)
    return written


def fill(lang: str, translations: dict[str, str | list[str]]) -> int:
    """Put translations (``{message: translation}``, a list of forms for a plural message,
    keyed by its singular) into ``lang``'s ``.po`` files; the number put."""
    put = 0
    for path in _files(lang):
        cat = _read(path, lang)
        changed = False
        for m in cat:
            key = m.id if isinstance(m.id, str) else m.id[0]
            if m.id and key in translations:
                new = translations[key]
                m.string = new if isinstance(m.id, str) else tuple(new)
                m.flags.discard("fuzzy")
                changed = True
                put += 1
        if changed:
            fresh = _new_catalog(lang, path.stem)
            for m in cat:
                if m.id:
                    fresh.add(m.id, m.string, locations=m.locations, flags=m.flags)
            _write(path, fresh)
    return put


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["update", "check", "compile", "fill"])
    parser.add_argument("lang", nargs="?", choices=LANGUAGES, help="fill: the language")
    parser.add_argument("json", nargs="?", type=Path,
                        help="fill: a JSON object {message: translation}; a plural "
                             "message's translation is the list of its forms, keyed by its "
                             "singular")
    args = parser.parse_args(argv)
    if args.action == "fill":
        import json

        if args.lang is None or args.json is None:
            parser.error("fill needs LANG and JSON")
        put = fill(args.lang, json.loads(args.json.read_text(encoding="utf-8")))
        compile_catalogs()
        print(f"{put} translation(s) put")
    elif args.action == "update":
        update()
        compile_catalogs()
    elif args.action == "compile":
        for path in compile_catalogs():
            print(path.relative_to(ROOT))
    else:
        problems = check()
        for line in problems:
            print(line)
        print(f"{len(problems)} problem(s)" if problems else "the catalogs are complete")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
