"""Validators of recognizers/network.py against the libraries they stand in for."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st
from publicsuffixlist import PublicSuffixList

from recognizers.gazetteer import default_gazetteer
from recognizers.network import _ipv4_verdict, public_suffix

_OCTET = st.one_of(
    st.integers(0, 300).map(str),
    st.sampled_from(["", "00", "01", "007", "1a", "٣", "²", " 1", "0x1"]),
)


def _stdlib(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return text != "0.0.0.0"


@given(st.lists(_OCTET, min_size=2, max_size=6).map(".".join))
def test_when_ipv4_checked_then_verdict_equals_the_standard_library(text: str) -> None:
    assert _ipv4_verdict(text) == _stdlib(text)


def test_when_gazetteer_runs_behind_the_prefilter_then_hits_equal_a_full_run() -> None:
    from scanner.detect import Detector

    gaz = default_gazetteer()
    lines = [
        "title: Senior Software Engineer, dept=Human Resources",
        "commit 3f2a exit with IT ok; HR: 4; CEO Jane",
        "営業部 部長 山田様 / カスタマーサポート部",
        "nothing to see here",
        "Head of Sales, VP of Engineering; itemised; hrs",
    ]
    class Ungated:  # the same detector, without triggers: it sees every line
        name = gaz.name
        detect_lines = staticmethod(gaz.detect_lines)

    gated = Detector([], min_score=0.0, line_detectors=[gaz]).detect_lines(lines)
    full = Detector([], min_score=0.0, line_detectors=[Ungated()]).detect_lines(lines)
    assert gated == full
    assert sum(map(len, full)) >= 6  # the sample does hold gazetteer hits


def test_when_phone_numbers_are_validated_then_libphonenumber_keeps_its_patterns_compiled() -> None:
    from phonenumbers import re_util

    from recognizers.network import _phone_verdict

    _phone_verdict.cache_clear()
    assert _phone_verdict("03-1234-5678") is True and _phone_verdict("555-0100-000") is False
    kept = re_util._COMPILED_PATTERNS
    assert isinstance(kept, dict) and len(kept) > 5  # not recompiled once the re module's cache turns over


@pytest.mark.parametrize(
    "host",
    [
        "shop.example.co.jp",
        "a.b.example.com",
        "foo.東京.jp",
        "x.xn--4gbrim.xn--mgberp4a5d4ar",  # punycode: needs the encoded rules
        "xn--eckwd4c7c.xn--zckzah",
        "www.city.kawasaki.jp",
        "localhost",
    ],
)
def test_public_suffix_equals_the_library_with_every_rule_encoded(host: str) -> None:
    full = PublicSuffixList(accept_unknown=False, only_icann=True).publicsuffix(host)
    expected = None if full is None or full == host else full
    assert public_suffix(host) == expected
