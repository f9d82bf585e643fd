"""Ctrl-C / SIGTERM during a scan: stop cleanly, keep a valid report, say so, exit 130/143."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FILES = 400


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    body = "".join(f"2024-05-01 request {i} from user{i}@example.com ok\n" for i in range(2000))
    for n in range(FILES):
        (root / f"f{n:04d}.log").write_text(body)
    (root / "0-empty.log").write_text("")  # listed first: its notice on stderr = scan started
    return root


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "scanner.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _readline(fd: int) -> bytes:
    """One line, read unbuffered: communicate() later reads the raw pipe, not a buffer."""
    out = b""
    while not out.endswith(b"\n"):
        ch = os.read(fd, 1)
        if not ch:
            break
        out += ch
    return out


def _stop_after_first_line(proc: subprocess.Popen[bytes], sig: int) -> tuple[bytes, bytes]:
    assert proc.stdout is not None
    first = _readline(proc.stdout.fileno())  # the scan is under way
    assert first, "the scan produced no output"
    proc.send_signal(sig)
    try:
        rest, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the scan did not stop after the signal") from None
    return first + rest, err


@pytest.mark.parametrize(
    ("sig", "code", "workers"),
    [(signal.SIGTERM, 143, "1"), (signal.SIGINT, 130, "2")],
    ids=["sigterm-1-worker", "sigint-2-workers"],
)
def test_when_signal_during_jsonl_scan_then_complete_lines_message_and_exit_code(
    big_folder: Path, sig: int, code: int, workers: str
) -> None:
    proc = _start(["scan", str(big_folder), "--nlp", "off", "--workers", workers])
    out, err = _stop_after_first_line(proc, sig)
    assert proc.returncode == code, err.decode()
    assert out.endswith(b"\n")
    lines = out.decode("utf-8").splitlines()
    files = {json.loads(line)["path"] for line in lines}  # every line is complete JSON
    assert 0 < len(files) < FILES, "the scan was not stopped part-way"
    assert f"interrupted by {signal.Signals(sig).name}" in err.decode()


def test_when_sigterm_during_json_scan_then_document_complete_and_marked_interrupted(
    big_folder: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "r.json"
    proc = _start(["-v", "scan", str(big_folder), "--nlp", "off", "--workers", "1", "--format", "json",
                   "-o", str(out_file)])
    assert proc.stderr is not None
    # no stdout with -o: the notice for the first (empty) file says the scan has started
    assert b"0-empty.log" in _readline(proc.stderr.fileno())
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err.decode()
    doc = json.loads(out_file.read_text("utf-8"))
    assert doc["stats"]["interrupted"] is True
    assert 0 < doc["stats"]["files_scanned"] < FILES
    assert len({f["path"] for f in doc["findings"]}) == doc["stats"]["files_scanned"]


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_when_a_worker_process_dies_then_the_scan_says_so_and_exits_3(big_folder: Path) -> None:
    proc = _start(["scan", str(big_folder), "--nlp", "off", "--workers", "2"])
    assert proc.stdout is not None
    assert _readline(proc.stdout.fileno())  # the scan is under way: workers exist
    deadline = time.time() + 30
    while not (kids := _children(proc.pid)) and time.time() < deadline:
        time.sleep(0.05)
    assert kids, "no worker process found"
    os.kill(kids[-1], signal.SIGKILL)  # as the kernel's OOM killer would
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the scan did not end after its worker died") from None
    assert proc.returncode == 3, err.decode()[-500:]  # incomplete, not "findings" (1)
    assert "worker process died" in err.decode() and "Traceback" not in err.decode()


def test_when_the_output_cannot_be_created_then_usage_error_before_scanning(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scanner.cli import main

    res = CliRunner().invoke(main, ["scan", str(tmp_path), "-o", str(tmp_path / "missing" / "out.jsonl")])
    assert res.exit_code == 2 and "cannot write" in res.output and "missing" in res.output
