"""Sphinx directives that render kzrehab's vocabulary and operators from the code.

``.. kzrehab-vocabulary:: [claim|event]``
    The fact tables of :mod:`kzrehab.vocabulary` (both when no argument is given).

``.. kzrehab-operators::``
    The operator table of :mod:`kzrehab.rules.operators`.

Both build reStructuredText ``list-table`` text and parse it in place, so the tables can
never drift from the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

# Docstrings in the code use Markdown-style `code`; reStructuredText wants ``code``.
_CODE = re.compile(r"(?<!`)`([^`]+)`(?!`)")


def _rst(text: str) -> str:
    """One line of reStructuredText from a docstring fragment."""
    return _CODE.sub(r"``\1``", " ".join(text.split()))


def _literal(text: str) -> str:
    """``text`` as an inline literal, safe for any content."""
    return f"``{text}``" if "`" not in text else f":code:`{text}`"


class _TableDirective(SphinxDirective):
    """A directive that renders one or more list-tables."""

    def render_table(
        self,
        title: str | None,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[int],
    ) -> list[nodes.Node]:
        lines = [
            f".. list-table:: {title or ''}".rstrip(),
            "   :header-rows: 1",
            f"   :widths: {' '.join(map(str, widths))}",
            "",
        ]
        for row in (header, *rows):
            for i, cell in enumerate(row):
                bullet = "   * - " if i == 0 else "     - "
                lines.append(bullet + (cell or "\\ "))
        return self._parse(lines)

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        source = self.get_source_info()[0] or "<kzrehab_docs>"
        content = StringList()
        for n, line in enumerate(lines):
            content.append(line, source, n)
        container = nodes.container()
        self.state.nested_parse(content, self.content_offset, container)
        return list(container.children)


# scope argument -> (mapping in kzrehab.vocabulary, table caption)
_SCOPES: Mapping[str, tuple[str, str]] = {
    "claim": ("CLAIM_FACTS", "Claim facts"),
    "event": ("EVENT_FACTS", "Event facts"),
}


class VocabularyDirective(_TableDirective):
    """Render the claim and/or event fact tables of :mod:`kzrehab.vocabulary`."""

    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from kzrehab import vocabulary

        scopes = self.arguments or list(_SCOPES)
        out: list[nodes.Node] = []
        for scope in scopes:
            if scope not in _SCOPES:
                raise self.error(f"unknown scope {scope!r}; expected one of {', '.join(_SCOPES)}")
            attr, title = _SCOPES[scope]
            facts: Mapping[str, Any] = getattr(vocabulary, attr)
            rows = [self._row(fact) for fact in facts.values()]
            # Under its own heading (one scope asked for), a table needs no caption.
            caption = None if self.arguments else title
            header = ("name", "type", "values / meaning")
            out += self.render_table(caption, header, rows, (20, 10, 70))
        return out

    @staticmethod
    def _row(fact: Any) -> tuple[str, str, str]:
        meaning = _rst(fact.doc)
        if fact.values:
            values = ", ".join(_literal(v) for v in fact.values)
            meaning = f"{meaning}: {values}" if meaning else values
        if fact.derived:
            meaning += " — derived, never read from a registry"
        return _literal(fact.name), fact.kind.value, meaning


class OperatorsDirective(_TableDirective):
    """Render the operator table of :mod:`kzrehab.rules.operators` (``REGISTRY``)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from kzrehab.rules.operators import REGISTRY

        rows = [
            (
                _literal(op.spelling or name),
                op.syntax,
                str(op.precedence),
                _rst(op.doc),
            )
            for name, op in REGISTRY.items()
        ]
        header = ("operator", "form", "binding", "meaning")
        return self.render_table(None, header, rows, (14, 10, 8, 68))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("kzrehab-vocabulary", VocabularyDirective)
    app.add_directive("kzrehab-operators", OperatorsDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
