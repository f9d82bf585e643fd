"""Baselines: remember today's findings so CI fails only on new ones.

The file stores, per finding, its path, entity and an HMAC-SHA256 of `Finding.digest`
(itself the SHA-256 of the raw value, kept in memory only) keyed with a random salt kept
in the file. No raw value, no preview, no unsalted hash is written. A finding is "known"
when the same value was found as the same entity in the same file — moving it to another
line does not make it new. Format changes bump `BASELINE_VERSION`.

"The same file" does not depend on how the path was typed: a local path is stored relative
to the folder that holds the baseline file (`src/app.py` whether the scan named `src`,
`./src`, `/abs/repo/src`, or ran inside `src` as `.`); URLs and `-` are kept as they are.
Entries written before paths were made relative (same format version) still match by the
path as it was typed.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError
from scanner.records import Finding

BASELINE_VERSION = 1
FORMAT = "piimap-baseline"


def _mac(salt: bytes, digest: str) -> str:
    return hmac.new(salt, digest.encode("ascii"), sha256).hexdigest()


@dataclass
class Baseline:
    """A set of (path, entity, salted hash) triples."""

    salt: bytes
    entries: set[tuple[str, str, str]] = field(default_factory=set)
    created: str = ""
    policy: str = ""
    #: the folder local paths are stored relative to (the baseline file's); "" = as typed
    root: str = ""

    @classmethod
    def new(cls, policy: str = "", file: str = "") -> Baseline:
        """An empty baseline with a fresh random salt, to be written to `file`."""
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        return cls(salt=secrets.token_bytes(32), created=now, policy=policy, root=_root_of(file))

    def stored_path(self, path: str) -> str:
        """`path` as the baseline stores it: relative to `root` for a local file."""
        if not self.root or path == "-" or "://" in path:
            return path
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def key(self, f: Finding) -> tuple[str, str, str]:
        """The baseline key of a finding (needs the in-memory digest)."""
        if not f.digest:
            raise ConfigError("a baseline needs findings from a scan (saved findings carry no digest)")
        return (self.stored_path(f.path), f.entity, _mac(self.salt, f.digest))

    def add(self, findings: Iterable[Finding]) -> None:
        """Remember `findings`."""
        self.entries.update(self.key(f) for f in findings)

    def contains(self, f: Finding) -> bool:
        """True when `f` was already in the baseline (by its stored path, or as typed)."""
        key = self.key(f)
        return key in self.entries or (f.path, *key[1:]) in self.entries

    def new_findings(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings that are not in the baseline."""
        return [f for f in findings if not self.contains(f)]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (entries sorted: stable diffs in version control)."""
        return {
            "format": FORMAT,
            "version": BASELINE_VERSION,
            "created": self.created,
            "policy": self.policy,
            "hash": "hmac-sha256(salt, sha256(value))",
            "salt": self.salt.hex(),
            "findings": [{"path": p, "entity": e, "hash": h} for p, e, h in sorted(self.entries)],
        }


def parse_baseline(text: str, source: str) -> Baseline:
    """Parse and validate a baseline file."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ConfigError(f"{source}: not a piimap baseline (missing \"format\": \"{FORMAT}\")")
    if doc.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{source}: baseline version {doc.get('version')!r} is not supported "
                          f"(this piimap reads version {BASELINE_VERSION}); recreate it with `piimap baseline create`")
    try:
        salt = bytes.fromhex(doc["salt"])
        entries = {(str(e["path"]), str(e["entity"]), str(e["hash"])) for e in doc["findings"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: malformed baseline: {exc}") from exc
    if len(salt) < 16:
        raise ConfigError(f"{source}: baseline salt is too short")
    return Baseline(salt, entries, str(doc.get("created", "")), str(doc.get("policy", "")))


def _root_of(file: str) -> str:
    """The absolute folder of a local baseline file ("" for none or standard output)."""
    if not file or file == "-":
        return ""
    return os.path.dirname(os.path.abspath(file))


def load_baseline(path: str) -> Baseline:
    """Load a baseline file."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc}") from exc
    base = parse_baseline(text, path)
    base.root = _root_of(path)
    return base
