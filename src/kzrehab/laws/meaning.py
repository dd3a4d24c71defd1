"""The meaning of a draft: the structured file checked and turned into the model.

The third of the loader's three steps (:mod:`kzrehab.laws.loader`): a :class:`Builder`
turns a structured draft (:class:`~kzrehab.laws.schema.RawDraft`) into a
:class:`~kzrehab.laws.provisions.Law`, checking what the schema cannot see — names of
parameters and definitions, duplicate ids and article numbers, duplicates in lists, the
keys an amendment may give for its action — and parsing every expression with
:func:`kzrehab.rules.parse`. It collects every problem it finds, each at the line and
column of its key (:mod:`kzrehab.laws.spans`); for an expression, at the offending
character itself. The rules it applies are in :doc:`draft-format` and :doc:`semantics`
(*Loading drafts*).

The keys an amendment may give for each provision type, and those an insert must give,
are read from the roles of the model's fields (:mod:`kzrehab.laws.provisions`).
"""

from __future__ import annotations

__all__ = ["Builder"]

import re
from collections.abc import Iterable
from typing import Any

from .._suggest import did_you_mean
from ..errors import DraftError, KzrehabError, Location, RuleError
from ..i18n import N_, _
from ..limits import fingerprint
from ..rules import Lit, Node, parse
from ..rules._tokenizer import KEYWORDS
from ..rules.operators import FUNCTIONS
from ..vocabulary import CLAIM_FACTS, EVENT_FACTS
from .provisions import (
    PROVISION_TYPES,
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
    Wording,
    Wordings,
    amendable_fields,
    expression_fields,
    required_fields,
)
from .schema import (
    AMEND_KEYS,
    RawAmend,
    RawComponent,
    RawDraft,
    RawExclusion,
    RawGround,
    RawText,
)
from .spans import Spans, offset_in

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

#: The keys each provision type has besides ``id`` (what an insert may give).
_PROVISION_FIELDS = {name: amendable_fields(cls) for name, cls in PROVISION_TYPES.items()}
#: The keys an insert of each provision type must give.
_REQUIRED_FIELDS = {name: required_fields(cls) for name, cls in PROVISION_TYPES.items()}
#: The keys a ``replace`` of a provision may give, in the order of an amendment's keys.
_REPLACEABLE = tuple(k for k in AMEND_KEYS if any(k in f for f in _PROVISION_FIELDS.values()))
#: The keys that hold an expression.
_EXPRESSION_FIELDS = frozenset(
    name for cls in PROVISION_TYPES.values() for name in expression_fields(cls)
)


class Builder:
    """Turns a structured draft into a :class:`Law`, collecting every problem it finds.

    ``problems`` holds them, in the order found; :meth:`problem` adds one at a key path
    (the loader adds the schema's problems this way too).
    """

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        #: where each key path of the text is
        self.spans = Spans(file, text)
        self.problems: list[KzrehabError] = []

    def __repr__(self) -> str:
        return f"<Builder of {self.file}: {len(self.problems)} problems>"

    def loc(self, key: str) -> Location:
        """The location of a key path: its value, else the nearest enclosing key's."""
        return self.spans.location(key)

    def problem(self, key: str, message: str) -> None:
        """A problem at the key path ``key``."""
        self.problems.append(DraftError(message, self.loc(key)))

    # -- expressions -----------------------------------------------------------------------

    def expr(self, key: str, source: str) -> Expression:
        """Parse the expression at ``key``; a problem (and a placeholder) when it fails."""
        offsets = self.spans.characters(key, source)
        if offsets is not None:
            line, column = self.spans.position(offsets[0])
            origin = Location(self.file, key, line, column)
        else:
            origin = self.loc(key)
        try:
            node = _parse(source)
        except RuleError as err:
            where = Location(self.file, key, origin.line, origin.column)
            if offsets is not None and err.location.line is not None:
                rel = offset_in(source, err.location.line, err.location.column or 1)
                line, column = self.spans.position(offsets[min(rel, len(offsets) - 1)])
                where = Location(self.file, key, line, column)
            self.problems.append(type(err)(err.message, where))
            return Expression(source, Lit(False), origin)
        return Expression(source, node, origin)

    # -- names -----------------------------------------------------------------------------

    def check_name(self, key: str, name: str, what: str) -> None:
        """A problem when ``name`` cannot name a parameter or definition (``what``)."""
        if not _NAME.match(name):
            self.problem(
                key,
                _("'{name}' is not a valid {what} name: use letters, digits and '_', "
                  "not starting with a digit").format(name=name, what=_(what)),
            )
        elif name in CLAIM_FACTS or name in EVENT_FACTS:
            self.problem(
                key, _("'{name}' is a fact of the vocabulary: a {what} cannot take its "
                       "name").format(
                         name=name, what=_(what))
            )
        elif name in KEYWORDS:
            self.problem(
                key, _("'{name}' is a keyword of the rule language: a {what} cannot take its "
                       "name").format(
                         name=name, what=_(what))
            )
        elif name in FUNCTIONS:
            self.problem(
                key, _("'{name}' is a function of the rule language: a {what} cannot take its "
                       "name").format(
                         name=name, what=_(what))
            )

    def once(self, owners: dict[str, str], value: str, owner: str, field: str, what: str) -> None:
        """Record that ``owner`` (a key path) has ``value`` in ``field``: a problem when an
        earlier owner has it already."""
        if value in owners:
            self.problem(f"{owner}.{field}", _("{what} '{value}' is already used by "
                                               "{owners}").format(
                                                 what=_(what), value=value, owners=owners[value]))
        owners.setdefault(value, owner)

    def check_list(self, key: str, items: Iterable[str]) -> None:
        """A problem for each item listed twice in the list at ``key``."""
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item in seen:
                self.problem(f"{key}[{i}]", _("'{item}' is listed twice").format(item=item))
            seen.add(item)

    # -- the law ---------------------------------------------------------------------------

    def build(self, raw: RawDraft, ref: str, commit: str | None) -> Law:
        """The law of a structured draft (with placeholders where :attr:`problems` are)."""
        law_id = raw.law.id
        parameters: dict[str, Parameter] = {}
        for name, values in raw.parameters.items():
            key = f"parameters.{name}"
            self.check_name(key, name, N_("parameter"))
            parameters[name] = Parameter(name, values.pairs, self.loc(key))
        definitions: dict[str, Definition] = {}
        for name, source in raw.definitions.items():
            key = f"definitions.{name}"
            self.check_name(key, name, N_("definition"))
            if name in parameters:
                self.problem(key, _("'{name}' is both a parameter and a definition").format(
                                      name=name))
            definitions[name] = Definition(name, self.expr(key, source))

        numbers: dict[str, str] = {}
        article_ids: dict[str, str] = {}
        provision_ids: dict[str, str] = {}
        articles: list[Article] = []
        for i, art in enumerate(raw.article):
            key = f"article[{i}]"
            self.once(numbers, art.number, key, "number", N_("article number"))
            if art.id is not None:
                self.once(article_ids, art.id, key, "id", N_("article id"))
            text = art.text.default
            art_text = _wordings(text=art.text)
            found: list[tuple[int, str, AnyProvision]] = []
            groups: list[tuple[str, list[Any]]] = [
                ("ground", art.ground),
                ("exclusion", art.exclusion),
                ("component", art.component),
                ("amend", art.amend),
            ]
            for table, items in groups:
                for j, item in enumerate(items):
                    pkey = f"{key}.{table}[{j}]"
                    self.once(provision_ids, item.id, pkey, "id", N_("provision id"))
                    provision = self.provision(pkey, item, law_id, art.number, text, art_text)
                    found.append((self.spans.offsets.get(pkey, 0), pkey, provision))
            found.sort(key=lambda f: f[0])
            articles.append(
                Article(
                    number=art.number,
                    heading=art.heading.default,
                    text=text,
                    id=art.id,
                    provisions=tuple(p for _key, _index, p in found),
                    wordings=_wordings(heading=art.heading, text=art.text),
                )
            )
        return Law(
            id=law_id,
            title=raw.law.title.default,
            kind=raw.law.kind,
            status=raw.law.status,
            version=raw.law.version,
            effective=raw.law.effective,
            adopted=raw.law.adopted,
            published=raw.law.published,
            number=raw.law.number.strip() if raw.law.number else None,
            adilet=raw.law.adilet,
            sources=tuple(raw.law.sources),
            notes=tuple(n.strip() for n in raw.law.notes),
            parameters=parameters,
            definitions=definitions,
            articles=tuple(articles),
            ref=ref,
            commit=commit,
            wordings=_wordings(title=raw.law.title),
        )

    # -- provisions ------------------------------------------------------------------------

    def provision(
        self, key: str, raw: Any, law_id: str, number: str, text: str, text_wordings: Wordings
    ) -> AnyProvision:
        """The provision written at ``key`` in article ``number`` (whose ``text`` it takes,
        in every language given, when it gives none)."""
        common: dict[str, Any] = {"id": raw.id, "article": number, "origin": self.loc(key)}
        if isinstance(raw, RawAmend):
            return self.amendment(key, raw, {**common, "wordings": text_wordings}, text)
        if raw.text is not None:
            own, common["wordings"] = raw.text.default, _wordings(text=raw.text)
        else:
            own, common["wordings"] = text, text_wordings
        if isinstance(raw, RawComponent):
            common["wordings"] += _wordings(title=raw.title)
        if isinstance(raw, RawGround):
            return Ground(
                **common, text=own, category=raw.category, when=self.expr(f"{key}.when", raw.when)
            )
        if isinstance(raw, RawExclusion):
            grounds = tuple(raw.grounds or ())
            self.check_list(f"{key}.grounds", grounds)
            unless = self.expr(f"{key}.unless", raw.unless) if raw.unless is not None else None
            return Exclusion(
                **common,
                text=own,
                when=self.expr(f"{key}.when", raw.when),
                unless=unless,
                grounds=grounds,
            )
        assert isinstance(raw, RawComponent)
        if not raw.recipients:
            self.problem(f"{key}.recipients", _("a component needs at least one recipient"))
        self.check_list(f"{key}.recipients", raw.recipients)
        grounds = tuple(raw.grounds or ())
        self.check_list(f"{key}.grounds", grounds)
        instead_of = tuple(_full(law_id, r) for r in raw.instead_of or ())
        self.check_list(f"{key}.instead_of", instead_of)
        amount = self.expr(f"{key}.amount", raw.amount) if raw.amount is not None else None
        return Component(
            **common,
            text=own,
            kind=raw.kind,
            title=raw.title.default,
            grounds=grounds,
            recipients=tuple(raw.recipients),
            amount=amount,
            instead_of=instead_of,
            period=raw.period,
        )

    def amendment(self, key: str, raw: RawAmend, common: dict[str, Any], text: str) -> Amendment:
        """The amendment written at ``key``, checking the keys it gives for its action."""
        given = [k for k in AMEND_KEYS if getattr(raw, k) is not None]
        scope, __, name = raw.target.partition(".") if "." in raw.target else ("", "", "")
        if raw.action == "repeal":
            if given:
                self.problem(
                    f"{key}.{given[0]}",
                    _("a repeal takes no keys besides id, law, "
                      "target and action: remove {quoted}").format(quoted=_quoted(given)),
                )
        elif scope:
            what = scope[:-1]  # parameter | definition
            extra = [k for k in given if k != "value"]
            if extra:
                self.problem(
                    f"{key}.{extra[0]}",
                    _("an amendment of {target} gives only 'value', not {quoted}").format(
                        target=raw.target, quoted=_quoted(extra)),
                )
            if raw.value is None:
                self.problem(key, _("'value' is required to {action} {target}").format(
                                      action=raw.action, target=raw.target))
            elif scope == "parameters" and isinstance(raw.value.value, str):
                self.problem(
                    f"{key}.value",
                    _("a parameter's value is a number or a table of dated numbers, not a string"),
                )
            elif scope == "definitions" and not isinstance(raw.value.value, str):
                self.problem(f"{key}.value", _("a definition's value is an expression string"))
            if raw.action == "insert":
                self.check_name(f"{key}.target", name, what)
        else:
            if raw.value is not None:
                self.problem(
                    f"{key}.value",
                    _("'value' only sets a parameter or a definition "
                      "(target = \"parameters.NAME\" or \"definitions.NAME\")"),
                )
            if raw.action == "replace":
                for k in ("type", "article"):
                    if k in given:
                        self.problem(
                            f"{key}.{k}",
                            _("'{k}' is only for insert: a replace keeps "
                              "the target's type and place").format(k=k),
                        )
                if raw.value is None and not any(k in _REPLACEABLE for k in given):
                    self.problem(
                        key,
                        _("a replace needs at least one key to replace: {items}").format(
                            items=', '.join(_REPLACEABLE)),
                    )
            elif raw.type is None:
                self.problem(key, _("an insert needs a 'type': {items}").format(
                                      items=' | '.join(PROVISION_TYPES)))
            else:
                allowed = (*_PROVISION_FIELDS[raw.type], "type", "article", "value")
                for k in given:
                    if k not in allowed:
                        self.problem(
                            f"{key}.{k}",
                            _("'{k}' is not a key of a {type}"
                              "{hint}").format(
                                k=k, type=raw.type,
                                hint=did_you_mean(k, _PROVISION_FIELDS[raw.type])),
                        )
                for k in _REQUIRED_FIELDS[raw.type]:
                    if k not in given:
                        self.problem(key, _("an inserted {type} needs '{k}'").format(
                                              type=raw.type, k=k))
            if raw.recipients is not None and not raw.recipients:
                self.problem(f"{key}.recipients", _("a component needs at least one recipient"))
        changes: dict[str, Any] = {}
        for k in given:
            value = getattr(raw, k)
            if k in _EXPRESSION_FIELDS:
                changes[k] = self.expr(f"{key}.{k}", value)
            elif k == "value":
                inner = value.value
                if isinstance(inner, str):
                    changes[k] = self.expr(f"{key}.value", inner)
                else:
                    changes[k] = inner.pairs
            elif k == "instead_of":
                changes[k] = tuple(_full(raw.law, r) for r in value)
                self.check_list(f"{key}.{k}", changes[k])
            elif isinstance(value, list):
                changes[k] = tuple(value)
                self.check_list(f"{key}.{k}", value)
            elif k in ("text", "title"):
                changes[k] = value.strip()
            else:
                changes[k] = value
        return Amendment(
            **common, text=text, law=raw.law, target=raw.target, action=raw.action, changes=changes
        )


def _wordings(**fields: RawText) -> Wordings:
    """The fields written as tables of languages, as the model's ``wordings``; a plain
    string is left out (the field itself holds it)."""
    return tuple(
        (name, Wording(text.texts, frozenset(text.official)))
        for name, text in fields.items()
        if text.table
    )


def _full(law_id: str, ref: str) -> str:
    return ref if ":" in ref else f"{law_id}:{ref}"


def _quoted(keys: Iterable[str]) -> str:
    return ", ".join(f"'{k}'" for k in keys)


#: expressions parsed, by their text and the limits in force. A tree holds no position
#: (its :class:`Expression` does) and is frozen, so one tree serves every draft that
#: repeats the text: the versions of a law in a ``log`` parse each rule once.
_PARSED: dict[tuple[str, str], Node] = {}
_PARSED_MAX = 4096


def _parse(source: str) -> Node:
    key = (source, fingerprint())
    node = _PARSED.get(key)
    if node is None:
        node = parse(source)  # an error is raised, and never kept
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = node
    return node
