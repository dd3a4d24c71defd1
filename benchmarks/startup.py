"""Start-up time of the command line, against the interpreter's own (issue 7; the figures:
``docs/benchmarks.rst``).

Runs each command ``--runs`` times in a fresh subprocess, the commands taking turns (so a
change in the machine's load hits them all alike), and reports the median wall time and
its ratio to ``python -c pass``; the target is a ratio of at most 3. The *floor* rows are
not kzrehab: they import only the libraries ``check`` cannot do without (attrs, cattrs,
tomllib, argparse, datetime), to show how much of ``check``'s time is theirs. Then runs
``check`` under ``python -X importtime``, sums the import time by package and lists the
slowest imports, and fails (exit 1) if ``check`` imports NumPy or GitPython, or when a
command's ratio exceeds ``--target``.

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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAW = "drafts/current/rehabilitation-1993.toml"
BASE = "python -c pass"
CHECK = f"kzrehab check {LAW}"

#: the commands held to the target
COMMANDS: dict[str, list[str]] = {
    BASE: [sys.executable, "-c", "pass"],
    "kzrehab --help": [sys.executable, "-m", "kzrehab", "--help"],
    CHECK: [sys.executable, "-m", "kzrehab", "check", LAW],
}

#: what ``check`` cannot avoid importing: its floor (not held to the target)
FLOOR: dict[str, list[str]] = {
    f"floor: import {mods}": [sys.executable, "-c", f"import {mods}"]
    for mods in ("attrs", "attrs, cattrs", "attrs, cattrs, tomllib, argparse, datetime")
}

#: modules ``check`` must not import (only the evaluating and git commands need them)
FORBIDDEN = ("numpy", "git")

#: the packages whose import time is summed apart, with the standard library modules they
#: import first; the rest is the standard library (``-m``, argparse, tomllib, …)
GROUPS = {"kzrehab": "kzrehab", "attr": "attrs", "attrs": "attrs", "cattrs": "cattrs",
          "typing_extensions": "cattrs"}  # fmt: skip
STDLIB = "standard library"

ENV = dict(os.environ)


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return elapsed


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


def _by_group(rows: list[tuple[int, int, str]]) -> dict[str, int]:
    """Import self time summed by :data:`GROUPS`; a standard library module counts for the
    attrs or cattrs import that imported it first."""
    totals: dict[str, int] = defaultdict(int)
    parents: list[tuple[int, str]] = []  # (depth, group) of the enclosing imports
    for self_us, _, name in reversed(rows):  # importtime prints a module after its imports
        depth = len(name) - len(name.lstrip())
        while parents and parents[-1][0] >= depth:
            parents.pop()
        group = GROUPS.get(name.strip().split(".")[0], STDLIB)
        if group == STDLIB and parents and parents[-1][1] in ("attrs", "cattrs"):
            group = parents[-1][1]
        totals[group] += self_us
        parents.append((depth, group))
    return totals


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
    runs = {**COMMANDS, **FLOOR}
    for argv in runs.values():  # warm the file cache and the bytecode cache
        _run(argv)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.runs):
        for name, argv in runs.items():
            times[name].append(_run(argv))
    median = {name: statistics.median(t) for name, t in times.items()}
    base = median[BASE]
    cache = "no bytecode cache" if args.no_bytecode_cache else "bytecode cached"
    print(f"median of {args.runs} runs, {sys.executable}, {cache}, {os.cpu_count()} cores")
    print(f"{'command':<64} {'ms':>8} {'ratio':>7}")
    for name in runs:
        print(f"{name:<64} {median[name] * 1000:8.1f} {median[name] / base:7.2f}")
    worst = max(median[name] / base for name in COMMANDS)

    rows = _importtime(COMMANDS[CHECK])
    print(f"\nimport time of check by package (-X importtime, {len(rows)} modules):")
    for group, us in sorted(_by_group(rows).items(), key=lambda g: -g[1]):
        print(f"  {us / 1000:7.1f} ms  {group}")
    top = [r for r in rows if r[2].strip().split(".")[0] != "encodings"]
    print("slowest imports of check (self time; cumulative):")
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
