from __future__ import annotations

from typing import Any

import pytest


def _found(detector: Any, text: str, context: str = "") -> set[tuple[str, str]]:
    return {(h.entity, v) for h, v in detector.detect_lines([text], context)[0]}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        (
            "Meeting with Taro Yamada from Acme Widgets Inc. about the invoice.",
            "PERSON",
            "Taro Yamada",
        ),
        (
            "Meeting with Taro Yamada from Acme Widgets Inc. about the invoice.",
            "ORGANIZATION",
            "Acme Widgets Inc.",
        ),
        (
            "2024-05-01 12:00:00 INFO Refund approved for Emily Clarke by the billing team",
            "PERSON",
            "Emily Clarke",
        ),
        ("株式会社サンプル商事の山田太郎様からお問い合わせがありました。", "PERSON", "山田太郎"),
        (
            "株式会社サンプル商事の山田太郎様からお問い合わせがありました。",
            "ORGANIZATION",
            "株式会社サンプル商事",
        ),
        ("ヤマダ タロウ様の住所変更", "PERSON", "ヤマダ タロウ"),
        ("〒107-0052 東京都港区赤坂1-8-1", "ADDRESS", "〒107-0052 東京都港区赤坂1-8-1"),
        (
            "Send it to 1600 Amphitheatre Pkwy, Mountain View, CA 94043 please",
            "ADDRESS",
            "1600 Amphitheatre Pkwy, Mountain View, CA 94043",
        ),
        (
            "She joined Northwind Traders Ltd as Senior Software Engineer.",
            "JOB_TITLE",
            "Senior Software Engineer",
        ),
        ("所属：リスク管理部", "DEPARTMENT", "リスク管理部"),
    ],
    ids=[
        "en-person",
        "en-org",
        "en-log-person",
        "ja-person",
        "ja-org",
        "ja-kana-person",
        "ja-address",
        "us-address",
        "en-title",
        "ja-dept",
    ],
)
def test_when_text_has_entity_then_found(
    nlp_detector: Any, text: str, entity: str, value: str
) -> None:
    assert (entity, value) in _found(nlp_detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01 12:00:00 INFO Service started on port 8080",
        "ts=2024-05-01 level=error msg=timeout host=db01",
        "Error: Connection refused while calling Kubernetes API",
        "Deploy finished in March with Docker and Redis upgrades.",
        "処理が正常に終了しました",
        "Happy Helming!",
        "eth0: Link is Up - 1000 Mbps Full Duplex, Flow Control: None",
        "Shipping logs to Grafana Loki at 10:02",
    ],
    ids=["plain-log", "kv-log", "tech-terms", "month-products", "ja-system-msg", "helm", "link-up", "loki"],
)
def test_when_text_has_no_person_or_org_then_none_reported(nlp_detector: Any, text: str) -> None:
    found = _found(nlp_detector, text)
    assert not {e for e, _ in found} & {"PERSON", "ORGANIZATION"}, found


def test_when_cell_in_customer_column_then_short_name_found(nlp_detector: Any) -> None:
    assert ("PERSON", "Olivia Bennett") in _found(nlp_detector, "Olivia Bennett", "customer_name")


def test_when_mode_on_then_every_line_is_sent_and_auto_sends_fewer(en_nlp: Any) -> None:
    from models.ner import NerDetector

    lines = ["ts=1 level=info a=b", "Meeting with Mary Jones today.", "x=1 y=2"]
    on, auto = NerDetector("on"), NerDetector("auto")
    list(on.detect_lines(lines))
    list(auto.detect_lines(lines))
    assert on.lines_sent == 3
    assert auto.lines_sent == 1


def test_when_mixed_file_then_each_line_goes_to_its_language(nlp_detector: Any) -> None:
    lines = ["Call from Robert Chen about the order.", "鈴木一郎さんから電話がありました。"]
    out = nlp_detector.detect_lines(lines)
    assert ("PERSON", "Robert Chen") in {(h.entity, v) for h, v in out[0]}
    assert any(h.entity == "PERSON" and "鈴木" in v for h, v in out[1])


def test_when_ginza_splits_a_kana_name_then_the_parts_are_merged() -> None:
    from models.loader import LabelRule
    from models.ner import merge_adjacent_names

    person, org = LabelRule("PERSON", 0.85), LabelRule("ORGANIZATION", 0.7)
    text = "ワタナベ ショウタ 様"
    merged = merge_adjacent_names(text, [(0, 4, person), (5, 9, person)])
    assert [(s, e) for s, e, _ in merged] == [(0, 9)]
    apart = merge_adjacent_names("ワタナベ、ショウタ", [(0, 4, person), (5, 9, person)])
    assert len(apart) == 2
    mixed = merge_adjacent_names(text, [(0, 4, person), (5, 9, org)])
    assert len(mixed) == 2


@pytest.mark.parametrize(
    ("column", "cells", "entity", "expected"),
    [
        ("customer_name", ["Olivia Bennett", "Marcus Thornton"], "PERSON", 2),
        ("氏名", ["高橋 美咲", "ヤマダ タロウ"], "PERSON", 2),
        ("job_title", ["Director", "Payroll Manager"], "JOB_TITLE", 2),
        ("役職", ["部長", "リーダー"], "JOB_TITLE", 2),
        ("部署", ["営業部", "品質保証部"], "DEPARTMENT", 2),
        ("sku", ["Director", "ABC-123"], "JOB_TITLE", 0),
        ("status", ["Active", "Pending Review"], "PERSON", 0),
    ],
    ids=["en-names", "ja-names", "en-titles", "ja-titles", "ja-depts", "no-header-boost", "status-col"],
)
def test_when_table_column_scanned_then_header_drives_detection(
    nlp_detector: Any, column: str, cells: list[str], entity: str, expected: int
) -> None:
    dets = nlp_detector.detect_cells("t.csv", column, list(range(len(cells))), cells)
    assert sum(1 for d in dets if d.entity == entity) == expected, dets


@pytest.mark.parametrize(
    ("text", "end"),
    [("高橋様から", 2), ("山本 太郎 さん", 5), ("先生", 2), ("田中氏", 2)],
    ids=["sama", "san-spaced", "honorific-alone", "shi"],
)
def test_when_a_person_span_ends_in_an_honorific_then_the_name_is_kept_without_it(text: str, end: int) -> None:
    from models.ner import _without_honorific

    assert _without_honorific(text, 0, len(text.rstrip("から"))) == end
