"""Object storage: listing and streaming objects from a real local S3 endpoint (moto server).

The server is moto's HTTP server on 127.0.0.1 (a free port), reached through s3fs exactly
like AWS: credentials and endpoint come from the standard AWS_* environment variables.
"""

from __future__ import annotations

import gzip
import io
import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from scanner.api import engine_for, iter_scan
from scanner.cli import main
from scanner.pipeline import Engine, ScanOptions, add_result
from scanner.readers import reader_for
from scanner.readers.text import read_text
from scanner.records import FileIssue, ScanResult
from scanner.sources import Source, iter_sources

BUCKET = "lake"
EMAIL = "carol.jones@example.com"
PHONE = "+1 415 555 0134"

OBJECTS: dict[str, bytes] = {
    "data/logs/app.log": f"boot ok\nlogin by {EMAIL} from web\nbye\n".encode(),
    "data/logs/old/app-1.log.gz": gzip.compress(f"start\nidle\ncallback {PHONE} requested\n".encode()),
    "data/notes.txt": b"nothing personal in here\njust words\n",
    "data/tables/people.csv": f"name,email,phone\nCarol,{EMAIL},{PHONE}\n".encode(),
    ".git/config": f"[user]\nemail = {EMAIL}\n".encode(),  # outside the scanned prefix
}


def _parquet_bytes() -> bytes:
    table = pa.table({"name": ["Carol", "Dan"], "email": [EMAIL, None], "phone": [PHONE, "n/a"]})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    """A moto S3 server on a free local port, with the AWS_* environment pointing at it."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_CONFIG_FILE": "/nonexistent/aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        }.items():
            mp.setenv(key, value)
        mp.delenv("AWS_PROFILE", raising=False)
        mp.delenv("AWS_SESSION_TOKEN", raising=False)
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        for key, body in {**OBJECTS, "data/tables/people.parquet": _parquet_bytes()}.items():
            client.put_object(Bucket=BUCKET, Key=key, Body=body)
        yield endpoint
    server.stop()


OPTS = ScanOptions(workers=1, nlp="off")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return engine_for(OPTS)


def scan(paths: list[str], opts: ScanOptions = OPTS) -> ScanResult:
    """In-process scan reusing the module's cached Engine."""
    out = ScanResult()
    for fr in iter_scan(paths, opts):
        add_result(out, fr)
    return out


def _source(url: str) -> Source:
    items = list(iter_sources([url]))
    assert len(items) == 1 and isinstance(items[0], Source), items
    return items[0]


def test_when_prefix_listed_then_objects_come_in_walk_order_with_size_and_etag(s3: str) -> None:
    items = list(iter_sources([f"s3://{BUCKET}/data/"]))
    assert [i.path for i in items] == [
        "s3://lake/data/notes.txt",
        "s3://lake/data/logs/app.log",
        "s3://lake/data/logs/old/app-1.log.gz",
        "s3://lake/data/tables/people.csv",
        "s3://lake/data/tables/people.parquet",
    ]
    assert all(isinstance(i, Source) and i.protocol == "s3" for i in items)
    log = items[1]
    assert isinstance(log, Source)
    assert log.size == len(OBJECTS["data/logs/app.log"])
    assert log.version.startswith("ETag:") and len(log.version) > len("ETag:")


def test_when_bucket_root_listed_then_vcs_folders_are_skipped(s3: str) -> None:
    paths = [i.path for i in iter_sources([f"s3://{BUCKET}"])]
    assert "s3://lake/data/logs/app.log" in paths
    assert not any("/.git/" in p for p in paths)


def test_when_exclude_glob_matches_then_objects_are_not_listed(s3: str) -> None:
    paths = [i.path for i in iter_sources([f"s3://{BUCKET}/data"], exclude=["*.gz", "tables"])]
    assert paths == ["s3://lake/data/notes.txt", "s3://lake/data/logs/app.log"]


@pytest.mark.parametrize(
    ("key", "entity", "line"),
    [
        ("data/logs/app.log", "EMAIL_ADDRESS", 2),
        ("data/logs/old/app-1.log.gz", "PHONE_NUMBER", 3),
        ("data/notes.txt", None, None),
    ],
    ids=["text-log-email", "gzip-log-phone", "clean-object-no-match"],
)
def test_when_text_object_scanned_then_findings_have_object_url_and_line(
    s3: str, engine: Engine, key: str, entity: str | None, line: int | None
) -> None:
    result = engine.scan_source(_source(f"s3://{BUCKET}/{key}"))
    assert result.issue is None
    got = [(f.path, f.entity, f.line) for f in result.findings]
    if entity is None:
        assert got == []
    else:
        assert got == [(f"s3://{BUCKET}/{key}", entity, line)]
        assert EMAIL not in result.findings[0].preview and PHONE not in result.findings[0].preview


def test_when_csv_object_scanned_then_planted_email_and_phone_are_found(s3: str, engine: Engine) -> None:
    # Holds with the text reader (line 2) and with the CSV table reader (row 0, column email).
    result = engine.scan_source(_source(f"s3://{BUCKET}/data/tables/people.csv"))
    assert result.issue is None
    entities = {f.entity for f in result.findings}
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER"} <= entities
    assert all(f.path == "s3://lake/data/tables/people.csv" for f in result.findings)


def test_when_parquet_object_opened_then_pyarrow_reads_it_from_the_same_stream(s3: str) -> None:
    src = _source(f"s3://{BUCKET}/data/tables/people.parquet")
    with src.open() as fh:
        assert fh.seekable()
        table = pq.ParquetFile(fh).read()
    assert table.column("email").to_pylist() == [EMAIL, None]


def test_when_parquet_object_scanned_then_no_error_and_email_found_once_a_table_reader_exists(
    s3: str, engine: Engine
) -> None:
    src = _source(f"s3://{BUCKET}/data/tables/people.parquet")
    result = engine.scan_source(src)
    assert result.issue is None or result.issue.kind == "skipped"  # never a read error
    if reader_for(src.path) is read_text:
        # without the table readers a Parquet object is binary content: skipped, not misread
        assert result.issue is not None and "binary" in result.issue.message
    else:
        emails = [f for f in result.findings if f.entity == "EMAIL_ADDRESS"]
        assert [(f.row, f.column) for f in emails] == [(0, "email")]


def test_when_source_is_pickled_then_the_copy_opens_the_same_object(s3: str) -> None:
    src = _source(f"s3://{BUCKET}/data/logs/app.log")
    copy = pickle.loads(pickle.dumps(src))
    assert copy == src
    with copy.open() as fh:
        assert fh.read() == OBJECTS["data/logs/app.log"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"s3://{BUCKET}/missing/", "no such object or prefix"),
        ("s3://no-such-bucket-here/x", "no such object or prefix"),
        ("nosuchscheme://x/y", "cannot open nosuchscheme://"),
    ],
    ids=["missing-prefix", "missing-bucket", "unknown-scheme"],
)
def test_when_url_cannot_be_listed_then_a_file_issue_is_reported(s3: str, url: str, message: str) -> None:
    items = list(iter_sources([url]))
    assert len(items) == 1 and isinstance(items[0], FileIssue)
    assert items[0].kind == "error" and message in items[0].message


def test_when_endpoint_given_as_storage_option_then_environment_endpoint_is_not_needed(
    s3: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    opts = ScanOptions(workers=1, nlp="off", extra={"storage_options": {"endpoint_url": s3}})
    result = ScanResult()
    for fr in iter_scan([f"s3://{BUCKET}/data/logs/app.log"], opts):
        add_result(result, fr)
    assert [f.entity for f in result.findings] == ["EMAIL_ADDRESS"]


def test_when_cli_scans_a_bucket_with_two_workers_then_output_equals_in_process_scan(s3: str) -> None:
    url = f"s3://{BUCKET}/data"
    expected = scan([url])
    res = CliRunner().invoke(main, ["scan", url, "--workers", "2", "--nlp", "off"])
    assert res.exit_code == 1, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert lines == [f.to_dict() for f in expected.findings]
    assert {d["path"] for d in lines} >= {"s3://lake/data/logs/app.log", "s3://lake/data/logs/old/app-1.log.gz"}


def test_when_cli_names_a_missing_prefix_then_exit_code_is_3(s3: str) -> None:
    res = CliRunner().invoke(main, ["scan", f"s3://{BUCKET}/nothing/", "--workers", "1"])
    assert res.exit_code == 3
    assert "no such object or prefix" in res.stderr


@pytest.mark.parametrize("scheme", ["file", "memory"], ids=["file-url", "memory-url"])
def test_when_other_fsspec_url_scanned_then_planted_email_found(scheme: str, tmp_path: Path) -> None:
    body = f"a\nb {EMAIL}\n".encode()
    if scheme == "file":
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "x.log").write_bytes(body)
        url = f"file://{tmp_path}"
    else:
        import fsspec

        fs: Any = fsspec.filesystem("memory")
        fs.pipe(f"/piimap-test-{tmp_path.name}/sub/x.log", body)
        url = f"memory:///piimap-test-{tmp_path.name}"
    result = scan([url])
    assert [(f.path, f.line, f.entity) for f in result.findings] == [(f"{url}/sub/x.log", 2, "EMAIL_ADDRESS")]


def test_when_an_object_is_rewritten_then_incremental_scan_reads_only_it_by_etag(
    s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    client = boto3.client("s3")
    prefix = f"inc-{tmp_path.name}"
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/a.log", Body=f"x\nlogin {EMAIL}\n".encode())
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/b.log", Body=f"call {PHONE}\n".encode())
    state = str(tmp_path / "s3.state")
    url = f"s3://{BUCKET}/{prefix}"
    first = scan_with_state([url], state)
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/a.log", Body=b"rotated\nnew login by erin@example.com\n")
    reads: list[str] = []
    original = Engine.scan_source
    monkeypatch.setattr(
        Engine, "scan_source", lambda self, src: (reads.append(src.path), original(self, src))[1]
    )
    union = scan_with_state([url], state)
    assert reads == [f"{url}/a.log"]
    assert union != first and len(union) == 2
    assert union == [f.to_dict() for f in scan([url]).findings]


def scan_with_state(paths: list[str], state: str) -> list[dict[str, Any]]:
    out = ScanResult()
    for fr in iter_scan(paths, OPTS, state=state):
        add_result(out, fr)
    return [f.to_dict() for f in out.findings]


def test_when_a_prefix_holds_many_objects_then_its_listing_is_streamed_page_by_page(
    s3: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3
    import s3fs

    from scanner import remote

    client = boto3.client("s3")
    names = [f"big/part-{i:03d}.log" for i in range(23)] + ["big/sub/x.log", "big/sub2/y.log"]
    for key in reversed(names):
        client.put_object(Bucket=BUCKET, Key=key, Body=b"x\n")
    monkeypatch.setattr(remote, "LIST_PAGE", 5)
    pages: list[int] = []
    original = s3fs.S3FileSystem.call_s3

    def counting(self: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        if method == "list_objects_v2" and kwargs.get("MaxKeys") == 5:  # not s3fs's own info()
            pages.append(kwargs["MaxKeys"])
        return original(self, method, *args, **kwargs)

    monkeypatch.setattr(s3fs.S3FileSystem, "call_s3", counting)
    listing = iter_sources([f"s3://{BUCKET}/big/"])
    first = next(listing)
    assert isinstance(first, Source) and first.path == f"s3://{BUCKET}/big/part-000.log"
    assert len(pages) == 1  # the first object is scanned before the rest of the prefix is listed
    rest = [i.path for i in listing]
    assert [first.path, *rest] == [f"s3://{BUCKET}/{n}" for n in names]  # the local walk's order
    assert len(pages) >= 6  # 23 objects at 5 a page, then the two sub-prefixes
    assert first.version.startswith("ETag:") and first.size == 2


def test_when_a_parquet_object_is_split_into_row_group_ranges_then_merged_ranges_equal_the_whole_scan(
    s3: str,
) -> None:
    """The Spark engine's task plan and merge on an S3 object (ranged reads), without Spark."""
    import boto3

    import scanner.spark as spark_engine

    rows = [{"email": f"u{i % 90}@example.com" if i % 2 else None, "phone": PHONE if i % 5 == 0 else "-"}
            for i in range(600)]
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buf, row_group_size=100)
    boto3.client("s3").put_object(Bucket=BUCKET, Key="split/events.parquet", Body=buf.getvalue())
    opts = ScanOptions(workers=1, nlp="off", full=True, extra={"parquet_task_bytes": 1})
    src = _source(f"s3://{BUCKET}/split/events.parquet")
    tasks = spark_engine.plan_tasks([(0, src)], opts)
    assert [t.groups for t in tasks] == [(g, g + 1, 100 * g) for g in range(6)]
    engine = engine_for(opts)
    parts = [(t.part, *spark_engine._run_task(engine, t)) for t in tasks]
    merged = spark_engine.merge_parts(opts, parts)
    whole = engine.scan_source(src)
    assert [f.to_dict() for f in merged.findings] == [f.to_dict() for f in whole.findings]
    assert [c.to_dict() for c in merged.columns] == [c.to_dict() for c in whole.columns]
    assert merged.issue is None and {f.row for f in merged.findings} >= {1, 599, 0, 595}
