"""Incremental and resumable scans (`--state FILE`)."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import stat
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner.api import engine_for, iter_scan
from scanner.cli import main
from scanner.pipeline import Engine, FileResult, ScanOptions, add_result
from scanner.records import ScanResult
from scanner.sources import Source
from scanner.state import ScanState

OPTS = ScanOptions(workers=1, nlp="off")

FILES = {
    "a.log": "start\nuser alice@example.com logged in\n",
    "b.log": "nothing to see\n",
    "c/d.log": "call +1 415 555 0100 now\n",
    "c/e.txt": "SSN: 536-22-8471 and bob@example.org\n",
}


@pytest.fixture(scope="module", autouse=True)
def engine() -> Engine:
    return engine_for(OPTS)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    for name, text in FILES.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths actually read by the engine (in-process scans)."""
    seen: list[str] = []
    original = Engine.scan_source

    def counting(self: Engine, src: Source) -> FileResult:
        seen.append(Path(src.path).name)
        return original(self, src)

    monkeypatch.setattr(Engine, "scan_source", counting)
    return seen


def run(paths: list[str], state: str | None, opts: ScanOptions = OPTS) -> list[dict[str, Any]]:
    out = ScanResult()
    for fr in iter_scan(paths, opts, state=state):
        add_result(out, fr)
    return [f.to_dict() for f in out.findings]


def _touch(path: Path, text: str) -> None:
    old = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(old + 10**9, old + 10**9))  # a visibly newer mtime, whatever the clock


def test_when_nothing_changed_then_rescan_reads_no_file_and_reports_the_same(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    state = str(tmp_path / "scan.state")
    first = run([str(corpus)], state)
    assert sorted(reads) == ["a.log", "b.log", "d.log", "e.txt"]
    reads.clear()
    again = run([str(corpus)], state)
    assert reads == []
    assert again == first
    assert sorted(f["entity"] for f in first) == ["EMAIL_ADDRESS", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN"]


def test_when_one_file_changes_and_one_is_added_then_only_they_are_read_and_union_equals_full_scan(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    state = str(tmp_path / "scan.state")
    run([str(corpus)], state)
    _touch(corpus / "b.log", "now with carol@example.net inside\n")
    (corpus / "c" / "f.log").write_text("ip 203.0.113.7 and dave@example.com\n")
    reads.clear()
    union = run([str(corpus)], state)
    assert sorted(reads) == ["b.log", "f.log"]
    reads.clear()
    full = run([str(corpus)], None)
    assert union == full
    assert any(f["path"].endswith("b.log") and f["entity"] == "EMAIL_ADDRESS" for f in union)


def test_when_a_file_is_rewritten_with_its_old_size_and_mtime_then_it_is_read_again(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    # `cp -p`, `rsync -a`, `tar x`, `touch -r`: same length, same modification time, new content
    state = str(tmp_path / "scan.state")
    run([str(corpus)], state)
    a = corpus / "a.log"
    before = a.stat()
    time.sleep(0.05)  # past the kernel's coarse clock tick, as any real rewrite is
    a.write_text(FILES["a.log"].replace("alice@example.com", "zorro@example.org"))
    os.utime(a, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (a.stat().st_size, a.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads.clear()
    union = run([str(corpus)], state)
    assert reads == ["a.log"]
    emails = {f["preview"] for f in union if f["path"].endswith("a.log")}
    assert emails == {"z***@example.org"}


def test_when_a_file_is_deleted_then_its_old_findings_are_not_reported(corpus: Path, tmp_path: Path) -> None:
    state = str(tmp_path / "scan.state")
    run([str(corpus)], state)
    (corpus / "a.log").unlink()
    union = run([str(corpus)], state)
    assert not any(f["path"].endswith("a.log") for f in union)
    assert union == run([str(corpus)], None)


def test_when_scan_interrupted_then_resume_reads_only_the_rest_and_union_equals_full_scan(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = str(tmp_path / "scan.state")
    original = Engine.scan_source
    reads: list[str] = []

    def stop_at_third(self: Engine, src: Source) -> FileResult:
        if len(reads) >= 3:
            raise KeyboardInterrupt
        reads.append(Path(src.path).name)
        return original(self, src)

    monkeypatch.setattr(Engine, "scan_source", stop_at_third)
    res = CliRunner().invoke(main, ["scan", str(corpus), "--workers", "1", "--nlp", "off", "--state", state])
    assert "interrupted" in res.stderr
    assert sorted(reads) == ["a.log", "b.log", "d.log"]
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT count(*) FROM objects").fetchone()[0] == 3

    monkeypatch.undo()
    resumed: list[str] = []
    monkeypatch.setattr(
        Engine, "scan_source", lambda self, src: (resumed.append(Path(src.path).name), original(self, src))[1]
    )
    res = CliRunner().invoke(main, ["scan", str(corpus), "--workers", "1", "--nlp", "off", "--state", state])
    assert res.exit_code == 1
    assert resumed == ["e.txt"]
    union = [json.loads(x) for x in res.stdout.splitlines()]
    assert union == run([str(corpus)], None)


@pytest.mark.parametrize(
    ("change", "reset"),
    [
        ({"min_score": 0.9}, True),
        ({"entities": frozenset({"EMAIL_ADDRESS"})}, True),
        ({"policy": "california", "workers": 4, "exclude": ("*.tmp",)}, False),
    ],
    ids=["min-score", "entities", "no-match-workers-and-exclude-only"],
)
def test_when_result_shaping_options_change_then_the_state_is_reset(
    corpus: Path, tmp_path: Path, change: dict[str, Any], reset: bool
) -> None:
    state = str(tmp_path / "scan.state")
    run([str(corpus)], state)
    with ScanState(state, replace(OPTS, **change)) as st:
        assert st.stats.reset is reset
        assert st.objects() == (0 if reset else 4)


def test_when_a_file_cannot_be_read_then_it_is_not_recorded_and_is_retried(
    corpus: Path, tmp_path: Path, reads: list[str]
) -> None:
    state = str(tmp_path / "scan.state")
    (corpus / "broken.log.gz").write_bytes(gzip.compress(b"x@example.com\n" * 50)[:40])
    run([str(corpus)], state)
    reads.clear()
    run([str(corpus)], state)
    assert reads == ["broken.log.gz"]


def test_when_state_file_is_created_then_only_the_owner_can_read_it(corpus: Path, tmp_path: Path) -> None:
    state = tmp_path / "scan.state"
    run([str(corpus)], str(state))
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    with sqlite3.connect(state) as db:
        rows = db.execute("SELECT path, size, version, digest, findings FROM objects ORDER BY path").fetchall()
    assert [Path(r[0]).name for r in rows] == ["a.log", "b.log", "d.log", "e.txt"]
    assert all(r[2].startswith("mtime_ns:") and len(r[3]) == 64 for r in rows)
    stored = " ".join(r[4] for r in rows)
    assert "alice@example.com" not in stored and "536-22-8471" not in stored  # masked previews only
