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


# -- a surname directly before a title ----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("紹介：藤田部長", ["藤田"]),
        ("先方の林室長から連絡あり", ["林"]),
        ("渡辺部長", ["渡辺"]),
        ("藤田部長より紹介", ["藤田"]),
        ("山田部長が出席", ["山田"]),
        ("鈴木副社長が出席", ["鈴木"]),
        ("山田部長様", ["山田"]),
        ("高橋課長から連絡がありました。", ["高橋"]),
        ("本田部長", ["本田"]),  # starts like 本部長, is a surname
        ("阿部部長", ["阿部"]),
        ("田所部長にご報告", ["田所"]),
        ("一ノ瀬課長", ["一ノ瀬"]),
        ("営業部の鈴木部長", ["鈴木"]),
    ],
)
def test_when_surname_directly_before_title_then_person(detector: Detector, text: str, expected: list[str]) -> None:
    assert _persons(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "営業部長",
        "営業部長殿",
        "営業二課長が担当",
        "技術本部長に報告する",
        "本部長と副社長が出席した",
        "市民課長が説明した",
        "同社社長は会見で述べた",
        "前社長の方針を踏襲する",
        "初代社長の銅像",
        "今回部長に昇進した",
        "次回の部長会議は3月10日です。",
        "課長職以上の評価様式",
        "部長の山田",  # the name is after the title: NER's, not this form's
    ],
)
def test_when_title_has_no_surname_before_it_then_no_person(detector: Detector, text: str) -> None:
    assert _persons(detector, text) == []


# -- honorifics: titles, 様 inside the value, departments and relations before the name ---------
@pytest.mark.parametrize(
    "text",
    [
        "営業部長殿",
        "総務部 部長殿",
        "神様仏様",
        "「鈴木電機 経理部 御中」",
        "あなた様",
        "どちら様でしょうか",
        "おつかれ様です",
    ],
)
def test_when_honorific_follows_a_title_or_a_non_name_then_no_person(detector: Detector, text: str) -> None:
    assert _persons(detector, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("総務部 人事課 伊藤殿", ["伊藤"]),
        ("第二営業部 営業二課 伊藤様", ["伊藤"]),
        ("総務部人事課伊藤殿", ["伊藤"]),
        ("(妻 山田花子様)", ["山田花子"]),
        ("長男 山田一郎さん", ["山田一郎"]),
        ("わたなべ様", ["わたなべ"]),
        ("いとう様からのご依頼", ["いとう"]),
        ("山田様邸", ["山田"]),
        ("担当：総務部 人事課 伊藤", ["伊藤"]),
    ],
)
def test_when_departments_or_relation_precede_the_name_then_exact_person(
    detector: Detector, text: str, expected: list[str]
) -> None:
    assert _persons(detector, text) == expected


def test_when_second_department_precedes_the_name_then_both_departments_reported(detector: Detector) -> None:
    assert values(detector, "第二営業部 営業二課 伊藤様", "DEPARTMENT") == ["第二営業部", "営業二課"]
    assert values(detector, "総務部 人事課 伊藤殿", "DEPARTMENT") == ["総務部", "人事課"]


def test_when_relation_word_stands_before_a_name_without_honorific_then_it_is_not_part_of_a_name(
    detector: Detector,
) -> None:
    assert all(not p.startswith("妻") for p in _persons(detector, "(妻 山田花子)"))
