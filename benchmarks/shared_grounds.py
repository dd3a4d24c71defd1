"""Benchmark the cost of provisions that share a condition (issue 15, item 3: cost grows
with distinct sub-expressions, not with provisions; the figures: ``docs/benchmarks.rst``).

    python benchmarks/shared_grounds.py                   # 2,000 grounds, 200,000 claims
    python benchmarks/shared_grounds.py --grounds 20000
    python benchmarks/shared_grounds.py --claims 1000000   # the array work outweighs the rest

Writes two drafts into a temporary directory: one ground, and ``--grounds`` grounds that
all share that one condition (written out in each, as a draft would), each with the same
component. Then, in one run, on the synthetic reference population (200,000 claims, made
once in ``KZREHAB_CACHE``), it measures

1. the evaluation ``kzrehab coverage`` runs (:func:`kzrehab.evaluation.summarize`: the
   plan, its compilation, every chunk, the counts), the drafts loaded beforehand: the
   least processor time of ``--repeat`` runs each, taking turns, a new framework each
   time (nothing compiled is reused);
2. the whole command, ``kzrehab coverage DRAFT --format json``, each run a fresh process
   (processor time of the process: loading and checking the draft included);

and prints the ratios many / one. Both drafts are checked to give the same counts for
every ground as the one ground gives.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)
CONDITION = ("exists(events[measure in {'deportation', 'special_settlement', 'exile'} "
             "and year in 1928..1953 and place == 'KZ'])")  # fmt: skip


def draft(grounds: int, condition: str = CONDITION) -> str:
    """A draft of ``grounds`` grounds, each with the same condition, and a payment."""
    lines = ["[law]", 'id = "shared"', 'title = "Grounds sharing one condition"',
             'kind = "bill"', 'status = "draft"', 'version = "benchmark"',
             'sources = ["A benchmark fixture (issue 15), not a modelled law"]', "",
             "[[article]]", 'number = "1"', 'text = "Grounds sharing one condition."', ""]
    for i in range(grounds):
        lines += ["  [[article.ground]]", f'  id = "ground-{i}"', '  category = "deportee"',
                  f'  when = "{condition}"', ""]
    lines += ["  [[article.component]]", '  id = "payment"', '  kind = "compensation"',
              '  title = "Payment"', '  recipients = ["victim", "spouse", "child"]',
              '  amount = "1000"', '  period = "once"']  # fmt: skip
    return "\n".join(lines) + "\n"


def command_cpu(args: list[str]) -> float:
    """Processor time (user + system) of one fresh process running ``kzrehab ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "kzrehab", *args], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grounds", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--claims", type=int, default=None,
                        help="a synthetic reference population of this size (default: the "
                             "200,000-claim one; made once and cached)")
    args = parser.parse_args()

    from kzrehab.evaluation import summarize
    from kzrehab.laws.framework import load_framework
    from kzrehab.population.reference import reference_population

    pop = reference_population() if args.claims is None else reference_population(args.claims)
    results: dict[str, Any] = {"claims": len(pop), "grounds": args.grounds, "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, n in (("one", 1), ("many", args.grounds)):
            paths[name] = Path(tmp) / f"{name}.toml"
            paths[name].write_text(draft(n), encoding="utf-8")
        laws = {k: load_framework([p]).laws for k, p in paths.items()}

        from kzrehab.laws.framework import Framework

        one = summarize(Framework(laws["one"]), pop, AS_OF)
        many = summarize(Framework(laws["many"]), pop, AS_OF)
        (counts,) = one.tally.grounds.values()
        assert all(c == counts for c in many.tally.grounds.values())
        assert one.tally.status == many.tally.status

        best = {"one": float("inf"), "many": float("inf")}
        for _ in range(args.repeat):
            for k in best:
                fw = Framework(laws[k])  # a new framework: its plan compiled anew
                t = time.process_time()
                summarize(fw, pop, AS_OF)
                best[k] = min(best[k], time.process_time() - t)
        results["evaluation_cpu_seconds"] = {k: round(v, 4) for k, v in best.items()}
        results["evaluation_ratio"] = round(best["many"] / best["one"], 2)
        print(f"evaluation (summarize, {len(pop):,} claims): one ground {best['one']:.3f} s, "
              f"{args.grounds:,} grounds sharing its condition {best['many']:.3f} s: "
              f"{best['many'] / best['one']:.2f}x", flush=True)  # fmt: skip

        store = Path(tmp) / "population.kzstore"
        if args.claims is not None:  # the same population for the commands
            pop.save(store)
        whole = {"one": float("inf"), "many": float("inf")}
        for _ in range(args.repeat):
            for k in whole:
                cmd = ["coverage", str(paths[k]), "--format", "json", "--as-of", AS_OF.isoformat()]
                if args.claims is not None:
                    cmd += ["--population", str(store)]
                whole[k] = min(whole[k], command_cpu(cmd))
        results["command_cpu_seconds"] = {k: round(v, 3) for k, v in whole.items()}
        results["command_ratio"] = round(whole["many"] / whole["one"], 2)
        print(f"kzrehab coverage (a fresh process each): one ground {whole['one']:.2f} s, "
              f"{args.grounds:,} grounds {whole['many']:.2f} s: "
              f"{whole['many'] / whole['one']:.2f}x", flush=True)  # fmt: skip
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
