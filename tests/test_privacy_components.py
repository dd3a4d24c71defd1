"""Suppression of a component's row: no blank count is given back by the row's other cells.

A component's row (:class:`~kzrehab.reports.data.ComponentTotal`, and each side of a
comparison's :class:`~kzrehab.reports.data.ComponentSide`) holds three counts tied together:
``paying`` counts claims among ``claims`` + ``undetermined`` — all of them unless an amount
can be 0 — and, for a fixed sum per claim, the amount's ends are that sum times ``claims``
and times ``paying``. So ``paying`` is blanked with either other count, and the amount with
any of the three (``docs/reports.rst``, *Small-cell suppression*).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzrehab.cli import main
from kzrehab.reports.data import ComponentSide, ComponentTotal, Range
from kzrehab.reports.fields import blank_with_of, count, money
from kzrehab.reports.privacy import suppress

SAMPLE = str(Path(__file__).parent / "data" / "sample.jsonl")
#: the sum one claim receives from ``victims-fund:payment-abuse``, as the law says
SUM = 117960.0


def _row(claims: int, undetermined: int, paying: int | None, amount: Range | None,
         cls: type = ComponentTotal) -> Any:  # fmt: skip
    if cls is ComponentSide:
        return ComponentSide(claims, undetermined, paying, amount)
    return ComponentTotal("victims-fund:payment-abuse", "compensation", "once", claims,
                          undetermined, paying, amount)  # fmt: skip


def _cells(row: Any) -> tuple[Any, ...]:
    return (row.claims, row.undetermined, row.paying, row.amount)


@pytest.mark.parametrize("cls", [ComponentTotal, ComponentSide])
def test_the_reviewers_row_gives_no_blank_back(cls: type) -> None:
    # 14 surely, 1 possibly; all 15 may be paid the same sum: paying - claims would be the
    # blank 1, and amount.max / SUM - amount.min / SUM too
    row = _row(14, 1, 15, Range(14 * SUM, 15 * SUM), cls)
    assert _cells(suppress(row, 10)) == (14, None, None, None)
    # a blank claims count: paying - undetermined would give it back
    row = _row(3, 40, 43, Range(3 * SUM, 43 * SUM), cls)
    assert _cells(suppress(row, 10)) == (None, 40, None, None)


def test_paying_blank_alone_blanks_its_amount() -> None:
    # 50 recipients, 47 of them of a zero amount: 3 contributors, below K
    row = _row(50, 0, 3, Range(0.0, 3 * SUM))
    assert _cells(suppress(row, 10)) == (50, 0, None, None)
    # a component without an amount: nothing more to blank
    assert _cells(suppress(_row(3, 20, None, None), 10)) == (None, 20, None, None)
    # nothing small: nothing blank, zeros included
    row = _row(14, 0, 14, Range(14 * SUM, 14 * SUM))
    assert suppress(row, 10) == row


def test_a_count_blank_with_follows_a_chain_of_them() -> None:
    @attrs.frozen
    class Row:
        a: int | None = count()
        b: int | None = count(blank_with=("a",))
        c: int | None = count(blank_with=("b",))
        amount: Range | None = money(contributors="c", blank_with=("c",))

    assert blank_with_of(attrs.fields(Row).c) == ("b",)
    assert suppress(Row(3, 40, 50, Range(1.0, 2.0)), 10) == Row(None, None, None, None)
    assert suppress(Row(30, 40, 50, Range(1.0, 2.0)), 10) == Row(30, 40, 50, Range(1.0, 2.0))


def _recoverable(row: Any) -> set[float]:
    """What a reader works out from a row's published cells when every claim that receives
    the component is paid the same known sum (``SUM``): the counts, their sums and
    differences, and the amount's ends divided by the sum."""
    shown = {v for v in (row.claims, row.undetermined, row.paying) if v is not None} | {0}
    if row.amount is not None:
        shown |= {row.amount.min / SUM, row.amount.max / SUM}
    return shown | {a + b for a in shown for b in shown} | {a - b for a in shown for b in shown}


@given(claims=st.integers(0, 60), undetermined=st.integers(0, 60), k=st.integers(2, 25),
       side=st.booleans())  # fmt: skip
def test_no_blank_count_is_given_back_by_its_row(claims: int, undetermined: int, k: int,
                                                 side: bool) -> None:  # fmt: skip
    paying = claims + undetermined  # every claim that may receive it is paid SUM
    row = _row(claims, undetermined, paying, Range(claims * SUM, paying * SUM),
               ComponentSide if side else ComponentTotal)  # fmt: skip
    out = suppress(row, k)
    known = _recoverable(out)
    for name in ("claims", "undetermined", "paying"):
        raw = getattr(row, name)
        if getattr(out, name) is None:
            assert raw not in known, f"{name} {raw} is given back by {_cells(out)}"


@given(claims=st.integers(0, 60), undetermined=st.integers(0, 60), zero=st.integers(0, 120),
       k=st.integers(2, 25))  # fmt: skip
def test_paying_and_amount_go_with_either_count(claims: int, undetermined: int, zero: int,
                                                k: int) -> None:  # fmt: skip
    # some claims receive an amount of 0: paying is smaller than claims + undetermined
    paying = max(0, claims + undetermined - zero)
    out = suppress(_row(claims, undetermined, paying, Range(0.0, paying * SUM)), k)
    if out.claims is None or out.undetermined is None:
        assert out.paying is None and out.amount is None
    if out.paying is None:
        assert out.amount is None
    assert (out.paying is None) == (0 < paying < k or out.claims is None or
                                    out.undetermined is None)  # fmt: skip


# -- through the command ----------------------------------------------------------------------


def _component_rows(doc: Any) -> list[dict[str, Any]]:
    """Every component row of a coverage's or a comparison's JSON (each side's)."""
    if "by_component" in doc and "base" not in doc:
        return list(doc["by_component"])
    return [r[side] for r in doc["by_component"] for side in ("base", "head")] + \
        list(doc["base"]["by_component"]) + list(doc["head"]["by_component"])


@pytest.mark.parametrize("command", [
    ["coverage", "drafts/current", "drafts/bills", "drafts/proposals"],
    ["compare", "--base", "drafts/current", "--with", "drafts/bills", "drafts/proposals"],
])  # fmt: skip
def test_no_published_paying_beside_a_blank_count(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*command, "--population", SAMPLE, "--as-of", "2025-06-01", "--suppress-below", "10"]
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    rows = _component_rows(json.loads(capsys.readouterr().out))
    blank = [r for r in rows if r["claims"] is None or r["undetermined"] is None]
    assert blank, "the sample has components with a blank count"
    assert all(r["paying"] is None and r["amount"] is None for r in blank), blank
    if command[0] == "coverage":
        # refugees:payment, 11 surely, 8 possibly, 19 paying: 19 - 11 gave the 8 back
        (row,) = [r for r in rows if r["component"] == "refugees:payment"]
        assert (row["claims"], row["undetermined"], row["paying"]) == (11, None, None)
        assert main([*args, "--format", "csv", "--table", "figures.by_component",
                     "--csv-dialect", "plain"]) == 0  # fmt: skip
        table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        (row,) = [r for r in table if r["component"] == "refugees:payment"]
        assert (row["claims"], row["undetermined"], row["paying"], row["amount_max"]) == \
            ("11", "", "", "")
        assert row["suppressed"].split() == ["undetermined", "paying", "amount_min",
                                             "amount_max"]  # fmt: skip
