"""Writing large blocks of report lines safely to any stream."""

from __future__ import annotations

import os
from typing import TextIO

#: characters per write on an unbuffered stream: at most 4 bytes each in UTF-8, so a write stays
#: within POSIX PIPE_BUF (4,096 bytes), which a pipe takes whole
_ATOMIC_CHARS = 1024


def write_lines(stream: TextIO, text: str) -> None:
    """Write `text` (whole lines) to `stream`, never losing part of it.

    An unbuffered text stream (`python -u`, PYTHONUNBUFFERED; `write_through` is set) hands each
    write to a single `os.write`, and a signal arriving while a pipe is full cuts that write
    short: the rest of the text was lost, leaving half a JSON line. There the text goes out in
    pieces that end at line ends and fit a pipe's atomic write (a longer line alone); a
    buffered stream takes it in one call (its buffer retries partial writes itself).
    """
    n = len(text)
    if not n:
        return
    if n <= _ATOMIC_CHARS or not getattr(stream, "write_through", False):
        stream.write(text)
        return
    write = stream.write
    start = 0
    while start < n:
        end = text.rfind("\n", start, start + _ATOMIC_CHARS)
        if end < start:  # a line longer than a piece: alone
            end = text.find("\n", start + _ATOMIC_CHARS)
            if end < 0:
                end = n - 1
        write(text[start : end + 1])
        start = end + 1


def write_utf8(stream: TextIO, data: bytes | memoryview) -> None:
    """Write UTF-8 encoded whole lines `data` to text `stream`.

    A buffered UTF-8 stream takes the bytes on its binary layer (after flushing its own
    buffer, so the order holds): decoding a report block to write it, only for the stream to
    encode it again, cost a tenth of a `--full` table scan. Other streams get the text.
    """
    binary = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if binary is not None and encoding == "utf8" and os.linesep == "\n" and not getattr(stream, "write_through", False):
        stream.flush()
        binary.write(data)
        return
    write_lines(stream, bytes(data).decode("utf-8"))
