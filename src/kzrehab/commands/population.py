"""``population synth``, ``population import`` and ``population info``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..i18n import N_, _, number, percent
from ._common import emit, positive

if TYPE_CHECKING:
    from ..population import Population

#: claims counted at a time by ``population info``
CHUNK = 1_000_000
#: how the messages name the kinds of file a population is written to
_KINDS = {"JSON Lines": N_("JSON Lines"), "columnar store": N_("columnar store")}


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number 0 or greater").format(text=text))
    return int(text)


def register(sub: Any) -> None:
    p = sub.add_parser("population", help=_("make, import and describe populations"),
                       description=_("Make the calibrated synthetic population, import a "
                                     "registry, or describe a population."))  # fmt: skip
    actions: Any = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    s = actions.add_parser("synth", help=_("make the calibrated synthetic population"))
    s.add_argument("--size", type=positive, required=True, help=_("number of claims"))
    s.add_argument("--seed", type=_seed, default=1993, help=_("random seed (default 1993)"))
    s.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("JSON Lines for *.jsonl, the columnar store otherwise"))
    s.set_defaults(run=run_synth)

    i = actions.add_parser("import", help=_("import a registry (JSON Lines, CSV or Parquet)"))
    i.add_argument("registry", metavar="REGISTRY",
                   help=_("a .jsonl file, a .csv or .parquet file, or a folder"))  # fmt: skip
    i.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=_("JSON Lines for *.jsonl, the columnar store otherwise"))
    i.set_defaults(run=run_import)

    f = actions.add_parser("info", help=_("describe a population (aggregates only)"))
    f.add_argument("population", nargs="?", metavar="FILE",
                   help=_("a registry or store (default: the reference population)"))
    f.add_argument("--format", choices=("text", "json"), default="text")
    f.set_defaults(run=run_info)


def _write(population: Any, output: str) -> str:
    from pathlib import Path

    from ..population.registry import write_jsonl

    if Path(output).suffix.lower() in {".jsonl", ".ndjson"}:
        write_jsonl(population, output)
        return "JSON Lines"
    population.save(output)
    return "columnar store"


def run_synth(args: argparse.Namespace) -> int:
    from .._progress import Progress
    from ..limits import MAX_SYNTH_SIZE
    from ..population import synthesize

    if args.size > MAX_SYNTH_SIZE.value:
        raise UsageError(MAX_SYNTH_SIZE.message(f"--size {number(args.size)}"))
    with Progress(args.size, _("synthetic claims made")) as bar:
        population = synthesize(args.size, args.seed, progress=bar.update)
    kind = _write(population, args.output)
    print(_("wrote {n} synthetic claims ({events} events) to {path} ({kind})").format(
        n=number(len(population)), events=number(population.events), path=args.output,
        kind=_(_KINDS[kind])))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..population import import_registry

    if Path(args.output).resolve() == Path(args.registry).resolve():
        raise UsageError(_("the output would overwrite the registry: choose another -o "
                           "FILE"))  # fmt: skip
    done = import_registry(args.registry, args.output)
    print(_("imported {n} claims ({events} events) from {registry} to {path} ({kind})").format(
        n=number(done.claims), events=number(done.events), registry=args.registry,
        path=args.output, kind=_(_KINDS[done.kind]) if done.kind in _KINDS else done.kind))
    return 0


def info(population: Population) -> dict[str, Any]:
    """Aggregates only: sizes, digest, and the share of unknown facts and partial dates
    (counted a chunk of claims at a time)."""
    from collections import Counter

    from ..coverage import SCHEMA
    from ..rules.values import UNKNOWN

    source = population.columns()
    missing: Counter[str] = Counter()
    partial_count: Counter[str] = Counter()
    for _start, columns in source.chunks(CHUNK):
        for scope, table in (("claim", columns.claim), ("event", columns.event)):
            for name, col in table.items():
                if name in {"year", "months"}:
                    continue
                if isinstance(col, tuple):
                    gone = ((col[0] == -float("inf")) | (col[1] == float("inf"))).sum()
                elif col.dtype.kind == "i" and col.dtype.itemsize == 1:
                    gone = (col == UNKNOWN).sum()
                else:
                    gone = (col < 0).sum()
                missing[f"{scope}.{name}"] += int(gone)
        for name in ("start", "end"):
            lo, hi = columns.event[name]
            known = (lo != -float("inf")) & (hi != float("inf"))
            partial_count[f"event.{name}"] += int((known & (lo != hi)).sum())
    n = max(source.n_claims, 1)
    m = max(source.n_events, 1)
    unknown = {key: round(count / (n if key.startswith("claim.") else m), 4)
               for key, count in missing.items()}  # fmt: skip
    partial = {key: round(count / m, 4) for key, count in partial_count.items()}
    return {
        "schema": SCHEMA,
        "population": {"name": population.name, "claims": len(population),
                       "victims": population.victims, "events": population.events,
                       "synthetic": population.synthetic, "digest": population.digest},
        "source": population.source,
        "unknown_share": unknown,
        "partial_date_share": partial,
    }  # fmt: skip


def _share(v: float) -> str:
    """A share as a percentage with one decimal, rounded as Python's ``{v:.1%}`` rounds it
    (the float ``v * 100``: 0.0465 is 4.7%, where rounding the decimal 4.65 to even gives
    4.6%), in the language's pattern."""
    return percent(float(f"{v * 100:.1f}") / 100)


def run_info(args: argparse.Namespace) -> int:
    import json

    from ._common import load_population_arg

    population = load_population_arg(args.population, progress=args.format != "json")
    doc = info(population)
    if args.format == "json":
        emit(json.dumps(doc, indent=2, ensure_ascii=False), None)
        return 0
    p = doc["population"]
    named = (_("SYNTHETIC population '{name}'") if p["synthetic"]
             else _("population '{name}'"))  # fmt: skip
    lines = [
        named.format(name=p["name"]),
        _("source: {source}").format(source=doc["source"]),
        _("claims: {claims}   victims: {victims}   events: {events}").format(
            claims=number(p["claims"]), victims=number(p["victims"]),
            events=number(p["events"])),
        _("digest: {digest}").format(digest=p["digest"]),
        "",
        _("share of unknown facts:"),
        *(f"  {k:32} {_share(v):>6}" for k, v in doc["unknown_share"].items()),
        "",
        _("share of dates known only to the month or year:"),
        *(f"  {k:32} {_share(v):>6}" for k, v in doc["partial_date_share"].items()),
    ]
    emit("\n".join(lines), None)
    return 0
