"""Classification: detections -> findings, applying the policy and record-level rules."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

import numpy as np

from scanner.blocks import Class, DetectionBlock, FindingBlock
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
    relevant = _rule_entities(policy)
    if not relevant:
        return fired
    by_record: dict[RecordKey, set[str]] = defaultdict(set)
    for d in items:
        if d.entity in relevant:  # only entities some rule asks for can make a rule fire
            by_record[(d.path, d.line, d.row)].add(d.entity)
    memo: dict[frozenset[str], list[str]] = {}  # few distinct entity sets, many records
    for rec, entities in by_record.items():
        key = frozenset(entities)
        rules = memo.get(key)
        if rules is None:
            rules = memo[key] = [r.id for r in policy.record_rules if all(key & g for g in r.requires)]
        for rid in rules:
            fired[rid].add(rec)
    return fired


def _rule_entities(policy: Policy) -> frozenset[str]:
    """Every entity named in a record rule's `requires`."""
    return frozenset(e for r in policy.record_rules for g in r.requires for e in g)


def sensitive_records(dets: Iterable[Located], policy: Policy) -> dict[tuple[object, ...], set[str]]:
    """Map (record, entity) -> ids of the record rules that mark it sensitive."""
    dets = list(dets)
    fired = rule_records(dets, policy)
    present: dict[RecordKey, set[str]] = defaultdict(set)
    for d in dets:
        present[record_key(d)].add(d.entity)
    marked: dict[tuple[object, ...], set[str]] = {}
    for rule in policy.record_rules:
        for rec in fired[rule.id]:
            for ent in present[rec] & rule.marks:
                marked.setdefault((*rec, ent), set()).add(rule.id)
    return marked


def categories_and_flag(entity: str, rule_ids: Iterable[str], policy: Policy) -> tuple[tuple[str, ...], bool]:
    """Categories and sensitive flag of `entity` when the record rules `rule_ids` mark it
    (each rule adds its category, in rule-id order)."""
    cats = list(policy.categories_for(entity))
    sensitive = entity in policy.sensitive_entities
    rule_ids = sorted(rule_ids)
    if rule_ids:
        sensitive = True
        rule_cats = {r.id: r.category for r in policy.record_rules}
        for rid in rule_ids:
            cat = rule_cats.get(rid)
            if cat and cat not in cats:
                cats.append(cat)
    return tuple(cats), sensitive


def _categories_and_flag(
    item: Located, policy: Policy, marked: dict[tuple[object, ...], set[str]]
) -> tuple[tuple[str, ...], bool]:
    return categories_and_flag(item.entity, marked.get((*record_key(item), item.entity)) or (), policy)


def reclassify(findings: list[Finding], policy: Policy) -> list[Finding]:
    """Findings re-mapped to another policy (e.g. `piimap report --policy`); previews kept."""
    marked = sensitive_records(findings, policy)
    out = []
    for f in findings:
        cats, sensitive = _categories_and_flag(f, policy, marked)
        out.append(replace(f, categories=cats, sensitive=sensitive))
    return out


class _Labels:
    """Masked previews, digests and plain categories, each made once per distinct input
    (tables and logs repeat values and entities)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._masked: dict[tuple[str, str], tuple[str, bytes]] = {}
        self._plain: dict[str, tuple[tuple[str, ...], bool]] = {}

    def masked(self, entity: str, value: str) -> tuple[str, bytes]:
        """(masked preview, sha256 digest) of `value` found as `entity`."""
        mk = self._masked.get((entity, value))
        if mk is None:
            digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()
            mk = self._masked[(entity, value)] = (mask(entity, value), digest)
        return mk

    def plain(self, entity: str) -> tuple[tuple[str, ...], bool]:
        """Categories and sensitive flag of `entity` when no record rule marks it."""
        cs = self._plain.get(entity)
        if cs is None:
            policy = self.policy
            cs = self._plain[entity] = (policy.categories_for(entity), entity in policy.sensitive_entities)
        return cs


def classify(dets: list[Detection], policy: Policy) -> list[Finding]:
    """Findings for one batch of detections (record rules see the whole batch)."""
    marked = sensitive_records(dets, policy)
    out = []
    labels = _Labels(policy)
    hexes: dict[bytes, str] = {}
    for d in dets:
        entity = d.entity
        preview, digest = labels.masked(entity, d.value)
        hexed = hexes.get(digest)
        if hexed is None:
            hexed = hexes[digest] = digest.hex()
        if marked and (d.path, d.line, d.row, entity) in marked:
            cats, sensitive = _categories_and_flag(d, policy, marked)
        else:
            cats, sensitive = labels.plain(entity)
        out.append(
            Finding(
                d.path, d.line, d.row, d.column, d.start, d.end, entity, cats, sensitive,
                d.score, d.recognizer, preview, hexed,
            )
        )
    return out


#: record rules a block can apply (one bit each in an int64); a policy with more takes the
#: object path (`classify`), see `Engine._iter_units`
BLOCK_MAX_RULES = 62


def _rule_bits(block: DetectionBlock, ent: np.ndarray, code: dict[str, int], policy: Policy) -> np.ndarray:
    """Per detection: bit i set when record rule i marks it (rules fire per row)."""
    bits = np.zeros(len(block), dtype=np.int64)
    rules = policy.record_rules
    relevant = [code[e] for e in {e for r in rules for g in r.requires for e in g} if e in code]
    if not relevant:
        return bits
    rows_any = np.unique(block.row[np.isin(ent, relevant)])
    for i, rule in enumerate(rules):
        fired = rows_any
        for g in rule.requires:
            codes = [code[e] for e in g if e in code]
            if not codes:
                fired = fired[:0]
                break
            fired = np.intersect1d(fired, np.unique(block.row[np.isin(ent, codes)]), assume_unique=True)
        marks = [code[e] for e in rule.marks if e in code]
        if len(fired) and marks:
            m = np.isin(ent, marks) & np.isin(block.row, fired)
            bits[m] |= 1 << i
    return bits


def classify_block(block: DetectionBlock, policy: Policy) -> FindingBlock:
    """`classify` for a DetectionBlock: the same findings, in the same order, as columns."""
    if len(policy.record_rules) > BLOCK_MAX_RULES:
        raise ValueError(f"more than {BLOCK_MAX_RULES} record rules: classify the detections as a list")
    code: dict[str, int] = {}
    hit_ent = np.asarray([code.setdefault(h[2], len(code)) for h in block.hits] or [0], dtype=np.int64)
    ent = hit_ent[block.hit]
    bits = _rule_bits(block, ent, code, policy) if policy.record_rules and len(block) else None
    if bits is None or not bits.any():  # one kind per hit
        kind = block.hit
        pairs: list[tuple[int, int]] = [(h, 0) for h in range(len(block.hits))]
    else:
        uniq, inv = np.unique(np.stack([block.hit, bits], axis=1), axis=0, return_inverse=True)
        kind, pairs = inv.reshape(-1), uniq.tolist()
    labels = _Labels(policy)
    classes: dict[Class, int] = {}
    starts, ends, kcls, previews = [], [], [], []
    digests = bytearray()
    for h, b in pairs:
        s, e, entity, score, rec, value = block.hits[h]
        preview, digest = labels.masked(entity, value)
        if b:
            ids = [r.id for i, r in enumerate(policy.record_rules) if b >> i & 1]
            cats, sensitive = categories_and_flag(entity, ids, policy)
        else:
            cats, sensitive = labels.plain(entity)
        starts.append(s)
        ends.append(e)
        kcls.append(classes.setdefault((entity, cats, sensitive, score, rec), len(classes)))
        previews.append(preview)
        digests += digest
    return FindingBlock(
        block.path, block.columns, list(classes), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
        np.asarray(kcls, dtype=np.int32), previews, np.frombuffer(bytes(digests), dtype=np.uint8).reshape(-1, 32),
        block.row, block.col, np.asarray(kind, dtype=np.int64),
    )
