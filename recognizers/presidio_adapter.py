"""piimap recognizers inside Presidio: a `PatternRecognizer` that delegates to one of ours.

The scanner never imports this module (Presidio pulls in spaCy, seconds of start-up). Users
who run their own `AnalyzerEngine` get these from `build_presidio_recognizers()` or
`build_registry()`: the same matches, validation and scores as the scanner's.
"""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from recognizers.base import PiiPatternRecognizer


class PresidioPatternRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer whose matching is piimap's `iter_matches`."""

    #: set by EntityRecognizer.__init__, which has no annotations mypy could infer it from
    name: str

    def __init__(self, core: PiiPatternRecognizer) -> None:
        """Wrap `core`; the name (in findings and explanations) stays the core's."""
        self.core = core
        super().__init__(
            supported_entity=core.supported_entities[0],
            name=core.name,
            supported_language=core.supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in core.patterns],
            context=list(core.context),
            global_regex_flags=core.global_regex_flags,
            version=core.version,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """The core's validator (check digits, public suffixes, libphonenumber …)."""
        return self.core.validate_result(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool:
        """The core's invalidation rule."""
        return self.core.invalidate_result(pattern_text)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: Any = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio entry point: the core's matches as RecognizerResults."""
        entity = self.supported_entities[0]
        if entities and entity not in entities:
            return []
        results = []
        for start, end, score, pattern_name in self.core.iter_matches(text):
            # Presidio annotates these two as bool and int, but passes None itself (its own
            # analyze() gives validate_result()'s Optional[bool] and Optional global flags)
            explanation = self.build_regex_explanation(
                self.name, pattern_name, "", score, None, self.global_regex_flags  # type: ignore[arg-type]
            )
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=start,
                    end=end,
                    score=score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
