"""Streaming import and a lookup in a big store: peak memory and speed of fresh processes.

    python benchmarks/import_stream.py --claims 1000000
    python benchmarks/import_stream.py --claims 1000000 --against /path/to/other/checkout
    python benchmarks/import_stream.py --claims 1000000 --parquet

Writes an N-claim synthetic JSON Lines registry (``--claims``; copies of a synthetic
population of at most 200,000 claims, the ids made unique per copy), then in fresh
processes, one at a time:

- ``kzrehab population import REGISTRY -o STORE``: wall time, claims per second, and peak
  resident memory (``VmHWM`` of the process, which starts anew at ``exec``; and
  ``worker_peak_mib``, the peak of the largest of its worker processes, ``--jobs``: every
  core unless ``KZREHAB_JOBS`` says otherwise; ``cpu_seconds``, the processor time of the
  process and its workers, which other work on the machine inflates less than the wall
  time);
- ``kzrehab explain ID drafts/current --population STORE`` for the last claim of the
  store: wall time and peak memory.

With ``--parquet``, the same registry is also written as a Parquet registry
(``registry-N.parquet`` and ``registry-N.events.parquet``, typed columns, row groups of
122,880 rows as DuckDB writes them; needs pyarrow) and imported the same way, so the two
imports are measured in one run.

The registry-size limit is raised for the children (ten million claims are 8.8 GB, more
than the default 8 GiB). ``--against DIR`` runs the same commands with the ``src`` of another checkout first on the
path (the code before a change), so that both are measured in one run on the same files.
Prints JSON. The files are kept in ``--folder`` (default: a temporary folder) and reused
when present.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = 200_000

_CHILD = """
import resource, sys, time
sys.argv = ["kzrehab", *{argv!r}]
from kzrehab.cli import main
start = time.perf_counter()
status = main(sys.argv[1:])
seconds = time.perf_counter() - start
hwm = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
try:  # the worker processes of --jobs, once stopped: the peak of the largest
    from kzrehab._pool import shutdown
    shutdown()
except ImportError:
    pass
own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print("BENCH", status, seconds, int(hwm) / 1024, children.ru_maxrss / 1024, cpu,
      file=sys.stderr)
"""


def registry(folder: Path, claims: int) -> Path:
    """An N-claim synthetic JSON Lines registry, made once."""
    path = folder / f"registry-{claims}.jsonl"
    if path.exists():
        return path
    from kzrehab.population import synthesize
    from kzrehab.population.registry import canonical_lines

    base = synthesize(min(claims, BASE), 1993)
    lines = list(canonical_lines(base.claims))
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write('{"kzrehab":"population","version":1,"name":"bench","synthetic":true}\n')
        written, copy = 0, 0
        while written < claims:
            for line in lines[: claims - written]:
                if copy:  # unique ids (and victims) in every copy after the first
                    line = line.replace('{"id":"', f'{{"id":"c{copy}-', 1).replace(
                        '"victim_id":"', f'"victim_id":"c{copy}-', 1)
                out.write(line)
            written += min(len(lines), claims - written)
            copy += 1
    tmp.rename(path)
    return path


def parquet_registry(folder: Path, claims: int) -> Path:
    """The same N claims as :func:`registry`, as a Parquet registry, made once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kzrehab.population import synthesize
    from kzrehab.population.registry import claim_to_dict
    from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind

    path = folder / f"registry-{claims}.parquet"
    events_path = folder / f"registry-{claims}.events.parquet"
    if path.exists() and events_path.exists():
        return path
    kinds = {**{n: f.kind for n, f in CLAIM_FACTS.items() if not f.derived},
             **{n: f.kind for n, f in EVENT_FACTS.items() if not f.derived}}  # fmt: skip
    claim_cols = [n for n, f in CLAIM_FACTS.items() if not f.derived]
    event_cols = ["claim_id", "id", *(n for n, f in EVENT_FACTS.items() if not f.derived)]
    types = {FactKind.BOOL: pa.bool_(), FactKind.INT: pa.int64()}

    def table(rows: list[dict[str, object]], cols: list[str]) -> pa.Table:
        data = {}
        for c in cols:
            kind = kinds.get(c, FactKind.STR)
            arr = pa.array([r.get(c) for r in rows], types.get(kind, pa.string()))
            data[c] = arr.dictionary_encode() if kind is FactKind.ENUM else arr
        return pa.table(data)

    base = [claim_to_dict(c) for c in synthesize(min(claims, BASE), 1993).claims]
    group = 122_880
    writers: dict[str, pq.ParquetWriter] = {}
    written, copy = 0, 0
    try:
        while written < claims:
            part = base[: claims - written]
            prefix = f"c{copy}-" if copy else ""
            rows, events = [], []
            for r in part:
                r = {**r, "id": prefix + str(r["id"])}
                if "victim_id" in r:
                    r["victim_id"] = prefix + str(r["victim_id"])
                rows.append(r)
                events += [{"claim_id": r["id"], **e} for e in r.get("events", [])]
            for name, out, cols, items in (("claims", path, claim_cols, rows),
                                           ("events", events_path, event_cols, events)):
                t = table(items, cols)
                if name not in writers:
                    writers[name] = pq.ParquetWriter(str(out) + ".tmp", t.schema)
                writers[name].write_table(t, row_group_size=group)
            written += len(part)
            copy += 1
    finally:
        for w in writers.values():
            w.close()
    for out in (path, events_path):
        Path(str(out) + ".tmp").rename(out)
    return path


def run(argv: list[str], src: Path | None) -> dict[str, float]:
    """Run the command line in a fresh process: its status, seconds and peak MiB."""
    env = dict(os.environ)
    env["KZREHAB_MAX_REGISTRY_BYTES"] = str(2**40)  # ten million claims are 8.8 GB
    if src is not None:
        env["PYTHONPATH"] = str(src / "src")
    done = subprocess.run([sys.executable, "-c", _CHILD.format(argv=argv)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    line = [x for x in done.stderr.splitlines() if x.startswith("BENCH ")]
    if not line:
        raise SystemExit(f"{argv} failed:\n{done.stderr[-2000:]}")
    _, status, seconds, mib, workers, cpu = line[-1].split()
    if status != "0":
        raise SystemExit(f"{argv} exited {status}:\n{done.stderr[-2000:]}")
    return {"seconds": round(float(seconds), 2), "peak_mib": round(float(mib), 1),
            "worker_peak_mib": round(float(workers), 1), "cpu_seconds": round(float(cpu), 1)}


def measure_parquet(folder: Path, claims: int, src: Path | None, tag: str) -> dict[str, object]:
    """Import the Parquet registry: time and peak memory; the store is the JSON Lines'."""
    source = parquet_registry(folder, claims)
    store = folder / f"store-{claims}-{tag}-parquet.kzstore"
    store.unlink(missing_ok=True)
    imported = run(["population", "import", str(source), "-o", str(store)], src)
    imported["claims_per_second"] = round(claims / imported["seconds"])
    size = source.stat().st_size + source.with_name(
        source.name.replace(".parquet", ".events.parquet")).stat().st_size
    return {"import": imported, "registry_mib": round(size / 2**20, 1)}


def measure(folder: Path, claims: int, src: Path | None, tag: str) -> dict[str, object]:
    source = registry(folder, claims)
    store = folder / f"store-{claims}-{tag}.kzstore"
    store.unlink(missing_ok=True)
    imported = run(["population", "import", str(source), "-o", str(store)], src)
    imported["claims_per_second"] = round(claims / imported["seconds"])
    last = f"c{(claims - 1) // BASE}-" if claims > BASE else ""
    with open(source, "rb") as f:  # the id of the last claim
        f.seek(max(0, source.stat().st_size - 20_000))
        tail = f.read().decode("utf-8").strip().splitlines()[-1]
    claim_id = json.loads(tail)["id"]
    assert claim_id.startswith(last)
    explained = run(["explain", claim_id, "drafts/current", "--population", str(store),
                     "--as-of", "2025-06-01"], src)  # fmt: skip
    return {"import": imported, "explain_last_claim": explained,
            "store_mib": round(store.stat().st_size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout to measure the same way (before a change)")
    parser.add_argument("--parquet", action="store_true",
                        help="also import the registry written as Parquet (needs pyarrow)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        path = registry(folder, args.claims)
        report: dict[str, object] = {
            "claims": args.claims, "registry_mib": round(path.stat().st_size / 2**20, 1),
            "registry_seconds": round(time.perf_counter() - start, 1),
            "this": measure(folder, args.claims, None, "this")}  # fmt: skip
        if args.against is not None:
            report["against"] = measure(folder, args.claims, args.against, "against")
        if args.parquet:
            report["parquet"] = measure_parquet(folder, args.claims, None, "this")
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
