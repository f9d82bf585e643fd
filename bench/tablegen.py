"""Seeded customer-orders tables with gold labels, English and Japanese (bench/tables.py).

    python -m bench.tablegen --rows 1000000 --out bench/corpus/tables

One row per order: ids, timestamps, amounts, status, SKU (no PII) and the customer's
romanised name, e-mail, phone (JP and US shapes), client IP, card number (Luhn-valid, with
or without separators), My Number (valid check digit), kanji name (氏名) and Japanese
address (住所), plus English `notes` and Japanese `備考` free text where 6% of the cells
carry a planted e-mail, phone number, card or My Number (with its context word). About a
quarter of all cells hold personal data. Customer values repeat over the customer's orders
(200,000 customers per million rows), IPs come from a pool of 300,000.

Gold labels (`<name>.gold.parquet`): one row per personal value: `row` (0-based data row),
`column`, `start`, `end` (character offsets in the cell), `entity`. Whole-cell values of
header-driven entities (PERSON, ADDRESS) span the trimmed cell.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.generate import card, luhn_complete, my_number  # noqa: F401 - luhn re-exported

FIRST_EN = "James Mary Robert Linda Michael Sarah David Emma John Olivia William Sophia".split()
LAST_EN = "Smith Johnson Brown Garcia Miller Wilson Davis Taylor Anderson Thomas Moore Clark".split()
FIRST_ROMA = "Taro Hanako Yuki Kenji Aiko Haruto Yui Sota Mei Ren Riko Daiki".split()
LAST_ROMA = "Yamada Suzuki Tanaka Sato Ito Kobayashi Watanabe Nakamura Kato Yoshida".split()
SEI = "山田 鈴木 田中 佐藤 伊藤 小林 渡辺 中村 加藤 吉田 山本 松本".split()
MEI = "太郎 花子 由紀 健二 愛子 陽翔 結衣 颯太 芽衣 蓮 莉子 大輝".split()
PREFS = [
    ("東京都", ["千代田区丸の内", "新宿区西新宿", "渋谷区神南", "港区六本木"]),
    ("大阪府", ["大阪市北区梅田", "大阪市中央区難波"]),
    ("神奈川県", ["横浜市西区みなとみらい", "川崎市中原区小杉町"]),
    ("愛知県", ["名古屋市中村区名駅"]),
    ("福岡県", ["福岡市博多区博多駅前"]),
]
MAIL_DOMAINS = ["example.com", "example.co.jp", "mail.example.org", "example.ne.jp"]
STATUS = ["new", "paid", "shipped", "returned", "cancelled"]
COUNTRY = ["JP", "US", "DE", "FR", "GB", "CA"]
NOTES_EN = [
    "customer asked about delivery time",
    "gift wrap requested",
    "left at front door",
    "call before delivery",
    "leave with neighbour if absent",
    "fragile, handle with care",
]
NOTES_JA = [
    "お届け日時の変更希望",
    "返品について問い合わせあり",
    "置き配希望",
    "ギフト包装あり",
    "不在時は宅配ボックスへ",
]
#: columns and, for each, the entity every non-null cell holds (None: no PII, or planted)
COLUMNS = {
    "order_id": None,
    "created_at": None,
    "amount": None,
    "quantity": None,
    "status": None,
    "country": None,
    "sku": None,
    "customer_name": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "client_ip": "IP_ADDRESS",
    "card_number": "CREDIT_CARD",
    "my_number": "JP_MY_NUMBER",
    "氏名": "PERSON",
    "住所": "ADDRESS",
    "notes": None,
    "備考": None,
}
PLANT_RATE = 0.06


def _phone(r: random.Random, jp: bool) -> str:
    if jp:
        k = r.random()
        if k < 0.6:
            return f"0{r.choice('789')}0-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"
        if k < 0.8:
            return f"03-{r.randint(3000, 6999)}-{r.randint(1000, 9999)}"
        return f"+81 {r.choice('789')}0-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"
    area = r.choice(["212", "415", "646", "312", "617", "206"])
    if r.random() < 0.5:
        return f"({area}) {r.randint(201, 989)}-{r.randint(1000, 9999)}"
    return f"+1 {area}-{r.randint(201, 989)}-{r.randint(1000, 9999)}"


def _ip(r: random.Random) -> str:
    if r.random() < 0.9:
        first = r.choice([23, 45, 81, 93, 101, 133, 151, 176, 185, 203, 211])
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
    return "2001:db8:" + ":".join(f"{r.randint(1, 0xFFFF):x}" for _ in range(3)) + "::1"


def customers(n: int, seed: int) -> dict[str, list[str | None]]:
    """Per-customer values (None = the customer has none)."""
    r = random.Random(seed)
    out: dict[str, list[str | None]] = {
        k: [] for k in ("customer_name", "email", "phone", "card_number", "my_number", "氏名", "住所")
    }
    for i in range(n):
        jp = r.random() < 0.5
        if jp:
            sei, mei = r.randrange(len(SEI)), r.randrange(len(MEI))
            roma = f"{FIRST_ROMA[mei % len(FIRST_ROMA)]} {LAST_ROMA[sei % len(LAST_ROMA)]}"
            pref, towns = r.choice(PREFS)
            out["氏名"].append(f"{SEI[sei]} {MEI[mei]}")
            out["住所"].append(
                f"〒{r.randint(100, 999)}-{r.randint(0, 9999):04d} {pref}{r.choice(towns)}"
                f"{r.randint(1, 9)}-{r.randint(1, 20)}-{r.randint(1, 30)}"
            )
            out["my_number"].append(my_number(r) if r.random() < 0.3 else None)
        else:
            roma = f"{r.choice(FIRST_EN)} {r.choice(LAST_EN)}"
            out["氏名"].append(None)
            out["住所"].append(None)
            out["my_number"].append(None)
        out["customer_name"].append(roma)
        user = roma.lower().replace(" ", r.choice([".", "_", ""]))
        out["email"].append(f"{user}{i}@{r.choice(MAIL_DOMAINS)}")
        out["phone"].append(_phone(r, jp) if r.random() < 0.8 else None)
        out["card_number"].append(card(r) if r.random() < 0.3 else None)
    return out


def _planted(r: random.Random, ja: bool) -> tuple[str, int, int, str]:
    """A free-text cell with one planted value: (text, start, end, entity)."""
    k = r.random()
    if ja:
        base = r.choice(NOTES_JA)
        if k < 0.4:
            v, ent, pre = _phone(r, True), "PHONE_NUMBER", "。連絡先："
        elif k < 0.7:
            v, ent, pre = f"user{r.randint(1, 99999)}@example.co.jp", "EMAIL_ADDRESS", "。メール："
        else:
            v, ent, pre = my_number(r), "JP_MY_NUMBER", "。マイナンバー："
    else:
        base = r.choice(NOTES_EN)
        if k < 0.4:
            v, ent, pre = f"reply{r.randint(1, 99999)}@example.com", "EMAIL_ADDRESS", "; reply to "
        elif k < 0.7:
            v, ent, pre = _phone(r, False), "PHONE_NUMBER", "; call "
        else:
            v, ent, pre = card(r), "CREDIT_CARD", "; paid with card "
    start = len(base) + len(pre)
    return base + pre + v, start, start + len(v), ent


def make_table(rows: int, seed: int) -> tuple[pa.Table, pa.Table]:
    """The orders table and its gold labels."""
    rng = np.random.default_rng(seed)
    n_cust = max(1, rows // 5)
    cust = customers(n_cust, seed)
    cid = rng.integers(0, n_cust, rows)
    take = pa.array(cid)
    r = random.Random(seed + 1)
    ip_pool = pa.array([_ip(r) for _ in range(max(1, int(rows * 0.3)))], pa.string())
    ip = ip_pool.take(pa.array(rng.integers(0, len(ip_pool), rows)))
    ip = pc.if_else(pa.array(rng.random(rows) < 0.6), ip, pa.nulls(rows, pa.string()))
    start = np.datetime64("2024-01-01T00:00:00")
    cols: dict[str, pa.Array] = {
        "order_id": pa.array(np.arange(1, rows + 1, dtype=np.int64)),
        "created_at": pa.array(start + rng.integers(0, 365 * 86400, rows).astype("timedelta64[s]")),
        "amount": pa.array(np.round(rng.random(rows) * 500, 2)),
        "quantity": pa.array(rng.integers(1, 10, rows)),
        "status": pa.array(np.asarray(STATUS, dtype=object)[rng.integers(0, len(STATUS), rows)]),
        "country": pa.array(np.asarray(COUNTRY, dtype=object)[rng.integers(0, len(COUNTRY), rows)]),
        "sku": pc.binary_join_element_wise(
            "SKU-", pa.array(rng.integers(0, 100_000, rows)).cast(pa.string()), ""
        ),
    }
    for k in ("customer_name", "email", "phone", "client_ip", "card_number", "my_number", "氏名", "住所"):
        cols[k] = ip if k == "client_ip" else pa.array(cust[k], pa.string()).take(take)
    gold_parts = []
    for name, ent in COLUMNS.items():
        if ent is None:
            continue
        arr = cols[name]
        valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        where = np.flatnonzero(valid)
        lens = pc.utf8_length(arr.filter(pa.array(valid))).to_numpy(zero_copy_only=False)
        gold_parts.append((where, name, np.zeros(len(where), np.int64), lens.astype(np.int64), ent))
    for name, ja, pool in (("notes", False, NOTES_EN), ("備考", True, NOTES_JA)):
        base = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), rows)]
        plant = np.flatnonzero(rng.random(rows) < PLANT_RATE)
        rp = random.Random(seed + (3 if ja else 2))
        starts, ends, ents = [], [], []
        for i in plant:
            text, s, e, ent = _planted(rp, ja)
            base[i] = text
            starts.append(s)
            ends.append(e)
            ents.append(ent)
        cols[name] = pa.array(base, pa.string())
        for ent in sorted(set(ents)):
            sel = np.asarray([x == ent for x in ents], dtype=bool)
            gold_parts.append(
                (plant[sel], name, np.asarray(starts)[sel], np.asarray(ends)[sel], ent)
            )
    gold = pa.concat_tables(
        [
            pa.table(
                {
                    "row": pa.array(w, pa.int64()),
                    "column": pa.array([c] * len(w), pa.string()),
                    "start": pa.array(s, pa.int64()),
                    "end": pa.array(e, pa.int64()),
                    "entity": pa.array([ent] * len(w), pa.string()),
                }
            )
            for w, c, s, e, ent in gold_parts
        ]
    )
    return pa.table(cols), gold


def ensure(out: Path, rows: int, seed: int = 20241001) -> dict[str, Path]:
    """Write (or reuse) `orders_<rows>.{csv,parquet,gold.parquet}` under `out`."""
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"orders_{rows}_s{seed}"
    paths = {
        "csv": stem.with_suffix(".csv"),
        "parquet": stem.with_suffix(".parquet"),
        "gold": Path(f"{stem}.gold.parquet"),
    }
    if not all(p.exists() for p in paths.values()):
        table, gold = make_table(rows, seed)
        pq.write_table(table, paths["parquet"], row_group_size=128 * 1024)
        pacsv.write_csv(table, paths["csv"])
        pq.write_table(gold, paths["gold"])
    return paths


def ensure_big(out: Path, target_bytes: int, seed: int = 20241001) -> Path:
    """A Parquet file of about `target_bytes` (1 M-row parts of the same schema)."""
    path = out / f"orders_big_{target_bytes >> 20}MB_s{seed}.parquet"
    if path.exists():
        return path
    out.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    part, _ = make_table(1_000_000, seed)
    with pq.ParquetWriter(tmp, part.schema) as w:
        k = 0
        while True:
            # shift ids and re-shuffle rows so parts are not byte-identical
            perm = np.random.default_rng(seed + k).permutation(part.num_rows)
            t = part.take(pa.array(perm))
            t = t.set_column(0, "order_id", pc.add(t.column(0), k * part.num_rows))
            w.write_table(t, row_group_size=128 * 1024)
            k += 1
            if tmp.stat().st_size >= target_bytes or k >= 200:
                break
    tmp.rename(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20241001)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus" / "tables")
    a = ap.parse_args()
    print(ensure(a.out, a.rows, a.seed))


if __name__ == "__main__":
    main()
