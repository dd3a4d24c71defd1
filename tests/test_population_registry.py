"""Registries: JSON Lines and CSV read all or nothing, errors named by file, line and key."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from kzrehab.claims import Claim, Event
from kzrehab.dates import PartialDate
from kzrehab.errors import RegistryError, UsageError
from kzrehab.population import (
    InMemoryPopulation,
    Population,
    load_population,
    synthesize,
    write_jsonl,
)
from kzrehab.population.registry import (
    PopulationHeader,
    claim_from_dict,
    claim_to_dict,
    dumps_claim,
    read_csv,
    read_jsonl,
    read_jsonl_with_header,
)
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS, FactKind

from .strategies import claims, populations

DATA = Path(__file__).parent / "data"

GOOD = '{"id": "c1", "claimant": "child", "events": [{"measure": "exile", "start": "1931-05"}]}'


def _jsonl(tmp_path: Path, *lines: str, name: str = "registry.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _error(path: Path) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        load_population(path)
    return info.value


# --- round trips ------------------------------------------------------------------------


def test_jsonl_round_trip_of_a_synthetic_population(tmp_path: Path) -> None:
    pop = synthesize(400, seed=11)
    path = tmp_path / "pop.jsonl"
    write_jsonl(pop, path)
    back = load_population(path)
    assert back.claims == pop.claims
    assert (back.name, back.synthetic, back.source) == (pop.name, True, str(path))
    assert back.digest == pop.digest


def test_claims_alone_have_no_header_and_the_file_checksum_is_the_digest(tmp_path: Path) -> None:
    pop = synthesize(120, seed=2)
    path = tmp_path / "plain.jsonl"
    write_jsonl(pop.claims, path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == pop.digest
    back = load_population(path)
    assert (back.name, back.synthetic) == ("plain", False)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(populations(max_size=8))
def test_any_valid_claims_round_trip(tmp_path: Path, claims_: tuple[Claim, ...]) -> None:
    path = tmp_path / "any.jsonl"
    write_jsonl(claims_, path)
    assert read_jsonl(path) == claims_


@settings(max_examples=200)
@given(claims())
def test_canonical_text_is_json_of_the_dict_and_reads_back(claim: Claim) -> None:
    text = dumps_claim(claim)
    as_dict = claim_to_dict(claim)
    assert text == json.dumps(as_dict, ensure_ascii=False, separators=(",", ":"))
    assert claim_from_dict(json.loads(text)) == claim


def test_dates_of_every_precision_and_unknowns_survive(tmp_path: Path) -> None:
    claim = Claim(
        id="c",
        victim_died=PartialDate(1938),
        events=(
            Event(measure="exile", start=PartialDate(1931, 5), end=PartialDate(1933, 2, 28)),
            Event(),
        ),
    )
    path = tmp_path / "d.jsonl"
    write_jsonl([claim], path)
    assert '"start":"1931-05"' in path.read_text(encoding="utf-8")
    assert read_jsonl(path) == (claim,)


def test_blank_lines_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (GOOD + "\n\n   \n" + GOOD.replace("c1", "c2")).encode())
    assert [c.id for c in read_jsonl(path)] == ["c1", "c2"]


def test_ndjson_suffix_and_null_facts(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, '{"id": "x", "claimant": null, "events": null}', name="r.ndjson")
    assert load_population(path).claims == (Claim(id="x"),)


# --- JSON Lines errors: file, line and key -----------------------------------------------

BAD_LINES = [
    ('{"id": "c9", ', "invalid JSON", None),
    ('{"id": "c9", "claimnt": "child"}', "did you mean 'claimant'", "claimnt"),
    ('{"id": "c9", "events": [{"measure": "exil"}]}', "did you mean 'exile'", "events[0].measure"),
    ('{"id": "c9", "events": [{}, {"start": "1931-02-30"}]}', "no day 30", "events[1].start"),
    ('{"id": "c9", "victim_died": "31.01.1938"}', "not a date", "victim_died"),
    ('{"id": "c9", "victim_alive": 1}', "must be true or false, not 1", "victim_alive"),
    ('{"id": "c9", "claimant_birth_year": true}', "must be an integer, not true",
     "claimant_birth_year"),
    ('{"id": "c9", "claimant_birth_year": "1950"}', "must be an integer", "claimant_birth_year"),
    ('{"id": "c9", "claimant_birth_year": 1950.0}', "must be an integer", "claimant_birth_year"),
    ('{"id": "c9", "citizenship": "kz"}', "did you mean 'KZ'", "citizenship"),
    ('{"id": "c9", "residence": "KAZ"}', "not a country code", "residence"),
    ('{"id": "c9", "claimant": 3}', "must be a string", "claimant"),
    ('{"id": "c9", "events": [{"episode": "  "}]}', "non-empty string", "events[0].episode"),
    ('{"id": 9}', "must be a string", "id"),
    ('{"claimant": "child"}', "needs an 'id'", "id"),
    ('{"id": null}', "needs an 'id'", "id"),
    ('{"id": "c9", "events": [{"year": 1931}]}', "derived", "events[0].year"),
    ('{"id": "c9", "events": [{"months": 3}]}', "derived", "events[0].months"),
    ('{"id": "c9", "events": {"measure": "exile"}}', "must be a list", "events"),
    ('{"id": "c9", "events": ["exile"]}', "must be a JSON object", "events[0]"),
    ('{"id": "c9", "events": [{"id": "e", "measure": "exile"}, {"id": "e"}]}',
     "duplicate event id 'e'", "events[1].id"),
    ('["c9"]', "must be a JSON object", None),
    ('{"id": "c9", "claimant_birth_year": NaN}', "NaN is not valid JSON", None),
    ('{"id": "c9", "id": "c10"}', "given twice", None),
    ('{"id": "c9", "claimant_birth_year": 99999999999999999999}', "out of range",
     "claimant_birth_year"),
    ('{"id": "c9", "kzrehab": "population"}', "unknown claim fact 'kzrehab'", "kzrehab"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "message", "key"), BAD_LINES)
def test_a_bad_line_is_reported_with_file_line_and_key(
    tmp_path: Path, line: str, message: str, key: str | None
) -> None:
    path = _jsonl(tmp_path, GOOD, "", GOOD.replace("c1", "c2"), line)
    err = _error(path)
    assert err.location.file == str(path)
    assert err.location.line == 4
    assert err.location.key == key
    assert f"{path}:4" in str(err)
    assert message in str(err)


def test_a_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, GOOD, GOOD.replace("c1", "c2"), GOOD)
    err = _error(path)
    assert err.location.line == 3
    assert "duplicate claim id 'c1' (first on line 1)" in str(err)


def test_a_header_is_read_only_on_the_first_line(tmp_path: Path) -> None:
    header = '{"kzrehab": "population", "version": 1, "name": "n", "synthetic": true}'
    pop = load_population(_jsonl(tmp_path, "", header, GOOD))
    assert (pop.name, pop.synthetic, len(pop)) == ("n", True, 1)
    err = _error(_jsonl(tmp_path, GOOD, header))
    assert err.location.line == 2


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ('{"kzrehab": "population", "version": 2, "name": "n", "synthetic": true}', "version"),
        ('{"kzrehab": "population", "version": 1, "name": "", "synthetic": true}', "name"),
        ('{"kzrehab": "population", "version": 1, "name": "n", "synthetic": 1}', "synthetic"),
        ('{"kzrehab": "population", "version": 1, "name": "n", "synthetic": true, "x": 1}',
         "unknown header key 'x'"),
        ('{"kzrehab": "registry", "version": 1, "name": "n", "synthetic": true}',
         '"kzrehab": "population"'),
    ],
)  # fmt: skip
def test_a_bad_header_is_an_error(tmp_path: Path, header: str, message: str) -> None:
    err = _error(_jsonl(tmp_path, header, GOOD))
    assert err.location.line == 1
    assert message in str(err)


def test_an_error_on_the_last_line_returns_nothing(tmp_path: Path) -> None:
    lines = [GOOD.replace("c1", f"c{i}") for i in range(50)]
    path = _jsonl(tmp_path, *lines, '{"id": "last", "claimant": "nephew"}')
    result: list[Population] = []
    with pytest.raises(RegistryError) as info:
        result.append(load_population(path))
    assert result == []
    assert info.value.location.line == 51
    assert "'nephew' is not a claimant" in str(info.value)
    assert "claimants are: victim, spouse" in str(info.value)


def test_a_binary_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(GOOD.encode() + b"\n\x1f\x8b\x08\x00\x00\x00binary")
    err = _error(path)
    assert err.location.line == 2
    assert "binary file" in str(err)


def test_a_file_not_in_utf8_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.jsonl"
    path.write_bytes(GOOD.encode() + b'\n{"id": "\xcf\xf0\xe8"}\n')
    err = _error(path)
    assert (err.location.line, err.location.column) == (2, 9)
    assert "not UTF-8" in str(err)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.jsonl"
    err = _error(path)
    assert err.location.file == str(path)
    assert "no such file" in str(err)


def test_an_unknown_format_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "registry.xlsx"
    path.write_bytes(b"PK")
    err = _error(path)
    assert "JSON Lines" in str(err)
    assert "CSV" in str(err)


def test_the_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _jsonl(tmp_path, GOOD, GOOD.replace("c1", "c2"))
    monkeypatch.setenv("KZREHAB_MAX_REGISTRY_BYTES", "100")
    err = _error(path)
    assert "KZREHAB_MAX_REGISTRY_BYTES" in str(err)
    assert err.location.file == str(path)


def test_the_events_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "2")
    ok = '{"id": "a", "events": [{}, {}]}'
    path = _jsonl(tmp_path, ok, '{"id": "b", "events": [{}, {}, {}]}')
    err = _error(path)
    assert (err.location.line, err.location.key) == (2, "events")
    assert "KZREHAB_MAX_EVENTS_PER_CLAIM" in str(err)


def test_claim_from_dict_reports_the_key_and_leaves_its_input_alone() -> None:
    given_ = {"id": "x", "events": [{"measure": "exil"}]}
    with pytest.raises(RegistryError) as info:
        claim_from_dict(given_)
    assert info.value.location.key == "events[0].measure"
    assert given_ == {"id": "x", "events": [{"measure": "exil"}]}


def test_every_vocabulary_fact_is_read_and_written() -> None:
    """The converters are table-driven: each fact of the vocabulary has one, by its kind."""
    sample = {
        FactKind.BOOL: True, FactKind.INT: 1950, FactKind.DATE: "1937-08",
        FactKind.STR: "text", FactKind.COUNTRY: "KZ",
    }  # fmt: skip
    event = {
        name: (fact.values[0] if fact.kind is FactKind.ENUM else sample[fact.kind])
        for name, fact in EVENT_FACTS.items()
        if not fact.derived
    }
    obj = {
        name: (fact.values[0] if fact.kind is FactKind.ENUM else sample[fact.kind])
        for name, fact in CLAIM_FACTS.items()
    }
    obj["victim_id"] = "another"  # written only when it is not the claim's own id
    obj["events"] = [event]
    claim = claim_from_dict(obj)
    assert claim_to_dict(claim) == obj


# --- CSV -------------------------------------------------------------------------------

CLAIMS_CSV = """id,claimant,claimant_birth_year,victim_alive,citizenship,victim_died
c1,child,1950,false,KZ,1938-03
c2,victim,1960,TRUE,,
"""
EVENTS_CSV = """claim_id,id,measure,start,end,place,as_family_member
c1,e1,imprisonment,1937-08-05,1938-03,KZ,false
c2,,detention,1986-12-17,,KZ,
c1,e2,confiscation,1937,,,true
"""


def _csv(tmp_path: Path, claims_text: str = CLAIMS_CSV, events_text: str = EVENTS_CSV,
         stem: str = "registry") -> Path:  # fmt: skip
    (tmp_path / f"{stem}.csv").write_text(claims_text, encoding="utf-8")
    (tmp_path / f"{stem}.events.csv").write_text(events_text, encoding="utf-8")
    return tmp_path / f"{stem}.csv"


def test_csv_claims_and_events_are_joined(tmp_path: Path) -> None:
    pop = load_population(_csv(tmp_path))
    c1, c2 = pop.claims
    assert c1 == Claim(
        id="c1", claimant="child", claimant_birth_year=1950, victim_alive=False,
        citizenship="KZ", victim_died=PartialDate(1938, 3),
        events=(
            Event(id="e1", measure="imprisonment", start=PartialDate(1937, 8, 5),
                  end=PartialDate(1938, 3), place="KZ", as_family_member=False),
            Event(id="e2", measure="confiscation", start=PartialDate(1937),
                  as_family_member=True),
        ),
    )  # fmt: skip
    assert c2.victim_alive is True and c2.citizenship is None
    assert c2.events == (Event(measure="detention", start=PartialDate(1986, 12, 17), place="KZ"),)
    assert (pop.name, pop.synthetic, pop.events, pop.victims) == ("registry", False, 3, 2)


def test_csv_from_a_spreadsheet_semicolons_crlf_and_bom(tmp_path: Path) -> None:
    def excel(text: str) -> str:
        return "\ufeff" + text.replace(",", ";").replace("\n", "\r\n")

    (tmp_path / "x").mkdir()
    plain = load_population(_csv(tmp_path / "x"))
    path = _csv(tmp_path, excel(CLAIMS_CSV), excel(EVENTS_CSV))
    assert load_population(path).claims == plain.claims


def test_jsonl_with_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(f"{GOOD}\r\n\r\n{GOOD.replace('c1', 'c2')}\r\nnot json\r\n".encode())
    err = _error(path)
    assert err.location.line == 4


def test_csv_in_a_directory(tmp_path: Path) -> None:
    (tmp_path / "claims.csv").write_text(CLAIMS_CSV, encoding="utf-8")
    (tmp_path / "events.csv").write_text(EVENTS_CSV, encoding="utf-8")
    assert load_population(tmp_path).claims == load_population(_csv(tmp_path)).claims


def test_csv_and_jsonl_of_the_same_registry_agree(tmp_path: Path) -> None:
    _csv(tmp_path)
    csv_claims = read_csv(tmp_path / "registry.csv", tmp_path / "registry.events.csv")
    path = tmp_path / "same.jsonl"
    write_jsonl(csv_claims, path)
    assert read_jsonl(path) == csv_claims


CSV_ERRORS = [
    ("claims", "id,claimnt\nc1,child\n", 1, "did you mean 'claimant'"),
    ("claims", "claimant\nchild\n", 1, "needs a column 'id'"),
    ("claims", "id,id\nc1,c1\n", 1, "given twice"),
    ("claims", "id,events\nc1,x\n", 1, "unknown column 'events'"),
    ("claims", "id,claimant\nc1,child\nc2,nephew\n", 3, "'nephew' is not a claimant"),
    ("claims", "id,victim_alive\nc1,yes\n", 2, "must be true or false, not 'yes'"),
    ("claims", "id,claimant_birth_year\nc1,1950.0\n", 2, "must be a decimal integer"),
    ("claims", "id,victim_died\nc1,1931-02-30\n", 2, "no day 30"),
    ("claims", "id,claimant\nc1,child\n,child\n", 3, "no id"),
    ("claims", "id,claimant\nc1,child\nc1,spouse\n", 3, "first on line 2"),
    ("claims", "id,claimant\nc1\n", 2, "1 cells but the header names 2"),
    ("claims", 'id,claimant\n"c1\n', 2, "malformed CSV"),
    ("claims", "", None, "is empty"),
    ("events", "claim_id,measure\nc1,exile\nc3,exile\n", 3, "no claim 'c3'"),
    ("events", "measure\nexile\n", 1, "needs a column 'claim_id'"),
    ("events", "claim_id,year\nc1,1931\n", 1, "derived"),
    ("events", "claim_id,measure\n,exile\n", 2, "no claim_id"),
    ("events", "claim_id,id,measure\nc1,e,\nc1,e,\n", 3, "duplicate event id 'e'"),
    ("events", "claim_id,start\nc1,1931\n", 2, "the events file has no column 'measure'"),
]  # fmt: skip


@pytest.mark.parametrize(("which", "text", "line", "message"), CSV_ERRORS)
def test_a_bad_csv_row_is_reported_with_file_and_line(
    tmp_path: Path, which: str, text: str, line: int | None, message: str
) -> None:
    if which == "claims":
        path = _csv(tmp_path, claims_text=text, events_text="claim_id\n")
        bad = path
    else:
        path = _csv(tmp_path, claims_text="id\nc1\nc2\n", events_text=text)
        bad = tmp_path / "registry.events.csv"
    err = _error(path)
    assert err.location.file == str(bad)
    assert err.location.line == line
    assert message in str(err)


def test_csv_unknown_claim_suggests_a_close_one(tmp_path: Path) -> None:
    events = "claim_id,measure\nclaim-l,exile\n"
    err = _error(_csv(tmp_path, claims_text="id\nclaim-1\n", events_text=events))
    assert "did you mean 'claim-1'?" in str(err)


def test_csv_events_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "2")
    err = _error(_csv(tmp_path, events_text="claim_id,measure\nc1,\nc1,\nc2,\nc1,\n"))
    assert err.location.line == 5
    assert "KZREHAB_MAX_EVENTS_PER_CLAIM" in str(err)


def test_csv_needs_its_events_file(tmp_path: Path) -> None:
    path = tmp_path / "lonely.csv"
    path.write_text("id\nc1\n", encoding="utf-8")
    err = _error(path)
    assert err.location.file == str(tmp_path / "lonely.events.csv")


def test_an_events_file_given_as_the_registry_points_to_the_claims_file(tmp_path: Path) -> None:
    _csv(tmp_path)
    err = _error(tmp_path / "registry.events.csv")
    assert "give the claims file registry.csv" in str(err)


def test_a_directory_without_both_files(tmp_path: Path) -> None:
    (tmp_path / "claims.csv").write_text("id\nc1\n", encoding="utf-8")
    err = _error(tmp_path)
    assert "events.csv" in str(err)


def test_a_binary_csv_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path, claims_text="id\nc1\n\x00\x01\n")
    err = _error(path)
    assert err.location.line == 3
    assert "binary" in str(err)


# --- writing is atomic -----------------------------------------------------------------


def _claims_then_failure() -> Iterator[Claim]:
    yield Claim(id="a")
    raise RuntimeError("disk on fire")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write_jsonl([Claim(id="old")], path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        write_jsonl(_claims_then_failure(), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_written_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    path = tmp_path / "perm.jsonl"
    write_jsonl([Claim(id="a")], path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_header_of_a_population_is_written(tmp_path: Path) -> None:
    pop = InMemoryPopulation(name="mine", claims=(Claim(id="a"),), synthetic=True)
    path = tmp_path / "h.jsonl"
    write_jsonl(pop, path)
    claims_, header = read_jsonl_with_header(path)
    assert header == PopulationHeader(name="mine", synthetic=True)
    assert claims_ == pop.claims


# --- the Population --------------------------------------------------------------------


def test_population_counts_and_lookup() -> None:
    pop = InMemoryPopulation(
        name="p",
        claims=(
            Claim(id="claim-1", events=(Event(), Event())),
            Claim(id="claim-2", victim_id="claim-1", events=(Event(),)),
            Claim(id="other"),
        ),
    )
    assert (len(pop), pop.victims, pop.events) == (3, 2, 3)
    assert pop.claim("other") is pop.claims[2]
    assert [c.id for c in pop] == ["claim-1", "claim-2", "other"]
    with pytest.raises(UsageError) as info:
        pop.claim("claim-3")
    assert "no claim 'claim-3' in population 'p'; did you mean 'claim-" in str(info.value)


def test_the_digest_is_stable_and_depends_on_the_claims_only() -> None:
    a = InMemoryPopulation(name="a", claims=(Claim(id="x"),))
    b = InMemoryPopulation(name="b", claims=(Claim(id="x"),), synthetic=True, source="elsewhere")
    c = attrs.evolve(a, claims=(Claim(id="y"),))
    assert a.digest == b.digest != c.digest
    assert a.digest == hashlib.sha256(b'{"id":"x"}\n').hexdigest()


def test_the_sample_registry_is_a_labelled_synthetic_population() -> None:
    pop = load_population(DATA / "sample.jsonl")
    assert (pop.name, pop.synthetic, len(pop)) == ("synthetic-reference-2000-seed7", True, 2000)


def test_a_misspelt_enum_value_lists_the_allowed_values(tmp_path: Path) -> None:
    """Issue 16, item 8: the message lists every value, and keeps its file:line: key prefix."""
    line = '{"id": "c2", "events": [{"measure": "exile", "motive": "hunger"}]}'
    path = _jsonl(tmp_path, GOOD, line)
    err = _error(path)
    assert err.location.line == 2
    assert str(err).startswith(f"{path}:2: events[0].motive: ")
    assert "'hunger' is not a motive; motives are: political, class, social" in str(err)
    close = _error(_jsonl(tmp_path, GOOD, line.replace("hunger", "politcal"), name="b.jsonl"))
    assert str(close).endswith("'politcal' is not a motive; did you mean 'political'?")
