"""One JSON document: findings, column profiles, per-file issues, stats, category summary."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import summarize


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write `result` as one JSON document."""
    cats = summarize(result.findings, ctx.policy, ctx.lang)
    doc = {
        "policy": ctx.policy.id,
        "stats": asdict(result.stats),
        "categories": [
            {
                "id": c.id,
                "label": c.label,
                "declared": c.declared,
                "findings": c.findings,
                "records": c.records,
                "sensitive": c.sensitive,
                "entities": dict(sorted(c.entities.items())),
                "undisclosed_entities": dict(sorted(c.undisclosed.items())),
            }
            for c in cats
        ],
        "findings": [f.to_dict() for f in result.findings],
        "columns": [c.to_dict() for c in result.columns],
        "issues": [i.to_dict() for i in result.issues],
    }
    json.dump(doc, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
