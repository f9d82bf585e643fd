"""`make bench`: piimap vs vanilla Presidio, side by side, on the same generated corpus.

    python -m bench.run                       # 100 MB of logs (a few minutes)
    python -m bench.run --size-mb 20          # quick run
    python -m bench.run --presidio-kb 128     # smaller Presidio slices

Every engine runs in its own subprocess, so its peak memory (PSS of the process and its worker
children, sampled from /proc) is its own. piimap runs its real CLI end to end (read, decode,
detect, classify, write JSON Lines to a file). Presidio (`bench/presidio_engine.py`) analyses
the first lines of each file (a slice with the same mix) line by line; its throughput is
measured on that slice and extrapolated. Accuracy: per entity against the gold labels, piimap
on the whole corpus and on Presidio's slice, Presidio on its slice. Figures go to stdout and
`bench/results.md`. Other benchmark modules (`bench/tables.py`, `bench/nlp_accuracy.py`, ...)
run afterwards when present (see EXTRA_MODULES).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import evaluate
from bench.generate import HARD_DIR, MB, ensure

HERE = Path(__file__).parent
#: further benchmark modules run after this one when they exist (each has a `main()`)
EXTRA_MODULES = ("bench.tables", "bench.nlp_accuracy", "bench.redos", "bench.lake")
#: arguments for those modules: `--full` on the 1 M-row CSV is left out of `make bench` (about
#: 7 CPU-minutes; the Parquet `--full` run measures the same detection path), run it alone with
#: `python -m bench.tables`
EXTRA_ARGS: dict[str, list[str]] = {"bench.tables": ["--skip-full-csv"]}


# -- measuring ---------------------------------------------------------------------------
def _tree_rss(pid: int) -> int:
    """Memory of `pid` and all its descendants: the sum of their PSS (shared pages, e.g. of
    forked workers, counted once), or of their RSS where PSS is not available."""
    total = 0
    stack = [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        p = stack.pop()
        try:
            try:
                with open(f"/proc/{p}/smaps_rollup") as fh:
                    pss = next(int(r.split()[1]) * 1024 for r in fh if r.startswith("Pss:"))
                total += pss
            except (OSError, StopIteration):
                with open(f"/proc/{p}/statm") as fh:
                    total += int(fh.read().split()[1]) * page
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `cmd`; return wall seconds, peak tree RSS (bytes), exit code and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {"wall": wall, "cpu": cpu, "rss": peak, "rc": proc.returncode, "stdout": out}


def piimap(paths: list[Path], out: Path, nlp: str, workers: int) -> dict[str, Any]:
    """The piimap CLI end to end, writing JSON Lines to `out`."""
    cmd = [
        sys.executable,
        "-m",
        "scanner.cli",
        "scan",
        *map(str, paths),
        "--nlp",
        nlp,
        "--workers",
        str(workers),
        "--format",
        "jsonl",
        "-o",
        str(out),
    ]
    return measure(cmd)


def presidio(root: Path, limits: dict[str, int], nlp: str, out: Path) -> dict[str, Any]:
    """Vanilla Presidio over the first `limits[file]` lines of each file."""
    lim = out.with_suffix(".limits.json")
    lim.write_text(json.dumps(limits), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "bench.presidio_engine",
        "--nlp",
        nlp,
        "--limits",
        str(lim),
        "--root",
        str(root),
        "--out",
        str(out),
    ]
    r = measure(cmd)
    r.update(json.loads(r["stdout"].strip().splitlines()[-1]))
    return r


def slice_limits(root: Path, files: list[Path], budget: int) -> dict[str, int]:
    """Lines per file so that each file contributes its share of `budget` bytes."""
    total = sum(f.stat().st_size for f in files)
    limits: dict[str, int] = {}
    for f in files:
        want = budget * f.stat().st_size / total
        n = got = 0
        with f.open("rb") as fh:
            for raw in fh:
                if got >= want:
                    break
                n += 1
                got += len(raw)
        limits[str(f.relative_to(root))] = n
    return limits


# -- reporting ---------------------------------------------------------------------------
def machine() -> dict[str, str]:
    """Where the figures were measured."""
    cpu = "unknown"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = "n/a"
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
        load = " ".join(load)
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "loadavg": load,
    }


def mbps(nbytes: float, seconds: float) -> float:
    return nbytes / MB / seconds if seconds > 0 else float("inf")


def fmt_rate(x: float) -> str:
    return f"{x:.3f}" if x < 1 else f"{x:.1f}"


def accuracy_table(rows: dict[str, dict[str, evaluate.Score]], entities: list[str]) -> list[str]:
    names = list(rows)
    out = [
        "| entity | gold | " + " | ".join(f"{n} P / R / F1" for n in names) + " |",
        "|---|---:|" + "---|" * len(names),
    ]
    for ent in entities:
        gold = (
            max((s[ent].tp + s[ent].fn) for s in rows.values() if ent in s)
            if any(ent in s for s in rows.values())
            else 0
        )
        cells = []
        for n in names:
            s = rows[n].get(ent)
            if n.startswith("Presidio") and ent not in evaluate.PRESIDIO_TO_PIIMAP.values():
                cells.append("n/a")
            elif s is None or (s.tp + s.fp + s.fn) == 0:
                cells.append("–")
            elif s.tp + s.fn == 0:
                cells.append(f"FP only: {s.fp}")
            else:
                cells.append(f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**")
        out.append(f"| {ent} | {gold} | " + " | ".join(cells) + " |")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size-mb", type=float, default=100.0, help="log corpus size (default 100)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus")
    ap.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="piimap --workers (default: cores)"
    )
    ap.add_argument(
        "--presidio-kb", type=int, default=256, help="Presidio+NER slice in KB (no-NLP: 4x)"
    )
    ap.add_argument("--skip-presidio", action="store_true")
    ap.add_argument("--skip-extra", action="store_true", help="do not run bench/tables.py etc.")
    ap.add_argument("--results", type=Path, default=HERE / "results.md")
    ap.add_argument("--note", default="", help="free text for the results (e.g. machine load)")
    a = ap.parse_args(argv)

    corpus = a.corpus / f"{a.size_mb:g}mb-seed{a.seed}"
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    t = time.perf_counter()
    manifest = ensure(corpus, a.size_mb, a.seed)
    print(
        f"corpus: {corpus} ({time.perf_counter() - t:.1f} s); gold values: {manifest['gold']}",
        flush=True,
    )
    logs = sorted((corpus / "logs").iterdir())
    clean = sorted(f for f in (corpus / "clean").iterdir() if f.is_file())
    hard_dir = corpus / HARD_DIR
    hard = sorted(f for f in hard_dir.rglob("*") if f.is_file())
    log_bytes = sum(f.stat().st_size for f in logs)
    clean_bytes = sum(f.stat().st_size for f in clean)
    hard_bytes = sum(f.stat().st_size for f in hard)
    gold = evaluate.load_gold(corpus)
    m = machine()

    runs: dict[str, dict[str, Any]] = {}
    tiny = out / "tiny.log"
    tiny.write_text("hello\n", encoding="utf-8")
    runs["startup"] = piimap([tiny], out / "tiny.jsonl", "off", 1)
    print(f"piimap startup (1 tiny file): {runs['startup']['wall']:.2f} s", flush=True)
    for name, nlp, workers in (
        ("piimap --nlp off", "off", a.workers),
        ("piimap --nlp off, 1 worker", "off", 1),
        ("piimap --nlp auto", "auto", a.workers),
    ):
        r = piimap(logs, out / f"{nlp}-{workers}.jsonl", nlp, workers)
        r["bytes"] = log_bytes
        r["preds"] = out / f"{nlp}-{workers}.jsonl"
        runs[name] = r
        steady = r["wall"] - runs["startup"]["wall"]
        print(
            f"{name:28s} {mbps(log_bytes, r['wall']):8.1f} MB/s end to end "
            f"({mbps(log_bytes, steady):.1f} MB/s without startup), peak memory {r['rss'] / MB:.0f} MB",
            flush=True,
        )
    runs["clean off"] = piimap(clean, out / "clean-off.jsonl", "off", a.workers)
    runs["clean auto"] = piimap(clean, out / "clean-auto.jsonl", "auto", a.workers)
    runs["hard off"] = piimap([hard_dir], out / "hard-off.jsonl", "off", a.workers)
    runs["hard auto"] = piimap([hard_dir], out / "hard-auto.jsonl", "auto", a.workers)

    slice_nlp = slice_limits(corpus, logs, a.presidio_kb * 1024)
    slice_none = slice_limits(corpus, logs, a.presidio_kb * 4 * 1024)
    clean_slice = slice_limits(corpus, clean, a.presidio_kb * 1024)
    hard_slice = slice_limits(corpus, hard, a.presidio_kb * 1024)
    if not a.skip_presidio:
        for name, nlp, lim in (
            ("Presidio + spaCy NER", "spacy", slice_nlp),
            ("Presidio, no NLP", "none", slice_none),
        ):
            r = presidio(corpus, lim, nlp, out / f"presidio-{nlp}.jsonl")
            r["preds"] = out / f"presidio-{nlp}.jsonl"
            r["limits"] = lim
            runs[name] = r
            print(
                f"{name:28s} {mbps(r['bytes'], r['seconds']) * 1024:8.1f} KB/s on a {r['bytes'] / 1024:.0f} KB slice "
                f"(load {r['load_seconds']:.1f} s), peak memory {r['rss'] / MB:.0f} MB",
                flush=True,
            )
        for nlp in ("spacy", "none"):
            runs[f"clean presidio {nlp}"] = presidio(
                corpus, clean_slice, nlp, out / f"presidio-clean-{nlp}.jsonl"
            )
            runs[f"hard presidio {nlp}"] = presidio(
                corpus, hard_slice, nlp, out / f"presidio-hard-{nlp}.jsonl"
            )

    # -- accuracy -----------------------------------------------------------------------
    acc: dict[str, dict[str, evaluate.Score]] = {}
    acc["piimap off (all)"] = evaluate.score(
        gold, evaluate.load_predictions(runs["piimap --nlp off"]["preds"], corpus)
    )
    acc["piimap auto (all)"] = evaluate.score(
        gold, evaluate.load_predictions(runs["piimap --nlp auto"]["preds"], corpus)
    )
    pres_acc: dict[str, dict[str, evaluate.Score]] = {}
    if not a.skip_presidio:
        for name in ("Presidio + spaCy NER", "Presidio, no NLP"):
            lim = runs[name]["limits"]
            g = evaluate.restrict(gold, lim)
            mine = [
                p
                for p in evaluate.load_predictions(runs["piimap --nlp auto"]["preds"], corpus)
                if p[1] <= lim.get(p[0], 0)
            ]
            tag = "NER" if "spaCy" in name else "noNLP"
            acc[f"piimap auto ({tag} slice)"] = evaluate.score(g, mine)
            for thr in (0.0, 0.5):
                preds = [
                    (p, li, s, e, evaluate.PRESIDIO_TO_PIIMAP[ent])
                    for p, li, s, e, ent in evaluate.load_predictions(
                        runs[name]["preds"], corpus, thr
                    )
                    if ent in evaluate.PRESIDIO_TO_PIIMAP
                ]
                pres_acc[f"{name} ≥{thr}"] = evaluate.score(g, preds)
                acc[f"Presidio {tag} ≥{thr}"] = pres_acc[f"{name} ≥{thr}"]

    def fp_count(path: Path, thr: float = 0.0, mapped: bool = False) -> int:
        n = 0
        with path.open(encoding="utf-8") as fh:
            for row in fh:
                p = json.loads(row)
                if p.get("score", 1.0) >= thr and (
                    not mapped or p["entity"] in evaluate.PRESIDIO_TO_PIIMAP
                ):
                    n += 1
        return n

    # (engine, findings and bytes on the prose/code/docs part, on the hard negatives)
    fp_rows = [
        (
            "piimap --nlp off",
            fp_count(out / "clean-off.jsonl"),
            clean_bytes,
            fp_count(out / "hard-off.jsonl"),
            hard_bytes,
        ),
        (
            "piimap --nlp auto",
            fp_count(out / "clean-auto.jsonl"),
            clean_bytes,
            fp_count(out / "hard-auto.jsonl"),
            hard_bytes,
        ),
    ]
    if not a.skip_presidio:
        for nlp, label in (("spacy", "Presidio + spaCy NER"), ("none", "Presidio, no NLP")):
            r = runs[f"clean presidio {nlp}"]
            rh = runs[f"hard presidio {nlp}"]
            for thr in (0.0, 0.5):
                fp_rows.append(
                    (
                        f"{label} ≥{thr} (mapped entities)",
                        fp_count(out / f"presidio-clean-{nlp}.jsonl", thr, True),
                        r["bytes"],
                        fp_count(out / f"presidio-hard-{nlp}.jsonl", thr, True),
                        rh["bytes"],
                    )
                )

    # -- report -------------------------------------------------------------------------
    lines = [
        f"# Benchmark results ({m['date']})",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), Python {m['python']}, load average at the end {m['loadavg']}. "
        + (a.note or ""),
        "",
        f"Corpus: `python -m bench.run --size-mb {a.size_mb:g} --seed {a.seed}` → {log_bytes / MB:.1f} MB of logs "
        f"({sum(manifest['lines'].values())} lines, {manifest['gold']} planted values), "
        f"{clean_bytes / MB:.1f} MB PII-free text and {hard_bytes / MB:.1f} MB PII-free hard negatives.",
        "",
        "## Throughput (logs)",
        "",
        "MB/s = bytes / wall-clock seconds; MB/CPU-s = bytes / CPU seconds of the process and its workers "
        "(less sensitive to other load on the machine). Ratios use MB/s.",
        "",
        "| engine | input | MB/s | MB/CPU-s | peak memory (PSS) | vs Presidio+NER | vs Presidio no-NLP |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    pn = runs.get("Presidio + spaCy NER")
    pr = runs.get("Presidio, no NLP")
    ref_nlp = mbps(pn["bytes"], pn["seconds"]) if pn else None
    ref_none = mbps(pr["bytes"], pr["seconds"]) if pr else None
    for name in ("piimap --nlp off", "piimap --nlp off, 1 worker", "piimap --nlp auto"):
        r = runs[name]
        rate = mbps(r["bytes"], r["wall"])
        ratio1 = f"{rate / ref_nlp:,.0f}×" if ref_nlp else "–"
        ratio2 = f"{rate / ref_none:,.0f}×" if ref_none else "–"
        workers = 1 if "1 worker" in name else a.workers
        lines.append(
            f"| {name} (workers={workers}) | {log_bytes / MB:.0f} MB, end to end incl. "
            f"{runs['startup']['wall']:.1f} s start-up "
            f"| {fmt_rate(rate)} | {fmt_rate(mbps(r['bytes'], r['cpu']))} | {r['rss'] / MB:.0f} MB "
            f"| {ratio1} | {ratio2} |"
        )
        steady = mbps(r["bytes"], max(r["wall"] - runs["startup"]["wall"], 1e-3))
        lines.append(
            f"| {name}, start-up subtracted | | {fmt_rate(steady)} | "
            f"{fmt_rate(mbps(r['bytes'], max(r['cpu'] - runs['startup']['cpu'], 1e-3)))} | | "
            f"{f'{steady / ref_nlp:,.0f}×' if ref_nlp else '–'} | {f'{steady / ref_none:,.0f}×' if ref_none else '–'} |"
        )
    for name, r in (("Presidio + spaCy NER", pn), ("Presidio, no NLP", pr)):
        if r:
            lines.append(
                f"| {name} (1 process, line by line) | {r['bytes'] / 1024:.0f} KB slice, analysis time only "
                f"| {fmt_rate(mbps(r['bytes'], r['seconds']))} | {fmt_rate(mbps(r['bytes'], r['cpu_seconds']))} "
                f"| {r['rss'] / MB:.0f} MB | | |"
            )
    if pn:
        est = log_bytes / (mbps(pn["bytes"], pn["seconds"]) * MB) / 3600
        lines += [
            "",
            f"Presidio + NER would need about {est:.1f} h for these {log_bytes / MB:.0f} MB (extrapolated).",
        ]
    ents = sorted({g[4] for g in gold} | {e for s in acc.values() for e in s})
    lines += [
        "",
        "## Accuracy per entity (overlap match on the gold labels)",
        "",
        "`(all)` = whole corpus; `(… slice)` = the lines Presidio analysed; Presidio at its default "
        "threshold (≥0.0) and at piimap's default min score (≥0.5). Presidio names mapped: "
        + ", ".join(f"{k}→{v}" for k, v in evaluate.PRESIDIO_TO_PIIMAP.items() if k != v)
        + ".",
        "",
    ]
    lines += accuracy_table(acc, ents)
    lines += [
        "",
        "## False positives on PII-free text",
        "",
        "`clean`: generated prose, source code and docs; `hard negatives`: engineering and Japanese "
        "business text shaped like personal data (`clean/hard/`: versions, loopback, label keys, "
        "status lines, placeholders, JAN and tracking numbers with valid check digits …). Presidio "
        "on a slice of each.",
        "",
        "| engine | clean: findings | MB | FP per MB | hard negatives: findings | MB | FP per MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, n, b, nh, bh in fp_rows:
        lines.append(
            f"| {name} | {n} | {b / MB:.2f} | {n / (b / MB):.2f} "
            f"| {nh} | {bh / MB:.2f} | {nh / (bh / MB):.2f} |"
        )
    for mode in ("off", "auto"):
        lines += [
            "",
            f"Hard negatives per shape, piimap `--nlp {mode}` (shapes in `KNOWN_FLAGGED` of "
            "bench/generate.py were still flagged when they were added):",
            "",
        ]
        lines += evaluate.hard_table(
            evaluate.hard_findings(out / f"hard-{mode}.jsonl", corpus), corpus
        )
    lines.append("")
    text = "\n".join(lines)
    print()
    print(text)
    if a.skip_extra and a.results.exists():
        # the other modules did not run: keep their sections of the previous results
        old = a.results.read_text(encoding="utf-8")
        kept = old.find(EXTRA_SECTIONS_START)
        if kept >= 0:
            text += "\n" + old[kept:]
    a.results.write_text(text, encoding="utf-8")
    (out / "summary.json").write_text(
        json.dumps(
            {
                "machine": m,
                "runs": {
                    k: {
                        kk: (str(vv) if isinstance(vv, Path) else vv)
                        for kk, vv in v.items()
                        if kk != "stdout"
                    }
                    for k, v in runs.items()
                },
                "accuracy": {k: {e: vars(s) for e, s in v.items()} for k, v in acc.items()},
            },
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    print(f"\nwritten {a.results}")
    if not a.skip_extra:
        for mod in EXTRA_MODULES:
            if importlib.util.find_spec(mod) is not None:
                print(f"\n== {mod} ==", flush=True)
                args = list(EXTRA_ARGS.get(mod, []))
                if mod == "bench.tables" and a.note:
                    args += ["--note", a.note]
                if mod == "bench.tables":  # writes its own section of the results
                    subprocess.run([sys.executable, "-m", mod, *args], check=False)
                    continue
                proc = subprocess.run(
                    [sys.executable, "-m", mod, *args], check=False, stdout=subprocess.PIPE, text=True
                )
                print(proc.stdout, end="", flush=True)
                append_module_output(a.results, mod, proc.stdout)
    return 0


#: where the sections of the other benchmark modules start in results.md (bench.tables first)
EXTRA_SECTIONS_START = "<!-- bench.tables:start -->"  # bench.tables.MARK_START


def append_module_output(results: Path, mod: str, output: str) -> None:
    """Append what benchmark module `mod` printed to `results`, verbatim, under a heading."""
    text = results.read_text(encoding="utf-8").rstrip("\n")
    fence = "`" * 3
    body = output.strip("\n").replace(fence, "'" * 3)
    text += f"\n\n## `python -m {mod}` (its output, copied by bench.run)\n\n{fence}text\n{body}\n{fence}\n"
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
