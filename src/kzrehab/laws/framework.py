"""Frameworks: a set of laws evaluated together, amendments applied first (SPEC §5).

A :class:`Framework` applies the amendments, type-checks every expression of every law and
resolves which exclusions cover which grounds and which grounds grant which components. It
then evaluates claims: :meth:`Framework.evaluate_claim` one claim with its trace,
:meth:`Framework.evaluate` a whole population into a :class:`~kzrehab.coverage.Coverage`.

Semantics: a ground *applies* when ``when AND NOT (OR of the exclusions covering it)``, an
exclusion *holds* when ``when AND NOT unless``. A claim is eligible when some ground
applies, ineligible when every ground's value is false, undetermined otherwise. It receives
a component when one of the component's grounds applies and its claimant is among the
recipients (Kleene), and ``instead_of`` drops replaced components from a claim that
receives the replacing one.
"""

from __future__ import annotations

__all__ = ["Framework", "ClaimResult", "ProvisionResult", "load_framework", "STATUSES"]

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from typing import TYPE_CHECKING

import attrs

from .. import vocabulary
from .._suggest import did_you_mean
from ..errors import DraftError, EvaluationError, Location
from ..model import Claim
from ..rules.ast import Name, Node, Op, SetLit, walk
from ..rules.checker import Checker, Resolved
from ..rules.interpreter import Evaluator, Trace, display
from ..rules.printer import unparse
from ..rules.values import Interval, K, kand, knot, kor, round2
from .amend import apply_amendments
from .lint_amounts import instead_of_findings
from .loader import load_laws
from .model import Component, Exclusion, Ground, Law

if TYPE_CHECKING:
    from ..coverage import Coverage, CoverageSummary
    from ..population import Population

#: Claim statuses in rising order; a status's index is its Kleene value.
STATUSES = ("ineligible", "undetermined", "eligible")


@attrs.frozen
class ProvisionResult:
    """The value of one provision for one claim, with its trace when explained."""

    id: str
    value: K
    trace: Trace | None = None
    #: for a ground: its ``when`` value before exclusions
    when: K | None = None


@attrs.frozen
class ClaimResult:
    """What a framework gives one claim."""

    claim_id: str
    status: str
    #: category → ``eligible`` or ``undetermined`` (categories it is in or may be in)
    categories: Mapping[str, str]
    #: full ground id → whether it applies
    grounds: Mapping[str, ProvisionResult]
    #: full exclusion id → whether it holds
    exclusions: Mapping[str, ProvisionResult]
    #: full component id → ``received`` or ``possible``
    components: Mapping[str, str]
    #: full component id → its amount range (rounded), for components received or possible
    amounts: Mapping[str, Interval | None]
    as_of: dt.date

    @property
    def applying(self) -> list[str]:
        """Full ids of the grounds that apply (true)."""
        return [g for g, r in self.grounds.items() if r.value is K.TRUE]

    @property
    def holding(self) -> list[str]:
        """Full ids of the exclusions that hold (true)."""
        return [e for e, r in self.exclusions.items() if r.value is K.TRUE]


@attrs.frozen
class _Plan:
    """One law, checked: resolved trees of its provisions and definitions."""

    law: Law
    definitions: Mapping[str, Resolved]
    grounds: Mapping[str, Resolved]  # full id → when
    exclusions: Mapping[str, tuple[Resolved, Resolved | None]]  # full id → (when, unless)
    amounts: Mapping[str, Resolved]  # full component id → amount


def _full(law: Law, ref: str) -> str:
    return law.full_id(ref)


class Framework:
    """A set of laws evaluated together, amendments applied and every expression checked."""

    def __init__(self, laws: Sequence[Law]) -> None:
        amended = apply_amendments(laws)  # also refuses a law given twice
        self.laws: tuple[Law, ...] = amended.laws
        self.notices: list[str] = list(amended.notices)
        self._plans = {law.id: self._check_law(law) for law in self.laws}
        self._index_provisions()

    # -- building ---------------------------------------------------------------------------

    @staticmethod
    def _check_law(law: Law) -> _Plan:
        checker = Checker(
            {name: d.expr for name, d in law.definitions.items()}, law.parameters.keys()
        )
        definitions = checker.check_definitions()
        grounds: dict[str, Resolved] = {}
        exclusions: dict[str, tuple[Resolved, Resolved | None]] = {}
        amounts: dict[str, Resolved] = {}
        for p in law.provisions():
            full = law.full_id(p.id)
            if isinstance(p, Ground):
                grounds[full] = checker.check(p.when, "bool", f"the condition of ground '{full}'")
            elif isinstance(p, Exclusion):
                when = checker.check(p.when, "bool", f"the condition of exclusion '{full}'")
                unless = (
                    checker.check(p.unless, "bool", f"the exception of exclusion '{full}'")
                    if p.unless is not None
                    else None
                )
                exclusions[full] = (when, unless)
            elif isinstance(p, Component) and p.amount is not None:
                amounts[full] = checker.check(p.amount, "num", f"the amount of '{full}'")
        return _Plan(law, definitions, grounds, exclusions, amounts)

    def _index_provisions(self) -> None:
        law_ids = {law.id for law in self.laws}
        all_grounds = {g for plan in self._plans.values() for g in plan.grounds}
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
                    self.notices.append(
                        f"{owner} names ground '{full}' of law '{target_law}', which is not "
                        "in the framework: that reference is not applied"
                    )
                elif full not in all_grounds:
                    hint = did_you_mean(full, all_grounds)
                    raise DraftError(f"{owner} names ground '{full}', which does not exist{hint}",
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
                covered = resolve(law, ex.grounds, f"exclusion '{full}'", "grounds")
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
                    resolve(law, c.grounds, f"component '{full}'", "grounds"),
                )
        for full, (c, law, _) in self.components.items():
            for replaced in c.instead_of:
                target = _full(law, replaced)
                if target.split(":", 1)[0] in law_ids and target not in self.components:
                    hint = did_you_mean(target, self.components)
                    raise DraftError(
                        f"component '{full}' is instead of '{target}', which does not exist{hint}",
                        Location(file=law.ref, key="instead_of"),
                    )

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

    def plan(self, law_id: str) -> _Plan:
        return self._plans[law_id]

    def parameters_at(self, as_of: dt.date) -> dict[str, dict[str, float]]:
        """Every law's parameter values on ``as_of``; a missing value is an error naming it."""
        out: dict[str, dict[str, float]] = {}
        for law in self.laws:
            values: dict[str, float] = {}
            for name, p in law.parameters.items():
                v = p.at(as_of)
                if v is None:
                    first = min(d for d, _ in p.values if d is not None)
                    raise EvaluationError(
                        f"parameter {name} has no value on or before {as_of.isoformat()} "
                        f"(its first value is from {first.isoformat()}); choose a later --as-of",
                        p.origin
                        if p.origin.file
                        else Location(file=law.ref, key=f"parameters.{name}"),
                    )
                values[name] = v
            out[law.id] = values
        return out

    def evaluators(self, as_of: dt.date) -> dict[str, Evaluator]:
        """One evaluator per law, with its parameters read at ``as_of``."""
        params = self.parameters_at(as_of)
        return {
            law.id: Evaluator(
                {n: r.node for n, r in self._plans[law.id].definitions.items()}, params[law.id]
            )
            for law in self.laws
        }

    # -- evaluation -------------------------------------------------------------------------

    def evaluate_claim(
        self,
        claim: Claim,
        as_of: dt.date | None = None,
        *,
        explain: bool = True,
        evaluators: Mapping[str, Evaluator] | None = None,
    ) -> ClaimResult:
        """Evaluate one claim with the per-claim interpreter, with traces when ``explain``."""
        as_of = as_of or dt.date.today()
        evs = evaluators or self.evaluators(as_of)

        def run(law_id: str, node: Node) -> tuple[object, Trace | None]:
            ev = evs[law_id]
            if explain:
                return ev.explain(node, claim)
            return ev.evaluate(node, claim), None

        exclusions: dict[str, ProvisionResult] = {}
        for plan in self._plans.values():
            for full, (when, unless) in plan.exclusions.items():
                w, wt = run(plan.law.id, when.node)
                value = w
                children = [wt] if wt else []
                if unless is not None:
                    u, ut = run(plan.law.id, unless.node)
                    value = kand((w, knot(u)))  # type: ignore[arg-type]
                    children += [ut] if ut else []
                trace = Trace(full, str(value), tuple(children)) if explain else None
                exclusions[full] = ProvisionResult(full, value, trace)  # type: ignore[arg-type]
        grounds: dict[str, ProvisionResult] = {}
        for plan in self._plans.values():
            for full, when in plan.grounds.items():
                w, wt = run(plan.law.id, when.node)
                barred = kor(exclusions[e].value for e in self.covering[full])
                value = kand((w, knot(barred)))  # type: ignore[arg-type]
                grounds[full] = ProvisionResult(full, value, wt, when=w)  # type: ignore[arg-type]
        status = STATUSES[kor(r.value for r in grounds.values())]
        categories: dict[str, str] = {}
        for cat in self.categories:
            k = kor(r.value for g, r in grounds.items() if self.ground_category[g] == cat)
            if k is not K.FALSE:
                categories[cat] = "eligible" if k is K.TRUE else "undetermined"
        receive: dict[str, K] = {}
        for full, (comp, _, gs) in self.components.items():
            by_ground = kor(grounds[g].value for g in gs)
            claimant = (
                K.UNKNOWN if claim.claimant is None else K.of(claim.claimant in comp.recipients)
            )
            receive[full] = kand((by_ground, claimant))
        for full, (comp, law, _) in self.components.items():
            for replaced in comp.instead_of:
                target = _full(law, replaced)
                if target in receive:
                    receive[target] = kand((receive[target], knot(receive[full])))
        components: dict[str, str] = {}
        amounts: dict[str, Interval | None] = {}
        for full, k in receive.items():
            if k is K.FALSE:
                continue
            components[full] = "received" if k is K.TRUE else "possible"
            amounts[full] = self._amount(full, claim, evs)
        return ClaimResult(
            claim.id, status, categories, grounds, exclusions, components, amounts, as_of
        )

    def _amount(self, full: str, claim: Claim, evs: Mapping[str, Evaluator]) -> Interval | None:
        comp, law, _ = self.components[full]
        resolved = self._plans[law.id].amounts.get(full)
        if resolved is None:
            return None
        value = evs[law.id].evaluate(resolved.node, claim)
        assert isinstance(value, Interval)
        if value.lo < 0:
            raise EvaluationError(
                f"the amount of component '{full}' can be negative ({display(value)}) for claim "
                f"'{claim.id}'; a law's amounts must not be negative (use max(0, …))",
                comp.amount.origin if comp.amount else Location(file=law.ref),
            )
        return Interval(round2(value.lo), round2(value.hi))

    def evaluate(
        self,
        population: Population,
        as_of: dt.date | None = None,
        *,
        engine: str = "vector",
        chunk: int = 1_000_000,
    ) -> Coverage:
        """The coverage of this framework over a population at ``as_of`` (default today).

        ``engine="vector"`` compiles every expression to NumPy over the columnar population,
        ``chunk`` claims at a time (so memory stays bounded on ten million claims);
        ``engine="interpreter"`` runs the per-claim interpreter on each claim (slow; the
        reference the vectorised engine is tested against).
        """
        from ..coverage import Coverage

        as_of = as_of or dt.date.today()
        if engine == "interpreter":
            evs = self.evaluators(as_of)
            results = [
                self.evaluate_claim(c, as_of, explain=False, evaluators=evs)
                for c in population.claims
            ]
            return Coverage.from_results(self, population, as_of, results)
        if engine != "vector":
            raise ValueError(f"unknown engine {engine!r}")
        from ..population.columns import columns_of
        from ._vector import evaluate_columns

        params = self.parameters_at(as_of)
        columns = columns_of(population)
        parts = []
        for first, part in columns.chunks(max(1, chunk)):

            def claim_id(i: int, first: int = first) -> str:
                return population.claim_id(first + i)

            parts.append(evaluate_columns(self, part, params, claim_id))
        return Coverage.from_parts(self, population, as_of, parts)

    def check_amounts(self) -> None:
        """Raise :class:`EvaluationError` for an amount that is negative for every claim —
        one that reads no fact — on any date a parameter of its law takes a new value."""
        for full, (comp, law, _) in self.components.items():
            resolved = self._plans[law.id].amounts.get(full)
            if resolved is None or not _constant(resolved.node, self._plans[law.id]):
                continue
            dates = {d for p in law.parameters.values() for d, _ in p.values if d is not None}
            for day in sorted(dates) or [dt.date.today()]:
                try:
                    evs = self.evaluators(day)
                except EvaluationError:
                    continue  # some parameter has no value yet on that date
                value = evs[law.id].evaluate(resolved.node, Claim("check"))
                if isinstance(value, Interval) and value.lo < 0:
                    raise EvaluationError(
                        f"the amount of component '{full}' is negative ({display(value)}) "
                        f"from {day.isoformat()}; a law's amounts must not be negative",
                        comp.amount.origin if comp.amount else Location(file=law.ref),
                    )

    def summarize(
        self,
        population: Population,
        as_of: dt.date | None = None,
        *,
        chunk: int = 1_000_000,
        progress: Callable[[int], None] | None = None,
    ) -> CoverageSummary:
        """The summaries of :meth:`evaluate` (counts, categories, components, amount totals)
        without keeping any claim's result: memory stays bounded by one chunk, so ten
        million claims evaluate in well under 2 GiB. ``progress``, if given, is called
        with the number of claims evaluated after each chunk."""
        from ..coverage import CoverageSummary, Tally
        from ..population.columns import columns_of
        from ._vector import evaluate_columns

        as_of = as_of or dt.date.today()
        params = self.parameters_at(as_of)
        total: Tally | None = None
        for first, part in columns_of(population).chunks(max(1, chunk)):

            def claim_id(i: int, first: int = first) -> str:
                return population.claim_id(first + i)

            p = evaluate_columns(self, part, params, claim_id)
            tally = Tally.of(p.status, p.grounds, p.exclusions, p.categories, p.components,
                             p.amount_lo, p.amount_hi)  # fmt: skip
            if total is None:
                total = tally
            else:
                total.add(tally)
            if progress is not None:
                progress(first + part.n_claims)
        if total is None:
            raise ValueError("the population has no claims")
        return CoverageSummary(self, population, as_of, total)

    # -- lint -------------------------------------------------------------------------------

    def lint(self) -> list[str]:
        """Findings that are not errors: what a drafter should look at (``kzrehab check``)."""
        findings = list(self.notices)
        for law in self.laws:
            plan = self._plans[law.id]
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
                    findings.append(f"{at(d.expr.origin)}: definition '{name}' is never used")
            for full, r in plan.grounds.items():
                if _constant(r.node, plan):
                    findings.append(f"{at(origins.get(full))}: the condition of ground "
                                    f"'{full}' is constant")  # fmt: skip
            for node in exprs:
                findings.extend(f"{law.ref}: {m}" for m in _whole_enum_sets(node))
            for full, (w, _) in plan.exclusions.items():
                if _constant(w.node, plan):
                    findings.append(f"{at(origins.get(full))}: the condition of exclusion "
                                    f"'{full}' is constant")  # fmt: skip
                if not self.exclusion_grounds[full]:
                    findings.append(f"{at(origins.get(full))}: exclusion '{full}' covers no ground")
        for full, (comp, law, gs) in self.components.items():
            if not gs:
                where = str(comp.origin) if comp.origin.line else law.ref
                findings.append(f"{where}: component '{full}' is granted by no ground")
        findings.extend(instead_of_findings(self))
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
                    out.append(f"'{unparse(n)[:60]}…' lists every value of '{fact.name}'")
    return out


def _constant(node: Node, plan: _Plan) -> bool:
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


def load_framework(refs: Iterable[str | PathLike[str]]) -> Framework:
    """Load the laws at ``refs`` (files or directories, or ``REV:PATH`` as committed in git)
    into a checked framework."""
    refs = list(refs)
    if any(":" in str(r) and not os.path.exists(r) for r in refs):
        from ..gitstore import load_refs  # only REV:PATH needs git

        return Framework(load_refs(refs))
    return Framework(load_laws(refs))
