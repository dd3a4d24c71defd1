"""The words of the reports' data for people: a label for each key of the JSON documents
and each field of the typed data, and for each enum value (``docs/json.rst``, *Labels*;
``docs/reports.rst``, *Tables: CSV, XLSX, Parquet*).

The keys and enum values themselves never change: they are the stable names programs read.
In Kazakh and Russian, the labels are what people read instead:

- a JSON document carries ``labels`` (:func:`with_labels`): the translated label of each
  key it uses and of each enum value it holds; in English it carries none, and its bytes
  are as they always were;
- a table's header row names its columns by their labels (:func:`column_label`), and a
  cell holding an enum value shows its label (:func:`cell_label`); in English the header
  row holds the keys themselves and the cells their values.
"""

from __future__ import annotations

__all__ = ["KEYS", "VALUES", "ENUM_KEYS", "SEPARATOR", "labelled", "key_label", "value_label",
           "column_label", "cell_label", "json_labels", "with_labels"]  # fmt: skip

from collections.abc import Mapping
from typing import Any

from ... import i18n
from ...i18n import N_, _

#: between the parts of a column's path in its label (``Figures · Status · Eligible``)
SEPARATOR = " · "

#: the label of each key of the JSON documents and each field of the reports' data
KEYS: Mapping[str, str] = {
    "adds": N_("Adds"),
    "against": N_("Against"),
    "against_amount": N_("Amount against"),
    "against_decided_by": N_("Decided by, against"),
    "always": N_("Always"),
    "amended_by": N_("Amended by"),
    "amount": N_("Amount"),
    "amount_range": N_("Amount range"),
    "amounts": N_("Amounts"),
    "applies": N_("Applies"),
    "article": N_("Article"),
    "articles": N_("Articles"),
    "as_of": N_("Assessment date"),
    "attribution": N_("Attribution"),
    "author": N_("Author"),
    "barred_by": N_("Barred by"),
    "base": N_("Base"),
    "by": N_("By"),
    "by_category": N_("By category"),
    "by_component": N_("By component"),
    "by_exclusion": N_("By exclusion"),
    "by_ground": N_("By ground"),
    "by_period": N_("By period"),
    "cache": N_("Cache"),
    "cap": N_("Cap"),
    "cap_set_by": N_("Cap set by"),
    "categories": N_("Categories"),
    "categories_gained": N_("Categories gained"),
    "categories_lost": N_("Categories lost"),
    "category": N_("Category"),
    "causes": N_("Causes"),
    "change": N_("Change"),
    "changed": N_("Changed"),
    "changes": N_("Changes"),
    "children": N_("Children"),
    "claim": N_("Claim"),
    "claims": N_("Claims"),
    "commit": N_("Commit"),
    "commits": N_("Commits"),
    "complete": N_("Complete"),
    "component": N_("Component"),
    "components": N_("Components"),
    "components_gained": N_("Components gained"),
    "components_lost": N_("Components lost"),
    "date": N_("Date"),
    "decided_by": N_("Decided by"),
    "deciders": N_("Deciders"),
    "decisive": N_("Decisive"),
    "definitions": N_("Definitions"),
    "differences": N_("Differences"),
    "digest": N_("Digest"),
    "direction": N_("Direction"),
    "directory": N_("Directory"),
    "eligible": N_("Eligible"),
    "entries": N_("Entries"),
    "error": N_("Error"),
    "evaluated": N_("Evaluated"),
    "event": N_("Event"),
    "events": N_("Events"),
    "exclusion": N_("Exclusion"),
    "exclusions": N_("Exclusions"),
    "exists": N_("Exists"),
    "expression": N_("Expression"),
    "fact": N_("Fact"),
    "facts": N_("Facts"),
    "field": N_("Field"),
    "fields": N_("Fields"),
    "figures": N_("Figures"),
    "file": N_("File"),
    "from": N_("From"),
    "gained": N_("Gained"),
    "gained_by_category": N_("Gained, by category"),
    "gained_overall": N_("Gained overall"),
    "gains": N_("Gains"),
    "gaps": N_("Gaps"),
    "ground": N_("Ground"),
    "grounds": N_("Grounds"),
    "groups": N_("Groups"),
    "head": N_("Head"),
    "hexsha": N_("Commit hash"),
    "higher": N_("Higher"),
    "holds": N_("Holds"),
    "id": N_("Identifier"),
    "in_force": N_("In force"),
    "ineligible": N_("Ineligible"),
    "key": N_("Key"),
    "keys": N_("Keys"),
    "kind": N_("Kind"),
    "kinds": N_("Kinds"),
    "labels": N_("Labels"),
    "last_change": N_("Last change"),
    "last_used": N_("Last used"),
    "law": N_("Law"),
    "laws": N_("Laws"),
    "laws_changed": N_("Laws changed"),
    "least_recently_used": N_("Least recently used"),
    "levels": N_("Levels"),
    "loses": N_("Loses"),
    "lost": N_("Lost"),
    "lost_by_category": N_("Lost, by category"),
    "lost_overall": N_("Lost overall"),
    "lower": N_("Lower"),
    "max": N_("Maximum"),
    "membership": N_("Membership"),
    "message": N_("Message"),
    "metadata": N_("Metadata"),
    "min": N_("Minimum"),
    "money": N_("Money"),
    "name": N_("Name"),
    "no": N_("No"),
    "notices": N_("Notices"),
    "open": N_("Open"),
    "parameters": N_("Parameters"),
    "partial_date_share": N_("Share of partial dates"),
    "path": N_("Path"),
    "paying": N_("Paying"),
    "period": N_("Period"),
    "population": N_("Population"),
    "provision": N_("Provision"),
    "provisions": N_("Provisions"),
    "ranking": N_("Ranking"),
    "received": N_("Received"),
    "receives": N_("Receives"),
    "redline": N_("Redline"),
    "redline_language": N_("Language of the redline"),
    "ref": N_("Reference"),
    "replaced_by": N_("Replaced by"),
    "schema": N_("Schema"),
    "scope": N_("Scope"),
    "set_by": N_("Set by"),
    "side": N_("Side"),
    "size": N_("Size"),
    "source": N_("Source"),
    "space": N_("Space"),
    "status": N_("Status"),
    "summary": N_("Summary"),
    "suppressed": N_("Suppressed"),
    "suppressed_below": N_("Suppressed below"),
    "synthetic": N_("Synthetic"),
    "target": N_("Target"),
    "text": N_("Text"),
    "title": N_("Title"),
    "to": N_("To"),
    "trace": N_("Trace"),
    "transitions": N_("Transitions"),
    "type": N_("Type"),
    "uncertain": N_("Uncertain"),
    "uncommitted": N_("Uncommitted"),
    "undetermined": N_("Undetermined"),
    "unknown_share": N_("Share unknown"),
    "unsettled": N_("Unsettled"),
    "value": N_("Value"),
    "values": N_("Values"),
    "version": N_("Version"),
    "versions": N_("Versions"),
    "victims": N_("Victims"),
    "when": N_("When"),
    "why": N_("Why"),
    "withheld": N_("Withheld"),
    "yes": N_("Yes"),
    # the per-claim table's columns (``--claims``; a component's or period's id follows ":")
    "status_from": N_("Status, base"),
    "status_to": N_("Status, head"),
    "levels_gained": N_("Levels gained"),
    "levels_lost": N_("Levels lost"),
    "receives_from": N_("Receives, base"),
    "receives_to": N_("Receives, head"),
    "money_change": N_("Change of money"),
    "money_direction": N_("Direction of money"),
}

#: the label of each enum value of the JSON documents (a status, a period, a kind, ...)
VALUES: Mapping[str, str] = {
    # claim statuses (docs/glossary.rst)
    "eligible": N_("eligible"),
    "undetermined": N_("undetermined"),
    "ineligible": N_("ineligible"),
    # three-valued truth
    "true": N_("true"),
    "false": N_("false"),
    "unknown": N_("unknown"),
    # forms of reparation (docs/glossary.rst)
    "restitution": N_("restitution"),
    "compensation": N_("compensation"),
    "rehabilitation": N_("rehabilitation (services)"),
    "satisfaction": N_("satisfaction"),
    "non-repetition": N_("guarantees of non-repetition"),
    # kinds and statuses of laws
    "law": N_("law"),
    "bill": N_("bill"),
    "proposal": N_("proposal"),
    "draft": N_("draft"),
    "introduced": N_("introduced"),
    "first-reading": N_("first reading"),
    "adopted": N_("adopted"),
    "in-force": N_("in force"),
    "withdrawn": N_("withdrawn"),
    # periods of payment
    "once": N_("once"),
    "month": N_("monthly"),
    # a redline's edits
    "keep": N_("kept"),
    "insert": N_("inserted"),
    "delete": N_("deleted"),
    # changes of laws and provisions
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "reworded": N_("reworded"),
    "translated": N_("translated"),
    "rule-changed": N_("rule changed"),
    "renumbered": N_("renumbered"),
    "amended": N_("amended"),
    # provision types
    "ground": N_("ground"),
    "exclusion": N_("exclusion"),
    "component": N_("component"),
    "amendment": N_("amendment"),
    "category": N_("category"),
    # levels of an outcome
    "status": N_("status"),
    "categories": N_("categories"),
    "components": N_("components"),
    "amounts": N_("amounts"),
    # how a claim receives a component
    "not": N_("not received"),
    "possible": N_("possibly received"),
    "received": N_("received"),
    # which way money moves
    "higher": N_("higher"),
    "lower": N_("lower"),
    "uncertain": N_("uncertain"),
    # attribution, categories
    "interaction": N_("interaction"),
    "(none)": N_("(no category)"),
    # an event in an event filter
    "in": N_("in"),
    "maybe": N_("maybe"),
    "out": N_("out"),
    # a gap's fact
    "claim": N_("claim"),
    "event": N_("event"),
    # why a component differs, and under which laws
    "instead_of": N_("replaced"),
    "amount": N_("amount"),
    "laws": N_("under the laws"),
    "against": N_("under the laws compared against"),
    "both": N_("under both"),
    # what the cache holds
    "population": N_("population"),
    "coverage": N_("coverage"),
    "records": N_("records"),
    # a three-valued yes/no of the per-claim table
    "yes": N_("yes"),
    "no": N_("no"),
}

#: the keys (and columns) whose words are enum values of :data:`VALUES`
ENUM_KEYS = frozenset({
    "status", "from", "to", "source", "target", "period", "kind", "change", "direction",
    "receives", "membership", "scope", "why", "side", "by", "type", "provision", "category",
    "value", "against", "categories", "status_from", "status_to", "receives_from",
    "receives_to", "money_direction", "levels_gained", "levels_lost",
})  # fmt: skip
#: the enum keys whose values are also ids (labelled only when the value is an enum value)
_ID_OR_ENUM = frozenset({"provision", "category", "value", "against"})


def labelled() -> bool:
    """Whether output is labelled: in Kazakh and Russian (English shows the keys and values
    themselves, as it always has)."""
    return i18n.current() != i18n.DEFAULT


def key_label(key: str) -> str:
    """The label of a key in the language of output (an unknown key: itself)."""
    label = KEYS.get(key)
    return key if label is None else _(label)


def value_label(value: str) -> str | None:
    """The label of an enum value (several joined by ``+`` or ``"; "``: each) in the
    language of output; None when it is not one."""
    sep = "; " if "; " in value else "+"
    parts = value.split(sep)
    if not all(p in VALUES for p in parts):
        return None
    return sep.join(_(VALUES[p]) for p in parts)


def column_label(column: str) -> str:
    """What a table's header shows for a column (or a table's name): the column itself in
    English; in Kazakh and Russian the label of each part of its path, ``NAME_min`` and
    ``NAME_max`` as NAME's label with *minimum* and *maximum*."""
    if not labelled():
        return column
    name, colon, id_ = column.partition(":")  # a per-claim column: NAME:ID (an id: as is)
    if colon:
        return column_label(name) + colon + id_
    parts = []
    for part in column.split("."):
        for end, label in (("_min", N_("{name}, minimum")), ("_max", N_("{name}, maximum"))):
            if part.endswith(end) and part[: -len(end)] in KEYS:
                parts.append(_(label).format(name=key_label(part[: -len(end)])))
                break
        else:
            parts.append(key_label(part))
    return SEPARATOR.join(parts)


def cell_label(column: str, value: Any) -> Any:
    """A cell as people read it: in Kazakh and Russian a yes/no is a word, and an enum value
    in a column of enum values (:data:`ENUM_KEYS`) its label; otherwise the value as it is."""
    if not labelled():
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and column.partition(":")[0].rsplit(".", 1)[-1] in ENUM_KEYS:
        label = value_label(value)
        return value if label is None else label
    return value


def json_labels(doc: Any) -> dict[str, dict[str, str]]:
    """The labels of a JSON document: ``keys`` (each key of :data:`KEYS` it uses) and
    ``values`` (each enum value it holds), in the language of output, sorted."""
    keys: set[str] = set()
    values: set[str] = set()

    def walk(node: Any, parent: str | None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in KEYS:
                    keys.add(k)
                if isinstance(v, str) and (k in ENUM_KEYS or parent == "categories"):
                    if value_label(v) is not None:
                        values.update(v.split("; " if "; " in v else "+"))
                else:
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                if isinstance(v, str) and parent in ENUM_KEYS and parent not in _ID_OR_ENUM:
                    if value_label(v) is not None:
                        values.update(v.split("+"))
                else:
                    walk(v, parent)

    walk(doc, None)
    return {"keys": {k: key_label(k) for k in sorted(keys)},
            "values": {v: _(VALUES[v]) for v in sorted(values)}}  # fmt: skip


def with_labels(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with ``labels`` added last (:func:`json_labels`) in Kazakh and Russian; in
    English ``doc`` itself."""
    if not labelled():
        return doc
    return {**doc, "labels": json_labels(doc)}
