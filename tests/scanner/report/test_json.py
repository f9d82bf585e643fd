"""JSON document: summary with the gap analysis, findings in the contract shape."""

from __future__ import annotations

import json
from collections.abc import Callable

from scanner.records import FINDING_KEYS, ScanResult

Render = Callable[..., str]


def test_when_json_then_summary_holds_gaps_and_findings_keep_the_contract(result: ScanResult, render: Render) -> None:
    doc = json.loads(render(result, "json", lang="ja"))
    kinds = {(g["kind"], g["subject"]) for g in doc["summary"]["gaps"]}
    assert ("undisclosed", "JP_MY_NUMBER") in kinds
    assert doc["summary"]["lang"] == "ja"
    assert all(tuple(f) == FINDING_KEYS for f in doc["findings"])
