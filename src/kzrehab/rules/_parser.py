"""Recursive-descent parser of the rule language.

Each parsing method's docstring carries its grammar rule in EBNF. The whole grammar::

    expression  = or_expr ;
    or_expr     = and_expr , { "or" , and_expr } ;
    and_expr    = not_expr , { "and" , not_expr } ;
    not_expr    = "not" , not_expr | comparison ;
    comparison  = sum , [ compare_op , sum | [ "not" ] , "in" , member_of ] ;
    compare_op  = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
    member_of   = set | sum , [ ".." , sum ] ;
    sum         = product , { ( "+" | "-" ) , product } ;
    product     = unary , { ( "*" | "/" ) , unary } ;
    unary       = "-" , unary | postfix ;
    postfix     = primary , { "[" , expression , "]" | "." , NAME } ;
    primary     = NUMBER | STRING | DATE | "true" | "false" | set | "events"
                | "claim" , "." , NAME | FUNCTION , "(" , [ arguments ] , ")"
                | NAME | "(" , expression , ")" ;
    arguments   = expression , { "," , expression } ;
    set         = "{" , literal , { "," , literal } , "}" ;
    literal     = STRING | [ "-" ] , NUMBER ;

Comparisons do not chain (``a < b < c`` is an error) and a range ``A..B`` may only follow
``in`` or ``not in``.
"""

from __future__ import annotations

from .._suggest import did_you_mean
from ..dates import parse_date
from ..errors import LimitError, Location, RuleSyntaxError
from ..i18n import _
from ..limits import MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_NODES
from ._tokenizer import Token, position, syntax_error, tokenize
from .ast import Lit, Name, Node, Op, SetLit, depth, size
from .operators import FUNCTIONS

_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})


def _unescape(text: str) -> str:
    out: list[str] = []
    it = iter(text[1:-1])
    for ch in it:
        out.append(next(it, "\\") if ch == "\\" else ch)
    return "".join(out)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = list(tokenize(source))
        self.i = 0
        self.nesting = 0
        self.max_nesting = MAX_EXPRESSION_DEPTH.value

    # -- helpers --------------------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, message: str, token: Token | None = None) -> RuleSyntaxError:
        return syntax_error(self.source, (token or self.tok).start, message)

    def at(self, *texts: str) -> bool:
        return self.tok.kind in {"OP", "KEYWORD"} and self.tok.text in texts

    def take(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect(self, text: str, context: str) -> Token:
        if not self.at(text):
            found = f"'{self.tok.text}'" if self.tok.kind != "END" else _("the end")
            raise self.error(_("expected '{text}' {context}, found {found}").format(
                                 text=text, context=context, found=found))
        return self.take()

    def span(self, start: int) -> tuple[int, int]:
        return (start, self.tokens[self.i - 1].end)

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > self.max_nesting:
            line, column = position(self.source, self.tok.start)
            raise LimitError(
                MAX_EXPRESSION_DEPTH.message(_("the expression's nesting")),
                Location(line=line, column=column),
            )

    # -- grammar --------------------------------------------------------------------------

    def parse(self) -> Node:
        """``expression = or_expr ;`` (the whole input)"""
        if self.tok.kind == "END":
            raise self.error(_("the expression is empty"))
        node = self.or_expr()
        if self.tok.kind != "END":
            if self.at(*_COMPARE, "in"):
                raise self.error(_("comparisons do not chain: write 'a < b and b < c'"))
            if self.at(".."):
                raise self.error(_("a range A..B may only follow 'in' or 'not in'"))
            raise self.error(_("unexpected '{text}'").format(text=self.tok.text))
        return node

    def or_expr(self) -> Node:
        """``or_expr = and_expr , { "or" , and_expr } ;``"""
        start = self.tok.start
        node = self.and_expr()
        while self.at("or"):
            self.take()
            node = Op("or", (node, self.and_expr()), span=self.span(start))
        return node

    def and_expr(self) -> Node:
        """``and_expr = not_expr , { "and" , not_expr } ;``"""
        start = self.tok.start
        node = self.not_expr()
        while self.at("and"):
            self.take()
            node = Op("and", (node, self.not_expr()), span=self.span(start))
        return node

    def not_expr(self) -> Node:
        """``not_expr = "not" , not_expr | comparison ;``"""
        if self.at("not"):
            start = self.take().start
            self.enter()
            operand = self.not_expr()
            self.nesting -= 1
            return Op("not", (operand,), span=self.span(start))
        return self.comparison()

    def comparison(self) -> Node:
        """``comparison = sum , [ compare_op , sum | [ "not" ] , "in" , member_of ] ;``"""
        start = self.tok.start
        left = self.sum()
        if self.at(*_COMPARE):
            op = self.take().text
            right = self.sum()
            node: Node = Op(op, (left, right), span=self.span(start))
        elif self.at("in") or (self.at("not") and self.tokens[self.i + 1].text == "in"):
            op = "in"
            if self.take().text == "not":
                self.take()
                op = "not in"
            node = Op(op, (left, self.member_of()), span=self.span(start))
        else:
            return left
        if self.at(*_COMPARE, "in"):
            raise self.error(_("comparisons do not chain: write 'a < b and b < c'"))
        return node

    def member_of(self) -> Node:
        """``member_of = set | sum , [ ".." , sum ] ;``"""
        start = self.tok.start
        if self.at("{"):
            return self.set_literal()
        low = self.sum()
        if self.at(".."):
            self.take()
            return Op("range", (low, self.sum()), span=self.span(start))
        return low

    def sum(self) -> Node:
        """``sum = product , { ( "+" | "-" ) , product } ;``"""
        start = self.tok.start
        node = self.product()
        while self.at("+", "-"):
            op = self.take().text
            node = Op(op, (node, self.product()), span=self.span(start))
        return node

    def product(self) -> Node:
        """``product = unary , { ( "*" | "/" ) , unary } ;``"""
        start = self.tok.start
        node = self.unary()
        while self.at("*", "/"):
            op = self.take().text
            node = Op(op, (node, self.unary()), span=self.span(start))
        return node

    def unary(self) -> Node:
        """``unary = "-" , unary | postfix ;``"""
        if self.at("-"):
            start = self.take().start
            self.enter()
            operand = self.unary()
            self.nesting -= 1
            return Op("neg", (operand,), span=self.span(start))
        return self.postfix()

    def postfix(self) -> Node:
        """``postfix = primary , { "[" , expression , "]" | "." , NAME } ;``"""
        start = self.tok.start
        node = self.primary()
        while self.at("[", "."):
            if self.take().text == "[":
                self.enter()
                cond = self.or_expr()
                self.nesting -= 1
                self.expect("]", _("to close the event filter"))
                node = Op("filter", (node, cond), span=self.span(start))
            else:
                if self.tok.kind != "NAME":
                    raise self.error(_("expected an event fact after '.'"))
                name = self.take()
                fact = Name(name.text, span=(name.start, name.end))
                node = Op("project", (node, fact), span=self.span(start))
        return node

    def primary(self) -> Node:
        """``primary = NUMBER | STRING | DATE | "true" | "false" | set | "events"
        | "claim" , "." , NAME | FUNCTION , "(" , [ arguments ] , ")" | NAME
        | "(" , expression , ")" ;``"""
        tok = self.tok
        span = (tok.start, tok.end)
        if tok.kind == "NUMBER":
            self.take()
            return Lit(self.number(tok), span=span)
        if tok.kind == "STRING":
            self.take()
            return Lit(_unescape(tok.text), span=span)
        if tok.kind == "DATE":
            self.take()
            try:
                return Lit(parse_date(tok.text), span=span)
            except ValueError as exc:
                raise self.error(str(exc), tok) from None
        if tok.kind == "KEYWORD":
            if tok.text in {"true", "false"}:
                self.take()
                return Lit(tok.text == "true", span=span)
            if tok.text == "events":
                self.take()
                return Op("events", (), span=span)
            if tok.text == "claim":
                self.take()
                self.expect(".", _("after 'claim' (write claim.NAME)"))
                if self.tok.kind != "NAME":
                    raise self.error(_("expected a claim fact after 'claim.'"))
                name = self.take()
                return Name(name.text, qualified=True, span=(tok.start, name.end))
            raise self.error(_("unexpected '{text}'").format(text=tok.text))
        if tok.kind == "NAME":
            self.take()
            if self.at("("):
                return self.call(tok)
            return Name(tok.text, span=span)
        if self.at("("):
            self.take()
            self.enter()
            node = self.or_expr()
            self.nesting -= 1
            self.expect(")", _("to close '('"))
            return node
        if self.at("{"):
            return self.set_literal()
        if tok.kind == "END":
            raise self.error(_("the expression ends too soon"))
        raise self.error(_("unexpected '{text}'").format(text=tok.text))

    def call(self, name: Token) -> Node:
        """``FUNCTION , "(" , [ arguments ] , ")"`` with ``arguments = expression , { "," ,
        expression } ;``"""
        if name.text not in FUNCTIONS:
            hint = did_you_mean(name.text, FUNCTIONS)
            raise self.error(_("'{text}' is not a function{hint}").format(
                                 text=name.text, hint=hint), name)
        self.take()  # (
        self.enter()
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.or_expr())
            while self.at(","):
                self.take()
                args.append(self.or_expr())
        self.nesting -= 1
        self.expect(")", _("to close {text}(").format(text=name.text))
        return Op(name.text, tuple(args), span=self.span(name.start))

    def set_literal(self) -> Node:
        """``set = "{" , literal , { "," , literal } , "}" ;
        literal = STRING | [ "-" ] , NUMBER ;``"""
        start = self.take().start  # {
        items: list[Lit] = []
        while True:
            tok = self.tok
            if tok.kind == "STRING":
                self.take()
                items.append(Lit(_unescape(tok.text), span=(tok.start, tok.end)))
            elif tok.kind == "NUMBER" or (
                self.at("-") and self.tokens[self.i + 1].kind == "NUMBER"
            ):
                sign = -1 if self.at("-") else 1
                if sign < 0:
                    self.take()
                num = self.take()
                items.append(Lit(sign * self.number(num), span=(tok.start, num.end)))
            elif self.at("}") and not items:
                raise self.error(_("a set needs at least one value"))
            else:
                raise self.error(_("a set holds 'strings' or numbers"))
            if self.at("}"):
                self.take()
                break
            self.expect(",", _("between the values of a set"))
        kinds = {type(i.value) is str for i in items}
        if len(kinds) > 1:
            raise syntax_error(self.source, start, "a set mixes strings and numbers")
        return SetLit(tuple(items), span=self.span(start))

    def number(self, tok: Token) -> int | float:
        if any(c in tok.text for c in ".eE"):
            value = float(tok.text)
            if value != value or value in (float("inf"), float("-inf")):
                raise self.error(_("number {text} is out of range").format(text=tok.text), tok)
            return value
        if float(tok.text) == float("inf"):  # beyond float64 (and Python's int digit limit)
            shown = tok.text if len(tok.text) <= 20 else f"{tok.text[:20]}…"
            raise self.error(_("number {shown} is out of range").format(shown=shown), tok)
        return int(tok.text)


def parse(source: str) -> Node:
    """Parse an expression of the rule language into its tree.

    Raises :class:`~kzrehab.errors.RuleSyntaxError` with the line and column (1-based,
    within the expression) of the problem, or :class:`~kzrehab.errors.LimitError` when the
    expression exceeds the length, nesting or size limits.
    """
    if len(source) > MAX_EXPRESSION_LENGTH.value:
        raise LimitError(
            MAX_EXPRESSION_LENGTH.message(_("an expression of {n} characters").format(
                                              n=len(source)))
        )
    try:
        node = _Parser(source).parse()
    except RecursionError:  # Python's stack ran out before the nesting limit was reached
        raise LimitError(MAX_EXPRESSION_DEPTH.message(_("the expression's nesting"))) from None
    if (n := size(node)) > MAX_EXPRESSION_NODES.value:
        raise LimitError(MAX_EXPRESSION_NODES.message(_("an expression of {n} nodes").format(n=n)))
    if (d := depth(node)) > MAX_EXPRESSION_DEPTH.value:
        raise LimitError(MAX_EXPRESSION_DEPTH.message(_("an expression {d} levels deep").format(
                                                          d=d)))
    return node
