"""Attribution's variants as patches of the head (:doc:`semantics`, *Attribution*).

A variant is the head with one change taken back (:func:`kzrehab.attribution.variant`).
Made whole, it is a framework of its own: its laws amended again, its index, its plan, its
compiled program and its coverage each made in a pass over every provision, so that a
draft of two thousand changed provisions costs two thousand passes over two thousand
provisions. Made here, a variant costs what it changes.

The variant of a **ground the head has and the base has not** is the head with the ground
repealed. When no exclusion or component names the ground (one that covers every ground of
its law may, if it keeps another), that repeal changes nothing but the ground's law, and
the variant is a patch of the head at every step (:meth:`Patcher.patch`):

- its laws are the head's, the ground's law without the ground;
- its framework is the head's, with the ground's entries taken out of its checked law and
  index (:meth:`~kzrehab.laws.framework.Framework.without_ground`);
- its plan is the head's without the ground's outputs, and with its readers made again —
  the status, its category, the receipts of the components it granted and of those they
  replace, their amounts (:func:`~kzrehab.plan_patches.without_ground`); every other output is the
  head's, the very same tree reading the very same outputs;
- its coverage is the head's arrays with those outputs' in their place, and the ground's
  and a category it alone granted left out.

A repealed ground with **twins** (:attr:`~kzrehab.plan.Plan.twins`) is a patch too. A
twin that has no outputs of its own leaves the status as it is, and its category too
unless no other ground of that category reads its first twin's ``applies``. The first of
twins passes its outputs to the next twin, its *heir*: the heir's ``when`` and ``applies``
are new outputs of the same rules (their values known), and the status, and every category
and receipt that read the first, read the heir's instead — the same values.

The variant of a **ground whose condition or category changed** is the head with the
ground's base form back: the ground is taken back by the same synthetic amendment in a law
of it alone, and its framework is the head's with only the ground's condition checked and
its category indexed (:meth:`~kzrehab.laws.framework.Framework.with_ground`); its plan is
the head's with its condition, its ``applies`` and the receipts that read it evaluated
again (:func:`~kzrehab.plan_patches.ground_changed`). The variant of a new ground that an exclusion
or component names is made whole — its laws amended, checked and indexed — but planned and
evaluated as a patch of the head (:meth:`Patcher.planned`). A changed ground that has
twins in the head leaves them: it has outputs of its own (the first of twins passes theirs
to its heir), and the status, and a category where a twin of it stays, are the head's
with its new value added. It keeps outputs of its own even where its new condition is
another ground's, whose twin the whole variant's plan makes it: another plan, the same
values.

A patch's outputs are evaluated in two ways (:func:`evaluate_patch`). The status and a
category are an ``or`` of many ``applies``: without the ground, or with its new value, they
are the head's values but for the claims where the ground decided them (three-valued
``or`` is the greatest value), and for those claims alone the ``or`` of the other grounds
is read from the values of the head's groups (:func:`~kzrehab.plan.groups_of`) along the
ground's path. The others are compiled in a patch of the head's program
(:meth:`~kzrehab.rules.compiler.Program.patched`) and evaluated from the values of the
head's and the base's outputs that they read (:class:`~kzrehab.programs.Known`).

Any other change — a ground restored, an exclusion, a component, a parameter, a
definition — makes a whole variant, evaluated incrementally as before
(:func:`kzrehab.attribution.variant_diff`). A test holds every patched variant equal to the
whole one — framework, plan and coverage — on generated drafts.
"""

from __future__ import annotations

__all__ = ["Patch", "Patcher", "evaluate_patch"]

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .coverage import Coverage
from .errors import KzrehabError
from .evaluation import Known, column_values, program_of
from .laws.framework import Framework
from .laws.provisions import AnyProvision, Article, Ground, Law
from .plan import Output, groups_of, plan_of
from .plan_patches import PlanPatch, ground_changed, without_ground
from .rules.ast import Name, Node
from .rules.values import FALSE

if TYPE_CHECKING:
    from .population import Population
    from .rules.compiler import Program


#: ``take_back(laws, base, law_id, key)`` (:class:`Patcher`)
TakeBack = Callable[[list[Law], Sequence[Law], str, str], "list[Law] | None"]


@attrs.frozen(eq=False)
class Patch:
    """A variant of the head as a patch of it: the variant's framework and its plan as a
    patch of the head's (:class:`~kzrehab.plan_patches.PlanPatch`)."""

    framework: Framework
    plan: PlanPatch


class Patcher:
    """Makes the variants of one head, against one base, that can be patches of the head
    (:func:`Patcher.patch`). ``base``: the base's laws without their amendments, as
    :func:`kzrehab.attribution.variant` reads them."""

    def __init__(self, head: Framework, base: Sequence[Law],
                 take_back: TakeBack | None = None) -> None:  # fmt: skip
        self.head = head
        self.base = {law.id: law for law in base}
        #: ``take_back(laws, base, law_id, key)``: ``laws`` with the item ``key`` of the law
        #: ``law_id`` in its form in ``base`` (:func:`kzrehab.attribution.variant`, laws
        #: without amendments); a changed ground is taken back in a law of it alone, from a
        #: law of its base form alone, so that its form is the one a whole variant's is
        self.take_back = take_back
        #: per law of the head: each provision's id → (its article, its place there)
        self._places: dict[str, dict[str, tuple[int, int]]] = {}
        #: per law of the base: its provisions by id
        self._ids: dict[str, dict[str, AnyProvision]] = {}

    def taking_back(self, law_id: str, key: str) -> tuple[str, bool] | None:
        """The full id of the ground, and whether the base has it, when taking back the
        item ``key`` of the law ``law_id`` is a repeal of a ground of the head (the base
        has not the ground) or a replacement of its rule by the base's (a ground there
        too), and nothing else: no names that the base's law has and the head's has not
        come with it. None otherwise."""
        law = next((x for x in self.head.laws if x.id == law_id), None)
        if law is None or key.startswith(("parameters.", "definitions.")):
            return None
        full = law.full_id(key)
        if self.head.ground_law.get(full) is not law:
            return None  # not a ground of the head
        old = self.base.get(law_id)
        if old is None:
            return full, False
        if (old.parameters.keys() - law.parameters.keys()
                or old.definitions.keys() - law.definitions.keys()):  # fmt: skip
            return None  # names only the base has are inserted with it
        provisions = self._ids.get(law_id)
        if provisions is None:
            provisions = self._ids[law_id] = {p.id: p for p in old.provisions()}
        if key not in provisions:
            return full, False
        return (full, True) if isinstance(provisions[key], Ground) else None

    def patch(self, law_id: str, key: str) -> Patch | None:
        """The variant that takes back the item ``key`` of the law ``law_id`` as a patch of
        the head, its framework too; None when it cannot be one (see the module's text)."""
        found = self.taking_back(law_id, key)
        if found is None:
            return None
        full, changed = found
        law = self.head.ground_law[full]
        a, i = self._place(law, key)
        article = law.articles[a]
        if not changed:
            kept = article.provisions[:i] + article.provisions[i + 1:]
            fw = self.head.without_ground(full, _with_article(law, a, kept))
            return None if fw is None else Patch(fw, without_ground(plan_of(self.head), fw, full))
        if self.take_back is None:
            return None
        try:  # the ground taken back in a law of it alone
            alone = attrs.evolve(law, articles=(attrs.evolve(article, provisions=(
                article.provisions[i],)),))  # fmt: skip
            old = self.base[law_id]
            was = attrs.evolve(old, articles=(Article(number="", provisions=(
                self._ids[law_id][key],)),))  # fmt: skip
            made = self.take_back([alone], [was], law_id, key)
            ground = made[0].articles[0].provisions[0] if made else None
            if not isinstance(ground, Ground) or ground.id != key:
                return None
            kept = (*article.provisions[:i], ground, *article.provisions[i + 1:])
            fw = self.head.with_ground(full, _with_article(law, a, kept), ground)
        except KzrehabError:
            return None  # made whole, it tells what is wrong
        return None if fw is None else Patch(fw, ground_changed(plan_of(self.head), fw, full))

    def planned(self, fw: Framework, law_id: str, key: str) -> Patch | None:
        """The variant ``fw`` (made whole) that takes back the item ``key`` of the law
        ``law_id``, its plan and coverage as patches of the head's; None when taking it back
        is neither a repeal of a ground nor a change of its rule alone (:meth:`taking_back`)."""
        found = self.taking_back(law_id, key)
        if found is None:
            return None
        full, changed = found
        make = ground_changed if changed else without_ground
        return Patch(fw, make(plan_of(self.head), fw, full))

    def _place(self, law: Law, key: str) -> tuple[int, int]:
        """The article of the provision ``key`` of ``law`` (a law of the head), and its
        place there."""
        places = self._places.get(law.id)
        if places is None:
            places = self._places[law.id] = {p.id: (a, i) for a, article in
                                             enumerate(law.articles)
                                             for i, p in enumerate(article.provisions)}  # fmt: skip
        return places[key]


def _with_article(law: Law, a: int, provisions: tuple[AnyProvision, ...]) -> Law:
    """``law`` with the provisions of its article ``a`` replaced."""
    article = attrs.evolve(law.articles[a], provisions=provisions)
    return attrs.evolve(law, articles=(*law.articles[:a], article, *law.articles[a + 1:]))


def evaluate_patch(patch: Patch, head_cov: Coverage, base_cov: Coverage,
                   chunk: int = 1_000_000) -> Coverage:  # fmt: skip
    """The coverage of a patched variant: the head's (``head_cov``), with the patch's outputs
    in place of the head's and those it has not left out — the same arrays as an evaluation
    of the whole variant.

    The outputs that are the head's ``or`` without one output (the status, a category)
    differ from the head's only for the claims where that output is as true as the whole
    ``or`` (and not false), and with the output's new values only where those differ: for
    those claims alone, the ``or`` of the other outputs is taken from the values of the
    head's groups (:func:`~kzrehab.plan.groups_of`), along the output's path. An ``or``
    with one more output is the greater of the two. The other outputs are compiled
    (:meth:`Program.patched <kzrehab.rules.compiler.Program.patched>`) and evaluated from
    the values of the head's and the base's outputs that they read
    (:class:`~kzrehab.programs.Known`)."""
    plan = patch.plan
    fw, pop = patch.framework, head_cov.population
    values = _Values.of(head_cov, base_cov)
    program, known = values.program, values.known
    new: dict[str, Any] = {}
    if plan.outputs:
        patched = program.patched(plan.gone)
        for o in plan.outputs:
            patched.add(o.node, o.law, output=o.key)
        new.update(_evaluated(patched, fw, plan.outputs, known, pop, len(head_cov), chunk))
    ground = plan.ground.name.partition(":")[2]
    before: Any = head_cov.grounds[ground]
    after: Any = None if plan.value is None else new[plan.value.name]  # its new values
    for key, tree, which in plan.ors:
        whole = head_cov.status if key == "status" else \
            head_cov.categories.get(key.partition(":")[2])
        if which == "renamed":  # the same values, read from the heir's applies
            new[key] = whole
            continue
        if which == "added":  # an or with one more
            new[key] = after.copy() if whole is None else np.maximum(whole, after)
            continue
        assert tree is not None
        if which == "without":
            new[key] = _lessened(tree, plan.ground, whole, before, values)
        else:
            new[key] = _replaced(tree, plan.ground, whole, before, after, values)
    grounds = _patched(head_cov.grounds, "applies", new, plan.gone)
    for g in grounds.keys() - fw.covering.keys():  # a twin repealed (it had no outputs)
        del grounds[g]
    lo = _patched(head_cov.amount_lo, "amount", {}, plan.gone)
    hi = _patched(head_cov.amount_hi, "amount", {}, plan.gone)
    for o in plan.outputs:
        if o.kind == "amount":
            assert o.subject is not None
            lo[o.subject], hi[o.subject] = new.pop(o.key)
    return attrs.evolve(
        head_cov, framework=fw, status=new.get("status", head_cov.status),
        grounds=grounds,
        exclusions=_patched(head_cov.exclusions, "holds", new, plan.gone),
        categories=_patched(head_cov.categories, "category", new, plan.gone),
        components=_patched(head_cov.components, "receives", new, plan.gone),
        amount_lo=lo, amount_hi=hi,
    )  # fmt: skip


class _Values:
    """The head's values of the outputs and groups of its plan, by tree: made once for a
    head's and a base's coverage (attribution asks for the same two for every variant)."""

    def __init__(self, head_cov: Coverage, base_cov: Coverage) -> None:
        head = head_cov.framework
        self.program = program_of(head, head.parameters_at(head_cov.as_of))
        self.known = Known.of((head_cov, base_cov))
        self.covs = (weakref.ref(head_cov), weakref.ref(base_cov))
        self._found: dict[int, tuple[Node, Any]] = {}

    @classmethod
    def of(cls, head_cov: Coverage, base_cov: Coverage) -> _Values:
        last = _LAST.get(head_cov)
        if last is None or last.covs[1]() is not base_cov:
            last = _LAST[head_cov] = cls(head_cov, base_cov)
        return last

    def __getitem__(self, node: Node) -> Any:
        found = self._found.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        step = self.program.step_of(node)
        if step is None:  # an output read by name, or a group of another plan of the head
            if isinstance(node, Name) and node.ref == "out":
                step = self.program.outputs[node.name]
            else:
                step = self.program.add(node)
        value = self.known.steps[self.program.signature(step)]
        self._found[id(node)] = (node, value)
        return value


#: the last :class:`_Values`, by the head's coverage (weakly)
_LAST: weakref.WeakKeyDictionary[Coverage, _Values] = weakref.WeakKeyDictionary()


def _lessened(tree: Node, node: Node, whole: Any, removed: Any, values: _Values) -> Any:
    """The values of ``tree`` — an ``or`` of many outputs whose values are ``whole`` —
    without the output ``node`` (whose values are ``removed``)."""
    # Kleene or is the greatest value: it stays where another output is as great
    where = np.flatnonzero((removed == whole) & (whole != FALSE))
    out = whole.copy()
    if where.size:
        out[where] = _or_without(tree, node, where, values)
    return out


def _replaced(tree: Node, node: Node, whole: Any, before: Any, after: Any,
              values: _Values) -> Any:  # fmt: skip
    """The values of ``tree`` — an ``or`` of many outputs whose values are ``whole`` — with
    the values of the output ``node`` ``after`` in place of ``before``."""
    where = np.flatnonzero(after != before)  # elsewhere, the same or of the same values
    out = whole.copy()
    if where.size:
        out[where] = np.maximum(_or_without(tree, node, where, values), after[where])
    return out


def _or_without(tree: Node, node: Node, where: Any, values: _Values) -> Any:
    """The Kleene ``or`` of the outputs of ``tree`` but ``node``, for the claims ``where``:
    the groups' values where they do not hold ``node``, and the same again in the group
    that does."""
    if tree is node:
        return np.full(where.size, FALSE, np.int8)
    groups = groups_of(tree)
    assert groups is not None, "a tree that is neither the output nor an or of outputs"
    r = groups.holding(node)
    out = _or_without(groups.children[r], node, where, values)
    for k, child in enumerate(groups.children):
        if k != r:
            np.maximum(out, values[child][where], out=out)
    return out


def _evaluated(program: Program, fw: Framework, outputs: Sequence[Output], known: Known,
               pop: Population, n: int, chunk: int) -> dict[str, Any]:  # fmt: skip
    """The values of ``outputs`` (arrays; an amount as ``(lo, hi)``), chunk by chunk."""
    pieces: dict[str, list[Any]] = {o.key: [] for o in outputs}
    for first, cols in pop.columns().chunks(max(1, chunk)):

        def claim_id(i: int, first: int = first) -> str:
            return pop.claim_id(first + i)

        rows = known if cols.n_claims == n else known.rows(first, first + cols.n_claims)
        values = column_values(fw, cols, {}, claim_id, known=rows, only=(program, outputs))
        for k, v in values.items():
            pieces[k].append(v)

    def joined(parts: list[Any]) -> Any:
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return {o.key: ((joined([v.lo for v in pieces[o.key]]), joined([v.hi for v in pieces[o.key]]))
                    if o.kind == "amount" else joined(pieces[o.key])) for o in outputs}


def _patched(arrays: Any, kind: str, new: Any, gone: frozenset[str]) -> Any:
    """The head's arrays of one kind of output (by name) with the patch's (by key,
    ``KIND:NAME``) in their place, and those of the outputs ``gone`` left out."""
    out = dict(arrays)
    for key in gone:
        what, _, name = key.partition(":")
        if what == kind:
            del out[name]
    for key, value in new.items():
        what, _, name = key.partition(":")
        if what == kind:
            out[name] = value
    return out
