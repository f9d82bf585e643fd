"""JSON Lines: one finding per line, exactly the contract keys; streamable.

`render_findings` builds the lines of a list of findings from pieces encoded once: per path,
per column, per class (entity, categories, flag, score, recognizer) and per preview; only the
integers are formatted per finding. The bytes equal `Finding.to_dict()` encoded by
`json.JSONEncoder(ensure_ascii=False)` one finding at a time (tests compare the two).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from scanner.blocks import FindingBlock, JsonlPart
from scanner.records import Finding, ScanResult
from scanner.report import ReportContext
from scanner.streams import write_lines, write_utf8

#: one encoder for every line (`json.dumps` with options builds a new one per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def write_findings(findings: Iterable[Finding] | JsonlPart, stream: TextIO) -> int:
    """Write findings as JSON Lines (each line complete); return how many were written."""
    if isinstance(findings, JsonlPart):  # rendered by a worker process
        write_utf8(stream, findings.data)
        return len(findings)
    if isinstance(findings, FindingBlock):  # a table's findings as columns: same bytes, faster
        return findings.write_jsonl(stream)
    if not isinstance(findings, Sequence):
        findings = list(findings)
    write_lines(stream, render_findings(findings))
    return len(findings)


def render_findings(findings: Sequence[Finding]) -> str:
    """The JSON Lines of `findings` (byte-identical to encoding each `to_dict()`)."""
    enc = _ENCODER.encode
    heads: dict[str, str] = {}
    columns: dict[str | None, str] = {}
    classes: dict[tuple[str, tuple[str, ...], bool, float, str], str] = {}
    previews: dict[str, str] = {}
    out: list[str] = []
    append = out.append
    for f in findings:
        head = heads.get(f.path)
        if head is None:
            head = heads[f.path] = '{"path": ' + enc(f.path) + ', "line": '
        col = columns.get(f.column)
        if col is None:
            col = columns[f.column] = ', "column": ' + enc(f.column) + ', "start": '
        key = (f.entity, f.categories, f.sensitive, f.score, f.recognizer)
        cls = classes.get(key)
        if cls is None:
            d = f.to_dict()
            cls = classes[key] = (
                f', "entity": {enc(d["entity"])}, "categories": {enc(d["categories"])}, '
                f'"sensitive": {enc(d["sensitive"])}, "score": {enc(d["score"])}, '
                f'"recognizer": {enc(d["recognizer"])}, "preview": '
            )
        pre = previews.get(f.preview)
        if pre is None:
            pre = previews[f.preview] = enc(f.preview) + "}\n"
        line, row = f.line, f.row
        append(
            f"{head}{'null' if line is None else int(line)}, \"row\": {'null' if row is None else int(row)}"
            f"{col}{int(f.start)}, \"end\": {int(f.end)}{cls}{pre}"
        )
    return "".join(out)


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write every finding of `result` as JSON Lines."""
    write_findings(result.findings, stream)


def render_part(findings: Sequence[Finding]) -> JsonlPart:
    """`findings` rendered (`render_findings`) with what a stream's consumer needs of them."""
    classes: dict[tuple[str, tuple[str, ...], bool], Finding] = {}
    sensitive = 0
    for f in findings:
        if f.sensitive:
            sensitive += 1
        key = (f.entity, f.categories, f.sensitive)
        if key not in classes:
            classes[key] = f
    data = render_findings(findings).encode("utf-8")
    return JsonlPart(data, len(findings), sensitive, list(classes.values()))
