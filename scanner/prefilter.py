"""Chunk-level prefilter: which lines of a multi-line chunk can hold which recognizer's match.

One pass of Hyperscan over the whole (UTF-8) chunk reports, for each recognizer, the end
offsets of its candidate matches; offsets are mapped to line numbers in bulk with numpy.
Patterns are compiled in Hyperscan's *prefilter* mode, which over-approximates constructs it
cannot run exactly (lookbehinds), so a line is never missed; the exact Python regex then runs
only on candidate lines. Where Hyperscan is not installed, or rejects a pattern, that
recognizer's own regex scans the chunk instead (slower, same results).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import regex

from recognizers.base import PiiPatternRecognizer

logger = logging.getLogger(__name__)

try:  # Hyperscan wheels exist for x86-64 Linux; elsewhere the regex path serves.
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None


def hyperscan_available() -> bool:
    """True when the Hyperscan engine can be used."""
    return _hs is not None


def _triggers(rec: PiiPatternRecognizer) -> list[tuple[str, bool]]:
    """(expression, is_literal) pairs that a candidate line must contain."""
    if rec.keywords:
        return [(k, True) for k in rec.keywords]
    return [(p.regex, False) for p in rec.patterns]


class Prefilter:
    """Maps a chunk to {line index: set of recognizer indices worth running there}."""

    def __init__(self, recognizers: Sequence[PiiPatternRecognizer], use_hyperscan: bool = True):
        """Compile the triggers of `recognizers` (index in the sequence = id)."""
        self.size = len(recognizers)
        self._fallback: list[tuple[int, Any]] = []
        self._db: Any = None
        exprs: list[bytes] = []
        ids: list[int] = []
        flags: list[int] = []
        for idx, rec in enumerate(recognizers):
            caseless = bool(rec.global_regex_flags & regex.IGNORECASE)
            for expr, literal in _triggers(rec):
                if use_hyperscan and _hs is not None:
                    pattern = regex.escape(expr) if literal else expr
                    f = _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_ALLOWEMPTY
                    f |= _hs.HS_FLAG_CASELESS if caseless or literal else 0
                    f |= 0 if literal else _hs.HS_FLAG_PREFILTER
                    if self._compiles(pattern, f):
                        exprs.append(pattern.encode("utf-8"))
                        ids.append(idx)
                        flags.append(f)
                        continue
                    logger.debug("hyperscan rejected a trigger of %s; using regex", rec.name)
                rflags = regex.MULTILINE | (regex.IGNORECASE if caseless or literal else 0)
                compiled = regex.compile(regex.escape(expr) if literal else expr, rflags)
                self._fallback.append((idx, compiled))
        if exprs:
            self._db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            self._db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=flags)
            self._scratch = _hs.Scratch(self._db)

    @staticmethod
    def _compiles(pattern: str, flags: int) -> bool:
        try:
            db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            db.compile(expressions=[pattern.encode("utf-8")], flags=[flags], elements=1)
        except Exception:  # hyperscan.error: unsupported construct
            return False
        return True

    @property
    def engine(self) -> str:
        """Which engine serves most triggers ("hyperscan" or "regex")."""
        return "hyperscan" if self._db is not None else "regex"

    def candidates(self, text: str) -> dict[int, set[int]]:
        """Scan `text` (lines joined by newlines) once; return candidate recognizers per line."""
        out: dict[int, set[int]] = {}
        if self._db is not None:
            data = text.encode("utf-8")
            hit_ids: list[int] = []
            hit_ends: list[int] = []

            def on_match(id_: int, _from: int, to: int, _flags: int, _ctx: Any) -> None:
                hit_ids.append(id_)
                hit_ends.append(to)

            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
            if hit_ids:
                buf = np.frombuffer(data, dtype=np.uint8)
                newlines = np.flatnonzero(buf == 10)
                # a match ending at offset `to` covers byte to-1; its line is the count of
                # newlines before that byte
                lines = np.searchsorted(newlines, np.asarray(hit_ends) - 1, side="right")
                for line, id_ in set(zip(lines.tolist(), hit_ids)):
                    out.setdefault(line, set()).add(id_)
        if self._fallback:
            starts: list[int] | None = None
            for idx, compiled in self._fallback:
                for m in compiled.finditer(text):
                    if starts is None:
                        starts = _line_starts(text)
                    line = bisect.bisect_right(starts, m.start()) - 1
                    out.setdefault(line, set()).add(idx)
        return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts
