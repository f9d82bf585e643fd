"""JSON Lines: one finding per line, exactly the contract keys; streamable."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from scanner.blocks import FindingBlock
from scanner.records import Finding, ScanResult
from scanner.report import ReportContext

#: one encoder for every line (`json.dumps` with options builds a new one per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def write_findings(findings: Iterable[Finding], stream: TextIO) -> int:
    """Write findings as JSON Lines (each line complete); return how many were written."""
    if isinstance(findings, FindingBlock):  # a table's findings as columns: same bytes, faster
        return findings.write_jsonl(stream)
    n = 0
    for f in findings:
        stream.write(_ENCODER.encode(f.to_dict()) + "\n")
        n += 1
    return n


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write every finding of `result` as JSON Lines."""
    write_findings(result.findings, stream)
