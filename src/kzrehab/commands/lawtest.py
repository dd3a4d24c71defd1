"""``test``: run law test case files through both engines."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "test",
        help="run law test cases (TOML case files) through both engines",
        description="Run the law test cases in case files (directories: every *.toml in a "
        "'cases' directory under them) through the interpreter and the vectorised engine. "
        "Exit 0 when every case passes, 1 when one fails, 2 on bad input.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="case files or directories")
    p.add_argument("-v", "--verbose", action="store_true", help="list the cases that pass too")
    p.set_defaults(run=run_test)


def run_test(args: argparse.Namespace) -> int:
    from ..lawtests import load_cases, run_cases

    results = run_cases(load_cases(args.paths))
    failed = [r for r in results if not r.passed]
    for r in results:
        if r.passed:
            if args.verbose:
                print(f"ok    {r.case.where}")
            continue
        print(f"FAIL  {r.case.where}")
        print(f"      laws: {' '.join(r.case.laws)}; as of {r.case.as_of.isoformat()}")
        shown: set[tuple[str, ...]] = set()
        for f in r.failures:
            print(f"      [{f.engine}] {f.what}: expected {f.expected}, got {f.got}")
            if f.explanation and f.explanation not in shown:
                shown.add(f.explanation)
                print("      explain:")
                for line in f.explanation:
                    print(f"        {line}")
        print(f"      reasoning: {' '.join(r.case.reasoning.split())}")
        print(f"      source: {' '.join(r.case.source.split())}")
    n = len(results)
    print(f"{n} case{'s' if n != 1 else ''}: {n - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0
