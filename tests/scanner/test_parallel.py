"""Workers over files and over pieces of one large file: same findings, same order."""

from __future__ import annotations

from pathlib import Path

import pytest

import scanner.pipeline as pipeline
from bench.generate import generate
from scanner.pipeline import ScanOptions, iter_results, split_points
from scanner.sources import Source


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 0.4, seed=11, clean_mb=0.02)
    return out / "logs"


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
    for (s, e, first), (s2, _, first2) in zip(pieces, pieces[1:]):
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
