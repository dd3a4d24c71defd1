"""Explicit limits on untrusted input, each overridable by an environment variable.

Draft files and registries come from many hands. Every limit here is checked where the
input is read, and the error says which limit was hit and how to raise it. A limit's
environment variable must be a whole number from 1 to the limit's :attr:`Limit.maximum`;
anything else is a :class:`~kzrehab.errors.UsageError` naming the variable (never a silent
fallback, and never a number too large to allocate or compare).
"""

from __future__ import annotations

__all__ = ["Limit", "MAX_EXPRESSION_LENGTH", "MAX_EXPRESSION_DEPTH", "MAX_FILE_BYTES",
           "MAX_EVENTS_PER_CLAIM", "MAX_EXPRESSION_NODES", "MAX_REGISTRY_BYTES", "MAX_LINE_BYTES",
           "MAX_SYNTH_SIZE", "ALL", "fingerprint"]  # fmt: skip

import os

import attrs

from . import i18n
from .errors import UsageError
from .i18n import N_, _, ngettext, number


@attrs.frozen
class Limit:
    """A named limit with its default and the environment variable that overrides it."""

    name: str
    default: int
    env: str
    unit: str
    #: the largest value the environment variable may set
    maximum: int

    @property
    def value(self) -> int:
        """The limit in force: the environment variable when set, else the default.

        A variable that is set but not a whole number from 1 to :attr:`maximum` is a
        :class:`~kzrehab.errors.UsageError`.
        """
        raw = os.environ.get(self.env)
        if raw is None or not raw.strip():
            return self.default
        text = raw.strip()
        # at most 20 digits are converted: a million-digit value costs no time
        if not (text.isascii() and text.isdigit()) or len(text) > 20 \
                or not 1 <= int(text) <= self.maximum:  # fmt: skip
            shown = text if len(text) <= 30 else text[:27] + "..."
            raise UsageError(
                _("{env}={shown!r} is not a whole number from 1 to {maximum} "
                  "(the limit on {name}, default {default} {unit})").format(
                    env=self.env, shown=shown, maximum=number(self.maximum), name=_(self.name),
                    default=number(self.default), unit=_unit(self.unit, self.default))
            )
        return int(text)

    def message(self, actual: str) -> str:
        """Say what exceeded this limit and how to raise it."""
        value = self.value
        return _("{actual} exceeds the limit on {name} ({value} {unit}); set {env} to raise "
                 "it").format(actual=actual, name=_(self.name), value=value,
                              unit=_unit(self.unit, value), env=self.env)


def _unit(unit: str, n: int) -> str:
    """The unit of a limit (its English plural noun) in the form that follows ``n``."""
    forms = {
        "characters": ngettext("character", "characters", n),
        "levels": ngettext("level", "levels", n),
        "nodes": ngettext("node", "nodes", n),
        "bytes": ngettext("byte", "bytes", n),
        "events": ngettext("event", "events", n),
        "claims": ngettext("claim", "claims", n),
    }
    # English keeps the plural it has always written, whatever n is
    return unit if i18n.current() == "en" and unit in forms else forms.get(unit, unit)


MAX_EXPRESSION_LENGTH = Limit(
    N_("expression length"), 20_000, "KZREHAB_MAX_EXPRESSION_LENGTH", "characters", 10**7
)
MAX_EXPRESSION_DEPTH = Limit(
    N_("expression depth"), 100, "KZREHAB_MAX_EXPRESSION_DEPTH", "levels", 100_000
)
MAX_EXPRESSION_NODES = Limit(
    N_("expression size"), 5_000, "KZREHAB_MAX_EXPRESSION_NODES", "nodes", 10**7
)
MAX_FILE_BYTES = Limit(N_("file size"), 4 * 1024 * 1024, "KZREHAB_MAX_FILE_BYTES", "bytes", 1024**3)
MAX_REGISTRY_BYTES = Limit(
    N_("registry size"), 8 * 1024**3, "KZREHAB_MAX_REGISTRY_BYTES", "bytes", 2**50
)
MAX_LINE_BYTES = Limit(
    N_("registry line length"), 16 * 1024**2, "KZREHAB_MAX_LINE_BYTES", "bytes", 2**31
)
MAX_EVENTS_PER_CLAIM = Limit(
    N_("events per claim"), 1_000, "KZREHAB_MAX_EVENTS_PER_CLAIM", "events", 10**6
)
MAX_SYNTH_SIZE = Limit(
    N_("synthetic population size"), 5_000_000, "KZREHAB_MAX_SYNTH_SIZE", "claims", 10**8
)

#: every limit, in the order the documentation lists them
ALL = (MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_NODES, MAX_FILE_BYTES,
       MAX_REGISTRY_BYTES, MAX_LINE_BYTES, MAX_EVENTS_PER_CLAIM, MAX_SYNTH_SIZE)  # fmt: skip


#: the fingerprint of each setting of the limits' variables met (a draft asks once an
#: expression)
_FINGERPRINTS: dict[tuple[str | None, ...], str] = {}


def fingerprint() -> str:
    """The limits in force, as text for cache keys: a result computed under raised limits
    is never served to a run whose limits would reject its input."""
    raw = tuple(os.environ.get(limit.env) for limit in ALL)
    found = _FINGERPRINTS.get(raw)
    if found is None:  # each variable checked (a bad one is an error every time)
        found = ";".join(f"{limit.env}={limit.value}" for limit in ALL)
        if len(_FINGERPRINTS) < 64:
            _FINGERPRINTS[raw] = found
    return found
