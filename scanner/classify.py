"""Classification: detections -> findings, applying the policy and record-level rules."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Protocol

from scanner.mask import mask
from scanner.policy import Policy
from scanner.records import Detection, Finding

RecordKey = tuple[str, int | None, int | None]


class Located(Protocol):
    """Anything with a record position and an entity (a Detection or a Finding)."""

    @property
    def path(self) -> str:
        """The file."""
        ...

    @property
    def line(self) -> int | None:
        """1-based line (text)."""
        ...

    @property
    def row(self) -> int | None:
        """0-based data row (tables)."""
        ...

    @property
    def entity(self) -> str:
        """The entity name."""
        ...


def record_key(det: Located) -> RecordKey:
    """The record a detection belongs to: a line of a file, or a row of a table."""
    return (det.path, det.line, det.row)


def rule_records(items: Iterable[Located], policy: Policy) -> dict[str, set[RecordKey]]:
    """Map record-rule id -> the records (lines/rows) on which the rule fires."""
    fired: dict[str, set[RecordKey]] = {r.id: set() for r in policy.record_rules}
    if not policy.record_rules:
        return fired
    items = items if isinstance(items, list) else list(items)
    # a rule can fire on a record only if the batch holds an entity of each required group;
    # only the entities of those groups matter for grouping by record (tables: millions of
    # findings, usually none of them PASSWORD or a card security code)
    batch = {d.entity for d in items}
    possible = [r for r in policy.record_rules if all(batch & g for g in r.requires)]
    if not possible:
        return fired
    relevant = frozenset().union(*(g for r in possible for g in r.requires))
    by_record: dict[RecordKey, set[str]] = defaultdict(set)
    for d in items:
        if d.entity in relevant:
            by_record[record_key(d)].add(d.entity)
    memo: dict[frozenset[str], list[str]] = {}  # few distinct entity sets, many records
    for rec, entities in by_record.items():
        key = frozenset(entities)
        rules = memo.get(key)
        if rules is None:
            rules = memo[key] = [r.id for r in possible if all(key & g for g in r.requires)]
        for rid in rules:
            fired[rid].add(rec)
    return fired


def sensitive_records(dets: Iterable[Located], policy: Policy) -> dict[tuple[object, ...], set[str]]:
    """Map (record, entity) -> ids of the record rules that mark it sensitive."""
    dets = list(dets)
    fired = rule_records(dets, policy)
    records = set().union(*fired.values()) if fired else set()
    if not records:
        return {}
    present: dict[RecordKey, set[str]] = defaultdict(set)
    for d in dets:
        rec = record_key(d)
        if rec in records:
            present[rec].add(d.entity)
    marked: dict[tuple[object, ...], set[str]] = {}
    for rule in policy.record_rules:
        for rec in fired[rule.id]:
            for ent in present[rec] & rule.marks:
                marked.setdefault((*rec, ent), set()).add(rule.id)
    return marked


def _categories_and_flag(item: Located, policy: Policy, marked: dict[tuple[object, ...], set[str]]) -> tuple[tuple[str, ...], bool]:
    cats = list(policy.categories_for(item.entity))
    sensitive = item.entity in policy.sensitive_entities
    rules = marked.get((*record_key(item), item.entity))
    if rules:
        sensitive = True
        rule_cats = {r.id: r.category for r in policy.record_rules}
        for rid in sorted(rules):
            cat = rule_cats.get(rid)
            if cat and cat not in cats:
                cats.append(cat)
    return tuple(cats), sensitive


def reclassify(findings: list[Finding], policy: Policy) -> list[Finding]:
    """Findings re-mapped to another policy (e.g. `piimap report --policy`); previews kept."""
    marked = sensitive_records(findings, policy)
    out = []
    for f in findings:
        cats, sensitive = _categories_and_flag(f, policy, marked)
        out.append(replace(f, categories=cats, sensitive=sensitive))
    return out


_FINDING_SETTERS = tuple(
    Finding.__dict__[f.name].__set__ for f in fields(Finding)
)


def classify(dets: list[Detection], policy: Policy) -> list[Finding]:
    """Findings for one batch of detections (record rules see the whole batch)."""
    marked = sensitive_records(dets, policy)
    out = []
    # tables repeat values: mask and hash each distinct (entity, value) once
    masked: dict[tuple[str, str], tuple[str, str]] = {}
    # categories and flag per entity, for detections no record rule marks (nearly all)
    plain: dict[str, tuple[tuple[str, ...], bool]] = {}
    # Findings are built by filling their slots: the frozen dataclass's __init__ (one
    # object.__setattr__ per field) is a large share of the per-finding cost of dense tables
    new = object.__new__
    (s_path, s_line, s_row, s_col, s_start, s_end, s_ent, s_cats, s_sens, s_score, s_rec,
     s_prev, s_dig) = _FINDING_SETTERS
    for d in dets:
        mk = masked.get((d.entity, d.value))
        if mk is None:
            digest = hashlib.sha256(d.value.encode("utf-8", "surrogatepass")).hexdigest()
            mk = (mask(d.entity, d.value), digest)
            masked[(d.entity, d.value)] = mk
        if marked and (d.path, d.line, d.row, d.entity) in marked:
            cats, sensitive = _categories_and_flag(d, policy, marked)
        else:
            cs = plain.get(d.entity)
            if cs is None:
                cs = plain[d.entity] = _categories_and_flag(d, policy, {})
            cats, sensitive = cs
        f = new(Finding)
        s_path(f, d.path)
        s_line(f, d.line)
        s_row(f, d.row)
        s_col(f, d.column)
        s_start(f, d.start)
        s_end(f, d.end)
        s_ent(f, d.entity)
        s_cats(f, cats)
        s_sens(f, sensitive)
        s_score(f, d.score)
        s_rec(f, d.recognizer)
        s_prev(f, mk[0])
        s_dig(f, mk[1])
        out.append(f)
    return out
