"""The tracker: ``diff``, ``compare``, ``log``, ``status`` and ``explain --against``.

Coverages are evaluated through :class:`~kzrehab.cache.CoverageCache`, so what did not
change between revisions is not evaluated again. Reports show aggregates; claim ids and
per-claim changes appear only with ``--claims``.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import KzrehabError, UsageError
from ._common import add_evaluating_options, as_of, emit, load_population_arg

if TYPE_CHECKING:
    from ..cache import CoverageCache
    from ..coverage import Coverage
    from ..diff import Comparison
    from ..laws.framework import ClaimResult, Framework
    from ..laws.model import Law
    from ..population import Population

FORMATS = ("text", "md", "json")
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
    add_evaluating_options(p, FORMATS)
    p.add_argument("--claims", action="store_true", help="list the claims that changed")
    p.set_defaults(run=run_diff)

    p = sub.add_parser("compare", help="a base framework vs the base with bills or proposals",
                       description="Compare the base framework with the base plus the given "
                                   "bills or proposals.")  # fmt: skip
    p.add_argument("--base", nargs="+", required=True, metavar="LAW", help="the base laws")
    p.add_argument("--with", dest="with_", nargs="+", required=True, metavar="LAW",
                   help="the laws added to the base (PATH or REV:PATH)")
    add_evaluating_options(p, FORMATS)
    p.add_argument("--claims", action="store_true", help="list the claims that changed")
    p.set_defaults(run=run_compare)

    p = sub.add_parser("log", help="the tracker: coverage at every commit that touched the laws")
    p.add_argument("laws", nargs="+", metavar="LAW", help="draft files or directories")
    p.add_argument("-n", "--max-count", type=_positive, metavar="N",
                   help="show the N newest commits only")  # fmt: skip
    add_evaluating_options(p, FORMATS)
    p.set_defaults(run=run_log)

    p = sub.add_parser("status", help="every law under DIR and the coverage it adds")
    p.add_argument("dir", nargs="?", default="drafts", metavar="DIR",
                   help="a directory of drafts (default: drafts/)")
    add_evaluating_options(p, FORMATS)
    p.set_defaults(run=run_status)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _cache() -> CoverageCache:
    from ..cache import CoverageCache

    return CoverageCache()


def _evaluator(pop: Population, args: argparse.Namespace) -> Callable[[Framework], Coverage]:
    cache, date = _cache(), as_of(args)
    return lambda fw: cache.evaluate(fw, pop, date)


def _heading(text: str, markdown: bool, level: int = 2) -> str:
    if markdown:
        return f"{'#' * level} {text}"
    return f"{text}\n{('=' if level == 1 else '-') * len(text)}"


def _population_line(cov: Coverage) -> str:
    p = cov.population
    kind = "SYNTHETIC population" if p.synthetic else "population"
    return (f"{kind} '{p.name}': {len(p):,} claims, {p.victims:,} victims, {p.events:,} events "
            f"(digest {p.digest[:12]})")  # fmt: skip


def _signed(n: int | None) -> str:
    return "—" if n is None else f"{n:+,}"


def _laws_line(fw: Framework) -> str:
    return "; ".join(f"{law.id} ({law.version or law.status}; {law.ref})" for law in fw.laws) or "—"


# -- diff and compare -------------------------------------------------------------------------


def run_diff(args: argparse.Namespace) -> int:
    from ..diff import compare
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
    from ..diff import compare
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
    if args.format == "json":
        text = json.dumps(result.to_json(claims=args.claims), indent=2, ensure_ascii=False)
    else:
        text = comparison_text(result, title, args.format == "md", args.claims)
    emit(text, args.output)


def _range(r: dict[str, Any] | None) -> str:
    from ..reports import money

    if r is None:
        return "—"
    return money(r["min"]) if r["min"] == r["max"] else f"{money(r['min'])} … {money(r['max'])}"


def comparison_text(result: Comparison, title: str, markdown: bool, claims: bool) -> str:
    """The text or Markdown report of ``diff`` and ``compare``."""
    from ..lawdiff import render_redline
    from ..reports import table

    cd, base, head = result.coverage, result.base, result.head
    b, h = base.counts(), head.counts()
    out = [
        _heading(title, markdown, 1), "",
        f"Assessment date: {head.as_of.isoformat()}",
        _population_line(head),
        f"Base: {_laws_line(base.framework)}",
        f"Head: {_laws_line(head.framework)}",
        "", _heading("Status", markdown), "",
        table(["status", "base", "head", "change"],
              [[s, f"{b[s]:,}", f"{h[s]:,}", _signed(h[s] - b[s])] for s in _ORDER], markdown),
        "",
        f"Coverage: {b['eligible']:,} … {b['eligible'] + b['undetermined']:,} → "
        f"{h['eligible']:,} … {h['eligible'] + h['undetermined']:,} claims "
        "(eligible … eligible + undetermined)",
        f"Gained: {cd.gained:,} claims; lost: {cd.lost:,} claims",
        "", _heading("Transitions", markdown), "",
        table(["from", "to", "claims"],
              [[t.from_, t.to, f"{t.claims:,}"] for t in cd.transitions()
               if t.claims and t.from_ != t.to] or [["—", "—", "0"]], markdown),
        "", _heading("By category", markdown), "",
        table(["category", "base eligible", "base undetermined", "head eligible",
               "head undetermined"],
              [[r["category"], f"{r['base']['eligible']:,}", f"{r['base']['undetermined']:,}",
                f"{r['head']['eligible']:,}", f"{r['head']['undetermined']:,}"]
               for r in cd.by_category()], markdown),
        "", _heading("By component", markdown), "",
        table(["component", "kind", "base claims", "head claims", "base amount (KZT)",
               "head amount (KZT)"],
              [[r["component"], r["kind"], f"{r['base']['claims']:,}",
                f"{r['head']['claims']:,}", _range(r["base"]["amount"]),
                _range(r["head"]["amount"])] for r in cd.by_component()], markdown),
    ]  # fmt: skip
    unbounded = [r["component"] for r in cd.by_component()
                 if r["base"]["unbounded"] or r["head"]["unbounded"]]  # fmt: skip
    if unbounded:
        out += ["", "Amounts leave out claims whose amount has no upper bound: "
                + ", ".join(unbounded)]  # fmt: skip
    rows = {r.provision: r for r in result.attribution}
    changes = result.provisions()
    out += ["", _heading("Changed provisions and attribution", markdown), ""]
    if changes:
        out.append(table(
            ["provision", "change", "gained", "lost"],
            [[i, c, *(("—", "—") if rows[i].gained is None else
                      (f"{rows[i].gained:,}", f"{rows[i].lost:,}"))] for i, c in changes]
            + [["interaction", "", f"{rows['interaction'].gained:,}",
                f"{rows['interaction'].lost:,}"]], markdown))  # fmt: skip
        out += ["", "gained/lost: the claims whose status rises/falls when only that provision "
                "changes; interaction: the changes no single provision reproduces."]
    else:
        out.append("No provision changed.")
    for ld in result.laws:
        if ld.status == "unchanged":
            continue
        out += ["", _heading(f"{ld.id} ({ld.status})", markdown, 3), ""]
        for f in ld.metadata:
            out.append(f"- {f.field}: {f.old} → {f.new}")
        for a in ld.articles:
            label = (f"article {a.base_number} → {a.head_number}" if a.base_number
                     and a.head_number and a.base_number != a.head_number
                     else f"article {a.head_number or a.base_number}")  # fmt: skip
            out.append(f"- {label}: {a.change}")
            if a.text_redline:
                out.append(f"  > {render_redline(a.text_redline, markdown)}")
        for p in ld.provisions:
            out.append(f"- {p.type} {p.id}: {p.change}")
            for fc in p.fields:
                out += _was_now(fc.field, fc.old, fc.new, markdown)
            if p.text_redline and not p.inherited_text:
                out.append(f"  > {render_redline(p.text_redline, markdown)}")
        for n in (*ld.parameters, *ld.definitions):
            out.append(f"- {n.id}: {n.change}")
            out += _was_now("value", n.old, n.new, markdown)
    notices = list(dict.fromkeys([*base.framework.notices, *head.framework.notices]))
    if notices:
        out += ["", _heading("Notices", markdown), ""] + [f"- {m}" for m in notices]
    if claims:
        out += ["", _heading("Claims that changed", markdown), ""]
        changed = cd.claim_changes()
        out.append(table(
            ["claim", "from", "to", "categories", "components"],
            [[c.id, c.base, c.head,
              " ".join([*(f"+{x}" for x in c.categories_added),
                        *(f"-{x}" for x in c.categories_removed)]) or "—",
              " ".join([*(f"+{x}" for x in c.components_added),
                        *(f"-{x}" for x in c.components_removed),
                        *(f"~{x}" for x, _, _ in c.amounts)]) or "—"]
             for c in changed] or [["—", "", "", "", ""]], markdown))  # fmt: skip
    return "\n".join(out) + "\n"


def _was_now(field: str, old: str | None, new: str | None, markdown: bool) -> list[str]:
    """A changed value: ``- old`` / ``+ new`` lines (Markdown: struck out and code)."""
    if markdown:
        was = f"~~`{old}`~~ → " if old is not None else ""
        now = f"`{new}`" if new is not None else "(none)"
        return [f"  - {field}: {was}{now}"]
    out = [f"    {field}:"]
    if old is not None:
        out.append(f"      - {old}")
    if new is not None:
        out.append(f"      + {new}")
    return out


# -- log ----------------------------------------------------------------------------------------


def _status_change(new: dict[str, int] | None, old: dict[str, int] | None
                   ) -> dict[str, int] | None:  # fmt: skip
    if new is None:
        return None
    if old is None:
        return dict(new)
    return {k: new[k] - old[k] for k in new}


class _Progress:
    """A one-line progress indicator on a terminal's standard error; nothing in a pipe."""

    def __init__(self, total: int, what: str) -> None:
        self.total, self.what = total, what
        self.on = sys.stderr.isatty() and total > 1

    def step(self, i: int) -> None:
        if self.on:
            sys.stderr.write(f"\r{self.what} {i}/{self.total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * (len(self.what) + 24) + "\r")
            sys.stderr.flush()


def _valid_status(value: object) -> bool:
    return (isinstance(value, dict) and sorted(value) == sorted(_ORDER)
            and all(type(v) is int for v in value.values()))  # fmt: skip


def _valid_entry(value: dict[str, Any]) -> bool:
    return (_valid_status(value.get("status")) and isinstance(value.get("versions"), dict)
            and isinstance(value.get("laws"), dict))  # fmt: skip


def run_log(args: argparse.Namespace) -> int:
    """``log``: a commit's status counts are keyed by its drafts' blob ids, then by the laws'
    content (so rewordings share an entry), then by the amended framework's content."""
    from ..cache import law_key
    from ..diff import status_framework
    from ..gitstore import GitStore
    from ..laws.framework import Framework

    pop = load_population_arg(args.population)
    cache, date = _cache(), as_of(args)
    rules_of_blob: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    with GitStore(args.laws[0]) as store:
        relpaths = [store.relative(p) for p in args.laws]
        commits = store.log(relpaths, args.max_count)
        progress = _Progress(len(commits), "evaluating commit")

        def by_content(rev: str, files: list[tuple[str, Any]]) -> dict[str, Any]:
            loaded = [(store.law(rev, path, blob), blob.hexsha) for path, blob in files]
            for law, blob in loaded:
                if blob not in rules_of_blob:
                    rules_of_blob[blob] = law_key(law)
            laws = [law for law, _ in loaded]

            def evaluate() -> dict[str, Any]:
                fw = status_framework(Framework(laws))  # the log needs statuses only
                return {"status": cache.evaluate(fw, pop, date).counts()}

            rules = sorted(rules_of_blob[blob] for _, blob in loaded)
            status = cache.record(["rules", *rules], pop, date, evaluate,
                                  lambda v: _valid_status(v.get("status")))["status"]
            return {"status": status, "versions": {law.id: law.version for law in laws},
                    "laws": {law.id: blob for law, blob in loaded}}  # fmt: skip

        for i, c in enumerate(commits, 1):
            progress.step(i)
            row: dict[str, Any] = {"commit": c.hexsha, "date": c.date.isoformat(),
                                   "author": c.author, "message": c.message}  # fmt: skip
            try:
                files: dict[str, Any] = {}
                for rel in relpaths:
                    files.update(store.files(c.hexsha, rel, missing_ok=True))
                entry = cache.record(
                    ["blobs", *sorted(blob.hexsha for blob in files.values())], pop, date,
                    functools.partial(by_content, c.hexsha, list(files.items())),
                    _valid_entry,
                )  # fmt: skip
                row.update(status=entry["status"], versions=entry["versions"],
                           _blobs=entry["laws"])  # fmt: skip
            except KzrehabError as err:
                row["status"], row["error"] = None, str(err)
            rows.append(row)
        progress.done()
    for i, row in enumerate(rows):
        older = rows[i + 1]["status"] if i + 1 < len(rows) else None
        row["change"] = _status_change(row["status"], older)
        if older is None and i + 1 < len(rows):
            row["change"] = None
        # the laws this commit changed, for the text report
        before = rows[i + 1].get("_blobs", {}) if i + 1 < len(rows) else {}
        row["_changed"] = [f"{law} {row['versions'][law]}".strip()
                           for law, blob in row.get("_blobs", {}).items()
                           if before.get(law) != blob]  # fmt: skip
    if args.format == "json":
        from ..coverage import SCHEMA, population_json

        doc = {"schema": SCHEMA, "as_of": as_of(args).isoformat(),
               "population": population_json(pop), "laws": list(args.laws),
               "commits": [{k: r.get(k) for k in ("commit", "date", "author", "message",
                                                  "versions", "status", "change", "error")
                            if k in r} for r in rows]}  # fmt: skip
        text = json.dumps(doc, indent=2, ensure_ascii=False)
    else:
        text = log_text(rows, pop, args, args.format == "md")
    emit(text, args.output)
    return 0


def _short(text: str, width: int) -> str:
    text = text.replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def log_text(rows: Sequence[dict[str, Any]], pop: Population, args: argparse.Namespace,
             markdown: bool) -> str:  # fmt: skip
    """The text or Markdown report of ``log``."""
    from ..reports import table

    def cell(status: dict[str, int] | None, signed: bool) -> list[str]:
        if status is None:
            return ["—"] * 3
        return [_signed(status[s]) if signed else f"{status[s]:,}" for s in _ORDER]

    kind = "SYNTHETIC population" if pop.synthetic else "population"
    out = [_heading(f"Log of {', '.join(args.laws)}", markdown, 1), "",
           f"Assessment date: {as_of(args).isoformat()}",
           f"{kind} '{pop.name}': {len(pop):,} claims (digest {pop.digest[:12]})", ""]  # fmt: skip
    if not rows:
        out.append("No commit touched these files.")
        return "\n".join(out) + "\n"
    out.append(table(
        ["commit", "date", "author", "law changed, version", "eligible", "undetermined",
         "ineligible", "Δ eligible", "Δ undetermined", "Δ ineligible", "message"],
        [[r["commit"][:7], r["date"][:16].replace("T", " "), r["author"],
          _short("; ".join(r.get("_changed", [])) or "—", 48 if not markdown else 400),
          *cell(r["status"], False), *cell(r["change"], True),
          _short(r["message"], 60 if not markdown else 200)]
         for r in rows], markdown))  # fmt: skip
    out += ["", "Δ: the change from the next older commit listed (the oldest: its status)."]
    errors = [f"- {r['commit'][:7]}: {r['error']}" for r in rows if "error" in r]
    if errors:
        out += ["", "Commits that could not be evaluated:", *errors]
    return "\n".join(out) + "\n"


# -- status -------------------------------------------------------------------------------------


def run_status(args: argparse.Namespace) -> int:
    from ..coverage import SCHEMA, population_json
    from ..diff import diff
    from ..laws.framework import Framework
    from ..laws.loader import expand_paths, load_law_file

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
    if args.format == "json":
        doc = {"schema": SCHEMA, "as_of": as_of(args).isoformat(),
               "population": population_json(pop), "directory": args.dir,
               "in_force": [law.id for law in in_force], "laws": rows}  # fmt: skip
        text = json.dumps(doc, indent=2, ensure_ascii=False)
    else:
        text = status_text(rows, pop, args, [law.id for law in in_force], args.format == "md")
    emit(text, args.output)
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


def status_text(rows: Sequence[dict[str, Any]], pop: Population, args: argparse.Namespace,
                in_force: Sequence[str], markdown: bool) -> str:  # fmt: skip
    """The text or Markdown report of ``status``."""
    from ..reports import table

    def last(r: dict[str, Any]) -> str:
        lc = r["last_change"]
        if lc is None:
            return "uncommitted"
        text = f"{lc['date'][:10]} {_short(lc['message'], 50)}"
        return text + (" (+ uncommitted changes)" if r["uncommitted"] else "")

    def adds(r: dict[str, Any]) -> list[str]:
        a = r.get("adds")
        if a is None:
            return ["error", "", ""]
        return [f"{a['gained']:,}", _signed(a["eligible"]), _signed(a["undetermined"])]

    kind = "SYNTHETIC population" if pop.synthetic else "population"
    out = [_heading(f"Status of {args.dir}", markdown, 1), "",
           f"Assessment date: {as_of(args).isoformat()}",
           f"{kind} '{pop.name}': {len(pop):,} claims (digest {pop.digest[:12]})",
           f"In force: {', '.join(in_force) or 'none'}", "",
           table(["law", "kind", "status", "version", "last change", "gained",
                  "Δ eligible", "Δ undetermined"],
                 [[r["id"], r["kind"], r["status"], r["version"] or "—", last(r), *adds(r)]
                  for r in rows], markdown),
           "", "gained, Δ: what the law adds over the laws in force (an in-force law: over "
           "the other laws in force)."]  # fmt: skip
    errors = [f"- {r['id']}: {r['error']}" for r in rows if "error" in r]
    if errors:
        out += ["", "Errors:", *errors]
    return "\n".join(out) + "\n"


# -- explain --against ----------------------------------------------------------------------------


def run_explain_against(args: argparse.Namespace) -> int:
    """``explain CLAIM_ID LAW… --against LAW…``: why the claim's status differs."""
    from ..coverage import SCHEMA
    from ..laws.framework import load_framework

    fw, other = load_framework(args.laws), load_framework(args.against)
    pop = load_population_arg(args.population)
    claim = pop.claim(args.claim_id)
    date = as_of(args)
    mine, theirs = fw.evaluate_claim(claim, date), other.evaluate_claim(claim, date)
    differences = explain_differences(mine, theirs)
    if args.format == "json":
        doc = {"schema": SCHEMA, "as_of": date.isoformat(), "claim": claim.id,
               "laws": list(fw.ids), "status": mine.status,
               "categories": dict(mine.categories),
               "against": {"laws": list(other.ids), "status": theirs.status,
                           "categories": dict(theirs.categories)},
               "differences": differences}  # fmt: skip
        text = json.dumps(doc, indent=2, ensure_ascii=False)
    else:
        md = args.format == "md"
        out = [_heading(f"Claim {claim.id}: {mine.status} against {theirs.status}", md, 1), "",
               f"Assessment date: {date.isoformat()}",
               f"Laws: {', '.join(fw.ids)} → {mine.status}",
               f"Against: {', '.join(other.ids)} → {theirs.status}", ""]  # fmt: skip
        if not differences:
            out.append("No provision has a different value.")
        for d in differences:
            out.append(f"- {d['kind']} {d['id']}: {d['value'] or 'absent'} "
                       f"(against: {d['against'] or 'absent'})")  # fmt: skip
            for side in ("decided_by", "against_decided_by"):
                if d.get(side):
                    label = "decided by" if side == "decided_by" else "against, decided by"
                    out.append(f"  {label}: "
                               + "; ".join(f"{f['fact']} = {f['value']}" for f in d[side]))
        text = "\n".join(out) + "\n"
    emit(text, args.output)
    return 0


def explain_differences(mine: ClaimResult, theirs: ClaimResult) -> list[dict[str, Any]]:
    """The grounds, exclusions, categories and components whose values differ, by id."""
    out: list[dict[str, Any]] = []

    def facts(r: Any) -> list[dict[str, str]]:
        if r is None or r.trace is None:
            return []
        return [{"fact": f, "value": v} for f, v in r.trace.decisive_facts()[:12]]

    for kind, a, b in (("ground", mine.grounds, theirs.grounds),
                       ("exclusion", mine.exclusions, theirs.exclusions)):  # fmt: skip
        for pid in sorted(set(a) | set(b)):
            x, y = a.get(pid), b.get(pid)
            vx, vy = (str(x.value) if x else None), (str(y.value) if y else None)
            if vx != vy:
                out.append({"id": pid, "kind": kind, "value": vx, "against": vy,
                            "decided_by": facts(x), "against_decided_by": facts(y)})  # fmt: skip
    for kind, m, n in (("category", mine.categories, theirs.categories),
                       ("component", mine.components, theirs.components)):  # fmt: skip
        for key in sorted(set(m) | set(n)):
            if m.get(key) != n.get(key):
                out.append({"id": key, "kind": kind, "value": m.get(key),
                            "against": n.get(key)})  # fmt: skip
    return out
