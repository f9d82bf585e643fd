from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.pipeline import Engine, ScanOptions
from scanner.policy import load_policy
from scanner.report import ReportContext, reporters
from scanner.tables import (
    ArrowSampler,
    RecordSampler,
    header_evidence,
    normalize_header,
    sample_indices,
    table_seed,
)
from tests.scanner.readers.tables_util import run

ROOT = Path(__file__).resolve().parents[2]
NLP_ENTITIES = {"PERSON", "ORGANIZATION", "ADDRESS", "JOB_TITLE", "DEPARTMENT"}


@pytest.mark.parametrize(
    ("header", "entity"),
    [
        ("email", "EMAIL_ADDRESS"),
        ("Customer E-Mail", "EMAIL_ADDRESS"),
        ("mail_addr", "EMAIL_ADDRESS"),
        ("メールアドレス", "EMAIL_ADDRESS"),
        ("電話番号", "PHONE_NUMBER"),
        ("携帯電話番号", "PHONE_NUMBER"),
        ("氏名", "PERSON"),
        ("user.name", "PERSON"),
        ("役職", "JOB_TITLE"),
        ("部署", "DEPARTMENT"),
        ("ip", "IP_ADDRESS"),
        ("client_ip", "IP_ADDRESS"),
        ("card_no", "CREDIT_CARD"),
        ("serial_no", "PRODUCT_SERIAL"),
        ("お問い合わせ内容", "INQUIRY_CONTENT"),
        ("inquiry", "INQUIRY_CONTENT"),
        ("Sheet1!パスワード", "PASSWORD"),
        ("ＭＡＩＬ", "EMAIL_ADDRESS"),
        ("姓", "PERSON"),
        ("セイ", "PERSON"),
        ("お客様名", "PERSON"),
        ("口座名義", "PERSON"),
        ("担当者", "PERSON"),
        ("建物名", "ADDRESS"),
        ("会社名", "ORGANIZATION"),
        ("勤務先", "ORGANIZATION"),
        ("company_name", "ORGANIZATION"),
        ("商品名", None),
        ("件名", None),
        ("ファイル名", None),
        ("zip", None),
        ("product_name", None),
        ("filename", None),
        ("amount", None),
        ("shipping", None),
    ],
    ids=lambda x: str(x),
)
def test_when_header_names_an_entity_then_evidence_finds_it(
    header: str, entity: str | None
) -> None:
    hit = header_evidence(header)
    assert (hit.entity if hit else None) == entity


def test_when_header_is_normalised_then_separators_fold() -> None:
    assert normalize_header(" E-Mail  Address ") == "e_mail_address"
    assert normalize_header("ＴＥＬ") == "tel"


def write_csv(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.mark.parametrize(
    ("header", "values", "expect_findings"),
    [
        ("役職", ["課長", "部長", "主任"], 3),
        ("job_title", ["Manager", "Engineer", "-"], 2),
        ("役職", ["1", "2", "3"], 0),
        ("役職", ["", "", ""], 0),
        ("department", ["Sales", "", "null"], 1),
        ("remarks", ["Sales", "HR", "IT"], 0),
    ],
    ids=[
        "ja-titles",
        "en-titles-placeholder",
        "numeric-only",
        "empty",
        "dept-with-null",
        "no-evidence",
    ],
)
def test_when_header_alone_decides_then_never_in_empty_or_numeric_columns(
    table_engine: Engine, tmp_path: Path, header: str, values: list[str], expect_findings: int
) -> None:
    path = write_csv(
        tmp_path,
        "t.csv",
        "id," + header + "\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)),
    )
    res = run(table_engine, [path])
    assert len(res.findings) == expect_findings
    prof = next(c for c in res.columns if c.column == header)
    assert (prof.entity is not None) == bool(expect_findings)


@pytest.mark.parametrize(
    ("doc", "column"),
    [
        ('{"name": "my-service", "version": "1.0.0", "private": true}', "name"),
        ('{"openapi": "3.0.0", "info": {"title": "Billing API", "version": "2.1.0"}}', "info.title"),
        ('{"role": "admin", "job": "nightly-backup", "team": "platform"}', "role"),
        ('{"level": 30, "name": "billing-api", "msg": "server started"}', "name"),
        ('{"name": "web", "image": "nginx:1.27"}', "name"),
        ('{"name": "worker-01", "replicas": 3}', "name"),
    ],
    ids=["package-json", "openapi-title", "role-job-team", "pino-log", "k8s-container", "digits"],
)
def test_when_a_config_key_names_an_entity_then_slugs_and_generic_values_are_not_findings(
    table_engine: Engine, tmp_path: Path, doc: str, column: str
) -> None:
    p = tmp_path / "doc.json"
    p.write_text(doc, encoding="utf-8")
    res = run(table_engine, [str(p)])
    assert res.findings == []
    prof = next(c for c in res.columns if c.column == column)
    assert prof.entity is None


@pytest.mark.parametrize(
    ("header", "values", "entity"),
    [
        ("name", ["John Smith", "María García", "O'Brien, Liam"], "PERSON"),
        ("姓", ["山田", "佐藤", "鈴木"], "PERSON"),
        ("会社名", ["株式会社つばさ食品", "テスト電機", "Acme Corp"], "ORGANIZATION"),
        ("title", ["Senior Software Engineer", "Payroll Specialist", "VP of Sales"], "JOB_TITLE"),
    ],
    ids=["en-names", "ja-surnames", "ja-companies", "generic-title-with-title-values"],
)
def test_when_values_fit_the_header_then_every_cell_is_a_finding(
    table_engine: Engine, tmp_path: Path, header: str, values: list[str], entity: str
) -> None:
    body = "".join(f'{i},"{v}"\n' for i, v in enumerate(values))
    res = run(table_engine, [write_csv(tmp_path, "t.csv", f"id,{header}\n{body}")])
    assert sorted(f.row for f in res.findings if f.entity == entity) == list(range(len(values)))


def test_when_header_agrees_with_values_then_score_rises(
    table_engine: Engine, tmp_path: Path
) -> None:
    rows = "".join(f"u{i}@example.com,u{i}@example.com\n" for i in range(5))
    path = write_csv(tmp_path, "s.csv", "email,colx\n" + rows)
    prof = {c.column: c for c in run(table_engine, [path]).columns}
    assert prof["email"].entity == prof["colx"].entity == "EMAIL_ADDRESS"
    assert any(e.startswith("header:") for e in prof["email"].evidence)
    assert prof["email"].score >= prof["colx"].score


def test_when_column_is_free_text_then_it_is_marked_and_scanned(
    table_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path, "f.csv", "id,comments\n1,please call me back at 03-5550-0101 tomorrow\n2,thanks\n"
    )
    res = run(table_engine, [path])
    prof = next(c for c in res.columns if c.column == "comments")
    assert "free_text" in prof.evidence
    assert [(f.row, f.entity) for f in res.findings] == [(0, "PHONE_NUMBER")]


def test_when_inquiry_column_has_text_then_it_is_inquiry_content(
    table_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        "i.csv",
        "id,お問い合わせ内容\n1,製品が動きません。連絡先 a@example.jp\n2,返品したいです\n",
    )
    res = run(table_engine, [path])
    assert {(f.row, f.entity) for f in res.findings} == {
        (0, "INQUIRY_CONTENT"),
        (0, "EMAIL_ADDRESS"),
        (1, "INQUIRY_CONTENT"),
    }
    prof = next(c for c in res.columns if c.column == "お問い合わせ内容")
    assert prof.entity == "INQUIRY_CONTENT"


def test_when_username_and_password_share_a_row_then_it_is_a_credential(
    table_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "c.csv", "username,password,team\njdoe,S3cret-pass!,a\nasmith,,b\n")
    res = run(table_engine, [path])
    by = {(f.row, f.entity): f for f in res.findings}
    assert by[(0, "USERNAME")].sensitive and by[(0, "PASSWORD")].sensitive
    assert not by[(1, "USERNAME")].sensitive


def test_when_same_seed_then_same_sample() -> None:
    assert table_seed(1, "a") == table_seed(1, "a") != table_seed(2, "a")
    a, b, c = (
        sample_indices(10_000, 50, 1),
        sample_indices(10_000, 50, 1),
        sample_indices(10_000, 50, 2),
    )
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert list(sample_indices(5, 50, 1)) == [0, 1, 2, 3, 4]


def test_when_samplers_see_the_same_stream_then_they_agree() -> None:
    def arrow(seed: int) -> list[int]:
        s = ArrowSampler(10, seed)
        for start in range(0, 1000, 100):
            s.add(pa.record_batch({"x": pa.array(range(start, start + 100))}))
        tbl, rows = s.result()
        assert tbl is not None and tbl.column("x").to_pylist() == rows.tolist()
        return rows.tolist()

    def records(seed: int) -> list[int]:
        s = RecordSampler(10, seed)
        for i in range(1000):
            s.add(i, {"x": i})
        return [r for r, _ in s.result()]

    assert arrow(3) == arrow(3) and arrow(3) != arrow(4) and len(arrow(3)) == 10
    assert records(3) == records(3) and records(3) != records(4) and len(records(3)) == 10


def test_when_scanning_sample_tables_then_every_planted_value_is_found(
    table_engine: Engine,
) -> None:
    expected = [
        json.loads(ln)
        for ln in (ROOT / "sample_data" / "expected.jsonl").read_text(encoding="utf-8").splitlines()
        if ln.strip() and json.loads(ln)["path"].startswith("sample_data/tables/")
    ]
    assert len(expected) > 50
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        res = run(table_engine, ["sample_data/tables"], full=True)
    finally:
        os.chdir(cwd)
    found: dict[tuple[object, ...], list[tuple[int, int]]] = {}
    for f in res.findings:
        assert f.line is None
        found.setdefault((f.path, f.row, f.column, f.entity), []).append((f.start, f.end))
    missing = [e for e in expected if (e["path"], e["row"], e["column"], e["entity"]) not in found]
    assert not missing
    for e in expected:
        if e["entity"] in NLP_ENTITIES:
            continue  # an NLP detector may cut a name differently from the header span
        spans = found[(e["path"], e["row"], e["column"], e["entity"])]
        assert any(end - start == len(e["value"]) for start, end in spans), e


def test_when_format_is_columns_then_one_json_object_per_column(
    table_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "c.csv", "email,n\na@example.com,1\n")
    res = run(table_engine, [path])
    buf = io.StringIO()
    reporters()["columns"](res, buf, ReportContext(load_policy("california")))
    rows = [json.loads(ln) for ln in buf.getvalue().splitlines()]
    assert [r["column"] for r in rows] == ["email", "n"]
    assert set(rows[0]) == {
        "path",
        "column",
        "entity",
        "categories",
        "sensitive",
        "match_ratio",
        "sampled",
        "score",
        "evidence",
    }
    assert rows[0]["entity"] == "EMAIL_ADDRESS" and rows[0]["categories"]


def test_when_cli_scans_tables_with_columns_format_then_exit_is_findings() -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "scan",
            str(ROOT / "sample_data/tables/accounts.tsv"),
            "--format",
            "columns",
            "--workers",
            "1",
            "--nlp",
            "off",
            "--seed",
            "3",
        ],
    )
    assert result.exit_code == 1, result.output
    cols = [json.loads(ln) for ln in result.output.splitlines() if ln.startswith("{")]
    assert {c["column"]: c["entity"] for c in cols}["password"] == "PASSWORD"


def _det_keys(dets: list) -> list[tuple]:
    return [
        (d.row, d.column, d.start, d.end, d.entity, d.score, d.recognizer, d.value) for d in dets
    ]


def test_when_values_repeat_across_batches_then_distinct_path_equals_per_cell_path(
    table_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.tables as tables

    rng = np.random.default_rng(5)
    pool = {
        "email": [f"user{i}@example.com" for i in range(40)] + ["not an email", ""],
        "phone": ["090-1234-5678", "03-5555-1234", "(212) 555-0199", "12345", "n/a"],
        "氏名": ["山田 太郎", "鈴木 花子", "-", "2024-10-01", "taro@example.com"],
        "notes": ["gift wrap", "call 090-1111-2222 please", "reply to a@example.co.jp", "ok"],
        "sku": [f"SKU-{i}" for i in range(300)],  # rarely repeats: leaves the memo
    }
    n = 600
    data = {k: pa.array([v[j] for j in rng.integers(0, len(v), n)], pa.string()) for k, v in pool.items()}
    table = pa.table(data)
    policy = load_policy("california")
    detector = table_engine.detector

    monkeypatch.setattr(tables, "MEMO_PROBATION", 100)
    scan = tables.TableScan("t.parquet", "full")
    batched: list = []
    for off in range(0, n, 150):  # four batches: later ones come from the memo
        rows = np.arange(off, min(n, off + 150), dtype=np.int64)
        batch = tables.batch_from_arrow(scan, table.slice(off, len(rows)), rows)
        batched.extend(batch.detect(detector, policy, None)[0])
    assert "sku" in scan.no_memo and "email" not in scan.no_memo

    per_cell: list = []
    for col in table.column_names:
        for i in range(n):
            one = tables.TableScan("t.parquet", "full")
            batch = tables.batch_from_arrow(
                one, table.select([col]).slice(i, 1), np.asarray([i], dtype=np.int64)
            )
            per_cell.extend(batch.detect(detector, policy, None)[0])
    assert sorted(_det_keys(batched)) == sorted(_det_keys(per_cell))
    # within a column batch, detections come in cell order
    first = [d.row for d in batched if d.column == "email"][:150]
    assert first == sorted(first)


def test_when_a_parquet_column_is_untyped_binary_then_utf8_and_cp932_text_is_scanned(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scanner.pipeline import Engine
    from scanner.sources import Source

    values = [
        b"mail taro@example.com",  # UTF-8
        "山田 太郎 03-1234-5678".encode("cp932"),  # Shift_JIS from a Japanese system
        b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x81",  # an image header: not text
        None,
    ]
    for typ in (pa.binary(), pa.large_binary()):
        path = tmp_path / f"raw-{typ}.parquet"
        pq.write_table(pa.table({"raw": pa.array(values, typ)}), path)
        for full in (True, False):
            fr = Engine(ScanOptions(nlp="off", workers=1, full=full)).scan_source(
                Source(str(path), str(path), path.stat().st_size)
            )
            assert fr.issue is None
            got = {(f.row, f.entity, f.start, f.end) for f in fr.findings}
            assert got == {(0, "EMAIL_ADDRESS", 5, 21), (1, "PHONE_NUMBER", 6, 18)}  # character offsets
            (col,) = fr.columns
            assert f"type:{typ} (1 values not text; not scanned)" in col.evidence


def test_when_a_column_is_named_cvv_then_its_short_numbers_are_security_codes_and_cards_sensitive(
    table_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        "payments.csv",
        "id,card_no,cvv,security_code,quantity\n1,4111111111111111,123,0456,3\n2,5500000000000004,456,789,5\n",
    )
    res = run(table_engine, [path])
    codes = sorted((f.row, f.column) for f in res.findings if f.entity == "CARD_SECURITY_CODE")
    assert codes == [(0, "cvv"), (0, "security_code"), (1, "cvv"), (1, "security_code")]
    assert all(f.sensitive for f in res.findings if f.entity == "CREDIT_CARD")  # card with its code
    prof = {c.column: c.entity for c in res.columns}
    assert prof["cvv"] == prof["security_code"] == "CARD_SECURITY_CODE"
    assert prof["quantity"] is None and prof["id"] is None  # small numbers elsewhere stay unread
