"""Writing large blocks of report lines safely to any stream."""

from __future__ import annotations

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
