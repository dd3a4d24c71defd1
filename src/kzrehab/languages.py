"""The languages of drafts and reports: Kazakh, Russian and English (:doc:`draft-format`).

A draft may give its prose — the law's ``title``, an article's ``heading`` and ``text``, a
provision's ``text``, a component's ``title`` — per language, as a table keyed by the
ISO 639-1 codes in :data:`LANGUAGES` (those of output, :mod:`kzrehab.i18n`); a plain string
is English (:data:`DEFAULT`). A report is written in one language (``--lang``): where a
text is not given in that language, :func:`pick` falls back along :func:`fallback_order` —
the report's language, then English, then Russian, then Kazakh.

Akoma Ntoso names languages by their ISO 639-2/B codes (:data:`ISO_639_2`: ``kaz``,
``rus``, ``eng``); HTML's ``lang`` and XML's ``xml:lang`` by the ISO 639-1 codes here.
"""

from __future__ import annotations

__all__ = [
    "LANGUAGES",
    "DEFAULT",
    "FALLBACK",
    "ISO_639_2",
    "NAMES",
    "fallback_order",
    "pick",
    "check_language",
]

from collections.abc import Mapping

from .i18n import DEFAULT, LANGUAGES, N_, _

#: The order in which a missing text falls back to another language.
FALLBACK: tuple[str, ...] = ("en", "ru", "kk")
#: ISO 639-2/B codes, as Akoma Ntoso's ``FRBRlanguage`` and expression URIs write them.
ISO_639_2: Mapping[str, str] = {"kk": "kaz", "ru": "rus", "en": "eng"}
#: Each language's English name (marked for the catalogs: translate it where it is shown).
NAMES: Mapping[str, str] = {"kk": N_("Kazakh"), "ru": N_("Russian"), "en": N_("English")}


def check_language(lang: str) -> str:
    """``lang`` itself when it is one of :data:`LANGUAGES`; a :class:`ValueError` otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(_("'{lang}' is not a language: use {items}").format(
                             lang=lang, items=', '.join(LANGUAGES)))
    return lang


def fallback_order(lang: str = DEFAULT) -> tuple[str, ...]:
    """``lang`` first, then the others in the order of :data:`FALLBACK`."""
    check_language(lang)
    return (lang, *(other for other in FALLBACK if other != lang))


def pick(texts: Mapping[str, str], lang: str = DEFAULT) -> tuple[str, str]:
    """``(language, text)``: the text in ``lang``, else the first given in the fallback
    order; ``(lang, "")`` when no language is given."""
    for candidate in fallback_order(lang):
        if candidate in texts:
            return candidate, texts[candidate]
    return lang, ""
