"""The lint on ``instead_of`` (:mod:`kzrehab.lint`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzrehab import load_framework
from kzrehab.lint import lint

LAW = """
[law]
id = "t"
title = "T"
kind = "law"
status = "in-force"

[parameters]
MCI = 3932
OLD = {old}
NEW = {new}

[definitions]
exile_months = "sum(events[measure == 'exile'].months)"
exile_months_again = "sum(events[measure == 'exile'].months)"

[[article]]
number = "1"

  [[article.ground]]
  id = "g"
  category = "victim"
  when = "exists(events[measure == 'exile'])"

  [[article.component]]
  id = "old"
  kind = "compensation"
  recipients = ["victim"]
  amount = "{old_amount}"

  [[article.component]]
  id = "new"
  kind = "compensation"
  recipients = ["victim"]
  amount = "{new_amount}"
  instead_of = ["old"]
"""


def findings(tmp_path: Path, **kw: object) -> list[str]:
    values = {"old": 30, "new": 40, "old_amount": "OLD * MCI", "new_amount": "NEW * MCI"}
    values.update(kw)
    path = tmp_path / "t.toml"
    path.write_text(LAW.format(**values))
    return [f for f in lint(load_framework([path])) if "instead_of" in f]


def test_a_constant_not_lower_is_no_finding(tmp_path: Path) -> None:
    assert findings(tmp_path) == []


def test_a_constant_lower_is_a_finding(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, old=50)
    assert "'t:new' may be lower than that of 't:old'" in finding


def test_an_amount_that_reads_facts_may_be_lower(tmp_path: Path) -> None:
    assert findings(tmp_path, old_amount="OLD * MCI * exile_months", new_amount="NEW * MCI")


@pytest.mark.parametrize(
    "new_amount",
    ["max(NEW * MCI, OLD * MCI * exile_months)", "max(NEW * MCI, OLD * MCI * exile_months_again)"],
)
def test_max_with_the_replaced_amount_is_no_finding(tmp_path: Path, new_amount: str) -> None:
    assert findings(tmp_path, old_amount="OLD * MCI * exile_months", new_amount=new_amount) == []


def test_max_with_another_amount_is_a_finding(tmp_path: Path) -> None:
    assert findings(tmp_path, old_amount="OLD * MCI * exile_months",
                    new_amount="max(NEW * MCI, NEW * MCI * exile_months)")  # fmt: skip


def test_the_bills_cut_no_payment() -> None:
    """Finding 8 of issue 12: the peasants bill (version 4) pays whichever is greater."""
    root = Path(__file__).parent.parent
    fw = load_framework([root / "drafts" / "current", root / "drafts" / "bills"])
    assert not [f for f in lint(fw) if "instead_of" in f]
