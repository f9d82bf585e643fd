from __future__ import annotations

import pytest

from models.gate import header_wants_ner, language_of, wants_ner


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Meeting with Taro Yamada about the renewal next week.", True),
        ("2024-01-05 10:00:01 INFO Customer John Smith asked for a refund", True),
        ("name=John Smith action=login", True),
        ("氏名：山田太郎", True),
        ("山田様から電話がありました", True),
        ("ts=2024-01-05 level=info user=bob action=login status=200", False),
        ('  File "/app/main.py", line 12, in <module>', False),
        ("    at com.example.Foo.bar(Foo.java:42)", False),
        ("def handle(request): return None", False),
        ("if (x) { y(); }", False),
        ("GET /index.html 200 512", False),
        ("all lower case words without any names here", False),
        ("", False),
    ],
    ids=[
        "sentence",
        "log-with-prose",
        "name-key",
        "ja-name-key",
        "ja-text",
        "kv-log",
        "py-trace",
        "java-trace",
        "code",
        "braces",
        "access-log",
        "no-capitals",
        "empty",
    ],
)
def test_when_line_given_then_auto_gate_decides(line: str, expected: bool) -> None:
    assert wants_ner(line) is expected


@pytest.mark.parametrize(
    ("column", "expected"),
    [("customer_name", True), ("氏名", True), ("notes", True), ("amount", False), ("", False)],
    ids=["customer", "ja-name", "notes", "amount", "none"],
)
def test_when_column_named_then_header_gate_decides(column: str, expected: bool) -> None:
    assert header_wants_ner(column) is expected


def test_when_cell_in_name_column_then_short_value_is_sent() -> None:
    assert wants_ner("John Smith", "customer_name") is True
    assert wants_ner("John Smith", "sku") is False


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("山田太郎", "ja"),
        ("ヤマダ タロウ", "ja"),
        ("やまだ", "ja"),
        ("John Smith", "en"),
        ("Meeting with 田中 today", "ja"),
        ("12345", "en"),
    ],
    ids=["kanji", "katakana", "hiragana", "latin", "mixed", "digits"],
)
def test_when_text_given_then_routed_by_script(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("2024-03-18T20:21:31.671Z INFO [reports] バッチ処理が完了しました 件数=700", False),
        ("2024-10-01 10:00:00 INFO バージョン 2.3.14 にアップデートしました", False),
        ("2024-03-18 10:00:00 INFO 山田太郎様から問い合わせ", True),
        ("[ERROR] 担当：佐藤 花子 への通知に失敗", True),
        ("山田太郎は営業部の部長です", True),
    ],
    ids=["ja-machine-line", "ja-machine-version", "ja-machine-honorific", "ja-machine-name-key", "ja-free-text"],
)
def test_when_japanese_machine_log_line_then_ner_only_with_a_name_cue(line: str, wanted: bool) -> None:
    from models.gate import line_wants_ner

    assert line_wants_ner(line) is wanted
