"""Every command's ``--format json`` document against the documented JSON Schema.

The schema (``docs/schema/kzrehab-2.schema.json``) is the public contract of SPEC §7 made
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
SCHEMA_FILE = "kzrehab-2.schema.json"
SCHEMA_PATH = ROOT / "docs" / "schema" / SCHEMA_FILE
VERSION = "kzrehab/2"
AS_OF = "2025-06-01"
SUPPRESS = 1000
RANK = {"ineligible": 0, "undetermined": 1, "eligible": 2}
#: how a claim receives a component, in rising order
RECEIPT = {"not": 0, "possible": 1, "received": 2}
#: the levels of an outcome, in the order a claim's gains and loses list them
LEVELS = ("status", "categories", "components", "amounts")
PERIODS = ("once", "month")
#: keys whose integer values count claims (or changes of such counts) outside ``population``
COUNT_KEYS = frozenset({"eligible", "undetermined", "ineligible", "claims", "gained", "lost",
                        "applies", "holds", "paying", "higher", "lower",
                        "uncertain"})  # fmt: skip

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


def _parts(schema: Doc) -> frozenset[str]:
    """The ``$defs`` that are parts of an ``allOf`` somewhere (the envelope, the coverage,
    the counts of a level…): alone they describe only some keys of an object."""
    return frozenset(
        sub["$ref"].removeprefix("#/$defs/")
        for _, node in _walk(schema, "#") if isinstance(node, dict)
        for sub in node.get("allOf", []) if isinstance(sub, dict) and "$ref" in sub
    )  # fmt: skip


def _closed(node: Any, partial: bool = False, parts: frozenset[str] = frozenset(),
            condition: bool = False) -> Any:  # fmt: skip
    """The schema with ``unevaluatedProperties: false`` on every whole object it describes:
    an instance key that no ``properties`` of the schema names is then an error. A
    definition used as a part of an ``allOf`` is closed where it is used whole; nothing
    under a condition (``if``, ``then``, ``not``…) is closed, it describes only some keys."""
    if isinstance(node, list):
        return [_closed(v, partial, parts, condition) for v in node]
    if not isinstance(node, dict):
        return node
    out: Doc = {}
    for key, value in node.items():
        if key == "$defs":
            out[key] = {name: _closed(d, name in parts, parts) for name, d in value.items()}
        elif key == "properties":
            out[key] = {name: _closed(d, False, parts, condition) for name, d in value.items()}
        else:
            out[key] = _closed(value, key == "allOf", parts, condition or key in _PARTIAL)
    whole = "properties" in node or "allOf" in node
    whole = whole or str(node.get("$ref", "")).removeprefix("#/$defs/") in parts
    if whole and "additionalProperties" not in node and not partial and not condition:
        out["unevaluatedProperties"] = False
    return out


@pytest.fixture(scope="module")
def closed(schema: Doc) -> Draft202012Validator:
    """The schema with no room for keys it does not describe."""
    return Draft202012Validator(_closed(schema, parts=_parts(schema)))


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
    assert schema["$defs"]["schema_version"]["const"] == VERSION
    assert schema["title"] == VERSION
    assert schema["$id"] == "urn:kzrehab:schema:" + SCHEMA_FILE.removesuffix(".schema.json")


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
    pytest.param(("compare", "--base", "drafts/current", "--with", "drafts/proposals",
                  "--gaps"), "comparison_document", id="compare --gaps"),
    pytest.param(("log", "drafts/bills", "-n", "3"), "log_document", id="log",
                 marks=needs_history),
    pytest.param(("log", "drafts/bills", "-n", "3", "--base", "drafts/current"), "log_document",
                 id="log --base", marks=needs_history),
    pytest.param(("status", "drafts"), "status_document", id="status"),
    pytest.param(("gaps", "drafts/current", "drafts/bills", "--by", "component"),
                 "gaps_document", id="gaps"),
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
    assert f".. literalinclude:: schema/{SCHEMA_FILE}" in text
    assert f'"schema": "{VERSION}"' in text
    coverage, comparison, claim = _json_examples(text)
    for doc, definition in ((coverage, "coverage_document"),
                            (comparison, "comparison_document")):  # fmt: skip
        assert_valid(validator, doc)
        assert_valid(validators[definition], doc)
        assert_valid(closed, doc)
    assert sum(coverage["status"].values()) == coverage["population"]["claims"]
    _check_comparison(comparison)
    comparison["claims"] = [claim]  # one claim of the same comparison with --claims
    assert_valid(closed, comparison)
    assert claim["loses"] and claim["gains"], "the example claim both gains and loses"


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
    (total,) = [r["amount"] for r in doc["by_period"] if r["period"] == row["period"]]
    assert total["max"] is None, "a total with an unbounded part is unbounded"
    doc = run("compare", "--base", "drafts/current", "--with", uncapped)
    assert_valid(validator, doc)
    (head,) = [r["head"] for r in doc["by_component"] if r["component"] == "uncapped:payment"]
    (row,) = [r for r in doc["head"]["by_component"] if r["component"] == "uncapped:payment"]
    assert head == {k: row[k] for k in head}, "one tally: the breakdown is the head's row"
    assert head["amount"]["max"] is None
    (change,) = [r["change"] for r in doc["changes"]["amounts"]["by_component"]
                 if r["component"] == "uncapped:payment"]  # fmt: skip
    assert change["max"] is None and change["min"] is not None


def test_explain_writes_an_unbounded_amount_as_null(
    run: Run, validator: Draft202012Validator, uncapped: str
) -> None:
    doc = run("explain", _unbounded_claim(run, uncapped), uncapped)
    assert_valid(validator, doc)
    (component,) = doc["components"]
    assert component["amount_range"]["max"] is None


def test_explain_against_tells_an_amount_that_differs_and_why(
    run: Run, validator: Draft202012Validator, closed: Draft202012Validator, uncapped: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    """The same component paying twice as much: it differs only in its amount."""
    doubled = tmp_path / "doubled.toml"
    doubled.write_text(UNCAPPED.replace("1000", "2000"), encoding="utf-8")
    claims = run("coverage", uncapped, "--claims")["claims"]
    claim, amount = next((c["id"], x["amount_range"]) for c in claims for x in c["components"]
                         if x["amount_range"] and x["amount_range"]["min"]
                         and x["amount_range"]["max"] is not None)  # fmt: skip
    doc = run("explain", claim, str(doubled), "--against", uncapped)
    assert_valid(validator, doc)
    assert_valid(closed, doc)
    (diff,) = doc["differences"]
    assert (diff["kind"], diff["id"]) == ("component", "uncapped:payment")
    assert diff["value"] == diff["against"] == "received"
    assert diff["against_amount"] == amount
    assert diff["amount"] == {k: 2 * v for k, v in amount.items()}
    assert [c["why"] for c in diff["causes"]] == ["amount"]
    diff["causes"][0]["why"] = "because"
    assert errors_of(validator, doc), "a cause of an unknown kind validates"


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


def _pairs(
    raw: Any, shown: Any, parent: str | None = None
) -> Iterator[tuple[Doc, Doc, str | None]]:
    """Each object of a document with the same object of its suppressed copy, and the key
    it is under (``population`` and free text left out)."""
    if isinstance(raw, dict) and isinstance(shown, dict):
        yield raw, shown, parent
        for k, v in raw.items():
            if k not in ("population", "summary") and k in shown:
                yield from _pairs(v, shown[k], k)
    elif isinstance(raw, list) and isinstance(shown, list):
        assert len(raw) == len(shown), f"suppression changed the length of {parent}"
        for a, b in zip(raw, shown, strict=True):
            yield from _pairs(a, b, parent)


_MOVES = ("higher", "lower", "uncertain")


@pytest.mark.parametrize("argv", SUPPRESSED)
def test_suppressed_output_validates_and_blanks_small_cells(
    run: Run, validator: Draft202012Validator, closed: Draft202012Validator,
    argv: tuple[str, ...],
) -> None:  # fmt: skip
    """Counts of 1 to K - 1 claims are blanked, zeros published; an amount is blanked with
    its claim count or when fewer than K claims pay into it; a change of money when fewer
    than K claims' money changes."""
    doc, raw = run(*argv, "--suppress-below", str(SUPPRESS)), run(*argv)
    assert_valid(validator, doc)
    assert_valid(closed, doc)
    assert doc.get("suppressed_below") == SUPPRESS, "the document must say it is suppressed"
    counts = list(_counts(doc))
    assert any(v is None for _, v in counts), "1,500 claims and K=1000: some cell is blanked"
    small = [(k, v) for k, v in counts if v is not None and 0 < abs(v) < SUPPRESS]
    assert not small, f"counts below {SUPPRESS} left in: {small[:10]}"
    assert any(v == 0 for _, v in counts), "a zero is published"
    for before, after, parent in _pairs(raw, doc):
        status_cells = all(s in before for s in RANK)  # blanked in pairs (complementary)
        for k, v in before.items():
            if k not in COUNT_KEYS or type(v) is not int:
                continue
            if 0 < abs(v) < SUPPRESS:
                assert after[k] is None, (parent, k, v)
            elif after[k] is not None:
                assert after[k] == v, (parent, k)
            elif v == 0:
                assert status_cells or parent == "change", f"a zero {k} in {parent} is blanked"
        if isinstance(before.get("amount"), dict):
            few = type(before.get("paying")) is int and 0 < before["paying"] < SUPPRESS
            if after.get("claims", 0) is None or few:
                assert after["amount"] is None, f"amount of a blanked count left in: {after}"
            elif "paying" in before:
                assert after["amount"] == before["amount"], after
        if all(m in before for m in _MOVES) and isinstance(before.get("change"), dict):
            moved = sum(before[m] for m in _MOVES)
            if 0 < moved < SUPPRESS:
                assert after["change"] is None, f"change of few claims' money left in: {after}"
            else:
                assert after["change"] == before["change"], after
    assert doc["population"] == raw["population"], "the population is never blanked"


# -- the schema has teeth ---------------------------------------------------------------------

COVERAGE = ("coverage", "drafts/current")
CLAIMS = ("coverage", "drafts/current", "drafts/bills", "--claims")
COMPARE = ("compare", "--base", "drafts/current", "--with", "drafts/bills")
CHANGES = (*COMPARE, "drafts/proposals", "--claims")
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


def _paid(doc: Doc) -> Doc:
    row: Doc = next(r for r in doc["by_component"] if r["amount"] is not None)
    return row


def _claim_with(key: str) -> Callable[[Doc], Doc]:
    def first(doc: Doc) -> Doc:
        claim: Doc = next(c for c in doc["claims"] if c[key])
        return claim

    return first


_with_money, _with_amounts = _claim_with("money"), _claim_with("amounts")


def _money(doc: Doc) -> Doc:
    money: Doc = _with_money(doc)["money"][0]
    return money


def _component_gained(doc: Doc) -> Doc:
    move: Doc = next(c for c in doc["claims"] if c["components"]["gained"])["components"]
    return move


def _levels(doc: Doc) -> Doc:
    levels: Doc = next(r["levels"] for r in doc["attribution"] if r["levels"] is not None)
    return levels


def _interaction(doc: Doc) -> Doc:
    row: Doc = doc["attribution"][-1]
    return row


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
    pytest.param(COVERAGE, lambda d: d.update(schema="kzrehab/1"), id="schema of version 1"),
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
    pytest.param(COVERAGE, lambda d: _paid(d).update(period="year"), id="period year"),
    pytest.param(COVERAGE, lambda d: _paid(d).update(period=None),
                 id="amount without a period"),
    pytest.param(COVERAGE, lambda d: _paid(d).pop("paying"), id="component without paying"),
    pytest.param(COVERAGE, lambda d: d.pop("by_period"), id="by_period missing"),
    pytest.param(COVERAGE, lambda d: d["by_period"][0].update(period="weekly"),
                 id="total of an unknown period"),
    pytest.param(COVERAGE, lambda d: d["by_period"].append({"period": "once+month",
                                                            "amount": None}),
                 id="once and monthly added together"),
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
    pytest.param(COMPARE, lambda d: d.pop("changes"), id="changes missing"),
    pytest.param(COMPARE, lambda d: d.pop("lost"), id="lost missing"),
    pytest.param(COMPARE, lambda d: d["changes"].pop("amounts"), id="changes without amounts"),
    pytest.param(COMPARE, lambda d: d["changes"]["status"].pop("lost"),
                 id="changes of status without lost"),
    pytest.param(COMPARE, lambda d: d["changes"]["amounts"].pop("uncertain"),
                 id="amount changes without uncertain"),
    pytest.param(COMPARE, lambda d: d["changes"]["amounts"]["by_period"][0].update(
        period="year"), id="change of money in a year"),
    pytest.param(COMPARE, lambda d: d["changes"]["amounts"]["by_component"][0].update(
        change=[0, 1]), id="change of a component as a pair"),
    pytest.param(COMPARE, lambda d: d["changes"]["lost_by_category"][-1].update(
        category="(all)"), id="lost by an unknown category"),
    pytest.param(COMPARE, lambda d: d["by_component"][0]["base"].pop("paying"),
                 id="breakdown side without paying"),
    pytest.param(COMPARE, lambda d: d["by_component"][0].pop("period"),
                 id="breakdown without period"),
    pytest.param(COMPARE, lambda d: d["attribution"][0].pop("levels"),
                 id="attribution row without levels"),
    pytest.param(COMPARE, lambda d: _levels(d)["amounts"].update(lower=-1),
                 id="attribution levels with a negative count"),
    pytest.param(COMPARE, lambda d: _levels(d).pop("categories"),
                 id="attribution levels without categories"),
    pytest.param(COMPARE, lambda d: d["attribution"][0].update(amended_by="a:b"),
                 id="amended_by not a list"),
    pytest.param(COMPARE, lambda d: d["attribution"][0].update(amended_by=["a"]),
                 id="amended_by not a full id"),
    pytest.param(COMPARE, lambda d: d["attribution"][0].update(evaluated=False),
                 id="not evaluated but counted"),
    pytest.param(COMPARE, lambda d: _interaction(d).update(levels=_levels(d)),
                 id="interaction row with levels"),
    pytest.param(COMPARE, lambda d: d.update(summary="Nobody loses."), id="summary as a string"),
    pytest.param(CHANGES, lambda d: _money(d).update(direction="sideways"),
                 id="claim change in an unknown direction"),
    pytest.param(CHANGES, lambda d: _money(d).update(period="week"),
                 id="claim money in an unknown period"),
    pytest.param(CHANGES, lambda d: _money(d).update(direction="lower",
                                                     change={"min": 1.0, "max": 2.0}),
                 id="claim money lower but the change positive"),
    pytest.param(CHANGES, lambda d: _money(d).update(direction="higher",
                                                     change={"min": -1.0, "max": 2.0}),
                 id="claim money higher but it may fall"),
    pytest.param(CHANGES, lambda d: _money(d).update(direction="uncertain",
                                                     change={"min": 1.0, "max": 2.0}),
                 id="claim money uncertain but surely higher"),
    pytest.param(CHANGES, lambda d: _with_amounts(d)["amounts"][0].pop("direction"),
                 id="claim amount without direction"),
    pytest.param(CHANGES, lambda d: _with_amounts(d)["amounts"][0].update(base=None),
                 id="claim amount without a base range"),
    pytest.param(CHANGES, lambda d: d["claims"][0].update(gains=["money"]),
                 id="claim gains at an unknown level"),
    pytest.param(CHANGES, lambda d: d["claims"][0].pop("loses"), id="claim without loses"),
    pytest.param(CHANGES, lambda d: d["claims"][0].update(categories={"added": [],
                                                                      "removed": []}),
                 id="claim categories as in kzrehab/1"),
    pytest.param(CHANGES, lambda d: _component_gained(d)["gained"][0].update(to="maybe"),
                 id="component moved to maybe"),
    pytest.param(CHANGES, lambda d: _component_gained(d).update(gained=["a:b"]),
                 id="component gained as a bare id"),
    pytest.param(LOG, lambda d: d["commits"][0]["change"].update(eligible=1.5),
                 id="log change not an integer", marks=needs_history),
    pytest.param(LOG, lambda d: d["commits"][0].pop("status"), id="log commit without status",
                 marks=needs_history),
    pytest.param(LOG, lambda d: d["commits"][0].update(date="yesterday"),
                 id="log date not ISO", marks=needs_history),
    pytest.param(LOG, lambda d: d["commits"][0].pop("lost"), id="log commit without lost",
                 marks=needs_history),
    pytest.param(LOG, lambda d: d["commits"][0].update(gained=-3),
                 id="log commit gained negative", marks=needs_history),
    pytest.param(LOG, lambda d: d.pop("base"), id="log without base", marks=needs_history),
    pytest.param(LOG, lambda d: d.update(base="drafts/current"), id="log base not a list",
                 marks=needs_history),
    pytest.param(STATUS, lambda d: d["laws"][0].update(kind="decree"), id="unknown law kind"),
    pytest.param(STATUS, lambda d: d["laws"][0].update(uncommitted="no"),
                 id="uncommitted not boolean"),
    pytest.param(STATUS, lambda d: d["laws"][0]["adds"].pop("lost"), id="adds without lost"),
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

    def component(doc: Doc) -> Doc:
        found: Doc = next(x for x in doc["differences"] if x["kind"] == "component")
        return found

    doc = run(*argv)
    component(doc).pop("causes")
    assert errors_of(validator, doc), "a component's difference without causes"
    doc = run(*argv)
    component(doc)["against_amount"] = 12.0
    assert errors_of(validator, doc), "an amount that is no range"
    cause = {"provision": "a:b", "why": "ground", "side": "both", "text": "…", "decided_by": []}
    doc = run(*argv)
    component(doc)["causes"].append(dict(cause))
    assert_valid(validator, doc)
    for key, value in (("side", "neither"), ("why", "because"), ("provision", "interaction")):
        doc = run(*argv)
        component(doc)["causes"].append({**cause, key: value})
        assert errors_of(validator, doc), f"a cause with {key} {value}"


def _blank(node: Any) -> None:
    """Every count and change of claims (outside ``population``), every amount and every
    change of money → null."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "population":
                continue
            money = k in ("amount", "change") and isinstance(v, dict) and "min" in v
            if (k in COUNT_KEYS and type(v) is int) or money:
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
    if argv == COMPARE:
        assert doc["changes"]["amounts"]["by_period"][0]["change"] is None
        assert doc["base"]["by_period"][0]["amount"] is None
    doc["population"]["claims"] = None
    assert errors_of(validator, doc), "the population's size is never blanked"


def test_unknown_keys_are_allowed(
    run: Run, validator: Draft202012Validator, closed: Draft202012Validator
) -> None:
    """SPEC §7: more keys may be added; tools ignore those they do not know. (The closed
    schema of this module's tests does not, so that new keys get documented.)"""
    Draft202012Validator.check_schema(closed.schema)
    places: dict[str, Callable[[Doc], Doc]] = {
        "document": lambda d: d,
        "base": lambda d: d["base"],
        "category": lambda d: d["base"]["by_category"][0],
        "transition": lambda d: d["transitions"][0],
        "changes": lambda d: d["changes"],
        "amount changes": lambda d: d["changes"]["amounts"],  # an allOf of parts
        "change of a period": lambda d: d["changes"]["amounts"]["by_period"][0],
        "status changes": lambda d: d["changes"]["status"],  # a part used whole
        "levels of a row": _levels,
        "money of a row": lambda d: _levels(d)["amounts"],
        "claim": lambda d: d["claims"][0],
        "claim's money": _money,  # a part of a condition's allOf
    }
    for where, place in places.items():
        doc = run(*CHANGES)
        place(doc)["future"] = {"anything": [1, "two"]}
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


def _cents(x: float) -> int:
    return round(x * 100)


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
    changes = doc["changes"]
    assert changes["status"] == {"gained": rises, "lost": falls}

    ranks = [(RANK[t["from"]], RANK[t["to"]]) for t in doc["transitions"]]
    assert ranks == sorted(ranks), "transitions by base status, then head status"

    ids = [p["id"] for p in doc["provisions"]]
    assert ids == sorted(set(ids))
    *rows, last = doc["attribution"]
    assert last["provision"] == "interaction"
    own = [r["provision"] for r in rows]
    assert own == sorted(set(own)) and set(own) <= set(ids), "rows of changed items, by id"
    amenders = {a for r in rows for a in r["amended_by"]}
    for i in set(ids) - set(own):  # an amendment whose target has a row: the target's row
        assert i in amenders, f"{i} has no attribution row and amends no row"
    for r in rows:
        if r["levels"] is not None:
            _check_levels(r["gained"], r["lost"], r["levels"])
    _check_changes(doc)


def _check_levels(gained: int, lost: int, levels: Doc) -> None:
    """A claim gains (loses) when it gains (loses) at any level: at least as many as at
    the busiest level, at most as many as at all levels together."""
    gains = [levels[x]["gained"] for x in LEVELS[:3]] + [levels["amounts"]["higher"]]
    losses = [levels[x]["lost"] for x in LEVELS[:3]] + [levels["amounts"]["lower"]]
    assert max(gains) <= gained <= sum(gains), (gained, levels)
    assert max(losses) <= lost <= sum(losses), (lost, levels)


def _check_changes(doc: Doc) -> None:
    """The ``changes`` object against the document's totals and breakdowns."""
    changes = doc["changes"]
    _check_levels(doc["gained"], doc["lost"], changes)
    for level, rows, key in (("categories", doc["by_category"], "category"),
                             ("components", doc["by_component"], "component")):  # fmt: skip
        per = changes[level]["by_" + key]
        assert [r[key] for r in per] == [r[key] for r in rows], f"{level}: as the breakdown"
        for r in per:
            assert r["gained"] <= changes[level]["gained"] and r["lost"] <= changes[level]["lost"]
    kinds = {r["component"]: r["kind"] for r in doc["by_component"]}
    assert all(r["kind"] == kinds[r["component"]] for r in changes["components"]["by_component"])

    amounts = changes["amounts"]
    paid = {r["component"]: r["period"] for r in doc["by_component"] if r["period"] is not None}
    assert {r["component"]: r["period"] for r in amounts["by_component"]} == paid
    assert [r["component"] for r in amounts["by_component"]] == sorted(paid)
    periods = [r["period"] for r in amounts["by_period"]]
    moved = {r["period"] for r in amounts["by_component"] if any(r[m] for m in _MOVES)}
    assert periods == [p for p in PERIODS if p in moved], "once, then month, if they move"
    # a claim higher (lower) in a period is higher (lower) at the level of amounts; one
    # uncertain in a period or a component may be surely higher or lower overall (another
    # period or component decides), but it moved: a range that contains 0 and is not 0
    # cannot sum to exactly 0 (interval sums never narrow)
    moved_total = amounts["higher"] + amounts["lower"] + amounts["uncertain"]
    for r in amounts["by_period"]:
        assert r["higher"] <= amounts["higher"] and r["lower"] <= amounts["lower"]
    for r in [*amounts["by_period"], *amounts["by_component"]]:
        assert r["uncertain"] <= moved_total
        if not r["higher"] + r["lower"] + r["uncertain"]:
            assert r["change"] == {"min": 0.0, "max": 0.0}, r
        elif None not in r["change"].values():
            assert r["change"]["min"] <= r["change"]["max"], r
    for r in amounts["by_component"]:  # the change's range holds the change of each end
        (row,) = [c for c in doc["by_component"] if c["component"] == r["component"]]
        base, head = row["base"]["amount"] or {}, row["head"]["amount"] or {}
        for end, sign in (("min", -1), ("max", 1)):
            ends = (head.get(end, 0.0), base.get(end, 0.0), r["change"][end])
            if None not in ends:
                assert sign * _cents(ends[2]) >= sign * (_cents(ends[0]) - _cents(ends[1])), r

    for key, moved, side in (("gained_by_category", doc["gained"], "head"),
                             ("lost_by_category", doc["lost"], "base")):  # fmt: skip
        names = [r["category"] for r in changes[key]]
        assert names == [r["category"] for r in doc[side]["by_category"]] + ["(none)"], key
        assert all(r["claims"] <= moved for r in changes[key])
        assert sum(r["claims"] for r in changes[key]) >= moved, f"{key}: a claim is in none"


def _check_claims(doc: Doc, population: Path) -> None:
    """Each changed claim's changes, and the document's totals as the sums of them."""
    order = {c: i for i, c in enumerate(_ids(population))}
    where = [order[c["id"]] for c in doc["claims"]]
    assert where == sorted(where), "claims in population order"
    count: dict[tuple[str, ...], int] = {}
    cents: dict[tuple[str, ...], list[int | None]] = {}

    def add(*key: str) -> None:
        count[key] = count.get(key, 0) + 1

    def add_change(key: tuple[str, ...], change: Doc) -> None:
        now = cents.setdefault(key, [0, 0])
        for i, end in enumerate(("min", "max")):
            x, y = now[i], change[end]
            now[i] = None if x is None or y is None else x + _cents(y)

    for c in doc["claims"]:
        cats, comps = c["categories"], c["components"]
        assert (
            c["from"] != c["to"]
            or cats["gained"]
            or cats["lost"]
            or comps["gained"]
            or comps["lost"]
            or c["amounts"]
        ), f"{c['id']} is listed but did not change"
        gains = {
            "status": RANK[c["to"]] > RANK[c["from"]],
            "categories": bool(cats["gained"]),
            "components": bool(comps["gained"]),
            "amounts": any(m["direction"] == "higher" for m in c["money"]),
        }
        losses = {"status": RANK[c["to"]] < RANK[c["from"]], "categories": bool(cats["lost"]),
                  "components": bool(comps["lost"]),
                  "amounts": any(m["direction"] == "lower" for m in c["money"])}  # fmt: skip
        assert c["gains"] == [x for x in LEVELS if gains[x]], c["id"]
        assert c["loses"] == [x for x in LEVELS if losses[x]], c["id"]
        for key in ("gained", "lost"):
            assert cats[key] == sorted(set(cats[key])), c["id"]
            moves = [m["component"] for m in comps[key]]
            assert moves == sorted(set(moves)), c["id"]
            for m in comps[key]:
                up = RECEIPT[m["to"]] > RECEIPT[m["from"]]
                assert up == (key == "gained"), (c["id"], m)
                add("components", key, m["component"])
            for x in cats[key]:
                add("categories", key, x)
        assert not set(cats["gained"]) & set(cats["lost"])
        ids = [a["component"] for a in c["amounts"]]
        assert ids == sorted(set(ids)), c["id"]
        periods = [m["period"] for m in c["money"]]
        assert periods == [p for p in PERIODS if p in periods], "money: once, then month"
        for a in c["amounts"]:
            assert a["base"] != a["head"], (c["id"], a)
            add("amounts", a["direction"], a["component"])
            add_change(("amounts", a["component"]), a["change"])
        for m in c["money"]:
            assert m["change"] != {"min": 0.0, "max": 0.0}, (c["id"], m)
            assert m["period"] in {a["period"] for a in c["amounts"]}, (c["id"], m)
            add("money", m["direction"], m["period"])
            add_change(("money", m["period"]), m["change"])
        for level in LEVELS:
            if gains[level]:
                add("gains", level)
            if losses[level]:
                add("loses", level)
        if c["gains"]:
            add("gained")
        if c["loses"]:
            add("lost")

    changes = doc["changes"]
    assert (doc["gained"], doc["lost"]) == (count.get(("gained",), 0), count.get(("lost",), 0))
    for level in LEVELS[:3]:
        assert changes[level]["gained"] == count.get(("gains", level), 0), level
        assert changes[level]["lost"] == count.get(("loses", level), 0), level
    assert changes["amounts"]["higher"] == count.get(("gains", "amounts"), 0)
    assert changes["amounts"]["lower"] == count.get(("loses", "amounts"), 0)
    for r in changes["categories"]["by_category"]:
        for key in ("gained", "lost"):
            assert r[key] == count.get(("categories", key, r["category"]), 0), (r, key)
    for r in changes["components"]["by_component"]:
        for key in ("gained", "lost"):
            assert r[key] == count.get(("components", key, r["component"]), 0), (r, key)
    for level, key, rows in (("amounts", "component", changes["amounts"]["by_component"]),
                             ("money", "period", changes["amounts"]["by_period"])):  # fmt: skip
        for r in rows:
            for way in ("higher", "lower", "uncertain"):
                assert r[way] == count.get((level, way, r[key]), 0), (r, way)
            summed = cents.get((level, r[key]), [0, 0])
            got = [None if x is None else _cents(x) for x in r["change"].values()]
            assert got == summed, (r, "the change is the sum of the claims' changes")


def test_compare_transitions_add_up_and_lists_are_sorted(run: Run, population: Path) -> None:
    doc = run(*COMPARE, "drafts/proposals", "--claims")
    _check_comparison(doc)
    assert doc["provisions"], "the drafts change current law"
    _check_claims(doc, population)
    moved = sum(c["from"] != c["to"] for c in doc["claims"])
    assert moved == doc["changes"]["status"]["gained"] + doc["changes"]["status"]["lost"]


def test_compare_summary_opens_with_who_gains_and_loses(run: Run) -> None:
    doc = run(*COMPARE, "drafts/proposals")
    assert doc["summary"] and all(isinstance(s, str) and s.strip() for s in doc["summary"])
    if doc["lost"]:
        assert f"{doc['lost']:,}" in " ".join(doc["summary"][:2]), "the losers come first"
    assert any("synthetic" in s for s in doc["summary"]) == doc["population"]["synthetic"]
    assert "summary" not in run(*COVERAGE), "only diff and compare open with a summary"


@needs_history
def test_diff_transitions_add_up_and_lists_are_sorted(run: Run, population: Path) -> None:
    _check_comparison(run("diff", "drafts/bills", "--from", "HEAD~1"))
    doc = run("diff", "drafts/bills", "--from", BILLS_HISTORY[-1], "--claims")
    _check_comparison(doc)
    _check_claims(doc, population)


@needs_history
@pytest.mark.parametrize("base", [None, ["drafts/current"]], ids=["log", "log --base"])
def test_log_is_newest_first_and_changes_are_differences(run: Run, base: list[str] | None) -> None:
    argv = LOG if base is None else (*LOG, "--base", *base)
    doc = run(*argv)
    assert doc["base"] == base
    commits = doc["commits"]
    assert 1 <= len(commits) <= 3
    assert [c["commit"] for c in commits] == BILLS_HISTORY[: len(commits)]
    dates = [c["date"] for c in commits]
    assert dates == sorted(dates, reverse=True)
    listed = {c["commit"]: c for c in commits}
    for row in commits:
        assert row["status"] is not None, row.get("error")
        assert sum(row["status"].values()) == doc["population"]["claims"]
        # each row against its first parent; checked here when the parent is listed
        parent = _git("rev-parse", f"{row['commit']}^1")
        older = listed.get(parent[0]) if parent else None
        if older is None:
            continue
        assert row["change"] == {s: row["status"][s] - older["status"][s]
                                 for s in row["status"]}  # fmt: skip
        assert type(row["gained"]) is int and type(row["lost"]) is int, row
        if older is not None and any(row["change"].values()):
            assert row["gained"] + row["lost"] > 0, "a status moved: some claim gains or loses"


@needs_history
def test_a_log_step_is_the_diff_of_its_two_commits(run: Run) -> None:
    """log's gained and lost of a commit are diff's from its parent to it."""
    commits = run(*LOG)["commits"]
    if len(commits) < 2:
        pytest.skip("needs two commits of drafts/bills")
    doc = run("diff", "drafts/bills", "--from", f"{commits[0]['commit']}^1", "--to",
              commits[0]["commit"])  # fmt: skip
    assert (commits[0]["gained"], commits[0]["lost"]) == (doc["gained"], doc["lost"])


def test_status_lists_every_law_and_the_laws_in_force(run: Run) -> None:
    doc = run(*STATUS)
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "drafts").rglob("*.toml")
                   if "cases" not in p.parts)
    assert sorted(r["file"] for r in doc["laws"]) == files
    assert doc["in_force"] == [r["id"] for r in doc["laws"] if r["status"] == "in-force"]
    for r in doc["laws"]:
        adds = r["adds"]
        assert adds is not None, r.get("error")
        if adds["eligible"] or adds["undetermined"]:
            assert adds["gained"] + adds["lost"] > 0, "a status moved: some claim gains or loses"


def test_cache_info_validates(
    population: Path, capsys: pytest.CaptureFixture[str], validator: Draft202012Validator,
    validators: dict[str, Draft202012Validator], closed: Draft202012Validator,
) -> None:  # fmt: skip
    """``cache info`` is no evaluating command either; the module's cache holds an entry
    or more (the population fixture ran a command)."""
    capsys.readouterr()
    assert main(["coverage", "drafts/current", "--population", str(population), "--format",
                 "json"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["cache", "info", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["entries"], "the cache has an entry"
    assert_valid(validator, doc)
    assert_valid(validators["cache_info_document"], doc)
    assert_valid(closed, doc)
    assert errors_of(validators["coverage_document"], doc), "selected as a coverage"
    doc["kinds"][0]["kind"] = "other"
    assert errors_of(validator, doc), "an unknown kind validates"
