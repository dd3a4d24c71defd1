"""Tokenizer of the rule language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from ..errors import Location, RuleSyntaxError

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "events", "claim"})

_SPEC = [
    ("WS", r"\s+"),
    ("DATE", r"\d{4}-\d{2}(?:-\d{2})?(?![\d-])"),
    ("NUMBER", r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z_])"),
    ("STRING", r"'(?:[^'\\\n]|\\.)*'"),
    ("NAME", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("OP", r"\.\.|==|!=|<=|>=|[<>+\-*/()\[\]{},.]"),
]
_MASTER = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _SPEC))


@attrs.frozen
class Token:
    kind: str  # DATE NUMBER STRING NAME KEYWORD OP END
    text: str
    start: int
    end: int


def position(source: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


def syntax_error(source: str, offset: int, message: str) -> RuleSyntaxError:
    line, column = position(source, offset)
    return RuleSyntaxError(message, Location(line=line, column=column))


def tokenize(source: str) -> Iterator[Token]:
    """Yield the tokens of ``source``, ending with an ``END`` token."""
    pos = 0
    while pos < len(source):
        m = _MASTER.match(source, pos)
        if m is None:
            ch = source[pos]
            if ch == "'":
                raise syntax_error(source, pos, "unterminated string: a ' is missing")
            if ch in '"`':
                raise syntax_error(source, pos, f"strings are written in single quotes, not {ch}")
            if ch == "=":
                raise syntax_error(source, pos, "'=' is not an operator; compare with '=='")
            if ch == "&" or ch == "|" or ch == "!":
                word = {"&": "and", "|": "or", "!": "not"}[ch]
                raise syntax_error(source, pos, f"'{ch}' is not an operator; write '{word}'")
            raise syntax_error(source, pos, f"unexpected character {ch!r}")
        kind = m.lastgroup
        assert kind is not None
        text = m.group()
        if kind == "NUMBER" and re.match(r"\d{4}-", source[pos : pos + 5]):
            raise syntax_error(source, pos, f"'{source[pos : pos + 10]}' is not a date")
        if kind != "WS":
            if kind == "NAME" and text in KEYWORDS:
                kind = "KEYWORD"
            yield Token(kind, text, pos, m.end())
        pos = m.end()
    yield Token("END", "", len(source), len(source))
