"""Benchmark the vectorised engine (issue 3; the figures: ``docs/benchmarks.rst``). Run by
hand; results go in the docs.

    python benchmarks/evaluate.py                 # 1,000,000 claims
    python benchmarks/evaluate.py --claims 200000 --ten-million

Measures, in one run on this machine:

1. reload of the population from the columnar store;
2. the benchmark law (``benchmarks/bench_law.toml``, the draft-format example extended)
   evaluated by the engine against a hand-written NumPy version of the same rules, which
   must give the same statuses and amounts (ratio: engine / hand-written; target ≤ 2x);
3. the full modelled framework (every law in ``drafts/``) by the engine against the
   per-claim interpreter, sampled and extrapolated (target ≥ 50x);
4. peak memory (max RSS of a fresh process) of loading and evaluating the full framework
   (target < 1 GiB at 1,000,000 claims);
5. with ``--ten-million``: ten million claims (the store tiled ten times), summarised in
   chunks, peak memory (target < 2 GiB).

The populations are made once and kept in ``benchmarks/.data/`` (not committed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
AS_OF = dt.date(2025, 6, 1)
FULL = [ROOT / "drafts/current", ROOT / "drafts/bills", ROOT / "drafts/proposals"]
BENCH = [ROOT / "benchmarks/bench_law.toml"]


def best(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    """The best wall time of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def store_for(claims: int, seed: int = 2025) -> Path:
    """The benchmark population's store, made on first use."""
    from kzrehab.population import synthesize

    path = DATA / f"population-{claims}-seed{seed}.kzstore"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print(f"making {claims:,} synthetic claims (once) …", flush=True)
        synthesize(claims, seed).save(path)
    return path


def hand_written(cols: Any, mci: float) -> dict[str, Any]:
    """The benchmark law written by hand in NumPy, with the same three-valued semantics.

    Kleene values: 0 false, 1 unknown, 2 true. An event is *in* a filter when its
    condition is true and *maybe* when it is unknown.
    """
    code = cols.code
    ev, cl = cols.event, cols.claim
    n, ec = cols.n_claims, cols.event_claim

    def isin(codes: Any, values: list[str]) -> Any:
        hit = np.isin(codes, [code(v) for v in values])
        return np.where(codes < 0, 1, np.where(hit, 2, 0)).astype(np.int8)

    def eq(codes: Any, value: str) -> Any:
        return np.where(codes < 0, 1, np.where(codes == code(value), 2, 0)).astype(np.int8)

    def year_in(a: int, b: int) -> Any:
        lo, hi = ev["year"]
        return np.where((lo >= a) & (hi <= b), 2, np.where((hi < a) | (lo > b), 0, 1)).astype(
            np.int8
        )

    def per_claim(weights: Any) -> Any:
        return np.bincount(ec, weights=weights, minlength=n)

    def exists(member: Any) -> Any:
        n_in, n_any = per_claim(member == 2), per_claim(member >= 1)
        return np.where(n_in > 0, 2, np.where(n_any == 0, 0, 1)).astype(np.int8)

    peasant = np.minimum(
        isin(
            ev["measure"], ["confiscation", "dekulakization", "deportation", "special_settlement"]
        ),
        isin(ev["motive"], ["class", "famine"]),
    )
    in_period = np.minimum(peasant, year_in(1928, 1934))
    peasant_victim = exists(np.minimum(in_period, eq(ev["place"], "KZ")))
    flight = np.minimum(eq(ev["measure"], "forced_flight"), year_in(1930, 1933))
    refugee = np.minimum(exists(flight), cl["ethnic_kazakh"])
    grave = np.minimum(2 - eq(ev["grave_crime"], "none"), 2 - eq(ev["confession"], "coerced"))
    excluded = np.minimum(exists(grave.astype(np.int8)), 2 - cl["un_decision"])
    applies_p = np.minimum(peasant_victim, 2 - excluded)
    applies_r = np.minimum(refugee, 2 - excluded)
    status = np.maximum(applies_p, applies_r)
    claimant = cl["claimant"]
    pay_who = isin(claimant, ["victim", "spouse", "child"])
    pay = np.minimum(applies_p, pay_who)
    m_lo, m_hi = ev["months"]
    w_lo = np.where(in_period == 2, m_lo, np.where(in_period == 1, np.minimum(0, m_lo), 0))
    w_hi = np.where(in_period == 2, m_hi, np.where(in_period == 1, np.maximum(0, m_hi), 0))
    s_lo, s_hi = per_claim(w_lo), per_claim(w_hi)
    rate = 0.75 * mci
    lo = np.minimum(np.where(s_lo == 0, 0, rate * s_lo), 100 * mci)
    hi = np.minimum(np.where(s_hi == 0, 0, rate * s_hi), 100 * mci)
    gets = pay != 0
    lo = np.where(gets, np.rint(lo * 100) / 100, np.nan)
    hi = np.where(gets, np.rint(hi * 100) / 100, np.nan)
    return {"status": status, "pay": pay, "lo": lo, "hi": hi}


def peak_memory(code: str) -> float:
    """Peak resident memory (MiB) of a fresh Python process running ``code``.

    Read from ``VmHWM`` in ``/proc/self/status``, which starts anew at ``exec``
    (``ru_maxrss`` would include the parent's memory, inherited through ``fork``).
    """
    wrapper = code + (
        "\nprint([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], check=True, capture_output=True,
                         text=True, cwd=ROOT)  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def tiled_store(source: Path, times: int) -> Path:
    """A store of ``times`` copies of another (ids made unique): ten million claims."""
    from kzrehab.population.columns import Columns
    from kzrehab.population.store import load_store, save_store

    path = DATA / f"{source.stem}-x{times}.kzstore"
    if path.exists():
        return path
    print(f"tiling the store {times}x (once) …", flush=True)
    s = load_store(source)
    c = s.columns

    def tile(col: Any) -> Any:
        return (
            tuple(np.tile(x, times) for x in col) if isinstance(col, tuple) else np.tile(col, times)
        )

    from kzrehab.population.columns import Names

    offsets = np.concatenate([c.offsets[:-1] + k * c.n_events for k in range(times)]
                             + [np.array([c.n_events * times])])  # fmt: skip
    ids = [f"{i}-{k}" for k in range(times) for i in s.ids]
    victims = [f"{v}-{k}" for k in range(times) for v in s.victims]
    claim = {k: tile(v) for k, v in c.claim.items()}
    claim["id"] = np.arange(c.n_claims * times, dtype=np.int32)
    n_victims = len(s.victims)
    claim["victim_id"] = np.concatenate([np.where(c.claim["victim_id"] >= 0,
                                                  c.claim["victim_id"] + k * n_victims, -1)
                                         for k in range(times)]).astype(np.int32)  # fmt: skip
    big = Columns(c.n_claims * times, c.n_events * times, c.strings, claim,
                  {k: tile(v) for k, v in c.event.items()},
                  np.repeat(np.arange(c.n_claims * times), np.diff(offsets)), offsets,
                  Names(ids, victims))  # fmt: skip
    meta = dict(s.meta, name=f"{s.meta['name']}-x{times}", digest=f"tiled-{times}",
                victims=int(s.meta["victims"]) * times)  # fmt: skip
    for k in ("format", "claims", "events"):
        meta.pop(k, None)
    save_store(path, big, meta)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000, help="claims for the interpreter")
    parser.add_argument("--ten-million", action="store_true")
    args = parser.parse_args()

    from kzrehab.evaluation import evaluate, summarize
    from kzrehab.laws.framework import load_framework
    from kzrehab.population import InMemoryPopulation, load_population

    results: dict[str, Any] = {"claims": args.claims, "as_of": AS_OF.isoformat()}
    path = store_for(args.claims)

    t_load, pop = best(lambda: load_population(path))
    t_cols, _ = best(lambda: load_population(path).columns().columns, repeat=1)  # type: ignore[union-attr]
    results["reload_seconds"] = round(t_load, 4)
    results["reload_with_all_columns_seconds"] = round(t_cols, 3)
    results["events"] = pop.events
    cols = pop.columns().columns  # type: ignore[union-attr]
    print(f"{args.claims:,} claims, {pop.events:,} events; reload {t_load:.3f} s "
          f"(all columns read: {t_cols:.2f} s)", flush=True)  # fmt: skip

    # -- the benchmark law against the hand-written NumPy version --------------------------
    bench = load_framework(BENCH)
    mci = bench.parameters_at(AS_OF)["bench-peasants"]["MCI"]
    t_engine, cov = best(lambda: evaluate(bench, pop, AS_OF))
    with np.errstate(all="ignore"):
        t_hand, hand = best(lambda: hand_written(cols, mci))
    np.testing.assert_array_equal(cov.status, hand["status"])
    np.testing.assert_array_equal(cov.components["bench-peasants:one-time-payment"], hand["pay"])
    np.testing.assert_array_equal(cov.amount_lo["bench-peasants:one-time-payment"], hand["lo"])
    np.testing.assert_array_equal(cov.amount_hi["bench-peasants:one-time-payment"], hand["hi"])
    results["bench_law"] = {"engine_seconds": round(t_engine, 3),
                            "hand_written_seconds": round(t_hand, 3),
                            "ratio": round(t_engine / t_hand, 2)}  # fmt: skip
    print(f"benchmark law: engine {t_engine:.3f} s, hand-written NumPy {t_hand:.3f} s, "
          f"ratio {t_engine / t_hand:.2f}x (same results)", flush=True)  # fmt: skip

    # -- the full modelled framework against the interpreter ---------------------------------
    full = load_framework(FULL)
    t_full, _ = best(lambda: evaluate(full, pop, AS_OF))
    t_summary, _ = best(lambda: summarize(full, pop, AS_OF))
    from kzrehab.population.columns import claims_from_columns

    rows = range(0, len(pop), max(1, len(pop) // args.sample))
    sample = InMemoryPopulation("sample", tuple(claims_from_columns(cols, rows)))
    t_interp, _ = best(lambda: evaluate(full, sample, AS_OF, engine="interpreter"), repeat=1)
    per_claim = t_interp / len(sample)
    extrapolated = per_claim * len(pop)
    results["full_framework"] = {
        "laws": len(full.laws),
        "engine_seconds": round(t_full, 3),
        "summary_seconds": round(t_summary, 3),
        "interpreter_seconds_per_claim": round(per_claim, 6),
        "interpreter_extrapolated_seconds": round(extrapolated, 1),
        "speedup": round(extrapolated / t_full, 1),
    }
    print(f"full framework ({len(full.laws)} laws): engine {t_full:.2f} s "
          f"(summary only {t_summary:.2f} s); interpreter {per_claim * 1e3:.2f} ms a claim "
          f"→ {extrapolated:,.0f} s extrapolated; {extrapolated / t_full:.0f}x faster",
          flush=True)  # fmt: skip

    # -- peak memory --------------------------------------------------------------------------
    load = (f"from kzrehab.laws.framework import load_framework\n"
            f"from kzrehab.evaluation import evaluate, summarize\n"
            f"from kzrehab.population import load_population\nimport datetime as dt\n"
            f"fw = load_framework({[str(p) for p in FULL]!r})\n"
            f"pop = load_population({str(path)!r})\n")  # fmt: skip
    mem_full = peak_memory(load + "evaluate(fw, pop, dt.date(2025, 6, 1))")
    mem_summary = peak_memory(load + "summarize(fw, pop, dt.date(2025, 6, 1))")
    base = peak_memory("import numpy, kzrehab.laws.framework, kzrehab.population")
    results["peak_memory_mib"] = {"evaluate": round(mem_full), "summarize": round(mem_summary),
                                  "python_and_imports": round(base)}  # fmt: skip
    print(f"peak memory: evaluate {mem_full:.0f} MiB, summarize {mem_summary:.0f} MiB "
          f"(Python with the imports alone: {base:.0f} MiB)", flush=True)  # fmt: skip

    if args.ten_million:
        times = max(1, 10_000_000 // args.claims)
        big = tiled_store(path, times)
        code = load.replace(repr(str(path)), repr(str(big)))
        t = time.perf_counter()
        mem_big = peak_memory(code + "s = summarize(fw, pop, dt.date(2025, 6, 1))\n"
                                     "assert len(s) == pop.columns().n_claims")  # fmt: skip
        elapsed = time.perf_counter() - t
        results["ten_million"] = {"claims": args.claims * times, "seconds": round(elapsed, 1),
                                  "peak_memory_mib": round(mem_big)}  # fmt: skip
        print(f"{args.claims * times:,} claims summarised in chunks: {elapsed:.0f} s, "
              f"peak memory {mem_big:.0f} MiB", flush=True)  # fmt: skip

    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
