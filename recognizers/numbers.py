"""Validators for number-shaped entities: cards, Japanese and US identifiers, IBANs."""

from __future__ import annotations

from recognizers.base import PiiPatternRecognizer, all_same, digits
from recognizers.checksums import corporate_number_ok, iban_ok, luhn_ok, my_number_ok

# Issuer identification number ranges (first digits, lengths). A Luhn-valid number outside
# them is far more likely an order or transaction number than a card.
_CARD_PREFIXES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),  # Visa
    ("51", "55", (16,)),  # Mastercard
    ("2221", "2720", (16,)),  # Mastercard 2-series
    ("34", "34", (15,)),  # Amex
    ("37", "37", (15,)),
    ("6011", "6011", (16, 19)),  # Discover
    ("644", "649", (16, 19)),
    ("65", "65", (16, 19)),
    ("3528", "3589", (16, 19)),  # JCB
    ("300", "305", (14,)),  # Diners
    ("36", "36", (14,)),
    ("38", "39", (14, 16)),
    ("62", "62", (16, 17, 18, 19)),  # UnionPay
)


def card_issuer_ok(number: str) -> bool:
    """True when the digits fall in a known issuer range with a length that issuer uses."""
    for lo, hi, lengths in _CARD_PREFIXES:
        head = number[: len(lo)]
        if lo <= head <= hi and len(number) in lengths:
            return True
    return False


class PiimapCreditCardRecognizer(PiiPatternRecognizer):
    """Payment card numbers: Luhn check plus issuer range and length."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Valid Luhn and issuer -> True (score 1.0); otherwise the match is dropped."""
        number = digits(pattern_text)
        if not 13 <= len(number) <= 19 or all_same(number):
            return False
        return luhn_ok(number) and card_issuer_ok(number)


class PiimapJpMyNumberRecognizer(PiiPatternRecognizer):
    """Japan's Individual Number: 12 digits whose last digit is the official check digit."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """A failed check digit drops the match; a passed one keeps the pattern score.

        One random 12-digit number in ten passes the check, so a pass alone is not proof:
        the score stays moderate and context words (個人番号, マイナンバー) raise it.
        """
        number = digits(pattern_text)
        if all_same(number) or not my_number_ok(number):
            return False
        return None


class PiimapJpCorporateNumberRecognizer(PiiPatternRecognizer):
    """Japan's Corporate Number: 13 digits, leading check digit."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop numbers failing the check digit; keep the (context-dependent) score otherwise."""
        number = digits(pattern_text)
        if all_same(number) or not corporate_number_ok(number):
            return False
        return None


class PiimapUsSsnRecognizer(PiiPatternRecognizer):
    """US Social Security numbers: structural rules of the SSA (no 000/666/9xx area, ...)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop numbers the SSA never issues; keep the pattern score for the rest."""
        number = digits(pattern_text)
        if len(number) != 9 or all_same(number):
            return False
        area, group, serial = number[:3], number[3:5], number[5:]
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            return False
        if number in ("123456789", "078051120"):  # the sequence and the famous Woolworth's card
            return False
        return None


class PiimapIbanRecognizer(PiiPatternRecognizer):
    """IBAN bank account numbers: ISO 13616 mod-97 check."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """A passing mod-97 check is strong evidence (score 1.0)."""
        return iban_ok(pattern_text)


class PiimapContextNumberRecognizer(PiiPatternRecognizer):
    """Numbers that mean something only next to a context word (passport, licence, account)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop repeated-digit placeholders such as 0000000."""
        d = digits(pattern_text)
        if d and all_same(d) and len(d) >= 6:
            return False
        return None
