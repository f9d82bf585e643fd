"""NLP accuracy and cost: precision/recall/F1 per entity on tests/data/nlp_eval.jsonl, and
throughput of `--nlp off|auto|on` on a log mixing those lines with machine log lines.

    python -m bench.nlp_accuracy [--data tests/data/nlp_eval.jsonl] [--modes auto,on]
    python -m bench.nlp_accuracy --corpus bench/corpus/20mb-seed7 --no-throughput

`--corpus DIR` also scans DIR/logs and DIR/clean (bench/generate.py) in this process, one
core, and prints per mode the CPU seconds (all of it, and the NER detector's share: gate +
models), the lines sent to NER and the NER findings (PERSON/ORG/... from the models) - on the
PII-free clean/ text every one of them is a false positive.

Strict = same entity and exact span; lenient = same entity and overlapping span. Only the
NLP entities (PERSON, ORGANIZATION, ADDRESS, JOB_TITLE, DEPARTMENT) are scored.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from models import NLP_ENTITIES, line_detectors
from models.loader import load_pipeline
from recognizers.registry import build_recognizers
from scanner.detect import Detector

ENTITIES = sorted(NLP_ENTITIES)
TARGETS = {"PERSON": 0.85, "ORGANIZATION": 0.85, "JOB_TITLE": 0.9, "DEPARTMENT": 0.9}


def load_rows(path: str) -> list[dict[str, Any]]:
    """The labelled rows."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def predict(det: Detector, rows: list[dict[str, Any]]) -> list[set[tuple[int, int, str]]]:
    """Predicted (start, end, entity) per row, NLP entities only."""
    out = det.detect_lines([r["text"] for r in rows])
    return [
        {(h.start, h.end, h.entity) for h, _ in hits if h.entity in NLP_ENTITIES} for hits in out
    ]


def score(
    rows: list[dict[str, Any]], preds: list[set[tuple[int, int, str]]], lenient: bool
) -> dict[str, Any]:
    """Per-entity tp/fp/fn, with recall split by vocabulary (list / held_out)."""
    c: dict[str, Counter[str]] = {e: Counter() for e in ENTITIES}
    for row, pred in zip(rows, preds, strict=True):
        gold = [(s["start"], s["end"], s["entity"], s["vocab"]) for s in row["spans"]]
        used: set[int] = set()
        for gs, ge, gent, vocab in gold:
            hit = None
            for k, (ps, pe, pent) in enumerate(sorted(pred)):
                if pent != gent or k in used:
                    continue
                if (ps, pe) == (gs, ge) or (lenient and ps < ge and gs < pe):
                    hit = k
                    break
            c[gent][f"gold_{vocab}"] += 1
            if hit is None:
                c[gent]["fn"] += 1
            else:
                used.add(hit)
                c[gent]["tp"] += 1
                c[gent][f"tp_{vocab}"] += 1
        for k, (_, _, pent) in enumerate(sorted(pred)):
            if k not in used:
                c[pent]["fp"] += 1
    return c


def prf(cnt: Counter[str]) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    tp, fp, fn = cnt["tp"], cnt["fp"], cnt["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(name: str, counts: dict[str, Counter[str]]) -> None:
    """Print one table."""
    print(f"\n{name}")
    print(
        f"{'entity':<14}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}  {'R(list)':>8}{'R(held-out)':>12}  target"
    )
    for e in ENTITIES:
        cnt = counts[e]
        p, r, f = prf(cnt)
        gl, gh = cnt["gold_list"], cnt["gold_held_out"]
        rl = f"{cnt['tp_list'] / gl:.2f}" if gl else "-"
        rh = f"{cnt['tp_held_out'] / gh:.2f}" if gh else "-"
        t = TARGETS.get(e)
        mark = "" if t is None else (f">= {t} ok" if f >= t else f">= {t} MISSED")
        print(
            f"{e:<14}{cnt['tp'] + cnt['fn']:>6}{p:>7.2f}{r:>7.2f}{f:>7.2f}  {rl:>8}{gh and rh or '-':>12}  {mark}"
        )


def throughput(rows: list[dict[str, Any]], modes: list[str], noise: int, seed: int) -> None:
    """Lines/s over the eval lines mixed with `noise` machine log lines per eval line."""
    rng = random.Random(seed)
    lines: list[str] = []
    for r in rows:
        lines.append(r["text"])
        for _ in range(noise):
            lines.append(
                f"2026-03-02 09:{rng.randint(10, 59)}:{rng.randint(10, 59)} INFO svc=api req={rng.randint(1, 10**6)} "
                f"path=/v1/items/{rng.randint(1, 999)} status=200 ms={rng.randint(1, 900)}"
            )
    text = "\n".join(lines)
    size = len(text.encode("utf-8"))
    print(
        f"\nthroughput: {len(lines)} lines, {size / 1024:.0f} KB ({noise} machine lines per eval line), one core"
    )
    print(f"{'mode':<6}{'seconds':>9}{'lines/s':>10}{'KB/s':>9}{'NER lines':>11}")
    recs = build_recognizers()
    for mode in modes:
        dets = line_detectors(mode)
        det = Detector(recs, line_detectors=dets)
        det.detect_text("warmup", "Warm up with John Smith.\n山田太郎様", 1)
        ner = [d for d in dets if d.name == "NerDetector"]
        for d in ner:
            d.lines_sent = d.lines_seen = 0
        t0 = time.perf_counter()
        step = 1000
        for i in range(0, len(lines), step):
            det.detect_text("bench", "\n".join(lines[i : i + step]), i + 1)
        dt = time.perf_counter() - t0
        sent = sum(d.lines_sent for d in ner)
        print(f"{mode:<6}{dt:>9.2f}{len(lines) / dt:>10.0f}{size / 1024 / dt:>9.0f}{sent:>11}")


def corpus_cost(root: Path, modes: list[str]) -> None:
    """CPU seconds and NER findings per mode on root/logs and root/clean (one core)."""
    recs = build_recognizers()
    print(f"\ncorpus {root}: CPU seconds in this process (one core)")
    print(
        f"{'part':<7}{'mode':<6}{'MB':>7}{'CPU s':>8}{'MB/CPU-s':>10}"
        f"{'NER CPU s':>11}{'NER lines':>11}{'NER findings':>14}{'per MB':>8}"
    )
    for part in ("logs", "clean"):
        files = sorted(p for p in (root / part).rglob("*") if p.is_file())
        mb = sum(p.stat().st_size for p in files) / 1024 / 1024
        for mode in modes:
            dets = line_detectors(mode)
            det = Detector(recs, line_detectors=dets)
            ner = [d for d in dets if d.name == "NerDetector"]
            det.detect_text("warmup", "Warm up with John Smith.\n山田太郎様", 1)
            spent = [0.0]
            for d in ner:
                d.lines_sent = d.lines_seen = 0
                inner = d.detect_lines

                def timed(
                    lines: Any, context: str = "", _inner: Any = inner, _spent: list[float] = spent
                ) -> list[Any]:
                    t = time.process_time()
                    out = list(_inner(lines, context))
                    _spent[0] += time.process_time() - t
                    return out

                d.detect_lines = timed  # type: ignore[method-assign]
            found = 0
            t0 = time.process_time()
            for p in files:
                lines = p.read_text(encoding="utf-8", errors="replace").split("\n")
                for i in range(0, len(lines), 1000):
                    dets_found = det.detect_text(str(p), "\n".join(lines[i : i + 1000]), i + 1)
                    found += sum(1 for x in dets_found if x.recognizer.endswith("NerRecognizer"))
            cpu = time.process_time() - t0
            sent = sum(d.lines_sent for d in ner)
            print(
                f"{part:<7}{mode:<6}{mb:>7.1f}{cpu:>8.1f}{mb / cpu:>10.2f}"
                f"{spent[0]:>11.1f}{sent:>11}{found:>14}{found / mb:>8.2f}"
            )


def evaluate(path: str, modes: list[str], by_lang: bool) -> list[dict[str, Any]]:
    """Print the accuracy tables for one labelled file; return its rows."""
    rows = load_rows(path)
    negatives = sum(1 for r in rows if r["kind"] == "negative")
    spans = sum(len(r["spans"]) for r in rows)
    print(f"\n=== {path}: {len(rows)} rows ({negatives} negative), {spans} gold spans")
    recs = build_recognizers()
    for mode in modes:
        det = Detector(recs, line_detectors=line_detectors(mode))
        preds = predict(det, rows)
        for lenient in (False, True):
            kind = "lenient (overlap)" if lenient else "strict (exact span)"
            report(f"--nlp {mode}, {kind}", score(rows, preds, lenient))
        if not by_lang:
            continue
        for lang in ("en", "ja"):
            sub = [(r, p) for r, p in zip(rows, preds, strict=True) if r["lang"] == lang]
            report(
                f"--nlp {mode}, strict, {lang} only",
                score([r for r, _ in sub], [p for _, p in sub], False),
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        action="append",
        help="labelled JSONL (repeatable; default: the main set and the hold-out set)",
    )
    ap.add_argument("--modes", default="auto,on", help="modes scored for accuracy")
    ap.add_argument("--noise", type=int, default=9, help="machine lines per eval line")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--corpus", type=Path, help="a bench/generate.py corpus: CPU and NER findings on logs/ and clean/")
    ap.add_argument("--no-accuracy", action="store_true", help="skip the labelled sets")
    args = ap.parse_args()
    paths = args.data or ["tests/data/nlp_eval.jsonl", "tests/data/nlp_eval_holdout.jsonl"]
    t0 = time.perf_counter()
    load_pipeline("en")
    t1 = time.perf_counter()
    load_pipeline("ja")
    t2 = time.perf_counter()
    print(f"model load: en {t1 - t0:.1f}s, ja {t2 - t1:.1f}s (once per process)")
    first: list[dict[str, Any]] = []
    if args.corpus:
        corpus_cost(args.corpus, ["off", "auto"])
    for path in [] if args.no_accuracy else paths:
        rows = evaluate(path, args.modes.split(","), by_lang=True)
        first = first or rows
    if not args.no_throughput and first:
        throughput(first, ["off", "auto", "on"], args.noise, args.seed)


if __name__ == "__main__":
    main()
