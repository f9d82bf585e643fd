"""Japanese addresses (kana municipalities, postcodes) and department names, through the detector."""

from __future__ import annotations

import pytest

from scanner.detect import Detector
from tests.detecting import values

_values = values

# the romaji recognizer triggers on its own pattern: both prefilters must select the same lines
BOTH_PREFILTERS = True


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


# -- a designated city (政令指定都市) or a Tokyo ward without the prefecture -----------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("住所：横浜市西区みなとみらい2丁目3番1号", "横浜市西区みなとみらい2丁目3番1号"),
        ("大阪市北区梅田2-4-9 ブリーゼタワー15F", "大阪市北区梅田2-4-9 ブリーゼタワー15F"),
        ("名古屋市中村区名駅4-7-1", "名古屋市中村区名駅4-7-1"),
        ("住所: 札幌市中央区北1条西2丁目1番地", "札幌市中央区北1条西2丁目1番地"),
        ("京都市中京区烏丸通三条上ル場之町604番地", "京都市中京区烏丸通三条上ル場之町604番地"),
        ("配送先：渋谷区渋谷2-21-1", "渋谷区渋谷2-21-1"),
        ("登録の住所は大阪市北区梅田1-2-3です。", "大阪市北区梅田1-2-3"),
        ("さいたま市浦和区高砂3-15-1", "さいたま市浦和区高砂3-15-1"),
        ("北九州市小倉北区城内1-1", "北九州市小倉北区城内1-1"),
        ("送り先 世田谷区三軒茶屋2丁目11番", "世田谷区三軒茶屋2丁目11番"),
    ],
)
def test_when_address_starts_at_designated_city_or_tokyo_ward_then_whole_address_reported(
    detector: Detector, line: str, expected: str
) -> None:
    assert _values(detector, line, "ADDRESS") == [expected]


@pytest.mark.parametrize(
    "prose",
    [
        "大阪市では新しい制度を導入した",
        "横浜市の人口は約377万人",
        "港区役所2階で受付",
        "中央区で開催された1-2日のイベント",
        "北区の3店舗で販売中",
        "名古屋市中村区の最高気温25度",
        "渋谷区と新宿区の2区で実施",
        "品川区立第二中学校1年生",
        "大阪市北区梅田エリアの店舗数は12",
    ],
)
def test_when_city_or_ward_named_in_passing_then_no_address(detector: Detector, prose: str) -> None:
    assert _values(detector, f"{prose} / 送り先 {ADDR}", "ADDRESS") == [ADDR]


# -- block numbers: kanji numerals, 条/通, a final 番地, a building and floor after them ------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("東京都千代田区丸の内一丁目二番三号", "東京都千代田区丸の内一丁目二番三号"),
        ("宮城県仙台市青葉区一番町一丁目二番三号", "宮城県仙台市青葉区一番町一丁目二番三号"),
        ("北海道札幌市中央区北1条西2丁目1番地", "北海道札幌市中央区北1条西2丁目1番地"),
        ("北海道旭川市6条通8丁目", "北海道旭川市6条通8丁目"),
        ("北海道札幌市中央区大通西3丁目7番地", "北海道札幌市中央区大通西3丁目7番地"),
        ("沖縄県那覇市字安里123番地", "沖縄県那覇市字安里123番地"),
        ("東京都港区虎ノ門4-3-1 城山トラストタワー27階", "東京都港区虎ノ門4-3-1 城山トラストタワー27階"),
        (
            "東京都千代田区丸の内1-9-1 グラントウキョウサウスタワー8F",
            "東京都千代田区丸の内1-9-1 グラントウキョウサウスタワー8F",
        ),
        ("大阪府大阪市中央区本町3-5-7 御堂筋本町ビル12階", "大阪府大阪市中央区本町3-5-7 御堂筋本町ビル12階"),
        (
            "神奈川県川崎市中原区小杉町1-2 コスギレジデンス 1203号室",
            "神奈川県川崎市中原区小杉町1-2 コスギレジデンス 1203号室",
        ),
    ],
)
def test_when_block_numbers_are_kanji_or_carry_a_building_then_whole_address_reported(
    detector: Detector, line: str, expected: str
) -> None:
    found = [d for d in detector.detect_text("t.txt", line, 1) if d.entity == "ADDRESS"]
    assert [d.value for d in found] == [expected]
    assert found[0].score >= 0.75


def test_when_building_word_is_prose_after_the_address_then_address_ends_at_the_block(detector: Detector) -> None:
    # hiragana after the block is prose, not a building name
    assert _values(detector, "東京都港区赤坂1-8-1 にある本社ビルに移転", "ADDRESS") == ["東京都港区赤坂1-8-1"]


# -- romanised Japanese addresses ---------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "1-2-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023",
            "1-2-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023",
        ),
        (
            "Office: Marunouchi 1-9-1, Chiyoda-ku, Tokyo 100-0005, Japan",
            "Marunouchi 1-9-1, Chiyoda-ku, Tokyo 100-0005, Japan",
        ),
        ("ship to 2-4-9 Umeda, Kita-ku, Osaka-shi, Osaka", "2-4-9 Umeda, Kita-ku, Osaka-shi, Osaka"),
    ],
)
def test_when_japanese_address_is_romanised_then_reported(detector: Detector, line: str, expected: str) -> None:
    assert _values(detector, line, "ADDRESS") == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "build 1-2-3 Release, Final-cut, Tokyo",
        "the score was 3-2-1 Tokyo, Osaka and Nagoya",
        "we met at 1-2-3 Main-Street, Tokyo",
        "Tokyo 160-0023",
        "1-2-3 Nishi-Shinjuku, Tokyo",
    ],
)
def test_when_english_text_names_a_japanese_city_then_no_address(detector: Detector, line: str) -> None:
    assert _values(detector, line, "ADDRESS") == []
