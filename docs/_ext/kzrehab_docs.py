"""Sphinx directives that render kzrehab's vocabulary and operators from the code.

``.. kzrehab-vocabulary:: [claim|event]``
    The fact tables of :mod:`kzrehab.vocabulary` (both when no argument is given).

``.. kzrehab-operators::``
    The operator table of :mod:`kzrehab.rules.operators`.

``.. kzrehab-limits::``
    The limits on untrusted input of :mod:`kzrehab.limits`, with their environment variables.

``.. kzrehab-law:: drafts/current/rehabilitation-1993.toml``
    One modelled law, loaded with :func:`kzrehab.laws.loader.load_law_file` from a path
    relative to the repository root (the parent of ``docs/``): its metadata, sources,
    parameters, definitions, articles and provisions. A file that fails to load is an
    error of the build, and so is a draft under ``drafts/`` that no page renders.

All of them build reStructuredText text and parse it in place, so the pages can never
drift from the code or from the drafts.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from docutils.utils import column_width
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

logger = logging.getLogger(__name__)

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
            if op.syntax != "internal"
        ]
        header = ("operator", "form", "binding", "meaning")
        return self.render_table(None, header, rows, (14, 10, 8, 68))


class LimitsDirective(_TableDirective):
    """Render the limits of :mod:`kzrehab.limits`: default and environment variable."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from kzrehab import limits

        rows = []
        for name in limits.__all__:
            limit = getattr(limits, name)
            if not isinstance(limit, limits.Limit):
                continue
            default = f"{limit.default:,} {limit.unit}"
            if limit.unit == "bytes" and limit.default % (1024 * 1024) == 0:
                default += f" ({limit.default // (1024 * 1024)} MiB)"
            rows.append((limit.name, default, f"{limit.maximum:,}", _literal(limit.env),
                         _literal(name)))  # fmt: skip
        header = ("limit", "default", "at most", "raised by", "in the code")
        return self.render_table(None, header, rows, (20, 24, 14, 30, 22))


class CalibrationDirective(_TableDirective):
    """Render :data:`kzrehab.population.CALIBRATION`: archetype, share, figure, source."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from kzrehab.population._calibration import CALIBRATION

        rows = [
            (
                _literal(c.archetype),
                f"{c.share:.2%}",
                _escape(c.figure),
                _with_links(c.source),
                _escape(c.note),
            )
            for c in CALIBRATION
        ]
        header = ("archetype", "share", "published figure", "source", "how it is used")
        return self.render_table(None, header, rows, (16, 8, 24, 26, 26))


# -- laws -------------------------------------------------------------------------------

# Characters that start or end inline markup anywhere in a paragraph, and ``:`` (roles,
# field lists, the ``::`` that opens a literal block). Other punctuation is harmless
# except at the start of a paragraph (bullets, enumerators, comments, option lists), where
# the first word is escaped whole.
_INLINE_MARKUP = re.compile(r"([\\`*_|:<>\[\]])")
_FIRST_WORD_PUNCT = re.compile(r"([^\w\s])")
_URL = re.compile(r"https?://[^\s<>`\\]+")
_URL_TRAILING = ".,;:)]'\""

#: An empty list-table cell (an escaped space).
_EMPTY_CELL = "\\ "

#: The kinds of law whose text is modelled, with how the note names them.
_MODELLED_KINDS: Mapping[str, str] = {"bill": "bill", "proposal": "proposal"}


def _escape(text: str) -> str:
    """One line of plain text as reStructuredText that renders exactly as written.

    ``text`` must already be a single line. Inline markup characters are escaped
    everywhere; the first word is escaped whole, so that ``1.``, ``(a)``, ``-``, ``..``
    or ``>>>`` cannot start a list, a comment or a doctest block.
    """
    if not text:
        return ""
    first, space, rest = text.partition(" ")
    first = _FIRST_WORD_PUNCT.sub(r"\\\1", first)
    return first + space + _INLINE_MARKUP.sub(r"\\\1", rest)


def _paragraphs(text: str) -> list[str]:
    """Legal text as escaped paragraphs: blank lines separate them, line breaks do not."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        line = " ".join(para.split())
        if line:
            out.append(_escape(line))
    return out


def _indent(lines: Iterable[str], width: int = 3) -> list[str]:
    pad = " " * width
    return [pad + line if line else "" for line in lines]


def _code(source: str) -> list[str]:
    """An expression as a literal block, its own line breaks and indentation kept."""
    text = textwrap.dedent(source.expandtabs(4)).strip("\n")
    body = [line.rstrip() for line in text.splitlines()] or [""]
    while body and not body[0].strip():
        body.pop(0)
    return [".. code-block:: text", "", *_indent(body or ["(empty)"]), ""]


def _title(text: str, char: str) -> list[str]:
    line = _escape(" ".join(text.split()))
    return [line, char * max(4, column_width(line)), ""]


def _with_links(text: str) -> str:
    """A source: its text escaped, each URL made a link."""
    parts: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_URL_TRAILING)
        if len(url) <= len("https://"):
            continue
        start, end = m.start(), m.start() + len(url)
        before = text[pos:start]
        parts.append(_escape(before) if pos == 0 else _INLINE_MARKUP.sub(r"\\\1", before))
        # Inline markup must stand apart from the text around it: an escaped space
        # separates it and renders as nothing.
        if before and not before[-1].isspace():
            parts.append("\\ ")
        # An anonymous reference (two underscores): the same URL may appear twice.
        parts.append(f"`{url} <{url}>`__")
        if end < len(text) and not text[end].isspace():
            parts.append("\\ ")
        pos = end
    rest = text[pos:]
    parts.append(_escape(rest) if pos == 0 else _INLINE_MARKUP.sub(r"\\\1", rest))
    return "".join(parts)


def _number(value: float) -> str:
    """A parameter's value as written: ``3692``, ``0.75``, ``1e+20``."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _literals(items: Iterable[str]) -> str:
    return ", ".join(_literal(i) for i in items)


def _field(name: str, body: str | list[str]) -> list[str]:
    """A field list item: a one-line body on the same line, blocks indented below it."""
    if isinstance(body, str):
        return [f":{name}: {body}"]
    return [f":{name}:", *_indent(body), ""]


def _prose_block(text: str) -> list[str]:
    out: list[str] = []
    for para in _paragraphs(text):
        out += [para, ""]
    return out


class LawDirective(SphinxDirective):
    """Render one draft law: ``.. kzrehab-limits::``
        The limits on untrusted input of :mod:`kzrehab.limits`, with their environment variables.

    ``.. kzrehab-law:: drafts/current/rehabilitation-1993.toml``.

        The path is relative to the repository root, the parent of the Sphinx source
        directory. A file that does not load is an error of the build.
    """

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False
    has_content = False

    def run(self) -> list[nodes.Node]:
        from kzrehab.errors import KzrehabError
        from kzrehab.laws.loader import load_law_file

        given = self.arguments[0]
        root = _repo_root(self.env)
        path = (root / given).resolve()
        if Path(given).is_absolute() or not path.is_relative_to(root):
            raise self.error(f"kzrehab-law: {given!r} must be a path inside the repository")
        if path.suffix != ".toml" or not path.is_file():
            raise self.error(f"kzrehab-law: no draft file {given!r} under {root}")
        self.env.note_dependency(str(path))
        relative = path.relative_to(root).as_posix()
        # Recorded before loading: a draft that fails to load is reported once, as such.
        _laws_rendered(self.env).setdefault(relative, []).append(self.env.docname)
        try:
            law = load_law_file(path)
        except KzrehabError as exc:
            raise self.error(f"kzrehab-law: {given} does not load: {exc}") from None
        except Exception as exc:  # a bug in the loader must fail the build too
            raise self.error(
                f"kzrehab-law: {given} does not load ({type(exc).__name__}): {exc}"
            ) from None
        cases_file = path.parent.parent / "cases" / f"{path.stem}.toml"
        cases: list[Any] = []
        if cases_file.is_file():
            from kzrehab.lawtests import load_case_file

            self.env.note_dependency(str(cases_file))
            try:
                cases = load_case_file(cases_file)
            except KzrehabError as exc:
                raise self.error(f"kzrehab-law: the cases of {given} do not load: {exc}") from None
        lines = _LawPage(law, relative, cases, cases_file.relative_to(root).as_posix()).lines()
        # Generated lines are attributed to the directive, so a message points at the page.
        source, line_number = self.get_source_info()
        content = StringList()
        for line in lines:
            content.append(line, source, line_number)
        return nested_parse_to_nodes(
            self.state,
            content,
            offset=self.content_offset,
            allow_section_headings=True,
        )


class _LawPage:
    """The reStructuredText of one law's page."""

    def __init__(self, law: Any, path: str, cases: Sequence[Any] = (), cases_path: str = "") -> None:
        self.law = law
        self.path = path
        self.cases = cases
        self.cases_path = cases_path

    def lines(self) -> list[str]:
        return [
            *self.head(),
            *self.sources(),
            *self.notes(),
            *self.parameters(),
            *self.definitions(),
            *[line for article in self.law.articles for line in self.article(article)],
            *self.case_lines(),
        ]

    def notes(self) -> list[str]:
        if not self.law.notes:
            return []
        out = _title("Recorded choices and notes", "-")
        for note in self.law.notes:
            out.append("#. " + _with_links(" ".join(note.split())))
        return [*out, ""]

    def case_lines(self) -> list[str]:
        out = _title("Test cases", "-")
        if not self.cases:
            return [*out, "*No test cases.*", ""]
        out += [
            f"The cases of {_literal(self.cases_path)}, which ``kzrehab test`` runs through",
            "both engines (see :doc:`/howto/test-case`).",
            "",
        ]
        for case in self.cases:
            exp = case.expected
            laws = ", ".join(_literal(Path(p).name) for p in case.laws)
            out += _title(f"Case {case.id}", "~")
            out += _field("Claim", _literal(case.claim.id))
            out += _field("Laws", laws)
            out += _field("As of", case.as_of.isoformat())
            out += _field("Expected status", exp.status)
            if exp.categories is not None:
                cats = ", ".join(f"{c} ({v})" for c, v in sorted(exp.categories.items()))
                out += _field("Expected categories", _escape(cats) if cats else "none")
            if exp.grounds is not None:
                out += _field("Grounds that apply", ", ".join(map(_literal, exp.grounds)) or "none")
            if exp.components is not None:
                comps = ", ".join(f"{_literal(c)} ({v})" for c, v in sorted(exp.components.items()))
                out += _field("Components", comps or "none")
            for comp, (lo, hi) in sorted(exp.amounts.items()):
                out += _field(f"Amount of {comp}", f"{lo:,.2f} to {hi:,.2f}")
            out += _field("Reasoning", _escape(" ".join(case.reasoning.split())))
            out += _field("Source", _with_links(" ".join(case.source.split())))
            out.append("")
        return out

    # -- metadata ---------------------------------------------------------------------------

    def head(self) -> list[str]:
        law = self.law
        out = [f"**{_escape(' '.join(law.title.split()))}**", ""]
        if law.kind in _MODELLED_KINDS:
            what = _MODELLED_KINDS[law.kind]
            out += [
                ".. important::",
                "",
                *_indent(
                    [
                        f"**Modelled {what}.** This is not an enacted or published text. "
                        f"kzrehab's drafters wrote this {what} from public statements and "
                        "recommendations (see the sources below) to measure what such a "
                        "law would cover; its articles, conditions and amounts are theirs, "
                        "not a legislator's.",
                    ]
                ),
                "",
            ]
        dates = [
            f"{name} {value.isoformat()}"
            for name, value in (
                ("adopted", law.adopted),
                ("effective", law.effective),
                ("published", law.published),
            )
            if isinstance(value, dt.date)
        ]
        number = _escape(law.number) if law.number else "none recorded"
        adilet = (
            f"`{law.adilet} <https://adilet.zan.kz/rus/docs/{law.adilet}>`__"
            if law.adilet else "none recorded"
        )
        from kzrehab.laws.provisions import wording

        title = wording(law, "title")
        out += [
            *_field("Law id", _literal(law.id)),
            *[line for lang, text in title.texts if lang != "en" for line in _field(
                f"Title ({lang})", f"{_escape(text)} — "
                + ("official" if lang in title.official else "unofficial translation"))],
            *_field("Official number", number),
            *_field("Adilet code", adilet),
            *_field("Kind", law.kind),
            *_field("Status", law.status),
            *_field("Version", _escape(law.version) if law.version else "not given"),
            *_field("Legal dates", ", ".join(dates) if dates else "none given"),
            *_field("File", _literal(self.path)),
            "",
        ]
        return out

    def sources(self) -> list[str]:
        out = _title("Sources", "-")
        if not self.law.sources:
            return [*out, "*No sources given.*", ""]
        for source in self.law.sources:
            out.append("#. " + _with_links(" ".join(source.split())))
        return [*out, ""]

    def parameters(self) -> list[str]:
        params = self.law.parameters
        if not params:
            return []
        out = [*_title("Parameters", "-")]
        out += [
            "Dated values apply from their date on: a claim is assessed with the latest value",
            "on or before the assessment date.",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 30 30 40",
            "",
            "   * - name",
            "     - from",
            "     - value",
        ]
        for name, param in params.items():
            for i, (since, value) in enumerate(param.values):
                out += [
                    f"   * - {_literal(name) if i == 0 else _EMPTY_CELL}",
                    f"     - {since.isoformat() if since else 'always'}",
                    f"     - {_number(value)}",
                ]
        return [*out, ""]

    def definitions(self) -> list[str]:
        defs = self.law.definitions
        if not defs:
            return []
        out = [*_title("Definitions", "-")]
        for name, definition in defs.items():
            out += [_literal(name), *_indent(_code(definition.expr.source))]
        return out

    # -- articles ---------------------------------------------------------------------------

    def article(self, article: Any) -> list[str]:
        heading = f"Article {article.number}" if article.number else "Inserted by amendment"
        if article.heading:
            heading += f" — {article.heading}"
        out = _title(heading, "-")
        if article.id:
            out += [f"*Article id:* {_literal(article.id)}", ""]
        out += _prose_block(article.text) or ["*No text.*", ""]
        for provision in article.provisions:
            out += self.provision(provision, article.text)
        return out

    def provision(self, p: Any, article_text: str) -> list[str]:
        kind = p.kind_name
        full = self.law.full_id(p.id)
        out = [
            f".. rubric:: {kind.capitalize()} {_literal(full)}",
            f"   :name: {full}",
            "",
        ]
        render = getattr(self, f"_{kind}")
        out += render(p)
        if p.amended_by:
            out += _field("Amended by", _literals(p.amended_by))
        if p.text and p.text != article_text:
            out += _field("Own text", _prose_block(p.text))
        return [*out, ""]

    def _every_ground(self, grounds: Sequence[str]) -> str:
        return _literals(grounds) if grounds else "every ground of this law"

    def _ground(self, g: Any) -> list[str]:
        return [
            *_field("Category", _literal(g.category)),
            *_field("When", _code(g.when.source)),
        ]

    def _exclusion(self, e: Any) -> list[str]:
        out = _field("When", _code(e.when.source))
        if e.unless is not None:
            out += _field("Unless", _code(e.unless.source))
        else:
            out += _field("Unless", "no exception")
        out += _field("Grounds covered", self._every_ground(e.grounds))
        return out

    def _component(self, c: Any) -> list[str]:
        out = [
            *_field("Kind", c.kind),
            *_field("Title", _escape(c.title) if c.title else "not given"),
            *_field("Granted by", self._every_ground(c.grounds)),
            *_field("Recipients", _literals(c.recipients)),
        ]
        if c.amount is not None:
            out += _field("Amount", _code(c.amount.source))
        else:
            out += _field("Amount", "none (a reparation without an amount)")
        if c.instead_of:
            out += _field("Instead of", _literals(c.instead_of))
        return out

    def _amendment(self, a: Any) -> list[str]:
        out = [
            *_field("Target law", _literal(a.law)),
            *_field("Target", _literal(a.target)),
            *_field("Action", a.action),
        ]
        if not a.changes:
            return out
        items: list[str] = []
        for key, value in a.changes.items():
            items += self._change(key, value)
        return [*out, *_field("Changed fields", items)]

    def _change(self, key: str, value: Any) -> list[str]:
        from kzrehab.laws.provisions import Expression

        head = f"- {_literal(key)}"
        if isinstance(value, Expression):
            return [f"{head}:", "", *_indent(_code(value.source), 2)]
        if key in ("text", "title") and isinstance(value, str):
            return [f"{head}:", "", *_indent(_prose_block(value), 2)]
        if key == "value" and isinstance(value, tuple):
            pairs = [
                f"{_number(v)} from {since.isoformat()}" if since else _number(v)
                for since, v in value
            ]
            return [f"{head}: {'; '.join(pairs)}", ""]
        if isinstance(value, tuple):
            return [f"{head}: {_literals(value) if value else '(none)'}", ""]
        return [f"{head}: {_literal(str(value))}", ""]


# -- the safety net: every draft has a page ---------------------------------------------


def _repo_root(env: BuildEnvironment) -> Path:
    return Path(env.srcdir).resolve().parent


def _laws_rendered(env: BuildEnvironment) -> dict[str, list[str]]:
    """Repository-relative law file → the documents that render it."""
    if not hasattr(env, "kzrehab_laws"):
        env.kzrehab_laws = {}  # type: ignore[attr-defined]
    return env.kzrehab_laws  # type: ignore[attr-defined,no-any-return]


def _purge_laws(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    rendered = _laws_rendered(env)
    for path in list(rendered):
        rendered[path] = [d for d in rendered[path] if d != docname]
        if not rendered[path]:
            del rendered[path]


def _merge_laws(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment
) -> None:
    rendered = _laws_rendered(env)
    for path, docs in _laws_rendered(other).items():
        rendered.setdefault(path, []).extend(d for d in docs if d in docnames)


def _check_laws(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about a draft under ``drafts/`` without a page, and one rendered twice."""
    root = _repo_root(env)
    drafts = root / app.config.kzrehab_drafts
    rendered = _laws_rendered(env)
    if drafts.is_dir():
        for path in sorted(drafts.rglob("*.toml")):
            relative = path.relative_to(root)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if "cases" in relative.parts[:-1]:
                continue  # law test case files, rendered on the pages of their laws
            if relative.as_posix() not in rendered:
                logger.warning(
                    "the draft %s has no page: add docs/laws/%s.rst holding "
                    "'.. kzrehab-law:: %s' to the toctree of docs/laws/index.rst",
                    relative.as_posix(),
                    path.stem,
                    relative.as_posix(),
                    type="kzrehab",
                    subtype="law",
                )
    for path, docs in sorted(rendered.items()):
        if len(docs) > 1:
            logger.warning(
                "the draft %s is rendered more than once (%s)",
                path,
                ", ".join(sorted(docs)),
                type="kzrehab",
                subtype="law",
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("kzrehab_drafts", "drafts", "env", str)
    app.add_directive("kzrehab-vocabulary", VocabularyDirective)
    app.add_directive("kzrehab-operators", OperatorsDirective)
    app.add_directive("kzrehab-limits", LimitsDirective)
    app.add_directive("kzrehab-calibration", CalibrationDirective)
    app.add_directive("kzrehab-law", LawDirective)
    app.connect("env-purge-doc", _purge_laws)
    app.connect("env-merge-info", _merge_laws)
    app.connect("env-check-consistency", _check_laws)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
