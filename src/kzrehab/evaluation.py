"""Evaluation: the plan of a framework (:mod:`kzrehab.plan`) run by either engine.

- :func:`evaluate_claim` runs the per-claim interpreter on one claim, with traces;
- :func:`evaluate` runs the NumPy compiler over a whole population, chunk by chunk, into a
  :class:`~kzrehab.coverage.Coverage` (or the interpreter on each claim, the reference the
  compiler is tested against);
- :func:`summarize` keeps only the counts and totals, so memory stays bounded by a chunk;
- :func:`check_amounts` evaluates the amounts that read no fact on every date their
  parameters change.

**On all cores** (``jobs``): the chunks of a population store
(:class:`~kzrehab.chunks.Chunk`) are evaluated by :func:`evaluate_chunk` in worker
processes (:mod:`kzrehab._pool`), which send back the per-claim arrays, or only the counts
(a :class:`~kzrehab.coverage.Tally`) for :func:`summarize`. The results are joined
(arrays) or added (exact integer counts and cents) in chunk order, so every figure is the
same, to the byte, as with ``jobs=1``. A population in memory is evaluated here whatever
``jobs`` says. The same function runs on other machines (docs/benchmarks.rst, Dask).

Both engines evaluate the plan's trees in the plan's order and nothing else. Each output
reads the values of the outputs before it; an amount is read only where its component is
not surely withheld, and it must be neither negative nor above :data:`~kzrehab.plan.MAX_AMOUNT`
there (the errors name the component and the claim).
"""

from __future__ import annotations

__all__ = ["evaluate", "evaluate_claim", "evaluate_columns", "claim_values", "column_values",
           "summarize", "check_amounts", "constant_amounts", "evaluators", "evaluate_chunk",
           "evaluate_many", "program_of", "output_signatures", "ties", "Known"]  # fmt: skip

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from .chunks import Chunk, chunk_columns, chunks, on_pool, open_chunk
from .claims import Claim
from .errors import EvaluationError, KzrehabError
from .i18n import _, decimal
from .laws.framework import Framework, is_constant
from .outcome import ClaimResult, ProvisionResult
from .plan import MAX_AMOUNT, amount_problem, negative_amount, plan_of, too_large_amount
from .programs import Known, output_signatures, program_of, ties
from .rules.interpreter import Evaluator, Trace, display
from .rules.values import FALSE, Interval, K

if TYPE_CHECKING:
    from .coverage import Coverage, CoverageSummary, Part, Tally
    from .plan import Output
    from .population import Population
    from .population.columns import Columns
    from .rules.compiler import Program

#: The outputs whose traces an explanation shows (a provision's own conditions).
_TRACED = frozenset({"when", "excl", "unless"})


def evaluators(fw: Framework, as_of: dt.date) -> dict[str | None, Evaluator]:
    """One interpreter per law, its parameters read at ``as_of``, and one (key ``None``)
    for the framework-wide outputs, which read only other outputs and the claimant."""
    params = fw.parameters_at(as_of)
    evs: dict[str | None, Evaluator] = {
        law.id: Evaluator(
            {n: r.node for n, r in fw.checked(law.id).definitions.items()}, params[law.id]
        )
        for law in fw.laws
    }
    evs[None] = Evaluator({}, {})
    return evs


def claim_values(
    fw: Framework, claim: Claim, evs: Mapping[str | None, Evaluator], *, explain: bool = False
) -> tuple[dict[str, Any], dict[str, Trace]]:
    """Every output of the plan for one claim (an amount only where its component is not
    surely withheld), and with ``explain`` the traces of the provisions' own conditions."""
    values: dict[str, Any] = {}
    traces: dict[str, Trace] = {}
    for ev in evs.values():
        ev.outputs = values
    for o in plan_of(fw):
        if o.given is not None and values[o.given] is K.FALSE:
            continue
        ev = evs[o.law]
        if explain and o.kind in _TRACED:
            value, traces[o.key] = ev.explain(o.node, claim)
        else:
            value = ev.evaluate(o.node, claim)
        if o.kind == "amount":
            assert isinstance(value, Interval) and o.subject is not None
            problem = amount_problem(value)
            if problem == "negative":
                raise negative_amount(fw, o.subject, claim.id, display(value))
            if problem is not None:
                raise too_large_amount(fw, o.subject, claim.id, display(value))
        values[o.key] = value
    return values, traces


def evaluate_claim(
    fw: Framework,
    claim: Claim,
    as_of: dt.date | None = None,
    *,
    explain: bool = True,
    evaluators_: Mapping[str | None, Evaluator] | None = None,
) -> ClaimResult:
    """Evaluate one claim with the per-claim interpreter; with ``explain``, the traces of
    every ground's and exclusion's conditions are kept."""
    as_of = as_of or dt.date.today()
    evs = evaluators_ or evaluators(fw, as_of)
    values, traces = claim_values(fw, claim, evs, explain=explain)
    exclusions: dict[str, ProvisionResult] = {}
    for e in fw.exclusion_law:
        holds = values[f"holds:{e}"]
        parts = [traces[k] for k in (f"excl:{e}", f"unless:{e}") if k in traces]
        trace = Trace(e, str(holds), tuple(parts)) if explain else None
        exclusions[e] = ProvisionResult(e, holds, trace)
    plan = plan_of(fw)
    grounds = {
        g: ProvisionResult(g, values[f"applies:{t}"], traces.get(f"when:{t}"),
                           when=values[f"when:{t}"])
        for g in fw.covering if (t := plan.ground(g))  # a twin's outputs are its own
    }  # fmt: skip
    return ClaimResult(
        claim.id,
        values["status"],
        {c: values[f"category:{c}"] for c in fw.categories},
        grounds,
        exclusions,
        {c: values[f"receives:{c}"] for c in fw.components},
        {c: values[f"amount:{c}"] for c in fw.components if f"amount:{c}" in values},
        as_of,
    )


def column_values(
    fw: Framework,
    columns: Columns,
    params: Mapping[str, Mapping[str, float]],
    claim_id: Callable[[int], str],
    *,
    keys: Collection[str] | None = None,
    known: Known | None = None,
    only: tuple[Program, Sequence[Output]] | None = None,
) -> dict[str, Any]:
    """Every output of the plan over columns (or those of ``keys``): Kleene arrays, and
    amount ranges (NaN where the component is surely withheld). ``known`` gives outputs'
    values for these columns, by signature: those are taken instead of computed. ``only``:
    a program and those of its outputs to evaluate (an amount's receipt among them)."""
    import numpy as np

    from .rules.compiler import Iv, Memo, broadcast

    program, outputs = only or (program_of(fw, params),
                                [o for o in plan_of(fw) if keys is None or o.key in keys])
    sigs = {o.key: program.signature(program.outputs[o.key]) for o in outputs}
    reused = {o.key: known.amounts[pair] for o in outputs if known is not None and o.given
              and (pair := (sigs[o.key], sigs[o.given])) in known.amounts}  # fmt: skip
    n = columns.n_claims
    wanted = [program.outputs[o.key] for o in outputs if o.key not in reused]
    steps = program.run(columns, wanted, known.steps if known is not None else None)
    values: dict[str, Any] = {}
    #: outputs of one step share one array (so that summaries count it once)
    arrays: dict[int, Any] = {}
    for o in outputs:
        if o.key in reused:  # the same amount, received by the same claims
            values[o.key] = Iv(*reused[o.key])
            continue
        step = program.outputs[o.key]
        value = broadcast(steps[step], n)
        if o.kind != "amount":
            if step not in arrays:
                arrays[step] = np.ascontiguousarray(value, dtype=np.int8)
            values[o.key] = arrays[step]
            continue
        assert isinstance(value, Iv) and o.given is not None and o.subject is not None
        lo, hi = np.asarray(value.lo, np.float64), np.asarray(value.hi, np.float64)
        gets = values[o.given] != FALSE
        with np.errstate(all="ignore"):
            for bad, make in (
                (gets & (lo < 0), negative_amount),
                (gets & ((lo > MAX_AMOUNT) | (np.isfinite(hi) & (hi > MAX_AMOUNT))),
                 too_large_amount),
            ):  # fmt: skip
                if bad.any():
                    i = int(np.argmax(bad))
                    raise make(fw, o.subject, claim_id(i), f"{lo[i]:g} … {hi[i]:g}")
        values[o.key] = Iv(np.where(gets, lo, np.nan), np.where(gets, hi, np.nan))
        if known is not None and isinstance(known.steps, Memo):  # the next takes these
            kept = cast("dict[tuple[int, int], Any]", known.amounts)
            kept[(sigs[o.key], sigs[o.given])] = values[o.key]
    return values


#: the outputs a coverage keeps (a ground's ``applies``, not its ``when``)
_KEPT = frozenset({"status", "applies", "holds", "category", "receives", "amount"})


def evaluate_columns(
    fw: Framework,
    columns: Columns,
    params: Mapping[str, Mapping[str, float]],
    claim_id: Callable[[int], str],
    known: Known | None = None,
) -> Part:
    """Evaluate one chunk: run the plan over its columns with the compiler, into the
    arrays a coverage keeps; ``claim_id(i)`` names row ``i`` in errors, and ``known``
    gives outputs' values for these rows (:class:`Known`)."""
    from .coverage import Part

    plan = plan_of(fw)
    keys = {o.key for o in plan if o.kind in _KEPT}
    values = column_values(fw, columns, params, claim_id, keys=keys, known=known)
    amounts = {o.subject: values[o.key] for o in plan.of_kind("amount")}
    return Part(
        values["status"],
        {g: values[f"applies:{plan.ground(g)}"] for g in fw.covering},  # twins: one array
        {e: values[f"holds:{e}"] for e in fw.exclusion_law},
        {c: values[f"category:{c}"] for c in fw.categories},
        {c: values[f"receives:{c}"] for c in fw.components},
        {c: a.lo for c, a in amounts.items() if c is not None},
        {c: a.hi for c, a in amounts.items() if c is not None},
    )


def _chunks(
    fw: Framework, population: Population, as_of: dt.date, chunk: int, known: Known | None = None
) -> Any:

    params = fw.parameters_at(as_of)
    for first, part in population.columns().chunks(max(1, chunk)):

        def claim_id(i: int, first: int = first) -> str:
            return population.claim_id(first + i)

        rows = known.rows(first, first + part.n_claims) if known is not None else None
        yield first + part.n_claims, evaluate_columns(fw, part, params, claim_id, rows)


def evaluate(
    fw: Framework,
    population: Population,
    as_of: dt.date | None = None,
    *,
    engine: str = "vectorised",
    chunk: int = 1_000_000,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    reuse: Sequence[Coverage] = (),
) -> Coverage:
    """The coverage of a framework over a population at ``as_of`` (default today).

    ``engine="vectorised"`` compiles the plan to NumPy over the columnar population, ``chunk``
    claims at a time (memory stays bounded on ten million claims); ``engine="interpreter"``
    runs the per-claim interpreter on each claim (slow; the reference the vectorised engine
    is tested against). ``jobs`` worker processes evaluate the chunks of a stored
    population (the same results; see the module's docstring). ``progress``, if given, is
    called with the number of claims evaluated after each chunk.

    ``reuse``: coverages of other frameworks over the same population at the same date;
    the vectorised engine takes every output they share with this framework (the same
    signature: the same rule, reading the same rules) from them instead of evaluating it
    (in this process: the coverages' arrays are here).
    """
    from .coverage import Coverage

    as_of = as_of or dt.date.today()
    if engine == "interpreter":
        evs = evaluators(fw, as_of)
        results = [evaluate_claim(fw, c, as_of, explain=False, evaluators_=evs)
                   for c in population.claims]  # fmt: skip
        return Coverage.from_results(fw, population, as_of, results)
    if engine != "vectorised":
        raise ValueError(_("unknown engine {engine!r}").format(engine=engine))
    for cov in reuse:
        if cov.population is not population or cov.as_of != as_of:
            raise ValueError(_("only coverages of the same population at the same date are reused"))
    known = Known.of(reuse) if reuse else None
    if reuse:  # compiled from the first's program: only what differs is compiled
        program_of(fw, fw.parameters_at(as_of), like=reuse[0].framework)
    pooled = known is None and on_pool(population, jobs)
    parts: list[Part] = []
    for done, part in (_pooled(fw, population, as_of, chunk, jobs, False) if pooled
                       else _chunks(fw, population, as_of, chunk, known)):  # fmt: skip
        parts.append(part)
        if progress is not None:
            progress(done)
    return Coverage.from_parts(fw, population, as_of, parts)


def summarize(
    fw: Framework,
    population: Population,
    as_of: dt.date | None = None,
    *,
    chunk: int = 1_000_000,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> CoverageSummary:
    """The summaries of :func:`evaluate` (counts, categories, components, amount totals)
    without keeping any claim's result: memory stays bounded by one chunk. ``progress``,
    if given, is called with the number of claims evaluated after each chunk. ``jobs``
    worker processes count the chunks of a stored population, each sending back only its
    counts; they are added in chunk order, in exact integers."""
    from .coverage import CoverageSummary, Tally

    as_of = as_of or dt.date.today()
    total: Tally | None = None
    tallies: Iterator[tuple[int, Tally]]
    if on_pool(population, jobs):
        tallies = _pooled(fw, population, as_of, chunk, jobs, True)
    else:
        tallies = ((done, Tally.of(p.status, p.grounds, p.exclusions, p.categories,
                                   p.components, p.amount_lo, p.amount_hi))
                   for done, p in _chunks(fw, population, as_of, chunk))  # fmt: skip
    for done, tally in tallies:
        if total is None:
            total = tally
        else:
            total.add(tally)
        if progress is not None:
            progress(done)
    if total is None:
        raise ValueError(_("the population has no claims"))
    return CoverageSummary(fw, population, as_of, total)


def constant_amounts(
    fw: Framework, components: Sequence[str]
) -> Iterator[tuple[dt.date, dict[str, Interval]]]:
    """The values of amounts that read no fact (the plan's amount outputs, on an empty
    claim) on every date a parameter of their laws takes a new value — today when none is
    dated; a date on which some parameter has no value yet is left out."""
    outputs = plan_of(fw).by_key
    laws = [fw.components[c][1] for c in components]
    dates = {d for law in laws for p in law.parameters.values() for d, __ in p.values if d}
    for day in sorted(dates) or [dt.date.today()]:
        try:
            evs = evaluators(fw, day)
        except EvaluationError:
            continue  # some parameter has no value yet on that date
        values = {}
        for c in components:
            o = outputs[f"amount:{c}"]
            value = evs[o.law].evaluate(o.node, Claim("constant"))
            assert isinstance(value, Interval)
            values[c] = value
        yield day, values


def check_amounts(fw: Framework) -> None:
    """Raise :class:`EvaluationError` for an amount that is negative (or above the
    ceiling) for every claim — one that reads no fact — on any date a parameter of its
    law takes a new value."""
    for o in plan_of(fw).of_kind("amount"):
        assert o.subject is not None
        comp, law, __ = fw.components[o.subject]
        assert comp.amount is not None
        if not is_constant(fw.checked(law.id).amounts[o.subject].node, fw.checked(law.id)):
            continue
        for day, values in constant_amounts(fw, [o.subject]):
            value = values[o.subject]
            problem = amount_problem(value)
            if problem == "negative":
                raise EvaluationError(
                    _("the amount of component '{subject}' is negative ({display}) "
                      "from {day}; a law's amounts must not be negative").format(
                        subject=o.subject, display=display(value), day=day.isoformat()),
                    comp.amount.origin,
                )
            if problem is not None:
                raise EvaluationError(
                    _("the amount of component '{subject}' is {display} tenge from "
                      "{day}, above the ceiling of {MAX_AMOUNT} tenge a claim").format(
                        subject=o.subject, display=display(value), day=day.isoformat(),
                        MAX_AMOUNT=decimal(MAX_AMOUNT, 0)),
                    comp.amount.origin,
                )


# -- chunks on all cores (kzrehab.chunks, kzrehab._pool) ----------------------------------------

def evaluate_chunk(
    chunk: Chunk, known: Known | None = None, like: Framework | None = None
) -> Part | Tally:
    """Evaluate one :class:`~kzrehab.chunks.Chunk`: its per-claim arrays (a
    :class:`~kzrehab.coverage.Part`), or with ``summary`` only its counts. The function
    every worker runs (:func:`open_chunk` opens what it needs). ``known``: values of
    this very chunk by signature (:class:`Known`, e.g. a :meth:`Known.memo` that the
    evaluations of other frameworks over the chunk filled); ``like``: a framework whose
    program this one's is forked from (:func:`program_of`)."""
    from .coverage import Tally

    fw, pop = open_chunk(chunk)
    first = chunk.first

    def claim_id(i: int) -> str:
        return pop.claim_id(first + i)

    cols: Any = chunk_columns(chunk, pop)
    params = fw.parameters_at(chunk.as_of)
    if like is not None:
        program_of(fw, params, like=like)  # only what differs is compiled
    part = evaluate_columns(fw, cols, params, claim_id, known)
    if not chunk.summary:
        return part
    return Tally.of(part.status, part.grounds, part.exclusions, part.categories,
                    part.components, part.amount_lo, part.amount_hi)  # fmt: skip


def _run_chunk(chunk: Chunk) -> Part | Tally | KzrehabError:
    """:func:`evaluate_chunk` in a worker: an error is sent back as the result, to be raised
    (or kept) by whoever merges the chunks, in their order."""
    try:
        return evaluate_chunk(chunk)
    except KzrehabError as err:
        return err


def _pooled(fw: Framework, population: Population, as_of: dt.date, size: int, jobs: int,
            summary: bool) -> Iterator[tuple[int, Any]]:  # fmt: skip
    """``(claims done, part or tally)`` of every chunk, in order, from the workers."""
    from ._pool import ordered_map

    todo = chunks(fw, population, as_of, size=size, jobs=jobs, summary=summary)
    for c, result in zip(todo, ordered_map(_run_chunk, todo, jobs), strict=True):
        if isinstance(result, KzrehabError):
            raise result
        yield c.stop, result


def evaluate_many(
    frameworks: Sequence[Framework],
    population: Population,
    as_of: dt.date,
    *,
    chunk: int = 1_000_000,
    jobs: int = 1,
    done: Callable[[int], None] | None = None,
) -> list[Coverage | KzrehabError]:
    """The coverage of each framework (the error for one that cannot be evaluated), in
    order: the chunks of them all at once on ``jobs`` worker processes (attribution's
    variants, the versions of a log). ``done`` is called with the number of frameworks
    evaluated so far."""
    from ._pool import ordered_map
    from .coverage import Coverage, Part

    out: list[Coverage | KzrehabError] = []
    if not frameworks or not on_pool(population, jobs):
        for fw in frameworks:
            try:
                out.append(evaluate(fw, population, as_of, chunk=chunk))
            except KzrehabError as err:
                out.append(err)
            if done is not None:
                done(len(out))
        return out
    per = [chunks(fw, population, as_of, size=chunk, jobs=jobs) for fw in frameworks]
    tasks = [c for cs in per for c in cs]

    def finished(n: int) -> None:
        if done is not None:
            done(n * len(frameworks) // len(tasks))

    results = iter(ordered_map(_run_chunk, tasks, jobs, finished))
    for fw, cs in zip(frameworks, per, strict=True):
        got = [next(results) for __ in cs]
        error = next((p for p in got if isinstance(p, KzrehabError)), None)
        parts = [p for p in got if isinstance(p, Part)]
        out.append(error if error is not None else
                   Coverage.from_parts(fw, population, as_of, parts))  # fmt: skip
    return out
