"""piimap's recognizers: YAML pattern files plus small validator classes (one registry).

`build_recognizers()` is what the scanner runs; `build_presidio_recognizers()` and
`build_registry()` give the same recognizers to a Presidio `AnalyzerEngine`.
"""

from __future__ import annotations

from recognizers.registry import build_presidio_recognizers, build_recognizers, build_registry

__all__ = ["build_presidio_recognizers", "build_recognizers", "build_registry"]
