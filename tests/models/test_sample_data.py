from __future__ import annotations

import json
from pathlib import Path

from scanner.pipeline import ScanOptions, scan

ROOT = Path(__file__).resolve().parents[2]
FILES = ("sample_data/logs/crm_notes_en.txt", "sample_data/logs/crm_notes_ja.txt")


def test_when_crm_notes_scanned_then_every_expected_nlp_row_is_found() -> None:
    expected = set()
    for line in (ROOT / "sample_data/expected.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["path"] in FILES:
            expected.add((row["path"], row["line"], row["entity"], row["value"]))
    assert len(expected) >= 20
    found = set()
    for rel in FILES:
        res = scan([str(ROOT / rel)], ScanOptions(workers=1, nlp="auto"))
        text = (ROOT / rel).read_text(encoding="utf-8").split("\n")
        for f in res.findings:
            found.add((rel, f.line, f.entity, text[f.line - 1][f.start : f.end]))
    assert expected <= found, expected - found
