"""Table units: column-wise detection, header evidence and column classification.

Readers turn a table into `TableBatch`es (whole rows, columns as Arrow arrays with the
absolute 0-based data row of every value) followed by one `TableProfiles` unit. Both share
a `TableScan`, which accumulates per-column statistics over the batches, so the profiles
describe the whole table while findings stay bounded per batch.

Per column and batch: values that cannot hold text PII (booleans, timestamps, fractions,
small numbers) are skipped, whole float/decimal numbers are read as digits; the remaining
non-empty values are de-duplicated (Arrow dictionary encoding), the distinct values go to
`Detector.detect_values` once (one prefilter pass per column batch, the column name as
context), and hits fan out to every row holding the value.
Header evidence (`scanner/columns.yaml`) raises confidence and, for entities that values
alone cannot show (job titles, inquiry text, serials, credentials), creates findings;
identifier headers (`sku`, `txn_id`, `version`) drop value findings their values do not
overwhelmingly support, and columns of random card-shaped numbers lose their CREDIT_CARD.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from recognizers.registry import value_rejected
from scanner.blocks import DetectionBlock, Hit, column_hits, concat_detections
from scanner.detect import Detector
from scanner.normalize import without_lone_surrogates
from scanner.policy import Policy
from scanner.records import ColumnProfile, Detection
from scanner.sources import display_text

#: recognizer name reported for findings created by header evidence alone
HEADER_RECOGNIZER = "ColumnHeaderRecognizer"
#: integers at least this large may be phone/card/ID numbers and are scanned as text
MIN_SCANNED_INT = 1_000_000
#: cell values meaning "no value" (never a header-driven finding)
PLACEHOLDERS = frozenset(
    {"null", "none", "nil", "n/a", "na", "nan", "-", "--", "?", "unknown", "不明", "なし", "未設定"}
)
#: distinct values remembered (with their hits) per table, and the longest value remembered
MEMO_MAX_VALUES = 2_000_000
MEMO_MAX_LEN = 256
#: a column stops being remembered when, after MEMO_PROBATION lookups, fewer than this share
#: of its values were found in the memo (ids, timestamps, free text rarely repeat)
MEMO_MIN_REUSE = 0.05
MEMO_PROBATION = 100_000
#: values that cannot hold PII (counts, decimals with short integer parts, ISO dates and
#: times), dropped in Arrow before detection: CSV columns arrive untyped, as strings
NO_PII_VALUE = (
    r"^\s*(?:[+-]?\d{1,6}(?:[.,]\d+)?(?:[eE][+-]?\d+)?"
    r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|true|false|TRUE|FALSE|True|False)\s*$"
)
_NUMERIC = re.compile(r"^[\s\d.,+\-/:()]*$")
_SEP = re.compile(r"[\s_\-./]+")


# -- header evidence ---------------------------------------------------------------------
@dataclass(frozen=True)
class NameRule:
    """Header names of one entity (or of free text), as in columns.yaml."""

    entity: str
    header_only: bool
    exact: frozenset[str]
    tokens: tuple[str, ...]
    contains: tuple[str, ...]
    #: names that only raise confidence even when the entity is header-only (`title`, `role`)
    weak: frozenset[str] = frozenset()
    #: whole-value shapes the header alone never makes this entity (a value with a digit is
    #: no person, a UUID no user name)
    reject_values: tuple[re.Pattern[str], ...] = ()
    #: generic names (`name`): under them `loose_reject_values` apply as well
    loose: frozenset[str] = frozenset()
    #: shapes rejected under a generic name only (a slug or one lower-case word in a `name` key)
    loose_reject_values: tuple[re.Pattern[str], ...] = ()
    #: the entity's values are short numbers (a CVV): such cells are scanned, not passed over
    numeric_values: bool = False
    #: the header alone never makes a value the entity's recognizers reject (`validate_values`)
    validate_values: bool = False

    def matches(self, header: str) -> str | None:
        """The name that matched the normalised `header`, or None."""
        if header in self.exact:
            return header
        padded = f"_{header}_"
        for t in self.tokens:
            if f"_{t}_" in padded:
                return t
        for c in self.contains:
            if c in header:
                return c
        return None


@dataclass(frozen=True)
class HeaderRules:
    """All header evidence rules plus the classification settings."""

    entities: tuple[NameRule, ...]
    free_text: NameRule
    min_match_ratio: float
    header_boost: float
    header_score: float
    free_text_min_len: float
    #: negative evidence: headers naming identifiers, codes, versions (`sku`, `txn_id`)
    identifiers: NameRule = field(
        default_factory=lambda: NameRule("IDENTIFIER", False, frozenset(), (), ())
    )
    #: value entities an identifier header contradicts
    contradicts: frozenset[str] = frozenset()
    #: entity -> identifier names that contradict it whatever the share of values (`version`)
    always_contradicts: dict[str, frozenset[str]] = field(default_factory=dict)
    identifier_min_ratio: float = 0.8
    card_min_shaped: int = 20
    card_min_valid_share: float = 0.5
    verdict_min_values: int = 500


@dataclass(frozen=True)
class HeaderHit:
    """Header evidence for a column: which entity, by which name."""

    entity: str
    name: str
    header_only: bool
    reject_values: tuple[re.Pattern[str], ...] = ()
    numeric_values: bool = False
    validate_values: bool = False

    def rejects(self, value: str) -> bool:
        """True when `value` (trimmed) has a shape that the header alone never makes this entity,
        or (`validate_values`) is what the entity's own recognizers reject: a password column of
        an i18n file holds labels and messages (`パスワード`), a user column `ユーザー名`."""
        if any(p.fullmatch(value) for p in self.reject_values):
            return True
        return self.validate_values and value_rejected(self.entity, value)


def unique_names(names: Sequence[str]) -> list[str]:
    """Names made unique: a repeated `email` becomes `email_2`, then `email_3` (for every
    table reader: Arrow and spreadsheets allow repeats, whose column profiles would merge)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        nm, k = name, 2
        while nm in seen:
            nm, k = f"{name}_{k}", k + 1
        seen.add(nm)
        out.append(nm)
    return out


def normalize_header(name: str) -> str:
    """NFKC, lower case, separators folded to "_" (`E-Mail Address` -> `e_mail_address`)."""
    s = unicodedata.normalize("NFKC", name).lower()
    return _SEP.sub("_", s).strip("_")


def _rule(entity: str, d: dict[str, Any]) -> NameRule:
    def norm(xs: Iterable[str]) -> list[str]:
        return [normalize_header(str(x)) for x in xs or ()]

    return NameRule(
        entity=entity,
        header_only=bool(d.get("header_only", False)),
        exact=frozenset(norm(d.get("exact", ()))),
        tokens=tuple(norm(d.get("tokens", ()))),
        contains=tuple(norm(d.get("contains", ()))),
        weak=frozenset(norm(d.get("weak", ()))),
        reject_values=tuple(re.compile(str(x)) for x in d.get("reject_values", ()) or ()),
        numeric_values=bool(d.get("numeric_values", False)),
        validate_values=bool(d.get("validate_values", False)),
        loose=frozenset(norm(d.get("loose", ()))),
        loose_reject_values=tuple(
            re.compile(str(x)) for x in d.get("loose_reject_values", ()) or ()
        ),
    )


@lru_cache(maxsize=1)
def header_rules() -> HeaderRules:
    """Load scanner/columns.yaml (once)."""
    text = (resources.files("scanner") / "columns.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text) or {}
    st = doc.get("settings") or {}
    return HeaderRules(
        entities=tuple(_rule(e, d or {}) for e, d in (doc.get("entities") or {}).items()),
        free_text=_rule("FREE_TEXT", doc.get("free_text") or {}),
        min_match_ratio=float(st.get("min_match_ratio", 0.2)),
        header_boost=float(st.get("header_boost", 0.15)),
        header_score=float(st.get("header_score", 0.6)),
        free_text_min_len=float(st.get("free_text_min_len", 40)),
        identifiers=_rule("IDENTIFIER", doc.get("identifiers") or {}),
        contradicts=frozenset(str(e) for e in (doc.get("identifiers") or {}).get("contradicts", ())),
        always_contradicts={
            str(e): frozenset(normalize_header(str(n)) for n in names or ())
            for e, names in ((doc.get("identifiers") or {}).get("always") or {}).items()
        },
        identifier_min_ratio=float(st.get("identifier_min_ratio", 0.8)),
        card_min_shaped=int(st.get("card_min_shaped", 20)),
        card_min_valid_share=float(st.get("card_min_valid_share", 0.5)),
        verdict_min_values=int(st.get("verdict_min_values", 500)),
    )


def _header_forms(column: str) -> list[str]:
    """The normalised forms of a column name tried for evidence: full path, then leaf."""
    base = column.split("!", 1)[-1]  # Excel: "Sheet!header"
    full = normalize_header(base)
    leaf = normalize_header(base.rsplit(".", 1)[-1])
    return [full] if leaf == full else [leaf, full]


def header_evidence(column: str) -> HeaderHit | None:
    """Which entity the column's name points to (leaf name first), if any."""
    rules = header_rules()
    for form in _header_forms(column):
        for rule in rules.entities:
            name = rule.matches(form)
            if name is not None:
                strong = rule.header_only and name not in rule.weak
                reject = rule.reject_values
                if name in rule.loose:
                    reject += rule.loose_reject_values
                return HeaderHit(rule.entity, name, strong, reject if strong else (), rule.numeric_values,
                                 rule.validate_values and strong)
    return None


def identifier_evidence(column: str) -> str | None:
    """The identifier name (`sku`, `id`, `version`) in the column's name, when no entity's
    header evidence matches it (`card_id` is an identifier, `card_number` a card)."""
    if header_evidence(column) is not None:
        return None
    rule = header_rules().identifiers
    for form in _header_forms(column):
        name = rule.matches(form)
        if name is not None:
            return name
    return None


def is_free_text_header(column: str) -> bool:
    """True when the column name says free text (notes, comments, 備考, ...)."""
    rule = header_rules().free_text
    return any(rule.matches(f) is not None for f in _header_forms(column))


def is_numeric_only(value: str) -> bool:
    """True for values made of digits and number punctuation only (`12,345`, `2024-10-01`)."""
    return bool(_NUMERIC.match(value))


# -- batches -----------------------------------------------------------------------------
@dataclass
class Column:
    """One (flattened) column of a batch: values and the absolute data row of each value.

    The name comes from the data (a header, a JSON key, a map key): it is kept as reports show
    it (`sources.display_text`: control characters escaped), so a header cannot put a terminal
    escape sequence or a line break into a report."""

    name: str
    values: pa.Array
    rows: np.ndarray

    def __post_init__(self) -> None:
        self.name = display_text(self.name)


@dataclass
class ColumnStats:
    """Per-column statistics accumulated over a table's batches."""

    header: HeaderHit | None
    free_text_header: bool
    type_name: str = ""
    skipped_type: bool = False
    #: values of a binary column that are not text (neither UTF-8 nor CP932; not scanned)
    not_text: int = 0
    nonnull: int = 0
    non_numeric: int = 0
    text_len: int = 0
    with_space: int = 0
    matched: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    score_sum: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    header_made: int = 0
    #: negative header evidence: the identifier name in the column's name (`sku`, `txn_id`)
    identifier: str | None = None
    #: values of record tables (JSON, Excel) that cannot hold text PII, per Python type
    #: (dates, decimals, booleans): counted, not scanned
    unscanned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: card-shaped whole values (13-19 digits) seen, and those with a CREDIT_CARD finding
    card_shaped: int = 0
    card_valid: int = 0
    #: entities whose value findings this column drops (fixed after verdict_min_values)
    verdict: frozenset[str] | None = None

    def merge(self, other: ColumnStats) -> None:
        """Add the statistics of `other` (the same column in a later part of the table)."""
        if other.type_name:
            self.type_name = other.type_name
        self.skipped_type = self.skipped_type or other.skipped_type
        for name in ("not_text", "nonnull", "non_numeric", "text_len", "with_space",
                     "header_made", "card_shaped", "card_valid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, c in other.matched.items():
            self.matched[k] += c
        for k, f in other.score_sum.items():
            self.score_sum[k] += f
        for k, c in other.unscanned.items():
            self.unscanned[k] += c


def _kind(t: pa.DataType) -> str:
    """Kind of an Arrow type: text, int / float / decimal (maybe a number PII), binary (text if
    UTF-8), null, or skip (no text PII)."""
    if pa.types.is_dictionary(t):
        return _kind(t.value_type)
    if (
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or getattr(pa.types, "is_string_view", lambda _t: False)(t)
    ):
        return "text"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_decimal(t):
        return "decimal"
    if pa.types.is_null(t):
        return "null"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "binary"  # Hive and Impala write strings as BINARY without the UTF8 annotation
    return "skip"


#: what CP932-decoded bytes hold when they were not text: C0 controls (but tab and line
#: breaks) and the private-use characters CP932 maps its undefined single bytes to
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff]")


def _binary_as_text(arr: pa.Array) -> tuple[pa.Array, int]:
    """A binary column as text, and how many values are neither UTF-8 nor CP932 text (those
    become null, not scanned: images and other blobs). Arrow checks a whole column for UTF-8 at
    once; only a column with another value is decoded value by value, UTF-8 first, then CP932
    (Japanese systems write Shift_JIS into untyped columns)."""
    try:
        return pc.cast(arr, pa.string()), 0
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        out: list[str | None] = []
        bad = 0
        for v in arr.to_pylist():
            if v is None:
                out.append(None)
                continue
            try:
                out.append(v.decode("utf-8"))
            except UnicodeDecodeError:
                try:
                    text = v.decode("cp932")
                except UnicodeDecodeError:
                    text = None
                if text is None or _NOT_TEXT.search(text):  # cp932 maps 0xA0 and 0xFD-0xFF too
                    out.append(None)
                    bad += 1
                else:
                    out.append(text)
        return pa.array(out, pa.string()), bad


def _drop_verdict(st: ColumnStats) -> frozenset[str]:
    """The entities whose value findings column `st` drops, on its statistics so far (see
    `TableScan._dropped`)."""
    rules = header_rules()
    drop = set()
    if st.identifier is not None and st.nonnull:
        for e in rules.contradicts:
            c = st.matched.get(e, 0)
            if c and (
                c < rules.identifier_min_ratio * st.nonnull
                or st.identifier in rules.always_contradicts.get(e, ())
            ):
                drop.add(e)
    if (
        st.card_shaped >= rules.card_min_shaped
        and st.card_valid < rules.card_min_valid_share * st.card_shaped
    ):
        drop.add("CREDIT_CARD")
    return frozenset(drop)


#: a column's detections: its hit table, and per detection the data row and the hit index
ColumnHits = tuple[list[Hit], np.ndarray, np.ndarray]
#: a Hit without its value (the value is the cell's text from start to end)
Shape = tuple[int, int, str, float, str]
_NO_HITS: ColumnHits = ([], np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
#: a whole value shaped like a card number (13-19 digits, optional space/dash groups)
CARD_SHAPE = r"^\s*\d(?:[ -]?\d){12,18}\s*$"
_CARD_SHAPE = re.compile(CARD_SHAPE)
#: float64 holds every integer below 2**53 exactly; larger whole floats are not digits PII
_MAX_EXACT_FLOAT = float(2**53)
#: Arrow type names of number columns (`ColumnStats.type_name`)
_NUMBER_TYPE = re.compile(r"(?:u?int\d+|halffloat|float|double|decimal\d*\(.*\))$")


def whole_numbers_as_text(arr: pa.Array) -> pa.Array:
    """A float or decimal array as digit strings (`9012345678.0` -> `9012345678`): whole
    values only; fractions, NaN, infinities and floats beyond 2**53 become null."""
    if pa.types.is_decimal(arr.type):
        text = pc.cast(arr, pa.string())
        whole = pc.match_substring_regex(text, r"^-?\d+(?:\.0*)?$")
        text = pc.replace_substring_regex(text, r"\.0*$", "")
        return pc.if_else(whole, text, pa.scalar(None, pa.string()))
    arr = pc.cast(arr, pa.float64())
    ok = pc.and_(pc.equal(arr, pc.floor(arr)), pc.less(pc.abs(arr), _MAX_EXACT_FLOAT))
    ints = pc.cast(pc.if_else(ok, arr, pa.scalar(None, pa.float64())), pa.int64())
    return pc.cast(ints, pa.string())


class TableScan:
    """Shared state of one table being scanned: column statistics, in first-seen order."""

    def __init__(self, path: str, mode: str) -> None:
        """Start a table at `path`; `mode` is "sample" or "full" (recorded in evidence)."""
        self.path = path
        self.mode = mode
        self.stats: dict[str, ColumnStats] = {}
        # value -> hits without their value (`Shape`s), per column: a value seen in an earlier
        # batch is not scanned again
        self.memo: dict[str, dict[str, tuple[Shape, ...]]] = {}
        self.shapes: dict[tuple[Shape, ...], tuple[Shape, ...]] = {}  # interned memo entries
        self.memo_size = 0
        # per column: [values looked up, values found in the memo]; columns that do not repeat
        # across batches are dropped from the memo (room for those that do)
        self.memo_use: dict[str, list[int]] = {}
        self.no_memo: set[str] = set()
        # table-level evidence added by readers (e.g. which part of a CSV was sampled)
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        """Add `text` to the evidence of every column profile of this table."""
        if text not in self.notes:
            self.notes.append(text)

    def column_stats(self, name: str) -> ColumnStats:
        """The statistics record of column `name` (created on first sight; the name as reports
        show it, like `Column.name`)."""
        name = display_text(name)
        st = self.stats.get(name)
        if st is None:
            st = ColumnStats(
                header=header_evidence(name),
                free_text_header=is_free_text_header(name),
                identifier=identifier_evidence(name),
            )
            self.stats[name] = st
        return st

    # -- detection over one column of one batch ------------------------------------------
    def detect_column(self, detector: Detector, col: Column) -> tuple[ColumnHits, int]:
        """Detections for one column of a batch (its hit table, and per detection the row and
        the index of its hit, in cell order), and the number of cells visited."""
        st = self.column_stats(col.name)
        arr = col.values
        cells = len(arr)
        st.type_name = str(arr.type)
        kind = _kind(arr.type)
        if kind == "null" or cells == 0:
            return _NO_HITS, cells
        if kind == "skip":
            st.skipped_type = True
            return _NO_HITS, cells
        if pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_decode()
        if kind == "int":
            if st.header is None:
                top = pc.max(pc.abs(arr)).as_py()
                if top is None or top < MIN_SCANNED_INT:
                    return _NO_HITS, cells
            arr = pc.cast(arr, pa.string())
        elif kind in ("float", "decimal"):
            # pandas writes an int column with missing values as float64 (`9012345678.0`),
            # Hive a number as decimal(12,0): whole values are scanned as digits, like ints
            arr = whole_numbers_as_text(arr)
            if st.header is None:
                top = pc.max(pc.utf8_length(pc.utf8_ltrim(arr, "-"))).as_py()
                if top is None or top < len(str(MIN_SCANNED_INT)):
                    return _NO_HITS, cells
        elif kind == "binary":
            arr, bad = _binary_as_text(arr)
            st.not_text += bad
        mask = pc.fill_null(pc.greater(pc.utf8_length(arr), 0), False)
        arr = pc.filter(arr, mask)
        rows = col.rows[np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)]
        n = len(arr)
        if n == 0:
            return _NO_HITS, cells
        self._value_stats(st, arr)
        keep = pc.invert(pc.match_substring_regex(arr, NO_PII_VALUE))
        if not (st.header is not None and st.header.numeric_values) and not pc.all(keep).as_py():
            arr = pc.filter(arr, keep)
            rows = rows[np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)]
            if len(arr) == 0:
                return _NO_HITS, cells
        enc = pc.dictionary_encode(arr)
        uniques: list[str] = enc.dictionary.to_pylist()
        idx = enc.indices.to_numpy(zero_copy_only=False)
        counts = np.bincount(idx, minlength=len(uniques))
        per_u = self._hits_for(detector, col.name, st, uniques)
        if not per_u:
            return _NO_HITS, cells
        cards = False
        for u, hits in per_u.items():
            c = int(counts[u])
            seen: set[str] = set()
            for _s, _e, entity, score, recognizer, _v in hits:
                if entity not in seen:
                    seen.add(entity)
                    st.matched[entity] += c
                    st.score_sum[entity] += score * c
                if recognizer == HEADER_RECOGNIZER:
                    st.header_made += c
            if "CREDIT_CARD" in seen and _CARD_SHAPE.match(uniques[u]):
                st.card_valid += c
                cards = True
        if cards:
            st.card_shaped += int(pc.sum(pc.match_substring_regex(arr, CARD_SHAPE)).as_py() or 0)
        drop = self._dropped(st)
        if drop:
            per_u = {
                u: kept
                for u, hits in per_u.items()
                if (kept := tuple([h for h in hits if h[2] not in drop]))
            }
            if not per_u:
                return _NO_HITS, cells
        # fan out in cell order: one detection per (cell, hit of the cell's value)
        return column_hits(rows, idx, per_u), cells

    @staticmethod
    def _dropped(st: ColumnStats) -> frozenset[str]:
        """Entities whose value findings the column drops, judged on its values so far (fixed
        once `verdict_min_values` non-null values were seen): in an identifier column (`sku`,
        `txn_id`, `version`) the contradicted entities that fewer than `identifier_min_ratio` of
        its values are; CREDIT_CARD where most card-shaped values fail the card checks (random
        numbers: 1 in 10 pass Luhn by chance)."""
        if st.verdict is not None:
            return st.verdict
        drop = _drop_verdict(st)
        if st.nonnull >= header_rules().verdict_min_values:
            st.verdict = drop
        return drop

    def _hits_for(
        self, detector: Detector, column: str, st: ColumnStats, uniques: list[str]
    ) -> dict[int, tuple[Hit, ...]]:
        """Hits per distinct value index; values seen in earlier batches come from the memo.

        A value is detected once per table while the memo has room (values repeat across
        batches: a customer's e-mail in every batch); a column whose values turn out not
        to repeat (fewer than MEMO_MIN_REUSE of lookups found after MEMO_PROBATION) leaves
        the memo. The hits of a value do not depend on where it is seen in its column.
        """
        remember = column not in self.no_memo
        memo = self.memo.setdefault(column, {}) if remember else {}
        found: dict[int, tuple[Hit, ...]] = {}
        todo: list[int] = []
        if memo:
            get = memo.get
            for u, v in enumerate(uniques):
                got = get(v)
                if got is None:
                    todo.append(u)
                elif got:  # the memo keeps hits without the value: it is v[start:end]
                    found[u] = tuple([(s, e, ent, sc, rec, v[s:e]) for s, e, ent, sc, rec in got])
        else:
            todo = list(range(len(uniques)))
        if remember:
            use = self.memo_use.setdefault(column, [0, 0])
            use[0] += len(uniques)
            use[1] += len(uniques) - len(todo)
            if use[0] >= MEMO_PROBATION and use[1] < MEMO_MIN_REUSE * use[0]:
                self.no_memo.add(column)
                self.memo_size -= len(memo)
                del self.memo[column]
                remember = False
        if not todo:
            return found
        values = [uniques[u] for u in todo] if len(todo) < len(uniques) else uniques
        per_value = detector.detect_values(values, column)
        self._header_hits(st, values, per_value)
        room = MEMO_MAX_VALUES - self.memo_size if remember else 0
        shapes = self.shapes
        for i, u in enumerate(todo):
            hits = tuple(per_value[i])
            if hits:
                found[u] = hits
            if room > 0 and len(values[i]) <= MEMO_MAX_LEN:
                # interned: most values share their hits' shape (whole value, one entity)
                shape = tuple([h[:5] for h in hits])
                memo[values[i]] = shapes.setdefault(shape, shape)
                room -= 1
                self.memo_size += 1
        return found

    @staticmethod
    def _value_stats(st: ColumnStats, arr: pa.Array) -> None:
        """Counts for classification, computed in Arrow (no per-value Python)."""
        n = len(arr)
        st.nonnull += n
        numeric = pc.sum(pc.match_substring_regex(arr, _NUMERIC.pattern)).as_py() or 0
        st.non_numeric += n - int(numeric)
        st.text_len += int(pc.sum(pc.utf8_length(arr)).as_py() or 0)
        spaced = pc.or_(
            pc.match_substring(pc.utf8_trim_whitespace(arr), " "), pc.match_substring(arr, "\u3000")
        )
        st.with_space += int(pc.sum(spaced).as_py() or 0)

    def _header_hits(self, st: ColumnStats, uniques: Sequence[str], per_value: list[list[Hit]]) -> None:
        """Add the findings the header alone creates to `per_value` (hits per value of
        `uniques`): ambiguous entities, never for numeric cells."""
        hh = st.header
        if hh is None or not hh.header_only:
            return
        score = header_rules().header_score
        for value, hits in zip(uniques, per_value, strict=True):
            if any(h[2] == hh.entity for h in hits):
                continue
            # a cell that is entirely another entity (an e-mail in a `name` column) is not this one
            if any(h[0] == 0 and h[1] >= len(value.rstrip()) for h in hits):
                continue
            text = value.strip()
            if not text or is_numeric_only(text) or text.lower() in PLACEHOLDERS or hh.rejects(text):
                continue
            lead = len(value) - len(value.lstrip())
            hits.append((lead, lead + len(text), hh.entity, score, HEADER_RECOGNIZER, text))

    # -- column classification -----------------------------------------------------------
    def profiles(self, policy: Policy) -> list[ColumnProfile]:
        """One profile per column seen, in first-seen order."""
        rules = header_rules()
        out = []
        for name, st in self.stats.items():
            evidence: list[str] = []
            hh = st.header
            if hh is not None:
                evidence.append(f"header:{hh.name}->{hh.entity}")
            elif st.identifier is not None:
                evidence.append(f"header:{st.identifier}->identifier")
            entity: str | None = None
            ratio = 0.0
            score = 0.0
            if st.not_text:
                evidence.append(f"type:{st.type_name} ({st.not_text} values not text; not scanned)")
            for t, c in st.unscanned.items():
                evidence.append(f"type:{t} ({c} values not text; not scanned)")
            # a number column (int, float, decimal) is read as digits, or passed over when no
            # value has 7+ digits and the header names no entity (derived from the type, so
            # statistics merged from Spark row-group ranges say the same)
            number = bool(_NUMBER_TYPE.match(st.type_name)) and not st.skipped_type
            if number and st.nonnull:
                evidence.append(f"type:{st.type_name} (whole numbers scanned as digits)")
            if st.skipped_type:
                evidence.append(f"type:{st.type_name} (not text; not scanned)")
            elif st.nonnull == 0:
                if number:
                    evidence.append(f"type:{st.type_name} (no whole number of 7+ digits; not scanned)")
                elif not st.unscanned and not st.not_text:
                    evidence.append("empty")
            else:
                numeric_at = len(evidence)
                avg = st.text_len / st.nonnull
                if st.free_text_header or (
                    avg >= rules.free_text_min_len and st.with_space * 2 > st.nonnull
                ):
                    evidence.append("free_text")
                ratios = {e: c / st.nonnull for e, c in st.matched.items() if c}
                for e, r in sorted(ratios.items(), key=lambda x: (-x[1], x[0])):
                    evidence.append(f"values:{e}={r:.0%}")
                drop = st.verdict if st.verdict is not None else _drop_verdict(st)
                for e in sorted(drop):
                    # value findings of `e` were dropped: say why (see _drop_verdict)
                    if e == "CREDIT_CARD" and st.card_shaped and (
                        st.card_valid < rules.card_min_valid_share * st.card_shaped
                    ):
                        why = (f"{st.card_valid} of {st.card_shaped} card-shaped values pass "
                               "the card checks: random numbers")
                    elif st.identifier in rules.always_contradicts.get(e, ()):
                        why = f"a {st.identifier} column holds no {e}"
                    else:
                        why = f"identifier column; {ratios.get(e, 0.0):.0%} of values"
                    evidence.append(f"dropped:{e} ({why})")
                    ratios.pop(e, None)
                best = max(ratios.items(), key=lambda x: (x[1], x[0]), default=None)
                if hh is not None and hh.header_only and hh.entity in ratios:
                    # header-driven entity, unless the values clearly say something else
                    entity = hh.entity
                    if (
                        best is not None
                        and best[0] != hh.entity
                        and best[1] >= 0.5 > ratios[hh.entity]
                    ):
                        entity = best[0]
                elif best is not None and best[1] >= rules.min_match_ratio:
                    entity = best[0]
                if entity is not None:
                    ratio = ratios[entity]
                    score = st.score_sum[entity] / max(1, st.matched[entity])
                    if hh is not None and hh.entity == entity and not hh.header_only:
                        score = min(1.0, score + rules.header_boost)
                elif st.non_numeric == 0:
                    # digits and number punctuation only, and no entity: counts, codes, dates
                    # (a phone or IP column is all digits and dots too: its entity says more)
                    evidence.insert(numeric_at, "numeric_only")
            cats = tuple(policy.categories_for(entity)) if entity else ()
            out.append(
                ColumnProfile(
                    path=self.path,
                    column=name,
                    entity=entity,
                    categories=cats,
                    sensitive=bool(entity and entity in policy.sensitive_entities),
                    match_ratio=ratio,
                    sampled=st.nonnull,
                    evidence=(f"mode:{self.mode}", *self.notes, *evidence),
                    score=round(score, 3),
                )
            )
        return out


@dataclass
class TableBatch:
    """A table unit: whole rows of one table (so record rules see every cell of a row)."""

    scan: TableScan
    columns: list[Column]

    def detect(
        self, detector: Detector, policy: Policy, opts: Any
    ) -> tuple[DetectionBlock, list[ColumnProfile], int]:
        """Run the detector column by column; profiles come from the final TableProfiles."""
        parts = []
        cells = 0
        for i, col in enumerate(self.columns):
            (table, rows, hit), n = self.scan.detect_column(detector, col)
            parts.append((i, table, rows, hit))
            cells += n
        return concat_detections(self.scan.path, [c.name for c in self.columns], parts), [], cells


@dataclass
class TableProfiles:
    """The last unit of a table: emits its column profiles (no detections)."""

    scan: TableScan

    def detect(
        self, detector: Detector, policy: Policy, opts: Any
    ) -> tuple[list[Detection], list[ColumnProfile], int]:
        """Return the column profiles accumulated over the table's batches."""
        return [], self.scan.profiles(policy), 0


# -- building batches --------------------------------------------------------------------
def flatten_array(name: str, arr: pa.Array, rows: np.ndarray) -> Iterator[Column]:
    """Flatten struct/list/map arrays into leaf columns named by dotted paths."""
    stack: list[tuple[str, pa.Array, np.ndarray]] = [(name, arr, rows)]
    while stack:
        nm, a, rw = stack.pop(0)
        t = a.type
        if isinstance(a, pa.ChunkedArray):
            a = pa.concat_arrays(a.chunks) if a.num_chunks else pa.array([], type=t)
        if pa.types.is_struct(t):
            for i, child in enumerate(a.flatten()):
                stack.append((f"{nm}.{t.field(i).name}", child, rw))
        elif pa.types.is_map(t):
            # list_parent_indices does not accept maps: derive parents from the offsets
            off = a.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
            parents = np.repeat(np.arange(len(a), dtype=np.int64), np.diff(off))
            keys, items = a.keys, a.items
            if len(keys) != off[-1] - off[0]:
                keys = keys.slice(off[0], off[-1] - off[0])
                items = items.slice(off[0], off[-1] - off[0])
            keys = pc.cast(keys, pa.string())
            prw = rw[parents]
            distinct = pc.unique(keys).to_pylist()
            if len(distinct) <= 64:
                for k in distinct:
                    m = pc.fill_null(pc.equal(keys, k), False)
                    sel = np.asarray(m.to_numpy(zero_copy_only=False), dtype=bool)
                    stack.append((f"{nm}.{k}", pc.filter(items, m), prw[sel]))
            else:
                stack.append((f"{nm}.key", keys, prw))
                stack.append((f"{nm}.value", items, prw))
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
            parents = pc.list_parent_indices(a).to_numpy(zero_copy_only=False)
            stack.append((nm, pc.list_flatten(a), rw[parents]))
        else:
            yield Column(nm, a, rw)


def batch_from_arrow(
    scan: TableScan,
    data: pa.RecordBatch | pa.Table,
    rows: np.ndarray,
    constants: dict[str, str] | None = None,
) -> TableBatch:
    """A TableBatch from Arrow data whose i-th row is data row `rows[i]`."""
    cols: list[Column] = []
    for i, name in enumerate(data.schema.names):
        cols.extend(flatten_array(name, data.column(i), rows))
    for k, v in (constants or {}).items():
        cols.append(Column(k, pa.array([v] * len(rows), pa.string()), rows))
    return TableBatch(scan, cols)


def cell_text(value: Any) -> str | None:
    """A Python cell value as scannable text (None when it cannot hold text PII)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # integral floats (Excel stores phone-like numbers as floats) may be numbers PII
        return str(int(value)) if value.is_integer() and abs(value) >= MIN_SCANNED_INT else None
    return None


def valid_text(s: str) -> str:
    """`s` with lone surrogates as U+FFFD: a JSON `"\\ud800"` escape decodes to one, and UTF-8
    (Arrow, reports) cannot hold it."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return without_lone_surrogates(s)


def _string_array(values: list[str]) -> pa.Array:
    try:
        return pa.array(values, pa.string())
    except UnicodeEncodeError:  # a lone surrogate somewhere (rare): clean every value
        return pa.array([valid_text(v) for v in values], pa.string())


def batch_from_records(
    scan: TableScan, records: Sequence[Sequence[tuple[str, Any]]], rows: Sequence[int]
) -> TableBatch:
    """A TableBatch from flattened records: each a list of (column path, value) pairs."""
    values: dict[str, list[str]] = {}
    where: dict[str, list[int]] = {}
    for rec, r in zip(records, rows, strict=True):
        for path, v in rec:
            path = display_text(path)
            text = cell_text(v)
            if path not in values:
                values[path], where[path] = [], []
                scan.column_stats(path)  # keep first-seen column order, also for empty columns
            if text is None:
                if v is not None:  # a date, a decimal, a boolean: said in the column's profile
                    scan.column_stats(path).unscanned[type(v).__name__] += 1
                continue
            values[path].append(text)
            where[path].append(r)
    cols = [
        Column(p, _string_array(values[p]), np.asarray(where[p], dtype=np.int64))
        for p in values
    ]
    return TableBatch(scan, cols)


def flatten_json(obj: Any, prefix: str = "", max_depth: int = 64) -> list[tuple[str, Any]]:
    """(dotted path, scalar) pairs of a JSON value, iteratively (no recursion limit)."""
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any, int]] = [(prefix, obj, 0)]
    while stack:
        path, o, depth = stack.pop()
        if isinstance(o, dict):
            for k in reversed(list(o)):
                key = str(k) if depth < max_depth else "…"
                stack.append((f"{path}.{key}" if path else key, o[k], depth + 1))
        elif isinstance(o, list):
            for v in reversed(o):
                stack.append((path, v, depth + 1))
        else:
            out.append((path or "value", o))
    return out


# -- sampling ----------------------------------------------------------------------------
def table_seed(seed: int, path: str) -> int:
    """The sampling seed of one table: the user's seed mixed with the table's path."""
    return (int(seed) * 1_000_003 + zlib.crc32(path.encode("utf-8"))) & 0xFFFFFFFF


def sample_indices(total: int, n: int, seed: int) -> np.ndarray:
    """`n` distinct sorted row indices of `total`, uniform over the whole table."""
    if n >= total:
        return np.arange(total, dtype=np.int64)
    rng = random.Random(seed)
    return np.asarray(sorted(rng.sample(range(total), n)), dtype=np.int64)


#: sample mode reads every row of a table of at most this many times `--sample` rows: sampling
#: a 5,000-row CSV saved nothing worth having and let a CI gate pass with personal data in it
WHOLE_TABLE_FACTOR = 10


def whole_table_rows(opts: Any) -> int:
    """The most rows a table may have to be read whole in sample mode (10 x `--sample`)."""
    return WHOLE_TABLE_FACTOR * int(getattr(opts, "sample_rows", 1000))


def whole_table_note(rows: int) -> str:
    """The evidence note of a table read whole in sample mode."""
    return f"sample:every row ({rows} rows; tables of up to {WHOLE_TABLE_FACTOR}x --sample rows are read whole)"


class ArrowSampler:
    """Bounded uniform row sample of a stream of Arrow batches (bottom-k random keys).

    With `whole_upto`, the first rows are also kept whole until more than that many were seen:
    a table that small is returned whole (`whole`), not sampled."""

    def __init__(self, n: int, seed: int, whole_upto: int = 0) -> None:
        """Keep at most `n` rows; `seed` makes the sample reproducible."""
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.kept: pa.Table | None = None
        self.keys = np.empty(0)
        self.rows = np.empty(0, dtype=np.int64)
        self.seen = 0
        self.whole_upto = whole_upto
        self.all: list[pa.RecordBatch] | None = [] if whole_upto > n else None

    @property
    def whole(self) -> bool:
        """True while every row offered so far is kept (at most `whole_upto` rows)."""
        return self.all is not None

    def add(self, batch: pa.RecordBatch) -> None:
        """Offer the next batch of rows."""
        if self.all is not None:
            if self.seen + batch.num_rows <= self.whole_upto:
                self.all.append(batch)
            else:
                self.all = None
        m = batch.num_rows
        keys = self.rng.random(m)
        rows = np.arange(self.seen, self.seen + m, dtype=np.int64)
        self.seen += m
        tbl = pa.Table.from_batches([batch])
        if self.kept is not None:
            tbl = pa.concat_tables([self.kept, tbl])
            keys = np.concatenate([self.keys, keys])
            rows = np.concatenate([self.rows, rows])
        if len(keys) > self.n:
            pick = np.sort(np.argpartition(keys, self.n)[: self.n])
            tbl = tbl.take(pa.array(pick))
            keys, rows = keys[pick], rows[pick]
        self.kept, self.keys, self.rows = tbl.combine_chunks(), keys, rows

    def result(self) -> tuple[pa.Table | None, np.ndarray]:
        """The sampled rows (in file order) and their data-row indices (every row, `whole`)."""
        if self.all is not None and self.seen > self.n:
            return pa.Table.from_batches(self.all), np.arange(self.seen, dtype=np.int64)
        return self.kept, self.rows


class RecordSampler:
    """Bounded uniform sample (reservoir, seeded) of a stream of Python records; with
    `whole_upto`, a stream of at most that many records is returned whole (`whole`)."""

    def __init__(self, n: int, seed: int, whole_upto: int = 0) -> None:
        """Keep at most `n` records."""
        self.n = n
        self.rng = random.Random(seed)
        self.items: list[tuple[int, Any]] = []
        self.seen = 0
        self.all: list[tuple[int, Any]] | None = [] if whole_upto > n else None
        self.whole_upto = whole_upto

    @property
    def whole(self) -> bool:
        """True while every record offered so far is kept."""
        return self.all is not None

    def add(self, row: int, record: Any) -> None:
        """Offer record number `row`."""
        if self.all is not None:
            if self.seen < self.whole_upto:
                self.all.append((row, record))
            else:
                self.all = None
        self.seen += 1
        if len(self.items) < self.n:
            self.items.append((row, record))
        else:
            j = self.rng.randrange(self.seen)
            if j < self.n:
                self.items[j] = (row, record)

    def result(self) -> list[tuple[int, Any]]:
        """The sampled (row, record) pairs in file order (every one, `whole`)."""
        if self.all is not None and self.seen > self.n:
            return self.all
        return sorted(self.items, key=lambda x: x[0])


def record_units(
    scan: TableScan,
    records: Iterable[tuple[int, list[tuple[str, Any]]]],
    opts: Any,
    batch_rows: int = 5000,
    seed_key: str = "",
    whole: bool = True,
) -> Iterator[TableBatch | TableProfiles]:
    """Units for a stream of (row, flattened record): all rows (`scan.mode` "full") or a sample;
    a stream of at most `whole_table_rows` records is read whole unless `whole` is False (a
    stream cut short: its length says nothing about the table's)."""
    if scan.mode == "full":
        buf: list[tuple[int, list[tuple[str, Any]]]] = []
        for item in records:
            buf.append(item)
            if len(buf) >= batch_rows:
                yield batch_from_records(scan, [r for _, r in buf], [i for i, _ in buf])
                buf = []
        if buf:
            yield batch_from_records(scan, [r for _, r in buf], [i for i, _ in buf])
    else:
        sampler = RecordSampler(
            int(getattr(opts, "sample_rows", 1000)),
            table_seed(getattr(opts, "seed", 0), seed_key or scan.path),
            whole_upto=whole_table_rows(opts) if whole else 0,
        )
        for row, rec in records:
            sampler.add(row, rec)
        picked = sampler.result()
        if sampler.whole and sampler.seen > sampler.n:
            scan.note(whole_table_note(sampler.seen))
        if picked:
            yield batch_from_records(scan, [r for _, r in picked], [i for i, _ in picked])
    yield TableProfiles(scan)


def mode_of(opts: Any) -> str:
    """Return "full" or "sample" for scan options."""
    return "full" if getattr(opts, "full", False) else "sample"


def record_mode(opts: Any) -> str:
    """The mode of JSON and JSON Lines files: "full" unless `--sample` was given explicitly.

    JSON is what structured logs and events are written in (pino, zap, CloudTrail): a CI gate
    on a 3,000-line `app.jsonl` must see every line, not 1,000 of them. The reader parses every
    record to sample them anyway, so the sample saved only detection time.
    """
    return "sample" if getattr(opts, "sample_json", False) and not getattr(opts, "full", False) else "full"
