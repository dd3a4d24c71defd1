"""The ``kzrehab`` command line. The only module that prints and chooses exit statuses.

Exit status: 0 success, 1 ``check`` found lint findings, 2 bad input or usage. Every
:class:`~kzrehab.errors.KzrehabError` becomes a one-paragraph message on standard error and
exit status 2, never a traceback. Heavy modules (NumPy, the engine) are imported only by
the commands that need them.
"""

from __future__ import annotations

__all__ = ["main"]

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import KzrehabError, LimitError, UsageError

if TYPE_CHECKING:
    from .laws.framework import Framework
    from .population import Population


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own usage errors: exit 2, no traceback
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kzrehab",
        description="Model, evaluate and track laws on rehabilitation of victims of "
        "political repression in Kazakhstan.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("check", help="validate and lint draft files")
    p.add_argument("paths", nargs="+", metavar="PATH", help="draft files or directories")

    def evaluating(p: argparse.ArgumentParser) -> None:
        p.add_argument("--population", metavar="FILE",
                       help="a JSON Lines registry (default: the bundled synthetic population)")
        p.add_argument("--as-of", type=_date, default=None, metavar="DATE",
                       help="the assessment date (default: today)")
        p.add_argument("--format", choices=("text", "md", "json"), default="text")
        p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")  # fmt: skip

    p = sub.add_parser("coverage", help="coverage of a framework over a population")
    p.add_argument("laws", nargs="+", metavar="LAW", help="draft files or directories")
    evaluating(p)
    p.add_argument("--claims", action="store_true", help="include per-claim results")

    p = sub.add_parser("explain", help="why a claim is (not) eligible, provision by provision")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("laws", nargs="+", metavar="LAW")
    evaluating(p)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _population(path: str | None) -> Population:
    from .population import load_population

    if path is None:
        raise UsageError(
            "--population FILE is required: give a JSON Lines registry "
            "(for example tests/data/sample.jsonl)"
        )
    return load_population(path)


def _framework(refs: Sequence[str]) -> Framework:
    from .laws.framework import load_framework

    return load_framework(refs)


def _emit(text: str, output: str | None) -> None:
    if output:
        from ._io import write_atomic

        write_atomic(output, text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _cmd_check(args: argparse.Namespace) -> int:
    fw = _framework(args.paths)
    findings = fw.lint()
    for f in findings:
        print(f"warning: {f}")
    n = sum(1 for _ in fw.laws)
    print(f"checked {n} law{'s' if n != 1 else ''}: "
          f"{len(findings) or 'no'} finding{'s' if len(findings) != 1 else ''}")  # fmt: skip
    return 1 if findings else 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from . import reports

    fw = _framework(args.laws)
    pop = _population(args.population)
    cov = fw.evaluate(pop, as_of=args.as_of or dt.date.today())
    if args.format == "json":
        text = json.dumps(cov.to_json(claims=args.claims), indent=2, ensure_ascii=False)
    else:
        text = reports.coverage_text(cov, markdown=args.format == "md", claims=args.claims)
    _emit(text, args.output)
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from . import reports

    fw = _framework(args.laws)
    pop = _population(args.population)
    claim = pop.claim(args.claim_id)
    as_of = args.as_of or dt.date.today()
    result = fw.evaluate_claim(claim, as_of)
    if args.format == "json":
        text = json.dumps(reports.explain_json(fw, claim, result), indent=2, ensure_ascii=False)
    else:
        text = reports.explain_text(fw, claim, result, markdown=args.format == "md")
    _emit(text, args.output)
    return 0


_COMMANDS = {"check": _cmd_check, "coverage": _cmd_coverage, "explain": _cmd_explain}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        return _COMMANDS[args.command](args)
    except KzrehabError as err:
        print(f"kzrehab: error: {err}", file=sys.stderr)
        return err.exit_code
    except RecursionError:
        err = LimitError("the input is nested too deeply to process (reduce its nesting)")
        print(f"kzrehab: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kzrehab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
