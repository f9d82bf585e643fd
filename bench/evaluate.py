"""Precision, recall and F1 per entity against the generator's gold labels.

A prediction is a true positive when it overlaps a not yet matched gold span of the same
entity on the same line (so `https://x.example.com/a` vs `https://x.example.com/a?q` counts);
every other prediction of an entity is a false positive, every unmatched gold span a miss.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: Presidio entity name -> piimap entity name, where they mean the same thing
PRESIDIO_TO_PIIMAP = {
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "CREDIT_CARD": "CREDIT_CARD",
    "IP_ADDRESS": "IP_ADDRESS",
    "URL": "URL",
    "US_SSN": "US_SSN",
    "IBAN_CODE": "BANK_ACCOUNT",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
    "US_PASSPORT": "PASSPORT",
    "US_DRIVER_LICENSE": "DRIVER_LICENSE",
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
    "ORGANIZATION": "ORGANIZATION",
}

Span = tuple[str, int, int, int, str]  # path, line, start, end, entity


def load_gold(corpus: Path) -> list[Span]:
    """The gold spans of a generated corpus."""
    out: list[Span] = []
    with (corpus / "gold.jsonl").open(encoding="utf-8") as fh:
        for row in fh:
            g = json.loads(row)
            out.append((g["path"], g["line"], g["start"], g["end"], g["entity"]))
    return out


def load_predictions(path: Path, corpus: Path, min_score: float = 0.0) -> list[Span]:
    """Predictions from a JSON Lines file (piimap findings or presidio_engine output)."""
    root = str(corpus.resolve())
    out: list[Span] = []
    with path.open(encoding="utf-8") as fh:
        for row in fh:
            p = json.loads(row)
            if p.get("score", 1.0) < min_score or p.get("line") is None:
                continue
            rel = str(Path(p["path"]).resolve())
            rel = rel[len(root) + 1 :] if rel.startswith(root) else p["path"]
            out.append((rel, p["line"], p["start"], p["end"], p["entity"]))
    return out


@dataclass
class Score:
    """Counts and ratios for one entity."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Iterable[Span], preds: Iterable[Span]) -> dict[str, Score]:
    """Per-entity scores of `preds` against `gold`."""
    by_key: dict[tuple[str, int, str], list[list[int]]] = defaultdict(list)
    result: dict[str, Score] = defaultdict(Score)
    for path, line, s, e, ent in gold:
        by_key[(path, line, ent)].append([s, e, 0])
        result[ent].fn += 1
    for path, line, s, e, ent in preds:
        cands = by_key.get((path, line, ent), [])
        hit = next((g for g in cands if not g[2] and s < g[1] and g[0] < e), None)
        if hit is None:
            result[ent].fp += 1
        else:
            hit[2] = 1
            result[ent].tp += 1
            result[ent].fn -= 1
    return dict(result)


def restrict(gold: Iterable[Span], limits: dict[str, int]) -> list[Span]:
    """Only the spans on lines up to limits[path] (the slice another engine saw)."""
    return [g for g in gold if g[1] <= limits.get(g[0], 0)]
