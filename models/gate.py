"""The `--nlp auto` gate and the language router: cheap checks that pick the lines NER sees.

NER costs milliseconds per line; most log lines (key=value records, stack traces, code) can
hold no name a model would find. A line goes to NER when it is free text (several
alphabetic words and a capitalised word after the first, or Japanese text), or when it has a
name-ish key (`name=`, `author:`, `氏名：`); never when it looks like a stack trace or code, or
is a key=value record without a name-ish key. A table column whose name suggests people or
organisations sends every non-empty cell. The vocabulary is data: models/gate.yaml.
"""

from __future__ import annotations

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
    c = _cfg()
    keys = "|".join(regex.escape(k) for k in c["name_keys_en"])
    keys_ja = "|".join(regex.escape(k) for k in c["name_keys_ja"])
    return {
        "name_key": regex.compile(rf"(?i)\b(?:{keys})\b[\"']?\s*[:=]|(?:{keys_ja})\s*[:：=]"),
        "trace": regex.compile("|".join(c["trace_patterns"])),
        "code": regex.compile("|".join(c["code_patterns"])),
        "word": regex.compile(r"(?<![\w@./=-])[A-Za-z][a-z'’-]+(?![\w@/=])"),
        "cap": regex.compile(r"(?<=\S\s+)(?<![=:/]\s*)[A-Z][a-z]+"),
        "kv": regex.compile(r"[\w.\-\[\]]+=\S"),
        "jp": regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]{2}"),
        "header": regex.compile("(?i)" + "|".join(regex.escape(h) for h in c["name_headers"])),
    }


_CJK = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Han}]")


def language_of(text: str) -> str:
    """'ja' when `text` holds kana or kanji, else 'en' (per-text routing by script)."""
    return "ja" if _CJK.search(text) else "en"


def header_wants_ner(column: str) -> bool:
    """True when a column name suggests names or organisations (customer, 氏名, company)."""
    return bool(column) and bool(_compiled()["header"].search(column))


def line_wants_ner(line: str) -> bool:
    """True when `line` is free text or has a name-ish key: worth running NER on."""
    c = _compiled()
    if len(line) < 4:
        return False
    has_key = bool(c["name_key"].search(line))
    if c["trace"].search(line) or c["code"].search(line):
        return has_key and not c["trace"].search(line)
    if has_key:
        return True
    tokens = line.split()
    if tokens:
        kv = len(c["kv"].findall(line))
        if kv and kv * 2 >= len(tokens):
            return False  # a key=value record with no name-ish key
    if c["jp"].search(line):
        return True
    words = c["word"].findall(line)
    if len(words) < 3 or len(words) * 5 < len(tokens) * 2:
        return False
    return bool(c["cap"].search(line))


def wants_ner(line: str, context: str = "") -> bool:
    """The `auto` gate: a cell of a name-ish column, or a line that passes `line_wants_ner`."""
    if context and header_wants_ner(context):
        return bool(line.strip())
    return line_wants_ner(line)
