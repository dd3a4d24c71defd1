"""The size of the cache directory over a working week of runs (the results:
``docs/benchmarks.rst``, "The cache"; docs/cli.rst, "The cache").

    python benchmarks/cache_size.py                   # the default cap (1 GiB)
    python benchmarks/cache_size.py --cap 200M --days 6

With an empty cache directory of its own, runs in this repository, as fresh processes of
the installed ``kzrehab``, the main job (the ``compare`` of the README's quick start) once,
then for each of ``--days`` assessment dates — as a user running with the default date
(today) on successive days does — the main job and four ``log`` runs (``drafts/bills``,
with and without ``--base drafts/current``, ``drafts/proposals``, ``drafts``) and one
``status``. After every run it prints the size of the cache's entries and of the whole
directory (what ``du -sb`` counts), with the cap. Every run's last use is moved an hour back
before the next, so that the reference population's store is not "in use by another run"
(docs/cli.rst) and the cap is met as it would be between runs an hour apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = ["compare", "--base", "drafts/current", "--with", "drafts/bills", "drafts/proposals"]
LOGS = [["log", "drafts/bills"], ["log", "drafts/bills", "--base", "drafts/current"],
        ["log", "drafts/proposals"], ["log", "drafts"], ["status"]]  # fmt: skip


def du(path: Path) -> int:
    """Bytes of every file under ``path`` (``du -sb``, without the folders' own blocks)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def age(cache: Path, seconds: float) -> None:
    for p in cache.rglob("*"):
        if p.is_file():
            t = p.stat().st_mtime - seconds
            os.utime(p, (t, t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", default=None, help="KZREHAB_CACHE_MAX (default: unset, 1G)")
    parser.add_argument("--days", type=int, default=5, help="assessment dates (default 5)")
    args = parser.parse_args()
    kzrehab = Path(sys.executable).with_name("kzrehab")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "KZREHAB_CACHE": str(cache)}
        env.pop("KZREHAB_CACHE_MAX", None)
        if args.cap:
            env["KZREHAB_CACHE_MAX"] = args.cap
        from kzrehab._cache import entries, parse_size

        cap = parse_size(args.cap) if args.cap else 1024**3
        print(f"cap {cap / 1024**2:,.0f} MiB; sizes in MiB: entries / directory")
        runs = [(MAIN, "2025-06-01")]
        for day in range(args.days):
            as_of = (dt.date(2025, 6, 2) + dt.timedelta(days=day)).isoformat()
            runs += [(MAIN, as_of)] + [(log, as_of) for log in LOGS]
        worst = 0
        for argv, as_of in runs:
            start = time.perf_counter()
            subprocess.run([str(kzrehab), *argv, "--as-of", as_of], cwd=ROOT, env=env,
                           check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            took = time.perf_counter() - start
            size, total = sum(e.size for e in entries(cache)), du(cache)
            worst = max(worst, size)
            print(f"{' '.join(argv):60} {as_of}  {size / 1024**2:7.1f} / {total / 1024**2:7.1f}"
                  f"  ({took:.0f} s)", flush=True)  # fmt: skip
            age(cache, 3600)
        print(f"largest after a run: {worst / 1024**2:,.1f} MiB "
              f"({'within' if worst <= cap else 'above'} the cap)")


if __name__ == "__main__":
    main()
