"""Check-digit algorithms: pure functions over digit strings."""

from __future__ import annotations

import math
from collections import Counter


def luhn_ok(number: str) -> bool:
    """Return True when `number` (digits only) passes the Luhn mod-10 check."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ean13_ok(number: str) -> bool:
    """EAN-13 / JAN / GTIN-13 (and ISBN-13): weights 1,3,1,3... from the left over all 13 digits,
    the sum a multiple of 10."""
    if len(number) != 13 or not number.isdigit():
        return False
    total = sum((ord(ch) - 48) * (3 if i % 2 else 1) for i, ch in enumerate(number))
    return total % 10 == 0


def my_number_ok(number: str) -> bool:
    """Japan's Individual Number (マイナンバー): 11 digits + check digit (MIC ordinance).

    Weights Pn are n+1 for n=1..6 and n-5 for n=7..11, counted from the digit next to the
    check digit; check = 0 if the remainder mod 11 is <= 1, else 11 - remainder.
    """
    if len(number) != 12 or not number.isdigit():
        return False
    body = number[:11]
    total = 0
    for n in range(1, 12):
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    rem = total % 11
    check = 0 if rem <= 1 else 11 - rem
    return check == int(number[11])


def corporate_number_ok(number: str) -> bool:
    """Japan's Corporate Number (法人番号): a leading check digit over 12 digits.

    check = 9 - (sum of digits with weights 1,2,1,2... from the right) mod 9.
    """
    if len(number) != 13 or not number.isdigit():
        return False
    body = number[1:]
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (2 if i % 2 == 1 else 1)
    return 9 - (total % 9) == int(number[0])


def iban_ok(iban: str) -> bool:
    """ISO 13616 IBAN: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    s = iban.replace(" ", "").upper()
    if len(s) < 15 or len(s) > 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    try:
        as_int = "".join(str(int(ch, 36)) for ch in rearranged)
    except ValueError:
        return False
    return int(as_int) % 97 == 1


def shannon_entropy(value: str) -> float:
    """Bits per character of `value`: random tokens score high, words and repeats low."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())
