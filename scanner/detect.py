"""Detection: run the registry's recognizers over text chunks and table cells.

Knows PII, not formats. For a chunk of lines: one prefilter pass picks candidate
(line, recognizer) pairs; each candidate line is NFKC-normalised and the chosen recognizers
run on it; offsets are mapped back to the original line; overlaps are resolved; optional
line detectors (NLP, gazetteers from `models/`) add their hits on the lines they select.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Protocol

from recognizers.base import PiiPatternRecognizer
from scanner import yamlio
from scanner.filters import (
    INLINE_PREFIX,
    code_expression_entities,
    inline_ignores,
    is_code_expression,
    is_config_file,
    is_inline_ignored,
    is_reference_expression,
    is_source_code,
)
from scanner.normalize import has_digit_dash, matching_text, normalize, to_original
from scanner.prefilter import Prefilter
from scanner.records import Detection

#: a hit on one line: (line index, start, end, entity, score, recognizer name)
LineHit = tuple[int, int, int, str, float, str]


class LineDetector(Protocol):
    """An extra detector over lines (NLP, gazetteers): it decides which lines it looks at.

    A detector may also have `triggers()`: (regex, caseless) pairs matching wherever it can
    hit, which join the prefilter's one pass (then it sees only the lines holding one).
    """

    name: str

    def detect_lines(self, lines: Sequence[str], context: str = "") -> Iterable[LineHit]:
        """Yield hits for `lines` (already NFKC-normalised); `context` is a column name/path."""
        ...


@lru_cache(maxsize=1)
def nesting_rules() -> dict[str, frozenset[str]]:
    """Which inner entities may stay inside which outer entity (recognizers/nesting.yaml)."""
    text = (resources.files("recognizers") / "nesting.yaml").read_text(encoding="utf-8")
    doc = yamlio.safe_load(text) or {}
    return {k: frozenset(v) for k, v in (doc.get("outer") or {}).items()}


class _Hit(NamedTuple):
    """One hit on a line (a tuple: cheap to build on the hot path)."""

    start: int
    end: int
    entity: str
    score: float
    recognizer: str


#: a hit in a table cell: start, end, entity, score, recognizer, raw value
CellHit = tuple[int, int, str, float, str, str]


def resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Drop duplicate and nested hits.

    Same entity, overlapping: keep the best (score, then length). Different entities, one
    strictly inside the other: drop the inner one unless nesting.yaml allows the pair.
    """
    if len(hits) < 2:
        return hits
    rules = nesting_rules()
    ordered = sorted(hits, key=lambda h: (-h.score, -(h.end - h.start), h.start, h.entity))
    kept: list[_Hit] = []
    for h in ordered:
        drop = False
        for k in kept:
            if h.start >= k.end or k.start >= h.end:
                continue
            if h.entity == k.entity:
                drop = True
                break
        if not drop:
            kept.append(h)
    result = []
    for h in kept:
        inner = False
        for k in kept:
            if k is h or k.entity == h.entity:
                continue
            contains = k.start <= h.start and h.end <= k.end and (k.end - k.start) > (h.end - h.start)
            if contains:
                allowed = rules.get(k.entity, frozenset())
                if "*" not in allowed and h.entity not in allowed:
                    inner = True
                    break
        if not inner:
            result.append(h)
    return sorted(result, key=lambda h: (h.start, h.end, h.entity))


class Detector:
    """Runs pattern recognizers (prefiltered) and line detectors over text."""

    def __init__(
        self,
        recognizers: Sequence[PiiPatternRecognizer],
        min_score: float = 0.5,
        line_detectors: Sequence[LineDetector] = (),
        use_hyperscan: bool = True,
    ) -> None:
        """Compile the prefilter for `recognizers`; keep hits scoring at least `min_score`."""
        self.recognizers = list(recognizers)
        self.min_score = min_score
        self.line_detectors = list(line_detectors)
        # detectors that say where they can hit (gazetteers: their terms) join the prefilter's
        # one pass and see only those lines; the others (NER) choose lines themselves
        line_triggers: list[Sequence[tuple[str, bool]]] = []
        for d in self.line_detectors:
            triggers = getattr(d, "triggers", None)
            line_triggers.append(triggers() if callable(triggers) else ())
        self._triggered = [bool(t) for t in line_triggers]
        self.prefilter = Prefilter(
            self.recognizers,
            use_hyperscan=use_hyperscan,
            min_score=min_score,
            line_triggers=line_triggers,
        )

    def detect_lines(self, lines: Sequence[str], context: str = "") -> list[list[tuple[_Hit, str]]]:
        """Detect in each line; return per line a list of (hit, raw value), offsets original."""
        out: list[list[tuple[_Hit, str]]] = [[] for _ in lines]
        for li, hits in self._detect(lines, "\n".join(lines), context).items():
            out[li] = hits
        return out

    def _detect(self, lines: Sequence[str], joined: str, context: str) -> dict[int, list[tuple[_Hit, str]]]:
        """{line index: [(hit, raw value)]} for the lines with hits; `joined` = lines joined by newlines."""
        normalized: dict[int, tuple[str, list[int] | None]] = {}

        def norm(i: int) -> tuple[str, list[int] | None]:
            if i not in normalized:
                normalized[i] = normalize(lines[i])
            return normalized[i]

        chunk_normal = True  # every line NFKC-normal already (no offset maps needed)
        if joined.isascii():
            cand = self.prefilter.candidate_patterns(joined)
        elif unicodedata.is_normalized("NFKC", joined) and not has_digit_dash(joined):
            cand = self.prefilter.candidate_patterns(joined)
            for i in cand:  # already normal: no offset map needed
                if i < len(lines):
                    normalized[i] = (lines[i], None)
        else:
            # only the few lines that change (NFKC, dashes between digits) are normalised here
            # (NFKC over a whole chunk runs at ~25 MB/s); candidate lines get their map later
            chunk_normal = False
            cand = self.prefilter.candidate_patterns(
                "\n".join(li if li.isascii() else matching_text(li) for li in lines)
            )
        forced = self.prefilter.forced(context)
        if forced:  # the column name is the context word: every line is a candidate
            for i in range(len(lines)):
                per = cand.setdefault(i, {})
                for ri, pats in forced.items():
                    if ri not in per or pats is None:
                        per[ri] = None if pats is None else set(pats)
                    else:
                        cur = per[ri]
                        if cur is not None:
                            cur |= pats
        per_line: dict[int, list[_Hit]] = {}
        recs = self.recognizers
        n_recs = len(recs)
        selected: dict[int, list[int]] = {}  # line detector index -> its candidate lines
        for li, rec_ids in cand.items():
            if li >= len(lines):
                continue
            text, mapping = norm(li)
            hits = per_line.setdefault(li, [])
            for ri in sorted(rec_ids):
                if ri >= n_recs:
                    selected.setdefault(ri - n_recs, []).append(li)
                    continue
                rec = recs[ri]
                entity = rec.supported_entities[0]
                for start, end, score, _ in rec.iter_matches(text, context, rec_ids[ri]):
                    if mapping is not None:
                        start, end = to_original(mapping, start, end)
                    hits.append(_Hit(start, end, entity, score, rec.name))
        for k, det in enumerate(self.line_detectors):
            hits_of: Iterable[LineHit]
            if self._triggered[k]:
                chosen = sorted(selected.get(k, ()))
                if not chosen:
                    continue
                found = det.detect_lines([norm(i)[0] for i in chosen], context)
                hits_of = ((chosen[h[0]], *h[1:]) for h in found)
            elif chunk_normal:
                hits_of = det.detect_lines(lines, context)
            else:
                hits_of = det.detect_lines([norm(i)[0] for i in range(len(lines))], context)
            for li, start, end, entity, score, name in hits_of:
                _, mapping = norm(li)
                s, e = to_original(mapping, start, end)
                per_line.setdefault(li, []).append(_Hit(s, e, entity, score, name))
        out: dict[int, list[tuple[_Hit, str]]] = {}
        min_score = self.min_score
        for li in sorted(per_line):
            kept = [h for h in per_line[li] if h.score >= min_score]
            if kept:
                line = lines[li]
                out[li] = [(h, line[h.start : h.end]) for h in resolve_overlaps(kept)]
        return out

    def detect_text(self, path: str, text: str, first_line: int, first_col: int = 0) -> list[Detection]:
        """Detections in a chunk of lines starting at 1-based line `first_line`."""
        lines = text.split("\n")
        found: list[Detection] = []
        marked: bool | None = None  # is `piimap: ignore` in the chunk? (checked once, if needed)
        code: bool | None = None  # a source-code file? (checked once, for a PASSWORD or USERNAME)
        config = False  # a configuration file? (checked with `code`)
        code_keys = code_expression_entities()
        append = found.append
        for li, hits in self._detect(lines, text, "").items():
            col = first_col if li == 0 else 0
            if hits and marked is None:
                marked = INLINE_PREFIX in text
            ignored = inline_ignores(lines[li]) if marked and hits else None
            line_no = first_line + li
            for (start, end, entity, score, recognizer), value in hits:
                if ignored is not None and is_inline_ignored(entity, ignored):
                    continue
                if entity in code_keys:
                    if code is None:
                        code = is_source_code(path)
                        config = is_config_file(path)
                    if code and is_code_expression(lines[li], start, end):
                        continue
                    if not config and is_reference_expression(lines[li], start, end):
                        continue
                # positional: path, line, row, column, start, end, entity, score, recognizer, value
                append(
                    Detection(
                        path, line_no, None, None, start + col, end + col, entity, score, recognizer, value
                    )
                )
        return found

    def detect_values(self, values: Sequence[str], context: str = "") -> list[list[CellHit]]:
        """Hits per value of one column (the column name is `context`), as
        `(start, end, entity, score, recognizer, raw value)` with offsets in the value.

        Values may span lines (quoted multi-line CSV cells): offsets stay value-relative.
        """
        out: list[list[CellHit]] = [[] for _ in values]
        joined = "\n".join(values)
        if joined.count("\n") == len(values) - 1:  # one line per value: line index = value index
            lines: Sequence[str] = values
            owners = None
        else:
            lines, owners = [], []
            for vi, value in enumerate(values):
                offset = 0
                for part in value.split("\n"):
                    lines.append(part)
                    owners.append((vi, offset))
                    offset += len(part) + 1
        for li, hits in self._detect(lines, joined, context).items():
            vi, offset = owners[li] if owners is not None else (li, 0)
            cell = values[vi]
            ignored = inline_ignores(cell) if INLINE_PREFIX in cell else None
            found = out[vi]
            for (start, end, entity, score, recognizer), raw in hits:
                if ignored is not None and is_inline_ignored(entity, ignored):
                    continue
                found.append((start + offset, end + offset, entity, score, recognizer, raw))
        return out

    def detect_cells(
        self, path: str, column: str, rows: Sequence[int], values: Sequence[str]
    ) -> list[Detection]:
        """Detections in the cells of one column; the column name is context for every cell
        (`detect_values`, as Detections of data rows `rows`)."""
        return [
            Detection(path, None, rows[vi], column, *hit)
            for vi, hits in enumerate(self.detect_values(values, column))
            for hit in hits
        ]
