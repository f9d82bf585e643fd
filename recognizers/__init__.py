"""piimap's Presidio recognizers: YAML pattern files plus small validator classes."""

from __future__ import annotations

from recognizers.registry import build_recognizers, build_registry

__all__ = ["build_recognizers", "build_registry"]
