"""Writing a coverage's per-claim rows in every format (issue 16; the figures:
``docs/benchmarks.rst``).

Runs ``kzrehab coverage LAW… --claims --format F -o FILE`` for F in json, csv, xlsx and
parquet over the reference population (or ``--population``), each in a fresh process,
``--runs`` times, the formats taking turns, and reports per format the median wall time,
its ratio to JSON's, the peak memory of the process (its ``ru_maxrss``) and the size of the
file. The evaluation is the same in every run (its coverage is not cached): the
differences are the writers'.

    python benchmarks/tables.py [--runs 3] [--population FILE] [LAW ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("json", "csv", "xlsx", "parquet")


def _run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        assert proc.stderr is not None
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("laws", nargs="*", default=["drafts/current", "drafts/bills"])
    parser.add_argument("--runs", type=int, default=3, help="runs per format (median)")
    parser.add_argument("--population", help="a registry or store (default: the reference)")
    parser.add_argument("--as-of", default="2025-06-01")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="kzrehab-tables-"))
    base = [sys.executable, "-m", "kzrehab", "coverage", *args.laws, "--claims", "--as-of",
            args.as_of, *(["--population", args.population] if args.population else [])]
    argv = {f: [*base, "--format", f, "-o", str(out / f"claims.{f}")] for f in FORMATS}
    _run(argv["json"])  # warm: the reference population, the file cache
    wall: dict[str, list[float]] = {f: [] for f in FORMATS}
    peak: dict[str, int] = dict.fromkeys(FORMATS, 0)
    for _ in range(args.runs):
        for f in FORMATS:
            seconds, kib = _run(argv[f])
            wall[f].append(seconds)
            peak[f] = max(peak[f], kib)
    median = {f: statistics.median(t) for f, t in wall.items()}
    print(f"coverage {' '.join(args.laws)} --claims: median of {args.runs} runs, "
          f"{os.cpu_count()} cores")
    print(f"{'format':<8} {'s':>8} {'/json':>7} {'peak MiB':>9} {'file MiB':>9}")
    for f in FORMATS:
        size = (out / f"claims.{f}").stat().st_size / 2**20
        print(f"{f:<8} {median[f]:8.1f} {median[f] / median['json']:7.2f} "
              f"{peak[f] / 1024:9.0f} {size:9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
