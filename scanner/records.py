"""Typed records flowing reader -> detector -> classifier -> reporter.

`Finding` is the findings contract: its `to_dict()` keys are exactly the JSON Lines keys
documented in the README. A raw matched value lives only in `Detection` (in memory) and
never reaches a `Finding`; findings carry a masked `preview` and an in-memory digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FINDING_KEYS = (
    "path",
    "line",
    "row",
    "column",
    "start",
    "end",
    "entity",
    "categories",
    "sensitive",
    "score",
    "recognizer",
    "preview",
)


@dataclass(frozen=True, slots=True)
class TextChunk:
    """A block of consecutive lines of one text source.

    `text` holds whole lines joined by "\\n" (no trailing newline). `first_line` is the
    1-based number of its first line; `first_col` is non-zero only when a very long line
    was split and this chunk continues it.
    """

    path: str
    first_line: int
    text: str
    first_col: int = 0


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell handed to the detector."""

    path: str
    row: int
    column: str
    text: str


@dataclass(frozen=True, slots=True)
class Detection:
    """A recognizer hit, with its raw value (in memory only; never serialised)."""

    path: str
    line: int | None
    row: int | None
    column: str | None
    start: int
    end: int
    entity: str
    score: float
    recognizer: str
    value: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Finding:
    """A classified, masked detection: the findings contract."""

    path: str
    line: int | None
    row: int | None
    column: str | None
    start: int
    end: int
    entity: str
    categories: tuple[str, ...]
    sensitive: bool
    score: float
    recognizer: str
    preview: str
    # sha256 of the raw value: lets baselines and de-duplication work without the value.
    digest: str = field(default="", repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as one constructor call (dataclass slots pickling walks `fields()` per object;
        findings cross from worker processes by the hundred thousand).
        """
        return (
            Finding,
            (
                self.path, self.line, self.row, self.column, self.start, self.end, self.entity,
                self.categories, self.sensitive, self.score, self.recognizer, self.preview,
                self.digest,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the contract keys, in contract order."""
        return {
            "path": self.path,
            "line": self.line,
            "row": self.row,
            "column": self.column,
            "start": self.start,
            "end": self.end,
            "entity": self.entity,
            "categories": list(self.categories),
            "sensitive": self.sensitive,
            "score": round(self.score, 3),
            "recognizer": self.recognizer,
            "preview": self.preview,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        """Rebuild a finding from its JSON form (e.g. `piimap report FINDINGS.jsonl`)."""
        return cls(
            path=str(d["path"]),
            line=d.get("line"),
            row=d.get("row"),
            column=d.get("column"),
            start=int(d["start"]),
            end=int(d["end"]),
            entity=str(d["entity"]),
            categories=tuple(d.get("categories") or ()),
            sensitive=bool(d.get("sensitive", False)),
            score=float(d.get("score", 0.0)),
            recognizer=str(d.get("recognizer", "")),
            preview=str(d.get("preview", "")),
        )


@dataclass(frozen=True, slots=True)
class FileIssue:
    """A per-file problem: `kind` is "error" (file not (fully) scanned) or "skipped"."""

    path: str
    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"path": self.path, "kind": self.kind, "message": self.message}


@dataclass(frozen=True, slots=True)
class ColumnProfile:
    """Classification of one table column (filled by the table readers)."""

    path: str
    column: str
    entity: str | None
    categories: tuple[str, ...]
    sensitive: bool
    match_ratio: float
    sampled: int
    evidence: tuple[str, ...] = ()
    #: confidence of the column's entity (mean value score, raised by header evidence)
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "path": self.path,
            "column": self.column,
            "entity": self.entity,
            "categories": list(self.categories),
            "sensitive": self.sensitive,
            "match_ratio": round(self.match_ratio, 4),
            "sampled": self.sampled,
            "score": round(self.score, 3),
            "evidence": list(self.evidence),
        }


@dataclass(slots=True)
class ScanStats:
    """Counters for one scan."""

    files_scanned: int = 0
    files_skipped: int = 0
    files_failed: int = 0
    bytes_read: int = 0
    cells_scanned: int = 0
    findings: int = 0
    sensitive_findings: int = 0
    interrupted: bool = False


@dataclass(slots=True)
class ScanResult:
    """Everything a reporter needs: findings, column profiles, per-file issues, stats."""

    findings: list[Finding] = field(default_factory=list)
    columns: list[ColumnProfile] = field(default_factory=list)
    issues: list[FileIssue] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)
