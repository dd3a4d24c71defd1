"""Loading draft files: the model built from TOML, and every way a draft can be wrong."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzrehab.errors import DraftError, KzrehabError, LimitError, RuleSyntaxError
from kzrehab.laws.loader import expand_paths, load_law_file, load_law_text, load_laws
from kzrehab.laws.parameters import value_on
from kzrehab.laws.provisions import Amendment, Component, Exclusion, Expression, Ground, Law
from kzrehab.rules import Op

DATA = Path(__file__).parent / "data" / "laws"

HEADER = """\
[law]
id = "test-law"
title = "A test law"
kind = "bill"
status = "draft"
"""


def draft(body: str = "", header: str = HEADER) -> str:
    return header + textwrap.dedent(body)


def load(text: str | bytes, file: str = "t.toml") -> Law:
    return load_law_text(text, file)


def fails(text: str | bytes, kind: type[KzrehabError] = DraftError) -> KzrehabError:
    with pytest.raises(kind) as info:
        load(text)
    return info.value


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The 1-based line and column of the ``nth`` occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def char_at(text: str, line: int, column: int) -> str:
    return text.split("\n")[line - 1][column - 1]


# -- what a good draft gives ------------------------------------------------------------


def test_loads_the_current_law() -> None:
    law = load_law_file(DATA / "current" / "rehabilitation-1993.toml")
    assert law.id == "rehabilitation-1993"
    assert (law.kind, law.status, law.version) == ("law", "in-force", "2021-amended")
    assert law.effective == law.adopted == dt.date(1993, 4, 14)
    assert law.published is None
    assert law.sources == ("Law of the Republic of Kazakhstan of 14 April 1993 No. 2143-XII",)
    assert law.ref == str(DATA / "current" / "rehabilitation-1993.toml")
    assert law.commit is None
    assert law.parameters["MCI"].values == (
        (dt.date(2024, 1, 1), 3692.0),
        (dt.date(2025, 1, 1), 3932.0),
    )
    assert law.parameters["ceiling"].values == ((None, 100.0),)
    assert set(law.definitions) == {"political", "self_incriminated"}
    assert [a.number for a in law.articles] == ["1", "3", "12"]
    assert [p.id for p in law.provisions()] == [
        "political-victim", "deported-family", "self-incrimination", "family-amnesty",
        "monthly-payment", "family-payment",
    ]  # fmt: skip
    ground, family = law.grounds
    assert ground.category == "political" and ground.article == "1"
    assert isinstance(ground.when.node, Op) and ground.when.node.op == "exists"
    # a provision's text defaults to its article's; its own text wins
    assert ground.text == law.articles[0].text
    assert family.text == "Members of their families deported with them."
    excl = law.exclusions[0]
    assert excl.unless is not None and excl.unless.source == "un_decision"
    assert excl.grounds == ()
    monthly, family_payment = law.components
    assert monthly.recipients == ("victim",) and monthly.title == "Monthly payment"
    # instead_of holds full ids
    assert family_payment.instead_of == ("rehabilitation-1993:monthly-payment",)


def test_origins_give_file_key_path_line_and_column() -> None:
    path = DATA / "current" / "rehabilitation-1993.toml"
    text = path.read_text()
    law = load_law_file(path)
    family = law.grounds[1]
    assert family.origin.key == "article[0].ground[1]"
    assert family.origin.file == str(path)
    assert (family.origin.line, family.origin.column) == where(text, "[[article.ground]]", 1)
    when = family.when.origin
    assert when.key == "article[0].ground[1].when"
    assert (when.line, when.column) == where(text, "exists(events[as_family_member")
    definition = law.definitions["political"].expr.origin
    assert definition.key == "definitions.political"
    assert (definition.line, definition.column) == where(text, "events[motive in")
    assert law.parameters["MCI"].origin.key == "parameters.MCI"
    assert law.parameters["MCI"].origin.line == where(text, "MCI =")[0]


def test_ref_and_commit_are_recorded() -> None:
    law = load_law_text(draft(), "shown.toml", ref="HEAD~1:drafts/x.toml", commit="a" * 40)
    assert (law.ref, law.commit) == ("HEAD~1:drafts/x.toml", "a" * 40)
    assert load_law_text(draft(), "shown.toml").ref == "shown.toml"


def test_provisions_keep_the_order_of_the_file() -> None:
    law = load(
        draft("""
            [[article]]
            number = "1"
              [[article.exclusion]]
              id = "first"
              when = "true"
              [[article.ground]]
              id = "second"
              category = "c"
              when = "true"
              [[article.component]]
              id = "third"
              kind = "satisfaction"
              recipients = ["victim"]
              [[article.ground]]
              id = "fourth"
              category = "c"
              when = "true"
            """)
    )
    assert [p.id for p in law.provisions()] == ["first", "second", "third", "fourth"]


def test_bytes_with_a_bom_and_crlf_load() -> None:
    text = draft("""
        [[article]]
        number = "5-1"
        heading = "  Padded  "
        text = \"\"\"
        Some text.
        \"\"\"
          [[article.ground]]
          id = "g"
          category = "with_underscore"
          when = "true"
        """)
    law = load(("\ufeff" + text.replace("\n", "\r\n")).encode())
    assert law.articles[0].number == "5-1"
    assert law.articles[0].heading == "Padded"
    assert law.articles[0].text == "Some text."
    assert law.grounds[0].category == "with_underscore"


def test_a_law_without_articles_is_valid() -> None:
    law = load(draft())
    assert law.articles == () and law.version == "" and law.sources == ()


# -- the file itself --------------------------------------------------------------------


def test_malformed_toml_gives_line_and_column() -> None:
    text = draft('\n[[article]]\nnumber = "1"\nheading = = "x"\n')
    err = fails(text)
    assert err.location.file == "t.toml"
    assert (err.location.line, err.location.column) == (9, 11)
    assert "TOML syntax error" in err.message
    assert "(at line" not in err.message
    assert str(err).startswith("t.toml:9:11: TOML syntax error")


def test_toml_error_at_the_end_of_the_document() -> None:
    err = fails(draft('\n[[article]]\nnumber = "1'))
    assert err.location.line == 8
    assert "end of the file" in err.message


def test_duplicate_toml_key_is_a_syntax_error() -> None:
    err = fails(draft('title = "again"\n'))
    assert "TOML syntax error" in err.message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(DraftError, match="binary") as info:
        load_law_file(path)
    assert info.value.location.file == str(path)
    assert "binary" in fails("a = 1\x00").message


def test_non_utf8_file_is_refused_with_its_line() -> None:
    data = draft('\n[[article]]\nnumber = "1"\ntext = "caf').encode() + b'\xe9"\n'
    err = fails(data)
    assert "not UTF-8" in err.message and "0xe9" in err.message
    assert err.location.line == 9


@pytest.mark.parametrize("text", ["", "   \n\n\t", b""])
def test_empty_file_is_refused(text: str | bytes) -> None:
    assert "empty" in fails(text).message


def test_file_without_law_table_is_refused() -> None:
    err = fails("# only a comment\n[parameters]\nx = 1\n")
    assert err.message == "the file has no [law] table"
    assert err.location.file == "t.toml"


def test_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZREHAB_MAX_FILE_BYTES", "100")
    path = tmp_path / "big.toml"
    path.write_text(draft("# " + "x" * 200 + "\n"))
    with pytest.raises(DraftError, match="exceeds the limit on file size") as info:
        load_law_file(path)
    assert "KZREHAB_MAX_FILE_BYTES" in info.value.message
    assert info.value.location.file == str(path)
    with pytest.raises(DraftError, match="exceeds the limit on file size"):
        load(draft("# " + "x" * 200 + "\n"))


def test_unreadable_file_is_a_draft_error(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="cannot read"):
        load_law_file(tmp_path)


# -- structure --------------------------------------------------------------------------

GROUND_WITH_TYPO = """
    [[article]]
    number = "1"
    [[article]]
    number = "2"
      [[article.ground]]
      id = "g"
      category = "c"
      when = "true"
      wen = "true"
    """


def test_unknown_key_is_an_error_with_suggestion_and_key_path() -> None:
    text = draft(GROUND_WITH_TYPO)
    err = fails(text)
    assert err.message == "'wen' is not a key of a ground; did you mean 'when'?"
    assert err.location.key == "article[1].ground[0].wen"
    assert (err.location.line, err.location.column) == where(text, '"true"', 1)
    assert str(err).startswith(f"t.toml:{err.location.line}:")


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ("\n[[articel]]\n", "articel", "not a key of a draft file; did you mean 'article'?"),
        ("\n[parameter]\nx = 1\n", "parameter", "did you mean 'parameters'?"),
        ('\n[[article]]\nnumber = "1"\nheadng = "h"\n', "article[0].headng", "'heading'"),
        (
            '\n[[article]]\nnumber = "1"\n[[article.amend]]\nid = "a"\nlaw = "l"\n'
            'target = "t"\naction = "repeal"\ntarget_law = "x"\n',
            "article[0].amend[0].target_law",
            "not a key of an amendment",
        ),
    ],
)
def test_unknown_keys_everywhere(body: str, key: str, message: str) -> None:
    err = fails(draft(body))
    assert err.location.key == key
    assert message in err.message


def test_unknown_key_of_the_law_table() -> None:
    err = fails(HEADER + 'titel = "x"\n')
    assert err.message == "'titel' is not a key of [law]; did you mean 'title'?"
    assert err.location.key == "law.titel"


def test_several_problems_are_reported_at_once() -> None:
    text = HEADER.replace('"bill"', '"bil"').replace('"draft"', '"drafft"') + textwrap.dedent(
        """
        effective = "2026-01-01"

        [[article]]
        number = 1
          [[article.ground]]
          id = "Bad_Id"
          category = "c"
          wen = "true"
          [[article.component]]
          id = "c"
          kind = "compensatoin"
          recipients = ["victim", "wife"]
        """
    )
    err = fails(text)
    assert type(err) is DraftError
    lines = str(err).splitlines()
    assert lines[0] == "t.toml: 9 problems:"
    body = "\n".join(lines[1:])
    for expected in [
        "law.kind: 'bil' is not a law kind",
        "law.status: 'drafft' is not a law status",
        "law.effective: a date is written without quotes",
        'article[0].number: an article number is text: write number = "1"',
        "article[0].ground[0].id: 'Bad_Id' is not an id",
        "article[0].ground[0]: a ground needs 'when'",
        "'wen' is not a key of a ground; did you mean 'when'?",
        "article[0].component[0].kind: 'compensatoin' is not a reparation kind",
        "article[0].component[0].recipients[1]: 'wife' is not a claimant",
    ]:
        assert expected in body
    # one problem per line, sorted by line, each naming file:line:column
    numbers = [int(line.split(":")[1]) for line in lines[1:]]
    assert numbers == sorted(numbers)
    assert all(line.startswith("  t.toml:") for line in lines[1:])


def test_the_list_of_problems_is_capped() -> None:
    body = "".join(f'\n[[article]]\nnumber = "{i}"\nx{i} = 1\n' for i in range(60))
    message = fails(draft(body)).message
    assert message.startswith("60 problems:")
    assert "… and 10 more" in message


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ('\n[[article]]\nnumber = "1"\nid = "Art 1"\n', "article[0].id", "is not an id"),
        (
            '\n[[article]]\nnumber = "1"\n[[article.ground]]\nid = "my_ground"\n'
            'category = "c"\nwhen = "true"\n',
            "article[0].ground[0].id",
            "'my_ground' is not an id: use a-z, 0-9 and '-'",
        ),
        (
            '\n[[article]]\nnumber = "1"\n[[article.ground]]\nid = "g"\n'
            'category = "Peasant"\nwhen = "true"\n',
            "article[0].ground[0].category",
            "is not a category",
        ),
        (
            '\n[[article]]\nnumber = "1"\n[[article.exclusion]]\nid = "e"\n'
            'when = "true"\ngrounds = ["ok", "other-law:ok", "a:b:c"]\n',
            "article[0].exclusion[0].grounds[2]",
            "'a:b:c' is not a provision id",
        ),
        ('\n[[article]]\nnumber = ""\n', "article[0].number", "cannot be empty"),
    ],
)
def test_bad_ids(body: str, key: str, message: str) -> None:
    err = fails(draft(body))
    assert err.location.key == key
    assert message in err.message


def test_bad_law_id() -> None:
    err = fails(HEADER.replace('"test-law"', '"Test Law"'))
    assert err.location.key == "law.id"
    assert (err.location.line, err.location.column) == (2, 6)


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ('\n[[article]]\nnumber = "1"\nheading = 5\n', "article[0].heading",
         "expected a string or a table of languages (kk, ru, en), found an integer (5)"),
        ("\n[[article]]\nnumber = 1.5\n", "article[0].number", "expected a string, found a float"),
        ('\n[article]\nnumber = "1"\n', "article", "expected an array, found a table"),
        ('\n[definitions]\nx = 3\n', "definitions.x", "expected a string, found an integer"),
        (
            '\n[[article]]\nnumber = "1"\n[[article.exclusion]]\nid = "e"\nwhen = "true"\n'
            'grounds = "g"\n',
            "article[0].exclusion[0].grounds",
            "expected an array, found a string",
        ),
    ],
)  # fmt: skip
def test_wrong_types(body: str, key: str, message: str) -> None:
    err = fails(draft(body))
    assert err.location.key == key
    assert message in err.message


@pytest.mark.parametrize(
    ("top", "key", "message"),
    [
        ('article = ["x"]\n', "article[0]", "expected a table, found a string"),
        ("parameters = 3\n", "parameters", "expected a table, found an integer"),
        ("law = 3\n", "law", "expected a table, found an integer"),
    ],
)
def test_wrong_types_at_the_top(top: str, key: str, message: str) -> None:
    err = fails(top + (HEADER if not top.startswith("law") else ""))
    assert err.location.key == key
    assert message in err.message


def test_missing_required_keys() -> None:
    err = fails(draft('\n[[article]]\nheading = "h"\n'))
    assert err.message == "an article needs 'number'"
    assert err.location.key == "article[0]"
    err = fails("[law]\nid = 'x'\ntitle = 't'\nkind = 'law'\n")
    assert err.message == "[law] needs 'status'"


def test_sources_must_be_strings() -> None:
    err = fails(HEADER + "sources = ['a', 3]\n")
    assert err.location.key == "law.sources[1]"


# -- duplicates -------------------------------------------------------------------------


def test_duplicate_provision_ids_name_both_key_paths() -> None:
    text = draft("""
        [[article]]
        number = "1"
          [[article.ground]]
          id = "same"
          category = "c"
          when = "true"
        [[article]]
        number = "2"
          [[article.component]]
          id = "same"
          kind = "satisfaction"
          recipients = ["victim"]
        """)
    err = fails(text)
    assert err.message == "provision id 'same' is already used by article[0].ground[0]"
    assert err.location.key == "article[1].component[0].id"
    assert (err.location.line, err.location.column) == where(text, '"same"', 1)


def test_duplicate_article_numbers_and_ids() -> None:
    err = fails(
        draft('\n[[article]]\nnumber = "1"\nid = "a"\n[[article]]\nnumber = "1"\nid = "a"\n')
    )
    assert str(err).count("\n") == 2
    assert "article number '1' is already used by article[0]" in err.message
    assert "article id 'a' is already used by article[0]" in err.message


def test_duplicate_law_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(draft())
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c.toml").write_text(draft())
    with pytest.raises(DraftError, match="law id 'test-law' is used by both") as info:
        load_laws([tmp_path])
    assert str(tmp_path / "a.toml") in info.value.message
    assert str(tmp_path / "b" / "c.toml") in info.value.message


def test_duplicate_list_entries() -> None:
    err = fails(
        draft("""
            [[article]]
            number = "1"
              [[article.component]]
              id = "c"
              kind = "satisfaction"
              recipients = ["victim", "child", "victim"]
            """)
    )
    assert err.location.key == "article[0].component[0].recipients[2]"
    assert "listed twice" in err.message


# -- kinds, statuses, dates ---------------------------------------------------------------


def test_bad_kind_and_status_have_suggestions() -> None:
    err = fails(HEADER.replace('"bill"', '"proposl"'))
    assert err.message == (
        "'proposl' is not a law kind (law | bill | proposal); did you mean 'proposal'?"
    )
    assert err.location.key == "law.kind"
    err = fails(HEADER.replace('"draft"', '"in_force"'))
    assert "did you mean 'in-force'?" in err.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('effective = "2026-01-01"', "a date is written without quotes: 2026-01-01"),
        ("adopted = 2025-12-20T10:00:00", "expected a date, found a date-time: write 2025-12-20"),
        ("published = 10:00:00", "expected a date (YYYY-MM-DD, without quotes), found a time"),
        ("effective = 2026", "found an integer (2026)"),
    ],
)
def test_bad_law_dates(line: str, message: str) -> None:
    err = fails(HEADER + line + "\n")
    assert message in err.message
    assert err.location.key == "law." + line.split()[0]


def test_impossible_parameter_date_names_the_key() -> None:
    text = draft("\n[parameters]\nMCI = { 2024-01-01 = 3692, 2024-02-30 = 3700 }\n")
    err = fails(text)
    assert err.location.key == "parameters.MCI.2024-02-30"
    assert err.message.startswith("'2024-02-30' is not a date")
    assert (err.location.line, err.location.column) == where(text, "3700")


@pytest.mark.parametrize(
    ("value", "key", "message"),
    [
        ('{ "2024-1-1" = 3 }', "parameters.P.2024-1-1", "write it as YYYY-MM-DD"),
        ("{ 2024-01-01 = 'x' }", "parameters.P.2024-01-01", "expected a number, found a string"),
        ("{}", "parameters.P", "needs at least one value"),
        ("'3'", "parameters.P", "expected a number or a table of dated numbers"),
        ("true", "parameters.P", "expected a number, found a boolean"),
        ("nan", "parameters.P", "not a finite number"),
        ("[1, 2]", "parameters.P", "expected a number, found an array"),
    ],
)
def test_bad_parameter_values(value: str, key: str, message: str) -> None:
    err = fails(draft(f"\n[parameters]\nP = {value}\n"))
    assert err.location.key == key
    assert message in err.message


def test_parameter_values_are_sorted_by_date() -> None:
    law = load(draft("\n[parameters]\nP = { 2025-01-01 = 2, 2024-01-01 = 1 }\nQ = 2.5\n"))
    assert law.parameters["P"].values == ((dt.date(2024, 1, 1), 1.0), (dt.date(2025, 1, 1), 2.0))
    assert value_on(law.parameters["P"], dt.date(2024, 6, 1)) == 1.0
    assert law.parameters["Q"].values == ((None, 2.5),)


# -- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "name", "message"),
    [
        ("parameters", "year", "'year' is a fact of the vocabulary: a parameter cannot take"),
        ("parameters", "claimant", "is a fact of the vocabulary"),
        ("definitions", "and", "'and' is a keyword of the rule language"),
        ("definitions", "events", "is a keyword of the rule language"),
        ("definitions", "count", "'count' is a function of the rule language"),
        ("parameters", "max", "is a function of the rule language"),
        ("parameters", "2x", "'2x' is not a valid parameter name"),
        ("definitions", "bad-name", "'bad-name' is not a valid definition name"),
    ],
)
def test_reserved_and_bad_names(table: str, name: str, message: str) -> None:
    value = "1" if table == "parameters" else "'true'"
    err = fails(draft(f"\n[{table}]\n{name} = {value}\n"))
    assert message in err.message
    assert err.location.key == f"{table}.{name}"


def test_a_name_cannot_be_both_a_parameter_and_a_definition() -> None:
    err = fails(draft("\n[parameters]\nx = 1\n[definitions]\nx = 'true'\n"))
    assert err.message == "'x' is both a parameter and a definition"
    assert err.location.key == "definitions.x"


# -- expressions ------------------------------------------------------------------------


def test_expression_error_points_at_the_character_in_the_file() -> None:
    text = draft("""
        [[article]]
        number = "1"
          [[article.ground]]
          id = "g"
          category = "c"
          when = "exists(events[measure == 'exile' and ])"
        """)
    err = fails(text, RuleSyntaxError)
    assert err.location.key == "article[0].ground[0].when"
    assert err.location.file == "t.toml"
    assert (err.location.line, err.location.column) == where(text, "])")
    assert err.message == "unexpected ']'"
    assert str(err).startswith(f"t.toml:{err.location.line}:{err.location.column}: article")


def test_expression_error_in_a_multiline_string() -> None:
    text = draft('''
        [[article]]
        number = "1"
          [[article.exclusion]]
          id = "e"
          when = """
        exists(events[
            measure == 'exile' and
            outcome === 'pardon'])"""
        ''')
    err = fails(text, RuleSyntaxError)
    line, column = err.location.line, err.location.column
    assert line is not None and column is not None
    assert (line, column) == where(text, "= 'pardon'")
    assert char_at(text, line, column) == "="


def test_expression_error_behind_escapes() -> None:
    text = draft(r"""
        [[article]]
        number = "1"
          [[article.ground]]
          id = "g"
          category = "c"
          when = "measure == \u0027exile\u0027 and \"x\""
        """)
    err = fails(text, RuleSyntaxError)
    assert err.message.startswith("strings are written in single quotes")
    assert (err.location.line, err.location.column) == where(text, '\\"x')


def test_expression_error_in_a_literal_string_and_a_definition() -> None:
    text = draft("""
        [definitions]
        ok = 'true'
        broken = '1 + * 2'
        """)
    err = fails(text, RuleSyntaxError)
    assert err.location.key == "definitions.broken"
    assert (err.location.line, err.location.column) == where(text, "* 2")


_INSIDE = st.text(st.characters(codec="utf-8", exclude_characters="'\\\n"), max_size=12)


def _toml_basic(text: str, escapes: list[bool]) -> str:
    out = []
    for ch, escape in zip(text, escapes + [False] * len(text), strict=False):
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F or (escape and ch != "@"):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


@given(
    inside=_INSIDE,
    gap=st.sampled_from([" ", "  ", "\t", "\n", " \n  "]),
    style=st.sampled_from(["basic", "multi-basic", "multi-literal"]),
    escapes=st.lists(st.booleans(), max_size=40),
)
def test_expression_errors_point_at_the_offending_character(
    inside: str, gap: str, style: str, escapes: list[bool]
) -> None:
    if style == "basic":
        gap = gap.replace("\n", " ")
    source = f"x == '{inside}' and{gap}@"
    controls = any((ord(c) < 0x20 and c not in "\t\n") or ord(c) == 0x7F for c in source)
    if style == "basic":
        value = '"' + _toml_basic(source, escapes) + '"'
    elif style == "multi-basic" or controls:
        value = '"""\n' + _toml_basic(source, escapes).replace("\\u000a", "\n") + '"""'
    else:
        value = "'''\n" + source + "'''"
    text = draft(f"\n[definitions]\nd = {value}\n")
    with pytest.raises(RuleSyntaxError) as info:
        load(text)
    err = info.value
    assert err.location.key == "definitions.d"
    line, column = err.location.line, err.location.column
    assert line is not None and column is not None
    assert char_at(text, line, column) == "@"


def test_an_expression_over_a_limit_keeps_its_error_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_LENGTH", "10")
    text = draft("\n[definitions]\nlong = 'exists(events[true])'\n")
    err = fails(text, LimitError)
    assert "exceeds the limit on expression length" in err.message
    assert err.location.key == "definitions.long"
    assert (err.location.line, err.location.column) == where(text, "exists")


def test_empty_expression_is_an_error() -> None:
    err = fails(draft('\n[definitions]\nx = ""\n'), RuleSyntaxError)
    assert "empty" in err.message


def test_several_expression_errors_are_reported_together() -> None:
    text = draft("""
        [[article]]
        number = "1"
          [[article.exclusion]]
          id = "e"
          when = "a <"
          unless = "b b"
        """)
    err = fails(text)
    assert type(err) is DraftError
    assert err.message.startswith("2 problems:")
    assert "article[0].exclusion[0].when: the expression ends too soon" in err.message
    assert "article[0].exclusion[0].unless: unexpected 'b'" in err.message


def test_expressions_are_parsed_with_their_origin() -> None:
    law = load(
        draft("""
            [[article]]
            number = "1"
              [[article.component]]
              id = "c"
              kind = "compensation"
              recipients = ["victim"]
              amount = "2 * 3"
            """)
    )
    amount = law.components[0].amount
    assert isinstance(amount, Expression)
    assert amount.source == "2 * 3"
    assert isinstance(amount.node, Op) and amount.node.op == "*"
    assert amount.origin.key == "article[0].component[0].amount"


# -- components -------------------------------------------------------------------------


def component(extra: str) -> str:
    return draft(
        '\n[[article]]\nnumber = "1"\n[[article.component]]\nid = "c"\n' + textwrap.dedent(extra)
    )


def test_missing_recipients() -> None:
    err = fails(component('kind = "compensation"\n'))
    assert err.message == "a component needs 'recipients'"
    assert err.location.key == "article[0].component[0]"
    err = fails(component('kind = "compensation"\nrecipients = []\n'))
    assert err.message == "a component needs at least one recipient"
    assert err.location.key == "article[0].component[0].recipients"


def test_bad_recipient_has_a_suggestion() -> None:
    err = fails(component('kind = "compensation"\nrecipients = ["victim", "grandchld"]\n'))
    assert err.location.key == "article[0].component[0].recipients[1]"
    assert err.message.endswith("did you mean 'grandchild'?")


def test_bad_reparation_kind() -> None:
    err = fails(component('kind = "non_repetition"\nrecipients = ["victim"]\n'))
    assert err.location.key == "article[0].component[0].kind"
    assert "is not a reparation kind" in err.message
    assert err.message.endswith("did you mean 'non-repetition'?")


def test_instead_of_local_ids_become_full() -> None:
    law = load(
        component('kind = "restitution"\nrecipients = ["heir"]\ninstead_of = ["x", "o:y"]\n')
    )
    assert law.components[0].instead_of == ("test-law:x", "o:y")


# -- amendments -------------------------------------------------------------------------


def amend(extra: str, target: str = "t", action: str = "replace") -> str:
    return draft(
        '\n[[article]]\nnumber = "9"\ntext = "Article 3 is amended."\n'
        f'[[article.amend]]\nid = "a"\nlaw = "other"\ntarget = "{target}"\n'
        f'action = "{action}"\n' + textwrap.dedent(extra)
    )


def test_amendment_changes_are_structured() -> None:
    law = load(
        amend(
            """
            when = "true"
            unless = "un_decision"
            grounds = ["g", "x:h"]
            recipients = ["victim"]
            instead_of = ["c"]
            title = " New title "
            kind = "satisfaction"
            """
        )
    )
    (a,) = law.amendments
    assert isinstance(a, Amendment)
    assert (a.law, a.target, a.action, a.article) == ("other", "t", "replace", "9")
    assert a.text == "Article 3 is amended."
    assert a.origin.key == "article[0].amend[0]"
    changes = dict(a.changes)
    assert isinstance(changes["when"], Expression) and changes["when"].source == "true"
    assert changes["when"].origin.key == "article[0].amend[0].when"
    assert changes["unless"].source == "un_decision"
    assert changes["grounds"] == ("g", "x:h")
    assert changes["recipients"] == ("victim",)
    # a local id in an amendment is read in the amended law's scope
    assert changes["instead_of"] == ("other:c",)
    assert changes["title"] == "New title"
    assert changes["kind"] == "satisfaction"
    assert set(changes) == {"when", "unless", "grounds", "recipients", "instead_of", "title",
                            "kind"}  # fmt: skip


def test_amendment_values_of_parameters_and_definitions() -> None:
    law = load(amend("value = { 2026-01-01 = 4000 }\n", target="parameters.MCI"))
    assert law.amendments[0].changes == {"value": ((dt.date(2026, 1, 1), 4000.0),)}
    law = load(amend("value = 3\n", target="parameters.MCI", action="insert"))
    assert law.amendments[0].changes == {"value": ((None, 3.0),)}
    law = load(amend("value = 'exists(events)'\n", target="definitions.d"))
    value = law.amendments[0].changes["value"]
    assert isinstance(value, Expression) and value.source == "exists(events)"


def test_insert_is_validated_as_its_provision_type() -> None:
    law = load(
        amend(
            """
            type = "ground"
            article = "3"
            category = "c"
            when = "true"
            text = "New text."
            """,
            target="new-ground",
            action="insert",
        )
    )
    assert dict(law.amendments[0].changes) == {
        "type": "ground", "article": "3", "category": "c",
        "when": law.amendments[0].changes["when"], "text": "New text.",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("action", "extra", "key", "message"),
    [
        ("repel", "", "article[0].amend[0].action",
         "'repel' is not an action (repeal | replace | insert); did you mean 'repeal'?"),
        ("insert", 'category = "c"\nwhen = "true"\n', "article[0].amend[0]",
         "an insert needs a 'type': ground | exclusion | component"),
        ("insert", 'type = "grond"\n', "article[0].amend[0].type", "did you mean 'ground'?"),
        ("repeal", 'when = "true"\ntext = "x"\n', "article[0].amend[0].when",
         "a repeal takes no keys besides id, law, target and action: remove 'when', 'text'"),
        ("replace", "", "article[0].amend[0]", "a replace needs at least one key to replace"),
        ("replace", 'type = "ground"\nwhen = "true"\n', "article[0].amend[0].type",
         "'type' is only for insert"),
        ("replace", "value = 3\n", "article[0].amend[0].value",
         "'value' only sets a parameter or a definition"),
        ("insert", 'type = "ground"\ncategory = "c"\nwhen = "true"\nunless = "false"\n',
         "article[0].amend[0].unless", "'unless' is not a key of a ground"),
        ("insert", 'type = "component"\nkind = "restitution"\n', "article[0].amend[0]",
         "an inserted component needs 'recipients'"),
        ("insert", 'type = "component"\nkind = "restitution"\nrecipients = []\n',
         "article[0].amend[0].recipients", "a component needs at least one recipient"),
        ("replace", 'when = "true"\nwhenn = "x"\n', "article[0].amend[0].whenn",
         "'whenn' is not a key of an amendment; did you mean 'when'?"),
    ],
)  # fmt: skip
def test_bad_amendments(action: str, extra: str, key: str, message: str) -> None:
    err = fails(amend(extra, action=action))
    assert err.location.key == key
    assert message in err.message


@pytest.mark.parametrize(
    ("target", "action", "extra", "key", "message"),
    [
        ("parameters.P", "replace", "", "article[0].amend[0]",
         "'value' is required to replace parameters.P"),
        ("parameters.P", "replace", "value = 'x'\n", "article[0].amend[0].value",
         "a parameter's value is a number or a table of dated numbers, not a string"),
        ("definitions.d", "insert", "value = 3\n", "article[0].amend[0].value",
         "a definition's value is an expression string"),
        ("definitions.d", "replace", "value = 'x'\nwhen = 'y'\n", "article[0].amend[0].when",
         "an amendment of definitions.d gives only 'value', not 'when'"),
        ("parameters.year", "insert", "value = 1\n", "article[0].amend[0].target",
         "'year' is a fact of the vocabulary"),
        ("definitions.x", "replace", "value = 'a +'\n", "article[0].amend[0].value",
         "the expression ends too soon"),
        ("parameters.P", "replace", "value = { 2024-13-01 = 1 }\n",
         "article[0].amend[0].value.2024-13-01", "'2024-13-01' is not a date"),
        ("Bad Target", "repeal", "", "article[0].amend[0].target", "is not a target"),
        ("options.x", "repeal", "", "article[0].amend[0].target", "is not a target"),
    ],
)  # fmt: skip
def test_bad_amendments_of_parameters_and_definitions(
    target: str, action: str, extra: str, key: str, message: str
) -> None:
    err = fails(amend(extra, target=target, action=action), KzrehabError)
    assert err.location.key == key
    assert message in err.message


# -- paths ------------------------------------------------------------------------------


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.toml").write_text("")
    (tmp_path / "a.toml").write_text("")
    (tmp_path / "notes.md").write_text("")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.toml").write_text("")
    single = tmp_path / "b" / "z.toml"
    found = expand_paths([tmp_path, single, str(tmp_path / "a.toml")])
    assert found == [tmp_path / "a.toml", tmp_path / "b" / "z.toml"]


def test_expand_paths_errors(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="no such file or directory") as info:
        expand_paths([tmp_path / "missing.toml"])
    assert info.value.location.file == str(tmp_path / "missing.toml")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DraftError, match=r"no draft \(\*\.toml\) under the directory"):
        expand_paths([tmp_path / "empty"])


def test_load_laws_reads_every_file_in_order() -> None:
    laws = load_laws([DATA])
    assert [law.id for law in laws] == ["prisoners-of-conscience", "rehabilitation-1993"]
    bill = laws[0]
    assert [type(p) for p in bill.provisions()] == [Ground, *[Amendment] * 4]
    assert not any(isinstance(p, Exclusion | Component) for p in bill.provisions())


def test_a_limit_raised_between_two_loads_is_in_force_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The limits' fingerprint is kept per setting of their variables (it is asked for
    once an expression), never for the process: a limit changed after one load holds for
    the next, and a bad value is an error every time."""
    from kzrehab.errors import UsageError
    from kzrehab.limits import fingerprint

    text = draft("\n[definitions]\nlong = 'exists(events[true])'\n")
    load_law_text(text, "x.toml")
    before = fingerprint()
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_LENGTH", "10")
    assert fingerprint() != before
    fails(text, LimitError)
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_LENGTH", "20000")
    assert fingerprint() == before  # the default, set explicitly
    load_law_text(text, "x.toml")
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_LENGTH", "ten")
    for _ in range(2):
        with pytest.raises(UsageError):
            fingerprint()
