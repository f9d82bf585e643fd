"""Text reader: streams a (possibly gzipped) file as chunks of decoded lines.

Encoding: BOMs first (UTF-8, UTF-16, UTF-32); then strict UTF-8 on a sample; then
charset-normalizer limited to the encodings this data really uses (CP932/Shift_JIS,
EUC-JP, ISO-2022-JP, Latin-1/CP1252). Undecodable bytes become U+FFFD, never an exception.
Binary content (NUL bytes, many control characters) is skipped by sniffing, whatever the
extension.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from scanner.errors import ReadError
from scanner.records import TextChunk
from scanner.sources import Source

CHUNK_BYTES = 4 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024
#: a line longer than this is scanned in pieces of this size (matches across a cut are lost)
MAX_LINE_CHARS = 1024 * 1024
#: default bound on decompressed bytes of one gzip member stream (see README "Safety")
MAX_DECOMPRESSED = 8 * 1024**3
#: decompressed/compressed ratio above which a gzip file is treated as a bomb
MAX_RATIO = 1000

_CANDIDATES = ["cp932", "euc_jp", "iso2022_jp", "utf_8", "cp1252", "latin_1"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class SkipFile(Exception):
    """Raised by a reader for a file that is deliberately not scanned (binary, empty)."""


class _Bounded(io.RawIOBase):
    """Wraps a decompressing stream and fails once more than `limit` bytes came out."""

    def __init__(self, inner: BinaryIO, limit: int, path: str) -> None:
        self.inner, self.limit, self.path, self.count = inner, limit, path, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        try:
            data = self.inner.read(len(b))
        except (EOFError, OSError, zlib.error) as exc:
            raise ReadError(self.path, f"corrupt or truncated gzip data: {exc}") from exc
        self.count += len(data)
        if self.count > self.limit:
            raise ReadError(
                self.path,
                f"decompressed size exceeds the limit of {self.limit} bytes (possible gzip bomb)",
            )
        b[: len(data)] = data
        return len(data)


def open_maybe_gzip(raw: BinaryIO, src: Source, max_decompressed: int = MAX_DECOMPRESSED) -> BinaryIO:
    """Return a binary stream, transparently decompressing gzip (by magic bytes)."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]
    head = buffered.peek(2)[:2]
    if head != b"\x1f\x8b":
        return buffered
    limit = max_decompressed
    if src.size:
        limit = min(limit, max(64 * 1024 * 1024, src.size * MAX_RATIO))
    return io.BufferedReader(_Bounded(gzip.GzipFile(fileobj=buffered), limit, src.path), CHUNK_BYTES)  # type: ignore[arg-type]


def detect_encoding(sample: bytes) -> str:
    """Pick the encoding of a byte sample (see module docstring)."""
    for bom, enc in _BOMS:
        if sample.startswith(bom):
            return enc
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample, cp_isolation=_CANDIDATES).best()
    if best is None:
        return "cp932" if _looks_sjis(sample) else "latin_1"
    enc = best.encoding
    # Shift_JIS proper lacks the NEC/IBM extensions Windows files use: CP932 is a superset.
    return "cp932" if enc in ("shift_jis", "cp932") else enc


def _looks_sjis(sample: bytes) -> bool:
    try:
        sample.decode("cp932")
        return True
    except UnicodeDecodeError:
        return False


def is_binary(sample: bytes, encoding: str) -> bool:
    """True when the sample is not text: NUL bytes (outside UTF-16/32) or many control chars."""
    if not sample:
        return False
    if not encoding.startswith("utf-16") and not encoding.startswith("utf-32") and b"\x00" in sample:
        return True
    text = sample.decode(encoding, errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x1b")
    replaced = text.count("\ufffd")
    return (controls + replaced) > max(8, len(text) // 10)


def read_text(src: Source, options: Any = None) -> Iterator[TextChunk]:
    """Stream `src` as TextChunks of whole lines (a few MB each)."""
    max_dec = getattr(options, "max_decompressed", MAX_DECOMPRESSED)
    try:
        raw = src.open()
    except OSError as exc:
        raise ReadError(src.path, f"cannot open: {exc.strerror or exc}") from exc
    try:
        stream = open_maybe_gzip(raw, src, max_dec)
        try:
            sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
        except (EOFError, OSError, zlib.error) as exc:
            raise ReadError(src.path, f"corrupt or truncated gzip data: {exc}") from exc
        if not sample:
            raise SkipFile("empty file")
        encoding = detect_encoding(sample)
        if is_binary(sample, encoding):
            raise SkipFile("binary content")
        yield from _chunks(stream, src.path, encoding)
    except OSError as exc:
        raise ReadError(src.path, f"read failed: {exc.strerror or exc}") from exc
    finally:
        if src.fs_path != "-":
            raw.close()


class _Slice:
    """At most `left` bytes of a binary stream (one piece of a large file)."""

    def __init__(self, inner: BinaryIO, left: int) -> None:
        self.inner, self.left = inner, left

    def read(self, n: int) -> bytes:
        data = self.inner.read(min(n, self.left)) if self.left > 0 else b""
        self.left -= len(data)
        return data


def read_range(src: Source, start: int, end: int, first_line: int) -> Iterator[TextChunk]:
    """Bytes [start, end) of a plain UTF-8 file as TextChunks numbered from `first_line`.

    For parallel scans of one large file: the pipeline cuts it after newlines and checks
    that it is plain (not gzip, not binary) UTF-8 before calling this.
    """
    try:
        with open(src.fs_path, "rb") as fh:
            fh.seek(start)
            yield from _chunks(_Slice(fh, end - start), src.path, "utf-8", first_line)  # type: ignore[arg-type]
    except OSError as exc:
        raise ReadError(src.path, f"read failed: {exc.strerror or exc}") from exc


def _chunks(stream: BinaryIO, path: str, encoding: str, first_line: int = 1) -> Iterator[TextChunk]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    carry = ""
    line_no = first_line
    col = 0  # offset of `carry` inside its line, when a very long line was cut
    while True:
        try:
            block = stream.read(CHUNK_BYTES)
        except (EOFError, zlib.error) as exc:
            raise ReadError(path, f"corrupt or truncated gzip data: {exc}") from exc
        final = not block
        # CRLF -> LF keeps offsets right (the CR is not part of the line). A CR at the very
        # end stays in `carry` (after the last LF), so a CRLF split across blocks still joins.
        text = (carry + decoder.decode(block, final=final)).replace("\r\n", "\n")
        if final:
            if text:
                yield TextChunk(path, line_no, text, col)
            return
        cut = text.rfind("\n")
        if cut < 0:
            while len(text) > MAX_LINE_CHARS:
                yield TextChunk(path, line_no, text[:MAX_LINE_CHARS], col)
                col += MAX_LINE_CHARS
                text = text[MAX_LINE_CHARS:]
            carry = text
            continue
        body, carry = text[:cut], text[cut + 1 :]
        yield TextChunk(path, line_no, body, col)
        line_no += body.count("\n") + 1
        col = 0
