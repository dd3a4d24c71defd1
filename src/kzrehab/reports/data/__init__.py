"""Each report's data, typed: one attrs class per document and per part of one, built
from the library's results, and one function per document that writes it as the JSON of
docs/json.rst.

- ``coverage``: :class:`CoverageData`, built by :func:`coverage_data`, written by
  :func:`coverage_json`;
- ``diff`` and ``compare``: :class:`ComparisonData` (:func:`comparison_data`,
  :func:`comparison_json`);
- ``explain``: :class:`ExplainData` (:func:`explain_data`, :func:`explain_json`);
- ``explain --against``: :class:`ExplainAgainstData` (:func:`explain_against_data`,
  :func:`explain_against_json`);
- ``gaps``: :class:`GapsData` (:func:`gaps_data`, :func:`gaps_json`).

Every number field is declared with a marker of :mod:`kzrehab.reports.fields` — a count
of claims, money, or a figure that counts no one — and small-cell suppression
(:mod:`kzrehab.reports.privacy`) walks the fields by their markers; the views
(:mod:`kzrehab.reports.views`) and the summary sentences (:mod:`kzrehab.reports.words`)
read the same typed data. A blank (suppressed) number is None.

>>> import datetime as dt
>>> from kzrehab.reports.data import GapRanking, GapsData, PopulationInfo, gaps_json
>>> data = GapsData(PopulationInfo("p", 10, 10, 12), dt.date(2025, 6, 1), ("law",),
...                 GapRanking("status", ()))
>>> gaps_json(data)["by"]
'status'
"""

from __future__ import annotations

from typing import Any

from .against import (
    AgainstSide,
    CategoryDifference,
    Cause,
    ComponentDifference,
    Difference,
    ExplainAgainstData,
    ProvisionDifference,
    explain_against_data,
    explain_against_json,
    explain_differences,
)
from .claims import AmountMove, ClaimChange, ComponentReceipt
from .common import SCHEMA, LawInfo, PopulationInfo, Range
from .comparison import (
    AmountChanges,
    Attribution,
    CategoryBoth,
    CategoryChange,
    CategoryChanges,
    CategoryClaims,
    CategorySide,
    ChangedProvision,
    Changes,
    ComparisonData,
    ComponentBoth,
    ComponentChange,
    ComponentChanges,
    ComponentMoney,
    ComponentSide,
    GainsLosses,
    LawsChanged,
    Levels,
    MoneyMoves,
    PeriodMoney,
    Transition,
    comparison_data,
    comparison_json,
)
from .coverage import (
    CategoryCounts,
    ClaimComponent,
    ClaimRow,
    ComponentTotal,
    CoverageData,
    CoverageFigures,
    ExclusionCounts,
    GroundCounts,
    PeriodTotal,
    StatusCounts,
    coverage_data,
    coverage_json,
)
from .explain import (
    ComponentResult,
    DeciderRow,
    Deciders,
    EventMembership,
    ExclusionResult,
    ExplainData,
    FactValue,
    GroundResult,
    TraceNode,
    deciders_data,
    explain_data,
    explain_json,
)
from .gaps import GapAmount, GapFact, GapGroup, GapRanking, GapsData, gaps_data, gaps_json
from .labels import with_labels
from .laws import ArticleChange, FieldChange, LawChange, NamedChange, ProvisionDiff, RedlineEdit

__all__ = [
    "Document", "document_json", "SCHEMA",
    # the documents and their builders
    "CoverageData", "coverage_data", "coverage_json",
    "ComparisonData", "comparison_data", "comparison_json",
    "ExplainData", "explain_data", "explain_json", "deciders_data",
    "ExplainAgainstData", "explain_against_data", "explain_against_json",
    "explain_differences",
    "GapsData", "gaps_data", "gaps_json",
    # their parts
    "PopulationInfo", "Range", "LawInfo",
    "StatusCounts", "CategoryCounts", "GroundCounts", "ExclusionCounts", "ComponentTotal",
    "PeriodTotal", "CoverageFigures", "ClaimRow", "ClaimComponent",
    "Transition", "GainsLosses", "MoneyMoves", "Levels", "CategoryChange", "CategoryChanges",
    "ComponentChange", "ComponentChanges", "PeriodMoney", "ComponentMoney", "AmountChanges",
    "CategoryClaims", "Changes", "CategorySide", "CategoryBoth", "ComponentSide",
    "ComponentBoth", "ChangedProvision", "Attribution", "LawsChanged",
    "ClaimChange", "ComponentReceipt", "AmountMove",
    "LawChange", "ArticleChange", "ProvisionDiff", "FieldChange", "NamedChange", "RedlineEdit",
    "GapRanking", "GapGroup", "GapFact", "GapAmount",
    "FactValue", "EventMembership", "TraceNode", "GroundResult", "ExclusionResult",
    "ComponentResult", "DeciderRow", "Deciders",
    "AgainstSide", "Difference", "ProvisionDifference", "CategoryDifference",
    "ComponentDifference", "Cause", "result_json",
]  # fmt: skip

#: a report's typed data: one of the documents above
Document = CoverageData | ComparisonData | ExplainData | ExplainAgainstData | GapsData


def document_json(data: Document) -> dict[str, Any]:
    """The JSON document of any report's typed data (docs/json.rst); in Kazakh and Russian
    with ``labels`` (:func:`kzrehab.reports.data.labels.with_labels`)."""
    if isinstance(data, CoverageData):
        return with_labels(coverage_json(data))
    if isinstance(data, ComparisonData):
        from ..words import summary

        return with_labels(comparison_json(data, summary(data)))
    if isinstance(data, ExplainData):
        return with_labels(explain_json(data))
    if isinstance(data, ExplainAgainstData):
        return with_labels(explain_against_json(data))
    return with_labels(gaps_json(data))


def result_json(result: Any, claims: bool = False) -> dict[str, Any]:
    """The JSON document of a library result, as its command prints it (docs/json.rst):
    a :class:`~kzrehab.coverage.Coverage` or summary (``coverage``), a
    :class:`~kzrehab.comparison.CoverageDiff` or :class:`~kzrehab.attribution.Comparison`
    (``diff``/``compare``, without the summary sentences), or a
    :class:`~kzrehab.gaps.Gaps`. With ``claims``, every claim's result too.

    The results themselves know nothing of documents: the reports read them.
    """
    from ...attribution import Comparison
    from ...comparison import CoverageDiff
    from ...coverage import Summaries
    from ...gaps import Gaps

    if isinstance(result, Summaries):
        return with_labels(coverage_json(coverage_data(result, claims=claims)))
    if isinstance(result, Comparison | CoverageDiff):
        return with_labels(comparison_json(comparison_data(result, claims=claims)))
    if isinstance(result, Gaps):
        return with_labels(gaps_json(gaps_data(result)))
    raise TypeError(f"no JSON document for {type(result).__name__}")
