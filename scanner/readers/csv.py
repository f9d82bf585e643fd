"""CSV/TSV reader: delimiter and header sniffing, CP932/EUC-JP, gzip, ragged rows.

The fast path streams the file through `pyarrow.csv.open_csv` (every column read as
string, quoted multi-line cells allowed). A row it cannot parse (ragged, undecodable)
switches to Python's `csv` module, which re-reads the file and continues after the rows
already delivered: short rows are padded, extra cells go to `column_N` columns, so one
malformed row never loses the rest of the file.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import sys
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from scanner.errors import ReadError
from scanner.readers import register
from scanner.readers.text import (
    MAX_DECOMPRESSED,
    SAMPLE_BYTES,
    SkipFile,
    detect_encoding,
    is_binary,
    open_maybe_gzip,
)
from scanner.sources import Source
from scanner.tables import (
    ArrowSampler,
    TableProfiles,
    TableScan,
    batch_from_arrow,
    header_evidence,
    is_free_text_header,
    is_numeric_only,
    mode_of,
    record_units,
    table_seed,
    unique_names,
    whole_table_note,
    whole_table_rows,
)

logger = logging.getLogger(__name__)

BLOCK_BYTES = 4 * 1024 * 1024
#: sample mode reads at most this many (decompressed) bytes from the start of a CSV file
#: (`ScanOptions.extra["csv_sample_bytes"]` overrides): the row sample is drawn from them
SAMPLE_PREFIX_BYTES = 64 * 1024 * 1024
#: ... and the Python fallback parser (malformed files) at most this many rows
SAMPLE_PREFIX_ROWS = 250_000
_DELIMITERS = ",\t;|"
_MANY_DIGITS = re.compile(r"\d{3,}")
#: Excel's delimiter hint, a first line such as `sep=;` (Excel writes and honours it)
_SEP_LINE = re.compile(r'^"?sep=(.)"?\s*$', re.IGNORECASE)
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class CsvLayout:
    """What sniffing decided: encoding, dialect, header and column names."""

    encoding: str
    delimiter: str
    quotechar: str
    header: bool
    names: tuple[str, ...]
    #: lines before the header (or first data row): 1 for an Excel `sep=;` line
    skip_lines: int = 0


def _open(src: Source, options: Any) -> tuple[BinaryIO, BinaryIO]:
    try:
        raw = src.open()
    except OSError as exc:
        raise ReadError(src.path, f"cannot open: {exc.strerror or exc}") from exc
    return raw, open_maybe_gzip(raw, src, getattr(options, "max_decompressed", MAX_DECOMPRESSED))


def sniff(src: Source, options: Any) -> CsvLayout:
    """Sniff encoding, delimiter and header from the first 64 KB."""
    raw, stream = _open(src, options)
    try:
        try:
            sample = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]  # type: ignore[attr-defined]
        except (EOFError, OSError, zlib.error) as exc:
            raise ReadError(src.path, f"corrupt or truncated gzip data: {exc}") from exc
    finally:
        raw.close()
    if not sample.strip():
        raise SkipFile("empty file")
    encoding = detect_encoding(sample)
    if is_binary(sample, encoding):
        raise SkipFile("binary content")
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if len(sample) == SAMPLE_BYTES and "\n" in text:
        text = text[: text.rfind("\n")]  # drop a partial last line
    name = src.path.lower()
    default = "\t" if ".tsv" in name or ".tab" in name else ","
    delimiter, quotechar = default, '"'
    first = text.split("\n", 1)[0]
    sep = _SEP_LINE.match(first.rstrip("\r"))
    if sep:  # Excel's `sep=;` hint: the delimiter, and a line that is neither header nor data
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first = text.split("\n", 1)[0]
        delimiter = sep.group(1)
    elif default == "\t" and "\t" in first:
        delimiter = "\t"
    else:
        try:
            d = csv.Sniffer().sniff("\n".join(text.split("\n")[:50]), delimiters=_DELIMITERS)
            delimiter, quotechar = d.delimiter, d.quotechar or '"'
        except csv.Error:
            counts = {d: first.count(d) for d in _DELIMITERS}
            best = max(counts, key=lambda d: counts[d])
            delimiter = best if counts[best] else default
    rows = []
    try:
        for i, row in enumerate(
            csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quotechar)
        ):
            if row:
                rows.append(row)
            if i > 50:
                break
    except csv.Error:
        pass
    header = bool(rows) and looks_like_header(rows, text)
    width = max((len(r) for r in rows[:50]), default=0)
    names = column_names(rows[0] if header else [], width)
    return CsvLayout(encoding, delimiter, quotechar, header, tuple(names), 1 if sep else 0)


def looks_like_header(rows: list[list[str]], text: str) -> bool:
    """Heuristic: the first row is a header (unique, non-numeric names).

    A row with some blank or repeated cells (pandas' `to_csv()` writes `,name,email`: the
    index has no name; exports repeat `email`) is a header too when its named cells are
    at least half of it and the evidence is strong: a known header name, or
    `csv.Sniffer` agreeing. `column_names()` then names the blanks and repeats.
    """
    row0 = [c.strip() for c in rows[0]]
    named = [c for c in row0 if c]
    if not named or any(is_numeric_only(c) for c in named):
        return False
    irregular = len(named) != len(row0) or len(set(named)) != len(named)
    if irregular and 2 * len(named) < len(row0):
        return False
    if any(header_evidence(c) or is_free_text_header(c) for c in named):
        return True
    if any("@" in c or _MANY_DIGITS.search(c) for c in named):
        return False
    if irregular:  # without a known name, only the Sniffer's type comparison can tell
        try:
            return len(rows) > 1 and csv.Sniffer().has_header(text[:20000])
        except csv.Error:
            return False
    if len(rows) == 1:
        return True
    try:
        return csv.Sniffer().has_header(text[:20000]) or all(len(c) <= 40 for c in row0)
    except csv.Error:
        return True


def column_names(header: list[str], width: int) -> list[str]:
    """Unique column names: the header's (blank ones named column_N, repeats `unique_names`)."""
    return unique_names([
        header[i].strip() if i < len(header) and header[i].strip() else f"column_{i + 1}"
        for i in range(max(width, len(header)))
    ])


def sample_prefix_bytes(options: Any) -> int:
    """How many bytes of a CSV file sample mode reads (see SAMPLE_PREFIX_BYTES)."""
    extra = getattr(options, "extra", None) or {}
    return max(1, int(extra.get("csv_sample_bytes", SAMPLE_PREFIX_BYTES)))


def _arrow_batches(
    src: Source, options: Any, lay: CsvLayout, block_bytes: int = BLOCK_BYTES
) -> Generator[pa.RecordBatch, None, None]:
    def invalid(_row: Any) -> str:
        # exceptions raised here are swallowed by pyarrow: "error" makes it raise ArrowInvalid
        return "error"

    enc = "utf8" if lay.encoding in ("utf-8", "utf-8-sig") else lay.encoding
    raw, stream = _open(src, options)
    try:
        try:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(
                    encoding=enc,
                    column_names=list(lay.names),
                    skip_rows=lay.skip_lines + (1 if lay.header else 0),
                    block_size=block_bytes,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=lay.delimiter,
                    quote_char=lay.quotechar,
                    newlines_in_values=True,
                    invalid_row_handler=invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in lay.names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" in str(exc):
                return
            raise
        yield from reader
    finally:
        raw.close()


def _python_records(
    src: Source, options: Any, lay: CsvLayout, skip: int
) -> Iterator[tuple[int, list[tuple[str, Any]]]]:
    names = list(lay.names)
    raw, stream = _open(src, options)
    try:
        text = io.TextIOWrapper(stream, encoding=lay.encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=lay.delimiter, quotechar=lay.quotechar)
        row_no = -1 if lay.header else 0
        skip_lines = lay.skip_lines
        errors = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # a NUL byte, a broken quote: lose the row, not the file
                errors += 1
                logger.warning("%s: unparsable CSV row skipped (%s)", src.path, type(exc).__name__)
                if errors > 1000:
                    raise ReadError(src.path, f"too many unparsable CSV rows: {exc}") from exc
                continue
            if not cells:
                continue
            if skip_lines:  # Excel's `sep=;` line
                skip_lines -= 1
                continue
            if row_no < 0:
                row_no = 0
                continue
            row, row_no = row_no, row_no + 1
            if row < skip:
                continue
            while len(cells) > len(names):
                names.append(f"column_{len(names) + 1}")
            yield row, [(names[i], c) for i, c in enumerate(cells)]
    finally:
        raw.close()


@register(".csv", ".tsv", ".tab", ".csv.gz", ".tsv.gz")
def read_csv(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream a CSV/TSV file as table units (see module docstring)."""
    lay = sniff(src, options)
    scan = TableScan(src.path, mode_of(options))
    for n in lay.names:
        scan.column_stats(n)
    full = bool(getattr(options, "full", False))
    done = 0
    try:
        if full:
            for rb in _arrow_batches(src, options, lay):
                rows = np.arange(done, done + rb.num_rows, dtype=np.int64)
                done += rb.num_rows
                yield batch_from_arrow(scan, rb, rows)
        else:
            # a bounded prefix, in whole blocks (one Arrow batch per block, so the rows
            # offered to the seeded sampler do not depend on timing or threads)
            prefix = sample_prefix_bytes(options)
            block = min(BLOCK_BYTES, max(prefix, 64 * 1024))
            sampler = ArrowSampler(
                int(getattr(options, "sample_rows", 1000)),
                table_seed(getattr(options, "seed", 0), src.path),
                whole_upto=whole_table_rows(options),
            )
            batches = _arrow_batches(src, options, lay, block)
            for i, rb in enumerate(batches):
                sampler.add(rb)
                done += rb.num_rows
                if (i + 1) * block >= prefix:
                    scan.note(f"sample:first {done} rows (prefix {prefix >> 20 or prefix} "
                              f"{'MB' if prefix >> 20 else 'bytes'})")
                    sampler.all = None  # cut short: not the whole table
                    break
            batches.close()
            if sampler.whole and sampler.seen > sampler.n:
                scan.note(whole_table_note(sampler.seen))
            tbl, rows = sampler.result()
            if tbl is not None and tbl.num_rows:
                yield batch_from_arrow(scan, tbl, rows)
        yield TableProfiles(scan)
        return
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # never log the parser's message: pyarrow quotes the offending row, which may hold PII
        logger.info("%s: malformed CSV (%s); switching to the Python CSV parser after %d rows",
                    src.path, type(exc).__name__, done)
    records = _python_records(src, options, lay, done if full else 0)
    if not full:
        records = _bounded(records, SAMPLE_PREFIX_ROWS, scan)
    yield from record_units(scan, records, options)


def _bounded(
    records: Iterator[tuple[int, list[tuple[str, Any]]]], limit: int, scan: TableScan
) -> Iterator[tuple[int, list[tuple[str, Any]]]]:
    """The first `limit` records (sample mode of the Python fallback parser)."""
    for i, rec in enumerate(records):
        if i >= limit:
            scan.note(f"sample:first {limit} rows")
            break
        yield rec
