"""Gazetteers: job titles and department names from word lists, found with Aho-Corasick.

One automaton per gazetteer set searches a whole chunk of lines at once (the lines joined),
so the cost per line is a few C-level steps. English terms match case-insensitively on word
boundaries; Japanese terms match exactly (the text is NFKC-normalised). Weak terms (single
common words) need context: a word such as "title:" or "所属" before them, or a column name; a
Japanese title right after a department name (経営企画室 主任) has it too. A Japanese title that
begins a compound noun (部長会議, 課長職, 部長級) is no one's title and is not reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from scanner import yamlio

#: a hit on one line: (line index, start, end, entity, score, recognizer name)
LineHit = tuple[int, int, int, str, float, str]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Term:
    """One word-list entry."""

    text: str
    entity: str
    recognizer: str
    strong: bool
    case_sensitive: bool
    context: tuple[str, ...]


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_&")


def _word(term: str) -> str:
    """`term` as a regex that needs ASCII word boundaries at its word-character ends."""
    body = re.escape(term)
    if term[:1].isascii() and (term[:1].isalnum() or term[:1] == "_"):
        body = r"\b" + body
    if term[-1:].isascii() and (term[-1:].isalnum() or term[-1:] == "_"):
        body += r"\b"
    return body


def _is_kanji_or_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def is_japanese(text: str) -> bool:
    """True when `text` holds any kana or kanji."""
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
        for ch in text
    )


def read_wordlist(name: str) -> list[str]:
    """The entries of `recognizers/wordlists/<name>` (comments and blanks skipped)."""
    text = (resources.files("recognizers") / "wordlists" / name).read_text(encoding="utf-8")
    return [s.strip() for s in text.splitlines() if s.strip() and not s.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def gazetteer_config() -> dict[str, Any]:
    """The parsed recognizers/gazetteer.yaml."""
    text = (resources.files("recognizers") / "gazetteer.yaml").read_text(encoding="utf-8")
    doc: dict[str, Any] = yamlio.safe_load(text)
    return doc


def _strength(term: str, weak: set[str]) -> tuple[bool, bool]:
    """(strong, case_sensitive) for a term."""
    if term in weak:
        return False, False
    if is_japanese(term):
        return True, True
    if term.isupper() and term.replace("&", "").isalpha():
        # acronyms: CEO/CFO are titles on their own; HR/IT need context
        return len(term) >= 3, True
    return (" " in term or "&" in term), False


class Gazetteer:
    """A LineDetector over word lists for a set of entities."""

    name = "Gazetteer"

    def __init__(self, entities: Iterable[str] | None = None) -> None:
        """Build the automaton for the gazetteers reporting `entities` (default: all)."""
        cfg = gazetteer_config()
        wanted = set(entities) if entities is not None else None
        self.scores = cfg["scores"]
        self.window = int(cfg.get("context_window", 60))
        self.automaton = ahocorasick.Automaton()
        self.entities: set[str] = set()
        keys: dict[str, list[Term]] = {}
        for g in cfg["gazetteers"]:
            if wanted is not None and g["entity"] not in wanted:
                continue
            self.entities.add(g["entity"])
            weak = set(g.get("weak") or [])
            ctx = tuple(str(c).lower() for c in g.get("context") or [])
            for fname in g["lists"]:
                for t in read_wordlist(fname):
                    strong, cs = _strength(t, weak)
                    term = Term(t, g["entity"], g["name"], strong, cs, ctx)
                    keys.setdefault(t.translate(_ASCII_LOWER), []).append(term)
        for key, terms in keys.items():
            self.automaton.add_word(key, (len(key), tuple(terms)))
        self.prefixes = tuple(str(p) + " " for p in cfg.get("prefixes_en") or [])
        self.prefixes_ja = tuple(str(p) for p in cfg.get("prefixes_ja") or [])
        self.compounds_ja = tuple(str(w) for w in cfg.get("compounds_ja") or [])
        self.department_ends_ja = tuple(str(w) for w in cfg.get("department_ends_ja") or [])
        self.empty = not keys
        if not self.empty:
            self.automaton.make_automaton()

    def triggers(self) -> list[tuple[str, bool]]:
        """(regex, caseless) expressions that match wherever a term can be accepted.

        The scanner's prefilter folds them into its one Hyperscan pass, so only the lines
        holding a term reach `detect_lines` (a superset: `_accept` decides). English terms are
        whole words (ASCII `\\b`), acronyms in their own case; Japanese terms are literals.
        """
        out: list[tuple[str, bool]] = []
        for key, (_length, terms) in self.automaton.items():
            if is_japanese(key):
                out.append((re.escape(key), False))
                continue
            if all(t.case_sensitive for t in terms):
                for text in sorted({t.text for t in terms}):
                    out.append((_word(text), False))
            else:
                out.append((_word(key), True))
        return out

    def detect_lines(self, lines: Sequence[str], context: str = "") -> Iterator[LineHit]:
        """Yield gazetteer hits on `lines` (NFKC-normalised); `context` is a column name."""
        if self.empty or not lines:
            return
        joined = "\n".join(lines)
        # str.lower() runs in C; it keeps offsets unless some character expands (rare: 'İ'),
        # in which case the exact but slower ASCII-only table is used
        low = joined.lower()
        if len(low) != len(joined):
            low = joined.translate(_ASCII_LOWER)
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        col = context.lower()
        raw: list[tuple[int, int, Term]] = []
        for end_idx, (length, terms) in self.automaton.iter(low):
            start, end = end_idx - length + 1, end_idx + 1
            for term in terms:
                if self._accept(joined, start, end, term) and not self._in_compound(joined, end, term):
                    raw.append((start, end, term))
        # longest match wins among overlapping hits of one entity (チームリーダー over リーダー)
        raw.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: dict[str, list[tuple[int, int]]] = {}
        for start, end, term in raw:
            spans = taken.setdefault(term.entity, [])
            if any(start < e and s < end for s, e in spans):
                continue
            if term.entity == "JOB_TITLE":
                start = self._extend(joined, start, is_japanese(term.text))
            spans.append((start, end))
            li = bisect.bisect_right(starts, start) - 1
            ls = starts[li]
            line = lines[li]
            score = float(self.scores["strong"] if term.strong else self.scores["weak"])
            before = line[max(0, start - ls - self.window) : start - ls].lower()
            if any(w in before or (col and w in col) for w in term.context) or (
                not term.strong and self._after_department(line, start - ls, term)
            ):
                score = min(1.0, score + float(self.scores["context_boost"]))
            yield li, start - ls, end - ls, term.entity, score, term.recognizer

    def _extend(self, text: str, start: int, japanese: bool = False) -> int:
        """Move `start` left over seniority words (Senior, 統括) before a title."""
        if japanese:
            for p in self.prefixes_ja:
                if start >= len(p) and text.startswith(p, start - len(p)):
                    return start - len(p)
            return start
        moved = True
        while moved:
            moved = False
            for p in self.prefixes:
                if text.startswith(p, max(0, start - len(p))) and start >= len(p):
                    before = start - len(p)
                    if before == 0 or not _is_ascii_word_char(text[before - 1]):
                        start, moved = before, True
                        break
        return start

    def _in_compound(self, text: str, end: int, term: Term) -> bool:
        """A Japanese title followed by a compound-noun word (部長会議, 課長職, 部長級)."""
        return (
            term.entity == "JOB_TITLE"
            and bool(self.compounds_ja)
            and text.startswith(self.compounds_ja, end)
            and is_japanese(term.text)
        )

    def _after_department(self, line: str, start: int, term: Term) -> bool:
        """A Japanese title right after a department name (経営企画室 主任, 営業部主任): the
        department says the word is a post (at most one space between them)."""
        if term.entity != "JOB_TITLE" or not self.department_ends_ja or not is_japanese(term.text):
            return False
        i = start - 1 if start and line[start - 1] in " \u3000" else start
        # a name of 3+ characters: two kanji/katakana before the head (営業部, not 全部, の一部)
        return (
            i >= 3
            and line.endswith(self.department_ends_ja, 0, i)
            and all(_is_kanji_or_katakana(ch) for ch in line[i - 3 : i - 1])
        )

    @staticmethod
    def _accept(text: str, start: int, end: int, term: Term) -> bool:
        value = text[start:end]
        if term.case_sensitive and value != term.text:
            return False
        if is_japanese(term.text):
            # a katakana term must not be part of a longer katakana word (エンジニアリング)
            after = text[end : end + 1]
            before = text[start - 1 : start] if start else ""
            if term.text[-1] >= "\u30a0" and after and "\u30a0" <= after <= "\u30ff":
                return False
            if (
                term.text[0] >= "\u30a0"
                and term.text[0] <= "\u30ff"
                and before
                and "\u30a0" <= before <= "\u30ff"
            ):
                return False
            return True
        if start and _is_ascii_word_char(text[start - 1]):
            return False
        if end < len(text) and _is_ascii_word_char(text[end]):
            return False
        # a single common word counts only when capitalised (Manager, not "manager process")
        return term.strong or value[:1].isupper()


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """One shared Gazetteer over every list (built once per process)."""
    return Gazetteer()
