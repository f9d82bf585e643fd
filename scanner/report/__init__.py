"""Reporters: `{format name: writer}`. Each writer takes a ScanResult and a text stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from scanner.policy import Policy
from scanner.records import ScanResult


@dataclass(frozen=True)
class ReportContext:
    """What a reporter needs besides the results: the policy and the report language."""

    policy: Policy
    lang: str = "en"
    color: bool = False
    #: False when re-rendering saved findings (`piimap report`): no scan counters to show
    scanned: bool = True


class Reporter(Protocol):
    """Writes a whole scan result to a stream."""

    def __call__(self, result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
        """Write `result` to `stream`."""
        ...


def reporters() -> dict[str, Reporter]:
    """The format name -> writer table (feeds `--format` choices)."""
    from scanner.report import columns, csv_report, html_report, json_report, jsonl, md, sarif, table

    return {
        "columns": columns.write,
        "jsonl": jsonl.write,
        "json": json_report.write,
        "table": table.write,
        "md": md.write,
        "csv": csv_report.write,
        "html": html_report.write,
        "sarif": sarif.write,
    }
