"""Attribution's variants of one ground as patches of the head's plan (:mod:`kzrehab.variants`).

A variant that repeals a ground of the head (:func:`without_ground`), or gives one ground
its base form (:func:`ground_changed`), has the head's plan (:mod:`kzrehab.plan`) but for
the outputs that read the ground. A :class:`PlanPatch` names them: the outputs gone, the
``or`` of many outputs (the status, a category) to take the ground out of, to give its new
value or to add it to, and the outputs made again. :func:`kzrehab.variants.evaluate_patch`
evaluates it from the head's values. Twins (:attr:`kzrehab.plan.Plan.twins`) are patched
too: a twin without outputs of its own, or the first of twins, whose heir takes its
outputs.
"""

from __future__ import annotations

__all__ = ["PlanPatch", "without_ground", "ground_changed"]

import collections
import weakref
from collections.abc import Mapping
from typing import NamedTuple

from .laws.framework import Framework
from .plan import Output, Plan, ground_outputs, out, receipts
from .rules.ast import Name, Node, walk


class _Members(NamedTuple):
    """What :func:`without_ground` and :func:`ground_changed` read of a plan, made once: its
    outputs by key, the grounds of each category, the grounds that grant some component,
    the grounds whose ``applies`` each component's receipt reads, and the grounds that
    have twins or are one (:attr:`Plan.twins`)."""

    by_key: Mapping[str, Output]
    categories: Mapping[str, list[str]]
    granting: frozenset[str]
    read: Mapping[str, frozenset[str]]
    twinned: frozenset[str]
    #: the twins of each ground that has some, in order
    heirs: Mapping[str, list[str]]
    #: per category, how many of its grounds read each ground's ``applies``
    reading: Mapping[tuple[str, str], int]


_MEMBERS: weakref.WeakKeyDictionary[Plan, _Members] = weakref.WeakKeyDictionary()


def _members(plan: Plan) -> _Members:
    found = _MEMBERS.get(plan)
    if found is None:
        fw = plan.framework
        categories: dict[str, list[str]] = {}
        for g in fw.covering:
            categories.setdefault(fw.ground_category[g], []).append(g)
        granting = frozenset(g for c in fw.components.values() for g in c[2])
        by_key = plan.by_key
        read = {c: frozenset(n.name.partition(":")[2] for n in walk(by_key[f"receives:{c}"].node)
                             if isinstance(n, Name) and n.name.startswith("applies:"))
                for c in fw.components}  # fmt: skip
        twinned = frozenset(plan.twins.keys() | set(plan.twins.values()))
        heirs: dict[str, list[str]] = {}
        for g, first in plan.twins.items():
            heirs.setdefault(first, []).append(g)
        reading: dict[tuple[str, str], int] = {}
        for cat, gs in categories.items():
            for g in gs:
                key = (cat, plan.twins.get(g, g))
                reading[key] = reading.get(key, 0) + 1
        found = _MEMBERS[plan] = _Members(by_key, categories, granting, read, twinned, heirs,
                                          reading)  # fmt: skip
    return found


class PlanPatch(NamedTuple):
    """A plan as a patch of another's (:func:`without_ground`, :func:`ground_changed`)."""

    #: the keys of the outputs it has not
    gone: frozenset[str]
    #: the ``applies`` of the ground whose repeal or change the patch is, as the other
    #: plan's ``or`` read it (a twin's: its first twin's, :attr:`Plan.twins`)
    ground: Name
    #: the outputs that are an ``or`` of many ``applies``, as the other plan's ``or``
    #: (None: it has none) ``without`` the ground, with it ``replaced`` (by its new
    #: value), with it ``added``, or ``renamed`` (the same values, read from the ``applies``
    #: of the ground's heir, the twin that has its outputs now): (key, the other plan's
    #: tree, which)
    ors: tuple[tuple[str, Node | None, str], ...]
    #: the other outputs that are not the other plan's, in plan order
    outputs: tuple[Output, ...]
    #: the ``applies`` with the ground's new values (a changed ground's own), if any
    value: Name | None = None


def without_ground(head: Plan, fw: Framework, ground: str) -> PlanPatch:
    """The plan of ``fw`` — the framework of ``head`` with the ground ``ground`` repealed —
    as a patch of ``head``. The ground's outputs are gone, and those of an exclusion or a
    component the repeal left out (it named only the ground); the status and the ground's
    category (gone if the ground alone granted it) are the head's ``or`` without the
    ground; the receipts of the components it granted and of those they replace are made
    again, with the amounts of those changed. Every other output is the head's: the same
    tree reading the same outputs, or, for an exclusion or a component whose ``grounds``
    the repeal changed, the same rule.

    A ground with twins (:attr:`Plan.twins`) is repealed the same way, but what reads its
    outputs reads them from its first twin, which has them now (its ``heir``): the status
    and every category holding the ground are the head's with the heir's values in place
    of the ground's (the same values), and the ground's category is without it only if no
    twin of it grants that category too. A twin that has not outputs of its own takes
    nothing away from an ``or`` but from its category, when no other ground of that
    category is its twin or has it as twin."""
    members = _members(head)
    old = head.framework
    first = head.twins.get(ground, ground)  # whose outputs the ground's values are
    gone: set[str] = set()
    ors: list[tuple[str, Node | None, str]] = []
    cat = old.ground_category[ground]
    heir, outputs, twins = _heir(members, head, fw, ground, {})
    if first != ground:  # a twin: its first keeps its outputs, and the status
        if members.reading[(cat, first)] == 1:  # no other of its category reads them
            _category_without(members, cat, ors, gone)
    else:
        gone.update((f"when:{ground}", f"applies:{ground}"))
        if heir is None:
            ors.append(("status", members.by_key["status"].node, "without"))
            _category_without(members, cat, ors, gone)
        else:
            ors.append(("status", members.by_key["status"].node, "renamed"))
            for c in old.categories:
                if (c, ground) not in members.reading:
                    continue
                if c != cat or members.reading[(c, ground)] > 1:  # a twin of it grants c
                    ors.append((f"category:{c}", members.by_key[f"category:{c}"].node,
                                "renamed"))  # fmt: skip
                else:
                    _category_without(members, c, ors, gone)
    for e in old.exclusion_law.keys() - fw.exclusion_law.keys():
        gone.update(k for k in (f"excl:{e}", f"unless:{e}", f"holds:{e}") if k in members.by_key)
    left_out = old.components.keys() - fw.components.keys()
    for c in left_out:
        gone.update(k for k in (f"receives:{c}", f"amount:{c}") if k in members.by_key)
    changed = []
    # (a first twin's ``applies`` is read for its twins too: its heir's is, now)
    reread = ground in members.granting or heir is not None
    for full, tree in (receipts(fw, twins).items() if reread else ()):
        if tree is not members.by_key[f"receives:{full}"].node:
            outputs.append(Output(f"receives:{full}", "receives", tree, None, full))
            changed.append(full)
    outputs += [members.by_key[f"amount:{c}"] for c in changed
                if f"amount:{c}" in members.by_key]  # fmt: skip
    return PlanPatch(frozenset(gone), out(f"applies:{first}"), tuple(ors), tuple(outputs))


def ground_changed(head: Plan, fw: Framework, ground: str) -> PlanPatch:
    """The plan of ``fw`` — the framework of ``head`` with the ground ``ground``'s condition
    or category changed, and nothing else — as a patch of ``head``. The ground's condition
    is ``fw``'s, its ``applies`` and the receipts that read it are evaluated again, with
    their amounts; the status and its category are the head's ``or`` with the ground's new
    value — or, when its category changed, its old category is without it (gone if it alone
    granted it) and its new one has it too.

    A ground with twins in the head (:attr:`Plan.twins`) leaves them: it has outputs of its
    own (if it was the first of them, its heir has theirs, as for a repeal), its twins keep
    their values, so the status, and a category where a twin of it still is, are the
    head's ``or`` with the ground's new value ``added``. The ground keeps outputs of its own
    even where its new condition is another ground's, whose twin it is in ``fw``'s own plan:
    the values are the same."""
    members = _members(head)
    law = fw.ground_law[ground].id
    first = head.twins.get(ground, ground)  # whose applies the head's ors read for it
    twinned = ground in members.twinned
    # (if it was the first of its twins, the next has their outputs now)
    heir, outputs, twins = _heir(members, head, fw, ground, {ground: ground} if twinned else {})
    outputs += ground_outputs(fw, law, ground, fw.checked(law).grounds[ground].node)
    gone: set[str] = set()
    ors: list[tuple[str, Node | None, str]] = [("status", members.by_key["status"].node,
                                                "added" if twinned else "replaced")]  # fmt: skip
    was, now = head.framework.ground_category[ground], fw.ground_category[ground]
    alone = members.reading[(was, first)] == 1  # no other ground of its category reads first
    if heir is not None:  # the categories its heir's twins grant read the heir's applies now
        ors += [(f"category:{c}", members.by_key[f"category:{c}"].node, "renamed")
                for c in head.framework.categories
                if (c, ground) in members.reading and c not in (was, now)]  # fmt: skip
    if was == now:
        ors.append((f"category:{was}", members.by_key[f"category:{was}"].node,
                    "replaced" if alone else "added"))  # fmt: skip
    else:
        if alone:
            _category_without(members, was, ors, gone)
        elif heir is not None:
            ors.append((f"category:{was}", members.by_key[f"category:{was}"].node, "renamed"))
        found = members.by_key.get(f"category:{now}")
        ors.append((f"category:{now}", found.node if found else None, "added"))
    trees = receipts(fw, twins) if twinned else {}
    readers = []
    for c in fw.components:
        tree = trees.get(c, members.by_key[f"receives:{c}"].node)
        if tree is not members.by_key[f"receives:{c}"].node:
            outputs.append(Output(f"receives:{c}", "receives", tree, None, c))
        elif ground in members.read[c]:  # the same tree, reading the ground's new values
            outputs.append(members.by_key[f"receives:{c}"])
        else:
            continue
        readers.append(c)
    outputs += [members.by_key[f"amount:{c}"] for c in readers if f"amount:{c}" in members.by_key]
    return PlanPatch(frozenset(gone), out(f"applies:{first}"), tuple(ors), tuple(outputs),
                     out(f"applies:{ground}"))


def _heir(members: _Members, head: Plan, fw: Framework, ground: str, changes: dict[str, str]
          ) -> tuple[str | None, list[Output], Mapping[str, str]]:  # fmt: skip
    """The twin that has the ground's outputs in ``fw`` when the ground, the first of its
    twins, leaves them (None: it is not such a ground), with those outputs, and the
    twins of ``fw`` (:attr:`Plan.twins`): the head's, with ``changes`` too."""
    heirs = members.heirs.get(ground, [])
    if not heirs:
        return None, [], collections.ChainMap(changes, dict(head.twins)) if changes else head.twins
    heir = heirs[0]
    law = head.framework.ground_law[ground].id
    outputs = list(ground_outputs(fw, law, heir, members.by_key[f"when:{ground}"].node))
    changes.update({t: heir for t in heirs})
    return heir, outputs, collections.ChainMap(changes, dict(head.twins))


def _category_without(members: _Members, cat: str, ors: list[tuple[str, Node | None, str]],
                      gone: set[str]) -> None:  # fmt: skip
    """A category without one of its grounds: the ``or`` of the others, or gone."""
    if len(members.categories[cat]) > 1:
        ors.append((f"category:{cat}", members.by_key[f"category:{cat}"].node, "without"))
    else:
        gone.add(f"category:{cat}")
