"""'Did you mean …?' suggestions for unknown names, shared by every layer."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["did_you_mean", "did_you_mean_among", "not_one_of"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


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
    allowed value is close, ``"'exil' is not a measure; did you mean 'exile'?"``."""
    choices = list(allowed)
    article = "an" if what[:1] in "aeiou" else "a"
    hint = did_you_mean(word, choices) or f"; {_plural(what)} are: {', '.join(choices)}"
    return f"'{word}' is not {article} {what}{hint}"


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
            return f"; did you mean '{choice}'?"
        matcher.set_seq1(choice)
        if (matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6
                and (score := matcher.ratio()) >= 0.6
                and (best is None or (score, choice) > best)):  # fmt: skip
            best = (score, choice)
    return f"; did you mean '{best[1]}'?" if best else ""
