"""Coverage diffs: two coverages of one population side by side, and what explains them.

:func:`diff` gives a :class:`CoverageDiff` of a base and a head coverage: the nine status
transitions, breakdowns by category and by component for both sides, and per claim what
changed. :func:`compare` adds the structural diff of the two frameworks' laws
(:mod:`kzrehab.lawdiff`) and the **attribution** of the status changes to the changed
provisions, as a :class:`Comparison` — what ``kzrehab diff`` and ``kzrehab compare`` report.

A claim *gains* when its status rises and *loses* when it falls, in the order ineligible <
undetermined < eligible.

**Attribution.** The laws compared are the frameworks' laws with their amendments applied,
so a bill's amendment shows as the change it makes to the amended provision. For each
changed provision P (and parameter or definition, ``LAW:parameters.NAME``), the base
framework is evaluated with only P changed to its head form — added, removed or replaced
— and the claims whose status then rises or falls are P's ``gained`` and ``lost``. An
amendment is credited with what its target alone does. A change that cannot move a status
is credited with nothing without evaluation: a component, a rewording, a renumbering, a
parameter or definition that is only added or removed (an unused name is inert; a removed
one only matters with the provisions that stopped using it). The last row,
``interaction``, counts the claims whose change of status no single-provision variant
reproduces. A row is ``None`` when P cannot be evaluated alone (its head form needs a
changed definition of another type, say).

Attribution is one-at-a-time: with overlapping changes (two new grounds covering the same
claim) each row counts the claim, and diff(b, a) does not mirror diff(a, b) row by row —
the interaction row tells how much the rows leave unexplained.
"""

from __future__ import annotations

__all__ = [
    "Transition",
    "ClaimChange",
    "CoverageDiff",
    "AttributionRow",
    "Comparison",
    "diff",
    "compare",
    "attribute",
    "status_framework",
]

import datetime as dt
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .cache import framework_key
from .coverage import SCHEMA, Coverage, amount_json
from .errors import KzrehabError, UsageError
from .lawdiff import Edit, LawDiff, NamedChange, diff_laws
from .laws.framework import STATUSES, Framework
from .laws.model import Amendment, Article, Component, Exclusion, Ground, Law

if TYPE_CHECKING:
    from .population import Population

Evaluate = Callable[[Framework], Coverage]


@attrs.frozen
class Transition:
    """How many claims went from one status to another."""

    from_: str
    to: str
    claims: int


@attrs.frozen
class ClaimChange:
    """What changed for one claim: status, categories, components and their amounts."""

    id: str
    base: str
    head: str
    categories_added: tuple[str, ...] = ()
    categories_removed: tuple[str, ...] = ()
    components_added: tuple[str, ...] = ()
    components_removed: tuple[str, ...] = ()
    #: ``(component, base range, head range)`` for components received on both sides
    amounts: tuple[tuple[str, tuple[float, float], tuple[float, float]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "from": self.base, "to": self.head,
            "categories": {"added": list(self.categories_added),
                           "removed": list(self.categories_removed)},
            "components": {"added": list(self.components_added),
                           "removed": list(self.components_removed)},
            "amounts": [{"component": c, "base": amount_json(*b), "head": amount_json(*h)}
                        for c, b, h in self.amounts],
        }  # fmt: skip


class CoverageDiff:
    """Two coverages of the same population: base and head."""

    def __init__(self, base: Coverage, head: Coverage) -> None:
        if len(base) != len(head) or base.population.digest != head.population.digest:
            raise UsageError(
                "cannot diff coverages of different populations "
                f"('{base.population.name}' and '{head.population.name}')"
            )
        self.base = base
        self.head = head

    @property
    def matrix(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """3-by-3 counts: ``matrix[from, to]``, statuses indexed as in ``STATUSES``."""
        codes = self.base.status.astype(np.int64) * 3 + self.head.status.astype(np.int64)
        return np.bincount(codes, minlength=9).reshape(3, 3)

    def transitions(self) -> list[Transition]:
        """All nine transitions, from ineligible to eligible, zero counts included."""
        m = self.matrix
        return [Transition(a, b, int(m[i, j]))
                for i, a in enumerate(STATUSES) for j, b in enumerate(STATUSES)]  # fmt: skip

    @property
    def gained(self) -> int:
        """Claims whose status rose."""
        return int(np.triu(self.matrix, 1).sum())

    @property
    def lost(self) -> int:
        """Claims whose status fell."""
        return int(np.tril(self.matrix, -1).sum())

    def by_category(self) -> list[dict[str, Any]]:
        """Per category (either side's), sorted: eligible and undetermined on both sides."""
        def side(cov: Coverage, c: str) -> dict[str, int]:
            a = cov.categories.get(c)
            if a is None:
                return {"eligible": 0, "undetermined": 0}
            return {"eligible": int((a == 2).sum()), "undetermined": int((a == 1).sum())}

        cats = sorted(set(self.base.categories) | set(self.head.categories))
        return [{"category": c, "base": side(self.base, c), "head": side(self.head, c)}
                for c in cats]  # fmt: skip

    def by_component(self) -> list[dict[str, Any]]:
        """Per component (either side's), sorted: claims and amounts on both sides.

        ``amount`` is the range of the total over the claims that surely receive the
        component and whose amount is bounded; those whose amount has no upper bound are
        counted apart in ``unbounded``.
        """
        def side(cov: Coverage, c: str) -> dict[str, Any]:
            a = cov.components.get(c)
            if a is None:
                return {"claims": 0, "undetermined": 0, "amount": None, "unbounded": 0}
            sure = a == 2
            out: dict[str, Any] = {"claims": int(sure.sum()), "undetermined": int((a == 1).sum()),
                                   "amount": None, "unbounded": 0}  # fmt: skip
            if c in cov.amount_lo:
                lo, hi = cov.amount_lo[c][sure], cov.amount_hi[c][sure]
                bounded = np.isfinite(lo) & np.isfinite(hi)
                out["amount"] = {"min": round(float(lo[bounded].sum()), 2),
                                 "max": round(float(hi[bounded].sum()), 2)}  # fmt: skip
                out["unbounded"] = int((~bounded).sum())
            return out

        comps = sorted(set(self.base.components) | set(self.head.components))
        kinds = {c: fw.components[c][0].kind for fw in (self.base.framework, self.head.framework)
                 for c in fw.components}  # fmt: skip
        return [{"component": c, "kind": kinds[c], "base": side(self.base, c),
                 "head": side(self.head, c)} for c in comps]  # fmt: skip

    def claim_changes(self) -> list[ClaimChange]:
        """Per claim whose status, categories, components or amounts changed, in order."""
        base, head = self.base, self.head
        n = len(base)
        changed = base.status != head.status

        def sure(groups: Any, name: str) -> np.ndarray[Any, np.dtype[np.bool_]]:
            a = groups.get(name)
            return np.zeros(n, bool) if a is None else np.asarray(a == 2)

        cats = sorted(set(base.categories) | set(head.categories))
        comps = sorted(set(base.components) | set(head.components))
        cat_pairs = {c: (sure(base.categories, c), sure(head.categories, c)) for c in cats}
        comp_pairs = {c: (sure(base.components, c), sure(head.components, c)) for c in comps}
        for b, h in (*cat_pairs.values(), *comp_pairs.values()):
            changed |= b != h
        amount_diff: dict[str, np.ndarray[Any, np.dtype[np.bool_]]] = {}
        for c in comps:
            if c in base.amount_lo and c in head.amount_lo:
                both = comp_pairs[c][0] & comp_pairs[c][1]
                d = both & ((base.amount_lo[c] != head.amount_lo[c])
                            | (base.amount_hi[c] != head.amount_hi[c]))  # fmt: skip
                amount_diff[c] = d
                changed |= d
        out = []
        for i in np.flatnonzero(changed):
            out.append(ClaimChange(
                id=base.population.claims[i].id,
                base=STATUSES[base.status[i]],
                head=STATUSES[head.status[i]],
                categories_added=tuple(c for c, (b, h) in cat_pairs.items() if h[i] and not b[i]),
                categories_removed=tuple(c for c, (b, h) in cat_pairs.items() if b[i] and not h[i]),
                components_added=tuple(c for c, (b, h) in comp_pairs.items() if h[i] and not b[i]),
                components_removed=tuple(
                    c for c, (b, h) in comp_pairs.items() if b[i] and not h[i]),
                amounts=tuple(
                    (c, (float(base.amount_lo[c][i]), float(base.amount_hi[c][i])),
                     (float(head.amount_lo[c][i]), float(head.amount_hi[c][i])))
                    for c, d in amount_diff.items() if d[i]),
            ))  # fmt: skip
        return out

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """``schema``, ``as_of``, ``population``, ``base``, ``head`` and ``transitions``."""
        doc: dict[str, Any] = {
            "schema": SCHEMA,
            "as_of": self.head.as_of.isoformat(),
            "population": self.head.population_json(),
            "base": _side_json(self.base),
            "head": _side_json(self.head),
            "transitions": [{"from": t.from_, "to": t.to, "claims": t.claims}
                            for t in self.transitions() if t.claims > 0],
            "gained": self.gained,
            "lost": self.lost,
            "by_category": self.by_category(),
            "by_component": self.by_component(),
        }  # fmt: skip
        if claims:
            doc["claims"] = [c.to_json() for c in self.claim_changes()]
        return doc


def _side_json(cov: Coverage) -> dict[str, Any]:
    doc = cov.to_json(claims=False)
    for key in ("schema", "population", "claims"):
        doc.pop(key, None)
    return doc


def diff(base: Coverage, head: Coverage) -> CoverageDiff:
    """The diff of two coverages of the same population (a :class:`UsageError` otherwise)."""
    return CoverageDiff(base, head)


# -- attribution ----------------------------------------------------------------------------------


@attrs.frozen
class AttributionRow:
    """The claims one changed provision moves alone: ``None`` when it cannot be evaluated."""

    provision: str
    gained: int | None
    lost: int | None


#: what a unit of change is: (row id, change, swaps as (law id, key), may it move a status)
_Unit = tuple[str, str, tuple[tuple[str, str], ...], bool]


def _units(laws: Sequence[LawDiff], head: Framework) -> list[_Unit]:
    units: list[_Unit] = []
    moving = {"added", "removed", "rule-changed"}
    for ld in laws:
        for p in ld.provisions:
            law_id, _, pid = p.id.partition(":")
            matters = bool(moving & set(p.changes))
            if all(x is None or isinstance(x, Component) for x in (p.base, p.head)):
                units.append((p.id, p.change, (), False))  # a component moves no status
            elif p.type == "amendment":
                amend = p.head if isinstance(p.head, Amendment) else p.base
                assert isinstance(amend, Amendment)
                units.append((p.id, p.change, ((amend.law, amend.target),), matters))
            else:
                units.append((p.id, p.change, ((law_id, pid),), matters))
        for n in (*ld.parameters, *ld.definitions):
            law_id, _, key = n.id.partition(":")
            units.append((n.id, n.change, ((law_id, key),), n.change == "rule-changed"))
    return units


def _strip(law: Law) -> Law:
    """A law without components and amendments: what decides statuses, amendments applied."""
    return attrs.evolve(law, articles=tuple(
        attrs.evolve(a, provisions=tuple(p for p in a.provisions
                                         if isinstance(p, Ground | Exclusion)))
        for a in law.articles))  # fmt: skip


def status_framework(framework: Framework) -> Framework:
    """The framework without components and amendments (applied already): the same
    statuses, categories, grounds and exclusions, evaluated faster."""
    return Framework([_strip(law) for law in framework.laws])


def _ground_ids(laws: Iterable[Law]) -> set[str]:
    return {law.full_id(g.id) for law in laws for g in law.grounds}


def _variant(base: Sequence[Law], head: Sequence[Law],
             swaps: Sequence[tuple[str, str]]) -> list[Law] | None:  # fmt: skip
    """The base laws (stripped) with the items named by ``swaps`` in their head form."""
    laws = {law.id: _strip(law) for law in base}
    order = [law.id for law in base]
    heads = {law.id: law for law in head}
    bases = {law.id: law for law in base}
    head_grounds, base_grounds = _ground_ids(head), _ground_ids(base)
    changed = False
    for law_id, key in swaps:
        h = heads.get(law_id)
        if law_id not in laws:
            if h is None:
                continue
            laws[law_id] = attrs.evolve(h, articles=())
            order.append(law_id)
        law = laws[law_id]
        params, defs = dict(law.parameters), dict(law.definitions)
        if h is not None:  # names only the head has are inert alone, and may be needed
            params.update({k: v for k, v in h.parameters.items() if k not in params})
            defs.update({k: v for k, v in h.definitions.items() if k not in defs})
        what, _, name = key.partition(".")
        if what in ("parameters", "definitions") and name:
            table: dict[str, Any] = params if what == "parameters" else defs
            source: Any = getattr(h, what) if h is not None else {}
            if name in source:
                table[name] = source[name]
            else:
                table.pop(name, None)
            law = attrs.evolve(law, parameters=params, definitions=defs)
        else:
            found = [p for p in h.provisions() if p.id == key] if h is not None else []
            new = found[0] if found else None
            if new is not None and not isinstance(new, Ground | Exclusion):
                continue  # a component or an amendment: no status effect
            if isinstance(new, Exclusion) and new.grounds:
                old = [p for p in bases[law_id].provisions() if p.id == key] if (
                    law_id in bases) else []  # fmt: skip
                # references dropped only because their ground is gone from the head
                kept = [g for g in (old[0].grounds if old and isinstance(old[0], Exclusion)
                                    else ()) if law.full_id(g) not in head_grounds
                        and law.full_id(g) in base_grounds]  # fmt: skip
                new = attrs.evolve(new, grounds=new.grounds + tuple(kept))
            articles = [attrs.evolve(a, provisions=tuple(p for p in a.provisions if p.id != key))
                        for a in law.articles]  # fmt: skip
            if new is not None:
                for i, a in enumerate(articles):
                    if a.number == new.article:
                        articles[i] = attrs.evolve(a, provisions=(*a.provisions, new))
                        break
                else:
                    articles.append(Article(number=new.article, provisions=(new,)))
            law = attrs.evolve(law, articles=tuple(articles), parameters=params,
                               definitions=defs)  # fmt: skip
        laws[law_id] = law
        changed = True
    if not changed:
        return None
    return _sanitize([laws[i] for i in order])


def _sanitize(laws: list[Law]) -> list[Law]:
    """Drop references to grounds absent from the variant; an exclusion left covering
    nothing (its explicit grounds all gone) is left out, as a repeal would."""
    present = _ground_ids(laws)
    ids = {law.id for law in laws}
    out = []
    for law in laws:
        articles = []
        for a in law.articles:
            kept: list[Ground | Exclusion] = []
            for p in a.provisions:
                if isinstance(p, Exclusion) and p.grounds:
                    refs = tuple(g for g in p.grounds if law.full_id(g) in present
                                 or law.full_id(g).split(":", 1)[0] not in ids)  # fmt: skip
                    if not refs:
                        continue
                    p = attrs.evolve(p, grounds=refs)
                assert isinstance(p, Ground | Exclusion)
                kept.append(p)
            articles.append(attrs.evolve(a, provisions=tuple(kept)))
        out.append(attrs.evolve(law, articles=tuple(articles)))
    return out


def attribute(base: Framework, head: Framework, laws: Sequence[LawDiff], base_cov: Coverage,
              head_cov: Coverage, evaluate: Evaluate) -> list[AttributionRow]:  # fmt: skip
    """Attribution rows for the changed provisions (sorted by id), then ``interaction``."""
    before, after = base_cov.status, head_cov.status
    base_key = framework_key(status_framework(base))
    rows: list[AttributionRow] = []
    explained = np.zeros(len(before), bool)
    results: dict[str, np.ndarray[Any, np.dtype[np.int8]] | None] = {}
    for row_id, _, swaps, matters in sorted(_units(laws, head), key=lambda u: u[0]):
        if not matters:
            rows.append(AttributionRow(row_id, 0, 0))
            continue
        status: np.ndarray[Any, np.dtype[np.int8]] | None = before
        try:
            variant = _variant(base.laws, head.laws, swaps)
            if variant is not None:
                fw = Framework(variant)
                key = framework_key(fw)
                if key != base_key:
                    if key not in results:
                        results[key] = evaluate(fw).status
                    status = results[key]
        except KzrehabError:
            status = None
        if status is None:
            rows.append(AttributionRow(row_id, None, None))
            continue
        explained |= (status == after) & (status != before)
        rows.append(AttributionRow(row_id, int((status > before).sum()),
                                   int((status < before).sum())))  # fmt: skip
    moved = (after != before) & ~explained
    rows.append(AttributionRow("interaction", int((moved & (after > before)).sum()),
                               int((moved & (after < before)).sum())))  # fmt: skip
    return rows


# -- comparisons ----------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class Comparison:
    """A coverage diff with the laws' structural diff and the attribution of its changes."""

    coverage: CoverageDiff
    laws: tuple[LawDiff, ...]
    attribution: tuple[AttributionRow, ...]

    @property
    def base(self) -> Coverage:
        return self.coverage.base

    @property
    def head(self) -> Coverage:
        return self.coverage.head

    def provisions(self) -> list[tuple[str, str]]:
        """``(id, change)`` of every changed provision, parameter and definition, by id."""
        found = [(p.id, p.change) for ld in self.laws for p in ld.provisions]
        found += [(n.id, n.change) for ld in self.laws for n in (*ld.parameters, *ld.definitions)]
        return sorted(found)

    def to_json(self, claims: bool = False) -> dict[str, Any]:
        """The JSON document of ``kzrehab diff`` and ``kzrehab compare`` (SPEC §7)."""
        doc = self.coverage.to_json(claims=claims)
        doc["provisions"] = [{"id": i, "change": c} for i, c in self.provisions()]
        doc["attribution"] = [{"provision": r.provision, "gained": r.gained, "lost": r.lost,
                               "evaluated": r.gained is not None}
                              for r in self.attribution]  # fmt: skip
        doc["laws"] = [_law_diff_json(ld) for ld in self.laws if ld.status != "unchanged"]
        doc["notices"] = list(dict.fromkeys([*self.base.framework.notices,
                                             *self.head.framework.notices]))  # fmt: skip
        if claims:
            doc["claims"] = doc.pop("claims")  # keep claims last
        return doc


def _edits_json(edits: Sequence[Edit]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "text": e.text, "space": e.space} for e in edits]


def _law_diff_json(ld: LawDiff) -> dict[str, Any]:
    """What changed in one law: metadata, articles and provisions with their redlines."""

    def named(n: NamedChange) -> dict[str, Any]:
        return {"id": n.id, "change": n.change, "base": n.old, "head": n.new}

    return {
        "id": ld.id, "change": ld.status,
        **({"metadata": {f.field: {"base": f.old, "head": f.new}
                         for f in ld.metadata}} if ld.metadata else {}),
        "articles": [{"base": a.base_number, "head": a.head_number, "change": a.change,
                      "redline": _edits_json(a.text_redline)} for a in ld.articles],
        "provisions": [{"id": p.id, "type": p.type, "change": p.change,
                        "fields": [{"field": f.field, "base": f.old, "head": f.new}
                                   for f in p.fields],
                        "redline": [] if p.inherited_text else _edits_json(p.text_redline)}
                       for p in ld.provisions],
        "parameters": [named(n) for n in ld.parameters],
        "definitions": [named(n) for n in ld.definitions],
    }  # fmt: skip


def compare(
    base: Framework,
    head: Framework,
    population: Population,
    as_of: dt.date,
    evaluate: Evaluate | None = None,
) -> Comparison:
    """Evaluate two frameworks over ``population`` and explain the difference.

    ``evaluate`` (default: :meth:`Framework.evaluate` at ``as_of``) lets a caller cache
    coverages, e.g. :meth:`kzrehab.cache.CoverageCache.evaluate`.
    """
    run: Evaluate = evaluate or (lambda fw: fw.evaluate(population, as_of))
    base_cov, head_cov = run(base), run(head)
    laws = tuple(diff_laws(base.laws, head.laws))
    rows = attribute(base, head, laws, base_cov, head_cov, run)
    return Comparison(CoverageDiff(base_cov, head_cov), laws, tuple(rows))


class _CallableModule(types.ModuleType):
    """This module, callable: ``kzrehab.diff(base, head)`` is :func:`diff` (SPEC §9), and
    ``kzrehab.diff.CoverageDiff`` the class — the name cannot be a function and a module."""

    def __call__(self, base: Coverage, head: Coverage) -> CoverageDiff:
        return diff(base, head)


sys.modules[__name__].__class__ = _CallableModule
