"""Print an expression tree back to the rule language, with the fewest parentheses.

``parse(unparse(tree)) == tree`` for every tree the parser can produce: a property test
checks it on generated trees.
"""

from __future__ import annotations

__all__ = ["unparse"]

from ..dates import PartialDate
from .ast import Lit, Name, Node, Op, SetLit
from .operators import ATOM, REGISTRY


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if value >= 0 else f"-{-value!r}"
    return str(value)


def _power(node: Node) -> int:
    """How tightly the printed node holds together (the operator table's binding powers)."""
    if isinstance(node, Op):
        return REGISTRY[node.op].precedence
    value = node.value if isinstance(node, Lit) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return REGISTRY["neg"].precedence  # a negative literal prints as a negation
    return ATOM


def _wrap(node: Node, minimum: int) -> str:
    text = unparse(node)
    return f"({text})" if _power(node) < minimum else text


def unparse(node: Node) -> str:
    """The source text of a tree."""
    if isinstance(node, Lit):
        return _literal(node.value)
    if isinstance(node, Name):
        return f"claim.{node.name}" if node.qualified else node.name
    if isinstance(node, SetLit):
        return "{" + ", ".join(_literal(i.value) for i in node.items) + "}"
    assert isinstance(node, Op)
    op = REGISTRY[node.op]
    if op.syntax == "atom":
        return op.spelling
    if op.syntax in {"call", "internal"}:
        return f"{op.spelling}(" + ", ".join(unparse(a) for a in node.args) + ")"
    if op.syntax == "postfix":
        base, arg = node.args
        # the spelling opens the argument and may close it: E[C], E.F
        opening, closing = op.spelling[0], op.spelling[1:]
        return f"{_wrap(base, op.precedence)}{opening}{unparse(arg)}{closing}"
    if op.syntax == "prefix":
        (operand,) = node.args
        space = " " if op.spelling.isalpha() else ""  # not X, -X
        return f"{op.spelling}{space}{_wrap(operand, op.precedence)}"
    left, right = node.args
    p = op.precedence
    if op.operands is None:  # associates to the left
        return f"{_wrap(left, p)} {op.spelling} {_wrap(right, p + 1)}"
    if node.op == "range":
        return f"{_wrap(left, op.operands)}..{_wrap(right, op.operands)}"
    # comparisons do not chain: both sides are sums; a set or a range only after 'in'
    if isinstance(right, SetLit) or (isinstance(right, Op) and right.op == "range"):
        r_text = unparse(right)
    else:
        r_text = _wrap(right, op.operands)
    return f"{_wrap(left, op.operands)} {op.spelling} {r_text}"
