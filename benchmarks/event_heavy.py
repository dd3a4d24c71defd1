"""Benchmark the engine on an event-heavy framework against its hand-written NumPy twin
(issue 15, item 3; the figures: ``docs/benchmarks.rst``). Run by hand.

    python benchmarks/event_heavy.py                  # 1,000,000 claims
    python benchmarks/event_heavy.py --claims 200000 --repeat 5

The framework is ``benchmarks/event_heavy/`` (two laws: filtered event sums and counts,
nested event filters, exclusions scoped to some grounds, ``min`` caps, definitions shared
by many provisions, and one exclusion written inline in both laws). :func:`hand_written`
states the same rules by hand in plain NumPy over the population's columns, with the same
three-valued semantics. In one run, the script

1. makes (once) or reopens the synthetic population and reads its columns (not timed);
2. checks that the engine and the twin give the same value for every claim in every array
   of the coverage (status, grounds, exclusions, categories, components, amount ranges);
3. times :func:`kzrehab.evaluation.evaluate` and the twin: the least processor time of
   ``--repeat`` runs each, taking turns; the ratio engine / twin is the figure
   (target at most 1.5);
4. does the same for the benchmark law of ``benchmarks/evaluate.py``
   (``benchmarks/bench_law.toml``), against its own hand-written version there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import BENCH, store_for
from evaluate import hand_written as bench_law_by_hand

ROOT = Path(__file__).resolve().parent.parent
LAWS = [ROOT / "benchmarks" / "event_heavy"]
AS_OF = dt.date(2025, 6, 1)
FALSE, UNKNOWN, TRUE = 0, 1, 2


def hand_written(cols: Any, mci: float, rate: float) -> dict[str, Any]:
    """The event-heavy framework written by hand in NumPy: every array of its coverage.

    Kleene codes: 0 false, 1 unknown, 2 true; ``and`` is the minimum, ``or`` the maximum,
    ``not`` is ``2 - x``. An event is in a set when its membership is true, maybe in when
    it is unknown. Numbers are ranges ``(lo, hi)``; unknown facts are their whole range.
    """
    ev, cl = cols.event, cols.claim
    n, ec = cols.n_claims, cols.event_claim
    code = cols.code

    def tri(true: Any, false: Any) -> Any:  # true and false never both hold
        return (1 + true.astype(np.int8) - false.astype(np.int8)).astype(np.int8)

    def isin(codes: Any, values: list[str]) -> Any:
        hit = np.isin(codes, [code(v) for v in values])
        return tri(hit, (codes >= 0) & ~hit)

    def eq(codes: Any, value: str) -> Any:
        return tri(codes == code(value), (codes >= 0) & (codes != code(value)))

    def between(col: tuple[Any, Any], a: float, b: float) -> Any:
        lo, hi = col
        return tri((lo >= a) & (hi <= b), (hi < a) | (lo > b))

    def per_claim(weights: Any) -> Any:
        return np.bincount(ec, weights=weights, minlength=n)

    def exists(member: Any) -> Any:
        return tri(per_claim(member == TRUE) > 0, per_claim(member >= UNKNOWN) == 0)

    def count(member: Any) -> tuple[Any, Any]:
        return per_claim(member == TRUE), per_claim(member >= UNKNOWN)

    def months(member: Any) -> tuple[Any, Any]:
        lo, hi = ev["months"]
        w_lo = np.where(member == TRUE, lo, np.where(member == UNKNOWN, np.minimum(0, lo), 0))
        w_hi = np.where(member == TRUE, hi, np.where(member == UNKNOWN, np.maximum(0, hi), 0))
        s_lo, s_hi = per_claim(w_lo), per_claim(w_hi)
        return np.where(np.isnan(s_lo), -np.inf, s_lo), np.where(np.isnan(s_hi), np.inf, s_hi)

    def at_least(x: tuple[Any, Any], k: float) -> Any:
        return tri(x[0] >= k, x[1] < k)

    def cents(x: Any) -> Any:
        y = x * 100.0
        return np.where(np.isfinite(y), np.rint(y) / 100.0, x)

    def amount(factor: float, x: tuple[Any, Any], cap: float, gets: Any) -> tuple[Any, Any]:
        lo, hi = (cents(np.minimum(factor * b, cap)) for b in x)
        return np.where(gets != FALSE, lo, np.nan), np.where(gets != FALSE, hi, np.nan)

    a, o, m = np.minimum, np.maximum, np.minimum  # and, or; m: the membership of a filter
    claimant = cl["claimant"]
    kz = eq(ev["place"], "KZ")

    # bench-deportees
    removal = isin(ev["measure"], ["deportation", "special_settlement", "exile"])
    stalin_era = between(ev["year"], 1928, 1953)
    kz_removal = m(removal, a(kz, stalin_era))
    removal_months = months(kz_removal)
    persecuted = m(kz_removal, isin(ev["motive"], ["class", "national", "political"]))
    grave = a(2 - eq(ev["grave_crime"], "none"), 2 - eq(ev["confession"], "coerced"))
    grave_crime = a(exists(grave), 2 - cl["un_decision"])
    labour = a(isin(ev["measure"], ["forced_labour", "imprisonment"]), a(kz, stalin_era))
    d_when = {
        "deported": exists(kz_removal),
        "long-exile": a(at_least(removal_months, 24), at_least(count(kz_removal), 2)),
        "persecuted-removal": exists(persecuted),
        "forced-labour": exists(labour),
        "born-in-exile": a(cl["born_in_repression"], exists(m(removal, stalin_era))),
    }
    d = {g: (w if g in ("deported", "long-exile", "born-in-exile") else a(w, 2 - grave_crime))
         for g, w in d_when.items()}  # fmt: skip

    # bench-famine
    famine = m(
        isin(ev["measure"], ["forced_flight", "famine_death", "confiscation", "requisition",
                             "forced_sedentarisation"]),
        between(ev["year"], 1930, 1934),
    )  # fmt: skip
    kz_famine = m(famine, kz)
    losses = count(kz_famine)
    lost_months = months(m(kz_famine, isin(ev["motive"], ["class", "famine"])))
    f = {
        "refugee": a(exists(m(famine, eq(ev["measure"], "forced_flight"))), cl["ethnic_kazakh"]),
        "confiscated": a(exists(m(kz_famine, isin(ev["measure"],
                                                   ["confiscation", "requisition"]))),
                         2 - grave_crime),
        "bereaved": a(exists(m(famine, a(eq(ev["measure"], "famine_death"), kz))),
                      2 - eq(claimant, "victim")),
        "sedentarised": a(exists(m(kz_famine, eq(ev["measure"], "forced_sedentarisation"))),
                          at_least(losses, 2)),
    }  # fmt: skip

    grounds = {f"bench-deportees:{g}": v for g, v in d.items()}
    grounds |= {f"bench-famine:{g}": v for g, v in f.items()}
    status = o.reduce(list(grounds.values()))
    categories = {
        "bereaved": f["bereaved"],
        "deportee": o(o(d["deported"], d["long-exile"]), d["born-in-exile"]),
        "peasant": o(f["confiscated"], f["sedentarised"]),
        "persecuted": o(d["persecuted-removal"], d["forced-labour"]),
        "refugee": f["refugee"],
    }
    pay = a(o(d["deported"], d["long-exile"]), isin(claimant, ["victim", "spouse", "child"]))
    per_removal = a(d["persecuted-removal"], eq(claimant, "victim"))
    famine_pay = a(o(f["refugee"], f["confiscated"]), isin(claimant, ["victim", "spouse", "child"]))
    bereavement = a(o(f["bereaved"], f["sedentarised"]),
                    isin(claimant, ["spouse", "child", "grandchild"]))  # fmt: skip
    everyone = ["victim", "spouse", "child", "grandchild", "descendant", "heir"]
    components = {
        "bench-deportees:compensation": pay,
        "bench-deportees:per-removal": per_removal,
        "bench-deportees:recognition": a(o.reduce(list(d.values())), isin(claimant, everyone)),
        "bench-famine:famine-payment": famine_pay,
        "bench-famine:bereavement": bereavement,
    }
    amounts = {
        "bench-deportees:compensation": amount(rate * mci, removal_months, 60 * mci, pay),
        "bench-deportees:per-removal": amount(mci, count(persecuted), 10 * mci, per_removal),
        "bench-famine:famine-payment": amount(0.75 * mci, lost_months, 100 * mci, famine_pay),
        "bench-famine:bereavement": amount(mci, losses, 20 * mci, bereavement),
    }
    exclusions = {f"{law}:grave-crime": grave_crime for law in ("bench-deportees", "bench-famine")}
    return {
        "status": status,
        "grounds": grounds,
        "exclusions": exclusions,
        "categories": categories,
        "components": components,
        "amount_lo": {k: v[0] for k, v in amounts.items()},
        "amount_hi": {k: v[1] for k, v in amounts.items()},
    }


def check_equal(cov: Any, hand: dict[str, Any]) -> int:
    """Assert that every array of the coverage equals the twin's, claim by claim; the
    number of arrays compared."""
    np.testing.assert_array_equal(cov.status, hand["status"], err_msg="status")
    compared = 1
    for name in ("grounds", "exclusions", "categories", "components", "amount_lo", "amount_hi"):
        mine, theirs = getattr(cov, name), hand[name]
        assert set(mine) == set(theirs), (name, sorted(mine), sorted(theirs))
        for k in mine:
            np.testing.assert_array_equal(mine[k], theirs[k], err_msg=f"{name} {k}")
            compared += 1
    return compared


def cpu_times(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The least processor time of ``repeat`` runs of each function, the functions taking
    turns (so that a change in the machine's speed reaches all of them alike)."""
    best = {k: float("inf") for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each (least time kept)")
    args = parser.parse_args()

    from kzrehab.evaluation import evaluate
    from kzrehab.laws.framework import load_framework
    from kzrehab.population import load_population

    pop = load_population(store_for(args.claims))
    cols = pop.columns().columns  # type: ignore[union-attr]
    print(f"{args.claims:,} claims, {cols.n_events:,} events", flush=True)
    results: dict[str, Any] = {"claims": args.claims, "events": int(cols.n_events),
                               "as_of": AS_OF.isoformat(), "repeat": args.repeat}  # fmt: skip

    fw = load_framework(LAWS)
    params = fw.parameters_at(AS_OF)["bench-deportees"]
    mci, rate = params["MCI"], params["RATE"]
    with np.errstate(all="ignore"):
        compared = check_equal(evaluate(fw, pop, AS_OF), hand_written(cols, mci, rate))
    print(f"event-heavy framework: the engine equals the hand-written twin on every claim "
          f"({compared} arrays)", flush=True)  # fmt: skip

    bench = load_framework(BENCH)
    bench_mci = bench.parameters_at(AS_OF)["bench-peasants"]["MCI"]

    def twin() -> Any:
        with np.errstate(all="ignore"):
            return hand_written(cols, mci, rate)

    def bench_twin() -> Any:
        with np.errstate(all="ignore"):
            return bench_law_by_hand(cols, bench_mci)

    t = cpu_times({"engine": lambda: evaluate(fw, pop, AS_OF), "twin": twin,
                   "bench_engine": lambda: evaluate(bench, pop, AS_OF),
                   "bench_twin": bench_twin}, args.repeat)  # fmt: skip
    for key, label, (e, h) in (
        ("event_heavy", "event-heavy framework", (t["engine"], t["twin"])),
        ("bench_law", "benchmark law", (t["bench_engine"], t["bench_twin"])),
    ):
        results[key] = {"engine_cpu_seconds": round(e, 4), "hand_written_cpu_seconds": round(h, 4),
                        "ratio": round(e / h, 2)}  # fmt: skip
        print(f"{label}: engine {e:.3f} s, hand-written NumPy {h:.3f} s (processor time, "
              f"least of {args.repeat}): {e / h:.2f}x", flush=True)  # fmt: skip
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
