"""CSV: the disclosure table, one row per policy category.

Columns: category | declared | examples | findings | records | sensitive findings/records |
locations | undisclosed entities; headers and yes/no in `--lang`. With `--lang ja` the file
starts with a UTF-8 byte order mark so that Excel (Japanese Windows) reads it as UTF-8; English
CSV stays BOM-free for scripts.
"""

from __future__ import annotations

import csv
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import build_summary, examples_declared, examples_found, locations_text

BOM = "\ufeff"


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the disclosure table as CSV (header row localised by `--lang`)."""
    lang = ctx.lang
    s = build_summary(result.findings, ctx.policy, lang)
    ui = s.ui
    if lang == "ja":
        stream.write(BOM)
    w = csv.writer(stream, lineterminator="\n")
    w.writerow([
        "category_id", ui("category"), ui("declared"), ui("examples_declared"),
        ui("examples_found"), ui("findings"), ui("records"), ui("sensitive_findings"), ui("sensitive_records"),
        ui("sensitive_share"), ui("locations"), ui("gap.undisclosed"),
    ])
    for c in s.categories:
        w.writerow([
            c.id, c.label, ui("yes") if c.declared else ui("no"),
            "; ".join(c.declared_examples) or examples_declared(c, lang),
            examples_found(c, lang, ctx.policy), c.findings, c.records, c.sensitive, c.sensitive_records,
            f"{c.sensitive_share:.2f}", locations_text(c.locations, None, lang),
            "; ".join(f"{s.entity(e)} ({n})" for e, n in sorted(c.undisclosed.items())),
        ])
