"""Detector: prefiltered pattern detection, offsets on original text, overlap rules."""

from __future__ import annotations

import pytest

from recognizers.registry import build_recognizers
from scanner.detect import Detector, _Hit, resolve_overlaps


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(build_recognizers())


@pytest.fixture(scope="module")
def regex_detector() -> Detector:
    return Detector(build_recognizers(), use_hyperscan=False)


def _found(det: Detector, text: str) -> list[tuple[int, str, str]]:
    return [(d.line or 0, d.entity, d.value) for d in det.detect_text("t.log", text, 1)]


def test_when_full_width_values_then_offsets_point_at_original_text(detector: Detector) -> None:
    line = "連絡先：０９０－１２３４－５６７８ メール ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"
    dets = detector.detect_text("t.log", line, 1)
    by_entity = {d.entity: d for d in dets}
    phone = by_entity["PHONE_NUMBER"]
    email = by_entity["EMAIL_ADDRESS"]
    assert line[phone.start : phone.end] == "０９０－１２３４－５６７８"
    assert line[email.start : email.end] == "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"


def test_when_domain_inside_email_then_only_email_reported(detector: Detector) -> None:
    assert _found(detector, "mail taro@example.com") == [(1, "EMAIL_ADDRESS", "taro@example.com")]


def test_when_host_inside_url_then_both_reported(detector: Detector) -> None:
    entities = {e for _, e, _ in _found(detector, "see https://shop.example.com/cart")}
    assert entities == {"URL", "DOMAIN_NAME"}


def test_when_text_spans_lines_then_line_numbers_are_exact(detector: Detector) -> None:
    text = "nothing here\nstill nothing\nip 203.0.113.5\n"
    assert _found(detector, text) == [(3, "IP_ADDRESS", "203.0.113.5")]


def test_when_min_score_high_then_moderate_hits_dropped() -> None:
    det = Detector(build_recognizers(), min_score=0.95)
    assert _found(det, "kyc id 536-22-8745 mail a@example.com") == [(1, "EMAIL_ADDRESS", "a@example.com")]


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1111 and ip 10.1.2.3 user=bob password=Hunter2x",
        "マイナンバー 482917365029 法人番号 7000012050002 口座番号: 1234567",
        '203.0.113.9 - - [01/Oct/2024:09:12:01 +0900] "GET /x HTTP/1.1" 200 5 "-" "-"',
        "Authorization: Basic dXNlcjpwYXNzd29yZDEyMw== Cookie: sid=abc123def",
    ],
    ids=["mixed", "japanese-ids", "access-log", "headers"],
)
def test_when_hyperscan_or_regex_prefilter_then_same_detections(
    detector: Detector, regex_detector: Detector, text: str
) -> None:
    assert _found(detector, text) == _found(regex_detector, text)


@pytest.mark.parametrize(
    ("hits", "kept"),
    [
        ([_Hit(0, 10, "EMAIL_ADDRESS", 1.0, "a"), _Hit(5, 10, "DOMAIN_NAME", 0.6, "b")], ["EMAIL_ADDRESS"]),
        ([_Hit(0, 30, "URL", 0.6, "a"), _Hit(8, 20, "DOMAIN_NAME", 0.6, "b")], ["URL", "DOMAIN_NAME"]),
        ([_Hit(0, 12, "PHONE_NUMBER", 0.5, "a"), _Hit(0, 12, "PHONE_NUMBER", 1.0, "b")], ["PHONE_NUMBER"]),
        ([_Hit(0, 99, "REQUEST_HISTORY", 0.9, "a"), _Hit(0, 11, "IP_ADDRESS", 1.0, "b")],
         ["IP_ADDRESS", "REQUEST_HISTORY"]),
        ([_Hit(0, 5, "US_SSN", 0.6, "a"), _Hit(10, 15, "IP_ADDRESS", 1.0, "b")], ["US_SSN", "IP_ADDRESS"]),
    ],
    ids=["domain-in-email", "domain-in-url", "same-entity-best", "request-nests-all", "disjoint"],
)
def test_when_hits_overlap_then_nesting_rules_apply(hits: list[_Hit], kept: list[str]) -> None:
    assert sorted(h.entity for h in resolve_overlaps(hits)) == sorted(kept)
    if kept == ["PHONE_NUMBER"]:
        assert resolve_overlaps(hits)[0].score == 1.0


@pytest.mark.parametrize(
    ("line", "entity", "value"),
    [
        ("電話：03−1234−5678", "PHONE_NUMBER", "03−1234−5678"),
        ("携帯 090ー1234ー5678 まで", "PHONE_NUMBER", "090ー1234ー5678"),
        ("カード番号 4111‐1111‐1111‐1111", "CREDIT_CARD", "4111‐1111‐1111‐1111"),
    ],
    ids=["minus-sign", "long-mark", "hyphen"],
)
def test_when_numbers_use_japanese_dash_lookalikes_then_found_with_original_text(
    detector: Detector, line: str, entity: str, value: str
) -> None:
    assert (1, entity, value) in _found(detector, line)
    # the same as a table cell (the column path normalises the same way)
    cells = detector.detect_values([value], "")
    assert [(h[2], h[5]) for h in cells[0]] == [(entity, value)]


def test_when_chunk_mixes_ascii_and_dash_lookalikes_then_line_numbers_stay_exact(detector: Detector) -> None:
    text = "plain line\nサーバー 起動\n電話 03−1234−5678\n"
    assert _found(detector, text) == [(3, "PHONE_NUMBER", "03−1234−5678")]
