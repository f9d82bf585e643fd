"""Column profiles as JSON Lines: one object per table column (`--format columns`)."""

from __future__ import annotations

import json
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write every column profile of `result` (classified or not), one JSON object a line."""
    for c in result.columns:
        stream.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
