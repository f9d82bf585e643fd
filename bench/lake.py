"""Data-lake benchmark: `--workers` 1 vs 2, and Spark local[2] vs the local engine.

    python -m bench.lake [--files 48] [--kb 1024] [--no-spark] [--no-logs] [--parquet-rows N]

Generates a folder of log files with planted PII (bench/corpus/lake/), scans it with the
local engine at 1 and 2 workers and on Spark (local[2]), checks that every run reports the
same findings, and prints wall-clock figures (Markdown table, for docs/datalake.md).

Then one Parquet file with many row groups (bench/corpus/lake-parquet/), scanned `--full` by
the local engine and by Spark local[2] with its row groups split into tasks: the task count,
wall and CPU seconds (the CPU of this process and every process it started: JVM, Python
workers), and a check that findings and column profiles are identical.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any

from scanner.pipeline import ScanOptions, iter_results

ROOT = Path(__file__).resolve().parent / "corpus" / "lake"
PARQUET_ROOT = Path(__file__).resolve().parent / "corpus" / "lake-parquet"

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


def generate_parquet(root: Path, rows: int, group_rows: int, seed: int = 7) -> Path:
    """One Parquet file of `rows` rows in row groups of `group_rows`, PII in 3 of 5 columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rnd = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    path = root / "events.parquet"
    table = pa.table(
        {
            "id": list(range(rows)),
            "email": [f"user{rnd.randrange(50_000)}@example.com" if i % 3 else None for i in range(rows)],
            "phone": [f"+1 415 555 {rnd.randrange(10_000):04d}" if i % 7 == 0 else "" for i in range(rows)],
            "status": [rnd.choice(["ok", "retry", "failed", "pending"]) for _ in range(rows)],
            "message": [
                f"order {i} shipped to customer {rnd.randrange(1_000_000)}" if i % 13
                else f"refund for card 4111 1111 1111 1111 order {i}"
                for i in range(rows)
            ],
        }
    )
    pq.write_table(table, path, row_group_size=group_rows)
    return path


def _tree_cpu() -> float:
    """CPU seconds of this process and all its live descendants (JVM, Python workers)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        stats[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def _measure(fn: Any) -> tuple[float, float, Any]:
    c, t = _tree_cpu(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t, _tree_cpu() - c, out


def parquet_figures(rows: int, group_rows: int, spark_on: bool) -> None:
    """Scan one multi-row-group Parquet file `--full`: local engine vs Spark row-group tasks."""
    from scanner.readers.parquet import row_group_ranges
    from scanner.sources import Source, iter_sources

    path = generate_parquet(PARQUET_ROOT, rows, group_rows)
    size = path.stat().st_size
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    target = max(1, size // 4)  # about four tasks (the default is 128 MiB per task)
    opts = ScanOptions(workers=1, nlp="off", full=True, extra={"parquet_task_bytes": target})
    ranges = row_group_ranges(meta, target)

    def dump(results: Any) -> tuple[list[Any], list[Any]]:
        rs = list(results)
        return [f.to_dict() for r in rs for f in r.findings], [c.to_dict() for r in rs for c in r.columns]

    out: list[tuple[str, float, float, str]] = []
    wall, cpu, local = _measure(lambda: dump(iter_results([str(path)], opts)))
    out.append(("local engine, --workers 1", wall, cpu, "1 file = 1 unit"))
    if spark_on:
        import scanner.spark as spark_engine

        spark = spark_engine.get_spark("local[2]")
        spark.sparkContext.setLogLevel("ERROR")
        src = [s for s in iter_sources([str(path)]) if isinstance(s, Source)]
        tasks = spark_engine.plan_tasks(list(enumerate(src)), opts)
        assert len(tasks) == len(ranges) > 1
        for run in ("first", "second"):
            wall, cpu, got = _measure(lambda: dump(spark_engine.iter_results_spark([str(path)], opts, spark)))
            assert got == local, "Spark row-group tasks must report what the local engine reports"
            note = "includes Python workers + engines" if run == "first" else f"vs local: x{out[0][1] / wall:.2f} wall"
            out.append((f"Spark local[2], {len(tasks)} row-group tasks: {run} scan", wall, cpu, note))
        spark.stop()
    print(
        f"\nParquet: {rows:,} rows, {meta.num_row_groups} row groups, {size / 1e6:.1f} MB on disk, "
        f"--full, task target {target / 1e6:.1f} MB -> {len(ranges)} tasks; {len(local[0])} findings, "
        f"{len(local[1])} column profiles (identical on both engines)\n"
    )
    print("| run | wall s | CPU s | note |")
    print("| --- | ---: | ---: | --- |")
    for name, w, c, note in out:
        print(f"| {name} | {w:.1f} | {c:.1f} | {note} |")


def main() -> None:
    """Generate the corpus, run the scans, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=48)
    ap.add_argument("--kb", type=int, default=1024, help="uncompressed size of each file")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--no-logs", action="store_true", help="only the Parquet figure")
    ap.add_argument("--parquet-rows", type=int, default=120_000, help="rows of the Parquet file (0: none)")
    ap.add_argument("--group-rows", type=int, default=10_000, help="rows per Parquet row group")
    args = ap.parse_args()
    if args.parquet_rows:
        parquet_figures(args.parquet_rows, args.group_rows, not args.no_spark)
    if args.no_logs:
        return
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
