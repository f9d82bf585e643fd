"""Japanese number-shaped look-alikes through the real detector (text lines and table cells).

JAN/EAN-13 product codes are not cards, delivery tracking numbers are not My Numbers, and
the Japanese spellings of licence and bank-account context are recognised.
"""

from __future__ import annotations

import pytest

from scanner.detect import Detector

#: every test runs with Hyperscan and with the regex prefilter (tests/recognizers/conftest.py)
BOTH_PREFILTERS = True


def _found(det: Detector, text: str) -> list[tuple[int, str, str, float]]:
    return [(d.line or 0, d.entity, d.value, d.score) for d in det.detect_text("t.log", text, 1)]


def _cells(det: Detector, values: list[str], column: str) -> list[tuple[int, str, str, float]]:
    return [(i, h[2], h[5], h[3]) for i, hits in enumerate(det.detect_values(values, column)) for h in hits]


def _entities(found: list[tuple[int, str, str, float]], entity: str) -> list[tuple[int, str]]:
    return [(f[0], f[2]) for f in found if f[1] == entity]


# -- text: nothing of the entity is reported ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("JANコード：4982776487253", "CREDIT_CARD"),  # valid EAN-13, Luhn-valid 13-digit "Visa"
        ("ＪＡＮ：4593353184047", "CREDIT_CARD"),
        ("4593353184047", "CREDIT_CARD"),  # bare valid EAN-13
        ("scan 4901234567894 ok", "CREDIT_CARD"),
        ("EAN 4222222222222", "CREDIT_CARD"),  # a Visa shape, but next to a product-code word
        ("商品コード 4222222222222", "CREDIT_CARD"),
        ("バーコード：4222222222222", "CREDIT_CARD"),
        ("gtin=4222222222222", "CREDIT_CARD"),
        ("お問い合わせ伝票番号：8884-4205-9595", "JP_MY_NUMBER"),  # passes the check digit
        ("追跡番号 682457303614", "JP_MY_NUMBER"),
        ("お問い合わせ番号: 682457303614", "JP_MY_NUMBER"),
        ("注文番号 682457303614", "JP_MY_NUMBER"),
        ("受注番号=682457303614", "JP_MY_NUMBER"),
        ("tracking=682457303614", "JP_MY_NUMBER"),
        ("order 682457303614 shipped", "JP_MY_NUMBER"),
        ("682457303614", "JP_MY_NUMBER"),  # no context word: below the default minimum score
        ("id=482917365029", "JP_MY_NUMBER"),
    ],
)
def test_when_product_code_or_tracking_number_then_not_reported(
    detector: Detector, text: str, entity: str
) -> None:
    assert _entities(_found(detector, text), entity) == []


# -- text: reported -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("免許証番号：301234567890", "DRIVER_LICENSE", "301234567890"),
        ("免許番号 301234567890", "DRIVER_LICENSE", "301234567890"),
        ("免許証 No. 301234567890", "DRIVER_LICENSE", "301234567890"),
        ("(普)1234567", "BANK_ACCOUNT", "1234567"),
        ("振込先 普）2345678", "BANK_ACCOUNT", "2345678"),
        ("（普）1234567", "BANK_ACCOUNT", "1234567"),
        ("（当）7654321", "BANK_ACCOUNT", "7654321"),
        ("ゆうちょ銀行 記号12345 番号12345671", "BANK_ACCOUNT", "12345 番号12345671"),
        ("ゆうちょ銀行 記号：10170 番号：12345671", "BANK_ACCOUNT", "10170 番号：12345671"),
        ("ゆうちょ 12345-12345671", "BANK_ACCOUNT", "12345-12345671"),
    ],
)
def test_when_japanese_context_word_then_reported(detector: Detector, text: str, entity: str, value: str) -> None:
    assert (1, value) in _entities(_found(detector, text), entity)


@pytest.mark.parametrize(
    "text",
    ["payroll my_number=482917365029", "通知カード 482917365029", "my-number: 4829 1736 5029"],
)
def test_when_my_number_context_spelling_then_boosted(detector: Detector, text: str) -> None:
    hits = [f for f in _found(detector, text) if f[1] == "JP_MY_NUMBER"]
    assert len(hits) == 1 and hits[0][3] > 0.5


# -- text: the right one of two look-alikes -------------------------------------------------
@pytest.mark.parametrize(
    ("text", "entity", "kept"),
    [
        # a card word keeps a 13-digit Visa that is also a valid EAN-13
        ("JANコード：4982776487253\nカード番号：4982776487253", "CREDIT_CARD", [(2, "4982776487253")]),
        ("4593353184047\ncard=4593353184047", "CREDIT_CARD", [(2, "4593353184047")]),
        # a bare 13-digit Visa that is no EAN-13 stays a card, syslog's `Jan` is no product word
        ("4593353184047\nJan  4 08:11:47 pay: txn 4222222222222", "CREDIT_CARD", [(2, "4222222222222")]),
        # 16-digit cards are unchanged, whatever the words
        ("JANコード：4982776487253\nJAN 4111111111111111", "CREDIT_CARD", [(2, "4111111111111111")]),
        # the nearest cue wins: a context word after a tracking word keeps the My Number
        ("伝票番号：682457303614\nマイナンバー：682457303614", "JP_MY_NUMBER", [(2, "682457303614")]),
        ("注文番号 482917365029\n注文番号 A-1001 個人番号: 482917365029", "JP_MY_NUMBER", [(2, "482917365029")]),
        ("マイナンバー 1234567\n(普)1234567", "BANK_ACCOUNT", [(2, "1234567")]),
    ],
)
def test_when_look_alikes_side_by_side_then_only_the_real_one_reported(
    detector: Detector, text: str, entity: str, kept: list[tuple[int, str]]
) -> None:
    assert _entities(_found(detector, text), entity) == kept


# -- table cells: the column name is the context ----------------------------------------------
@pytest.mark.parametrize(
    ("column", "values", "entity", "kept"),
    [
        ("JANコード", ["4982776487253", "4593353184047", "4901234567894"], "CREDIT_CARD", []),
        ("jan_code", ["4982776487253", "4593353184047", "4901234567894"], "CREDIT_CARD", []),
        ("商品コード", ["4222222222222"], "CREDIT_CARD", []),
        ("伝票番号", ["682457303614", "8884-4205-9595"], "JP_MY_NUMBER", []),
        ("追跡番号", ["682457303614"], "JP_MY_NUMBER", []),
        ("note", ["682457303614"], "JP_MY_NUMBER", []),
        ("免許証番号", ["301234567890"], "DRIVER_LICENSE", [(0, "301234567890")]),
        ("ゆうちょ記号番号", ["12345-12345671"], "BANK_ACCOUNT", [(0, "12345-12345671")]),
    ],
)
def test_when_table_column_names_the_kind_then_cells_follow_it(
    detector: Detector, column: str, values: list[str], entity: str, kept: list[tuple[int, str]]
) -> None:
    assert _entities(_cells(detector, values, column), entity) == kept


def test_when_card_or_my_number_column_then_look_alike_cells_still_reported(detector: Detector) -> None:
    jan = _entities(_cells(detector, ["4901234567894"], "JANコード"), "CREDIT_CARD")
    card = _entities(_cells(detector, ["4901234567894"], "card_number"), "CREDIT_CARD")
    assert (jan, card) == ([], [(0, "4901234567894")])
    tracking = _cells(detector, ["682457303614"], "伝票番号")
    mine = [c for c in _cells(detector, ["682457303614"], "my_number") if c[1] == "JP_MY_NUMBER"]
    assert _entities(tracking, "JP_MY_NUMBER") == [] and len(mine) == 1 and mine[0][3] > 0.5
