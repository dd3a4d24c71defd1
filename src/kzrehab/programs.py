"""The compiled plans of frameworks, and what one evaluation knows from another.

- :func:`program_of` compiles a framework's plan (:mod:`kzrehab.plan`) for the vectorised
  engine, once per framework and parameters' values, forked from a similar framework's
  program where one is given (only what differs is compiled);
- :func:`output_signatures` names each output by its compiled signature: the same
  signature, the same value over the same claims (docs/semantics.rst, *Shared
  sub-expressions*);
- :class:`Known` holds outputs' values of other frameworks' coverages by signature, so
  that an evaluation takes them instead of computing them (attribution's variants, the
  versions of a log);
- :func:`ties` says, from the signatures, which components of two frameworks have the
  same amount rule or receipt, for the money a claim gains or loses.

:mod:`kzrehab.evaluation` runs the programs; it re-exports these names.
"""

from __future__ import annotations

__all__ = ["program_of", "output_signatures", "ties", "Known"]

import datetime as dt
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .laws.framework import Framework
from .outcome import Ties
from .plan import plan_of, receipts_apart

if TYPE_CHECKING:
    from .coverage import Coverage
    from .plan import Plan
    from .rules.compiler import Program

#: the compiled plans (:func:`program_of`), by plan and parameters' values
_PROGRAMS: weakref.WeakKeyDictionary[Plan, dict[Any, Program]] = weakref.WeakKeyDictionary()


def program_of(
    fw: Framework, params: Mapping[str, Mapping[str, float]], like: Framework | None = None
) -> Program:
    """The plan of a framework compiled for the vectorised engine, its parameters' values
    given (compiled once per framework, values and :data:`~kzrehab.rules.compiler.SHARING`;
    each output is a step named by its key). ``like``: a framework whose program for the
    same values, if compiled already, this one starts from
    (:meth:`~kzrehab.rules.compiler.Program.fork`: only what differs is compiled)."""
    from .rules import compiler

    plan = plan_of(fw)
    key = (compiler.SHARING, tuple((law, tuple(sorted(p.items()))) for law, p in params.items()))
    programs = _PROGRAMS.setdefault(plan, {})
    program = programs.get(key)
    if program is None:
        theirs = _PROGRAMS.get(plan_of(like), {}) if like is not None else {}
        parent = next((p for k, p in theirs.items() if k[0] == key[0]), None)
        contexts: dict[str | None, compiler.Context] = {}
        for law in fw.laws:
            defs = fw.checked(law.id).definitions
            contexts[law.id] = compiler.Context(
                {k: r.node for k, r in defs.items()},
                params[law.id],
                frozenset(k for k, r in defs.items() if r.scope == "event"),
            )
        contexts[None] = compiler.Context({}, {})
        program = parent.fork(contexts) if parent is not None else compiler.Program(contexts)
        for o in plan:
            program.add(o.node, o.law, output=o.key)
        programs.clear()  # one program per plan: the last parameters' (dates rarely vary)
        programs[key] = program
    return program


#: the last :meth:`Known.of`, by its first coverage: the coverages (weakly), the values
_KNOWN: weakref.WeakKeyDictionary[Coverage, tuple[tuple[Any, ...], Known]] = (
    weakref.WeakKeyDictionary())


class Known(NamedTuple):
    """Values of outputs known from coverages of other frameworks over the same claims, by
    signature (:func:`output_signatures`): an output of the same signature has the same
    value, so it is taken instead of computed, and what only it reads is not computed."""

    #: signature → Kleene array, one value per claim (a status, ground, exclusion, category
    #: or component of a coverage)
    steps: Mapping[int, Any]
    #: (signature of the amount, of its component's receipt) → the amount's ranges as a
    #: coverage keeps them (NaN where the component is surely withheld)
    amounts: Mapping[tuple[int, int], tuple[Any, Any]]

    @classmethod
    def of(cls, coverages: Sequence[Coverage]) -> Known:
        """The outputs of ``coverages`` by signature (kept for the last coverages asked:
        attribution asks for the same two for every variant)."""
        if not coverages:
            return cls({}, {})
        last = _KNOWN.get(coverages[0])
        if last is not None and len(last[0]) == len(coverages) \
                and all(r() is c for r, c in zip(last[0], coverages, strict=True)):
            return last[1]
        known = cls._of(coverages)
        _KNOWN[coverages[0]] = (tuple(weakref.ref(c) for c in coverages), known)
        return known

    @classmethod
    def _of(cls, coverages: Sequence[Coverage]) -> Known:
        steps: dict[int, Any] = {}
        amounts: dict[tuple[int, int], tuple[Any, Any]] = {}
        for cov in coverages:
            sigs = output_signatures(cov.framework, cov.framework.parameters_at(cov.as_of))
            # the first coverage's array where two have one (the same values)
            steps.setdefault(sigs["status"], cov.status)
            plan = plan_of(cov.framework)
            for g, a in cov.grounds.items():  # a twin's array is its twin's
                steps.setdefault(sigs[f"applies:{plan.ground(g)}"], a)
            for prefix, arrays in (("holds", cov.exclusions), ("category", cov.categories),
                                   ("receives", cov.components)):  # fmt: skip
                for k, a in arrays.items():
                    steps.setdefault(sigs[f"{prefix}:{k}"], a)
            for c, lo in cov.amount_lo.items():
                pair = (sigs[f"amount:{c}"], sigs[f"receives:{c}"])
                amounts.setdefault(pair, (lo, cov.amount_hi[c]))
        for cov in coverages:
            steps.update(_groups(cov, steps))
        return cls(steps, amounts)

    @classmethod
    def memo(cls, budget: int = 256 << 20) -> Known:
        """An empty record that the evaluations given it over the same columns fill with
        every value they compute (a :class:`~kzrehab.rules.compiler.Memo`, up to ``budget``
        bytes), so that each takes what the ones before computed: the versions of a log,
        evaluated one after the other over one chunk, each compute what is new in it."""
        from .rules.compiler import Memo

        return cls(Memo(budget), {})

    def rows(self, a: int, b: int) -> Known:
        """The values of claims ``a`` to ``b`` (excluded): a chunk's (the very arrays when
        the chunk is every claim, so that a coverage made from them holds them)."""
        whole = [len(v) == b for v in self.steps.values()]
        whole += [len(lo) == b for lo, __ in self.amounts.values()]
        if a == 0 and all(whole):
            return self
        return Known({k: v[a:b] for k, v in self.steps.items()},
                     {k: (lo[a:b], hi[a:b]) for k, (lo, hi) in self.amounts.items()})  # fmt: skip


def _groups(cov: Coverage, steps: Mapping[int, Any]) -> dict[int, Any]:
    """The values, by signature, of the groups of the ``or`` of many outputs in the
    coverage's plan (:func:`kzrehab.plan.is_group`) not in ``steps``: what a variant that
    takes one output out of such an ``or`` would otherwise evaluate whole again."""
    import numpy as np

    from .plan import is_group
    from .rules.compiler import broadcast

    program = program_of(cov.framework, cov.framework.parameters_at(cov.as_of))
    wanted = list(dict.fromkeys(step for node, step in program.compiled() if is_group(node)
                                and program.signature(step) not in steps))  # fmt: skip
    if not wanted:
        return {}
    parts: dict[int, list[Any]] = {s: [] for s in wanted}
    known = Known(steps, {})
    for first, cols in cov.population.columns().chunks(1_000_000):
        rows = known.rows(first, first + cols.n_claims)
        got = program.run(cols, wanted, rows.steps)
        for s in wanted:
            parts[s].append(np.ascontiguousarray(broadcast(got[s], cols.n_claims), np.int8))
    return {program.signature(s): np.concatenate(v) for s, v in parts.items()}


def output_signatures(fw: Framework, params: Mapping[str, Mapping[str, float]]) -> dict[str, int]:
    """The signature of every output of the compiled plan, by key: two outputs (of any two
    frameworks) with the same signature have the same value for every claim."""
    program = program_of(fw, params)
    return {k: program.signature(s) for k, s in program.outputs.items()}


def ties(base: Framework, head: Framework, base_as_of: dt.date,
         head_as_of: dt.date | None = None) -> Ties:
    """What is known, for every claim whatever its unknown facts are, of how the
    components of two frameworks relate, their parameters read at ``base_as_of`` and
    ``head_as_of`` (default: the same date), from the compiled plans' signatures
    (:func:`output_signatures`: the same signature, the same value):

    - the components whose amount is the same rule on both sides;
    - the components whose receipt is the same rule on both sides but for the components
      that replace it (``instead_of``) on one side only: the head's receipt is then the
      base's and not any of the new replacements' (or the reverse).

    What a claim receives from such a component changes by
    :func:`kzrehab.outcome.tied_change` (docs/semantics.rst)."""
    b_sigs = output_signatures(base, base.parameters_at(base_as_of))
    h_sigs = output_signatures(head, head.parameters_at(head_as_of or base_as_of))
    b_plan, h_plan = plan_of(base), plan_of(head)
    # the receipts as if no grounds were twins (Plan.twins): a twin's applies is its first's
    return Ties.of(_aliased(b_sigs, b_plan), _aliased(h_sigs, h_plan),
                   receipts_apart(b_plan), receipts_apart(h_plan))


def _aliased(sigs: dict[str, int], plan: Plan) -> dict[str, int]:
    """The signatures of a plan's outputs, and of a twin's ``applies`` its first twin's."""
    if not plan.twins:
        return sigs
    return {**sigs, **{f"applies:{g}": sigs[f"applies:{t}"] for g, t in plan.twins.items()}}
