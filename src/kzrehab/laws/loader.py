"""Load draft laws from TOML files (SPEC §5) into the :mod:`kzrehab.laws.provisions`.

Loading a file goes in three steps, each reporting every problem it finds at once:

1. **Text.** The bytes must be UTF-8 text (no NUL bytes), not empty, and within
   :data:`~kzrehab.limits.MAX_FILE_BYTES`; :mod:`tomllib` parses them, and a syntax error
   gives the file, line and column.
2. **Structure.** This module's own cattrs converter structures the TOML document into
   private attrs classes that mirror the file key for key (``_RawDraft``, ``_RawLaw``,
   ``_RawArticle``, ``_RawGround``, …); it is a plain :class:`cattrs.BaseConverter` with
   only this module's hooks, built on the first load. Unknown keys are errors with a
   did-you-mean; wrong types, bad ids, unknown kinds, statuses, recipients and actions, bad
   dates and missing keys are found here, all of them in one pass.
3. **Meaning.** The raw classes become the model: names of parameters and definitions,
   duplicate ids and article numbers, the keys an amendment may give for its action, and
   every expression, parsed by :func:`kzrehab.rules.parse`.

When a step finds one problem, that error is raised as it is (a :class:`DraftError`, or a
:class:`~kzrehab.errors.RuleSyntaxError` for an expression); when it finds several, one
:class:`DraftError` lists them, one per line, sorted by line. The second step runs only
when the first succeeds, and the third only when the second does.

**Key paths** name where a problem is, as TOML dotted keys with **0-based** array indices:
``article[0].ground[1].when`` is the ``when`` of the second ground of the first
``[[article]]``; ``parameters.MCI.2024-02-30`` a dated value of a parameter. Every error
also gives the line and column in the file where that key's value (or table header) is;
for an expression, the line and column of the offending character itself.

Choices where the format leaves room:

- Ids of laws, provisions and articles match ``[a-z0-9-]+``; a **category** may also hold
  ``_`` (``[a-z0-9_-]+``). An article ``number`` is non-empty text (``"5-1"``), never an
  integer; the empty number is reserved for provisions inserted by an amendment.
- ``[law]`` needs ``id``, ``title``, ``kind`` and ``status``; ``version``, the dates and
  ``sources`` are optional. Dates are TOML dates (``effective = 2026-01-01``), never
  strings or date-times. Parameter values are finite numbers, dated by ``YYYY-MM-DD`` keys.
- Texts (article and provision ``text``, ``heading``) lose their surrounding blank space.
- A law's provisions are kept in the order of their table headers in the file.
- ``instead_of`` holds full ids: a local id is made full with this law's id (in an
  amendment, with the id of the law it amends, whose scope its fields are read in).
  ``grounds`` keeps local ids local (an inserted provision joins the target law).
- An amendment's ``changes`` hold the keys it gives besides ``id``, ``law``, ``target`` and
  ``action``: ``when``, ``unless`` and ``amount`` (and a definition's ``value``) as
  :class:`~kzrehab.laws.provisions.Expression`, lists as tuples, a parameter's ``value`` as
  ``(date | None, float)`` pairs like :attr:`Parameter.values`, and for ``insert`` the
  provision's ``type`` and an optional ``article``: the number of the target law's article
  it joins (see :mod:`kzrehab.laws.amend`).
"""

from __future__ import annotations

__all__ = ["load_law_text", "load_law_file", "expand_paths", "load_laws"]

import bisect
import contextlib
import datetime as dt
import functools
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, NewType, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    CattrsError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from .._io import open_regular
from .._suggest import did_you_mean
from ..errors import DraftError, KzrehabError, Location, RuleError
from ..limits import MAX_FILE_BYTES
from ..rules import Lit, parse
from ..rules._tokenizer import KEYWORDS
from ..rules.operators import FUNCTIONS
from ..vocabulary import (
    CLAIM_FACTS,
    CLAIMANTS,
    EVENT_FACTS,
    LAW_KINDS,
    LAW_STATUSES,
    REPARATION_KINDS,
)
from .provisions import (
    PERIODS,
    Amendment,
    AnyProvision,
    Article,
    Component,
    Definition,
    Exclusion,
    Expression,
    Ground,
    Law,
    Parameter,
)

#: At most this many problems are listed in one error.
_MAX_LISTED = 50

_ID = re.compile(r"[a-z0-9-]+\Z")
_CATEGORY = re.compile(r"[a-z0-9_-]+\Z")
_ADILET = re.compile(r"[A-Z0-9_]{1,40}\Z")
_REF = re.compile(r"(?:[a-z0-9-]+:)?[a-z0-9-]+\Z")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TARGET = re.compile(r"(?:(parameters|definitions)\.([A-Za-z_][A-Za-z0-9_]*)|[a-z0-9-]+)\Z")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

ACTIONS = ("repeal", "replace", "insert")
PROVISION_TYPES = ("ground", "exclusion", "component")

#: The keys each provision type has besides ``id`` (what an insert may give).
_PROVISION_FIELDS: dict[str, tuple[str, ...]] = {
    "ground": ("category", "when", "text"),
    "exclusion": ("when", "unless", "grounds", "text"),
    "component": ("kind", "title", "grounds", "recipients", "amount", "period", "instead_of",
                  "text"),
}
_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "ground": ("category", "when"),
    "exclusion": ("when",),
    "component": ("kind", "recipients"),
}
#: The keys a ``replace`` of a provision may give.
_REPLACEABLE = (
    "when",
    "unless",
    "amount",
    "grounds",
    "recipients",
    "category",
    "text",
    "title",
    "instead_of",
    "kind",
    "period",
)
_EXPRESSION_FIELDS = ("when", "unless", "amount")


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
        return "a boolean"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a float ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})" if len(value) <= 40 else "a string"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__  # pragma: no cover - tomllib gives nothing else


def _string(value: object, _: Any = None) -> str:
    if not isinstance(value, str):
        raise _Problem(f"expected a string, found {_toml_type(value)}")
    return value


def _pattern(rx: re.Pattern[str], what: str) -> Callable[[object, Any], str]:
    def hook(value: object, _: Any) -> str:
        text = _string(value)
        if not rx.match(text):
            raise _Problem(f"{text!r} is not {what}")
        return text

    return hook


def _choice(choices: tuple[str, ...], what: str) -> Callable[[object, Any], str]:
    def hook(value: object, _: Any) -> str:
        text = _string(value)
        if text not in choices:
            raise _Problem(
                f"'{text}' is not {what} ({' | '.join(choices)}){did_you_mean(text, choices)}"
            )
        return text

    return hook


def _number(value: object, _: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _Problem(f'an article number is text: write number = "{value}"')
    text = _string(value).strip()
    if not text:
        raise _Problem("an article number cannot be empty")
    return text


def _date(value: object, _: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Problem(f"expected a date, found a date-time: write {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DAY.match(value.strip()):
        raise _Problem(f"a date is written without quotes: {value.strip()}, not {value!r}")
    raise _Problem(f"expected a date (YYYY-MM-DD, without quotes), found {_toml_type(value)}")


def _finite(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Problem(f"expected a number, found {_toml_type(value)}")
    if not math.isfinite(value):
        raise _Problem(f"{value} is not a finite number")
    return float(value)


def _values(value: object, _: Any = None) -> _Values:
    if not isinstance(value, dict):
        if isinstance(value, str):
            raise _Problem(
                f"expected a number or a table of dated numbers, found {_toml_type(value)}"
            )
        return _Values(((None, _finite(value)),))
    if not value:
        raise _Problem("a table of dated values needs at least one value (YYYY-MM-DD = number)")
    pairs: list[tuple[dt.date | None, float]] = []
    for key, number in value.items():
        try:
            if not _DAY.match(key):
                raise ValueError("write it as YYYY-MM-DD")
            since = dt.date.fromisoformat(key)
        except ValueError as exc:
            raise _Problem(f"'{key}' is not a date: {exc}", subkey=key) from None
        try:
            pairs.append((since, _finite(number)))
        except _Problem as exc:
            raise _Problem(str(exc), subkey=key) from None
    return _Values(tuple(sorted(pairs, key=lambda p: p[0] or dt.date.min)))


def _any_value(value: object, _: Any) -> _AnyValue:
    if isinstance(value, str):
        return _AnyValue(value)
    try:
        return _AnyValue(_values(value))
    except _Problem as exc:
        if exc.subkey is not None:
            raise
        raise _Problem(
            "expected a number or a table of dated numbers (a parameter's value) or an "
            f"expression string (a definition's), found {_toml_type(value)}"
        ) from None


# -- the file as written ----------------------------------------------------------------


@attrs.define
class _RawLaw:
    id: _Id
    title: str
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


@attrs.define
class _RawGround:
    id: _Id
    category: _Category
    when: str
    text: str | None = None


@attrs.define
class _RawExclusion:
    id: _Id
    when: str
    unless: str | None = None
    grounds: list[_Ref] | None = None
    text: str | None = None


@attrs.define
class _RawComponent:
    id: _Id
    kind: _ReparationKind
    recipients: list[_Claimant]
    title: str = ""
    grounds: list[_Ref] | None = None
    amount: str | None = None
    period: _Period | None = None
    instead_of: list[_Ref] | None = None
    text: str | None = None


@attrs.define
class _RawAmend:
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
_AMEND_KEYS = tuple(f.name for f in attrs.fields(_RawAmend))[4:]


@attrs.define
class _RawArticle:
    number: _Number
    heading: str = ""
    text: str = ""
    id: _Id | None = None
    ground: list[_RawGround] = attrs.Factory(list)
    exclusion: list[_RawExclusion] = attrs.Factory(list)
    component: list[_RawComponent] = attrs.Factory(list)
    amend: list[_RawAmend] = attrs.Factory(list)


@attrs.define
class _RawDraft:
    law: _RawLaw
    parameters: dict[str, _Values] = attrs.Factory(dict)
    definitions: dict[str, str] = attrs.Factory(dict)
    article: list[_RawArticle] = attrs.Factory(list)


_NOUNS: dict[type, str] = {
    _RawDraft: "a draft file",
    _RawLaw: "[law]",
    _RawArticle: "an article",
    _RawGround: "a ground",
    _RawExclusion: "an exclusion",
    _RawComponent: "a component",
    _RawAmend: "an amendment",
}


@functools.cache
def _converter() -> cattrs.BaseConverter:
    """The converter from a TOML document to ``_RawDraft``, built on the first load.

    A :class:`cattrs.BaseConverter` with only the hooks the raw classes need: every type
    they use has its hook here, and the hooks :class:`cattrs.Converter` adds for many more
    types would only cost start-up time.
    """
    conv = cattrs.BaseConverter(detailed_validation=True)
    conv.register_structure_hook(str, _string)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(_Values, _values)
    conv.register_structure_hook(_AnyValue, _any_value)
    conv.register_structure_hook(_Number, _number)
    conv.register_structure_hook(
        _Adilet, _pattern(_ADILET, "an Adilet document code: use A-Z, 0-9 and '_'")
    )
    conv.register_structure_hook(_Id, _pattern(_ID, "an id: use a-z, 0-9 and '-'"))
    conv.register_structure_hook(
        _Category, _pattern(_CATEGORY, "a category: use a-z, 0-9, '_' and '-'")
    )
    conv.register_structure_hook(
        _Ref, _pattern(_REF, "a provision id (a local id, or LAW_ID:ID for another law's)")
    )
    conv.register_structure_hook(
        _Target,
        _pattern(_TARGET, "a target: write a provision id, parameters.NAME or definitions.NAME"),
    )
    conv.register_structure_hook(_LawKind, _choice(LAW_KINDS, "a law kind"))
    conv.register_structure_hook(_LawStatus, _choice(LAW_STATUSES, "a law status"))
    conv.register_structure_hook(_ReparationKind, _choice(REPARATION_KINDS, "a reparation kind"))
    conv.register_structure_hook(_Claimant, _choice(CLAIMANTS, "a claimant"))
    conv.register_structure_hook(_Action, _choice(ACTIONS, "an action"))
    conv.register_structure_hook(_ProvisionType, _choice(PROVISION_TYPES, "a provision type"))
    conv.register_structure_hook(_Period, _choice(PERIODS, "a period"))

    def list_hook(tp: Any) -> Callable[[object, Any], list[Any]]:
        (item,) = get_args(tp)

        def hook(value: object, _: Any) -> list[Any]:
            if not isinstance(value, list):
                raise _Problem(f"expected an array, found {_toml_type(value)}")
            # the item's hook is found (and, for a raw class, generated) on first use: a
            # draft without amendments never pays for generating _RawAmend's
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
        _, item = get_args(tp)
        structure = conv.get_structure_hook(item)

        def hook(value: object, _: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _Problem(f"expected a table, found {_toml_type(value)}")
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

        def hook(value: object, _: Any) -> Any:
            if not isinstance(value, dict):
                raise _Problem(f"expected a table, found {_toml_type(value)}")
            return structure(value, cl)

        return hook

    conv.register_structure_hook_factory(lambda t: _origin(t) is list, list_hook)
    conv.register_structure_hook_factory(lambda t: _origin(t) is dict, dict_hook)
    conv.register_structure_hook_factory(lambda t: t in _NOUNS, class_hook)
    return conv


def _origin(tp: Any) -> Any:
    return get_origin(tp)


def _structure_problems(
    exc: BaseException, path: str, cl: type | None
) -> Iterator[tuple[str, str, type | None]]:
    """``(key path, message, class)`` for every problem inside a cattrs error."""
    if isinstance(exc, ForbiddenExtraKeysError):
        noun = _NOUNS.get(exc.cl, "this table")
        keys = [f.name for f in attrs.fields(exc.cl)]
        for extra in sorted(exc.extra_fields):
            message = f"'{extra}' is not a key of {noun}{did_you_mean(extra, keys)}"
            yield _join(path, extra), message, exc.cl
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            step = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    step = _join(path, note.name)
                elif isinstance(note, IterableValidationNote):
                    step = (
                        f"{path}[{note.index}]"
                        if isinstance(note.index, int)
                        else _join(path, note.index)
                    )
            yield from _structure_problems(sub, step, exc.cl)
    elif isinstance(exc, KeyError):
        parent, _, name = path.rpartition(".")
        if not parent and name == "law":
            yield "", "the file has no [law] table", cl
        else:
            yield parent, f"{_NOUNS.get(cl or object, 'this table')} needs '{name}'", cl
    elif isinstance(exc, _Problem):
        yield (_join(path, exc.subkey) if exc.subkey else path), str(exc), cl
    else:
        yield path, f"invalid value: {exc}", cl


# -- where keys are in the file ---------------------------------------------------------


def _join(prefix: str, *keys: str) -> str:
    return ".".join((prefix, *keys)) if prefix else ".".join(keys)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")


class _Scanner:
    """Finds where the value of each key path starts in a text that tomllib accepted.

    Not a TOML parser: it only follows table headers, keys, strings, arrays and inline
    tables well enough to map each key path (``article[1].ground[0].when``) to the offset
    of its value, and each table header (``article[1].ground[0]``) to its offset.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.spots: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def scan(self) -> dict[str, int]:
        with contextlib.suppress(IndexError, RecursionError, ValueError):
            self._document()
        return self.spots

    def _document(self) -> None:
        text, table = self.text, ""
        while True:
            self._blank(newlines=True)
            if self.pos >= len(text):
                return
            start = self.pos
            if text.startswith("[[", start):
                self.pos += 2
                table = self._resolve(self._keys(), array=True)
                self.spots[table] = start
                self._blank()
                self.pos += 2
            elif text[start] == "[":
                self.pos += 1
                table = self._resolve(self._keys(), array=False)
                self.spots.setdefault(table, start)
                self._blank()
                self.pos += 1
            else:
                keys = self._keys()
                self._blank()
                self.pos += 1  # '='
                self._blank()
                self._value(_join(table, *keys))

    def _resolve(self, keys: list[str], *, array: bool) -> str:
        prefix = ""
        for key in keys[:-1]:
            prefix = _join(prefix, key)
            if prefix in self.counts:
                prefix = f"{prefix}[{self.counts[prefix] - 1}]"
        path = _join(prefix, keys[-1])
        if array:
            self.counts[path] = self.counts.get(path, 0) + 1
            return f"{path}[{self.counts[path] - 1}]"
        return path

    def _blank(self, *, newlines: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.pos += 1
            elif ch == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _keys(self) -> list[str]:
        keys: list[str] = []
        while True:
            self._blank()
            start = self.pos
            if self.text[start] in "\"'":
                decoded = _decode_string(self.text, start)
                if decoded is None:
                    raise ValueError("unreadable key")
                keys.append(decoded[0])
                self.pos = decoded[1][-1] + 1
            else:
                m = _BARE_KEY.match(self.text, start)
                if not m:
                    raise ValueError("unreadable key")
                keys.append(m.group())
                self.pos = m.end()
            self._blank()
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            return keys

    def _value(self, path: str) -> None:
        text, start = self.text, self.pos
        self.spots[path] = start
        ch = text[start]
        if ch in "\"'":
            decoded = _decode_string(text, start)
            if decoded is None:
                raise ValueError("unreadable string")
            end = decoded[1][-1]
            quote = text[start]
            while end < len(text) and text[end] == quote:
                end += 1
            self.pos = end
        elif ch == "[":
            self.pos += 1
            index = 0
            while True:
                self._blank(newlines=True)
                if text[self.pos] == "]":
                    self.pos += 1
                    return
                self._value(f"{path}[{index}]")
                index += 1
                self._blank(newlines=True)
                if text[self.pos] == ",":
                    self.pos += 1
        elif ch == "{":
            self.pos += 1
            while True:
                self._blank(newlines=True)
                if text[self.pos] == "}":
                    self.pos += 1
                    return
                keys = self._keys()
                self._blank()
                self.pos += 1  # '='
                self._blank()
                self._value(_join(path, *keys))
                self._blank(newlines=True)
                if text[self.pos] == ",":
                    self.pos += 1
        else:
            m = _SCALAR.match(text, start)
            assert m is not None
            self.pos = start + len(m.group().rstrip())


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _decode_string(text: str, start: int) -> tuple[str, Sequence[int]] | None:
    """The TOML string at ``start``: its value, and the offset in ``text`` of each of its
    characters followed by the offset of its closing delimiter. None when unreadable."""
    quote = text[start]
    multi = text.startswith(quote * 3, start)
    basic = quote == '"'
    i = start + (3 if multi else 1)
    if multi:
        if text.startswith("\r\n", i):
            i += 2
        elif text.startswith("\n", i):
            i += 1
    # the fast path: no escape and no carriage return, so each character stands for itself
    end = text.find(quote * 3 if multi else quote, i)
    if end >= 0 and not (basic and "\\" in text[i:end]) and not (multi and "\r" in text[i:end]):
        run = 3 if multi else 1
        while multi and end + run < len(text) and text[end + run] == quote and run < 5:
            run += 1
        close = end + (run - 3 if multi else 0)
        return text[i:close], range(i, close + 1)
    out: list[str] = []
    offsets: list[int] = []
    delimiter = quote * 3 if multi else quote
    while i < len(text):
        if text.startswith(delimiter, i):
            run = 1
            while multi and i + run < len(text) and text[i + run] == quote:
                run += 1
            for k in range(min(run - 3, 2) if multi else 0):
                out.append(quote)
                offsets.append(i + k)
            offsets.append(i + max(0, min(run - 3, 2)) if multi else i)
            return "".join(out), offsets
        ch = text[i]
        if basic and ch == "\\":
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                offsets.append(i)
                i += 2
            elif nxt in "uU":
                width = 4 if nxt == "u" else 8
                out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                offsets.append(i)
                i += 2 + width
            elif multi and nxt in " \t\r\n":
                i += 1
                while i < len(text) and text[i] in " \t\r\n":
                    i += 1
            else:
                return None
        elif multi and text.startswith("\r\n", i):
            out.append("\n")
            offsets.append(i)
            i += 2
        elif not multi and ch == "\n":
            return None
        else:
            out.append(ch)
            offsets.append(i)
            i += 1
    return None


# -- building the model -----------------------------------------------------------------


class _Builder:
    """Turns a structured draft into a :class:`Law`, collecting every problem it finds."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.spots = _Scanner(text).scan()
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.problems: list[KzrehabError] = []

    # -- locations -------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def loc(self, key: str) -> Location:
        """The location of a key path: its value, else the nearest enclosing key's."""
        probe = key
        while probe:
            if probe in self.spots:
                line, column = self.position(self.spots[probe])
                return Location(self.file, key or None, line, column)
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return Location(self.file, key or None)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(DraftError(message, self.loc(key)))

    # -- expressions -----------------------------------------------------------------------

    def expr(self, key: str, source: str) -> Expression:
        """Parse the expression at ``key``; a problem (and a placeholder) when it fails."""
        start = self.spots.get(key)
        decoded = _decode_string(self.text, start) if start is not None else None
        offsets = decoded[1] if decoded is not None and decoded[0] == source else None
        if offsets is not None:
            line, column = self.position(offsets[0])
            origin = Location(self.file, key, line, column)
        else:
            origin = self.loc(key)
        try:
            node = parse(source)
        except RuleError as err:
            where = Location(self.file, key, origin.line, origin.column)
            if offsets is not None and err.location.line is not None:
                rel = _offset_in(source, err.location.line, err.location.column or 1)
                line, column = self.position(offsets[min(rel, len(offsets) - 1)])
                where = Location(self.file, key, line, column)
            self.problems.append(type(err)(err.message, where))
            return Expression(source, Lit(False), origin)
        return Expression(source, node, origin)

    # -- names -----------------------------------------------------------------------------

    def check_name(self, key: str, name: str, what: str) -> None:
        if not _NAME.match(name):
            self.problem(
                key,
                f"'{name}' is not a valid {what} name: use letters, digits and '_', "
                "not starting with a digit",
            )
        elif name in CLAIM_FACTS or name in EVENT_FACTS:
            self.problem(
                key, f"'{name}' is a fact of the vocabulary: a {what} cannot take its name"
            )
        elif name in KEYWORDS:
            self.problem(
                key, f"'{name}' is a keyword of the rule language: a {what} cannot take its name"
            )
        elif name in FUNCTIONS:
            self.problem(
                key, f"'{name}' is a function of the rule language: a {what} cannot take its name"
            )

    def check_list(self, key: str, items: Iterable[str]) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item in seen:
                self.problem(f"{key}[{i}]", f"'{item}' is listed twice")
            seen.add(item)

    # -- the law ---------------------------------------------------------------------------

    def build(self, raw: _RawDraft, ref: str, commit: str | None) -> Law:
        law_id = raw.law.id
        parameters: dict[str, Parameter] = {}
        for name, values in raw.parameters.items():
            key = f"parameters.{name}"
            self.check_name(key, name, "parameter")
            parameters[name] = Parameter(name, values.pairs, self.loc(key))
        definitions: dict[str, Definition] = {}
        for name, source in raw.definitions.items():
            key = f"definitions.{name}"
            self.check_name(key, name, "definition")
            if name in parameters:
                self.problem(key, f"'{name}' is both a parameter and a definition")
            definitions[name] = Definition(name, self.expr(key, source))

        numbers: dict[str, str] = {}
        article_ids: dict[str, str] = {}
        provision_ids: dict[str, str] = {}
        articles: list[Article] = []
        for i, art in enumerate(raw.article):
            key = f"article[{i}]"
            if art.number in numbers:
                self.problem(
                    f"{key}.number",
                    f"article number '{art.number}' is already used by {numbers[art.number]}",
                )
            numbers.setdefault(art.number, key)
            if art.id is not None:
                if art.id in article_ids:
                    self.problem(
                        f"{key}.id",
                        f"article id '{art.id}' is already used by {article_ids[art.id]}",
                    )
                article_ids.setdefault(art.id, key)
            text = art.text.strip()
            found: list[tuple[int, str, AnyProvision]] = []
            groups: list[tuple[str, list[Any]]] = [
                ("ground", art.ground),
                ("exclusion", art.exclusion),
                ("component", art.component),
                ("amend", art.amend),
            ]
            for table, items in groups:
                for j, item in enumerate(items):
                    pkey = f"{key}.{table}[{j}]"
                    if item.id in provision_ids:
                        self.problem(
                            f"{pkey}.id",
                            f"provision id '{item.id}' is already used by {provision_ids[item.id]}",
                        )
                    provision_ids.setdefault(item.id, pkey)
                    provision = self.provision(pkey, item, law_id, art.number, text)
                    found.append((self.spots.get(pkey, 0), pkey, provision))
            found.sort(key=lambda f: f[0])
            articles.append(
                Article(
                    number=art.number,
                    heading=art.heading.strip(),
                    text=text,
                    id=art.id,
                    provisions=tuple(p for _, _, p in found),
                )
            )
        return Law(
            id=law_id,
            title=raw.law.title.strip(),
            kind=raw.law.kind,
            status=raw.law.status,
            version=raw.law.version,
            effective=raw.law.effective,
            adopted=raw.law.adopted,
            published=raw.law.published,
            number=raw.law.number.strip() if raw.law.number else None,
            adilet=raw.law.adilet,
            sources=tuple(raw.law.sources),
            notes=tuple(n.strip() for n in raw.law.notes),
            parameters=parameters,
            definitions=definitions,
            articles=tuple(articles),
            ref=ref,
            commit=commit,
        )

    # -- provisions ------------------------------------------------------------------------

    def provision(self, key: str, raw: Any, law_id: str, number: str, text: str) -> AnyProvision:
        common: dict[str, Any] = {"id": raw.id, "article": number, "origin": self.loc(key)}
        if isinstance(raw, _RawAmend):
            return self.amendment(key, raw, common, text)
        own = raw.text.strip() if raw.text is not None else text
        if isinstance(raw, _RawGround):
            return Ground(
                **common, text=own, category=raw.category, when=self.expr(f"{key}.when", raw.when)
            )
        if isinstance(raw, _RawExclusion):
            grounds = tuple(raw.grounds or ())
            self.check_list(f"{key}.grounds", grounds)
            unless = self.expr(f"{key}.unless", raw.unless) if raw.unless is not None else None
            return Exclusion(
                **common,
                text=own,
                when=self.expr(f"{key}.when", raw.when),
                unless=unless,
                grounds=grounds,
            )
        assert isinstance(raw, _RawComponent)
        if not raw.recipients:
            self.problem(f"{key}.recipients", "a component needs at least one recipient")
        self.check_list(f"{key}.recipients", raw.recipients)
        grounds = tuple(raw.grounds or ())
        self.check_list(f"{key}.grounds", grounds)
        instead_of = tuple(_full(law_id, r) for r in raw.instead_of or ())
        self.check_list(f"{key}.instead_of", instead_of)
        amount = self.expr(f"{key}.amount", raw.amount) if raw.amount is not None else None
        return Component(
            **common,
            text=own,
            kind=raw.kind,
            title=raw.title.strip(),
            grounds=grounds,
            recipients=tuple(raw.recipients),
            amount=amount,
            instead_of=instead_of,
            period=raw.period,
        )

    def amendment(self, key: str, raw: _RawAmend, common: dict[str, Any], text: str) -> Amendment:
        given = [k for k in _AMEND_KEYS if getattr(raw, k) is not None]
        scope, _, name = raw.target.partition(".") if "." in raw.target else ("", "", "")
        if raw.action == "repeal":
            if given:
                self.problem(
                    f"{key}.{given[0]}",
                    "a repeal takes no keys besides id, law, "
                    f"target and action: remove {_quoted(given)}",
                )
        elif scope:
            what = scope[:-1]  # parameter | definition
            extra = [k for k in given if k != "value"]
            if extra:
                self.problem(
                    f"{key}.{extra[0]}",
                    f"an amendment of {raw.target} gives only 'value', not {_quoted(extra)}",
                )
            if raw.value is None:
                self.problem(key, f"'value' is required to {raw.action} {raw.target}")
            elif scope == "parameters" and isinstance(raw.value.value, str):
                self.problem(
                    f"{key}.value",
                    "a parameter's value is a number or a table of dated numbers, not a string",
                )
            elif scope == "definitions" and not isinstance(raw.value.value, str):
                self.problem(f"{key}.value", "a definition's value is an expression string")
            if raw.action == "insert":
                self.check_name(f"{key}.target", name, what)
        else:
            if raw.value is not None:
                self.problem(
                    f"{key}.value",
                    "'value' only sets a parameter or a definition "
                    '(target = "parameters.NAME" or "definitions.NAME")',
                )
            if raw.action == "replace":
                for k in ("type", "article"):
                    if k in given:
                        self.problem(
                            f"{key}.{k}",
                            f"'{k}' is only for insert: a replace keeps "
                            "the target's type and place",
                        )
                if raw.value is None and not any(k in _REPLACEABLE for k in given):
                    self.problem(
                        key,
                        f"a replace needs at least one key to replace: {', '.join(_REPLACEABLE)}",
                    )
            elif raw.type is None:
                self.problem(key, f"an insert needs a 'type': {' | '.join(PROVISION_TYPES)}")
            else:
                allowed = (*_PROVISION_FIELDS[raw.type], "type", "article", "value")
                for k in given:
                    if k not in allowed:
                        self.problem(
                            f"{key}.{k}",
                            f"'{k}' is not a key of a {raw.type}"
                            f"{did_you_mean(k, _PROVISION_FIELDS[raw.type])}",
                        )
                for k in _REQUIRED_FIELDS[raw.type]:
                    if k not in given:
                        self.problem(key, f"an inserted {raw.type} needs '{k}'")
            if raw.recipients is not None and not raw.recipients:
                self.problem(f"{key}.recipients", "a component needs at least one recipient")
        changes: dict[str, Any] = {}
        for k in given:
            value = getattr(raw, k)
            if k in _EXPRESSION_FIELDS:
                changes[k] = self.expr(f"{key}.{k}", value)
            elif k == "value":
                inner = value.value
                if isinstance(inner, str):
                    changes[k] = self.expr(f"{key}.value", inner)
                else:
                    changes[k] = inner.pairs
            elif k == "instead_of":
                changes[k] = tuple(_full(raw.law, r) for r in value)
                self.check_list(f"{key}.{k}", changes[k])
            elif isinstance(value, list):
                changes[k] = tuple(value)
                self.check_list(f"{key}.{k}", value)
            elif k in ("text", "title"):
                changes[k] = value.strip()
            else:
                changes[k] = value
        return Amendment(
            **common, text=text, law=raw.law, target=raw.target, action=raw.action, changes=changes
        )


def _full(law_id: str, ref: str) -> str:
    return ref if ":" in ref else f"{law_id}:{ref}"


def _quoted(keys: Iterable[str]) -> str:
    return ", ".join(f"'{k}'" for k in keys)


def _offset_in(source: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column within ``source``."""
    lines = source.split("\n")
    offset = sum(len(text) + 1 for text in lines[: max(line - 1, 0)])
    return min(max(offset + column - 1, 0), len(source))


# -- reading ----------------------------------------------------------------------------


def _combine(problems: list[KzrehabError], file: str) -> KzrehabError:
    """One error for a list of problems: the problem itself, or a DraftError listing all."""
    if len(problems) == 1:
        return problems[0]
    ordered = sorted(problems, key=lambda p: p.location.line or math.inf)
    lines = [f"  {p}" for p in ordered[:_MAX_LISTED]]
    if len(ordered) > _MAX_LISTED:
        lines.append(f"  … and {len(ordered) - _MAX_LISTED} more")
    return DraftError(f"{len(problems)} problems:\n" + "\n".join(lines), Location(file=file))


def _decode(data: str | bytes, file: str) -> str:
    where = Location(file=file)
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES.value:
        raise DraftError(MAX_FILE_BYTES.message(f"{file} ({size} bytes)"), where)
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise DraftError("this is a binary file, not TOML text (it holds NUL bytes)", where)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise DraftError(
                f"this is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded); "
                "save the file as UTF-8",
                Location(file=file, line=line, column=column),
            ) from None
    else:
        text = data
        if "\x00" in text:
            raise DraftError(
                "this is a binary file, not TOML text (it holds NUL characters)", where
            )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DraftError("the file is empty: a draft needs at least a [law] table", where)
    return text


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*\Z")


def _toml_error(exc: tomllib.TOMLDecodeError, file: str, text: str) -> DraftError:
    message = str(exc)
    line: int | None = None
    column: int | None = None
    if m := _TOML_AT.search(message):
        line, column = int(m.group(1)), int(m.group(2))
        message = message[: m.start()]
    elif "(at end of document)" in message:
        message = message.replace("(at end of document)", "").strip()
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        message += " at the end of the file"
    return DraftError(
        f"TOML syntax error: {message}", Location(file=file, line=line, column=column)
    )


def load_law_text(
    text: str | bytes, file: str, *, ref: str | None = None, commit: str | None = None
) -> Law:
    """Load one law from the text of a draft file.

    ``file`` is the name used in messages; ``ref`` (default: ``file``) and ``commit`` are
    recorded on the law. Raises :class:`~kzrehab.errors.DraftError` (or
    :class:`~kzrehab.errors.RuleSyntaxError` for a lone bad expression) naming the file,
    key path, line and column of every problem.
    """
    source = _decode(text, file)
    try:
        doc = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, file, source) from None
    except RecursionError:
        raise DraftError("the TOML nests too deeply", Location(file=file)) from None
    builder = _Builder(file, source)
    try:
        raw = _converter().structure(doc, _RawDraft)
    except (CattrsError, ValueError, TypeError, KeyError) as exc:
        for key, message, _ in _structure_problems(exc, "", None):
            if key:
                builder.problem(key, message)
            else:
                builder.problems.append(DraftError(message, Location(file=file)))
        raise _combine(builder.problems, file) from None
    law = builder.build(raw, ref if ref is not None else file, commit)
    if builder.problems:
        raise _combine(builder.problems, file)
    return law


def load_law_file(path: str | PathLike[str]) -> Law:
    """Load the law in the draft file at ``path`` (its name is used in messages and as ref)."""
    name = str(path)
    limit = MAX_FILE_BYTES.value
    try:
        # a regular file only: a FIFO would block, /dev/zero would never end
        with open_regular(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(min(size, limit) + 1)
            if len(data) > size:  # the file grew while read: read on, within the limit
                data += stream.read(limit + 1 - len(data))
    except OSError as exc:
        raise DraftError(
            f"cannot read the file: {exc.strerror or exc}", Location(file=name)
        ) from None
    if len(data) > limit:
        size = max(size, len(data))
        raise DraftError(MAX_FILE_BYTES.message(f"{name} ({size} bytes)"), Location(file=name))
    return load_law_text(data, name)


def _hidden(relative: Path) -> bool:
    """Hidden (``.git``), or under a ``cases`` directory: law test case files, not laws."""
    return any(part.startswith(".") for part in relative.parts) or "cases" in relative.parts[:-1]


def expand_paths(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """The draft files that ``paths`` stand for, in order and each once.

    A directory stands for every ``*.toml`` file under it, recursively and sorted, leaving
    out hidden files and directories (``.git``) and directories named ``cases``, which hold
    law test cases (:mod:`kzrehab.lawtests`). A missing path, or a directory without a
    draft, is a :class:`~kzrehab.errors.DraftError` naming it.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*.toml") if p.is_file() and not _hidden(p.relative_to(path))
            )
            if not found:
                raise DraftError(
                    f"no draft (*.toml) under the directory {path}", Location(file=str(path))
                )
        elif path.exists():
            found = [path]
        else:
            raise DraftError("no such file or directory", Location(file=str(path)))
        for p in found:
            resolved = p.resolve()
            if resolved not in seen:
                seen.add(resolved)
                out.append(p)
    return out


def load_laws(paths: Iterable[str | PathLike[str]]) -> list[Law]:
    """Load every draft that ``paths`` stand for (see :func:`expand_paths`).

    Two files holding laws with the same id are a :class:`~kzrehab.errors.DraftError`
    naming both.
    """
    laws: list[Law] = []
    by_id: dict[str, Law] = {}
    for path in expand_paths(paths):
        law = load_law_file(path)
        if law.id in by_id:
            raise DraftError(
                f"law id '{law.id}' is used by both {by_id[law.id].ref} and {law.ref}",
                Location(file=law.ref, key="law.id"),
            )
        by_id[law.id] = law
        laws.append(law)
    return laws
