"""The fast way of importing JSON Lines (a chunk checked and encoded a column at a time, on
``--jobs`` processes) writes the store the exact way writes, and refuses what it refuses
with the same message."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzrehab.claims import Claim
from kzrehab.cli import main
from kzrehab.errors import RegistryError
from kzrehab.population import import_registry, importer, load_population, write_jsonl
from kzrehab.population.jsonl_chunks import Encoded, RawChunk, encode_chunk
from kzrehab.population.registry import claim_to_dict
from kzrehab.population.tables import id_key, id_keys
from kzrehab.vocabulary import CLAIM_FACTS, EVENT_FACTS

from .strategies import populations
from .test_population_import import _same_store

DATA = Path(__file__).parent / "data"

#: the arrays of the store of tests/data/sample.jsonl, as the import wrote them before it
#: had a fast way (kzrehab c4d0d0c): a digest of their contents (see :func:`_contents`)
SAMPLE_CONTENTS = "d8089c06ac10f5277732a3b0880fd50f521eb72aa6c62eb9f6d3d5ceaf0e6ad3"


def _contents(path: Path) -> str:
    """A digest of the names, types and bytes of a store's columns and tables (not of its
    meta, nor of how the store hashes them)."""
    h = hashlib.sha256()
    with np.load(path) as data:
        names = sorted(n for n in data.files if n.startswith(("claim.", "event.")) or n in (
            "strings", "strings.offsets", "ids", "ids.offsets", "victims", "victims.offsets",
            "event_claim", "offsets", "ids.index"))  # fmt: skip
        for name in names:
            array = data[name]
            h.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
            h.update(array.tobytes())
    return h.hexdigest()


class _Ways:
    """Counts the chunks each way took (in this process: ``jobs`` 1)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, exact: bool = False) -> None:
        self.fast = self.exact = 0
        self.force_exact = exact
        monkeypatch.setattr(importer, "encode_chunk", self)

    def __call__(self, chunk: RawChunk) -> Encoded | RawChunk:
        done = chunk if self.force_exact else encode_chunk(chunk)
        if isinstance(done, Encoded):
            self.fast += 1
        else:
            self.exact += 1
        return done


def test_the_sample_imports_to_the_store_it_always_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ways = _Ways(monkeypatch)
    import_registry(DATA / "sample.jsonl", tmp_path / "a.kzstore", chunk=300)
    assert (ways.fast, ways.exact) == (7, 0)
    assert _contents(tmp_path / "a.kzstore") == SAMPLE_CONTENTS
    monkeypatch.undo()
    import_registry(DATA / "sample.jsonl", tmp_path / "b.kzstore", chunk=300, jobs=2)
    assert (tmp_path / "b.kzstore").read_bytes() == (tmp_path / "a.kzstore").read_bytes()


def test_the_import_command_honours_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = {}
    for jobs in ("1", "2"):
        out[jobs] = tmp_path / f"s{jobs}.kzstore"
        monkeypatch.setenv("KZREHAB_JOBS", jobs)  # the default of --jobs
        assert main(["population", "import", str(DATA / "sample.jsonl"), "-o",
                     str(out[jobs])]) == 0  # fmt: skip
    assert out["1"].read_bytes() == out["2"].read_bytes()
    assert main(["population", "import", str(DATA / "sample.jsonl"), "-o",
                 str(tmp_path / "s3.kzstore"), "--jobs", "3"]) == 0  # fmt: skip
    assert (tmp_path / "s3.kzstore").read_bytes() == out["1"].read_bytes()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(claims_=populations(max_size=12))
def test_the_fast_way_writes_what_the_exact_way_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims_: tuple[Claim, ...]
) -> None:
    write_jsonl(claims_, tmp_path / "r.jsonl")
    import_registry(tmp_path / "r.jsonl", tmp_path / "fast.kzstore", chunk=5)
    with monkeypatch.context() as m:
        ways = _Ways(m, exact=True)
        import_registry(tmp_path / "r.jsonl", tmp_path / "exact.kzstore", chunk=5)
        assert ways.fast == 0
    _same_store(tmp_path / "exact.kzstore", tmp_path / "fast.kzstore")


# --- lines the fast way reads as the exact way does ---------------------------------------

def _good(i: int) -> dict[str, Any]:
    return {"id": f"c{i}", "claimant": "child", "victim_alive": i % 2 == 0,
            "claimant_birth_year": 1950 + i % 40, "citizenship": "KZ",
            "events": [{"measure": "exile", "start": f"19{30 + i % 20}-05", "place": "KZ"}]}


ODD_BUT_GOOD = {
    "a byte order mark": ("\ufeff", ""),
    "blank lines": ("\n\n", ""),
    "CRLF line ends": ("", "\r"),
    "blanks around colons": ('{"id" : "x1", "claimant" : "heir"}\n', ""),
    "nulls": ('{"id": "x1", "claimant": null, "events": null, "victim_id": null}\n', ""),
    "non-ASCII": ('{"id": "Қ-1", "victim_id": "Ә", "events": [{"charge": "ст. 58"}]}\n', ""),
    "event ids": ('{"id": "x1", "events": [{"id": "e1"}, {"id": "e2"}, {}]}\n', ""),
    "a colon in a string": ('{"id": "x\\": 1", "events": [{"charge": "\\":"}]}\n', ""),
    "a header": ('{"kzrehab": "population", "version": 1, "name": "n", "synthetic": false}\n',
                 ""),
    "every fact null": ('{"id": "x1", ' + ", ".join(
        f'"{n}": null' for n, f in CLAIM_FACTS.items() if not f.derived and n != "id")
        + ', "events": [{' + ", ".join(
        f'"{n}": null' for n, f in EVENT_FACTS.items() if not f.derived) + "}]}\n", ""),
    "an escaped key": ('{"\\u0069d": "x1", "claim\\u0061nt": "heir"}\n', ""),
    "the largest integers": ('{"id": "x1", "claimant_birth_year": 9007199254740991}\n', ""),
    "a line of ASCII blanks": ("\x0c\x0b\n", ""),
    "a line of other blanks": ("\u00a0\u2003\n", ""),
    "an integer of 2**53": ('{"id": "x1", "victim_birth_year": 9007199254740992}\n', ""),
}  # fmt: skip
#: lines the fast way gives to the exact way, which reads them (the fast way's reasons:
#: a quoted '":' might be a key given twice; it takes ASCII blanks only for a blank line,
#: the exact way any Unicode blank; it refuses an integer not below 2**53)
ODD_FOR_THE_FAST_WAY = {"a colon in a string", "a line of other blanks", "an integer of 2**53"}


def _registry(path: Path, head: str, line_end: str, lines: int = 40,
              insert: dict[int, str] | None = None) -> Path:  # fmt: skip
    text = [json.dumps(_good(i)) + line_end + "\n" for i in range(lines)]
    for at, line in (insert or {}).items():
        text.insert(at, line)
    path.write_text(head + "".join(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(ODD_BUT_GOOD))
def test_odd_but_good_lines_make_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    head, end = ODD_BUT_GOOD[name]
    registry = _registry(tmp_path / "r.jsonl", head, end)
    load_population(registry).save(tmp_path / "memory.kzstore")
    ways = _Ways(monkeypatch)
    import_registry(registry, tmp_path / "fast.kzstore", chunk=16)
    assert (ways.fast, ways.exact) == ((2, 1) if name in ODD_FOR_THE_FAST_WAY else (3, 0))
    _same_store(tmp_path / "memory.kzstore", tmp_path / "fast.kzstore")


# --- and bad lines it refuses with the exact way's message --------------------------------

BAD_LINES = {
    "1 is no boolean": '{"id": "b", "victim_alive": 1}',
    "0 is no boolean": '{"id": "b", "events": [{"as_family_member": 0}]}',
    "a float is no integer": '{"id": "b", "claimant_birth_year": 1950.0}',
    "a boolean is no integer": '{"id": "b", "claimant_birth_year": true}',
    "too big an integer": '{"id": "b", "victim_birth_year": 9007199254740993}',
    "a huge integer": '{"id": "b", "victim_birth_year": 1' + "0" * 400 + "}",
    "not a date": '{"id": "b", "victim_died": "1937-13"}',
    "a number for a date": '{"id": "b", "events": [{"start": 1937}]}',
    "not an enum value": '{"id": "b", "events": [{"measure": "banishment"}]}',
    "a list for an enum": '{"id": "b", "claimant": ["child"]}',
    "not a country": '{"id": "b", "citizenship": "kz"}',
    "a blank string": '{"id": "b", "events": [{"charge": "  "}]}',
    "a lone surrogate": '{"id": "b\\ud800"}',
    "no id": '{"claimant": "child"}',
    "a blank id": '{"id": " "}',
    "a number id": '{"id": 7}',
    "an unknown key": '{"id": "b", "claimnt": "child"}',
    "a derived key": '{"id": "b", "events": [{"year": 1937}]}',
    "a key twice": '{"id": "b", "claimant": "child", "claimant": "heir"}',
    "a key twice, blanks": '{"id" : "b", "id" : "c"}',
    # msgspec keeps the last of a key given twice: the keys are counted
    "a key twice, null first": '{"id": "b", "claimant": null, "claimant": "heir"}',
    "an event's key twice, null first": '{"id": "b", "events": [{"place": null, "place": "KZ"}]}',
    "a key twice, escaped": '{"id": "b", "\\u0069d": "c"}',
    "two claims on a line": '{"id": "b"} {"id": "b2"}',
    "a claim on two lines": '{"id": "b",\n"claimant": "heir"}',
    "an enum's value in capitals": '{"id": "b", "claimant": "Child"}',
    "a country of three letters": '{"id": "b", "events": [{"destination": "KAZ"}]}',
    "an exponent for an integer": '{"id": "b", "claimant_birth_year": 1e3}',
    "a null event": '{"id": "b", "events": [null]}',
    # JSON that the standard decoder refuses, and msgspec too
    "a plus sign": '{"id": "b", "claimant_birth_year": +1}',
    "a leading zero": '{"id": "b", "claimant_birth_year": 01}',
    "a comma before the end of a list": '{"id": "b", "events": [{"place": "KZ"},]}',
    "a tab in a string": '{"id": "b\tc"}',
    "single quotes": "{'id': 'b'}",
    "True": '{"id": "b", "victim_alive": True}',
    "a bracket too many": '{"id": "b"}]',
    "events not a list": '{"id": "b", "events": {"measure": "exile"}}',
    "an event not an object": '{"id": "b", "events": ["exile"]}',
    "an event id twice": '{"id": "b", "events": [{"id": "e"}, {"id": "e"}]}',
    "a claim not an object": "[1, 2]",
    "a header later": '{"kzrehab": "population", "version": 1, "name": "x", "synthetic": true}',
    "invalid JSON": '{"id": "b",}',
    "NaN": '{"id": "b", "victim_birth_year": NaN}',
    "a duplicate claim id": '{"id": "c3"}',
    "too many events": '{"id": "b", "events": [' + ", ".join(["{}"] * 6) + "]}",
    "a NUL byte": '{"id": "b\x00"}',
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_a_bad_line_is_refused_as_the_exact_way_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("KZREHAB_MAX_EVENTS_PER_CLAIM", "5")
    registry = _registry(tmp_path / "r.jsonl", "", "", insert={25: BAD_LINES[name] + "\n"})
    with pytest.raises(RegistryError) as whole:
        load_population(registry)
    assert ":26:" in str(whole.value) or name == "a duplicate claim id"
    for jobs in (1, 2):
        with pytest.raises(RegistryError) as streamed:
            import_registry(registry, tmp_path / "out.kzstore", chunk=16, jobs=jobs)
        assert str(streamed.value) == str(whole.value)
        assert not (tmp_path / "out.kzstore").exists()


def test_a_long_line_after_a_bad_one_comes_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KZREHAB_MAX_LINE_BYTES", "300")
    registry = _registry(tmp_path / "r.jsonl", "", "", insert={
        20: '{"id": "b", "claimant": "king"}\n', 30: '{"id": "' + "x" * 400 + '"}\n'})
    for jobs in (1, 2):
        with pytest.raises(RegistryError, match=r"r\.jsonl:21: claimant: 'king'"):
            import_registry(registry, tmp_path / "out.kzstore", chunk=8, jobs=jobs)
    registry = _registry(tmp_path / "r.jsonl", "", "", insert={
        20: '{"id": "c3"}\n', 30: '{"id": "' + "x" * 400 + '"}\n'})
    for jobs in (1, 2):  # the duplicate id before the long line is the first problem
        with pytest.raises(RegistryError, match=r"r\.jsonl:21: id: duplicate claim id 'c3'"):
            import_registry(registry, tmp_path / "out.kzstore", chunk=8, jobs=jobs)


def test_a_header_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    """(The fast way read the header without looking for a key given twice: the import
    took a header that reading the registry whole refuses.)"""
    head = '{"kzrehab": "population", "version": 1, "version": 1, "name": "n", "synthetic": true}\n'
    registry = _registry(tmp_path / "r.jsonl", head, "")
    with pytest.raises(RegistryError) as whole:
        load_population(registry)
    assert "key 'version' is given twice" in str(whole.value)
    for jobs in (1, 2):
        with pytest.raises(RegistryError) as streamed:
            import_registry(registry, tmp_path / "out.kzstore", chunk=16, jobs=jobs)
        assert str(streamed.value) == str(whole.value)


# --- the two ways on generated registries, bad lines among good ones ----------------------

#: values put where they may not fit
_WRONG_VALUES: list[Any] = [None, 1, -1, 2**53, 2**60, 1.5, True, "", " ", "x", "KZ", "1937-05",
                            [], {}]  # fmt: skip


def _mutations(obj: dict[str, Any]) -> st.SearchStrategy[str]:
    """The text of a claim's line, odd or bad: blanks around colons, escapes, a value that
    does not fit, an unknown or a derived key, a key given twice, cut short, two claims."""
    keys = [k for k in obj if k != "events"] or ["id"]
    events = obj.get("events") or []

    def dumps(o: Any, **kw: Any) -> str:
        return json.dumps(o, **{"ensure_ascii": False, **kw})

    def twice(key: str, value: Any) -> str:  # the key given again, first
        return "{" + f"{dumps(key)}: {dumps(value)}, " + dumps(obj)[1:]

    def in_event(i: int, key: str, value: Any) -> str:
        evs = [dict(e) for e in events]
        evs[i % len(evs)][key] = value
        return dumps({**obj, "events": evs})

    options = [
        st.just(dumps(obj)),
        st.just(dumps(obj, separators=(" , ", " : "))),
        st.just(dumps(obj, ensure_ascii=True)),
        st.sampled_from(["", "   ", "\x0c", "\t"]),
        st.builds(lambda k, v: dumps({**obj, k: v}), st.sampled_from([*keys, "claimnt", "year"]),
                  st.sampled_from(_WRONG_VALUES)),
        st.builds(twice, st.sampled_from(keys), st.sampled_from(_WRONG_VALUES)),
        st.builds(lambda n: dumps(obj)[:n], st.integers(0, 40)),
        st.just(dumps(obj) + " " + dumps(obj)),
        st.just(dumps(obj).replace('"id"', '"\\u0069d"', 1)),
    ]
    if events:
        options.append(st.builds(in_event, st.integers(0, 9),
                                 st.sampled_from(["id", "place", "start", "measure", "charge",
                                                  "year", "as_family_member"]),
                                 st.sampled_from(_WRONG_VALUES)))  # fmt: skip
    return st.one_of(options)


@st.composite
def _registries(draw: st.DrawFn) -> str:
    claims_ = draw(populations(max_size=10))
    lines = []
    for claim in claims_:
        obj = claim_to_dict(claim)
        lines.append(draw(_mutations(obj)) if draw(st.integers(0, 3)) == 0 else json.dumps(obj))
    return "".join(line + "\n" for line in lines)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(text=_registries())
def test_the_two_ways_agree_on_bad_lines_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A registry with odd and bad lines among good ones: the fast way and the exact way
    refuse it with the same message, or both write the same store."""
    registry = tmp_path / "r.jsonl"
    registry.write_text(text, encoding="utf-8")
    results = {}
    for way in ("exact", "fast"):
        out = tmp_path / f"{way}.kzstore"
        out.unlink(missing_ok=True)
        with monkeypatch.context() as m:
            _Ways(m, exact=way == "exact")
            try:
                import_registry(registry, out, chunk=4)
            except RegistryError as exc:
                results[way] = str(exc)
            else:
                results[way] = "written"
    assert results["fast"] == results["exact"]
    if results["fast"] == "written":
        _same_store(tmp_path / "exact.kzstore", tmp_path / "fast.kzstore")


@given(raws=st.lists(st.binary(max_size=40), max_size=30))
def test_the_keys_of_many_ids_are_the_key_of_each(raws: list[bytes]) -> None:
    keys = id_keys(raws)
    assert keys.dtype == np.uint64 and keys.flags.writeable
    assert keys.tolist() == [id_key(r) for r in raws]
