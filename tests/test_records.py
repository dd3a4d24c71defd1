"""Per-claim rows: ``to_records()`` (plain dicts, nothing to install) and ``to_pandas()``
(the optional extra ``pandas``) of coverages, diffs and comparisons, held against the
per-claim outcome model (:mod:`kzrehab.outcome`) and the JSON's per-claim lists."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from kzrehab.attribution import Comparison, compare
from kzrehab.coverage import Coverage
from kzrehab.errors import MissingExtraError
from kzrehab.evaluation import evaluate, evaluate_claim
from kzrehab.laws.framework import Framework
from kzrehab.laws.loader import load_laws
from kzrehab.outcome import RECEIVES, STATUSES, YES_NO, received
from kzrehab.population import Population, load_population
from kzrehab.reports.data import result_json

AS_OF = dt.date(2025, 6, 1)
ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def pop() -> Population:
    return load_population(DATA / "sample.jsonl")


@pytest.fixture(scope="module")
def cov(pop: Population) -> Coverage:
    return evaluate(Framework(load_laws([ROOT / "drafts/current", ROOT / "drafts/bills"])),
                    pop, AS_OF)  # fmt: skip


@pytest.fixture(scope="module")
def comparison(pop: Population) -> Comparison:
    base = Framework(load_laws([ROOT / "drafts/current"]))
    head = Framework(load_laws([ROOT / "drafts/current", ROOT / "drafts/bills",
                                ROOT / "drafts/proposals"]))  # fmt: skip
    return compare(base, head, pop, AS_OF)


def test_a_coverage_row_is_the_claims_kleene_outcome(cov: Coverage, pop: Population) -> None:
    rows = cov.to_records()
    assert len(rows) == len(pop)
    fw = cov.framework
    unknown_seen = False
    for i in range(0, len(pop), 97):
        row, result = rows[i], evaluate_claim(fw, pop.claims[i], AS_OF, explain=False)
        assert row["id"] == result.claim_id and row["status"] == result.status_name
        for c, v in result.categories.items():
            assert row[f"category:{c}"] == YES_NO[v]
            unknown_seen |= v == 1
        for c, v in result.components.items():
            assert row[f"receives:{c}"] == YES_NO[v]
            if f"amount_min:{c}" in row:
                got = received(v, result.amounts.get(c))
                assert (row[f"amount_min:{c}"], row[f"amount_max:{c}"]) == (
                    round(got.lo, 2), round(got.hi, 2))
    assert unknown_seen, "the sample shows a category that is unknown, not only no"


def test_a_coverage_row_agrees_with_the_json_claims(cov: Coverage) -> None:
    rows = {r["id"]: r for r in cov.to_records()}
    for claim in result_json(cov, claims=True)["claims"]:
        row = rows[claim["id"]]
        assert row["status"] == claim["status"]
        assert {k.removeprefix("category:") for k, v in row.items()
                if k.startswith("category:") and v == "yes"} == set(claim["categories"])
        for comp in claim["components"]:
            assert row[f"receives:{comp['id']}"] == "yes"
            if comp["amount_range"] is not None:
                assert row[f"amount_min:{comp['id']}"] == comp["amount_range"]["min"]
                assert row[f"amount_max:{comp['id']}"] == comp["amount_range"]["max"]


def test_a_diff_row_is_each_levels_change(comparison: Comparison) -> None:
    rows = comparison.to_records()
    changes = comparison.coverage.claim_changes()
    assert [r["id"] for r in rows] == [c.id for c in changes] and rows
    for row, c in zip(rows, changes, strict=True):
        assert (row["status_from"], row["status_to"]) == (STATUSES[c.base], STATUSES[c.head])
        assert (row["gains"], row["loses"]) == (c.gains, c.loses)
        assert row["levels_gained"] == "; ".join(c.levels_gained)
        assert row["levels_lost"] == "; ".join(c.levels_lost)
        assert row["categories_gained"] == "; ".join(c.categories_gained)
        assert row["categories_lost"] == "; ".join(c.categories_lost)
        assert row["components_gained"] == "; ".join(x for x, _, _ in c.components_gained)
        for x, b, h in (*c.components_gained, *c.components_lost):
            assert (row[f"receives_from:{x}"], row[f"receives_to:{x}"]) == (YES_NO[b], YES_NO[h])
            assert RECEIVES[b] != RECEIVES[h]
        for a in c.amounts:
            assert row[f"direction:{a.id}"] == a.direction
            assert (row[f"change_min:{a.id}"], row[f"change_max:{a.id}"]) == pytest.approx(
                (a.change.lo, a.change.hi))
        for m in c.money:
            assert row[f"money_direction:{m.period}"] == m.direction
    every = comparison.to_records(changed_only=False)
    assert len(every) == len(comparison.base)
    assert sum(r["loses"] for r in every) == comparison.coverage.lost


def test_to_pandas_has_numeric_amounts(cov: Coverage, comparison: Comparison) -> None:
    pd = pytest.importorskip("pandas")
    df = cov.to_pandas()
    assert list(df.columns) == list(cov.to_records()[0])
    amounts = [c for c in df.columns if c.startswith("amount_")]
    assert amounts and all(pd.api.types.is_float_dtype(df[c]) for c in amounts)
    assert df["id"].tolist() == [r["id"] for r in cov.to_records()]
    d = comparison.to_pandas()
    assert all(pd.api.types.is_float_dtype(d[c]) for c in d.columns if "change_" in c)
    assert pd.api.types.is_bool_dtype(d["loses"]) and int(d["loses"].sum()) == sum(
        r["loses"] for r in comparison.to_records())


HIDE = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {modules!r}:
            raise ImportError("hidden: " + name)
sys.meta_path.insert(0, Hide())
"""


def test_missing_pandas_names_the_extra(cov: Coverage) -> None:
    code = HIDE.format(modules=("pandas",)) + (
        "import datetime as dt\n"
        "from kzrehab.errors import MissingExtraError\n"
        "from kzrehab.evaluation import evaluate\n"
        "from kzrehab.laws.framework import Framework\n"
        "from kzrehab.laws.loader import load_laws\n"
        "from kzrehab.population import load_population\n"
        "cov = evaluate(Framework(load_laws(['drafts/current'])),\n"
        "               load_population('tests/data/sample.jsonl'), dt.date(2025, 6, 1))\n"
        "assert cov.to_records()\n"
        "try:\n    cov.to_pandas()\nexcept MissingExtraError as e:\n"
        "    assert isinstance(e, ImportError)\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    message = done.stdout.strip()
    assert "Coverage.to_pandas() needs pandas" in message
    assert "pip install 'kzrehab[pandas]'" in message
    assert issubclass(MissingExtraError, ImportError)

