"""A scanned planted corpus shared by the reporter tests."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.policy import load_policy
from scanner.records import ScanResult
from scanner.report import ReportContext, reporters


@pytest.fixture
def result(scan: Callable[..., ScanResult], corpus: Path) -> ScanResult:
    """The planted corpus, scanned with the California policy."""
    return scan([corpus])


@pytest.fixture
def render() -> Callable[..., str]:
    """render(result, fmt, policy="california", lang="en") -> the report text."""

    def run(res: ScanResult, fmt: str, policy: str = "california", lang: str = "en", color: bool = False) -> str:
        buf = io.StringIO()
        reporters()[fmt](res, buf, ReportContext(load_policy(policy), lang, color))
        return buf.getvalue()

    return run
