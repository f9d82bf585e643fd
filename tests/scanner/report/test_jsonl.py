"""JSON Lines: one finding per line, exactly the contract keys, round-trips through from_dict."""

from __future__ import annotations

import json
from collections.abc import Callable

from scanner.records import FINDING_KEYS, Finding, ScanResult

Render = Callable[..., str]


def test_when_jsonl_then_each_line_round_trips(result: ScanResult, render: Render) -> None:
    lines = render(result, "jsonl").splitlines()
    assert len(lines) == len(result.findings)
    back = [Finding.from_dict(json.loads(ln)) for ln in lines]
    assert [b.to_dict() for b in back] == [f.to_dict() for f in result.findings]
    assert all(tuple(json.loads(ln)) == FINDING_KEYS for ln in lines)
