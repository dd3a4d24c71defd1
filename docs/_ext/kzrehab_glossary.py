"""The Sphinx directive that renders the glossary from kzrehab's data (:mod:`kzrehab.glossary`).

``.. kzrehab-glossary::``
    Every term of ``kzrehab/data/glossary.toml``, one table per group: the English form,
    then the Kazakh and the Russian form, each with its status (official, with its source;
    unverified; or the project's own translation), the codes the term stands for and its
    note. The page is generated from the data the code reads, so the two cannot disagree;
    a glossary file that fails its checks fails the build.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from kzrehab_docs import _TableDirective
from sphinx.application import Sphinx

#: how a status reads in the table
_STATUS = {"official": "official", "unverified": "*unverified*",
           "project": "*project's translation*"}


#: an address in a source, without the punctuation that may follow it
_URL = re.compile(r"https?://[^\s)]+[^\s).,;]")


def _links(text: str) -> str:
    """Addresses as explicit links (a bare one ending in ``_/`` reads as a reference)."""
    return _URL.sub(lambda m: f"`{m.group(0)} <{m.group(0)}>`__", " ".join(text.split()))


def _cell(form: Any) -> str:
    text = f"**{form.text}** — {_STATUS[form.status]}"
    if form.source:
        text += f": {_links(form.source)}"
    return text


class GlossaryDirective(_TableDirective):
    """Render :func:`kzrehab.glossary.glossary` as one list-table per group."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from kzrehab.glossary import GROUPS, glossary

        try:
            terms = glossary()
        except ValueError as exc:
            raise self.error(f"kzrehab/data/glossary.toml: {exc}") from None
        lines: list[str] = []
        for group, title in GROUPS.items():
            rows = [t for t in terms if t.group == group]
            if not rows:
                continue
            lines += [f".. list-table:: {title}", "   :header-rows: 1",
                      "   :widths: 22 26 26 26", ""]  # fmt: skip
            lines += ["   * - English", "     - Kazakh (kk)", "     - Russian (ru)",
                      "     - codes, note"]  # fmt: skip
            for t in rows:
                codes = ", ".join(f"``{c}``" for c in t.codes)
                note = " ".join(t.note.split())
                lines += [f"   * - {t.en}", f"     - {_cell(t.kk)}", f"     - {_cell(t.ru)}",
                          f"     - {'; '.join(x for x in (codes, note) if x) or chr(92) + ' '}"]
            lines.append("")
        return self._parse(lines)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("kzrehab-glossary", GlossaryDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
