"""Table benchmark: cells/s in --full mode and seconds per GB in sample mode, with peak RSS.

    python -m bench.tables [--rows 1000000] [--sample-gb-rows 24000000]

Generates seeded tables into bench/corpus/tables/ (git-ignored; reused when present):
an orders-like table of ROWS rows and 12 columns (ids, timestamps, amounts, status codes,
product names, customer e-mail/phone/IP repeated per customer, free-text notes with
occasional PII) as CSV and Parquet, plus a larger Parquet for the sample-mode figure.
Each measurement runs in a fresh subprocess so its peak RSS is its own. Prints figures;
not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CORPUS = Path(__file__).resolve().parent / "corpus" / "tables"
SEED = 20241001
NOTES = [
    "customer asked about delivery time",
    "gift wrap requested",
    "left at front door",
    "お届け日時の変更希望",
    "call before delivery",
    "no notes",
    "返品について問い合わせあり",
    "leave with neighbour if absent",
]


def make_table(rows: int, seed: int, customers: int = 50_000, dense: bool = True) -> pa.Table:
    """An orders-like table: PII repeated per customer, notes with 1% planted e-mails.

    `dense=False` replaces the e-mail/phone/IP columns by opaque customer codes, leaving
    only the 1% planted e-mails in the notes: the cost of scanning cells without findings.
    """
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, customers, rows)
    cust_s = pa.array(cust).cast(pa.string())
    email = pc.binary_join_element_wise("cust", cust_s, "@example.com", "")
    phone = pc.binary_join_element_wise(
        "+1 202 555 ", pc.utf8_lpad(pa.array(cust % 10_000).cast(pa.string()), 4, "0"), ""
    )
    ip = pc.binary_join_element_wise(
        "198.51.",
        pa.array((cust // 256) % 256).cast(pa.string()),
        ".",
        pa.array(cust % 256).cast(pa.string()),
        "",
    )
    note_idx = rng.integers(0, len(NOTES), rows)
    notes = pa.array(np.asarray(NOTES, dtype=object)[note_idx], pa.string())
    planted = rng.random(rows) < 0.01
    notes = pc.if_else(
        pa.array(planted), pc.binary_join_element_wise(notes, " / reply to ", email, ""), notes
    )
    product = pc.binary_join_element_wise(
        "Widget model ", pa.array(rng.integers(0, 1000, rows)).cast(pa.string()), ""
    )
    sku = pc.binary_join_element_wise(
        "SKU-", pa.array(rng.integers(0, 10_000, rows)).cast(pa.string()), ""
    )
    status = pa.array(
        np.asarray(["new", "paid", "shipped", "returned", "cancelled"], dtype=object)[
            rng.integers(0, 5, rows)
        ]
    )
    country = pa.array(
        np.asarray(["JP", "US", "DE", "FR", "GB", "CA", "AU", "BR"], dtype=object)[
            rng.integers(0, 8, rows)
        ]
    )
    start = np.datetime64("2024-01-01T00:00:00")
    created = start + rng.integers(0, 365 * 86400, rows).astype("timedelta64[s]")
    if not dense:
        code = pc.binary_join_element_wise("C", pc.utf8_lpad(cust_s, 6, "0"), "")
        email, phone, ip = (
            code,
            pc.binary_join_element_wise(code, "-P", ""),
            pc.binary_join_element_wise(code, "-N", ""),
        )
    return pa.table(
        {
            "order_id": pa.array(np.arange(rows, dtype=np.int64)),
            "created_at": pa.array(created),
            "amount": pa.array(rng.random(rows) * 500),
            "status": status,
            "country": country,
            "product": product,
            "sku": sku,
            "quantity": pa.array(rng.integers(1, 10, rows)),
            "email": email,
            "phone": phone,
            "client_ip": ip,
            "notes": notes,
        }
    )


def ensure_corpus(rows: int, big_rows: int) -> dict[str, Path]:
    """Write (or reuse) the benchmark tables; return their paths."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    paths = {
        "csv": CORPUS / f"orders_{rows}.csv",
        "parquet": CORPUS / f"orders_{rows}.parquet",
        "sparse_csv": CORPUS / f"orders_sparse_{rows}.csv",
        "sparse_parquet": CORPUS / f"orders_sparse_{rows}.parquet",
        "big_parquet": CORPUS / f"orders_{big_rows}.parquet",
    }
    for prefix, dense in (("", True), ("sparse_", False)):
        if not paths[prefix + "csv"].exists() or not paths[prefix + "parquet"].exists():
            t = make_table(rows, SEED, dense=dense)
            pq.write_table(t, paths[prefix + "parquet"], row_group_size=128 * 1024)
            pacsv.write_csv(t, paths[prefix + "csv"])
    if not paths["big_parquet"].exists():
        with pq.ParquetWriter(paths["big_parquet"], make_table(10, SEED).schema) as w:
            done, part = 0, 0
            while done < big_rows:
                n = min(1_000_000, big_rows - done)
                w.write_table(make_table(n, SEED + part), row_group_size=128 * 1024)
                done, part = done + n, part + 1
    return paths


def measure(path: str, full: bool, sample: int) -> dict[str, float]:
    """Scan one table in this process; return timings, counts and peak RSS."""
    from scanner.pipeline import Engine, ScanOptions
    from scanner.sources import Source

    opts = ScanOptions(workers=1, nlp="off", full=full, sample_rows=sample)
    t0 = time.perf_counter()
    eng = Engine(opts)
    t1 = time.perf_counter()
    size = os.path.getsize(path)
    c1 = time.process_time()
    fr = eng.scan_source(Source(path, path, size))
    t2 = time.perf_counter()
    cpu = time.process_time() - c1
    if fr.issue:
        raise SystemExit(f"{path}: {fr.issue}")
    return {
        "setup_s": t1 - t0,
        "scan_s": t2 - t1,
        "cpu_s": cpu,
        "cells": fr.cells,
        "findings": len(fr.findings),
        "columns": len(fr.columns),
        "bytes": size,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(path: Path, full: bool, sample: int) -> dict[str, float]:
    """Run `measure` in a fresh interpreter (own peak RSS)."""
    cmd = [sys.executable, "-m", "bench.tables", "--measure", str(path), "--sample", str(sample)]
    if full:
        cmd.append("--full")
    out = subprocess.run(
        cmd, check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1]
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate the corpus and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument(
        "--sample-gb-rows",
        type=int,
        default=24_000_000,
        help="rows of the large Parquet (sample mode, about 1 GB)",
    )
    ap.add_argument("--sample", type=int, default=1000)
    ap.add_argument(
        "--only", help="comma-separated subset: csv,parquet,sparse_csv,sparse_parquet,big_parquet"
    )
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.full, args.sample)))
        return
    t = time.perf_counter()
    paths = ensure_corpus(args.rows, args.sample_gb_rows)
    print(f"corpus ready in {time.perf_counter() - t:.1f} s: {CORPUS}")
    print(
        f"{'table':<28} {'mode':<7} {'MB':>8} {'cells':>11} {'findings':>9} {'scan s':>8} "
        f"{'cpu s':>7} {'cells/s':>11} {'s/GB':>7} {'peak RSS MB':>11}"
    )
    runs = [
        ("big_parquet", False),
        ("parquet", False),
        ("csv", False),
        ("parquet", True),
        ("sparse_parquet", True),
        ("csv", True),
        ("sparse_csv", True),
    ]
    if args.only:
        runs = [r for r in runs if r[0] in args.only.split(",")]
    for key, full in runs:
        r = run_child(paths[key], full, args.sample)
        gb = r["bytes"] / 1024**3
        print(
            f"{paths[key].name:<28} {'full' if full else 'sample':<7} {r['bytes'] / 1024**2:>8.1f} "
            f"{int(r['cells']):>11,} {int(r['findings']):>9,} {r['scan_s']:>8.2f} {r['cpu_s']:>7.2f} "
            f"{r['cells'] / r['scan_s']:>11,.0f} {r['scan_s'] / gb:>7.2f} {r['peak_rss_mb']:>11.0f}"
        )
    print("(scan s = wall time excluding building the detector; cpu s = CPU time of the scan;")
    print(" cells/s and s/GB use wall time; cells = rows x leaf columns visited)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
