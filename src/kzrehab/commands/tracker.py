"""The tracker: ``diff``, ``compare``, ``log``, ``status`` and ``explain --against``.

Coverages are evaluated through :class:`~kzrehab.tracker.cache.CoverageCache`, so what did
not change between revisions is not evaluated again; ``log`` and ``status`` are
:func:`kzrehab.log` and :func:`kzrehab.status`, rendered. Reports show aggregates; claim
ids and per-claim changes appear only with ``--claims``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..i18n import N_, _
from ._common import (
    CLAIM_FORMATS,
    TABLE_FORMATS,
    add_evaluating_options,
    add_jobs_option,
    add_privacy_options,
    as_of,
    emit,
    emit_report,
    emit_tables,
    find_claim,
    jobs_arg,
    load_population_arg,
    positive,
    progress_bars,
    progress_wanted,
)

if TYPE_CHECKING:
    from ..attribution import Comparison
    from ..coverage import Coverage
    from ..laws.framework import Framework
    from ..laws.provisions import Law
    from ..population import Population
    from ..reports.history import LogDocument, StatusDocument
    from ..tracker.cache import CoverageCache
    from ..tracker.git import GitStore


def register(sub: Any) -> None:
    p = sub.add_parser("diff", help=_("coverage of the same laws at two revisions"),
                       description=_("Compare the same laws at two git revisions (default "
                                     "--to: the working tree): transitions, breakdowns, "
                                     "changed provisions with redlines, and "
                                     "attribution."))  # fmt: skip
    p.add_argument("laws", nargs="+", metavar="LAW", help=_("draft files or directories"))
    p.add_argument("--from", dest="rev_from", required=True, metavar="REV",
                   help=_("the base revision (a hash, tag, branch, HEAD~1, ...)"))
    p.add_argument("--to", dest="rev_to", metavar="REV",
                   help=_("the head revision (default: the working tree)"))  # fmt: skip
    add_evaluating_options(p, CLAIM_FORMATS)
    add_privacy_options(p, _("list the claims that changed"))
    _add_gaps_option(p)
    add_jobs_option(p)
    p.set_defaults(run=run_diff)

    p = sub.add_parser("compare",
                       help=_("a base framework vs the base with bills or proposals"),
                       description=_("Compare the base framework with the base plus the given "
                                     "bills or proposals."))  # fmt: skip
    p.add_argument("--base", nargs="+", required=True, metavar="LAW",
                   help=_("the base laws"))  # fmt: skip
    p.add_argument("--with", dest="with_", nargs="+", required=True, metavar="LAW",
                   help=_("the laws added to the base (PATH or REV:PATH)"))
    add_evaluating_options(p, CLAIM_FORMATS)
    add_privacy_options(p, _("list the claims that changed"))
    _add_gaps_option(p)
    add_jobs_option(p)
    p.set_defaults(run=run_compare)

    p = sub.add_parser("log",
                       help=_("the tracker: coverage at every commit that touched the laws"))
    p.add_argument("laws", nargs="+", metavar="LAW", help=_("draft files or directories"))
    p.add_argument("-n", "--max-count", type=positive, metavar="N",
                   help=_("show the N newest commits only"))  # fmt: skip
    p.add_argument("--base", nargs="+", metavar="LAW",
                   help=_("measure the laws on top of these (e.g. the laws in force): each "
                          "commit's laws are evaluated together with them"))  # fmt: skip
    add_evaluating_options(p)
    add_privacy_options(p, None)
    add_jobs_option(p)
    p.set_defaults(run=run_log)

    p = sub.add_parser("status", help=_("every law under DIR and the coverage it adds"))
    p.add_argument("dir", nargs="?", default="drafts", metavar="DIR",
                   help=_("a directory of drafts (default: drafts/)"))
    add_evaluating_options(p)
    add_privacy_options(p, None)
    add_jobs_option(p)
    p.set_defaults(run=run_status)


def _add_gaps_option(p: Any) -> None:
    p.add_argument("--gaps", action="store_true",
                   help=_("also rank the unknown facts that would decide whether the head "
                          "helps the claims it may help (undetermined under the head, not "
                          "eligible under the base)"))  # fmt: skip


def _cache(arrays: bool = True) -> CoverageCache:
    from ..tracker.cache import CoverageCache

    return CoverageCache(arrays=arrays)


def _evaluators(pop: Population, args: argparse.Namespace
                ) -> tuple[Callable[[Framework], Coverage],
                           Callable[[Sequence[Framework]], None]]:  # fmt: skip
    """How a comparison evaluates: one framework through the cache, and several at once
    (the base and the head, then attribution's variants) on ``--jobs`` processes, with a
    progress bar for each batch."""
    cache, date, n = _cache(), as_of(args), jobs_arg(args)
    batches = iter((_("laws evaluated"), _("variants evaluated (attribution)")))

    def many(frameworks: Sequence[Framework]) -> None:
        bar = progress_bars(args, next(batches, None) or _("variants evaluated"))
        cache.evaluate_many(frameworks, pop, date, jobs=n, done=bar)
        bar(0, 0)

    return (lambda fw: cache.evaluate(fw, pop, date, jobs=n)), many


# -- diff and compare -------------------------------------------------------------------------


def run_diff(args: argparse.Namespace) -> int:
    from ..attribution import compare
    from ..laws.framework import Framework
    from ..laws.loader import load_laws
    from ..tracker.git import GitStore, require_git, split_ref

    for ref in args.laws:
        if split_ref(ref) is not None:
            raise UsageError(_("diff takes working-tree paths, not '{ref}': give the "
                               "revisions with --from and --to").format(ref=ref))
    require_git()  # before the population, which may take half a minute to make
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    with GitStore(args.laws[0]) as store:
        # a law that did not exist at a revision is an empty framework there: every
        # provision of it is added (or removed), and a notice says so
        missing = _absent(store, args.rev_from, args.laws)
        base = _laws_at(store, args.rev_from, args.laws, missing)
        notices = _notices(store, args.rev_from, missing, added=True)
        if args.rev_to is None:
            gone = [p for p in args.laws if p not in missing and not os.path.exists(p)]
            head = load_laws([p for p in args.laws if p not in gone])  # missing at both: an error
            notices += [_("{path} does not exist in the working tree: every provision of it "
                          "is removed").format(path=p) for p in gone]  # fmt: skip
        else:
            gone = _absent(store, args.rev_to, args.laws)
            for given in (p for p in missing if p in gone):
                store.files(args.rev_to, store.relative(given))  # the error, with a hint
            head = _laws_at(store, args.rev_to, args.laws, gone)
            notices += _notices(store, args.rev_to, gone, added=False)
    title = _("Diff of {laws}: {base} → {head}").format(
        laws=", ".join(args.laws), base=args.rev_from,
        head=args.rev_to or _("working tree"))  # fmt: skip
    evaluate, many = _evaluators(pop, args)
    bar = progress_bars(args, _("provisions measured (attribution)"))
    result = compare(Framework(base), Framework(head), pop, as_of(args), evaluate, prefetch=many,
                     progress=bar)
    bar(0, 0)
    _emit_comparison(result, title, args, notices)
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from ..attribution import compare
    from ..laws.framework import Framework
    from ..tracker.git import load_refs

    base = load_refs(args.base)  # before the population: a missing git fails fast
    added = load_refs(args.with_)
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    title = _("Comparison: {base} + {added}").format(base=", ".join(args.base),
                                                     added=", ".join(args.with_))
    evaluate, many = _evaluators(pop, args)
    bar = progress_bars(args, _("provisions measured (attribution)"))
    result = compare(Framework(base), Framework(base + added), pop, as_of(args), evaluate,
                     prefetch=many, progress=bar)  # fmt: skip
    bar(0, 0)
    _emit_comparison(result, title, args)
    return 0


def _absent(store: GitStore, rev: str, paths: list[str]) -> list[str]:
    """The paths that name no draft at ``rev`` (missing there, or no ``*.toml`` under)."""
    return [p for p in paths if not store.files(rev, store.relative(p), missing_ok=True)]


def _laws_at(store: GitStore, rev: str, paths: list[str], absent: list[str]) -> list[Law]:
    return [law for law, _ in store.laws_at(rev, [p for p in paths if p not in absent])]


#: the notice of a law missing at a revision: every provision of it is added, or removed
_ABSENT = {True: N_("{path} did not exist at revision {rev} ({commit}): every provision of it "
                    "is added"),
           False: N_("{path} did not exist at revision {rev} ({commit}): every provision of "
                     "it is removed")}  # fmt: skip


def _notices(store: GitStore, rev: str, absent: list[str], *, added: bool) -> list[str]:
    if not absent:
        return []
    short = store.commit(rev).hexsha[:7]
    return [_(_ABSENT[added]).format(path=p, rev=rev, commit=short) for p in absent]


def _emit_comparison(result: Comparison, title: str, args: argparse.Namespace,
                     notices: Sequence[str] = ()) -> None:  # fmt: skip
    import attrs

    from ..reports import Report
    from ..reports.data import comparison_data

    found = None
    if getattr(args, "gaps", False):
        from ..gaps import gaps
        from ..rules.values import TRUE, UNKNOWN

        base, head = result.base, result.head
        may_help = (head.status == UNKNOWN) & (base.status < TRUE)
        found = gaps(head.framework, head.population, head.as_of, among=may_help,
                     jobs=jobs_arg(args))
    # the table formats write the claims as the table of diff_claim_columns
    listed = args.claims and args.format not in TABLE_FORMATS
    data = comparison_data(result, claims=listed, gaps=found)
    if notices and data.laws_changed is not None:
        changed = data.laws_changed
        data = attrs.evolve(data, laws_changed=attrs.evolve(
            changed, notices=(*notices, *changed.notices)))  # fmt: skip
    emit_report(Report("comparison", title, data), args,
                claims=lambda: result.coverage.claim_columns())  # fmt: skip


# -- log and status -------------------------------------------------------------------------------


def _check_logged(paths: list[str]) -> None:
    """A path that does not exist and that no commit touched is a mistake, not a law with
    no history (a deleted law keeps its log): said before the population is made."""
    import os

    from .._suggest import did_you_mean_path
    from ..tracker.git import GitStore

    missing = [p for p in paths if not os.path.exists(p)]
    if not missing:
        return
    with GitStore(paths[0]) as store:  # the repository the log reads
        for path in missing:
            if store.last_change(store.relative(path)) is None:
                raise UsageError(_("{path}: no such file or directory, and no commit touched "
                                   "it{hint}").format(path=path, hint=did_you_mean_path(path)))


def run_log(args: argparse.Namespace) -> int:
    """``log``: :func:`kzrehab.tracker.history.log`, rendered."""
    from .._progress import Progress
    from ..tracker.git import require_git
    from ..tracker.history import log

    require_git()  # before the population, which may take half a minute to make
    _check_logged(args.laws)
    bar: list[Progress] = []

    def progress(done: int, total: int) -> None:
        if not bar:
            bar.append(Progress(total, _("commits evaluated"), enabled=progress_wanted(args)))
        bar[0].update(done)

    # a log keeps small records per commit and per step: a warm log reads only those, so
    # the coverages' arrays (megabytes each) are not written to disk
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    versions = progress_bars(args, _("population chunks measured (every version)"))
    doc = log(args.laws, base=args.base, population=pop,
              as_of=as_of(args), max_count=args.max_count, cache=_cache(arrays=False),
              progress=progress, jobs=jobs_arg(args), evaluating=versions)  # fmt: skip
    versions(0, 0)
    for b in bar:
        b.done()
    _emit_history(_("Log of {laws}").format(laws=", ".join(args.laws)), doc, args)
    return 0


def run_status(args: argparse.Namespace) -> int:
    """``status``: :func:`kzrehab.tracker.history.status`, rendered."""
    from ..tracker.git import require_git
    from ..tracker.history import status

    require_git()  # before the population, which may take half a minute to make
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    bar = progress_bars(args, _("laws evaluated"))
    doc = status(args.dir, population=pop, as_of=as_of(args),
                 cache=_cache(), jobs=jobs_arg(args), progress=bar)  # fmt: skip
    bar(0, 0)
    _emit_history(_("Status of {dir}").format(dir=args.dir), doc, args)
    return 0


def _emit_history(title: str, doc: LogDocument | StatusDocument, args: argparse.Namespace) -> None:
    """Suppress small cells when asked, render in ``--format`` and write the report."""
    from ..reports.history import LogDocument, suppress_log, suppress_status
    from ..reports.history_views import render

    k = args.suppress_below
    shown = doc
    if k is not None:
        shown = suppress_log(doc, k) if isinstance(doc, LogDocument) else suppress_status(doc, k)
    if args.format in TABLE_FORMATS:
        emit_tables(args, title, shown, doc if k is not None else None)
        return
    emit(render(title, shown, args.format), args.output)


# -- explain --against ----------------------------------------------------------------------------

#: the title of ``explain --against``'s report, by the claim's statuses under the laws and
#: under the others (one sentence each, so that each language words it as it must)
AGAINST_TITLES = {
    ("eligible", "eligible"): N_("Claim {id}: eligible against eligible"),
    ("eligible", "undetermined"): N_("Claim {id}: eligible against undetermined"),
    ("eligible", "ineligible"): N_("Claim {id}: eligible against ineligible"),
    ("undetermined", "eligible"): N_("Claim {id}: undetermined against eligible"),
    ("undetermined", "undetermined"): N_("Claim {id}: undetermined against undetermined"),
    ("undetermined", "ineligible"): N_("Claim {id}: undetermined against ineligible"),
    ("ineligible", "eligible"): N_("Claim {id}: ineligible against eligible"),
    ("ineligible", "undetermined"): N_("Claim {id}: ineligible against undetermined"),
    ("ineligible", "ineligible"): N_("Claim {id}: ineligible against ineligible"),
}


def run_explain_against(args: argparse.Namespace) -> int:
    """``explain CLAIM_ID LAW… --against LAW…``: why the claim's status differs."""
    from ..evaluation import evaluate_claim
    from ..reports import Report
    from ..reports.data import explain_against_data
    from ..tracker.git import load_framework

    fw, other = load_framework(args.laws), load_framework(args.against)
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    claim = find_claim(pop, args.claim_id)
    date = as_of(args)
    mine, theirs = evaluate_claim(fw, claim, date), evaluate_claim(other, claim, date)
    data = explain_against_data(fw, other, claim, mine, theirs, pop)
    title = _(AGAINST_TITLES[mine.status_name, theirs.status_name]).format(id=claim.id)
    emit_report(Report("explain-against", title, data), args)
    return 0
