"""Laws, articles and provisions (SPEC §2, §5): what a draft file holds once loaded.

Expressions are kept both as their source text and as the parsed tree. A provision's
``id`` is stable across versions; its full id is ``LAW_ID:PROVISION_ID``.
"""

from __future__ import annotations

__all__ = [
    "PERIODS",
    "Expression",
    "Parameter",
    "Definition",
    "Provision",
    "Ground",
    "Exclusion",
    "Component",
    "Amendment",
    "Article",
    "Law",
]

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..errors import Location
from ..rules.ast import Node

#: How often a component's amount is paid: a lump sum, or an allowance per month.
PERIODS = ("once", "month")


@attrs.frozen
class Expression:
    """An expression of the rule language: its text, its tree and where it was written."""

    source: str
    node: Node = attrs.field(eq=False)
    origin: Location = attrs.field(factory=Location, eq=False)


@attrs.frozen
class Parameter:
    """A named number: a plain value, or dated values (the latest on or before a date)."""

    name: str
    #: ``(since, value)`` pairs sorted by date; ``since`` is None for a plain number
    values: tuple[tuple[dt.date | None, float], ...]
    origin: Location = attrs.field(factory=Location, eq=False)

    def at(self, as_of: dt.date) -> float | None:
        """The value in force on ``as_of``, or None when there is none yet."""
        found: float | None = None
        for since, value in self.values:
            if since is None or since <= as_of:
                found = value
        return found


@attrs.frozen
class Definition:
    """A named expression of a law (claim-scope, event-scope, or an event set)."""

    name: str
    expr: Expression


@attrs.frozen(kw_only=True)
class Provision:
    """What grounds, exclusions, components and amendments share."""

    id: str
    #: the number of the article that holds it ("" for one inserted by an amendment)
    article: str = ""
    #: the legal text it models (its own, else its article's)
    text: str = ""
    #: full ids of the amendments that changed or inserted it
    amended_by: tuple[str, ...] = ()
    origin: Location = attrs.field(factory=Location, eq=False)

    kind_name = "provision"


@attrs.frozen(kw_only=True)
class Ground(Provision):
    """Makes a claim eligible, in ``category``, when ``when`` holds."""

    category: str
    when: Expression

    kind_name = "ground"


@attrs.frozen(kw_only=True)
class Exclusion(Provision):
    """Bars the grounds it covers when ``when`` holds, unless ``unless`` holds."""

    when: Expression
    unless: Expression | None = None
    #: ground ids (local) or full ids; empty means every ground of this law
    grounds: tuple[str, ...] = ()

    kind_name = "exclusion"


@attrs.frozen(kw_only=True)
class Component(Provision):
    """A reparation granted by grounds to some recipients, with an optional amount."""

    #: one of the five reparation kinds
    kind: str
    title: str = ""
    #: ground ids (local) or full ids; empty means every ground of this law
    grounds: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    amount: Expression | None = None
    #: full ids of the components this one replaces when both are received
    instead_of: tuple[str, ...] = ()
    #: ``once`` (a lump sum) or ``month`` (an allowance per month) for an amount; None when
    #: the draft does not say (read as ``once``, and ``check`` says so)
    period: str | None = None

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

    law: str
    target: str
    action: str
    changes: Mapping[str, Any] = attrs.field(factory=dict, eq=False)

    kind_name = "amendment"


AnyProvision = Ground | Exclusion | Component | Amendment


@attrs.frozen(kw_only=True)
class Article:
    """A numbered unit of legal text holding zero or more provisions."""

    number: str
    heading: str = ""
    text: str = ""
    id: str | None = None
    provisions: tuple[AnyProvision, ...] = ()


@attrs.frozen(kw_only=True)
class Law:
    """One act or draft act."""

    id: str
    title: str
    kind: str
    status: str
    version: str = ""
    effective: dt.date | None = None
    adopted: dt.date | None = None
    published: dt.date | None = None
    #: the official number, e.g. ``2143-XII`` (None when the law has none, or none was read)
    number: str | None = None
    #: the document code of the official text on Adilet (adilet.zan.kz), e.g. ``Z930002200_``
    adilet: str | None = None
    sources: tuple[str, ...] = ()
    #: the drafters' recorded choices and conflicts between sources, one a note
    notes: tuple[str, ...] = ()
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict, eq=False)
    definitions: Mapping[str, Definition] = attrs.field(factory=dict, eq=False)
    articles: tuple[Article, ...] = ()
    #: where it was read from (a path, or ``REV:PATH``)
    ref: str = ""
    #: the git commit it was read at; None for the working tree
    commit: str | None = None

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
