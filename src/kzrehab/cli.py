"""The ``kzrehab`` command line. The only layer that prints and chooses exit statuses.

Exit status: 0 success, 1 ``check`` found lint findings, 2 bad input or usage. Every
:class:`~kzrehab.errors.KzrehabError` becomes a message on standard error and exit status
2, never a traceback. Commands live in :mod:`kzrehab.commands`, one module per group.
"""

from __future__ import annotations

__all__ = ["main", "build_parser"]

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .commands import MODULES
from .errors import KzrehabError, LimitError, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """argparse's usage errors become :class:`UsageError`: exit 2, no traceback."""
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the command line.

    Given the ``command`` about to run, the command modules are registered in order only up
    to the one that defines it, so that ``kzrehab check`` imports no other command module
    (start-up time). Without one, or when it is no command (``--help``, a typo, whose error
    lists every command), every command is registered.
    """
    from ._version import __version__

    parser = _Parser(
        prog="kzrehab",
        description="Model, evaluate and track laws on rehabilitation of victims of "
        "political repression in Kazakhstan.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub: Any = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in MODULES:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
        if command in sub.choices:
            break
    return parser


def _say(message: str) -> None:
    """Print an error: a lone surrogate a message quotes from the input is escaped, never a
    second error."""
    print(message.encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        # the command is the first argument (before it, kzrehab takes only --help and
        # --version); when the first argument is no command, every command is registered
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        from ._cache import cache_max
        from .commands._common import check_output, jobs_arg
        from .limits import fingerprint

        fingerprint()  # every limit variable is checked before any work
        cache_max()  # and the cache's size cap
        if "jobs" in vars(args):
            jobs_arg(args)  # and $KZREHAB_JOBS
        check_output(args)
        status: int = args.run(args)
        return status
    except KzrehabError as err:
        _say(f"kzrehab: error: {err}")
        return err.exit_code
    except RecursionError:
        limit = LimitError("the input is nested too deeply to process (reduce its nesting)")
        print(f"kzrehab: error: {limit}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kzrehab: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # a file that cannot be written (a directory, a read-only folder)
        where = err.filename2 or err.filename
        _say(f"kzrehab: error: {f'{where}: ' if where else ''}{err.strerror or err}")
        return 2
