"""Explicit limits on untrusted input, each overridable by an environment variable.

Draft files and registries come from many hands. Every limit here is checked where the
input is read, and the error says which limit was hit and how to raise it.
"""

from __future__ import annotations

__all__ = ["Limit", "MAX_EXPRESSION_LENGTH", "MAX_EXPRESSION_DEPTH", "MAX_FILE_BYTES",
           "MAX_EVENTS_PER_CLAIM", "MAX_EXPRESSION_NODES", "MAX_REGISTRY_BYTES"]  # fmt: skip

import os

import attrs


@attrs.frozen
class Limit:
    """A named limit with its default and the environment variable that overrides it."""

    name: str
    default: int
    env: str
    unit: str

    @property
    def value(self) -> int:
        """The limit in force: the environment variable when it is a positive integer."""
        raw = os.environ.get(self.env, "")
        return int(raw) if raw.isdigit() and int(raw) > 0 else self.default

    def message(self, actual: str) -> str:
        """Say what exceeded this limit and how to raise it."""
        return (
            f"{actual} exceeds the limit on {self.name} ({self.value} {self.unit}); "
            f"set {self.env} to raise it"
        )


MAX_EXPRESSION_LENGTH = Limit(
    "expression length", 20_000, "KZREHAB_MAX_EXPRESSION_LENGTH", "characters"
)
MAX_EXPRESSION_DEPTH = Limit("expression depth", 100, "KZREHAB_MAX_EXPRESSION_DEPTH", "levels")
MAX_EXPRESSION_NODES = Limit("expression size", 5_000, "KZREHAB_MAX_EXPRESSION_NODES", "nodes")
MAX_FILE_BYTES = Limit("file size", 4 * 1024 * 1024, "KZREHAB_MAX_FILE_BYTES", "bytes")
MAX_REGISTRY_BYTES = Limit("registry size", 8 * 1024**3, "KZREHAB_MAX_REGISTRY_BYTES", "bytes")
MAX_EVENTS_PER_CLAIM = Limit("events per claim", 1_000, "KZREHAB_MAX_EVENTS_PER_CLAIM", "events")
