"""Japanese PERSON forms through the real detector: honorific look-alikes in common words,
a department before the name, and half-width kana names with voiced marks."""

from __future__ import annotations

import pytest

from scanner.detect import Detector
from tests.detecting import values


def _persons(det: Detector, text: str) -> list[str]:
    return values(det, text, "PERSON")


@pytest.mark.parametrize(
    "text",
    [
        "製品の仕様を変更しました。",
        "製品仕様：新しい設計",
        "仕様書を確認",
        "以下同様。",
        "以下同様に処理",
        "多様な意見がある",
        "生物多様性",
        "申請様式を提出",
        "ご苦労様でした",
        "お母さんが来た",
        "運転手さんに聞いた",
        "店員さんが言った",
        "神様に祈る",
        "王様の耳",
        "宮殿を見学",
        "バッキンガム宮殿",
        "白色沈殿が生じた",
        "彼氏ができた",
        "某氏の発言",
        "模様替え",
        "異様な雰囲気",
        "態様を記載",
        "この有様だ",
        "お子様連れ",
        "校長先生",
        "営業部 部長様",
    ],
)
def test_when_common_word_ends_in_honorific_then_no_person(detector: Detector, text: str) -> None:
    assert _persons(detector, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("営業部 山田様より連絡がありました。", ["山田"]),
        ("経理部 佐藤様", ["佐藤"]),
        ("営業部山田様より連絡あり", ["山田"]),
        ("営業本部 山田様", ["山田"]),
        ("東京支店山田様", ["山田"]),
        ("人事部 鈴木花子氏", ["鈴木花子"]),
        ("マーケティング部 山田様", ["山田"]),
        ("フリガナ：ﾔﾏﾀﾞ ﾀﾛｳ", ["ﾔﾏﾀﾞ ﾀﾛｳ"]),
        ("ﾔﾏﾀﾞ ﾀﾛｳ様", ["ﾔﾏﾀﾞ ﾀﾛｳ"]),
        ("ﾊﾟｸ ｼﾞｭﾝ様", ["ﾊﾟｸ ｼﾞｭﾝ"]),
        ("ﾀﾞｲｽｹさん", ["ﾀﾞｲｽｹ"]),
    ],
)
def test_when_department_or_half_width_kana_name_then_exact_person(
    detector: Detector, text: str, expected: list[str]
) -> None:
    assert _persons(detector, text) == expected


# guard: listed by the probe, but already not a name before the fixes (疲 is followed by れ)
def test_when_otsukaresama_then_no_person(detector: Detector) -> None:
    assert _persons(detector, "お疲れ様です") == []


# guards: names the fixes above must not lose (these matched before the fixes too)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("山田 太郎様からお問い合わせ", ["山田 太郎"]),
        ("佐藤さんに確認済み", ["佐藤"]),
        ("鈴木花子氏", ["鈴木花子"]),
        ("田中殿", ["田中"]),
        ("山本殿", ["山本"]),
        ("高橋先生", ["高橋"]),
        ("本多様よりご連絡", ["本多"]),
        ("王さんが来社", ["王"]),
        ("花子さん", ["花子"]),
        ("阿部 太郎様", ["阿部 太郎"]),
        ("服部様", ["服部"]),
        ("岡部 一郎様", ["岡部 一郎"]),
        ("長谷部 誠様", ["長谷部 誠"]),
        ("フリガナ：ｻﾄｳ ﾊﾅｺ", ["ｻﾄｳ ﾊﾅｺ"]),
    ],
)
def test_when_real_name_with_honorific_then_still_found(
    detector: Detector, text: str, expected: list[str]
) -> None:
    assert _persons(detector, text) == expected
