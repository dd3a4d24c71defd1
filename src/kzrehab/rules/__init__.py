"""The rule language: parse, print, type-check, interpret (and compile) expressions."""

from ._parser import parse
from .ast import Lit, Name, Node, Op, SetLit
from .printer import unparse

__all__ = ["Lit", "Name", "Node", "Op", "SetLit", "parse", "unparse"]
