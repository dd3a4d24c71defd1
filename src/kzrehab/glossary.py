"""The glossary: each term in English, Kazakh and Russian, official or not (:doc:`glossary`).

The data is ``kzrehab/data/glossary.toml``; :func:`glossary` reads and checks it once.
Each :class:`Term` gives its English reference form and, in Kazakh and Russian, a
:class:`Form` whose ``status`` says whether the form is **official** (read in an official
text: ``source`` gives the address and the passage), **unverified** (the form in use as
far as the drafters know it, not read in an official text) or the **project**'s own
translation. A term's ``codes`` name what it stands for in kzrehab (``status:eligible``,
``category:victim``, ``reparation:satisfaction``, ``claimant:heir``): :func:`label`
gives the word a report in a language writes for a code. The documentation page is
generated from the same data, so the two cannot disagree.
"""

from __future__ import annotations

__all__ = ["STATUSES", "GROUPS", "Form", "Term", "parse", "glossary", "term", "by_code", "label"]

import functools
import importlib.resources
import tomllib
from collections.abc import Mapping
from typing import Any

import attrs

from .i18n import _
from .languages import DEFAULT, check_language

#: What a Kazakh or Russian form may be.
STATUSES = ("official", "unverified", "project")
#: The groups of terms, in the order the glossary lists them.
GROUPS: Mapping[str, str] = {
    "law": "Terms of the 1993 law",
    "measure": "Forms of repression",
    "money": "Payments and the index they are counted in",
    "status": "The statuses of a claim",
    "category": "The categories of the drafts' grounds",
    "reparation": "The five forms of reparation",
    "claimant": "Who applies",
}
_CODE_KINDS = ("status", "category", "reparation", "claimant")


@attrs.frozen
class Form:
    """A term in one language, and how sure its wording is."""

    text: str
    #: ``official``, ``unverified`` or ``project`` (:data:`STATUSES`)
    status: str
    #: for an official form, where it was read (an address and the passage)
    source: str = ""


@attrs.frozen
class Term:
    """One entry of the glossary."""

    id: str
    group: str
    #: the English reference form
    en: str
    kk: Form
    ru: Form
    #: what it stands for in kzrehab: ``KIND:VALUE`` (``status:eligible``)
    codes: tuple[str, ...] = ()
    note: str = ""

    def form(self, lang: str) -> Form:
        """The term in ``lang`` (English: the reference form, status ``project``)."""
        if check_language(lang) == "en":
            return Form(self.en, "project")
        found: Form = getattr(self, lang)
        return found


def _form(entry: str, lang: str, value: Any) -> Form:
    where = f"glossary term '{entry}', {lang}"
    if not isinstance(value, dict) or set(value) - {"text", "status", "source"}:
        raise ValueError(_("{where}: give {{ text = …, status = …, source = … }}").format(
                             where=where))
    text, status, source = value.get("text"), value.get("status"), value.get("source", "")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_("{where}: the text is missing").format(where=where))
    if status not in STATUSES:
        raise ValueError(_("{where}: status {status!r} is not one of {items}").format(
                             where=where, status=status, items=', '.join(STATUSES)))
    if not isinstance(source, str) or (status == "official" and not source.strip()):
        raise ValueError(_("{where}: an official form needs its source (address and "
                           "passage)").format(
                             where=where))
    return Form(text, status, source)


def _term(value: Any) -> Term:
    if not isinstance(value, dict):
        raise ValueError(_("a glossary [[term]] must be a table"))
    entry = str(value.get("id", "?"))
    extra = set(value) - {"id", "group", "codes", "en", "kk", "ru", "note"}
    if extra:
        raise ValueError(_("glossary term '{entry}': unknown keys {items}").format(
                             entry=entry, items=', '.join(sorted(extra))))
    if value.get("group") not in GROUPS:
        raise ValueError(_("glossary term '{entry}': group must be one of {items}").format(
                             entry=entry, items=', '.join(GROUPS)))
    codes = tuple(value.get("codes", ()))
    for code in codes:
        kind, __, name = code.partition(":")
        if kind not in _CODE_KINDS or not name:
            raise ValueError(_("glossary term '{entry}': '{code}' is not KIND:VALUE "
                               "({items})").format(
                                 entry=entry, code=code, items=', '.join(_CODE_KINDS)))  # fmt: skip
    if not isinstance(value.get("en"), str):
        raise ValueError(_("glossary term '{entry}': the English form is missing").format(
                             entry=entry))
    return Term(entry, value["group"], value["en"], _form(entry, "kk", value.get("kk")),
                _form(entry, "ru", value.get("ru")), codes, value.get("note", ""))  # fmt: skip


def parse(text: str) -> tuple[Term, ...]:
    """The terms of a glossary file's text, checked (a :class:`ValueError` naming the term)."""
    terms = tuple(_term(t) for t in tomllib.loads(text).get("term", ()))
    seen: dict[str, str] = {}
    for t in terms:
        for key in (f"id:{t.id}", *t.codes):
            if key in seen:
                raise ValueError(_("glossary: '{key}' is given by both '{seen}' and '{id}'").format(
                                     key=key, seen=seen[key], id=t.id))
            seen[key] = t.id
    return terms


@functools.cache
def glossary() -> tuple[Term, ...]:
    """Every term of ``kzrehab/data/glossary.toml``, in the file's order (read once)."""
    data = importlib.resources.files("kzrehab") / "data" / "glossary.toml"
    return parse(data.read_text(encoding="utf-8"))


def term(term_id: str) -> Term:
    """The term with id ``term_id`` (a :class:`KeyError` when there is none)."""
    for t in glossary():
        if t.id == term_id:
            return t
    raise KeyError(term_id)


def by_code(kind: str, value: str) -> Term | None:
    """The term that stands for the ``kind`` value ``value`` (``by_code("status",
    "eligible")``), or None."""
    code = f"{kind}:{value}"
    return next((t for t in glossary() if code in t.codes), None)


def label(kind: str, value: str, lang: str = DEFAULT) -> str:
    """The word for the ``kind`` value ``value`` in ``lang``: the glossary's form, else the
    value itself (English: the value, as reports have always written it)."""
    found = by_code(kind, value)
    if found is None or check_language(lang) == "en":
        return value
    return found.form(lang).text
