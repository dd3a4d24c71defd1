"""Coverage-guided fuzzing of the parser and the loader with atheris (optional).

``tests/test_fuzz.py`` runs Hypothesis in the test suite; this harness runs libFuzzer
through `atheris <https://pypi.org/project/atheris/>`_, which is guided by the branches the
input reaches, for as long as you let it. It is not a dependency: ``pip install atheris``.

    python benchmarks/fuzz_atheris.py parse  [libFuzzer options, e.g. -runs=200000]
    python benchmarks/fuzz_atheris.py load   -max_total_time=600 corpus/
    python benchmarks/fuzz_atheris.py registry -max_total_time=600
    python benchmarks/fuzz_atheris.py store  -max_total_time=600

``parse`` feeds the bytes, decoded as UTF-8, to :func:`kzrehab.rules.parse` and, when they
parse, to the type checker against ``rehabilitation-1993``'s definitions; ``load`` feeds
them to :func:`kzrehab.laws.loader.load_law_text` and, when a law loads, checks it as a
framework and exports it to Akoma Ntoso; ``registry`` writes them to a JSON Lines file and
reads it as a registry; ``store`` writes them as a columnar store file, and evaluates
``drafts/current`` over whatever opens. The drafts under ``drafts/`` (their expressions,
for ``parse``; ``tests/data/sample.jsonl`` and a store of it, for ``registry`` and
``store``) seed the corpus. Anything but a
:class:`~kzrehab.errors.KzrehabError` is a crash, which libFuzzer saves as ``crash-*``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

with atheris.instrument_imports(include=["kzrehab"]):
    from kzrehab.akn import akn_xml
    from kzrehab.errors import KzrehabError
    from kzrehab.evaluation import summarize
    from kzrehab.laws.framework import Framework, load_framework
    from kzrehab.laws.loader import load_law_file, load_law_text
    from kzrehab.laws.provisions import Expression, Law
    from kzrehab.population import load_population
    from kzrehab.rules import parse
    from kzrehab.rules.checker import Checker

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted(p for p in (ROOT / "drafts").rglob("*.toml") if "cases" not in p.parts)
CONTEXT = load_law_file(ROOT / "drafts" / "current" / "rehabilitation-1993.toml")


def fuzz_parse(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        node = parse(text)
        checker = Checker({n: d.expr for n, d in CONTEXT.definitions.items()},
                          CONTEXT.parameters)  # fmt: skip
        checker.check(Expression(text, node))
    except KzrehabError:
        pass


def fuzz_load(data: bytes) -> None:
    try:
        law = load_law_text(data, "fuzz.toml")
    except KzrehabError:
        return
    with contextlib.suppress(KzrehabError):
        Framework([law])
    ET.fromstring(akn_xml(law).encode("utf-8"))


def _population(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            pop = load_population(path)
            summarize(load_framework([ROOT / "drafts" / "current"]),
                      pop, dt.date(2025, 6, 1), chunk=7)
            _ = [pop.claim_id(i) for i in range(len(pop))], pop.claims, pop.digest
        except KzrehabError:
            pass


def fuzz_registry(data: bytes) -> None:
    _population(data, "r.jsonl")


def fuzz_store(data: bytes) -> None:
    _population(data, "s.kzstore")


def _seed(target: str) -> str:
    """A corpus directory seeded with the drafts (or their expressions, or a registry)."""
    folder = Path(tempfile.mkdtemp(prefix=f"kzrehab-fuzz-{target}-"))
    sample = ROOT / "tests" / "data" / "sample.jsonl"
    if target == "registry":
        (folder / "sample.jsonl").write_bytes(sample.read_bytes())
        return str(folder)
    if target == "store":
        load_population(sample).save(folder / "sample.kzstore")
        return str(folder)
    if target == "load":
        for path in DRAFTS:
            (folder / path.name).write_bytes(path.read_bytes())
        return str(folder)
    n = 0
    for path in DRAFTS:
        law: Law = load_law_file(path)
        for d in law.definitions.values():
            (folder / f"e{n}").write_text(d.expr.source, encoding="utf-8")
            n += 1
    return str(folder)


def main() -> None:
    targets = {"parse": fuzz_parse, "load": fuzz_load, "registry": fuzz_registry,
               "store": fuzz_store}  # fmt: skip
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        sys.exit(f"usage: {sys.argv[0]} parse|load|registry|store [libFuzzer options] "
                 "[corpus dirs]")  # fmt: skip
    target = sys.argv[1]
    argv = [sys.argv[0], *sys.argv[2:]]
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(_seed(target))
    atheris.Setup(argv, targets[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
