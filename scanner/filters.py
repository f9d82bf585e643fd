"""Suppressions: named pure predicates, listed explicitly.

* Inline: a line (or table cell) holding `piimap: ignore` drops every detection on it;
  `piimap: ignore[EMAIL_ADDRESS, PHONE_NUMBER]` drops only those entities.
* Allowlist file (`--allowlist FILE`): known-harmless values and regexes, e.g. example.com
  addresses or test card numbers. Safe-loaded and validated; errors name file and line.
Both act on detections, before classification, so record rules never see what was dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scanner.errors import ConfigError
from scanner.records import Detection

#: the inline marker (lower case, like `# noqa`); entity names in brackets are optional
INLINE_MARK = re.compile(r"piimap:\s*ignore(?:\[([^\]]*)\])?")
#: cheap pre-check before any per-line work (a plain substring test runs at ~1 GB/s)
INLINE_PREFIX = "piimap:"


def inline_ignores(line: str) -> frozenset[str] | None:
    """Entities ignored on `line`: None without a marker, an empty set for "everything"."""
    if INLINE_PREFIX not in line:
        return None
    found: set[str] = set()
    any_mark = False
    for m in INLINE_MARK.finditer(line):
        any_mark = True
        if m.group(1) is None:
            return frozenset()
        found |= {e.strip().upper() for e in m.group(1).split(",") if e.strip()}
    return frozenset(found) if any_mark else None


def is_inline_ignored(entity: str, ignored: frozenset[str] | None) -> bool:
    """True when an inline marker covers `entity`."""
    return ignored is not None and (not ignored or entity in ignored)


def _canon(value: str) -> str:
    """Case-folded, without spaces and dashes: `4111 1111-1111 1111` == `4111111111111111`."""
    return re.sub(r"[\s\-]", "", value).casefold()


@dataclass(frozen=True)
class AllowRule:
    """One allowlist entry: an exact value or a regex, optionally for one entity only."""

    entity: str | None
    value: str | None = None
    regex: re.Pattern[str] | None = None
    where: str = ""


@dataclass(frozen=True)
class Allowlist:
    """Values and regexes whose detections are dropped."""

    rules: tuple[AllowRule, ...]
    source: str = ""

    def allows(self, entity: str, value: str) -> bool:
        """True when `value` (found as `entity`) is allowlisted."""
        canon = _canon(value)
        for r in self.rules:
            if r.entity is not None and r.entity != entity:
                continue
            if r.value is not None and (r.value == value or _canon(r.value) == canon):
                return True
            if r.regex is not None and r.regex.search(value):
                return True
        return False

    def filter(self, dets: list[Detection]) -> list[Detection]:
        """Detections that are not allowlisted."""
        return [d for d in dets if not self.allows(d.entity, d.value)] if self.rules else dets


_KEYS = {"version", "values", "patterns"}
_ENTRY_KEYS = {"value", "regex", "entity", "comment"}


def parse_allowlist(text: str, source: str) -> Allowlist:
    """Parse and validate an allowlist document (safe loader; errors name the line)."""
    from scanner.policy import _LineLoader, known_entities

    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if doc is None:
        return Allowlist((), source)
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}:1: an allowlist must be a mapping with 'values' and/or 'patterns'")
    unknown = sorted(set(doc) - _KEYS - {"__line__"})
    if unknown:
        raise ConfigError(f"{source}:{doc['__line__']}: unknown keys {unknown} (allowed: {sorted(_KEYS)})")
    if doc.get("version", 1) != 1:
        raise ConfigError(f"{source}:{doc['__line__']}: unsupported allowlist version {doc.get('version')!r}")
    rules: list[AllowRule] = []
    for key in ("values", "patterns"):
        items = doc.get(key) or []
        line = int(getattr(items, "line", 0) or doc["__line__"])
        if not isinstance(items, list):
            raise ConfigError(f"{source}:{line}: '{key}' must be a list")
        for item in items:
            rules.append(_entry(item, key, source, line, known_entities()))
    return Allowlist(tuple(rules), source)


def _entry(item: Any, key: str, source: str, line: int, known: frozenset[str]) -> AllowRule:
    if isinstance(item, (str, int)) and not isinstance(item, bool):
        item = {"value" if key == "values" else "regex": str(item)}
    elif isinstance(item, dict):
        line = item.get("__line__", line)
    else:
        raise ConfigError(f"{source}:{line}: each entry of '{key}' must be a string or a mapping")
    where = f"{source}:{line}"
    unknown = sorted(set(item) - _ENTRY_KEYS - {"__line__"})
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown} (allowed: {sorted(_ENTRY_KEYS)})")
    entity = item.get("entity")
    if entity is not None and entity not in known:
        raise ConfigError(f"{where}: unknown entity {entity!r}")
    if key == "values":
        if not isinstance(item.get("value"), (str, int)) or item.get("regex") is not None:
            raise ConfigError(f"{where}: a 'values' entry needs 'value' (a string)")
        return AllowRule(entity, value=str(item["value"]), where=where)
    if not isinstance(item.get("regex"), str) or item.get("value") is not None:
        raise ConfigError(f"{where}: a 'patterns' entry needs 'regex' (a string)")
    try:
        compiled = re.compile(item["regex"])
    except re.error as exc:
        raise ConfigError(f"{where}: regex {item['regex']!r} does not compile: {exc}") from exc
    return AllowRule(entity, regex=compiled, where=where)


def load_allowlist(path: str) -> Allowlist:
    """Load an allowlist YAML file."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read allowlist: {exc}") from exc
    return parse_allowlist(text, path)
