"""Suppression by field: every number of every report's data is declared with a marker,
and every count is blanked.

Suppression reads what a number is from its field's marker (:mod:`kzrehab.reports.fields`),
not from its name. So a number declared without a marker would be published as it is:
the first test finds every report data class (every attrs class of
:mod:`kzrehab.reports.data`) and fails on a number or an amount without one. The second
builds every document from the bundled drafts, sets every count to 1 and checks that
suppression blanks them all, and every amount that counts its contributors with them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import types
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import kzrehab.reports.data as report_data
from kzrehab.attribution import compare
from kzrehab.evaluation import evaluate, evaluate_claim
from kzrehab.gaps import deciders, gaps
from kzrehab.laws.framework import load_framework
from kzrehab.population import load_population
from kzrehab.reports import Report
from kzrehab.reports.data import (
    Range,
    comparison_data,
    coverage_data,
    document_json,
    explain_against_data,
    explain_data,
    gaps_data,
)
from kzrehab.reports.fields import (
    Complementary,
    Kind,
    PeriodTotals,
    blank_with_of,
    contributors_of,
    count,
    kind_of,
    rules_of,
)
from kzrehab.reports.privacy import suppress

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 6, 1)
K = 10


def data_classes() -> list[type]:
    """Every attrs class defined in a module of :mod:`kzrehab.reports.data`."""
    found: list[type] = []
    modules = [report_data] + [
        importlib.import_module(f"{report_data.__name__}.{m.name}")
        for m in pkgutil.iter_modules(report_data.__path__)
    ]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and \
                    value.__module__ == module.__name__ and value not in found:
                found.append(value)
    return found


def _leaves(tp: Any) -> Iterator[Any]:
    """The types a field's type is made of (unions, containers and their items)."""
    yield tp
    for arg in typing.get_args(tp):
        if arg is not Ellipsis:
            yield from _leaves(arg)


def holds_number(tp: Any) -> bool:
    """Whether a field's type holds a number (a bool is none)."""
    return any(t in (int, float) for t in _leaves(tp))


def holds_amount(tp: Any) -> bool:
    """Whether a field's type holds an amount range."""
    return any(t is Range for t in _leaves(tp))


def unmarked(cls: type) -> list[str]:
    """The fields of a data class whose declaration breaks the rules suppression relies on."""
    attrs.resolve_types(cls)
    fields = attrs.fields_dict(cls)
    problems = []
    for name, f in fields.items():
        kind = kind_of(f)
        if holds_number(f.type) and kind is None:
            problems.append(f"{cls.__name__}.{name}: a number without a marker")
        if holds_amount(f.type) and kind is not Kind.MONEY:
            problems.append(f"{cls.__name__}.{name}: an amount not declared as money")
        if kind is not None and not (holds_number(f.type) or holds_amount(f.type)):
            problems.append(f"{cls.__name__}.{name}: a marker on no number")
        for sibling in (*contributors_of(f), *blank_with_of(f)):
            if sibling not in fields or kind_of(fields[sibling]) is not Kind.COUNT:
                problems.append(f"{cls.__name__}.{name}: {sibling} is no count beside it")
    for rule in rules_of(cls):
        if isinstance(rule, Complementary):
            problems += [f"{cls.__name__}: complementary {c} is no count" for c in rule.counts
                         if c not in fields or kind_of(fields[c]) is not Kind.COUNT]
        elif isinstance(rule, PeriodTotals):
            for part in (rule.rows, rule.totals):
                (row,) = [t for t in _leaves(fields[part].type)
                          if isinstance(t, type) and attrs.has(t)]
                attrs.resolve_types(row)
                money = attrs.fields_dict(row).get(rule.field)
                if money is None or kind_of(money) is not Kind.MONEY or \
                        "period" not in attrs.fields_dict(row):
                    problems.append(f"{cls.__name__}: {part} has no period and money "
                                    f"{rule.field}")
    return problems


def test_the_data_classes_are_found() -> None:
    names = {c.__name__ for c in data_classes()}
    assert {"CoverageData", "ComparisonData", "GapsData", "ExplainData", "StatusCounts",
            "Attribution", "GapFact", "Range"} <= names  # fmt: skip


@pytest.mark.parametrize("cls", data_classes(), ids=lambda c: c.__name__)
def test_every_number_is_declared_with_a_marker(cls: type) -> None:
    assert unmarked(cls) == []


def test_a_number_without_a_marker_is_found() -> None:
    @attrs.frozen
    class Row:
        name: str
        claims: int | None = count()
        paid: int | None = None  # a count added without its marker
        share: tuple[float, ...] = ()
        amount: Range | None = None

    assert unmarked(Row) == ["Row.paid: a number without a marker",
                             "Row.share: a number without a marker",
                             "Row.amount: an amount not declared as money"]  # fmt: skip


# -- every count blanked ------------------------------------------------------------------------


def _with_counts(value: Any, n: int) -> Any:
    """A copy of typed data with every count set to ``n``."""
    if isinstance(value, tuple):
        return tuple(_with_counts(v, n) for v in value)
    if isinstance(value, Mapping):
        return {k: _with_counts(v, n) for k, v in value.items()}
    if not attrs.has(type(value)):
        return value
    changes = {}
    for f in attrs.fields(type(value)):
        v = getattr(value, f.name)
        if kind_of(f) is Kind.COUNT:
            changes[f.name] = n
        elif kind_of(f) is None and not isinstance(v, str | bool | dt.date | types.NoneType):
            changes[f.name] = _with_counts(v, n)
    return attrs.evolve(value, **changes)


def _numbers(value: Any) -> Iterator[tuple[type, attrs.Attribute[Any], Any]]:
    """(class, field, value) of every marked field of typed data, at any depth."""
    if isinstance(value, tuple):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _numbers(v)
    elif attrs.has(type(value)):
        for f in attrs.fields(type(value)):
            v = getattr(value, f.name)
            if kind_of(f) is not None:
                yield type(value), f, v
            yield from _numbers(v)


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    """The library's results over the sample population: a coverage, a comparison of the
    laws in force with the bills and proposals, and the rankings of what would decide."""
    pop = load_population(ROOT / "tests/data/sample.jsonl")
    cur = load_framework([str(ROOT / "drafts/current")])
    head = load_framework([str(ROOT / "drafts/current"), str(ROOT / "drafts/bills"),
                           str(ROOT / "drafts/proposals")])
    return {"population": pop, "base": cur, "head": head,
            "coverage": evaluate(head, pop, AS_OF), "comparison": compare(cur, head, pop, AS_OF),
            "gaps": gaps(head, pop, AS_OF),
            "gaps by component": gaps(head, pop, AS_OF, by="component")}  # fmt: skip


@pytest.fixture(scope="module")
def documents(results: dict[str, Any]) -> list[Any]:
    pop, cur, head = results["population"], results["base"], results["head"]
    claim = pop.claims[0]
    mine, theirs = evaluate_claim(head, claim, AS_OF), evaluate_claim(cur, claim, AS_OF)
    return [
        coverage_data(results["coverage"], claims=True),
        comparison_data(results["comparison"], claims=True, gaps=results["gaps by component"]),
        gaps_data(results["gaps"]),
        gaps_data(results["gaps by component"]),
        explain_data(head, claim, mine, pop, deciders(head, claim, AS_OF)),
        explain_against_data(head, cur, claim, mine, theirs, pop),
    ]


def test_every_count_is_blanked(documents: list[Any]) -> None:
    """With every count at 1, suppression at K = 10 leaves no count, and no amount that
    counts its contributors; the population's figures stay."""
    reached = set()
    for doc in documents:
        out = suppress(_with_counts(doc, 1), K)
        assert out.suppressed_below == K
        for cls, f, v in _numbers(out):
            reached.add(cls)
            if kind_of(f) is Kind.COUNT or contributors_of(f) or blank_with_of(f):
                assert v is None, f"{cls.__name__}.{f.name} escapes suppression: {v!r}"
        assert out.population == doc.population
        document_json(out)  # and the suppressed data still write their JSON
    counting = {c for c in data_classes() if any(
        kind_of(f) is Kind.COUNT for f in attrs.fields(c))}  # fmt: skip
    assert counting <= reached, f"not checked: {sorted(c.__name__ for c in counting - reached)}"


def test_a_count_at_k_is_published(documents: list[Any]) -> None:
    for doc in documents:
        out = suppress(_with_counts(doc, K), K)
        for cls, f, v in _numbers(out):
            if kind_of(f) is Kind.COUNT:
                assert v == K, f"{cls.__name__}.{f.name}"


def test_reports_carry_typed_data(documents: list[Any]) -> None:
    kinds = ["coverage", "comparison", "gaps", "gaps", "explain", "explain-against"]
    for kind, doc in zip(kinds, documents, strict=True):
        assert Report(kind, "t", doc).json_data() == document_json(doc)
    with pytest.raises(TypeError, match="carries ComparisonData"):
        Report("comparison", "t", document_json(documents[1]))  # type: ignore[arg-type]


def test_results_print_what_they_hold(results: dict[str, Any], documents: list[Any]) -> None:
    cov, c = results["coverage"], results["comparison"]
    s = cov.tally.status
    assert repr(cov) == (f"<Coverage 2,000 claims: {s[2]:,} eligible, {s[1]:,} undetermined, "
                         f"{s[0]:,} ineligible>")  # fmt: skip
    assert repr(c).startswith(f"<Comparison 2,000 claims: {c.coverage.gained:,} gain, "
                              f"{c.coverage.lost:,} lose; ")
    assert repr(c).endswith(" changed provisions>")
    assert repr(results["gaps"]).startswith("<Gaps by status, 2,000 claims: status: ")
    assert repr(documents[0]).startswith("<CoverageData 2,000 claims: ")
    assert "(suppressed)" in repr(suppress(_with_counts(documents[1], 1), K))
