"""The tracker: ``diff``, ``compare``, ``log``, ``status`` and ``explain --against``.

Coverages are evaluated through :class:`~kzrehab.cache.CoverageCache`, so what did not
change between revisions is not evaluated again. Reports show aggregates; claim ids and
per-claim changes appear only with ``--claims``.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import KzrehabError, UsageError
from ._common import (
    add_evaluating_options,
    add_privacy_options,
    as_of,
    emit_report,
    load_population_arg,
    positive,
    progress_wanted,
)

if TYPE_CHECKING:
    from ..cache import CoverageCache
    from ..comparison import Comparison
    from ..coverage import Coverage
    from ..laws.framework import Framework
    from ..laws.provisions import Law
    from ..population import Population

_ORDER = ("eligible", "undetermined", "ineligible")


def register(sub: Any) -> None:
    p = sub.add_parser("diff", help="coverage of the same laws at two revisions",
                       description="Compare the same laws at two git revisions (default --to: "
                                   "the working tree): transitions, breakdowns, changed "
                                   "provisions with redlines, and attribution.")  # fmt: skip
    p.add_argument("laws", nargs="+", metavar="LAW", help="draft files or directories")
    p.add_argument("--from", dest="rev_from", required=True, metavar="REV",
                   help="the base revision (a hash, tag, branch, HEAD~1, ...)")
    p.add_argument("--to", dest="rev_to", metavar="REV",
                   help="the head revision (default: the working tree)")  # fmt: skip
    add_evaluating_options(p)
    add_privacy_options(p, "list the claims that changed")
    _add_gaps_option(p)
    p.set_defaults(run=run_diff)

    p = sub.add_parser("compare", help="a base framework vs the base with bills or proposals",
                       description="Compare the base framework with the base plus the given "
                                   "bills or proposals.")  # fmt: skip
    p.add_argument("--base", nargs="+", required=True, metavar="LAW", help="the base laws")
    p.add_argument("--with", dest="with_", nargs="+", required=True, metavar="LAW",
                   help="the laws added to the base (PATH or REV:PATH)")
    add_evaluating_options(p)
    add_privacy_options(p, "list the claims that changed")
    _add_gaps_option(p)
    p.set_defaults(run=run_compare)

    p = sub.add_parser("log", help="the tracker: coverage at every commit that touched the laws")
    p.add_argument("laws", nargs="+", metavar="LAW", help="draft files or directories")
    p.add_argument("-n", "--max-count", type=positive, metavar="N",
                   help="show the N newest commits only")  # fmt: skip
    p.add_argument("--base", nargs="+", metavar="LAW",
                   help="measure the laws on top of these (e.g. the laws in force): each "
                        "commit's laws are evaluated together with them")  # fmt: skip
    add_evaluating_options(p)
    add_privacy_options(p, None)
    p.set_defaults(run=run_log)

    p = sub.add_parser("status", help="every law under DIR and the coverage it adds")
    p.add_argument("dir", nargs="?", default="drafts", metavar="DIR",
                   help="a directory of drafts (default: drafts/)")
    add_evaluating_options(p)
    add_privacy_options(p, None)
    p.set_defaults(run=run_status)


def _add_gaps_option(p: Any) -> None:
    p.add_argument("--gaps", action="store_true",
                   help="also rank the unknown facts that would decide whether the head helps "
                        "the claims it may help (undetermined under the head, not eligible "
                        "under the base)")  # fmt: skip


def _cache(arrays: bool = True) -> CoverageCache:
    from ..cache import CoverageCache

    return CoverageCache(arrays=arrays)


def _evaluator(pop: Population, args: argparse.Namespace) -> Callable[[Framework], Coverage]:
    cache, date = _cache(), as_of(args)
    return lambda fw: cache.evaluate(fw, pop, date)


# -- diff and compare -------------------------------------------------------------------------


def run_diff(args: argparse.Namespace) -> int:
    from ..comparison import compare
    from ..gitstore import GitStore, split_ref
    from ..laws.framework import Framework
    from ..laws.loader import load_laws

    for ref in args.laws:
        if split_ref(ref) is not None:
            raise UsageError(f"diff takes working-tree paths, not '{ref}': "
                             "give the revisions with --from and --to")  # fmt: skip
    pop = load_population_arg(args.population)
    with GitStore(args.laws[0]) as store:
        base = [law for law, _ in store.laws_at(args.rev_from, args.laws)]
        if args.rev_to is None:
            head = load_laws(args.laws)
        else:
            head = [law for law, _ in store.laws_at(args.rev_to, args.laws)]
    title = f"Diff of {', '.join(args.laws)}: {args.rev_from} → {args.rev_to or 'working tree'}"
    result = compare(Framework(base), Framework(head), pop, as_of(args), _evaluator(pop, args))
    _emit_comparison(result, title, args)
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from ..comparison import compare
    from ..gitstore import load_refs
    from ..laws.framework import Framework

    pop = load_population_arg(args.population)
    base = load_refs(args.base)
    added = load_refs(args.with_)
    title = f"Comparison: {', '.join(args.base)} + {', '.join(args.with_)}"
    result = compare(Framework(base), Framework(base + added), pop, as_of(args),
                     _evaluator(pop, args))  # fmt: skip
    _emit_comparison(result, title, args)
    return 0


def _emit_comparison(result: Comparison, title: str, args: argparse.Namespace) -> None:
    from ..reports import Report
    from ..reports.data import comparison_data

    found = None
    if getattr(args, "gaps", False):
        from ..gaps import gaps

        base, head = result.base, result.head
        may_help = (head.status == 1) & (base.status < 2)
        found = gaps(head.framework, head.population, head.as_of, among=may_help)
    data = comparison_data(result, claims=args.claims, gaps=found)
    emit_report(Report("comparison", title, data), args)


# -- log ----------------------------------------------------------------------------------------


def _status_change(new: dict[str, int] | None, old: dict[str, int] | None
                   ) -> dict[str, int] | None:  # fmt: skip
    if new is None:
        return None
    if old is None:
        return dict(new)
    return {k: new[k] - old[k] for k in new}


def _valid_status(value: object) -> bool:
    return (isinstance(value, dict) and sorted(value) == sorted(_ORDER)
            and all(type(v) is int for v in value.values()))  # fmt: skip


def _valid_entry(value: dict[str, Any]) -> bool:
    return (_valid_status(value.get("status")) and isinstance(value.get("versions"), dict)
            and isinstance(value.get("laws"), dict)
            and isinstance(value.get("rules"), list))  # fmt: skip


def _valid_step(value: dict[str, Any]) -> bool:
    return all(type(value.get(k)) is int for k in ("gained", "lost"))


def run_log(args: argparse.Namespace) -> int:
    """``log``: a commit's status counts are keyed by its drafts' blob ids, then by the laws'
    content (so rewordings share an entry), then by the amended framework's content; the
    gains and losses from one commit to the next by the two commits' contents."""
    from .._progress import Progress
    from ..cache import law_key
    from ..comparison import diff
    from ..gitstore import GitStore, load_refs
    from ..laws.framework import Framework
    from ..reports import Report

    pop = load_population_arg(args.population)
    # a log keeps small records per commit and per step: a warm log reads only those, so
    # the coverages' arrays (megabytes each) are not written to disk
    cache, date = _cache(arrays=False), as_of(args)
    base = load_refs(args.base) if args.base else []
    base_keys = sorted(law_key(law) for law in base)
    rules_of_blob: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    with GitStore(args.laws[0]) as store:
        relpaths = [store.relative(p) for p in args.laws]
        commits = store.log(relpaths, args.max_count)
        progress = Progress(len(commits), "commits evaluated",
                            enabled=progress_wanted(args))

        def load(rev: str, files: list[tuple[str, Any]]) -> list[tuple[Law, str]]:
            loaded = [(store.law(rev, path, blob), blob.hexsha) for path, blob in files]
            for law, blob in loaded:
                if blob not in rules_of_blob:
                    rules_of_blob[blob] = law_key(law)
            return loaded

        def by_content(rev: str, files: list[tuple[str, Any]]) -> dict[str, Any]:
            loaded = load(rev, files)
            laws = [law for law, _ in loaded]

            def evaluate() -> dict[str, Any]:
                return {"status": cache.evaluate(Framework([*base, *laws]), pop, date).counts()}

            rules = sorted(rules_of_blob[blob] for _, blob in loaded)
            status = cache.record(["rules", *base_keys, "|", *rules], pop, date, evaluate,
                                  lambda v: _valid_status(v.get("status")))["status"]
            return {"status": status, "versions": {law.id: law.version for law in laws},
                    "laws": {law.id: blob for law, blob in loaded}, "rules": rules}  # fmt: skip

        def entry_at(rev: str, *, parent: bool = False) -> dict[str, Any] | None:
            """The laws' state at a commit: status, versions, blobs, rules (for a parent
            that holds none of the files, None: nothing before)."""
            files: dict[str, Any] = {}
            for rel in relpaths:
                files.update(store.files(rev, rel, missing_ok=True))
            if parent and not files:
                return None
            entry = cache.record(
                ["blobs", *base_keys, "|", *sorted(b.hexsha for b in files.values())], pop,
                date, functools.partial(by_content, rev, list(files.items())), _valid_entry,
            )  # fmt: skip
            return {**entry, "_files": (rev, list(files.items()))}

        def framework(state: dict[str, Any] | None) -> Framework:
            if state is None:
                return Framework(base)
            rev, files = state["_files"]
            return Framework([*base, *(law for law, _ in load(rev, files))])

        def step(new: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any] | None:
            """Claims that gain and lose from the parent's laws (or the base alone) to these."""
            if old is None and not base:
                return None  # nothing before, measured alone: nothing to compare with
            if old is not None and old["rules"] == new["rules"]:
                return {"gained": 0, "lost": 0}  # the same rules: a rewording moves no one

            def compute() -> dict[str, Any]:
                d = diff(cache.evaluate(framework(old), pop, date),
                         cache.evaluate(framework(new), pop, date))
                return {"gained": d.gained, "lost": d.lost}

            old_rules = old["rules"] if old is not None else []
            return cache.record(["step", *base_keys, "|", *old_rules, "|", *new["rules"]],
                                pop, date, compute, _valid_step)  # fmt: skip

        progress.update(0)
        for c in commits:
            row: dict[str, Any] = {"commit": c.hexsha, "date": c.date.isoformat(),
                                   "author": c.author, "message": c.message}  # fmt: skip
            try:
                entry = entry_at(c.hexsha)
                assert entry is not None
                row.update(status=entry["status"], versions=entry["versions"])
            except KzrehabError as err:
                row.update(status=None, error=str(err), change=None, gained=None, lost=None,
                           changed=[])  # fmt: skip
                rows.append(row)
                progress.advance()
                continue
            # each commit against its first parent: on a branchy history the row below is
            # not necessarily its parent
            try:
                parent = entry_at(c.parent, parent=True) if c.parent is not None else None
            except KzrehabError:
                row.update(change=None, gained=None, lost=None)
                parent = None
            else:
                row["change"] = _status_change(entry["status"],
                                               None if parent is None else parent["status"])
                try:
                    moved = step(entry, parent)
                except KzrehabError:
                    moved = None
                row["gained"] = None if moved is None else moved["gained"]
                row["lost"] = None if moved is None else moved["lost"]
            before = parent["laws"] if parent is not None else {}
            row["changed"] = [f"{law} {entry['versions'][law]}".strip()
                              for law, blob in entry["laws"].items()
                              if before.get(law) != blob]  # fmt: skip
            rows.append(row)
            progress.advance()
        progress.done()
    from ..coverage import SCHEMA, population_json

    doc = {"schema": SCHEMA, "as_of": as_of(args).isoformat(),
           "population": population_json(pop), "laws": list(args.laws),
           "base": list(args.base) if args.base else None,
           "commits": [{k: r.get(k) for k in ("commit", "date", "author", "message", "versions",
                                              "changed", "status", "change", "gained", "lost",
                                              "error")
                        if k in r} for r in rows]}  # fmt: skip
    emit_report(Report("log", f"Log of {', '.join(args.laws)}", doc), args)
    return 0


# -- status -------------------------------------------------------------------------------------


def run_status(args: argparse.Namespace) -> int:
    from ..comparison import diff
    from ..coverage import SCHEMA, population_json
    from ..laws.framework import Framework
    from ..laws.loader import expand_paths, load_law_file
    from ..reports import Report

    pop = load_population_arg(args.population)
    evaluate = _evaluator(pop, args)
    files = expand_paths([args.dir])
    laws: list[tuple[str, Law]] = [(str(f), load_law_file(f)) for f in files]
    in_force = [law for _, law in laws if law.status == "in-force"]
    store = _store_or_none(args.dir)
    rows: list[dict[str, Any]] = []
    try:
        for file, law in laws:
            row: dict[str, Any] = {"id": law.id, "file": file, "kind": law.kind,
                                   "status": law.status, "version": law.version,
                                   "last_change": None, "uncommitted": True}  # fmt: skip
            if store is not None:
                with_store(store, file, row)
            if law.status == "in-force":
                base = [x for x in in_force if x is not law]
                head = in_force
            else:
                base, head = in_force, [*in_force, law]
            try:
                d = diff(evaluate(Framework(base)), evaluate(Framework(head)))
                b, h = d.base.counts(), d.head.counts()
                row["adds"] = {"gained": d.gained, "lost": d.lost,
                               "eligible": h["eligible"] - b["eligible"],
                               "undetermined": h["undetermined"] - b["undetermined"]}  # fmt: skip
            except KzrehabError as err:
                row["adds"], row["error"] = None, str(err)
            rows.append(row)
    finally:
        if store is not None:
            store.close()
    doc = {"schema": SCHEMA, "as_of": as_of(args).isoformat(),
           "population": population_json(pop), "directory": args.dir,
           "in_force": [law.id for law in in_force], "laws": rows}  # fmt: skip
    emit_report(Report("status", f"Status of {args.dir}", doc), args)
    return 0


def _store_or_none(directory: str) -> Any:
    from ..gitstore import GitStore

    try:
        return GitStore(directory)
    except KzrehabError:
        return None


def with_store(store: Any, file: str, row: dict[str, Any]) -> None:
    """Fill in a status row's last change and whether the file has uncommitted changes."""
    last = store.last_change(store.relative(file))
    if last is not None:
        row["last_change"] = {"commit": last.hexsha, "date": last.date.isoformat(),
                              "author": last.author, "message": last.message}  # fmt: skip
    row["uncommitted"] = store.uncommitted(file)


# -- explain --against ----------------------------------------------------------------------------


def run_explain_against(args: argparse.Namespace) -> int:
    """``explain CLAIM_ID LAW… --against LAW…``: why the claim's status differs."""
    from ..evaluation import evaluate_claim
    from ..laws.framework import load_framework
    from ..reports import Report
    from ..reports.data import explain_against_data

    fw, other = load_framework(args.laws), load_framework(args.against)
    pop = load_population_arg(args.population)
    claim = pop.claim(args.claim_id)
    date = as_of(args)
    mine, theirs = evaluate_claim(fw, claim, date), evaluate_claim(other, claim, date)
    data = explain_against_data(fw, other, claim, mine, theirs, pop)
    title = f"Claim {claim.id}: {mine.status_name} against {theirs.status_name}"
    emit_report(Report("explain-against", title, data), args)
    return 0
