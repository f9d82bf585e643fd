"""Spark engine: files become Spark tasks; executors run the same detector as the local engine.

The driver lists the sources (local folders or any fsspec URL) and sends them, one task per
file, to the executors. Each executor Python process builds one `Engine(opts)` the first time
it needs it (`engine_for`, a lazily initialised module-level singleton: models load once per
executor process, and Spark reuses its Python workers), reads the objects itself (streamed,
through fsspec for URLs: credentials come from the executors' environment) and returns
`FileResult`s. So the findings are exactly those of the local engine.

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
from scanner.sources import Source, iter_sources

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


def _scan_partition(opts: ScanOptions) -> Any:
    def run(items: Iterable[tuple[int, Source]]) -> Iterator[tuple[int, FileResult]]:
        engine = engine_for(opts)
        for idx, src in items:
            yield idx, engine.scan_source(src)

    return run


def _spark_scan(spark: Any, indexed: list[tuple[int, Source]], opts: ScanOptions) -> Any:
    """An RDD of (index, FileResult): one task per source."""
    sc = spark.sparkContext
    return sc.parallelize(indexed, max(1, len(indexed))).mapPartitions(_scan_partition(opts))


def iter_results_spark(
    paths: Sequence[str],
    opts: ScanOptions,
    spark: Any = None,
    sources: Iterable[Source | FileIssue | FileResult] | None = None,
    batch_files: int = BATCH_FILES,
) -> Iterator[FileResult]:
    """Like `pipeline.iter_results`, on Spark: same results, same order."""
    spark = spark or get_spark()
    items = sources if sources is not None else iter_sources(
        paths, opts.exclude, opts.extra.get("storage_options")
    )
    batch: list[Source | FileIssue | FileResult] = []

    def flush() -> Iterator[FileResult]:
        indexed = [(i, it) for i, it in enumerate(batch) if isinstance(it, Source)]
        done = dict(_spark_scan(spark, indexed, opts).collect()) if indexed else {}
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
    items = list(iter_sources(paths, opts.exclude, opts.extra.get("storage_options")))
    indexed = [(i, it) for i, it in enumerate(items) if isinstance(it, Source)]
    listed = [_file_row(i, FileResult(path=it.path, issue=it)) for i, it in enumerate(items) if isinstance(it, FileIssue)]
    scanned = _spark_scan(spark, indexed, opts).map(lambda pair: _file_row(*pair))
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
    parser.add_argument("--output", required=True, help="folder (any Spark/Hadoop URL) for findings/, columns/, issues/")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument("--mode", choices=["error", "overwrite"], default="error", help="when --output exists")
    parser.add_argument("--policy", default="california")
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--nlp", choices=["auto", "on", "off"], default="auto")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    args = parser.parse_args(argv)
    opts = ScanOptions(
        policy=args.policy, min_score=args.min_score, nlp=args.nlp, exclude=tuple(args.exclude)
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
