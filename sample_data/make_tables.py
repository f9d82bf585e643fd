"""Generate the synthetic tables under sample_data/tables/ and their expected findings.

Deterministic (fixed values, no randomness, fixed timestamps). Run from the repository root:
    python sample_data/make_tables.py
It rewrites sample_data/tables/ and replaces the table lines of sample_data/expected.jsonl
(lines whose path starts with sample_data/tables/), keeping every other line.
All values are synthetic: example.com/.jp domains, 555-01xx numbers, test card numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "tables"
PREFIX = "sample_data/tables"
EXPECTED: list[dict[str, Any]] = []


def my_number(first11: str) -> str:
    """A 12-digit My Number with a valid check digit (synthetic)."""
    digits = [int(c) for c in first11]
    total = 0
    for n in range(1, 12):
        p = digits[11 - n]
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return first11 + str(0 if r <= 1 else 11 - r)


def plant(path: str, row: int, column: str, entity: str, value: str) -> None:
    """Record one planted value."""
    EXPECTED.append(
        {
            "path": f"{PREFIX}/{path}",
            "line": None,
            "row": row,
            "column": column,
            "entity": entity,
            "value": value,
        }
    )


def write_csv_cp932() -> None:
    """CP932 CSV with Japanese headers, one quoted multi-line cell."""
    header = [
        "氏名",
        "電話番号",
        "メールアドレス",
        "役職",
        "部署",
        "お問い合わせ内容",
        "マイナンバー",
        "年齢",
    ]
    rows = [
        [
            "山田 太郎",
            "03-5550-0101",
            "taro.yamada@example.jp",
            "課長",
            "営業部",
            "先日購入した製品について質問があります。",
            my_number("12345678901"),
            "41",
        ],
        [
            "佐藤 花子",
            "090-5550-0102",
            "hanako.sato@example.jp",
            "主任",
            "経理部",
            "請求書の再発行をお願いします。\n連絡先は hanako.alt@example.com です。",
            my_number("23456789012"),
            "35",
        ],
        [
            "鈴木 一郎",
            "080-5550-0103",
            "ichiro.suzuki@example.com",
            "部長",
            "人事部",
            "退会手続きの方法を教えてください。",
            my_number("34567890123"),
            "52",
        ],
    ]
    name = "customers_cp932.csv"
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    (OUT / name).write_bytes(buf.getvalue().encode("cp932"))
    ents = [
        "PERSON",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "JOB_TITLE",
        "DEPARTMENT",
        "INQUIRY_CONTENT",
        "JP_MY_NUMBER",
    ]
    for r, row in enumerate(rows):
        for col, ent, val in zip(header, ents, row, strict=False):
            plant(name, r, col, ent, val)
    plant(name, 1, "お問い合わせ内容", "EMAIL_ADDRESS", "hanako.alt@example.com")


def write_tsv() -> None:
    """TSV of accounts: username + password in one row (a credential), cards, IPs."""
    header = ["username", "password", "email", "card_no", "last_login_ip", "logins"]
    rows = [
        [
            "jdoe_test",
            "Tr0ub4dor&3-example",
            "jdoe@example.com",
            "4111 1111 1111 1111",
            "192.0.2.10",
            "12",
        ],
        [
            "asmith_demo",
            "correct-horse-battery-9",
            "asmith@example.com",
            "5555555555554444",
            "198.51.100.23",
            "7",
        ],
        ["", "", "nobody@example.org", "", "", "0"],
    ]
    name = "accounts.tsv"
    (OUT / name).write_text(
        "\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8"
    )
    for r, row in enumerate(rows):
        for col, ent, val in zip(
            header,
            ["USERNAME", "PASSWORD", "EMAIL_ADDRESS", "CREDIT_CARD", "IP_ADDRESS"],
            row,
            strict=False,
        ):
            if val:
                plant(name, r, col, ent, val)


def write_csv_gz() -> None:
    """A gzipped CSV (UTF-8) with a ragged row."""
    name = "contacts.csv.gz"
    text = (
        "name,phone,comments\n"
        "Jane Roe,(202) 555-0143,prefers e-mail: jane.roe@example.com\n"
        "John Smith,+1 202 555 0178,no comment,EXTRA-CELL\n"
        "Ann Lee,202-555-0199,\n"
    )
    with gzip.GzipFile(OUT / name, "wb", mtime=0) as fh:
        fh.write(text.encode("utf-8"))
    plant(name, 0, "name", "PERSON", "Jane Roe")
    plant(name, 0, "phone", "PHONE_NUMBER", "(202) 555-0143")
    plant(name, 0, "comments", "EMAIL_ADDRESS", "jane.roe@example.com")
    plant(name, 1, "name", "PERSON", "John Smith")
    plant(name, 1, "phone", "PHONE_NUMBER", "+1 202 555 0178")
    plant(name, 2, "name", "PERSON", "Ann Lee")
    plant(name, 2, "phone", "PHONE_NUMBER", "202-555-0199")


def write_parquet_partitioned() -> None:
    """Hive-partitioned events: events/dt=YYYY-MM-DD/part-0.parquet."""
    days = {
        "2024-10-01": [
            (1001, "ev.one@example.com", "203.0.113.7", "login", "SN-2024-000101"),
            (1002, None, "203.0.113.8", "view", None),
            (1003, "ev.three@example.com", None, "logout", "SN-2024-000103"),
        ],
        "2024-10-02": [(1004, "ev.four@example.com", "198.51.100.77", "login", "SN-2024-000104")],
    }
    for day, rows in days.items():
        folder = OUT / "events" / f"dt={day}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "user_id": pa.array([r[0] for r in rows], pa.int64()),
                "email": pa.array([r[1] for r in rows], pa.string()),
                "client_ip": pa.array([r[2] for r in rows], pa.string()),
                "action": pa.array([r[3] for r in rows], pa.string()).dictionary_encode(),
                "serial_no": pa.array([r[4] for r in rows], pa.string()),
                "amount": pa.array([9.5 * (i + 1) for i in range(len(rows))], pa.float64()),
            }
        )
        pq.write_table(table, folder / "part-0.parquet", row_group_size=2)
        rel = f"events/dt={day}/part-0.parquet"
        for r, row in enumerate(rows):
            for col, ent, val in (
                ("email", "EMAIL_ADDRESS", row[1]),
                ("client_ip", "IP_ADDRESS", row[2]),
                ("serial_no", "PRODUCT_SERIAL", row[4]),
            ):
                if val:
                    plant(rel, r, col, ent, val)


def write_parquet_nested() -> None:
    """Nested struct/list/map columns: user.contact.email, tags, attrs.<key>."""
    rows = [
        {
            "id": 1,
            "user": {
                "name": "Test User One",
                "contact": {"email": "nested.one@example.com", "phone": "+1 202 555 0111"},
            },
            "tags": ["vip", "tag.one@example.org"],
            "attrs": [("card", "3530 1113 3330 0000"), ("note", "ok")],
        },
        {
            "id": 2,
            "user": {
                "name": "Test User Two",
                "contact": {"email": None, "phone": "(202) 555-0122"},
            },
            "tags": [],
            "attrs": [("note", "call 202-555-0133")],
        },
        {"id": 3, "user": None, "tags": None, "attrs": None},
    ]
    schema = pa.schema(
        [
            ("id", pa.int32()),
            (
                "user",
                pa.struct(
                    [
                        ("name", pa.string()),
                        ("contact", pa.struct([("email", pa.string()), ("phone", pa.string())])),
                    ]
                ),
            ),
            ("tags", pa.list_(pa.string())),
            ("attrs", pa.map_(pa.string(), pa.string())),
        ]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), OUT / "users_nested.parquet")
    name = "users_nested.parquet"
    plant(name, 0, "user.name", "PERSON", "Test User One")
    plant(name, 0, "user.contact.email", "EMAIL_ADDRESS", "nested.one@example.com")
    plant(name, 0, "user.contact.phone", "PHONE_NUMBER", "+1 202 555 0111")
    plant(name, 0, "tags", "EMAIL_ADDRESS", "tag.one@example.org")
    plant(name, 0, "attrs.card", "CREDIT_CARD", "3530 1113 3330 0000")
    plant(name, 1, "user.name", "PERSON", "Test User Two")
    plant(name, 1, "user.contact.phone", "PHONE_NUMBER", "(202) 555-0122")
    plant(name, 1, "attrs.note", "PHONE_NUMBER", "202-555-0133")


def write_json() -> None:
    """A JSON array of nested records and a JSON Lines file with one broken line."""
    orders = [
        {
            "order_id": "A-1",
            "customer": {"name": "Order Person", "contact": {"email": "order.one@example.com"}},
            "payment": {"card_no": "4242 4242 4242 4242", "amount": 12.5},
            "items": [{"sku": "X1"}],
        },
        {
            "order_id": "A-2",
            "customer": {"name": "Second Buyer", "contact": {"email": "order.two@example.jp"}},
            "payment": {"card_no": None, "amount": 3},
            "items": [],
        },
    ]
    (OUT / "orders.json").write_text(
        json.dumps(orders, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    plant("orders.json", 0, "customer.name", "PERSON", "Order Person")
    plant("orders.json", 0, "customer.contact.email", "EMAIL_ADDRESS", "order.one@example.com")
    plant("orders.json", 0, "payment.card_no", "CREDIT_CARD", "4242 4242 4242 4242")
    plant("orders.json", 1, "customer.name", "PERSON", "Second Buyer")
    plant("orders.json", 1, "customer.contact.email", "EMAIL_ADDRESS", "order.two@example.jp")
    lines = [
        json.dumps(
            {
                "ts": "2024-10-01T10:00:00Z",
                "user": {"login": "kato_test", "ip": "192.0.2.55"},
                "message": "password reset requested from 192.0.2.55",
            }
        ),
        '{"ts": "2024-10-01T10:05:00Z", "user": {"login": "broken_line", "email": "broken@example.com"',
        json.dumps(
            {
                "ts": "2024-10-01T10:10:00Z",
                "user": {"login": "mori_demo", "ip": "2001:db8::5"},
                "profile": {"マイナンバー": my_number("45678901234")},
            },
            ensure_ascii=False,
        ),
    ]
    (OUT / "logins.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plant("logins.jsonl", 0, "user.login", "USERNAME", "kato_test")
    plant("logins.jsonl", 0, "user.ip", "IP_ADDRESS", "192.0.2.55")
    plant("logins.jsonl", 0, "message", "IP_ADDRESS", "192.0.2.55")
    plant("logins.jsonl", 1, "_unparsed", "EMAIL_ADDRESS", "broken@example.com")
    plant("logins.jsonl", 2, "user.login", "USERNAME", "mori_demo")
    plant("logins.jsonl", 2, "user.ip", "IP_ADDRESS", "2001:db8::5")
    plant("logins.jsonl", 2, "profile.マイナンバー", "JP_MY_NUMBER", my_number("45678901234"))


def _fix_zip_times(path: Path) -> None:
    """Rewrite a zip with fixed entry timestamps, so the workbook bytes are reproducible."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    # openpyxl stamps the save time into docProps/core.xml: pin it
    entries = [
        (n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-10-01T00:00:00Z", d))
        if n == "docProps/core.xml" else (n, d)
        for n, d in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            zout.writestr(zipfile.ZipInfo(name, date_time=(2024, 10, 1, 0, 0, 0)), data,
                          compress_type=zipfile.ZIP_DEFLATED)


def write_xlsx() -> None:
    """A workbook with two sheets: staff (Japanese headers) and devices."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "社員"
    staff = [
        ["氏名", "メール", "役職", "部署", "内線"],
        ["高橋 次郎", "jiro.takahashi@example.jp", "係長", "開発部", 1234],
        ["田中 三郎", "saburo.tanaka@example.jp", "社員", "総務部", 5678],
    ]
    for r in staff:
        ws.append(r)
    ws2 = wb.create_sheet("Devices")
    devices = [
        ["serial_no", "owner_email", "ip"],
        ["DS5-88213-XJ", "owner.one@example.com", "10.0.5.17"],
        ["DS5-88214-XK", "owner.two@example.com", "10.0.5.18"],
    ]
    for r in devices:
        ws2.append(r)
    fixed = dt.datetime(2024, 10, 1, 0, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(OUT / "staff.xlsx")
    _fix_zip_times(OUT / "staff.xlsx")
    for r, row in enumerate(staff[1:]):
        for col, ent, val in zip(
            staff[0], ["PERSON", "EMAIL_ADDRESS", "JOB_TITLE", "DEPARTMENT"], row, strict=False
        ):
            plant("staff.xlsx", r, f"社員!{col}", ent, str(val))
    for r, row in enumerate(devices[1:]):
        for col, ent, val in zip(
            devices[0], ["PRODUCT_SERIAL", "EMAIL_ADDRESS", "IP_ADDRESS"], row, strict=False
        ):
            plant("staff.xlsx", r, f"Devices!{col}", ent, val)


def main() -> None:
    """Regenerate every table and the table lines of expected.jsonl."""
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    write_csv_cp932()
    write_tsv()
    write_csv_gz()
    write_parquet_partitioned()
    write_parquet_nested()
    write_json()
    write_xlsx()
    (OUT / "empty.csv").write_text("", encoding="utf-8")
    (OUT / "header_only.csv").write_text("email,phone\n", encoding="utf-8")
    expected = ROOT / "expected.jsonl"
    keep = []
    if expected.exists():
        keep = [
            ln
            for ln in expected.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not json.loads(ln)["path"].startswith(PREFIX + "/")
        ]
    lines = keep + [json.dumps(e, ensure_ascii=False) for e in EXPECTED]
    expected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} and {len(EXPECTED)} table lines of {expected}")


if __name__ == "__main__":
    main()
