"""``check``, ``coverage`` and ``explain``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ._common import (
    add_evaluating_options,
    as_of,
    emit,
    load_framework_arg,
    load_population_arg,
)


def register(sub: Any) -> None:
    p = sub.add_parser("check", help="validate and lint draft files",
                       description="Validate draft files (errors: exit 2) and lint them "
                                   "(findings: exit 1).")  # fmt: skip
    p.add_argument("paths", nargs="+", metavar="PATH", help="draft files or directories")
    p.set_defaults(run=run_check)

    p = sub.add_parser("coverage", help="coverage of a framework over a population")
    p.add_argument("laws", nargs="+", metavar="LAW", help="draft files or directories")
    add_evaluating_options(p, ("text", "md", "json"))
    p.add_argument("--claims", action="store_true", help="include per-claim results")
    p.set_defaults(run=run_coverage)

    p = sub.add_parser("explain", help="why a claim is (not) eligible, provision by provision")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("laws", nargs="+", metavar="LAW")
    p.add_argument(
        "--against",
        nargs="+",
        metavar="LAW",
        help="explain why the claim's status differs under these laws",
    )
    add_evaluating_options(p, ("text", "md", "json"))
    p.set_defaults(run=run_explain)


def run_check(args: argparse.Namespace) -> int:
    fw = load_framework_arg(args.paths)
    fw.check_amounts()
    findings = fw.lint()
    for f in findings:
        print(f"warning: {f}")
    n = len(fw.laws)
    print(f"checked {n} law{'s' if n != 1 else ''}: "
          f"{len(findings) or 'no'} finding{'s' if len(findings) != 1 else ''}")  # fmt: skip
    return 1 if findings else 0


def run_coverage(args: argparse.Namespace) -> int:
    from .. import reports

    fw = load_framework_arg(args.laws)
    pop = load_population_arg(args.population)
    # without --claims only the summaries are needed: memory stays bounded by one chunk
    cov = fw.evaluate(pop, as_of(args)) if args.claims else fw.summarize(pop, as_of(args))
    if args.format == "json":
        text = json.dumps(cov.to_json(claims=args.claims), indent=2, ensure_ascii=False)
    else:
        text = reports.coverage_text(cov, markdown=args.format == "md", claims=args.claims)
    emit(text, args.output)
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from .. import reports

    if args.against:
        from .tracker import run_explain_against

        return run_explain_against(args)

    fw = load_framework_arg(args.laws)
    pop = load_population_arg(args.population)
    claim = pop.claim(args.claim_id)
    result = fw.evaluate_claim(claim, as_of(args))
    if args.format == "json":
        text = json.dumps(
            reports.explain_json(fw, claim, result, pop), indent=2, ensure_ascii=False
        )
    else:
        text = reports.explain_text(fw, claim, result, pop, markdown=args.format == "md")
    emit(text, args.output)
    return 0
