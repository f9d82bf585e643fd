"""Data-lake benchmark: `--workers` 1 vs 2, and Spark local[2] vs the local engine.

    python -m bench.lake [--files 48] [--kb 1024] [--no-spark]

Generates a folder of log files with planted PII (bench/corpus/lake/), scans it with the
local engine at 1 and 2 workers and on Spark (local[2]), checks that every run reports the
same findings, and prints wall-clock figures (Markdown table, for docs/datalake.md).
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import time
from pathlib import Path

from scanner.pipeline import ScanOptions, iter_results

ROOT = Path(__file__).resolve().parent / "corpus" / "lake"

_FILLER = [
    "GET /api/v1/items/{n} 200 {ms}ms",
    "worker {n} finished batch in {ms} ms",
    "cache miss for key item:{n}",
    "POST /api/v1/orders 201 {ms}ms",
]
_PII = [
    "login user=user{n}@example.com from 203.0.113.{b}",
    "callback requested to +1 415 555 {p:04d}",
    "card 4111 1111 1111 1111 exp 12/29",
]


def generate(root: Path, files: int, kb: int, seed: int = 7) -> int:
    """Write `files` log files of about `kb` KiB (every 4th gzipped); return total bytes."""
    rnd = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)  # a previous run with other sizes must not linger
    root.mkdir(parents=True)
    total = 0
    for i in range(files):
        lines = []
        size = 0
        n = 0
        while size < kb * 1024:
            tpl = rnd.choice(_PII) if rnd.random() < 0.01 else rnd.choice(_FILLER)
            line = "2026-11-25T10:00:00Z " + tpl.format(n=n, ms=rnd.randint(1, 900), b=rnd.randint(1, 254), p=n % 10000)
            lines.append(line)
            size += len(line) + 1
            n += 1
        data = ("\n".join(lines) + "\n").encode()
        sub = root / f"part={i % 4}"
        sub.mkdir(exist_ok=True)
        if i % 4 == 3:
            (sub / f"app-{i:03d}.log.gz").write_bytes(gzip.compress(data, 5))
        else:
            (sub / f"app-{i:03d}.log").write_bytes(data)
        total += len(data)
    return total


def _local(paths: list[str], workers: int) -> tuple[float, list[dict[str, object]]]:
    opts = ScanOptions(workers=workers, nlp="off")
    t = time.perf_counter()
    found = [f.to_dict() for fr in iter_results(paths, opts) for f in fr.findings]
    return time.perf_counter() - t, found


def main() -> None:
    """Generate the corpus, run the scans, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=48)
    ap.add_argument("--kb", type=int, default=1024, help="uncompressed size of each file")
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    total = generate(ROOT, args.files, args.kb)
    mb = total / 1e6
    paths = [str(ROOT)]
    rows: list[tuple[str, float, str]] = []
    t1, f1 = _local(paths, 1)
    rows.append(("local, --workers 1", t1, ""))
    t2, f2 = _local(paths, 2)
    assert f2 == f1, "workers=2 must report the same findings as workers=1"
    rows.append(("local, --workers 2", t2, f"speed-up x{t1 / t2:.2f}"))
    if not args.no_spark:
        import scanner.spark as spark_engine

        t = time.perf_counter()
        spark = spark_engine.get_spark("local[2]")
        spark.sparkContext.setLogLevel("ERROR")
        start = time.perf_counter() - t
        opts = ScanOptions(workers=1, nlp="off")
        runs = []
        for _ in range(2):  # the first run also starts the Python workers and builds their engines
            t = time.perf_counter()
            fs = [f.to_dict() for fr in spark_engine.iter_results_spark(paths, opts, spark) for f in fr.findings]
            runs.append(time.perf_counter() - t)
            assert fs == f1, "Spark must report the same findings as the local engine"
        rows.append(("Spark local[2]: session start", start, "JVM + SparkContext"))
        rows.append(("Spark local[2]: first scan", runs[0], "includes Python workers + engines"))
        rows.append(("Spark local[2]: second scan", runs[1], f"vs local --workers 2: x{t2 / runs[1]:.2f}"))
        spark.stop()
    print(f"\ncorpus: {args.files} files, {mb:.1f} MB uncompressed (1 in 4 gzipped), {len(f1)} findings\n")
    print("| run | wall s | MB/s | note |")
    print("| --- | ---: | ---: | --- |")
    for name, secs, note in rows:
        rate = "" if "session" in name else f"{mb / secs:.1f}"
        print(f"| {name} | {secs:.1f} | {rate} | {note} |")


if __name__ == "__main__":
    main()
