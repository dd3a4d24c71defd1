"""Untrusted input, second round: every case gives exit status 2, a message naming the file
and the place, no traceback — and leaves every input as it was.

Each test writes its inputs under ``tmp_path``, takes a snapshot of every file there (its
kind and bytes), runs :func:`kzrehab.cli.main` in process and compares the snapshot after.
Cases: lone surrogates in a registry, git revisions and paths GitPython cannot read, limit
variables and sizes out of range, devices and FIFOs as inputs, chains of definitions too
deep to evaluate, cache entries made under other limits, and ``-o`` that would harm an
input (see ``docs/cli.rst``).
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kzrehab import _io
from kzrehab.cli import main

from .test_cli_errors import CLAIM, LAW, line_of, registry, write
from .test_gitstore import commit, make_repo, toy


def snapshot(root: Path) -> dict[str, tuple[str, bytes]]:
    """Every path under ``root``: its kind and, for a regular file, its bytes."""
    found: dict[str, tuple[str, bytes]] = {}
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts:
            continue
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[str(path)] = ("link", os.readlink(path).encode())
        elif stat.S_ISREG(mode):
            found[str(path)] = ("file", path.read_bytes())
        else:
            found[str(path)] = (oct(stat.S_IFMT(mode)), b"")
    return found


class Outcome:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def bad(self, *needles: str) -> None:
        """Exit status 2, a message holding every needle, and no traceback."""
        assert self.status == 2, (self.status, self.out, self.err)
        assert "Traceback" not in self.err + self.out
        assert "kzrehab: error: " in self.err, self.err
        for needle in needles:
            assert needle in self.err, (needle, self.err)


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the inputs, the current directory; nothing in it may change."""
    folder = tmp_path / "in"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    return folder


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], inputs: Path) -> Any:
    """Run a command line; assert that the files under ``inputs`` did not change."""

    def go(*argv: str | Path) -> Outcome:
        before = snapshot(inputs)
        status = main([str(a) for a in argv])
        captured = capsys.readouterr()
        assert snapshot(inputs) == before, "an input changed"
        return Outcome(status, captured.out, captured.err)

    return go


# -- a lone surrogate in a registry ------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("population", "info", "{pop}"), ("population", "import", "{pop}", "-o", "../out.jsonl"),
     ("coverage", "law.toml", "--population", "{pop}"),
     ("explain", "c1", "law.toml", "--population", "{pop}")],
    ids=["info", "import", "coverage", "explain"],
)  # fmt: skip
@pytest.mark.parametrize("field", ["id", "victim_id", "events[0].id"])
def test_a_lone_surrogate_in_a_registry(run: Any, inputs: Path, command: tuple[str, ...],
                                        field: str) -> None:  # fmt: skip
    write(inputs, "law.toml", LAW)
    claim = json.loads(json.dumps(CLAIM))
    if field == "events[0].id":
        claim["events"][0]["id"] = "e\ud800"
    else:
        claim[field] = "x\udc00y"
    # json.dumps writes the lone surrogate as the escape \ud800, as a hostile file would
    pop = registry(inputs, [json.dumps(CLAIM), json.dumps(claim).replace('"c1"', '"c2"')])
    argv = [a.format(pop=pop.name) for a in command]
    run(*argv).bad("r.jsonl:2", field, "surrogate")


def test_a_lone_surrogate_in_a_population_name(run: Any, inputs: Path) -> None:
    header = '{"kzrehab": "population", "version": 1, "name": "\\ud800", "synthetic": false}'
    pop = registry(inputs, [header, CLAIM])
    run("population", "info", pop).bad("r.jsonl:1", "name")


# -- git ---------------------------------------------------------------------------------


@pytest.fixture
def repo(inputs: Path) -> Path:
    root = make_repo(inputs / "repo")
    commit(root, {"drafts/toy.toml": toy()}, "toy v1")
    os.chdir(root)
    return root


def test_a_reflog_date_revision(run: Any, repo: Path) -> None:
    pop = registry(repo.parent, [CLAIM])
    run("diff", "drafts", "--from", "HEAD@{yesterday}", "--population", pop).bad(
        "HEAD@{yesterday}", "unknown revision")


def test_a_path_through_a_file(run: Any, repo: Path) -> None:
    pop = registry(repo.parent, [CLAIM])
    run("compare", "--base", "drafts/toy.toml", "--with", "HEAD:drafts/toy.toml/x.toml",
        "--population", pop).bad("drafts/toy.toml/x.toml", "drafts/toy.toml is a file")


def test_a_path_inside_a_submodule(run: Any, repo: Path) -> None:
    sub = make_repo(repo.parent / "sub")
    commit(sub, {"laws/toy.toml": toy().replace('id = "toy"', 'id = "other"')}, "sub")
    subprocess.run(["git", "-c", "protocol.file.allow=always", "submodule", "-q", "add",
                    str(sub), "vendored"], cwd=repo, check=True)  # fmt: skip
    subprocess.run(["git", "commit", "-q", "-m", "submodule"], cwd=repo, check=True)
    pop = registry(repo.parent, [CLAIM])
    for ref, needle in (("HEAD:vendored/laws/toy.toml", "vendored is a submodule"),
                        ("HEAD:vendored", "is a submodule")):  # fmt: skip
        run("compare", "--base", "drafts/toy.toml", "--with", ref, "--population", pop).bad(
            ref.partition(":")[2], needle)


# -- sizes and limits ------------------------------------------------------------------


@pytest.mark.parametrize("size", ["99999999999999999999", "1000000000", "9" * 5000])
def test_synth_size_over_its_limit(run: Any, inputs: Path, size: str) -> None:
    run("population", "synth", "--size", size, "-o", "p.jsonl").bad("--size")
    assert not (inputs / "p.jsonl").exists()


def test_synth_size_limit_names_its_variable(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREHAB_MAX_SYNTH_SIZE", "10")
    run("population", "synth", "--size", "11", "-o", "p.jsonl").bad(
        "--size 11", "KZREHAB_MAX_SYNTH_SIZE")


@pytest.mark.parametrize("value", ["9" * 40, "99999999999999999999", "0", "-5", "1e6", "abc",
                                   "\u0663"])  # fmt: skip
@pytest.mark.parametrize("variable", ["KZREHAB_MAX_FILE_BYTES", "KZREHAB_MAX_EXPRESSION_DEPTH",
                                      "KZREHAB_MAX_REGISTRY_BYTES", "KZREHAB_MAX_SYNTH_SIZE"])
def test_limit_variables_are_range_checked(run: Any, inputs: Path, monkeypatch: pytest.MonkeyPatch,
                                           variable: str, value: str) -> None:  # fmt: skip
    write(inputs, "law.toml", LAW)
    monkeypatch.setenv(variable, value)
    run("check", "law.toml").bad(variable, "is not a whole number from 1 to")


def test_a_limit_variable_in_range_is_used(run: Any, inputs: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    write(inputs, "law.toml", LAW)
    monkeypatch.setenv("KZREHAB_MAX_FILE_BYTES", str(1024**3))
    assert run("check", "law.toml").status == 0


# -- devices and FIFOs as inputs ---------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


def _in_a_process(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line in a child process, so that a FIFO that blocks it cannot block
    the tests (the timeout only guards against a hang; nothing is timed)."""
    return subprocess.run([sys.executable, "-m", "kzrehab", *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


@needs_fifo
@pytest.mark.parametrize(
    ("name", "argv", "needle"),
    [("f.jsonl", ["coverage", "law.toml", "--population", "f.jsonl"], "not a registry file"),
     ("f.csv", ["coverage", "law.toml", "--population", "f.csv"], "not a registry file"),
     ("f.kzstore", ["population", "info", "f.kzstore"], "not a registry file"),
     ("f.toml", ["check", "f.toml"], "not a regular file"),
     ("f.toml", ["export", "f.toml", "--to", "akn"], "not a regular file"),
     ("f.toml", ["coverage", "f.toml", "--population", "r.jsonl"], "not a regular file")],
)  # fmt: skip
def test_a_fifo_as_an_input(inputs: Path, name: str, argv: list[str], needle: str) -> None:
    write(inputs, "law.toml", LAW)
    registry(inputs, [CLAIM])
    os.mkfifo(inputs / name)
    before = snapshot(inputs)
    done = _in_a_process(*argv, cwd=inputs)
    assert done.returncode == 2, done.stderr
    assert f"{name}: " in done.stderr and needle in done.stderr and "FIFO" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(inputs) == before


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not a zip", b'{"claims": 1}\n',
                                     bytes(range(256)) * 8])
@pytest.mark.parametrize("command", [("population", "info", "s.kzstore"),
                                     ("coverage", "law.toml", "--population", "s.kzstore")])
def test_a_file_named_as_a_store_that_is_not_one(run: Any, inputs: Path, content: bytes,
                                                 command: tuple[str, ...]) -> None:  # fmt: skip
    """Said as what it is: a damaged store or another file, not "cannot tell the format …
    supported are … a kzrehab columnar store (NAME.kzstore)", which its name already is."""
    write(inputs, "law.toml", LAW)
    (inputs / "s.kzstore").write_bytes(content)
    out = run(*command)
    out.bad("s.kzstore: ", "is named like a kzrehab columnar store but is not one")
    assert "cannot tell the format" not in out.err


@needs_dev_zero
@pytest.mark.parametrize("name", ["zero.jsonl", "zero.toml", "zero.csv"])
def test_a_device_as_an_input(run: Any, inputs: Path, name: str) -> None:
    write(inputs, "law.toml", LAW)
    write(inputs, "zero.events.csv", "claim_id\n")
    (inputs / name).symlink_to("/dev/zero")
    if name.endswith(".toml"):
        run("check", name).bad(f"{name}: ", "character device")
    else:
        run("coverage", "law.toml", "--population", name).bad(f"{name}: ", "character device")
    run("population", "info", "/dev/zero").bad("/dev/zero: ", "character device")


# -- definitions too deep to evaluate ----------------------------------------------------


def test_a_chain_of_definitions_fails_in_check_with_its_place(run: Any, inputs: Path) -> None:
    """Each definition is shallow, the chain is 400 deep: check says where, before coverage
    fails with no file or line."""
    chain = "\n".join(f'd{i} = "not d{i - 1}"' for i in range(1, 400))
    text = LAW.replace("exiled = \"events[measure == 'exile']\"",
                       "exiled = \"events[measure == 'exile']\"\nd0 = \"victim_alive\"\n" + chain)
    text = text.replace('when = "exists(exiled)"', 'when = "exists(exiled) and d399"')
    law = write(inputs, "law.toml", text)
    where = f"law.toml:{line_of(text, 'd100 = ')}"
    run("check", law).bad(where, "definitions.d100", "KZREHAB_MAX_EXPRESSION_DEPTH")
    registry(inputs, [CLAIM])
    run("coverage", law, "--population", "r.jsonl").bad(where, "definitions.d100")


# -- a cache entry made under other limits ------------------------------------------------


def test_log_does_not_serve_a_status_made_under_raised_limits(
    run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "exiled" + " " * 25_000  # over the limit on expression length, by its spaces
    commit(repo, {"drafts/toy.toml": toy().replace('when = "exiled"', f'when = "{long}"')},
           "a long rule")  # fmt: skip
    pop = registry(repo.parent, [CLAIM])
    argv = ["log", "drafts", "--population", pop, "--format", "json", "-n", "1"]
    monkeypatch.setenv("KZREHAB_MAX_EXPRESSION_LENGTH", "100000")
    raised = run(*argv)
    assert raised.status == 0 and json.loads(raised.out)["commits"][0]["status"] is not None, \
        raised.out
    monkeypatch.delenv("KZREHAB_MAX_EXPRESSION_LENGTH")
    run("coverage", "drafts", "--population", pop).bad("toy.toml", "KZREHAB_MAX_EXPRESSION_LENGTH")
    default = run(*argv)
    assert default.status == 0
    row = json.loads(default.out)["commits"][0]
    assert row["status"] is None and "KZREHAB_MAX_EXPRESSION_LENGTH" in row["error"]


# -- -o never harms an input ------------------------------------------------------------


@pytest.fixture
def files(inputs: Path) -> Path:
    write(inputs, "law.toml", LAW)
    registry(inputs, [CLAIM])
    (inputs / "drafts").mkdir()
    write(inputs / "drafts", "law.toml", LAW.replace('id = "test-law"', 'id = "other-law"'))
    write(inputs, "c.csv", "id,claimant\nc1,victim\n")
    write(inputs, "c.events.csv", "claim_id,measure\nc1,exile\n")
    return inputs


@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["coverage", "law.toml", "-o", "law.toml"], "would overwrite the draft law.toml"),
     (["coverage", "law.toml", "-o", "./sub/../law.toml"], "would overwrite the draft"),
     (["export", "law.toml", "--to", "akn", "-o", "law.toml"], "would overwrite the draft"),
     (["export", "law.toml", "--to", "akn", "--with", "drafts", "-o", "drafts/law.toml"],
      "lies inside drafts"),
     (["coverage", "drafts", "-o", "drafts/report.html"], "lies inside drafts"),
     (["coverage", "law.toml", "--population", "r.jsonl", "-o", "r.jsonl"],
      "would overwrite the registry r.jsonl"),
     (["coverage", "law.toml", "--population", "c.csv", "-o", "c.events.csv"],
      "would overwrite the registry c.csv"),
     (["explain", "c1", "law.toml", "--population", "r.jsonl", "-o", "r.jsonl"],
      "would overwrite the registry"),
     (["explain", "c1", "law.toml", "--against", "drafts", "-o", "drafts/law.toml"],
      "lies inside drafts"),
     (["population", "import", "r.jsonl", "-o", "r.jsonl"], "would overwrite the registry"),
     (["status", "drafts", "-o", "drafts/law.toml"], "lies inside drafts"),
     (["compare", "--base", "law.toml", "--with", "drafts", "-o", "law.toml"],
      "would overwrite the draft")],
)  # fmt: skip
def test_output_onto_an_input(run: Any, files: Path, argv: list[str], needle: str) -> None:
    run(*argv).bad(f"-o {argv[-1]}", needle, "an input" if "overwrite" in needle else "reads")


def test_output_onto_a_hard_link_of_an_input(run: Any, files: Path) -> None:
    os.link(files / "law.toml", files / "same.txt")
    run("coverage", "law.toml", "-o", "same.txt").bad("-o same.txt", "the draft law.toml")


def test_output_into_the_cache(run: Any, files: Path, tmp_path: Path) -> None:
    entry = tmp_path / "cache" / "records" / "ab" / "x.json"
    entry.parent.mkdir(parents=True)
    entry.write_text("{}")
    run("coverage", "law.toml", "--population", "r.jsonl", "-o", entry).bad(
        "lies inside", "kzrehab's cache")
    assert entry.read_text() == "{}"


def test_output_through_a_symbolic_link_is_refused(run: Any, files: Path) -> None:
    """The choice documented in docs/cli.rst: a link is never written through, nor replaced."""
    (files / "target.txt").write_text("kept")
    (files / "link.txt").symlink_to("target.txt")
    (files / "dangling.txt").symlink_to("nowhere.txt")
    for name in ("link.txt", "dangling.txt"):
        run("coverage", "law.toml", "--population", "r.jsonl", "-o", name).bad(
            f"cannot write {files / name}: it is a symbolic link")
    assert (files / "target.txt").read_text() == "kept"
    assert not (files / "nowhere.txt").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_output_to_a_device_is_refused(run: Any, files: Path) -> None:
    run("coverage", "law.toml", "--population", "r.jsonl", "-o", "/dev/full").bad(
        "/dev/full", "character device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@needs_fifo
def test_output_to_a_fifo_is_refused(files: Path) -> None:
    os.mkfifo(files / "pipe")
    done = _in_a_process("coverage", "law.toml", "--population", "r.jsonl", "-o", "pipe",
                         cwd=files)  # fmt: skip
    assert done.returncode == 2 and "pipe: it is a FIFO" in done.stderr
    assert stat.S_ISFIFO(os.stat(files / "pipe").st_mode)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_output_to_a_socket_is_refused(run: Any, files: Path, tmp_path: Path) -> None:
    path = tmp_path / "s"  # outside the inputs: the socket is closed after the test
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        run("coverage", "law.toml", "--population", "r.jsonl", "-o", path).bad(
            "it is a socket")
        assert stat.S_ISSOCK(os.stat(path).st_mode)


# -- temporary files of interrupted writes -----------------------------------------------


def _old(path: Path, seconds: float = 24 * 3600) -> Path:
    """Make ``path`` (created if missing) older than :data:`kzrehab._io.STALE_SECONDS`."""
    then = time.time() - seconds
    path.touch()
    os.utime(path, (then, then))
    return path


def test_stale_temporary_files_are_cleaned_on_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    stale = tmp_path / ".report.txt.0123456789ab.tmp"
    stale.write_bytes(b"x" * 1000)
    _old(stale)
    fresh = tmp_path / ".report.txt.ba9876543210.tmp"  # a write in progress, maybe
    fresh.write_bytes(b"y")
    other = _old(tmp_path / ".other.txt.0123456789ab.tmp")  # another file's
    unlike = _old(tmp_path / ".report.txt.notours.tmp")  # not a name kzrehab makes
    linked = tmp_path / ".report.txt.cccccccccccc.tmp"
    linked.symlink_to(tmp_path / "elsewhere")
    _io.write_atomic(out, "report\n")
    assert out.read_text() == "report\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists() and unlike.exists() and linked.is_symlink()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_temporary_file_in_use_is_kept_however_old(tmp_path: Path) -> None:
    """A write holds a lock on its temporary file: a slow write is never cleaned away."""
    import fcntl

    busy = tmp_path / ".report.txt.00000000000a.tmp"
    busy.write_bytes(b"half")
    _old(busy)
    with open(busy, "rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        _io.write_atomic(tmp_path / "report.txt", "report\n")
        assert busy.exists()
    _io.write_atomic(tmp_path / "report.txt", "again\n")
    assert not busy.exists()


def test_a_command_cleans_what_an_interrupted_command_left(files: Path) -> None:
    stale = files / ".out.jsonl.fedcba987654.tmp"
    stale.write_bytes(b"{" * 100)
    _old(stale)
    status = main(["population", "import", "r.jsonl", "-o", "out.jsonl"])
    assert status == 0 and not stale.exists() and (files / "out.jsonl").is_file()


# -- identity is not a fact ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "name"),
    [('when = "exists(exiled)"', "when = \"exists(exiled) and id != 'P-007'\"",
      "article[0].ground[0].when", "id"),
     ('when = "exists(exiled)"', "when = \"not (victim_id == 'P-007' and exists(exiled))\"",
      "article[0].ground[0].when", "victim_id"),
     ('amount = "10 * MCI"', "amount = \"10 * MCI * count(events[claim.id == 'P-007'])\"",
      "article[0].component[0].amount", "id"),
     ("exiled = \"events[measure == 'exile']\"",
      "exiled = \"events[measure == 'exile' and startswith(claim.victim_id, 'P')]\"",
      "definitions.exiled", "victim_id"),
     ("exiled = \"events[measure == 'exile']\"",
      "exiled = \"events[measure == 'exile' and id != 'e1']\"", "definitions.exiled", "id")],
)  # fmt: skip
def test_identity_is_not_a_fact(run: Any, inputs: Path, old: str, new: str, key: str,
                                name: str) -> None:  # fmt: skip
    text = LAW.replace(old, new)
    assert text != LAW
    law = write(inputs, "law.toml", text)
    line = line_of(text, new)
    for argv in (["check", law], ["coverage", law, "--population", registry(inputs, [CLAIM])]):
        run(*argv).bad(f"law.toml:{line}:", key, f"'{name}' identifies a claim")


# -- hand-made and altered stores ----------------------------------------------------------


def _store(inputs: Path) -> Path:
    from kzrehab.population import load_population

    pop = load_population(Path(__file__).parent / "data" / "sample.jsonl")
    path = inputs / "s.kzstore"
    pop.save(path)
    return path


def _rewrite(path: Path, change: Any, *, rehash: bool = True, meta: Any = None) -> None:
    """Change a store's arrays as a hand-made store would: with the hashes recomputed to
    match (``rehash``), or tampered with behind them."""
    import io

    import numpy as np

    from kzrehab.population import hashing

    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    document = json.loads(arrays.pop("meta").tobytes())
    change(arrays)
    if rehash:
        document.update(hashing.hashed(arrays))
    if meta is not None:
        meta(document)
    arrays["meta"] = np.frombuffer(json.dumps(document).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def _set(name: str, index: int, value: Any) -> Any:
    def change(arrays: dict[str, Any]) -> None:
        arrays[name] = arrays[name].copy()
        arrays[name][index] = value

    return change


def _bad_ids(arrays: dict[str, Any]) -> None:
    import numpy as np

    arrays["ids"] = np.concatenate([np.frombuffer(b"\xff", np.uint8), arrays["ids"][1:]])


def _fewer_claims(document: dict[str, Any]) -> None:
    document["claims"] -= 1


def _measure_code(arrays: dict[str, Any]) -> None:
    """A measure whose code points at a country in the string table."""
    import numpy as np

    strings = bytes(arrays["strings"]).decode()
    offsets = arrays["strings.offsets"]
    table = [strings[a:b] for a, b in itertools.pairwise(offsets)]
    arrays["event.measure"] = arrays["event.measure"].copy()
    arrays["event.measure"][0] = np.int32(table.index("KZ"))


@pytest.mark.parametrize(
    ("change", "meta", "needle"),
    [(None, _fewer_claims, "s.kzstore"),
     (_measure_code, None, "event.measure: 'KZ' is not a measure value"),
     (_set("claim.claimant", 0, 10**6), None, "claim.claimant: a code is outside its table"),
     (_bad_ids, None, "ids: a string is not UTF-8"),
     (_set("offsets", 1, 10**9), None, "offsets: the offsets of the claims' events"),
     (_set("event.start.lo", 0, float("nan")), None, "event.start: a value is NaN"),
     (_set("event.start.hi", 0, 1e300), None, "event.start: a date is not a day"),
     (_set("claim.victim_alive", 0, 7), None, "claim.victim_alive: a value is not 0, 1 or 2"),
     (_set("event_claim", 0, 5), None, "event_claim: events are not sorted")],
    ids=["claim-count", "enum-code", "code-range", "ids-utf8", "offsets", "nan-date",
         "date-range", "kleene", "event-claim"],
)  # fmt: skip
@pytest.mark.parametrize("command", ["coverage", "explain"])
def test_a_hand_made_store(run: Any, inputs: Path, change: Any, meta: Any, needle: str,
                           command: str) -> None:  # fmt: skip
    path = _store(inputs)
    claim = json.loads((Path(__file__).parent / "data" / "sample.jsonl").read_text(
        encoding="utf-8").splitlines()[1])["id"]  # fmt: skip
    _rewrite(path, change or (lambda arrays: None), meta=meta)
    write(inputs, "law.toml", LAW)
    argv = {"coverage": ["coverage", "law.toml", "--population", path],
            "explain": ["explain", claim, "law.toml", "--population", path]}[command]
    if needle.startswith("ids") and command == "coverage":
        argv.append("--claims")  # the ids are read only when claims are named
    run(*argv).bad("s.kzstore: ", needle)


def test_an_altered_column_is_an_error(run: Any, inputs: Path) -> None:
    path = _store(inputs)
    _rewrite(path, _set("event.measure", 0, 0), rehash=False)
    write(inputs, "law.toml", LAW)
    run("coverage", "law.toml", "--population", path).bad(
        "s.kzstore: event.measure: block 0 of the array (from byte 0) does not match its "
        "recorded hash")


def test_metadata_cannot_claim_another_populations_digest(inputs: Path) -> None:
    from kzrehab.population import StoredPopulation

    one, two = inputs / "one.kzstore", _store(inputs)
    two.rename(one)
    _store(inputs)
    _rewrite(two, _set("claim.victim_alive", 0, 1),
             meta=lambda d: d.update(digest=StoredPopulation.open(one).digest))
    assert StoredPopulation.open(two).digest != StoredPopulation.open(one).digest


def test_an_old_store_is_refused_with_a_clear_message(run: Any, inputs: Path) -> None:
    path = _store(inputs)
    _rewrite(path, lambda arrays: None, meta=lambda d: d.update(format="kzrehab-store/1"))
    run("population", "info", path).bad("s.kzstore: ", "kzrehab-store/1", "re-import")


def test_the_cached_reference_population_is_rebuilt_when_altered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzrehab.population import reference_population

    monkeypatch.setenv("KZREHAB_CACHE", str(tmp_path / "cache"))
    reference_population.cache_clear()
    try:
        first = reference_population(300, 5)
        (cached,) = (tmp_path / "cache" / "population").glob("reference-300-seed5-*.kzstore")
        _rewrite(cached, _set("event.measure", 0, 0), rehash=False)
        reference_population.cache_clear()
        again = reference_population(300, 5)
        assert again.digest == first.digest and again.claims == first.claims
    finally:
        reference_population.cache_clear()
