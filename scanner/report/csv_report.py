"""CSV: the disclosure table, one row per policy category.

Columns: category | examples found | records | sensitive | locations, plus the
declared/undisclosed columns.
"""

from __future__ import annotations

import csv
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import build_summary, entity_label, examples_found, locations_text, ui


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the disclosure table as CSV (header row localised by `--lang`)."""
    lang = ctx.lang
    s = build_summary(result.findings, ctx.policy, lang)
    w = csv.writer(stream, lineterminator="\n")
    w.writerow([
        "category_id", ui("category", lang), ui("declared", lang), ui("examples_declared", lang),
        ui("examples_found", lang), ui("findings", lang), ui("records", lang), ui("sensitive", lang),
        ui("sensitive_share", lang), ui("locations", lang), ui("gap.undisclosed", lang),
    ])
    for c in s.categories:
        w.writerow([
            c.id, c.label, "yes" if c.declared else "no", "; ".join(c.declared_examples),
            examples_found(c, lang), c.findings, c.records, c.sensitive, f"{c.sensitive_share:.2f}",
            locations_text(c.locations, 10),
            "; ".join(f"{entity_label(e, lang)} ({n})" for e, n in sorted(c.undisclosed.items())),
        ])
