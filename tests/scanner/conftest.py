from __future__ import annotations

import pytest

from scanner.pipeline import Engine, ScanOptions


@pytest.fixture(scope="session")
def table_engine() -> Engine:
    """One pattern-only engine for the table tests (building recognizers takes seconds)."""
    return Engine(ScanOptions(workers=1, nlp="off"))
