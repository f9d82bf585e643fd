"""The `--nlp auto` gate and the language router: cheap checks that pick the lines NER sees.

NER costs milliseconds per line; most log lines (key=value records, stack traces, code) can
hold no name a model would find. A line goes to NER when it is free text (several
alphabetic words and a capitalised word after the first, or Japanese text), or when it has a
name-ish key (`name=`, `author:`, `氏名：`); never when it looks like a stack trace or code, or
is a key=value record without a name-ish key. A table column whose name suggests people or
organisations sends every non-empty cell. The vocabulary is data: models/gate.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml


@lru_cache(maxsize=1)
def _cfg() -> dict[str, Any]:
    text = (resources.files("models") / "gate.yaml").read_text(encoding="utf-8")
    doc: dict[str, Any] = yaml.safe_load(text)
    return doc


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
    }


_CJK = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]")


def language_of(text: str) -> str:
    """'ja' when `text` holds kana or kanji, else 'en' (per-text routing by script)."""
    return "ja" if not text.isascii() and _CJK.search(text) else "en"


def header_wants_ner(column: str) -> bool:
    """True when a column name suggests names or organisations (customer, 氏名, company)."""
    return bool(column) and bool(_compiled()["header"].search(column))


def has_name_key(line: str) -> bool:
    """True when `line` has a name-ish key such as `name=`, `author:` or `氏名：`."""
    c = _compiled()
    keys_en, keys_ja = c["keys_en"], c["keys_ja"]
    for tok in _KEY_SPLIT.split(line)[:-1]:
        key = tok.rsplit(" ", 1)[-1].strip("\"'{[(,;").lstrip("-")
        if not key:
            continue
        if key.isascii():
            if key.lower() in keys_en:
                return True
        elif key.endswith(keys_ja):
            return True
    return False


# the text before each ':', '=' or '：' (its last word is the key), the final piece dropped
_KEY_SPLIT = re.compile(r"[ \t]*[:=：](?=.)")


def line_wants_ner(line: str) -> bool:
    """True when `line` is free text or has a name-ish key: worth running NER on."""
    if len(line) < 4:
        return False
    c = _compiled()
    tokens = line.split()
    kv = sum(1 for t in tokens if "=" in t)
    if kv and kv * 2 >= len(tokens):
        return has_name_key(line)  # a key=value record: only a name-ish key sends it
    if c["trace"].search(line):
        return False
    has_key = has_name_key(line)
    if c["code"].search(line):
        return has_key
    if has_key:
        return True
    if not line.isascii() and c["jp"].search(line):
        # Japanese free text goes to GiNZA; a machine log line only with a name cue (様, 氏名…)
        return c["machine"].match(line) is None or any(w in line for w in c["ja_cues"])
    if c["cap"].search(line) is None:
        return False
    words = c["word"].findall(line)
    return len(words) >= 3 and len(words) * 5 >= len(tokens) * 2


def wants_ner(line: str, context: str = "") -> bool:
    """The `auto` gate: a cell of a name-ish column, or a line that passes `line_wants_ner`."""
    if context and header_wants_ner(context):
        return bool(line.strip())
    return line_wants_ner(line)
