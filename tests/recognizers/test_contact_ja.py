"""Phones, e-mail addresses, domains and URLs in Japanese text and URL-encoded query strings,
through the real detector (with and without the Hyperscan prefilter).

Kana and kanji are `\\w` in `regex`: boundaries written `(?<![\\w.+-])` missed every number or
address touching Japanese text (`電話は03-1234-5678です`). Negative cases come as contrast
pairs (a line that must be found, a near twin that must not), so each case also fails without
the fix.
"""

from __future__ import annotations

import pytest

from scanner.detect import Detector
from tests.detecting import values

#: every test runs with Hyperscan and with the regex prefilter (tests/recognizers/conftest.py)
BOTH_PREFILTERS = True


_found = values


POSITIVE = [
    # phone and e-mail touching Japanese text
    ("電話は03-1234-5678です", "PHONE_NUMBER", "03-1234-5678"),
    ("03-1234-5678までご連絡ください", "PHONE_NUMBER", "03-1234-5678"),
    ("携帯090-1234-5678", "PHONE_NUMBER", "090-1234-5678"),
    ("090-1234-5678に折り返し希望", "PHONE_NUMBER", "090-1234-5678"),
    ("山田様の携帯は090-1234-5678、メールはhanako@example.jpです。", "PHONE_NUMBER", "090-1234-5678"),
    ("山田様の携帯は090-1234-5678、メールはhanako@example.jpです。", "EMAIL_ADDRESS", "hanako@example.jp"),
    ("メールアドレスはtaro.yamada@example.co.jpです", "EMAIL_ADDRESS", "taro.yamada@example.co.jp"),
    ("support@example.co.jpまで", "EMAIL_ADDRESS", "support@example.co.jp"),
    ("連絡先はinfo@example.comです", "EMAIL_ADDRESS", "info@example.com"),
    ("電話番号：0312345678です", "PHONE_NUMBER", "0312345678"),
    ("お問い合わせはフリーダイヤル0120-123-456まで", "PHONE_NUMBER", "0120-123-456"),
    ("携帯09012345678に", "PHONE_NUMBER", "09012345678"),
    # domains and URLs touching Japanese text
    ("詳細はhttps://example.com/guideをご覧ください", "URL", "https://example.com/guide"),
    ("example.co.jpへ", "DOMAIN_NAME", "example.co.jp"),
    ("サイトはexample.comです", "DOMAIN_NAME", "example.com"),
    ("https://example.comを開く", "DOMAIN_NAME", "example.com"),
    ("リンク：https://example.jp/a?b=1。", "URL", "https://example.jp/a?b=1"),
    # Japanese phone formats
    ("TEL:(03)1234-5678", "PHONE_NUMBER", "(03)1234-5678"),
    ("(045)123-4567", "PHONE_NUMBER", "(045)123-4567"),
    ("ＴＥＬ：（０３）１２３４－５６７８", "PHONE_NUMBER", "（０３）１２３４－５６７８"),
    ("TEL 03 1234 5678", "PHONE_NUMBER", "03 1234 5678"),
    ("携帯 090 1234 5678", "PHONE_NUMBER", "090 1234 5678"),
    ("+81 (0)3-1234-5678", "PHONE_NUMBER", "+81 (0)3-1234-5678"),
    # URL-encoded query strings
    ("GET /u?email=mary.jones%40yahoo.com&phone=%2B14155550199 200", "EMAIL_ADDRESS", "mary.jones%40yahoo.com"),
    ("GET /u?email=mary.jones%40yahoo.com&phone=%2B14155550199 200", "PHONE_NUMBER", "%2B14155550199"),
]


@pytest.mark.parametrize(("line", "entity", "value"), POSITIVE)
def test_when_japanese_or_encoded_contact_then_exact_value_reported(
    detector: Detector, line: str, entity: str, value: str
) -> None:
    assert value in _found(detector, line, entity)


# (line that must be found, entity, its value, near twin where `entity` must not be found)
CONTRAST = [
    ("電話は03-1234-5678です", "PHONE_NUMBER", "03-1234-5678", "v03-1234-5678です"),
    ("TEL:(03)1234-5678", "PHONE_NUMBER", "(03)1234-5678", "f(03)1234-5678"),
    ("TEL 03 1234 5678", "PHONE_NUMBER", "03 1234 5678", "ids 03 1234 5678"),
    ("TEL 03 1234 5678", "PHONE_NUMBER", "03 1234 5678", "TEL 03 1234 5678 9012"),
    ("+81 (0)3-1234-5678", "PHONE_NUMBER", "+81 (0)3-1234-5678", "+81 (0)3-0000-0000"),
    ("GET /u?phone=%2B14155550199 200", "PHONE_NUMBER", "%2B14155550199", "GET /u?order=%2B14155550199 200"),
    ("連絡先はinfo@example.comです", "EMAIL_ADDRESS", "info@example.com", "連絡先はicon@2x.pngです"),
    ("a?e=mary%40yahoo.com", "EMAIL_ADDRESS", "mary%40yahoo.com", "a?e=icon%402x.png"),
    # an IDN domain in Unicode is not read (its labels would swallow the particles after ASCII ones)
    ("連絡先はinfo@example.jpです", "EMAIL_ADDRESS", "info@example.jp", "連絡先はinfo@日本語.jpです"),
    ("example.co.jpへ", "DOMAIN_NAME", "example.co.jp", "app.pyへ"),
]


@pytest.mark.parametrize(("line", "entity", "value", "twin"), CONTRAST)
def test_when_near_twin_then_only_the_real_one_reported(
    detector: Detector, line: str, entity: str, value: str, twin: str
) -> None:
    assert value in _found(detector, line, entity)
    assert _found(detector, twin, entity) == []


# wrong spans reported before the fix
WRONG = [
    ("GET /u?email=mary.jones%40yahoo.com&phone=%2B14155550199 200", "DOMAIN_NAME", "40yahoo.com"),
    ("support@example.co.jpまで", "EMAIL_ADDRESS", "support@example.co"),
    ("a?redirect=x%40example.com", "DOMAIN_NAME", "40example.com"),
]


@pytest.mark.parametrize(("line", "entity", "wrong"), WRONG)
def test_when_contact_touches_text_then_no_wrong_span(
    detector: Detector, line: str, entity: str, wrong: str
) -> None:
    found = _found(detector, line, entity) + _found(detector, line, "EMAIL_ADDRESS")
    assert wrong not in found
    assert found  # the right value is reported instead (the address)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("電話番号", "0312345678", True),
        ("携帯番号", "9012345678", True),
        ("mobile_phone", "09012345678", True),
        ("order_id", "9012345678", False),
        ("hotel_id", "0312345678", False),
        ("電話番号", "1234567890", False),  # not a Japanese number, leading 0 restored or not
        ("電話番号", "4155550199", False),  # never read as North American in this column
    ],
)
def test_when_bare_digits_in_phone_column_then_japanese_phone(
    detector: Detector, column: str, value: str, expected: bool
) -> None:
    hits = detector.detect_values([value, "0312345678", "9012345678"], column)
    phones = [h[5] for h in hits[0] if h[2] == "PHONE_NUMBER"]
    assert phones == ([value] if expected else [])
    # the same column holds real numbers: found only when the column name says phone
    in_phone_column = detector.detect_values(["0312345678", "9012345678"], "電話番号")
    assert [[h[5] for h in cell if h[2] == "PHONE_NUMBER"] for cell in in_phone_column] == [
        ["0312345678"],
        ["9012345678"],
    ]
