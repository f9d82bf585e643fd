"""NLP models: which spaCy pipeline serves each language, offline loading, label maps.

`line_detectors(mode, entities)` gives the scanner its NER and gazetteer detectors for an
`--nlp` mode; `nlp_recognizers(languages)` gives the same detectors as Presidio recognizers
(for `recognizers.registry.build_registry(with_nlp=True)` and users' own AnalyzerEngines).
"""

from __future__ import annotations

from typing import Any

from models.gate import language_of, wants_ner
from models.loader import load_pipeline, pipeline_specs
from models.ner import NerDetector

#: entities found by NER and gazetteers (their pattern recognizers live in recognizers/)
NLP_ENTITIES: frozenset[str] = frozenset(
    {"PERSON", "ORGANIZATION", "ADDRESS", "JOB_TITLE", "DEPARTMENT"}
)

#: the `--nlp` modes
MODES = ("auto", "on", "off")

__all__ = [
    "MODES",
    "NLP_ENTITIES",
    "NerDetector",
    "language_of",
    "line_detectors",
    "load_pipeline",
    "nlp_recognizers",
    "pipeline_specs",
    "wants_ner",
]


def line_detectors(
    mode: str, entities: frozenset[str] | None = None, pipelines: dict[str, str] | None = None
) -> list[Any]:
    """Line detectors for `--nlp` mode `mode`: gazetteers always, NER unless `off`.

    `entities` limits the detectors to those that can report one of them; `pipelines`
    names another installed pipeline per language (else PIIMAP_SPACY_EN/JA, else defaults).
    """
    if mode not in MODES:
        raise ValueError(f"unknown --nlp mode {mode!r}; expected one of {MODES}")
    from recognizers.gazetteer import Gazetteer

    found: list[Any] = []
    gaz = Gazetteer(entities)
    if not gaz.empty:
        found.append(gaz)
    ner_entities = NLP_ENTITIES if entities is None else NLP_ENTITIES & entities
    if mode != "off" and ner_entities:
        found.append(NerDetector(mode, ner_entities, pipelines))
    return found


def nlp_recognizers(languages: tuple[str, ...] = ("en", "ja")) -> list[Any]:
    """Presidio recognizers for NER (one per language) and the gazetteers."""
    from models.presidio import GazetteerRecognizer, NerRecognizer

    recs: list[Any] = [NerRecognizer(lang) for lang in languages if lang in pipeline_specs()]
    recs.extend(GazetteerRecognizer(lang) for lang in languages)
    return recs
