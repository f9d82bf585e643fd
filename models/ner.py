"""The NER line detector: spaCy/GiNZA entities on the lines the mode selects.

Lines are routed by script (kana/kanji -> Japanese pipeline, else English), batched per
language with `nlp.pipe`, and each entity label is mapped through models/pipelines.yaml.
Candidates rejected by a filter in scanner/filters.py are dropped.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import regex

from models.gate import (
    CUE,
    EVIDENCE,
    JA,
    gate_lines,
    has_evidence,
    has_ja_cue,
    is_common_word,
    is_name_word,
    is_org_head,
    language_of,
)
from models.loader import load_pipeline, pipeline_specs
from scanner.filters import company_words_ja, suppressed_by

logger = logging.getLogger(__name__)

LineHit = tuple[int, int, int, str, float, str]

#: NER text longer than this is cut (a minified blob is not prose; keeps memory bounded)
MAX_NER_CHARS = 5000

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
            if lang == "ja" and self.mode != "on":
                idxs = _worth_ginza(nlp, lines, idxs, trust)
                if not idxs:
                    continue
            with _memory_zone(nlp):  # the docs die in the zone: hits are plain tuples
                hits = list(self._hits(nlp, lang, lines, idxs, trust))
            yield from hits

    def _hits(
        self, nlp: Any, lang: str, lines: Sequence[str], idxs: list[int], trust: dict[int, str]
    ) -> Iterator[LineHit]:
        """NER on `lines[idxs]` with one language's pipeline: mapped, cut, filtered hits."""
        labels = pipeline_specs()[lang].labels
        rec_name = RECOGNIZER_NAMES.get(lang, f"SpacyNerRecognizer_{lang}")
        texts = [lines[i][:MAX_NER_CHARS] for i in idxs]
        person = next((r for r in labels.values() if r.entity == "PERSON"), None)
        batch = pipeline_specs()[lang].batch_size
        for i, doc in zip(idxs, nlp.pipe(texts, batch_size=batch), strict=True):
            line = lines[i]
            spans = []
            for ent in doc.ents:
                rule = labels.get(ent.label_)
                if rule is None:
                    continue
                if rule.entity == "ORGANIZATION" and lang == "ja" and _common_nouns_only(ent):
                    logger.debug("NER ORGANIZATION candidate is made of common nouns")
                    continue
                spans.append((ent.start_char, ent.end_char, rule))
            kept: list[tuple[int, int, Any]] = []
            for start, end, rule in merge_adjacent_names(line, spans):
                start, end = _trim(line, start, end)
                bounded = _within_field(line, start, end)
                if bounded is None:
                    logger.debug("NER %s candidate crosses a field boundary", rule.entity)
                    continue
                start, end = _trim(line, *bounded)
                if rule.entity == "ORGANIZATION" and person is not None and _is_copyright_holder(line, start, end):
                    rule = person  # `Copyright (c) 2019 Kenji Watanabe`: a person holds it
                if rule.entity == "PERSON":
                    end = _without_honorific(line, start, end)
                if end <= start:
                    continue
                value = line[start:end]
                why = suppressed_by(value, line, start, end, rule.entity)
                if not why and not self._trusted(trust[i], value, rule.entity, line):
                    why = "no_evidence"
                if why:
                    # never log the candidate itself: it may be personal data
                    logger.debug("NER %s candidate (%d chars) suppressed by %s", rule.entity, len(value), why)
                    continue
                kept.append((start, end, rule))
            if trust[i] != CUE:
                kept = _titles_with_subject(kept)
            for start, end, rule in _one_label_per_name(line, kept):
                if self.entities is None or rule.entity in self.entities:
                    yield i, start, end, rule.entity, rule.score, rec_name


def _memory_zone(nlp: Any) -> contextlib.AbstractContextManager[Any]:
    """Run NER in spaCy's `memory_zone()` (3.8+): strings a batch adds to the vocabulary are freed after
    it. Without it every distinct word NER ever saw stays in memory: +107 MB per 30,000 lines
    of new names (measured), unbounded on a `--full` scan of a customer table."""
    zone = getattr(nlp, "memory_zone", None)
    return zone() if callable(zone) else contextlib.nullcontext()


def _worth_ginza(nlp: Any, lines: Sequence[str], idxs: list[int], trust: dict[int, str]) -> list[int]:
    """The Japanese free-text lines worth GiNZA's time in `auto`: those with a name or
    company cue (models/gate.has_ja_cue), a name key (trust CUE), or a word that Sudachi's
    dictionary knows as a name (固有名詞-人名/組織名/一般, not in Latin letters).

    GiNZA costs 20-45 ms a line on this machine (its tok2vec and NER), Sudachi's tokenizer
    about 0.1 ms: prose about products, shipping or procedures (no name in it) never reaches
    the model. A pipeline without a Sudachi tokenizer (`--spacy-ja` of your own) gets every line.
    """
    check = _name_word_check(nlp)
    if check is None:
        return idxs
    return [i for i in idxs if trust[i] == CUE or has_ja_cue(lines[i]) or check(lines[i][:MAX_NER_CHARS])]


#: Sudachi part-of-speech pairs (level 2, level 3) that name someone or something: a
#: person, an organisation, or another proper noun (トヨタ, セゾンテクノロジー are 固有名詞-一般);
#: not a place (地名: addresses are the patterns' job)
_NAME_POS = (("固有名詞", "人名"), ("固有名詞", "組織名"), ("固有名詞", "一般"))


def _name_word_check(nlp: Any) -> Callable[[str], bool] | None:
    """A function telling whether Sudachi finds a person or organisation name in a text,
    from the pipeline's own Sudachi tokenizer (its dictionary and split mode); None when the
    pipeline has none."""
    tok = getattr(getattr(nlp, "tokenizer", None), "tokenizer", None)
    if tok is None or not hasattr(tok, "tokenize"):
        return None
    names: dict[int, bool] = {}  # part-of-speech id -> names someone

    def check(text: str) -> bool:
        try:
            morphemes = tok.tokenize(text)
        except Exception:  # noqa: BLE001 - a text Sudachi rejects goes to GiNZA as before
            return True
        for m in morphemes:
            pid = m.part_of_speech_id()
            hit = names.get(pid)
            if hit is None:
                hit = names[pid] = tuple(m.part_of_speech()[1:3]) in _NAME_POS
            if hit and not m.surface().isascii():  # `D3`, `X1` model codes are proper nouns too
                return True
        return False

    return check


#: Sudachi part-of-speech prefixes of a span that names a thing, not a company: common
#: nouns, noun suffixes (`食器洗い乾燥機用フィルター`), symbols and spaces
_COMMON_POS = ("名詞-普通名詞", "接尾辞", "補助記号", "空白")


def _common_nouns_only(ent: Any) -> bool:
    """A Japanese ORGANIZATION span made of common nouns only, with no company word
    (`エアコン`, `食器洗い乾燥機用フィルター` in a product table): GiNZA tags product names
    as Company. `株式会社さくらネット` and `青葉物産` (a company word) are kept, and so is
    a proper noun (`トヨタ`, `みずほ銀行`)."""
    if any(not str(tok.tag_).startswith(_COMMON_POS) for tok in ent):
        return False
    return not any(w in ent.text for w in company_words_ja())


def _titles_with_subject(kept: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Drop the JOB_TITLEs of a line on which NER found no PERSON or ORGANIZATION (and no
    name key sent it): an occupation in prose (`タクシーの運転手さんによると`) is nobody's
    job title. `鈴木さんが総務部の研究員に就任` and `(株)大和 専務取締役 高橋美咲` keep theirs."""
    if not any(r.entity == "JOB_TITLE" for _, _, r in kept):
        return kept
    if any(r.entity in ("PERSON", "ORGANIZATION") for _, _, r in kept):
        return kept
    logger.debug("NER JOB_TITLE candidate without a person or organisation on the line")
    return [k for k in kept if k[2].entity != "JOB_TITLE"]


def _one_label_per_name(line: str, found: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Drop an ORGANIZATION that names the same text as a person: the same span also tagged
    PERSON (`// Owner: Hanako Sato` tagged both), or exactly the value of a PERSON name key
    (`last_name=Smith`, Go's `{Name:Mio Sato Email:…}`: NameKeyRecognizer reports it as a
    PERSON). An organisation ending in an organisation word (`customer: Northwind Traders`)
    is kept."""
    orgs = [(s, e) for s, e, r in found if r.entity == "ORGANIZATION"]
    if not orgs:
        return found
    persons = {(s, e) for s, e, r in found if r.entity == "PERSON"}
    named = None
    out = []
    for s, e, r in found:
        if r.entity == "ORGANIZATION":
            if (s, e) in persons:
                logger.debug("NER ORGANIZATION candidate also tagged PERSON: kept as PERSON")
                continue
            if not is_org_head(line[s:e].split()[-1]):
                if named is None:
                    named = _name_key_values(line)
                if (s, e) in named:
                    logger.debug("NER ORGANIZATION candidate is the value of a person name key")
                    continue
        out.append((s, e, r))
    return out


@lru_cache(maxsize=1)
def _name_key_recognizer() -> Any:
    from recognizers.registry import build_recognizers

    recs = [r for r in build_recognizers({"PERSON"}) if r.name == "NameKeyRecognizer"]
    return recs[0] if recs else None


def _name_key_values(line: str) -> set[tuple[int, int]]:
    """Spans of the values NameKeyRecognizer (recognizers/patterns/person.yaml) reports on `line`."""
    rec = _name_key_recognizer()
    if rec is None:
        return set()
    return {(s, e) for s, e, _, _ in rec.iter_matches(line)}


#: `Copyright (c) 2019`, `© 2015-2024,`, `Copyright 2021` right before a span
_COPYRIGHT_BEFORE = regex.compile(
    r"(?i:copyright|\(c\)|©)(?:\s*(?:\(c\)|©))?\s*\d{4}(?:\s*[-–,]\s*(?:\d{4}|present))*,?\s+$"
)
_INITIAL = regex.compile(r"\p{Lu}\.")


def _is_copyright_holder(line: str, start: int, end: int) -> bool:
    """Two to four Title-case name words or initials right after `Copyright (c) YEAR`,
    not ending in an organisation word and not all common words: the holder is a person
    (`Copyright (c) 2019 Kenji Watanabe <kenji@example.com>`; `… 2019 Acme Inc.` stays an
    organisation)."""
    if _COPYRIGHT_BEFORE.search(line, max(0, start - 40), start) is None:
        return False
    words = line[start:end].split()
    if not 2 <= len(words) <= 4 or is_org_head(words[-1]):
        return False
    names = [w for w in words if is_name_word(w)]
    if not names or len(names) + sum(1 for w in words if _INITIAL.fullmatch(w)) != len(words):
        return False
    return not all(is_common_word(w) for w in names)


#: where a value ends in structured text: quotes, `=`, braces, a backslash (escaped JSON),
#: or `:` directly before the next value (`"fullName":"Grace Kim"`, `{Name:Mio Sato}`)
_FIELD_BOUNDARY = regex.compile(r'["={}\\]|:(?=\S)')
#: a key directly before a boundary: one word, then `:`/`=` (maybe inside quotes)
_KEY_PIECE = regex.compile(r"\s*[^\W\d][\w.-]*\s*")


def _within_field(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span cut to one field of structured text, or None when it crosses fields.

    NER does not know JSON or `%+v`: `{"fullName":"Grace Kim","displayName":"Grace K."}`
    gave `Kim","displayName":"Grace K`. A span holding a boundary (quote, `=`, brace,
    backslash, `:` before a non-space) is kept only as the value after leading keys
    (`Name:Mio Sato` -> `Mio Sato`); text on both sides of a boundary that is not a key means
    two fields, and the span is dropped rather than cut to a guess (the NameKeyRecognizer
    pattern reports such values exactly). A last word that is the next field's key
    (`Mio Sato Email` before `:mio@…`) is cut off.
    """
    if _FIELD_BOUNDARY.match(text, end) is not None and text[end] in ":=":
        cut = text.rfind(" ", start, end)
        if cut > start:
            end = cut
    bounds = list(_FIELD_BOUNDARY.finditer(text, start, end))
    if not bounds:
        return start, end
    pos = start
    for m in bounds:
        piece = text[pos : m.start()]
        if any(ch.isalnum() for ch in piece) and not (
            m.group() in (":", "=", '"') and _KEY_PIECE.fullmatch(piece) and _is_key_end(text, m.start())
        ):
            return None  # letters before a boundary that are not a key: the span starts in a value
        pos = m.end()
    return pos, end


def _is_key_end(text: str, at: int) -> bool:
    """Is the boundary at `at` the end of a key (`:`/`=`, or a quote closing one: `"name":`)?"""
    if text[at] in ":=":
        return True
    return text.startswith(":", at + 1) or text.startswith("=", at + 1)


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
    """Strip spaces, quotes, bullets and trailing punctuation or a possessive `'s` a model
    includes in an entity span (`- Patrick`, `Brightline Freight's`)."""
    strip = " \t\"'“”‘’「」『』()（）[]、。,.:;`·|*-–—•"
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
    if end - start > 3 and text[end - 2 : end] in ("'s", "’s") and text[end - 3].isalpha():
        end -= 2  # a possessive: `Brightline Freight's software division`
    return start, end
