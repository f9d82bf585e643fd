"""The NER line detector: spaCy/GiNZA entities on the lines the mode selects.

Lines are routed by script (kana/kanji -> Japanese pipeline, else English), batched per
language with `nlp.pipe`, and each entity label is mapped through models/pipelines.yaml.
Candidates rejected by a filter in scanner/filters.py are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from models.gate import CUE, EVIDENCE, JA, gate_lines, has_evidence, language_of
from models.loader import load_pipeline, pipeline_specs
from scanner.filters import suppressed_by

logger = logging.getLogger(__name__)

LineHit = tuple[int, int, int, str, float, str]

#: NER text longer than this is cut (a minified blob is not prose; keeps memory bounded)
MAX_NER_CHARS = 5000
#: lines handed to nlp.pipe at once
BATCH_SIZE = 256

#: recognizer name reported in findings, per language
RECOGNIZER_NAMES = {"en": "SpacyNerRecognizer", "ja": "GinzaNerRecognizer"}


class NerDetector:
    """A LineDetector running NER on every line (`on`) or on gated lines (`auto`)."""

    name = "NerDetector"

    def __init__(
        self,
        mode: str = "auto",
        entities: Iterable[str] | None = None,
        pipelines: dict[str, str] | None = None,
        loader: Callable[[str, str | None], Any] = load_pipeline,
    ) -> None:
        """`pipelines` overrides the pipeline name per language (else env var, else default)."""
        self.mode = mode
        self.entities = frozenset(entities) if entities is not None else None
        self.pipelines = dict(pipelines or {})
        self.loader = loader
        self.lines_seen = 0
        self.lines_sent = 0

    def select(self, lines: Sequence[str], context: str = "") -> list[int]:
        """Indices of the lines NER runs on in this mode."""
        return list(self.trust(lines, context))

    def trust(self, lines: Sequence[str], context: str = "") -> dict[int, str]:
        """{line index: trust level} for the lines NER runs on (models/gate.py: CUE/EVIDENCE).

        `on` sends every non-empty line and trusts every result (after the filters); `auto`
        asks the gate, with the previous line for signature blocks.
        """
        if self.mode == "on":
            return {i: CUE for i, line in enumerate(lines) if line.strip()}
        return gate_lines(lines, context)

    @staticmethod
    def _trusted(level: str, value: str, entity: str, line: str) -> bool:
        """Is a filtered candidate kept at this trust level (models/gate.py)?"""
        if level == EVIDENCE:
            return has_evidence(value, entity, line)
        if level == JA and value.isascii():
            # English inside Japanese text: GiNZA is no judge of it
            return entity in ("PERSON", "ORGANIZATION") and has_evidence(value, entity, line)
        return True

    def detect_lines(self, lines: Sequence[str], context: str = "") -> Iterator[LineHit]:
        """Yield mapped, filtered NER entities for the selected `lines`."""
        trust = self.trust(lines, context)
        chosen = list(trust)
        self.lines_seen += len(lines)
        self.lines_sent += len(chosen)
        by_lang: dict[str, list[int]] = {}
        for i in chosen:
            by_lang.setdefault(language_of(lines[i]), []).append(i)
        specs = pipeline_specs()
        for lang, idxs in sorted(by_lang.items()):
            nlp = self.loader(lang, self.pipelines.get(lang))
            if nlp is None or lang not in specs:
                continue
            labels = specs[lang].labels
            rec_name = RECOGNIZER_NAMES.get(lang, f"SpacyNerRecognizer_{lang}")
            texts = [lines[i][:MAX_NER_CHARS] for i in idxs]
            for i, doc in zip(idxs, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
                spans = []
                for ent in doc.ents:
                    rule = labels.get(ent.label_)
                    if rule is None:
                        continue
                    if self.entities is not None and rule.entity not in self.entities:
                        continue
                    spans.append((ent.start_char, ent.end_char, rule))
                for start, end, rule in merge_adjacent_names(lines[i], spans):
                    start, end = _trim(lines[i], start, end)
                    if rule.entity == "PERSON":
                        end = _without_honorific(lines[i], start, end)
                    if end <= start:
                        continue
                    value = lines[i][start:end]
                    why = suppressed_by(value, lines[i], start, end, rule.entity)
                    if not why and not self._trusted(trust[i], value, rule.entity, lines[i]):
                        why = "no_evidence"
                    if why:
                        # never log the candidate itself: it may be personal data
                        logger.debug("NER %s candidate (%d chars) suppressed by %s", rule.entity, len(value), why)
                        continue
                    yield i, start, end, rule.entity, rule.score, rec_name


def merge_adjacent_names(
    text: str, spans: list[tuple[int, int, Any]]
) -> list[tuple[int, int, Any]]:
    """Join PERSON spans separated by one space (GiNZA splits ワタナベ ショウタ in two)."""
    out: list[tuple[int, int, Any]] = []
    for start, end, rule in spans:
        if out:
            ps, pe, prule = out[-1]
            gap = text[pe:start]
            if rule.entity == prule.entity == "PERSON" and len(gap) == 1 and gap.isspace():
                out[-1] = (ps, end, prule)
                continue
        out.append((start, end, rule))
    return out


#: honorifics GiNZA keeps in a PERSON span (`高橋様`): the name is what comes before them
_HONORIFICS = ("さん", "さま", "様", "氏", "殿", "先生", "君", "くん", "ちゃん")


def _without_honorific(text: str, start: int, end: int) -> int:
    """The end of a PERSON span without a trailing honorific, when a name is left before it."""
    span = text[start:end]
    for h in _HONORIFICS:
        if span.endswith(h) and len(span.rstrip()) > len(h):
            return end - len(h) - (len(span[: -len(h)]) - len(span[: -len(h)].rstrip()))
    return end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces, quotes and trailing punctuation a model includes in an entity span."""
    strip = " \t\"'“”‘’「」『』()（）[]、。,.:;`·|*"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        # keep the dot of an abbreviation (Inc., Co., Ltd.)
        if (
            text[end - 1] == "."
            and end - start > 3
            and text[end - 4 : end - 1].lower()
            in ("inc", "ltd", "orp", " co", "llc", ".a", ".k", "o.,")
        ):
            break
        end -= 1
    return start, end
