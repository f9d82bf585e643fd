"""Error hierarchy: every error the scanner raises on purpose is a ScanError.

`SkipFile` is not an error: a reader (or `Source.open`) raises it for a file that is
deliberately not scanned (empty, binary, not a regular file).
"""

from __future__ import annotations


class ScanError(Exception):
    """Base class of piimap's own errors."""


class ConfigError(ScanError):
    """A policy, pattern, allowlist or option file is invalid (the message names file and id/line)."""


class ReadError(ScanError):
    """A file could not be read or decoded; the scan records it and goes on."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class SkipFile(Exception):  # noqa: N818 - a signal, not an error
    """Raised for a file that is deliberately not scanned (binary, empty, not a regular file)."""


class ModelNotAvailable(ScanError):
    """An NLP model package is not installed (the message names the package)."""
