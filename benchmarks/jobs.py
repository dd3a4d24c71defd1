"""Benchmark ``--jobs``: ``coverage``, ``compare`` and ``log`` on one process and on N (the
results: ``docs/benchmarks.rst``, "All cores").

    python benchmarks/jobs.py                         # 200,000 claims, --jobs 1 vs 2
    python benchmarks/jobs.py --claims 1000000 --jobs 4 --runs 5

Makes a columnar store of ``--claims`` synthetic claims and the git repository of
``benchmarks/log_cost.py`` (50 commits of a bill), then times, as the user would run them
(fresh processes, the two settings taking turns, ``--runs`` times each):

- ``kzrehab coverage drafts/current drafts/bills``;
- ``kzrehab compare --base drafts/current --with drafts/bills drafts/proposals`` (with
  attribution: the main job), each run with an empty cache directory;
- ``kzrehab log drafts`` in the 50-commit repository, each run with an empty cache;

checks that both settings print the same bytes, and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_cost import build_repo

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-01"


def run(args: list[str], cwd: Path, cache: Path) -> tuple[float, str]:
    env = dict(os.environ, KZREHAB_CACHE=str(cache))
    env.pop("KZREHAB_JOBS", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kzrehab", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"kzrehab {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=2, help="the N to compare with 1")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    opts = parser.parse_args()

    from kzrehab.population import synthesize

    with tempfile.TemporaryDirectory(prefix="kzrehab-jobs-") as tmp:
        work = Path(tmp)
        store = work / "population.kzstore"
        print(f"making {opts.claims:,} synthetic claims …", flush=True)
        synthesize(opts.claims, opts.seed).save(store)
        repo = work / "repo"
        build_repo(repo, 50, 3)
        common = ["--population", str(store), "--as-of", AS_OF, "--format", "json"]
        cases = {
            "coverage": (["coverage", "drafts/current", "drafts/bills", *common], ROOT),
            "compare": (["compare", "--base", "drafts/current", "--with", "drafts/bills",
                         "drafts/proposals", *common], ROOT),
            "log (50 commits)": (["log", "drafts", *common], repo),
        }  # fmt: skip
        print(f"{'command':18} {'--jobs 1':>10} {f'--jobs {opts.jobs}':>10} {'ratio':>8}")
        for name, (args, cwd) in cases.items():
            times: dict[int, list[float]] = {1: [], opts.jobs: []}
            outputs: set[str] = set()
            for i in range(opts.runs):
                for jobs in (1, opts.jobs):
                    cache = work / f"cache-{name[:3]}-{jobs}-{i}"  # cold every time
                    elapsed, out = run([*args, "--jobs", str(jobs)], cwd, cache)
                    shutil.rmtree(cache, ignore_errors=True)
                    times[jobs].append(elapsed)
                    outputs.add(out)
            assert len(outputs) == 1, f"{name}: --jobs changed the output"
            one, many = statistics.median(times[1]), statistics.median(times[opts.jobs])
            print(f"{name:18} {one:9.2f}s {many:9.2f}s {one / many:7.2f}x", flush=True)
    print(f"{opts.claims:,} claims, {os.cpu_count()} cores, medians of {opts.runs} runs; "
          "the same bytes on every run")


if __name__ == "__main__":
    main()
