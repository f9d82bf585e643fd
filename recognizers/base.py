"""The recognizer base class shared by every YAML and code recognizer.

`PiiPatternRecognizer` is an ordinary Presidio `PatternRecognizer` (it works inside a plain
`AnalyzerEngine`) with three additions used by piimap's fast path:

* a pattern may capture the reported value in a named group `value`
  (e.g. `password\\s*=\\s*(?P<value>\\S+)` reports only the password);
* `context_required: true` drops matches with no context word near them (or in the column
  name), for formats that are ambiguous alone (passport numbers, serials);
* `iter_matches()` yields plain tuples, so the scanner avoids Presidio's per-result objects.

Validation follows Presidio's hooks: `validate_result` True -> score 1.0, False -> dropped;
`invalidate_result` True -> dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

logger = logging.getLogger(__name__)

#: score added when a context word is found near the match (Presidio's default boost)
CONTEXT_BOOST = 0.35
#: characters before a match searched for context words on the same line
CONTEXT_WINDOW = 60
#: regex engine time limit per pattern and text, a backstop against pathological input
REGEX_TIMEOUT_S = 1.0

Match = tuple[int, int, float, str]  # start, end, score, pattern name


class PiiPatternRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer with value groups, required context and a fast iterator."""

    def __init__(
        self,
        supported_entity: str,
        name: str | None = None,
        supported_language: str = "en",
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        context_required: bool = False,
        ignore_case: bool = True,
        keywords: list[str] | None = None,
        keywords_exact: bool = False,
        deny_list: list[str] | None = None,
        version: str = "1",
        **kwargs: Any,
    ) -> None:
        """Build from Presidio arguments plus piimap's `context_required` and `keywords`."""
        flags = regex.MULTILINE | (regex.IGNORECASE if ignore_case else 0)
        super().__init__(
            supported_entity=supported_entity,
            name=name or f"{supported_entity.title().replace('_', '')}Recognizer",
            supported_language=supported_language,
            patterns=patterns or [],
            deny_list=deny_list,
            context=[c.lower() for c in (context or [])],
            global_regex_flags=flags,
            version=version,
            **kwargs,
        )
        self.context_required = context_required
        self.keywords = list(keywords or [])
        self.keywords_exact = keywords_exact
        self._compiled = [
            (p, regex.compile(p.regex, flags)) for p in self.patterns
        ]
        # the hot loop's view of each pattern: (name, compiled, score, reports a `value` group)
        self._fast = [
            (p.name, c, float(p.score), "value" in c.groupindex) for p, c in self._compiled
        ]
        cls = type(self)
        self._validates = cls.validate_result is not PatternRecognizer.validate_result
        self._invalidates = cls.invalidate_result is not PatternRecognizer.invalidate_result

    # -- the fast path -------------------------------------------------------------------
    def iter_matches(
        self, text: str, context_text: str = "", only: Collection[int] | None = None
    ) -> Iterator[Match]:
        """Yield (start, end, score, pattern name) for validated matches in `text`.

        `context_text` is extra context outside the text (a column name, a JSON path).
        `only` limits the run to those pattern indices (the prefilter knows which can match).
        """
        extra = context_text.lower() if context_text else ""
        validates, invalidates, context = self._validates, self._invalidates, self.context
        for pi, (name, compiled, base_score, has_value) in enumerate(self._fast):
            if only is not None and pi not in only:
                continue
            try:
                found = compiled.finditer(text, timeout=REGEX_TIMEOUT_S)
                for m in found:
                    if has_value and m.group("value") is not None:
                        start, end = m.span("value")
                    else:
                        start, end = m.span()
                    if end <= start:
                        continue
                    score = base_score
                    if validates:
                        verdict = self.validate_result(text[start:end])
                        if verdict is False:
                            continue
                        if verdict is True:
                            score = 1.0
                    if invalidates and self.invalidate_result(text[start:end]):
                        continue
                    if context:
                        if self.has_context(text, m.start(), extra):
                            score = min(1.0, score + CONTEXT_BOOST)
                        elif self.context_required:
                            continue
                    yield start, end, score, name
            except TimeoutError:
                logger.warning("pattern %s of %s timed out; skipped", name, self.name)
                continue

    def has_context(self, text: str, match_start: int, extra: str = "") -> bool:
        """Return True when a context word appears shortly before the match or in `extra`."""
        line_start = text.rfind("\n", 0, match_start) + 1
        window = text[max(line_start, match_start - CONTEXT_WINDOW) : match_start].lower()
        return any(word in window or (extra and word in extra) for word in self.context)

    # -- Presidio interface --------------------------------------------------------------
    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: Any = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio entry point: the same matches as `iter_matches`, as RecognizerResults."""
        if entities and self.supported_entities[0] not in entities:
            return []
        results = []
        for start, end, score, pattern_name in self.iter_matches(text):
            explanation = self.build_regex_explanation(
                self.name, pattern_name, "", score, None, self.global_regex_flags
            )
            results.append(
                RecognizerResult(
                    entity_type=self.supported_entities[0],
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


def digits(value: str) -> str:
    """Return only the ASCII digits of `value`."""
    return "".join(ch for ch in value if "0" <= ch <= "9")


def all_same(chars: Sequence[str] | str) -> bool:
    """True when every character is the same (00000000, 1111...): never a real number."""
    return len(set(chars)) <= 1


def any_in(words: Iterable[str], text: str) -> bool:
    """True when any of `words` occurs in `text` (lower-cased)."""
    low = text.lower()
    return any(w in low for w in words)
