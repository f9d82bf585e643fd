"""Column classification: number columns read as digits, header-only false positives,
lower-case names, identifier columns (negative header evidence) and honest profile evidence."""

from __future__ import annotations

import csv
import decimal
import json
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.pipeline import Engine
from scanner.policy import load_policy
from scanner.records import ScanResult
from tests.scanner.readers.tables_util import run


def write_rows(path: Path, header: list[str], rows: list[list[object]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def luhn_ok(s: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def by_column(res: ScanResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in res.findings:
        out.setdefault(f.column or "", []).append(f.entity)
    return out


# -- 1. float and decimal columns holding numbers PII -----------------------------------
@pytest.mark.parametrize("full", [True, False], ids=["full", "sample"])
def test_when_number_pii_is_stored_as_float_or_decimal_then_it_is_scanned_as_digits(
    table_engine: Engine, tmp_path: Path, full: bool
) -> None:
    n = 50
    p = tmp_path / "nan.parquet"
    pq.write_table(
        pa.table(
            {
                # pandas: an int column with missing values becomes float64
                "phone": pa.array([None if i % 10 == 0 else 9012345678.0 + i for i in range(n)]),
                "card_number": pa.array([None if i % 10 == 0 else 4111111111111111.0 for i in range(n)]),
                # Hive: numbers as decimal(p, 0)
                "my_number": pa.array([decimal.Decimal("123456789018")] * n, pa.decimal128(12, 0)),
                "card_no": pa.array([decimal.Decimal("4111111111111111")] * n, pa.decimal128(16, 0)),
                "price": pa.array([1.5 + i for i in range(n)]),  # no PII
                "amount_dec": pa.array([decimal.Decimal("12.34")] * n, pa.decimal128(10, 2)),
            }
        ),
        p,
    )
    res = run(table_engine, [str(p)], full=full)
    cols = by_column(res)
    assert set(cols["phone"]) == {"PHONE_NUMBER"} and len(cols["phone"]) == 45
    assert set(cols["card_number"]) == {"CREDIT_CARD"} and len(cols["card_number"]) == 45
    assert set(cols["my_number"]) == {"JP_MY_NUMBER"} and len(cols["my_number"]) == n
    assert set(cols["card_no"]) == {"CREDIT_CARD"} and len(cols["card_no"]) == n
    assert "price" not in cols and "amount_dec" not in cols
    card = next(f for f in res.findings if f.column == "card_number")
    assert (card.start, card.end) == (0, 16)  # digits, no ".0"
    prof = {c.column: c for c in res.columns}
    assert prof["phone"].entity == "PHONE_NUMBER" and prof["card_no"].entity == "CREDIT_CARD"
    assert "type:double (whole numbers scanned as digits)" in prof["phone"].evidence
    assert "type:double (no whole number of 7+ digits; not scanned)" in prof["price"].evidence


def test_when_a_float_column_has_no_header_then_only_large_whole_values_are_scanned(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "f.parquet"
    pq.write_table(
        pa.table({"col_a": pa.array([2.5, None, 4111111111111111.0, 1e300, 4111111111111111.5])}), p
    )
    res = run(table_engine, [str(p)], full=True)
    assert [(f.row, f.entity, f.end) for f in res.findings] == [(2, "CREDIT_CARD", 16)]


# -- 5. header-only false positives -----------------------------------------------------
@pytest.mark.parametrize(
    ("header", "values", "entity"),
    [
        ("pass", ["PASS", "FAIL", "SKIP", "passed", "OK", "N/A"], "PASSWORD"),
        ("password", ["true", "false", "✓"], "PASSWORD"),
        ("pwd", ["/srv/app/releases/current", "~/src/app", "/", "C:\\app\\bin"], "PASSWORD"),
        ("user_id", ["3f2b6c1e-8a4d-4c7b-9e1f-2a3b4c5d6e7f", "0123456789abcdef0123"], "USERNAME"),
        ("account", ["acct_123456", "usr-0042", "cus_99812"], "USERNAME"),
        (
            "address",
            ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "10.0.1.7:8080", "https://example.com/a",
             "ops@example.com", "web-1.internal", "fe80::1", "00:1a:2b:3c:4d:5e"],
            "ADDRESS",
        ),
    ],
    ids=["test-results", "flags", "paths", "uuids-hex", "prefixed-ids", "machine-addresses"],
)
def test_when_a_header_only_column_holds_machine_values_then_the_header_makes_no_finding(
    table_engine: Engine, tmp_path: Path, header: str, values: list[str], entity: str
) -> None:
    path = write_rows(tmp_path / "t.csv", ["n", header], [[i, v] for i, v in enumerate(values)])
    res = run(table_engine, [path], full=True)
    assert [f for f in res.findings if f.entity == entity] == []
    prof = next(c for c in res.columns if c.column == header)
    assert prof.entity != entity


def test_when_a_jsonl_key_pwd_holds_the_working_directory_then_it_is_no_password(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "proc.jsonl"
    p.write_text(
        "".join(json.dumps({"pid": i, "pwd": "/srv/app/releases/current"}) + "\n" for i in range(5)),
        encoding="utf-8",
    )
    assert run(table_engine, [str(p)], full=True).findings == []


@pytest.mark.parametrize(
    ("header", "values", "entity"),
    [
        ("password", ["S3cret-pass!", "hunter2", "correct horse"], "PASSWORD"),
        ("username", ["jdoe", "a.smith", "taro_y"], "USERNAME"),
        ("address", ["1 Main St, Springfield", "東京都千代田区丸の内1-1-1", "10 Downing Street"], "ADDRESS"),
    ],
    ids=["passwords", "usernames", "postal-addresses"],
)
def test_when_a_header_only_column_holds_its_entity_then_every_cell_is_still_a_finding(
    table_engine: Engine, tmp_path: Path, header: str, values: list[str], entity: str
) -> None:
    path = write_rows(tmp_path / "t.csv", ["n", header], [[i, v] for i, v in enumerate(values)])
    res = run(table_engine, [path], full=True)
    assert sorted(f.row for f in res.findings if f.entity == entity) == list(range(len(values)))


# -- 10. lower-case names under specific name headers ------------------------------------
def test_when_a_specific_name_header_holds_lower_case_names_then_they_are_persons(
    table_engine: Engine, tmp_path: Path
) -> None:
    rows = [["john", "smith", "mary jones", "web"], ["akira", "tanaka", "john smith", "default"]]
    path = write_rows(tmp_path / "p.csv", ["first_name", "last_name", "customer_name", "name"], rows)
    res = run(table_engine, [path], full=True)
    got = sorted((f.column, f.row) for f in res.findings if f.entity == "PERSON")
    assert got == [(c, r) for c in ("customer_name", "first_name", "last_name") for r in (0, 1)]
    prof = {c.column: c.entity for c in res.columns}
    assert prof["first_name"] == prof["last_name"] == "PERSON"
    assert prof["name"] is None  # a generic `name` of one lower-case word: a service, not a person


def test_when_a_specific_name_header_holds_digits_then_they_are_still_rejected(
    table_engine: Engine, tmp_path: Path
) -> None:
    path = write_rows(tmp_path / "p.csv", ["first_name"], [["user123"], ["a@b"]])
    assert run(table_engine, [path], full=True).findings == []


# -- 6. identifier columns: negative header evidence ------------------------------------
def _random_digits(rng: random.Random, n: int, digits: int, lead: str = "4") -> list[str]:
    return [lead + "".join(rng.choice("0123456789") for _ in range(digits - 1)) for _ in range(n)]


def test_when_identifier_columns_hold_pii_shaped_values_then_their_findings_are_dropped(
    table_engine: Engine, tmp_path: Path
) -> None:
    rng = random.Random(6)
    n = 400
    txn = _random_digits(rng, n, 16)
    assert 0.05 < sum(map(luhn_ok, txn)) / n < 0.2  # random numbers: ~1 in 10 pass Luhn
    rows = [
        [
            f"{rng.randint(200, 999)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",  # sku
            txn[i],
            f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 50)}.{rng.randint(0, 999)}",
        ]
        for i in range(n)
    ]
    path = write_rows(tmp_path / "ids.csv", ["sku", "txn_id", "version"], rows)
    for full in (True, False):
        res = run(table_engine, [path], full=full)
        assert res.findings == []
        prof = {c.column: c for c in res.columns}
        assert all(prof[c].entity is None for c in ("sku", "txn_id", "version"))
        assert "header:sku->identifier" in prof["sku"].evidence
        assert any(e.startswith("dropped:PHONE_NUMBER") for e in prof["sku"].evidence)
        assert any(e.startswith("dropped:IP_ADDRESS") for e in prof["version"].evidence)


def test_when_a_version_column_holds_only_ip_shaped_versions_then_they_are_not_addresses(
    table_engine: Engine, tmp_path: Path
) -> None:
    # every part <= 255: each value is a valid IPv4 shape, and all of them are (100% > the 80%
    # that keeps an identifier column's findings), but a `version` column never holds addresses
    rng = random.Random(8)
    rows = [
        [f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}.{rng.randint(1, 250)}",
         f"203.0.113.{i % 250 + 1}"]
        for i in range(120)
    ]
    path = write_rows(tmp_path / "builds.csv", ["app_version", "client_ip"], rows)
    for full in (True, False):
        res = run(table_engine, [path], full=full)
        cols = by_column(res)
        assert "app_version" not in cols
        assert cols["client_ip"].count("IP_ADDRESS") == 120  # the addresses beside them stay
        prof = {c.column: c for c in res.columns}
        assert prof["app_version"].entity is None
        assert "dropped:IP_ADDRESS (a version column holds no IP_ADDRESS)" in prof["app_version"].evidence


def test_when_an_identifier_column_is_overwhelmingly_its_entity_then_findings_stay(
    table_engine: Engine, tmp_path: Path
) -> None:
    # a `contact_code` of real phone numbers, a `ref` of valid cards: the values win
    rows = [[f"090-{1000 + i:04d}-5678", "4111111111111111"] for i in range(50)]
    path = write_rows(tmp_path / "ok.csv", ["contact_code", "payment_ref"], rows)
    res = run(table_engine, [path], full=True)
    cols = by_column(res)
    assert cols["contact_code"].count("PHONE_NUMBER") == 50
    assert cols["payment_ref"].count("CREDIT_CARD") == 50


def test_when_card_shaped_values_mostly_fail_luhn_then_the_column_is_random_numbers(
    table_engine: Engine, tmp_path: Path
) -> None:
    rng = random.Random(11)
    vals = _random_digits(rng, 300, 16)
    path = write_rows(tmp_path / "r.csv", ["batch_number"], [[v] for v in vals])  # no identifier name
    res = run(table_engine, [path], full=True)
    assert [f for f in res.findings if f.entity == "CREDIT_CARD"] == []
    (prof,) = res.columns
    assert any("card-shaped values pass the card checks" in e for e in prof.evidence)


def test_when_batches_stream_then_the_verdict_is_fixed_once_enough_values_were_seen(
    table_engine: Engine,
) -> None:
    import scanner.tables as tables

    rng = random.Random(3)
    first = _random_digits(rng, 600, 16)  # decides: random numbers
    later = ["4111111111111111"] * 600  # valid cards afterwards follow the verdict
    table = pa.table({"txn_id": pa.array(first + later)})
    scan = tables.TableScan("t.parquet", "full")
    policy = load_policy("california")
    found = []
    for off in (0, 600):
        rows = np.arange(off, off + 600, dtype=np.int64)
        batch = tables.batch_from_arrow(scan, table.slice(off, 600), rows)
        found.extend(batch.detect(table_engine.detector, policy, None)[0])
    assert found == []
    assert "CREDIT_CARD" in (scan.stats["txn_id"].verdict or ())


def test_when_benchmark_like_columns_hold_pii_then_identifier_rules_keep_them(
    table_engine: Engine, tmp_path: Path
) -> None:
    rng = random.Random(1)
    rows = [
        [100000 + i, f"SKU-{rng.randint(1000, 9999)}", "4111111111111111", f"090-1234-{i:04d}", f"10.0.0.{i % 250}"]
        for i in range(60)
    ]
    path = write_rows(tmp_path / "o.csv", ["order_id", "sku", "card_number", "phone", "client_ip"], rows)
    cols = by_column(run(table_engine, [path], full=True))
    assert "order_id" not in cols and "sku" not in cols
    assert len(cols["card_number"]) == len(cols["phone"]) == len(cols["client_ip"]) == 60


# -- 11. profiles say what was not scanned and why ---------------------------------------
def test_when_columns_are_not_scanned_then_their_profiles_say_why(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "ids.parquet"
    pq.write_table(
        pa.table(
            {
                "id": pa.array(range(20), pa.int64()),
                "phone": pa.array([f"090-1234-{i:04d}" for i in range(20)]),
                "ip": pa.array([f"10.0.0.{i}" for i in range(20)]),
                "qty": pa.array([str(i) for i in range(20)]),
            }
        ),
        p,
    )
    prof = {c.column: c for c in run(table_engine, [str(p)], full=True).columns}
    assert "type:int64 (no whole number of 7+ digits; not scanned)" in prof["id"].evidence
    assert "empty" not in prof["id"].evidence
    assert "numeric_only" not in prof["phone"].evidence  # its values are phone numbers
    assert "numeric_only" not in prof["ip"].evidence
    assert "numeric_only" in prof["qty"].evidence


def test_when_excel_and_json_cells_are_dates_or_floats_then_profiles_say_not_scanned(
    table_engine: Engine, tmp_path: Path
) -> None:
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "S"
    ws.append(["email", "joined"])
    for i in range(5):
        ws.append([f"x{i}@example.com", datetime.date(2024, 1, 1 + i)])
    x = tmp_path / "w.xlsx"
    wb.save(x)
    j = tmp_path / "a.jsonl"
    j.write_text("".join(json.dumps({"amount": 1.5 + i}) + "\n" for i in range(3)), encoding="utf-8")
    prof = {c.column: c for c in run(table_engine, [str(x), str(j)], full=True).columns}
    assert "type:datetime (5 values not text; not scanned)" in prof["S!joined"].evidence
    assert "empty" not in prof["S!joined"].evidence
    assert "type:float (3 values not text; not scanned)" in prof["amount"].evidence


def test_when_column_stats_of_two_parts_merge_then_every_count_adds_up() -> None:
    from scanner.tables import ColumnStats, header_evidence

    a = ColumnStats(header=header_evidence("txn_id"), free_text_header=False, identifier="id")
    b = ColumnStats(header=None, free_text_header=False, type_name="double")
    a.nonnull, a.card_shaped, a.card_valid = 10, 8, 1
    b.nonnull, b.card_shaped, b.card_valid = 5, 4, 0
    a.matched["CREDIT_CARD"] += 1
    b.matched["CREDIT_CARD"] += 2
    b.unscanned["datetime"] += 3
    a.merge(b)
    assert (a.nonnull, a.card_shaped, a.card_valid) == (15, 12, 1)
    assert a.matched["CREDIT_CARD"] == 3 and a.unscanned == {"datetime": 3}
    assert a.type_name == "double"


# -- small tables are read whole in sample mode ---------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_when_a_table_is_small_then_sample_mode_reads_every_row(
    table_engine: Engine, tmp_path: Path, suffix: str
) -> None:
    # 5,000 rows (under 10 x --sample): one e-mail at row 4321 (a 1,000-row sample saw it with
    # probability 1/5, and a CI gate passed with it in the file)
    import pandas as pd

    notes = ["ok"] * 5000
    notes[4321] = "mail jane.secret@gmail.com"
    df = pd.DataFrame({"id": range(5000), "note": notes})
    p = tmp_path / f"data{suffix}"
    {".csv": lambda: df.to_csv(p, index=False), ".parquet": lambda: df.to_parquet(p),
     ".xlsx": lambda: df.to_excel(p, index=False)}[suffix]()
    res = run(table_engine, [p])
    assert [(f.row, f.entity) for f in res.findings] == [(4321, "EMAIL_ADDRESS")]
    note = next(c for c in res.columns if c.column.rsplit("!", 1)[-1] == "note")  # Excel: Sheet1!note
    assert any(e.startswith("sample:every row (5000 rows") for e in note.evidence)


def test_when_a_table_is_large_then_sample_mode_samples(table_engine: Engine, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "big.csv", ["email"], [[f"u{i}@example.com"] for i in range(3000)])
    res = run(table_engine, [path], sample_rows=100)  # 3,000 rows > 10 x 100: a sample of 100
    assert len(res.findings) == 100
    assert not any(e.startswith("sample:every row") for c in res.columns for e in c.evidence)


def test_when_an_i18n_file_names_its_login_fields_then_the_labels_are_no_credentials(
    table_engine: Engine, tmp_path: Path
) -> None:
    # i18n and validation-message JSON: `password` and `user` keys whose values are labels and
    # sentences, not credentials; a real credential record beside it still is one
    (tmp_path / "ja.json").write_text(json.dumps({
        "login": {"password": "パスワード", "user": "ユーザー名", "username": "Username"},
        "errors": {"password": "パスワードは8文字以上で入力してください"},
        "en": {"password": "Password", "confirm": {"password": "Confirm password"}},
    }, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "users.json").write_text(json.dumps([{"user": "tanaka", "password": "Xk9mQ2vL8pz!"}]))
    res = run(table_engine, [tmp_path], full=True)
    assert sorted((Path(f.path).name, f.column, f.entity) for f in res.findings) == [
        ("users.json", "password", "PASSWORD"), ("users.json", "user", "USERNAME"),
    ]
