"""Readers: decode and stream sources into units (text chunks, table batches).

Readers know formats, not PII. `reader_for(path)` picks one by file name; everything not
claimed by a table reader is read as text.
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


def reader_for(path: str) -> Reader:
    """The reader for `path` (text when no table reader claims it)."""
    # table readers register their suffixes on import; text is the fallback
    from scanner.readers import csv, excel, json, parquet, text  # noqa: F401

    name = path.lower()
    best = ""
    for suffix in READERS:
        if name.endswith(suffix) and len(suffix) > len(best):
            best = suffix
    return READERS[best] if best else text.read_text
