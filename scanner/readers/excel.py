"""Excel reader (.xlsx/.xlsm): each sheet a table, read with openpyxl in read-only mode.

Why openpyxl read-only rather than python-calamine: it is already a dependency, and its
read-only mode streams rows from the sheet XML, so memory stays bounded on large sheets
(calamine is faster but materialises a whole sheet). Columns are named `Sheet!header`;
`row` is the 0-based data row below the header row. Formulas are read as their cached
values (`data_only=True`).
"""

from __future__ import annotations

import itertools
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from scanner.errors import ReadError
from scanner.readers import register
from scanner.readers.csv import column_names
from scanner.readers.text import SAMPLE_BYTES, SkipFile, detect_encoding, is_binary
from scanner.records import FileIssue
from scanner.sources import Source
from scanner.tables import TableScan, is_numeric_only, mode_of, record_units


def quiet_openpyxl() -> None:
    """Filter openpyxl's warnings: they go to stderr about workbook features it does not
    support, and some quote the file (a defined name's value); a scan must not print a file's
    content. Installed per workbook read (a test harness may reset the filters in between)."""
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")


#: rows (blank ones included) looked at for a title above the header
HEADER_SCAN_ROWS = 10


def _blank(values: Any) -> bool:
    return values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _filled(values: Any) -> list[Any]:
    cells = (v.strip() if isinstance(v, str) else v for v in values)
    return [c for c in cells if c is not None and c != ""]


def _is_header(values: Any) -> bool:
    filled = _filled(values)
    return bool(filled) and all(isinstance(c, str) and c and not is_numeric_only(c) for c in filled)


def _is_title(values: Any) -> bool:
    """A report title above a table (`顧客一覧 2024年度`): one text cell, not data-like."""
    filled = _filled(values)
    return len(filled) == 1 and isinstance(filled[0], str) and "@" not in filled[0]


def _header_index(head: list[tuple[Any, ...]]) -> int | None:
    """Index in `head` (the first rows) of the header row, or None (no header).

    The first non-blank row is the header when all its cells are non-numeric strings. Title
    rows (a single text cell) and blank rows above a header of two or more cells are
    skipped: the first row after them that looks like a header is the header.
    """
    rows = [(i, v) for i, v in enumerate(head) if not _blank(v)]
    if not rows:
        return None
    for i, values in rows:
        if _is_title(values):
            continue
        if _is_header(values) and len(_filled(values)) >= 2:
            return i
        break
    first, values = rows[0]
    return first if _is_header(values) else None


def _sheet_records(
    ws: Any, sheet: str, scan: TableScan
) -> Iterator[tuple[int, list[tuple[str, Any]]]]:
    """(row, cells) of a sheet's data rows; `row` is the 0-based index of the data row below
    the header row, blank rows counted (the sheet's own row = header row + 1 + row), or,
    without a header, counted from the first non-blank row."""
    # some exporters write a wrong `<dimension ref="A1"/>`, which read-only mode trusts: every
    # column but A (and every row but 1) would be lost; read the cells that are there
    ws.reset_dimensions()
    rows = itertools.dropwhile(_blank, ws.iter_rows(values_only=True))
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    at = _header_index(head)
    names: list[str] = []
    first = 0
    if at is not None:
        header = [v.strip() if isinstance(v, str) else "" for v in head[at]]
        names = [f"{sheet}!{n}" for n in column_names(header, len(header))]
        for n in names:
            scan.column_stats(n)
        first = at + 1
    row_no = 0
    for values in itertools.chain(head[first:], rows):
        row, row_no = row_no, row_no + 1
        if _blank(values):
            continue
        while len(values) > len(names):
            names.append(f"{sheet}!column_{len(names) + 1}")
        yield row, [(names[i], v) for i, v in enumerate(values) if v is not None]


def _head(src: Source) -> bytes:
    try:
        with src.open() as fh:
            return fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ReadError(src.path, f"cannot open: {exc.strerror or exc}") from exc


@register(".xlsx", ".xlsm")
def read_excel(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream each sheet of a workbook as a table (see module docstring)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if src.fs_path == "-":
        raise SkipFile("Excel files cannot be read from standard input")
    head = _head(src)
    if not head:
        raise SkipFile("empty file")
    if not head.startswith(b"PK"):
        # not a zip, so not a workbook: a CSV saved under an Excel name is common; read text
        # content as CSV (binary content, e.g. a legacy .xls renamed, stays an error)
        if is_binary(head, detect_encoding(head)):
            raise ReadError(src.path, "not a readable Excel workbook: not a zip file (binary "
                            "content: a legacy .xls or a corrupt file?); not scanned")
        from scanner.readers.csv import read_csv

        yield FileIssue(src.path, "warning", "not an Excel workbook (no zip signature) but text: "
                        "the name does not match the content; read as CSV")
        yield from read_csv(src, options)
        return
    quiet_openpyxl()
    try:
        wb = load_workbook(src.fs_path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ReadError(src.path, f"not a readable Excel workbook: {exc}") from exc
    try:
        for ws in wb.worksheets:
            scan = TableScan(src.path, mode_of(options))
            yield from record_units(
                scan, _sheet_records(ws, ws.title, scan), options, seed_key=f"{src.path}!{ws.title}"
            )
    finally:
        wb.close()
