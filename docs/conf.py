"""Sphinx configuration for the kzrehab documentation."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent / "src"))

import kzrehab  # noqa: E402

project = "kzrehab"
author = "kzrehab contributors"
copyright = "2026, kzrehab contributors"
release = kzrehab.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "kzrehab_docs",
    "kzrehab_glossary",
]

exclude_patterns = ["_build"]
nitpicky = False

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False}

doctest_global_setup = "import datetime as dt"

html_theme = "alabaster"
html_title = f"kzrehab {release}"
html_theme_options = {
    "description": "Who would a draft law cover, who would it leave out, and why?",
    "fixed_sidebar": True,
}
