"""Apply the amendments of a framework's laws to the laws they amend (:doc:`draft-format`).

:func:`apply_amendments` takes the laws of a framework and gives them back, in the same
order, with every amendment applied to its target law; the amending laws keep their
:class:`~kzrehab.laws.provisions.Amendment` provisions. What cannot be applied is an
:class:`~kzrehab.errors.AmendmentError`; what is applied but worth knowing is a notice.

- ``repeal`` removes the target provision, parameter or definition. References to a
  repealed ground are dropped from the ``grounds`` of every exclusion and component of the
  framework (local and full ids), and references to a repealed component from every
  ``instead_of``; a provision whose references were dropped records the repealing
  amendment in ``amended_by``. An exclusion or a component whose explicit ``grounds``
  named only repealed grounds covers nothing any more: it is **left out** of its law (an
  empty list would mean "every ground of this law") and a notice says so. A notice also
  names every exclusion that covers no ground and every component that no ground grants
  after the repeals, and every expression that still names a repealed definition or
  parameter.
- ``replace`` replaces the fields it gives (``value`` for a parameter or a definition);
  the others stay. A field the target's type does not have is an error.
- ``insert`` adds a new provision with the amendment's ``target`` as id, built from the
  amendment's fields as if written in the target law (its ``text`` defaults to the
  amendment's). It joins the target law's article whose number is the amendment's
  ``article`` key when there is one; otherwise (and with a notice when ``article`` names no
  article) a final article numbered ``""`` headed *Inserted by amendment*. It may also add
  a parameter or a definition. An id or a name that already exists is an error.

An amended or inserted provision keeps its full id and records the full ids of the
amendments that made it in ``amended_by``; an inserted parameter or definition, or one
whose value is replaced, takes the amendment's origin.

Amendments are gathered in law order, then provision order. Amendments of one target that
are identical (same action, same changes, expressions compared by source) merge: all of
them are recorded. Different amendments of one target are an error naming both, and so an
amendment of a provision that another amendment inserts is an error too: each target has
at most one (merged) amendment. The merged amendments are applied in three passes —
every insert, then every replace, then every repeal — so that a repeal drops its
references from inserted and replaced provisions as well. Amendments themselves cannot be
amended. An amendment of a law that is not in the framework is not applied, with a notice.
"""

from __future__ import annotations

__all__ = ["Amended", "apply_amendments", "drop_references"]

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .._suggest import did_you_mean
from ..errors import AmendmentError, DraftError, Location
from ..i18n import _
from ..rules.ast import Name, walk
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
    amendable_fields,
    expression_fields,
)

#: The heading of the article that holds provisions inserted without an existing article.
INSERTED_HEADING = "Inserted by amendment"

#: The fields an amendment may set on each provision type (read from the model's roles).
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: amendable_fields(cls) for cls in PROVISION_TYPES.values()
}


@attrs.frozen
class Amended:
    """The laws of a framework with their amendments applied, and what is worth knowing."""

    #: the laws in the order given, each with the amendments of it applied
    laws: tuple[Law, ...]
    #: human-readable notices: amendments not applied, provisions made inert
    notices: tuple[str, ...] = ()


@attrs.frozen
class _Merged:
    """One amendment of a target, or several identical ones."""

    law: str
    target: str
    action: str
    changes: Mapping[str, Any]
    #: full ids of the amendments, in order
    ids: tuple[str, ...]
    #: the first of them (its text and origin are used)
    first: Amendment

    @property
    def name(self) -> str:
        return " and ".join(self.ids)


class _Work:
    """A law being amended: mutable copies of its articles, parameters and definitions."""

    def __init__(self, law: Law) -> None:
        self.law = law
        self.articles: list[tuple[Article, list[AnyProvision]]] = [
            (a, list(a.provisions)) for a in law.articles
        ]
        self.parameters = dict(law.parameters)
        self.definitions = dict(law.definitions)
        self.changed = False

    def find(self, pid: str) -> tuple[list[AnyProvision], int] | None:
        for __, provisions in self.articles:
            for i, p in enumerate(provisions):
                if p.id == pid:
                    return provisions, i
        return None

    def provisions(self) -> Iterator[AnyProvision]:
        for __, provisions in self.articles:
            yield from provisions

    def article(self, number: str) -> tuple[Article, list[AnyProvision]]:
        """The article with this number, made (last) when it is the inserted one."""
        for entry in self.articles:
            if entry[0].number == number:
                return entry
        entry = (Article(number="", heading=INSERTED_HEADING), [])
        self.articles.append(entry)
        return entry

    def full(self, ref: str) -> str:
        return self.law.full_id(ref)

    def result(self) -> Law:
        if not self.changed:
            return self.law
        articles = tuple(attrs.evolve(a, provisions=tuple(ps)) for a, ps in self.articles)
        return attrs.evolve(
            self.law, articles=articles, parameters=self.parameters, definitions=self.definitions
        )


def _normal(value: object) -> object:
    """A value comparable by content: expressions by source, containers as tuples."""
    if isinstance(value, Expression):
        return ("expression", value.source)
    if isinstance(value, Mapping):
        return tuple(sorted((k, _normal(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_normal(v) for v in value)
    return value


def _target_kind(target: str) -> str:
    """``parameters``, ``definitions`` or ``provision``."""
    scope, dot, __ = target.partition(".")
    return scope if dot and scope in ("parameters", "definitions") else "provision"


def _collect(laws: Sequence[Law], work: Mapping[str, _Work], notices: list[str]) -> list[_Merged]:
    groups: dict[tuple[str, str], list[tuple[str, Amendment]]] = {}
    for law in laws:
        for a in law.amendments:
            full = law.full_id(a.id)
            if a.law not in work:
                notices.append(_("{law} is not in the framework: amendment {full} not applied "
                                 "(nor its expressions checked: give the law it amends "
                                 "too)").format(
                                   law=a.law, full=full))
                continue
            groups.setdefault((a.law, a.target), []).append((full, a))
    merged: list[_Merged] = []
    for (law_id, target), items in groups.items():
        first_id, first = items[0]
        signature = (first.action, _normal(first.changes))
        for other_id, other in items[1:]:
            if (other.action, _normal(other.changes)) != signature:
                raise AmendmentError(
                    _("amendments {first_id} ({action}) and {other_id} ({action2}) "
                      "amend {law_id}:{target} differently: make them identical or keep "
                      "one").format(
                        first_id=first_id, action=first.action, other_id=other_id,
                        action2=other.action, law_id=law_id, target=target),
                    other.origin,
                )
        merged.append(
            _Merged(law_id, target, first.action, first.changes, tuple(i for i, __ in items), first)
        )
    return merged


def _missing(m: _Merged, w: _Work) -> AmendmentError:
    choices = [p.id for p in w.provisions() if not isinstance(p, Amendment)]
    choices += [f"parameters.{n}" for n in w.parameters]
    choices += [f"definitions.{n}" for n in w.definitions]
    return AmendmentError(
        _("amendment {ids} cannot {action} '{target}': law {id} has no such "
          "provision, parameter or definition{hint}").format(
            ids=m.ids[0], action=m.action, target=m.target, id=w.law.id,
            hint=did_you_mean(m.target, choices)),
        m.first.origin,
    )


def _provision_target(m: _Merged, w: _Work) -> tuple[list[AnyProvision], int]:
    """Where the provision that ``m`` replaces or repeals is: an error when there is none,
    or when it is an amendment."""
    found = w.find(m.target)
    if found is None:
        raise _missing(m, w)
    provisions, i = found
    if isinstance(provisions[i], Amendment):
        raise AmendmentError(
            _("amendment {ids} targets {full}, which is itself an "
              "amendment: amendments cannot be amended").format(
                ids=m.ids[0], full=w.full(provisions[i].id)),
            m.first.origin,
        )
    return found


def _insert(m: _Merged, w: _Work, notices: list[str]) -> None:
    kind = _target_kind(m.target)
    name = m.target.partition(".")[2]
    if kind != "provision":
        if name in w.parameters or name in w.definitions:
            what = _("a parameter") if name in w.parameters else _("a definition")
            raise AmendmentError(
                _("amendment {ids} inserts {target}, but law {id} already has "
                  "{what} '{name}'").format(
                    ids=m.ids[0], target=m.target, id=w.law.id, what=what, name=name),
                m.first.origin,
            )
        if kind == "parameters":
            w.parameters[name] = Parameter(name, m.changes["value"], m.first.origin)
        else:
            w.definitions[name] = Definition(name, m.changes["value"])
        w.changed = True
        return
    if w.find(m.target) is not None:
        raise AmendmentError(
            _("amendment {ids} inserts '{target}', but law {id} already has a "
              "provision with that id").format(ids=m.ids[0], target=m.target, id=w.law.id),
            m.first.origin,
        )
    cls = PROVISION_TYPES[m.changes["type"]]
    wanted = m.changes.get("article")
    if wanted is not None and not any(a.number == wanted for a, __ in w.articles):
        notices.append(
            _("{id} has no article {wanted}: {full}, inserted by {name}, "
              "joins '{INSERTED_HEADING}'").format(
                id=w.law.id, wanted=wanted, full=w.full(m.target), name=m.name,
                INSERTED_HEADING=INSERTED_HEADING)
        )
        wanted = None
    article, provisions = w.article(wanted if wanted is not None else "")
    fields = {k: v for k, v in m.changes.items() if k in _FIELDS[cls]}
    text = fields.pop("text", m.first.text)
    # the amendment's own text in every language it has, unless it gives the text (a plain
    # string: English)
    wordings = () if "text" in m.changes else m.first.wordings
    provisions.append(
        cls(
            id=m.target,
            article=article.number,
            text=text,
            amended_by=m.ids,
            origin=m.first.origin,
            wordings=wordings,
            **fields,
        )
    )
    w.changed = True


def _replace(m: _Merged, w: _Work) -> None:
    kind = _target_kind(m.target)
    name = m.target.partition(".")[2]
    if kind == "parameters":
        if name not in w.parameters:
            raise _missing(m, w)
        w.parameters[name] = Parameter(name, m.changes["value"], m.first.origin)
    elif kind == "definitions":
        if name not in w.definitions:
            raise _missing(m, w)
        w.definitions[name] = Definition(name, m.changes["value"])
    else:
        provisions, i = _provision_target(m, w)
        old = provisions[i]
        allowed = _FIELDS[type(old)]
        bad = [k for k in m.changes if k not in allowed]
        if bad:
            raise AmendmentError(
                _("amendment {ids} replaces {items} of "
                  "{full}, but a {kind_name} has no such field (it has "
                  "{items2})").format(
                    ids=m.ids[0], items=', '.join(repr(k) for k in bad), full=w.full(old.id),
                    kind_name=old.kind_name, items2=', '.join(allowed)),
                m.first.origin,
            )
        # a replaced text or title is given in English only: its translations are dropped,
        # never left standing beside a text they no longer translate
        wordings = tuple((k, v) for k, v in old.wordings if k not in m.changes)
        provisions[i] = attrs.evolve(
            old, amended_by=old.amended_by + m.ids, wordings=wordings, **m.changes
        )
    w.changed = True


def _covered(work: Mapping[str, _Work], gone: Collection[str] | None = None
             ) -> dict[str, set[str]]:  # fmt: skip
    """Full id of each exclusion and component → full ids of the existing grounds it covers;
    with ``gone`` (full ids of grounds), only of those that name one of them, or name none
    (all of their law's grounds) in a law that has one: what a repeal of them may leave
    covering none."""
    found: dict[str, set[str]] = {}

    def grounds(law_id: str) -> set[str]:
        if law_id not in found:
            w = work.get(law_id)
            found[law_id] = set() if w is None else {
                w.full(p.id) for p in w.provisions() if isinstance(p, Ground)}
        return found[law_id]

    hit = {g.partition(":")[0] for g in gone} if gone is not None else set()
    out: dict[str, set[str]] = {}
    for w in work.values():
        for p in w.provisions():
            if not isinstance(p, Exclusion | Component):
                continue
            refs = {w.full(r) for r in p.grounds} if p.grounds else None
            if gone is not None and ((refs is None and w.law.id not in hit)
                                     or (refs is not None and refs.isdisjoint(gone))):
                continue  # fmt: skip
            if refs is None:
                out[w.full(p.id)] = set(grounds(w.law.id))
            else:
                out[w.full(p.id)] = {r for r in refs if r in grounds(r.partition(":")[0])}
    return out


def _repeal(m: _Merged, w: _Work, repealed: dict[str, tuple[str, ...]]) -> None:
    kind = _target_kind(m.target)
    name = m.target.partition(".")[2]
    if kind != "provision":
        table: dict[str, Any] = w.parameters if kind == "parameters" else w.definitions
        if name not in table:
            raise _missing(m, w)
        del table[name]
        w.changed = True
        return
    provisions, i = _provision_target(m, w)
    old = provisions[i]
    del provisions[i]
    repealed[w.full(old.id)] = m.ids
    w.changed = True


def _expressions(w: _Work) -> Iterator[tuple[str, Expression]]:
    for name, d in w.definitions.items():
        yield f"definitions.{name}", d.expr
    for p in w.provisions():
        if isinstance(p, Amendment):
            continue
        for field in expression_fields(type(p)):
            expr = getattr(p, field)
            if isinstance(expr, Expression):
                yield w.full(p.id), expr


def _names(expr: Expression, name: str) -> bool:
    return any(isinstance(n, Name) and n.name == name for n in walk(expr.node))


def _drop_references(
    work: Mapping[str, _Work], repealed: dict[str, tuple[str, ...]], notices: list[str]
) -> None:
    """Drop references to repealed grounds and components; leave out what covers nothing."""
    pending = dict(repealed)
    while pending:
        removed: dict[str, tuple[str, ...]] = {}
        for w in work.values():
            for __, provisions in w.articles:
                for i in reversed(range(len(provisions))):
                    p = provisions[i]
                    if not isinstance(p, Exclusion | Component):
                        continue
                    by: tuple[str, ...] = ()
                    kept = tuple(r for r in p.grounds if w.full(r) not in pending)
                    for r in p.grounds:
                        by += tuple(a for a in pending.get(w.full(r), ()) if a not in by)
                    if p.grounds and not kept:
                        full = w.full(p.id)
                        names = ", ".join(w.full(r) for r in p.grounds)
                        if isinstance(p, Exclusion):
                            inert = _("exclusion {full} covered only repealed grounds "
                                      "({names}): it is inert and left out of the framework")
                        else:
                            inert = _("component {full} was granted by only repealed grounds "
                                      "({names}): it is inert and left out of the framework")
                        notices.append(inert.format(full=full, names=names))
                        del provisions[i]
                        if isinstance(p, Component):
                            removed[full] = by
                        w.changed = True
                        continue
                    changes: dict[str, Any] = {}
                    if len(kept) < len(p.grounds):
                        changes["grounds"] = kept
                    if isinstance(p, Component):
                        instead = tuple(r for r in p.instead_of if w.full(r) not in pending)
                        for r in p.instead_of:
                            by += tuple(a for a in pending.get(w.full(r), ()) if a not in by)
                        if len(instead) < len(p.instead_of):
                            changes["instead_of"] = instead
                    if changes:
                        new_by = p.amended_by + tuple(a for a in by if a not in p.amended_by)
                        provisions[i] = attrs.evolve(p, amended_by=new_by, **changes)
                        w.changed = True
        pending = removed


def drop_references(laws: Sequence[Law], gone: Iterable[str]) -> Amended:
    """``laws`` with every reference to the provisions ``gone`` (full ids, which need not
    exist) dropped as a repeal of them drops it: from the ``grounds`` of every exclusion and
    component and from every ``instead_of``; what named only gone grounds is left out, and
    in turn dropped from every ``instead_of``, with a notice.

    Attribution takes one change back from a framework with it
    (:mod:`kzrehab.attribution`): what the taken-back form names that the framework no
    longer has goes as if repealed.
    """
    work = {law.id: _Work(law) for law in laws}
    notices: list[str] = []
    _drop_references(work, {full: () for full in gone}, notices)
    return Amended(tuple(work[law.id].result() for law in laws), tuple(notices))


def apply_amendments(laws: Sequence[Law]) -> Amended:
    """Apply every amendment of ``laws`` to the laws it amends (see the module docs).

    Raises :class:`~kzrehab.errors.AmendmentError` for a target that does not exist (or
    already does, for an insert), a field the target has not, and two different amendments
    of one target.
    """
    work: dict[str, _Work] = {}
    for law in laws:
        if law.id in work:
            raise DraftError(
                _("law '{id}' is given twice: {ref} and {ref2}").format(
                    id=law.id, ref=work[law.id].law.ref, ref2=law.ref),
                Location(file=law.ref),
            )
        work[law.id] = _Work(law)
    notices: list[str] = []
    merged = _collect(laws, work, notices)
    for m in merged:
        if m.action == "insert":
            _insert(m, work[m.law], notices)
    for m in merged:
        if m.action == "replace":
            _replace(m, work[m.law])
    # what each exclusion and component covers, to tell which a repeal leaves covering none
    gone = {work[m.law].full(m.target) for m in merged
            if m.action == "repeal" and _target_kind(m.target) == "provision"}  # fmt: skip
    before = _covered(work, gone) if gone else {}
    repealed: dict[str, tuple[str, ...]] = {}
    for m in merged:
        if m.action == "repeal":
            _repeal(m, work[m.law], repealed)
            if _target_kind(m.target) != "provision":
                w = work[m.law]
                name = m.target.partition(".")[2]
                users = [where for where, e in _expressions(w) if _names(e, name)]
                if users:
                    notices.append(
                        _("{id}: {target} is repealed by {name} but still named by "
                          "{items}").format(
                            id=w.law.id, target=m.target, name=m.name, items=', '.join(users))
                    )
    if repealed:
        _drop_references(work, repealed, notices)
        after = _covered(work, gone)
        for full, grounds in before.items():
            if grounds and full in after and not after[full]:
                law_id, __, pid = full.partition(":")
                found = work[law_id].find(pid)
                if found is not None and isinstance(found[0][found[1]], Exclusion):
                    notices.append(_("exclusion {full} covers no ground any more").format(
                                       full=full))
                else:
                    notices.append(_("component {full} is granted by no ground any more").format(
                                       full=full))
    return Amended(tuple(work[law.id].result() for law in laws), tuple(notices))
