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
    assert kinds == {"skipped", "error"}  # binary/empty skipped, truncated gzip an error


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
