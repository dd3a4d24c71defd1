"""Commands import only what they need: ``check`` and ``export`` never import NumPy or git.

Each runs in a fresh interpreter (a subprocess), since this test process has imported
everything already. Start-up *time* is measured by ``benchmarks/startup.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("numpy", "git", "lxml", "cobalt", "dateutil")

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


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys, kzrehab.cli\n"
        "try:\n    kzrehab.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
