"""``population synth``, ``population import`` and ``population info``."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from ._common import emit, positive


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

    i = actions.add_parser("import", help="import a registry (JSON Lines or CSV)")
    i.add_argument("registry", metavar="REGISTRY", help="a .jsonl file, a .csv file or a folder")
    i.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="JSON Lines for *.jsonl, the columnar store otherwise")  # fmt: skip
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

    from ..population import load_population

    population = load_population(args.registry)
    if Path(args.output).resolve() == Path(args.registry).resolve():
        raise UsageError("the output would overwrite the registry: choose another -o FILE")
    kind = _write(population, args.output)
    print(f"imported {len(population):,} claims ({population.events:,} events) "
          f"from {args.registry} to {args.output} ({kind})")  # fmt: skip
    return 0


def info(population: Any) -> dict[str, Any]:
    """Aggregates only: sizes, digest, and the share of unknown facts and partial dates."""
    from ..coverage import SCHEMA
    from ..population.columns import columns_of
    from ..rules.values import UNKNOWN

    cols = columns_of(population)
    columns = cols.columns if hasattr(cols, "columns") else cols
    unknown: dict[str, float] = {}
    n = max(columns.n_claims, 1)
    m = max(columns.n_events, 1)
    for scope, table, size in (("claim", columns.claim, n), ("event", columns.event, m)):
        for name, col in table.items():
            if name in {"year", "months"}:
                continue
            if isinstance(col, tuple):
                missing = int(((col[0] == -float("inf")) | (col[1] == float("inf"))).sum())
            elif col.dtype.kind == "i" and col.dtype.itemsize == 1:
                missing = int((col == UNKNOWN).sum())
            else:
                missing = int((col < 0).sum())
            unknown[f"{scope}.{name}"] = round(missing / size, 4)
    partial = {}
    for name in ("start", "end"):
        lo, hi = columns.event[name]
        known = (lo != -float("inf")) & (hi != float("inf"))
        partial[f"event.{name}"] = round(int((known & (lo != hi)).sum()) / m, 4)
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

    population = load_population_arg(args.population)
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
