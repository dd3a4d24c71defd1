"""Start-up time of the command line, against the interpreter's own (SPEC §10, issue 7).

Runs each command ``--runs`` times in a fresh subprocess and reports the median wall time
and its ratio to ``python -c pass``; the target is a ratio of at most 3. Then runs
``check`` under ``python -X importtime`` and lists the slowest imports, and fails (exit 1)
if ``check`` imports NumPy or GitPython, or when a ratio exceeds ``--target``.

Bytecode is cached as an installed package's would be, in a temporary
``PYTHONPYCACHEPREFIX`` (never in the repository), even where ``PYTHONDONTWRITEBYTECODE``
is set; ``--no-bytecode-cache`` measures with the environment as it is.

    python benchmarks/startup.py [--runs 21] [--target 3] [--top 12] [--no-bytecode-cache]
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
LAW = "drafts/current/rehabilitation-1993.toml"

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "kzrehab --help": [sys.executable, "-m", "kzrehab", "--help"],
    f"kzrehab check {LAW}": [sys.executable, "-m", "kzrehab", "check", LAW],
}

#: modules ``check`` must not import (only the evaluating and git commands need them)
FORBIDDEN = ("numpy", "git")


ENV = dict(os.environ)


def _time(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, env=ENV, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return statistics.median(times)


def _importtime(argv: list[str]) -> list[tuple[int, int, str]]:
    env = {**ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line[len("import time:") :].split("|")
        rows.append((int(self_us), int(cumulative), name.rstrip()))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per command (median)")
    parser.add_argument("--target", type=float, default=3.0, help="the highest ratio allowed")
    parser.add_argument("--top", type=int, default=12, help="slowest imports to list")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="no bytecode cache (measure the environment as it is)")  # fmt: skip
    args = parser.parse_args()

    if not args.no_bytecode_cache:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="kzrehab-pycache-")
    for argv in COMMANDS.values():  # warm the file cache and the bytecode cache
        subprocess.run(argv, cwd=ROOT, capture_output=True, env=ENV, check=False)
    base = _time(COMMANDS["python -c pass"], args.runs)
    cache = "no bytecode cache" if args.no_bytecode_cache else "bytecode cached"
    print(f"median of {args.runs} runs, {sys.executable}, {cache}")
    print(f"{'command':<60} {'ms':>8} {'ratio':>7}")
    worst = 1.0
    for name, argv in COMMANDS.items():
        t = base if argv is COMMANDS["python -c pass"] else _time(argv, args.runs)
        worst = max(worst, t / base)
        print(f"{name:<60} {t * 1000:8.1f} {t / base:7.2f}")

    rows = _importtime(COMMANDS[f"kzrehab check {LAW}"])
    top = [r for r in rows if r[2].strip().split(".")[0] != "encodings"]
    print(f"\nslowest imports of check (self time; cumulative), of {len(rows)} modules:")
    for self_us, cumulative, name in sorted(top, reverse=True)[: args.top]:
        print(f"  {self_us / 1000:7.1f} ms {cumulative / 1000:8.1f} ms  {name.strip()}")
    imported = {name.strip().split(".")[0] for _, _, name in rows}
    bad = [m for m in FORBIDDEN if m in imported]
    print(f"\ncheck imports {', '.join(bad) if bad else 'neither ' + ' nor '.join(FORBIDDEN)}")
    ok = not bad and worst <= args.target
    print(f"target: at most {args.target:g}x python -c pass -- {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
