"""The expression tree of the rule language: immutable, hashable, compared by structure.

Nodes hold no evaluation code: the checker, the interpreter and the compiler each walk the
same tree and find what to do for an :class:`Op` in the one operator registry
(:mod:`kzrehab.rules.operators`). A node's ``span`` (character offsets in its source) is
kept for error messages and ignored by equality.

There are four kinds of node:

- :class:`Lit` — a number, string, boolean or date literal;
- :class:`Name` — a fact, definition or parameter (``claim.NAME`` has ``qualified=True``);
  the checker fills in ``ref``, what the name refers to;
- :class:`SetLit` — ``{'a', 'b'}``;
- :class:`Op` — an operator applied to its arguments, named as in the registry
  (``and``, ``<``, ``+``, ``filter``, ``project``, ``range``, ``exists``, …).
  ``events`` itself is ``Op("events", ())``.
"""

from __future__ import annotations

__all__ = ["Node", "Lit", "Name", "SetLit", "Op", "LitValue", "walk", "depth", "size"]

from collections.abc import Iterator

import attrs

from ..dates import PartialDate

LitValue = int | float | str | bool | PartialDate


@attrs.frozen
class Node:
    """Base of every node."""

    span: tuple[int, int] = attrs.field(default=(0, 0), eq=False, repr=False, kw_only=True)

    @property
    def children(self) -> tuple[Node, ...]:
        """The direct sub-expressions."""
        return ()


@attrs.frozen
class Lit(Node):
    """A literal: ``42``, ``3.5``, ``'text'``, ``true``, ``1931-05``."""

    value: LitValue


@attrs.frozen
class Name(Node):
    """A bare name, or ``claim.NAME`` when ``qualified``.

    ``ref`` is empty as parsed; the checker sets it to ``claim``, ``event``, ``def`` or
    ``param``.
    """

    name: str
    qualified: bool = False
    ref: str = ""


@attrs.frozen
class SetLit(Node):
    """A set of literals: ``{'exile', 'deportation'}``."""

    items: tuple[Lit, ...]

    @property
    def values(self) -> frozenset[str | float]:
        """The set's values (numbers as floats)."""
        return frozenset(
            v if isinstance(v, str) else float(v)  # type: ignore[arg-type]
            for v in (i.value for i in self.items)
        )

    @property
    def children(self) -> tuple[Node, ...]:
        return self.items


@attrs.frozen
class Op(Node):
    """An operator of the registry applied to its arguments."""

    op: str
    args: tuple[Node, ...] = ()

    @property
    def children(self) -> tuple[Node, ...]:
        return self.args


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children (iterative: no recursion limit)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def depth(node: Node) -> int:
    """The number of levels of the tree (a leaf is 1), computed without recursion."""
    best = 0
    stack = [(node, 1)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in n.children)
    return best


def size(node: Node) -> int:
    """The number of nodes in the tree."""
    return sum(1 for _ in walk(node))
