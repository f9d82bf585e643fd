r"""Mail reader: `.eml` messages and mbox mailboxes, decoded part by part.

A message is scanned as the text a mail client shows, not as its transfer encoding:

- headers (RFC 2047 encoded words, raw 8-bit Japanese) decoded, one line per field, as
  `mail.eml!/headers`; a field sits on the physical line where it starts in the message (a
  folded field's other lines are left empty), so for an `.eml` the line is the file's line;
- every text part decoded (base64, quoted-printable) with its charset, or the encoding
  detection of the text reader when the charset is missing, wrong or unknown: the main text
  as `mail.eml!/body` (`body.html` when the message has HTML only), the other parts as
  `mail.eml!/part-1.2.html` (IMAP section numbers), attachments as
  `mail.eml!/attachment/report.csv`; line numbers count inside the decoded part;
- HTML reduced to its text: tags, comments, `<script>` and `<style>` replaced by blanks (so
  every piece of text stays at its line and column in the HTML), entities unescaped, link
  targets kept in place (`href`: a `mailto:` address is often in the link only);
- attachments that are text (text/*, or content sniffed as text: CSV, JSON, logs; also
  gzip-compressed) decoded; binary ones, media and archives listed in the file's warning,
  as archive members are; a forwarded message (message/rfc822) is read as a message of its
  own under its part's name: `mail.eml!/attachment/fwd.eml/body`.

An mbox is split at its `From ` lines (after a blank line, with a time: `From sender Mon Nov
20 10:00:00 2023`) and streamed message by message: `inbox.mbox!/3/body` is message 3.

The MIME structure is split here (boundaries by byte search, parts as offsets into the
message: no copies); the `email` package reads each header block's parameters (RFC 2231
file names included) and decodes RFC 2047 encoded words (`email.header`, with
`email.policy.default` for what that rejects). Measured on a 200 MB mbox (5,000 messages):
18 MB/s and 33 MB of memory for the reader. The email package's own parser keeps about 8 times
a message's size in memory and read a 40 MB message in 6 s; with policy.default's header
objects (0.6 ms per address field against 0.04 ms for `decode_header`; a parameter accessor
parses its field again on every call) the reader spent 8 of its 13 s on a 20 MB mailbox
parsing headers.

Limits: a message is held in memory up to MAX_MESSAGE_BYTES; past that, its first
MAX_MESSAGE_BYTES are decoded and the rest is scanned as raw text (`inbox.mbox!/3`, lines
counted from the message's first line), with a warning. Decoded parts count against the
decompression budget (`--max-decompressed`, all parts of a file together, as archive
members do). Corrupt MIME never fails the file: what can be decoded is, a part or message
that cannot be is scanned raw (its base64 lines left out: an attachment not decoded holds no
text, and random base64 matches IBANs), and the file gets one warning.

Files without a mail suffix are sniffed by the text reader (`sniff`): a text file whose name
does not promise another kind of text and that starts with mail header fields (a Maildir
file `1700000000.M1P2.host:2,S`, standard input) or with an mbox `From ` line
(`/var/mail/alice`) is read here; so are `.eml`/`.mbox` members of archives.
"""

from __future__ import annotations

import binascii
import codecs
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from scanner.errors import ReadError, ScanError
from scanner.readers import register
from scanner.readers.text import (
    _BOMS,
    CHUNK_BYTES,
    NUL_PADDING,
    SAMPLE_BYTES,
    _check_not_shrunk,
    _chunks,
    _member,
    archive_kind,
    detect_encoding,
    is_binary,
    opened,
    promises_text,
    read_text,
    without_nul_runs,
)
from scanner.records import FileIssue, TextChunk
from scanner.sources import Source, display_text

__all__ = ["MAIL_SUFFIXES", "read_mail", "read_mail_stream", "sniff"]

#: suffixes read as mail (the compressed forms are decompressed by magic bytes, as text is)
MAIL_SUFFIXES = tuple(f"{base}{z}" for base in (".eml", ".mbox") for z in ("", ".gz", ".bz2", ".xz"))
#: bytes of one message held in memory; the rest of a larger message is scanned raw
MAX_MESSAGE_BYTES = 32 * 1024**2
#: leaf parts read per message (the others are counted in the warning)
MAX_PARTS = 1000
#: nesting of multiparts and forwarded messages read
MAX_DEPTH = 20

Unit = TextChunk | FileIssue

#: an mbox separator line: "From " sender, then a date with a time
_FROM_LINE = re.compile(rb"From \S+[ \t][^\r\n]*\d:\d\d")
#: a header field: an RFC 5322 field name (printable ASCII but ":"), obsolete blanks, ":"
_FIELD = re.compile(rb"([!-9;-~]+)[ \t]*:")
#: field names that make a header block a mail's, and those of which one must be there
_MAIL_FIELDS = frozenset(
    b"from to cc bcc subject date received return-path message-id mime-version delivered-to "
    b"reply-to sender in-reply-to references content-type content-transfer-encoding x-mailer "
    b"user-agent x-original-to dkim-signature authentication-results list-id".split()
)
_STRONG_FIELDS = frozenset(b"from received return-path message-id mime-version delivered-to".split())
#: Maildir file names: "1700000000.M1P2.host:2,S" (time, unique part, host, flags)
_MAILDIR = re.compile(r"\d{9,11}\.[^/]+\Z")
#: MIME types never decoded (listed in the warning)
_MEDIA = frozenset({"image", "audio", "video", "font", "model"})
#: charset labels Python does not know, or knows by a narrower codec
_CHARSETS = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "windows-31j": "cp932", "ms932": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932",
    "x-euc-jp": "euc_jp", "us-ascii": "utf-8", "ascii": "utf-8", "ansi_x3.4-1968": "utf-8",
    "iso-8859-1": "cp1252", "latin1": "cp1252",
}


def _is_mail_name(path: str) -> str | None:
    """"mbox" or "message" when the file name says mail."""
    name = path.rsplit("!/", 1)[-1].lower()
    for suffix in MAIL_SUFFIXES:
        if name.endswith(suffix):
            return "mbox" if suffix.startswith(".mbox") else "message"
    return None


def sniff(path: str, sample: bytes) -> str | None:
    """"mbox" or "message" when `path` is mail: by its name (`.eml`, `.mbox`), or, for a text
    file whose name does not promise another kind of text (a Maildir file, `/var/mail/alice`,
    standard input), by a first block of mail header fields. None otherwise.
    """
    by_name = _is_mail_name(path)
    if by_name is not None:
        return by_name
    name = path.rsplit("/", 1)[-1]
    if promises_text(path) and not _MAILDIR.match(name):
        return None
    pos, kind = 0, "message"
    if sample.startswith(b"From "):  # an mbox (/var/mail/USER, Thunderbird's folders)
        nl = sample.find(b"\n")
        if nl < 0 or not _FROM_LINE.match(sample, 0, nl):
            return None
        pos, kind = nl + 1, "mbox"
    if not _FIELD.match(sample, pos):  # most text files: decided by their first line
        return None
    names: set[bytes] = set()
    for line in sample[pos:].split(b"\n")[:-1]:  # the last piece may be cut
        if line in (b"", b"\r"):  # the blank line that ends the header block
            known = names & _MAIL_FIELDS
            return kind if len(known) >= 2 and names & _STRONG_FIELDS else None
        if line[:1] in (b" ", b"\t") and names:
            continue
        m = _FIELD.match(line)
        if m is None:
            return None
        names.add(m.group(1).lower())
    return None


@register(*MAIL_SUFFIXES)
def read_mail(src: Source, options: Any = None) -> Iterator[Unit]:
    """Stream the messages of an `.eml` or mbox file as decoded TextChunks (module docstring).

    May end with one FileIssue of kind "warning". Raises SkipFile (empty) or ReadError
    (cannot open, corrupt compression, binary content, decoding budget exceeded).
    """
    with opened(src, options) as (raw, stream, sample, max_dec):
        if sample.startswith(NUL_PADDING) or archive_kind(sample):
            # not a message: an archive named so, or a file with a hole at its start
            yield from read_text(src, options)
            return
        if _looks_binary(sample):
            raise ReadError(src.path, "binary content in a file named as mail (corrupt, encrypted or "
                            "mislabelled?); not scanned")
        yield from read_mail_stream(stream, src, _is_mail_name(src.path) or "message", [max_dec])
        _check_not_shrunk(raw, src)


def read_mail_stream(stream: io.BufferedReader, src: Source, kind: str, budget: list[int]) -> Iterator[Unit]:
    """The messages of an open stream: one ("message") or an mbox ("mbox").

    `budget` holds the decoded bytes the file may still produce; ReadError past it.
    """
    mbox = kind == "mbox"
    messages = _Messages(stream, mbox, src.path)
    reader = _Reader(src.path, src.fs_path, budget)
    index = 0
    while True:
        got = messages.next_message()
        if got is None:
            break
        data, cut = got
        if not data or data.isspace():  # (no strip(): a message may be 32 MiB)
            continue
        index += 1
        label = str(index) if mbox else "message"
        raw_path = f"{src.path}!/{index}" if mbox else src.path
        prefix = f"{raw_path}/" if mbox else f"{src.path}!/"
        yield from reader.message(data, prefix, raw_path, label, cut)
        if cut:  # the rest of an oversized message, as raw text
            yield from reader.raw_tail(messages, raw_path, label, data.count(b"\n") + 1)
    note = reader.notes.render()
    if note:
        yield FileIssue(src.path, "warning", note)


class _Messages:
    """Splits a byte stream into messages at mbox `From ` lines (or not at all), holding at
    most MAX_MESSAGE_BYTES of a message (plus one read block) in memory."""

    def __init__(self, stream: Any, mbox: bool, path: str) -> None:
        self.stream, self.mbox, self.path = stream, mbox, path
        self.buf = bytearray()
        self.eof = False
        self.scan = 0  # no separator starts before this offset of buf
        self.in_tail = False  # between an oversized message's head and its end

    def _fill(self) -> bool:
        if self.eof:
            return False
        try:
            block = self.stream.read(CHUNK_BYTES)
        except (EOFError, zlib.error) as exc:
            raise ReadError(self.path, "corrupt or truncated gzip data") from exc
        if not block:
            self.eof = True
            return False
        self.buf += block
        return True

    def _boundary(self) -> tuple[int, int] | None:
        """(end of the current message, start of the next) when a separator is in the buffer:
        a blank line, then a `From ` line with a time."""
        if not self.mbox:
            return None
        buf = self.buf
        while True:
            i = buf.find(b"\nFrom ", self.scan)
            if i < 0:
                self.scan = max(self.scan, len(buf) - 5)
                return None
            start = i + 1
            nl = buf.find(b"\n", start)
            if nl < 0 and not self.eof:
                self.scan = i  # wait for the whole line
                return None
            end = len(buf) if nl < 0 else nl
            if i >= 1 and buf[i - 1] == 0x0A:
                msg_end = i
            elif i >= 2 and buf[i - 1] == 0x0D and buf[i - 2] == 0x0A:
                msg_end = i - 1
            else:
                msg_end = -1  # no blank line before: a body line
            if msg_end >= 0 and _FROM_LINE.match(buf, start, end):
                return msg_end, start
            self.scan = i + 1

    def _take(self, end: int, drop: int) -> bytes:
        """buf[:end] as bytes (one copy), and buf[:drop] dropped."""
        with memoryview(self.buf) as view, view[:end] as part:
            data = part.tobytes()
        del self.buf[:drop]
        self.scan = 0
        return data

    def next_message(self) -> tuple[bytes, bool] | None:
        """The next message and whether it was cut at MAX_MESSAGE_BYTES (then its rest is
        read with `read_tail`); None at the end."""
        while True:
            found = self._boundary()
            if found is not None:
                return self._take(*found), False
            if len(self.buf) > MAX_MESSAGE_BYTES:
                cut = self.buf.rfind(b"\n", 0, MAX_MESSAGE_BYTES) + 1 or MAX_MESSAGE_BYTES
                self.in_tail = True
                return self._take(cut, cut), True
            if not self._fill():
                return (self._take(len(self.buf), len(self.buf)), False) if self.buf else None

    def read_tail(self, n: int) -> bytes:
        """Up to `n` bytes more of an oversized message; b"" at its end."""
        while self.in_tail:
            found = self._boundary()
            if found is not None:
                end, nxt = found
                if end > n:  # hand it out in pieces
                    return self._take(n, n)
                self.in_tail = False
                return self._take(end, nxt)
            safe = min(n, max(0, self.scan - 2) if self.mbox else len(self.buf))  # keep a lookbehind
            if safe > 0:
                scan = self.scan
                data = self._take(safe, safe)
                self.scan = max(0, scan - safe)
                return data
            if not self._fill():
                self.in_tail = False
                return self._take(len(self.buf), len(self.buf))
        return b""


class _Tail(io.RawIOBase):
    """The rest of an oversized message as a stream."""

    def __init__(self, messages: _Messages) -> None:
        self.messages = messages
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if not self.pending:
            self.pending = self.messages.read_tail(len(b))
        n = min(len(b), len(self.pending))
        b[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


class _Notes:
    """What the file's warning says: counts per kind, with the first few examples."""

    #: kinds in the order the warning lists them, and how
    KINDS = {
        "skipped": "mail parts not scanned (binary, media, archives)",
        "oversized": "larger than {MAX}, the rest scanned as raw text (not decoded)",
        "raw": "not decodable, scanned as raw text",
        "malformed": "malformed MIME, decoded as far as possible",
        "limits": "past the part or nesting limit, not scanned",
        "decoding": "decoding caveats",
    }

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}

    def add(self, kind: str, example: str, count: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + count
        shown = self.examples.setdefault(kind, [])
        if len(shown) < 3:
            shown.append(example)

    def render(self) -> str:
        out = []
        for kind, text in self.KINDS.items():
            if kind in self.counts:
                more = self.counts[kind] - len(self.examples[kind])
                cap = MAX_MESSAGE_BYTES
                head = text.format(MAX=f"{cap // 1024**2} MiB" if cap % 1024**2 == 0 else f"{cap} bytes")
                out.append(f"{head}: {', '.join(self.examples[kind])}{f' and {more} more' if more else ''}")
        return "; ".join(out)


@dataclass
class _Field:
    """One header field: its first physical line (0-based) and byte span in the message."""

    line: int
    name: bytes | None  # lower case; None for an mbox `From ` line
    start: int
    end: int


@dataclass
class _Mime:
    ctype: str = "text/plain"
    charset: str | None = None
    boundary: str | None = None
    filename: str | None = None
    disposition: str | None = None
    cte: str = "7bit"


@dataclass
class _Leaf:
    section: str
    start: int
    end: int
    mime: _Mime
    attachment: bool


def _fields(data: bytes, start: int, end: int) -> tuple[list[_Field], int, bool]:
    """The header fields of the entity at data[start:end], where its body starts, and whether
    a blank line ended the headers (as email.feedparser reads them)."""
    fields: list[_Field] = []
    pos, line = start, 0
    while pos < end:
        nl = data.find(b"\n", pos, end)
        stop = end if nl < 0 else nl + 1
        if stop - pos <= 2 and data[pos:stop] in (b"\n", b"\r\n"):
            return fields, stop, True
        first = data[pos : pos + 1]
        if first in (b" ", b"\t") and fields:
            fields[-1].end = stop
        elif line == 0 and data.startswith(b"From ", pos):
            fields.append(_Field(line, None, pos, stop))
        else:
            m = _FIELD.match(data, pos, stop)
            if m is None:
                return fields, pos, False  # not a field: the body starts here
            fields.append(_Field(line, m.group(1).lower(), pos, stop))
        pos = stop
        line += 1
    return fields, end, False


_MIME_FIELDS = (b"content-type", b"content-disposition", b"content-transfer-encoding")
#: the lines of a base64 body: full lines (MIME writes 76 characters; some mailers 60 or 64),
#: then the last, shorter one
_BASE64_LINES = re.compile(r"^(?:[A-Za-z0-9+/]{59,76}\n)+[A-Za-z0-9+/]*={0,2}$", re.M)
#: line breaks of a folded field
_FOLD = re.compile(rb"\r?\n")


def _mime(data: bytes, fields: list[_Field], default_type: str) -> _Mime:
    """Content type, parameters (RFC 2231 too) and transfer encoding of an entity.

    Read by the email package's `Message` accessors (compat32) on the MIME fields alone: with
    policy.default each accessor parses its field again (3.5 ms a part, against 0.1 ms).
    """
    from email.message import Message

    hdr = Message()
    hdr.set_default_type(default_type)
    for f in fields:
        if f.name in _MIME_FIELDS:
            raw = _FOLD.sub(b"", data[f.start : f.end])
            name, _, value = raw.partition(b":")
            value = value.strip()
            hdr[name.decode("ascii", "replace")] = value.decode("ascii") if value.isascii() else _decode_bytes(value)
    filename = hdr.get_filename()
    if filename and "=?" in filename:  # RFC 2047 in a parameter: wrong, and what most clients send
        filename = _encoded_words("subject", filename)
    return _Mime(
        ctype=hdr.get_content_type(),
        charset=hdr.get_content_charset(),
        boundary=hdr.get_boundary(),
        filename=filename,
        disposition=hdr.get_content_disposition(),
        cte=str(hdr.get("content-transfer-encoding", "7bit")).strip().lower(),
    )


def _split_parts(data: bytes, start: int, end: int, boundary: bytes) -> tuple[list[tuple[int, int]], bool] | None:
    """Byte spans of the body parts of a multipart body, and whether its close delimiter was
    found; None when no delimiter line is there at all."""
    needle = b"--" + boundary
    parts: list[tuple[int, int]] = []
    cur: int | None = None
    pos = start
    while True:
        i = data.find(needle, pos, end)
        if i < 0:
            break
        pos = i + 1
        if i != start and data[i - 1] != 0x0A:
            continue
        j = i + len(needle)
        close = data.startswith(b"--", j, end)
        k = j + 2 if close else j
        nl = data.find(b"\n", k, end)
        line_end = end if nl < 0 else nl
        if data[k:line_end].strip(b" \t\r"):
            continue  # a longer boundary, or text after it: not a delimiter line
        if cur is not None:
            stop = i
            if stop > cur and data[stop - 1] == 0x0A:  # the line break before a delimiter is its own
                stop -= 1
                if stop > cur and data[stop - 1] == 0x0D:
                    stop -= 1
            parts.append((cur, stop))
        if close:
            return parts, True
        cur = min(line_end + 1, end)
        pos = cur
    if cur is None:
        return None
    parts.append((cur, end))
    return parts, False


def _b64(buf: Any) -> tuple[bytes, bool]:
    """Decoded base64, leniently (invalid characters dropped, padding mended); and whether the
    data was invalid."""
    try:
        return binascii.a2b_base64(buf), False
    except binascii.Error:
        clean = re.sub(rb"[^A-Za-z0-9+/]", b"", bytes(buf))
        extra = len(clean) % 4
        if extra == 1:
            clean = clean[:-1]
        elif extra:
            clean += b"=" * (4 - extra)
        try:
            return binascii.a2b_base64(clean), True
        except binascii.Error:  # pragma: no cover - clean data of a valid length always decodes
            return b"", True


def _codec(charset: str | None) -> str | None:
    """The Python text codec for a MIME charset label, or None (missing, unknown, not text)."""
    if not charset:
        return None
    label = charset.strip().strip('"').lower()
    label = _CHARSETS.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # zlib_codec, base64_codec, rot13 ...
        return None
    return info.name


def _part_encoding(payload: bytes, charset: str | None) -> str:
    """The encoding of a text part: its charset when the payload is valid in it, else detected."""
    enc = _codec(charset)
    if enc is not None:
        try:
            payload.decode(enc)
            return enc
        except (UnicodeDecodeError, LookupError):
            pass
    return detect_encoding(without_nul_runs(payload[:SAMPLE_BYTES]))


_BOM_STARTS = tuple(bom for bom, _ in _BOMS)


def _looks_binary(sample: bytes) -> bool:
    """The text reader's binary test; NUL bytes outside runs decide at once (no encoding
    detection: most attachments are binary)."""
    probe = without_nul_runs(sample)
    if b"\x00" in probe and not sample.startswith(_BOM_STARTS):
        return True
    return is_binary(sample, detect_encoding(probe), nul_runs=True)


def _decode_bytes(raw: bytes) -> str:
    """Raw 8-bit (or 7-bit JIS) header bytes as text, by the text reader's detection."""
    if b"\x1b" not in raw:  # JIS is valid UTF-8 too: its escape sequences decide
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode(detect_encoding(raw), "replace")
    except LookupError:  # pragma: no cover - detect_encoding names real codecs
        return raw.decode("utf-8", "replace")


def _encoded_words(name: str, value: str) -> str:
    """`value` with its RFC 2047 encoded words decoded by the email package: its classic
    `decode_header` (an address field takes 0.04 ms; policy.default's header objects 0.6 ms),
    then policy.default for what that rejects (invalid base64, unknown charsets)."""
    from email import policy
    from email.header import decode_header, make_header

    lead = value[: len(value) - len(value.lstrip())]
    try:
        text = str(make_header(decode_header(value.strip())))
    except Exception:  # noqa: BLE001 - a malformed header must not fail the file
        try:
            text = str(policy.default.header_factory(name, value.strip()))
        except Exception:  # noqa: BLE001
            text = value.strip()
    return lead + text


_ONE_LINE = str.maketrans({"\r": " ", "\n": " ", "\x00": " "})


def _field_text(data: bytes, f: _Field) -> str:
    """One header field as one line of text, decoded."""
    raw = _FOLD.sub(b"", data[f.start : f.end])  # unfold: the continuation keeps its blank
    if f.name is None:
        return _decode_bytes(raw).translate(_ONE_LINE)
    colon = raw.index(b":")
    name = raw[:colon].decode("ascii", "replace")
    value = raw[colon + 1 :]
    if not value.isascii() or b"\x1b" in value:  # 8-bit or JIS in a header: not MIME, but common
        text = _decode_bytes(value)
    else:
        text = value.decode("ascii")
    if "=?" in text:
        text = _encoded_words(name, text)
    return f"{name}:{text}".translate(_ONE_LINE)


def _filename(name: str | None) -> str | None:
    """An attachment's file name as a path segment: no folders, control characters escaped."""
    if not name:
        return None
    base = re.split(r"[/\\]", name)[-1].strip()
    base = display_text(base)[:200]
    return base if base not in ("", ".", "..") else None


#: what HTML text drops: comments, script and style elements (to their end, or the end of the
#: document, as a browser does), and tags. A tag ends at ">" and cannot hold "<", so no
#: match runs past the next tag (linear time on any input).
_HTML_DROP = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b[^<>]*>.*?(?:</\1\s*>|\Z)|<[a-zA-Z/!?][^<>]*>", re.S | re.I
)
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _html_text(source: str) -> str:
    """HTML reduced to its text, of the same shape: what is dropped becomes spaces (line breaks
    kept), so every piece of text stays at its line and column; entities are unescaped (the
    line is padded: a column after an entity on its line moves left). Link targets stay, in
    place: a `mailto:` address is often in the link only."""
    source = source.replace("\r\n", "\n")
    out: list[str] = []
    pos = 0
    for m in _HTML_DROP.finditer(source):
        out.append(_unescaped(source[pos : m.start()]))
        tag = m.group()
        blank = "\n".join(" " * len(line) for line in tag.split("\n"))
        href = _HREF.search(tag) if m.group(1) is None and tag[1] not in "!/" else None
        if href is not None:
            g = next(k for k in (1, 2, 3) if href.group(k) is not None)
            blank = blank[: href.start(g)] + _unescaped(href.group(g)) + blank[href.end(g) :]
        out.append(blank)
        pos = m.end()
    out.append(_unescaped(source[pos:]))
    return "".join(out)


def _unescaped(text: str) -> str:
    """HTML entities unescaped, each line padded with spaces to its length."""
    if "&" not in text:
        return text
    import html

    return "\n".join(html.unescape(line).ljust(len(line)) for line in text.split("\n"))


class _Reader:
    """Decodes messages into TextChunks; collects what the file's warning will say."""

    def __init__(self, path: str, fs_path: str, budget: list[int]) -> None:
        self.path, self.fs_path, self.budget = path, fs_path, budget
        self.notes = _Notes()

    # -- messages ----------------------------------------------------------------------
    def message(self, data: bytes, prefix: str, raw_path: str, label: str, cut: bool) -> Iterator[Unit]:
        """The units of one message; the message scanned raw when it cannot be decoded."""
        try:
            units = self._message(data, prefix, label, 0, cut)
        except (ScanError, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - corrupt MIME must not fail the file
            self.notes.add("raw", f"{label} ({type(exc).__name__})")
            units = self._raw(data, raw_path, label, 1)
        if cut:
            self.notes.add("oversized", label)
        yield from units

    def _message(self, data: bytes, prefix: str, label: str, depth: int, cut: bool) -> list[Unit]:
        fields, body, separated = _fields(data, 0, len(data))
        units: list[Unit] = []
        lines: list[str] = []
        for f in fields:
            lines.append(_field_text(data, f))
            n = data.count(b"\n", f.start, f.end) + (data[f.end - 1 : f.end] != b"\n")
            lines.extend([""] * (n - 1))
        if lines:
            units.append(TextChunk(f"{prefix}headers", 1, "\n".join(lines)))
        defects: list[str] = []
        if fields and not separated and body < len(data):
            defects.append("no blank line after the headers")
        leaves: list[_Leaf] = []
        self._structure(data, fields, body, len(data), (), depth, "text/plain", leaves, defects, prefix)
        units.extend(self._leaves(data, leaves, prefix, depth))
        if defects and not cut:  # a cut message is incomplete by design
            self.notes.add("malformed", f"{label} ({', '.join(dict.fromkeys(defects))})")
        return units

    def _structure(
        self, data: bytes, fields: list[_Field], body: int, end: int, section: tuple[int, ...], depth: int,
        default_type: str, leaves: list[_Leaf], defects: list[str], prefix: str,
    ) -> None:
        """Collect the leaf parts of an entity (multiparts are walked, in order)."""
        try:
            mime = _mime(data, fields, default_type)
        except Exception:  # noqa: BLE001 - malformed MIME headers: read it as text
            defects.append("unreadable MIME headers")
            mime = _Mime()
        sec = ".".join(map(str, section)) or "1"
        if mime.ctype.startswith("multipart/"):
            if depth >= MAX_DEPTH:
                self.notes.add("limits", f"{prefix}part-{sec} (nested too deeply)")
                return
            split = None
            if mime.boundary:
                split = _split_parts(data, body, end, mime.boundary.encode("utf-8", "surrogateescape"))
            if split is None:
                defects.append("no boundary" if not mime.boundary else "boundary not found")
                leaves.append(_Leaf(sec, body, end, _Mime(), False))  # the body as text
                return
            parts, closed = split
            if not closed:
                defects.append("no close boundary")
            child_type = "message/rfc822" if mime.ctype == "multipart/digest" else "text/plain"
            for i, (ps, pe) in enumerate(parts, 1):
                if len(leaves) >= MAX_PARTS:
                    self.notes.add("limits", f"{prefix}part-{'.'.join(map(str, (*section, i)))}…",
                                   len(parts) - i + 1)
                    return
                pf, pb, _ = _fields(data, ps, pe)
                self._structure(data, pf, pb, pe, (*section, i), depth + 1, child_type, leaves, defects, prefix)
            return
        attachment = mime.disposition == "attachment" or mime.filename is not None
        leaves.append(_Leaf(sec, body, end, mime, attachment))

    # -- leaf parts --------------------------------------------------------------------
    def _leaves(self, data: bytes, leaves: list[_Leaf], prefix: str, depth: int) -> list[Unit]:
        body = next((x for x in leaves if not x.attachment and x.mime.ctype == "text/plain"), None)
        if body is None:
            body = next((x for x in leaves if not x.attachment and x.mime.ctype == "text/html"), None)
        units: list[Unit] = []
        names: set[str] = set()
        for leaf in leaves:
            name = self._name(leaf, leaf is body, names)
            names.add(name)
            try:
                units.extend(self._leaf(data, leaf, prefix, name, depth))
            except (ScanError, MemoryError):
                raise
            except Exception as exc:  # noqa: BLE001 - one bad part must not lose the others
                self.notes.add("raw", f"{prefix}{name} ({type(exc).__name__})".split("!/", 1)[-1])
                units.extend(self._raw(data[leaf.start : leaf.end], f"{prefix}{name}", name, 1))
        return units

    @staticmethod
    def _name(leaf: _Leaf, is_body: bool, taken: set[str]) -> str:
        maintype, _, subtype = leaf.mime.ctype.partition("/")
        if leaf.attachment:
            name = f"attachment/{_filename(leaf.mime.filename) or f'part-{leaf.section}'}"
            return name if name not in taken else f"{name} (part {leaf.section})"
        if is_body:
            return "body.html" if subtype == "html" else "body"
        if maintype == "text":
            ext = {"plain": "txt"}.get(subtype, re.sub(r"[^a-z0-9.+-]", "_", subtype) or "txt")
            return f"part-{leaf.section}.{ext}"
        return f"part-{leaf.section}"

    def _leaf(self, data: bytes, leaf: _Leaf, prefix: str, name: str, depth: int) -> list[Unit]:
        mime = leaf.mime
        path = f"{prefix}{name}"
        shown = path.split("!/", 1)[-1]
        maintype, _, subtype = mime.ctype.partition("/")
        if leaf.end <= leaf.start:
            return []
        if mime.ctype in ("message/rfc822", "message/global"):
            if depth + 1 >= MAX_DEPTH:
                self.notes.add("limits", f"{shown} (nested too deeply)")
                return []
            inner = self._payload(data, leaf, path)
            return self._message(inner, f"{path}/", shown, depth + 1, False)
        if maintype in _MEDIA:
            self.notes.add("skipped", f"{shown} ({mime.ctype})")
            return []
        if maintype == "text" or maintype == "message":  # message/delivery-status: fields as text
            payload = self._payload(data, leaf, path)
            encoding = _part_encoding(payload, mime.charset)
            if is_binary(payload[:SAMPLE_BYTES], encoding, nul_runs=True):
                self.notes.add("skipped", f"{shown} (binary)")
                return []
            if subtype == "html":
                text = _html_text(payload.decode(encoding, "replace"))
                return self._collect(_chunks(io.BytesIO(text.encode("utf-8", "replace")), path, "utf-8"), shown)
            return self._collect(_chunks(io.BytesIO(payload), path, encoding), shown)
        # application/*: sniff the content (CSV, JSON, logs sent as octet-stream; gzip)
        head = self._payload(data, leaf, path, SAMPLE_BYTES)
        if not head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
            if archive_kind(head):
                self.notes.add("skipped", f"{shown} (archive)")
                return []
            if _looks_binary(head):
                self.notes.add("skipped", f"{shown} ({mime.ctype})")
                return []
        payload = self._payload(data, leaf, path)
        skipped: list[str] = []
        member = Source(path=path, fs_path=self.fs_path, size=len(payload))
        stream: io.BufferedReader = io.BufferedReader(cast(io.RawIOBase, io.BytesIO(payload)), CHUNK_BYTES)
        units = self._collect(_member(stream, member, self.budget, skipped), shown)
        for s in skipped:
            self.notes.add("skipped", s.split("!/", 1)[-1])
        return units

    def _payload(self, data: bytes, leaf: _Leaf, path: str, limit: int = 0) -> bytes:
        """A leaf's body decoded from its transfer encoding (its first `limit` bytes only, when
        given: not counted against the budget)."""
        view = memoryview(data)[leaf.start : leaf.end]
        cte = leaf.mime.cte
        if limit:
            view = view[: limit * 2 + 1024]  # base64 takes 4/3, quoted-printable up to 3x
        if cte == "base64":
            out, bad = _b64(view)
            if bad and not limit:
                self.notes.add("malformed", f"{path.split('!/', 1)[-1]} (invalid base64)")
        elif cte == "quoted-printable":
            out = binascii.a2b_qp(view)
        else:
            out = bytes(view)
        if limit:
            return out[:limit]
        if len(out) > self.budget[0]:
            raise ReadError(self.path, f"decoded mail parts exceed the limit of {self.budget[0]} bytes "
                            "left of --max-decompressed")
        self.budget[0] -= len(out)
        return out

    # -- text ----------------------------------------------------------------------------
    def _collect(self, units: Iterator[Unit], shown: str) -> list[Unit]:
        """The chunks of `units`; their warnings become notes of the file's warning."""
        out: list[Unit] = []
        for u in units:
            if isinstance(u, FileIssue):
                self.notes.add("decoding", f"{shown}: {u.message}")
            else:
                out.append(u)
        return out

    def _unencoded(self, units: Iterator[Unit], label: str) -> Iterator[Unit]:
        """Raw text's chunks without its base64 lines (an attachment not decoded holds no
        text, and random base64 matches IBANs and keys); the lines stay, empty."""
        for u in units:
            if isinstance(u, FileIssue):
                self.notes.add("decoding", f"{label}: {u.message}")
            else:
                text = _BASE64_LINES.sub(lambda m: "\n" * m.group().count("\n"), u.text)
                yield TextChunk(u.path, u.first_line, text, u.first_col)

    def _raw(self, data: bytes, path: str, label: str, first_line: int) -> list[Unit]:
        """`data` scanned as plain text (a message or part that could not be decoded)."""
        if _looks_binary(data[:SAMPLE_BYTES]):
            self.notes.add("skipped", f"{label} (binary)")
            return []
        encoding = detect_encoding(without_nul_runs(data[:SAMPLE_BYTES]))
        return list(self._unencoded(_chunks(io.BytesIO(data), path, encoding, first_line), label))

    def raw_tail(self, messages: _Messages, path: str, label: str, first_line: int) -> Iterator[Unit]:
        """The rest of an oversized message, streamed as plain text."""
        stream = io.BufferedReader(_Tail(messages), CHUNK_BYTES)
        sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
        if sample and not _looks_binary(sample):
            encoding = detect_encoding(without_nul_runs(sample))
            yield from self._unencoded(_chunks(stream, path, encoding, first_line), label)
        while stream.read(CHUNK_BYTES):  # a binary rest: skip to the next message
            pass

