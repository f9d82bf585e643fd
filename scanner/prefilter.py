"""Chunk-level prefilter: which lines of a multi-line chunk can hold which recognizer's match.

One pass of Hyperscan over the whole (UTF-8) chunk reports the end offsets of trigger
matches; offsets are mapped to line numbers in bulk with numpy. Triggers are chosen to be
*specific* (every callback costs Python time, every candidate line costs a regex run):

* a recognizer with `keywords:` in its YAML triggers on those literals (`@`, `://`, `eyJ`);
* a `context_required` recognizer triggers on its context words (a passport number without
  "passport" nearby is never reported, so a digit run alone is no reason to look);
* otherwise each pattern is its own trigger, *derived* from the pattern: single-character
  lookarounds become consuming boundaries (`(?<![\\w.])` -> `(?:^|[^\\w.])`), positive
  lookbehinds become consuming groups, other lookarounds are dropped and long bounded
  repeats become unbounded. Each step only widens the language, so the trigger matches on
  every line where the pattern does (a superset), and Hyperscan compiles it exactly (no
  prefilter mode) in milliseconds. Pattern triggers also tell the detector *which* pattern
  to run on the line.

Where Hyperscan is not installed (or `use_hyperscan=False`, or it rejects a trigger), the
same triggers run as Python regexes over the chunk: slower, same candidates.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import os
import platform
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import regex

from recognizers.base import CONTEXT_BOOST, PiiPatternRecognizer

logger = logging.getLogger(__name__)

_hs: ModuleType | None  # the hyperscan module, or None without it
try:  # Hyperscan wheels exist for x86-64 Linux; elsewhere the regex path serves.
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None

#: bounded repeats with an upper bound at least this large become unbounded in triggers
_UNBOUND_AT = 16
#: derive per-pattern triggers also for recognizers with `keywords:` (more specific: a line
#: with `] "` runs only the access-log pattern that can match there)
PATTERN_TRIGGERS = True
#: pattern index meaning "every pattern of the recognizer"
ALL = -1


def hyperscan_available() -> bool:
    """True when the Hyperscan engine can be used."""
    return _hs is not None


def _needs_hyperscan() -> ModuleType:
    """The hyperscan module; a clear error where a caller did not check `hyperscan_available()`."""
    if _hs is None:
        raise RuntimeError("Hyperscan is not installed (pip install hyperscan)")
    return _hs


# -- deriving a trigger from a pattern ---------------------------------------------------
def _skip_class(p: str, i: int) -> int:
    """Index just past the character class starting at p[i] == '['."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p):
        if p[j] == "\\":
            j += 2
            continue
        if p[j] == "[":  # nested class (regex module set syntax) or a literal '['
            j = _skip_class(p, j)
            continue
        if p[j] == "]":
            return j + 1
        j += 1
    raise ValueError("unterminated character class")


def _syntax(p: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, char) of the characters of `p` from `start` that are regex syntax: escapes
    (`\\x`) and character classes (`[...]`) are stepped over whole."""
    j = start
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
        elif c == "[":
            j = _skip_class(p, j)
        else:
            yield j, c
            j += 1


def _group_end(p: str, i: int) -> int:
    """Index just past the group whose '(' is at p[i]."""
    depth = 0
    for j, c in _syntax(p, i):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced parentheses")


_NEGATED_ESCAPES = {
    "\\w": "\\W",
    "\\W": "\\w",
    "\\d": "\\D",
    "\\D": "\\d",
    "\\s": "\\S",
    "\\S": "\\s",
}


def _negate_atom(atom: str) -> str | None:
    """The complement of a single-character atom, or None when `atom` is not one."""
    if atom in _NEGATED_ESCAPES:
        return _NEGATED_ESCAPES[atom]
    if (
        atom.startswith("[")
        and _skip_class(atom, 0) == len(atom)
        and "[" not in atom[1:-1].replace("\\[", "")
    ):
        return "[" + atom[2:] if atom.startswith("[^") else "[^" + atom[1:]
    if len(atom) == 1 and atom not in ".^$|()[]{}*+?\\":
        return "[^" + atom + "]"
    if len(atom) == 2 and atom[0] == "\\" and not atom[1].isalnum():
        return "[^" + atom + "]"
    return None


def _split_alternatives(body: str) -> list[str]:
    """Top-level alternatives of a group body."""
    parts: list[str] = []
    depth, start = 0, 0
    for j, c in _syntax(body):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:j])
            start = j + 1
    parts.append(body[start:])
    return parts


def _negate_union(body: str) -> str | None:
    """Complement of the union of the single-character alternatives of `body`, or None.

    Multi-character alternatives (`\\.\\d`) are left out: the result then excludes fewer
    characters, which only widens the trigger.
    """
    items: list[str] = []
    dash = False
    for alt in _split_alternatives(body):
        if alt in _NEGATED_ESCAPES:
            items.append(alt)
        elif (
            alt.startswith("[")
            and not alt.startswith("[^")
            and len(alt) > 2
            and _skip_class(alt, 0) == len(alt)
        ):
            inner = alt[1:-1]
            if "[" in inner.replace("\\[", ""):
                return None
            if inner.endswith("-") and not inner.endswith("\\-"):
                inner, dash = inner[:-1], True
            if inner.startswith("-"):
                inner, dash = inner[1:], True
            items.append(inner)
        elif len(alt) == 1 and alt not in "^$|()[]{}*+?.\\":
            items.append(regex.escape(alt))
        elif len(alt) == 2 and alt[0] == "\\" and not alt[1].isalnum():
            items.append(alt)
    if not items:
        return None
    return "[^" + "".join(items) + ("\\-" if dash else "") + "]"


def trigger_regex(pattern: str) -> str:
    """A lookaround-free regex matching on every line where `pattern` matches (see module doc)."""
    out: list[str] = []
    i = 0
    p = pattern
    while i < len(p):
        c = p[i]
        if c == "\\":
            out.append(p[i : i + 2])
            i += 2
        elif c == "[":
            j = _skip_class(p, i)
            out.append(p[i:j])
            i = j
        elif p.startswith(("(?<!", "(?<=", "(?!", "(?="), i):
            j = _group_end(p, i)
            behind = p[i + 2] == "<"
            head = 4 if behind else 3
            negative = p[i + head - 1] == "!"
            body = p[i + head : j - 1]
            if negative:
                neg = _negate_atom(body) if "|" not in body else _negate_union(body)
                if neg is not None:
                    out.append(f"(?:^|{neg})" if behind else f"(?:{neg}|$)")
            elif behind:
                out.append("(?:" + trigger_regex(body) + ")")
            i = j
        elif c == "{":
            j = p.find("}", i)
            inner = p[i + 1 : j] if j > 0 else ""
            lo, sep, hi = inner.partition(",")
            if (
                j > 0
                and sep
                and lo.strip().isdigit()
                and hi.strip().isdigit()
                and int(hi) >= _UNBOUND_AT
            ):
                out.append("{" + lo.strip() + ",}")
            else:
                out.append(p[i : j + 1] if j > 0 else c)
            i = j + 1 if j > 0 else i + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_ATOM = r"(\[(?:\\.|[^\]\\])*\]|\\.|[^\\()\[\]|])"
_TRAILING = (
    (re.compile(_ATOM + r"\{0*,\d*\}\??$"), ""),
    (re.compile(_ATOM + r"\{(\d+),\d*\}\??$"), r"\1{\2}"),
    (re.compile(_ATOM + r"\+\??$"), r"\1"),
    (re.compile(_ATOM + r"[*?]\??$"), ""),
)


def _trim_tail(expr: str) -> str:
    """Cut trailing repeats to their minimum: `x{2,}?` at the very end -> `x{2}`, repeatedly.

    Whether a line holds a match is decided by the shortest one; the longer ones would only
    add one callback per extra end offset. A plain group at the very end is opened first
    (`\\s+(?P<value>[A-Z]{20,}=*)` -> `\\s+[A-Z]{20}`), so a 40-character token costs one
    callback, not twenty.
    """
    while True:
        new = _open_last_group(expr)
        for rx, repl in _TRAILING:
            cut = rx.sub(repl, new)
            if cut != new:
                new = cut
                break
        if new == expr:
            return expr
        expr = new


def _open_last_group(expr: str) -> str:
    """`expr` with a final plain group `(...)`, `(?:...)` or `(?P<n>...)` unwrapped, when its
    body has no top-level alternation (otherwise `expr` unchanged).
    """
    if not expr.endswith(")") or expr.endswith("\\)"):
        return expr
    try:
        i = next(i for i, c in _syntax(expr) if c == "(" and _group_end(expr, i) == len(expr))
    except (StopIteration, ValueError):
        return expr
    head = expr[i:]
    m = re.match(r"\((?:\?:|\?P<\w+>)?", head)
    if m is None or head.startswith(("(?=", "(?!", "(?<")) and not head.startswith("(?P<"):
        return expr
    if head.startswith("(?") and not head.startswith(("(?:", "(?P<")):
        return expr  # a flags group such as (?i:...): its body depends on the flags
    body = head[m.end() : -1]
    if len(_split_alternatives(body)) > 1:
        return expr
    return expr[:i] + body


def keyword_regex(keyword: str, exact: bool = False) -> str:
    """A keyword trigger as a regex: the literal, or with `exact` the literal as a whole word.

    `keywords_exact: true` in a recognizer's YAML makes its keywords whole words that are
    matched case-sensitively, so short legal forms such as `SE` or `AG` do not fire inside
    `USER`, `PAGE` or `response` (other keywords match in any case, as context words do).
    """
    body: str = regex.escape(keyword)
    if exact:
        if keyword[:1].isalnum() or keyword[:1] == "_":
            body = r"\b" + body
        if keyword[-1:].isalnum() or keyword[-1:] == "_":
            body += r"\b"
    return body


def triggers(rec: PiiPatternRecognizer, min_score: float = 0.0) -> list[tuple[str, bool, int]]:
    """(expression, is_literal, pattern index or ALL) triggers of one recognizer.

    With `min_score`, a pattern scoring below it that only a context word can lift above it
    (the recognizer declares `can_certify = False`: validation never raises the score) triggers
    on the context words instead of on its own shape; one that nothing can lift is skipped.
    """
    if getattr(rec, "context_required", False) and rec.context:
        return [(w, True, ALL) for w in rec.context]
    # Unicode property classes (\p{Lu}, \p{Han}) make Hyperscan compile for tens of seconds
    # in UTF-8 mode: such recognizers trigger on their literal keywords instead.
    unicode_classes = any("\\p{" in p.regex for p in rec.patterns)
    if rec.keywords and (unicode_classes or not PATTERN_TRIGGERS):
        exact = getattr(rec, "keywords_exact", False)
        if exact:  # a regex, matched in the recognizer's case
            return [(keyword_regex(k, exact=True), False, ALL) for k in rec.keywords]
        return [(k, True, ALL) for k in rec.keywords]
    found: list[tuple[str, bool, int]] = []
    for pi, pat in enumerate(rec.patterns):
        if pat.score < min_score and not getattr(rec, "can_certify", True):
            if rec.context and pat.score + CONTEXT_BOOST >= min_score:
                found.extend((w, True, pi) for w in rec.context)
            continue
        try:
            found.append((_trim_tail(trigger_regex(pat.regex)), False, pi))
        except ValueError:  # a pattern this parser does not understand: trigger on itself
            found.append((pat.regex, False, pi))
    return found


# -- the prefilter -----------------------------------------------------------------------
class Prefilter:
    """Maps a chunk to {line index: {recognizer index: pattern indices (or None = all)}}."""

    def __init__(
        self,
        recognizers: Sequence[PiiPatternRecognizer],
        use_hyperscan: bool = True,
        min_score: float = 0.0,
        line_triggers: Sequence[Sequence[tuple[str, bool]]] = (),
    ) -> None:
        """Compile the triggers of `recognizers` (index in the sequence = id).

        `line_triggers[k]` are (regex, caseless) triggers of the k-th line detector (a
        gazetteer); its hits are reported under the id `len(recognizers) + k`.
        """
        self.size = len(recognizers)
        #: trigger id -> (recognizer index, pattern index or ALL)
        self.trigger_of: list[tuple[int, int]] = []
        self._fallback: list[tuple[int, Any]] = []
        self._db: Any = None
        #: recognizer -> (its context words, the patterns that only a context word selects, None
        #: for all): they run on every line when a context word is in the column name
        self.context_gated: dict[int, tuple[list[str], set[int] | None]] = {}
        exprs: list[tuple[int, str, int, Any]] = []  # (trigger id, expression, hs flags, re flags)
        for idx, rec in enumerate(recognizers):
            caseless = bool(rec.global_regex_flags & regex.IGNORECASE)
            found = triggers(rec, min_score)
            if rec.context and not rec.keywords:
                words = [w.lower() for w in rec.context]
                gated = {pi for expr, literal, pi in found if literal and expr.lower() in words}
                if gated:
                    self.context_gated[idx] = (words, None if ALL in gated else gated)
            for expr, literal, pi in found:
                tid = len(self.trigger_of)
                self.trigger_of.append((idx, pi))
                pattern = regex.escape(expr) if literal else expr
                # ASCII classes in both engines (Hyperscan's Unicode mode compiles ten times
                # slower and lacks \b); lines are NFKC-normalised, so the digits and letters
                # that matter are ASCII already.
                rflags = (
                    regex.MULTILINE | regex.ASCII | (regex.IGNORECASE if caseless or literal else 0)
                )
                hflags = 0
                if _hs is not None:
                    hflags = _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_MULTILINE | _hs.HS_FLAG_ALLOWEMPTY
                    hflags |= _hs.HS_FLAG_CASELESS if caseless or literal else 0
                exprs.append((tid, pattern, hflags, rflags))
        for k, trig in enumerate(line_triggers):
            for expr, caseless in trig:
                tid = len(self.trigger_of)
                self.trigger_of.append((self.size + k, ALL))
                rflags = regex.MULTILINE | regex.ASCII | (regex.IGNORECASE if caseless else 0)
                hflags = 0
                if _hs is not None:
                    hflags = _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_MULTILINE
                    hflags |= _hs.HS_FLAG_CASELESS if caseless else 0
                exprs.append((tid, expr, hflags, rflags))
        if use_hyperscan and _hs is not None and exprs:
            done = {e[0] for e in self._compile(exprs)}
            exprs = [e for e in exprs if e[0] not in done]
        for tid, pattern, _hflags, rflags in exprs:
            self._fallback.append((tid, regex.compile(pattern, rflags)))

    def _compile(self, exprs: list[tuple[int, str, int, Any]]) -> list[tuple[int, str, int, Any]]:
        """Compile one Hyperscan database; triggers it rejects are left to the regex path."""
        hs = _needs_hyperscan()

        def build(items: list[tuple[int, str, int, Any]]) -> Any:
            db = hs.Database(mode=hs.HS_MODE_BLOCK)
            db.compile(
                expressions=[e[1].encode("utf-8") for e in items],
                ids=[e[0] for e in items],
                elements=len(items),
                flags=[e[2] for e in items],
            )
            return db

        cached = _cache_path(exprs)
        if cached is not None and cached.exists():
            try:
                self._db = hs.loadb(cached.read_bytes(), hs.HS_MODE_BLOCK)
                self._scratch = hs.Scratch(self._db)
                return exprs
            except Exception:  # noqa: BLE001 - a stale or damaged cache: compile again
                logger.debug("ignoring hyperscan cache %s", cached)
        try:
            self._db = build(exprs)
            accepted = exprs
            if cached is not None:
                _write_cache(cached, hs.dumpb(self._db))
        except Exception:  # hyperscan.error: find the unsupported triggers one by one
            accepted = []
            for e in exprs:
                try:
                    build([e])
                    accepted.append(e)
                except Exception:  # noqa: BLE001 - any rejection means "use the regex path"
                    logger.debug("hyperscan rejected trigger %r; using regex", e[1])
            if not accepted:
                return []
            self._db = build(accepted)
        self._scratch = hs.Scratch(self._db)
        return accepted

    @property
    def engine(self) -> str:
        """Which engine serves most triggers ("hyperscan" or "regex")."""
        return "hyperscan" if self._db is not None else "regex"

    def forced(self, context: str) -> dict[int, set[int] | None]:
        """{recognizer: patterns (None: all)} to run on every line of a column named `context`.

        A pattern whose trigger is a context word (a `context_required` recognizer, or one that
        only a context word lifts above the minimum score) is selected by the column name,
        not by the line; a pattern triggered by its own shape is found by the prefilter where
        it can match, column name or not (forcing the phone patterns onto every value of a
        `phone` column cost a regex run per pattern and a libphonenumber call per extra match).
        """
        low = context.lower()
        if not low:
            return {}
        return {idx: pats for idx, (words, pats) in self.context_gated.items() if any(w in low for w in words)}

    def trigger_hits(self, text: str) -> list[tuple[int, int]]:
        """Distinct (line index, trigger id) pairs of `text` (lines joined by newlines)."""
        pairs: set[tuple[int, int]] = set()
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
                # a match ending at `to` covers byte to-1 (a zero-length one, byte `to`); its
                # line is the number of newlines before that byte. A trigger may end on the
                # newline it consumed as a boundary: that newline belongs to the line before.
                ends = np.asarray(hit_ends)
                lines = np.searchsorted(newlines, np.maximum(ends - 1, 0), side="left")
                pairs.update(zip(lines.tolist(), hit_ids, strict=True))
        if self._fallback:
            starts: list[int] | None = None
            for tid, compiled in self._fallback:
                for m in compiled.finditer(text):
                    if starts is None:
                        starts = _line_starts(text)
                    pos = max(m.end() - 1, m.start())
                    line = bisect.bisect_right(starts, pos) - 1
                    # a consumed newline boundary at the end belongs to the previous line
                    pairs.add((line, tid))
        return sorted(pairs)

    def candidate_patterns(self, text: str) -> dict[int, dict[int, set[int] | None]]:
        """{line: {recognizer: pattern indices to run, None for all}} for `text`."""
        out: dict[int, dict[int, set[int] | None]] = {}
        trig = self.trigger_of
        for line, tid in self.trigger_hits(text):
            rec, pi = trig[tid]
            per = out.setdefault(line, {})
            if pi == ALL:
                per[rec] = None
            elif rec not in per:
                per[rec] = {pi}
            else:
                cur = per[rec]
                if cur is not None:
                    cur.add(pi)
        return out

    def candidates(self, text: str) -> dict[int, set[int]]:
        """Scan `text` (lines joined by newlines) once; return candidate recognizers per line."""
        return {line: set(per) for line, per in self.candidate_patterns(text).items()}


def compile_cached(exprs: Sequence[tuple[str, int]]) -> Any:
    """One block-mode Hyperscan database for (expression, flags) pairs, ids = positions.

    Loaded from the on-disk cache (see `_cache_path`) when it was compiled before: Unicode
    (UCP) databases take half a second to compile, in every process. Raises what Hyperscan
    raises for a rejected expression; needs Hyperscan.
    """
    hs = _needs_hyperscan()
    items = [(i, e, f, None) for i, (e, f) in enumerate(exprs)]
    cached = _cache_path(items)
    if cached is not None and cached.exists():
        try:
            return hs.loadb(cached.read_bytes(), hs.HS_MODE_BLOCK)
        except Exception:  # noqa: BLE001 - a stale or damaged cache: compile again
            logger.debug("ignoring hyperscan cache %s", cached)
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(
        expressions=[e.encode("utf-8") for e, _ in exprs],
        ids=list(range(len(exprs))),
        elements=len(exprs),
        flags=[f for _, f in exprs],
    )
    if cached is not None:
        _write_cache(cached, hs.dumpb(db))
    return db


def _cache_path(exprs: list[tuple[int, str, int, Any]]) -> Path | None:
    """Where the compiled database for `exprs` is cached (compiling takes about a second).

    `PIIMAP_CACHE_DIR` overrides the folder (default `$XDG_CACHE_HOME/piimap` or
    `~/.cache/piimap`); `PIIMAP_CACHE_DIR=off` disables the cache.
    """
    folder = os.environ.get("PIIMAP_CACHE_DIR", "")
    if folder == "off":
        return None
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "piimap")
    key = hashlib.sha256(
        repr((getattr(_hs, "__version__", ""), platform.machine(), [e[:3] for e in exprs])).encode(
            "utf-8"
        )
    ).hexdigest()[:32]
    return Path(folder) / f"hyperscan-{key}.db"


def _write_cache(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:  # a read-only home: no cache, no problem
        logger.debug("cannot write hyperscan cache %s", path)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts
