"""The error hierarchy: every failure kzrehab reports on purpose is a :class:`KzrehabError`.

Errors carry *where* (a file, a TOML key path, a line and a column) and *what*. The library
never prints or exits; the command line maps every :class:`KzrehabError` to a message and
exit status 2.
"""

from __future__ import annotations

__all__ = [
    "KzrehabError",
    "CaseError",
    "Location",
    "RuleError",
    "RuleSyntaxError",
    "RuleTypeError",
    "DraftError",
    "AmendmentError",
    "RegistryError",
    "EvaluationError",
    "UsageError",
    "GitError",
    "LimitError",
    "MissingExtraError",
]

import copy
from typing import NamedTuple, Self

from .i18n import _


# A NamedTuple, not attrs or a dataclass: the command line imports errors before anything
# else, and ``kzrehab --help`` should not pay for importing attrs or inspect.
class Location(NamedTuple):
    """Where a problem is: any of a file, a TOML key path, a line and a column (1-based)."""

    file: str | None = None
    key: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            pos = self.file
            if self.line is not None:
                pos += f":{self.line}"
                if self.column is not None:
                    pos += f":{self.column}"
            parts.append(pos)
        if self.key:
            parts.append(self.key)
        if not self.file and self.line is not None:
            if self.column is None:
                parts.append(_("line {line}").format(line=self.line))
            else:
                parts.append(_("line {line}, column {column}").format(line=self.line,
                                                                      column=self.column))
        return ": ".join(parts)


class KzrehabError(Exception):
    """The root of every error kzrehab raises on purpose (bad input, bad usage)."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def located(
        self,
        file: str | None = None,
        key: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> Self:
        """A copy of this error with the missing parts of its location filled in."""
        loc = self.location
        new = copy.copy(self)
        new.location = Location(
            file=loc.file or file,
            key=loc.key or key,
            line=loc.line if loc.line is not None else line,
            column=loc.column if loc.column is not None else column,
        )
        return new

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message


class RuleError(KzrehabError, ValueError):
    """A problem with an expression of the rule language."""


class RuleSyntaxError(RuleError):
    """An expression does not parse."""


class RuleTypeError(RuleError):
    """An expression parses but is ill-typed or names something unknown."""


class LimitError(RuleError):
    """An input exceeds one of kzrehab's explicit limits (size, depth, count)."""


class DraftError(KzrehabError, ValueError):
    """A draft file is malformed: TOML syntax, unknown keys, bad values, duplicate ids."""


class AmendmentError(DraftError):
    """An amendment cannot be applied (missing target, conflicting amendments)."""


class RegistryError(KzrehabError, ValueError):
    """A registry (population) file has a bad row or cannot be read."""


class CaseError(KzrehabError, ValueError):
    """A law test case file (``kzrehab test``) that cannot be read or is malformed."""


class EvaluationError(KzrehabError, ValueError):
    """Evaluation found an error in a law that checking could not see (a negative amount)."""


class UsageError(KzrehabError):
    """The command line was used wrongly (a bad option value, a missing argument)."""


class GitError(KzrehabError, ValueError):
    """A law reference cannot be read from git: not a repository, a bad revision, a path
    outside the repository or missing at that revision."""


class MissingExtraError(KzrehabError, ImportError):
    """An optional extra (pandas, pyarrow) is needed and not installed: the message names the
    ``pip install`` that adds it (:func:`kzrehab._extras.require`)."""
