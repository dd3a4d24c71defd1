"""What the command modules share: common options, loading, output."""

from __future__ import annotations

__all__ = ["add_evaluating_options", "add_privacy_options", "positive", "load_population_arg",
           "load_framework_arg", "emit", "emit_report", "parse_date_arg", "as_of",
           "progress_wanted", "check_output", "claim_first", "find_claim", "add_jobs_option",
           "jobs_arg", "progress_bars"]  # fmt: skip

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..i18n import N_, _, number

if TYPE_CHECKING:
    from .._extras import Columns
    from ..claims import Claim
    from ..laws.framework import Framework
    from ..population import Population
    from ..reports import Report


def parse_date_arg(text: str) -> dt.date:
    """An ISO date option value (``--as-of``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date (YYYY-MM-DD)").format(text=text)) from None


#: the report formats of every evaluating command: :data:`kzrehab.reports.FORMATS`, spelt
#: out here so that building the parser (``--help``) does not import the reports
FORMATS = ("text", "md", "html", "json", "csv", "xlsx")
#: the formats of the commands with ``--claims``: their per-claim rows as Parquet too
CLAIM_FORMATS = (*FORMATS, "parquet")
#: the formats written as tables (:mod:`kzrehab.reports.spreadsheets`)
TABLE_FORMATS = ("csv", "xlsx", "parquet")
#: the CSV dialects, the default first: :data:`kzrehab.reports.spreadsheets.DIALECTS`
CSV_DIALECTS = ("excel-ru", "excel", "plain")


def positive(text: str) -> int:
    """A whole number of at least 1, for options such as ``-n``, ``--size`` and
    ``--suppress-below``."""
    shown = text if len(text) <= 30 else text[:27] + "..."
    digits = text.lstrip("0") if text.isascii() and text.isdigit() else ""
    if not digits:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number of at least 1").format(text=shown))
    if len(digits) > 20:  # beyond any limit, and not converted (a million digits)
        raise argparse.ArgumentTypeError(_("'{text}' is too large").format(text=shown))
    return int(digits)


def add_evaluating_options(p: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    """``--population``, ``--as-of``, ``--format`` and ``-o``, for every evaluating command."""
    p.add_argument(
        "--population",
        metavar="FILE",
        help=_("a JSON Lines registry (.jsonl), a CSV registry (NAME.csv with "
               "NAME.events.csv beside it, or a directory holding claims.csv and events.csv), "
               "a Parquet registry (the same with .parquet) or a columnar store (default: the "
               "bundled synthetic reference population)"),
    )
    p.add_argument(
        "--as-of",
        type=parse_date_arg,
        default=None,
        metavar="DATE",
        help=_("the assessment date (default: today)"),
    )
    p.add_argument(
        "--format",
        choices=tuple(formats),
        default=None,
        help=_("the report's format (default: the -o file's extension, e.g. .xlsx, else "
               "text)"),
    )
    p.set_defaults(formats=tuple(formats))
    p.add_argument("-o", "--output", metavar="FILE", help=_("write the report to FILE"))
    p.add_argument(
        "--csv-dialect",
        choices=CSV_DIALECTS,
        default=CSV_DIALECTS[0],
        help=_("--format csv: excel-ru (default: for Excel in Kazakhstan; UTF-8 with a BOM, "
               "';' between cells, a decimal comma), excel (BOM, ',', a decimal point) or "
               "plain (no BOM, ',', a point)"),
    )
    p.add_argument("--table", metavar="NAME",
                   help=_("--format csv or xlsx: only the table NAME (as CSV: one file, "
                          "which may go to standard output)"))  # fmt: skip


def add_privacy_options(p: argparse.ArgumentParser, claims_help: str | None) -> None:
    """``--suppress-below K`` (and ``--claims`` when ``claims_help`` is given)."""
    if claims_help is not None:
        p.add_argument("--claims", action="store_true", help=claims_help)
    p.add_argument(
        "--suppress-below",
        type=positive,
        metavar="K",
        help=_("for publication: blank every cell counting fewer than K claims (JSON: "
               "null), and say so in the report"),
    )


def add_jobs_option(p: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--jobs N``: the worker processes that evaluate, or do what ``help`` says
    (default: every usable core)."""
    p.add_argument("-j", "--jobs", type=positive, metavar="N",
                   help=help or _("evaluate on N processes (default: every usable core, or "
                          "$KZREHAB_JOBS); the results are the same for every N"))  # fmt: skip


def jobs_arg(args: argparse.Namespace) -> int:
    """The number of worker processes of a command: ``--jobs``, else
    :func:`kzrehab._pool.default_jobs`."""
    given: int | None = getattr(args, "jobs", None)
    if given is not None:
        return given
    from .._pool import default_jobs

    return default_jobs()


def progress_bars(args: argparse.Namespace, what: str) -> Callable[[int, int], None]:
    """A ``(done, total)`` callback that draws a bar of ``what`` on a terminal (a new bar
    each time the count starts again from 0, the previous one erased); call it with
    ``(0, 0)`` at the end to erase the last one."""
    from .._progress import Progress

    bars: list[Progress] = []

    def update(done: int, total: int) -> None:
        if done == 0 and bars:
            bars.pop().done()
        if total and not bars:
            bars.append(Progress(total, what, enabled=progress_wanted(args)))
        if bars:
            bars[0].update(done)

    return update


def progress_wanted(args: argparse.Namespace) -> bool:
    """Whether a progress bar may be drawn: not while a JSON report goes to standard
    output (the bar itself appears only when standard error is a terminal)."""
    return args.format != "json" or bool(args.output)


def as_of(args: argparse.Namespace) -> dt.date:
    """The assessment date of a command: ``--as-of`` or today."""
    value: dt.date | None = getattr(args, "as_of", None)
    return value or dt.date.today()


def load_population_arg(path: str | None, *, progress: bool = True) -> Population:
    """The population named by ``--population``, or the bundled reference population.

    When the reference population is not cached yet, standard error says so before the
    half a minute of work, and a progress bar is drawn on a terminal (unless ``progress``
    is false: a JSON report going to standard output).
    """
    from ..population import load_population

    if path is None:
        return _reference_population(progress)
    return load_population(path)


def _reference_population(progress: bool) -> Population:
    from .._io import cache_dir
    from ..population.reference import (
        REFERENCE_SIZE,
        reference_cacheable,
        reference_cached,
        reference_population,
    )

    if reference_cached():
        return reference_population()
    from .._progress import Progress

    folder = cache_dir() / "population"
    if reference_cacheable():
        said = _("kzrehab: making the synthetic reference population ({n} claims; once, about "
                 "half a minute); it is cached in {folder}")
    else:  # every run makes it again: say why, and how to stop that
        said = _("kzrehab: making the synthetic reference population ({n} claims; about half "
                 "a minute); it cannot be cached, because {folder} cannot be written: set "
                 "KZREHAB_CACHE to a folder you can write")
    print(said.format(n=number(REFERENCE_SIZE), folder=folder), file=sys.stderr, flush=True)
    with Progress(REFERENCE_SIZE, _("synthetic claims made"), enabled=progress) as bar:
        return reference_population(progress=bar.update)
#: the hint for ``explain LAW CLAIM_ID``
_CLAIM_FIRST = N_("CLAIM_ID comes first: kzrehab explain CLAIM_ID LAW…")


def claim_first(args: argparse.Namespace) -> None:
    """``explain drafts/current CLAIM``: the claim id names a path and no law does, so the
    arguments are in the wrong order; a :class:`UsageError` that says so."""
    if os.path.exists(args.claim_id) and not any(os.path.exists(law) for law in args.laws):
        raise UsageError(_("'{claim_id}' is a path, not a claim id: {hint}").format(
            claim_id=args.claim_id, hint=_(_CLAIM_FIRST)))


def find_claim(pop: Population, claim_id: str) -> Claim:
    """``pop.claim(claim_id)``; an id that is not found but names an existing path gets
    the hint that ``CLAIM_ID`` comes first."""
    try:
        return pop.claim(claim_id)
    except UsageError as exc:
        if not os.path.exists(claim_id):
            raise
        raise UsageError(f"{exc}; {_(_CLAIM_FIRST)}") from None


def load_framework_arg(refs: Sequence[str]) -> Framework:
    """The framework of the laws named on the command line."""
    from ..tracker.git import load_framework

    return load_framework(refs)


def emit_report(report: Report, args: argparse.Namespace,
                claims: Callable[[], Columns] | None = None) -> None:  # fmt: skip
    """Suppress small cells when asked, render in ``--format`` and write to ``-o`` or stdout;
    the table formats also get the per-claim rows that ``claims`` gives (``--claims``)."""
    k = getattr(args, "suppress_below", None)
    if k is not None and getattr(args, "claims", False):
        raise UsageError(_("--claims lists individual claims and cannot be combined with "
                           "--suppress-below, which prepares a report for publication"))
    shown = report.suppressed(k)
    if args.format in TABLE_FORMATS:
        listed = claims() if claims is not None and getattr(args, "claims", False) else None
        emit_tables(args, shown.title, shown.data, shown.original, listed)
        return
    emit(shown.render(args.format), args.output)


def emit_tables(args: argparse.Namespace, title: str, data: object, original: object,
                claims: Columns | None = None) -> None:  # fmt: skip
    """Write a report's tables in ``--format`` csv, xlsx or parquet
    (:func:`kzrehab.reports.spreadsheets.write_tables`)."""
    from ..reports.spreadsheets import write_tables

    write_tables(args.format, args.output, title=title, data=data, original=original,
                 claims=claims, dialect=args.csv_dialect, table=args.table,
                 stdout=sys.stdout.buffer)  # fmt: skip


#: the format each extension of ``-o`` names (a zip holds one CSV file per table)
EXTENSIONS = {".txt": "text", ".md": "md", ".html": "html", ".htm": "html", ".json": "json",
              ".csv": "csv", ".zip": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}  # fmt: skip


def format_of_output(args: argparse.Namespace) -> None:
    """Settle ``--format`` before any work: without it, the ``-o`` file's extension names
    the format (``report.xlsx``), else text; with it, an ``-o`` whose extension names
    another format is refused (exit 2), so that no file is written under a name that
    says what it is not. ``--format csv`` writes a zip unless ``--table`` picks one table.
    """
    if "formats" not in vars(args):
        return
    output = getattr(args, "output", None)
    suffix = Path(output).suffix.lower() if output else ""
    named = EXTENSIONS.get(suffix)
    if args.format is None:
        if named is not None and named not in args.formats:
            raise UsageError(_("-o {output}: this command does not write {suffix} files "
                               "(--format {formats})").format(
                output=output, suffix=suffix, formats="|".join(args.formats)))
        args.format = named or "text"
    elif named is not None and named != args.format:
        raise UsageError(_("-o {output} ends in {suffix}, but --format {format} writes "
                           "{writes}: name the file {name}").format(
            output=output, suffix=suffix, format=args.format, writes=_(_WRITES[args.format]),
            name=_(_SUFFIX[args.format])))
    if args.format == "csv" and output and suffix == ".csv" and not getattr(args, "table", None):
        raise UsageError(_("-o {output}: a report has several tables, written as a zip of "
                           "one CSV file per table: name the file .zip, or give --table NAME "
                           "for one table as CSV").format(output=output))
    if args.format == "csv" and suffix == ".zip" and getattr(args, "table", None):
        raise UsageError(_("-o {output}: --table {table} writes one CSV file, not a zip: "
                           "name the file .csv").format(output=output, table=args.table))


_WRITES = {"text": N_("plain text"), "md": N_("Markdown"), "html": N_("an HTML page"),
           "json": N_("JSON"),
           "csv": N_("a zip of one CSV file per table (or give --table NAME for one as CSV)"),
           "xlsx": N_("an XLSX workbook"),
           "parquet": N_("a Parquet file")}  # fmt: skip
_SUFFIX = {"text": ".txt", "md": ".md", "html": ".html", "json": ".json",
           "csv": N_(".zip (.csv with --table)"), "xlsx": ".xlsx", "parquet": ".parquet"}


def check_tables(args: argparse.Namespace) -> None:
    """Before any work: a table format that writes binary needs ``-o`` (never a terminal);
    Parquet needs ``--claims`` and the extra ``parquet``."""
    fmt = getattr(args, "format", None)
    if fmt == "parquet":
        _parquet_ready(args)
    if fmt not in TABLE_FORMATS or args.output or (fmt == "csv" and args.table):
        return
    raise UsageError(_("--format {format} writes {writes}, which is not written to standard "
                       "output: give -o FILE").format(format=fmt, writes=_(_WRITES[fmt])))


def _parquet_ready(args: argparse.Namespace) -> None:
    if not getattr(args, "claims", False):
        raise UsageError(_("--format parquet writes one row per claim: add --claims"))
    from .._extras import require

    require("pyarrow.parquet", "--format parquet")  # before any work, when it is missing


def emit(text: str, output: str | None) -> None:
    """Write a report to ``-o FILE`` (atomically) or to standard output."""
    if not text.endswith("\n"):
        text += "\n"
    if output:
        from .._io import write_atomic

        write_atomic(output, text)
    else:
        sys.stdout.write(text)


#: the arguments of every command that name its inputs (files or directories)
INPUT_ARGUMENTS = ("laws", "paths", "law", "others", "base", "with_", "against", "dir",
                   "population", "registry")  # fmt: skip

#: the folders of the cache directory where kzrehab keeps what it reads back
CACHE_FOLDERS = ("coverage", "records", "population")


def _inputs(args: argparse.Namespace) -> Iterable[tuple[str, Path]]:
    """(what, path) of every input a command line names, and of the cache's folders."""
    from .._io import cache_dir

    for name in INPUT_ARGUMENTS:
        value = getattr(args, name, None)
        for given in [value] if isinstance(value, str) else value or ():
            yield ("registry" if name in {"population", "registry"} else "draft"), Path(given)
    for folder in CACHE_FOLDERS:
        yield "cache", cache_dir() / folder


#: how the messages name an input file, and a directory of inputs
_NOUNS = {"draft": (N_("the draft"), N_("drafts")),
          "registry": (N_("the registry"), N_("a registry")),
          "cache": (N_("a cache file"), N_("kzrehab's cache"))}  # fmt: skip


def check_output(args: argparse.Namespace) -> None:
    """Refuse an ``-o`` that would replace an input of the command (exit 2).

    The output may not resolve (links followed) to an input file, to a file inside an input
    directory (a framework directory, a CSV registry directory) or inside the cache, nor be
    the same file as an input under another name (a hard link). Which kinds of file may be
    written at all (no link, device, FIFO or socket) is :func:`kzrehab._io.write_atomic`'s
    to say.
    """
    output = getattr(args, "output", None)
    if output:
        _not_an_input(args, output)
    format_of_output(args)  # after: "would overwrite an input" is the first thing to say
    check_tables(args)


def _not_an_input(args: argparse.Namespace, output: str) -> None:
    from .._io import refuse_target

    target = Path(os.path.abspath(output))
    refuse_target(target)  # before any work: a link, a device, a FIFO or a socket
    resolved = target.resolve()
    try:
        st = os.stat(target)
        identity: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        identity = None
    for what, given in _inputs(args):
        if not given.exists():
            continue
        where = given.resolve()
        if where.is_dir():
            if resolved.is_relative_to(where):
                raise UsageError(_("-o {output} lies inside {directory}, a directory this "
                                   "command reads ({what}): choose an output file "
                                   "elsewhere").format(output=output, directory=given,
                                                       what=_(_NOUNS[what][1])))
            continue
        same = resolved == where
        if not same and identity is not None:
            with_stat = os.stat(where)
            same = (with_stat.st_dev, with_stat.st_ino) == identity
        if not same and what == "registry" and where.suffix.lower() in (".csv", ".parquet"):
            # a CSV (Parquet) registry's events file is read with its claims file
            same = resolved == where.with_name(where.stem + ".events" + where.suffix.lower())
        if same:
            raise UsageError(_("-o {output} would overwrite {what} {path}, an input of this "
                               "command: choose another output file").format(
                output=output, what=_(_NOUNS[what][0]), path=given))
