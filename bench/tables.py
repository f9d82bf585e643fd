"""Table benchmark: piimap vs vanilla Presidio on million-row CSV and Parquet tables.

    python -m bench.tables                  # 1,000,000 rows, 1 GB Parquet, Presidio slice
    python -m bench.tables --rows 200000 --big-mb 256 --presidio-rows 100   # quick run

Tables (`bench/tablegen.py`, seeded, git-ignored under bench/corpus/tables/, reused when
present): customer orders with English and Japanese columns and gold labels (about a quarter
of the cells hold personal data), as CSV and Parquet, plus a ~1 GB Parquet of the same
schema for the sample-mode figure.

Every engine runs in its own process (`bench.run.measure`: wall time, CPU seconds of the
process and its children, peak PSS of the process tree):

- piimap, the real CLI end to end (`--nlp off --workers 1`): `--full --format jsonl` on
  the CSV and the Parquet (every cell, findings written to a file), and sample mode
  (`--format columns`, 1000 rows) on the 1 GB Parquet, the 1 M-row Parquet and CSV.
  Start-up (imports, recognizers) is measured on a one-row table and subtracted.
- vanilla Presidio: `AnalyzerEngine`, default recognizers, the same small spaCy model
  (`bench.presidio_engine.build("spacy")`), `analyze(str(cell), language="en")` cell by
  cell over the first `--presidio-rows` rows (every non-null cell); cells/s measured on
  that slice and extrapolated to the table.

Accuracy: P/R/F1 per entity against the gold labels; a prediction is a true positive when
it overlaps the gold span of the same entity in the same cell (each gold span counts once).
piimap on the whole table and on Presidio's slice; Presidio on its slice (names mapped as in
`bench/evaluate.py`). The section is printed and written into bench/results.md (replacing
an earlier tables section) and bench/out/tables.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
import pyarrow.parquet as pq

from bench import tablegen
from bench.evaluate import PRESIDIO_TO_PIIMAP, Score

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpus" / "tables"
OUT = HERE / "out" / "tables"
MARK_START = "<!-- bench.tables:start -->"
MARK_END = "<!-- bench.tables:end -->"
MB = 1024 * 1024


# -- running -------------------------------------------------------------------------------
def piimap_cmd(path: Path, out: Path, full: bool, sample: int, workers: int = 1) -> list[str]:
    cmd = [sys.executable, "-m", "scanner.cli", "scan", str(path), "--nlp", "off"]
    cmd += ["--workers", str(workers), "--fail-on", "none", "-o", str(out)]
    if full:
        cmd += ["--full", "--format", "jsonl"]
    else:
        cmd += ["--sample", str(sample), "--format", "columns"]
    return cmd


def run_measured(cmd: list[str]) -> dict[str, Any]:
    from bench.run import measure  # PSS of the process tree, CPU of the children

    return measure(cmd)


def presidio_slice(path: Path, rows: int, out: Path) -> dict[str, Any]:
    """Vanilla Presidio cell by cell over the first `rows` rows (run in a child process)."""
    import logging

    from bench.presidio_engine import build

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    analyzer = build("spacy")
    analyzer.analyze(text="warm up 1.2.3.4 a@example.com", language="en")
    load = time.perf_counter() - t0
    pf = pq.ParquetFile(path)
    table = pf.read_row_group(0).slice(0, rows)
    preds: dict[str, list[Any]] = {k: [] for k in ("row", "column", "start", "end", "entity", "score")}
    cells = nbytes = 0
    wall = cpu = 0.0
    for name in table.column_names:
        for i, v in enumerate(table.column(name).to_pylist()):
            if v is None:
                continue
            text = str(v)
            cells += 1
            nbytes += len(text.encode("utf-8"))
            t, c = time.perf_counter(), time.process_time()
            results = analyzer.analyze(text=text, language="en")
            wall += time.perf_counter() - t
            cpu += time.process_time() - c
            for r in results:
                for k, x in zip(preds, (i, name, r.start, r.end, r.entity_type, r.score), strict=True):
                    preds[k].append(x)
    pq.write_table(pa.table(preds), out)
    return {"cells": cells, "bytes": nbytes, "seconds": wall, "cpu_seconds": cpu, "load_seconds": load}


# -- accuracy ------------------------------------------------------------------------------
def read_findings(path: Path) -> pa.Table:
    """(row, column, start, end, entity, score) of a piimap JSON Lines findings file."""
    schema = pa.schema(
        [
            ("row", pa.int64()),
            ("column", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("entity", pa.string()),
            ("score", pa.float64()),
        ]
    )
    opts = pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    return pajson.read_json(path, read_options=pajson.ReadOptions(block_size=32 * MB), parse_options=opts)


def score_cells(pred: pa.Table, gold: pa.Table, min_score: float = 0.0) -> dict[str, Score]:
    """P/R/F1 counts per entity: overlap with the gold span of the same entity and cell."""

    if min_score > 0:
        pred = pred.filter(pc.greater_equal(pred["score"], min_score))
    p = pred.select(["row", "column", "start", "end", "entity"]).to_pandas()
    g = gold.select(["row", "column", "start", "end", "entity"]).to_pandas()
    m = p.reset_index().merge(g, on=["row", "column", "entity"], how="inner", suffixes=("", "_g"))
    m = m[(m["start"] < m["end_g"]) & (m["start_g"] < m["end"])]
    tp = m.drop_duplicates(["row", "column", "entity"]).groupby("entity").size()
    npred = p.groupby("entity").size()
    ngold = g.groupby("entity").size()
    out: dict[str, Score] = {}
    for ent in sorted(set(npred.index) | set(ngold.index)):
        t = int(tp.get(ent, 0))
        out[ent] = Score(tp=t, fp=int(npred.get(ent, 0)) - t, fn=int(ngold.get(ent, 0)) - t)
    return out


def map_presidio(pred: pa.Table) -> pa.Table:
    names = pred["entity"].to_pylist()
    keep = [n in PRESIDIO_TO_PIIMAP for n in names]
    mapped = [PRESIDIO_TO_PIIMAP.get(n, n) for n in names]
    column = pred.schema.get_field_index("entity")
    return pred.set_column(column, "entity", pa.array(mapped, pa.string())).filter(pa.array(keep))


def fmt_score(s: Score | None) -> str:
    if s is None:
        return "–"
    if s.tp + s.fn == 0:
        return f"FP only: {s.fp}" if s.fp else "–"
    return f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**"


# -- main ----------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20241001)
    ap.add_argument("--big-mb", type=int, default=1024, help="size of the sample-mode Parquet")
    ap.add_argument("--sample", type=int, default=1000)
    ap.add_argument("--presidio-rows", type=int, default=200)
    ap.add_argument("--skip-presidio", action="store_true")
    ap.add_argument("--skip-full-csv", action="store_true")
    ap.add_argument("--results", type=Path, default=HERE / "results.md")
    ap.add_argument("--no-results", action="store_true", help="do not touch bench/results.md")
    ap.add_argument("--note", default="")
    ap.add_argument("--presidio-child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.presidio_child:
        path, rows, out = a.presidio_child
        print(json.dumps(presidio_slice(Path(path), int(rows), Path(out))))
        return
    os.chdir(ROOT)
    OUT.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    paths = tablegen.ensure(CORPUS, a.rows, a.seed)
    big = tablegen.ensure_big(CORPUS, a.big_mb * MB, a.seed)
    tiny = OUT / "one_row.csv"
    tiny.write_text("email\nstart@example.com\n", encoding="utf-8")
    print(f"tables ready in {time.perf_counter() - t:.1f} s under {CORPUS}", flush=True)
    pf = pq.ParquetFile(paths["parquet"])
    ncols = pf.metadata.num_columns
    cells = a.rows * ncols
    gold = pq.read_table(paths["gold"])

    runs: dict[str, dict[str, Any]] = {}
    start = run_measured(piimap_cmd(tiny, OUT / "startup.jsonl", True, a.sample))
    print(f"start-up: {start['wall']:.1f} s wall, {start['cpu']:.1f} s CPU", flush=True)
    plan = [
        ("sample", "1 GB parquet", big, False, 1),
        ("sample", "parquet", paths["parquet"], False, 1),
        ("sample", "csv", paths["csv"], False, 1),
        ("full", "parquet", paths["parquet"], True, 1),
        # one file is one worker task: the second worker idles, but the parent now receives
        # the worker's findings (spilled in parts): the memory bar "with several workers"
        ("full", "parquet, --workers 2", paths["parquet"], True, 2),
        ("full", "csv", paths["csv"], True, 1),
    ]
    if a.skip_full_csv:
        plan = [p for p in plan if p[:2] != ("full", "csv")]
    for mode, kind, path, full, workers in plan:
        name = kind.replace(" ", "_").replace(",", "").replace("--", "")
        out = OUT / f"piimap_{mode}_{name}.{'jsonl' if full else 'columns.jsonl'}"
        r = run_measured(piimap_cmd(path, out, full, a.sample, workers))
        r.update(path=path, bytes=path.stat().st_size, out=out, mode=mode, kind=kind)
        r["cells"] = cells if full else None
        runs[f"{mode} {kind}"] = r
        print(f"piimap {mode:6} {kind:13} {r['wall']:7.1f} s wall {r['cpu']:7.1f} s CPU "
              f"peak {r['rss'] / MB:6.0f} MB", flush=True)

    two = runs.get("full parquet, --workers 2")
    if two is not None:
        import filecmp

        same = filecmp.cmp(runs["full parquet"]["out"], two["out"], shallow=False)
        verdict = "yes" if same else "NO"
        a.note = f"{a.note} `--full` output with `--workers 2` byte-identical to `--workers 1`: {verdict}."
        two["out"].unlink()  # ~1 GB

    pres: dict[str, Any] | None = None
    if not a.skip_presidio:
        ppath = OUT / "presidio_preds.parquet"
        cmd = [sys.executable, "-m", "bench.tables", "--presidio-child", str(paths["parquet"]),
               str(a.presidio_rows), str(ppath)]
        pres = run_measured(cmd)
        pres.update(json.loads(pres["stdout"].strip().splitlines()[-1]))
        print(f"presidio {pres['cells']} cells in {pres['seconds']:.1f} s "
              f"({pres['cells'] / pres['seconds']:.0f} cells/s)", flush=True)

    # accuracy
    t = time.perf_counter()
    found = read_findings(runs["full parquet"]["out"])
    n_findings = found.num_rows
    acc: dict[str, dict[str, Score]] = {"piimap (whole table)": score_cells(found, gold)}
    in_slice = pc.less(gold["row"], a.presidio_rows)
    gold_slice = gold.filter(in_slice)
    acc["piimap (Presidio's slice)"] = score_cells(found.filter(pc.less(found["row"], a.presidio_rows)), gold_slice)
    del found
    if pres:
        pp = map_presidio(pq.read_table(OUT / "presidio_preds.parquet"))
        acc["Presidio ≥0.0 (slice)"] = score_cells(pp, gold_slice)
        acc["Presidio ≥0.5 (slice)"] = score_cells(pp, gold_slice, 0.5)
    print(f"scored in {time.perf_counter() - t:.1f} s", flush=True)

    lines = report(a, runs, start, pres, acc, gold, cells, ncols, n_findings)
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    (OUT / "tables.md").write_text(text, encoding="utf-8")
    if not a.no_results:
        write_section(a.results, text)
        print(f"written {a.results} (tables section) and {OUT / 'tables.md'}")


def report(a: Any, runs: dict[str, Any], start: dict[str, Any], pres: dict[str, Any] | None,
           acc: dict[str, dict[str, Score]], gold: pa.Table, cells: int, ncols: int,
           n_findings: int) -> list[str]:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "n/a"
    g_cells = gold.num_rows
    lines = [
        MARK_START,
        "## Tables (`python -m bench.tables`)",
        "",
        f"{a.rows:,} rows × {ncols} columns = {cells:,} cells per table (customer orders, English and Japanese "
        f"columns, seed {a.seed}); {g_cells:,} gold values ({g_cells / cells:.0%} of the cells hold personal data). "
        "piimap `--nlp off --workers 1` (unless the input says otherwise), the CLI end to end; "
        f"start-up ({start['wall']:.1f} s wall, "
        f"{start['cpu']:.1f} s CPU) subtracted. CPU = seconds of the process and its children. "
        f"Load average at the end: {load} on {os.cpu_count()} cores. {a.note}",
        "",
        "| engine | input | MB | cells | wall s | CPU s | cells/s (wall) | cells/s (CPU) | MB/s (wall) "
        "| s/GB (wall) | peak PSS | vs Presidio (CPU) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    p_rate = pres["cells"] / pres["cpu_seconds"] if pres else None
    for r in runs.values():
        wall = max(r["wall"] - start["wall"], 1e-3)
        cpu = max(r["cpu"] - start["cpu"], 1e-3)
        mb = r["bytes"] / MB
        if r["cells"]:
            cw, cc = r["cells"] / wall, r["cells"] / cpu
            ratio = f"{cc / p_rate:,.0f}×" if p_rate else "–"
            lines.append(
                f"| piimap `--full` | {r['kind']} | {mb:.0f} | {r['cells']:,} | {wall:.1f} | {cpu:.1f} | "
                f"{cw:,.0f} | {cc:,.0f} | {mb / wall:.1f} | – | {r['rss'] / MB:,.0f} MB | {ratio} |"
            )
        else:
            lines.append(
                f"| piimap sample {a.sample} rows | {r['kind']} | {mb:.0f} | – | {wall:.1f} | {cpu:.1f} | – | – | "
                f"{mb / wall:.0f} | {wall / (r['bytes'] / 1024**3):.1f} | {r['rss'] / MB:,.0f} MB | – |"
            )
    if pres:
        est = cells / (pres["cells"] / pres["seconds"]) / 3600
        lines.append(
            f"| Presidio + spaCy NER, cell by cell | first {a.presidio_rows} rows ({pres['cells']:,} non-null cells), "
            f"analysis only | {pres['bytes'] / MB:.2f} | {pres['cells']:,} | {pres['seconds']:.1f} | "
            f"{pres['cpu_seconds']:.1f} | {pres['cells'] / pres['seconds']:,.0f} | {p_rate:,.0f} | "
            f"{pres['bytes'] / MB / pres['seconds']:.3f} | – | "
            f"{pres['rss'] / MB:,.0f} MB | 1× |"
        )
        lines += ["", f"Presidio would need about {est:.1f} h for one {a.rows:,}-row table "
                  "(extrapolated from its slice)."]
    lines += [
        "",
        f"piimap `--full` on the Parquet reported {n_findings:,} findings. Accuracy per entity "
        "(P / R / F1; a prediction is correct when it overlaps the gold span of the same entity in the same cell; "
        "Presidio names mapped as in the log benchmark, n/a = no such Presidio entity):",
        "",
    ]
    names = list(acc)
    ents = sorted({e for s in acc.values() for e in s} | set(gold["entity"].unique().to_pylist()))
    kinds, counts = np.unique(np.asarray(gold["entity"].to_pylist(), dtype=object), return_counts=True)
    gold_counts = dict(zip(kinds, counts, strict=True))
    lines.append("| entity | gold | " + " | ".join(names) + " |")
    lines.append("|---|---:|" + "---|" * len(names))
    presidio_has = set(PRESIDIO_TO_PIIMAP.values())
    for ent in ents:
        cells_ = []
        for n in names:
            s = acc[n].get(ent)
            cells_.append("n/a" if n.startswith("Presidio") and ent not in presidio_has else fmt_score(s))
        lines.append(f"| {ent} | {int(gold_counts.get(ent, 0)):,} | " + " | ".join(cells_) + " |")
    lines.append(MARK_END)
    return lines


def write_section(results: Path, text: str) -> None:
    """Put the tables section into `results` (replacing an earlier one, else appended)."""
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    if MARK_START in old and MARK_END in old:
        head, rest = old.split(MARK_START, 1)
        tail = rest.split(MARK_END, 1)[1].lstrip("\n")
        new = head + text + ("\n" + tail if tail else "")
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    results.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
