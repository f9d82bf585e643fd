"""The recognizer base class shared by every YAML and code recognizer.

`PiiPatternRecognizer` holds a recognizer's patterns, context words and validation hooks and
runs them fast (`iter_matches()` yields plain tuples). It does not import Presidio: the
scanner's fast path starts in well under a second. `to_presidio()` wraps one in an ordinary
Presidio `PatternRecognizer` (recognizers/presidio_adapter.py) for a plain `AnalyzerEngine`.

Additions over Presidio's pattern recognizers:

* a pattern may capture the reported value in a named group `value`
  (e.g. `password\\s*=\\s*(?P<value>\\S+)` reports only the password);
* `context_required: true` drops matches with no context word near them (or in the column
  name), for formats that are ambiguous alone (passport numbers, serials);
* `keywords` (and `keywords_exact`) feed the scanner's prefilter.

Validation follows Presidio's hooks: `validate_result` True -> score 1.0, False -> dropped;
`invalidate_result` True -> dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

logger = logging.getLogger(__name__)

#: score added when a context word is found near the match (Presidio's default boost)
CONTEXT_BOOST = 0.35
#: characters before a match searched for context words on the same line
CONTEXT_WINDOW = 60
#: regex engine time limit per pattern and text, a backstop against pathological input
REGEX_TIMEOUT_S = 1.0
#: texts up to this many characters run bundled (vetted) patterns without the time limit:
#: arming it costs ~3.6 us per call (3-4x the match itself on a table cell), and `bench.redos`
#: shows no bundled pattern super-linear (slowest 0.083 s on 100,000 adversarial characters)
UNTIMED_MAX_CHARS = 4096

Match = tuple[int, int, float, str]  # start, end, score, pattern name


@dataclass(frozen=True)
class Pattern:
    """One named regex with its base score (Presidio's `Pattern`, without Presidio)."""

    name: str
    regex: str
    score: float


class PiiPatternRecognizer:
    """Patterns, context words and validation hooks of one entity, with a fast iterator."""

    #: True for bundled recognizers (their patterns pass `bench.redos`): short texts run
    #: without the regex time limit. Patterns of your own keep the limit on every text.
    vetted = False

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
    ) -> None:
        """Build from Presidio-style arguments plus piimap's `context_required` and `keywords`."""
        flags = regex.MULTILINE | (regex.IGNORECASE if ignore_case else 0)
        self.supported_entities = [supported_entity]
        self.name = name or f"{supported_entity.title().replace('_', '')}Recognizer"
        self.supported_language = supported_language
        self.version = version
        self.context = [c.lower() for c in (context or [])]
        self.global_regex_flags = flags
        self.patterns = list(patterns or [])
        self.deny_list = list(deny_list or [])
        if self.deny_list:  # Presidio's rule: whole words from the list, score 1.0
            words = "|".join(regex.escape(w) for w in self.deny_list)
            self.patterns.append(Pattern("deny_list", rf"(?:^|(?<=\W))({words})(?:(?=\W)|$)", 1.0))
        self.context_required = context_required
        self.keywords = list(keywords or [])
        self.keywords_exact = keywords_exact
        # patterns compile on first use (a short scan touches few of them; `regex` compiles
        # slowly): the hot loop's view of each is [name, compiled or None, score, has value group]
        self._fast: list[list[Any]] = [
            [p.name, None, float(p.score), "(?P<value>" in p.regex] for p in self.patterns
        ]
        cls = type(self)
        self._validates = cls.validate_result is not PiiPatternRecognizer.validate_result
        self._invalidates = cls.invalidate_result is not PiiPatternRecognizer.invalidate_result

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
        untimed = self.vetted and len(text) <= UNTIMED_MAX_CHARS
        # spans already yielded with score 1.0: a later match inside one can only lose to it
        # (same entity, overlapping, not better, not longer: `scanner.detect.resolve_overlaps`
        # and Presidio's duplicate removal drop it), so it is neither validated nor yielded
        # (`+1 646-484-2834` matched again as `646-484-2834`: one libphonenumber call, not two)
        certain: list[tuple[int, int]] = []
        for pi, entry in enumerate(self._fast):
            if only is not None and pi not in only:
                continue
            name, compiled, base_score, has_value = entry
            if compiled is None:
                compiled = entry[1] = self.compiled(pi)
            try:
                if untimed:
                    found = compiled.finditer(text)
                else:
                    found = compiled.finditer(text, timeout=REGEX_TIMEOUT_S)
                for m in found:
                    if has_value and m.group("value") is not None:
                        start, end = m.span("value")
                    else:
                        start, end = m.span()
                    if end <= start:
                        continue
                    if certain and any(s <= start and end <= e for s, e in certain):
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
                    if context and (score < 1.0 or self.context_required):
                        if self.has_context(text, m.start(), extra):
                            score = min(1.0, score + CONTEXT_BOOST)
                        elif self.context_required:
                            continue
                    if score >= 1.0:
                        certain.append((start, end))
                    yield start, end, score, name
            except TimeoutError:
                logger.warning("pattern %s of %s timed out; skipped", name, self.name)
                continue

    def compiled(self, index: int) -> Any:
        """Pattern `index` compiled with the recognizer's flags (cached)."""
        entry = self._fast[index]
        if entry[1] is None:
            entry[1] = regex.compile(self.patterns[index].regex, self.global_regex_flags)
        return entry[1]

    def has_context(self, text: str, match_start: int, extra: str = "") -> bool:
        """Return True when a context word appears shortly before the match or in `extra`."""
        line_start = text.rfind("\n", 0, match_start) + 1
        window = text[max(line_start, match_start - CONTEXT_WINDOW) : match_start].lower()
        return any(word in window or (extra and word in extra) for word in self.context)

    # -- validation hooks (Presidio's names) ------------------------------------------
    def validate_result(self, pattern_text: str) -> bool | None:
        """True: certain (score 1.0); False: not this entity (dropped); None: keep the score."""
        return None

    def invalidate_result(self, pattern_text: str) -> bool:
        """True drops the match."""
        return False

    # -- Presidio interface --------------------------------------------------------------
    def to_presidio(self) -> Any:
        """This recognizer as a Presidio `PatternRecognizer` (imports Presidio)."""
        from recognizers.presidio_adapter import PresidioPatternRecognizer

        return PresidioPatternRecognizer(self)


def _last_word(window: str, words: Collection[str]) -> int:
    """End offset of the last of `words` in `window` (already lower-cased), -1 when none."""
    best = -1
    for w in words:
        i = window.rfind(w)
        if i >= 0:
            best = max(best, i + len(w))
    return best


def _last_veto(window: str, veto: regex.Pattern[str]) -> int:
    """End offset of the last match of `veto` in `window`, -1 when none."""
    best = -1
    for m in veto.finditer(window):
        best = m.end()
    return best


def context_cue(
    text: str, match_start: int, extra: str, words: Collection[str], veto: regex.Pattern[str]
) -> int:
    """+1 when a context word is the nearest cue before the match, -1 when a veto word is,
    0 when there is neither. The window is the one of `has_context` (same line, at most
    CONTEXT_WINDOW characters before); the column name (`extra`) counts only when the window
    holds no cue (a context word in it wins over a veto word).
    """
    lo = max(0, match_start - CONTEXT_WINDOW)  # bounded search: linear on long lines
    newline = text.rfind("\n", lo, match_start)
    window = text[newline + 1 if newline >= 0 else lo : match_start]
    pos = _last_word(window.lower(), words)
    neg = _last_veto(window, veto)
    if pos >= 0 or neg >= 0:
        return 1 if pos >= neg else -1
    if extra:
        if _last_word(extra.lower(), words) >= 0:
            return 1
        if veto.search(extra):
            return -1
    return 0


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
