"""One JSON document: summary, findings, columns, per-file issues and stats.

The summary holds the categories, the gap analysis and the record-rule counts. `stats` adds
`files_with_findings` (distinct files, archive members counted apart); for re-rendered saved
findings (`piimap report`) the scan counters are unknown: `files_scanned` is null, not 0.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import Summary, build_summary


def summary_dict(s: Summary) -> dict[str, Any]:
    """The summary as plain JSON data (shared by the json and html reporters)."""
    return {
        "policy": s.policy_id,
        "policy_title": s.policy_title,
        "lang": s.lang,
        "findings": s.findings,
        "records": s.records,
        "sensitive": s.sensitive,
        "sensitive_records": s.sensitive_records,
        "categories": [
            {
                "id": c.id,
                "label": c.label,
                "declared": c.declared,
                "declared_examples": c.declared_examples,
                "found": c.found,
                "findings": c.findings,
                "records": c.records,
                "sensitive": c.sensitive,
                "sensitive_records": c.sensitive_records,
                "sensitive_share": round(c.sensitive_share, 4),
                "entities": dict(sorted(c.entities.items())),
                "undisclosed_entities": dict(sorted(c.undisclosed.items())),
                "locations": dict(sorted(c.locations.items())),
            }
            for c in s.categories
        ],
        "gaps": [
            {
                "kind": g.kind,
                "subject": g.subject,
                "label": g.label,
                "reason": g.reason,
                "categories": g.categories,
                "category": g.category,
                "findings": g.findings,
                "records": g.records,
                "sensitive": g.sensitive,
                "locations": dict(g.locations),
            }
            for g in s.gaps
        ],
        "record_rules": [{"id": r.id, "label": r.label, "records": r.records} for r in s.rules],
        "uncategorized_entities": dict(sorted(s.uncategorized.items())),
    }


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write `result` as one JSON document."""
    s = build_summary(result.findings, ctx.policy, ctx.lang)
    stats: dict[str, Any] = asdict(result.stats)
    stats["files_with_findings"] = len({f.path for f in result.findings})
    st = result.stats
    if result.findings and not (st.files_scanned or st.files_skipped or st.files_failed):
        stats["files_scanned"] = None  # saved findings: how many files the scan read is not known
    doc = {
        "policy": ctx.policy.id,
        "stats": stats,
        "summary": summary_dict(s),
        "findings": [f.to_dict() for f in result.findings],
        "columns": [c.to_dict() for c in result.columns],
        "issues": [i.to_dict() for i in result.issues],
    }
    json.dump(doc, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
