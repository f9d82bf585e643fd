"""Small helpers for tests that run a Detector over a line of text."""

from __future__ import annotations

from scanner.detect import Detector


def values(det: Detector, text: str, entity: str, path: str = "t.txt") -> list[str]:
    """The values `det` finds in `text` as `entity`, in order (`path` only decides whether
    the text counts as source code or a config file)."""
    return [d.value for d in det.detect_text(path, text, 1) if d.entity == entity]
