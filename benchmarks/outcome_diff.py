"""Benchmark the outcome diff (issue 11): every level compared, against one evaluation.

    python benchmarks/outcome_diff.py                 # 1,000,000 claims
    python benchmarks/outcome_diff.py --claims 200000

Measures, in one run on this machine, over the benchmark population of
``benchmarks/evaluate.py`` (made once, kept in ``benchmarks/.data/``):

1. one evaluation of the full modelled framework (current law, the bills and the
   proposal) with the vectorised engine;
2. the outcome diff of current law against that framework: the per-claim masks of every
   level (status, categories, components, amounts, money by period), the ``changes``
   object with its exact totals, and the counts of claims that gain and lose.

The ratio diff / evaluation is the figure (target: at most 3x). Best of three runs each.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import AS_OF, FULL, ROOT, best, store_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    args = parser.parse_args()

    from kzrehab.comparison import CoverageDiff
    from kzrehab.evaluation import evaluate
    from kzrehab.laws.framework import load_framework
    from kzrehab.population import load_population

    pop = load_population(store_for(args.claims))
    base = load_framework([ROOT / "drafts/current"])
    head = load_framework(FULL)
    t_eval, head_cov = best(lambda: evaluate(head, pop, AS_OF))
    base_cov = evaluate(base, pop, AS_OF)

    def outcome_diff() -> tuple[int, int, dict[str, object]]:
        d = CoverageDiff(base_cov, head_cov)
        return d.gained, d.lost, d.changes()

    t_diff, (gained, lost, _) = best(outcome_diff)
    results = {"claims": args.claims, "evaluation_seconds": round(t_eval, 3),
               "outcome_diff_seconds": round(t_diff, 3), "ratio": round(t_diff / t_eval, 2),
               "gained": gained, "lost": lost}  # fmt: skip
    print(f"{args.claims:,} claims: one evaluation {t_eval:.2f} s, outcome diff "
          f"{t_diff:.2f} s: {t_diff / t_eval:.2f}x (gain {gained:,}, lose {lost:,})")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
