"""The operator table is complete on import: every operator has every fact and both
implementations, and reading it loads neither NumPy nor the compiler."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from kzrehab.rules import parse
from kzrehab.rules.ast import Op
from kzrehab.rules.operators import ATOM, OR, REGISTRY, Aggregation, Operator, Vectorised
from kzrehab.rules.values import K

ROOT = Path(__file__).resolve().parent.parent

#: Run in a fresh interpreter: the table as ``import kzrehab.rules`` leaves it, before any
#: module of the vectorised engine is imported.
SCRIPT = """
import json, sys
import attrs
import pytest
import kzrehab.rules
from kzrehab.rules.operators import ATOM, OR, REGISTRY, Aggregation, Operator, Vectorised
from kzrehab.rules.values import K

SYNTAX = {"infix", "prefix", "postfix", "call", "atom", "internal"}
problems = []
for name, op in REGISTRY.items():
    def bad(what):
        problems.append(f"{name}: {what}")
    fields = {f.name for f in attrs.fields(Operator)}
    missing = fields - {k for k in fields if hasattr(op, k)}
    if missing:
        bad(f"no {sorted(missing)}")
    if op.name != name or not op.spelling or op.syntax not in SYNTAX or not op.doc:
        bad("syntax")
    if not isinstance(op.precedence, int) or not OR <= op.precedence <= ATOM:
        bad("binding power")
    if not callable(op.check):
        bad("type rule")
    if not callable(op.interpret):
        bad("per-claim implementation")
    if not isinstance(op.vectorised, Vectorised):
        bad("vectorised implementation")
    if not isinstance(op.aggregation, Aggregation):
        bad("aggregation")
    if op.absorbing is not None and not isinstance(op.absorbing, K):
        bad("absorbing")
    if op.operands is not None and not OR <= op.operands <= ATOM:
        bad("operands")
    if len(op.per_event) != (2 if op.syntax == "postfix" else 0):
        bad("per_event")
before = sorted(m for m in sys.modules if m.split(".")[0] == "numpy"
                or m in ("kzrehab.rules.compiler", "kzrehab.rules.vectorised"))
for name, op in REGISTRY.items():
    if not callable(op.vectorised.resolve()):
        problems.append(f"{name}: {op.vectorised.function} is not a function")
compiler = "kzrehab.rules.compiler" in sys.modules
print(json.dumps({"problems": problems, "before": before, "compiler": compiler,
                  "operators": len(REGISTRY)}))
"""


def test_the_table_is_complete_without_importing_the_compiler() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["problems"] == []
    assert result["operators"] == len(REGISTRY)
    # the table was read whole before NumPy or either vectorised module was imported …
    assert result["before"] == []
    # … and resolving every vectorised implementation does not need the compiler
    assert result["compiler"] is False


def test_every_field_of_an_operator_is_checked_by_the_completeness_test() -> None:
    """A field added to :class:`Operator` must be added to the completeness test too."""
    checked = {"name", "spelling", "syntax", "precedence", "doc", "check", "interpret",
               "vectorised", "aggregation", "absorbing", "operands", "per_event"}  # fmt: skip
    assert {f.name for f in attrs.fields(Operator)} == checked
    for f in checked:
        assert f"op.{f}" in SCRIPT


def test_a_misspelt_vectorised_implementation_is_caught() -> None:
    with pytest.raises(AttributeError):
        Vectorised("v_no_such_operator").resolve()


def test_the_aggregating_operators() -> None:
    """``exists``, ``count`` and ``sum`` reduce a claim's events to one value; ``min`` and
    ``max`` do so of one ``E.FACT`` only."""
    aggregating = {n for n, op in REGISTRY.items() if op.aggregation is Aggregation.ALWAYS}
    assert aggregating == {"exists", "count", "sum"}
    for source, expected in [("min(events.start)", True), ("min(1, 2)", False),
                             ("count(events)", True), ("1 + 2", False)]:  # fmt: skip
        node = parse(source)
        assert isinstance(node, Op)
        assert REGISTRY[node.op].aggregates(len(node.args)) is expected, source


def test_only_and_and_or_have_an_absorbing_value() -> None:
    absorbing = {n: op.absorbing for n, op in REGISTRY.items() if op.absorbing is not None}
    assert absorbing == {"and": K.FALSE, "or": K.TRUE}
    for name, value in absorbing.items():
        for other in K:
            assert REGISTRY[name].interpret(value, other) is value


def test_binding_powers_follow_the_grammar() -> None:
    """Loosest to tightest: or, and, not, comparisons, ranges, sums, products, negation,
    postfix, then calls and atoms, which never need parentheses."""
    order = ["or", "and", "not", "==", "range", "+", "*", "neg", "filter", "count"]
    powers = [REGISTRY[n].precedence for n in order]
    assert powers == sorted(powers) and len(set(powers)) == len(powers)
    assert powers[0] == OR and powers[-1] == ATOM
