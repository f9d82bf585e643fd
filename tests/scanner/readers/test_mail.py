"""Mail reader: .eml and mbox files decoded part by part, through the real engine.

Fixtures are built here with the stdlib `email` and `mailbox` packages (no binaries kept).
"""

from __future__ import annotations

import gzip
import io
import mailbox
import random
import zipfile
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.errors import ReadError, SkipFile
from scanner.readers import mail, reader_for
from scanner.readers.mail import read_mail, sniff
from scanner.readers.text import read_text
from scanner.records import ScanResult
from scanner.sources import Source
from tests.corpus import TEST_MAX_DECOMPRESSED, scan_paths

MY_NUMBER_BODY = "山田です。\nマイナンバー：482917365029\n携帯 090-8765-4321\n"
#: (line, start, end, entity) of MY_NUMBER_BODY's findings
MY_NUMBER_FOUND = [(2, 7, 19, "JP_MY_NUMBER"), (3, 3, 16, "PHONE_NUMBER")]


def _found(res: ScanResult, root: Path) -> list[tuple[str, int | None, int, int, str]]:
    """(path under `root`, line, start, end, entity) of every finding, sorted."""
    return sorted(
        (f.path.removeprefix(f"{root}/"), f.line, f.start, f.end, f.entity) for f in res.findings
    )


def _jis_message() -> EmailMessage:
    m = EmailMessage()
    m["From"] = Address("山田 太郎", addr_spec="taro.yamada@example.co.jp")  # an RFC 2047 From
    m["To"] = "support@example.com"
    m["Subject"] = "マイナンバー登録の件"
    m.set_content(MY_NUMBER_BODY, charset="iso-2022-jp", cte="base64")
    return m


def _multipart() -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Hanako <hanako@example.com>"
    m["To"] = "desk@example.com"
    m["Subject"] = "予約"
    m.set_content("電話 090-8765-4321 です\n住所 東京都千代田区千代田1-1\n", charset="utf-8",
                  cte="quoted-printable")
    m.add_alternative(
        "<html><head><style>p {color: red}</style><script>var a = 'zz@example.com';</script></head>"
        '<body><p>連絡先 <a href="mailto:hanako.s@example.com">メール</a></p>\n'
        "<p>TEL&nbsp;03-1234-5678</p><!-- old@example.com --></body></html>\n",
        subtype="html", charset="utf-8", cte="base64",
    )
    m.add_attachment(b"name,email\nTaro,taro@example.org\n", maintype="text", subtype="csv", filename="report.csv")
    m.add_attachment(bytes(range(256)) * 10, maintype="application", subtype="pdf", filename="scan.pdf")
    m.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(200), maintype="image", subtype="png", filename="logo.png")
    return m


def test_when_body_is_base64_iso2022jp_and_from_is_encoded_then_both_are_decoded(tmp_path: Path) -> None:
    p = tmp_path / "mail.eml"
    p.write_bytes(_jis_message().as_bytes(policy=policy.SMTP))  # CRLF, as mail travels
    res = scan_paths([p])
    assert _found(res, tmp_path) == sorted([
        ("mail.eml!/headers", 1, 13, 38, "EMAIL_ADDRESS"),  # From: 山田 太郎 <taro.yamada@…>
        ("mail.eml!/headers", 2, 4, 23, "EMAIL_ADDRESS"),
        *[("mail.eml!/body", *f) for f in MY_NUMBER_FOUND],
    ])
    assert res.issues == []


@pytest.mark.parametrize(
    ("charset", "cte"),
    [("utf-8", "base64"), ("utf-8", "quoted-printable"), ("iso-2022-jp", "base64"),
     ("shift_jis", "quoted-printable"), ("shift_jis", "base64"), ("euc-jp", "8bit")],
)
def test_when_body_has_a_charset_and_transfer_encoding_then_its_text_is_found(
    tmp_path: Path, charset: str, cte: str
) -> None:
    m = EmailMessage()
    m["From"] = "x@example.com"
    m.set_content(MY_NUMBER_BODY, charset=charset, cte=cte)
    p = tmp_path / "m.eml"
    p.write_bytes(bytes(m))
    res = scan_paths([p])
    assert [f for f in _found(res, tmp_path) if f[0] == "m.eml!/body"] == [("m.eml!/body", *f) for f in MY_NUMBER_FOUND]


def test_when_charset_is_missing_or_wrong_then_the_encoding_is_detected(tmp_path: Path) -> None:
    body = MY_NUMBER_BODY.encode("cp932")
    cases = {
        "missing.eml": b"From: x@example.com\nContent-Transfer-Encoding: 8bit\n\n",
        "wrong.eml": b"From: x@example.com\nContent-Type: text/plain; charset=utf-8\n\n",
        "unknown.eml": b"From: x@example.com\nContent-Type: text/plain; charset=x-made-up\n\n",
        # a codec that is no text encoding must not be run on the payload (zlib: a bomb)
        "codec.eml": b"From: x@example.com\nContent-Type: text/plain; charset=zlib_codec\n\n",
    }
    for name, head in cases.items():
        (tmp_path / name).write_bytes(head + body)
    res = scan_paths(sorted(tmp_path.iterdir()))
    assert [f for f in _found(res, tmp_path) if f[0].endswith("!/body")] == [
        (f"{name}!/body", *f) for name in sorted(cases) for f in MY_NUMBER_FOUND
    ]


def test_when_raw_8bit_or_jis_headers_then_they_are_decoded(tmp_path: Path) -> None:
    data = (
        b"From: x@example.com\nSubject: " + "山田様 マイナンバー：482917365029".encode("cp932")
        + b"\nX-Note: " + "電話 090-8765-4321".encode("iso2022_jp") + b"\n\nbody\n"
    )
    p = tmp_path / "raw.eml"
    p.write_bytes(data)
    assert [f for f in _found(scan_paths([p]), tmp_path) if f[4] != "EMAIL_ADDRESS"] == [
        ("raw.eml!/headers", 2, 9, 11, "PERSON"),  # 山田 before 様
        ("raw.eml!/headers", 2, 20, 32, "JP_MY_NUMBER"),  # "Subject: 山田様 マイナンバー：" is 20 chars
        ("raw.eml!/headers", 3, 11, 24, "PHONE_NUMBER"),  # ISO-2022-JP escapes decoded
    ]


def test_when_headers_are_folded_then_each_field_keeps_its_physical_line(tmp_path: Path) -> None:
    data = (
        b"Received: from mx.example.com\n    by host;\n    Mon, 20 Nov 2023 10:00:00 +0900\n"
        b"To: =?UTF-8?B?5bGx55Sw?=\n <yamada@example.com>\n"
        b"Cc: carol@example.com\n\nhi\n"
    )
    p = tmp_path / "folded.eml"
    p.write_bytes(data)
    assert [f for f in _found(scan_paths([p]), tmp_path) if f[4] == "EMAIL_ADDRESS"] == [
        ("folded.eml!/headers", 4, 8, 26, "EMAIL_ADDRESS"),  # To: 山田 <yamada@…> (lines 4-5)
        ("folded.eml!/headers", 6, 4, 21, "EMAIL_ADDRESS"),  # the file's line 6
    ]


def test_when_multipart_has_html_and_attachments_then_each_part_is_located(tmp_path: Path) -> None:
    p = tmp_path / "multi.eml"
    msg = _multipart()
    p.write_bytes(bytes(msg))
    html = next(part for part in msg.walk() if part.get_content_type() == "text/html").get_content()
    mailto = html.split("\n")[0].index("hanako.s@example.com")  # no entity before it on its line
    res = scan_paths([p])
    assert _found(res, tmp_path) == [
        ("multi.eml!/attachment/report.csv", 2, 5, 21, "EMAIL_ADDRESS"),
        ("multi.eml!/body", 1, 3, 16, "PHONE_NUMBER"),
        ("multi.eml!/body", 2, 3, 16, "ADDRESS"),
        ("multi.eml!/headers", 1, 14, 32, "EMAIL_ADDRESS"),
        ("multi.eml!/headers", 2, 4, 20, "EMAIL_ADDRESS"),
        # the link target in place of its tag, nothing from <script> or the comment
        ("multi.eml!/part-1.2.html", 1, mailto, mailto + 20, "EMAIL_ADDRESS"),
        ("multi.eml!/part-1.2.html", 2, 7, 19, "PHONE_NUMBER"),  # TEL&nbsp;03-… (after the entity)
    ]
    assert [(i.kind, i.message) for i in res.issues] == [(
        "warning",
        "mail parts not scanned (binary, media, archives): attachment/scan.pdf (application/pdf), "
        "attachment/logo.png (image/png)",
    )]


def test_when_html_is_reduced_then_text_keeps_its_columns() -> None:
    html = ('<p>mail <b>a@example.com</b></p>\n<script>\nx = "b@example.com"\n</script>'
            '<a href="tel:0312345678">c&amp;d</a>')
    text = mail._html_text(html)
    assert text.split("\n") == [
        "   mail    a@example.com        ",
        " " * 8,
        " " * 19,
        " " * 9 + '         tel:0312345678  c&d    ' + " " * 4,
    ]
    assert [len(x) for x in text.split("\n")] == [len(x) for x in html.split("\n")]


def test_when_an_attachment_is_gzipped_text_or_json_then_it_is_decoded(tmp_path: Path) -> None:
    m = EmailMessage()
    m["From"] = "x@example.com"
    m.set_content("see attached")
    m.add_attachment(gzip.compress(b"ok\nuser bob@example.com\n"), maintype="application", subtype="gzip",
                     filename="app.log.gz")
    m.add_attachment(b'{"email": "carol@example.com"}\n', maintype="application", subtype="octet-stream",
                     filename="dump.json")
    m.add_attachment(b'{"email": "dave@example.com"}\n', maintype="application", subtype="octet-stream",
                     filename="dump.json")  # the same name twice: told apart by section
    p = tmp_path / "att.eml"
    p.write_bytes(bytes(m))
    assert [f[:2] for f in _found(scan_paths([p]), tmp_path) if "attachment" in f[0]] == [
        ("att.eml!/attachment/app.log.gz", 2),
        ("att.eml!/attachment/dump.json", 1),
        ("att.eml!/attachment/dump.json (part 4)", 1),
    ]


def test_when_a_message_is_forwarded_as_an_attachment_then_it_is_read_as_a_message(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "eve@example.com"
    inner.set_content(MY_NUMBER_BODY, cte="base64")
    outer = EmailMessage()
    outer["From"] = "fwd@example.com"
    outer.set_content("see below")
    outer.add_attachment(inner, filename="orig.eml")
    p = tmp_path / "fwd.eml"
    p.write_bytes(bytes(outer))
    assert _found(scan_paths([p]), tmp_path) == [
        ("fwd.eml!/attachment/orig.eml/body", *f) for f in MY_NUMBER_FOUND
    ] + [
        ("fwd.eml!/attachment/orig.eml/headers", 1, 6, 21, "EMAIL_ADDRESS"),
        ("fwd.eml!/headers", 1, 6, 21, "EMAIL_ADDRESS"),
    ]


def _mbox(path: Path) -> Path:
    box = mailbox.mbox(str(path))
    second = EmailMessage()
    second["From"] = "bob@example.com"
    second.set_content("From the desk of Bob\n\nFrom here on: 090-1111-2222\n")  # "From " in the body
    for msg in (_jis_message(), second, _multipart()):
        box.add(msg)
    box.flush()
    box.close()
    return path


def test_when_an_mbox_holds_three_messages_then_each_is_named_by_its_index(tmp_path: Path) -> None:
    p = _mbox(tmp_path / "inbox.mbox")
    res = scan_paths([p])
    found = _found(res, tmp_path)
    assert [f for f in found if f[0].startswith("inbox.mbox!/1/")] == sorted([
        ("inbox.mbox!/1/headers", 2, 13, 38, "EMAIL_ADDRESS"),  # line 1 is the mbox "From " line
        ("inbox.mbox!/1/headers", 3, 4, 23, "EMAIL_ADDRESS"),
        *[("inbox.mbox!/1/body", *f) for f in MY_NUMBER_FOUND],
    ])
    assert [f for f in found if f[0].startswith("inbox.mbox!/2/")] == [
        ("inbox.mbox!/2/body", 3, 15, 28, "PHONE_NUMBER"),  # mailbox wrote ">From here on"
        ("inbox.mbox!/2/headers", 2, 6, 21, "EMAIL_ADDRESS"),
    ]
    assert {f[0] for f in found if f[0].startswith("inbox.mbox!/3/")} == {
        "inbox.mbox!/3/attachment/report.csv", "inbox.mbox!/3/body", "inbox.mbox!/3/headers",
        "inbox.mbox!/3/part-1.2.html",
    }
    assert [i.message for i in res.issues] == [
        "mail parts not scanned (binary, media, archives): 3/attachment/scan.pdf (application/pdf), "
        "3/attachment/logo.png (image/png)"
    ]


def test_when_an_mbox_is_compressed_then_it_is_read_the_same(tmp_path: Path) -> None:
    plain = _mbox(tmp_path / "inbox.mbox")
    packed = tmp_path / "inbox.mbox.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    res = scan_paths([plain, packed])
    found = _found(res, tmp_path)
    assert [f[1:] for f in found if f[0].startswith("inbox.mbox.gz!/")] == [
        f[1:] for f in found if f[0].startswith("inbox.mbox!/")
    ]
    assert reader_for(str(packed)) is read_mail


def test_when_an_mbox_is_large_then_messages_stream_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail, "CHUNK_BYTES", 4096)
    one = b"From a@example.com Mon Nov 20 10:00:00 2023\nFrom: a@example.com\n\n" + b"x" * 1000 + b"\n\n"
    data = one * 2000  # 2 MB

    class Counting(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            out = super().read(n)
            self.most = max(getattr(self, "most", 0), self.tell())
            return out

    stream = Counting(data)
    units = mail.read_mail_stream(stream, Source("in.mbox", "in.mbox"), "mbox", [1 << 30])  # type: ignore[arg-type]
    first = next(units)
    assert first.path == "in.mbox!/1/headers"  # type: ignore[union-attr]
    assert stream.most <= 2 * 4096  # the first message came before the second block was read
    rest = list(units)
    assert sum(1 for u in rest if u.path.endswith("/body")) == 2000  # type: ignore[union-attr]


def test_when_a_message_is_larger_than_the_limit_then_its_head_is_decoded_and_the_rest_scanned_raw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", 4096)
    m = EmailMessage()
    m["From"] = "big@example.com"
    m.set_content("phone 090-8765-4321\n", cte="base64")
    m.add_attachment(random.Random(0).randbytes(20_000), maintype="application", subtype="octet-stream",
                     filename="blob.bin")
    data = bytes(m) + b"plain tail: zoe@example.com\n"  # text after the close delimiter (an epilogue)
    p = tmp_path / "big.eml"
    p.write_bytes(data)
    res = scan_paths([p])
    tail_line = data.decode().split("\n").index("plain tail: zoe@example.com") + 1
    assert _found(res, tmp_path) == [
        ("big.eml", tail_line, 12, 27, "EMAIL_ADDRESS"),  # raw, at the file's line
        ("big.eml!/body", 1, 6, 19, "PHONE_NUMBER"),
        ("big.eml!/headers", 1, 6, 21, "EMAIL_ADDRESS"),
    ]
    assert [i.kind for i in res.issues] == ["warning"]
    assert "larger than 4096 bytes, the rest scanned as raw text (not decoded): message" in res.issues[0].message


def test_when_an_mbox_message_is_larger_than_the_limit_then_the_next_message_is_still_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", 2048)
    monkeypatch.setattr(mail, "CHUNK_BYTES", 1024)
    big = b"From a@example.com Mon Nov 20 10:00:00 2023\nFrom: a@example.com\n\n" + b"text line\n" * 800
    big += b"raw tail bob@example.com\n\n"
    small = b"From c@example.com Mon Nov 20 11:00:00 2023\nFrom: c@example.com\n\nTEL 090-8765-4321\n"
    p = tmp_path / "box.mbox"
    p.write_bytes(big + small)
    res = scan_paths([p])
    assert _found(res, tmp_path) == [
        ("box.mbox!/1", 804, 9, 24, "EMAIL_ADDRESS"),  # line 804 of message 1, scanned raw
        ("box.mbox!/1/headers", 1, 5, 18, "EMAIL_ADDRESS"),  # the "From " line
        ("box.mbox!/1/headers", 2, 6, 19, "EMAIL_ADDRESS"),
        ("box.mbox!/2/body", 1, 4, 17, "PHONE_NUMBER"),
        ("box.mbox!/2/headers", 1, 5, 18, "EMAIL_ADDRESS"),
        ("box.mbox!/2/headers", 2, 6, 19, "EMAIL_ADDRESS"),
    ]


def test_when_decoded_parts_exceed_the_decompression_limit_then_error(tmp_path: Path) -> None:
    m = EmailMessage()
    m["From"] = "x@example.com"
    m.set_content("a" * (TEST_MAX_DECOMPRESSED + 10) + "\n", cte="base64")
    p = tmp_path / "huge.eml"
    p.write_bytes(bytes(m))
    res = scan_paths([p], max_decompressed=TEST_MAX_DECOMPRESSED)
    assert [i.kind for i in res.issues] == ["error"]
    assert "exceed the limit" in res.issues[0].message


CORRUPT = {
    # no close delimiter, invalid base64 in the first part
    "open.eml": b"From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XYZ\n\n"
                b"preamble\n--XYZ\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                b"6Zu76KmxIDA5MC04NzY1LTQzMjE\n--XYZ\nContent-Type: text/plain\n\ncontact bob@example.com\n",
    # multipart without a boundary parameter: its body is read as text
    "nobound.eml": b"From: a@example.com\nContent-Type: multipart/mixed\n\nhello carol@example.com\n",
    # a boundary that is never there
    "lost.eml": b"From: a@example.com\nContent-Type: multipart/mixed; boundary=QQQ\n\n--XXX\ndave@example.com\n",
    # header lines that never end, then text
    "noblank.eml": b"From: a@example.com\nthis is not a header eve@example.com\n",
    # RFC 2231 and RFC 2047 nonsense in the parameters
    "params.eml": b"From: a@example.com\nContent-Type: text/plain; charset*=''; name*0*=%%%\n"
                  b"Content-Disposition: attachment; filename=\"=?bogus?Q?x?=\"\n\nfrank@example.com\n",
}


def test_when_mime_is_corrupt_then_what_decodes_is_found_and_the_file_gets_a_warning(tmp_path: Path) -> None:
    for name, data in CORRUPT.items():
        (tmp_path / name).write_bytes(data)
    res = scan_paths(sorted(tmp_path.iterdir()))
    assert _found(res, tmp_path) == [
        ("lost.eml!/body", 2, 0, 16, "EMAIL_ADDRESS"),  # the body as text
        ("lost.eml!/headers", 1, 6, 19, "EMAIL_ADDRESS"),
        ("noblank.eml!/body", 1, 21, 36, "EMAIL_ADDRESS"),  # the body starts at the first non-field
        ("noblank.eml!/headers", 1, 6, 19, "EMAIL_ADDRESS"),
        ("nobound.eml!/body", 1, 6, 23, "EMAIL_ADDRESS"),
        ("nobound.eml!/headers", 1, 6, 19, "EMAIL_ADDRESS"),
        ("open.eml!/body", 1, 3, 16, "PHONE_NUMBER"),  # the base64 lost its padding: mended
        ("open.eml!/headers", 1, 6, 19, "EMAIL_ADDRESS"),
        ("open.eml!/part-2.txt", 1, 8, 23, "EMAIL_ADDRESS"),  # the last part runs to the end
        ("params.eml!/attachment/x", 1, 0, 17, "EMAIL_ADDRESS"),  # unknown charset: policy.default
        ("params.eml!/headers", 1, 6, 19, "EMAIL_ADDRESS"),
    ]
    messages = {i.path.rsplit("/", 1)[-1]: (i.kind, i.message) for i in res.issues}
    assert messages == {
        "lost.eml": ("warning", "malformed MIME, decoded as far as possible: message (boundary not found)"),
        "nobound.eml": ("warning", "malformed MIME, decoded as far as possible: message (no boundary)"),
        "noblank.eml": ("warning", "malformed MIME, decoded as far as possible: message (no blank line "
                        "after the headers)"),
        "open.eml": ("warning", "malformed MIME, decoded as far as possible: body (invalid base64), "
                     "message (no close boundary)"),
    }


def test_when_any_corruption_of_a_message_is_read_then_only_piimap_errors_are_raised(tmp_path: Path) -> None:
    good = bytes(_multipart()) + b"\n" + bytes(_jis_message())
    rng = random.Random(7)
    p = tmp_path / "fuzz.mbox"
    for _ in range(150):
        data = bytearray(b"From x@example.com Mon Nov 20 10:00:00 2023\n" + good)
        for _ in range(rng.randint(1, 30)):
            pos = rng.randrange(len(data))
            op = rng.random()
            if op < 0.4:
                data[pos] = rng.choice(b"\n-=:;\"\\?<>\r\x00\xff ")
            elif op < 0.7:
                del data[pos : pos + rng.randint(1, 300)]
            else:
                data[pos:pos] = data[rng.randrange(len(data)) :][: rng.randint(1, 300)]
        p.write_bytes(bytes(data[: rng.randrange(1, len(data) + 1)]))
        src = Source(str(p), str(p), p.stat().st_size)
        try:
            for unit in read_mail(src):
                assert unit.path.startswith(str(p))
        except (ReadError, SkipFile):
            pass


def test_when_binary_junk_is_named_as_mail_then_it_is_an_error_like_other_text_names(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 40
    for name in ("junk.eml", "junk.mbox", "junk.eml.gz"):
        (tmp_path / name).write_bytes(gzip.compress(junk) if name.endswith(".gz") else junk)
    (tmp_path / "empty.eml").write_bytes(b"")
    res = scan_paths(sorted(tmp_path.iterdir()))
    kinds = {i.path.rsplit("/", 1)[-1]: (i.kind, i.message.split(" (")[0]) for i in res.issues}
    assert kinds == {
        "empty.eml": ("skipped", "empty file"),
        "junk.eml": ("error", "binary content in a file named as mail"),
        "junk.eml.gz": ("error", "binary content in a file named as mail"),
        "junk.mbox": ("error", "binary content in a file named as mail"),
    }
    assert res.findings == []


def test_when_a_file_without_suffix_starts_like_a_mail_then_it_is_read_as_mail(tmp_path: Path) -> None:
    maildir = tmp_path / "cur"
    maildir.mkdir()
    m = EmailMessage()
    m["Return-Path"] = "<bounce@example.com>"
    m["From"] = "=?iso-2022-jp?b?GyRCOzNFRBsoQg==?= <yamada@example.com>"
    m.set_content(MY_NUMBER_BODY, charset="utf-8", cte="base64")
    (maildir / "1700000000.M1P2.host:2,S").write_bytes(bytes(m))
    spool = _mbox(tmp_path / "spool.tmp").read_bytes()
    (tmp_path / "alice").write_bytes(spool)  # /var/mail/alice
    (tmp_path / "notes.txt").write_bytes(bytes(m))  # a .txt stays text: its own lines
    (tmp_path / "http").write_bytes(b"Date: Mon\nServer: nginx\n\nuser bob@example.com\n")  # not mail
    (tmp_path / "spool.tmp").unlink()
    res = scan_paths([tmp_path])
    paths = {f[0] for f in _found(res, tmp_path)}
    assert {p for p in paths if p.startswith("cur/")} == {"cur/1700000000.M1P2.host:2,S!/body",
                                                         "cur/1700000000.M1P2.host:2,S!/headers"}
    assert {p.split("/", 2)[0] for p in paths if p.startswith("alice")} == {"alice!"}
    assert {p.split("/")[1] for p in paths if p.startswith("alice")} == {"1", "2", "3"}
    assert "notes.txt" in paths and "http" in paths
    assert sniff("x.log", b"From: a@example.com\nReceived: x\n\n") is None
    assert sniff("-", b"From: a@example.com\nReceived: x\n\n") == "message"
    assert sniff("mail", b"From a@example.com Mon Nov 20 10:00:00 2023\nFrom: a@b.com\nTo: c@d.com\n\n") == "mbox"


def test_when_mail_comes_on_standard_input_then_it_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.cli import main
    from tests.corpus import reuse_detectors

    reuse_detectors(monkeypatch)
    res = CliRunner().invoke(main, ["scan", "-", "--workers", "1", "--nlp", "off"],
                             input=bytes(_jis_message()))
    assert res.exit_code == 1, res.output
    assert '"path": "-!/body", "line": 2, "row": null, "column": null, "start": 7, "end": 19, ' \
           '"entity": "JP_MY_NUMBER"' in res.stdout


def test_when_an_archive_holds_mail_then_messages_are_decoded_inside_it(tmp_path: Path) -> None:
    p = tmp_path / "export.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("mails/a.eml", bytes(_jis_message()))
        zf.writestr("cur/1700000000.M1.host", bytes(_jis_message()))
        zf.writestr("notes.log", b"carol@example.com\n")
    found = _found(scan_paths([p]), tmp_path)
    assert {f[0] for f in found} == {
        "export.zip!/mails/a.eml!/headers", "export.zip!/mails/a.eml!/body",
        "export.zip!/cur/1700000000.M1.host!/headers", "export.zip!/cur/1700000000.M1.host!/body",
        "export.zip!/notes.log",
    }


def test_when_a_text_file_is_read_then_the_mail_sniff_does_not_change_it(tmp_path: Path) -> None:
    p = tmp_path / "app"
    p.write_bytes(b"2024-01-01 login alice@example.com\n")
    chunks = list(read_text(Source(str(p), str(p), p.stat().st_size)))
    assert [(c.path, c.first_line) for c in chunks] == [(str(p), 1)]  # type: ignore[union-attr]


def test_when_a_file_without_suffix_may_be_scanned_in_pieces_then_it_is_not_sniffed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner import pipeline
    from scanner.readers import text as text_reader

    # pieces are read as plain text: sniffing only some sizes keeps results the same for any
    # number of workers (pipeline.split_points would need to sniff too, to lift this)
    assert text_reader.MAIL_SNIFF_MAX <= 2 * pipeline.PIECE_BYTES
    spool = tmp_path / "alice"
    spool.write_bytes(bytes(_jis_message()))
    monkeypatch.setattr(text_reader, "MAIL_SNIFF_MAX", spool.stat().st_size)
    assert {f.path for f in scan_paths([spool]).findings} == {str(spool)}
    packed = tmp_path / "alice.1.gz"  # compressed: never cut in pieces, so sniffed whatever its size
    packed.write_bytes(gzip.compress(spool.read_bytes() * 2))
    assert {f.path.split("!/")[1] for f in scan_paths([packed]).findings} == {"headers", "body"}


def test_when_headers_name_people_then_their_display_names_are_persons(tmp_path: Path) -> None:
    m = EmailMessage()
    m["From"] = Address("Priya Raman", addr_spec="priya.raman@example.com")
    m["To"] = [
        Address("Hope Lang", addr_spec="hope@example.org"),
        Address("Customer Support", addr_spec="support@example.com"),  # a role, not a person
    ]
    m["Reply-To"] = Address("No Reply", addr_spec="noreply@example.com")
    m["Subject"] = "Renewal"
    m.set_content("The renewal is attached.\n")
    p = tmp_path / "renewal.eml"
    p.write_bytes(m.as_bytes(policy=policy.SMTP))
    res = scan_paths([p])
    persons = [f for f in res.findings if f.entity == "PERSON"]
    assert {(f.path.rsplit("!", 1)[-1], f.recognizer) for f in persons} == {("/headers", "DisplayNameRecognizer")}
    assert sorted((f.line, f.end - f.start) for f in persons) == [(1, len("Priya Raman")), (2, len("Hope Lang"))]
