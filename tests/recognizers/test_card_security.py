"""Card security code and expiry: keyword in the text, or a column name as context."""

from __future__ import annotations

import pytest

from recognizers.registry import build_recognizers
from scanner.detect import Detector


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(build_recognizers({"CARD_SECURITY_CODE", "CARD_EXPIRY", "CREDIT_CARD"}), use_hyperscan=False)


@pytest.mark.parametrize(
    ("column", "value", "entity"),
    [
        ("cvv", "123", "CARD_SECURITY_CODE"),
        ("card_cvc", "0456", "CARD_SECURITY_CODE"),
        ("セキュリティコード", "789", "CARD_SECURITY_CODE"),
        ("card_exp", "12/27", "CARD_EXPIRY"),
        ("有効期限", "09/2028", "CARD_EXPIRY"),
        ("quantity", "123", None),
        ("shipped", "12/27", None),
        ("cvv", "12345", None),
    ],
    ids=["cvv", "cvc", "ja-cvv", "exp", "ja-exp", "no-quantity", "no-shipped", "no-too-long"],
)
def test_when_cell_in_named_column_then_found_only_with_column_context(
    detector: Detector, column: str, value: str, entity: str | None
) -> None:
    found = detector.detect_cells("cards.csv", column, [0], [value])
    assert [d.entity for d in found] == ([entity] if entity else [])


@pytest.mark.parametrize(
    ("line", "entities"),
    [
        ("card=4111111111111111 cvv=123 exp=12/27", {"CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY"}),
        ("カード番号 4111-1111-1111-1111 セキュリティコード:321 有効期限:03/29",
         {"CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY"}),
        ("order 123 shipped 12/27", set()),
    ],
    ids=["en", "ja", "no-context"],
)
def test_when_line_has_keywords_then_security_data_found(detector: Detector, line: str, entities: set[str]) -> None:
    assert {d.entity for d in detector.detect_text("x.log", line, 1)} == entities
