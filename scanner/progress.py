"""A one-line progress display on stderr for long scans (only when stderr is a terminal).

Shows files and bytes done and the throughput, redrawn at most a few times a second, and
erased at the end so that it never mixes with the report or with piped output.
"""

from __future__ import annotations

import time
from typing import TextIO

MB = 1024 * 1024


class Progress:
    """Counts files and bytes; draws `\\r`-updated status text when enabled."""

    def __init__(self, stream: TextIO, enabled: bool | None = None, interval: float = 0.25) -> None:
        """Draw on `stream`; `enabled` defaults to whether the stream is a TTY."""
        if enabled is None:
            isatty = getattr(stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self.files = 0
        self.nbytes = 0
        self.started = time.monotonic()
        self._last = 0.0
        self._width = 0

    def update(self, files: int = 0, nbytes: int = 0) -> None:
        """Add finished files/bytes and redraw when the last draw is old enough."""
        self.files += files
        self.nbytes += nbytes
        now = time.monotonic()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def status(self, now: float | None = None) -> str:
        """The status text: files, MB done and MB/s."""
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.nbytes / MB / elapsed
        return f"piimap: {self.files} files, {self.nbytes / MB:,.1f} MB scanned, {rate:,.1f} MB/s"

    def _draw(self, now: float) -> None:
        text = self.status(now)
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        """Erase the status line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
