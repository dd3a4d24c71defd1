"""A pseudo-translation for tests (issue 18): every message that goes through the catalogs
comes out marked and with its letters changed, so that English left in an output is a
string that did not go through them.

``⟦Ŵħő łőşéş⟧``: the words of a message are bracketed, each ASCII letter replaced by an
accented one, and its placeholders (``{n}``, ``{x:,}``, ``%(prog)s``) kept as they are.
:func:`english_words` then finds the plain-ASCII words of an output that are not data.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from kzrehab import i18n

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MARKED = "ȧƀċđéƒğħīĵķłḿńőƥɋřşŧűṽŵẋÿžȦƁĊĐÉƑĞĦĪĴĶŁḾŃŐƤɊŘŞŦŰṼŴẊŸŽ"
_TABLE = str.maketrans(_PLAIN, _MARKED)
#: what is kept as it is: format placeholders, argparse's, and HTML/Markdown markup
_KEEP = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdr]|%[sdr]|<[^<>]*>|&[a-z]+;|\$[A-Z_]+")


def pseudo(message: str) -> str:
    """``message`` marked and its letters changed, its placeholders kept."""
    out, at = [], 0
    for m in _KEEP.finditer(message):
        out.append(message[at:m.start()].translate(_TABLE))
        out.append(m.group())
        at = m.end()
    out.append(message[at:].translate(_TABLE))
    return "⟦" + "".join(out) + "⟧"


class Pseudo(gettext.NullTranslations):
    """A catalog that pseudo-translates every message."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


@contextmanager
def pseudo_english() -> Iterator[None]:
    """Within the block, English output is pseudo-translated (numbers stay English)."""
    saved = i18n._CATALOGS.get("en")
    i18n._CATALOGS["en"] = Pseudo()
    try:
        with i18n.language("en"):
            yield
    finally:
        if saved is None:
            i18n._CATALOGS.pop("en", None)
        else:
            i18n._CATALOGS["en"] = saved


_WORD = re.compile(r"(?<![\w-])[A-Za-z](?:[A-Za-z']*[A-Za-z])?(?![\w])")


def english_words(text: str, data: Iterable[str] = ()) -> set[str]:
    """The plain-ASCII words (two letters or more) of ``text`` that are not in ``data`` (the
    words of the identifiers, names and texts the output quotes from its input)."""
    allowed: set[str] = set()
    for item in data:
        allowed.update(w.lower() for w in re.findall(r"[A-Za-z](?:[A-Za-z']*[A-Za-z])?", item))
    return {w for w in _WORD.findall(text) if len(w) > 1 and w.lower() not in allowed}
