"""Fixtures for scanner tests: cached engines (building one compiles every recognizer),
a CliRunner, and a small planted corpus."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner import pipeline
from scanner.pipeline import Engine, ScanOptions, iter_results
from scanner.records import ScanResult

#: one line per planted fact; tests assert on these exact positions
PLANTED = {
    "app.log": (
        "2024-05-01 10:00:01 login user=tyamada password=hunter2! from 203.0.113.5\n"
        "2024-05-01 10:00:02 payment card=4111111111111111 cvv=123 exp=12/27\n"
        "2024-05-01 10:00:03 payroll my_number=123456789018\n"
        "2024-05-01 10:00:04 deploy api_key=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n"
        "2024-05-01 10:00:05 contact alice@example.com\n"
    ),
    "notes.txt": "support contact: bob@corp.example.org, tel 03-1234-5678\n",
}


@pytest.fixture(scope="session")
def table_engine() -> Engine:
    """One pattern-only engine for the table tests (building recognizers takes seconds)."""
    return Engine(ScanOptions(workers=1, nlp="off"))


@pytest.fixture(scope="session")
def engine_cache() -> dict[tuple[Any, ...], Engine]:
    """Engines by the options that shape them (one build per distinct set)."""
    return {}


def _key(opts: ScanOptions) -> tuple[Any, ...]:
    return (opts.policy, opts.entities, opts.min_score, opts.allowlist, opts.nlp, opts.use_hyperscan)


@pytest.fixture
def fast_engine(monkeypatch: pytest.MonkeyPatch, engine_cache: dict[tuple[Any, ...], Engine]) -> None:
    """Make `scanner.pipeline.Engine(opts)` reuse engines across tests (CLI runs included)."""
    real = Engine

    def make(opts: ScanOptions) -> Engine:
        key = _key(opts)
        if key not in engine_cache:
            engine_cache[key] = real(opts)
        eng = engine_cache[key]
        eng.opts = opts
        return eng

    monkeypatch.setattr(pipeline, "Engine", make)


@pytest.fixture
def runner(fast_engine: None) -> CliRunner:
    """A click CliRunner (engines cached)."""
    return CliRunner()


@pytest.fixture
def scan(engine_cache: dict[tuple[Any, ...], Engine]) -> Callable[..., ScanResult]:
    """scan(paths, **ScanOptions fields) -> ScanResult, one process, NLP off, engines cached."""

    def run(paths: list[str | Path], **kw: Any) -> ScanResult:
        opts = ScanOptions(workers=1, nlp="off", **kw)
        key = _key(opts)
        if key not in engine_cache:
            engine_cache[key] = Engine(opts)
        eng = engine_cache[key]
        eng.opts = opts
        out = ScanResult()
        for fr in iter_results([str(p) for p in paths], opts, engine=eng):
            pipeline.add_result(out, fr)
        return out

    return run


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Path]:
    """A folder with the PLANTED files."""
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in PLANTED.items():
        (root / name).write_text(text, encoding="utf-8")
    yield root
