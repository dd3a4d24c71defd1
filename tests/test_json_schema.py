"""Every command's ``--format json`` document against the documented JSON Schema.

The schema (``docs/schema/kzrehab-1.schema.json``) is the public contract of SPEC §7 made
checkable. Each command runs in process on a small synthetic population, against the real
drafts and the real git history of this repository (read only), and its document must
validate — both through the schema's own selection by shape and against the ``$defs`` entry
of its command. Negative tests show the schema rejects what breaks the contract, and the
last tests check what a schema cannot say: the order of lists and the sums that tie counts
together.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kzrehab.cli import main
from kzrehab.population import load_population

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "docs" / "schema" / "kzrehab-1.schema.json"
AS_OF = "2025-06-01"
SUPPRESS = 1000
RANK = {"ineligible": 0, "undetermined": 1, "eligible": 2}
#: keys whose integer values count claims (or changes of such counts) outside ``population``
COUNT_KEYS = frozenset({"eligible", "undetermined", "ineligible", "claims", "gained", "lost",
                        "applies", "holds", "unbounded"})  # fmt: skip

Doc = dict[str, Any]
Run = Callable[..., Doc]


def _git(*args: str) -> list[str]:
    """The words a read-only git command prints in the project's repository ([] without
    git, or when it fails)."""
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                              check=False, timeout=60)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    return done.stdout.split() if done.returncode == 0 else []


def _help(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main([command, "--help"])
    return out.getvalue()


#: the commits that touched drafts/bills, newest first
BILLS_HISTORY = _git("log", "--format=%H", "--", "drafts/bills")
needs_history = pytest.mark.skipif(
    len(BILLS_HISTORY) < 2 or not _git("rev-parse", "--verify", "--quiet", "HEAD~1"),
    reason="needs the project's git history (drafts/bills changed in at least two commits)",
)


def _suppressible(command: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        "--suppress-below" not in _help(command),
        reason=f"kzrehab {command} has no --suppress-below option yet",
    )


def _not_json(constant: str) -> Any:
    """Python reads NaN and Infinity; JSON has no such values (an unbounded side is null)."""
    raise ValueError(f"{constant} is not JSON")


#: a proposal whose payment has no cap: months of deportation are often unknown
UNCAPPED = """\
[law]
id = "uncapped"
title = "A payment with no cap"
kind = "proposal"
status = "draft"

[[article]]
number = "1"
text = "Persons deported are victims and receive 1000 a month of deportation."

  [[article.ground]]
  id = "deported"
  category = "deported"
  when = "exists(events[measure == 'deportation'])"

  [[article.component]]
  id = "payment"
  kind = "compensation"
  title = "Payment"
  recipients = ["victim", "spouse", "child", "grandchild", "descendant", "heir"]
  amount = "1000 * sum(events[measure == 'deportation'].months)"
"""


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 1,500-claim synthetic population; the cache in a temporary directory; cwd the
    project root (the drafts and their git history are read there, never written)."""
    tmp = tmp_path_factory.mktemp("json-schema")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KZREHAB_CACHE", str(tmp / "cache"))
        mp.chdir(ROOT)
        path = tmp / "tmp.npz"
        argv = ["population", "synth", "--size", "1500", "--seed", "3", "-o", str(path)]
        assert main(argv) == 0
        yield path


@pytest.fixture(scope="module")
def uncapped(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("uncapped") / "uncapped.toml"
    path.write_text(UNCAPPED, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, ...], Doc]:
    """Documents already made in this module, by command line."""
    return {}


@pytest.fixture
def run(population: Path, outputs: dict[tuple[str, ...], Doc],
        capsys: pytest.CaptureFixture[str]) -> Run:  # fmt: skip
    """Run ``kzrehab ARGV… --format json`` in process; return its parsed document."""

    def run_(*argv: str) -> Doc:
        if argv not in outputs:
            capsys.readouterr()
            code = main([*argv, "--population", str(population), "--as-of", AS_OF,
                         "--format", "json"])  # fmt: skip
            out, err = capsys.readouterr()
            assert code == 0, f"kzrehab {' '.join(argv)} exited {code}: {err}"
            outputs[argv] = json.loads(out, parse_constant=_not_json)
        return copy.deepcopy(outputs[argv])

    return run_


@pytest.fixture(scope="module")
def schema() -> Doc:
    loaded: Doc = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def validator(schema: Doc) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def validators(schema: Doc) -> dict[str, Draft202012Validator]:
    """One validator per command's ``$defs`` entry (the same schema, selection bypassed)."""
    base = {k: v for k, v in schema.items() if k not in ("if", "then", "else")}
    return {
        name: Draft202012Validator({**base, "$ref": f"#/$defs/{name}"},
                                   format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name in schema["$defs"] if name.endswith("_document")
    }  # fmt: skip


#: schema keywords whose subschemas describe only part of an object (or test a condition)
_PARTIAL = frozenset({"if", "then", "else", "not", "contains"})


def _closed(node: Any, partial: bool = False) -> Any:
    """The schema with ``unevaluatedProperties: false`` on every whole object it describes:
    an instance key that no ``properties`` of the schema names is then an error."""
    if isinstance(node, list):
        return [_closed(v, partial) for v in node]
    if not isinstance(node, dict):
        return node
    out: Doc = {}
    for key, value in node.items():
        if key == "$defs":  # envelope and coverage are parts of the documents' allOf
            out[key] = {name: _closed(d, name in ("envelope", "coverage"))
                        for name, d in value.items()}  # fmt: skip
        elif key == "properties":
            out[key] = {name: _closed(d) for name, d in value.items()}
        else:
            out[key] = _closed(value, key in _PARTIAL or key == "allOf")
    if (("properties" in node or "allOf" in node) and "additionalProperties" not in node
            and not partial):  # fmt: skip
        out["unevaluatedProperties"] = False
    return out


@pytest.fixture(scope="module")
def closed(schema: Doc) -> Draft202012Validator:
    """The schema with no room for keys it does not describe."""
    return Draft202012Validator(_closed(schema))


def errors_of(validator: Draft202012Validator, doc: Doc) -> list[str]:
    """The validation errors, one line each: where, and what."""
    out = []
    for e in validator.iter_errors(doc):
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        message = e.message if len(e.message) < 300 else e.message[:300] + "…"
        out.append(f"{where}: {message}")
    return out


def assert_valid(validator: Draft202012Validator, doc: Doc) -> None:
    errors = errors_of(validator, doc)
    assert not errors, "\n".join(errors[:20])


# -- the schema file --------------------------------------------------------------------------


def test_schema_file_is_json_and_a_draft_2020_12_schema() -> None:
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["schema_version"]["const"] == "kzrehab/1"


def _walk(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{where}/{i}")


def test_every_property_and_definition_has_a_description(schema: Doc) -> None:
    missing = []
    for where, node in _walk(schema, "#"):
        if not isinstance(node, dict):
            continue
        for key in ("properties", "$defs"):
            for name, sub in node.get(key, {}).items():
                if not (isinstance(sub, dict) and isinstance(sub.get("description"), str)
                        and sub["description"].strip()):  # fmt: skip
                    missing.append(f"{where}/{key}/{name}")
    assert not missing, f"without a description: {missing}"
    assert schema["description"].strip()


def test_every_ref_resolves(schema: Doc) -> None:
    refs = {n["$ref"] for _, n in _walk(schema, "#") if isinstance(n, dict) and "$ref" in n}
    assert refs
    for r in refs:
        assert r.startswith("#/$defs/"), r
        assert r.removeprefix("#/$defs/") in schema["$defs"], r


# -- every command's real output validates ----------------------------------------------------

CASES = [
    pytest.param(("coverage", "drafts/current"), "coverage_document", id="coverage"),
    pytest.param(("coverage", "drafts/current", "drafts/bills", "--claims"),
                 "coverage_document", id="coverage --claims"),
    pytest.param(("diff", "drafts/bills", "--from", "HEAD~1"), "comparison_document",
                 id="diff", marks=needs_history),
    pytest.param(("diff", "drafts/bills", "--from", "HEAD~1", "--claims"),
                 "comparison_document", id="diff --claims", marks=needs_history),
    pytest.param(("compare", "--base", "drafts/current", "--with", "drafts/bills"),
                 "comparison_document", id="compare"),
    pytest.param(("compare", "--base", "drafts/current", "--with", "drafts/bills",
                  "drafts/proposals", "--claims"), "comparison_document", id="compare --claims"),
    pytest.param(("log", "drafts/bills", "-n", "3"), "log_document", id="log",
                 marks=needs_history),
    pytest.param(("status", "drafts"), "status_document", id="status"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "definition"), CASES)
def test_command_output_validates(
    run: Run, validator: Draft202012Validator,
    validators: dict[str, Draft202012Validator], argv: tuple[str, ...], definition: str,
) -> None:  # fmt: skip
    doc = run(*argv)
    assert_valid(validator, doc)
    assert_valid(validators[definition], doc)


@pytest.mark.parametrize(("argv", "definition"), CASES)
def test_every_key_of_the_output_is_described(
    run: Run, closed: Draft202012Validator, argv: tuple[str, ...], definition: str
) -> None:
    """The docs page shows the schema: a key the commands write must be described in it
    (tools still accept unknown keys — only this test closes the objects)."""
    assert_valid(closed, run(*argv))


@needs_history
def test_diff_over_the_bills_whole_history_validates(
    run: Run, validator: Draft202012Validator, validators: dict[str, Draft202012Validator],
    closed: Draft202012Validator,
) -> None:  # fmt: skip
    """From the first commit of the bills: laws added, provisions reworded, rule-changed…"""
    doc = run("diff", "drafts/bills", "--from", BILLS_HISTORY[-1], "--claims")
    assert_valid(validator, doc)
    assert_valid(validators["comparison_document"], doc)
    assert_valid(closed, doc)
    changes = {part for p in doc["provisions"] for part in p["change"].split("+")}
    assert {"added", "reworded", "rule-changed"} <= changes
    assert doc["claims"]


def _claim_with_components(run: Run) -> Doc:
    doc = run("coverage", "drafts/current", "drafts/bills", "--claims")
    rows = [c for c in doc["claims"] if c["status"] == "eligible" and c["components"]]
    assert rows, "no eligible claim receives a component"
    with_amount = [c for c in rows if any(x["amount_range"] for x in c["components"])]
    claim: Doc = (with_amount or rows)[0]
    return claim


def test_explain_validates_and_agrees_with_coverage(
    run: Run, validator: Draft202012Validator, validators: dict[str, Draft202012Validator],
    closed: Draft202012Validator,
) -> None:  # fmt: skip
    claim = _claim_with_components(run)
    doc = run("explain", claim["id"], "drafts/current", "drafts/bills")
    assert_valid(validator, doc)
    assert_valid(validators["explain_document"], doc)
    assert_valid(closed, doc)
    assert doc["claim"] == claim["id"]
    assert doc["status"] == claim["status"]
    assert sorted(c for c, v in doc["categories"].items() if v == "eligible") == claim["categories"]
    assert sorted(g["id"] for g in doc["grounds"] if g["applies"] == "true") == claim["grounds"]
    received = sorted(c["id"] for c in doc["components"] if c["receives"] == "received")
    assert received == sorted(c["id"] for c in claim["components"])


def _changed_claim(run: Run) -> Doc:
    doc = run("compare", "--base", "drafts/current", "--with", "drafts/bills",
              "drafts/proposals", "--claims")  # fmt: skip
    moved = [c for c in doc["claims"] if c["from"] != c["to"]]
    assert moved, "no claim changes status between current law and the drafts"
    claim: Doc = moved[0]
    return claim


def test_explain_against_validates_and_agrees_with_compare(
    run: Run, validator: Draft202012Validator, validators: dict[str, Draft202012Validator],
    closed: Draft202012Validator,
) -> None:  # fmt: skip
    claim = _changed_claim(run)
    doc = run("explain", claim["id"], "drafts/current", "--against", "drafts/current",
              "drafts/bills", "drafts/proposals")  # fmt: skip
    assert_valid(validator, doc)
    assert_valid(validators["explain_against_document"], doc)
    assert_valid(closed, doc)
    assert (doc["status"], doc["against"]["status"]) == (claim["from"], claim["to"])
    assert doc["differences"]


def _json_examples(text: str) -> list[Doc]:
    """The documents in the ``.. code-block:: json`` blocks of a reStructuredText page."""
    lines, docs = text.splitlines(), []
    for i, line in enumerate(lines):
        if line.strip() != ".. code-block:: json":
            continue
        body = []
        for following in lines[i + 1 :]:
            if following.strip() and not following.startswith("   "):
                break
            body.append(following[3:])
        docs.append(json.loads("\n".join(body)))
    return docs


def test_the_examples_of_the_docs_page_validate(
    validator: Draft202012Validator, validators: dict[str, Draft202012Validator],
    closed: Draft202012Validator,
) -> None:  # fmt: skip
    text = (ROOT / "docs" / "json.rst").read_text(encoding="utf-8")
    assert ".. literalinclude:: schema/kzrehab-1.schema.json" in text
    coverage, comparison = _json_examples(text)
    for doc, definition in ((coverage, "coverage_document"),
                            (comparison, "comparison_document")):  # fmt: skip
        assert_valid(validator, doc)
        assert_valid(validators[definition], doc)
        assert_valid(closed, doc)
    assert sum(coverage["status"].values()) == coverage["population"]["claims"]
    _check_comparison(comparison)


def test_population_info_validates(
    population: Path, capsys: pytest.CaptureFixture[str], validator: Draft202012Validator,
    validators: dict[str, Draft202012Validator], closed: Draft202012Validator,
) -> None:  # fmt: skip
    """``population info`` is no evaluating command (no ``as_of``), but it carries the tag."""
    capsys.readouterr()
    assert main(["population", "info", str(population), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert_valid(validator, doc)
    assert_valid(validators["population_info_document"], doc)
    assert_valid(closed, doc)
    assert doc["population"]["claims"] == 1500
    doc["unknown_share"]["claim.claimant"] = 1.5
    assert errors_of(validator, doc), "a share above 1 validates"


def _unbounded_claim(run: Run, uncapped: str) -> str:
    doc = run("coverage", uncapped, "--claims")
    ids = [c["id"] for c in doc["claims"]
           if any(x["amount_range"] and x["amount_range"]["max"] is None
                  for x in c["components"])]  # fmt: skip
    assert ids, "no claim has an unbounded amount"
    return str(ids[0])


def test_an_unbounded_amount_is_null_in_coverage_and_compare(
    run: Run, validator: Draft202012Validator, uncapped: str
) -> None:
    doc = run("coverage", uncapped, "--claims")
    assert_valid(validator, doc)
    (row,) = doc["by_component"]
    assert row["amount"]["min"] is not None and row["amount"]["max"] is None
    _unbounded_claim(run, uncapped)
    doc = run("compare", "--base", "drafts/current", "--with", uncapped)
    assert_valid(validator, doc)
    (head,) = [r["head"] for r in doc["by_component"] if r["component"] == "uncapped:payment"]
    assert head["unbounded"] > 0 and head["amount"]["max"] is not None
    (row,) = [r for r in doc["head"]["by_component"] if r["component"] == "uncapped:payment"]
    assert row["amount"]["max"] is None


def test_explain_writes_an_unbounded_amount_as_null(
    run: Run, validator: Draft202012Validator, uncapped: str
) -> None:
    doc = run("explain", _unbounded_claim(run, uncapped), uncapped)
    assert_valid(validator, doc)
    (component,) = doc["components"]
    assert component["amount_range"]["max"] is None


# -- --suppress-below -------------------------------------------------------------------------

SUPPRESSED = [
    pytest.param(("coverage", "drafts/current"), id="coverage",
                 marks=_suppressible("coverage")),
    pytest.param(("diff", "drafts/bills", "--from", "HEAD~1"), id="diff",
                 marks=[needs_history, _suppressible("diff")]),
    pytest.param(("compare", "--base", "drafts/current", "--with", "drafts/bills",
                  "drafts/proposals"), id="compare", marks=_suppressible("compare")),
    pytest.param(("log", "drafts/bills", "-n", "3"), id="log",
                 marks=[needs_history, _suppressible("log")]),
    pytest.param(("status", "drafts"), id="status", marks=_suppressible("status")),
]  # fmt: skip


def _counts(node: Any, key: str | None = None) -> Iterator[tuple[str, Any]]:
    """(key, value) of every count or change of claims, outside ``population``."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "population":
                continue
            if k in COUNT_KEYS and (v is None or type(v) is int):
                yield k, v
            else:
                yield from _counts(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _counts(v, key)


def _objects(node: Any) -> Iterator[Doc]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)


@pytest.mark.parametrize("argv", SUPPRESSED)
def test_suppressed_output_validates_and_blanks_small_cells(
    run: Run, validator: Draft202012Validator, closed: Draft202012Validator,
    argv: tuple[str, ...],
) -> None:  # fmt: skip
    doc = run(*argv, "--suppress-below", str(SUPPRESS))
    assert_valid(validator, doc)
    assert_valid(closed, doc)
    assert doc.get("suppressed_below") == SUPPRESS, "the document must say it is suppressed"
    counts = list(_counts(doc))
    assert any(v is None for _, v in counts), "1,500 claims and K=1000: some cell is blanked"
    small = [(k, v) for k, v in counts if v is not None and abs(v) < SUPPRESS]
    assert not small, f"counts below {SUPPRESS} left in: {small[:10]}"
    for o in _objects(doc):
        if "claims" in o and "amount" in o and o["claims"] is None:
            assert o["amount"] is None, f"amount of a blanked count left in: {o}"
    assert doc["population"] == run(*argv)["population"], "the population is never blanked"


# -- the schema has teeth ---------------------------------------------------------------------

COVERAGE = ("coverage", "drafts/current")
CLAIMS = ("coverage", "drafts/current", "drafts/bills", "--claims")
COMPARE = ("compare", "--base", "drafts/current", "--with", "drafts/bills")
LOG = ("log", "drafts/bills", "-n", "3")
STATUS = ("status", "drafts")


def _first(rows: list[Doc], key: str) -> Doc:
    row: Doc = next(r for r in rows if r.get(key) is not None)
    return row


def _set_amount(doc: Doc, value: Any) -> None:
    _first(doc["by_component"], "amount")["amount"] = value


def _first_component(doc: Doc) -> Doc:
    claim = next(c for c in doc["claims"] if c["components"])
    component: Doc = claim["components"][0]
    return component


def _provision_change(change: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        doc["provisions"][0]["change"] = change

    return mutate


BROKEN: list[Any] = [
    pytest.param(COVERAGE, lambda d: d["status"].update(eligible="12"), id="count as a string"),
    pytest.param(COVERAGE, lambda d: d["status"].update(eligible=12.5), id="fractional count"),
    pytest.param(COVERAGE, lambda d: d["by_category"][0].update(eligible=-1),
                 id="negative count"),
    pytest.param(COVERAGE, lambda d: d["status"].pop("undetermined"), id="status count missing"),
    pytest.param(COVERAGE, lambda d: d.pop("schema"), id="schema missing"),
    pytest.param(COVERAGE, lambda d: d.update(schema="kzrehab/2"), id="schema wrong"),
    pytest.param(COVERAGE, lambda d: d.pop("as_of"), id="as_of missing"),
    pytest.param(COVERAGE, lambda d: d.update(as_of="1 June 2025"), id="as_of not ISO"),
    pytest.param(COVERAGE, lambda d: d["population"].pop("digest"), id="digest missing"),
    pytest.param(COVERAGE, lambda d: d["population"].update(synthetic="yes"),
                 id="synthetic not boolean"),
    pytest.param(COVERAGE, lambda d: d.pop("by_component"), id="by_component missing"),
    pytest.param(COVERAGE, lambda d: d["by_component"][0].update(kind="apology"),
                 id="unknown reparation kind"),
    pytest.param(COVERAGE, lambda d: _set_amount(d, {"min": 1.0}), id="amount without max"),
    pytest.param(COVERAGE, lambda d: _set_amount(d, [1.0, 2.0]), id="amount as a pair"),
    pytest.param(COVERAGE, lambda d: d["laws"][0].update(commit="HEAD"),
                 id="commit not a sha"),
    pytest.param(COVERAGE, lambda d: d["laws"][0].pop("ref"), id="law without ref"),
    pytest.param(CLAIMS, lambda d: d["claims"][0].update(status="pending"),
                 id="claim with unknown status"),
    pytest.param(CLAIMS, lambda d: d["claims"][0].update(grounds=["a:b", "a:b"]),
                 id="claim lists a ground twice"),
    pytest.param(CLAIMS, lambda d: _first_component(d).pop("amount_range"),
                 id="claim component without amount_range"),
    pytest.param(COMPARE, lambda d: d["transitions"][0].update(to="pending"),
                 id="transition to an unknown status"),
    pytest.param(COMPARE, lambda d: d["transitions"][0].pop("from"),
                 id="transition without from"),
    pytest.param(COMPARE, _provision_change("moved"), id="provision change moved"),
    pytest.param(COMPARE, _provision_change("added+moved"), id="provision change added+moved"),
    pytest.param(COMPARE, _provision_change("added+"), id="provision change trailing +"),
    pytest.param(COMPARE, _provision_change("Added"), id="provision change capitalised"),
    pytest.param(COMPARE, lambda d: d.update(attribution=[
        r for r in d["attribution"] if r["provision"] != "interaction"]),
        id="attribution without the interaction row"),
    pytest.param(COMPARE, lambda d: d["attribution"].append(dict(d["attribution"][-1])),
                 id="two interaction rows"),
    pytest.param(COMPARE, lambda d: d["base"].update(claims=[]), id="claims in the base"),
    pytest.param(COMPARE, lambda d: d.pop("head"), id="head missing"),
    pytest.param(LOG, lambda d: d["commits"][0]["change"].update(eligible=1.5),
                 id="log change not an integer", marks=needs_history),
    pytest.param(LOG, lambda d: d["commits"][0].pop("status"), id="log commit without status",
                 marks=needs_history),
    pytest.param(LOG, lambda d: d["commits"][0].update(date="yesterday"),
                 id="log date not ISO", marks=needs_history),
    pytest.param(STATUS, lambda d: d["laws"][0].update(kind="decree"), id="unknown law kind"),
    pytest.param(STATUS, lambda d: d["laws"][0].update(uncommitted="no"),
                 id="uncommitted not boolean"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "mutate"), BROKEN)
def test_schema_rejects_broken_documents(
    run: Run, validator: Draft202012Validator, argv: tuple[str, ...],
    mutate: Callable[[Doc], None],
) -> None:  # fmt: skip
    doc = run(*argv)
    assert_valid(validator, doc)
    mutate(doc)
    assert errors_of(validator, doc), "the broken document validates"


def test_schema_rejects_broken_explanations(run: Run, validator: Draft202012Validator) -> None:
    claim = _claim_with_components(run)
    doc = run("explain", claim["id"], "drafts/current", "drafts/bills")
    doc["grounds"][0]["applies"] = "maybe"
    assert errors_of(validator, doc)
    doc = run("explain", claim["id"], "drafts/current", "drafts/bills")
    doc["components"][0]["receives"] = "yes"
    assert errors_of(validator, doc)

    moved = _changed_claim(run)
    argv = ("explain", moved["id"], "drafts/current", "--against", "drafts/current",
            "drafts/bills", "drafts/proposals")  # fmt: skip
    doc = run(*argv)
    doc["against"]["status"] = "rehabilitated"
    assert errors_of(validator, doc)
    doc = run(*argv)
    category = {"id": "victim", "kind": "category", "value": "true", "against": None}
    doc["differences"].append(category)  # a category is eligible/undetermined, not true
    assert errors_of(validator, doc)


def _blank(node: Any) -> None:
    """Every count and change of claims (outside ``population``) and every amount → null."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "population":
                continue
            if (k in COUNT_KEYS and type(v) is int) or (k == "amount" and isinstance(v, dict)):
                node[k] = None
            else:
                _blank(v)
    elif isinstance(node, list):
        for v in node:
            _blank(v)


@pytest.mark.parametrize("argv", [
    pytest.param(COVERAGE, id="coverage"),
    pytest.param(COMPARE, id="compare"),
    pytest.param(LOG, id="log", marks=needs_history),
    pytest.param(STATUS, id="status"),
])  # fmt: skip
def test_every_count_and_change_may_be_null(
    run: Run, validator: Draft202012Validator, argv: tuple[str, ...]
) -> None:
    """What --suppress-below makes: counts, changes and amounts null, the population kept."""
    doc = run(*argv)
    _blank(doc)
    assert any(v is None for _, v in _counts(doc))
    assert_valid(validator, doc)
    doc["population"]["claims"] = None
    assert errors_of(validator, doc), "the population's size is never blanked"


def test_unknown_keys_are_allowed(
    run: Run, validator: Draft202012Validator, closed: Draft202012Validator
) -> None:
    """SPEC §7: more keys may be added; tools ignore those they do not know. (The closed
    schema of this module's tests does not, so that new keys get documented.)"""
    Draft202012Validator.check_schema(closed.schema)
    for where in ("document", "base", "category", "transition"):
        doc = run(*COMPARE)
        target = {"document": doc, "base": doc["base"], "transition": doc["transitions"][0],
                  "category": doc["base"]["by_category"][0]}[where]  # fmt: skip
        target["future"] = {"anything": [1, "two"]}
        assert_valid(validator, doc)
        assert errors_of(closed, doc), f"the closed schema accepts a new key in the {where}"


# -- what a schema cannot say: orders and sums ------------------------------------------------


def _ids(path: Path) -> list[str]:
    return [c.id for c in load_population(path).claims]


def test_coverage_counts_add_up_and_lists_are_sorted(run: Run) -> None:
    doc = run(*COVERAGE)
    assert sum(doc["status"].values()) == doc["population"]["claims"]
    cats = [r["category"] for r in doc["by_category"]]
    assert cats == sorted(set(cats))
    for row in doc["by_component"]:
        assert row["claims"] + row["undetermined"] <= doc["population"]["claims"]
        if row["amount"] is not None and None not in row["amount"].values():
            assert row["amount"]["min"] <= row["amount"]["max"]


def test_coverage_by_component_is_sorted_by_id(run: Run) -> None:
    for doc in (run(*COVERAGE), run(*COMPARE)["base"], run(*COMPARE)["head"]):
        ids = [r["component"] for r in doc["by_component"]]
        assert ids == sorted(set(ids))


def test_coverage_claims_are_in_population_order_and_hold_what_is_true(
    run: Run, population: Path
) -> None:
    doc = run(*CLAIMS)
    assert [c["id"] for c in doc["claims"]] == _ids(population)
    status = {s: sum(c["status"] == s for c in doc["claims"]) for s in RANK}
    assert status == doc["status"]
    for c in doc["claims"]:
        for key in ("categories", "grounds", "exclusions"):
            assert c[key] == sorted(set(c[key])), (c["id"], key)
        if c["status"] != "eligible":
            assert not c["categories"] and not c["components"], c["id"]
        for comp in c["components"]:
            rng = comp["amount_range"]
            if rng is None:
                assert comp["amount"] is None
            elif rng["min"] is not None and rng["min"] == rng["max"]:
                assert comp["amount"] == rng["min"]
            else:
                assert comp["amount"] is None


def test_coverage_claim_components_are_sorted_by_id(run: Run) -> None:
    for c in run(*CLAIMS)["claims"]:
        ids = [x["id"] for x in c["components"]]
        assert ids == sorted(set(ids)), c["id"]


def _check_comparison(doc: Doc) -> None:
    total = doc["population"]["claims"]
    pairs = [(t["from"], t["to"]) for t in doc["transitions"]]
    assert len(pairs) == len(set(pairs))
    assert all(t["claims"] > 0 for t in doc["transitions"])
    assert sum(t["claims"] for t in doc["transitions"]) == total
    for side, end in (("base", "from"), ("head", "to")):
        for s in RANK:
            n = sum(t["claims"] for t in doc["transitions"] if t[end] == s)
            assert doc[side]["status"][s] == n, (side, s)
    rises = sum(t["claims"] for t in doc["transitions"] if RANK[t["to"]] > RANK[t["from"]])
    falls = sum(t["claims"] for t in doc["transitions"] if RANK[t["to"]] < RANK[t["from"]])
    assert (doc.get("gained", rises), doc.get("lost", falls)) == (rises, falls)

    ranks = [(RANK[t["from"]], RANK[t["to"]]) for t in doc["transitions"]]
    assert ranks == sorted(ranks), "transitions by base status, then head status"

    ids = [p["id"] for p in doc["provisions"]]
    assert ids == sorted(set(ids))
    *rows, last = doc["attribution"]
    assert last["provision"] == "interaction"
    assert [r["provision"] for r in rows] == ids, "one attribution row per changed provision"


def test_compare_transitions_add_up_and_lists_are_sorted(run: Run, population: Path) -> None:
    doc = run(*COMPARE, "drafts/proposals", "--claims")
    _check_comparison(doc)
    assert doc["provisions"], "the drafts change current law"
    order = {c: i for i, c in enumerate(_ids(population))}
    where = [order[c["id"]] for c in doc["claims"]]
    assert where == sorted(where), "claims in population order"
    moved = sum(c["from"] != c["to"] for c in doc["claims"])
    assert moved == doc["gained"] + doc["lost"]


@needs_history
def test_diff_transitions_add_up_and_lists_are_sorted(run: Run) -> None:
    _check_comparison(run("diff", "drafts/bills", "--from", "HEAD~1"))
    _check_comparison(run("diff", "drafts/bills", "--from", BILLS_HISTORY[-1], "--claims"))


@needs_history
def test_log_is_newest_first_and_changes_are_differences(run: Run) -> None:
    doc = run(*LOG)
    commits = doc["commits"]
    assert 1 <= len(commits) <= 3
    assert [c["commit"] for c in commits] == BILLS_HISTORY[: len(commits)]
    dates = [c["date"] for c in commits]
    assert dates == sorted(dates, reverse=True)
    for row, older in zip(commits, [*commits[1:], None], strict=True):
        assert row["status"] is not None, row.get("error")
        assert sum(row["status"].values()) == doc["population"]["claims"]
        expected = row["status"] if older is None else {
            s: row["status"][s] - older["status"][s] for s in row["status"]}  # fmt: skip
        assert row["change"] == expected


def test_status_lists_every_law_and_the_laws_in_force(run: Run) -> None:
    doc = run(*STATUS)
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "drafts").rglob("*.toml")
                   if "cases" not in p.parts)
    assert sorted(r["file"] for r in doc["laws"]) == files
    assert doc["in_force"] == [r["id"] for r in doc["laws"] if r["status"] == "in-force"]
