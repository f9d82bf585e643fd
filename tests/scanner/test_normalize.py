"""NFKC normalisation with offset maps."""

from __future__ import annotations

import unicodedata

import pytest

from scanner.normalize import has_digit_dash, matching_text, normalize, to_original


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("電話 03−1234−5678", "電話 03-1234-5678"),  # U+2212 minus sign
        ("電話 03‐1234‐5678", "電話 03-1234-5678"),  # U+2010 hyphen
        ("電話 03ー1234ー5678", "電話 03-1234-5678"),  # katakana long mark typed for a hyphen
        ("カード ４１１１–１１１１", "カード 4111-1111"),  # en dash; NFKC first, then the fold
    ],
    ids=["minus", "hyphen", "long-mark", "en-dash-after-nfkc"],
)
def test_when_dash_lookalike_between_digits_then_folded_without_moving_offsets(
    text: str, expected: str
) -> None:
    norm, mapping = normalize(text)
    assert norm == expected
    assert len(norm) == len(text)
    start = norm.index(expected[-4:])
    assert to_original(mapping, start, start + 4) == (len(text) - 4, len(text))


@pytest.mark.parametrize(
    "text",
    ["サーバー 2台", "ユーザー", "1ー", "ー1", "2019 — 2020", "約−5度"],
)
def test_when_dash_lookalike_not_between_digits_then_kept(text: str) -> None:
    assert not has_digit_dash(text)
    assert normalize(text)[0] == unicodedata.normalize("NFKC", text)
    assert matching_text(text) == unicodedata.normalize("NFKC", text)


def test_when_digits_are_full_width_then_dash_between_them_still_folds() -> None:
    text = "０３−１２３４"
    assert has_digit_dash(text)
    assert matching_text(text) == "03-1234"


@pytest.mark.parametrize(
    ("text", "needle_norm", "needle_orig"),
    [
        ("ﾏｲﾅﾝﾊﾞｰ 482917365029", "マイナンバー", "ﾏｲﾅﾝﾊﾞｰ"),  # a context word in half-width kana
        ("ﾀﾅﾍﾞ様", "タナベ", "ﾀﾅﾍﾞ"),  # a span ending in a composed character keeps its mark
        ("ｽﾎﾟｰﾂ", "スポーツ", "ｽﾎﾟｰﾂ"),  # the semi-voiced mark too
        ("会社㍿ﾊﾟｽ", "株式", "㍿"),  # a span ending inside one character's expansion
    ],
)
def test_when_half_width_kana_has_voiced_marks_then_they_compose_as_whole_text_nfkc(
    text: str, needle_norm: str, needle_orig: str
) -> None:
    norm, mapping = normalize(text)
    assert norm == unicodedata.normalize("NFKC", text)  # the same text the prefilter matched
    i = norm.index(needle_norm)
    s, e = to_original(mapping, i, i + len(needle_norm))
    assert text[s:e] == needle_orig
