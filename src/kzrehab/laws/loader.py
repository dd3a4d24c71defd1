"""Load draft laws from TOML files into the :mod:`kzrehab.laws.provisions` (:doc:`draft-format`).

Loading a file goes in three steps, each reporting every problem it finds at once:

1. **Text.** The bytes must be UTF-8 text (no NUL bytes), not empty, and within
   :data:`~kzrehab.limits.MAX_FILE_BYTES`; :mod:`tomllib` parses them, and a syntax error
   gives the file, line and column. This module.
2. **Structure.** The TOML document is structured into classes that mirror the file key
   for key (:mod:`kzrehab.laws.schema`): unknown keys, wrong types, bad ids, unknown kinds,
   statuses, recipients and actions, bad dates and missing keys are found here, all of
   them in one pass.
3. **Meaning.** The structured draft becomes the model (:mod:`kzrehab.laws.meaning`):
   names of parameters and definitions, duplicate ids and article numbers, the keys an
   amendment may give for its action, and every expression, parsed by
   :func:`kzrehab.rules.parse`.

When a step finds one problem, that error is raised as it is (a :class:`DraftError`, or a
:class:`~kzrehab.errors.RuleSyntaxError` for an expression); when it finds several, one
:class:`DraftError` lists them, one per line, sorted by line. The second step runs only
when the first succeeds, and the third only when the second does. Which files a directory
stands for, and reading them, is :mod:`kzrehab.laws.discovery`.

**Key paths** name where a problem is, as TOML dotted keys with **0-based** array indices:
``article[0].ground[1].when`` is the ``when`` of the second ground of the first
``[[article]]``; ``parameters.MCI.2024-02-30`` a dated value of a parameter. Every error
also gives the line and column in the file where that key's value (or table header) is;
for an expression, the line and column of the offending character itself
(:mod:`kzrehab.laws.spans` finds them).

Choices where the format leaves room (:doc:`semantics`, *Loading drafts*):

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
  ``(date | None, float)`` pairs like :attr:`~kzrehab.laws.provisions.Parameter.values`,
  and for ``insert`` the provision's ``type`` and an optional ``article``: the number of
  the target law's article it joins (see :mod:`kzrehab.laws.amend`).
"""

from __future__ import annotations

__all__ = ["load_law_text", "load_law_file", "expand_paths", "load_laws"]

import math
import re
import tomllib
from collections.abc import Iterable
from os import PathLike

from cattrs.errors import CattrsError

from ..errors import DraftError, KzrehabError, Location
from ..i18n import N_, _, ngettext
from ..limits import MAX_FILE_BYTES
from .discovery import expand_paths, read_draft
from .meaning import Builder
from .provisions import Law
from .schema import RawDraft, converter, structure_problems

#: At most this many problems are listed in one error.
_MAX_LISTED = 50


def _combine(problems: list[KzrehabError], file: str) -> KzrehabError:
    """One error for a list of problems: the problem itself, or a DraftError listing all."""
    if len(problems) == 1:
        return problems[0]
    ordered = sorted(problems, key=lambda p: p.location.line or math.inf)
    lines = [f"  {p}" for p in ordered[:_MAX_LISTED]]
    if len(ordered) > _MAX_LISTED:
        lines.append("  " + _("… and {n} more").format(n=len(ordered) - _MAX_LISTED))
    head = ngettext("{n} problem:", "{n} problems:", len(problems)).format(n=len(problems))
    return DraftError(head + "\n" + "\n".join(lines), Location(file=file))


def _decode(data: str | bytes, file: str) -> str:
    where = Location(file=file)
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES.value:
        raise DraftError(MAX_FILE_BYTES.message(_("{file} ({size} bytes)").format(
                                                    file=file, size=size)), where)
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise DraftError(_("this is a binary file, not TOML text (it holds NUL bytes)"), where)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise DraftError(
                _("this is not UTF-8 text (byte 0x{data:02x} cannot be decoded); "
                  "save the file as UTF-8").format(data=data[exc.start]),
                Location(file=file, line=line, column=column),
            ) from None
    else:
        text = data
        if "\x00" in text:
            raise DraftError(
                _("this is a binary file, not TOML text (it holds NUL characters)"), where
            )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DraftError(_("the file is empty: a draft needs at least a [law] table"), where)
    return text


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*\Z")


def _toml_error(exc: tomllib.TOMLDecodeError, file: str, text: str) -> DraftError:
    message = str(exc)
    line: int | None = None
    column: int | None = None
    if m := _TOML_AT.search(message):
        line, column = int(m.group(1)), int(m.group(2))
        message = _toml_message(message[: m.start()])
    elif "(at end of document)" in message:
        message = message.replace("(at end of document)", "").strip()
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        message = _("{message} at the end of the file").format(message=_toml_message(message))
    return DraftError(
        _("TOML syntax error: {message}").format(message=message),
        Location(file=file, line=line, column=column),
    )


#: tomllib's messages (Python's own, in English), translated where they are shown
_TOML_MESSAGES = frozenset({
    N_("Invalid statement"), N_("Expected newline or end of document after a statement"),
    N_("Cannot overwrite a value"), N_("Expected ']' at the end of a table declaration"),
    N_("Expected ']]' at the end of an array declaration"),
    N_("Expected '=' after a key in a key/value pair"),
    N_("Invalid initial character for a key part"), N_("Unclosed array"),
    N_("Unclosed inline table"), N_("Unescaped '\\' in a string"), N_("Invalid hex value"),
    N_("Escaped character is not a Unicode scalar value"), N_("Unterminated string"),
    N_("Invalid date or datetime"), N_("Invalid value"),
})
#: tomllib's messages that quote the input: (pattern, message with its ``{value}``)
_TOML_QUOTING = tuple((re.compile(pattern), message) for pattern, message in (
    (r"Expected ('.*')", N_("Expected {value}")),
    (r"Found invalid character (.*)", N_("Found invalid character {value}")),
    (r"Illegal character (.*)", N_("Illegal character {value}")),
    (r"Cannot declare (.*) twice", N_("Cannot declare {value} twice")),
    (r"Cannot mutate immutable namespace (.*)", N_("Cannot mutate immutable namespace {value}")),
    (r"Cannot redefine namespace (.*)", N_("Cannot redefine namespace {value}")),
    (r"Duplicate inline table key (.*)", N_("Duplicate inline table key {value}")),
))  # fmt: skip


def toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message for ``exc`` in the language of output, with its place."""
    message = str(exc)
    if m := _TOML_AT.search(message):
        return _("{message} (at line {line}, column {column})").format(
            message=_toml_message(message[: m.start()]), line=m.group(1), column=m.group(2))
    if message.endswith(" (at end of document)"):
        return _("{message} (at end of document)").format(
            message=_toml_message(message.removesuffix(" (at end of document)")))
    return _toml_message(message)


def _toml_message(message: str) -> str:
    """tomllib's ``message`` in the language of output (as it is when unknown)."""
    if message in _TOML_MESSAGES:
        return _(message)
    for pattern, template in _TOML_QUOTING:
        if m := pattern.fullmatch(message):
            return _(template).format(value=m.group(1))
    return message


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
        raise DraftError(_("the TOML nests too deeply"), Location(file=file)) from None
    builder = Builder(file, source)
    try:
        raw = converter().structure(doc, RawDraft)
    except (CattrsError, ValueError, TypeError, KeyError) as exc:
        for key, message, __ in structure_problems(exc, "", None):
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
    return load_law_text(read_draft(path), str(path))


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
                _("law id '{id}' is used by both {ref} and {ref2}").format(
                    id=law.id, ref=by_id[law.id].ref, ref2=law.ref),
                Location(file=law.ref, key="law.id"),
            )
        by_id[law.id] = law
        laws.append(law)
    return laws
