"""'Did you mean …?' suggestions for unknown names, shared by every layer."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "not_one_of"]


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
