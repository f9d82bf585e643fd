"""NLP models: which spaCy pipeline serves each language, offline loading, label maps."""

from __future__ import annotations

from typing import Any


def nlp_recognizers(languages: tuple[str, ...]) -> list[Any]:
    """NLP-backed Presidio recognizers for `languages` (none until the NLP module lands)."""
    return []


def line_detectors(mode: str, entities: frozenset[str] | None = None) -> list[Any]:
    """Line detectors (NER, gazetteers) for `--nlp` mode `mode` (none until the NLP module lands)."""
    return []
