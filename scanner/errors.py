"""Error hierarchy: every error the scanner raises on purpose is a ScanError."""

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


class ModelNotAvailable(ScanError):
    """An NLP model package is not installed (the message names the package)."""
