"""JSON Lines: one finding per line, exactly the contract keys, round-trips through from_dict."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.blocks import JsonlPart
from scanner.records import FINDING_KEYS, Finding, ScanResult
from scanner.report.jsonl import render_findings, render_part, write_findings

Render = Callable[..., str]


def test_when_jsonl_then_each_line_round_trips(result: ScanResult, render: Render) -> None:
    lines = render(result, "jsonl").splitlines()
    assert len(lines) == len(result.findings)
    back = [Finding.from_dict(json.loads(ln)) for ln in lines]
    assert [b.to_dict() for b in back] == [f.to_dict() for f in result.findings]
    assert all(tuple(json.loads(ln)) == FINDING_KEYS for ln in lines)


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
_findings = st.builds(
    Finding,
    path=_text, line=st.none() | st.integers(0, 10**9), row=st.none() | st.integers(0, 10**9),
    column=st.none() | _text, start=st.integers(0, 10**6), end=st.integers(0, 10**6),
    entity=st.sampled_from(["EMAIL_ADDRESS", "PERSON", 'A"B\\C']),
    categories=st.lists(_text, max_size=3).map(tuple), sensitive=st.booleans(),
    score=st.floats(0, 1), recognizer=_text, preview=_text,
)


@given(st.lists(_findings, max_size=20))
@settings(max_examples=200, deadline=None)
def test_when_findings_are_rendered_then_bytes_equal_encoding_each_one(found: list[Finding]) -> None:
    enc = json.JSONEncoder(ensure_ascii=False)
    assert render_findings(found) == "".join(enc.encode(f.to_dict()) + "\n" for f in found)


def test_when_findings_are_rendered_as_a_part_then_counts_and_classes_follow(result: ScanResult) -> None:
    part = render_part(result.findings)
    assert len(part) == len(result.findings) > 0
    assert part.sensitive_count() == sum(f.sensitive for f in result.findings) > 0
    classes = [(f.entity, f.categories, f.sensitive) for f in part.one_per_class()]
    assert len(classes) == len(set(classes)) == len({(f.entity, f.categories, f.sensitive) for f in result.findings})
    both = JsonlPart.concat([part, render_part(result.findings[:3])])
    assert both.data == part.data + render_findings(result.findings[:3]).encode() and len(both) == len(part) + 3
    out = io.StringIO()
    assert write_findings(both, out) == len(both) and out.getvalue() == both.data.decode()
    raw = io.BytesIO()
    wrapped = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    wrapped.write("first\n")  # buffered text before the bytes keeps its place
    write_findings(both, wrapped)
    wrapped.write("last\n")
    wrapped.flush()
    assert raw.getvalue() == b"first\n" + both.data + b"last\n"
