"""The one operator table of the rule language.

Every operator is one :class:`Operator` record holding, side by side, every fact about it:

- its syntax: how the parser reads it and the printer writes it, and its binding power
  (the grammar's levels, loosest first: ``OR`` … ``ATOM``);
- its type rule (read by the checker);
- whether it reduces the events of a claim to one value per claim (``aggregation``);
- for ``and`` and ``or``, the value of one operand that decides the result (``absorbing``);
- its per-claim implementation on range values (read by the interpreter);
- its vectorised implementation on arrays (read by the compiler): a function of
  :mod:`kzrehab.rules.vectorised`, named here and imported on its first call, so that
  reading the table does not import NumPy.

Importing this module gives the complete table; a test fails when an operator lacks any of
these, so none can be half-added.

Type rules receive the node and its argument types and return the result type, or raise
:class:`TypeProblem`. Implementations receive the argument values. An argument marked in
``per_event`` (the condition of a filter ``E[C]``, the fact of a projection ``E.F``) is
evaluated once per event: the interpreter evaluates it for each event of the base set, in
order, and passes the list of values; the compiler evaluates it once over every event of the
population. An atom (``events``) reads the claim: its per-claim implementation receives the
claim's number of events, its vectorised one the evaluator alone. Vectorised
implementations receive the evaluator (:class:`~kzrehab.rules.vectorised.Reductions`) first.
"""

from __future__ import annotations

__all__ = [
    "Operator",
    "Aggregation",
    "Vectorised",
    "REGISTRY",
    "TypeProblem",
    "FUNCTIONS",
    "BINARY",
    "EventSet",
    "Projection",
]

import enum
import functools
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from .. import vocabulary
from .._suggest import not_one_of
from ..i18n import _, ngettext
from .ast import Lit, Node, Op, SetLit
from .types import BOOL, EVENTS, NUM, Type, kind_word
from .values import (
    UNBOUNDED,
    Interval,
    K,
    add,
    compare,
    contains,
    div,
    imax,
    imin,
    kand,
    knot,
    kor,
    mul,
    neg,
    round2,
    sub,
)

#: members of an event set: (index of the event in its claim, membership TRUE or UNKNOWN)
EventSet = tuple[tuple[int, K], ...]
#: a fact read over an event set: (membership, the fact's range) per member
Projection = tuple[tuple[K, Interval], ...]

# Binding powers, loosest first (higher binds tighter): the levels of the grammar
# (``docs/rule-language.rst``, *Precedence* and *Grammar*). ATOM is that of calls, atoms,
# literals and names, which never need parentheses.
OR, AND, NOT, COMPARISON, RANGE, SUM, PRODUCT, UNARY, POSTFIX, ATOM = range(1, 11)


class TypeProblem(Exception):
    """Raised by a type rule; the checker adds where: ``at``, the node at fault (e.g. one
    member of a set), else ``arg``, which argument, else the whole operation."""

    def __init__(self, message: str, arg: int | None = None, at: Node | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.arg = arg
        self.at = at


TypeRule = Callable[[Op, Sequence[Type]], Type]


class Aggregation(enum.Enum):
    """Whether an operator reduces the events of its claim to one value per claim, whatever
    the scope it is used in (inside a filter, that value is the same for every event)."""

    #: one value per claim or per event, as its arguments
    NEVER = "never"
    #: ``exists``, ``count``, ``sum``
    ALWAYS = "always"
    #: ``min`` and ``max``: of one ``E.FACT`` (of two or more numbers, they do not)
    ONE_ARGUMENT = "one argument"


@attrs.frozen
class Vectorised:
    """A vectorised implementation: the function ``function`` of
    :mod:`kzrehab.rules.vectorised`, imported (NumPy with it) on the first call."""

    function: str

    def resolve(self) -> Callable[..., Any]:
        """The function itself (imports :mod:`kzrehab.rules.vectorised`)."""
        return _vectorised(self.function)

    def __call__(self, *args: Any) -> Any:
        return _vectorised(self.function)(*args)


@functools.cache
def _vectorised(function: str) -> Callable[..., Any]:
    from . import vectorised

    implementation: Callable[..., Any] = getattr(vectorised, function)
    return implementation


@attrs.frozen
class Operator:
    """One operator: syntax, binding power, type rule, aggregation and both
    implementations."""

    name: str
    #: how it is written: the symbol or keyword, or the function name
    spelling: str
    #: ``infix``, ``prefix``, ``call``, ``postfix`` or ``atom``; ``internal`` for an
    #: operator only the evaluation plan writes (no syntax: drafts cannot use it)
    syntax: str
    #: binding power (higher binds tighter, from ``OR`` to ``ATOM``): how tightly an infix or prefix
    #: operator holds its operands, and how tightly the operation holds together as an
    #: operand of another (postfix operators, calls and atoms never need parentheses)
    precedence: int
    doc: str
    check: TypeRule = attrs.field(repr=False)
    #: the per-claim implementation, on range values (:mod:`kzrehab.rules.values`)
    interpret: Callable[..., Any] = attrs.field(repr=False)
    #: the vectorised implementation, on arrays (:mod:`kzrehab.rules.vectorised`)
    vectorised: Vectorised = attrs.field(repr=False)
    #: for each argument, True when it is checked and evaluated per event
    per_event: tuple[bool, ...] = ()
    #: whether it reduces the claim's events to one value per claim
    aggregation: Aggregation = Aggregation.NEVER
    #: for ``and`` (FALSE) and ``or`` (TRUE), the value of an operand that decides the result,
    #: so the other need not be evaluated, and an explanation shows the operands that did
    absorbing: K | None = None
    #: for an infix operator that does not associate (comparisons, membership, ranges), the
    #: binding power both operands need to go without parentheses; None for one that
    #: associates to the left (its left operand needs its own power, its right one more)
    operands: int | None = None

    def aggregates(self, n_args: int) -> bool:
        """True when, given ``n_args`` arguments, it reduces the events of each claim to
        one value per claim."""
        if self.aggregation is Aggregation.ONE_ARGUMENT:
            return n_args == 1
        return self.aggregation is Aggregation.ALWAYS


# --- type rules -------------------------------------------------------------------------


def _expect(t: Type, kinds: set[str], arg: int, what: str) -> None:
    if t.kind not in kinds:
        items = _(" or ").join(kind_word(k) for k in sorted(kinds))
        raise TypeProblem(_("{what} needs {items}, not {t}").format(what=what, items=items, t=t),
                          arg)


def _event(types: Sequence[Type]) -> bool:
    return any(t.event for t in types)


def _logic(node: Op, types: Sequence[Type]) -> Type:
    for i, t in enumerate(types):
        if t.kind != "bool":
            raise TypeProblem(_("'{op}' needs conditions, but this is a {t}").format(
                                  op=node.op, t=t), i)
    return BOOL.at_event(_event(types))


def _check_literal(value_node: Node, t: Type, arg: int) -> None:
    """A string literal compared with an enum or a country must be one of its values."""
    items: Sequence[Node] = value_node.items if isinstance(value_node, SetLit) else (value_node,)
    for item in items:
        if not isinstance(item, Lit) or not isinstance(item.value, str):
            continue
        if t.kind == "enum":
            allowed = vocabulary.ENUMS[t.of]
            if item.value not in allowed:
                raise TypeProblem(not_one_of(item.value, t.of, allowed), arg, at=item)
        elif t.kind == "country" and not vocabulary.is_country_code(item.value):
            raise TypeProblem(
                _("'{value}' is not a country code (ISO 3166-1 alpha-2, like 'KZ')").format(
                    value=item.value), arg,
                at=item,
            )


def _textual_pair(a: Type, b: Type) -> bool:
    if a.kind == "strlit" or b.kind == "strlit":
        return True
    if a.kind == "enum" and b.kind == "enum":
        return a.of == b.of
    return a.kind == b.kind


def _comparison(node: Op, types: Sequence[Type]) -> Type:
    a, b = types
    ordering = node.op in {"<", "<=", ">", ">="}
    if a.kind in {"num", "date"} or b.kind in {"num", "date"}:
        if a.kind != b.kind:
            raise TypeProblem(_("cannot compare a {a} with a {b}").format(a=a, b=b), 1)
    elif ordering:
        raise TypeProblem(_("'{op}' compares numbers or dates, not a "
                            "{a}").format(op=node.op, a=a), 0)
    elif a.kind == "bool" or b.kind == "bool":
        if a.kind != b.kind:
            raise TypeProblem(_("cannot compare a {a} with a {b}").format(a=a, b=b), 1)
    elif a.textual and b.textual:
        if a.kind == "strlit" and b.kind == "strlit":
            raise TypeProblem(_("comparing two literals is constant"), 1)
        if not _textual_pair(a, b):
            raise TypeProblem(_("cannot compare a {a} with a {b}").format(a=a, b=b), 1)
        _check_literal(node.args[1], a, 1)
        _check_literal(node.args[0], b, 0)
    else:
        raise TypeProblem(_("cannot compare a {a} with a {b}").format(a=a, b=b), 1)
    return BOOL.at_event(_event(types))


def _membership(node: Op, types: Sequence[Type]) -> Type:
    a, b = types
    if b.kind == "range":
        if a.kind != b.of:
            raise TypeProblem(_("a {a} cannot be in a range of {of}s").format(a=a, of=b.of), 0)
    elif b.kind == "set":
        if b.of == "num":
            if a.kind != "num":
                raise TypeProblem(_("a {a} cannot be in a set of numbers").format(a=a), 0)
        elif not a.textual or a.kind == "strlit":
            raise TypeProblem(_("a {a} cannot be in a set of strings").format(a=a), 0)
        else:
            _check_literal(node.args[1], a, 1)
    else:
        raise TypeProblem(_("'{op}' needs a set {{…}} or a range A..B, not a {b}").format(
                              op=node.op, b=b), 1)
    return BOOL.at_event(_event(types))


def _arith(node: Op, types: Sequence[Type]) -> Type:
    for i, t in enumerate(types):
        if t.kind != "num":
            raise TypeProblem(_("'{op}' needs numbers, not a {t}").format(op=node.op, t=t), i)
    return NUM.at_event(_event(types))


def _range(node: Op, types: Sequence[Type]) -> Type:
    a, b = types
    if a.kind not in {"num", "date"}:
        raise TypeProblem(_("a range needs numbers or dates, not a {a}").format(a=a), 0)
    if b.kind != a.kind:
        raise TypeProblem(_("a range from a {a} cannot end with a {b}").format(a=a, b=b), 1)
    return Type("range", a.kind, _event(types))


def _events(node: Op, types: Sequence[Type]) -> Type:
    return EVENTS


def _filter(node: Op, types: Sequence[Type]) -> Type:
    base, cond = types
    if base.kind != "events":
        raise TypeProblem(_("only event sets can be filtered, not a {base}").format(base=base), 0)
    if cond.kind != "bool":
        raise TypeProblem(_("a filter needs a condition, not a {cond}").format(cond=cond), 1)
    return EVENTS.at_event(base.event)


def _project(node: Op, types: Sequence[Type]) -> Type:
    base, fact = types
    if base.kind != "events":
        raise TypeProblem(
            _("'.{getattr}' reads an event set, not a {base}").format(
                getattr=getattr(node.args[1], 'name', ''), base=base), 0
        )
    if fact.kind not in {"num", "date"}:
        raise TypeProblem(_("only numbers and dates can be summed or compared, not a "
                            "{fact}").format(
                              fact=fact), 1)
    return Type("proj", fact.kind, base.event)


def _minmax(node: Op, types: Sequence[Type]) -> Type:
    if len(types) == 1:
        if types[0].kind != "proj":
            raise TypeProblem(
                _("{op}() needs two or more numbers, or one E.FACT of an event set").format(
                    op=node.op), 0
            )
        return Type(types[0].of, "", types[0].event)
    if not types:
        raise TypeProblem(_("{op}() needs arguments").format(op=node.op))
    kind = types[0].kind
    for i, t in enumerate(types):
        if t.kind not in {"num", "date"} or t.kind != kind:
            raise TypeProblem(_("{op}() needs numbers (or dates) of one type, not a {t}").format(
                                  op=node.op, t=t), i)
    return Type(kind, "", _event(types))


def _arity(n: int) -> Callable[[TypeRule], TypeRule]:
    def wrap(rule: TypeRule) -> TypeRule:
        def checked(node: Op, types: Sequence[Type]) -> Type:
            if len(types) != n:
                raise TypeProblem(ngettext("{op}() takes {n} argument, not {given}",
                                           "{op}() takes {n} arguments, not {given}", n).format(
                                      op=node.op, n=n, given=len(types)))
            return rule(node, types)

        return checked

    return wrap


def _unary(kinds: set[str], result: Type) -> TypeRule:
    """The rule of ``op(x)``: ``x`` of one of ``kinds``; ``result``, at ``x``'s event."""

    @_arity(1)
    def rule(node: Op, types: Sequence[Type]) -> Type:
        _expect(types[0], kinds, 0, f"{node.op}()")
        return result.at_event(types[0].event)

    return rule


_exists = _unary({"events"}, BOOL)
_count = _unary({"events"}, NUM)


@_arity(1)
def _sum(node: Op, types: Sequence[Type]) -> Type:
    if types[0].kind != "proj" or types[0].of != "num":
        raise TypeProblem(_("sum() needs E.FACT with a number FACT, not a {types}").format(
                              types=types[0]), 0)
    return NUM.at_event(types[0].event)


@_arity(1)
def _known(node: Op, types: Sequence[Type]) -> Type:
    if not types[0].scalar or types[0].kind == "strlit":
        raise TypeProblem(_("known() needs a fact or a value, not a {types}").format(
                              types=types[0]), 0)
    return BOOL.at_event(types[0].event)


_certainty = _unary({"bool"}, BOOL)


@_arity(1)
def _cents(node: Op, types: Sequence[Type]) -> Type:
    _expect(types[0], {"num"}, 0, "cents")
    return NUM


@_arity(2)
def _startswith(node: Op, types: Sequence[Type]) -> Type:
    if types[0].kind != "str":
        raise TypeProblem(_("startswith() needs a string fact first, not a {types}").format(
                              types=types[0]), 0)
    if types[1].kind != "strlit":
        raise TypeProblem(_("startswith() needs a 'prefix' string second"), 1)
    return BOOL.at_event(types[0].event)


# --- per-claim implementations ------------------------------------------------------------

Textual = str | None


def _eq_text(a: Textual, b: Textual) -> K:
    return K.UNKNOWN if a is None or b is None else K.of(a == b)


def _eq(a: Any, b: Any) -> K:
    if isinstance(a, Interval):
        return compare("==", a, b)
    if isinstance(a, K):
        return K.UNKNOWN if K.UNKNOWN in (a, b) else K.of(a == b)
    return _eq_text(a, b)


def _in(x: Any, s: Any) -> K:
    if isinstance(s, Interval):
        return contains(s, x)
    if isinstance(x, Interval):  # a number in a set of numbers
        return kor(compare("==", x, Interval.point(v)) for v in s)
    return K.UNKNOWN if x is None else K.of(x in s)


def _count_impl(es: EventSet) -> Interval:
    n_in = sum(1 for __, m in es if m is K.TRUE)
    return Interval(float(n_in), float(len(es)))


def _exists_impl(es: EventSet) -> K:
    if any(m is K.TRUE for __, m in es):
        return K.TRUE
    return K.UNKNOWN if es else K.FALSE


def _sum_impl(p: Projection) -> Interval:
    lo = hi = 0.0
    for m, v in p:
        if m is K.TRUE:
            lo, hi = lo + v.lo, hi + v.hi
        else:
            lo, hi = lo + min(0.0, v.lo), hi + max(0.0, v.hi)
    return Interval(-float("inf") if lo != lo else lo, float("inf") if hi != hi else hi)


def _agg(p: Projection, upper: bool) -> Interval:
    inside = [v for m, v in p if m is K.TRUE]
    if not inside:
        return UNBOUNDED
    every = [v for __, v in p]
    if upper:  # max: lo over the in events, hi widened by the maybe ones
        return Interval(max(v.lo for v in inside), max(v.hi for v in every))
    return Interval(min(v.lo for v in every), min(v.hi for v in inside))


def _minmax_impl(name: str) -> Callable[..., Interval]:
    upper = name == "max"

    def impl(*args: Any) -> Interval:
        if len(args) == 1:
            return _agg(args[0], upper)
        return imax(args) if upper else imin(args)

    return impl


def _known_impl(x: Any) -> K:
    if isinstance(x, K):
        return K.of(x is not K.UNKNOWN)
    if isinstance(x, Interval):
        return K.of(x.known)
    return K.of(x is not None)


def _startswith_impl(s: Textual, prefix: str) -> K:
    return K.UNKNOWN if s is None else K.of(s.startswith(prefix))


def _events_impl(n_events: int) -> EventSet:
    """All events of a claim with ``n_events`` events, each surely in."""
    return tuple((i, K.TRUE) for i in range(n_events))


def _filter_impl(base: EventSet, conditions: Sequence[K]) -> EventSet:
    """The events of ``base`` whose condition holds: membership is ``m and c`` (Kleene);
    events surely out are dropped. ``conditions[j]`` is the condition for ``base[j]``."""
    out = []
    for (index, member), cond in zip(base, conditions, strict=True):
        both = kand((member, cond))
        if both is not K.FALSE:
            out.append((index, both))
    return tuple(out)


def _project_impl(base: EventSet, values: Sequence[Any]) -> Projection:
    """A fact of each event of ``base``, with the event's membership."""
    return tuple((member, v) for (__, member), v in zip(base, values, strict=True))


def _cmp(op: str) -> Callable[[Any, Any], K]:
    def impl(a: Any, b: Any) -> K:
        if isinstance(a, Interval):
            return compare(op, a, b)
        result = _eq(a, b)
        return result if op == "==" else knot(result)

    return impl


def _op(
    name: str,
    spelling: str,
    syntax: str,
    precedence: int,
    doc: str,
    check: TypeRule,
    interpret: Callable[..., Any],
    vectorised: str,
    **kw: Any,
) -> Operator:
    return Operator(
        name, spelling, syntax, precedence, doc, check, interpret, Vectorised(vectorised), **kw
    )


_COMPARISONS = {"==": "v_eq", "!=": "v_ne", "<": "v_lt", "<=": "v_le", ">": "v_gt", ">=": "v_ge"}
_PER_EVENT = (False, True)

# name, spelling, syntax, binding power, doc, type rule, per-claim and vectorised
# implementations, and the facts that are not the default
_OPERATORS = [
    _op("or", "or", "infix", OR, "Kleene disjunction: true if either is true", _logic,
        lambda a, b: kor((a, b)), "v_or", absorbing=K.TRUE),
    _op("and", "and", "infix", AND, "Kleene conjunction: false if either is false", _logic,
        lambda a, b: kand((a, b)), "v_and", absorbing=K.FALSE),
    _op("not", "not", "prefix", NOT, "Kleene negation: not unknown is unknown", _logic, knot,
        "v_not"),
    *(
        _op(o, o, "infix", COMPARISON,
            f"comparison {o}: true when it holds for every possible pair", _comparison,
            _cmp(o), v, operands=SUM)
        for o, v in _COMPARISONS.items()
    ),
    _op("in", "in", "infix", COMPARISON, "membership in a set {…} or a range A..B",
        _membership, _in, "v_in", operands=SUM),
    _op("not in", "not in", "infix", COMPARISON, "non-membership in a set or a range",
        _membership, lambda x, s: knot(_in(x, s)), "v_not_in", operands=SUM),
    _op("range", "..", "infix", RANGE, "the closed range A..B, both ends included", _range,
        lambda a, b: Interval(a.lo, b.hi), "v_range", operands=SUM),
    _op("+", "+", "infix", SUM, "interval addition", _arith, add, "v_add"),
    _op("-", "-", "infix", SUM, "interval subtraction", _arith, sub, "v_sub"),
    _op("*", "*", "infix", PRODUCT, "interval product", _arith, mul, "v_mul"),
    _op("/", "/", "infix", PRODUCT, "true division; unknown when the divisor may be 0", _arith,
        div, "v_div"),
    _op("neg", "-", "prefix", UNARY, "negation", _arith, neg, "v_neg"),
    _op("filter", "[]", "postfix", POSTFIX, "E[COND]: the events of E for which COND holds",
        _filter, _filter_impl, "v_filter", per_event=_PER_EVENT),
    _op("project", ".", "postfix", POSTFIX,
        "E.FACT: a fact of every event of E (for sum, min, max)", _project, _project_impl,
        "v_project", per_event=_PER_EVENT),
    _op("events", "events", "atom", ATOM, "all events of the claim", _events, _events_impl,
        "v_events"),
    _op("exists", "exists", "call", ATOM, "true when some event is in the set", _exists,
        _exists_impl, "v_exists", aggregation=Aggregation.ALWAYS),
    _op("count", "count", "call", ATOM, "the number of events: [#in, #in + #maybe]", _count,
        _count_impl, "v_count", aggregation=Aggregation.ALWAYS),
    _op("sum", "sum", "call", ATOM, "the sum of E.FACT over the events in the set", _sum,
        _sum_impl, "v_sum", aggregation=Aggregation.ALWAYS),
    _op("min", "min", "call", ATOM, "least of two or more numbers, or of E.FACT", _minmax,
        _minmax_impl("min"), "v_min", aggregation=Aggregation.ONE_ARGUMENT),
    _op("max", "max", "call", ATOM, "greatest of two or more numbers, or of E.FACT", _minmax,
        _minmax_impl("max"), "v_max", aggregation=Aggregation.ONE_ARGUMENT),
    _op("known", "known", "call", ATOM, "true when X is a single value", _known, _known_impl,
        "v_known"),
    _op("surely", "surely", "call", ATOM, "true when C is true, else false", _certainty,
        lambda c: K.of(c is K.TRUE), "v_surely"),
    _op("possibly", "possibly", "call", ATOM, "false when C is false, else true", _certainty,
        lambda c: K.of(c is not K.FALSE), "v_possibly"),
    _op("startswith", "startswith", "call", ATOM,
        "true when the string fact starts with 'prefix'", _startswith, _startswith_impl,
        "v_startswith"),
    _op("cents", "cents", "internal", ATOM, "an amount rounded half-to-even to whole cents: "
        "written by the evaluation plan around every amount, not by drafts", _cents,
        lambda x: Interval(round2(x.lo), round2(x.hi)), "v_cents"),
]  # fmt: skip

#: Every operator of the rule language, by name.
REGISTRY: Mapping[str, Operator] = MappingProxyType({o.name: o for o in _OPERATORS})

#: Function names the parser accepts before ``(``.
FUNCTIONS: frozenset[str] = frozenset(o.spelling for o in _OPERATORS if o.syntax == "call")

#: Infix spellings to operator names.
BINARY: Mapping[str, Operator] = MappingProxyType(
    {o.spelling: o for o in _OPERATORS if o.syntax == "infix"}
)
