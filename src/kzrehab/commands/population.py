"""``population synth``, ``population import`` and ``population info``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ._common import add_jobs_option, emit, jobs_arg, positive

if TYPE_CHECKING:
    from ..population import Population

#: claims counted at a time by ``population info``
CHUNK = 1_000_000


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number 0 or greater")
    return int(text)


def register(sub: Any) -> None:
    p = sub.add_parser("population", help="make, import and describe populations",
                       description="Make the calibrated synthetic population, import a "
                                   "registry, or describe a population.")  # fmt: skip
    actions: Any = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    s = actions.add_parser("synth", help="make the calibrated synthetic population")
    s.add_argument("--size", type=positive, required=True, help="number of claims")
    s.add_argument("--seed", type=_seed, default=1993, help="random seed (default 1993)")
    s.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="JSON Lines for *.jsonl, the columnar store otherwise")  # fmt: skip
    s.set_defaults(run=run_synth)

    i = actions.add_parser("import", help="import a registry (JSON Lines, CSV or Parquet)")
    i.add_argument("registry", metavar="REGISTRY",
                   help="a .jsonl file, a .csv or .parquet file, or a folder")  # fmt: skip
    i.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="JSON Lines for *.jsonl, the columnar store otherwise")  # fmt: skip
    add_jobs_option(i, "check and encode a JSON Lines registry")
    i.set_defaults(run=run_import)

    f = actions.add_parser("info", help="describe a population (aggregates only)")
    f.add_argument("population", nargs="?", metavar="FILE",
                   help="a registry or store (default: the reference population)")  # fmt: skip
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
        raise UsageError(MAX_SYNTH_SIZE.message(f"--size {args.size:,}"))
    with Progress(args.size, "synthetic claims made") as bar:
        population = synthesize(args.size, args.seed, progress=bar.update)
    kind = _write(population, args.output)
    print(f"wrote {len(population):,} synthetic claims ({population.events:,} events) "
          f"to {args.output} ({kind})")  # fmt: skip
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..population import import_registry

    if Path(args.output).resolve() == Path(args.registry).resolve():
        raise UsageError("the output would overwrite the registry: choose another -o FILE")
    done = import_registry(args.registry, args.output, jobs=jobs_arg(args))
    print(f"imported {done.claims:,} claims ({done.events:,} events) "
          f"from {args.registry} to {args.output} ({done.kind})")  # fmt: skip
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
    for _, columns in source.chunks(CHUNK):
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


def run_info(args: argparse.Namespace) -> int:
    import json

    from ._common import load_population_arg

    population = load_population_arg(args.population, progress=args.format != "json")
    doc = info(population)
    if args.format == "json":
        emit(json.dumps(doc, indent=2, ensure_ascii=False), None)
        return 0
    p = doc["population"]
    lines = [
        f"{'SYNTHETIC population' if p['synthetic'] else 'population'} '{p['name']}'",
        f"source: {doc['source']}",
        f"claims: {p['claims']:,}   victims: {p['victims']:,}   events: {p['events']:,}",
        f"digest: {p['digest']}",
        "",
        "share of unknown facts:",
        *(f"  {k:32} {v:6.1%}" for k, v in doc["unknown_share"].items()),
        "",
        "share of dates known only to the month or year:",
        *(f"  {k:32} {v:6.1%}" for k, v in doc["partial_date_share"].items()),
    ]
    emit("\n".join(lines), None)
    return 0
