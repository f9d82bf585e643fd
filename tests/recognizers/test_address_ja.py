"""Japanese addresses (kana municipalities, postcodes) and department names, through the detector."""

from __future__ import annotations

import pytest

from scanner.detect import Detector
from tests.detecting import values

_values = values


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("埼玉県さいたま市浦和区高砂3-15-1", "埼玉県さいたま市浦和区高砂3-15-1"),
        ("茨城県つくば市竹園1-1-1", "茨城県つくば市竹園1-1-1"),
        ("東京都あきる野市二宮350", "東京都あきる野市二宮350"),
        ("山梨県南アルプス市小笠原376", "山梨県南アルプス市小笠原376"),
        ("福島県いわき市平字梅本21", "福島県いわき市平字梅本21"),
        ("秋田県にかほ市平沢字清水1", "秋田県にかほ市平沢字清水1"),
        ("北海道虻田郡ニセコ町字曽我", "北海道虻田郡ニセコ町字曽我"),
        ("住所：千葉県袖ケ浦市", "千葉県袖ケ浦市"),
        ("所在地 宮城県富谷市", "宮城県富谷市"),
        ("住所は宮城県富谷市です", "宮城県富谷市"),
        ("郵便番号：100-0001", "100-0001"),
        ("郵便番号：100-0001 東京都千代田区千代田1-1", "100-0001 東京都千代田区千代田1-1"),
        ("〒1000001 東京都千代田区千代田1-1", "〒1000001 東京都千代田区千代田1-1"),
        ("〒1000001", "〒1000001"),
    ],
)
def test_when_japanese_address_then_whole_address_reported(
    detector: Detector, line: str, expected: str
) -> None:
    assert _values(detector, line, "ADDRESS") == [expected]


ADDR = "茨城県つくば市竹園1-1-1"


@pytest.mark.parametrize(
    "prose",
    [
        "build 100-0001 done",
        "order 1000001 shipped",
        "東京都の天気は晴れ",
        "東京都港区で開催されたイベントに3000人が参加",
        "東京都では市内の3店舗で販売",
        "東京都にある市場で3件",
        "大阪府大阪市の文字数は12",
        "宮城県富谷市で開かれた式典",
        "株式会社ABC（東京都港区）は新製品を発表",  # a city named in passing: no context word
        "【大阪府堺市】市内の3店舗",
        "千葉県袖ケ浦市",
        "東京都港区、大阪府大阪市、福岡県福岡市で開催",
    ],
)
def test_when_prose_or_bare_numbers_then_only_the_real_address(detector: Detector, prose: str) -> None:
    assert _values(detector, f"{prose} / 送り先 {ADDR}", "ADDRESS") == [ADDR]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("所属：品質保証部", ["品質保証部"]),
        ("経営戦略本部の会議", ["経営戦略本部"]),
        ("リスク管理部 第二課", ["リスク管理部"]),
        ("営業部の山田です", ["営業部"]),
        ("総務課", ["総務課"]),
        ("経営企画室", ["経営企画室"]),
        ("カスタマーサポート部", ["カスタマーサポート部"]),
        ("営業部 部長", ["営業部"]),
        ("営業第一課の佐藤", ["営業第一課"]),
        ("所属：未来創造部", ["未来創造部"]),
    ],
)
def test_when_department_then_reported(detector: Detector, line: str, expected: list[str]) -> None:
    # each department line is followed by product prose: the department alone is reported
    assert _values(detector, f"{line}。新型は冷凍室と表示部を一新", "DEPARTMENT") == expected


@pytest.mark.parametrize(
    "line",
    [
        "大容量の冷凍室と野菜室を備えた冷蔵庫です。",
        "冷蔵室と製氷室、乗員室、客室、浴室を清掃",
        "都市部と山間部で気温差が大きい。",
        "沿岸部や中心部、周辺部、内陸部では北部と南部、東部、西部で雨",
        "本体の表示部と操作部を一新",
        "上部と下部、先端部、本体部を点検",
        "後頭部や下腹部に痛み",
        "管理室に連絡し研究室で実験",
        "第二部では新製品を紹介",
        "災害対策本部が設置された",
    ],
)
def test_when_product_or_news_prose_then_no_department(detector: Detector, line: str) -> None:
    assert _values(detector, line, "DEPARTMENT") == []
