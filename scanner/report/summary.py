"""The one aggregation every reporter uses: per-category figures and the disclosure gap analysis.

`build_summary()` compares what the findings hold with what the policy discloses:

* **undisclosed** (headline): an entity found that no *declared* category of the policy
  discloses — its category is not declared, it is in no category, or the declared category
  does not list it among its examples (a My Number, an SSN, an API key...);
* **plaintext**: sensitive findings sitting in plain-text files or logs (passwords in logs);
* **declared_not_found** (informational): a declared category with nothing found.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from scanner import yamlio
from scanner.classify import RecordKey, record_key, rule_records
from scanner.policy import Policy
from scanner.records import Finding

#: gap kinds, in report order; `declared_not_found` is informational
GAP_KINDS = ("undisclosed", "plaintext", "declared_not_found")


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    text = (resources.files("scanner.report") / "labels.yaml").read_text("utf-8")
    doc: dict[str, Any] = yamlio.safe_load(text)
    return doc


def ui(key: str, lang: str = "en") -> str:
    """A user-visible report string in `lang` (English when missing)."""
    entry = _labels()["ui"].get(key)
    if entry is None:
        return key
    return str(entry.get(lang) or entry["en"])


def entity_label(entity: str, lang: str = "en") -> str:
    """Human label of an entity (e.g. JP_MY_NUMBER -> マイナンバー(個人番号))."""
    entry = _labels()["entities"].get(entity)
    if entry is None:
        return entity
    return str(entry.get(lang) or entry["en"])


def location(f: Finding) -> str:
    """Where a finding is, at file or column granularity: `path` or `path:column`."""
    return f.path if f.column is None else f"{f.path}:{f.column}"


@dataclass
class CategorySummary:
    """Per-category figures for the disclosure table."""

    id: str
    label: str
    declared: bool
    declared_examples: list[str] = field(default_factory=list)
    findings: int = 0
    records: int = 0
    sensitive: int = 0
    sensitive_records: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    undisclosed: Counter[str] = field(default_factory=Counter)
    locations: Counter[str] = field(default_factory=Counter)

    @property
    def found(self) -> bool:
        """True when anything in this category was found."""
        return self.findings > 0

    @property
    def sensitive_share(self) -> float:
        """Share of this category's findings that are sensitive (0..1)."""
        return self.sensitive / self.findings if self.findings else 0.0


@dataclass
class Gap:
    """One row of the gap analysis."""

    kind: str
    subject: str
    label: str
    reason: str
    categories: list[str] = field(default_factory=list)
    findings: int = 0
    records: int = 0
    sensitive: int = 0
    locations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def informational(self) -> bool:
        """True for gaps that are worth knowing but not a problem (declared, not found)."""
        return self.kind == "declared_not_found"


@dataclass
class RuleSummary:
    """How many records a record-level rule marked sensitive."""

    id: str
    label: str
    records: int


@dataclass
class Summary:
    """Everything the human-readable reports show, computed once."""

    policy_id: str
    policy_title: str
    lang: str
    categories: list[CategorySummary]
    gaps: list[Gap]
    rules: list[RuleSummary]
    entities: Counter[str]
    locations: Counter[str]
    findings: int = 0
    records: int = 0
    sensitive: int = 0
    sensitive_records: int = 0
    uncategorized: Counter[str] = field(default_factory=Counter)

    @property
    def problems(self) -> list[Gap]:
        """Gaps that need action (everything but the informational ones)."""
        return [g for g in self.gaps if not g.informational]

    def category(self, cat_id: str) -> CategorySummary:
        """The summary of one category."""
        for c in self.categories:
            if c.id == cat_id:
                return c
        raise KeyError(cat_id)


def _top(counter: Counter[str], n: int = 5) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _undisclosed_reason(entity: str, policy: Policy) -> str:
    cats = [policy.category(c) for c in policy.categories_for(entity)]
    if not cats:
        return "reason.no_category"
    if not any(c.declared for c in cats):
        return "reason.undeclared_category"
    return "reason.not_in_examples"


def build_summary(findings: list[Finding], policy: Policy, lang: str = "en") -> Summary:
    """Per-category counts, record-rule counts and the disclosure gap analysis."""
    cats = {
        c.id: CategorySummary(
            c.id,
            c.label.get(lang, c.label["en"]),
            c.declared,
            list(c.declared_examples.get(lang) or c.declared_examples.get("en") or []),
        )
        for c in policy.categories
    }
    cat_records: dict[str, set[RecordKey]] = defaultdict(set)
    cat_sens_records: dict[str, set[RecordKey]] = defaultdict(set)
    ent_stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"findings": 0, "records": set(), "sensitive": 0, "locations": Counter(), "plain": 0,
                 "plain_records": set(), "plain_locations": Counter()}
    )
    records: set[RecordKey] = set()
    sens_records: set[RecordKey] = set()
    entities: Counter[str] = Counter()
    locations: Counter[str] = Counter()
    uncategorized: Counter[str] = Counter()
    sensitive = 0
    declared: dict[str, bool] = {}
    for f in findings:
        if f.entity not in declared:
            declared[f.entity] = policy.is_declared(f.entity)
        rec = record_key(f)
        loc = location(f)
        records.add(rec)
        entities[f.entity] += 1
        locations[loc] += 1
        sensitive += int(f.sensitive)
        if f.sensitive:
            sens_records.add(rec)
        st = ent_stats[f.entity]
        st["findings"] += 1
        st["records"].add(rec)
        st["sensitive"] += int(f.sensitive)
        st["locations"][loc] += 1
        if f.sensitive and f.line is not None:
            st["plain"] += 1
            st["plain_records"].add(rec)
            st["plain_locations"][loc] += 1
        if not f.categories:
            uncategorized[f.entity] += 1
        for cat in f.categories:
            s = cats.get(cat)
            if s is None:
                continue
            s.findings += 1
            s.entities[f.entity] += 1
            s.sensitive += int(f.sensitive)
            s.locations[loc] += 1
            cat_records[cat].add(rec)
            if f.sensitive:
                cat_sens_records[cat].add(rec)
            if not declared[f.entity]:
                s.undisclosed[f.entity] += 1
    for cat, recs in cat_records.items():
        cats[cat].records = len(recs)
        cats[cat].sensitive_records = len(cat_sens_records[cat])

    def cat_labels(entity: str) -> list[str]:
        return [cats[c].label for c in policy.categories_for(entity) if c in cats]

    gaps: list[Gap] = []
    order = sorted(ent_stats, key=lambda e: (-ent_stats[e]["sensitive"], -ent_stats[e]["findings"], e))
    for ent in order:
        st = ent_stats[ent]
        if not policy.is_declared(ent):
            reason = ui(_undisclosed_reason(ent, policy), lang)
            if st["plain"]:
                reason += f"; {ui('reason.also_plaintext', lang)}"
            gaps.append(Gap("undisclosed", ent, entity_label(ent, lang), reason, cat_labels(ent),
                            st["findings"], len(st["records"]), st["sensitive"], _top(st["locations"])))
    for ent in order:
        st = ent_stats[ent]
        if st["plain"] and policy.is_declared(ent):  # undisclosed ones are already flagged
            gaps.append(Gap("plaintext", ent, entity_label(ent, lang), ui("reason.plaintext", lang), cat_labels(ent),
                            st["plain"], len(st["plain_records"]), st["plain"], _top(st["plain_locations"])))
    for c in policy.categories:
        if c.declared and not cats[c.id].found:
            gaps.append(Gap("declared_not_found", c.id, cats[c.id].label, ui("reason.declared_not_found", lang),
                            [cats[c.id].label]))
    fired = rule_records(findings, policy)
    rules = [RuleSummary(r.id, r.label.get(lang, r.label["en"]), len(fired[r.id])) for r in policy.record_rules]
    return Summary(
        policy_id=policy.id,
        policy_title=policy.title.get(lang, policy.title["en"]),
        lang=lang,
        categories=list(cats.values()),
        gaps=gaps,
        rules=rules,
        entities=entities,
        locations=locations,
        findings=len(findings),
        records=len(records),
        sensitive=sensitive,
        sensitive_records=len(sens_records),
        uncategorized=uncategorized,
    )


def examples_found(c: CategorySummary, lang: str = "en") -> str:
    """`email address (12), phone number (3)` for a category, most found first."""
    return ", ".join(f"{entity_label(e, lang)} ({n})" for e, n in _top(c.entities, 50))


def locations_text(items: list[tuple[str, int]] | Counter[str], limit: int = 3) -> str:
    """`a.log (5), users.csv:email (2), … +3` — the top locations of a row."""
    pairs = _top(items, 10_000) if isinstance(items, Counter) else list(items)
    text = ", ".join(f"{p} ({n})" for p, n in pairs[:limit])
    return text + (f", … +{len(pairs) - limit}" if len(pairs) > limit else "")


def summarize(findings: list[Finding], policy: Policy, lang: str = "en") -> list[CategorySummary]:
    """Per-category figures only (kept for callers of the first version)."""
    return build_summary(findings, policy, lang).categories


def undisclosed_entities(findings: list[Finding], policy: Policy) -> Counter[str]:
    """Entities found that no declared category of the policy discloses."""
    return Counter(f.entity for f in findings if not policy.is_declared(f.entity))
