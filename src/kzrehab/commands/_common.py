"""What the command modules share: common options, loading, output."""

from __future__ import annotations

__all__ = ["add_evaluating_options", "load_population_arg", "load_framework_arg", "emit",
           "parse_date_arg", "as_of"]  # fmt: skip

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..laws.framework import Framework
    from ..population import Population


def parse_date_arg(text: str) -> dt.date:
    """An ISO date option value (``--as-of``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def add_evaluating_options(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
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


def emit(text: str, output: str | None) -> None:
    """Write a report to ``-o FILE`` (atomically) or to standard output."""
    if not text.endswith("\n"):
        text += "\n"
    if output:
        from .._io import write_atomic

        write_atomic(output, text)
    else:
        sys.stdout.write(text)
