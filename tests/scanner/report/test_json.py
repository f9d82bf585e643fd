"""JSON document and JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Callable

from scanner.records import FINDING_KEYS, Finding, ScanResult

Render = Callable[..., str]


def test_when_json_then_summary_holds_gaps_and_findings_keep_the_contract(result: ScanResult, render: Render) -> None:
    doc = json.loads(render(result, "json", lang="ja"))
    kinds = {(g["kind"], g["subject"]) for g in doc["summary"]["gaps"]}
    assert ("undisclosed", "JP_MY_NUMBER") in kinds
    assert doc["summary"]["lang"] == "ja"
    assert all(tuple(f) == FINDING_KEYS for f in doc["findings"])


def test_when_jsonl_then_each_line_round_trips(result: ScanResult, render: Render) -> None:
    lines = render(result, "jsonl").splitlines()
    assert len(lines) == len(result.findings)
    back = [Finding.from_dict(json.loads(ln)) for ln in lines]
    assert [b.to_dict() for b in back] == [f.to_dict() for f in result.findings]
