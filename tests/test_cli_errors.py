"""Every command meets ordinary trouble with one line and a documented exit code, never a
traceback (issue 11): read-only stores, FIFOs, killed parents, bad gold files, odd encodings,
bad settings, closed pipes. The commands run through ``main``, as the ``claims`` script runs them:
in a subprocess where the process itself is the point (signals, pipes, FIFOs, killed parents),
else in this process with their own standard streams and environment (``claims_here``).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def claims(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``claims ARGS`` in a fresh process; the output as text."""
    proc = subprocess.run([sys.executable, "-m", "extraction.cli", *args], input=stdin, capture_output=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout)
    out = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                      proc.stderr.decode("utf-8", "replace"))
    assert "Traceback" not in out.stdout + out.stderr, out.stderr
    return out


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2: keep stderr apart
    except TypeError:
        return CliRunner()  # click >= 8.2 always does


def claims_here(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess:
    """Run ``claims ARGS`` through ``main`` (its error handling and exit codes) in this process,
    with its own stdin, stdout, stderr and environment variables; the output as text. The same
    answer as ``claims`` without starting Python and spaCy again."""
    from extraction.cli.main import main
    from extraction.run.settings import get_settings

    pipe, argv = signal.getsignal(signal.SIGPIPE), sys.argv
    get_settings.cache_clear()  # read the settings from this run's environment
    try:
        with _runner().isolation(input=stdin, env=env) as streams:
            sys.argv = ["claims", *args]
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            out, err = (s.getvalue().decode("utf-8", "replace") for s in streams[:2])
    finally:
        sys.argv = argv
        signal.signal(signal.SIGPIPE, pipe)  # main lets reading commands die of SIGPIPE, as a process
        get_settings.cache_clear()
    assert "Traceback" not in out + err, err
    return subprocess.CompletedProcess(["claims", *args], code, out, err)


@pytest.fixture(scope="module")
def store(tmp_path_factory, seeds_dir) -> Path:
    db = tmp_path_factory.mktemp("errors") / "claims.db"
    assert runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"]).exit_code == 0
    return db


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


READERS = [["query", "Kursk troops"], ["export"], ["export", "--format", "csv"], ["duplicates"], ["conflicts"],
           ["failures"], ["evaluate", "--gold", "GOLD"]]


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a[:3]))
def test_cli_errors_read_only_store_answers(store, tmp_path, monkeypatch, args):
    """A store the user may only read (a shared file, a read-only mount): every command that only
    reads opens it read-only, answers, and leaves the file as it was."""
    ro = tmp_path / "shared.db"
    ro.write_bytes(store.read_bytes())
    ro.chmod(0o444)
    before = _digest(ro)
    real_access = os.access

    def access(path, mode, *a, **kw):  # the tests run as root, who may write anything
        return False if mode & os.W_OK and Path(path) in (ro, tmp_path) else real_access(path, mode, *a, **kw)

    monkeypatch.setattr(os, "access", access)
    gold = tmp_path / "kursk.gold.jsonl"
    gold.write_text('{"doc": "004_7e7fffae3bfed34c", "kind": "personnel", "value": 50000, "unit": "count"}\n')
    result = runner.invoke(app, [*[str(gold) if a == "GOLD" else a for a in args], "--db", str(ro)])
    assert result.exit_code == 0, result.output
    assert "writable" not in result.output
    assert _digest(ro) == before


def test_cli_errors_read_only_connection_cannot_write(store):
    from models.errors import StoreError
    from models.store import ClaimStore

    with ClaimStore(store, readonly=True) as s:
        assert s.count_claims() > 20
        with pytest.raises(StoreError, match="read-only"):
            s.mark_corpus_fresh()


def test_cli_errors_fifo_in_a_folder_is_a_failure_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Some 50,000 troops were massed near the border.")
    os.mkfifo(folder / "b.txt")
    (folder / "c.txt").write_text("The army lost 120 tanks in a week, officials said.")
    result = claims("ingest", str(folder), "--db", str(tmp_path / "c.db"), "--quiet", timeout=60)
    assert result.returncode == 1
    assert f"{folder / 'b.txt'}: ingest error (unreadable): not a regular file" in result.stderr
    assert json.loads(result.stdout)["added"] == 2


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, parent in parents.items() if parent == p}
        found |= kids
        todo += kids
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_cli_errors_workers_exit_when_the_parent_is_killed(tmp_path, dumps):
    dump = tmp_path / "dump.jsonl"
    dumps.write_jsonl(dump, 1000, seed=3)  # still running when its pool has started
    proc = subprocess.Popen([sys.executable, "-m", "extraction.cli", "ingest", str(dump), "--db",
                             str(tmp_path / "k.db"), "--workers", "2", "--quiet"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 3:  # the fork server and its two workers
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert len(workers) >= 3, "the pool never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.2)
    left = [p for p in workers if Path(f"/proc/{p}").exists()]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, f"worker processes outlived their parent: {left}"


@pytest.mark.parametrize("line, message", [
    ('{"doc": "a", "kind": "personnel", "value": "50,000", "unit": "count"}', "value '50,000': not a number"),
    ('["a", "personnel"]', "a JSON list, not an object"),
    ('{"doc": "a", "kind": "personnel", "value": 5', "not JSON"),
    ('{"doc": "a", "kind": "troops", "value": 5}', "kind 'troops'"),
])
def test_cli_errors_bad_gold_line_names_file_and_line(tmp_path, store, line, message):
    gold = tmp_path / "my.gold.jsonl"
    gold.write_text('{"doc": "000_e5a5755b16a566f9", "kind": null}\n' + line + "\n")
    result = claims_here("evaluate", "--gold", str(gold), "--db", str(store))
    assert result.returncode == 3
    assert result.stderr.startswith(f"error: {gold}:2: gold line") and message in result.stderr


def test_cli_errors_evaluate_without_any_gold_document_is_an_error(tmp_path, store):
    gold = tmp_path / "other.gold.jsonl"
    gold.write_text('{"doc": "not_in_the_store", "kind": "personnel", "value": 5, "unit": "count"}\n')
    result = claims_here("evaluate", "--gold", str(gold), "--db", str(store))
    assert result.returncode == 3 and "none of its 1 documents" in result.stderr


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_cli_errors_quantities_decodes_files_as_ingest_does(tmp_path, encoding):
    text = "Le café a vendu 1,200 tasses; prices rose 5% to £4."
    path = tmp_path / "f.txt"
    path.write_bytes(text.encode(encoding))
    result = claims_here("quantities", str(path))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [text[r["start"]:r["end"]] for r in rows] == [r["text"] for r in rows]
    assert {r["value"] for r in rows} >= {1200.0, 5.0, 4.0}


def test_cli_errors_quantities_reads_invalid_utf8_from_stdin():
    result = claims_here("quantities", "-", stdin=b"Caf\xe9 owners paid \xa3300 for 12 chairs.\n")
    assert result.returncode == 0
    assert {json.loads(line)["value"] for line in result.stdout.splitlines()} == {300.0, 12.0}


def test_cli_errors_quantities_splits_text_over_spacys_limit(tmp_path):
    filler = "Nothing happened here today and the town was quiet. " * 20_000  # ~1.06 million characters
    text = filler + "Then 4,000 people marched. " + filler[:5000] + "Police counted 35 arrests."
    path = tmp_path / "long.txt"
    path.write_text(text)
    result = claims_here("quantities", str(path))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["value"], text[r["start"]:r["end"]]) for r in rows] == [(4000.0, "4,000"), (35.0, "35")]


@pytest.mark.parametrize("env, name", [({"CLAIMS_TEXT_FIELDS": "body"}, "CLAIMS_TEXT_FIELDS"),
                                       ({"CLAIMS_BATCH_SIZE": "0"}, "CLAIMS_BATCH_SIZE"),
                                       ({"CLAIMS_MAX_FILE_BYTES": "-5"}, "CLAIMS_MAX_FILE_BYTES")])
def test_cli_errors_bad_setting_is_a_usage_error(tmp_path, seeds_dir, env, name):
    result = claims_here("ingest", str(seeds_dir), "--db", str(tmp_path / "s.db"), env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: bad setting: {name}") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "s.db").exists() or json.loads(claims_here("failures", "--db", str(tmp_path / "s.db")).stdout
                                                          or "[]") == []


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "csv"], ["query", "--json"]])
def test_cli_errors_closed_pipe_ends_quietly(store, args):
    proc = subprocess.Popen([sys.executable, "-m", "extraction.cli", *args, "--db", str(store)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert err == ""
    assert proc.returncode in (0, -signal.SIGPIPE)


def test_cli_errors_failure_line_names_the_input_once(tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"text": "Some 50,000 troops."}\n{broken\n')
    result = claims_here("ingest", str(dump), "--db", str(tmp_path / "f.db"), "--quiet", "--workers", "1")
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"{dump}:2: ingest error (json):") and line.count(str(dump)) == 1


def test_cli_errors_too_large_names_the_setting_and_its_value(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Some 50,000 troops. " * 100)
    result = claims_here("ingest", str(big), "--db", str(tmp_path / "t.db"), "--quiet", "--workers", "1",
                         env={"CLAIMS_MAX_ARTICLE_CHARS": "500"})
    assert result.returncode == 1
    assert "max_article_chars=500" in result.stderr


def test_cli_errors_missing_input_is_a_failed_input(tmp_path, seeds_dir):
    """Exit 1 (some inputs failed, the rest stored), as the README's exit codes say."""
    result = claims_here("ingest", str(tmp_path / "nope.jsonl"), str(seeds_dir / "000_e5a5755b16a566f9.txt"),
                    "--db", str(tmp_path / "m.db"), "--quiet", "--workers", "1")
    assert result.returncode == 1 and json.loads(result.stdout)["added"] == 1
    readme = (ROOT / "README.md").read_text()
    assert "a missing input file is a failed input (`1`)" in readme


def test_cli_errors_foreign_sqlite_file_is_refused(tmp_path):
    import sqlite3

    db = tmp_path / "photos.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE photos (id INTEGER)")
    for args in (["ingest", str(ROOT / "corpora" / "seeds")], ["query", "Kursk"]):
        result = claims_here(*args, "--db", str(db))
        assert result.returncode == 3 and "not a claims store" in result.stderr
