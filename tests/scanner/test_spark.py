"""Spark engine (local[2]): the same results as the local engine, as FileResults and DataFrames.

One SparkSession for the module (starting the JVM is the slow part); the executors are real
Python worker processes that import piimap and build their own Engine.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

import scanner.spark as spark_engine
from scanner.api import engine_for, iter_scan, scan_dataframe, scan_spark_dataframe
from scanner.cli import main
from scanner.pipeline import FileResult, ScanOptions
from scanner.records import FINDING_KEYS

OPTS = ScanOptions(workers=1, nlp="off")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_engine.get_spark("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mixed small files (plus the shared sample_data/ when the checkout has it)."""
    root = tmp_path_factory.mktemp("lake")
    (root / "logs" / "old").mkdir(parents=True)
    (root / "logs" / "app.log").write_text(
        "boot\nlogin user=alice@example.com password=Sw0rdfish!9 from 203.0.113.9\nbye\n"
    )
    (root / "logs" / "old" / "app-1.log.gz").write_bytes(
        gzip.compress(b"x\ncallback +1 415 555 0134 requested\nSSN: 536-22-8471\n")
    )
    (root / "people.csv").write_text("name,email,phone\nCarol,carol@example.net,+1 415 555 0101\n")
    (root / "events.json").write_text('{"user": {"mail": "dan@example.org"}, "ip": "198.51.100.4"}\n')
    (root / "clean.txt").write_text("nothing personal here\n")
    (root / "empty.txt").write_text("")
    (root / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (root / "broken.log.gz").write_bytes(gzip.compress(b"eve@example.com\n" * 100)[:30])
    if (REPO / "sample_data").is_dir() and any((REPO / "sample_data").iterdir()):
        shutil.copytree(REPO / "sample_data", root / "sample_data")
    return root


def _local(paths: list[str], opts: ScanOptions = OPTS) -> list[FileResult]:
    engine_for(opts)
    return list(iter_scan(paths, opts))


def _dump(results: list[FileResult]) -> list[Any]:
    return [
        (
            r.path,
            [f.to_dict() for f in r.findings],
            [c.to_dict() for c in r.columns],
            r.issue.to_dict() if r.issue else None,
        )
        for r in results
    ]


def test_when_spark_engine_scans_a_folder_then_results_equal_the_local_engine(spark: Any, corpus: Path) -> None:
    local = _local([str(corpus)])
    on_spark = list(spark_engine.iter_results_spark([str(corpus)], OPTS, spark, batch_files=8))
    assert _dump(on_spark) == _dump(local)
    assert sum(len(r.findings) for r in local) >= 8
    kinds = {r.issue.kind for r in local if r.issue}
    # binary/empty skipped, truncated gzip an error, logins.jsonl's broken line a warning
    assert kinds == {"skipped", "error", "warning"}


def test_when_scanned_to_dataframes_then_findings_columns_and_issues_equal_the_local_engine(
    spark: Any, corpus: Path, tmp_path: Path
) -> None:
    local = _local([str(corpus)])
    res = spark_engine.scan_to_dataframes([str(corpus)], OPTS, spark)
    assert res.findings.columns == list(FINDING_KEYS)
    got = [r.asDict(recursive=True) for r in res.findings.collect()]
    assert got == [f.to_dict() for r in local for f in r.findings]
    issues = [r.asDict() for r in res.issues.collect()]
    assert issues == [r.issue.to_dict() for r in local if r.issue]
    assert [r.asDict(recursive=True) for r in res.columns.collect()] == [
        c.to_dict() for r in local for c in r.columns
    ]

    spark_engine.write_dataframes(res, str(tmp_path / "out"), "jsonl")
    written = [
        json.loads(line)
        for part in sorted((tmp_path / "out" / "findings").glob("part-*.json"))
        for line in part.read_text().splitlines()
    ]
    key = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
    assert sorted(written, key=key) == sorted(got, key=key)
    assert all(list(d) == list(FINDING_KEYS) for d in written)  # every key, nulls included


def test_when_cli_uses_the_spark_engine_then_output_equals_the_local_engine(spark: Any, corpus: Path) -> None:
    args = ["scan", str(corpus), "--nlp", "off", "--workers", "1"]
    local = CliRunner().invoke(main, args)
    on_spark = CliRunner().invoke(main, [*args, "--engine", "spark"])
    assert local.exit_code == on_spark.exit_code == 3  # findings, and one unreadable file
    assert on_spark.stdout == local.stdout and local.stdout.count("\n") >= 8


def test_when_spark_scan_uses_a_state_file_then_only_changed_files_become_tasks(
    spark: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "inc"
    shutil.copytree(corpus / "logs", root)
    state = str(tmp_path / "spark.state")
    sent: list[str] = []
    original = spark_engine._spark_scan

    def counting(session: Any, indexed: list[Any], opts: ScanOptions) -> Any:
        sent.extend(Path(src.path).name for _, src in indexed)
        return original(session, indexed, opts)

    monkeypatch.setattr(spark_engine, "_spark_scan", counting)
    first = list(iter_scan([str(root)], OPTS, engine="spark", state=state, spark=spark))
    assert sorted(sent) == ["app-1.log.gz", "app.log"]
    (root / "app.log").write_text("rotated\nmail frank@example.com\n")
    sent.clear()
    union = list(iter_scan([str(root)], OPTS, engine="spark", state=state, spark=spark))
    assert sent == ["app.log"]
    assert _dump(union) != _dump(first)
    assert _dump(union) == _dump(_local([str(root)]))


def test_when_spark_dataframe_scanned_then_results_equal_the_pandas_scan(spark: Any) -> None:
    rows = [
        ("alice@example.com", "password=Tr0ub4dor3x", "+1 415 555 0100"),
        ("bob@example.org", None, None),
        ("not an address", "n/a", "call (415) 555-0199 today"),
        (None, "fine", "203.0.113.7"),
    ] * 3
    pdf = pd.DataFrame(rows, columns=["login", "secret", "phone"])
    sdf = spark.createDataFrame(rows, "login string, secret string, phone string")
    assert sdf.rdd.getNumPartitions() == 2  # rows of both partitions are numbered in order
    expected = scan_dataframe(pdf, name="crm", options=OPTS)
    res = scan_spark_dataframe(sdf, name="crm", options=OPTS)
    got = [r.asDict(recursive=True) for r in res.findings.collect()]
    want = [{k: (None if pd.isna(v) else v) if not isinstance(v, list) else v for k, v in d.items()}
            for d in expected.findings.to_dict("records")]
    assert got == want and len(got) >= 12
    profiles = [r.asDict(recursive=True) for r in res.columns.collect()]
    want_profiles = [
        {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in d.items()}
        for d in expected.columns.to_dict("records")
    ]
    assert profiles == want_profiles
    assert res.issues.count() == 0


# --- Parquet row groups as Spark tasks ----------------------------------------------------


def _lake_table(n: int = 2400) -> Any:
    """Rows with repeated and unique PII, a map column whose keys change along the file."""
    import pyarrow as pa

    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("email", pa.string()),
            ("contact", pa.string()),
            ("note", pa.string()),
            ("attrs", pa.map_(pa.string(), pa.string())),
            ("raw", pa.binary()),  # untyped bytes: UTF-8, CP932 and a blob that is neither
        ]
    )
    return pa.Table.from_pydict(
        {
            "id": list(range(n)),
            "email": [f"user{i % 300}@example.com" if i % 4 else None for i in range(n)],
            # mixed entities and scores in one column: the profile score is a real average
            "contact": [
                f"+1 415 555 01{i % 100:02d}" if i % 3 == 0 else f"c{i}@example.org" if i % 3 == 1 else "n/a"
                for i in range(n)
            ],
            "note": [f"call {i % 7} times, SSN 536-22-{8400 + i % 50}" if i % 11 == 0 else "ok" for i in range(n)],
            "attrs": [
                [("mail", f"m{i % 40}@example.net")] + ([(f"k{i // 600}", "v")] if i % 9 == 0 else [])
                for i in range(n)
            ],
            "raw": [
                f"r{i % 90}@example.jp".encode() if i % 5 == 0
                else f"電話 03-1234-{1000 + i % 80}".encode("cp932") if i % 5 == 1
                else b"\x89PNG\xff\x00" if i % 5 == 2 else None
                for i in range(n)
            ],
        },
        schema=schema,
    )


@pytest.fixture(scope="module")
def lake_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one Parquet file of 12 row groups of 200 rows."""
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("rowgroups")
    pq.write_table(_lake_table(), root / "events.parquet", row_group_size=200)
    return root


def _split_opts(full: bool, **kw: Any) -> ScanOptions:
    # a 1-byte target: every row group is its own task (the file has 12)
    return ScanOptions(workers=1, nlp="off", full=full, extra={"parquet_task_bytes": 1}, **kw)


def _indexed(paths: list[str]) -> list[tuple[int, Any]]:
    from scanner.sources import Source, iter_sources

    return [(i, s) for i, s in enumerate(iter_sources(paths)) if isinstance(s, Source)]


def test_when_parquet_has_several_row_groups_then_full_scan_plans_a_task_per_range(lake_parquet: Path) -> None:
    import pyarrow.parquet as pq

    from scanner.readers.parquet import row_group_ranges

    path = str(lake_parquet / "events.parquet")
    plan = spark_engine.plan_tasks(_indexed([path]), _split_opts(full=True))
    assert [t.groups for t in plan] == [(g, g + 1, 200 * g) for g in range(12)]
    assert [(t.part, t.parts) for t in plan] == [(k, 12) for k in range(12)]
    # a target of about three row groups: runs of consecutive groups, rows numbered on
    meta = pq.ParquetFile(path).metadata
    sizes = [sum(meta.row_group(g).column(c).total_compressed_size for c in range(meta.num_columns)) for g in range(12)]
    ranges = row_group_ranges(meta, sum(sizes[:3]))
    assert 3 <= len(ranges) <= 6 and ranges[0] == (0, 3, 0)
    assert [r[0] for r in ranges[1:]] == [r[1] for r in ranges[:-1]] and ranges[-1][1] == 12
    assert all(first == 200 * start for start, _, first in ranges)
    # sample mode, the default target (file smaller than 128 MiB) and one row group: one task
    assert [t.groups for t in spark_engine.plan_tasks(_indexed([path]), _split_opts(full=False))] == [None]
    assert [t.groups for t in spark_engine.plan_tasks(_indexed([path]), ScanOptions(full=True))] == [None]
    single = lake_parquet.parent / "one-group.parquet"
    pq.write_table(_lake_table(300), single)
    assert [t.groups for t in spark_engine.plan_tasks(_indexed([str(single)]), _split_opts(full=True))] == [None]


def test_when_row_group_ranges_are_merged_then_they_equal_the_whole_file_scan(lake_parquet: Path) -> None:
    """Without Spark: every range scanned apart, merged, equals the local reader's FileResult."""
    opts = _split_opts(full=True)
    engine = engine_for(opts)
    indexed = _indexed([str(lake_parquet / "events.parquet")])
    whole = engine.scan_source(indexed[0][1])
    parts = []
    for task in spark_engine.plan_tasks(indexed, opts):
        fr, stats = spark_engine._run_task(engine, task)
        parts.append((task.part, fr, stats))
    merged = spark_engine.merge_parts(opts, reversed(parts))  # arrival order does not matter
    assert _dump([merged]) == _dump([whole])
    assert (merged.cells, merged.bytes_read) == (whole.cells, whole.bytes_read)
    cols = {c.column: c for c in whole.columns}
    assert {"attrs.k0", "attrs.k3"} <= set(cols) and cols["email"].sampled == 1800
    assert "type:binary (480 values not text; not scanned)" in cols["raw"].evidence  # summed over ranges
    assert len({f.entity for f in whole.findings}) >= 3


def test_when_exact_sums_add_in_any_order_then_the_total_is_the_same() -> None:
    import random

    from scanner.readers.parquet import ExactSum

    values = [0.85 * 3, 0.6, 1.0 * 7, 0.4 * 11, 1e-9, 0.1] * 50
    totals = set()
    for seed in range(5):
        random.Random(seed).shuffle(values)
        a, b = ExactSum(), ExactSum()
        for v in values[:100]:
            a += v
        for v in values[100:]:
            b += v
        b += a
        totals.add(float(b))
    assert len(totals) == 1


@pytest.mark.parametrize("full", [True, False], ids=["full", "sample"])
def test_when_parquet_row_groups_become_spark_tasks_then_results_equal_the_local_engine(
    spark: Any, corpus: Path, lake_parquet: Path, full: bool
) -> None:
    opts = _split_opts(full=full, sample_rows=500, seed=3)
    tables = corpus / "sample_data" / "tables"  # the shared tables (Parquet, Hive folders, CSV...)
    paths = [str(lake_parquet), str(tables if tables.is_dir() else corpus)]
    local = _local(paths, opts)
    on_spark = list(spark_engine.iter_results_spark(paths, opts, spark))
    assert _dump(on_spark) == _dump(local)
    lake = next(r for r in local if r.path.endswith("events.parquet"))
    assert len(lake.findings) >= (2000 if full else 400) and lake.columns
    assert sorted({f.row for f in lake.findings})[-1] >= (2300 if full else 1000)

    res = spark_engine.scan_to_dataframes(paths, opts, spark)
    assert [r.asDict(recursive=True) for r in res.findings.collect()] == [
        f.to_dict() for r in local for f in r.findings
    ]
    assert [r.asDict(recursive=True) for r in res.columns.collect()] == [
        c.to_dict() for r in local for c in r.columns
    ]
