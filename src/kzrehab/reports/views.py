"""The blocks of each report, built from its data only: :data:`VIEWS`, one view a kind.

Because the text, Markdown and HTML renderings are built from the same (possibly
suppressed) data as the JSON, every format shows the same figures and blanks the same
cells. Each view reads its report's typed data (:mod:`kzrehab.reports.data`):
:mod:`~kzrehab.reports.coverage_view`, :mod:`~kzrehab.reports.comparison_view`,
:mod:`~kzrehab.reports.explain_view` and :mod:`~kzrehab.reports.gaps_view`; the cells and
the parts every view shares are :mod:`kzrehab.reports.cells`. ``log`` and ``status`` have
theirs beside their data (:mod:`kzrehab.reports.history_views`).
"""

from __future__ import annotations

__all__ = ["VIEWS", "View"]

from collections.abc import Callable
from typing import Any

from .blocks import Block
from .comparison_view import comparison_view
from .coverage_view import coverage_view
from .explain_view import explain_against_view, explain_view
from .gaps_view import gaps_view

#: a view: the report's title and data → its blocks
View = Callable[[str, Any], list[Block]]


#: the view of each kind of report
VIEWS: dict[str, View] = {
    "coverage": coverage_view,
    "comparison": comparison_view,
    "explain": explain_view,
    "explain-against": explain_against_view,
    "gaps": gaps_view,
}
