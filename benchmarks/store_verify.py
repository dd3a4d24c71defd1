"""The cost of a store proving its content: hashing every column, against one evaluation.

    python benchmarks/store_verify.py --claims 200000

Makes a synthetic population of ``--claims`` claims, saves it as a columnar store in a
temporary folder, then times (best of ``--repeat``) opening the store and checking every
column against its recorded hash (:meth:`~kzrehab.population.store.StoredColumns.verify_all`),
and one evaluation of ``drafts/current`` over the opened store (``kzrehab.summarize``,
which reads and checks the values of every chunk). Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from kzrehab.evaluation import summarize
from kzrehab.laws.framework import load_framework
from kzrehab.population import StoredPopulation, synthesize

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    framework = load_framework([ROOT / "drafts" / "current"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.kzstore"
        synthesize(args.claims, 1993).save(path)
        verify, evaluate = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            population = StoredPopulation.open(path)
            population.store.verify_all()
            verify.append(time.perf_counter() - start)
            start = time.perf_counter()
            summarize(framework, population, dt.date(2025, 6, 1), chunk=1_000_000)
            evaluate.append(time.perf_counter() - start)
        size = path.stat().st_size
    v, e = min(verify), min(evaluate)
    print(json.dumps({"claims": args.claims, "store_bytes": size, "verify_seconds": round(v, 3),
                      "evaluate_seconds": round(e, 3), "share": round(v / e, 3)}, indent=2))


if __name__ == "__main__":
    main()
