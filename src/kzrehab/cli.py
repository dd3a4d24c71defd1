"""The ``kzrehab`` command line. The only layer that prints and chooses exit statuses.

Exit status: 0 success, 1 ``check`` found lint findings, 2 bad input or usage. Every
:class:`~kzrehab.errors.KzrehabError` becomes a message on standard error and exit status
2, never a traceback. Commands live in :mod:`kzrehab.commands`, one module per group.

The language of everything printed — help, messages, errors, reports — is chosen before the
parser is built: ``--lang`` anywhere on the line, else ``KZREHAB_LANG``, else the locale
(:func:`kzrehab.i18n.from_environment`). argparse's own words (``usage:``, its errors) are
translated here too (:data:`_ARGPARSE_ERRORS`).
"""

from __future__ import annotations

__all__ = ["main", "build_parser"]

import argparse
import errno
import importlib
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from .commands import MODULES
from .errors import KzrehabError, LimitError, UsageError
from .i18n import LANGUAGES, N_, LanguageError, _, current, from_environment, set_language

#: argparse's error messages (Python 3.11 to 3.13), each with its translatable form: the
#: pattern's groups fill the message's placeholders
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), message) for pattern, message in (
        (r"the following arguments are required: (?P<names>.*)",
         N_("the following arguments are required: {names}")),
        (r"unrecognized arguments: (?P<args>.*)", N_("unrecognized arguments: {args}")),
        (r"argument (?P<name>.+?): invalid choice: (?P<value>.*?) \(choose from "
         r"(?P<choices>.*)\)", N_("argument {name}: invalid choice: {value} (choose from "
                                   "{choices})")),
        (r"argument (?P<name>.+?): expected one argument",
         N_("argument {name}: expected one argument")),
        (r"argument (?P<name>.+?): expected at least one argument",
         N_("argument {name}: expected at least one argument")),
        (r"argument (?P<name>.+?): invalid (?P<type>\S+) value: (?P<value>.*)",
         N_("argument {name}: invalid {type} value: {value}")),
        (r"argument (?P<name>.+?): not allowed with argument (?P<other>.*)",
         N_("argument {name}: not allowed with argument {other}")),
        (r"argument (?P<name>.+?): ignored explicit argument (?P<value>.*)",
         N_("argument {name}: ignored explicit argument {value}")),
        (r"one of the arguments (?P<names>.*) is required",
         N_("one of the arguments {names} is required")),
        (r"ambiguous option: (?P<option>.*?) could match (?P<matches>.*)",
         N_("ambiguous option: {option} could match {matches}")),
        (r"argument (?P<name>.+?): (?P<message>.*)", N_("argument {name}: {message}")),
    ))


#: the operating system's words for the errors a command meets writing its output (as the C
#: library says them in English), translated
_OS_ERRORS: dict[int, str] = {
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EEXIST: N_("File exists"),
}


def _argparse_error(message: str) -> str:
    """One of argparse's error messages in the current language."""
    for pattern, words in _ARGPARSE_ERRORS:
        m = pattern.fullmatch(message)
        if m:
            return _(words).format(**m.groupdict())
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[Any], prefix: str | None = None) -> None:  # fmt: skip
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=_("show this help message and exit"))  # fmt: skip

    def error(self, message: str) -> NoReturn:
        """argparse's usage errors become :class:`UsageError`: exit 2, no traceback."""
        self.print_usage(sys.stderr)
        raise UsageError(_argparse_error(message))


def _add_lang(parser: argparse.ArgumentParser, top: bool) -> None:
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None if top else argparse.SUPPRESS,
        help=_("the language of the output: kk (Kazakh), ru (Russian) or en (English); "
               "default: $KZREHAB_LANG, else the locale's language, else English"))


def _language(argv: Sequence[str]) -> str:
    """The language asked for: the last ``--lang`` on the line, else the environment's."""
    asked = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    if asked is None:
        return from_environment()
    if asked not in LANGUAGES:
        raise LanguageError(f"argument --lang: invalid choice: '{asked}' (choose from "
                            f"{', '.join(LANGUAGES)})")  # fmt: skip
    return asked


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
        description=_("Model, evaluate and track laws on rehabilitation of victims of "
                      "political repression in Kazakhstan."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=_("show the version and exit"))  # fmt: skip
    _add_lang(parser, top=True)
    sub: Any = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in MODULES:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
        if command in sub.choices:
            break
    for each in _parsers(sub):
        _add_lang(each, top=False)
    return parser


def _parsers(sub: Any) -> Iterable[argparse.ArgumentParser]:
    """Every command's parser, and its actions' (``population import``), once each."""
    seen: set[int] = set()
    for p in sub.choices.values():
        if id(p) in seen:
            continue
        seen.add(id(p))
        yield p
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                yield from _parsers(action)


def _say(message: str) -> None:
    """Print an error: a lone surrogate a message quotes from the input is escaped, never a
    second error."""
    print(message.encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status. The language it chooses holds for this
    run only: the caller's is restored when it returns."""
    argv = sys.argv[1:] if argv is None else list(argv)
    before = current()
    try:
        return _main(argv)
    finally:
        set_language(before)


def _main(argv: list[str]) -> int:
    try:
        try:
            set_language(_language(argv))
        except LanguageError as err:  # said in English: the language asked for is unknown
            raise UsageError(str(err)) from None
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
    except LanguageError as err:  # a catalog missing from the install
        _say(f"kzrehab: error: {err}")
        return 2
    except KzrehabError as err:
        _say(_("kzrehab: error: {message}").format(message=err))
        return err.exit_code
    except RecursionError:
        limit = LimitError(_("the input is nested too deeply to process (reduce its "
                             "nesting)"))  # fmt: skip
        print(_("kzrehab: error: {message}").format(message=limit), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("kzrehab: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # a file that cannot be written (a directory, a read-only folder)
        where = err.filename2 or err.filename
        what = _(_OS_ERRORS[err.errno]) if err.errno in _OS_ERRORS else (err.strerror
                                                                           or str(err))
        _say(_("kzrehab: error: {message}").format(message=f"{where}: {what}" if where
                                                    else what))  # fmt: skip
        return 2
