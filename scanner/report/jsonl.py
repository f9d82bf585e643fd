"""JSON Lines: one finding per line, exactly the contract keys; streamable."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from scanner.records import Finding, ScanResult
from scanner.report import ReportContext


def write_findings(findings: Iterable[Finding], stream: TextIO) -> int:
    """Write findings as JSON Lines (each line complete); return how many were written."""
    n = 0
    for f in findings:
        stream.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write every finding of `result` as JSON Lines."""
    write_findings(result.findings, stream)
