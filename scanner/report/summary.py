"""The one aggregation every reporter uses: per-category figures and the disclosure gap analysis.

`build_summary()` compares what the findings hold with what the policy discloses:

* **undisclosed** (headline), decided per (category, entity): a finding is undisclosed when ANY
  category it is filed under (the entity's categories, plus the category of a record rule that
  marked it) does not declare its entity, or when it is filed under no category. One gap row per
  (entity, category) pair, saying where the entity IS declared;
* **plaintext**: every other sensitive finding: data stored readable (piimap read it), in text
  files, logs and table cells alike;
* **declared_not_found** (informational): a declared category with nothing found.

Locations: text findings as `file:line`, table findings as `file:column` (archive members as
`archive.tar.gz!/member/path:line`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from scanner import yamlio
from scanner.classify import RecordKey, record_key, rule_records
from scanner.policy import Policy
from scanner.records import ColumnProfile, Finding

#: gap kinds, in report order; `declared_not_found` is informational
GAP_KINDS = ("undisclosed", "plaintext", "declared_not_found")


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    text = (resources.files("scanner.report") / "labels.yaml").read_text("utf-8")
    doc: dict[str, Any] = yamlio.safe_load(text)
    return doc


def ui(key: str, lang: str = "en", policy: Policy | None = None) -> str:
    """A user-visible report string in `lang` (English when missing); a policy may reword it."""
    if policy is not None and key in policy.labels:
        entry = policy.labels[key]
        return str(entry.get(lang) or entry["en"])
    entry = _labels()["ui"].get(key)
    if entry is None:
        return key
    return str(entry.get(lang) or entry["en"])


def entity_label(entity: str, lang: str = "en", policy: Policy | None = None) -> str:
    """Human label of an entity (e.g. JP_MY_NUMBER -> マイナンバー(個人番号)), in the policy's words
    when its text names the entity differently (china: 部署名, 役職, 会社名)."""
    entry = (policy.entity_labels.get(entity) if policy is not None else None) or _labels()["entities"].get(entity)
    if entry is None:
        return entity
    return str(entry.get(lang) or entry["en"])


def sampled_tables(columns: Iterable[ColumnProfile]) -> tuple[int, int]:
    """(tables read as a sample, most rows sampled from one): sample mode's caveat. A table
    read whole in sample mode (small enough, JSON) is not one."""
    paths: set[str] = set()
    rows = 0
    for c in columns:
        ev = c.evidence
        if "mode:sample" in ev and not any(e.startswith("sample:every row") for e in ev):
            paths.add(c.path)
            rows = max(rows, c.sampled)
    return len(paths), rows


def issue_message(message: str, lang: str = "en") -> str:
    """A per-file issue message, translated when it is one of the fixed ones."""
    entry = (_labels().get("messages") or {}).get(message)
    return str(entry.get(lang) or entry["en"]) if entry else message


def location(f: Finding) -> str:
    """Where a finding is, at file or column granularity: `path` or `path:column`."""
    return f.path if f.column is None else f"{f.path}:{f.column}"


def precise_location(f: Finding) -> str:
    """Where to act on a finding: `path:line` for text, `path:column` for a table, else `path`."""
    if f.line is not None:
        return f"{f.path}:{f.line}"
    return location(f)


def _loc_key(f: Finding) -> tuple[str, int, int, str]:
    """Sort key: by path, then line (numerically), then column."""
    return (f.path, 0 if f.line is not None else 1, f.line or 0, f.column or "")


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
    """One row of the gap analysis (`category`: the category id of an undisclosed pair)."""

    kind: str
    subject: str
    label: str
    reason: str
    categories: list[str] = field(default_factory=list)
    findings: int = 0
    records: int = 0
    sensitive: int = 0
    locations: list[tuple[str, int]] = field(default_factory=list)
    category: str | None = None

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
    policy: Policy | None = None

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

    def ui(self, key: str) -> str:
        """A report string in the summary's language and its policy's wording."""
        return ui(key, self.lang, self.policy)

    def entity(self, entity: str) -> str:
        """An entity's label in the summary's language and its policy's wording."""
        return entity_label(entity, self.lang, self.policy)

    def line(self) -> str:
        """The one-line headline: findings, records, sensitive findings/records, then the
        undisclosed gaps and, apart from them, the kinds of sensitive data stored readable (a
        declared category stored in plain text is no disclosure gap)."""
        undisclosed = sum(1 for g in self.gaps if g.kind == "undisclosed")
        plaintext = sum(1 for g in self.gaps if g.kind == "plaintext")
        return self.ui("summary_line").format(n=self.findings, r=self.records, s=self.sensitive,
                                              sr=self.sensitive_records, g=undisclosed, p=plaintext)


def _top(counter: Counter[str], n: int = 5) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


class _Acc:
    """Findings, records, sensitive count and precise locations of one gap row."""

    __slots__ = ("categories", "findings", "locations", "records", "sensitive", "via")

    def __init__(self) -> None:
        self.findings = 0
        self.sensitive = 0
        self.records: set[RecordKey] = set()
        self.locations: dict[tuple[str, int, int, str], tuple[str, int]] = {}
        self.via: set[str] = set()
        #: the categories the row's findings were filed under (a record rule adds its own)
        self.categories: set[str] = set()

    def add(self, f: Finding, rec: RecordKey) -> None:
        self.findings += 1
        self.sensitive += int(f.sensitive)
        self.records.add(rec)
        key = _loc_key(f)
        text, n = self.locations.get(key) or (precise_location(f), 0)
        self.locations[key] = (text, n + 1)

    def sorted_locations(self) -> list[tuple[str, int]]:
        return [self.locations[k] for k in sorted(self.locations)]


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(items)


def _declared_as(cat_id: str, policy: Policy, lang: str) -> str:
    cat = policy.category(cat_id)
    examples = list(cat.declared_examples.get(lang) or cat.declared_examples.get("en") or [])
    if not examples:  # no examples in the text: name what the declaration covers
        examples = [entity_label(e, lang, policy) for e in sorted(cat.declared_entities)]
    return _join(examples, lang)


def _undisclosed_reason(entity: str, cat_id: str | None, via: set[str], policy: Policy, lang: str) -> str:
    if cat_id is None:
        return ui("reason.no_category", lang, policy)
    cat = policy.category(cat_id)
    label = cat.label.get(lang, cat.label["en"])
    via_text = f" ({_join(sorted(via), lang)})" if via else ""
    if not cat.declared:
        reason = ui("reason.filed_undeclared", lang, policy).format(cat=label, via=via_text)
    else:
        reason = ui("reason.filed_not_listed", lang, policy).format(
            cat=label, via=via_text, examples=_declared_as(cat_id, policy, lang))
    where = [c.label.get(lang, c.label["en"]) for c in policy.categories
             if c.declared and entity in c.declared_entities]
    if where:
        reason += "; " + ui("reason.declared_under", lang, policy).format(cats=_join(where, lang))
    return reason


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
    records: set[RecordKey] = set()
    sens_records: set[RecordKey] = set()
    entities: Counter[str] = Counter()
    locations: Counter[str] = Counter()
    uncategorized: Counter[str] = Counter()
    sensitive = 0
    # which record rule filed an entity under a category that is not its own (e.g. a card stored
    # with its security code -> sensitive personal information)
    fired = rule_records(findings, policy)
    rule_by_record: dict[RecordKey, list[Any]] = defaultdict(list)
    for r in policy.record_rules:
        if r.category:
            for rec in fired[r.id]:
                rule_by_record[rec].append(r)
    undeclared_memo: dict[tuple[str, tuple[str, ...]], tuple[str | None, ...]] = {}
    undisclosed: dict[tuple[str, str | None], _Acc] = defaultdict(_Acc)
    plain: dict[str, _Acc] = defaultdict(_Acc)
    order_cat = {c.id: i for i, c in enumerate(policy.categories)}
    for f in findings:
        rec = record_key(f)
        loc = location(f)
        records.add(rec)
        entities[f.entity] += 1
        locations[loc] += 1
        sensitive += int(f.sensitive)
        if f.sensitive:
            sens_records.add(rec)
        key = (f.entity, f.categories)
        bad = undeclared_memo.get(key)
        if bad is None:
            if not f.categories:
                bad = (None,) if policy.is_undisclosed(f.entity, ()) else ()
            else:
                bad = tuple(c for c in policy.undeclared_categories(f.entity, f.categories) if c in cats)
            undeclared_memo[key] = bad
        for cat_id in bad:
            acc = undisclosed[(f.entity, cat_id)]
            acc.add(f, rec)
            if cat_id is not None and cat_id not in policy.categories_for(f.entity):
                acc.via.update(r.label.get(lang, r.label["en"]) for r in rule_by_record.get(rec, ())
                               if r.category == cat_id and f.entity in r.marks)
        if f.sensitive and not bad:
            acc = plain[f.entity]
            acc.add(f, rec)
            acc.categories.update(f.categories)
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
            if cat in bad:
                s.undisclosed[f.entity] += 1
    for cat, recs in cat_records.items():
        cats[cat].records = len(recs)
        cats[cat].sensitive_records = len(cat_sens_records[cat])

    gaps: list[Gap] = []
    for (ent, cat_id), acc in sorted(
        undisclosed.items(),
        key=lambda kv: (-kv[1].sensitive, -kv[1].findings, kv[0][0], order_cat.get(kv[0][1] or "", -1)),
    ):
        reason = _undisclosed_reason(ent, cat_id, acc.via, policy, lang)
        if acc.sensitive:
            reason += f"; {ui('reason.also_plaintext', lang, policy)}"
        gaps.append(Gap("undisclosed", ent, entity_label(ent, lang, policy), reason,
                        [cats[cat_id].label] if cat_id else [], acc.findings, len(acc.records), acc.sensitive,
                        acc.sorted_locations(), cat_id))
    for ent, acc in sorted(plain.items(), key=lambda kv: (-kv[1].findings, kv[0])):
        # the categories its findings were filed under, in policy order: a name stored with a
        # My Number is 特定個人情報 (the record rule's category) as well as 個人情報
        filed = sorted((c for c in acc.categories if c in cats), key=lambda c: order_cat.get(c, 0))
        gaps.append(Gap("plaintext", ent, entity_label(ent, lang, policy), ui("reason.plaintext", lang, policy),
                        [cats[c].label for c in filed],
                        acc.findings, len(acc.records), acc.sensitive, acc.sorted_locations()))
    for c in policy.categories:
        if c.declared and not cats[c.id].found:
            gaps.append(Gap("declared_not_found", c.id, cats[c.id].label,
                            ui("reason.declared_not_found", lang, policy), [cats[c.id].label], category=c.id))
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
        policy=policy,
    )


def examples_found(c: CategorySummary, lang: str = "en", policy: Policy | None = None) -> str:
    """`email address (12), phone number (3)` for a category, most found first."""
    return ", ".join(f"{entity_label(e, lang, policy)} ({n})" for e, n in _top(c.entities, 50))


def examples_declared(c: CategorySummary, lang: str = "en") -> str:
    """The category's declared examples, or "(no examples given)" for a declared category without."""
    if c.declared_examples:
        return _join(c.declared_examples, lang)
    return ui("examples_none", lang) if c.declared else ""


def locations_text(items: list[tuple[str, int]] | Counter[str], limit: int | None = 3, lang: str = "en") -> str:
    """`a.log:3 (5), users.csv:email (2), … +3 more` — the locations of a row (`limit=None`: all).

    A Counter is listed most found first; a list keeps its order (gap rows: by file and line).
    """
    pairs = _top(items, 10**9) if isinstance(items, Counter) else list(items)
    shown = pairs if limit is None else pairs[:limit]
    text = ", ".join(f"{p} ({n})" for p, n in shown)
    if len(pairs) > len(shown):
        text += ", " + ui("more", lang).format(n=len(pairs) - len(shown))
    return text


def summarize(findings: list[Finding], policy: Policy, lang: str = "en") -> list[CategorySummary]:
    """Per-category figures only (kept for callers of the first version)."""
    return build_summary(findings, policy, lang).categories


def undisclosed_entities(findings: list[Finding], policy: Policy) -> Counter[str]:
    """Findings per entity that are undisclosed under the per-(category, entity) rule."""
    return Counter(f.entity for f in findings if policy.is_undisclosed(f.entity, f.categories))
