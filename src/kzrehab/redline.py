"""The structural diff of two versions of a law: provisions, articles, parameters, definitions.

**Provisions** are matched by their stable ids. A matched provision's change is one or
more of (joined by ``+`` in this order, as :doc:`reports` and :doc:`json` spell it):

- ``reworded`` — its text (or a component's title, or an amendment's text) changed, after
  normalising white space;
- ``rule-changed`` — what it does changed: ``when``, ``unless``, ``amount``, ``grounds``,
  ``recipients``, ``category``, ``kind``, ``instead_of``, its type, or for an amendment its
  target, action or changes. Expressions compare by their parsed trees (so reformatting
  is no change), and lists of ids as sets of full ids;
- ``renumbered`` — the number of the article holding it changed (renumbered or moved);
- ``amended`` — the amendments recorded in its ``amended_by`` changed.

A provision only in the head version is ``added``, only in the base ``removed``.

**Articles** are matched by ``id`` where both versions give one, then by the provisions
they hold, then by the similarity of their heading and text (:mod:`difflib`), so that an
inserted "article 5-1", a renumbering or a move is reported as what it is and not as a
cascade of changes. **Parameters and definitions** are matched by name and reported with
the ids ``LAW:parameters.NAME`` and ``LAW:definitions.NAME`` (the spelling of an
amendment's target); a changed value is ``rule-changed``.

Changed text comes with a word-level :func:`redline` of frozen :class:`Edit` records,
rendered as text (``[-old-]{+new+}``) or Markdown (``~~old~~ **new**``).

**Languages.** Texts are compared in each language a version gives them in (Kazakh,
Russian, English: :doc:`draft-format`, *Languages*): a text changed, added or dropped in any
language the base gave it in makes its article or provision ``reworded``; a text given in
a language the base gave none of its texts in is a translation added, ``translated``. The
change records which languages (``languages``: the reworded ones, else the translated
ones). The redline is shown in the report's language (``language``, English by default)
when the text changed there, else in the first changed language along the fallback
(``redline_language``), each side's text picked as the reports pick it; a translation
added shows only its new texts, all inserted. A title changed in another language than
the report's is the metadata field ``title.LANG``.
"""

from __future__ import annotations

__all__ = [
    "Edit",
    "redline",
    "CHANGE_ORDER",
    "FieldChange",
    "ProvisionChange",
    "NamedChange",
    "ArticleChange",
    "LawDiff",
    "diff_law",
    "diff_laws",
    "match_articles",
    "normal_text",
]

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .i18n import current
from .languages import DEFAULT, LANGUAGES, fallback_order
from .laws.provisions import (
    Amendment,
    AnyProvision,
    Article,
    Component,
    Definition,
    Exclusion,
    Expression,
    Ground,
    Law,
    Parameter,
    Provision,
    rule_fields,
    text_in,
    wording,
)

#: the kinds of change, in the order they are joined
CHANGE_ORDER = ("added", "removed", "reworded", "rule-changed", "renumbered", "amended")

#: the fields of each provision type that decide what it does (read from the model's roles)
_RULE_FIELDS: dict[type, tuple[str, ...]] = {
    cls: rule_fields(cls) for cls in (Ground, Exclusion, Component, Amendment)
}
#: list fields that hold ids, compared as sets of full ids
_ID_LISTS = ("grounds", "instead_of")

#: below this similarity, two articles with no provision in common are not matched
_SIMILAR = 0.5


def normal_text(text: str) -> str:
    """``text`` with every run of white space made one space, and no surrounding space."""
    return " ".join(text.split())


# -- redlines ---------------------------------------------------------------------------------


@attrs.frozen
class Edit:
    """One step of a redline: words kept, inserted or deleted.

    ``space`` tells whether white space separates it from the step before (punctuation
    that follows a word does not).
    """

    kind: str  # "keep" | "insert" | "delete"
    text: str
    space: bool = True


#: words, and every other non-blank character on its own
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The tokens of a text, each with whether white space comes before it."""
    return [(m.group(), m.start() > 0 and text[m.start() - 1].isspace())
            for m in _TOKEN.finditer(text)]  # fmt: skip


def _joined(tokens: Sequence[tuple[str, bool]]) -> str:
    return "".join((" " if space and i else "") + t for i, (t, space) in enumerate(tokens))


def redline(old: str, new: str) -> tuple[Edit, ...]:
    """A word-level redline from ``old`` to ``new``; white space does not count."""
    a, b = _tokens(old), _tokens(new)
    out: list[Edit] = []
    matcher = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b],
                                      autojunk=False)  # fmt: skip
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Edit("keep", _joined(b[j1:j2]), bool(out) and b[j1][1]))
            continue
        if op in ("delete", "replace"):
            out.append(Edit("delete", _joined(a[i1:i2]), bool(out) and a[i1][1]))
        if op in ("insert", "replace"):
            out.append(Edit("insert", _joined(b[j1:j2]), bool(out) and (op == "replace"
                                                                       or b[j1][1])))
    return tuple(out)


# -- records ----------------------------------------------------------------------------------


@attrs.frozen
class FieldChange:
    """One rule field of a provision that changed, as text for reports."""

    field: str
    old: str | None
    new: str | None


@attrs.frozen
class ProvisionChange:
    """How one provision (by its full id) changed between two versions."""

    id: str
    #: ``ground``, ``exclusion``, ``component`` or ``amendment`` (the head's when present)
    type: str
    changes: tuple[str, ...]
    base: AnyProvision | None = attrs.field(eq=False, repr=False)
    head: AnyProvision | None = attrs.field(eq=False, repr=False)
    fields: tuple[FieldChange, ...] = ()
    #: True when both versions' text is their article's (the article's redline shows it)
    inherited_text: bool = False
    #: the languages whose text changed (when reworded, else translated)
    languages: tuple[str, ...] = ()
    #: the report's language
    language: str = DEFAULT

    @property
    def change(self) -> str:
        """The change as :doc:`json` spells it: ``rule-changed+renumbered``."""
        return "+".join(self.changes)

    @property
    def redline_language(self) -> str:
        """The language of :attr:`text_redline`: the report's when the text changed there,
        else the first changed one along the fallback."""
        return _shown_language(self.languages, self.language)

    @property
    def text_redline(self) -> tuple[Edit, ...]:
        """The redline of the provision's text (empty unless reworded), in
        :attr:`redline_language`."""
        if self.base is None or self.head is None:
            return ()
        lang = self.redline_language
        if "reworded" in self.changes:
            return redline(_provision_text(self.base, lang), _provision_text(self.head, lang))
        if "translated" in self.changes:
            return redline("", _given_text(self.head, _provision_fields(self.head), lang))
        return ()


@attrs.frozen
class NamedChange:
    """A parameter or definition added, removed or changed: ``LAW:parameters.NAME``."""

    id: str
    change: str
    old: str | None
    new: str | None


@attrs.frozen
class ArticleChange:
    """How one article changed: ``added``, ``removed``, ``renumbered``, ``reworded``,
    ``translated`` (a heading or text given in a language the base gave none in)."""

    base_number: str | None
    head_number: str | None
    changes: tuple[str, ...]
    #: how the two versions were matched: ``id``, ``provisions``, ``text`` (or ``""``)
    matched_by: str = ""
    #: the heading and text of each side in :attr:`redline_language`
    base_text: str = attrs.field(default="", repr=False)
    head_text: str = attrs.field(default="", repr=False)
    #: the languages whose heading or text changed (when reworded, else translated)
    languages: tuple[str, ...] = ()
    #: the language of the redline (the report's, unless only other languages changed)
    redline_language: str = DEFAULT

    @property
    def change(self) -> str:
        return "+".join(self.changes)

    @property
    def text_redline(self) -> tuple[Edit, ...]:
        """The redline of the heading and text (empty unless reworded or translated)."""
        if "reworded" not in self.changes and "translated" not in self.changes:
            return ()
        return redline(self.base_text, self.head_text)


@attrs.frozen
class LawDiff:
    """What changed in one law (matched by id) between a base and a head version."""

    id: str
    base: Law | None = attrs.field(eq=False, repr=False)
    head: Law | None = attrs.field(eq=False, repr=False)
    #: law metadata that changed: title, kind, status, version, dates, sources
    metadata: tuple[FieldChange, ...] = ()
    articles: tuple[ArticleChange, ...] = ()
    provisions: tuple[ProvisionChange, ...] = ()
    parameters: tuple[NamedChange, ...] = ()
    definitions: tuple[NamedChange, ...] = ()

    def __repr__(self) -> str:
        counts = [(len(self.metadata), "metadata field"),
                  (len(self.articles), "article"), (len(self.provisions), "provision"),
                  (len(self.parameters), "parameter"), (len(self.definitions), "definition")]
        what = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts if n)
        return f"<LawDiff {self.id} {self.status}{': ' + what if what else ''}>"  # fmt: skip

    @property
    def changed(self) -> bool:
        """True when anything differs."""
        return bool(self.metadata or self.articles or self.provisions or self.parameters
                    or self.definitions)  # fmt: skip

    @property
    def status(self) -> str:
        """``added``, ``removed``, ``changed`` or ``unchanged``."""
        if self.base is None:
            return "added"
        if self.head is None:
            return "removed"
        return "changed" if self.changed else "unchanged"


# -- comparing provisions ---------------------------------------------------------------------


def _shown_language(changed: Sequence[str], lang: str) -> str:
    """The report's language ``lang`` when a text changed in it, else the first changed
    language along the fallback from ``lang``."""
    return next((x for x in fallback_order(lang) if x in changed), lang)


def _given(obj: Law | Article | Provision, fields: Sequence[str], lang: str
           ) -> tuple[str | None, ...]:  # fmt: skip
    """The texts of ``fields`` as given in ``lang`` (None for one not given in it)."""
    out: list[str | None] = []
    for field in fields:
        text = wording(obj, field).get(lang)
        out.append(None if text is None else normal_text(text))
    return tuple(out)


def _changed_languages(base: Law | Article | Provision, head: Law | Article | Provision,
                       fields: Sequence[str]) -> tuple[str, ...]:  # fmt: skip
    """The languages in which any of ``fields`` is given differently (added, dropped or
    changed)."""
    return tuple(x for x in LANGUAGES if _given(base, fields, x) != _given(head, fields, x))


def _split_languages(
    base: Law | Article | Provision, fields: Sequence[str], languages: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The changed ``languages``: those the base gave ``fields`` in, and the added ones."""
    added = tuple(x for x in languages if all(t is None for t in _given(base, fields, x)))
    return tuple(x for x in languages if x not in added), added


def _given_text(obj: Article | Provision, fields: Sequence[str], lang: str) -> str:
    """The texts of ``fields`` given in ``lang`` (no fallback), joined as in a redline."""
    texts = [t for t in _given(obj, fields, lang) if t]
    return normal_text(". ".join(texts))


def _provision_fields(p: AnyProvision) -> tuple[str, ...]:
    return ("title", "text") if isinstance(p, Component) else ("text",)


def _provision_text(p: AnyProvision, lang: str = DEFAULT) -> str:
    text = text_in(p, "text", lang)
    if isinstance(p, Component) and p.title:
        text = f"{text_in(p, 'title', lang)}. {text}"
    return normal_text(text)


def _normal(value: object, law: Law | None = None, ids: bool = False) -> object:
    """A value comparable by meaning: expressions by tree, id lists as sets of full ids."""
    if isinstance(value, Expression):
        return ("expression", value.node)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _normal(v, law, k in _ID_LISTS))
                            for k, v in value.items() if k != "text"))  # fmt: skip
    if isinstance(value, list | tuple):
        if ids and law is not None:
            return tuple(sorted({law.full_id(str(v)) for v in value}))
        if all(isinstance(v, str) for v in value):
            return tuple(sorted(set(value)))  # recipients: a set
        return tuple(_normal(v, law) for v in value)
    return value


def _shown(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Expression):
        return normal_text(value.source)
    if isinstance(value, Mapping):
        return "; ".join(f"{k} = {_shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(_shown(v)) for v in value) or "(none)"
    return str(value)


def _rule_key(p: AnyProvision, law: Law, field: str) -> object:
    value = getattr(p, field, None)
    law_scope = law
    if isinstance(p, Amendment) and field == "changes":
        # an amendment's fields are read in the scope of the law it amends
        law_scope = attrs.evolve(law, id=p.law)
    return _normal(value, law_scope, field in _ID_LISTS)


def _compare(base: AnyProvision, head: AnyProvision, base_law: Law, head_law: Law
             ) -> tuple[tuple[str, ...], tuple[FieldChange, ...], tuple[str, ...]]:  # fmt: skip
    changes: list[str] = []
    fields: list[FieldChange] = []
    languages = _changed_languages(base, head, _provision_fields(base) + _provision_fields(head))
    if (isinstance(base, Amendment) and isinstance(head, Amendment)
            and _shown(base.changes.get("text")) != _shown(head.changes.get("text"))
            and DEFAULT not in languages):  # fmt: skip
        languages = (*languages, DEFAULT)  # an amendment's changes give English texts
    reworded, translated = _split_languages(base, _provision_fields(base), languages)
    if reworded:
        changes.append("reworded")
        languages = reworded  # the redline shows the rewording, not a translation beside it
    if translated:
        changes.append("translated")
    if type(base) is not type(head):
        fields.append(FieldChange("type", base.kind_name, head.kind_name))
    else:
        for f in _RULE_FIELDS[type(head)]:
            if _rule_key(base, base_law, f) != _rule_key(head, head_law, f):
                fields.append(FieldChange(f, _shown(getattr(base, f)), _shown(getattr(head, f))))
    if fields:
        changes.append("rule-changed")
    if base.article != head.article:
        changes.append("renumbered")
    if set(base.amended_by) != set(head.amended_by):
        changes.append("amended")
    order = tuple(x for x in LANGUAGES if x in languages)
    return tuple(changes), tuple(fields), order


def _inherits(p: AnyProvision, at: Mapping[int, Article]) -> bool:
    """True when a provision's text is its article's (``at``: each one's, by identity)."""
    return id(p) in at and normal_text(p.text) == normal_text(at[id(p)].text)


def _provisions(base: Law | None, head: Law | None, lang: str) -> list[ProvisionChange]:
    law = head or base
    assert law is not None
    before = {p.id: p for p in base.provisions()} if base else {}
    after = {p.id: p for p in head.provisions()} if head else {}
    out: list[ProvisionChange] = []
    at: list[dict[int, Article]] = []  # once a provision changed, each one's article
    for pid in [*after, *(p for p in before if p not in after)]:
        b, h = before.get(pid), after.get(pid)
        full = law.full_id(pid)
        if b is None and h is not None:
            out.append(ProvisionChange(full, h.kind_name, ("added",), None, h, language=lang))
        elif h is None and b is not None:
            out.append(ProvisionChange(full, b.kind_name, ("removed",), b, None, language=lang))
        elif b is not None and h is not None and base is not None and head is not None:
            changes, fields, languages = _compare(b, h, base, head)
            if changes:
                at = at or [{id(q): a for a in reversed(x.articles) for q in a.provisions}
                            for x in (base, head)]  # fmt: skip
                inherited = _inherits(b, at[0]) and _inherits(h, at[1])
                out.append(ProvisionChange(full, h.kind_name, changes, b, h, fields, inherited,
                                           languages, lang))  # fmt: skip
    return out


# -- parameters and definitions ---------------------------------------------------------------


def _parameter_text(p: Parameter) -> str:
    return "; ".join(f"{since.isoformat()}: {v:g}" if since else f"{v:g}" for since, v in p.values)


def _named(
    law_id: str, what: str, before: Mapping[str, Any], after: Mapping[str, Any],
    key: Callable[[Any], object], show: Callable[[Any], str],
) -> list[NamedChange]:  # fmt: skip
    out: list[NamedChange] = []
    for name in sorted(set(before) | set(after)):
        b, h = before.get(name), after.get(name)
        full = f"{law_id}:{what}.{name}"
        if b is None:
            out.append(NamedChange(full, "added", None, show(h)))
        elif h is None:
            out.append(NamedChange(full, "removed", show(b), None))
        elif key(b) != key(h):
            out.append(NamedChange(full, "rule-changed", show(b), show(h)))
    return out


def _definition_key(d: Definition) -> object:
    return d.expr.node


def _definition_text(d: Definition) -> str:
    return normal_text(d.expr.source)


# -- articles ---------------------------------------------------------------------------------


def _article_text(a: Article, lang: str = DEFAULT) -> str:
    heading, text = text_in(a, "heading", lang), text_in(a, "text", lang)
    return normal_text(f"{heading}. {text}" if heading else text)


def _similarity(a: Article, b: Article) -> float:
    x, y = _article_text(a).split(), _article_text(b).split()
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    if matcher.real_quick_ratio() < _SIMILAR - 0.1:
        return 0.0
    return matcher.ratio() + (0.1 if a.number == b.number else 0.0)


def match_articles(
    base: Sequence[Article], head: Sequence[Article]
) -> list[tuple[Article | None, Article | None, str]]:
    """Pair the articles of two versions: by id, then by provisions held, then by text.

    Returns ``(base, head, how)`` for every article of either side, in head order with
    the unmatched base articles last; ``how`` is ``id``, ``provisions``, ``text`` or ``""``.
    """
    pairs: dict[int, tuple[int, str]] = {}  # head index → (base index, how)
    used: set[int] = set()

    def pair(hi: int, bi: int, how: str) -> None:
        pairs[hi] = (bi, how)
        used.add(bi)

    base_ids = {a.id: i for i, a in enumerate(base) if a.id}
    for hi, a in enumerate(head):
        if a.id and a.id in base_ids:
            pair(hi, base_ids[a.id], "id")
    scored: list[tuple[float, float, int, int]] = []
    for hi, h in enumerate(head):
        if hi in pairs:
            continue
        held = {p.id for p in h.provisions}
        for bi, b in enumerate(base):
            if bi in used or (h.id and b.id):
                continue
            common = len(held & {p.id for p in b.provisions})
            if common:
                scored.append((-common, -_similarity(b, h), hi, bi))
    for _, _, hi, bi in sorted(scored):
        if hi not in pairs and bi not in used:
            pair(hi, bi, "provisions")
    scored = []
    for hi, h in enumerate(head):
        if hi in pairs:
            continue
        for bi, b in enumerate(base):
            if bi in used or (h.id and b.id):
                continue
            score = _similarity(b, h)
            if score >= _SIMILAR:
                scored.append((-score, 0.0, hi, bi))
    for _, _, hi, bi in sorted(scored):
        if hi not in pairs and bi not in used:
            pair(hi, bi, "text")
    out: list[tuple[Article | None, Article | None, str]] = []
    for hi, h in enumerate(head):
        if hi in pairs:
            bi, how = pairs[hi]
            out.append((base[bi], h, how))
        else:
            out.append((None, h, ""))
    out += [(b, None, "") for bi, b in enumerate(base) if bi not in used]
    return out


def _articles(base: Law | None, head: Law | None, lang: str) -> list[ArticleChange]:
    out: list[ArticleChange] = []
    pairs = match_articles(base.articles if base else (), head.articles if head else ())
    for b, h, how in pairs:
        if b is None and h is not None:
            out.append(ArticleChange(None, h.number, ("added",), "", "",
                                     _article_text(h, lang), redline_language=lang))  # fmt: skip
        elif h is None and b is not None:
            out.append(ArticleChange(b.number, None, ("removed",), "", _article_text(b, lang),
                                     "", redline_language=lang))  # fmt: skip
        elif b is not None and h is not None:
            changes = []
            languages = _changed_languages(b, h, ("heading", "text"))
            reworded, translated = _split_languages(b, ("heading", "text"), languages)
            texts = ("", "")
            if reworded:
                changes.append("reworded")
                shown = _shown_language(reworded, lang)
                texts = (_article_text(b, shown), _article_text(h, shown))
            if translated:
                changes.append("translated")
            if translated and not reworded:
                shown = _shown_language(translated, lang)
                texts = ("", _given_text(h, ("heading", "text"), shown))
            if b.number != h.number:
                changes.append("renumbered")
            if changes:
                shown = _shown_language(reworded or translated, lang)
                out.append(ArticleChange(b.number, h.number, tuple(changes), how, *texts,
                                         reworded or translated, shown))  # fmt: skip
    return out


# -- laws -------------------------------------------------------------------------------------

_METADATA = ("title", "kind", "status", "version", "effective", "adopted", "published", "sources")


def diff_law(base: Law | None, head: Law | None, language: str | None = None) -> LawDiff:
    """The structural diff of two versions of one law (either may be None: added/removed),
    its texts compared in every language and its redlines in ``language`` (see the
    module's *Languages*), by default the language of output (:func:`kzrehab.i18n.current`)."""
    language, law = language or current(), head or base
    if law is None:
        raise ValueError("diff_law needs at least one version")
    if base is not None and head is not None and base.id != head.id:
        raise ValueError(f"cannot diff law '{base.id}' against law '{head.id}'")
    metadata = []
    if base is not None and head is not None:
        for f in _METADATA:
            old, new = getattr(base, f), getattr(head, f)
            if f == "title":
                old, new = text_in(base, f, language), text_in(head, f, language)
            if old != new and f == "sources":
                metadata.append(FieldChange(f, f"{len(old)} sources", f"{len(new)} sources"))
            elif old != new:
                metadata.append(FieldChange(f, _shown(old), _shown(new)))
        for lang in _changed_languages(base, head, ("title",)):
            if lang != language:
                metadata.append(FieldChange(f"title.{lang}", wording(base, "title").get(lang),
                                            wording(head, "title").get(lang)))  # fmt: skip
    empty: dict[str, Any] = {}
    return LawDiff(
        id=law.id,
        base=base,
        head=head,
        metadata=tuple(metadata),
        articles=tuple(_articles(base, head, language)),
        provisions=tuple(_provisions(base, head, language)),
        parameters=tuple(_named(
            law.id, "parameters", base.parameters if base else empty,
            head.parameters if head else empty, lambda p: p.values, _parameter_text)),
        definitions=tuple(_named(
            law.id, "definitions", base.definitions if base else empty,
            head.definitions if head else empty, _definition_key, _definition_text)),
    )  # fmt: skip


def diff_laws(
    base: Iterable[Law], head: Iterable[Law], language: str | None = None
) -> list[LawDiff]:
    """Diff laws matched by id (head order, then the base's own), redlines in ``language``."""
    before = {law.id: law for law in base}
    after = {law.id: law for law in head}
    ids = [*after, *(i for i in before if i not in after)]
    return [diff_law(before.get(i), after.get(i), language) for i in ids]
