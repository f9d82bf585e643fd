"""Text reader: streams a (possibly compressed or archived) file as chunks of decoded lines.

Encoding: BOMs first (UTF-8, UTF-16, UTF-32); then strict UTF-8 on a sample; then
charset-normalizer limited to the encodings this data really uses (CP932/Shift_JIS,
EUC-JP, ISO-2022-JP, Latin-1/CP1252). Decoding is strict; a block that fails is decoded
line by line, each failing line with a fallback encoding (UTF-8 <-> CP932: mixed-encoding
Japanese logs), else with U+FFFD replacement, and the file gets a "warning" issue. Never
an exception.

Binary content (NUL bytes, many control characters) is found by sniffing. In a file whose
name promises text (`text_suffixes.txt`: .log, .csv, .txt ...) it is a read error; in any
other file it is a "skipped" notice (images, executables are not ours to read).
Empty files are skipped. See docs/safety.md for why. Runs of NUL_RUN_MIN or more NUL bytes
are holes, not binary content: NUL padding at the start (logrotate's copytruncate) and runs
inside (a crash, preallocated space) are skipped, the text around them scanned at its exact
line and column, and the file gets a warning saying how many NULs were skipped where.

A text file with no suffix that starts like a mail (Maildir files, `/var/mail/USER`) is read
by the mail reader (`scanner.readers.mail`), as are `.eml`/`.mbox` members of archives.

Compressed files (gzip, bzip2, xz: by magic bytes, whatever the name) are decompressed as they
are read. Archives (tar, also compressed, and zip: by magic bytes) are read member by member:
each text member is scanned as its own file, its findings named `archive!/member`; binary and
encrypted members and archives inside archives are listed in a warning, not scanned.

Limits: decompressed output is bounded (`decompression_limit`: per file, and for an archive in
total over its members); a line longer than MAX_LINE_CHARS
that runs past a read block is scanned in pieces of MAX_LINE_CHARS, so memory stays near
CHUNK_BYTES + MAX_LINE_CHARS whatever the file holds.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any, BinaryIO, cast

from charset_normalizer import from_bytes

from scanner.errors import ReadError, SkipFile
from scanner.records import FileIssue, TextChunk
from scanner.sources import Source

__all__ = ["SkipFile", "read_text", "open_maybe_gzip", "detect_encoding", "is_binary"]

CHUNK_BYTES = 4 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024
#: a line longer than this is scanned in pieces of this size (matches across a cut are lost)
MAX_LINE_CHARS = 1024 * 1024
#: default bound on the decompressed bytes of one gzip file (`--max-decompressed`)
MAX_DECOMPRESSED = 8 * 1024**3
#: decompressed/compressed ratio above which a gzip file is treated as a bomb ...
MAX_RATIO = 1000
#: ... once it has produced at least this much (small files may compress very well)
RATIO_FLOOR = 64 * 1024**2

_CANDIDATES = ["cp932", "euc_jp", "iso2022_jp", "utf_8", "cp1252", "latin_1"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class _Bounded(io.RawIOBase):
    """Wraps a decompressing stream and fails once more than `limit` bytes came out."""

    def __init__(self, inner: Any, limit: int, path: str, kind: str = "gzip") -> None:
        self.inner, self.limit, self.path, self.count, self.kind = inner, limit, path, 0, kind

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        try:
            data = self.inner.read(len(b))
        except (EOFError, OSError, zlib.error, lzma.LZMAError, zipfile.BadZipFile) as exc:
            raise ReadError(self.path, f"corrupt or truncated {self.kind} data: {exc}") from exc
        self.count += len(data)
        if self.count > self.limit:
            raise ReadError(
                self.path,
                f"decompressed size exceeds the limit of {self.limit} bytes (possible {self.kind} bomb)",
            )
        b[: len(data)] = data
        return len(data)


#: single-file compression formats by magic bytes: name, opener
_COMPRESSED: tuple[tuple[bytes, str, Any], ...] = (
    (b"\x1f\x8b", "gzip", lambda f: gzip.GzipFile(fileobj=f)),
    (b"BZh", "bzip2", lambda f: bz2.BZ2File(f)),
    (b"\xfd7zXZ\x00", "xz", lambda f: lzma.LZMAFile(f)),
)


def decompression_limit(compressed_size: int, max_decompressed: int = MAX_DECOMPRESSED) -> int:
    """Bytes a gzip file may decompress to before the read stops with an error.

    min(max_decompressed, max(RATIO_FLOOR, MAX_RATIO x compressed size)); the ratio bound
    applies only when the compressed size is known (not for standard input). Gzip cannot
    exceed ~1032:1, so the ratio bound catches nested/concatenated-member bombs while an
    ordinary log (10-50:1) never comes near it.
    """
    limit = max_decompressed
    if compressed_size:
        limit = min(limit, max(RATIO_FLOOR, compressed_size * MAX_RATIO))
    return limit


def open_maybe_gzip(raw: BinaryIO, src: Source, max_decompressed: int = MAX_DECOMPRESSED) -> io.BufferedReader:
    """Return a binary stream, transparently decompressing gzip, bzip2 or xz (by magic bytes)."""
    # Source.open() gives a BufferedReader for local files and standard input; other streams
    # (fsspec's file objects) are raw-like: they have the readinto() that BufferedReader uses
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    head = buffered.peek(6)[:6]
    for magic, kind, opener in _COMPRESSED:
        if head.startswith(magic):
            limit = decompression_limit(src.size, max_decompressed)
            return io.BufferedReader(_Bounded(opener(buffered), limit, src.path, kind), CHUNK_BYTES)
    return buffered


def archive_kind(sample: bytes) -> str | None:
    """"zip" or "tar" when the (decompressed) sample starts an archive of that kind."""
    if sample[:4] == b"PK\x03\x04":
        return "zip"
    if sample[257:262] == b"ustar":
        return "tar"
    return None


#: archive members named in the warning about members not scanned (the count is complete)
_NAMED_MEMBERS = 5


def _read_archive(
    kind: str, stream: io.BufferedReader, src: Source, max_dec: int
) -> Iterator[TextChunk | FileIssue]:
    """Scan the text members of a tar or zip archive, each as a file of its own."""
    budget = [max_dec]  # decompressed bytes left for all members together
    skipped: list[str] = []
    if kind == "zip":
        try:
            zf = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ReadError(src.path, f"corrupt or unreadable zip archive: {exc}") from exc
        with zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                if info.flag_bits & 0x1:
                    skipped.append(f"{info.filename} (encrypted)")
                    continue
                member = Source(path=f"{src.path}!/{info.filename}", fs_path=src.fs_path, size=info.compress_size)
                limit = min(budget[0], decompression_limit(info.compress_size, max_dec))
                try:
                    fh = zf.open(info)
                except (zipfile.BadZipFile, NotImplementedError, OSError) as exc:
                    skipped.append(f"{info.filename} ({exc})")
                    continue
                with fh:
                    bounded = _Bounded(fh, limit, src.path, "zip")
                    yield from _member(io.BufferedReader(bounded, CHUNK_BYTES), member, budget, skipped)
                    budget[0] -= bounded.count
    else:
        try:
            tf = tarfile.open(fileobj=stream, mode="r|")
            for entry in tf:
                if not entry.isfile():
                    continue
                data = tf.extractfile(entry)
                if data is None:  # pragma: no cover - isfile() members always have data
                    continue
                member = Source(path=f"{src.path}!/{entry.name}", fs_path=src.fs_path, size=entry.size)
                bounded = _Bounded(data, budget[0], src.path, "tar")
                yield from _member(io.BufferedReader(bounded, CHUNK_BYTES), member, budget, skipped)
                budget[0] -= bounded.count
        except tarfile.TarError as exc:
            raise ReadError(src.path, f"corrupt or truncated tar archive: {exc}") from exc
    if skipped:
        named = ", ".join(skipped[:_NAMED_MEMBERS]) + (", …" if len(skipped) > _NAMED_MEMBERS else "")
        yield FileIssue(src.path, "warning", f"{len(skipped)} archive members not scanned "
                        f"(binary, encrypted or nested archives): {named}")


def _member(
    stream: io.BufferedReader, member: Source, budget: list[int], skipped: list[str]
) -> Iterator[TextChunk | FileIssue]:
    """One archive member as text chunks (a compressed member is decompressed first)."""
    name = member.path.split("!/", 1)[1]
    inner = open_maybe_gzip(stream, member, budget[0])
    sample = inner.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    if not sample:
        return
    if archive_kind(sample):
        skipped.append(f"{name} (archive)")
        return
    encoding = detect_encoding(without_nul_runs(sample))
    if is_binary(sample, encoding, nul_runs=True):
        skipped.append(name)
        return
    from scanner.readers import mail  # exported mail: a zip of .eml files, a tar of a Maildir

    mail_kind = mail.sniff(member.path, sample)
    if mail_kind is not None:
        yield from mail.read_mail_stream(inner, member, mail_kind, [budget[0]])
        return
    yield from _chunks(inner, member.path, encoding)


#: ISO-2022-JP's designations of JIS X 0208 (ESC $ B, ESC $ @), JIS X 0212 and JIS X 0201
_ISO2022_ESCAPES = re.compile(rb"\x1b(?:\$[@B]|\$\(D|\([IJ])")


def detect_encoding(sample: bytes) -> str:
    """Pick the encoding of a byte sample (see module docstring)."""
    for bom, enc in _BOMS:
        if sample.startswith(bom):
            return enc
    if _ISO2022_ESCAPES.search(sample) and sample.isascii():
        # 7-bit JIS (mail, old Unix tools) is also valid UTF-8: decoded as such, its Japanese
        # text would be escape sequences and ASCII letters, and nothing in it would be found
        for enc in ("iso2022_jp_2", "iso2022_jp_ext"):
            try:
                codecs.getincrementaldecoder(enc)().decode(sample, final=False)
                return enc
            except UnicodeDecodeError:
                continue
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(sample):  # mixed file: the reader decodes the odd lines with a fallback
        return "utf-8"
    best = from_bytes(sample, cp_isolation=_CANDIDATES).best()
    if best is None:
        return "cp932" if _looks_sjis(sample) else "latin_1"
    enc = best.encoding
    # Shift_JIS proper lacks the NEC/IBM extensions Windows files use: CP932 is a superset.
    if enc in ("shift_jis", "cp932"):
        return "cp932"
    if enc not in _JAPANESE_ENCODINGS:
        # a short sample (`担当: 山田様 tel 090-1111-2222`) is too little for the statistics, which
        # pick cp1252: Japanese text that decodes whole as CP932 is taken as such (Korean or
        # Chinese bytes read as CP932 give half-width katakana, which are not counted)
        try:
            text = codecs.getincrementaldecoder("cp932")().decode(sample, final=False)
        except UnicodeDecodeError:
            return enc
        if _japanese_share(text) >= 0.8:
            return "cp932"
    return enc


_JAPANESE_ENCODINGS = frozenset({"cp932", "shift_jis", "euc_jp", "iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext"})
#: hiragana, full-width katakana, CJK ideographs, CJK punctuation and full-width forms
_JAPANESE_CHAR = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def _japanese_share(text: str) -> float:
    """Share of the non-ASCII characters of `text` that are Japanese script (not half-width kana)."""
    wide = sum(1 for ch in text if ord(ch) > 127)
    return len(_JAPANESE_CHAR.findall(text)) / wide if wide else 0.0


def _mostly_utf8(sample: bytes) -> bool:
    """True when most non-ASCII lines of the sample are valid UTF-8."""
    ok = bad = 0
    for line in sample.split(b"\n")[:-1] or [sample]:  # the last line may be cut
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            ok += 1
        except UnicodeDecodeError:
            bad += 1
    return ok > 0 and ok >= bad


def _looks_sjis(sample: bytes) -> bool:
    try:
        sample.decode("cp932")
        return True
    except UnicodeDecodeError:
        return False


#: control characters that text does not hold (all below 32 but tab, LF, CR, FF and ESC)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def is_binary(sample: bytes, encoding: str, nul_runs: bool = False) -> bool:
    """True when the sample is not text: NUL bytes (outside UTF-16/32) or many control chars.

    With `nul_runs`, runs of NUL_RUN_MIN or more NUL bytes (and NULs ending the sample) do not
    make it binary: a log with a hole of NULs (a crash, preallocated space) is text around it.
    NULs alone, or short runs among the text (UTF-16/32 without a BOM, binary structures),
    still are binary.
    """
    if not sample:
        return False
    if not encoding.startswith("utf-16") and not encoding.startswith("utf-32") and b"\x00" in sample:
        if not nul_runs:
            return True
        sample = without_nul_runs(sample)
        if not sample or b"\x00" in sample:
            return True
    text = sample.decode(encoding, errors="replace")
    controls = len(_CONTROLS.findall(text))
    replaced = text.count("\ufffd")
    return (controls + replaced) > max(8, len(text) // 10)


#: a run of at least this many NUL bytes inside text is a hole (a crash, preallocated space),
#: not binary content (UTF-16/32 without a BOM has runs of one to three)
NUL_RUN_MIN = 4
_NUL_RUNS = re.compile(b"\x00" * NUL_RUN_MIN + b"+")  # a literal prefix: searched at C speed


def without_nul_runs(sample: bytes) -> bytes:
    """`sample` without its runs of NUL_RUN_MIN or more NUL bytes (and the NULs that end it:
    a run the sample cuts); unchanged when it starts with a BOM (UTF-16/32 text holds NULs)."""
    if b"\x00" not in sample or sample.startswith(tuple(bom for bom, _ in _BOMS)):
        return sample
    return _NUL_RUNS.sub(b"", sample.rstrip(b"\x00"))


@lru_cache(maxsize=1)
def text_suffixes() -> frozenset[str]:
    """Name parts that promise text (text_suffixes.txt), lower case, without dots."""
    raw = (resources.files("scanner.readers") / "text_suffixes.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in raw.splitlines() if w.strip() and not w.startswith("#"))


def promises_text(path: str) -> bool:
    """True when a part of the file name after the first dot is a text suffix (app.log.1)."""
    name = path.rsplit("/", 1)[-1].lower()
    return any(part in text_suffixes() for part in name.split(".")[1:])


@contextmanager
def opened(src: Source, options: Any) -> Iterator[tuple[BinaryIO, Any, bytes, int]]:
    """`src` open for reading, for the text and mail readers: (the file, its decompressed stream,
    its first SAMPLE_BYTES, the decompression budget). Raises ReadError (cannot open, corrupt
    compression, a read failure in the body) or SkipFile (empty); closes the file when done
    (standard input stays open)."""
    max_dec = getattr(options, "max_decompressed", MAX_DECOMPRESSED)
    try:
        raw = src.open()
    except OSError as exc:
        raise ReadError(src.path, f"cannot open: {exc.strerror or type(exc).__name__}") from exc
    try:
        stream = open_maybe_gzip(raw, src, max_dec)
        try:
            sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
        except (EOFError, zlib.error) as exc:
            raise ReadError(src.path, "corrupt or truncated gzip data") from exc
        if not sample:
            raise SkipFile("empty file")
        yield raw, stream, sample, max_dec
    except OSError as exc:
        raise ReadError(src.path, f"read failed: {exc.strerror or type(exc).__name__}") from exc
    finally:
        if src.fs_path != "-":
            raw.close()


def read_text(src: Source, options: Any = None) -> Iterator[TextChunk | FileIssue]:
    """Stream `src` as TextChunks of whole lines (a few MB each).

    May end with a FileIssue of kind "warning" (mixed encodings, cut lines). Raises
    SkipFile (empty file, binary content in a file of unknown type) or ReadError.
    """
    with opened(src, options) as (raw, stream, sample, max_dec):
        pad = 0
        if sample.startswith(NUL_PADDING):
            pad = _skip_nul_padding(stream)
            sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
            if not sample:
                raise SkipFile(f"only NUL bytes ({pad})")
        kind = archive_kind(sample)
        if kind is not None:
            yield from _read_archive(kind, stream, src, max_dec)
            return
        encoding = detect_encoding(without_nul_runs(sample))
        if is_binary(sample, encoding, nul_runs=True):
            from scanner.readers import sniffed_reader  # Parquet/ORC part files without a suffix

            table_reader = sniffed_reader(src)
            if table_reader is not None:
                yield from table_reader(src, options)
                return
            if promises_text(src.path):
                raise ReadError(
                    src.path, "binary content in a file named as text (corrupt, encrypted or "
                    "mislabelled?); not scanned"
                )
            raise SkipFile("binary content")
        if not pad and (stream is not raw or src.fs_path == "-" or src.protocol or src.size < MAIL_SNIFF_MAX):
            from scanner.readers import mail  # a mail without a suffix: Maildir, /var/mail/USER

            mail_kind = mail.sniff(src.path, sample)
            if mail_kind is not None:
                yield from mail.read_mail_stream(stream, src, mail_kind, [max_dec])
                _check_not_shrunk(raw, src)
                return
        notes = []
        if pad:
            notes.append(f"{pad} NUL bytes at the start skipped (a log truncated in place, as by "
                         "logrotate's copytruncate, keeps its old length as a hole)")
        for unit in _chunks(stream, src.path, encoding, first_col=pad):
            if isinstance(unit, FileIssue):  # one warning per file: merged with the padding's
                notes.append(unit.message)
            else:
                yield unit
        _check_not_shrunk(raw, src)
        if notes:
            yield FileIssue(src.path, "warning", "; ".join(notes))


#: a local plain file at least this large is not sniffed for mail: the pipeline may scan it in
#: pieces, as plain text (`pipeline.split_points`: from 2 x PIECE_BYTES), and what it is read
#: as must not depend on the number of workers (a test keeps the two in step)
MAIL_SNIFF_MAX = 8 * 1024**2

#: a file that starts with this many NUL bytes or more is padded, not binary: a log truncated
#: in place while its writer kept its offset (logrotate's copytruncate) starts with a hole of
#: NULs. (Four, not one: UTF-16/32 without a BOM starts with up to three NULs.)
NUL_PADDING = b"\x00" * 4


def _skip_nul_padding(stream: io.BufferedReader) -> int:
    """Read past the NUL bytes at the start of `stream`; return how many there were."""
    skipped = 0
    while True:
        block = stream.peek(CHUNK_BYTES)
        run = len(block) - len(block.lstrip(b"\x00"))
        if not block or run == 0:
            return skipped
        stream.read(run)
        skipped += run


def _check_not_shrunk(raw: BinaryIO, src: Source) -> None:
    """Fail when fewer bytes were read than the file had when it was listed (truncated meanwhile)."""
    if src.fs_path == "-" or not src.size:
        return
    try:
        pos = raw.tell()
    except OSError:  # pragma: no cover - unseekable
        return
    if pos < src.size:
        raise ReadError(
            src.path,
            f"file shrank while being read ({pos} of {src.size} bytes); the rest was not scanned",
        )


#: encoding tried for a line the detected encoding cannot decode
_FALLBACK = {"utf-8": "cp932", "utf-8-sig": "cp932"}


class _Decoder:
    """Strict incremental decoding with a per-line fallback for blocks that fail."""

    def __init__(self, encoding: str) -> None:
        self.encoding = codecs.lookup(encoding).name
        self.inner = codecs.getincrementaldecoder(encoding)("strict")
        # per-line fallback needs "\n" to be the byte 0x0a: not so for UTF-16/32
        self.per_line = not self.encoding.startswith(("utf-16", "utf-32"))
        self.fallback = _FALLBACK.get(self.encoding, "utf-8")
        self.fallback_lines = 0
        self.replaced_lines = 0

    def decode(self, block: bytes, final: bool) -> str:
        """Decode the next block (see class docstring)."""
        state = self.inner.getstate()
        try:
            return self.inner.decode(block, final)
        except UnicodeDecodeError:
            pass
        data = state[0] + block
        if not self.per_line:
            self.replaced_lines += 1
            self.inner = codecs.getincrementaldecoder(self.encoding)("replace")
            self.inner.setstate(state)
            return self.inner.decode(block, final)
        self.inner.reset()
        cut = len(data) if final else data.rfind(b"\n") + 1
        head, tail = data[:cut], data[cut:]
        text = "\n".join(self._line(line) for line in head.split(b"\n")) if head else ""
        if tail:
            try:
                text += self.inner.decode(tail, False)
            except UnicodeDecodeError:
                self.inner.reset()
                self.replaced_lines += 1
                text += tail.decode(self.encoding, "replace")
        return text

    def _line(self, line: bytes) -> str:
        try:
            return line.decode(self.encoding)
        except UnicodeDecodeError:
            pass
        try:
            text = line.decode(self.fallback)
            self.fallback_lines += 1
            return text
        except UnicodeDecodeError:
            self.replaced_lines += 1
            return line.decode(self.encoding, "replace")

    def notes(self) -> list[str]:
        """What the fallback did, for the file's warning."""
        out = []
        if self.fallback_lines:
            out.append(f"{self.fallback_lines} lines not {self.encoding}, decoded as {self.fallback}")
        if self.replaced_lines:
            out.append(f"undecodable bytes in {self.replaced_lines} lines/blocks replaced by U+FFFD")
        return out



class _Slice:
    """At most `left` bytes of a binary stream (one piece of a large file)."""

    def __init__(self, inner: BinaryIO, left: int) -> None:
        self.inner, self.left = inner, left

    def read(self, n: int) -> bytes:
        data = self.inner.read(min(n, self.left)) if self.left > 0 else b""
        self.left -= len(data)
        return data


def read_range(src: Source, start: int, end: int, first_line: int) -> Iterator[TextChunk | FileIssue]:
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


def _chunks(
    stream: BinaryIO, path: str, encoding: str, first_line: int = 1, first_col: int = 0
) -> Iterator[TextChunk | FileIssue]:
    """Decode `stream` and yield its lines as TextChunks, then at most one warning."""
    decoder = _Decoder(encoding)
    # NUL runs are skipped in ASCII-compatible encodings (in UTF-16/32 a NUL byte is half a char)
    lines = _Lines(path, first_line, first_col, skip_nuls=decoder.per_line)
    while True:
        try:
            block = stream.read(CHUNK_BYTES)
        except (EOFError, zlib.error) as exc:
            raise ReadError(path, "corrupt or truncated gzip data") from exc
        final = not block
        yield from lines.feed(decoder.decode(block, final), final)
        del block
        if final:
            break
    notes = lines.notes() + decoder.notes()
    if notes:
        yield FileIssue(path, "warning", "; ".join(notes))


#: NUL characters in decoded text (a NUL byte is one character in every ASCII-compatible encoding)
_NUL_TEXT = re.compile("\x00+")
#: NUL runs named in the warning (the totals are complete)
_NAMED_RUNS = 3


class _Lines:
    """Cuts decoded text into TextChunks of whole lines, keeping line and column numbers exact.

    A line longer than MAX_LINE_CHARS is cut into pieces. Runs of NUL characters are left out:
    the text before a run ends a chunk, the text after it starts one at the run's end column
    (a NUL counts as a column, as NUL padding at the start of a file does).
    """

    def __init__(self, path: str, line: int, col: int, skip_nuls: bool) -> None:
        self.path, self.line, self.col, self.skip_nuls = path, line, col, skip_nuls
        self.carry = ""  # text after the last line break (continues at self.line, self.col)
        self.cuts = 0
        self.nul_bytes = 0
        self.runs: list[list[int]] = []  # [line, col, length] of the first _NAMED_RUNS runs
        self.run_count = 0
        self.run_end: tuple[int, int] | None = None  # where the last run ended (a run cut by a block)

    def feed(self, text: str, final: bool) -> Iterator[TextChunk]:
        """Take the next decoded text (`final`: the end of the stream); yield complete chunks."""
        # CRLF -> LF keeps offsets right (the CR is not part of the line). A CR at the very
        # end stays in `carry` (after the last LF), so a CRLF split across blocks still joins.
        text = (self.carry + text).replace("\r\n", "\n")
        self.carry = ""
        if self.skip_nuls and "\x00" in text:
            pos = 0
            for m in _NUL_TEXT.finditer(text):
                if m.start() > pos:
                    yield from self._emit(text[pos : m.start()], True)
                self._skip(m.end() - m.start())
                pos = m.end()
            text = text[pos:]
        yield from self._emit(text, final)

    def _emit(self, text: str, whole: bool) -> Iterator[TextChunk]:
        """Yield the lines of `text`: all of it when `whole` (it ends at a NUL run or at the end
        of the stream), else up to its last line break (the rest is kept as carry)."""
        # Only the first line can outgrow MAX_LINE_CHARS (it continues `carry`); later lines
        # came from one block. Cut it so a line without end never piles up in memory.
        nl = text.find("\n")
        pos = 0
        while len(text) - pos > MAX_LINE_CHARS and (nl < 0 or nl - pos > MAX_LINE_CHARS):
            yield TextChunk(self.path, self.line, text[pos : pos + MAX_LINE_CHARS], self.col)
            self.cuts += 1
            self.col += MAX_LINE_CHARS
            pos += MAX_LINE_CHARS
        if pos:
            text = text[pos:]
        if whole:
            if text:
                yield TextChunk(self.path, self.line, text, self.col)
                last = text.rfind("\n")
                if last < 0:
                    self.col += len(text)
                else:
                    self.line += text.count("\n")
                    self.col = len(text) - last - 1
            return
        cut = text.rfind("\n")
        if cut < 0:
            self.carry = text
            return
        body, self.carry = text[:cut], text[cut + 1 :]
        yield TextChunk(self.path, self.line, body, self.col)
        self.line += body.count("\n") + 1
        self.col = 0

    def _skip(self, n: int) -> None:
        """Leave out a run of `n` NULs at the current position."""
        if self.run_end == (self.line, self.col) and self.runs:  # the rest of a run a block cut
            if self.run_count <= _NAMED_RUNS:
                self.runs[-1][2] += n
        else:
            self.run_count += 1
            if len(self.runs) < _NAMED_RUNS:
                self.runs.append([self.line, self.col, n])
        self.nul_bytes += n
        self.col += n
        self.run_end = (self.line, self.col)

    def notes(self) -> list[str]:
        """What was cut or skipped, for the file's warning."""
        out = []
        if self.nul_bytes:
            where = "; ".join(f"line {ln} offset {col}: {n}" for ln, col, n in self.runs)
            more = ", …" if self.run_count > len(self.runs) else ""
            out.append(
                f"{self.nul_bytes} NUL byte{'s' * (self.nul_bytes > 1)} skipped in {self.run_count} "
                f"run{'s' * (self.run_count > 1)} "
                f"({where}{more}; a crash or preallocated space?), the text around them scanned"
            )
        if self.cuts:
            out.append(
                f"lines longer than {MAX_LINE_CHARS} chars cut {self.cuts} times "
                "(a value across a cut may be missed)"
            )
        return out
