"""Shared fixtures: the sample data folder, a CLI runner, engines built once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_data() -> Path:
    """The shared synthetic fixture folder."""
    return ROOT / "sample_data"


@pytest.fixture(scope="session")
def expected_rows(sample_data: Path) -> list[dict[str, Any]]:
    """Planted values listed in sample_data/expected.jsonl."""
    text = (sample_data / "expected.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture()
def runner() -> CliRunner:
    """A click test runner."""
    return CliRunner()


@pytest.fixture(scope="session")
def pattern_engine() -> Any:
    """A scanning engine with patterns only (no NLP), built once."""
    from scanner.pipeline import Engine, ScanOptions

    return Engine(ScanOptions(nlp="off", workers=1))
