"""A law as Akoma Ntoso 3.0 XML (``export --to akn``, ``docs/cli.rst``): one document per
expression, that is per language the law has.

:func:`to_akn` builds the document as an :mod:`xml.etree.ElementTree` element and
:func:`akn_xml` serialises it. The result is valid against the OASIS Akoma Ntoso 3.0 schema
(``akomantoso30.xsd``, namespace :data:`AKN_NAMESPACE`) under strict validation, unique
``eId`` attributes included; the tests check every draft in ``drafts/`` against it. Only the
standard library is used here.

**The document.** A law of kind ``law`` is an ``<act>``, a ``bill`` or a ``proposal`` a
``<bill>``; the ``name`` attribute is the kind. ``<meta>`` holds:

- ``<identification source="#kzrehab">`` with the FRBR Work, Expression and Manifestation
  (see *URIs* below). The Work's author is ``#legislator``, the Expression's and the
  Manifestation's ``#kzrehab``; the Expression is in one language (``FRBRlanguage``:
  ``eng``, ``kaz`` or ``rus``, ISO 639-2/B), carries the law's ``version`` as
  ``FRBRversionNumber`` and is marked ``FRBRauthoritative value="false"``: the texts of
  the drafts are paraphrases, not the official wording. A Kazakh or Russian expression of
  a law that also has English adds ``<FRBRtranslation fromLanguage="eng"
  authoritative="false" by="#kzrehab">`` naming the English expression.
- ``<lifecycle>`` with one ``<eventRef>`` per date the law gives (``adopted``,
  ``published``, ``effective``, in date order; the earliest has ``type="generation"``),
  each with ``source="#kzrehab"`` and ``refersTo`` a ``<TLCEvent>``. No lifecycle when the
  law gives no date.
- ``<analysis>`` with ``<activeModifications>`` when the law amends others: one
  ``<textualMod>`` per amendment, ``repeal`` → ``repeal``, ``replace`` → ``substitution``,
  ``insert`` → ``insertion``; ``<source href="#prov_ID">`` is the amending provision in
  this document, ``<destination href>`` the target in the amended law (below); a
  substitution or insertion also has ``<new href="#prov_ID">``.
- ``<references source="#kzrehab">``: the ``<TLCOrganization>`` elements ``kzrehab`` and
  ``legislator`` that the ``source`` and ``FRBRauthor`` attributes name, and the
  ``<TLCEvent>`` elements of the lifecycle.
- ``<proprietary source="#kzrehab">``: the law's ``status`` and ``sources`` in the
  namespace :data:`KZREHAB_NAMESPACE`.

A ``<preface>`` holds the title; the ``<body>`` one ``<article>`` per article (``<num>``,
``<heading>``, the text as ``<p>`` paragraphs — in ``<content>`` when the article holds no
provision, in ``<intro>`` before them otherwise), each provision an
``<hcontainer name="ground|exclusion|component|amendment">`` whose ``<content>`` holds its
own text (when it differs from its article's) and its rule as ``<block name="FIELD">``
elements (``when``, ``unless``, ``category``, ``grounds``, ``amount``, … as written in the
draft; an amendment's ``law``, ``target``, ``action`` and its changes). The body ends with
the law's definitions and parameters, each in an ``<hcontainer>``.

**Languages.** A law's languages are those its title is given in
(:func:`~kzrehab.laws.provisions.languages_of`); the expression is in one of them (default
:func:`default_language`). Each text is in that language where the draft gives it, else in
the fallback's (:func:`kzrehab.languages.pick`), its element then saying which by
``xml:lang``; one the draft marks official carries ``kz:official="true"``
(:data:`KZREHAB_NAMESPACE`). The containers' headings are kzrehab's English words.

**eIds.** Akoma Ntoso only requires an ``eId`` to hold no white space and to be unique in
the document. The naming convention builds them from element prefixes and numbers; kzrehab
derives them from what is stable across versions:

- an article: ``art_NUMBER`` (``art_5-1``), with white space, ``_`` and the URI delimiters
  ``# / ~ ? % ! @ :`` in the number replaced by ``-`` (``art_N-M`` when that is taken, or
  ``art_ORDINAL`` when nothing is left);
- a provision: ``prov_ID`` (``prov_grave-crime``) — from its stable id alone, not from its
  article, so that renumbering an article does not change it and another law's
  amendment can point at it without knowing where it stands;
- a definition ``def_NAME``, a parameter ``param_NAME``, and the containers
  ``hcontainer_definitions`` and ``hcontainer_parameters``;
- an amendment's ``textualMod``: ``mod_ID``.

**Official identifiers.** The Work's ``FRBRnumber`` is the law's official ``number``
(``2143-XII``) when it has one, else its id; ``FRBRalias`` elements carry the id
(``name="kzrehab"``) and, when the law gives one, its Adilet document code
(``name="adilet"``) and the Adilet address (``name="adilet-uri"``).

**URIs** follow the naming convention ``/akn/kz/DOCTYPE/DATE/NUMBER`` with the law's id as
number (``/akn/kz/act/1993-04-14/rehabilitation-1993``). DATE, the Work's date, is the
first of ``adopted``, ``published`` and ``effective`` that the law gives; failing those, the
first date written in its ``version`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``:
``"2025-03-draft-2"`` gives ``2025-03``, ``"Code of 2014"`` gives ``2014``), with
``FRBRdate name="version"`` on its first day; failing that, ``undated`` (and
``FRBRdate date="0001-01-01" name="unknown"``). The Expression is ``WORK/LANG@VDATE`` where
LANG is the ISO 639-2/B code (``eng``, ``kaz``, ``rus``) and VDATE the first full date in
``version`` (``"as amended up to 2024-04-06"``), or ``WORK/LANG@`` (the original version)
when it has none; the Manifestation is
``EXPRESSION.akn``. Each level's ``FRBRthis`` adds the main component, ``/!main``
(``/!main.xml`` for the Manifestation).

An amendment's destination is ``WORK-OF-TARGET/~EID``: ``~prov_ID`` for a provision,
``~def_NAME`` and ``~param_NAME`` for ``definitions.NAME`` and ``parameters.NAME``; for an
insertion ``~art_NUMBER`` (``pos="end"``) when the amendment names the article, else the
work itself (``pos="end"``). The target law's Work URI is derived as above when that law
is among ``laws``; otherwise kzrehab cannot know its date and writes
``/akn/kz/act/LAW_ID``, without one.

Characters that XML 1.0 cannot hold (control characters) are replaced by U+FFFD.
"""

from __future__ import annotations

__all__ = [
    "AKN_NAMESPACE",
    "KZREHAB_NAMESPACE",
    "to_akn",
    "akn_xml",
    "work_uri",
    "expression_uri",
    "manifestation_uri",
    "article_eid",
    "provision_eid",
    "target_eid",
    "TEXTUAL_MOD_TYPES",
    "default_language",
    "expression_file_name",
]

import datetime as dt
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .i18n import _
from .languages import DEFAULT, FALLBACK, ISO_639_2, NAMES
from .laws.provisions import (
    Amendment,
    AnyProvision,
    Article,
    Component,
    Exclusion,
    Expression,
    Ground,
    Law,
    Provision,
    languages_of,
    wording,
)

#: The Akoma Ntoso 3.0 namespace.
AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: The namespace of kzrehab's own metadata inside ``<proprietary>``.
KZREHAB_NAMESPACE = "urn:x-kzrehab:akn:1"

ET.register_namespace("kz", KZREHAB_NAMESPACE)

#: An amendment's action → the ``type`` of its ``textualMod``.
TEXTUAL_MOD_TYPES = {"repeal": "repeal", "replace": "substitution", "insert": "insertion"}

_COUNTRY = "kz"
#: ``xml:lang``: on a text that falls back to another language than its expression's
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: ``kz:official="true"``: on a text the draft marks as the official wording
_OFFICIAL = f"{{{KZREHAB_NAMESPACE}}}official"

#: Characters XML 1.0 cannot hold.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: What cannot stand in the number part of an eId.
_NOT_EID = re.compile(r"[\s_#/~?%!@:]+")
#: A date written in free text: YYYY-MM-DD, YYYY-MM or YYYY (not inside a longer number).
_DATE_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?(?![0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

#: The lifecycle events: law attribute → TLCEvent eId and name.
_EVENTS = {
    "adopted": ("adoption", "Adoption"),
    "published": ("publication", "Publication"),
    "effective": ("entry-into-force", "Entry into force"),
}


def _q(tag: str) -> str:
    return f"{{{AKN_NAMESPACE}}}{tag}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _el(parent: ET.Element, tag: str, text: str | None = None,
        marks: Mapping[str, str] | None = None, /, **attrib: str) -> ET.Element:  # fmt: skip
    """A child element in the Akoma Ntoso namespace (attributes and text made XML-safe);
    ``marks`` are attributes of other namespaces (``xml:lang``, ``kz:official``)."""
    child = ET.SubElement(parent, _q(tag), {k: _clean(v) for k, v in attrib.items()})
    child.attrib.update(marks or {})
    if text is not None:
        child.text = _clean(text)
    return child


def default_language(law: Law) -> str:
    """The language of a law's expression unless another is asked for: English when the
    law has it, else the first of Russian and Kazakh it has."""
    have = languages_of(law)
    return next(lang for lang in (DEFAULT, *FALLBACK) if lang in have)


def _language(law: Law, language: str | None) -> str:
    if language is None:
        return default_language(law)
    have = languages_of(law)
    if language not in have:
        raise ValueError(
            _("law {id} has no {language} title, so no "
              "{language2} expression: its languages are {items}").format(
                id=law.id, language=NAMES.get(language, repr(language)), language2=language,
                items=', '.join(have))
        )
    return language


def _say(obj: Law | Article | Provision, field: str, lang: str) -> tuple[str, dict[str, str]]:
    """``obj``'s prose ``field`` in ``lang`` (falling back as the reports do), and the marks
    of its element: ``xml:lang`` when it fell back, ``kz:official`` when it is official."""
    w = wording(obj, field)
    used, text = w.pick(lang)
    if used != lang:
        return text, {_XML_LANG: used}
    return text, ({_OFFICIAL: "true"} if lang in w.official else {})


# -- dates and URIs ---------------------------------------------------------------------


@attrs.frozen
class _WorkDate:
    #: as written in URIs: YYYY-MM-DD, YYYY-MM, YYYY or ``undated``
    uri: str
    #: a full date for ``FRBRdate``
    date: dt.date
    #: what the date is (``FRBRdate``'s ``name``)
    name: str


def _dates_in(text: str) -> Iterable[tuple[str, dt.date, bool]]:
    """The dates written in ``text``: (as written, its first day, whether it is a full date).

    A part that makes no date is dropped: ``2025-13`` is the year 2025.
    """
    for m in _DATE_IN_TEXT.finditer(text):
        parts = [int(g) for g in m.groups() if g is not None]
        while parts:
            try:
                first = dt.date(*parts, *[1] * (3 - len(parts)))
            except ValueError:
                parts.pop()
                continue
            written = "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(parts))
            yield written, first, len(parts) == 3
            break


def _work_date(law: Law) -> _WorkDate:
    for attr in ("adopted", "published", "effective"):
        value: dt.date | None = getattr(law, attr)
        if value is not None:
            return _WorkDate(value.isoformat(), value, attr)
    for written, first, __ in _dates_in(law.version):
        return _WorkDate(written, first, "version")
    return _WorkDate("undated", dt.date(1, 1, 1), "unknown")


def _version_date(law: Law) -> dt.date | None:
    for __, date, full in _dates_in(law.version):
        if full:
            return date
    return None


def _doctype(law: Law) -> str:
    return "act" if law.kind == "law" else "bill"


def work_uri(law: Law) -> str:
    """The FRBR Work URI of a law: ``/akn/kz/act/1993-04-14/rehabilitation-1993``."""
    return f"/akn/{_COUNTRY}/{_doctype(law)}/{_work_date(law).uri}/{law.id}"


def expression_uri(law: Law, language: str = DEFAULT) -> str:
    """The FRBR Expression URI in ``language``: the Work's, the ISO 639-2/B code
    (``/eng@``, ``/kaz@``, ``/rus@``) and the version's date if it has one."""
    vdate = _version_date(law)
    return f"{work_uri(law)}/{ISO_639_2[language]}@{vdate.isoformat() if vdate else ''}"


def manifestation_uri(law: Law, language: str = DEFAULT) -> str:
    """The FRBR Manifestation URI: the Expression's and ``.akn``."""
    return f"{expression_uri(law, language)}.akn"


def expression_file_name(law: Law, language: str) -> str:
    """The file an expression is written to by ``export --expression all``:
    ``ID.LANG.xml`` with the ISO 639-2/B code (``rehabilitation-1993.kaz.xml``)."""
    return f"{law.id}.{ISO_639_2[language]}.xml"


# -- eIds -------------------------------------------------------------------------------


def article_eid(number: str) -> str:
    """The eId of the article numbered ``number`` (``art_5-1``); ``art_`` when it has none."""
    return "art_" + _NOT_EID.sub("-", _clean(number)).strip("-")


def provision_eid(provision_id: str) -> str:
    """The eId of a provision: ``prov_`` and its stable id."""
    return f"prov_{provision_id}"


def target_eid(target: str) -> str:
    """The eId of an amendment's target: a provision id, ``parameters.N`` or ``definitions.N``."""
    kind, __, name = target.partition(".")
    if name and kind == "parameters":
        return f"param_{name}"
    if name and kind == "definitions":
        return f"def_{name}"
    return provision_eid(target)


def _article_eids(articles: Iterable[Article]) -> list[str]:
    out: list[str] = []
    taken: set[str] = set()
    for i, art in enumerate(articles, start=1):
        eid = article_eid(art.number)
        if eid == "art_":
            eid = f"art_{i}"
        base, n = eid, 2
        while eid in taken:
            eid, n = f"{base}-{n}", n + 1
        taken.add(eid)
        out.append(eid)
    return out


# -- texts ------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Prose split at blank lines, each paragraph's lines joined."""
    return [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else repr(float(x))


def _render(value: Any) -> str:
    """A field of a provision or an amendment, as text."""
    if isinstance(value, Expression):
        return textwrap.dedent(value.source).strip()
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, tuple | list):
        if value and all(
            isinstance(v, tuple) and len(v) == 2 and (v[0] is None or isinstance(v[0], dt.date))
            for v in value
        ):
            return "; ".join(
                _number(v) if since is None else f"{_number(v)} from {since.isoformat()}"
                for since, v in value
            )
        return ", ".join(_render(v) for v in value)
    return str(value)


def _fields(p: AnyProvision) -> list[tuple[str, Any]]:
    """The fields of a provision that make its rule, in the draft format's order."""
    if isinstance(p, Ground):
        return [("category", p.category), ("when", p.when)]
    if isinstance(p, Exclusion):
        return [("when", p.when), ("unless", p.unless), ("grounds", p.grounds)]
    if isinstance(p, Component):
        return [
            ("kind", p.kind), ("grounds", p.grounds), ("recipients", p.recipients),
            ("amount", p.amount), ("instead_of", p.instead_of),
        ]  # fmt: skip
    return [("law", p.law), ("target", p.target), ("action", p.action), *p.changes.items()]


# -- the document -----------------------------------------------------------------------


def _frbr(
    parent: ET.Element, level: str, this: str, uri: str, date: dt.date, date_name: str,
    author: str, aliases: tuple[tuple[str, str], ...] = (),
) -> ET.Element:  # fmt: skip
    el = _el(parent, level)
    _el(el, "FRBRthis", value=this)
    _el(el, "FRBRuri", value=uri)
    for name, value in aliases:
        _el(el, "FRBRalias", value=value, name=name)
    _el(el, "FRBRdate", date=date.isoformat(), name=date_name)
    _el(el, "FRBRauthor", href=author)
    return el


def _identification(meta: ET.Element, law: Law, lang: str) -> None:
    ident = _el(meta, "identification", source="#kzrehab")
    wdate = _work_date(law)
    work = work_uri(law)
    aliases = [("kzrehab", law.id)]
    if law.adilet:
        aliases.append(("adilet", law.adilet))
        aliases.append(("adilet-uri", f"https://adilet.zan.kz/rus/docs/{law.adilet}"))
    w = _frbr(ident, "FRBRWork", f"{work}/!main", work, wdate.date, wdate.name, "#legislator",
              tuple(aliases))  # fmt: skip
    _el(w, "FRBRcountry", value=_COUNTRY)
    _el(w, "FRBRnumber", value=law.number or law.id)
    title, __ = _say(law, "title", lang)
    if title:
        _el(w, "FRBRname", value=title)

    expr = expression_uri(law, lang)
    vdate = _version_date(law)
    edate, ename = (vdate, "version") if vdate else (wdate.date, wdate.name)
    e = _frbr(ident, "FRBRExpression", f"{expr}/!main", expr, edate, ename, "#kzrehab")
    if law.version:
        _el(e, "FRBRversionNumber", value=law.version)
    _el(e, "FRBRauthoritative", value="false")
    _el(e, "FRBRlanguage", language=ISO_639_2[lang])
    if lang != DEFAULT and DEFAULT in languages_of(law):
        # kzrehab translated the drafters' English: not authoritative
        _el(e, "FRBRtranslation", href=expression_uri(law, DEFAULT),
            fromLanguage=ISO_639_2[DEFAULT], authoritative="false", by="#kzrehab")  # fmt: skip

    m = _frbr(
        ident, "FRBRManifestation", f"{expr}/!main.xml", manifestation_uri(law, lang), edate,
        "transformation", "#kzrehab",
    )  # fmt: skip
    _el(m, "FRBRformat", value="application/akn+xml")


def _events(law: Law) -> list[tuple[dt.date, str]]:
    found = [(getattr(law, attr), attr) for attr in _EVENTS if getattr(law, attr) is not None]
    return sorted(found, key=lambda e: e[0])


def _lifecycle(meta: ET.Element, law: Law) -> None:
    events = _events(law)
    if not events:
        return
    lifecycle = _el(meta, "lifecycle", source="#kzrehab")
    for i, (date, attr) in enumerate(events):
        attrib = {
            "date": date.isoformat(),
            "source": "#kzrehab",
            "refersTo": f"#{_EVENTS[attr][0]}",
        }
        if i == 0:
            attrib["type"] = "generation"
        _el(lifecycle, "eventRef", **attrib)


def _destination(a: Amendment, targets: Mapping[str, Law]) -> tuple[str, str | None]:
    """The href of an amendment's destination and its ``pos`` (for an insertion)."""
    target_law = targets.get(a.law)
    work = work_uri(target_law) if target_law else f"/akn/{_COUNTRY}/act/{a.law}"
    if a.action == "insert" and not a.target.startswith(("parameters.", "definitions.")):
        article = a.changes.get("article")
        if isinstance(article, str) and article:
            return f"{work}/~{article_eid(article)}", "end"
        return work, "end"
    return f"{work}/~{target_eid(a.target)}", None


def _analysis(meta: ET.Element, law: Law, targets: Mapping[str, Law]) -> None:
    amendments = law.amendments
    if not amendments:
        return
    mods = _el(_el(meta, "analysis", source="#kzrehab"), "activeModifications")
    for a in amendments:
        kind = TEXTUAL_MOD_TYPES.get(a.action, "substitution")
        mod = _el(mods, "textualMod", type=kind, eId=f"mod_{a.id}")
        _el(mod, "source", href=f"#{provision_eid(a.id)}")
        href, pos = _destination(a, targets)
        _el(mod, "destination", href=href, **({"pos": pos} if pos else {}))
        if kind != "repeal":
            _el(mod, "new", href=f"#{provision_eid(a.id)}")


def _references(meta: ET.Element, law: Law) -> None:
    refs = _el(meta, "references", source="#kzrehab")
    _el(refs, "TLCOrganization", eId="kzrehab", href="/ontology/organization/kzrehab",
        showAs="kzrehab")  # fmt: skip
    _el(refs, "TLCOrganization", eId="legislator", href="/ontology/organization/kz.legislator",
        showAs="Legislator of the Republic of Kazakhstan")  # fmt: skip
    for __, attr in _events(law):
        eid, show = _EVENTS[attr]
        _el(refs, "TLCEvent", eId=eid, href=f"/ontology/event/kz.{eid}", showAs=show)


def _proprietary(meta: ET.Element, law: Law) -> None:
    prop = _el(meta, "proprietary", source="#kzrehab")
    kz = ET.SubElement(prop, f"{{{KZREHAB_NAMESPACE}}}law",
                       {"id": law.id, "kind": law.kind, "status": law.status})  # fmt: skip
    for source in law.sources:
        ET.SubElement(kz, f"{{{KZREHAB_NAMESPACE}}}source").text = _clean(source)


def _provision(parent: ET.Element, p: AnyProvision, article: Article, lang: str) -> None:
    el = _el(parent, "hcontainer", name=p.kind_name, eId=provision_eid(p.id))
    if isinstance(p, Component) and p.title:
        title, marks = _say(p, "title", lang)
        _el(el, "heading", title, marks)
    content = _el(el, "content")
    text, marks = _say(p, "text", lang)
    if text and text != _say(article, "text", lang)[0]:
        for para in _paragraphs(text):
            _el(content, "p", para, marks)
    for name, value in _fields(p):
        if value is None or value == () or value == "":
            continue
        _el(content, "block", _render(value), name=name)
    if p.amended_by:
        _el(content, "block", ", ".join(p.amended_by), name="amended_by")


def _article(body: ET.Element, art: Article, eid: str, lang: str) -> None:
    el = _el(body, "article", eId=eid)
    if art.number:
        _el(el, "num", art.number)
    if art.heading:
        heading, marks = _say(art, "heading", lang)
        _el(el, "heading", heading, marks)
    text, marks = _say(art, "text", lang)
    paragraphs = _paragraphs(text)
    if not art.provisions:
        content = _el(el, "content")
        for para in paragraphs:
            _el(content, "p", para, marks)
        return
    if paragraphs:
        intro = _el(el, "intro")
        for para in paragraphs:
            _el(intro, "p", para, marks)
    for p in art.provisions:
        _provision(el, p, art, lang)


def _named_values(
    body: ET.Element, kind: str, prefix: str, values: dict[str, list[str]], lang: str
) -> None:
    """A container of a law's definitions or parameters: per name, its value blocks."""
    if not values:
        return
    box = _el(body, "hcontainer", name=f"{kind}s", eId=f"hcontainer_{kind}s")
    # the heading is kzrehab's English word in every expression
    _el(box, "heading", f"{kind.capitalize()}s", {} if lang == DEFAULT else {_XML_LANG: DEFAULT})
    for name, texts in values.items():
        el = _el(box, "hcontainer", name=kind, eId=f"{prefix}_{name}")
        _el(el, "heading", name)
        content = _el(el, "content")
        for text in texts:
            _el(content, "block", text, name="value")


def _body(doc: ET.Element, law: Law, lang: str) -> None:
    body = _el(doc, "body")
    for art, eid in zip(law.articles, _article_eids(law.articles), strict=True):
        _article(body, art, eid, lang)
    definitions = {name: [_render(d.expr)] for name, d in law.definitions.items()}
    _named_values(body, "definition", "def", definitions, lang)
    parameters = {
        name: [_number(value) if since is None else f"{_number(value)} from {since}"
               for since, value in param.values]
        for name, param in law.parameters.items()
    }  # fmt: skip
    _named_values(body, "parameter", "param", parameters, lang)
    if len(body) == 0:  # the body needs one element: an empty law gets an empty container
        _el(_el(body, "hcontainer", name="empty", eId="hcontainer_empty"), "content")


def to_akn(law: Law, *, laws: Iterable[Law] = (), language: str | None = None) -> ET.Element:
    """The law's expression in ``language`` as an ``<akomaNtoso>`` element.

    ``laws`` are other laws, used for the URIs of the laws this one amends (see the module
    documentation); the law itself is exported as written, its amendments not applied.
    ``language`` is one of the law's languages (:func:`~kzrehab.laws.provisions.languages_of`;
    a :class:`ValueError` otherwise), by default :func:`default_language`.
    """
    lang = _language(law, language)
    targets = {other.id: other for other in laws}
    root = ET.Element(_q("akomaNtoso"))
    doc = _el(root, _doctype(law), name=law.kind)
    meta = _el(doc, "meta")
    _identification(meta, law, lang)
    _lifecycle(meta, law)
    _analysis(meta, law, targets)
    _references(meta, law)
    _proprietary(meta, law)
    if law.title:
        title, marks = _say(law, "title", lang)
        _el(_el(_el(doc, "preface"), "longTitle"), "p", title, marks)
    _body(doc, law, lang)
    return root


def akn_xml(law: Law, *, laws: Iterable[Law] = (), language: str | None = None) -> str:
    """The law's expression in ``language`` (see :func:`to_akn`) as an Akoma Ntoso 3.0 XML
    document (UTF-8, with an XML declaration)."""
    root = to_akn(law, laws=laws, language=language)
    # ElementTree's ``default_namespace`` rejects attributes without a namespace (all of
    # Akoma Ntoso's): write the Akoma Ntoso tags unqualified under an ``xmlns`` instead.
    prefix = f"{{{AKN_NAMESPACE}}}"
    for el in root.iter():
        if el.tag.startswith(prefix):
            el.tag = el.tag[len(prefix) :]
    root.set("xmlns", AKN_NAMESPACE)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'
