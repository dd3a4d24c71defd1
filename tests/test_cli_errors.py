"""Bad input of any kind gives a clear error, exit status 2 and never a traceback (SPEC §7, §10).

Each test drives :func:`kzrehab.cli.main` in-process on a file written to ``tmp_path`` and
checks the exit status, that the message names the file (and the key or line where there is
one), and that standard error holds no traceback. Commands covered: ``check``,
``coverage``, ``explain`` and ``export``.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from kzrehab.cli import main

LAW = """\
[law]
id = "test-law"
title = "A test law"
kind = "law"
status = "in-force"
adopted = 1993-04-14

[parameters]
MCI = { 2024-01-01 = 3692 }

[definitions]
exiled = "events[measure == 'exile']"

[[article]]
number = "1"
heading = "Victims"
text = "Persons exiled are victims."

  [[article.ground]]
  id = "exiled-victim"
  category = "exiled"
  when = "exists(exiled)"

  [[article.component]]
  id = "payment"
  kind = "compensation"
  recipients = ["victim"]
  amount = "10 * MCI"
  period = "once"
"""

BILL = """\
[law]
id = "test-bill"
title = "A test bill"
kind = "bill"
status = "draft"

[[article]]
number = "1"
text = "Amendments."
"""

CLAIM: dict[str, Any] = {
    "id": "c1",
    "claimant": "victim",
    "victim_citizenship": "KZ",
    "events": [{"measure": "exile", "start": "1937-05", "place": "KZ", "motive": "political"}],
}


class Run:
    """The outcome of one command line: exit status, standard output and standard error."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def bad(self, *needles: str) -> None:
        """Exit status 2, no traceback, and every needle in the message."""
        assert self.status == 2, (self.status, self.out, self.err)
        assert "Traceback" not in self.err and "Traceback" not in self.out
        assert self.err.strip(), "no message on standard error"
        for needle in needles:
            assert needle in self.err, (needle, self.err)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def go(*argv: str | Path) -> Run:
        status = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return go


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def law_with(tmp_path: Path, old: str, new: str, name: str = "law.toml") -> Path:
    assert old in LAW
    return write(tmp_path, name, LAW.replace(old, new, 1))


def registry(tmp_path: Path, rows: Sequence[str | dict[str, Any]], name: str = "r.jsonl") -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    return write(tmp_path, name, "\n".join(lines) + "\n")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- the base files are good ---------------------------------------------------------------


def test_the_base_files_are_good(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    pop = registry(tmp_path, [CLAIM])
    assert run("check", law).status == 0
    assert run("coverage", law, "--population", pop, "--as-of", "2025-01-01").status == 0
    assert run("explain", "c1", law, "--population", pop, "--as-of", "2025-01-01").status == 0
    assert run("export", law, "--to", "akn").status == 0


# -- draft files -------------------------------------------------------------------------

COMMANDS = [
    ("check",),
    ("coverage", "--population", "POP"),
    ("explain", "c1", "--population", "POP"),
    ("export", "--to", "akn"),
]


def _argv(command: tuple[str, ...], law: Path, pop: Path) -> list[str | Path]:
    argv: list[str | Path] = [command[0]]
    rest = list(command[1:])
    if command[0] == "explain":
        argv.append(rest.pop(0))
    argv.append(law)
    argv += [pop if a == "POP" else a for a in rest]
    return argv


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("syntax.toml", '[law\nid = "x"\n', ["syntax.toml:1:", "TOML syntax error"]),
        ("binary.toml", b"\x00\x01\x02\xff\xfe", ["binary.toml", "binary"]),
        ("latin1.toml", '[law]\ntitle = "caf\xe9"\n'.encode("latin-1"), ["latin1.toml", "UTF-8"]),
        ("empty.toml", "", ["empty.toml", "empty"]),
        ("nolaw.toml", 'x = 1\n', ["nolaw.toml", "[law]"]),
        ("deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n", ["deep.toml"]),
    ],
    ids=["toml-syntax", "binary", "not-utf8", "empty", "no-law-table", "toml-nested-deep"],
)  # fmt: skip
def test_unreadable_drafts(
    run: Any, tmp_path: Path, command: tuple[str, ...], name: str, content: str | bytes,
    needles: list[str],
) -> None:  # fmt: skip
    law = write(tmp_path, name, content)
    pop = registry(tmp_path, [CLAIM])
    run(*_argv(command, law, pop)).bad(*needles)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_missing_draft_file(run: Any, tmp_path: Path, command: tuple[str, ...]) -> None:
    pop = registry(tmp_path, [CLAIM])
    run(*_argv(command, tmp_path / "nope.toml", pop)).bad("nope.toml", "no such file")


def test_a_directory_without_drafts(run: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run("check", tmp_path / "empty").bad("empty", "no draft")


def test_unknown_key_with_a_suggestion(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, 'title = "A test law"', 'titel = "A test law"')
    r = run("check", law)
    r.bad("law.toml:3:", "law.titel", "did you mean 'title'")


def test_unknown_key_in_a_provision(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, 'category = "exiled"', 'category = "exiled"\n  colour = "red"')
    run("check", law).bad("law.toml", "article[0].ground[0].colour")


def test_duplicate_provision_ids(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, 'id = "payment"', 'id = "exiled-victim"')
    run("check", law).bad("law.toml", "exiled-victim", "already used")


def test_two_files_with_one_law_id(run: Any, tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", LAW)
    b = write(tmp_path, "b.toml", LAW)
    run("check", a, b).bad("a.toml", "b.toml", "test-law")


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ('when = "exists(exiled)"', 'when = "exists(exiled"', ["law.toml:", "ground[0].when"]),
        ('when = "exists(exiled)"', 'when = "exists(events[measure == \'exil\'])"',
         ["did you mean 'exile'"]),
        ('when = "exists(exiled)"', 'when = "exists(event[measure == \'exile\'])"',
         ["law.toml:", "event"]),
        ('when = "exists(exiled)"', 'when = "victim_birth_year + 1"', ["condition"]),
        ('when = "exists(exiled)"', 'when = "victim_birth_year == \'KZ\'"', ["law.toml:"]),
        ('when = "exists(exiled)"', 'when = "1 < victim_birth_year < 3"', ["law.toml:"]),
        ('when = "exists(exiled)"', "when = \"measure == 'exile'\"", ["event"]),
        ('when = "exists(exiled)"', "when = \"exists(events[start > 1931-02-30])\"",
         ["law.toml:", "1931-02-30"]),
        ('amount = "10 * MCI"', 'amount = "10 * MCJ"', ["did you mean 'MCI'"]),
        ('amount = "10 * MCI"', 'amount = "exists(exiled)"', ["number"]),
        ("exiled = \"events[measure == 'exile']\"", 'exiled = "other"\nother = "exiled"',
         ["cycle"]),
        ("exiled = \"events[measure == 'exile']\"",
         "exiled = \"events[measure == 'exile']\"\nmeasure = \"1\"", ["measure"]),
    ],
    ids=[
        "syntax", "typo-enum", "typo-name", "not-a-condition", "type-error", "chained",
        "event-fact-outside-filter", "impossible-date", "typo-parameter", "amount-not-number",
        "definition-cycle", "definition-takes-a-fact-name",
    ],
)  # fmt: skip
def test_bad_expressions(run: Any, tmp_path: Path, old: str, new: str, needles: list[str]) -> None:
    law = law_with(tmp_path, old, new)
    run("check", law).bad("law.toml", *needles)


def test_negative_amount(run: Any, tmp_path: Path) -> None:
    # SPEC §4: reported by check where it can be seen, and at evaluation otherwise
    law = law_with(tmp_path, 'amount = "10 * MCI"', 'amount = "-10 * MCI"')
    pop = registry(tmp_path, [CLAIM])
    where = f"law.toml:{line_of(law.read_text(), '-10 * MCI')}:"
    run("check", law).bad(where, "component[0].amount", "negative")
    run("coverage", law, "--population", pop, "--as-of", "2025-01-01").bad(where, "negative")


def test_negative_amount_seen_only_at_evaluation(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, 'amount = "10 * MCI"', 'amount = "(1900 - victim_birth_year) * MCI"')
    pop = registry(tmp_path, [{**CLAIM, "victim_birth_year": 1920}])
    r = run("coverage", law, "--population", pop, "--as-of", "2025-01-01")
    r.bad("law.toml", "component[0].amount", "negative", "c1")


def test_expression_error_points_at_line_and_column(run: Any, tmp_path: Path) -> None:
    law = law_with(
        tmp_path, 'when = "exists(exiled)"', "when = \"exists(events[measure == 'exil'])\""
    )
    text = law.read_text()
    line = line_of(text, "'exil'")
    run("check", law).bad(f"law.toml:{line}:")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_expression_nested_thousands_deep(
    run: Any, tmp_path: Path, command: tuple[str, ...]
) -> None:
    deep = "(" * 5000 + "true" + ")" * 5000
    law = law_with(tmp_path, 'when = "exists(exiled)"', f'when = "{deep}"')
    pop = registry(tmp_path, [CLAIM])
    run(*_argv(command, law, pop)).bad("law.toml", "ground[0].when")


@pytest.mark.parametrize(
    "expr",
    [
        "not " * 3000 + "true",
        "-" * 3000 + "1 > 0",
        "exists(" * 2000 + "events" + ")" * 2000,
        "events" + "[true]" * 3000 + " == 1",
        "min(" * 2000 + "1" + ", 1)" * 2000 + " > 0",
    ],
    ids=["not", "unary-minus", "calls", "filters", "min"],
)
def test_other_deep_expressions(run: Any, tmp_path: Path, expr: str) -> None:
    law = law_with(tmp_path, 'when = "exists(exiled)"', f'when = "{expr}"')
    run("check", law).bad("law.toml", "ground[0].when")


def test_expression_megabytes_long(run: Any, tmp_path: Path) -> None:
    long = " or ".join(["victim_alive"] * 150_000)  # about 2.4 MB
    law = law_with(tmp_path, 'when = "exists(exiled)"', f'when = "{long}"')
    run("check", law).bad("law.toml", "ground[0].when", "limit")


def test_many_definitions_deep_through_names(run: Any, tmp_path: Path) -> None:
    chain = "\n".join(f'd{i} = "not d{i + 1}"' for i in range(3000)) + '\nd3000 = "true"'
    law = law_with(tmp_path, "exiled = \"events[measure == 'exile']\"",
                   "exiled = \"events[measure == 'exile']\"\n" + chain)  # fmt: skip
    r = run("check", law)
    r.bad("law.toml")


def test_file_over_the_size_limit(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZREHAB_MAX_FILE_BYTES", "100")
    law = write(tmp_path, "law.toml", LAW)
    run("check", law).bad("law.toml", "KZREHAB_MAX_FILE_BYTES")


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ("adopted = 1993-04-14", "adopted = 1931-02-30", ["law.toml:"]),
        ("adopted = 1993-04-14", 'adopted = "1993-04-14"', ["law.adopted", "without quotes"]),
        ("adopted = 1993-04-14", "adopted = 1993-04-14T10:00:00", ["law.adopted", "date-time"]),
        ("MCI = { 2024-01-01 = 3692 }", 'MCI = { "2024-02-30" = 3692 }', ["parameters.MCI"]),
        ("MCI = { 2024-01-01 = 3692 }", "MCI = nan", ["parameters.MCI"]),
        ('kind = "law"', 'kind = "lw"', ["law.kind", "did you mean 'law'"]),
        ('status = "in-force"', "status = 3", ["law.status"]),
        ('id = "test-law"', 'id = "Test Law"', ["law.id"]),
        ('number = "1"', "number = 1", ["article[0].number"]),
        ('recipients = ["victim"]', 'recipients = ["cousin"]', ["recipients"]),
        ('kind = "compensation"', 'kind = "money"', ["article[0].component[0].kind"]),
    ],
    ids=[
        "impossible-date", "quoted-date", "date-time", "bad-dated-parameter", "nan-parameter",
        "unknown-kind", "wrong-type", "bad-id", "integer-article-number", "unknown-recipient",
        "unknown-reparation-kind",
    ],
)  # fmt: skip
def test_bad_values(run: Any, tmp_path: Path, old: str, new: str, needles: list[str]) -> None:
    law = law_with(tmp_path, old, new)
    run("check", law).bad("law.toml", *needles)


# -- amendments and references -------------------------------------------------------------


def _bill(tmp_path: Path, amend: str) -> Path:
    return write(tmp_path, "bill.toml", BILL + textwrap.dedent(amend))


def test_amendment_of_a_missing_provision(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    bill = _bill(
        tmp_path,
        """
        [[article.amend]]
        id = "a1"
        law = "test-law"
        target = "no-such-ground"
        action = "repeal"
    """,
    )
    run("check", law, bill).bad("no-such-ground")


def test_amendment_of_a_missing_definition(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    bill = _bill(
        tmp_path,
        """
        [[article.amend]]
        id = "a1"
        law = "test-law"
        target = "definitions.nope"
        action = "replace"
        value = "true"
    """,
    )
    run("check", law, bill).bad("nope")


def test_amendment_with_an_unknown_action(run: Any, tmp_path: Path) -> None:
    bill = _bill(
        tmp_path,
        """
        [[article.amend]]
        id = "a1"
        law = "test-law"
        target = "exiled-victim"
        action = "delete"
    """,
    )
    run("check", bill).bad("bill.toml", "article[0].amend[0].action", "delete")


def test_amendment_with_a_field_its_action_cannot_take(run: Any, tmp_path: Path) -> None:
    bill = _bill(
        tmp_path,
        """
        [[article.amend]]
        id = "a1"
        law = "test-law"
        target = "exiled-victim"
        action = "repeal"
        when = "true"
    """,
    )
    run("check", bill).bad("bill.toml", "article[0].amend[0]")


def test_amendment_of_a_law_not_in_the_framework_is_reported(run: Any, tmp_path: Path) -> None:
    # SPEC §5: "An amendment of a law that is not in the framework is reported, not silently
    # dropped" -- a lint finding (exit 1), not bad input.
    bill = _bill(
        tmp_path,
        """
        [[article.amend]]
        id = "a1"
        law = "no-such-law"
        target = "x"
        action = "repeal"
    """,
    )
    r = run("check", bill)
    assert r.status == 1 and "Traceback" not in r.err
    assert "no-such-law" in r.out


def test_two_different_amendments_of_one_target(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    bill = _bill(
        tmp_path,
        """
        [[article.amend]]
        id = "a1"
        law = "test-law"
        target = "exiled-victim"
        action = "repeal"

        [[article.amend]]
        id = "a2"
        law = "test-law"
        target = "exiled-victim"
        action = "replace"
        when = "true"
    """,
    )
    run("check", law, bill).bad("a1", "a2")


def test_exclusion_naming_a_missing_ground(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, "  [[article.component]]", textwrap.indent(textwrap.dedent("""\
        [[article.exclusion]]
        id = "grave"
        when = "false"
        grounds = ["exiled-victm"]

        [[article.component]]"""), "  "))  # fmt: skip
    run("check", law).bad("law.toml", "exiled-victm", "did you mean 'test-law:exiled-victim'")


def test_component_instead_of_a_missing_component(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, 'amount = "10 * MCI"', 'amount = "10 * MCI"\n  instead_of = ["nope"]')
    run("check", law).bad("law.toml", "nope")


# -- registries ----------------------------------------------------------------------------


def _coverage(run: Any, tmp_path: Path, pop: Path) -> Run:
    law = write(tmp_path, "law.toml", LAW)
    r: Run = run("coverage", law, "--population", pop, "--as-of", "2025-01-01")
    return r


@pytest.mark.parametrize(
    ("rows", "needles"),
    [
        ([CLAIM, "{not json"], ["r.jsonl", "2"]),
        ([CLAIM, "[1, 2]"], ["r.jsonl", "2"]),
        ([CLAIM, "42"], ["r.jsonl", "2"]),
        ([{**CLAIM, "claimant": "cousin"}], ["r.jsonl", "1", "claimant", "cousin"]),
        ([{**CLAIM, "documentation": "rumour"}], ["r.jsonl", "documentation"]),
        ([{**CLAIM, "victim_died": "1931-02-30"}], ["r.jsonl", "victim_died"]),
        ([{**CLAIM, "victim_died": "yesterday"}], ["r.jsonl", "victim_died"]),
        ([{**CLAIM, "events": [{"start": "1937-13"}]}], ["r.jsonl", "events[0].start"]),
        ([{**CLAIM, "events": [{"measure": "exil"}]}], ["events[0].measure", "exile"]),
        ([{**CLAIM, "claimant_birth_year": "1950"}], ["r.jsonl", "claimant_birth_year"]),
        ([{**CLAIM, "claimant_birth_year": 1e400}], ["r.jsonl:1", "Infinity"]),
        ([{**CLAIM, "claimant_birth_year": 10**30}], ["r.jsonl", "claimant_birth_year"]),
        ([{**CLAIM, "victim_alive": "yes"}], ["r.jsonl", "victim_alive"]),
        ([{**CLAIM, "victim_citizenship": "kz"}], ["r.jsonl", "victim_citizenship"]),
        ([{**CLAIM, "events": {"measure": "exile"}}], ["r.jsonl", "events"]),
        ([{**CLAIM, "events": ["exile"]}], ["r.jsonl", "events[0]"]),
        ([{**CLAIM, "colour": "red"}], ["r.jsonl", "colour"]),
        ([{**CLAIM, "year": 1937}], ["r.jsonl", "year"]),
        ([{**CLAIM, "id": 7}], ["r.jsonl", "id"]),
        ([{k: v for k, v in CLAIM.items() if k != "id"}], ["r.jsonl", "id"]),
        ([CLAIM, CLAIM], ["r.jsonl", "c1"]),
    ],
    ids=[
        "invalid-json", "array-row", "number-row", "unknown-enum", "unknown-documentation",
        "impossible-date", "not-a-date", "bad-event-month", "typo-event-enum", "string-for-int",
        "float-overflow", "huge-int", "string-for-bool", "lowercase-country", "events-object",
        "event-not-object", "unknown-fact", "derived-fact", "int-id", "missing-id",
        "duplicate-id",
    ],
)  # fmt: skip
def test_malformed_registry_rows(
    run: Any, tmp_path: Path, rows: list[str | dict[str, Any]], needles: list[str]
) -> None:
    pop = registry(tmp_path, rows)
    _coverage(run, tmp_path, pop).bad(*needles)


def test_registry_row_line_number(run: Any, tmp_path: Path) -> None:
    rows: list[str | dict[str, Any]] = [
        {**CLAIM, "id": f"c{i}"} for i in range(1, 6)
    ]  # fmt: skip
    rows.append({**CLAIM, "id": "c6", "claimant": "cousin"})
    pop = registry(tmp_path, rows)
    _coverage(run, tmp_path, pop).bad("r.jsonl:6")


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("bin.jsonl", b"\x00\xff\xfe\x00garbage", ["bin.jsonl"]),
        ("latin.jsonl", '{"id": "caf\xe9"}\n'.encode("latin-1"), ["latin.jsonl"]),
        ("r.txt", "{}\n", ["r.txt"]),
        ("deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", ["deep.jsonl"]),
    ],
    ids=["binary", "not-utf8", "unknown-suffix", "json-nested-deep"],
)  # fmt: skip
def test_unreadable_registries(
    run: Any, tmp_path: Path, name: str, content: str | bytes, needles: list[str]
) -> None:
    pop = write(tmp_path, name, content)
    _coverage(run, tmp_path, pop).bad(*needles)


def test_missing_registry(run: Any, tmp_path: Path) -> None:
    _coverage(run, tmp_path, tmp_path / "nope.jsonl").bad("nope.jsonl")


def test_registry_is_a_directory_without_csv(run: Any, tmp_path: Path) -> None:
    (tmp_path / "reg").mkdir()
    _coverage(run, tmp_path, tmp_path / "reg").bad("claims.csv")


def test_too_many_events(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "3")
    pop = registry(tmp_path, [{**CLAIM, "events": CLAIM["events"] * 4}])
    _coverage(run, tmp_path, pop).bad("r.jsonl", "KZREHAB_MAX_EVENTS_PER_CLAIM")


def test_csv_registry_with_a_bad_cell(run: Any, tmp_path: Path) -> None:
    write(tmp_path, "r.csv", "id,claimant,claimant_birth_year\nc1,victim,nineteen\n")
    write(tmp_path, "r.events.csv", "claim_id,measure\nc1,exile\n")
    _coverage(run, tmp_path, tmp_path / "r.csv").bad("r.csv", "claimant_birth_year")


def test_csv_events_of_an_unknown_claim(run: Any, tmp_path: Path) -> None:
    write(tmp_path, "r.csv", "id,claimant\nc1,victim\n")
    write(tmp_path, "r.events.csv", "claim_id,measure\nc2,exile\n")
    _coverage(run, tmp_path, tmp_path / "r.csv").bad("r.events.csv", "c2")


# -- explain and options -------------------------------------------------------------------


def test_explain_an_unknown_claim(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    pop = registry(tmp_path, [CLAIM])
    run("explain", "claim-2", law, "--population", pop).bad("claim-2", "population 'r'")


@pytest.mark.parametrize("against", [(), ("--against", "LAW")])
def test_explain_with_the_arguments_in_the_wrong_order(
    run: Any, tmp_path: Path, against: tuple[str, ...]
) -> None:
    """Issue 16, item 8: ``explain LAW CLAIM_ID`` says which comes first."""
    law = write(tmp_path, "law.toml", LAW)
    pop = registry(tmp_path, [CLAIM])
    extra = [str(law) if a == "LAW" else a for a in against]
    r = run("explain", law, "c1", *extra, "--population", pop)
    r.bad(f"'{law}' is a path, not a claim id", "CLAIM_ID comes first: kzrehab explain CLAIM_ID")
    # every argument a path: the claim is looked up, not found, and the hint follows
    r = run("explain", law, law, *extra, "--population", pop)
    r.bad(f"no claim '{law}' in population 'r'", "CLAIM_ID comes first")
    # an id that is not a path gets no hint
    assert "comes first" not in run("explain", "c2", law, "--population", pop).err


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "2025-13-01"],
        ["--as-of", "1931-02-30"],
        ["--as-of", "tomorrow"],
        ["--format", "xml"],
        ["--colour"],
    ],
    ids=["month-13", "impossible-date", "not-a-date", "unknown-format", "unknown-option"],
)
def test_bad_option_values(run: Any, tmp_path: Path, args: list[str]) -> None:
    law = write(tmp_path, "law.toml", LAW)
    pop = registry(tmp_path, [CLAIM])
    r = run("coverage", law, "--population", pop, *args)
    r.bad(args[-1] if args[0] != "--colour" else "--colour")


def test_parameter_without_a_value_at_the_date(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    pop = registry(tmp_path, [CLAIM])
    run("coverage", law, "--population", pop, "--as-of", "2020-01-01").bad("MCI")


def test_no_command_and_unknown_command(run: Any) -> None:
    run().bad()
    run("frobnicate").bad("frobnicate")


def test_missing_arguments(run: Any) -> None:
    run("check").bad()
    run("explain").bad()
    run("export").bad()


def test_output_into_a_missing_folder(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    pop = registry(tmp_path, [CLAIM])
    out = tmp_path / "no" / "such" / "report.txt"
    run("coverage", law, "--population", pop, "-o", out).bad("report.txt")
    run("export", law, "--to", "akn", "-o", out).bad("report.txt")


def test_output_onto_a_directory(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    (tmp_path / "dir").mkdir()
    run("export", law, "--to", "akn", "-o", tmp_path / "dir").bad("dir")


# -- export --------------------------------------------------------------------------------


def test_export_to_an_unknown_format(run: Any, tmp_path: Path) -> None:
    law = write(tmp_path, "law.toml", LAW)
    run("export", law, "--to", "xml").bad("xml")


def test_export_of_a_directory_of_several_laws(run: Any, tmp_path: Path) -> None:
    write(tmp_path, "a.toml", LAW)
    write(tmp_path, "b.toml", BILL)
    run("export", tmp_path, "--to", "akn").bad("one law")


def test_export_of_an_ill_typed_law(run: Any, tmp_path: Path) -> None:
    law = law_with(tmp_path, 'when = "exists(exiled)"', 'when = "victim_birth_year"')
    run("export", law, "--to", "akn").bad("law.toml", "condition")


@pytest.mark.parametrize("command", ["coverage", "explain", "compare"])
def test_population_help_mentions_csv(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """``--population`` reads CSV too, and its help says so (issue 16, item 8)."""
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "CSV registry" in out and "events.csv" in out


def test_a_csv_events_file_without_measure(run: Any, tmp_path: Path) -> None:
    """Issue 16, item 8: no silent column of unknown measures; an events file of no events
    may still leave the column out."""
    law = write(tmp_path, "law.toml", LAW)
    write(tmp_path, "r.csv", "id\nc1\nc2\n")
    events = write(tmp_path, "r.events.csv", "claim_id,start,place\nc1,1937-05,KZ\n")
    r = run("coverage", law, "--population", tmp_path / "r.csv", "--as-of", "2025-01-01")
    r.bad(f"{events}:2", "no column 'measure'")
    write(tmp_path, "r.events.csv", "claim_id,start\n")
    assert run("coverage", law, "--population", tmp_path / "r.csv",
               "--as-of", "2025-01-01").status == 0  # fmt: skip
