"""Generated bad-input corpus and shared scan helpers for the robustness tests.

Every case is `Case(name, make, expected)`: `make(folder)` writes one bad input into
`folder` and returns its path; `expected` is the set of issue kinds the scan may report for
it (None = scanned without an issue). Nothing large is committed: everything is generated.

To add a case for a new reader (tables): append a `Case` to `CASES` (or `TABLE_CASES` when
only the contract can be asserted: per-file error or skipped notice, scan goes on, exit 3
exactly when there are errors). `must_find` lists e-mail addresses planted *after* the
broken part that the scan must still report (e.g. one bad JSON Lines line must not lose the
rest of the file).
"""

from __future__ import annotations

import atexit
import dataclasses
import gzip
import io
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest

from scanner import pipeline
from scanner.detect import Detector
from scanner.pipeline import Engine, ScanOptions, add_result, iter_results
from scanner.records import ScanResult

#: the e-mail every "good" neighbour file holds: the scan must go on past the bad input
GOOD_EMAIL = "good.neighbour@example.com"
ERROR, SKIPPED, WARNING = "error", "skipped", "warning"
SCANNED: frozenset[str | None] = frozenset({None})
ANY_CONTRACT: frozenset[str | None] = frozenset({ERROR, SKIPPED, WARNING, None})


@dataclass(frozen=True)
class Case:
    """One generated bad input and the issue kinds the scan may report for it."""

    name: str
    make: Callable[[Path], Path]
    expected: frozenset[str | None]
    must_find: tuple[str, ...] = field(default=())


# -- generators: each writes one file (or special file) and returns its path --------------
def empty(d: Path) -> Path:
    p = d / "empty.log"
    p.write_bytes(b"")
    return p


def empty_gzip(d: Path) -> Path:
    p = d / "empty.log.gz"
    p.write_bytes(gzip.compress(b""))
    return p


def binary_text_name(d: Path) -> Path:
    p = d / "app.log"
    p.write_bytes(bytes(range(256)) * 64)
    return p


def binary_other_name(d: Path) -> Path:
    p = d / "picture.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    return p


def invalid_utf8(d: Path) -> Path:
    """UTF-8 (with Japanese) plus a line of bytes valid in no candidate encoding."""
    p = d / "invalid-utf8.log"
    p.write_bytes("名前 太郎\n".encode() + b"bad \xff\xfe\xfd bytes\nmail broken.bytes@example.com\n")
    return p


def stray_high_bytes(d: Path) -> Path:
    """ASCII with a few stray high bytes: read as a single-byte encoding, nothing lost."""
    p = d / "stray.log"
    p.write_bytes(b"ok line\nodd \xff\xfe\xfd bytes\nmail stray.bytes@example.com\n")
    return p


def mixed_encodings(d: Path) -> Path:
    p = d / "mixed.log"
    p.write_bytes(
        "utf8 行 one@example.com\n".encode()
        + "sjis 行 kanji@example.com\n".encode("cp932")
        + b"utf8 again zed@example.com\n"
    )
    return p


def truncated_gzip(d: Path) -> Path:
    p = d / "truncated.log.gz"
    data = gzip.compress(b"".join(b"line %d user%d@example.com\n" % (i, i) for i in range(5000)))
    p.write_bytes(data[: len(data) // 2])
    return p


def gzip_bomb(d: Path) -> Path:
    """64 MiB of zeros in ~64 KB: over the limit the bad-input tests scan with (1 MiB)."""
    p = d / "bomb.log.gz"
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        block = b"\0" * (1 << 20)
        for _ in range(64):
            gz.write(block)
    p.write_bytes(buf.getvalue())
    return p


def gzip_garbage(d: Path) -> Path:
    p = d / "garbage.log.gz"
    p.write_bytes(b"\x1f\x8b" + os.urandom(4000))
    return p


def utf16_bom(d: Path) -> Path:
    p = d / "utf16.txt"
    p.write_bytes("mail utf16.user@example.com\n".encode("utf-16"))
    return p


def fifo(d: Path) -> Path:
    p = d / "pipe.log"
    os.mkfifo(p)
    return p


def unix_socket(d: Path) -> Path:
    # AF_UNIX paths are limited to ~108 bytes: bind in a short temporary folder, then link
    short = Path(tempfile.mkdtemp(prefix="pm", dir="/tmp"))
    atexit.register(shutil.rmtree, short, True)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(short / "s"))
    _KEEP.append(s)
    link = d / "service.sock.log"
    link.symlink_to(short / "s")
    return link


def device(d: Path) -> Path:
    link = d / "null.log"
    link.symlink_to("/dev/null")
    return link


def symlink_self_loop(d: Path) -> Path:
    p = d / "self-loop.log"
    p.symlink_to(p.name)
    return p


def symlink_dir_loop(d: Path) -> Path:
    sub = d / "sub"
    sub.mkdir()
    (sub / "inner.txt").write_text(f"mail {GOOD_EMAIL}\n")
    p = sub / "up"
    p.symlink_to("..")
    return p


def dangling_symlink(d: Path) -> Path:
    p = d / "dangling.log"
    p.symlink_to("does-not-exist")
    return p


def non_utf8_name(d: Path) -> Path:
    name = os.fsdecode(b"caf\xe9-\xff.log")  # surrogate-escaped str for the bytes name
    p = d / name
    p.write_text("mail named.badly@example.com\n")
    return p


def control_char_name(d: Path) -> Path:
    p = d / "line\nbreak\x1b[31m.log"
    p.write_text("mail escaped.name@example.com\n")
    return p


def no_newline_at_end(d: Path) -> Path:
    p = d / "no-eol.log"
    p.write_bytes(b"last.line@example.com")
    return p


def crlf_line_ends(d: Path) -> Path:
    p = d / "crlf.log"
    p.write_bytes(b"a\r\nb crlf.user@example.com\r\n")
    return p


# -- table formats: only the contract is asserted (text reader now, table readers later) --
def parquet_bad_footer(d: Path) -> Path:
    p = d / "bad-footer.parquet"
    p.write_bytes(b"PAR1" + os.urandom(2000) + b"\x10\x00\x00\x00PAR1")
    return p


def parquet_truncated(d: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = d / "truncated.parquet"
    table = pa.table({"email": [f"user{i}@example.com" for i in range(2000)], "n": list(range(2000))})
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=500)
    data = sink.getvalue()
    # keep the footer, drop bytes from the middle: row group offsets point past the data
    p.write_bytes(data[: len(data) // 3] + data[-(len(data) // 4) :])
    return p


def csv_unbalanced_quotes(d: Path) -> Path:
    p = d / "unbalanced.csv"
    p.write_text('id,email,note\n1,a@example.com,"open quote\n2,b@example.com,ok\n')
    return p


def csv_ragged(d: Path) -> Path:
    p = d / "ragged.csv"
    p.write_text("id,email\n1,a@example.com,extra,cells\n2\n3,ragged.tail@example.com\n")
    return p


def json_malformed(d: Path) -> Path:
    p = d / "malformed.json"
    p.write_text('{"users": [{"email": "a@example.com"}, {"email": ')
    return p


def jsonl_bad_line(d: Path) -> Path:
    p = d / "one-bad-line.jsonl"
    p.write_text(
        '{"email": "first@example.com"}\n{"email": broken\n{"email": "after.bad.line@example.com"}\n'
    )
    return p


def json_deeply_nested(d: Path) -> Path:
    p = d / "deep.json"
    depth = 100_000
    p.write_text("[" * depth + '"deep@example.com"' + "]" * depth)
    return p


_KEEP: list[socket.socket] = []  # bound sockets stay open for the scan

CASES: list[Case] = [
    Case("empty", empty, frozenset({SKIPPED})),
    Case("empty-gzip", empty_gzip, frozenset({SKIPPED})),
    Case("binary-text-name", binary_text_name, frozenset({ERROR})),
    Case("binary-other-name", binary_other_name, frozenset({SKIPPED})),
    Case("invalid-utf8", invalid_utf8, frozenset({WARNING}), ("broken.bytes@example.com",)),
    Case("stray-high-bytes", stray_high_bytes, frozenset({None, WARNING}), ("stray.bytes@example.com",)),
    Case("mixed-encodings", mixed_encodings, frozenset({WARNING}),
         ("one@example.com", "kanji@example.com", "zed@example.com")),
    Case("truncated-gzip", truncated_gzip, frozenset({ERROR})),
    Case("gzip-bomb", gzip_bomb, frozenset({ERROR})),
    Case("gzip-garbage", gzip_garbage, frozenset({ERROR})),
    Case("utf16-bom", utf16_bom, SCANNED, ("utf16.user@example.com",)),
    Case("fifo", fifo, frozenset({SKIPPED})),
    Case("unix-socket", unix_socket, frozenset({SKIPPED})),
    Case("device", device, frozenset({SKIPPED})),
    Case("symlink-self-loop", symlink_self_loop, frozenset({SKIPPED})),
    Case("symlink-dir-loop", symlink_dir_loop, frozenset({SKIPPED})),
    Case("dangling-symlink", dangling_symlink, frozenset({SKIPPED})),
    Case("non-utf8-name", non_utf8_name, SCANNED, ("named.badly@example.com",)),
    Case("control-char-name", control_char_name, SCANNED, ("escaped.name@example.com",)),
    Case("no-newline-at-end", no_newline_at_end, SCANNED, ("last.line@example.com",)),
    Case("crlf", crlf_line_ends, SCANNED, ("crlf.user@example.com",)),
]

TABLE_CASES: list[Case] = [
    Case("parquet-bad-footer", parquet_bad_footer, frozenset({ERROR, SKIPPED})),
    Case("parquet-truncated", parquet_truncated, frozenset({ERROR, SKIPPED})),
    Case("csv-unbalanced-quotes", csv_unbalanced_quotes, ANY_CONTRACT),
    Case("csv-ragged", csv_ragged, ANY_CONTRACT, ("ragged.tail@example.com",)),
    Case("json-malformed", json_malformed, ANY_CONTRACT),
    Case("jsonl-bad-line", jsonl_bad_line, ANY_CONTRACT, ("after.bad.line@example.com",)),
    Case("json-deeply-nested", json_deeply_nested, ANY_CONTRACT),
]

#: the option the bad-input scans use, so that the bomb case stays small
TEST_MAX_DECOMPRESSED = 1 << 20


# -- helpers ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _base_engine() -> Engine:
    # Building an engine compiles the prefilter (seconds): once per test session. Built
    # field by field with the real build_detector, which reuse_detectors() may have patched.
    from scanner.policy import load_policy

    opts = ScanOptions(workers=1, nlp="off")
    eng = object.__new__(Engine)
    eng.opts = opts
    eng.policy = load_policy(opts.policy)
    eng.detector = _REAL_BUILD(opts)
    return eng


def engine(**overrides: object) -> Engine:
    """A shared engine with `overrides` applied to its options (cheap copy, same detector)."""
    base = _base_engine()
    if not overrides:
        return base
    eng = object.__new__(Engine)
    eng.__dict__.update(base.__dict__)
    eng.opts = dataclasses.replace(base.opts, **overrides)  # type: ignore[arg-type]
    return eng


_REAL_BUILD = pipeline.build_detector
_DETECTORS: dict[tuple[object, ...], Detector] = {}


def reuse_detectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make in-process CLI runs share detectors (building one compiles the prefilter: seconds)."""

    def cached(opts: ScanOptions) -> Detector:
        key = (opts.entities, opts.min_score, opts.nlp, opts.use_hyperscan)
        if key not in _DETECTORS:
            base = _base_engine()
            same = (base.opts.entities, base.opts.min_score, base.opts.nlp, base.opts.use_hyperscan)
            _DETECTORS[key] = base.detector if key == same else _REAL_BUILD(opts)
        return _DETECTORS[key]

    monkeypatch.setattr(pipeline, "build_detector", cached)


def scan_paths(paths: Iterable[Path | str], **overrides: object) -> ScanResult:
    """Scan `paths` in-process with the shared engine and collect everything."""
    eng = engine(**overrides)
    out = ScanResult()
    for fr in iter_results([str(p) for p in paths], eng.opts, engine=eng):
        add_result(out, fr)
    return out


def issue_for(result: ScanResult, path_suffix: str) -> str | None:
    """The kind of the issue whose path ends with `path_suffix` (None when there is none)."""
    kinds = [i.kind for i in result.issues if i.path.endswith(path_suffix)]
    assert len(kinds) <= 1, f"several issues for {path_suffix}: {result.issues}"
    return kinds[0] if kinds else None


def found_previews(result: ScanResult) -> set[str]:
    """Previews of all findings (e-mail previews keep the domain, so tests can match them)."""
    return {f.preview for f in result.findings}


def email_preview(email: str) -> str:
    """The masked preview an e-mail gets (t***@example.com)."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


def is_special(path: Path) -> bool:
    """True for FIFOs, sockets and devices (after following links)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
