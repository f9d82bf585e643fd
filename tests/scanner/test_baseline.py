"""Baselines: salted hashes only, versioned, and only new findings reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.baseline import BASELINE_VERSION, Baseline, load_baseline, parse_baseline
from scanner.cli import main
from scanner.errors import ConfigError
from scanner.records import ScanResult


def test_when_created_then_file_holds_no_raw_value_preview_or_plain_digest(
    scan: Callable[..., ScanResult], corpus: Path
) -> None:
    result = scan([corpus])
    base = Baseline.new("california")
    base.add(result.findings)
    text = json.dumps(base.to_dict())
    for f in result.findings:
        assert f.digest and f.digest not in text
        assert f.preview not in text or f.preview in ("********",)
    for raw in ("hunter2", "4111111111111111", "123456789018", "alice@example.com", "tyamada"):
        assert raw not in text
    doc = base.to_dict()
    assert doc["version"] == BASELINE_VERSION and len(bytes.fromhex(doc["salt"])) == 32


def test_when_two_baselines_of_same_data_then_salts_and_hashes_differ(
    scan: Callable[..., ScanResult], corpus: Path
) -> None:
    result = scan([corpus])
    a, b = Baseline.new(), Baseline.new()
    a.add(result.findings)
    b.add(result.findings)
    assert a.salt != b.salt
    assert {h for *_, h in a.entries}.isdisjoint({h for *_, h in b.entries})


def test_when_rescanned_after_a_change_then_only_the_new_finding_is_new(
    scan: Callable[..., ScanResult], corpus: Path, tmp_path: Path
) -> None:
    base = Baseline.new()
    base.add(scan([corpus]).findings)
    saved = tmp_path / "baseline.json"
    saved.write_text(json.dumps(base.to_dict()), "utf-8")
    log = corpus / "app.log"
    # moving known lines down does not make them new; a new address does
    log.write_text("2024-05-02 new contact carol@example.net\n" + log.read_text("utf-8"), "utf-8")
    new = load_baseline(str(saved)).new_findings(scan([corpus]).findings)
    assert [(f.entity, f.preview) for f in new] == [("EMAIL_ADDRESS", "c***@example.net")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "invalid JSON"),
        ('{"format": "other"}', "not a piimap baseline"),
        ('{"format": "piimap-baseline", "version": 99, "salt": "00", "findings": []}', "version 99"),
        ('{"format": "piimap-baseline", "version": 1, "salt": "zz", "findings": []}', "malformed"),
        ('{"format": "piimap-baseline", "version": 1, "salt": "0011", "findings": []}', "too short"),
    ],
    ids=["json", "format", "version", "salt-hex", "salt-short"],
)
def test_when_baseline_is_broken_then_clear_error(text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_baseline(text, "b.json")


def test_when_findings_have_no_digest_then_baseline_refuses(scan: Callable[..., ScanResult], corpus: Path) -> None:
    from scanner.records import Finding

    saved = Finding.from_dict(scan([corpus]).findings[0].to_dict())
    with pytest.raises(ConfigError, match="digest"):
        Baseline.new().add([saved])


def test_when_the_scan_names_the_files_another_way_then_the_baseline_still_knows_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "app.log").write_text("contact alice@example.com from 203.0.113.7\n", "utf-8")
    monkeypatch.chdir(repo)
    runner = CliRunner()
    made = runner.invoke(main, ["baseline", "create", "src", "-o", "base.json", "--workers", "1", "--nlp", "off"])
    assert made.exit_code == 0, made.output
    stored = {e["path"] for e in json.loads((repo / "base.json").read_text("utf-8"))["findings"]}
    assert stored == {"src/app.log"}
    ways = [
        (repo, [str(repo / "src")], "base.json"),  # an absolute path, as CI runners pass
        (repo, ["./src/"], "base.json"),
        (repo / "src", ["."], "../base.json"),  # inside the folder
        (tmp_path, ["repo/src/app.log"], "repo/base.json"),  # from above, naming the file
    ]
    for cwd, paths, base in ways:
        monkeypatch.chdir(cwd)
        res = runner.invoke(main, ["scan", *paths, "--baseline", base, "--workers", "1", "--nlp", "off"])
        assert res.exit_code == 0, (cwd, paths, res.output)
    # a new value in the same file is still new, whichever way the file is named
    (repo / "src" / "app.log").write_text("contact bob@example.org\n", "utf-8")
    res = runner.invoke(main, ["scan", str(repo / "src"), "--baseline", str(repo / "base.json"),
                               "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 1
