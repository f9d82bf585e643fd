"""JSON Lines and JSON reader: records flattened to dotted paths (`user.contact.email`).

JSON Lines: one record per non-blank line, `row` = 0-based record number. A line that is not
valid JSON (or is nested too deeply for the decoder) is a per-line problem: it becomes a
record with a single `_unparsed` column holding the raw line, still scanned for PII.
JSON: an array of records (one row each) or a single object (row 0). A file that is not
JSON at all, or nested too deeply, is scanned as plain text instead.
Flattening is iterative, so deep nesting never hits Python's recursion limit; lists
contribute their elements under the list's own path.
"""

from __future__ import annotations

import io
import json
import logging
import zlib
from collections.abc import Iterator
from typing import Any, cast

from scanner.errors import ReadError
from scanner.readers import register
from scanner.readers.text import (
    MAX_DECOMPRESSED,
    SAMPLE_BYTES,
    SkipFile,
    detect_encoding,
    is_binary,
    open_maybe_gzip,
    read_text,
)
from scanner.sources import Source
from scanner.tables import TableScan, flatten_json, record_mode, record_units

logger = logging.getLogger(__name__)

UNPARSED = "_unparsed"
#: a .json document larger than this (decompressed) is not parsed whole (memory) but
#: scanned as text
MAX_JSON_BYTES = 256 * 1024 * 1024


def _open_text(src: Source, options: Any) -> tuple[Any, io.TextIOWrapper]:
    try:
        raw = src.open()
    except OSError as exc:
        raise ReadError(src.path, f"cannot open: {exc.strerror or exc}") from exc
    stream = open_maybe_gzip(raw, src, getattr(options, "max_decompressed", MAX_DECOMPRESSED))
    try:
        sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    except (EOFError, OSError, zlib.error) as exc:
        raw.close()
        raise ReadError(src.path, f"corrupt or truncated gzip data: {exc}") from exc
    if not sample.strip():
        raw.close()
        raise SkipFile("empty file")
    encoding = detect_encoding(sample)
    if is_binary(sample, encoding):
        raw.close()
        raise SkipFile("binary content")
    return raw, io.TextIOWrapper(stream, encoding=encoding, errors="replace")


def parse_record(line: str) -> list[tuple[str, Any]]:
    """One JSON Lines record flattened; the raw line under `_unparsed` when it is not JSON."""
    try:
        return flatten_json(json.loads(line))
    except (ValueError, RecursionError):
        return [(UNPARSED, line)]


def _jsonl_records(src: Source, options: Any) -> Iterator[tuple[int, list[tuple[str, Any]]]]:
    raw, text = _open_text(src, options)
    bad = 0
    try:
        row = 0
        for line in text:
            s = line.strip()
            if not s:
                continue
            rec = parse_record(s)
            if rec and rec[0][0] == UNPARSED and len(rec) == 1:
                bad += 1
            yield row, rec
            row += 1
    finally:
        raw.close()
    if bad:
        logger.warning("%s: %d lines are not valid JSON (scanned as raw text)", src.path, bad)


@register(".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
def read_jsonl(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream a JSON Lines file as table units."""
    scan = TableScan(src.path, record_mode(options))
    yield from record_units(scan, _jsonl_records(src, options), options)


@register(".json", ".json.gz")
def read_json(src: Source, options: Any = None) -> Iterator[Any]:
    """Read a JSON document (array of records or one object) as table units."""
    if src.size > MAX_JSON_BYTES:
        logger.info("%s: JSON document over %d bytes; scanned as text", src.path, MAX_JSON_BYTES)
        yield from read_text(src, options)
        return
    raw, text = _open_text(src, options)
    try:
        # bounded by the decompressed size: a 12 MB .json.gz may hold 300 MB of JSON
        data = cast(bytes, text.buffer.read(MAX_JSON_BYTES + 1))
    finally:
        raw.close()
    if len(data) > MAX_JSON_BYTES:
        logger.info("%s: JSON document over %d bytes (decompressed); scanned as text",
                    src.path, MAX_JSON_BYTES)
        del data
        yield from read_text(src, options)
        return
    body = data.decode(text.encoding, errors="replace")
    del data
    try:
        doc = json.loads(body)
    except RecursionError:
        logger.info("%s: JSON nested too deeply for the decoder; scanned as text", src.path)
        yield from read_text(src, options)
        return
    except ValueError:
        lines = [ln for ln in body.splitlines() if ln.strip()]
        if lines and all(parse_record(ln)[0][0] != UNPARSED for ln in lines[:3]):
            yield from read_jsonl(src, options)  # JSON Lines under a .json name
        else:
            yield from read_text(src, options)
        return
    scan = TableScan(src.path, record_mode(options))
    items = doc if isinstance(doc, list) else [doc]
    yield from record_units(scan, ((i, flatten_json(x)) for i, x in enumerate(items)), options)
