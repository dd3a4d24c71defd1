"""What changed in one law, for ``diff`` and ``compare``: metadata, articles and provisions
with their redlines, parameters and definitions (:mod:`kzrehab.redline`)."""

from __future__ import annotations

__all__ = ["RedlineEdit", "FieldChange", "ArticleChange", "ProvisionDiff", "NamedChange",
           "LawChange", "law_change", "law_change_json"]  # fmt: skip

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ... import redline


@attrs.frozen
class RedlineEdit:
    """A run of text kept, inserted or deleted (``space``: a space before it)."""

    kind: str
    text: str
    space: bool


@attrs.frozen
class FieldChange:
    """A field whose value changed: its base and head values as text."""

    field: str
    base: str | None
    head: str | None


@attrs.frozen
class ArticleChange:
    """An article: its numbers on both sides, how it changed, and its text's redline."""

    base: str | None
    head: str | None
    change: str
    redline: tuple[RedlineEdit, ...]
    #: the language of the redline when it is not the report's (only another changed)
    redline_language: str | None = None


@attrs.frozen
class ProvisionDiff:
    """A changed provision: its changed fields, and its text's redline."""

    id: str
    #: ``ground``, ``exclusion``, ``component``, ``amendment`` …
    kind: str
    change: str
    fields: tuple[FieldChange, ...]
    redline: tuple[RedlineEdit, ...]
    #: the language of the redline when it is not the report's (only another changed)
    redline_language: str | None = None


@attrs.frozen
class NamedChange:
    """A changed parameter or definition: its base and head values as text."""

    id: str
    change: str
    base: str | None
    head: str | None


@attrs.frozen
class LawChange:
    """What changed in one law."""

    id: str
    change: str
    #: the changed metadata fields, such as the title or the version; none when the same
    metadata: tuple[FieldChange, ...]
    articles: tuple[ArticleChange, ...]
    provisions: tuple[ProvisionDiff, ...]
    parameters: tuple[NamedChange, ...]
    definitions: tuple[NamedChange, ...]


def _edits(edits: Sequence[redline.Edit]) -> tuple[RedlineEdit, ...]:
    return tuple(RedlineEdit(e.kind, e.text, e.space) for e in edits)


def _named(n: redline.NamedChange) -> NamedChange:
    return NamedChange(n.id, n.change, n.old, n.new)


def _other(shown: str, language: str, edits: Sequence[object]) -> str | None:
    """The redline's language when it is not the report's (and there is a redline)."""
    return shown if edits and shown != language else None


def law_change(ld: redline.LawDiff, language: str | None = None) -> LawChange:
    """What changed in one law, from its structural diff (whose redlines are in the
    report's ``language``, by default the language of output, unless only another language
    changed)."""
    from ...i18n import current

    language = language or current()
    articles = []
    for a in ld.articles:
        edits = _edits(a.text_redline)
        articles.append(ArticleChange(a.base_number, a.head_number, a.change, edits,
                                      _other(a.redline_language, language, edits)))
    provisions = []
    for p in ld.provisions:
        edits = () if p.inherited_text else _edits(p.text_redline)
        provisions.append(ProvisionDiff(
            p.id, p.type, p.change, tuple(FieldChange(f.field, f.old, f.new) for f in p.fields),
            edits, _other(p.redline_language, language, edits)))
    return LawChange(
        ld.id, ld.status,
        tuple(FieldChange(f.field, f.old, f.new) for f in ld.metadata),
        tuple(articles),
        tuple(provisions),
        tuple(_named(n) for n in ld.parameters),
        tuple(_named(n) for n in ld.definitions),
    )  # fmt: skip


def _edits_json(edits: Sequence[RedlineEdit]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "text": e.text, "space": e.space} for e in edits]


def _named_json(n: NamedChange) -> dict[str, Any]:
    return {"id": n.id, "change": n.change, "base": n.base, "head": n.head}


def _language_json(lang: str | None) -> dict[str, Any]:
    return {"redline_language": lang} if lang else {}


def law_change_json(law: LawChange) -> dict[str, Any]:
    """What changed in one law, as an entry of the ``laws`` list of ``diff`` and ``compare``."""
    return {
        "id": law.id, "change": law.change,
        **({"metadata": {f.field: {"base": f.base, "head": f.head}
                         for f in law.metadata}} if law.metadata else {}),
        "articles": [{"base": a.base, "head": a.head, "change": a.change,
                      "redline": _edits_json(a.redline),
                      **_language_json(a.redline_language)} for a in law.articles],
        "provisions": [{"id": p.id, "type": p.kind, "change": p.change,
                        "fields": [{"field": f.field, "base": f.base, "head": f.head}
                                   for f in p.fields],
                        "redline": _edits_json(p.redline),
                        **_language_json(p.redline_language)}
                       for p in law.provisions],
        "parameters": [_named_json(n) for n in law.parameters],
        "definitions": [_named_json(n) for n in law.definitions],
    }  # fmt: skip
