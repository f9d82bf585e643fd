"""The `--nlp auto` gate and the language router: cheap checks that pick the lines NER sees,
and how far `auto` trusts what NER finds on them.

NER costs milliseconds per line, and the small English model tags capitalised common words
in prose, docs and code as PERSON/ORG. `auto` therefore runs NER where a name can plausibly
be and trusts its result only with corroboration (`gate()` returns the trust level):

* `CUE` (NER result trusted, after scanner/filters.py): a cell of a name-ish column
  (`customer`, `氏名`), a line with a name-ish key (`name=`, `author:`, `From:`, `氏名：`),
  an honorific before a capitalised word (`Mr.`, `Dr.`), the line after a sign-off
  (`Best regards,`: a signature block);
* `JA`: Japanese text without a name key (GiNZA; a machine log line only with a name cue
  such as 様/さん/氏名): like `CUE` for Japanese-script candidates, but a Latin-script
  PERSON/ORGANIZATION (English inside Japanese text) needs `has_evidence()`, and a
  Latin-script JOB_TITLE/ADDRESS from GiNZA is dropped (word lists and patterns find those);
* `EVIDENCE` (NER runs, a PERSON/ORGANIZATION is kept only if `has_evidence()`): English
  free text with a name-shaped pair of Title-case words, one of them not a common word
  (`Emily Clarke`, not `Release Notes`);
* None (no NER): stack traces, code and key=value records without a name key, and English
  text with no name-shaped pair (the evidence rule would reject whatever NER found there).

The vocabulary is data: models/gate.yaml and models/common_words_en.yaml.
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick
import regex

from scanner import yamlio

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _cfg() -> dict[str, Any]:
    text = (resources.files("models") / "gate.yaml").read_text(encoding="utf-8")
    doc: dict[str, Any] = yamlio.safe_load(text)
    return doc


#: trust levels returned by `gate()`
CUE = "cue"
EVIDENCE = "evidence"
#: Japanese text: GiNZA's Japanese-script results are kept, Latin-script ones need evidence
JA = "ja"

#: a Title-case name word: Smith, O'Brien, McDonald, DiCaprio, Smith-Jones, José; not
#: CamelCase identifiers (DataFrames, JavaScript)
_NAME_WORD = (
    r"(?:\p{Lu}['’])?(?:(?:Mc|Mac|De|Di|Da|Du|Le|La|Van|Von|Fitz)\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+)"
    r"(?:-\p{Lu}\p{Ll}+)?"
)


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Lower-case words that are not names: common English words, plus the NER filters'
    products, months, weekdays and log levels (scanner/filters.yaml)."""
    from scanner.filters import _words

    text = (resources.files("models") / "common_words_en.yaml").read_text(encoding="utf-8")
    doc = yamlio.safe_load(text) or {}
    found = {str(w).lower() for w in doc.get("words") or ()}
    for key in ("products", "months", "weekdays", "log_levels"):
        found |= set(_words().get(key, ()))
    return frozenset(found)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    # stdlib `re` for the ASCII-only checks: faster than `regex` on short lines
    c = _cfg()
    return {
        # any `key:` / `key=`; the key is then looked up in a set (one regex, no alternation)
        "keys_en": frozenset(str(k).lower() for k in c["name_keys_en"]),
        "keys_ja": tuple(str(k) for k in c["name_keys_ja"]),
        "trace": re.compile("|".join(c["trace_patterns"])),
        "code": re.compile("|".join(c["code_patterns"])),
        "word": re.compile(r"(?<![\w@./=-])[A-Za-z][a-z'’-]+(?![\w@/=])"),
        "cap": re.compile(r"\s[A-Z][a-z]"),
        "jp": regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]{2}"),
        "header": re.compile("(?i)" + "|".join(re.escape(h) for h in c["name_headers"])),
        "machine": re.compile(c["machine_prefix"]),
        "ja_cues": tuple(str(w) for w in c["ja_name_cues"]),
        "honorific": regex.compile(
            r"\b(?:" + "|".join(regex.escape(h) for h in c["honorifics_en"]) + r")\.?[ \t]+\p{Lu}"
        ),
        "signoffs": frozenset(str(w).lower() for w in c["signoffs"]),
        "connectors": frozenset(str(w).lower() for w in c["connectors"]),
        "org_heads": frozenset(str(w).lower().rstrip(".") for w in c["org_heads"]),
        # two name words, maybe joined by a connector (Bank of Japan); overlapping matches
        "pair": regex.compile(
            rf"(?<![\w.@/-])({_NAME_WORD})[ \t]+"
            rf"(?:(?:{'|'.join(regex.escape(str(w)) for w in c['connectors'])})[ \t]+)?"
            rf"({_NAME_WORD})(?![\w@/])"
        ),
        "name_word": regex.compile(_NAME_WORD),
        "initial": regex.compile(r"\p{Lu}\."),
        # an e-mail address or a phone-shaped number on the line corroborates a PERSON
        "contact": regex.compile(
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.:/-])(?:\+\d{1,3}[\s-]?)?\(?\d{2,4}\)?[\s-]\d{2,4}[\s-]\d{3,4}(?![\w.:/-])"
        ),
    }


_CJK = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]")


def language_of(text: str) -> str:
    """'ja' when `text` holds kana or kanji, else 'en' (per-text routing by script)."""
    return "ja" if not text.isascii() and _CJK.search(text) else "en"


def header_wants_ner(column: str) -> bool:
    """True when a column name suggests names or organisations (customer, 氏名, company)."""
    return bool(column) and bool(_compiled()["header"].search(column))


def has_name_key(line: str) -> bool:
    """True when `line` has a name-ish key such as `name=`, `author:` or `氏名：` whose value
    can be a name: not a number, an address (`client=10.0.0.1`) or an e-mail (`to=a@b.c`)."""
    c = _compiled()
    keys_en, keys_ja = c["keys_en"], c["keys_ja"]
    pieces = _KEY_SPLIT.split(line)
    for k in range(len(pieces) - 1):
        key = pieces[k].rsplit(" ", 1)[-1].strip("\"'{[(,;").lstrip("-")
        if not key:
            continue
        if key.isascii():
            if key.lower() not in keys_en:
                continue
        elif not key.endswith(keys_ja):
            continue
        value = pieces[k + 1].lstrip(" \t\"'[{(<").split(" ", 1)[0]
        if value and (value[0].isdigit() or "@" in value or "://" in value):
            continue
        return True
    return False


# the text before each ':', '=' or '：' (its last word is the key), the final piece dropped
_KEY_SPLIT = re.compile(r"[ \t]*[:=：](?=.)")


def has_name_pair(line: str) -> bool:
    """True when `line` holds two Title-case name words in a row (maybe joined by `of`, `van`),
    one of them not a common word: `Emily Clarke`, `Bank of Ishikawa`, not `Release Notes`."""
    c = _compiled()
    common = _common_words()
    for m in c["pair"].finditer(line, overlapped=True):
        if m.group(1).lower() not in common or m.group(2).lower() not in common:
            return True
    return False


def is_signoff(line: str) -> bool:
    """True when `line` is a sign-off (`Best regards,`, `敬具`): the next line is a signature."""
    s = line.strip().rstrip(",-!.、。 ").lower()
    return bool(s) and (s in _compiled()["signoffs"] or line.strip() == "--")


def gate(line: str, context: str = "", prev: str = "") -> str | None:
    """The `auto` decision for one line: `CUE`, `JA`, `EVIDENCE` or None (no NER); see the module doc.

    `context` is the column name of a table cell, `prev` the line before (signature blocks).
    """
    if context and header_wants_ner(context):
        return CUE if line.strip() else None
    if len(line) < 4:
        return None
    c = _compiled()
    tokens = line.split()
    kv = sum(1 for t in tokens if "=" in t)
    if kv and kv * 2 >= len(tokens):
        # a key=value record: only a name-ish key sends it
        return CUE if has_name_key(line) else None
    if c["trace"].search(line):
        return None
    has_key = has_name_key(line)
    if c["code"].search(line):
        return CUE if has_key else None
    if has_key:
        return CUE
    if not line.isascii() and c["jp"].search(line):
        # Japanese free text goes to GiNZA; a machine log line only with a name cue (様, 氏名…)
        if c["machine"].match(line) is None or any(w in line for w in c["ja_cues"]):
            return JA
        return None
    if prev and is_signoff(prev) and c["name_word"].search(line):
        return CUE
    if c["honorific"].search(line):
        return CUE
    if c["cap"].search(line) is None and not c["name_word"].match(line):
        return None
    words = c["word"].findall(line)
    if len(words) < 3 or len(words) * 5 < len(tokens) * 2:
        return None
    return EVIDENCE if has_name_pair(line) else None


@lru_cache(maxsize=1)
def _triggers() -> dict[str, Any]:
    """Automata and a regex that find, in a whole chunk, every place `gate()` can say yes."""
    c = _cfg()
    lower = ahocorasick.Automaton()  # on the lower-cased chunk: name keys and sign-offs
    # a key only counts before a separator, maybe after quotes/brackets and spaces (`name":`,
    # `name =`): each key is listed with every character that can follow it there
    for k in {str(k).lower() for k in c["name_keys_en"]} | {str(k) for k in c["name_keys_ja"]}:
        for nxt in _AFTER_KEY_FIRST:
            lower.add_word(k + nxt, ("key", len(k) + 1))
    for w in {str(w).lower().split()[-1] for w in c["signoffs"]}:
        lower.add_word(w, ("sign", len(w)))
    lower.make_automaton()
    exact = ahocorasick.Automaton()  # on the chunk as is: honorifics (Mr, Dr)
    for h in c["honorifics_en"]:
        exact.add_word(str(h), len(str(h)))
    exact.make_automaton()
    return {
        "lower": lower,
        "exact": exact,
        "pair": regex.compile(r"\p{Lu}\p{Ll}+[ \t]+(?:[^ \t\n]{1,5}[ \t]+)?(?:\p{Lu}['’])?\p{Lu}\p{Ll}"),
        "after_key": re.compile(r"[\"'{\[(,;]*[ \t]*[:=：]"),
    }


_AFTER_KEY_FIRST = "\"'{[(,; \t:=："
_KEY_LEFT = frozenset(" \t\n\"'{[(,;-:=：")


@lru_cache(maxsize=1)
def _hs_triggers() -> tuple[Any, Any] | None:
    """The same triggers as one Hyperscan database (None without Hyperscan): ~GB/s per chunk."""
    try:
        import hyperscan as hs
    except ImportError:
        return None
    c = _cfg()
    keys = sorted({str(k) for k in c["name_keys_en"]} | {str(k) for k in c["name_keys_ja"]})
    hon = "|".join(regex.escape(str(h)) for h in c["honorifics_en"])
    sign = "|".join(regex.escape(str(w)) for w in c["signoffs"])
    exprs = [
        # 0: a name key before a separator; 1: an honorific; 2: a Title-case pair;
        # 3: a Japanese name cue; 4: a sign-off line (its next line is a signature)
        ("(?:" + "|".join(regex.escape(k) for k in keys) + ")[\"'{\\[(,;]*[ \t]*[:=：]", hs.HS_FLAG_CASELESS),
        (rf"(?:{hon})\.?[ \t]+\p{{Lu}}", 0),
        (r"\p{Lu}\p{Ll}+[ \t]+(?:[^ \t\n]{1,5}[ \t]+)?(?:\p{Lu}['’])?\p{Lu}\p{Ll}", 0),
        ("|".join(regex.escape(str(w)) for w in c["ja_name_cues"]), 0),
        (rf"^[ \t\r]*(?:{sign})[ \t\r,!.、。-]*$", hs.HS_FLAG_CASELESS | hs.HS_FLAG_MULTILINE),
    ]
    try:
        from scanner.prefilter import compile_cached

        db = compile_cached([(e, f | hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP) for e, f in exprs])
        return db, hs.Scratch(db)
    except Exception:  # noqa: BLE001 - hyperscan rejected a pattern: the Python path serves
        logger.debug("hyperscan rejected the gate triggers; using Aho-Corasick and regex")
        return None


def _hs_hits(joined: str, hs: tuple[Any, Any]) -> set[int]:
    """Line indices where a trigger ends (and the line after a sign-off), via Hyperscan."""
    db, scratch = hs
    data = joined.encode("utf-8")
    ends: list[tuple[int, int]] = []

    def on_match(tid: int, start: int, end: int, flags: int, ctx: Any) -> None:
        ends.append((end, tid))

    with _HS_LOCK:  # one scratch space per process: scans must not overlap
        db.scan(data, match_event_handler=on_match, scratch=scratch)
    if not ends:
        return set()
    if data.isascii():
        nl = [m.start() for m in _NL.finditer(joined)]
    else:
        nl = [m.start() for m in _NL_B.finditer(data)]
    hit: set[int] = set()
    for end, tid in ends:
        i = bisect_left(nl, end)  # the line holding the match end
        hit.add(i)
        if tid == 4:
            hit.add(i + 1)
    return hit


_HS_LOCK = threading.Lock()
_NL = re.compile("\n")
_NL_B = re.compile(b"\n")


def gate_lines(lines: Sequence[str], context: str = "", use_hyperscan: bool = True) -> dict[int, str]:
    """`gate()` for a chunk of lines: {line index: trust level} for the lines NER sees.

    Gives exactly what `gate(line, context, previous line)` gives on each line, but first finds
    the few lines where it can say yes over the whole chunk (one Hyperscan pass; without
    Hyperscan, Aho-Corasick for name keys, sign-offs and honorifics plus one regex for
    Title-case pairs), so most log lines cost no Python call at all.
    """
    if context and header_wants_ner(context):
        return {i: CUE for i, line in enumerate(lines) if line.strip()}
    joined = "\n".join(lines)
    hs = _hs_triggers() if use_hyperscan else None
    if hs is not None:
        hit = _hs_hits(joined, hs)
        if not joined.isascii():
            machine = _compiled()["machine"].match
            hit.update(i for i, line in enumerate(lines) if not line.isascii() and machine(line) is None)
        return _gate_each(lines, sorted(h for h in hit if h < len(lines)), context)
    low = joined.lower()
    if len(low) != len(joined):  # lower() changed offsets (rare characters): line by line
        return _gate_each(lines, range(len(lines)), context)
    t = _triggers()
    positions: list[int] = []
    after_key = t["after_key"]
    for end, (kind, n) in t["lower"].iter(low):
        start = end - n + 1
        if kind == "key":
            if (start == 0 or low[start - 1] in _KEY_LEFT or not low[start].isascii()) and after_key.match(
                low, end
            ):
                positions.append(start)
        else:
            positions.append(start)
    for end, n in t["exact"].iter(joined):
        positions.append(end - n + 1)
    positions.extend(m.start() for m in t["pair"].finditer(joined))
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    hit = set()
    for p in positions:
        i = bisect_right(starts, p) - 1
        hit.add(i)
        hit.add(i + 1)  # after a sign-off: a signature line
    if not joined.isascii():
        hit.update(i for i, line in enumerate(lines) if not line.isascii())
    return _gate_each(lines, sorted(h for h in hit if h < len(lines)), context)


def _gate_each(lines: Sequence[str], idxs: Iterable[int], context: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in idxs:
        level = gate(lines[i], context, lines[i - 1] if i else "")
        if level is not None:
            out[i] = level
    return out


@lru_cache(maxsize=1)
def _ja_text_cues() -> Any:
    return regex.compile("|".join(f"(?:{p})" for p in _cfg()["ja_text_cues"]))


def has_ja_cue(line: str) -> bool:
    """True when Japanese text carries a name or company cue (gate.yaml `ja_text_cues`): an
    honorific after a name (ワタナベ様, not 仕様), a company form (株式会社, ㈱) or a name key
    (氏名, 宛先)."""
    return _ja_text_cues().search(line) is not None


def line_wants_ner(line: str) -> bool:
    """True when `line` is worth running NER on in `auto` (see `gate`)."""
    return gate(line) is not None


def wants_ner(line: str, context: str = "", prev: str = "") -> bool:
    """The `auto` gate: a cell of a name-ish column, or a line that `gate` sends."""
    return gate(line, context, prev) is not None


def is_name_word(word: str) -> bool:
    """True for a Title-case name word (Smith, O'Brien, McDonald, DiCaprio, Smith-Jones)."""
    return _compiled()["name_word"].fullmatch(word) is not None


def is_org_head(word: str) -> bool:
    """True for a last word that makes a span an organisation (Holdings, Labs, Inc.)."""
    return word.rstrip(".,").lower() in _compiled()["org_heads"]


def is_common_word(word: str) -> bool:
    """True for a common English word (models/common_words_en.yaml, plus the filters'
    products, months, weekdays and log levels), compared case-insensitively."""
    return word.lower() in _common_words()


def has_evidence(value: str, entity: str, line: str) -> bool:
    """Is an NER candidate on an `EVIDENCE` line strong enough to report?

    PERSON and ORGANIZATION need two or more Title-case name words (connectors such as `of`
    and initials such as `J.` allowed inside), and one of them not a common word; a PERSON
    made of common words only is kept when the line also holds an e-mail address or phone
    number, an ORGANIZATION when it ends in an organisation word (`Holdings`, `Labs`, `Inc.`).
    """
    if entity not in ("PERSON", "ORGANIZATION"):
        return True
    c = _compiled()
    common, connectors = _common_words(), c["connectors"]
    toks = value.split()
    head = False
    if entity == "ORGANIZATION" and toks and toks[-1].rstrip(".,").lower() in c["org_heads"]:
        head = True
        toks = toks[:-1]
    names = []
    initials = 0
    for k, t in enumerate(toks):
        if c["name_word"].fullmatch(t):
            names.append(t)
        elif c["initial"].fullmatch(t) and entity == "PERSON":
            initials += 1
        elif t.lower() in connectors and 0 < k < len(toks) - 1:
            continue
        else:
            return False  # a lower-case word, digits, code: not a name
    if head:
        return len(names) >= 1
    if not names or len(names) + initials < 2:
        return False
    if any(t.lower() not in common for t in names):
        return True
    return entity == "PERSON" and c["contact"].search(line) is not None
