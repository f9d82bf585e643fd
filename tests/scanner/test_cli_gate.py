"""The CLI as CI uses it: --fail-on, --baseline, --allowlist, `report`, `baseline create`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main

CONF = Path(__file__).parent / "conf"


def _scan(runner: CliRunner, *args: str) -> tuple[int, str]:
    res = runner.invoke(main, ["scan", "--workers", "1", "--nlp", "off", *args])
    return res.exit_code, res.output


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        ("any", 1),
        ("none", 0),
        ("sensitive", 1),
        ("undisclosed", 1),
        ("EMAIL_ADDRESS", 1),
        ("email_address", 1),
        ("US_SSN", 0),
        ("internet_activity", 0),
        ("identifiers", 1),
        ("US_SSN,internet_activity", 0),
        ("US_SSN,sensitive", 1),
    ],
    ids=["any", "none", "sensitive", "undisclosed", "entity", "entity-lower", "entity-absent",
         "category-absent", "category", "list-absent", "list-present"],
)
def test_when_fail_on_given_then_exit_code_follows_it(runner: CliRunner, corpus: Path, fail_on: str, code: int) -> None:
    exit_code, _ = _scan(runner, str(corpus), "--fail-on", fail_on)
    assert exit_code == code


def test_when_only_declared_nonsensitive_data_then_sensitive_gate_passes(runner: CliRunner, corpus: Path) -> None:
    assert _scan(runner, str(corpus / "notes.txt"), "--fail-on", "sensitive")[0] == 0
    assert _scan(runner, str(corpus / "notes.txt"), "--fail-on", "undisclosed")[0] == 0
    assert _scan(runner, str(corpus / "notes.txt"))[0] == 1


@pytest.mark.parametrize("bad", ["FOO", "none,any", ""], ids=["unknown", "none-combined", "empty"])
def test_when_fail_on_is_invalid_then_usage_error(runner: CliRunner, corpus: Path, bad: str) -> None:
    code, out = _scan(runner, str(corpus), "--fail-on", bad)
    assert code == 2
    assert "--fail-on" in out


def test_when_baseline_created_then_rescan_reports_only_new_findings(
    runner: CliRunner, corpus: Path, tmp_path: Path
) -> None:
    base = tmp_path / ".piimap-baseline.json"
    res = runner.invoke(main, ["baseline", "create", str(corpus), "-o", str(base), "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 0, res.output
    assert oct(os.stat(base).st_mode & 0o777) == "0o600"
    assert "hunter2" not in base.read_text("utf-8")
    code, out = _scan(runner, str(corpus), "--baseline", str(base))
    assert code == 0
    assert not [ln for ln in out.splitlines() if ln.startswith("{")]
    assert "already in the baseline" in out
    with (corpus / "notes.txt").open("a", encoding="utf-8") as fh:
        fh.write("new: dave@corp.example.org\n")
    code, out = _scan(runner, str(corpus), "--baseline", str(base))
    assert code == 1
    assert [json.loads(ln)["preview"] for ln in out.splitlines() if ln.startswith("{")] == ["d***@corp.example.org"]


def test_when_baseline_file_is_broken_then_usage_error(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text('{"format": "piimap-baseline", "version": 7}', "utf-8")
    code, out = _scan(runner, str(corpus), "--baseline", str(bad))
    assert code == 2 and "version 7" in out


def test_when_allowlist_given_then_allowed_values_are_not_reported(runner: CliRunner, corpus: Path) -> None:
    code, out = _scan(runner, str(corpus / "app.log"), "--allowlist", str(CONF / "good_allowlist.yaml"))
    entities = [json.loads(ln)["entity"] for ln in out.splitlines() if ln.startswith("{")]
    assert code == 1
    assert "CREDIT_CARD" not in entities and "IP_ADDRESS" not in entities and "EMAIL_ADDRESS" not in entities
    assert "PASSWORD" in entities


def test_when_allowlist_is_broken_then_usage_error_names_line(runner: CliRunner, corpus: Path) -> None:
    code, out = _scan(runner, str(corpus), "--allowlist", str(CONF / "bad_allowlist_key.yaml"))
    assert code == 2 and "bad_allowlist_key.yaml:3" in out


def test_when_policy_file_is_broken_then_usage_error_names_line(runner: CliRunner, corpus: Path) -> None:
    code, out = _scan(runner, str(corpus), "--policy", str(CONF / "bad_unknown_entity.yaml"))
    assert code == 2 and "bad_unknown_entity.yaml:3" in out


@pytest.mark.parametrize(
    ("lang", "policy", "expect"),
    [("en", "china", "Sensitive personal information (not declared)"), ("ja", "japan", "特定個人情報")],
    ids=["en-china", "ja-japan"],
)
def test_when_saved_findings_reported_then_categories_follow_the_chosen_policy(
    runner: CliRunner, corpus: Path, tmp_path: Path, lang: str, policy: str, expect: str
) -> None:
    code, out = _scan(runner, str(corpus))
    saved = tmp_path / "findings.jsonl"
    saved.write_text(out, "utf-8")
    res = runner.invoke(main, ["report", str(saved), "--format", "md", "--policy", policy, "--lang", lang])
    assert res.exit_code == 1, res.output
    assert expect in res.output
    res = runner.invoke(main, ["report", str(saved), "--fail-on", "none", "--format", "sarif"])
    assert res.exit_code == 0 and json.loads(res.output)["version"] == "2.1.0"


def test_when_saved_findings_file_is_not_jsonl_then_error_names_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "f.jsonl"
    bad.write_text('{"path": "a", "start": 0, "end": 1, "entity": "X"}\nnot json\n', "utf-8")
    res = runner.invoke(main, ["report", str(bad)])
    assert res.exit_code == 2 and "f.jsonl:2" in res.output


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json", "jsonl", "html", "sarif"], ids=str)
def test_when_format_chosen_then_scan_writes_it(runner: CliRunner, corpus: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    res = runner.invoke(main, ["scan", str(corpus), "--workers", "1", "--nlp", "off", "--format", fmt, "-o", str(out)])
    assert res.exit_code == 1, res.output
    text = out.read_text("utf-8")
    assert text.strip()
    assert "hunter2" not in text


def test_when_a_baseline_is_made_with_full_then_a_full_scan_finds_nothing_new(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = "".join(f"user{i}@corp.example.org,090-1234-{i:04d}\n" for i in range(1500))
    (tmp_path / "t.csv").write_text("email,phone\n" + rows, encoding="utf-8")
    base = tmp_path / "full.json"
    sampled = tmp_path / "sampled.json"
    common = ["--workers", "1", "--nlp", "off", "--sample", "100"]
    create = ["baseline", "create", str(tmp_path / "t.csv")]
    assert runner.invoke(main, [*create, "-o", str(sampled), *common]).exit_code == 0
    assert runner.invoke(main, [*create, "-o", str(base), "--full", *common]).exit_code == 0
    code, out = _scan(runner, str(tmp_path / "t.csv"), "--full", "--sample", "100", "--baseline", str(base))
    assert code == 0 and "3000 findings already in the baseline" in out
    # a baseline of the sample only knows the sampled rows: the full scan's other rows are new
    code, out = _scan(runner, str(tmp_path / "t.csv"), "--full", "--baseline", str(sampled))
    assert code == 1 and len([ln for ln in out.splitlines() if ln.startswith("{")]) == 3000 - 200
