"""NFKC normalisation for matching, with a map back to offsets in the original text.

Full-width forms (０９０－１２３４－５６７８, ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) are matched as their
ASCII equivalents, while findings report offsets in the text as it was read.
"""

from __future__ import annotations

import unicodedata


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate as U+FFFD (a JSON `"\\ud800"` escape decodes to one, and
    UTF-8 — Arrow, reports — cannot hold it); other text unchanged."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def normalize(text: str) -> tuple[str, list[int] | None]:
    """Return (normalised text, offset map) where map[i] is the original offset of char i.

    The map has one extra entry (the original length) so that an exclusive end offset maps
    too. It is None when normalisation changes nothing: the common, ASCII fast path.
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None
    out: list[str] = []
    mapping: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
            mapping.append(i)
            continue
        n = unicodedata.normalize("NFKC", ch)
        out.append(n)
        mapping.extend([i] * len(n))
    mapping.append(len(text))
    return "".join(out), mapping


def to_original(mapping: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the normalised text back to the original text."""
    if mapping is None:
        return start, end
    o_start = mapping[start]
    # the end is exclusive: map the last included char, then step past it
    o_end = mapping[end - 1] + 1 if end > start else o_start
    return o_start, o_end
