"""Helpers shared by the table reader tests: run one file through a shared engine."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from scanner.pipeline import Engine, ScanOptions, add_result, iter_results
from scanner.records import ScanResult

BASE = ScanOptions(workers=1, nlp="off")


def run(engine: Engine, paths: str | Path | Sequence[str | Path], **kw: object) -> ScanResult:
    """Scan `paths` (one or several) with `engine`, options = BASE updated with `kw`."""
    engine.opts = dataclasses.replace(BASE, **kw)
    named = [paths] if isinstance(paths, (str, Path)) else paths
    out = ScanResult()
    for fr in iter_results([str(p) for p in named], engine.opts, engine):
        add_result(out, fr)
    return out


def keys(res: ScanResult) -> set[tuple[int | None, str | None, str]]:
    """(row, column, entity) of every finding."""
    return {(f.row, f.column, f.entity) for f in res.findings}
