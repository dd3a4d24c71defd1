"""The model of the laws: each field declares its role once, and the tables are read from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from kzrehab.errors import EvaluationError
from kzrehab.laws import amend, meaning, schema
from kzrehab.laws.loader import load_law_text
from kzrehab.laws.parameters import parameters_at, value_on
from kzrehab.laws.provisions import (
    MODEL_CLASSES,
    PROSE_FIELDS,
    PROVISION_TYPES,
    Amendment,
    Article,
    Component,
    Exclusion,
    Expression,
    Ground,
    Law,
    Parameter,
    Role,
    amendable_fields,
    expression_fields,
    required_fields,
    role,
    role_of,
    rule_fields,
)
from kzrehab.redline import _RULE_FIELDS
from kzrehab.rules import parse

PROVISIONS = (Ground, Exclusion, Component, Amendment)


def test_every_field_of_the_model_declares_a_role() -> None:
    for cls in MODEL_CLASSES:
        for f in attrs.fields(cls):
            assert isinstance(role_of(f), Role), f"{cls.__name__}.{f.name}"


def test_a_field_without_a_role_fails() -> None:
    @attrs.frozen(kw_only=True)
    class Bonus(Component):
        ceiling: int = 0  # no role: neither a rule nor prose

    with pytest.raises(TypeError, match="'ceiling' declares no role"):
        amendable_fields(Bonus)
    with pytest.raises(TypeError, match="'ceiling' declares no role"):
        rule_fields(Bonus)

    @attrs.frozen(kw_only=True)
    class Declared(Component):
        ceiling: int = attrs.field(default=0, metadata=role(rule=True, replaceable=True))

    assert amendable_fields(Declared)[-2:] == ("ceiling", "text")
    assert "ceiling" in rule_fields(Declared)


def test_each_field_of_a_provision_is_its_id_a_rule_or_prose() -> None:
    """What the redline calls ``rule-changed`` and what a content key leaves out never
    overlap, and between them they cover every field but the id."""
    for cls in PROVISIONS:
        for f in attrs.fields(cls):
            r = role_of(f)
            kinds = [f.name == "id", r.rule, r.prose]
            assert kinds.count(True) == 1, f"{cls.__name__}.{f.name}: {r}"
            assert not (r.expression and not r.rule), f"{cls.__name__}.{f.name}"
            assert not (r.replaceable and not (r.rule or r.prose)), f"{cls.__name__}.{f.name}"


def test_a_name_is_prose_in_every_class_that_has_it() -> None:
    """A content key leaves fields out by name (:mod:`kzrehab.keys`)."""
    for cls in MODEL_CLASSES:
        for f in attrs.fields(cls):
            r = role_of(f)
            assert (r.prose or r.derived) == (f.name in PROSE_FIELDS), f"{cls.__name__}.{f.name}"


def test_the_prose_left_out_of_content_keys() -> None:
    """Changing this set changes every content key: bump ``cache.CACHE_FORMAT`` with it.

    (A name added for a new prose field, as ``wordings`` — the texts per language — was,
    leaves every key as it was: it is left out before and after.)"""
    prose = PROSE_FIELDS
    assert prose == {
        "origin", "node", "text", "heading", "title", "version", "sources", "ref", "commit",
        "effective", "adopted", "published", "status", "amended_by", "article", "number",
        "adilet", "notes", "wordings",
    }  # fmt: skip


def test_the_tables_are_read_from_the_roles() -> None:
    fields, rules = amend._FIELDS, _RULE_FIELDS
    insert, required = meaning._PROVISION_FIELDS, meaning._REQUIRED_FIELDS
    replace, expressions = meaning._REPLACEABLE, meaning._EXPRESSION_FIELDS
    assert fields == {
        Ground: ("category", "when", "text"),
        Exclusion: ("when", "unless", "grounds", "text"),
        Component: ("kind", "title", "grounds", "recipients", "amount", "period", "instead_of",
                    "text"),
    }  # fmt: skip
    assert insert == {name: fields[cls] for name, cls in PROVISION_TYPES.items()}
    assert required == {
        "ground": ("category", "when"), "exclusion": ("when",),
        "component": ("kind", "recipients"),
    }  # fmt: skip
    assert replace == (
        "when", "unless", "amount", "grounds", "recipients", "category", "text", "title",
        "instead_of", "kind", "period",
    )  # fmt: skip
    assert expressions == {"when", "unless", "amount"}
    assert rules == {
        Ground: ("category", "when"),
        Exclusion: ("when", "unless", "grounds"),
        Component: ("kind", "grounds", "recipients", "amount", "period", "instead_of"),
        Amendment: ("law", "target", "action", "changes"),
    }
    assert {cls: expression_fields(cls) for cls in PROVISION_TYPES.values()} == {
        Ground: ("when",), Exclusion: ("when", "unless"), Component: ("amount",),
    }  # fmt: skip


def _raw(cls: type) -> tuple[set[str], set[str]]:
    """The keys of a schema class, and those without a default (required)."""
    fields = attrs.fields(cls)
    return {f.name for f in fields}, {f.name for f in fields if f.default is attrs.NOTHING}


@pytest.mark.parametrize(
    ("raw", "model"),
    [
        (schema.RawGround, Ground),
        (schema.RawExclusion, Exclusion),
        (schema.RawComponent, Component),
        (schema.RawAmend, Amendment),
        (schema.RawLaw, Law),
        (schema.RawArticle, Article),
    ],
)
def test_the_schema_agrees_with_the_model(raw: type, model: type) -> None:
    keys, required = _raw(raw)
    fields = attrs.fields(model)
    assert required == {f.name for f in fields if role_of(f).required}
    if model in PROVISION_TYPES.values():
        assert keys - {"id"} == set(amendable_fields(model))
        assert set(required_fields(model)) == required - {"id"}


def test_an_amendment_may_give_every_field_an_amendment_may_set() -> None:
    every = {k for cls in PROVISION_TYPES.values() for k in amendable_fields(cls)}
    assert every <= set(schema.AMEND_KEYS)


def test_reprs_are_short() -> None:
    law = load_law_text(
        '[law]\nid = "x"\ntitle = "X"\nkind = "law"\nstatus = "draft"\n'
        '[[article]]\nnumber = "1"\n[[article.ground]]\nid = "g"\ncategory = "c"\n'
        'when = "true"\n',
        "x.toml",
    )
    assert repr(law) == "<Law x (law, draft): 1 article, 1 provision>"
    assert repr(law.articles[0]) == "<Article 1: 1 provision>"
    assert repr(Expression("true", parse("true"))) == "Expression(source='true')"
    assert "node" not in repr(law.grounds[0]) and "origin" not in repr(law.grounds[0])


def _law(**parameters: Any) -> Law:
    return Law(id="x", title="X", kind="law", status="draft", ref="x.toml",
               parameters={k: Parameter(k, v) for k, v in parameters.items()})  # fmt: skip


def test_a_dated_parameter_on_a_date() -> None:
    mci = Parameter("MCI", ((dt.date(2024, 1, 1), 3692.0), (dt.date(2025, 1, 1), 3932.0)))
    assert value_on(mci, dt.date(2024, 6, 1)) == 3692.0
    assert value_on(mci, dt.date(2025, 1, 1)) == 3932.0
    assert value_on(mci, dt.date(2023, 12, 31)) is None
    assert value_on(Parameter("P", ((None, 2.5),)), dt.date(1900, 1, 1)) == 2.5
    assert parameters_at([_law(MCI=mci.values)], dt.date(2025, 6, 1)) == {"x": {"MCI": 3932.0}}
    with pytest.raises(EvaluationError, match="first value is from 2024-01-01") as err:
        parameters_at([_law(MCI=mci.values)], dt.date(2023, 6, 1))
    assert err.value.location.key == "parameters.MCI"
