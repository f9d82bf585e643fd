"""The shared fixture: every planted value is found where it was planted, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from recognizers.registry import all_entities
from scanner.pipeline import ScanOptions, scan

# Files written by sample_data/make_samples.py: their findings must be exactly the plants.
OWN_PREFIX = "sample_data/logs/"
OWN_FILES = {
    "sample_data/logs/app.log", "sample_data/logs/access.log", "sample_data/logs/auth.log",
    "sample_data/logs/app_ja.log", "sample_data/logs/legacy_sjis.log",
    "sample_data/logs/archive/app-2024-09.log.gz", "sample_data/logs/cookies.txt",
}


@pytest.fixture(scope="module")
def sample_scan(sample_data: Path) -> Any:
    import os

    cwd = os.getcwd()
    os.chdir(sample_data.parent)
    try:
        return scan(["sample_data/"], ScanOptions(workers=1))
    finally:
        os.chdir(cwd)


def _key(d: dict[str, Any]) -> tuple[Any, ...]:
    return (d["path"], d["line"], d["row"], d["column"], d["entity"])


def test_when_sample_data_scanned_then_every_planted_value_is_found_in_place(
    sample_scan: Any, expected_rows: list[dict[str, Any]]
) -> None:
    found = {}
    for f in sample_scan.findings:
        found.setdefault(_key(f.to_dict()), []).append((f.start, f.end))
    missing = []
    for row in expected_rows:
        spans = found.get(_key(row))
        if not spans:
            missing.append(row)
        elif "start" in row and (row["start"], row["end"]) not in spans:
            missing.append(row)
    where = [(m["path"], m["entity"], m["line"], m["row"]) for m in missing]
    assert not missing, f"{len(missing)} planted values not found: {where}"


def test_when_sample_logs_scanned_then_no_unplanted_pattern_findings(
    sample_scan: Any, expected_rows: list[dict[str, Any]]
) -> None:
    planted = {(r["path"], r["line"], r["start"], r["end"], r["entity"]) for r in expected_rows if "start" in r}
    patterns = set(all_entities())
    extra = [
        f for f in sample_scan.findings
        if f.path in OWN_FILES and f.entity in patterns
        and (f.path, f.line, f.start, f.end, f.entity) not in planted
    ]
    assert extra == [], [(f.path, f.line, f.entity, f.preview) for f in extra]


def test_when_pii_free_sample_scanned_then_nothing_found(sample_scan: Any) -> None:
    clean = [f for f in sample_scan.findings if f.path.startswith("sample_data/clean/")]
    assert clean == []


def test_when_sample_data_scanned_then_every_pattern_entity_is_planted(expected_rows: list[dict[str, Any]]) -> None:
    planted = {r["entity"] for r in expected_rows}
    assert set(all_entities()) - planted == set()


def test_when_sample_data_scanned_then_test_metadata_is_ignored(sample_scan: Any) -> None:
    paths = {f.path for f in sample_scan.findings}
    assert "sample_data/expected.jsonl" not in paths
    assert not any(p.endswith(".py") and "make_" in p for p in paths)
