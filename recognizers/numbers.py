"""Validators for number-shaped entities: cards, Japanese and US identifiers, IBANs."""

from __future__ import annotations

from collections.abc import Collection, Iterator

import regex

from recognizers.base import Match, PiiPatternRecognizer, all_same, context_cue, digits
from recognizers.checksums import corporate_number_ok, ean13_ok, iban_ok, luhn_ok, my_number_ok

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


#: words naming a product code: a 13-digit number next to one is a JAN/EAN, not a card.
#: `JAN` only in capitals and not as a date part (`04-JAN-24`; `Jan 4` in syslog lines)
_PRODUCT_CODE = regex.compile(
    r"(?<![A-Za-z0-9-])JAN(?![A-Za-z-])"
    r"|(?i:(?<![a-z])(?:jan[ _-]?(?:code|cd)|ean(?:[ _-]?1[34])?|gtin(?:[ _-]?1[34])?|isbn(?:[ _-]?13)?"
    r"|upc|barcode|bar code)(?![a-z]))"
    r"|ＪＡＮ|バーコード|商品コード|商品番号|品番"
)


#: a key naming an identifier, an offset or a count right before the number (`"dd.span_id":"`,
#: `request_id=`, `kafka offset `, `bytes=`): a Luhn-valid number there is not a card (one random
#: number in ten passes Luhn, and 64-bit trace ids are 19 digits). Only the key the number is the
#: value of counts: `row 3: a@b.com,4111 1111 1111 1111` is a card.
_ID_KEY_BEFORE = regex.compile(
    r"(?:(?i:(?<![a-z])(?:span|trace|request|req|correlation|parent|message|msg|event|session|order"
    r"|tracking|offset|seq|sequence|nonce|epoch|timestamp|bytes|size|count|invoice|shipment"
    r"|snowflake|object|record|device)(?![a-z])|(?<=[a-z0-9])[_.-]id|(?<![a-z])id)"
    r"|(?<=[a-z0-9])Id)"  # camel case: spanId, requestId (not `paid`, `valid`)
    r"[\"']?[ \t]{0,3}[:=]?[ \t]{0,3}[\"']?$"
)


class PiimapCreditCardRecognizer(PiiPatternRecognizer):
    """Payment card numbers: Luhn check plus issuer range and length.

    13 digits are also the length of JAN/EAN-13 product codes, and Japanese JANs start with
    45 or 49 (a "Visa" prefix): one in ten valid JANs passes Luhn as well. A 13-digit number
    is therefore dropped next to a product-code word (JAN, EAN, バーコード, 商品コード, GTIN,
    ISBN), and an ungrouped one that is a valid EAN-13 is dropped unless a card word (card,
    カード, visa, ...) is near it or in its column name. Other lengths are not affected.

    A number that is the value of a key naming an identifier, offset or count (`span_id`,
    `request_id`, `offset`, `bytes`; `_ID_KEY_BEFORE`) is dropped whatever its length:
    `"dd.span_id":"4839…5782"` passes Luhn by chance.
    """

    def iter_matches(
        self, text: str, context_text: str = "", only: Collection[int] | None = None
    ) -> Iterator[Match]:
        """The base matches, minus 13-digit product codes (see the class docstring)."""
        for hit in super().iter_matches(text, context_text, only):
            start, end = hit[0], hit[1]
            raw = text[start:end]
            number = digits(raw)
            if _ID_KEY_BEFORE.search(text, max(0, start - 48), start):
                continue
            if len(number) == 13:
                cue = context_cue(text, start, context_text, self.context, _PRODUCT_CODE)
                if cue < 0:
                    continue
                if cue == 0 and raw == number and ean13_ok(number):
                    continue
            yield hit

    def validate_result(self, pattern_text: str) -> bool | None:
        """Valid Luhn and issuer -> True (score 1.0); otherwise the match is dropped."""
        number = digits(pattern_text)
        if not 13 <= len(number) <= 19 or all_same(number):
            return False
        return luhn_ok(number) and card_issuer_ok(number)


#: words naming a delivery tracking, order or inquiry number: a 12-digit number next to one is
#: not a My Number (one tracking number in ten passes the My Number check digit)
_TRACKING_NUMBER = regex.compile(
    r"伝票|追跡番号|問い?合わ?せ番号|注文番号|受注番号|発注番号|送り状|配送番号|荷物番号|受付番号|予約番号"
    # other numbers' names, nearer to the digits than a My Number word earlier on the line
    # (`マイナンバー：未提出　社員コード 482917365029`, `マイナンバー制度の説明会 参加者数 …`)
    r"|(?:社員|従業員|職員|会員|顧客|取引先|得意先)(?:コード|番号|ID|ＩＤ)|口座番号|電話番号|管理番号|参加者数|件数|人数"
    r"|(?i:(?<![a-z])(?:tracking|order|shipment|waybill|invoice)(?![a-z]))"
)
#: a counter word right after the digits: a count or an amount, not a number of a person
_COUNT_AFTER = regex.compile(r"[ \u3000]?(?:名|件|人|円|個|回|枚|本|社|台|通|行)(?!\p{Han})")  # not 名前

#: score of a My Number with no context word: below the default minimum (0.5), so reported
#: only with --min-score at or under it
MY_NUMBER_BARE_SCORE = 0.4


class PiimapJpMyNumberRecognizer(PiiPatternRecognizer):
    """Japan's Individual Number: 12 digits whose last digit is the official check digit.

    One random 12-digit number in eleven passes the check digit (tracking numbers, order
    numbers, account numbers): without a context word (マイナンバー, 個人番号, my number, ...
    near it or in its column name) the score stays below the default minimum, and next to a
    tracking/order word (伝票番号, 追跡番号, お問い合わせ番号, 注文番号, tracking, order) or the
    name of another number (社員コード, 会員番号, 参加者数) the match is dropped, and so is one
    followed by a counter word (`123456789018 名`, `… 円`).
    """

    def iter_matches(
        self, text: str, context_text: str = "", only: Collection[int] | None = None
    ) -> Iterator[Match]:
        """The base matches, vetoed by tracking words and scored low without a context word."""
        for start, end, score, name in super().iter_matches(text, context_text, only):
            cue = context_cue(text, start, context_text, self.context, _TRACKING_NUMBER)
            if cue < 0 or _COUNT_AFTER.match(text, end):
                continue
            if cue == 0:
                score = min(score, MY_NUMBER_BARE_SCORE)
            yield start, end, score, name

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


_DIGIT_RUN = regex.compile(r"[0-9]+")


class PiimapContextNumberRecognizer(PiiPatternRecognizer):
    """Numbers that mean something only next to a context word (passport, licence, account)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop repeated-digit placeholders such as 0000000 (also as one part: 記号12345 番号00000000)."""
        d = digits(pattern_text)
        if d and all_same(d) and len(d) >= 6:
            return False
        if len(d) != len(pattern_text) and any(
            len(run) >= 6 and all_same(run) for run in _DIGIT_RUN.findall(pattern_text)
        ):
            return False
        return None
