"""Spark engine: files become Spark tasks; executors run the same detector as the local engine.

The driver lists the sources (local folders or any fsspec URL) and sends them, one task per
file, to the executors; in `--full` mode a large Parquet file becomes one task per range of
row groups (`plan_tasks`), and the ranges' findings and column statistics are merged into one
FileResult per file (`merge_parts`), equal to the local engine's. Each executor Python process
builds one `Engine(opts)` the first time it needs it (`engine_for`, a lazily initialised
module-level singleton: models load once per executor process, and Spark reuses its Python
workers), reads the objects itself (streamed, through fsspec for URLs: credentials come from
the executors' environment) and returns `FileResult`s. So the findings are exactly those of
the local engine.

- `iter_results_spark()` yields FileResults in the local engine's order (used by
  `piimap scan --engine spark`, and together with `--state`: one Spark job per batch of
  files, the state is written after each batch).
- `scan_to_dataframes()` returns findings, column profiles and issues as Spark DataFrames
  (the distributed path: `spark-submit scanner/spark.py PATHS --output DIR` writes them as
  JSON Lines or Parquet).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from scanner.api import engine_for
from scanner.pipeline import FileResult, ScanOptions
from scanner.records import FileIssue
from scanner.sources import Source, sources_for

logger = logging.getLogger(__name__)

#: sources sent to Spark per job by `iter_results_spark` (a job per batch: bounded driver memory)
BATCH_FILES = 512

def get_spark(master: str | None = None, app_name: str = "piimap") -> Any:
    """The active SparkSession (spark-submit, notebooks), else a new one (`local[*]` by default).

    For a local master the executors' Python is this interpreter, so they import the same
    installed piimap.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName(app_name)
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        # not under spark-submit (which sets the master): a local session on this machine
        master = os.environ.get("SPARK_MASTER", "local[*]")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false")
    return builder.getOrCreate()


@dataclass(frozen=True)
class Task:
    """One Spark task: a whole file (`groups` None) or a range of a Parquet file's row groups.

    `groups` is (first row group, end row group, first data row); `part` numbers the ranges
    of file `idx` in file order, `parts` is how many there are.
    """

    idx: int
    src: Source
    part: int = 0
    parts: int = 1
    groups: tuple[int, int, int] | None = None


def plan_tasks(indexed: Iterable[tuple[int, Source]], opts: ScanOptions) -> list[Task]:
    """The task plan: one task per file, except Parquet files in `--full` mode.

    A Parquet file larger than the target (`parquet.task_bytes(opts)`, 128 MiB by default)
    is read by one task per run of consecutive row groups of about that many compressed
    bytes (`parquet.row_group_ranges`): the driver reads the file's footer (one ranged read)
    to plan it. A file with one row group, a smaller file, sample mode (the sample is at most
    `--sample` rows out of at most 16 row groups: one batch) and anything whose footer cannot
    be read stay one task (that task reports the problem).
    """
    from scanner.readers import parquet as pqr
    from scanner.readers import reader_for

    target = pqr.task_bytes(opts)
    tasks: list[Task] = []
    for idx, src in indexed:
        ranges: list[tuple[int, int, int]] = []
        if opts.full and src.size > target and reader_for(src.path) is pqr.read_parquet:
            try:
                pf = pqr.open_parquet(src)
                try:
                    ranges = pqr.row_group_ranges(pf.metadata, target)
                finally:
                    pf.close()
            except Exception as exc:  # noqa: BLE001 - the task itself reports an unreadable file
                logger.debug("cannot plan row groups of %s: %s", src.path, type(exc).__name__)
        if len(ranges) > 1:
            tasks.extend(Task(idx, src, k, len(ranges), r) for k, r in enumerate(ranges))
        else:
            tasks.append(Task(idx, src))
    return tasks


def _run_task(engine: Any, task: Task) -> tuple[FileResult, Any]:
    """Scan one task: a FileResult, plus the partial column statistics of a row-group range."""
    if task.groups is None:
        return engine.scan_source(task.src), None
    from scanner.readers.parquet import ParquetScan, read_parquet_groups
    from scanner.tables import mode_of

    src = task.src
    scan = ParquetScan(src.path, mode_of(engine.opts))
    size = src.size if task.part == 0 else 0  # the merged result reads the file's size once
    fr = engine._scan_units(src, lambda: read_parquet_groups(src, scan, *task.groups), size)
    return fr, dict(scan.stats)  # statistics only: the per-value memo stays on the executor


def merge_parts(opts: ScanOptions, parts: Iterable[tuple[int, FileResult, Any]]) -> FileResult:
    """One FileResult from the row-group ranges of a file, as the local engine reports it.

    Findings and cell counts are concatenated in range order; column profiles come from the
    merged statistics (`parquet.merge_stats`). Like a local read that stops at its first
    error, a range's issue ends the file: later ranges are dropped and there are no profiles.
    """
    from scanner.policy import load_policy
    from scanner.readers.parquet import merge_stats
    from scanner.tables import mode_of

    ordered = sorted(parts, key=lambda p: p[0])
    first = ordered[0][1]
    out = FileResult(path=first.path)
    stats = []
    for _, fr, st in ordered:
        out.findings.extend(fr.findings)
        out.cells += fr.cells
        out.bytes_read += fr.bytes_read
        if fr.issue is not None:
            if fr.issue.kind != "warning":
                out.issue = fr.issue
                return out
            out.issue = out.issue or fr.issue
        stats.append(st)
    out.columns = merge_stats(first.path, mode_of(opts), stats).profiles(load_policy(opts.policy))
    return out


def _scan_partition(opts: ScanOptions) -> Any:
    def run(tasks: Iterable[Task]) -> Iterator[tuple[int, tuple[int, int, FileResult, Any]]]:
        engine = engine_for(opts)
        for task in tasks:
            fr, stats = _run_task(engine, task)
            yield task.idx, (task.part, task.parts, fr, stats)

    return run


def _spark_scan(spark: Any, indexed: list[tuple[int, Source]], opts: ScanOptions) -> Any:
    """An RDD of (index, (part, parts, FileResult, statistics)): one element per task.

    A whole file is (idx, (0, 1, FileResult, None)); the row-group ranges of a split file
    carry their partial column statistics and are merged with `merge_parts` (`_merge_values`).
    """
    return _run_tasks(spark, plan_tasks(indexed, opts), opts)


def _run_tasks(spark: Any, tasks: list[Task], opts: ScanOptions) -> Any:
    return spark.sparkContext.parallelize(tasks, max(1, len(tasks))).mapPartitions(_scan_partition(opts))


def _merged(spark: Any, scanned: Any, opts: ScanOptions, split: bool) -> Any:
    """(index, FileResult) per file: the ranges of a file meet in one reducer and merge there.

    Without split files there is nothing to merge and no shuffle.
    """
    if not split:
        return scanned.mapValues(lambda part: part[2])
    return scanned.groupByKey(max(1, spark.sparkContext.defaultParallelism)).mapValues(
        lambda parts: _merge_values(opts, list(parts))
    )


def _merge_values(opts: ScanOptions, parts: list[tuple[int, int, FileResult, Any]]) -> FileResult:
    if len(parts) == 1 and parts[0][1] == 1:
        return parts[0][2]
    return merge_parts(opts, [(part, fr, st) for part, _, fr, st in parts])


def iter_results_spark(
    paths: Sequence[str],
    opts: ScanOptions,
    spark: Any = None,
    sources: Iterable[Source | FileIssue | FileResult] | None = None,
    batch_files: int = BATCH_FILES,
) -> Iterator[FileResult]:
    """Like `pipeline.iter_results`, on Spark: same results, same order."""
    spark = spark or get_spark()
    items = sources if sources is not None else sources_for(paths, opts)
    batch: list[Source | FileIssue | FileResult] = []

    def flush() -> Iterator[FileResult]:
        indexed = [(i, it) for i, it in enumerate(batch) if isinstance(it, Source)]
        parts: dict[int, list[Any]] = {}
        # collected as they are: the driver merges the ranges of a file (no shuffle)
        for idx, part in (_spark_scan(spark, indexed, opts).collect() if indexed else []):
            parts.setdefault(idx, []).append(part)
        done = {idx: _merge_values(opts, ps) for idx, ps in parts.items()}
        for i, it in enumerate(batch):
            if isinstance(it, FileResult):
                yield it
            elif isinstance(it, FileIssue):
                yield FileResult(path=it.path, issue=it)
            else:
                yield done[i]
        batch.clear()

    for item in items:
        if isinstance(item, Source) and item.fs_path == "-":
            raise ValueError("standard input cannot be scanned with the Spark engine")
        batch.append(item)
        if len(batch) >= batch_files:
            yield from flush()
    yield from flush()


# --- DataFrames -------------------------------------------------------------------------


def finding_schema() -> Any:
    """Spark schema of a finding: exactly the findings contract."""
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("path", T.StringType(), False),
            T.StructField("line", T.LongType(), True),
            T.StructField("row", T.LongType(), True),
            T.StructField("column", T.StringType(), True),
            T.StructField("start", T.LongType(), False),
            T.StructField("end", T.LongType(), False),
            T.StructField("entity", T.StringType(), False),
            T.StructField("categories", T.ArrayType(T.StringType(), False), False),
            T.StructField("sensitive", T.BooleanType(), False),
            T.StructField("score", T.DoubleType(), False),
            T.StructField("recognizer", T.StringType(), False),
            T.StructField("preview", T.StringType(), False),
        ]
    )


def column_schema() -> Any:
    """Spark schema of a column profile (`ColumnProfile.to_dict()`)."""
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("path", T.StringType(), False),
            T.StructField("column", T.StringType(), False),
            T.StructField("entity", T.StringType(), True),
            T.StructField("categories", T.ArrayType(T.StringType(), False), False),
            T.StructField("sensitive", T.BooleanType(), False),
            T.StructField("match_ratio", T.DoubleType(), False),
            T.StructField("sampled", T.LongType(), False),
            T.StructField("score", T.DoubleType(), False),
            T.StructField("evidence", T.ArrayType(T.StringType(), False), False),
        ]
    )


def issue_schema() -> Any:
    """Spark schema of a per-file issue."""
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("path", T.StringType(), False),
            T.StructField("kind", T.StringType(), False),
            T.StructField("message", T.StringType(), False),
        ]
    )


def _file_schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("idx", T.LongType(), False),
            T.StructField("path", T.StringType(), False),
            T.StructField("findings", T.ArrayType(finding_schema(), False), False),
            T.StructField("columns", T.ArrayType(column_schema(), False), False),
            T.StructField("issue", issue_schema(), True),
            T.StructField("bytes_read", T.LongType(), False),
            T.StructField("cells", T.LongType(), False),
        ]
    )


def _file_row(idx: int, fr: FileResult) -> tuple[Any, ...]:
    # to_dict() key order is the schemas' field order (the findings contract order)
    findings = [tuple(f.to_dict().values()) for f in fr.findings]
    columns = [tuple(c.to_dict().values()) for c in fr.columns]
    issue = (fr.issue.path, fr.issue.kind, fr.issue.message) if fr.issue else None
    return (idx, fr.path, findings, columns, issue, fr.bytes_read, fr.cells)


@dataclass
class SparkScan:
    """A scan's results as Spark DataFrames (`files` is cached: the scan runs once)."""

    files: Any
    findings: Any
    columns: Any
    issues: Any


def scan_to_dataframes(
    paths: Sequence[str], opts: ScanOptions | None = None, spark: Any = None
) -> SparkScan:
    """Scan `paths` on Spark; findings, column profiles and issues as (ordered) DataFrames."""
    from pyspark.sql import functions as F

    opts = opts or ScanOptions()
    spark = spark or get_spark()
    items = list(sources_for(paths, opts))
    indexed = [(i, it) for i, it in enumerate(items) if isinstance(it, Source)]
    listed = [_file_row(i, FileResult(path=it.path, issue=it))
              for i, it in enumerate(items) if isinstance(it, FileIssue)]
    tasks = plan_tasks(indexed, opts)
    merged = _merged(spark, _run_tasks(spark, tasks, opts), opts, any(t.parts > 1 for t in tasks))
    scanned = merged.map(lambda pair: _file_row(*pair))
    rows = scanned.union(spark.sparkContext.parallelize(listed, 1)) if listed else scanned
    files = spark.createDataFrame(rows, _file_schema()).cache()
    findings = (
        files.select("idx", F.posexplode("findings").alias("pos", "f"))
        .orderBy("idx", "pos")
        .select("f.*")
    )
    columns = (
        files.select("idx", F.posexplode("columns").alias("pos", "c"))
        .orderBy("idx", "pos")
        .select("c.*")
    )
    issues = files.where(F.col("issue").isNotNull()).orderBy("idx").select("issue.*")
    return SparkScan(files=files, findings=findings, columns=columns, issues=issues)


def write_dataframes(result: SparkScan, output: str, fmt: str = "jsonl", mode: str = "error") -> None:
    """Write findings/, columns/ and issues/ under `output` as JSON Lines or Parquet."""
    for name in ("findings", "columns", "issues"):
        df = getattr(result, name)
        writer = df.write.mode(mode)
        target = f"{output.rstrip('/')}/{name}"
        if fmt == "parquet":
            writer.parquet(target)
        else:  # JSON Lines with every contract key, nulls included (Spark drops them by default)
            writer.option("ignoreNullFields", "false").json(target)


def main(argv: Sequence[str] | None = None) -> int:
    """spark-submit entry point: scan PATHS, write the DataFrames under --output."""
    parser = argparse.ArgumentParser(prog="spark-submit scanner/spark.py", description=main.__doc__)
    parser.add_argument("paths", nargs="+", help="folders, files or URLs (s3://bucket/prefix ...)")
    parser.add_argument("--output", required=True,
                        help="folder (any Spark/Hadoop URL) for findings/, columns/, issues/")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument("--mode", choices=["error", "overwrite"], default="error", help="when --output exists")
    parser.add_argument("--policy", default="california")
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--nlp", choices=["auto", "on", "off"], default="auto")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--full", action="store_true", help="tables: every cell instead of a sample")
    parser.add_argument("--sample", type=int, default=1000, help="tables: rows sampled per table")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--task-mb", type=float, default=None,
        help="--full: compressed MB of Parquet row groups per task (default 128)",
    )
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    args = parser.parse_args(argv)
    extra = {"parquet_task_bytes": int(args.task_mb * 1024 * 1024)} if args.task_mb else {}
    opts = ScanOptions(
        policy=args.policy, min_score=args.min_score, nlp=args.nlp, exclude=tuple(args.exclude),
        full=args.full, sample_rows=args.sample, seed=args.seed, extra=extra,
    )
    spark = get_spark(args.master)
    result = scan_to_dataframes(args.paths, opts, spark)
    write_dataframes(result, args.output, args.format, args.mode)
    counts = result.files.selectExpr("size(findings) AS n", "issue IS NOT NULL AND issue.kind = 'error' AS failed")
    totals = counts.groupBy().sum("n").collect()[0][0] or 0
    failed = counts.where("failed").count()
    print(f"piimap: {totals} findings written to {args.output} ({failed} objects could not be read)")
    return 3 if failed else (1 if totals else 0)


if __name__ == "__main__":  # spark-submit runs this file: use the package module's functions
    from scanner.spark import main as _main

    sys.exit(_main())
