"""NFKC normalisation with offset maps."""

from __future__ import annotations

import pytest

from scanner.normalize import normalize, to_original


@pytest.mark.parametrize(
    ("text", "needle_norm", "needle_orig"),
    [
        ("tel ０９０－１２３４－５６７８", "090-1234-5678", "０９０－１２３４－５６７８"),
        ("㈱山田 ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "taro@example.com", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        ("ascii only 123", "123", "123"),
    ],
    ids=["full-width-phone", "expanding-char-before", "ascii"],
)
def test_when_normalised_then_spans_map_back(text: str, needle_norm: str, needle_orig: str) -> None:
    norm, mapping = normalize(text)
    start = norm.index(needle_norm)
    s, e = to_original(mapping, start, start + len(needle_norm))
    assert text[s:e] == needle_orig


def test_when_ascii_then_no_map() -> None:
    assert normalize("plain") == ("plain", None)
