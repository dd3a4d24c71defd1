"""Build the message catalogs when kzrehab is installed: each language's ``.po`` files
(``src/kzrehab/locale/LANG/*.po``) become ``LANG/LC_MESSAGES/kzrehab.mo`` (Babel, a build
requirement; ``tools/catalogs.py`` does the joining). Everything else is in
``pyproject.toml``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _catalogs():  # type: ignore[no-untyped-def]
    path = HERE / "tools" / "catalogs.py"
    spec = importlib.util.spec_from_file_location("_kzrehab_catalogs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogs(build_py):
    """``build_py`` that also compiles the catalogs: into the source tree for an editable
    install (which reads the package from there), else into the build directory."""

    def run(self) -> None:
        super().run()
        source = HERE / "src" / "kzrehab" / "locale"
        if self.editable_mode:
            _catalogs().compile_catalogs(source)
        else:
            _catalogs().compile_catalogs(source, Path(self.build_lib) / "kzrehab" / "locale")


setup(cmdclass={"build_py": BuildWithCatalogs})
