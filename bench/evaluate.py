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


# -- hard negatives (bench/generate.py: clean/hard, hard_negatives.json) ------------------------
def load_hard_shapes(corpus: Path) -> dict[str, str | list[str]]:
    """{path: [shape of each line]} for text files, {path: shape} for JSON documents."""
    from bench.generate import HARD_SIDECAR

    return json.loads((corpus / HARD_SIDECAR).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def hard_bytes_by_shape(corpus: Path) -> dict[str, int]:
    """Bytes of the hard-negative part per shape (a line counts with its newline)."""
    out: dict[str, int] = defaultdict(int)
    for rel, shape in load_hard_shapes(corpus).items():
        data = (corpus / rel).read_bytes()
        if isinstance(shape, str):
            out[shape] += len(data)
            continue
        for name, raw in zip(shape, data.split(b"\n"), strict=False):
            out[name] += len(raw) + 1
    return dict(out)


def shape_of(shapes: dict[str, str | list[str]], path: str, line: int | None) -> str:
    """The shape a finding at (path, line) fell on ('?' when it is not in the part)."""
    shape = shapes.get(path)
    if isinstance(shape, str):
        return shape
    if shape is None or line is None or not 1 <= line <= len(shape):
        return "?"
    return shape[line - 1]


def hard_findings(
    path: Path, corpus: Path, min_score: float = 0.0, entities: Iterable[str] | None = None
) -> list[tuple[str, str, int | None, str, str]]:
    """Findings of a JSON Lines file on the hard-negative part: (shape, path, line, entity,
    text or preview), optionally only `entities` (Presidio: the mapped ones)."""
    shapes = load_hard_shapes(corpus)
    root = str(corpus.resolve())
    keep = set(entities) if entities is not None else None
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in fh:
            p = json.loads(row)
            if p.get("score", 1.0) < min_score or (keep is not None and p["entity"] not in keep):
                continue
            rel = str(Path(p["path"]).resolve())
            rel = rel[len(root) + 1 :] if rel.startswith(root) else p["path"]
            if rel not in shapes:
                continue
            shown = p.get("text") or p.get("preview") or ""
            out.append((shape_of(shapes, rel, p.get("line")), rel, p.get("line"), p["entity"], shown))
    return out


def hard_table(findings: list[tuple[str, str, int | None, str, str]], corpus: Path) -> list[str]:
    """Markdown rows: findings and FP/MB per shape, with the entities found."""
    size = hard_bytes_by_shape(corpus)
    per: dict[str, list[str]] = defaultdict(list)
    for shape, _, _, ent, _ in findings:
        per[shape].append(ent)
    rows = ["| shape | KB | findings | FP per MB | entities |", "|---|---:|---:|---:|---|"]
    for shape in sorted(size, key=lambda s: (-len(per.get(s, [])), s)):
        ents = per.get(shape, [])
        counts = ", ".join(f"{e} {n}" for e, n in sorted(_count(ents).items(), key=lambda x: -x[1]))
        rows.append(
            f"| {shape} | {size[shape] / 1024:.0f} | {len(ents)} | "
            f"{len(ents) / (size[shape] / 1024 / 1024):.0f} | {counts} |"
        )
    total = sum(size.values())
    rows.append(
        f"| **all** | {total / 1024:.0f} | {len(findings)} | "
        f"{len(findings) / (total / 1024 / 1024):.0f} | |"
    )
    return rows


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for x in items:
        out[x] += 1
    return dict(out)


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.evaluate hard CORPUS FINDINGS.jsonl [--show N]`: false positives per
    hard-negative shape of a piimap (or presidio_engine) JSON Lines output."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("what", choices=["hard"])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("findings", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print up to N findings per shape")
    a = ap.parse_args(argv)
    found = hard_findings(a.findings, a.corpus)
    print("\n".join(hard_table(found, a.corpus)))
    if a.show:
        lines: dict[str, list[str]] = {}
        shapes = load_hard_shapes(a.corpus)
        for shape, rel, line, ent, shown in found:
            got = lines.setdefault(shape, [])
            if len(got) < a.show:
                text = ""
                if isinstance(shapes.get(rel), list) and line:
                    text = (a.corpus / rel).read_text(encoding="utf-8").split("\n")[line - 1]
                got.append(f"  {rel}:{line} {ent} {shown!r} :: {text[:200]}")
        for shape, got in lines.items():
            print(f"\n{shape}:")
            print("\n".join(got))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
