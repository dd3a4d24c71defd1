"""The house's rules (``docs/architecture.rst``): the import contracts hold, and no source
file grows past about 600 lines, except the data the page names."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "kzrehab"
#: about 600 lines; the data tables the architecture page names may be longer
MAX_LINES = 620
DATA_TABLES: set[str] = set()


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    run = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_no_source_file_is_over_about_600_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= DATA_TABLES, long


def test_the_architecture_page_names_every_room() -> None:
    """A contributor finds any room from the page: every package and top-level module."""
    page = (ROOT / "docs" / "architecture.rst").read_text(encoding="utf-8")
    rooms = [p.stem for p in SRC.rglob("*.py") if p.stem not in {"__init__", "__main__"}]
    rooms += [p.name for p in SRC.rglob("*") if (p / "__init__.py").exists()]
    missing = [r for r in rooms if f"``{r}``" not in page and f"kzrehab.{r}" not in page]
    assert not missing, missing
