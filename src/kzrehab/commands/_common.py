"""What the command modules share: common options, loading, output."""

from __future__ import annotations

__all__ = ["add_evaluating_options", "add_privacy_options", "positive", "load_population_arg",
           "load_framework_arg", "emit", "emit_report", "parse_date_arg", "as_of",
           "progress_wanted"]  # fmt: skip

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..laws.framework import Framework
    from ..population import Population
    from ..reports import Report


def parse_date_arg(text: str) -> dt.date:
    """An ISO date option value (``--as-of``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


#: the report formats of every evaluating command: :data:`kzrehab.reports.FORMATS`, spelt
#: out here so that building the parser (``--help``) does not import the reports
FORMATS = ("text", "md", "html", "json")


def positive(text: str) -> int:
    """A whole number of at least 1, for options such as ``-n``, ``--size`` and
    ``--suppress-below``."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def add_evaluating_options(p: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    """``--population``, ``--as-of``, ``--format`` and ``-o``, for every evaluating command."""
    p.add_argument(
        "--population",
        metavar="FILE",
        help="a JSON Lines registry or a columnar store "
        "(default: the bundled synthetic reference population)",
    )
    p.add_argument(
        "--as-of",
        type=parse_date_arg,
        default=None,
        metavar="DATE",
        help="the assessment date (default: today)",
    )
    p.add_argument(
        "--format",
        choices=tuple(formats),
        default="text",
        help="the report's format (default: text)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")  # fmt: skip


def add_privacy_options(p: argparse.ArgumentParser, claims_help: str | None) -> None:
    """``--suppress-below K`` (and ``--claims`` when ``claims_help`` is given)."""
    if claims_help is not None:
        p.add_argument("--claims", action="store_true", help=claims_help)
    p.add_argument(
        "--suppress-below",
        type=positive,
        metavar="K",
        help="for publication: blank every cell counting fewer than K claims (JSON: null), "
        "and say so in the report",
    )


def progress_wanted(args: argparse.Namespace) -> bool:
    """Whether a progress bar may be drawn: not while a JSON report goes to standard
    output (the bar itself appears only when standard error is a terminal)."""
    return args.format != "json" or bool(args.output)


def as_of(args: argparse.Namespace) -> dt.date:
    """The assessment date of a command: ``--as-of`` or today."""
    value: dt.date | None = getattr(args, "as_of", None)
    return value or dt.date.today()


def load_population_arg(path: str | None) -> Population:
    """The population named by ``--population``, or the bundled reference population."""
    from ..population import load_population, reference_population

    if path is None:
        return reference_population()
    return load_population(path)


def load_framework_arg(refs: Sequence[str]) -> Framework:
    """The framework of the laws named on the command line."""
    from ..laws.framework import load_framework

    return load_framework(refs)


def emit_report(report: Report, args: argparse.Namespace) -> None:
    """Suppress small cells when asked, render in ``--format`` and write to ``-o`` or stdout."""
    k = getattr(args, "suppress_below", None)
    if k is not None and getattr(args, "claims", False):
        raise UsageError("--claims lists individual claims and cannot be combined with "
                         "--suppress-below, which prepares a report for publication")  # fmt: skip
    emit(report.suppressed(k).render(args.format), args.output)


def emit(text: str, output: str | None) -> None:
    """Write a report to ``-o FILE`` (atomically) or to standard output."""
    if not text.endswith("\n"):
        text += "\n"
    if output:
        from .._io import write_atomic

        write_atomic(output, text)
    else:
        sys.stdout.write(text)
