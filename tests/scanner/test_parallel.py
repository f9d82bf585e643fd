"""Workers over files and over pieces of one large file: same findings, same order."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

import scanner.pipeline as pipeline
from bench.generate import generate
from scanner.cli import main
from scanner.pipeline import ScanOptions, iter_results, split_points
from scanner.sources import Source


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 0.4, seed=11, clean_mb=0.02)
    return out / "logs"


def _small_parts(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The corpus files, with 16 KB pieces and parts of 20 findings (many of both)."""
    monkeypatch.setattr(pipeline, "PIECE_BYTES", 16 * 1024)
    monkeypatch.setattr(pipeline, "PART_FINDINGS", 20)
    return [str(p) for p in sorted(corpus.iterdir())]


def _run(paths: list[str], workers: int) -> list[tuple]:
    opts = ScanOptions(nlp="off", workers=workers)
    rows = []
    for fr in iter_results(paths, opts):
        assert fr.issue is None
        rows.extend((f.path, f.line, f.start, f.end, f.entity, f.recognizer) for f in fr.findings)
    return rows


def test_when_file_is_large_then_it_is_cut_after_newlines_with_line_numbers(corpus: Path) -> None:
    path = corpus / "app-main.log"
    data = path.read_bytes()
    pieces = split_points(Source(str(path), str(path), len(data)), piece_bytes=32 * 1024)
    assert pieces is not None and len(pieces) >= 4
    assert pieces[0][:1] == (0,) and pieces[-1][1] == len(data)
    for (s, e, first), (s2, _, first2) in pairwise(pieces):
        assert e == s2 and data[e - 1 : e] == b"\n"
        assert first2 == first + data[s:e].count(b"\n")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("small.log", b"a\n" * 10),
        ("data.csv", b"a,b\n" * 100000),
        ("z.log.gz", b"\x1f\x8b" + b"\0" * 300000),
    ],
    ids=["too-small", "table-reader", "gzip"],
)
def test_when_file_cannot_be_cut_then_no_pieces(
    tmp_path: Path, name: str, content: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.readers

    monkeypatch.setitem(
        scanner.readers.READERS, ".csv", lambda src, opts: iter(())
    )  # a table reader
    path = tmp_path / name
    path.write_bytes(content)
    assert split_points(Source(str(path), str(path), len(content)), piece_bytes=1024) is None


def test_when_workers_scan_pieces_then_findings_equal_single_worker_in_order(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [str(p) for p in sorted(corpus.iterdir())]
    single = _run(paths, 1)
    monkeypatch.setattr(pipeline, "PIECE_BYTES", 16 * 1024)
    assert split_points(Source(paths[0], paths[0], Path(paths[0]).stat().st_size)) is not None
    parallel = _run(paths, 2)
    assert len(single) > 100
    assert parallel == single  # same findings, same (deterministic) order


def test_when_cli_scans_a_file_cut_in_pieces_then_output_equals_one_worker(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the whole command path (api.iter_scan -> workers -> pieces), not just iter_results
    from click.testing import CliRunner

    from scanner.cli import main

    path = str(sorted(corpus.iterdir())[0])
    one = CliRunner().invoke(main, ["scan", path, "--nlp", "off", "--workers", "1"])
    monkeypatch.setattr(pipeline, "PIECE_BYTES", 16 * 1024)
    two = CliRunner().invoke(main, ["scan", path, "--nlp", "off", "--workers", "2"])
    assert one.exit_code == two.exit_code == 1, two.output[-2000:]
    assert one.output.count("\n") > 50
    assert two.output == one.output


def test_when_results_stream_in_parts_then_findings_and_counts_equal_whole_files(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.pipeline import ScanResult, add_result

    paths = _small_parts(corpus, monkeypatch)
    for workers in (1, 2):
        opts = ScanOptions(workers=workers, nlp="off")
        whole = list(iter_results(paths, opts))
        parted = list(iter_results(paths, opts, parts=True))
        assert len(parted) > len(whole)  # some files did come in several parts
        assert [f for fr in parted for f in fr.findings] == [f for fr in whole for f in fr.findings]
        assert [fr.path for fr in parted if fr.final] == [fr.path for fr in whole]
        a, b = ScanResult(), ScanResult()
        for fr in whole:
            add_result(a, fr)
        for fr in parted:
            add_result(b, fr)
        assert a.stats == b.stats


def test_when_a_table_streams_in_parts_then_the_last_part_carries_its_profiles(
    tmp_path: Path,
) -> None:
    from scanner.pipeline import Engine
    from scanner.sources import Source

    rows = "\n".join(f"user{i}@example.com,090-1234-{i % 10000:04d}" for i in range(300))
    path = tmp_path / "t.csv"
    path.write_text("email,phone\n" + rows + "\n", encoding="utf-8")
    eng = Engine(ScanOptions(workers=1, nlp="off", full=True))
    src = Source(str(path), str(path), path.stat().st_size)
    whole = eng.scan_source(src)
    parts = list(eng.iter_source(src, part_findings=1))
    assert len(parts) >= 2
    assert [p.final for p in parts] == [False] * (len(parts) - 1) + [True]
    assert [f for p in parts for f in p.findings] == whole.findings
    assert parts[-1].columns == whole.columns and parts[-1].cells == whole.cells
    assert all(not p.columns for p in parts[:-1])


def test_when_a_worker_streams_a_dense_table_then_its_parts_spill_and_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 400
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({
        "email": [f"user{i}@example.com" for i in range(rows)],
        "phone": [f"090-1234-{i:04d}" for i in range(rows)],
    }), path, row_group_size=50)
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    import scanner.readers.parquet as parquet_reader

    monkeypatch.setattr(pipeline, "PART_FINDINGS", 60)  # forked workers inherit these
    monkeypatch.setattr(parquet_reader, "BATCH_ROWS", 50)
    whole = list(iter_results([str(path)], ScanOptions(workers=1, nlp="off", full=True)))
    opened: list[str] = []
    real_open = open

    def watch(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003 - open()'s signature
        if str(file).endswith(".npz"):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watch)
    parted = list(iter_results([str(path)], ScanOptions(workers=2, nlp="off", full=True), parts=True))
    # one file, one worker task: more than one part means the worker spilled its early parts
    assert len(parted) > 2 and len(opened) == len(parted) - 1
    assert [f for fr in parted for f in fr.findings] == whole[0].findings
    assert parted[-1].final and parted[-1].columns == whole[0].columns
    assert not any(spill.rglob("*"))  # part files and their folder are gone


def test_when_workers_render_json_lines_then_text_counts_and_classes_equal_the_findings(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.blocks import JsonlPart
    from scanner.pipeline import ScanResult, add_result
    from scanner.report.jsonl import render_findings

    paths = _small_parts(corpus, monkeypatch)
    opts = ScanOptions(workers=2, nlp="off")
    plain = list(iter_results(paths, opts, parts=True))
    rendered = list(iter_results(paths, opts, parts=True, render=True))
    assert all(isinstance(fr.findings, JsonlPart) for fr in rendered)
    found = [f for fr in plain for f in fr.findings]
    assert len(found) > 100
    assert b"".join(fr.findings.data for fr in rendered) == render_findings(found).encode()  # type: ignore[attr-defined]
    a, b = ScanResult(), ScanResult()
    for fr in plain:
        add_result(a, fr, keep_findings=False)
    for fr in rendered:
        add_result(b, fr, keep_findings=False)
    assert a.stats == b.stats and b.stats.sensitive_findings > 0
    classes = {(f.entity, f.categories, f.sensitive) for f in found}
    got = {(f.entity, f.categories, f.sensitive) for fr in rendered for f in fr.findings.one_per_class()}  # type: ignore[attr-defined]
    assert got == classes
    with pytest.raises(TypeError):  # rendered findings are text: they cannot be kept as findings
        add_result(ScanResult(), rendered[0])


def test_when_the_cli_streams_json_lines_from_workers_then_bytes_and_gates_equal_one_worker(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from scanner.cli import main

    path = str(corpus)
    base = ["scan", path, "--nlp", "off", "--format", "jsonl"]
    one = CliRunner().invoke(main, [*base, "--workers", "1"])
    _small_parts(corpus, monkeypatch)
    two = CliRunner().invoke(main, [*base, "--workers", "2"])
    assert one.exit_code == two.exit_code == 1
    assert one.output.count("\n") > 100 and two.output == one.output
    for gate, code in (("JP_MY_NUMBER", 1), ("sensitive", 1), ("PERSON", 0)):
        got = CliRunner().invoke(main, [*base, "--workers", "2", "--fail-on", gate])
        assert got.exit_code == code, (gate, got.output[-500:])


def test_when_a_scan_is_small_then_it_runs_in_process_and_equals_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        (tmp_path / f"f{n}.log").write_text(f"contact user{n}@example.com from 203.0.113.{n + 1}\n")
    pooled = [(f.path, f.line, f.entity) for fr in iter_results([str(tmp_path)], ScanOptions(workers=2, nlp="off"))
              for f in fr.findings]
    monkeypatch.setattr(pipeline, "IN_PROCESS_BYTES", 2 * 1024 * 1024)
    started: list[int] = []
    real_pool = pipeline.ProcessPoolExecutor

    def counting_pool(*args: object, **kwargs: object) -> object:
        started.append(1)
        return real_pool(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", counting_pool)
    small = [(f.path, f.line, f.entity) for fr in iter_results([str(tmp_path)], ScanOptions(workers=2, nlp="off"))
             for f in fr.findings]
    assert small == pooled and len(small) == 6
    assert started == []  # no worker processes for three small files
    monkeypatch.setattr(pipeline, "IN_PROCESS_FILES", 2)
    list(iter_results([str(tmp_path)], ScanOptions(workers=2, nlp="off")))
    assert started == [1]  # more files than the limit: the pool


def test_when_the_walk_is_long_then_deciding_reads_ahead_only_a_few_items() -> None:
    def walk():  # endless: deciding must not exhaust it
        n = 0
        while True:
            n += 1
            yield Source(path=f"f{n}.log", fs_path=f"/nonexistent/f{n}.log", size=10)

    small, items = pipeline._small_scan(walk())
    assert small is False
    first = [s.path for s, _ in zip(items, range(pipeline.IN_PROCESS_FILES + 5), strict=False)]  # type: ignore[union-attr]
    assert first == [f"f{n}.log" for n in range(1, pipeline.IN_PROCESS_FILES + 6)]


@pytest.mark.parametrize("workers", [1, 2])
def test_when_a_reader_warns_in_a_worker_then_the_report_has_the_issue_once(
    tmp_path: Path, workers: int
) -> None:
    # JSON Lines with bad lines: the reader logs a warning; with two workers (the pool:
    # IN_PROCESS_BYTES is off in tests) it reached stderr alone, not the report
    (tmp_path / "a.jsonl").write_text('{"email": "a@corp.example.org"}\n{not json\n[oops\n', encoding="utf-8")
    (tmp_path / "b.log").write_text("nothing here\n", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["scan", "--workers", str(workers), "--nlp", "off", str(tmp_path), "--format", "json"]
    )
    doc = json.loads(res.stdout)
    issues = {Path(i["path"]).name: i for i in doc["issues"]}
    assert issues["a.jsonl"]["kind"] == "warning"
    assert issues["a.jsonl"]["message"] == "2 lines are not valid JSON (scanned as raw text)"
    assert len(doc["issues"]) == len(issues)  # once per file, not also from the log handler
    assert res.stderr.count("lines are not valid JSON") == 1
