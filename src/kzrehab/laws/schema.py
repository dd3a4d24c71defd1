"""The schema of a draft file: the TOML document structured into classes that mirror it.

The second of the loader's three steps (:mod:`kzrehab.laws.loader`). This module's own
cattrs converter (:func:`converter`) structures a TOML document into the attrs classes
below, which follow the file key for key (:class:`RawDraft`, :class:`RawLaw`,
:class:`RawArticle`, :class:`RawGround`, …). It is a plain :class:`cattrs.BaseConverter`
with only this module's hooks, built on the first load. The classes are not listed
here: each follows its table of :doc:`draft-format` key for key. Unknown keys are errors with a
did-you-mean; wrong types, bad ids, unknown kinds, statuses, recipients and actions, bad
dates and missing keys are found here, all of them in one pass, and
:func:`structure_problems` turns what cattrs raises into one message per key path. What the
values mean is checked next (:mod:`kzrehab.laws.meaning`). The format itself is
:doc:`draft-format`.

The provision classes give the same keys as the model's fields an amendment may give
(:func:`kzrehab.laws.provisions.amendable_fields`); a test holds the two equal.
"""

from __future__ import annotations

# The Raw* classes are left out of the documented names: each follows its table of
# docs/draft-format.rst key for key.
__all__ = ["ACTIONS", "AMEND_KEYS", "OFFICIAL_KEY", "converter", "structure_problems"]

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, NewType, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from .._suggest import did_you_mean
from ..dates import date_error
from ..i18n import N_, _
from ..languages import FALLBACK, LANGUAGES
from ..vocabulary import CLAIMANTS, LAW_KINDS, LAW_STATUSES, REPARATION_KINDS
from .provisions import PERIODS, PROVISION_TYPES
from .spans import join

_ID = re.compile(r"[a-z0-9-]+\Z")
_CATEGORY = re.compile(r"[a-z0-9_-]+\Z")
_ADILET = re.compile(r"[A-Z0-9_]{1,40}\Z")
_REF = re.compile(r"(?:[a-z0-9-]+:)?[a-z0-9-]+\Z")
_TARGET = re.compile(r"(?:(parameters|definitions)\.([A-Za-z_][A-Za-z0-9_]*)|[a-z0-9-]+)\Z")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

#: What an amendment does to its target.
ACTIONS = ("repeal", "replace", "insert")
#: The key of a table of texts that lists the languages whose text is the official wording.
OFFICIAL_KEY = "official"

# -- values as written ------------------------------------------------------------------


class _Problem(ValueError):
    """A bad value found while structuring; ``subkey`` extends the key path."""

    def __init__(self, message: str, subkey: str | None = None) -> None:
        super().__init__(message)
        self.subkey = subkey


_Id = NewType("_Id", str)
_Ref = NewType("_Ref", str)
_Target = NewType("_Target", str)
_Category = NewType("_Category", str)
_Number = NewType("_Number", str)
_LawKind = NewType("_LawKind", str)
_LawStatus = NewType("_LawStatus", str)
_ReparationKind = NewType("_ReparationKind", str)
_Claimant = NewType("_Claimant", str)
_Action = NewType("_Action", str)
_ProvisionType = NewType("_ProvisionType", str)
_Period = NewType("_Period", str)
_Adilet = NewType("_Adilet", str)

_Pairs = tuple[tuple[dt.date | None, float], ...]


@attrs.frozen
class _Values:
    """A parameter's value as written: a number, or a table of ``YYYY-MM-DD = number``."""

    pairs: _Pairs


@attrs.frozen
class _AnyValue:
    """An amendment's ``value``: a parameter's value or a definition's expression."""

    value: str | _Values


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int):
        return _("an integer ({value})").format(value=value)
    if isinstance(value, float):
        return _("a float ({value})").format(value=value)
    if isinstance(value, str):
        return _("a string ({value!r})").format(value=value) if len(value) <= 40 else _("a string")
    if isinstance(value, dt.datetime):
        return _("a date-time")
    if isinstance(value, dt.date):
        return _("a date ({value})").format(value=value)
    if isinstance(value, dt.time):
        return _("a time")
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("a table")
    return type(value).__name__  # pragma: no cover - tomllib gives nothing else


def _string(value: object, __: Any = None) -> str:
    if not isinstance(value, str):
        raise _Problem(_("expected a string, found {toml_type}").format(
                           toml_type=_toml_type(value)))
    return value


def _pattern(rx: re.Pattern[str], what: str) -> Callable[[object, Any], str]:
    def hook(value: object, __: Any) -> str:
        text = _string(value)
        if not rx.match(text):
            raise _Problem(_("{text!r} is not {what}").format(text=text, what=_(what)))
        return text

    return hook


def _choice(choices: tuple[str, ...], what: str) -> Callable[[object, Any], str]:
    def hook(value: object, __: Any) -> str:
        text = _string(value)
        if text not in choices:
            raise _Problem(
                _("'{text}' is not {what} ({items}){hint}").format(
                    text=text, what=_(what), items=" | ".join(choices),
                    hint=did_you_mean(text, choices))
            )
        return text

    return hook


def _number(value: object, __: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _Problem(_("an article number is text: write number = \"{value}\"").format(
                           value=value))
    text = _string(value).strip()
    if not text:
        raise _Problem(_("an article number cannot be empty"))
    return text


def _date(value: object, __: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Problem(_("expected a date, found a date-time: write {date}").format(
                           date=value.date().isoformat()))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DAY.match(value.strip()):
        raise _Problem(_("a date is written without quotes: {value}, not {value2!r}").format(
                           value=value.strip(), value2=value))
    raise _Problem(_("expected a date (YYYY-MM-DD, without quotes), found {toml_type}").format(
                       toml_type=_toml_type(value)))


def _finite(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Problem(_("expected a number, found {toml_type}").format(
                           toml_type=_toml_type(value)))
    if not math.isfinite(value):
        raise _Problem(_("{value} is not a finite number").format(value=value))
    return float(value)


def _values(value: object, __: Any = None) -> _Values:
    if not isinstance(value, dict):
        if isinstance(value, str):
            raise _Problem(
                _("expected a number or a table of dated numbers, found {toml_type}").format(
                    toml_type=_toml_type(value))
            )
        return _Values(((None, _finite(value)),))
    if not value:
        raise _Problem(_("a table of dated values needs at least one value (YYYY-MM-DD = number)"))
    pairs: list[tuple[dt.date | None, float]] = []
    for key, number in value.items():
        try:
            if not _DAY.match(key):
                raise ValueError(_("write it as YYYY-MM-DD"))
            since = dt.date.fromisoformat(key)
        except ValueError as exc:
            raise _Problem(_("'{key}' is not a date: {exc}").format(
                key=key, exc=date_error(exc)), subkey=key) from None
        try:
            pairs.append((since, _finite(number)))
        except _Problem as exc:
            raise _Problem(str(exc), subkey=key) from None
    return _Values(tuple(sorted(pairs, key=lambda p: p[0] or dt.date.min)))


@attrs.frozen
class RawText:
    """A prose text as written: a plain string (English) or a table of languages."""

    #: ``(language, text)`` pairs in the order of LANGUAGES, each text stripped
    texts: tuple[tuple[str, str], ...] = ()
    #: the languages the table marks as the official wording
    official: tuple[str, ...] = ()
    #: written as a table of languages (not a plain string)
    table: bool = False

    @property
    def default(self) -> str:
        """The text a plain field of the model holds: English, else Russian, else Kazakh."""
        given = dict(self.texts)
        return next((given[lang] for lang in FALLBACK if lang in given), "")


_NO_TEXT = RawText()
#: codes that are easily written for a language of a draft: country codes, ISO 639-2
_LANGUAGE_CODES = {"kz": "kk", "kaz": "kk", "rus": "ru", "eng": "en", "gb": "en", "us": "en"}


def _language_hint(key: str) -> str:
    if key.lower() in _LANGUAGE_CODES:
        return f"; did you mean '{_LANGUAGE_CODES[key.lower()]}'?"
    return did_you_mean(key, LANGUAGES)

_LANGS = ", ".join(LANGUAGES)


def _text(value: object, __: Any = None) -> RawText:
    if isinstance(value, str):
        return RawText((("en", value.strip()),) if value.strip() else ())
    if not isinstance(value, dict):
        raise _Problem(
            _("expected a string or a table of languages ({LANGS}), found {toml_type}").format(
                LANGS=_LANGS, toml_type=_toml_type(value))
        )
    given: dict[str, str] = {}
    official: tuple[str, ...] = ()
    for key, text in value.items():
        if key == OFFICIAL_KEY:
            if not isinstance(text, list) or not all(isinstance(t, str) for t in text):
                raise _Problem(
                    _("'{OFFICIAL_KEY}' lists languages, e.g. {OFFICIAL_KEY} = [\"kk\", \"ru\"]; "
                      "found {toml_type}").format(
                        OFFICIAL_KEY=OFFICIAL_KEY, toml_type=_toml_type(text)),
                    subkey=key,
                )
            official = tuple(text)
        elif key not in LANGUAGES:
            raise _Problem(
                _("'{key}' is not a language of a text: use {LANGS} "
                  "(and '{OFFICIAL_KEY}' for the languages of the official wording)"
                  "{language_hint}").format(
                    key=key, LANGS=_LANGS, OFFICIAL_KEY=OFFICIAL_KEY,
                    language_hint=_language_hint(key)),
                subkey=key,
            )
        elif not isinstance(text, str):
            raise _Problem(_("expected a string, found {toml_type}").format(
                               toml_type=_toml_type(text)), subkey=key)
        elif not text.strip():
            raise _Problem(_("the {key} text is empty: leave the language "
                             "out").format(key=key), subkey=key)
        else:
            given[key] = text.strip()
    if not given:
        raise _Problem(_("a table of texts needs at least one language: {LANGS}").format(
                           LANGS=_LANGS))
    for lang in official:
        if lang not in given:
            raise _Problem(
                _("'{lang}' is marked official but the table gives no {lang} text "
                  "(it gives {items})").format(lang=lang, items=', '.join(given)),
                subkey=OFFICIAL_KEY,
            )
    texts = tuple((lang, given[lang]) for lang in LANGUAGES if lang in given)
    return RawText(texts, tuple(lang for lang in LANGUAGES if lang in official), True)


def _any_value(value: object, __: Any) -> _AnyValue:
    if isinstance(value, str):
        return _AnyValue(value)
    try:
        return _AnyValue(_values(value))
    except _Problem as exc:
        if exc.subkey is not None:
            raise
        raise _Problem(
            _("expected a number or a table of dated numbers (a parameter's value) or an "
              "expression string (a definition's), found {toml_type}").format(
                toml_type=_toml_type(value))
        ) from None


# -- the file as written ----------------------------------------------------------------


# The ``[law]`` table as written.
@attrs.define
class RawLaw:
    id: _Id
    title: RawText
    kind: _LawKind
    status: _LawStatus
    version: str = ""
    effective: dt.date | None = None
    adopted: dt.date | None = None
    published: dt.date | None = None
    number: str | None = None
    adilet: _Adilet | None = None
    sources: list[str] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)


# An ``[[article.ground]]`` as written.
@attrs.define
class RawGround:
    id: _Id
    category: _Category
    when: str
    text: RawText | None = None


# An ``[[article.exclusion]]`` as written.
@attrs.define
class RawExclusion:
    id: _Id
    when: str
    unless: str | None = None
    grounds: list[_Ref] | None = None
    text: RawText | None = None


# An ``[[article.component]]`` as written.
@attrs.define
class RawComponent:
    id: _Id
    kind: _ReparationKind
    recipients: list[_Claimant]
    title: RawText = _NO_TEXT
    grounds: list[_Ref] | None = None
    amount: str | None = None
    period: _Period | None = None
    instead_of: list[_Ref] | None = None
    text: RawText | None = None


# An ``[[article.amend]]`` as written: every key any action may give.
@attrs.define
class RawAmend:
    id: _Id
    law: _Id
    target: _Target
    action: _Action
    type: _ProvisionType | None = None
    article: _Number | None = None
    when: str | None = None
    unless: str | None = None
    amount: str | None = None
    grounds: list[_Ref] | None = None
    recipients: list[_Claimant] | None = None
    category: _Category | None = None
    text: str | None = None
    title: str | None = None
    instead_of: list[_Ref] | None = None
    kind: _ReparationKind | None = None
    period: _Period | None = None
    value: _AnyValue | None = None


#: The keys of an amendment besides id, law, target and action, in the order they are given.
AMEND_KEYS = tuple(f.name for f in attrs.fields(RawAmend))[4:]


# An ``[[article]]`` as written, with its provisions by table.
@attrs.define
class RawArticle:
    number: _Number
    heading: RawText = _NO_TEXT
    text: RawText = _NO_TEXT
    id: _Id | None = None
    ground: list[RawGround] = attrs.Factory(list)
    exclusion: list[RawExclusion] = attrs.Factory(list)
    component: list[RawComponent] = attrs.Factory(list)
    amend: list[RawAmend] = attrs.Factory(list)


# A whole draft file as written.
@attrs.define
class RawDraft:
    law: RawLaw
    parameters: dict[str, _Values] = attrs.Factory(dict)
    definitions: dict[str, str] = attrs.Factory(dict)
    article: list[RawArticle] = attrs.Factory(list)


_NOUNS: dict[type, str] = {
    RawDraft: N_("a draft file"),
    RawLaw: "[law]",
    RawArticle: N_("an article"),
    RawGround: N_("a ground"),
    RawExclusion: N_("an exclusion"),
    RawComponent: N_("a component"),
    RawAmend: N_("an amendment"),
}


@functools.cache
def converter() -> cattrs.BaseConverter:
    """The converter from a TOML document to ``RawDraft``, built on the first load.

    A :class:`cattrs.BaseConverter` with only the hooks the raw classes need: every type
    they use has its hook here, and the hooks :class:`cattrs.Converter` adds for many more
    types would only cost start-up time.
    """
    conv = cattrs.BaseConverter(detailed_validation=True)
    conv.register_structure_hook(str, _string)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(_Values, _values)
    conv.register_structure_hook(_AnyValue, _any_value)
    conv.register_structure_hook(RawText, _text)
    conv.register_structure_hook(_Number, _number)
    conv.register_structure_hook(
        _Adilet, _pattern(_ADILET, N_("an Adilet document code: use A-Z, 0-9 and '_'"))
    )
    conv.register_structure_hook(_Id, _pattern(_ID, N_("an id: use a-z, 0-9 and '-'")))
    conv.register_structure_hook(
        _Category, _pattern(_CATEGORY, N_("a category: use a-z, 0-9, '_' and '-'"))
    )
    conv.register_structure_hook(
        _Ref, _pattern(_REF, N_("a provision id (a local id, or LAW_ID:ID for another law's)"))
    )
    conv.register_structure_hook(
        _Target,
        _pattern(_TARGET,
                 N_("a target: write a provision id, parameters.NAME or definitions.NAME")),
    )
    conv.register_structure_hook(_LawKind, _choice(LAW_KINDS, N_("a law kind")))
    conv.register_structure_hook(_LawStatus, _choice(LAW_STATUSES, N_("a law status")))
    conv.register_structure_hook(_ReparationKind,
                                 _choice(REPARATION_KINDS, N_("a reparation kind")))
    conv.register_structure_hook(_Claimant, _choice(CLAIMANTS, N_("a claimant")))
    conv.register_structure_hook(_Action, _choice(ACTIONS, N_("an action")))
    conv.register_structure_hook(
        _ProvisionType, _choice(tuple(PROVISION_TYPES), N_("a provision type"))
    )
    conv.register_structure_hook(_Period, _choice(PERIODS, N_("a period")))

    def list_hook(tp: Any) -> Callable[[object, Any], list[Any]]:
        (item,) = get_args(tp)

        def hook(value: object, __: Any) -> list[Any]:
            if not isinstance(value, list):
                raise _Problem(_("expected an array, found {toml_type}").format(
                                   toml_type=_toml_type(value)))
            # the item's hook is found (and, for a raw class, generated) on first use: a
            # draft without amendments never pays for generating RawAmend's
            structure = conv.get_structure_hook(item)
            out: list[Any] = []
            errors: list[Exception] = []
            for i, element in enumerate(value):
                try:
                    out.append(structure(element, item))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ index {i}", i, item))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp}", errors, tp)
            return out

        return hook

    def dict_hook(tp: Any) -> Callable[[object, Any], dict[str, Any]]:
        __, item = get_args(tp)
        structure = conv.get_structure_hook(item)

        def hook(value: object, __: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _Problem(_("expected a table, found {toml_type}").format(
                                   toml_type=_toml_type(value)))
            out: dict[str, Any] = {}
            errors: list[Exception] = []
            for key, element in value.items():
                try:
                    out[key] = structure(element, item)
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ key {key!r}", key, item))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp}", errors, tp)
            return out

        return hook

    def class_hook(cl: Any) -> Callable[[object, Any], Any]:
        structure = make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=True)

        def hook(value: object, __: Any) -> Any:
            if not isinstance(value, dict):
                raise _Problem(_("expected a table, found {toml_type}").format(
                                   toml_type=_toml_type(value)))
            return structure(value, cl)

        return hook

    conv.register_structure_hook_factory(lambda t: _origin(t) is list, list_hook)
    conv.register_structure_hook_factory(lambda t: _origin(t) is dict, dict_hook)
    conv.register_structure_hook_factory(lambda t: t in _NOUNS, class_hook)
    return conv


def _origin(tp: Any) -> Any:
    return get_origin(tp)


def _noun(cl: type) -> str:
    """What a raw class is called in messages, in the language of output."""
    noun = _NOUNS.get(cl, N_("this table"))
    return _(noun)


def structure_problems(
    exc: BaseException, path: str, cl: type | None
) -> Iterator[tuple[str, str, type | None]]:
    """``(key path, message, class)`` for every problem inside a cattrs error."""
    if isinstance(exc, ForbiddenExtraKeysError):
        noun = _noun(exc.cl)
        keys = [f.name for f in attrs.fields(exc.cl)]
        for extra in sorted(exc.extra_fields):
            message = _("'{extra}' is not a key of {noun}{hint}").format(
                extra=extra, noun=noun, hint=did_you_mean(extra, keys))
            yield join(path, extra), message, exc.cl
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            step = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    step = join(path, note.name)
                elif isinstance(note, IterableValidationNote):
                    step = (
                        f"{path}[{note.index}]"
                        if isinstance(note.index, int)
                        else join(path, note.index)
                    )
            yield from structure_problems(sub, step, exc.cl)
    elif isinstance(exc, KeyError):
        parent, __, name = path.rpartition(".")
        if not parent and name == "law":
            yield "", _("the file has no [law] table"), cl
        else:
            noun = _noun(cl or object)
            yield parent, _("{noun} needs '{name}'").format(noun=noun, name=name), cl
    elif isinstance(exc, _Problem):
        yield (join(path, exc.subkey) if exc.subkey else path), str(exc), cl
    else:
        yield path, _("invalid value: {exc}").format(exc=exc), cl

