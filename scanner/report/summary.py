"""Aggregations shared by the human-readable reporters (counts, gaps)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from scanner.policy import Policy
from scanner.records import Finding


@dataclass
class CategorySummary:
    """Per-category figures for the disclosure table."""

    id: str
    label: str
    declared: bool
    findings: int = 0
    records: int = 0
    sensitive: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    undisclosed: Counter[str] = field(default_factory=Counter)
    locations: Counter[str] = field(default_factory=Counter)


def summarize(findings: list[Finding], policy: Policy, lang: str = "en") -> list[CategorySummary]:
    """Per-category counts, with the entities found that the policy does not declare."""
    out = {
        c.id: CategorySummary(c.id, c.label.get(lang, c.label["en"]), c.declared)
        for c in policy.categories
    }
    records: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for f in findings:
        for cat in f.categories:
            s = out.get(cat)
            if s is None:
                continue
            s.findings += 1
            s.entities[f.entity] += 1
            s.sensitive += int(f.sensitive)
            loc = f.path if f.column is None else f"{f.path}:{f.column}"
            s.locations[loc] += 1
            records[cat].add((f.path, f.line, f.row))
            if not policy.is_declared(f.entity):
                s.undisclosed[f.entity] += 1
    for cat, recs in records.items():
        out[cat].records = len(recs)
    return list(out.values())


def undisclosed_entities(findings: list[Finding], policy: Policy) -> Counter[str]:
    """Entities found that no declared category of the policy discloses."""
    return Counter(f.entity for f in findings if not policy.is_declared(f.entity))
