"""SARIF 2.1.0 for code-scanning UIs: one rule per entity, one result per finding.

Text findings carry a physical region (1-based startLine, startColumn, endColumn; columns in
Unicode code points). Table findings have no line: they point at the file and name the
column as a logical location (kind `property`, one of SARIF's kinds), with the 0-based data row
in the result's properties. A member of an archive (`logs.tar.gz!/app/app.log`) points at the
archive file: the member path (and its line) go in the result's properties and a logical
location of kind `resource`, since a region would be read against the archive's own bytes.
URIs percent-encode only what RFC 3986 does not allow in a path segment (`dt=2024-10-01` stays).
Messages hold only the masked preview, and fingerprints hash the location, never the value.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TextIO
from urllib.parse import quote

from scanner.records import Finding, ScanResult
from scanner.report import ReportContext
from scanner.report.summary import entity_label, issue_message, ui

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def _version() -> str:
    try:
        return version("piimap")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


#: RFC 3986 pchar minus unreserved (never encoded): sub-delims, ":" and "@"
_PCHAR = "!$&'()*+,;=@"
#: separator between an archive and a member path in a finding's path
ARCHIVE_SEP = "!/"


def split_archive(path: str) -> tuple[str, str | None]:
    """`logs.tar.gz!/app/app.log` -> (`logs.tar.gz`, `/app/app.log`); other paths -> (path, None)."""
    head, sep, member = path.partition(ARCHIVE_SEP)
    if not sep or not head:
        return path, None
    return head, "/" + member


@lru_cache(maxsize=65536)
def artifact_uri(path: str) -> str:
    """A relative (or file:) URI reference for a finding's path (an archive member: its archive)."""
    # no backslash is a separator here: display paths use "/", and `\xe9` in one is the escape of
    # a byte that is not UTF-8 (`scanner/sources.py`): encoded as %5C, never a path step
    p = split_archive(path)[0]
    if p.startswith("/"):
        return "file://" + quote(p, safe="/:" + _PCHAR)
    p = p[2:] if p.startswith("./") else p
    # a ":" in the first segment of a relative reference would read as a scheme: keep it encoded
    first, slash, rest = p.partition("/")
    return quote(first, safe=_PCHAR) + slash + quote(rest, safe="/:" + _PCHAR)


def _level(f: Finding, undisclosed: bool) -> str:
    return "error" if f.sensitive or undisclosed else "warning"


def _location(f: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(f.path)}}
    loc: dict[str, Any] = {"physicalLocation": physical}
    member = split_archive(f.path)[1]
    logical: list[dict[str, Any]] = []
    if member is not None:
        logical.append({"name": member, "fullyQualifiedName": f.path, "kind": "resource"})
    elif f.line is not None:
        physical["region"] = {"startLine": f.line, "startColumn": f.start + 1, "endColumn": max(f.end, f.start + 1) + 1}
    if f.column is not None:
        name = f.column if f.row is None else f"{f.column}[{f.row}]"
        logical.append({"name": f.column, "fullyQualifiedName": name, "kind": "property"})
    if logical:
        loc["logicalLocations"] = logical
    return loc


def _fingerprint(f: Finding) -> str:
    key = "\x1f".join(str(x) for x in (f.path, f.entity, f.line, f.row, f.column, f.start))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def sarif_document(result: ScanResult, ctx: ReportContext) -> dict[str, Any]:
    """The SARIF log as a dict (validated against the official schema in the tests)."""
    lang = ctx.lang
    entities = sorted({f.entity for f in result.findings})
    index = {e: i for i, e in enumerate(entities)}
    undisclosed: dict[tuple[str, tuple[str, ...]], bool] = {}
    rules = []
    for e in entities:
        cats = [ctx.policy.category(c).label.get(lang, ctx.policy.category(c).label["en"])
                for c in ctx.policy.categories_for(e)]
        declared = ctx.policy.is_declared(e)
        rules.append({
            "id": e,
            "name": "".join(w.title() for w in e.split("_")),
            "shortDescription": {"text": f"{entity_label(e, lang, ctx.policy)} ({e})"},
            "fullDescription": {"text": f"{ui('category', lang)}: {' / '.join(cats) or ui('uncategorized', lang)}; "
                                        f"{ui('declared', lang)}: {ui('yes', lang) if declared else ui('no', lang)}"},
            "defaultConfiguration": {"level": "warning" if declared else "error"},
            "properties": {"categories": list(ctx.policy.categories_for(e)), "declared": declared,
                           "tags": ["privacy", "pii"]},
        })
    results = []
    for f in result.findings:
        cat_ids = ", ".join(f.categories) or "-"
        text = f"{entity_label(f.entity, lang, ctx.policy)} ({f.entity}): {f.preview} [{cat_ids}]"
        props: dict[str, Any] = {"categories": list(f.categories), "sensitive": f.sensitive,
                                 "score": round(f.score, 3), "recognizer": f.recognizer, "preview": f.preview}
        if f.row is not None:
            props["row"] = f.row
        if f.column is not None:
            props["column"] = f.column
        member = split_archive(f.path)[1]
        if member is not None:
            props["archiveMember"] = member
            if f.line is not None:
                props["line"] = f.line
        key = (f.entity, f.categories)
        if key not in undisclosed:
            undisclosed[key] = ctx.policy.is_undisclosed(f.entity, f.categories)
        props["undisclosed"] = undisclosed[key]
        results.append({
            "ruleId": f.entity,
            "ruleIndex": index[f.entity],
            "level": _level(f, undisclosed[key]),
            "message": {"text": text},
            "locations": [_location(f)],
            "partialFingerprints": {"piimapLocation/v1": _fingerprint(f)},
            "properties": props,
        })
    notifications = [
        {"level": {"error": "error", "warning": "warning"}.get(i.kind, "note"),
         "message": {"text": f"{i.path}: {ui('issue.' + i.kind, lang)}: {issue_message(i.message, lang)}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(i.path)}}}]}
        for i in result.issues
    ]
    invocation = {"executionSuccessful": result.stats.files_failed == 0 and not result.stats.interrupted,
                  "toolExecutionNotifications": notifications}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "piimap", "version": _version(), "rules": rules}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "language": "ja-JP" if lang == "ja" else "en-US",
            "results": results,
            "properties": {"policy": ctx.policy.id},
        }],
    }


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write `result` as a SARIF 2.1.0 log."""
    json.dump(sarif_document(result, ctx), stream, ensure_ascii=False, separators=(",", ":"))
    stream.write("\n")
