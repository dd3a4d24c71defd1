"""'Did you mean …?' suggestions for unknown names, shared by every layer."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable

from .i18n import _, ngettext

__all__ = ["did_you_mean", "did_you_mean_among", "not_one_of", "nearest_path",
           "did_you_mean_path"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _hint(close[0]) if close else ""


def _hint(name: str) -> str:
    return _("; did you mean '{name}'?").format(name=name)


#: plurals that adding an "s" gets wrong, or that read better as "… values"
_PLURALS = {"documentation": "documentation values", "violence": "violence values"}


def _plural(word: str) -> str:
    if word in _PLURALS:
        return _PLURALS[word]
    if word.endswith("y") and word[-2:-1] not in ("", *"aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def not_one_of(word: str, what: str, allowed: Iterable[str]) -> str:
    """``"'hunger' is not a motive; motives are: political, class, …"``, or, when one
    allowed value is close, ``"'exil' is not a measure; did you mean 'exile'?"``.

    ``what`` is a name (a fact's, a type's): English puts an article before it and makes
    its plural; the other languages quote it as it is, and their list of the allowed
    values leaves the plural out (the count of choices chooses its form)."""
    choices = list(allowed)
    hint = did_you_mean(word, choices) or ngettext(
        "; {whats} are: {choices}", "; {whats} are: {choices}", len(choices)).format(
        whats=_plural(what), choices=", ".join(choices))
    said = (_("'{word}' is not an {what}") if what[:1] in "aeiou"
            else _("'{word}' is not a {what}"))  # fmt: skip
    return said.format(word=word, what=what) + hint


_DIGITS = re.compile(r"\d+")


def _unpadded(text: str) -> str:
    """``text`` with the leading zeros of each run of digits dropped: ``c-000017`` → ``c-17``."""
    return _DIGITS.sub(lambda m: m.group().lstrip("0") or "0", text)


def did_you_mean_among(word: str, choices: Iterable[str]) -> str:
    """:func:`did_you_mean` for ids, over choices read one at a time (a million ids are
    never held as a list). A choice that differs only by the zeros padding its numbers
    (``soviet-convicted-17`` and ``soviet-convicted-000017``) is preferred; otherwise the
    closest choice, as :func:`did_you_mean` would pick it."""
    key = _unpadded(word)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for choice in choices:
        if _unpadded(choice) == key:
            return _hint(choice)
        matcher.set_seq1(choice)
        if (matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6
                and (score := matcher.ratio()) >= 0.6
                and (best is None or (score, choice) > best)):  # fmt: skip
            best = (score, choice)
    return _hint(best[1]) if best else ""


def nearest_path(path: str, listing: Callable[[str], Iterable[str] | None], *,
                 sep: str = "/") -> str | None:  # fmt: skip
    """The existing path nearest to ``path``, which does not exist, or None.

    ``path`` is walked a part at a time from its start; a part that is not in the listing
    of the folder reached so far (``listing(folder)``, None when that is no folder) is
    replaced by the closest name there (:func:`difflib.get_close_matches`), so that
    ``drafts/bill/peasants.toml`` finds ``drafts/bills/peasants.toml``. Hidden names are
    offered only for a hidden part. None when a part has no close name, or when the path
    found is ``path`` itself.
    """
    parts = [p for p in path.split(sep) if p not in ("", ".")]
    prefix = sep if path.startswith(sep) else ""
    walked: list[str] = []
    for part in parts:
        folder = prefix + sep.join(walked) if walked else (prefix or ".")
        names = listing(folder) if part != ".." else [".."]
        if names is None:
            return None
        names = list(names)
        if part not in names:
            offered = [n for n in names if part.startswith(".") or not n.startswith(".")]
            close = difflib.get_close_matches(part, offered, n=1, cutoff=0.6)
            if not close:
                return None
            part = close[0]
        walked.append(part)
    found = prefix + sep.join(walked)
    return None if not walked or found == prefix + sep.join(parts) else found


def _listdir(folder: str) -> list[str] | None:
    try:
        return os.listdir(folder)
    except OSError:
        return None


def did_you_mean_path(path: str | os.PathLike[str]) -> str:
    """``"; did you mean 'drafts/bills/peasants.toml'?"`` for a file or directory that does
    not exist, naming the nearest existing path (:func:`nearest_path`), or ``""``."""
    text = os.fspath(path)
    if os.sep != "/":  # pragma: no cover - Windows: either separator may be typed
        text = text.replace("/", os.sep)
    found = nearest_path(text, _listdir, sep=os.sep)
    return _hint(found) if found else ""
