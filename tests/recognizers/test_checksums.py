"""Check-digit algorithms."""

from __future__ import annotations

import pytest

from recognizers.checksums import corporate_number_ok, iban_ok, luhn_ok, my_number_ok, shannon_entropy


@pytest.mark.parametrize(
    ("fn", "value", "ok"),
    [
        (luhn_ok, "4111111111111111", True),
        (luhn_ok, "4111111111111112", False),
        (my_number_ok, "123456789018", True),
        (my_number_ok, "123456789012", False),
        (my_number_ok, "12345678901", False),
        (corporate_number_ok, "7000012050002", True),
        (corporate_number_ok, "7000012050003", False),
        (corporate_number_ok, "1000012050002", False),
        (iban_ok, "GB82 WEST 1234 5698 7654 32", True),
        (iban_ok, "GB82 WEST 1234 5698 7654 33", False),
        (iban_ok, "DE89370400440532013000", True),
    ],
    ids=lambda v: v if isinstance(v, str) else getattr(v, "__name__", str(v)),
)
def test_when_check_digit_computed_then_validity_matches(fn, value: str, ok: bool) -> None:  # type: ignore[no-untyped-def]
    assert fn(value) is ok


def test_when_random_token_then_entropy_higher_than_word() -> None:
    assert shannon_entropy("Zx81kQ0pL2mN7vB4cR9tY6wE3") > 4.0 > shannon_entropy("aaaaaaaaaaaaaaaa") + 3.9
