"""Classification: detections -> findings, applying the policy and record-level rules."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from scanner.mask import mask
from scanner.policy import Policy
from scanner.records import Detection, Finding


def record_key(det: Detection) -> tuple[str, int | None, int | None]:
    """The record a detection belongs to: a line of a file, or a row of a table."""
    return (det.path, det.line, det.row)


def sensitive_records(dets: Iterable[Detection], policy: Policy) -> dict[tuple[object, ...], set[str]]:
    """Map (record, entity) -> ids of the record rules that mark it sensitive."""
    by_record: dict[tuple[str, int | None, int | None], set[str]] = defaultdict(set)
    for d in dets:
        by_record[record_key(d)].add(d.entity)
    marked: dict[tuple[object, ...], set[str]] = {}
    for rec, entities in by_record.items():
        for rule in policy.record_rules:
            if all(entities & group for group in rule.requires):
                for ent in entities & rule.marks:
                    marked.setdefault((*rec, ent), set()).add(rule.id)
    return marked


def classify(dets: list[Detection], policy: Policy) -> list[Finding]:
    """Findings for one batch of detections (record rules see the whole batch)."""
    marked = sensitive_records(dets, policy)
    rule_cats = {r.id: r.category for r in policy.record_rules}
    out = []
    # tables repeat values: mask and hash each distinct (entity, value) once
    masked: dict[tuple[str, str], tuple[str, str]] = {}
    for d in dets:
        mk = masked.get((d.entity, d.value))
        if mk is None:
            mk = (mask(d.entity, d.value), hashlib.sha256(d.value.encode("utf-8", "surrogatepass")).hexdigest())
            masked[(d.entity, d.value)] = mk
        cats = list(policy.categories_for(d.entity))
        sensitive = d.entity in policy.sensitive_entities
        rules = marked.get((d.path, d.line, d.row, d.entity)) if marked else None
        if rules:
            sensitive = True
            for rid in sorted(rules):
                cat = rule_cats.get(rid)
                if cat and cat not in cats:
                    cats.append(cat)
        out.append(
            Finding(
                path=d.path,
                line=d.line,
                row=d.row,
                column=d.column,
                start=d.start,
                end=d.end,
                entity=d.entity,
                categories=tuple(cats),
                sensitive=sensitive,
                score=d.score,
                recognizer=d.recognizer,
                preview=mk[0],
                digest=mk[1],
            )
        )
    return out
