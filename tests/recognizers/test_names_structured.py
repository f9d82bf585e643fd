"""Names under a name key in structured text (JSON, query strings, toString and %+v dumps,
form fields): Latin names after Japanese keys, first/last name keys, quotes and the next key
as the end of the value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.detect import Detector
from tests.detecting import values


def _persons(det: Detector, text: str) -> list[str]:
    return values(det, text, "PERSON", path="app.log")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("氏名：Taro Yamada", ["Taro Yamada"]),
        ("氏名: Hanako Suzuki", ["Hanako Suzuki"]),
        ("お名前=ＴＡＮＡＫＡ　ＨＩＲＯＳＨＩ", ["ＴＡＮＡＫＡ　ＨＩＲＯＳＨＩ"]),
        ("氏名(英字)：TARO YAMADA", ["TARO YAMADA"]),
        ("担当者: John Smith", ["John Smith"]),
        ("name: Taro Yamada", ["Taro Yamada"]),
    ],
)
def test_when_latin_name_follows_a_japanese_name_key_then_person(
    detector: Detector, text: str, expected: list[str]
) -> None:
    assert _persons(detector, text) == expected


@pytest.mark.parametrize("text", ["氏名：TEST USER", "氏名: N/A", "お名前=NULL", "氏名：Yamada"])
def test_when_japanese_name_key_holds_a_placeholder_or_one_word_then_no_person(detector: Detector, text: str) -> None:
    assert _persons(detector, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"first_name":"Patrick","last_name":"Fitzgerald"}', ["Patrick", "Fitzgerald"]),
        ("customer_name='Jennifer Walsh'", ["Jennifer Walsh"]),
        ("User{name='Mio Sato', email=mio@example.com}", ["Mio Sato"]),
        ("first_name=John&last_name=Smith", ["John", "Smith"]),
        ('"firstName": "Anna", "lastName": "Müller"', ["Anna", "Müller"]),
        ("customerFirstName=Anna", ["Anna"]),
        ("surname: O'Brien", ["O'Brien"]),
        ("author: Liam O'Brien", ["Liam O'Brien"]),
        ('{"name":"Ana de la Cruz"}', ["Ana de la Cruz"]),
        ("名義 ヤマダ タロウ", ["ヤマダ タロウ"]),
        ("口座名義：ヤマダ タロウ", ["ヤマダ タロウ"]),
        ("名義：山田太郎", ["山田太郎"]),
    ],
)
def test_when_name_key_in_structured_text_then_the_value_is_a_person(
    detector: Detector, text: str, expected: list[str]
) -> None:
    assert _persons(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"fullName":"Grace Kim","displayName":"Grace K."}', ["Grace Kim"]),
        ("{Name:Mio Sato Email:mio@example.com}", ["Mio Sato"]),
        ("{Name:Mio Sato Email:mio@example.com Age:30}", ["Mio Sato"]),
        ("customer_name='Jennifer Walsh', owner='Dan Brown'", ["Jennifer Walsh", "Dan Brown"]),
    ],
)
def test_when_value_ends_at_a_quote_or_the_next_key_then_it_does_not_run_on(
    detector: Detector, text: str, expected: list[str]
) -> None:
    found = _persons(detector, text)
    assert found == expected
    assert not any('"' in p or "'," in p or ":" in p for p in found)


@pytest.mark.parametrize(
    "text",
    ["first_name=null", "last_name: None", 'firstName: "String"', "The surname field is required.", "lastname=smith"],
)
def test_when_first_or_last_name_key_holds_no_name_then_no_person(detector: Detector, text: str) -> None:
    assert _persons(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "      - name: Run Tests",
        "      - name: Deploy Production",
        "      - name: Notify Slack",
        "    name: Build and push image",
        "      - name: Set Up Python",
        "      - name: Setup Node",
        "name=Web Server",
        "name: Payment API",
        "owner: Billing Service",
    ],
    ids=["run", "deploy", "notify", "build-lower", "set-up", "setup", "web-server", "api", "service"],
)
def test_when_name_key_holds_an_action_or_a_component_then_no_person(detector: Detector, text: str) -> None:
    assert values(detector, text, "PERSON", path=".github/workflows/ci.yml") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: Will Smith", ["Will Smith"]),
        ("name: Mark Young", ["Mark Young"]),
        ("author: Grant Server Smith", ["Grant Server Smith"]),
        ("name=Rachel Page", ["Rachel Page"]),
    ],
)
def test_when_name_key_holds_a_name_like_a_verb_or_noun_then_still_person(
    detector: Detector, text: str, expected: list[str]
) -> None:
    assert _persons(detector, text) == expected


def _word_list(key: str) -> list[str]:
    from scanner.filters import _words

    return sorted(_words()[key])


@pytest.mark.parametrize("verb", _word_list("action_verbs"))
def test_when_name_key_value_starts_with_a_listed_verb_then_no_person(detector: Detector, verb: str) -> None:
    # person.yaml repeats filters.yaml `action_verbs` in its regex: every listed verb is refused
    assert _persons(detector, f"name: {verb.capitalize()} Staging") == []


@pytest.mark.parametrize("noun", _word_list("infra_nouns"))
def test_when_name_key_value_ends_with_a_listed_component_then_no_person(detector: Detector, noun: str) -> None:
    # ... and `infra_nouns`, in any case (API, Api)
    assert _persons(detector, f"name: Acme {noun.capitalize()}") == []
    assert _persons(detector, f"name: Acme {noun.upper()}") == []


def test_when_person_yaml_lists_a_word_then_filters_yaml_lists_it_too() -> None:
    # the other direction: the regex names no verb or noun that the data lists leave out
    text = (Path(__file__).resolve().parents[2] / "recognizers/patterns/person.yaml").read_text(encoding="utf-8")
    regex_line = next(line for line in text.splitlines() if "(?!(?:Add|" in line)
    verbs = re.search(r"\(\?!\(\?:((?:[A-Z][a-z]+\|?)+)\)\\b\)", regex_line)
    nouns = re.search(r"\(\?<!\[ -\]\(\?i:([a-z|]+)\)\)", regex_line)
    assert verbs is not None and nouns is not None
    assert sorted(v.lower() for v in verbs.group(1).split("|")) == _word_list("action_verbs")
    assert sorted(nouns.group(1).split("|")) == _word_list("infra_nouns")
