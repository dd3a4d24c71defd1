"""Benchmark ``compare`` with a draft of many changed provisions against one ``coverage``
(issue 15, item 4: target at most 3 times; the figures: ``docs/benchmarks.rst``).

    python benchmarks/compare_many.py                       # 2,000 changed provisions
    python benchmarks/compare_many.py --provisions 200 --whole
    python benchmarks/compare_many.py --changed             # 2,000 changed conditions

:func:`draft` writes a draft law of ``--provisions`` grounds, each with its own condition
(``exists(events[measure == M and year == Y])`` over the measures and years of the
synthetic registry, so that many grounds move some claims). The base is the modelled
current law (``drafts/current``), the head the current law and the draft: every ground is
a changed (added) provision, and attribution takes each back in turn. With ``--changed``
the base has the draft too, each ground's year one earlier: every ground's condition
changed.

In one run, on the synthetic reference population (200,000 claims, made once in
``KZREHAB_CACHE``), the script measures the processor time of one evaluation of the head
as ``coverage`` runs it (:func:`kzrehab.evaluation.summarize`) and of
:func:`kzrehab.attribution.compare` (incremental attribution: every variant a patch of the
head, :mod:`kzrehab.variants`), and prints the ratio, and the wall times'. ``--whole``
also measures ``compare`` with every variant evaluated whole, and checks that the rows
are the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)
MEASURES = ["deportation", "special_settlement", "exile", "confiscation", "requisition",
            "famine_death", "forced_flight", "forced_sedentarisation", "imprisonment",
            "deprivation_of_rights"]  # fmt: skip


def draft(provisions: int, shift: int = 0) -> str:
    """A draft law of ``provisions`` grounds, each a measure and a year (``shift``: each
    ground's year that many years later, the same ground with another condition). There are
    400 such conditions: beyond 400 grounds they repeat, and grounds share them as twins
    (``kzrehab.plan.Plan.twins``)."""
    lines = ["[law]", 'id = "many-changes"', 'title = "A draft of many changed provisions"',
             'kind = "bill"', 'status = "draft"', 'version = "benchmark"',
             'sources = ["A benchmark fixture (issue 15), not a modelled law"]', "",
             "[[article]]", 'number = "1"', 'text = "Many grounds."', ""]  # fmt: skip
    for i in range(provisions):
        measure, year = MEASURES[i % len(MEASURES)], 1920 + (i // len(MEASURES)) % 40 + shift
        lines += ["  [[article.ground]]", f'  id = "ground-{i}"', f'  category = "c{i % 7}"',
                  f"  when = \"exists(events[measure == '{measure}' and year == {year}])\"",
                  ""]  # fmt: skip
    return "\n".join(lines) + "\n"


def cpu(fn: Any) -> tuple[float, Any]:
    """The processor time of ``fn()`` and its result; the wall time is kept in ``WALL``."""
    t, w = time.process_time(), time.perf_counter()
    result = fn()
    WALL.append(time.perf_counter() - w)
    return time.process_time() - t, result


#: the wall times of the calls measured by :func:`cpu`, in order
WALL: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provisions", type=int, default=2000)
    parser.add_argument("--whole", action="store_true", help="also evaluate every variant whole")
    parser.add_argument("--changed", action="store_true",
                        help="the base has the draft too, each ground's year one earlier: "
                             "every ground's condition changed, not added")  # fmt: skip
    args = parser.parse_args()

    import attrs

    from kzrehab import attribution
    from kzrehab.evaluation import summarize
    from kzrehab.laws.framework import Framework, load_framework
    from kzrehab.population.reference import reference_population

    pop = reference_population()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "many.toml"
        path.write_text(draft(args.provisions), encoding="utf-8")
        base_paths = [ROOT / "drafts" / "current"]
        if args.changed:
            base_paths.append(Path(tmp) / "before" / "many.toml")
            base_paths[-1].parent.mkdir()
            base_paths[-1].write_text(draft(args.provisions, -1), encoding="utf-8")
        base_laws = load_framework(base_paths).laws
        head_laws = load_framework([ROOT / "drafts" / "current", path]).laws

    t_cov, _ = cpu(lambda: summarize(Framework(head_laws), pop, AS_OF))
    t_cmp, result = cpu(lambda: attribution.compare(Framework(base_laws), Framework(head_laws),
                                                    pop, AS_OF))  # fmt: skip
    rows = len(result.attribution) - 1
    moving = sum(1 for r in result.attribution[:-1] if r.gained or r.lost)
    results: dict[str, Any] = {"claims": len(pop), "provisions": args.provisions,
                               "changed": args.changed,
                               "rows": rows, "rows_moving_claims": moving,
                               "coverage_cpu_seconds": round(t_cov, 3),
                               "compare_cpu_seconds": round(t_cmp, 3),
                               "ratio": round(t_cmp / t_cov, 1),
                               "coverage_wall_seconds": round(WALL[0], 3),
                               "compare_wall_seconds": round(WALL[1], 3),
                               "wall_ratio": round(WALL[1] / WALL[0], 1)}  # fmt: skip
    print(f"{len(pop):,} claims, {args.provisions:,} changed provisions ({moving:,} of the "
          f"rows move claims): coverage {t_cov:.2f} s, compare {t_cmp:.1f} s: "
          f"{t_cmp / t_cov:.1f}x (wall {WALL[0]:.2f} s, {WALL[1]:.1f} s: "
          f"{WALL[1] / WALL[0]:.1f}x)", flush=True)  # fmt: skip
    if args.whole:
        attribution.INCREMENTAL = False
        t_whole, whole = cpu(lambda: attribution.compare(Framework(base_laws),
                                                         Framework(head_laws), pop, AS_OF))
        attribution.INCREMENTAL = True
        assert [attrs.asdict(r) for r in whole.attribution] == [
            attrs.asdict(r) for r in result.attribution]
        results["compare_whole_variants_cpu_seconds"] = round(t_whole, 3)
        print(f"compare with every variant evaluated whole: {t_whole:.1f} s "
              f"({t_whole / t_cov:.1f}x; the same rows)", flush=True)  # fmt: skip
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
