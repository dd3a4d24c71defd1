"""Lint above the evaluation layer: every finding of a framework (``kzrehab check``).

:func:`lint` is :meth:`Framework.lint <kzrehab.laws.framework.Framework.lint>` (what the
laws say, read without evaluating them) and the lint on ``instead_of``, which evaluates
the plan's amounts and so sits above :mod:`kzrehab.evaluation`.

The lint on ``instead_of``: a replacing component whose amount may be lower.

A component ``instead_of`` another takes its place: a claim that receives both keeps only
the replacing one. When the replaced component has an amount, the replacement may leave
the claim with less than it had, which a drafter should see (``kzrehab check``). The rule
for "may be lower" is conservative (it may warn when the amount cannot in fact be lower,
never the other way round). The replacing amount is **not** lower when:

1. it is ``max(...)`` and one of its arguments is the replaced amount: the same expression
   once every definition is written out and every parameter is replaced by its dated
   values (so a definition or parameter may be restated under another name in another
   law, provided it says the same); or
2. both amounts read no fact and no event, and on every date a parameter of either law
   takes a new value the replacing amount is at least the replaced one.

Every other replacement of an amount is a finding, and so is a replacing component with
no amount at all.
"""

from __future__ import annotations

__all__ = ["lint", "instead_of_findings"]

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from .i18n import _
from .rules.ast import Name, Node, Op, walk

if TYPE_CHECKING:
    from .laws.framework import Framework
    from .laws.provisions import Law


@attrs.frozen
class _Param(Node):
    """A parameter written out: its dated values stand for it, whatever its name."""

    values: tuple[tuple[dt.date | None, float], ...]


def _inline(node: Node, law: Law, defs: Mapping[str, Node], memo: dict[str, Node]) -> Node:
    """``node`` with every definition written out and every parameter made :class:`_Param`."""
    if isinstance(node, Name) and node.ref == "def":
        if node.name not in memo:
            memo[node.name] = _inline(defs[node.name], law, defs, memo)
        return memo[node.name]
    if isinstance(node, Name) and node.ref == "param":
        return _Param(values=law.parameters[node.name].values)
    if isinstance(node, Op):
        return attrs.evolve(node, args=tuple(_inline(a, law, defs, memo) for a in node.args))
    return node


def _reads_facts(node: Node) -> bool:
    return any(
        (isinstance(n, Name) and n.ref in {"claim", "event"})
        or (isinstance(n, Op) and n.op == "events")
        for n in walk(node)
    )


def _constant_not_lower(fw: Framework, new: str, old: str) -> bool:
    """Both amounts constant: the new one is at least the old one on every change date."""
    from .evaluation import constant_amounts

    return all(v[new].lo >= v[old].hi for __, v in constant_amounts(fw, [new, old]))


def lint(fw: Framework) -> list[str]:
    """Every finding of a framework: what ``kzrehab check`` prints (exit 1 when any)."""
    return [*fw.lint(), *instead_of_findings(fw)]


def instead_of_findings(fw: Framework) -> list[str]:
    """Findings for components that replace an amount with one that may be lower."""
    findings: list[str] = []
    inlined: dict[str, Node] = {}

    def amount(full: str, law: Law) -> Node:
        if full not in inlined:
            plan = fw.checked(law.id)
            defs = {name: r.node for name, r in plan.definitions.items()}
            inlined[full] = _inline(plan.amounts[full].node, law, defs, {})
        return inlined[full]

    for full, (comp, law, __) in fw.components.items():
        where = str(comp.origin) if comp.origin.line else law.ref
        for replaced in comp.instead_of:
            target = law.full_id(replaced)
            if target not in fw.components:
                continue  # its law is not in the framework (a notice says so)
            _replaced, old_law, _its_grounds = fw.components[target]
            if target not in fw.checked(old_law.id).amounts:
                continue  # the replaced component pays no amount
            if full not in fw.checked(law.id).amounts:
                findings.append(
                    _("{where}: component '{full}' has no amount but is instead of '{target}', "
                      "which has one: a claim may receive less than without it").format(
                        where=where, full=full, target=target)
                )
                continue
            new, old = amount(full, law), amount(target, old_law)
            if isinstance(new, Op) and new.op == "max" and old in new.args:
                continue
            constant = not _reads_facts(new) and not _reads_facts(old)
            if constant and _constant_not_lower(fw, full, target):
                continue
            findings.append(
                _("{where}: the amount of component '{full}' may be lower than that of "
                  "'{target}', which it replaces (instead_of); write max(..., <the replaced "
                  "amount>) to pay whichever is greater, or say in the text that it cuts "
                  "it").format(
                    where=where, full=full, target=target)
            )
    return findings
