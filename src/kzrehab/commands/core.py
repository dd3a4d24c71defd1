"""``check``, ``coverage`` and ``explain``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _, ngettext, number
from ._common import (
    CLAIM_FORMATS,
    TABLE_FORMATS,
    add_evaluating_options,
    add_jobs_option,
    add_privacy_options,
    as_of,
    claim_first,
    emit_report,
    find_claim,
    jobs_arg,
    load_framework_arg,
    load_population_arg,
    progress_wanted,
)

if TYPE_CHECKING:
    from ..coverage import Coverage, CoverageSummary

#: the title of ``explain``'s report, by the claim's status
EXPLAIN_TITLES = {"eligible": N_("Claim {id}: eligible"),
                  "undetermined": N_("Claim {id}: undetermined"),
                  "ineligible": N_("Claim {id}: ineligible")}  # fmt: skip

#: claims evaluated at a time by ``coverage`` (memory stays bounded; one progress step each)
CHUNK = 1_000_000


def register(sub: Any) -> None:
    p = sub.add_parser("check", help=_("validate and lint draft files"),
                       description=_("Validate draft files (errors: exit 2) and lint them "
                                     "(findings: exit 1)."))  # fmt: skip
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("draft files or directories"))
    p.add_argument("--languages", action="store_true",
                   help=_("also list, for each law, its texts in each language (kk, ru, en) "
                          "and which are marked as the official wording"))  # fmt: skip
    p.set_defaults(run=run_check)

    p = sub.add_parser("coverage", help=_("coverage of a framework over a population"))
    p.add_argument("laws", nargs="+", metavar="LAW", help=_("draft files or directories"))
    add_evaluating_options(p, CLAIM_FORMATS)
    add_privacy_options(p, _("include per-claim results"))
    add_jobs_option(p)
    p.set_defaults(run=run_coverage)

    p = sub.add_parser("explain",
                       help=_("why a claim is (not) eligible, provision by provision"))
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("laws", nargs="+", metavar="LAW")
    p.add_argument(
        "--against",
        nargs="+",
        metavar="LAW",
        help=_("explain why the claim's status differs under these laws"),
    )
    add_evaluating_options(p)
    p.set_defaults(run=run_explain)

    p = sub.add_parser("gaps",
                       help=_("which unknown facts would decide the undetermined claims"),
                       description=_("Rank the unknown facts by how many undetermined claims "
                                     "some value of theirs would settle (evidence "
                                     "priorities)."))  # fmt: skip
    p.add_argument("laws", nargs="+", metavar="LAW", help=_("draft files or directories"))
    p.add_argument("--by", choices=("status", "category", "component"), default="status",
                   help=_("rank for the status (default), each category or each component"))
    add_evaluating_options(p)
    add_privacy_options(p, None)
    add_jobs_option(p)
    p.set_defaults(run=run_gaps)


def run_check(args: argparse.Namespace) -> int:
    from ..evaluation import check_amounts

    fw = load_framework_arg(args.paths)
    check_amounts(fw)
    from ..lint import lint

    findings = lint(fw)
    for f in findings:
        print(_("warning: {finding}").format(finding=f))
    if args.languages:
        for law in fw.laws:  # as amended: a replaced text has lost its translations
            print(languages_line(law))
    n, k = len(fw.laws), len(findings)
    found = (ngettext("{n} finding", "{n} findings", k).format(n=number(k)) if k
             else _("no findings"))  # fmt: skip
    print(ngettext("checked {n} law: {findings}", "checked {n} laws: {findings}", n)
          .format(n=number(n), findings=found))
    return 1 if findings else 0


def languages_line(law: Any) -> str:
    """``ID: kk 6 texts (official: title); ru 6 texts (none official); en 33 texts (…)``:
    how many of the law's texts are given in each language, and which are official."""
    from ..languages import LANGUAGES
    from ..laws.provisions import texts_of

    texts = list(texts_of(law))
    parts = []
    for lang in LANGUAGES:
        given = [where for where, w in texts if w.get(lang) is not None]
        if not given:
            continue
        official = [where for where, w in texts if lang in w.official]
        mark = (_("official: {texts}").format(texts=", ".join(official)) if official
                else _("none official"))  # fmt: skip
        parts.append(ngettext("{lang} {n} of {total} text ({official})",
                              "{lang} {n} of {total} texts ({official})", len(texts))
                     .format(lang=lang, n=number(len(given)), total=number(len(texts)),
                             official=mark))
    return f"{law.id}: {'; '.join(parts)}"


def run_coverage(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate, summarize
    from ..reports import Report
    from ..reports.data import coverage_data

    fw = load_framework_arg(args.laws)
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    # without --claims only the summaries are needed: memory stays bounded by one chunk
    date = as_of(args)
    from .._progress import Progress

    with Progress(len(pop), _("claims evaluated"), enabled=progress_wanted(args)) as bar:
        if args.claims:
            cov: Coverage | CoverageSummary = evaluate(fw, pop, date, chunk=CHUNK,
                                                       jobs=jobs_arg(args), progress=bar.update)
        else:
            cov = summarize(fw, pop, date, chunk=CHUNK, progress=bar.update,
                            jobs=jobs_arg(args))  # fmt: skip
    title = _("Coverage of {laws}").format(laws=" + ".join(law.id for law in fw.laws))
    # the table formats write the claims as the table of claim_columns, not as the JSON's
    listed = args.claims and args.format not in TABLE_FORMATS
    emit_report(Report("coverage", title, coverage_data(cov, claims=listed)), args,
                claims=lambda: _claim_columns(cov))  # fmt: skip
    return 0


def _claim_columns(cov: Coverage | CoverageSummary) -> Any:
    from ..coverage import Coverage

    assert isinstance(cov, Coverage), "--claims evaluates every claim"
    return cov.claim_columns()


def run_explain(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate_claim
    from ..reports import Report
    from ..reports.data import explain_data
    from ..rules.values import K

    claim_first(args)
    if args.against:
        from .tracker import run_explain_against

        return run_explain_against(args)

    fw = load_framework_arg(args.laws)
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    claim = find_claim(pop, args.claim_id)
    result = evaluate_claim(fw, claim, as_of(args))
    found = None
    if result.status is K.UNKNOWN or K.UNKNOWN in result.components.values():
        from ..gaps import deciders

        found = deciders(fw, claim, as_of(args))
    data = explain_data(fw, claim, result, pop, found)
    title = _(EXPLAIN_TITLES[result.status_name]).format(id=claim.id)
    emit_report(Report("explain", title, data), args)
    return 0


def run_gaps(args: argparse.Namespace) -> int:
    from ..gaps import gaps
    from ..reports import Report
    from ..reports.data import gaps_data

    fw = load_framework_arg(args.laws)
    pop = load_population_arg(args.population, progress=progress_wanted(args))
    result = gaps(fw, pop, as_of(args), by=args.by, jobs=jobs_arg(args))
    title = _("Evidence priorities for {laws}").format(
        laws=" + ".join(law.id for law in fw.laws))
    emit_report(Report("gaps", title, gaps_data(result)), args)
    return 0
