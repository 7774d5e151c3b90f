"""`claims ingest` on a directory of every kind of bad input: one line per failure, run goes on, exit 1."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extraction.cli import app
from models.store import ClaimStore

runner = CliRunner()
GOOD = "Officials said 40 drones were shot down overnight over the Kharkiv region.\n"


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    (d / "good.txt").write_text(GOOD)
    (d / "latin1.txt").write_bytes("Le café a reçu 12 tonnes d'aide, said the mayor of Kherson.\n".encode("cp1252"))
    (d / "empty.txt").write_text("")
    (d / "blank.txt").write_text("   \n\n")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "invalid_utf8.txt").write_bytes(b"Some 30 tanks \x81\x8d\x8f\x90\x9d were seen. " * 20)
    (d / "huge.txt").write_bytes(b"Some 50,000 troops. " * (50 * 1024 * 1024 // 20))  # 50 MB
    (d / "dump.jsonl").write_text("\n".join([
        json.dumps({"text": "Some 11,000 troops were deployed to Kursk, officials said."}),
        '{"text": "broken line',
        json.dumps({"title": "no text field here"}),
        json.dumps({"text": "   "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Prices rose 4.5% in March, the central bank said."}),
    ]) + "\n")
    with gzip.open(d / "dump2.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"body": "About 300 people were evacuated from Sumy."}) + "\n")
    (d / "truncated.jsonl.gz").write_bytes(gzip.compress(b'{"text": "Some 20 tanks."}\n' * 50)[:-30])
    (d / "dangling.txt").symlink_to(d / "does-not-exist.txt")
    locked = d / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(GOOD.replace("40", "41"))
    (locked / "secret.txt").chmod(0)
    yield d
    (locked / "secret.txt").chmod(0o644)


def _failure_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " error (" in line]


def test_bad_input_whole_run(bad_dir, tmp_path):
    db = tmp_path / "c.db"
    result = runner.invoke(app, ["ingest", str(bad_dir), "--db", str(db), "--quiet", "--workers", "1"])
    assert result.exit_code == 1, result.output
    lines = _failure_lines(result.stderr)
    expected = {  # file (and line) -> reason
        "empty.txt": "empty", "blank.txt": "empty", "binary.txt": "binary", "invalid_utf8.txt": "encoding",
        "huge.txt": "too_large", "dump.jsonl:2": "json", "dump.jsonl:3": "missing_text", "dump.jsonl:4": "empty",
        "dump.jsonl:5": "json", "truncated.jsonl.gz": "unreadable", "dangling.txt": "unreadable",
    }
    if os.geteuid() != 0:  # root reads anything
        expected["secret.txt"] = "unreadable"
    for where, reason in expected.items():
        hits = [line for line in lines if f"{where}:" in line or f"{where} " in line]
        assert len(hits) == 1, (where, lines)
        assert f"error ({reason})" in hits[0] and str(bad_dir) in hits[0]
    assert len(lines) == len(expected)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["failed"] == len(expected) and sum(summary["failures"].values()) == len(expected)
    with ClaimStore(db) as store:
        failures = store.failures()
        assert sorted(f.reason for f in failures) == sorted(expected.values())
        assert {(f.path.rsplit("/", 1)[-1], f.line) for f in failures if f.line} == {
            ("dump.jsonl", 2), ("dump.jsonl", 3), ("dump.jsonl", 4), ("dump.jsonl", 5)}
        paths = {a.path.rsplit("/", 1)[-1] for a in store.articles()}
    good = {"good.txt", "latin1.txt", "dump.jsonl:1", "dump.jsonl:6", "dump2.jsonl.gz:1"}
    assert good <= paths and summary["added"] == len(paths)
    listed = runner.invoke(app, ["failures", "--db", str(db)]).stdout
    assert "huge.txt" in listed and "dump.jsonl:2" in listed
    # the same batch again (a resumed or repeated run): each failing input keeps one row
    again = runner.invoke(app, ["ingest", str(bad_dir), "--db", str(db), "--quiet", "--workers", "1"])
    assert again.exit_code == 1 and len(_failure_lines(again.stderr)) == len(expected)
    with ClaimStore(db) as store:
        assert len(store.failures()) == len(expected)
        assert set(store.failure_counts().values()) == {2}
        last_run = store.runs()[-1]["id"]
        assert len(store.failures(run_id=last_run)) == len(expected)
    listed = runner.invoke(app, ["failures", "--db", str(db)]).stdout.splitlines()
    assert len(listed) == len(expected) and all(line.endswith("(2 runs)") for line in listed)


@pytest.mark.parametrize("where", ["a directory", "under a file"])
def test_bad_input_unwritable_store_exits_3(tmp_path, where):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "plain").write_text("")
    db = tmp_path if where == "a directory" else tmp_path / "plain" / "c.db"
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(db), "--quiet"])
    assert result.exit_code == 3
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error:")
