"""Presidio wrappers: piimap's NER and gazetteer line detectors as `EntityRecognizer`s.

They ignore Presidio's `nlp_artifacts` and run piimap's own pipelines (loaded offline,
routed by script), so they work in any `AnalyzerEngine`, whatever NLP engine it was built
with. Text is split into lines and NFKC-normalised like the scanner does.
"""

from __future__ import annotations

from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from models.ner import RECOGNIZER_NAMES, NerDetector
from scanner.normalize import normalize, to_original

_NLP_ENTITIES = ["PERSON", "ORGANIZATION", "ADDRESS", "JOB_TITLE", "DEPARTMENT"]


def _run(detector: Any, text: str, entities: list[str], name: str) -> list[RecognizerResult]:
    """Run a LineDetector over `text` and return Presidio results (original offsets)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    norms = [normalize(line) for line in lines]
    out: list[RecognizerResult] = []
    for li, start, end, entity, score, rec in detector.detect_lines([n[0] for n in norms]):
        if entities and entity not in entities:
            continue
        s, e = to_original(norms[li][1], start, end)
        out.append(
            RecognizerResult(
                entity_type=entity,
                start=offsets[li] + s,
                end=offsets[li] + e,
                score=score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: rec or name,
                },
            )
        )
    return out


class _LineDetectorRecognizer(EntityRecognizer):
    """A piimap line detector (NER, word lists) wrapped as a Presidio recognizer."""

    _detector: Any
    _rec_name: str

    def load(self) -> None:
        """Nothing to do: models load lazily on first use, word lists in the constructor."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Results for `text`, restricted to `entities`."""
        return _run(self._detector, text, entities, self._rec_name)


class NerRecognizer(_LineDetectorRecognizer):
    """spaCy (en) or GiNZA (ja) NER as a Presidio recognizer; every line is analysed."""

    def __init__(self, language: str = "en", pipeline: str | None = None) -> None:
        """NER for `language`; `pipeline` names another installed spaCy pipeline."""
        self._detector = NerDetector("on", None, {language: pipeline} if pipeline else None)
        self._rec_name = RECOGNIZER_NAMES.get(language, "SpacyNerRecognizer")
        super().__init__(
            supported_entities=list(_NLP_ENTITIES),
            name=self._rec_name,
            supported_language=language,
        )


class GazetteerRecognizer(_LineDetectorRecognizer):
    """Job-title and department word lists as a Presidio recognizer."""

    def __init__(self, language: str = "en") -> None:
        """Both gazetteers (English and Japanese terms) registered for `language`."""
        from recognizers.gazetteer import Gazetteer

        self._detector = Gazetteer()
        self._rec_name = "GazetteerRecognizer"
        super().__init__(
            supported_entities=["JOB_TITLE", "DEPARTMENT"],
            name=self._rec_name,
            supported_language=language,
        )
