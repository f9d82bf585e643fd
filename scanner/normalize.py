"""NFKC normalisation for matching, with a map back to offsets in the original text.

Full-width forms (０９０－１２３４－５６７８, ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) are matched as their
ASCII equivalents, while findings report offsets in the text as it was read.

NFKC leaves the dash look-alikes that Japanese text puts between digits as they are: U+2212
(the minus sign, which Shift_JIS files decoded by the JIS mapping and many IMEs give for
`－`), U+2010 (hyphen), the en and em dashes, and the katakana long mark `ー` typed for a
hyphen. Between two digits each is folded to `-`, so `03−1234−5678` and `4111‐1111‐1111‐1111`
match like their ASCII forms. The fold replaces one character by one, so offsets do not move.
"""

from __future__ import annotations

import re
import unicodedata

#: dash look-alikes folded to "-" when a digit stands on both sides (after NFKC, which already
#: folds `－` U+FF0D and `﹣` U+FE63 to "-", and half-width `ｰ` to `ー`)
DIGIT_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u30fc"
# one literal search per dash (a literal-led pattern is scanned at memchr speed; a class or a
# look-behind first would cost ~10 ns per character on every non-ASCII chunk)
_DASH_BEFORE_DIGIT = [(ch, re.compile(re.escape(ch) + r"(?=\d)")) for ch in DIGIT_DASHES]
_DIGIT_DASH_DIGIT = re.compile(rf"(?<=\d)[{DIGIT_DASHES}](?=\d)")


def has_digit_dash(text: str) -> bool:
    """True when a dash look-alike (`DIGIT_DASHES`) stands between two digits in `text`."""
    for ch, before_digit in _DASH_BEFORE_DIGIT:
        if ch in text:
            for m in before_digit.finditer(text):
                i = m.start()
                if i and text[i - 1].isdecimal():
                    return True
    return False


def fold_digit_dashes(text: str) -> str:
    """`text` with each dash look-alike between two digits replaced by "-" (same length)."""
    return _DIGIT_DASH_DIGIT.sub("-", text) if has_digit_dash(text) else text


def matching_text(text: str) -> str:
    """`text` as the matchers see it (NFKC, dashes between digits folded), without an offset
    map: for the prefilter's pass over a chunk, which needs line positions only."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return fold_digit_dashes(text)


#: the combining voiced and semi-voiced sound marks, which half-width ﾞ and ﾟ become under NFKC
_VOICED_MARKS = frozenset("\u3099\u309a")


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate as U+FFFD (a JSON `"\\ud800"` escape decodes to one, and
    UTF-8 — Arrow, reports — cannot hold it); other text unchanged."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def normalize(text: str) -> tuple[str, list[int] | None]:
    """Return (normalised text, offset map) where map[i] is the original offset of char i.

    The map has one extra entry (the original length) so that an exclusive end offset maps
    too. It is None when offsets do not move: ASCII (the common, fast path), text NFKC leaves
    as it is, and text whose only change is the one-for-one dash fold.
    """
    if text.isascii():
        return text, None
    if unicodedata.is_normalized("NFKC", text):
        return fold_digit_dashes(text), None
    out: list[str] = []
    mapping: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
            mapping.append(i)
            continue
        n = unicodedata.normalize("NFKC", ch)
        if n in _VOICED_MARKS and out and len(out[-1]) == 1:
            # half-width `ﾊﾞ` is two characters, NFKC'd one by one `ハ` + U+3099: composed to
            # `バ` as NFKC over the whole text does (`ﾏｲﾅﾝﾊﾞｰ` is the context word マイナンバー);
            # the composed character keeps the base's offset, the mark none (see to_original)
            composed = unicodedata.normalize("NFC", out[-1] + n)
            if len(composed) == 1:
                out[-1] = composed
                continue
        out.append(n)
        mapping.extend([i] * len(n))
    mapping.append(len(text))
    return fold_digit_dashes("".join(out)), mapping


def to_original(mapping: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the normalised text back to the original text."""
    if mapping is None:
        return start, end
    o_start = mapping[start]
    if end <= start:
        return o_start, o_start
    # the end is exclusive: where the next character came from, when that is past the last
    # included one (a composed `バ` from `ﾊﾞ` spans two original characters); else the last
    # included character plus one (a span ending inside one character's expansion, `㍿`)
    after, last = mapping[end], mapping[end - 1]
    return o_start, after if after > last else last + 1
