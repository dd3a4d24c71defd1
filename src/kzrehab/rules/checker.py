"""The type checker: resolves names and infers types against the vocabulary and a law.

:class:`Checker` holds one law's definitions and parameters. :meth:`Checker.check` returns
the *resolved* tree (every :class:`~kzrehab.rules.ast.Name` has its ``ref`` set) and its
:class:`~kzrehab.rules.types.Type`; it raises :class:`~kzrehab.errors.RuleTypeError` naming
the file, line and column of the problem with a caret excerpt and, for unknown names and
enum values, a suggestion.

Names: at claim scope, bare names are claim facts, then definitions and parameters.
Inside ``events[...]``, bare names are event facts, then event-scope definitions and event
sets, then parameters; claim facts and claim-scope definitions are written ``claim.NAME``.
A definition's scope is inferred: it is event-scope when it reads event facts bare. The
identifying facts (:data:`~kzrehab.vocabulary.IDENTIFYING`: ``id``, ``victim_id``) are
names no rule may use, bare or as ``claim.NAME``.
"""

from __future__ import annotations

__all__ = ["Checker", "Source", "located_error"]

from collections.abc import Collection, Mapping
from typing import Protocol

import attrs

from .. import vocabulary
from .._suggest import did_you_mean
from ..errors import LimitError, Location, RuleError, RuleTypeError
from ..i18n import _
from ..limits import MAX_EXPRESSION_DEPTH
from ..vocabulary import Fact, FactKind
from ._tokenizer import position
from .ast import Lit, Name, Node, Op, SetLit
from .operators import REGISTRY, TypeProblem
from .types import BOOL, DATE, NUM, Type


class Source(Protocol):
    """An expression with its text and where it was written (a law's ``Expression``)."""

    @property
    def source(self) -> str: ...
    @property
    def node(self) -> Node: ...
    @property
    def origin(self) -> Location: ...


def located_error(
    cls: type[RuleError], message: str, source: str, span: tuple[int, int], origin: Location
) -> RuleError:
    """An error at ``span`` of an expression, located in its file, with a caret excerpt."""
    start, end = span
    line, column = position(source, start)
    if origin.line is not None:
        abs_line = origin.line + line - 1
        abs_col = (origin.column or 1) + column - 1 if line == 1 else column
        where = Location(origin.file, origin.key, abs_line, abs_col)
    else:
        where = Location(origin.file, origin.key, line, column)
    text_line = source.splitlines()[line - 1] if source.strip() else ""
    width = max(1, min(end, len(source)) - start) if end > start else 1
    if "\n" in source[start:end]:
        width = max(1, len(text_line) - column + 1)
    excerpt = f"\n    {text_line}\n    {' ' * (column - 1)}{'^' * width}" if text_line else ""
    return cls(message + excerpt, where)


_FACT_TYPES = {
    FactKind.BOOL: BOOL,
    FactKind.INT: NUM,
    FactKind.DATE: DATE,
    FactKind.STR: Type("str"),
    FactKind.COUNTRY: Type("country"),
}


def fact_type(fact: Fact, event: bool) -> Type:
    """The rule-language type of a vocabulary fact."""
    base = Type("enum", fact.name) if fact.kind is FactKind.ENUM else _FACT_TYPES[fact.kind]
    return base.at_event(event)


class _Problem(Exception):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class _NeedsEventScope(_Problem):
    """A bare event fact at claim scope: a definition may be event-scope instead."""


@attrs.frozen
class Resolved:
    """A checked definition: its resolved tree and its type."""

    node: Node
    type: Type

    @property
    def scope(self) -> str:
        """``claim``, ``event`` (reads the current event) or ``events`` (an event set)."""
        if self.type.kind == "events":
            return "events"
        return "event" if self.type.event else "claim"


class Checker:
    """Type-checks the expressions of one law against the vocabulary and its names."""

    def __init__(self, definitions: Mapping[str, Source], parameters: Collection[str]) -> None:
        self.definitions = definitions
        self.parameters = frozenset(parameters)
        self.resolved: dict[str, Resolved] = {}
        self._visiting: list[str] = []
        #: each checked definition's depth with the definitions it names written out: what
        #: evaluation recurses through, bounded by MAX_EXPRESSION_DEPTH like one expression
        self.depths: dict[str, int] = {}
        #: id of a tree checked at claim scope → (the tree, kept alive so that its id stays
        #: its, and what it resolved to): provisions that share a condition (one parsed tree)
        #: are checked once, and share one resolved tree, which the compiler compiles once
        self._checked: dict[int, tuple[Node, Resolved]] = {}

    # -- public -----------------------------------------------------------------------------

    def check(self, expr: Source, want: str | None = None, what: str | None = None) -> Resolved:
        """Check an expression at claim scope; ``want`` is the kind it must have. The same
        tree (one parsed text) checked again gives the same resolved tree, not a copy."""
        found = self._checked.get(id(expr.node))
        if found is not None and found[0] is expr.node:
            node, t = found[1].node, found[1].type
        else:
            try:
                node, t = self._check(expr.node, event=False, depth=0)
            except _Problem as p:
                raise self._error(p, expr) from None
            self._within_depth(node, expr, _("this") if what is None else what)
            self._checked[id(expr.node)] = (expr.node, Resolved(node, t))
        what = _("this") if what is None else what
        if want is not None and t.kind != want:
            need = {"bool": _("a condition (true or false)"), "num": _("a number")}.get(want, want)
            raise located_error(
                RuleTypeError, _("{what} must be {need}, not a {t}").format(
                                   what=what, need=need, t=t), expr.source,
                expr.node.span, expr.origin,
            )  # fmt: skip
        return self._checked[id(expr.node)][1]

    def definition(self, name: str) -> Resolved:
        """Check a definition (once), detecting cycles."""
        if name in self.resolved:
            return self.resolved[name]
        expr = self.definitions[name]
        if name in self._visiting:
            cycle = " → ".join([*self._visiting[self._visiting.index(name) :], name])
            raise RuleTypeError(_("definitions form a cycle: "
                                  "{cycle}").format(cycle=cycle), expr.origin)
        if len(self._visiting) >= MAX_EXPRESSION_DEPTH.value:
            chain = " → ".join(self._visiting[:3])
            raise LimitError(
                MAX_EXPRESSION_DEPTH.message(_("a chain of definitions ({chain} → …)").format(
                                                 chain=chain)),
                expr.origin,
            )
        self._visiting.append(name)
        try:
            try:
                node, t = self._check(expr.node, event=False, depth=0)
            except _NeedsEventScope:
                node, t = self._check(expr.node, event=True, depth=0)
        except _Problem as p:
            raise self._error(p, expr) from None
        finally:
            self._visiting.pop()
        if t.kind in {"proj", "range"}:
            raise located_error(
                RuleTypeError, _("a definition cannot be a "
                                 "{t}").format(t=t), expr.source, expr.node.span,
                expr.origin,
            )  # fmt: skip
        what = _("the definition '{name}'").format(name=name)
        self.depths[name] = self._within_depth(node, expr, what)
        result = Resolved(node, t)
        self.resolved[name] = result
        return result

    def _within_depth(self, node: Node, expr: Source, what: str) -> int:
        """The depth of a resolved tree with its definitions written out; over the limit, a
        LimitError located at the expression (not only when evaluation recurses)."""
        depth = self._depth(node)
        limit = MAX_EXPRESSION_DEPTH.value
        if depth > limit:
            raise located_error(
                LimitError,
                MAX_EXPRESSION_DEPTH.message(
                    _("{what}, {depth} levels deep with the definitions it names written "
                      "out,").format(
                        what=what, depth=depth)
                ),
                expr.source, expr.node.span, expr.origin,
            )  # fmt: skip
        return depth

    def _depth(self, node: Node) -> int:
        if isinstance(node, Name):
            return self.depths.get(node.name, 0) if node.ref == "def" else 1
        if isinstance(node, Op):
            return 1 + max((self._depth(a) for a in node.args), default=0)
        return 1

    def check_definitions(self) -> dict[str, Resolved]:
        """Check every definition; return them resolved."""
        for name in self.definitions:
            self.definition(name)
        return dict(self.resolved)

    # -- internals --------------------------------------------------------------------------

    def _error(self, p: _Problem, expr: Source) -> RuleError:
        cls = LimitError if isinstance(p, _DepthProblem) else RuleTypeError
        return located_error(cls, p.message, expr.source, p.node.span, expr.origin)

    def _check(self, node: Node, event: bool, depth: int) -> tuple[Node, Type]:
        if depth > MAX_EXPRESSION_DEPTH.value:
            raise _DepthProblem(MAX_EXPRESSION_DEPTH.message(_("the expression's depth")), node)
        if isinstance(node, Lit):
            return node, _literal_type(node)
        if isinstance(node, SetLit):
            of = "strlit" if isinstance(node.items[0].value, str) else "num"
            return node, Type("set", of)
        if isinstance(node, Name):
            return self._name(node, event)
        assert isinstance(node, Op)
        op = REGISTRY[node.op]
        args: list[Node] = []
        types: list[Type] = []
        for i, arg in enumerate(node.args):
            per_event = bool(op.per_event) and op.per_event[i]
            if node.op == "project" and i == 1:
                assert isinstance(arg, Name)
                resolved, t = self._projected(arg)
            else:
                resolved, t = self._check(arg, event or per_event, depth + 1)
            args.append(resolved)
            types.append(t)
        try:
            t = op.check(node, types)
        except TypeProblem as tp:
            at = node.args[tp.arg] if tp.arg is not None and tp.arg < len(node.args) else node
            raise _Problem(tp.message, tp.at or at) from None
        return Op(node.op, tuple(args), span=node.span), t

    def _projected(self, name: Name) -> tuple[Node, Type]:
        fact = vocabulary.event_fact(name.name)
        if fact is not None and not name.qualified:
            return attrs.evolve(name, ref="event"), fact_type(fact, True)
        if name.name in self.definitions:
            d = self.definition(name.name)
            if d.scope == "event":
                return attrs.evolve(name, ref="def"), d.type
        hint = did_you_mean(name.name, [*vocabulary.EVENT_FACTS, *self._event_defs()])
        raise _Problem(_("'{name}' is not an event "
                         "fact{hint}").format(name=name.name, hint=hint), name)

    def _event_defs(self) -> list[str]:
        return [n for n, r in self.resolved.items() if r.scope == "event"]

    def _name(self, name: Name, event: bool) -> tuple[Node, Type]:
        n = name.name
        if n in vocabulary.IDENTIFYING:
            raise _Problem(
                _("'{n}' identifies a claim and cannot appear in a rule: a rule decides by "
                  "facts about a claim, never by which claim it is").format(n=n), name,
            )  # fmt: skip
        claim = vocabulary.claim_fact(n)
        ev = vocabulary.event_fact(n)
        if name.qualified:
            if claim is not None:
                return attrs.evolve(name, ref="claim"), fact_type(claim, False)
            if n in self.definitions:
                d = self.definition(n)
                if d.scope == "event":
                    raise _Problem(_("'{n}' reads event facts; it is not a claim-scope "
                                     "name").format(
                                       n=n), name)
                return attrs.evolve(name, ref="def"), d.type
            hint = did_you_mean(n, [*vocabulary.CLAIM_FACTS, *self.definitions])
            raise _Problem(_("'{n}' is not a claim fact{hint}").format(n=n, hint=hint), name)
        if event and ev is not None:
            return attrs.evolve(name, ref="event"), fact_type(ev, True)
        if not event and claim is not None:
            return attrs.evolve(name, ref="claim"), fact_type(claim, False)
        if n in self.definitions:
            d = self.definition(n)
            if d.scope == "event" and not event:
                raise _NeedsEventScope(_("'{n}' reads event facts: use it inside "
                                         "events[...]").format(
                                           n=n), name)
            if d.scope == "claim" and event:
                raise _Problem(
                    _("'{n}' is a claim-scope definition; inside events[...] write "
                      "claim.{n}").format(
                        n=n), name
                )
            return attrs.evolve(name, ref="def"), d.type
        if n in self.parameters:
            return attrs.evolve(name, ref="param"), NUM
        if ev is not None:
            raise _NeedsEventScope(
                _("'{n}' is an event fact: use it inside an event filter, "
                  "e.g. exists(events[{n} ...])").format(n=n),
                name,
            )
        if claim is not None:
            raise _Problem(_("'{n}' is a claim fact; inside events[...] write claim.{n}").format(
                               n=n), name)
        visible = [
            *(vocabulary.EVENT_FACTS if event else vocabulary.CLAIM_FACTS),
            *self.definitions,
            *self.parameters,
        ]
        raise _Problem(_("unknown name "
                         "'{n}'{hint}").format(n=n, hint=did_you_mean(n, visible)), name)


class _DepthProblem(_Problem):
    """The expression (with its definitions) is nested too deeply."""


def _literal_type(node: Lit) -> Type:
    v = node.value
    if isinstance(v, bool):
        return BOOL
    if isinstance(v, int | float):
        return NUM
    if isinstance(v, str):
        return Type("strlit")
    return DATE
