"""Benchmark ``kzrehab log`` against one ``kzrehab coverage`` (target: at most 2 times; the
results: ``docs/benchmarks.rst``, "The tracker").

    python benchmarks/log_cost.py                     # 200,000 claims, 50 commits
    python benchmarks/log_cost.py --claims 20000 --commits 50 --rule-changes 3
    python benchmarks/log_cost.py --jobs 1            # both commands on one process

Builds a temporary git repository holding the modelled current law (``drafts/current``)
and the peasants bill, then commits the bill ``--commits`` times: every commit touches it
(its version line and a sentence of its text change), and ``--rule-changes`` of them also
change a rule (the end of the bill's period), so the log lists every commit while only a
few distinct frameworks exist. It then times, as the user would run them (fresh
processes, the same columnar population store):

- ``kzrehab coverage drafts`` once (the best of two runs);
- ``kzrehab log drafts`` with an empty cache directory (cold), then again (warm);

both with ``--jobs`` when given (else kzrehab's default, every core), and prints both
ratios; ``--repeat`` runs the whole comparison again (each round's ratio is printed). The
repository and the cache live in a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-01"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def build_repo(repo: Path, commits: int, rule_changes: int) -> None:
    """The repository: current law once, then ``commits`` commits of the peasants bill."""
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Benchmark")
    git(repo, "config", "user.email", "bench@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(ROOT / "drafts" / "current", repo / "drafts" / "current")
    git(repo, "add", "drafts")
    git(repo, "commit", "-q", "-m", "current law")
    bill = (ROOT / "drafts" / "bills" / "peasants.toml").read_text(encoding="utf-8")
    assert 'peasant_period = "year in 1926..1938"' in bill
    target = repo / "drafts" / "bills" / "peasants.toml"
    target.parent.mkdir(parents=True)
    every = max(1, commits // (rule_changes + 1))
    end = 1938
    for i in range(commits):
        if i and i % every == 0 and end < 1938 + rule_changes:
            end += 1  # a rule change: the period ends a year later
        text = bill.replace('peasant_period = "year in 1926..1938"',
                            f'peasant_period = "year in 1926..{end}"')  # fmt: skip
        text = text.replace('version = "2025-introduced (modelled)"', f'version = "rev-{i}"')
        text = text.replace("are victims of repressions\nagainst peasants.",
                            f"are victims of repressions\nagainst peasants (revision {i}).")
        target.write_text(text, encoding="utf-8")
        git(repo, "add", "drafts")
        git(repo, "commit", "-q", "-m", f"peasants bill, revision {i} (period to {end})")


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kzrehab", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"kzrehab {' '.join(args)} failed:\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--rule-changes", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--jobs", type=int, help="pass --jobs N to both commands")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the comparison")
    opts = parser.parse_args()

    from kzrehab.population import synthesize

    with tempfile.TemporaryDirectory(prefix="kzrehab-log-cost-") as tmp:
        work = Path(tmp)
        store = work / "population.kzstore"
        print(f"making {opts.claims:,} synthetic claims …", flush=True)
        synthesize(opts.claims, opts.seed).save(store)
        repo = work / "repo"
        build_repo(repo, opts.commits, opts.rule_changes)
        common = ["--population", str(store), "--as-of", AS_OF, "--format", "json"]
        if opts.jobs is not None:
            common += ["--jobs", str(opts.jobs)]
        rows = opts.commits + 1
        print(f"population: {opts.claims:,} claims; log: {rows} commits, "
              f"{opts.rule_changes + 1} distinct rule versions of the bill; "
              f"--jobs {opts.jobs or 'default'}")  # fmt: skip
        for round_ in range(opts.repeat):
            env = dict(os.environ, KZREHAB_CACHE=str(work / f"cache-{round_}"))
            coverage = min(timed(["coverage", "drafts", *common], repo, env) for _ in range(2))
            cold = timed(["log", "drafts", *common], repo, env)
            warm = timed(["log", "drafts", *common], repo, env)
            print(f"coverage (once)  {coverage:7.2f} s")
            print(f"log, cold cache  {cold:7.2f} s   ratio {cold / coverage:5.2f}x"
                  "   (target <= 2x)")  # fmt: skip
            print(f"log, warm cache  {warm:7.2f} s   ratio {warm / coverage:5.2f}x", flush=True)


if __name__ == "__main__":
    main()
