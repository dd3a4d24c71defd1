"""Benchmark ``gaps`` (issue 17): evidence priorities against one evaluation.

    python benchmarks/gaps.py                   # 200,000 claims
    python benchmarks/gaps.py --claims 1000000

Measures, in one run on this machine, over the benchmark population of
``benchmarks/evaluate.py`` (made once, kept in ``benchmarks/.data/``), with the full
modelled framework (current law, the bills and the proposal):

1. one evaluation with the vectorised engine;
2. ``gaps`` by status: the plan re-run over the undetermined claims, each unknown fact
   narrowed to each value of its domain.

The ratio gaps / evaluation is the figure. Best of three runs each.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import AS_OF, FULL, best, store_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    args = parser.parse_args()

    from kzrehab.evaluation import evaluate
    from kzrehab.gaps import gaps
    from kzrehab.laws.framework import load_framework
    from kzrehab.population import load_population

    pop = load_population(store_for(args.claims))
    fw = load_framework(FULL)
    t_eval, cov = best(lambda: evaluate(fw, pop, AS_OF))
    t_gaps, g = best(lambda: gaps(fw, pop, AS_OF))
    (group,) = g.groups
    results = {"claims": args.claims, "evaluation_seconds": round(t_eval, 3),
               "gaps_seconds": round(t_gaps, 3), "ratio": round(t_gaps / t_eval, 2),
               "undetermined": group.undetermined, "facts": len(group.facts)}  # fmt: skip
    print(f"{args.claims:,} claims: one evaluation {t_eval:.2f} s, gaps {t_gaps:.2f} s: "
          f"{t_gaps / t_eval:.1f}x ({group.undetermined:,} undetermined, "
          f"{len(group.facts)} facts ranked)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
