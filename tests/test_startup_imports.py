"""Commands import only what they need: ``check`` and ``export`` never import NumPy or git.

Each runs in a fresh interpreter (a subprocess), since this test process has imported
everything already. Start-up *time* is measured by ``benchmarks/startup.py``, not here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kzrehab.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("numpy", "git", "lxml", "cobalt", "dateutil", "xlsxwriter", "pandas", "pyarrow",
         "openpyxl")  # fmt: skip

SCRIPT = """
import json, sys
import kzrehab.cli
status = kzrehab.cli.main({argv!r})
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print(json.dumps({{"status": status, "heavy": heavy}}))
"""


def _imports(argv: list[str]) -> tuple[int, list[str]]:
    code = SCRIPT.format(argv=argv, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["status"], result["heavy"]


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "drafts/current"],
        ["check", "drafts"],
        ["export", "drafts/bills/peasants.toml", "--to", "akn", "--with", "drafts/current"],
    ],
    ids=["check-current", "check-all", "export"],
)
def test_no_heavy_imports(argv: list[str]) -> None:
    status, heavy = _imports(argv)
    assert status in (0, 1)
    assert not [m for m in heavy if m.split(".")[0] in ("numpy", "git")], heavy
    assert not [m for m in heavy if m.split(".")[0] in ("lxml", "cobalt")], heavy


#: what ``--help`` does not need either: attrs, cattrs and the modules defining attrs classes
NOT_FOR_HELP = (*HEAVY, "babel", "attr", "attrs", "cattrs", "kzrehab.claims", "kzrehab.laws",
                "kzrehab.rules", "kzrehab.dates")  # fmt: skip


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys, kzrehab.cli\n"
        "try:\n    kzrehab.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.startswith({NOT_FOR_HELP!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_check_imports_no_other_command_module() -> None:
    """``check`` registers the command modules only up to its own."""
    code = (
        "import sys, kzrehab.cli\n"
        "kzrehab.cli.main(['check', 'drafts/current/rehabilitation-1993.toml'])\n"
        "from kzrehab.commands import MODULES\n"
        "print(sorted(m for m in MODULES if f'kzrehab.commands.{m}' in sys.modules))"
    )
    assert _run(code) == "['core']"


def test_loader_builds_its_converter_on_first_load() -> None:
    code = (
        "import kzrehab.laws.loader, kzrehab.laws.schema as S\n"
        "print(S.converter.cache_info().currsize)"
    )
    assert _run(code) == "0"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_a_command_parses_as_with_every_command_registered() -> None:
    """``build_parser(command)`` stops at the module defining ``command``: that command's
    parser is the same as when every command is registered, and a name that is no command
    gets every command."""
    every = _commands(build_parser())
    assert list(every) == list(_commands(build_parser("--help")))
    assert list(every) == list(_commands(build_parser("no-such-command")))
    for name, parser in every.items():
        partial = _commands(build_parser(name))
        assert name in partial and set(partial) <= set(every)
        assert partial[name].format_help() == parser.format_help()
    assert len(_commands(build_parser("check"))) < len(every)


def test_a_report_imports_no_table_writer() -> None:
    """Only ``--format csv|xlsx|parquet`` and ``to_pandas()`` import the table writers and
    the optional extras."""
    status, heavy = _imports(["coverage", "drafts/current", "--population",
                              "tests/data/sample.jsonl", "--format", "json"])  # fmt: skip
    assert status == 0
    assert not [m for m in heavy if m.split(".")[0] in ("xlsxwriter", "pandas", "pyarrow")]
