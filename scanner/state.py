"""Incremental and resumable scans: a SQLite state file (`--state FILE`).

The state records, per scanned object: its path, size and version (ETag or modification
time; for local files size + mtime in nanoseconds), a digest of its findings and the
findings and column profiles themselves (masked previews only, exactly what the report
holds). A re-scan reads only new or changed objects and reports the union: results of
unchanged objects come from the state. Each object is committed as soon as its result is
reported, so an interrupted scan resumes where it stopped.

Records are only valid for the options that produced them (policy, entities, scores, NLP
mode, sampling, piimap version): a state written with other options is reset, and the scan
starts over. Objects that could not be read (errors) are not recorded: they are retried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from scanner.pipeline import FileResult, ScanOptions
from scanner.records import ColumnProfile, FileIssue, Finding
from scanner.sources import Source

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    version TEXT NOT NULL,
    digest TEXT NOT NULL,
    findings TEXT NOT NULL,
    columns TEXT NOT NULL,
    issue TEXT,
    bytes_read INTEGER NOT NULL,
    cells INTEGER NOT NULL,
    scanned_at REAL NOT NULL
);
"""


def options_key(opts: ScanOptions) -> str:
    """What the recorded results depend on, as canonical JSON (a change resets the state)."""
    policy = opts.policy
    if os.path.isfile(policy):  # a policy file: its content matters, not its name
        policy = "sha256:" + hashlib.sha256(Path(policy).read_bytes()).hexdigest()
    try:
        version = metadata.version("piimap")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "unknown"
    key = {
        "schema": SCHEMA_VERSION,
        "piimap": version,
        "policy": policy,
        "min_score": opts.min_score,
        "entities": sorted(opts.entities) if opts.entities else None,
        "nlp": opts.nlp,
        "sample_rows": opts.sample_rows,
        "full": opts.full,
        "sample_json": opts.sample_json,
        "seed": opts.seed,
        "max_decompressed": opts.max_decompressed,
    }
    return json.dumps(key, sort_keys=True)


def fingerprint(src: Source) -> tuple[int, str] | None:
    """(size, version) of a source, or None when it cannot be told (standard input)."""
    if src.fs_path == "-":
        return None
    if src.protocol:
        return (src.size, src.version or "size-only")
    try:
        st = os.stat(src.fs_path)
    except OSError:
        return None
    # the change time and inode too: `cp -p`, `rsync -a`, `tar x` and `touch -r` give a rewritten
    # file its old size and modification time, never its old ctime (set by the kernel on every
    # write or metadata change) or, for a replaced file, its inode
    return (st.st_size, f"mtime_ns:{st.st_mtime_ns}:ctime_ns:{st.st_ctime_ns}:ino:{st.st_ino}")


def findings_digest(findings: Iterable[Finding]) -> str:
    """sha256 of the findings' JSON form (tells whether a changed object's findings changed)."""
    h = hashlib.sha256()
    for f in findings:
        h.update(json.dumps(f.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


@dataclass
class StateStats:
    """What the state did for one scan."""

    reused: int = 0
    scanned: int = 0
    recorded: int = 0
    reset: bool = False


class ScanState:
    """A state file: look up unchanged objects, record finished ones (one commit each)."""

    def __init__(self, path: str | os.PathLike[str], opts: ScanOptions) -> None:
        """Open (or create, mode 0600) the state file at `path` for a scan with `opts`."""
        self.path = str(path)
        if not os.path.exists(self.path):
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.stats = StateStats()
        self._pending: dict[str, tuple[int, str]] = {}
        key = options_key(opts)
        row = self.db.execute("SELECT value FROM meta WHERE key='options'").fetchone()
        if row is not None and row[0] != key:
            logger.warning("state %s was written with other scan options: starting over", self.path)
            self.db.execute("DELETE FROM objects")
            self.stats.reset = True
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('options', ?)", (key,))
        self.db.commit()

    def close(self) -> None:
        """Commit and close the file."""
        self.db.commit()
        self.db.close()

    def __enter__(self) -> ScanState:
        """Use as a context manager (closes on exit)."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the file."""
        self.close()

    def lookup(self, src: Source) -> FileResult | None:
        """The recorded result of `src` if it is unchanged since it was recorded, else None."""
        fp = fingerprint(src)
        if fp is None:
            return None
        row = self.db.execute(
            "SELECT findings, columns, issue, bytes_read, cells FROM objects"
            " WHERE path=? AND size=? AND version=?",
            (src.path, fp[0], fp[1]),
        ).fetchone()
        if row is None:
            self._pending[src.path] = fp
            return None
        findings, columns, issue, bytes_read, cells = row
        return FileResult(
            path=src.path,
            findings=[Finding.from_dict(d) for d in json.loads(findings)],
            columns=[_profile(d) for d in json.loads(columns)],
            issue=FileIssue(**json.loads(issue)) if issue else None,
            bytes_read=bytes_read,
            cells=cells,
        )

    def plan(self, items: Iterable[Source | FileIssue]) -> Iterator[Source | FileIssue | FileResult]:
        """Replace unchanged sources by their recorded results; pass the rest on to be scanned."""
        for item in items:
            if isinstance(item, Source):
                kept = self.lookup(item)
                if kept is not None:
                    self.stats.reused += 1
                    yield kept
                    continue
                self.stats.scanned += 1
            yield item

    def record(self, fr: FileResult) -> None:
        """Record a freshly scanned object (errors are not recorded: they are retried)."""
        fp = self._pending.pop(fr.path, None)
        if fp is None or (fr.issue is not None and fr.issue.kind == "error"):
            return
        self.db.execute(
            "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                fr.path,
                fp[0],
                fp[1],
                findings_digest(fr.findings),
                json.dumps([f.to_dict() for f in fr.findings], ensure_ascii=False),
                json.dumps([c.to_dict() for c in fr.columns], ensure_ascii=False),
                json.dumps(fr.issue.to_dict()) if fr.issue else None,
                fr.bytes_read,
                fr.cells,
                time.time(),
            ),
        )
        self.db.commit()
        self.stats.recorded += 1

    def track(self, results: Iterable[FileResult]) -> Iterator[FileResult]:
        """Pass results through, recording each scanned one as it completes."""
        for fr in results:
            self.record(fr)
            yield fr

    def objects(self) -> int:
        """How many objects the state holds."""
        return int(self.db.execute("SELECT count(*) FROM objects").fetchone()[0])


def _profile(d: dict[str, Any]) -> ColumnProfile:
    return ColumnProfile(
        path=d["path"],
        column=d["column"],
        entity=d.get("entity"),
        categories=tuple(d.get("categories") or ()),
        sensitive=bool(d.get("sensitive")),
        match_ratio=float(d.get("match_ratio", 0.0)),
        sampled=int(d.get("sampled", 0)),
        evidence=tuple(d.get("evidence") or ()),
    )
