"""Excel reader (.xlsx/.xlsm): each sheet a table, read with openpyxl in read-only mode.

Why openpyxl read-only rather than python-calamine: it is already a dependency, and its
read-only mode streams rows from the sheet XML, so memory stays bounded on large sheets
(calamine is faster but materialises a whole sheet). Columns are named `Sheet!header`;
`row` is the 0-based data row below the header row. Formulas are read as their cached
values (`data_only=True`).
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from scanner.errors import ReadError
from scanner.readers import register
from scanner.readers.text import SkipFile
from scanner.sources import Source
from scanner.tables import TableScan, is_numeric_only, mode_of, record_units


def quiet_openpyxl() -> None:
    """Filter openpyxl's warnings: they go to stderr about workbook features it does not
    support, and some quote the file (a defined name's value); a scan must not print a file's
    content. Installed per workbook read (a test harness may reset the filters in between)."""
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")


def _sheet_records(
    ws: Any, sheet: str, scan: TableScan
) -> Iterator[tuple[int, list[tuple[str, Any]]]]:
    names: list[str] = []
    row_no = 0
    for values in ws.iter_rows(values_only=True):
        if values is None or all(
            v is None or (isinstance(v, str) and not v.strip()) for v in values
        ):
            continue
        if not names:
            cells = [v.strip() if isinstance(v, str) else v for v in values]
            filled = [c for c in cells if c is not None]
            if filled and all(isinstance(c, str) and c and not is_numeric_only(c) for c in filled):
                names = [
                    f"{sheet}!{c}" if isinstance(c, str) and c else f"{sheet}!column_{i + 1}"
                    for i, c in enumerate(cells)
                ]
                for n in names:
                    scan.column_stats(n)
                continue
            names = [f"{sheet}!column_{i + 1}" for i in range(len(values))]
        while len(values) > len(names):
            names.append(f"{sheet}!column_{len(names) + 1}")
        yield row_no, [(names[i], v) for i, v in enumerate(values) if v is not None]
        row_no += 1


@register(".xlsx", ".xlsm")
def read_excel(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream each sheet of a workbook as a table (see module docstring)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if src.fs_path == "-":
        raise SkipFile("Excel files cannot be read from standard input")
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
