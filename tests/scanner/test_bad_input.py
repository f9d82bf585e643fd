"""Bad input never crashes the scan: each case gets a per-file issue, the scan goes on.

The cases are generated (tests/corpus.py). Each runs next to a good file whose finding must
still be reported. `TABLE_CASES` assert only the contract, so they hold for the text reader
today and for the table readers once they claim those suffixes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.corpus import (
    CASES,
    ERROR,
    GOOD_EMAIL,
    TABLE_CASES,
    TEST_MAX_DECOMPRESSED,
    Case,
    email_preview,
    found_previews,
    issue_for,
    scan_paths,
)

ALL = CASES + TABLE_CASES


@pytest.fixture(autouse=True)
def _fast_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.corpus import reuse_detectors

    reuse_detectors(monkeypatch)


def _folder_with(case: Case, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.log").write_text(f"user {GOOD_EMAIL}\n")
    bad = case.make(folder)
    return folder, bad


def _shown(path: Path, folder: Path) -> str:
    """The tail of the displayed path (names are shown escaped)."""
    from scanner.sources import display_path

    return display_path(str(path.relative_to(folder)))


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_when_bad_input_scanned_then_issue_reported_and_scan_goes_on(case: Case, tmp_path: Path) -> None:
    folder, bad = _folder_with(case, tmp_path)
    result = scan_paths([folder], max_decompressed=TEST_MAX_DECOMPRESSED)
    kind = issue_for(result, _shown(bad, folder))
    assert kind in case.expected, f"{case.name}: got {kind}, issues {result.issues}"
    assert email_preview(GOOD_EMAIL) in found_previews(result), "the scan stopped at the bad input"
    for email in case.must_find:
        assert email_preview(email) in found_previews(result), f"{email} lost after the bad part"
    for issue in result.issues:
        assert not issue.message.startswith("unexpected"), f"a reader let an exception escape: {issue}"
        assert "\n" not in issue.message
    assert result.stats.files_failed == sum(1 for i in result.issues if i.kind == ERROR)


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_when_bad_input_named_directly_then_same_issue(case: Case, tmp_path: Path) -> None:
    folder, bad = _folder_with(case, tmp_path)
    if case.name == "symlink-dir-loop":  # named directly it is just a folder: walk it
        bad = bad.parent
    result = scan_paths([bad], max_decompressed=TEST_MAX_DECOMPRESSED)
    kinds = {i.kind for i in result.issues} or {None}
    if case.name == "symlink-self-loop":  # a named path that cannot be resolved is an error
        assert kinds == {ERROR}
    elif case.name == "dangling-symlink":
        assert kinds == {ERROR}
    elif case.name == "symlink-dir-loop":
        assert kinds == {"skipped"}
    else:
        assert kinds <= case.expected | {None}, result.issues


@pytest.mark.parametrize("workers", ["1", "2"], ids=["in-process", "2-workers"])
def test_when_whole_corpus_scanned_by_cli_then_exit_3_every_issue_in_report_and_on_stderr(
    tmp_path: Path, workers: str
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.log").write_text(f"user {GOOD_EMAIL}\n")
    made = {}
    for case in ALL:
        sub = folder / case.name
        sub.mkdir()
        made[case.name] = (sub, case.make(sub), case)
    out = tmp_path / "report.json"
    res = CliRunner().invoke(
        main,
        ["scan", str(folder), "--format", "json", "-o", str(out), "--workers", workers, "--nlp", "off",
         "--max-decompressed", "1M"],
    )
    assert res.exit_code == 3, res.output
    raw = out.read_bytes()
    doc = json.loads(raw.decode("utf-8"))  # valid UTF-8 JSON, whatever the file names
    issues = {i["path"]: i for i in doc["issues"]}
    for name, (_sub, bad, case) in made.items():
        shown = _shown(bad, folder)
        matching = [i for p, i in issues.items() if p.endswith(shown)]
        kind = matching[0]["kind"] if matching else None
        assert kind in case.expected, f"{name}: {kind} {matching}"
        if kind is not None:
            assert f": {kind}: " in res.stderr and shown.split("/")[-1] in res.stderr
    assert doc["stats"]["files_failed"] == sum(1 for i in doc["issues"] if i["kind"] == "error")


def test_when_gzip_bomb_then_error_names_the_limit(tmp_path: Path) -> None:
    from tests.corpus import gzip_bomb

    bomb = gzip_bomb(tmp_path)
    result = scan_paths([bomb], max_decompressed=TEST_MAX_DECOMPRESSED)
    assert [i.kind for i in result.issues] == [ERROR]
    assert f"limit of {TEST_MAX_DECOMPRESSED} bytes" in result.issues[0].message


def test_when_compressed_file_within_limit_then_scanned(tmp_path: Path) -> None:
    import gzip

    p = tmp_path / "ok.log.gz"
    p.write_bytes(gzip.compress(b"x" * 500_000 + b"\nmail gz.user@example.com\n"))
    result = scan_paths([p], max_decompressed=TEST_MAX_DECOMPRESSED)
    assert result.issues == []
    assert email_preview("gz.user@example.com") in found_previews(result)


def test_when_gzip_members_together_exceed_limit_then_error(tmp_path: Path) -> None:
    import gzip

    member = gzip.compress(b"a" * 700_000)
    p = tmp_path / "multi.log.gz"
    p.write_bytes(member + member)  # each member is under 1 MiB, together they are not
    result = scan_paths([p], max_decompressed=TEST_MAX_DECOMPRESSED)
    assert [i.kind for i in result.issues] == [ERROR]


@pytest.mark.parametrize(
    ("compressed", "max_dec", "expected"),
    [
        (0, 8 << 30, 8 << 30),  # standard input: size unknown, only the absolute limit
        (1000, 8 << 30, 64 << 20),  # tiny file: the ratio floor
        (1 << 20, 8 << 30, 1000 << 20),  # 1 MiB may expand 1000x
        (1 << 30, 8 << 30, 8 << 30),  # big file: the absolute limit wins
        (1 << 20, 1 << 20, 1 << 20),  # --max-decompressed 1M
    ],
    ids=["stdin", "ratio-floor", "ratio", "absolute", "option"],
)
def test_when_decompression_limit_computed_then_min_of_absolute_and_ratio(
    compressed: int, max_dec: int, expected: int
) -> None:
    from scanner.readers.text import decompression_limit

    assert decompression_limit(compressed, max_dec) == expected


def test_when_ratio_exceeded_then_error_even_under_absolute_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    import scanner.readers.text as text

    monkeypatch.setattr(text, "RATIO_FLOOR", 64 * 1024)
    monkeypatch.setattr(text, "MAX_RATIO", 100)
    p = tmp_path / "zeros.log.gz"
    p.write_bytes(gzip.compress(b"\0" * (4 << 20)))  # ~4 KB that expands ~1000x: over 100x
    result = scan_paths([p])
    assert [i.kind for i in result.issues] == [ERROR]
    assert "gzip bomb" in result.issues[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1M", 1 << 20), ("512k", 512 << 10), ("8G", 8 << 30), ("2GiB", 2 << 30), ("1000", 1000)],
    ids=["M", "k", "G", "GiB", "bytes"],
)
def test_when_size_option_parsed_then_bytes(value: str, expected: int) -> None:
    from scanner.cli import parse_size

    assert parse_size(value) == expected


@pytest.mark.parametrize("value", ["", "lots", "0", "-5M"], ids=["empty", "word", "zero", "negative"])
def test_when_size_option_invalid_then_usage_error(value: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["scan", str(tmp_path), "--max-decompressed", value])
    assert res.exit_code == 2


def test_when_truncated_gzip_then_findings_before_the_cut_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    import scanner.readers.text as text

    monkeypatch.setattr(text, "CHUNK_BYTES", 16 * 1024)
    lines = [b"early.user@example.com\n"] + [b"filler line %d with nothing\n" % i for i in range(20000)]
    data = gzip.compress(b"".join(lines))
    p = tmp_path / "cut.log.gz"
    p.write_bytes(data[: len(data) * 2 // 3])
    result = scan_paths([p])
    assert [i.kind for i in result.issues] == [ERROR]
    assert "truncated" in result.issues[0].message
    assert email_preview("early.user@example.com") in found_previews(result)


def test_when_long_line_then_cut_at_max_line_chars_with_right_offsets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.readers.text as text

    monkeypatch.setattr(text, "MAX_LINE_CHARS", 1000)
    monkeypatch.setattr(text, "CHUNK_BYTES", 256)
    line = list("x " * 5000)
    email = "long.line@example.com"
    line[5500 : 5500 + len(email)] = email
    p = tmp_path / "long.log"
    p.write_text("".join(line) + "\nsecond second.line@example.com\n")
    from scanner.sources import Source

    units = list(text.read_text(Source(str(p), str(p), p.stat().st_size)))
    chunks = [u for u in units if isinstance(u, text.TextChunk)]
    first_line = [c for c in chunks if c.first_line == 1]
    assert all(len(c.text.split("\n")[0]) <= 1000 for c in chunks)
    assert "".join(c.text.split("\n")[0] for c in first_line) == "".join(line)
    notes = [u for u in units if not isinstance(u, text.TextChunk)]
    assert [n.kind for n in notes] == ["warning"] and "cut" in notes[0].message
    result = scan_paths([p])
    by_preview = {f.preview: f for f in result.findings}
    hit = by_preview[email_preview(email)]
    assert (hit.line, hit.start, hit.end) == (1, 5500, 5500 + len(email))
    second = by_preview[email_preview("second.line@example.com")]
    assert (second.line, second.start) == (2, 7)
    assert result.stats.files_scanned == 1 and result.issues[0].kind == "warning"


def test_when_48mb_line_streamed_then_memory_stays_bounded(tmp_path: Path) -> None:
    import tracemalloc

    import scanner.readers.text as text
    from scanner.sources import Source

    p = tmp_path / "one-line.log"
    size = 48 << 20
    piece = b"abcdefgh" * (1 << 17)  # 1 MiB
    with open(p, "wb") as fh:
        for _ in range(size // len(piece)):
            fh.write(piece)
    tracemalloc.start()
    try:
        total = 0
        for unit in text.read_text(Source(str(p), str(p), size)):
            if isinstance(unit, text.TextChunk):
                total += len(unit.text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    # about CHUNK_BYTES (4 MiB) of bytes plus a few copies of one block of text, whatever
    # the line length (measured: ~13 MiB)
    assert peak < size // 3, f"peak {peak / 2**20:.1f} MiB for a {size >> 20} MiB line"


def test_when_mixed_encodings_then_each_line_decoded_with_right_offsets(tmp_path: Path) -> None:
    from tests.corpus import mixed_encodings

    p = mixed_encodings(tmp_path)
    result = scan_paths([p])
    got = sorted((f.line, f.start, f.preview) for f in result.findings)
    assert got == [(1, 7, "o***@example.com"), (2, 7, "k***@example.com"), (3, 11, "z***@example.com")]
    assert [(i.kind, "cp932" in i.message) for i in result.issues] == [("warning", True)]


def test_when_open_raises_permission_error_then_error_and_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root in CI, where chmod 000 does not stop a read: make open() itself fail.
    import scanner.sources as sources

    locked = tmp_path / "locked.log"
    locked.write_text("secret.person@example.com\n")
    (tmp_path / "good.log").write_text(f"{GOOD_EMAIL}\n")
    real_open = os.open

    def fake_open(path: str, flags: int, *args: int) -> int:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(sources.os, "open", fake_open)
    result = scan_paths([tmp_path])
    assert issue_for(result, "locked.log") == ERROR
    assert "Permission denied" in result.issues[0].message
    assert email_preview(GOOD_EMAIL) in found_previews(result)


def test_when_folder_cannot_be_listed_then_error_and_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.sources as sources

    (tmp_path / "closed").mkdir()
    (tmp_path / "good.log").write_text(f"{GOOD_EMAIL}\n")
    real_scandir = os.scandir

    def fake_scandir(path: str) -> object:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", fake_scandir)
    result = scan_paths([tmp_path])
    assert issue_for(result, "closed") == ERROR
    assert email_preview(GOOD_EMAIL) in found_previews(result)


def test_when_directory_in_place_of_file_then_error_not_crash(tmp_path: Path) -> None:
    # A real OS failure that also happens as root: the listed file is now a folder.
    from scanner.sources import Source
    from tests.corpus import engine

    d = tmp_path / "was-a-file.log"
    d.mkdir()
    fr = engine().scan_source(Source(str(d), str(d), 10))
    assert fr.issue is not None and fr.issue.kind == ERROR and "directory" in fr.issue.message


def test_when_file_vanishes_after_listing_then_error_and_scan_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.pipeline as pipeline

    for name in ("a.log", "b.log", "c.log"):
        (tmp_path / name).write_text(f"{name[0]}.user@example.com\n")
    real = pipeline.sources_for

    def vanishing(paths: list[str], opts: object) -> object:
        for item in real(paths, opts):
            if getattr(item, "path", "").endswith("b.log"):
                os.unlink(item.fs_path)  # gone between the walk and the read
            yield item

    monkeypatch.setattr(pipeline, "sources_for", vanishing)
    result = scan_paths([tmp_path])
    assert issue_for(result, "b.log") == ERROR
    assert {"a***@example.com", "c***@example.com"} <= found_previews(result)


def test_when_file_shrinks_while_read_then_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import scanner.readers.text as text
    from scanner.sources import Source
    from tests.corpus import engine

    p = tmp_path / "rotated.log"
    p.write_bytes(b"first.user@example.com\n" + b"filler\n" * 200_000)
    monkeypatch.setattr(text, "CHUNK_BYTES", 64 * 1024)

    class Shrinking(io.FileIO):
        calls = 0

        def readinto(self, b: object) -> int:
            n = super().readinto(b)  # type: ignore[arg-type]
            Shrinking.calls += 1
            if Shrinking.calls == 1:
                os.truncate(str(p), 100)  # log rotation truncates the file under us
            return n or 0

    monkeypatch.setattr(Source, "open", lambda self: io.BufferedReader(Shrinking(self.fs_path)))
    fr = engine().scan_source(Source(str(p), str(p), p.stat().st_size))
    assert fr.issue is not None and fr.issue.kind == ERROR and "shrank" in fr.issue.message
    assert any(f.preview == "f***@example.com" for f in fr.findings)


def test_when_file_grows_while_read_then_scanned_without_issue(tmp_path: Path) -> None:
    from scanner.sources import Source
    from tests.corpus import engine

    p = tmp_path / "growing.log"
    p.write_text("old.user@example.com\nnew.user@example.com\n")
    fr = engine().scan_source(Source(str(p), str(p), 10))  # listed when it was 10 bytes long
    assert fr.issue is None
    assert {"o***@example.com", "n***@example.com"} <= {f.preview for f in fr.findings}


def test_when_fifo_listed_then_replaced_by_fifo_then_skipped_without_blocking(tmp_path: Path) -> None:
    import threading

    from scanner.sources import Source
    from tests.corpus import engine

    p = tmp_path / "became-a-fifo.log"
    os.mkfifo(p)  # the walk saw a file; now a FIFO with no writer: a plain open() would hang
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(engine().scan_source(Source(str(p), str(p), 5))))
    t.daemon = True
    t.start()
    t.join(30)
    assert not t.is_alive(), "opening a FIFO blocked the scan"
    fr = out[0]
    assert fr.issue is not None and fr.issue.kind == "skipped"  # type: ignore[attr-defined]


def test_when_non_utf8_name_then_json_report_is_utf8_and_name_escaped(tmp_path: Path) -> None:
    from tests.corpus import non_utf8_name

    non_utf8_name(tmp_path)
    res = CliRunner().invoke(main, ["scan", str(tmp_path), "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 1
    line = json.loads(res.stdout_bytes.decode("utf-8").splitlines()[0])
    assert line["path"].endswith("caf\\xe9-\\xff.log")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_when_json_escapes_decode_to_lone_surrogates_then_the_file_is_scanned_and_reported(
    tmp_path: Path, workers: str
) -> None:
    # "\ud800" is valid JSON but not valid UTF-8 once decoded: Arrow and the report refused it,
    # and the whole file was lost as an error
    (tmp_path / "s.jsonl").write_text(
        '{"ip": "203.0.113.9", "note": "x\\ud800y", "k\\udc80": "mail bob@example.com"}\n'
        '{"ip": "198.51.100.7", "note": "ok"}\n',
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["scan", str(tmp_path), "--workers", workers, "--nlp", "off"])
    assert res.exit_code == 1, res.output[-500:]
    lines = [json.loads(line) for line in res.stdout_bytes.decode("utf-8").splitlines()]
    assert {(f["row"], f["column"], f["entity"]) for f in lines} == {
        (0, "ip", "IP_ADDRESS"), (1, "ip", "IP_ADDRESS"), (0, "k\ufffd", "EMAIL_ADDRESS"),
    }


@pytest.mark.parametrize(
    ("data", "kind", "code"),
    [
        (b"", "skipped", 0),
        (b"\x00\x01\x02" * 100, "skipped", 0),
        (None, "error", 3),  # a gzip bomb on standard input: only the absolute limit applies
        (b"mail stdin.user@example.com\n", None, 1),
    ],
    ids=["empty", "binary", "gzip-bomb", "text"],
)
def test_when_standard_input_is_bad_then_same_rules(
    data: bytes | None, kind: str | None, code: int, tmp_path: Path
) -> None:
    from tests.corpus import gzip_bomb

    if data is None:
        data = gzip_bomb(tmp_path).read_bytes()
    res = CliRunner().invoke(
        main, ["scan", "-", "--format", "json", "--workers", "1", "--nlp", "off", "--max-decompressed", "1M"],
        input=data,
    )
    assert res.exit_code == code, res.output
    doc = json.loads(res.stdout)
    assert [i["kind"] for i in doc["issues"]] == ([kind] if kind else [])
