"""The language of output: messages through gettext catalogs, numbers and dates through
Babel (:doc:`languages`).

Every user-facing string — a report's words, a table's heading, a chart's label, a message
of the command line, an error — is written in English in the code and passed through
:func:`_` (or :func:`ngettext` when it counts something, :func:`N_` to mark a constant that
is translated where it is used). The language is :func:`current`: English unless
:func:`language` (a context manager) or :func:`set_language` chose another; the command line
sets it from ``--lang``, ``KZREHAB_LANG`` or the locale (:func:`from_environment`).

The catalogs are compiled ``.mo`` files under ``kzrehab/locale/LANG/LC_MESSAGES/``, built from
the ``.po`` files beside them when kzrehab is installed (``setup.py``; the maintainer's
``tools/catalogs.py`` extracts and updates them with Babel). They are read the first time a
message is translated into their language; English needs none (the messages are English).

Numbers, amounts, shares and dates follow the language's locale through Babel (CLDR): ``1
234,50`` in Kazakh and Russian, ``1,234.50`` in English. Babel is imported the first time a
number is formatted, never by ``kzrehab --help``.
"""

from __future__ import annotations

__all__ = [
    "LANGUAGES",
    "DEFAULT",
    "LanguageError",
    "current",
    "set_language",
    "language",
    "from_environment",
    "_",
    "N_",
    "ngettext",
    "number",
    "signed",
    "decimal",
    "percent",
    "date",
    "date_time",
    "currency",
    "LOCALES",
]

import datetime as dt
import gettext
import math
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

#: The languages of output and of drafts (ISO 639-1): Kazakh, Russian, English.
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
#: The language of output unless another is chosen, and the language of the messages' ids.
DEFAULT = "en"
#: The gettext domain of kzrehab's catalogs.
DOMAIN = "kzrehab"
#: Where the compiled catalogs are: ``LOCALE_DIR/LANG/LC_MESSAGES/kzrehab.mo``.
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("kzrehab_language", default=DEFAULT)


class LanguageError(ValueError):
    """A language that kzrehab does not write (the message names the ones it does)."""


def check(lang: str, where: str = "language") -> str:
    """``lang`` when it is one of :data:`LANGUAGES`, else a :class:`LanguageError`."""
    if lang not in LANGUAGES:
        raise LanguageError(f"{where}: '{lang}' is not a language kzrehab writes: use "
                            f"{', '.join(LANGUAGES)}")  # fmt: skip
    return lang


def current() -> str:
    """The language output is written in now."""
    return _current.get()


def set_language(lang: str) -> None:
    """Write output in ``lang`` from now on (in this thread or task)."""
    _current.set(check(lang))


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Write output in ``lang`` within the ``with`` block::

        with kzrehab.i18n.language("ru"):
            text = report.render("text")
    """
    token = _current.set(check(lang))
    try:
        yield lang
    finally:
        _current.reset(token)


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language asked for by the environment: ``KZREHAB_LANG`` (which must name one of
    :data:`LANGUAGES`), else the locale's language (``LC_ALL``, ``LC_MESSAGES``, ``LANG``)
    when kzrehab writes it, else English."""
    env = os.environ if environ is None else environ
    asked = env.get("KZREHAB_LANG", "").strip()
    if asked:
        return check(asked, "KZREHAB_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            lang = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return lang if lang in LANGUAGES else DEFAULT
    return DEFAULT


# -- messages ----------------------------------------------------------------------------

#: the catalogs read so far, by language (tests may put a pseudo-translation here)
_CATALOGS: dict[str, gettext.NullTranslations] = {}


def _catalog(lang: str) -> gettext.NullTranslations:
    found = _CATALOGS.get(lang)
    if found is None:
        if lang == DEFAULT:
            found = gettext.NullTranslations()
        else:
            mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
            try:
                with mo.open("rb") as fp:
                    found = gettext.GNUTranslations(fp)
            except OSError as err:  # an install that did not build the catalogs
                raise LanguageError(
                    f"the {lang} catalog is missing ({mo}): reinstall kzrehab "
                    "(pip install .), which compiles the catalogs") from err  # fmt: skip
        _CATALOGS[lang] = found
    return found


def _(message: str) -> str:
    """``message`` (an English string literal) in the current language."""
    return _catalog(_current.get()).gettext(message)


def N_(message: str) -> str:
    """``message`` unchanged, marked for the catalogs: a constant translated where it is
    used, with :func:`_`."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that counts ``n`` things, by the current language's plural
    rules (Russian has three forms, Kazakh and English two)."""
    return _catalog(_current.get()).ngettext(singular, plural, n)


# -- numbers and dates ---------------------------------------------------------------------


#: the CLDR locale of each language's numbers and dates: Kazakh and Russian as written in
#: Kazakhstan (``ru_KZ`` has the tenge's sign ``₸``, ``ru`` alone writes ``KZT``)
LOCALES: Mapping[str, str] = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en"}


@cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(LOCALES[lang])


def number(n: int) -> str:
    """A whole number with the language's grouping: ``1,234`` or ``1 234``."""
    from babel.numbers import format_decimal

    return format_decimal(n, format="#,##0", locale=_locale(_current.get()))


def signed(n: int) -> str:
    """A whole number with its sign, ``+0`` for zero: ``+1,234``, ``-5``."""
    from babel.numbers import format_decimal

    return format_decimal(n, format="+#,##0;-#,##0", locale=_locale(_current.get()))


def _exact(x: float) -> float | Decimal:
    """A float's exact value, so that a half is rounded as Python rounds it (0.005 is a
    little more than a half cent: 0.01, where its shortest decimal form would give 0.00)."""
    return Decimal(x) if isinstance(x, float) and math.isfinite(x) else x


def _body(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def decimal(x: float, places: int = 2, sign: bool = False) -> str:
    """An amount with ``places`` decimals and the language's separators: ``1,234.50``,
    ``1 234,50``; with its sign when ``sign``."""
    from babel.numbers import format_decimal

    body = _body(places)
    pattern = f"+{body};-{body}" if sign else body
    return format_decimal(_exact(x), format=pattern, locale=_locale(_current.get()),
                          decimal_quantization=True)  # fmt: skip


@cache
def _percent_affixes(lang: str) -> tuple[str, str]:
    """What the language writes before and after a percentage's number: ``("", "%")``,
    ``("", " %")`` (its CLDR pattern, with its percent sign)."""
    loc = _locale(lang)
    pattern: str = loc.percent_formats[None].pattern.split(";")[0]  # "#,##0%", "#,##0 %"
    start = min(i for i in (pattern.find("#"), pattern.find("0")) if i >= 0)
    end = pattern.rindex("0") + 1
    symbols = loc.number_symbols
    sign = str(symbols.get("latn", symbols).get("percentSign", "%"))
    return pattern[:start].replace("%", sign), pattern[end:].replace("%", sign)


def percent(share: float, places: int = 1) -> str:
    """A share (``0.125``) as a percentage in the language's pattern: ``12.5%``,
    ``12,5 %``. Rounded as Python's ``{:.1%}`` rounds (the float times 100, then its exact
    value), so that English keeps its figures."""
    from babel.numbers import format_decimal

    lang = _current.get()
    prefix, suffix = _percent_affixes(lang)
    number = format_decimal(_exact(share * 100), format=_body(places), locale=_locale(lang),
                            decimal_quantization=True)  # fmt: skip
    return prefix + str(number) + suffix


def currency() -> str:
    """The tenge as the language writes it after an amount: ``KZT`` in English, ``₸`` in
    Kazakh and Russian (CLDR's symbol)."""
    lang = _current.get()
    if lang == DEFAULT:
        return "KZT"
    from babel.numbers import get_currency_symbol

    return str(get_currency_symbol("KZT", locale=_locale(lang)))


def date(day: dt.date) -> str:
    """A date: ISO 8601 in English (``2025-06-01``, as the reports always wrote it), the
    locale's long form in Kazakh and Russian (``1 июня 2025 г.``)."""
    lang = _current.get()
    if lang == DEFAULT:
        return day.isoformat()
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=_locale(lang)))


def date_time(moment: dt.datetime) -> str:
    """A date and its time of day (hours and minutes, as ``moment`` gives them, in its own
    time zone): ``2026-12-02 07:40`` in English, the locale's long date then the time in
    Kazakh and Russian (``2 декабря 2026 г., 07:40``, joined as CLDR joins them)."""
    if _current.get() == DEFAULT:
        return moment.isoformat()[:16].replace("T", " ")
    return f"{date(moment.date())}, {moment:%H:%M}"
