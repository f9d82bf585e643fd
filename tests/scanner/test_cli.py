"""The `piimap` command: formats, options, standard input, exit codes, the README commands."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.records import FINDING_KEYS

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_when_findings_then_exit_1_and_jsonl_has_exact_keys(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "a.log", "ok\nmail taro@example.com\n")
    res = runner.invoke(main, ["scan", str(tmp_path), "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 1, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert len(rows) == 1
    assert tuple(rows[0]) == FINDING_KEYS
    assert rows[0]["path"] == f"{tmp_path.as_posix()}/a.log"
    assert (rows[0]["line"], rows[0]["start"], rows[0]["end"]) == (2, 5, 21)
    assert rows[0]["categories"] == ["identifiers"]


def test_when_nothing_found_then_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "a.log", "service started in 12 ms\n")
    res = runner.invoke(main, ["scan", str(tmp_path), "--workers", "1", "--nlp", "off"])
    assert (res.exit_code, res.output) == (0, "")


def test_when_a_path_is_missing_then_exit_3_and_rest_scanned(runner: CliRunner, tmp_path: Path) -> None:
    good = _write(tmp_path, "a.log", "mail taro@example.com\n")
    res = runner.invoke(main, ["scan", str(good), str(tmp_path / "nope.log"), "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 3
    assert "taro" not in res.stdout and "t***@example.com" in res.stdout
    assert "nope.log" in res.stderr


@pytest.mark.parametrize(
    "args",
    [["scan"], ["scan", ".", "--format", "xml"], ["scan", ".", "--entities", "NOT_AN_ENTITY"],
     ["scan", ".", "--min-score", "2"], ["scan", ".", "--policy", "no-such-policy"], ["frobnicate"]],
    ids=["no-path", "bad-format", "bad-entity", "bad-score", "bad-policy", "bad-command"],
)
def test_when_usage_error_then_exit_2(runner: CliRunner, args: list[str]) -> None:
    assert runner.invoke(main, args).exit_code == 2


def test_when_stdin_dash_then_scanned_with_path_dash(runner: CliRunner) -> None:
    res = runner.invoke(main, ["scan", "-", "--workers", "1", "--nlp", "off"], input="x\nip 203.0.113.7\n")
    assert res.exit_code == 1
    row = json.loads(res.output.splitlines()[0])
    assert (row["path"], row["line"], row["entity"]) == ("-", 2, "IP_ADDRESS")


def test_when_entities_option_then_only_those_reported(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "a.log", "mail taro@example.com ip 203.0.113.7\n")
    res = runner.invoke(main, ["scan", str(tmp_path), "--entities", "ip_address", "--workers", "1", "--nlp", "off"])
    assert {json.loads(line)["entity"] for line in res.output.splitlines()} == {"IP_ADDRESS"}


def test_when_exclude_glob_then_file_skipped(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "keep.log", "mail taro@example.com\n")
    _write(tmp_path, "sub/skip.log", "mail jiro@example.com\n")
    res = runner.invoke(main, ["scan", str(tmp_path), "--exclude", "sub/*", "--workers", "1", "--nlp", "off"])
    assert {json.loads(line)["path"].rsplit("/", 1)[-1] for line in res.output.splitlines()} == {"keep.log"}


def test_when_output_file_then_created_owner_only(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "in/a.log", "mail taro@example.com\n")
    out = tmp_path / "report.jsonl"
    res = runner.invoke(main, ["scan", str(tmp_path / "in"), "-o", str(out), "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 1
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert json.loads(out.read_text().splitlines()[0])["entity"] == "EMAIL_ADDRESS"


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_when_aggregate_format_then_document_written(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    _write(tmp_path, "a.log", "card 4111 1111 1111 1111\n")
    res = runner.invoke(main, ["scan", str(tmp_path), "--format", fmt, "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 1
    assert "4111 1111 1111 1111" not in res.output
    if fmt == "json":
        doc = json.loads(res.output)
        assert doc["findings"][0]["entity"] == "CREDIT_CARD"
        assert doc["stats"]["files_scanned"] == 1
    else:
        assert "CREDIT_CARD" in res.output and "Commercial information" in res.output


def test_when_two_workers_then_same_findings_in_same_order(tmp_path: Path) -> None:
    from scanner.pipeline import ScanOptions, scan

    for i in range(6):
        _write(tmp_path, f"f{i}.log", f"line\nmail user{i}@example.com ip 203.0.113.{i + 1}\n")
    one = [f.to_dict() for f in scan([str(tmp_path)], ScanOptions(workers=1, nlp="off")).findings]
    two = [f.to_dict() for f in scan([str(tmp_path)], ScanOptions(workers=2, nlp="off")).findings]
    assert one == two and len(one) == 12


def test_when_readme_quick_start_command_run_then_sample_findings_reported() -> None:
    # The README's scan command, exactly as documented, through the installed console script.
    exe = Path(sys.executable).parent / "piimap"
    proc = subprocess.run([str(exe), "scan", "sample_data/", "--format", "table"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert "Identifiers" in proc.stdout and "Disclosure gaps" in proc.stdout


def test_when_the_output_is_a_file_to_scan_then_usage_error_and_the_file_is_untouched(tmp_path: Path) -> None:
    log = tmp_path / "in.log"
    log.write_text("mail jiro.ow@gmail.com\n")
    res = CliRunner().invoke(main, ["scan", str(log), "-o", str(log)])
    assert res.exit_code == 2 and "the report would overwrite it" in res.output
    assert log.read_text() == "mail jiro.ow@gmail.com\n"


def test_when_the_report_is_written_into_the_folder_scanned_then_it_is_not_scanned(tmp_path: Path) -> None:
    (tmp_path / "in.log").write_text("mail jiro.ow@gmail.com\n")
    report = tmp_path / "report.jsonl"
    for _ in range(2):  # the second run finds the first run's report in the folder
        res = CliRunner().invoke(main, ["scan", str(tmp_path), "--workers", "1", "--nlp", "off", "-o", str(report)])
        assert res.exit_code == 1
        paths = {json.loads(line)["path"] for line in report.read_text().splitlines()}
        assert paths == {f"{tmp_path}/in.log"}


def test_when_fail_on_names_an_entity_that_entities_leaves_out_then_usage_error(tmp_path: Path) -> None:
    (tmp_path / "seed.sql").write_text("INSERT INTO p VALUES ('536-22-8471', 'a@example.com');\n")
    res = CliRunner().invoke(main, ["scan", str(tmp_path), "--entities", "EMAIL_ADDRESS", "--fail-on", "US_SSN"])
    assert res.exit_code == 2 and "could never fail the run" in res.output


@pytest.mark.parametrize("to_stdout", [False, True], ids=["-o", "stdout"])
def test_when_the_report_cannot_be_written_then_exit_2_without_a_traceback(tmp_path: Path, to_stdout: bool) -> None:
    (tmp_path / "c.txt").write_text("clean\n")
    exe = Path(sys.executable).parent / "piimap"
    cmd = [str(exe), "scan", str(tmp_path / "c.txt"), "--format", "json", "--nlp", "off"]
    with open("/dev/full", "w") as full:
        proc = subprocess.run(cmd if to_stdout else [*cmd, "-o", "/dev/full"], stdout=full if to_stdout else None,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert "cannot write the report: No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr
