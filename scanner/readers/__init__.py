"""Readers: decode and stream sources into units (text chunks, table batches).

Readers know formats, not PII. `reader_for(path)` picks one by file name; everything not
claimed by a table reader or the mail reader (`.eml`, `.mbox`) is read as text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from scanner.sources import Source


class Reader(Protocol):
    """A reader: turns a source into a stream of units."""

    def __call__(self, src: Source, options: Any) -> Iterator[Any]:
        """Yield units (TextChunk, or table units) from `src`."""
        ...


#: file-name suffix (lower case) -> reader; the longest matching suffix wins
READERS: dict[str, Reader] = {}


def register(*suffixes: str) -> Callable[[Reader], Reader]:
    """Decorator: register a reader for file-name suffixes such as ".csv" or ".csv.gz"."""

    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            READERS[s.lower()] = fn
        return fn

    return deco


#: suffix -> the reader module that registers it: the table readers, and the mail reader
#: (`scanner.readers.mail.MAIL_SUFFIXES`). Lets `reader_for` import only the module a file
#: needs (pyarrow costs start-up time a log scan does not need); a test checks that it equals
#: what the modules register.
TABLE_SUFFIXES: dict[str, str] = {
    **dict.fromkeys((".csv", ".tsv", ".tab", ".csv.gz", ".tsv.gz"), "csv"),
    **dict.fromkeys((".xlsx", ".xlsm"), "excel"),
    **dict.fromkeys((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json", ".json.gz"), "json"),
    **dict.fromkeys((".parquet", ".parq", ".pq", ".orc"), "parquet"),
    **{f"{base}{z}": "mail" for base in (".eml", ".mbox") for z in ("", ".gz", ".bz2", ".xz")},
}


def reader_for(path: str) -> Reader:
    """The reader for `path` (text when no table or mail reader claims it)."""
    import importlib

    name = path.lower()
    best = ""
    for suffix in (*TABLE_SUFFIXES, *READERS):  # READERS may hold readers registered at run time
        if name.endswith(suffix) and len(suffix) > len(best):
            best = suffix
    if not best:
        from scanner.readers import text

        return text.read_text
    if best not in READERS:  # table readers register their suffixes on import
        importlib.import_module(f"scanner.readers.{TABLE_SUFFIXES[best]}")
    return READERS[best]


def sniffed_reader(src: Source) -> Reader | None:
    """A table reader for a file no suffix claims, by its magic bytes, or None.

    Hive and Spark name their part files `000000_0` or `part-00000`, without a suffix:
    Parquet is recognised by `PAR1` at both ends, ORC by `ORC` at the start. Called by the
    text reader for binary content only (so text files pay nothing).
    """
    if src.fs_path == "-":
        return None
    try:
        with src.open() as fh:
            head = fh.read(4)
            if head[:3] == b"ORC":
                suffix = ".orc"
            elif head == b"PAR1":
                if fh.seek(-4, 2) < 8 or fh.read(4) != b"PAR1":
                    return None
                suffix = ".parquet"
            else:
                return None
    except (OSError, ValueError):
        return None
    return reader_for(suffix)


def load_all() -> dict[str, Reader]:
    """Import every reader module; return the registered {suffix: reader} table."""
    from scanner.readers import csv, excel, json, mail, parquet, text  # noqa: F401

    return READERS
