"""Frameworks: a set of laws read together, amendments applied first.

A :class:`Framework` applies the amendments, type-checks every expression of every law and
indexes the provisions: which exclusions cover which grounds, which grounds grant which
components, which category each ground gives. It is a value: it evaluates nothing. What
the framework means — a ground applies when its condition holds and no exclusion covering
it holds, the status, the categories, who receives which component, ``instead_of``, the
rounding of amounts — is written once, as trees, in its evaluation plan
(:mod:`kzrehab.plan`), which both engines run (:mod:`kzrehab.evaluation`).
"""

from __future__ import annotations

__all__ = ["Framework", "CheckedLaw", "load_framework", "is_constant"]

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from typing import NamedTuple

import attrs

from .. import vocabulary
from .._suggest import did_you_mean
from ..errors import DraftError, Location
from ..i18n import _
from ..rules.ast import Name, Node, Op, SetLit, walk
from ..rules.checker import Checker, Resolved
from ..rules.printer import unparse
from .amend import apply_amendments
from .loader import load_laws
from .parameters import parameters_at
from .provisions import Component, Exclusion, Ground, Law


@attrs.frozen
class CheckedLaw:
    """One law, checked: resolved trees of its provisions and definitions."""

    law: Law
    definitions: Mapping[str, Resolved]
    grounds: Mapping[str, Resolved]  # full id → when
    exclusions: Mapping[str, tuple[Resolved, Resolved | None]]  # full id → (when, unless)
    amounts: Mapping[str, Resolved]  # full component id → amount

    def __repr__(self) -> str:
        return (f"<CheckedLaw {self.law.id}: {len(self.definitions)} definitions, "
                f"{len(self.grounds)} grounds, {len(self.exclusions)} exclusions, "
                f"{len(self.amounts)} amounts>")  # fmt: skip


def _full(law: Law, ref: str) -> str:
    return law.full_id(ref)


class Framework:
    """A set of laws read together, amendments applied and every expression checked: the
    checked laws and an index of their provisions. A value: once built, nothing in it is
    assigned again (assigning an attribute raises :class:`AttributeError`).

    ``like``: another framework (attribution's head, of which this one takes one change
    back) whose checked laws lend what cannot differ — a law that is the very same, or,
    where the definitions and the parameters' names are the same, each provision that is
    the very same object — so that only what differs is checked."""

    _built = False

    def __init__(self, laws: Sequence[Law], *, like: Framework | None = None) -> None:
        amended = apply_amendments(laws)  # also refuses a law given twice
        self.laws: tuple[Law, ...] = amended.laws
        notices = list(amended.notices)
        before: Mapping[str, CheckedLaw] = like._checked if like is not None else {}
        self._checked: dict[str, CheckedLaw] = {
            law.id: self._check_law(law, before.get(law.id)) for law in self.laws
        }
        index_notices: list[str] = []
        self._index_provisions(index_notices)
        self._index_notices = tuple(index_notices)
        #: what the drafter should know that is not an error (e.g. a reference not applied)
        self.notices: tuple[str, ...] = (*notices, *index_notices)
        self._built = True

    def __setattr__(self, name: str, value: object) -> None:
        if self._built:
            raise AttributeError(f"a Framework is a value: '{name}' cannot be assigned")
        super().__setattr__(name, value)

    def __repr__(self) -> str:
        return f"<Framework {' + '.join(self.ids) or '(no law)'}>"

    # -- building ---------------------------------------------------------------------------

    @staticmethod
    def _check_law(law: Law, like: CheckedLaw | None = None) -> CheckedLaw:
        """``law`` checked. ``like``, the checked law of the same id in another framework
        (attribution's head, of which a variant takes one change back), lends what cannot
        differ: all of it when it is the same law, else — when the definitions and the
        parameters' names are the same — the definitions and every provision that is the
        very same object (the same expressions, read with the same names)."""
        if like is not None and like.law is law:
            return like
        if like is not None and (like.law.definitions != law.definitions
                                 or like.law.parameters.keys() != law.parameters.keys()):
            like = None  # fmt: skip
        lent = {}
        if like is not None:
            lent = {id(p): p for p in like.law.provisions()}
        checker = Checker(
            {name: d.expr for name, d in law.definitions.items()}, law.parameters.keys()
        )
        definitions = checker.check_definitions() if like is None else dict(like.definitions)
        grounds: dict[str, Resolved] = {}
        exclusions: dict[str, tuple[Resolved, Resolved | None]] = {}
        amounts: dict[str, Resolved] = {}
        for p in law.provisions():
            full = law.full_id(p.id)
            if like is not None and lent.get(id(p)) is p and full == like.law.full_id(p.id):
                if full in like.grounds:
                    grounds[full] = like.grounds[full]
                elif full in like.exclusions:
                    exclusions[full] = like.exclusions[full]
                elif full in like.amounts:
                    amounts[full] = like.amounts[full]
                continue
            if isinstance(p, Ground):
                what = _("the condition of ground '{full}'").format(full=full)
                grounds[full] = checker.check(p.when, "bool", what)
            elif isinstance(p, Exclusion):
                what = _("the condition of exclusion '{full}'").format(full=full)
                when = checker.check(p.when, "bool", what)
                what = _("the exception of exclusion '{full}'").format(full=full)
                unless = checker.check(p.unless, "bool", what) if p.unless is not None else None
                exclusions[full] = (when, unless)
            elif isinstance(p, Component) and p.amount is not None:
                what = _("the amount of '{full}'").format(full=full)
                amounts[full] = checker.check(p.amount, "num", what)
        return CheckedLaw(law, definitions, grounds, exclusions, amounts)

    def _index_provisions(self, notices: list[str]) -> None:
        law_ids = {law.id for law in self.laws}
        # in law and article order (a dict, not a set): the order of grounds in the plan
        # and in every explanation does not depend on hashing
        all_grounds = dict.fromkeys(g for plan in self._checked.values() for g in plan.grounds)
        self.ground_law: dict[str, Law] = {}
        self.ground_category: dict[str, str] = {}
        for law in self.laws:
            for g in law.grounds:
                self.ground_law[law.full_id(g.id)] = law
                self.ground_category[law.full_id(g.id)] = g.category

        def resolve(law: Law, refs: tuple[str, ...], owner: str, key: str) -> list[str]:
            if not refs:
                return [law.full_id(g.id) for g in law.grounds]
            out = []
            for ref in refs:
                full = _full(law, ref)
                target_law = full.split(":", 1)[0]
                if target_law not in law_ids:
                    notices.append(
                        _("{owner} names ground '{full}' of law '{target_law}', which is not "
                          "in the framework: that reference is not applied").format(
                            owner=owner, full=full, target_law=target_law)
                    )
                elif full not in all_grounds:
                    hint = did_you_mean(full, all_grounds)
                    raise DraftError(_("{owner} names ground '{full}', which does not "
                                       "exist{hint}").format(
                                         owner=owner, full=full, hint=hint),
                                     Location(file=law.ref, key=key))  # fmt: skip
                else:
                    out.append(full)
            return out

        #: full ground id → full ids of the exclusions covering it
        self.covering: dict[str, list[str]] = {g: [] for g in all_grounds}
        self.exclusion_law: dict[str, Law] = {}
        self.exclusion_grounds: dict[str, list[str]] = {}
        for law in self.laws:
            for ex in law.exclusions:
                full = law.full_id(ex.id)
                self.exclusion_law[full] = law
                covered = resolve(law, ex.grounds, _("exclusion '{full}'").format(full=full),
                                  "grounds")
                self.exclusion_grounds[full] = covered
                for ground_id in covered:
                    self.covering[ground_id].append(full)
        #: full component id → (component, its law, its grounds)
        self.components: dict[str, tuple[Component, Law, list[str]]] = {}
        for law in self.laws:
            for c in law.components:
                full = law.full_id(c.id)
                self.components[full] = (
                    c,
                    law,
                    resolve(law, c.grounds, _("component '{full}'").format(full=full), "grounds"),
                )
        for full, (c, law, __) in self.components.items():
            for replaced in c.instead_of:
                target = _full(law, replaced)
                if target.split(":", 1)[0] in law_ids and target not in self.components:
                    hint = did_you_mean(target, self.components)
                    raise DraftError(
                        _("component '{full}' is instead of '{target}', which does not "
                          "exist{hint}").format(
                            full=full, target=target, hint=hint),
                        Location(file=law.ref, key="instead_of"),
                    )

    def without_ground(self, full: str, law: Law) -> Framework | None:
        """This framework with the ground ``full`` repealed — ``law`` is its law without
        the ground, the other provisions the very same objects — built as a patch of this
        one: its checked laws and index are this one's, but for what the ground changes
        (attribution's variant of a new ground, :mod:`kzrehab.variants`). None when a
        repeal of the ground would change more than that: an exclusion or a component
        names it, or covers it as one of its law's grounds and would cover no other."""
        own = self.ground_law.get(full)
        shape = _shape(self)
        if own is None or own.id != law.id or full in shape.named:
            return None
        law_grounds, exclusions, components = shape.laws[law.id]
        implicit = any(not e.grounds for e in exclusions) or any(not c.grounds for c in components)
        if implicit and len(law_grounds) < 2:
            return None
        before = self._checked[law.id]
        grounds = dict(before.grounds)
        del grounds[full]
        tables = {name: dict(getattr(self, name)) for name in ("ground_category", "covering")}
        for table in tables.values():
            del table[full]
        return self._patched(law, grounds, full, tables["ground_category"], tables["covering"])

    def with_ground(self, full: str, law: Law, ground: Ground) -> Framework | None:
        """This framework with the ground ``full`` in another form, ``ground`` — ``law`` is
        its law with ``ground`` in place of the old, the other provisions the very same
        objects, the same definitions and parameters' names — built as a patch of this one:
        only the ground's condition is checked, and its category indexed (attribution's
        variant of a changed ground, :mod:`kzrehab.variants`). None when ``law``'s
        definitions or parameters' names are not this one's law's."""
        own, before = self.ground_law.get(full), self._checked[law.id]
        if own is None or own.id != law.id or before.law.definitions != law.definitions \
                or before.law.parameters.keys() != law.parameters.keys():
            return None
        checker = Checker({name: d.expr for name, d in law.definitions.items()},
                          law.parameters.keys())  # fmt: skip
        what = _("the condition of ground '{full}'").format(full=full)
        grounds = dict(before.grounds)
        grounds[full] = checker.check(ground.when, "bool", what)
        category = dict(self.ground_category)
        category[full] = ground.category
        return self._patched(law, grounds, None, category, self.covering)

    def _patched(self, law: Law, grounds: dict[str, Resolved], gone: str | None,
                 ground_category: dict[str, str], covering: dict[str, list[str]]
                 ) -> Framework:  # fmt: skip
        """This framework with ``law`` in place of its law of that id, whose checked
        grounds are ``grounds`` (the ground ``gone`` repealed), and the given index of the
        grounds; the rest lent."""
        law_grounds, exclusions, components = _shape(self).laws[law.id]
        new = object.__new__(Framework)
        put = super(Framework, new).__setattr__
        put("laws", tuple(law if x.id == law.id else x for x in self.laws))
        before = self._checked[law.id]
        checked = dict(self._checked)
        checked[law.id] = CheckedLaw(law, before.definitions, grounds, before.exclusions,
                                     before.amounts)  # fmt: skip
        put("_checked", checked)
        ground_law = dict(self.ground_law)
        ground_law.update(dict.fromkeys(law_grounds, law))
        if gone is not None:
            del ground_law[gone]
        put("ground_law", ground_law)
        put("ground_category", ground_category)
        put("covering", covering)
        exclusion_law = dict(self.exclusion_law)
        exclusion_grounds = dict(self.exclusion_grounds)
        for ex in exclusions:
            e = law.full_id(ex.id)
            exclusion_law[e] = law
            if not ex.grounds and gone is not None:
                exclusion_grounds[e] = [g for g in exclusion_grounds[e] if g != gone]
        put("exclusion_law", exclusion_law)
        put("exclusion_grounds", exclusion_grounds)
        indexed = dict(self.components)
        for comp in components:
            c = law.full_id(comp.id)
            gs = indexed[c][2]
            indexed[c] = (comp, law, gs if comp.grounds or gone is None
                          else [g for g in gs if g != gone])  # fmt: skip
        put("components", indexed)
        put("_index_notices", self._index_notices)
        put("notices", self._index_notices)
        put("_built", True)
        return new

    # -- reading ----------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the laws, in order."""
        return tuple(law.id for law in self.laws)

    def law(self, law_id: str) -> Law:
        """The (amended) law with this id."""
        for law in self.laws:
            if law.id == law_id:
                return law
        raise KeyError(law_id)

    @property
    def categories(self) -> list[str]:
        """Every category a ground of the framework grants, sorted."""
        return sorted(set(self.ground_category.values()))

    def checked(self, law_id: str) -> CheckedLaw:
        """The checked trees of one law's provisions and definitions."""
        return self._checked[law_id]

    def parameters_at(self, as_of: dt.date) -> dict[str, dict[str, float]]:
        """Every law's parameter values on ``as_of``; a missing value is an error naming it
        (:func:`kzrehab.laws.parameters.parameters_at`)."""
        return parameters_at(self.laws, as_of)

    # -- lint -------------------------------------------------------------------------------

    def lint(self) -> list[str]:
        """Findings that are not errors, read from the laws alone (``kzrehab check`` adds
        those that evaluate amounts: :func:`kzrehab.lint.lint`)."""
        findings = list(self.notices)
        for law in self.laws:
            plan = self._checked[law.id]
            used: set[str] = set()
            exprs: list[Node] = [r.node for r in plan.definitions.values()]
            exprs += [r.node for r in plan.grounds.values()]
            exprs += [r.node for w, u in plan.exclusions.values() for r in (w, u) if r]
            exprs += [r.node for r in plan.amounts.values()]
            for node in exprs:
                used.update(n.name for n in walk(node) if isinstance(n, Name) and n.ref == "def")
            origins = {law.full_id(p.id): p.origin for p in law.provisions()}

            def at(origin: Location | None, law: Law = law) -> str:
                return str(origin) if origin is not None and origin.line else law.ref

            for name, d in law.definitions.items():
                if name not in used:
                    findings.append(_("{at}: definition '{name}' is never used").format(
                                        at=at(d.expr.origin), name=name))
            for full, r in plan.grounds.items():
                if is_constant(r.node, plan):
                    findings.append(_("{at}: the condition of ground "
                                      "'{full}' is constant").format(
                                        at=at(origins.get(full)), full=full))  # fmt: skip
            for node in exprs:
                findings.extend(f"{law.ref}: {m}" for m in _whole_enum_sets(node))
            for full, (w, __) in plan.exclusions.items():
                if is_constant(w.node, plan):
                    findings.append(_("{at}: the condition of exclusion "
                                      "'{full}' is constant").format(
                                        at=at(origins.get(full)), full=full))  # fmt: skip
                if not self.exclusion_grounds[full]:
                    findings.append(_("{at}: exclusion '{full}' covers no ground").format(
                                        at=at(origins.get(full)), full=full))
        for full, (comp, law, gs) in self.components.items():
            where = str(comp.origin) if comp.origin.line else law.ref
            if not gs:
                findings.append(_("{where}: component '{full}' is granted by no ground").format(
                                    where=where, full=full))
            if comp.amount is not None and comp.period is None:
                findings.append(_("{where}: component '{full}' has an amount but no period: it "
                                  "is read as paid once; say period = \"once\" or "
                                  "\"month\"").format(
                                    where=where, full=full))
            if comp.amount is None and comp.period is not None:
                findings.append(_("{where}: component '{full}' has a period but no amount: the "
                                  "period says nothing").format(where=where, full=full))
        return findings


def _whole_enum_sets(node: Node) -> list[str]:
    """Sets that list every value of an enum fact: ``x in S`` is then true whenever x is
    known, so the set says nothing (and stays unknown when x is unknown)."""
    out = []
    for n in walk(node):
        if isinstance(n, Op) and n.op in {"in", "not in"}:
            fact, values = n.args
            if (
                isinstance(fact, Name)
                and fact.ref in {"claim", "event"}
                and isinstance(values, SetLit)
            ):
                domain = vocabulary.ENUMS.get(fact.name)
                if domain and set(domain) <= values.values:
                    out.append(_("'{unparse}…' lists every value of '{name}'").format(
                                   unparse=unparse(n)[:60], name=fact.name))
    return out


def is_constant(node: Node, plan: CheckedLaw) -> bool:
    """True when an expression reads no fact and no event (directly or via definitions)."""
    stack = [node]
    seen: set[str] = set()
    while stack:
        n = stack.pop()
        for m in walk(n):
            if isinstance(m, Name) and m.ref in {"claim", "event"}:
                return False
            if isinstance(m, Op) and m.op == "events":
                return False
            if isinstance(m, Name) and m.ref == "def" and m.name not in seen:
                seen.add(m.name)
                stack.append(plan.definitions[m.name].node)
    return True


class _Shape(NamedTuple):
    """What :meth:`Framework.without_ground` reads of a framework, made once: per law, its
    grounds' full ids, its exclusions and its components; the grounds some exclusion or
    component names."""

    laws: Mapping[str, tuple[list[str], tuple[Exclusion, ...], tuple[Component, ...]]]
    named: frozenset[str]


_SHAPES: weakref.WeakKeyDictionary[Framework, _Shape] = weakref.WeakKeyDictionary()


def _shape(fw: Framework) -> _Shape:
    found = _SHAPES.get(fw)
    if found is None:
        laws = {law.id: (list(fw.checked(law.id).grounds), law.exclusions, law.components)
                for law in fw.laws}  # fmt: skip
        refs = [(law, p.grounds) for law in fw.laws for p in law.exclusions]
        refs += [(law, p.grounds) for law in fw.laws for p in law.components]
        named = frozenset(law.full_id(r) for law, grounds in refs for r in grounds)
        found = _SHAPES[fw] = _Shape(laws, named)
    return found


def load_framework(paths: Iterable[str | PathLike[str]]) -> Framework:
    """Load the laws at ``paths`` (files, or directories standing for every ``*.toml`` under
    them) into a checked framework.

    Laws as committed in git (``REV:PATH``) are read one floor up, by
    :func:`kzrehab.load_framework` (:func:`kzrehab.tracker.git.load_framework`).
    """
    return Framework(load_laws(list(paths)))
