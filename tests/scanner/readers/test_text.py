"""Text reader: encodings, gzip, line endings, long lines, binary and empty files."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from scanner.errors import ReadError
from scanner.readers import text as text_reader
from scanner.readers.text import SkipFile, detect_encoding, read_text
from scanner.sources import Source

JA = "山田太郎 様 電話 03-1234-5678 メール taro@example.co.jp\n二行目です\n"


def _src(p: Path) -> Source:
    return Source(path=p.name, fs_path=str(p), size=p.stat().st_size)


def _read(p: Path) -> str:
    chunks = [c for c in read_text(_src(p)) if hasattr(c, "first_line")]
    return "\n".join(c.text for c in chunks)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp932", b""),
        ("euc_jp", b""),
        ("iso2022_jp", b""),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp932", "euc-jp", "iso-2022-jp"],
)
def test_when_japanese_text_in_encoding_then_decoded_exactly(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    p = tmp_path / "ja.log"
    p.write_bytes(prefix + (JA * 20).encode(encoding))
    assert _read(p) == (JA * 20).rstrip("\n")


def test_when_seven_bit_jis_then_not_taken_for_utf8() -> None:
    # ISO-2022-JP is 7-bit, so valid UTF-8 too: the escape sequences decide
    assert detect_encoding("氏名：山田 太郎\n".encode("iso2022_jp")).startswith("iso2022_jp")
    assert detect_encoding(b"plain ascii log line\n") == "utf-8"


def test_when_short_cp932_sample_then_detected_as_cp932() -> None:
    assert detect_encoding("お問い合わせ内容：製品の不具合について".encode("cp932")) == "cp932"


@pytest.mark.parametrize(
    "text",
    ["担当: 山田様 tel 090-1111-2222\n", "氏名：高橋 美咲\n", "住所 東京都港区虎ノ門1-2-3\n"],
)
def test_when_a_short_cp932_line_has_no_kana_then_it_is_still_cp932(text: str) -> None:
    # the statistics picked cp1252 for these (kanji only, a few bytes): the name was lost
    assert detect_encoding(text.encode("cp932")) == "cp932"


def test_when_latin_text_is_cp1252_then_it_stays_cp1252() -> None:
    assert detect_encoding("Café résumé naïve Müller\n".encode("cp1252")) == "cp1252"


def test_when_gzipped_then_read_transparently(tmp_path: Path) -> None:
    p = tmp_path / "app.log.gz"
    p.write_bytes(gzip.compress(b"line one\nline two taro@example.com\n"))
    assert _read(p) == "line one\nline two taro@example.com"


def test_when_crlf_line_endings_then_lines_exclude_cr(tmp_path: Path) -> None:
    p = tmp_path / "win.log"
    p.write_bytes(b"a=1\r\nb=2\r\n")
    assert _read(p) == "a=1\nb=2"


def test_when_lines_span_chunks_then_line_numbers_stay_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_reader, "CHUNK_BYTES", 64)
    p = tmp_path / "many.log"
    p.write_text("".join(f"line {i} {'x' * (i % 7)}\n" for i in range(1, 201)))
    lines: dict[int, str] = {}
    for chunk in read_text(_src(p)):
        if not hasattr(chunk, "first_line"):
            continue
        for i, line in enumerate(chunk.text.split("\n")):
            lines[chunk.first_line + i] = line
    assert lines[1].startswith("line 1 ")
    assert lines[200].startswith("line 200 ")
    assert len(lines) == 200


def test_when_line_longer_than_limit_then_split_with_column_offsets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text_reader, "CHUNK_BYTES", 100)
    monkeypatch.setattr(text_reader, "MAX_LINE_CHARS", 250)
    p = tmp_path / "long.log"
    p.write_text("a" * 1000 + "\nnext\n")
    chunks = [c for c in read_text(_src(p)) if hasattr(c, "first_line")]  # not warnings
    first_line_pieces = [c for c in chunks if c.first_line == 1]
    assert len(first_line_pieces) >= 4
    assert [c.first_col for c in first_line_pieces][:2] == [0, 250]
    assert all(len(c.text.split("\n")[0]) <= 1000 for c in chunks)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"\x00\x01\x02\x03ELF" * 100, "binary"), (bytes(range(256)) * 50, "binary")],
    ids=["empty", "nul-bytes", "all-bytes"],
)
def test_when_not_text_then_skipped(tmp_path: Path, content: bytes, reason: str) -> None:
    p = tmp_path / "data.dat"  # a name that does not promise text (a .log would be an error)
    p.write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        list(read_text(_src(p)))


def test_when_truncated_gzip_then_read_error(tmp_path: Path) -> None:
    p = tmp_path / "cut.log.gz"
    data = gzip.compress("".join(f"line {i} {i * 7919 % 10007}\n" for i in range(20000)).encode())
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError):
        list(read_text(_src(p)))


def test_when_invalid_utf8_bytes_then_replaced_not_raised(tmp_path: Path) -> None:
    p = tmp_path / "bad.log"
    p.write_bytes(b"ok line taro@example.com\n" * 50 + b"bad \xff\xfe bytes\n")
    text = _read(p)
    assert "taro@example.com" in text


def test_when_a_log_starts_with_nul_padding_then_the_rest_is_scanned_with_exact_columns(tmp_path: Path) -> None:
    # logrotate's copytruncate: the writer keeps its offset, the file starts with a hole of NULs
    p = tmp_path / "app.log"
    p.write_bytes(b"\x00" * 70_000 + b"contact alice@example.com\nsecond line\n")
    units = list(read_text(_src(p)))
    chunks = [u for u in units if hasattr(u, "first_line")]
    assert [(c.first_line, c.first_col, c.text) for c in chunks] == [
        (1, 70_000, "contact alice@example.com\nsecond line")
    ]
    warnings = [u for u in units if not hasattr(u, "first_line")]
    assert len(warnings) == 1 and "70000 NUL bytes" in warnings[0].message


def test_when_a_file_holds_only_nul_bytes_then_it_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "app.log"
    p.write_bytes(b"\x00" * 5000)
    with pytest.raises(SkipFile, match="only NUL bytes"):
        list(read_text(_src(p)))


def test_when_nuls_are_inside_binary_content_then_it_stays_binary(tmp_path: Path) -> None:
    p = tmp_path / "data.log"
    p.write_bytes(b"\x00" * 16 + bytes(range(256)) * 40)
    with pytest.raises(ReadError, match="binary content"):
        list(read_text(_src(p)))


# -- NUL runs inside a file (a crash, preallocated space): skipped, the text around them scanned --
LOG50 = b"".join(b"2024-01-01 10:00:%02d login user%02d@example.com\n" % (i % 60, i) for i in range(1, 51))


def test_when_a_log_has_a_run_of_nuls_inside_then_the_text_around_it_is_scanned_at_exact_columns(
    tmp_path: Path,
) -> None:
    from tests.corpus import scan_paths

    p = tmp_path / "app.log"
    # the writer died mid-line; the block it had allocated stays NUL; the log restarted after it
    p.write_bytes(LOG50 + b"2024-01-01 10:01:00 user=al" + b"\x00" * 8192 + b"ice@example.com ok\n"
                  + b"2024-01-02 restart bob@example.com\n" + b"\x00" * 100)
    res = scan_paths([p])
    emails = [(f.line, f.start, f.end) for f in res.findings if f.entity == "EMAIL_ADDRESS"]
    assert emails[:50] == [(i, 26, 44) for i in range(1, 51)]  # the 50 lines before the NULs
    assert emails[50:] == [(51, 27 + 8192, 27 + 8192 + 15), (52, 19, 34)]  # a NUL is a column
    assert [(i.kind, i.message) for i in res.issues] == [(
        "warning",
        "8292 NUL bytes skipped in 2 runs (line 51 offset 27: 8192; line 53 offset 0: 100; a crash or "
        "preallocated space?), the text around them scanned",
    )]


def test_when_a_nul_run_spans_read_blocks_then_it_is_one_run_and_columns_stay_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text_reader, "CHUNK_BYTES", 64)
    p = tmp_path / "hole.log"
    p.write_bytes(b"first line\nab" + b"\x00" * 1000 + b"cd\nlast\n")
    units = list(read_text(_src(p)))
    pieces = {  # (line, column) -> text, whatever the chunks are
        (c.first_line + i, c.first_col if i == 0 else 0): line
        for c in units if hasattr(c, "first_line") for i, line in enumerate(c.text.split("\n"))
    }
    assert {k: v for k, v in pieces.items() if v} == {(1, 0): "first line", (2, 0): "ab", (2, 1002): "cd",
                                                       (3, 0): "last"}
    warnings = [u.message for u in units if not hasattr(u, "first_line")]
    assert warnings == ["1000 NUL bytes skipped in 1 run (line 2 offset 2: 1000; a crash or preallocated "
                        "space?), the text around them scanned"]


def test_when_a_log_has_padding_and_a_hole_then_one_warning_names_both(tmp_path: Path) -> None:
    p = tmp_path / "app.log"
    p.write_bytes(b"\x00" * 5000 + b"a@example.com\n" + b"\x00" * 64 + b"b\n")
    units = list(read_text(_src(p)))
    assert [(c.first_line, c.first_col, c.text) for c in units if hasattr(c, "first_line")] == [
        (1, 5000, "a@example.com\n"), (2, 64, "b")
    ]
    (warning,) = [u.message for u in units if not hasattr(u, "first_line")]
    assert warning.startswith("5000 NUL bytes at the start skipped") and "; 64 NUL bytes skipped in 1 run" in warning


def test_when_an_archive_member_has_a_nul_run_then_it_is_scanned(tmp_path: Path) -> None:
    import zipfile

    from tests.corpus import scan_paths

    p = tmp_path / "logs.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("app.log", b"ok\n" + b"\x00" * 4096 + b"\nuser carol@example.com\n")
    res = scan_paths([p])
    assert [(f.path, f.line, f.start) for f in res.findings] == [(f"{p}!/app.log", 3, 5)]


def test_when_a_large_file_is_read_in_pieces_then_nul_runs_are_skipped_too(tmp_path: Path) -> None:
    p = tmp_path / "big.log"
    data = b"x\n" * 10 + b"\x00" * 300 + b"dave@example.com\n"
    p.write_bytes(data)
    units = list(text_reader.read_range(_src(p), 0, len(data), 1))
    assert [(c.first_line, c.first_col, c.text) for c in units if hasattr(c, "first_line")] == [
        (1, 0, "x\n" * 10), (11, 300, "dave@example.com")
    ]


@pytest.mark.parametrize(
    "content",
    [
        "hello alice@example.com\n".encode("utf-16-le") * 50,  # UTF-16 without a BOM: runs of one NUL
        "hello alice@example.com\n".encode("utf-32-le") * 50,  # UTF-32: runs of three
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x03\x00>\x00\x01\x00\x00\x00" + bytes(range(256)) * 8,
        b"text line one\n" * 20 + b"\x00\x00\x01\x02\x00\x00\x00\x00\x00\x05\x06" * 200,  # NULs among controls
        b"a\x00b\x00c\x00d\x00" * 500,  # NUL-separated records (find -print0): short runs
    ],
    ids=["utf16-no-bom", "utf32-no-bom", "elf", "nuls-among-controls", "print0"],
)
def test_when_nuls_are_not_runs_in_text_then_the_file_stays_binary(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "data.log"
    p.write_bytes(content)
    with pytest.raises(ReadError, match="binary content"):
        list(read_text(_src(p)))


def test_when_nul_runs_are_stripped_then_only_long_runs_and_a_cut_tail_go() -> None:
    assert text_reader.without_nul_runs(b"ab\x00\x00\x00cd\x00\x00\x00\x00\x00ef\x00") == b"ab\x00\x00\x00cdef"
    assert text_reader.without_nul_runs(codecs.BOM_UTF16_LE + b"a\x00\x00\x00\x00\x00") == (
        codecs.BOM_UTF16_LE + b"a\x00\x00\x00\x00\x00"
    )
    assert text_reader.is_binary(b"log\n" + b"\x00" * 100 + b"more\n", "utf-8") is True  # strict by default
    assert text_reader.is_binary(b"log\n" + b"\x00" * 100 + b"more\n", "utf-8", nul_runs=True) is False
