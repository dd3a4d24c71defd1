"""Hostile or careless JSON Lines registries: the fast way of importing them (a chunk decoded
by msgspec, on ``--jobs`` processes) refuses or writes exactly what the exact way, a line
at a time, does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzrehab import _pool
from kzrehab.errors import RegistryError
from kzrehab.population import import_registry, importer
from kzrehab.population.jsonl_chunks import CHUNK_OBJECTS, Encoded, encode_chunk, raw_chunks
from kzrehab.population.registry import JsonlReader

from .test_population_import import _same_store


def _lines(path: Path, objs: list[object]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


def test_the_workers_count_events_against_the_limit_of_this_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(A worker read the limit from its own environment, copied when the pool was made:
    with the limit lowered since, a claim with too many events was written.)"""
    registry = _lines(tmp_path / "r.jsonl", [{"id": f"c{i}", "events": [{}] * (6 if i == 3 else 1)}
                                             for i in range(10)])  # fmt: skip
    _pool.shutdown()
    monkeypatch.delenv("KZREHAB_MAX_EVENTS_PER_CLAIM", raising=False)
    import_registry(registry, tmp_path / "a.kzstore", jobs=2)  # the pool starts here
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "5")
    for jobs in (1, 2):
        with pytest.raises(RegistryError, match=r"r\.jsonl:4: events: a claim with 6 events "):
            import_registry(registry, tmp_path / "b.kzstore", jobs=jobs)
        assert not (tmp_path / "b.kzstore").exists()


def test_a_chunk_of_claims_with_many_events_is_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(2,048 lines of 1,000 events ``{}`` each, 6 MB, were one chunk: two million
    structures, then their tuples and columns, 1.4 GiB at the peak of a worker.)"""
    registry = _lines(tmp_path / "r.jsonl", [{"id": f"c{i}", "events": [{}] * 1000}
                                             for i in range(300)])  # fmt: skip
    chunks = list(raw_chunks(JsonlReader(registry), 2048))
    assert [c.first_line for c in chunks][:2] == [1, 67]
    assert all(sum(r.count(b"{") for r in c.lines) <= CHUNK_OBJECTS + 1001 for c in chunks)
    assert sum(len(c.lines) for c in chunks) == 300
    done = [encode_chunk(c) for c in chunks]
    assert all(isinstance(d, Encoded) for d in done)
    import_registry(registry, tmp_path / "fast.kzstore", jobs=2)
    monkeypatch.setattr(importer, "encode_chunk", lambda chunk: chunk)
    import_registry(registry, tmp_path / "exact.kzstore")
    _same_store(tmp_path / "exact.kzstore", tmp_path / "fast.kzstore")


#: lines a careless or hostile registry may hold that tests/test_population_import_fast.py
#: does not try (good or bad: the two ways must agree)
HOSTILE = {
    "a surrogate pair": '{"id": "\\ud83d\\ude00"}',
    "a pair the wrong way round": '{"id": "b\\udc00\\ud800"}',
    "an escaped NUL": '{"id": "b\\u0000", "events": [{"charge": "\\u0000"}]}',
    "a line separator in an id": '{"id": "a\\u2028\\u00a0\\"b:c"}',
    "an id of a non-breaking space": '{"id": "\\u00a0"}',
    "an id of a zero-width space": '{"id": "\\u200b"}',
    "1e400": '{"id": "b", "claimant_birth_year": 1e400}',
    "-Infinity": '{"id": "b", "claimant_birth_year": -Infinity}',
    "-0": '{"id": "b", "claimant_birth_year": -0, "victim_birth_year": -9007199254740992}',
    "-0.0": '{"id": "b", "claimant_birth_year": -0.0}',
    "2**64 - 1": '{"id": "b", "claimant_birth_year": 18446744073709551615}',
    "2**64": '{"id": "b", "claimant_birth_year": 18446744073709551616}',
    "5,000 digits": '{"id": "b", "victim_birth_year": 1' + "0" * 5000 + "}",
    "a day that is not": '{"id": "b", "victim_died": "1937-02-30"}',
    "29 February 1900": '{"id": "b", "events": [{"start": "1900-02-29"}]}',
    "29 February 2000": '{"id": "b", "events": [{"start": "2000-02-29", "end": "2000-02"}]}',
    "the first and the last days": '{"id": "b", "events": [{"start": "9999-12-31", '
                                   '"end": "0001-01-01"}, {"start": "0001", "end": "9999"}]}',
    "a year of Arabic-Indic digits": '{"id": "b", "victim_died": "\\u0661\\u0669\\u0663\\u0667"}',
    "a date with a newline": '{"id": "b", "victim_died": "1937\\n"}',
    "an enum value and a blank": '{"id": "b", "claimant": "child "}',
    "a country of full-width letters": '{"id": "b", "citizenship": "\\uff2b\\uff3a"}',
    "a key in capitals": '{"id": "b", "ID": "c"}',
    "nested 100,000 deep": '{"id": "b", "claimant": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "an event nested 50,000 deep": '{"id": "b", "events": [' + '{"a": ' * 50_000 + "1"
                                   + "}" * 50_000 + "]}",
    "an event id escaped twice": '{"id": "b", "events": [{"id": "e"}, {"id": "\\u0065"}]}',
    "a quote and a colon, blanks": '{"id": "b\\" :", "events": [{"charge": "x\\"\\t:"}]}',
    "a lone carriage return": '{"id": "b"}\r{"id": "b2"}',
    "a form feed for a blank": '{"id":\x0c"b"}',
    "a byte order mark later": '\ufeff{"id": "b"}',
    "a line of U+001C": "\x1c",
    "a line of U+0085": "\x85",
    "a header with version true": '{"kzrehab": "population", "version": true, "name": "n", '
                                  '"synthetic": false}',
}  # fmt: skip


def _result(registry: Path, out: Path, jobs: int = 1) -> str:
    out.unlink(missing_ok=True)
    try:
        import_registry(registry, out, chunk=16, jobs=jobs)
    except RegistryError as exc:
        return str(exc)
    return "written"


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("at", [0, 25])
def test_a_hostile_line_is_read_as_the_exact_way_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, at: int
) -> None:
    objs: list[object] = [{"id": f"c{i}", "claimant": "child", "citizenship": "KZ",
                           "events": [{"measure": "exile", "start": "1937-05"}]}
                          for i in range(40)]  # fmt: skip
    text = [json.dumps(o) + "\n" for o in objs]
    text.insert(at, HOSTILE[name] + "\n")
    registry = tmp_path / "r.jsonl"
    registry.write_text("".join(text), encoding="utf-8")
    fast = [_result(registry, tmp_path / f"fast{jobs}.kzstore", jobs) for jobs in (1, 2)]
    with monkeypatch.context() as m:
        m.setattr(importer, "encode_chunk", lambda chunk: chunk)
        exact = _result(registry, tmp_path / "exact.kzstore")
    assert fast == [exact, exact]
    if exact == "written":
        for jobs in (1, 2):
            _same_store(tmp_path / "exact.kzstore", tmp_path / f"fast{jobs}.kzstore")


@pytest.mark.parametrize(("given", "shown"), [("true", "true"), ("1.0", "1.0"), ('"1"', '"1"')])
def test_a_header_version_is_the_integer_1_not_what_equals_it(
    tmp_path: Path, given: str, shown: str
) -> None:
    """``true == 1`` and ``1.0 == 1`` in Python: a header saying ``"version": true`` was
    read as version 1 by both ways of reading. It is refused, as any other version is."""
    registry = tmp_path / "r.jsonl"
    registry.write_text('{"kzrehab": "population", "version": ' + given
                        + ', "name": "n", "synthetic": true}\n{"id": "c1"}\n',
                        encoding="utf-8")  # fmt: skip
    got = _result(registry, tmp_path / "s.kzstore")
    assert f"header version {shown} is not supported" in got, got
