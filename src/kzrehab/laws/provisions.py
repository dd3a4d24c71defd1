"""Laws, articles and provisions: what a draft file holds once loaded (:doc:`draft-format`).

Expressions are kept both as their source text and as the parsed tree. A provision's
``id`` is stable across versions; its full id is ``LAW_ID:PROVISION_ID``.

**Each field is declared once, here, with its role** (:class:`Role`, given by
:func:`role` in the field's metadata): whether it decides what the provision does, holds
an expression, may be given by an amendment, must be given, or is prose. The tables the
rest of the code needs are read from those roles: the keys an amendment may give and an
insert must give (:func:`amendable_fields`, :func:`required_fields`, used by
:mod:`kzrehab.laws.loader` and :mod:`kzrehab.laws.amend`), the fields whose change is
``rule-changed`` in a redline (:func:`rule_fields`, :mod:`kzrehab.redline`), the fields
holding expressions (:func:`expression_fields`) and the fields a content key leaves out
(:data:`PROSE_FIELDS`, :mod:`kzrehab.keys`). A field declared without a role is a
:class:`TypeError` when this module is imported.
"""

from __future__ import annotations

__all__ = [
    "PERIODS",
    "Role",
    "role",
    "Expression",
    "Parameter",
    "Definition",
    "Provision",
    "Ground",
    "Exclusion",
    "Component",
    "Amendment",
    "AnyProvision",
    "PROVISION_TYPES",
    "Article",
    "Law",
    "MODEL_CLASSES",
    "role_of",
    "amendable_fields",
    "required_fields",
    "rule_fields",
    "expression_fields",
    "PROSE_FIELDS",
    "Wording",
    "Wordings",
    "wording",
    "text_in",
    "languages_of",
    "texts_of",
]

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..errors import Location
from ..i18n import _
from ..languages import DEFAULT, LANGUAGES, pick
from ..rules.ast import Node

#: How often a component's amount is paid: a lump sum, or an allowance per month.
PERIODS = ("once", "month")

#: The key of a field's :class:`Role` in its attrs metadata.
ROLE_KEY = "kzrehab.role"


@attrs.frozen
class Role:
    """What a field of the model is; every field of every model class declares one."""

    #: it decides what the provision does: a change to it is ``rule-changed``
    rule: bool = False
    #: it holds an :class:`Expression` of the rule language (or None)
    expression: bool = False
    #: an amendment may give it: a ``replace`` replaces it, an ``insert`` sets it
    replaceable: bool = False
    #: a draft must give it (and so must an ``insert`` of the provision)
    required: bool = False
    #: for the reader only, never read by evaluation: texts, titles, numbering, dates,
    #: sources and where it was written
    prose: bool = False
    #: computed from another field that stands for it (an expression's tree, from its text)
    derived: bool = False


def role(
    *,
    rule: bool = False,
    expression: bool = False,
    replaceable: bool = False,
    required: bool = False,
    prose: bool = False,
    derived: bool = False,
) -> dict[str, Role]:
    """The metadata of a field with this role: ``attrs.field(metadata=role(rule=True))``."""
    return {ROLE_KEY: Role(rule, expression, replaceable, required, prose, derived)}


@attrs.frozen
class Wording:
    """A text a draft gives per language (:doc:`draft-format`, *Languages*).

    ``texts`` holds ``(language, text)`` pairs in the order of
    :data:`~kzrehab.languages.LANGUAGES`; ``official`` the languages whose text the draft
    marks as the official wording of the law (every other is unofficial: the drafters' own
    translation or modelled text).
    """

    texts: tuple[tuple[str, str], ...]
    official: frozenset[str] = frozenset()

    @classmethod
    def plain(cls, text: str) -> Wording:
        """A plain string of a draft: English."""
        return cls(((DEFAULT, text),) if text else ())

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages given, in the order of :data:`~kzrehab.languages.LANGUAGES`."""
        return tuple(lang for lang, __ in self.texts)

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or None when it is not given in ``lang``."""
        return dict(self.texts).get(lang)

    def pick(self, lang: str = DEFAULT) -> tuple[str, str]:
        """``(language, text)``: in ``lang``, else the first given in the fallback order
        (:func:`kzrehab.languages.pick`)."""
        return pick(dict(self.texts), lang)


#: ``(field name, Wording)`` pairs: the fields a draft gives per language, in field order.
Wordings = tuple[tuple[str, Wording], ...]


@attrs.frozen
class Expression:
    """An expression of the rule language: its text, its tree and where it was written."""

    source: str = attrs.field(metadata=role())
    node: Node = attrs.field(eq=False, repr=False, metadata=role(derived=True))
    origin: Location = attrs.field(factory=Location, eq=False, repr=False,
                                   metadata=role(prose=True))  # fmt: skip


@attrs.frozen
class Parameter:
    """A named number: a plain value, or dated values (the latest on or before a date).

    :func:`kzrehab.laws.parameters.value_on` reads it on a date.
    """

    name: str = attrs.field(metadata=role(required=True))
    #: ``(since, value)`` pairs sorted by date; ``since`` is None for a plain number
    values: tuple[tuple[dt.date | None, float], ...] = attrs.field(metadata=role(required=True))
    origin: Location = attrs.field(
        factory=Location, eq=False, repr=False, metadata=role(prose=True)
    )


@attrs.frozen
class Definition:
    """A named expression of a law (claim-scope, event-scope, or an event set)."""

    name: str = attrs.field(metadata=role(required=True))
    expr: Expression = attrs.field(metadata=role(required=True, expression=True))


@attrs.frozen(kw_only=True)
class Provision:
    """What grounds, exclusions, components and amendments share."""

    id: str = attrs.field(metadata=role(required=True))
    #: the number of the article that holds it ("" for one inserted by an amendment)
    article: str = attrs.field(default="", metadata=role(prose=True))
    #: the legal text it models (its own, else its article's)
    text: str = attrs.field(default="", metadata=role(prose=True, replaceable=True))
    #: full ids of the amendments that changed or inserted it
    amended_by: tuple[str, ...] = attrs.field(default=(), metadata=role(prose=True))
    #: the prose fields the draft gives per language (``text``, a component's ``title``)
    wordings: Wordings = attrs.field(default=(), metadata=role(prose=True))
    origin: Location = attrs.field(
        factory=Location, eq=False, repr=False, metadata=role(prose=True)
    )

    kind_name = "provision"


@attrs.frozen(kw_only=True)
class Ground(Provision):
    """Makes a claim eligible, in ``category``, when ``when`` holds."""

    category: str = attrs.field(metadata=role(rule=True, replaceable=True, required=True))
    when: Expression = attrs.field(
        metadata=role(rule=True, expression=True, replaceable=True, required=True)
    )

    kind_name = "ground"


@attrs.frozen(kw_only=True)
class Exclusion(Provision):
    """Bars the grounds it covers when ``when`` holds, unless ``unless`` holds."""

    when: Expression = attrs.field(
        metadata=role(rule=True, expression=True, replaceable=True, required=True)
    )
    unless: Expression | None = attrs.field(
        default=None, metadata=role(rule=True, expression=True, replaceable=True)
    )
    #: ground ids (local) or full ids; empty means every ground of this law
    grounds: tuple[str, ...] = attrs.field(default=(), metadata=role(rule=True, replaceable=True))

    kind_name = "exclusion"


@attrs.frozen(kw_only=True)
class Component(Provision):
    """A reparation granted by grounds to some recipients, with an optional amount."""

    #: one of the five reparation kinds
    kind: str = attrs.field(metadata=role(rule=True, replaceable=True, required=True))
    title: str = attrs.field(default="", metadata=role(prose=True, replaceable=True))
    #: ground ids (local) or full ids; empty means every ground of this law
    grounds: tuple[str, ...] = attrs.field(default=(), metadata=role(rule=True, replaceable=True))
    #: who receives it; a draft gives at least one
    recipients: tuple[str, ...] = attrs.field(
        default=(), metadata=role(rule=True, replaceable=True, required=True)
    )
    amount: Expression | None = attrs.field(
        default=None, metadata=role(rule=True, expression=True, replaceable=True)
    )
    #: ``once`` (a lump sum) or ``month`` (an allowance per month) for an amount; None when
    #: the draft does not say (read as ``once``, and ``check`` says so)
    period: str | None = attrs.field(default=None, metadata=role(rule=True, replaceable=True))
    #: full ids of the components this one replaces when both are received
    instead_of: tuple[str, ...] = attrs.field(
        default=(), metadata=role(rule=True, replaceable=True)
    )

    kind_name = "component"

    @property
    def pays(self) -> str:
        """The period of the amount: ``once`` or ``month`` (``once`` when not given)."""
        return self.period or "once"


@attrs.frozen(kw_only=True)
class Amendment(Provision):
    """Repeals, replaces or inserts a provision, parameter or definition of another law.

    ``changes`` holds the fields given: for ``replace`` the target's fields to replace, for
    ``insert`` the whole new provision (with ``type``), for parameters and definitions
    ``value``. Expressions among them are :class:`Expression`.
    """

    law: str = attrs.field(metadata=role(rule=True, required=True))
    target: str = attrs.field(metadata=role(rule=True, required=True))
    action: str = attrs.field(metadata=role(rule=True, required=True))
    changes: Mapping[str, Any] = attrs.field(factory=dict, eq=False, metadata=role(rule=True))

    kind_name = "amendment"


AnyProvision = Ground | Exclusion | Component | Amendment

#: The provisions a draft writes as tables of an article (and an ``insert`` names by its
#: ``type``), by their ``kind_name``.
PROVISION_TYPES: Mapping[str, type[Ground] | type[Exclusion] | type[Component]] = {
    cls.kind_name: cls for cls in (Ground, Exclusion, Component)
}


@attrs.frozen(kw_only=True)
class Article:
    """A numbered unit of legal text holding zero or more provisions."""

    number: str = attrs.field(metadata=role(prose=True, required=True))
    heading: str = attrs.field(default="", metadata=role(prose=True))
    text: str = attrs.field(default="", metadata=role(prose=True))
    id: str | None = attrs.field(default=None, metadata=role())
    provisions: tuple[AnyProvision, ...] = attrs.field(default=(), metadata=role())
    #: the prose fields the draft gives per language (``heading``, ``text``)
    wordings: Wordings = attrs.field(default=(), metadata=role(prose=True))

    def __repr__(self) -> str:
        n = len(self.provisions)
        return f"<Article {self.number or '(inserted)'}: {n} provision{'' if n == 1 else 's'}>"


@attrs.frozen(kw_only=True)
class Law:
    """One act or draft act."""

    id: str = attrs.field(metadata=role(required=True))
    title: str = attrs.field(metadata=role(prose=True, required=True))
    kind: str = attrs.field(metadata=role(required=True))
    status: str = attrs.field(metadata=role(prose=True, required=True))
    version: str = attrs.field(default="", metadata=role(prose=True))
    effective: dt.date | None = attrs.field(default=None, metadata=role(prose=True))
    adopted: dt.date | None = attrs.field(default=None, metadata=role(prose=True))
    published: dt.date | None = attrs.field(default=None, metadata=role(prose=True))
    #: the official number, e.g. ``2143-XII`` (None when the law has none, or none was read)
    number: str | None = attrs.field(default=None, metadata=role(prose=True))
    #: the document code of the official text on Adilet (adilet.zan.kz), e.g. ``Z930002200_``
    adilet: str | None = attrs.field(default=None, metadata=role(prose=True))
    sources: tuple[str, ...] = attrs.field(default=(), metadata=role(prose=True))
    #: the drafters' recorded choices and conflicts between sources, one a note
    notes: tuple[str, ...] = attrs.field(default=(), metadata=role(prose=True))
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict, eq=False, metadata=role())
    definitions: Mapping[str, Definition] = attrs.field(factory=dict, eq=False, metadata=role())
    articles: tuple[Article, ...] = attrs.field(default=(), metadata=role())
    #: where it was read from (a path, or ``REV:PATH``)
    ref: str = attrs.field(default="", metadata=role(prose=True))
    #: the git commit it was read at; None for the working tree
    commit: str | None = attrs.field(default=None, metadata=role(prose=True))
    #: the prose fields the draft gives per language (``title``)
    wordings: Wordings = attrs.field(default=(), metadata=role(prose=True))

    def __repr__(self) -> str:
        at = f" at {self.commit[:12]}" if self.commit else ""
        articles, provisions = len(self.articles), sum(len(a.provisions) for a in self.articles)
        return (f"<Law {self.id} ({self.kind}, {self.status}){at}: "
                f"{articles} article{'' if articles == 1 else 's'}, "
                f"{provisions} provision{'' if provisions == 1 else 's'}>")  # fmt: skip

    def provisions(self) -> Iterator[AnyProvision]:
        """Every provision, in article order."""
        for article in self.articles:
            yield from article.provisions

    @property
    def grounds(self) -> tuple[Ground, ...]:
        return tuple(p for p in self.provisions() if isinstance(p, Ground))

    @property
    def exclusions(self) -> tuple[Exclusion, ...]:
        return tuple(p for p in self.provisions() if isinstance(p, Exclusion))

    @property
    def components(self) -> tuple[Component, ...]:
        return tuple(p for p in self.provisions() if isinstance(p, Component))

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        return tuple(p for p in self.provisions() if isinstance(p, Amendment))

    def full_id(self, provision_id: str) -> str:
        """``LAW_ID:PROVISION_ID``; a full id is returned as it is."""
        return provision_id if ":" in provision_id else f"{self.id}:{provision_id}"


# -- the tables read from the roles ---------------------------------------------------------

#: Every class of the model; each of their fields declares a :class:`Role`.
MODEL_CLASSES: tuple[type, ...] = (
    Expression, Parameter, Definition, Ground, Exclusion, Component, Amendment, Article, Law,
)  # fmt: skip


def role_of(field: attrs.Attribute[Any]) -> Role:
    """The role a field of the model declares (a :class:`TypeError` when it has none)."""
    found = field.metadata.get(ROLE_KEY)
    if not isinstance(found, Role):
        raise TypeError(
            _("the field '{name}' declares no role: give it attrs.field(metadata=role(...)) "
              "in kzrehab.laws.provisions").format(name=field.name)
        )
    return found


def _fields(cls: type) -> list[attrs.Attribute[Any]]:
    """A class's fields, its own first and then those every provision shares (the order
    in which messages list them)."""
    every: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    shared = {f.name for f in attrs.fields(Provision)} if issubclass(cls, Provision) else set()
    return [f for f in every if f.name not in shared] + [f for f in every if f.name in shared]


def _where(cls: type, flag: str) -> tuple[str, ...]:
    return tuple(f.name for f in _fields(cls) if getattr(role_of(f), flag))


def amendable_fields(cls: type) -> tuple[str, ...]:
    """The fields an amendment may give for a provision of type ``cls``: what a ``replace``
    may replace and an ``insert`` may set."""
    return _where(cls, "replaceable")


def required_fields(cls: type) -> tuple[str, ...]:
    """The fields an ``insert`` of a provision of type ``cls`` must give."""
    return tuple(f.name for f in _fields(cls) if role_of(f).required and role_of(f).replaceable)


def rule_fields(cls: type) -> tuple[str, ...]:
    """The fields that decide what a provision of type ``cls`` does (a change to one of them
    is ``rule-changed``)."""
    return _where(cls, "rule")


def expression_fields(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` that hold an :class:`Expression`."""
    return _where(cls, "expression")


#: The names of the fields that say nothing evaluation reads beyond the other fields: prose,
#: and what is derived from another field. A content key (:mod:`kzrehab.keys`) leaves them
#: out; a name is prose in every class that has it.
PROSE_FIELDS: frozenset[str] = frozenset(
    f.name
    for cls in MODEL_CLASSES
    for f in attrs.fields(cls)
    if role_of(f).prose or role_of(f).derived
)


# -- texts in each language ------------------------------------------------------------------


def wording(obj: Law | Article | Provision, field: str) -> Wording:
    """The text of ``obj``'s prose ``field`` in each language: as the draft gives it per
    language, else its plain string (English)."""
    for name, found in obj.wordings:
        if name == field:
            return found
    value = getattr(obj, field)
    return Wording.plain(value if isinstance(value, str) else "")


def text_in(obj: Law | Article | Provision, field: str, lang: str = DEFAULT) -> str:
    """``obj``'s prose ``field`` in ``lang``, falling back to English, then Russian, then
    Kazakh when the draft does not give it in ``lang`` (:func:`kzrehab.languages.pick`).

    For ``lang="en"`` this is the field itself (``law.title``, ``article.heading``).
    """
    return wording(obj, field).pick(lang)[1]


def languages_of(law: Law) -> tuple[str, ...]:
    """The languages of a law: those its ``title`` is given in (a plain title: English),
    in the order of :data:`~kzrehab.languages.LANGUAGES`."""
    given = wording(law, "title").languages
    return tuple(lang for lang in LANGUAGES if lang in given) or (DEFAULT,)


def texts_of(law: Law) -> Iterator[tuple[str, Wording]]:
    """``(where, wording)`` for every prose text of a law given in some language: its title,
    each article's heading and text, each provision's own text (not the one it takes from
    its article) and each component's title. ``where`` names it: ``title``, ``article 2
    heading``, ``provision grave-crime text``."""
    yield "title", wording(law, "title")
    for article in law.articles:
        for field in ("heading", "text"):
            if getattr(article, field):
                yield f"article {article.number} {field}", wording(article, field)
        shared = wording(article, "text")
        for p in article.provisions:
            if p.text and wording(p, "text") != shared:
                yield f"provision {p.id} text", wording(p, "text")
            if isinstance(p, Component) and p.title:
                yield f"provision {p.id} title", wording(p, "title")
