"""NER misfires in structured text, CI files, code, licences and Japanese compounds: spans
crossing JSON/%+v fields, actions and components read as names, CamelCase identifiers, two
labels on one name, titles inside compound nouns, names inside company names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from models.ner import NerDetector, _within_field

NAMEISH = {"PERSON", "ORGANIZATION"}


def _ner(lines: list[str], mode: str = "auto") -> list[set[tuple[str, str]]]:
    """What the NER detector alone reports per line (entity, value)."""
    out: list[set[tuple[str, str]]] = [set() for _ in lines]
    for i, s, e, entity, *_ in NerDetector(mode).detect_lines(lines):
        out[i].add((entity, lines[i][s:e]))
    return out


def _all(detector: Any, line: str) -> set[tuple[str, str, str]]:
    """Every finding (entity, value, recognizer) of the full detector (patterns + NER)."""
    return {(h.entity, v, h.recognizer) for h, v in detector.detect_lines([line])[0]}


# -- spans crossing field boundaries ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ('{"fullName":"Grace Kim","displayName":"Grace K."}', 'Kim","displayName":"Grace K', None),
        ("{Name:Mio Sato Email:mio@example.com}", "Name:Mio Sato", "Mio Sato"),
        ("{Name:Mio Sato Email:mio@example.com}", "Mio Sato Email", "Mio Sato"),
        ("{Name:Mio Sato Email:mio@example.com}", "Sato Email:mio", None),
        ('{"name":"Ana Cruz"}', 'name":"Ana Cruz', "Ana Cruz"),
        ('{\\"name\\":\\"Ana Cruz\\",\\"id\\":1}', 'Cruz\\",\\"id', None),
        ("Meeting with Taro Yamada: agenda", "Taro Yamada", "Taro Yamada"),
        ("Re: Taro Yamada", "Taro Yamada", "Taro Yamada"),
    ],
    ids=[
        "json-two-fields",
        "leading-key",
        "trailing-key",
        "across-keys",
        "quoted-key",
        "escaped-json",
        "colon-space",
        "plain",
    ],
)
def test_when_span_holds_a_field_boundary_then_cut_to_the_value_or_dropped(
    text: str, span: str, expected: str | None
) -> None:
    start = text.index(span)
    got = _within_field(text, start, start + len(span))
    if expected is None:
        assert got is None
    else:
        assert got is not None and text[got[0] : got[1]].strip() == expected


def test_when_json_record_holds_two_names_then_the_name_key_value_wins(nlp_detector: Any) -> None:
    line = '{"fullName":"Grace Kim","displayName":"Grace K."}'
    found = _all(nlp_detector, line)
    assert ("PERSON", "Grace Kim", "NameKeyRecognizer") in found
    assert {v for e, v, _ in found if e in NAMEISH} == {"Grace Kim"}, found
    # the model's span across the two fields is gone, not just outscored
    assert _ner([line]) == [set()]


@pytest.mark.parametrize(
    ("line", "person"),
    [
        ("{Name:Mio Sato Email:mio@example.com}", "Mio Sato"),
        ("first_name=John last_name=Smith", "Smith"),
    ],
    ids=["go-struct", "last-name"],
)
def test_when_ner_calls_a_name_key_value_an_organisation_then_only_the_person_is_reported(
    nlp_detector: Any, line: str, person: str
) -> None:
    found = _all(nlp_detector, line)
    assert ("PERSON", person, "NameKeyRecognizer") in found
    assert not {f for f in found if f[0] == "ORGANIZATION"}, found


# -- actions, components, identifiers, licences ---------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "      - name: Run Tests",
        "      - name: Deploy Production",
        "      - name: Notify Slack",
        "    name: Build and push image",
        "name=Web Server",
    ],
    ids=["run", "deploy", "notify", "build", "web-server"],
)
def test_when_ci_step_or_component_is_named_then_no_person_or_org(nlp_detector: Any, line: str) -> None:
    assert not {f for f in _all(nlp_detector, line) if f[0] in NAMEISH}


@pytest.mark.parametrize(
    "line",
    [
        "//! Acme CLI.",
        "    source: ParameterSource,",
        '    """Fair Scheduler for the pool."""',
        "Ignore Transfer-Encoding",
        "    section: Headers",
    ],
    ids=["rust-doc", "camelcase-type", "docstring-component", "docstring-imperative", "common-word"],
)
def test_when_code_or_docstring_is_scanned_with_nlp_on_then_no_person_or_org(en_nlp: Any, line: str) -> None:
    assert _ner([line], "on") == [set()]


def test_when_licence_names_a_person_after_the_year_then_person_not_organisation(en_nlp: Any) -> None:
    line = "Copyright (c) 2019 Kenji Watanabe <kenji@example.com>"
    assert _ner([line]) == [{("PERSON", "Kenji Watanabe")}]
    assert _ner([line], "on") == [{("PERSON", "Kenji Watanabe")}]


def test_when_licence_names_a_company_then_it_stays_an_organisation() -> None:
    from models.ner import _is_copyright_holder

    for line, value, person in [
        ("Copyright (c) 2019 Kenji Watanabe", "Kenji Watanabe", True),
        ("Copyright 2015-2024, J. R. Tolkien", "J. R. Tolkien", True),
        ("Copyright (c) 2019 Acme Holdings", "Acme Holdings", False),
        ("Copyright (c) 2019 Release Notes", "Release Notes", False),
        ("Thanks to Kenji Watanabe", "Kenji Watanabe", False),
    ]:
        start = line.index(value)
        assert _is_copyright_holder(line, start, start + len(value)) is person, line


# -- one label per name ---------------------------------------------------------------


@dataclass
class _Ent:
    start_char: int
    end_char: int
    label_: str


class _FakeNlp:
    """A pipeline stand-in returning fixed (start, end, label) entities for each text."""

    def __init__(self, ents: dict[str, list[tuple[str, str]]]) -> None:
        self.ents = ents

    def pipe(self, texts: Iterable[str], batch_size: int = 0) -> Iterator[Any]:
        for text in texts:
            ents = [_Ent(text.index(v), text.index(v) + len(v), label) for v, label in self.ents.get(text, [])]
            yield type("Doc", (), {"ents": ents})()


def _with_fake(ents: dict[str, list[tuple[str, str]]], lines: list[str]) -> list[set[tuple[str, str]]]:
    nlp = _FakeNlp(ents)
    det = NerDetector("on", loader=lambda lang, name: nlp)
    out: list[set[tuple[str, str]]] = [set() for _ in lines]
    for i, s, e, entity, *_ in det.detect_lines(lines):
        out[i].add((entity, lines[i][s:e]))
    return out


def test_when_one_span_is_tagged_person_and_organisation_then_person_only() -> None:
    line = "// Owner: Hanako Sato"
    ents = {line: [("Hanako Sato", "ORG"), ("Hanako Sato", "PERSON")]}
    assert _with_fake(ents, [line]) == [{("PERSON", "Hanako Sato")}]


def test_when_an_organisation_is_a_person_name_key_value_then_dropped_unless_it_ends_in_an_org_word() -> None:
    lines = ["owner: Hanako Sato", "customer: Northwind Traders", "Meeting at Northwind Traders"]
    ents = {
        lines[0]: [("Hanako Sato", "ORG")],
        lines[1]: [("Northwind Traders", "ORG")],
        lines[2]: [("Northwind Traders", "ORG")],
    }
    assert _with_fake(ents, lines) == [
        set(),
        {("ORGANIZATION", "Northwind Traders")},
        {("ORGANIZATION", "Northwind Traders")},
    ]


# -- Japanese: titles in compounds, names in company names ------------------------------


@pytest.mark.parametrize(
    "line",
    ["次回の部長会議は3月10日です。", "部長会議で決定", "課長職以上の評価様式", "ご担当者様"],
    ids=["meeting", "meeting-short", "grade", "go-tantousha-sama"],
)
def test_when_title_begins_a_compound_or_is_a_polite_role_then_no_job_title(nlp_detector: Any, line: str) -> None:
    assert not {f for f in _all(nlp_detector, line) if f[0] == "JOB_TITLE"}


def test_when_a_name_starts_a_company_name_then_no_person(nlp_detector: Any) -> None:
    found = _all(nlp_detector, "「鈴木電機 経理部 御中」")
    assert not {f for f in found if f[0] == "PERSON"}, found
    assert ("DEPARTMENT", "経理部", "DepartmentPatternRecognizer") in found


def test_when_a_title_is_a_title_then_still_reported(nlp_detector: Any) -> None:
    found = _all(nlp_detector, "役職：部長")
    assert any(e == "JOB_TITLE" and v == "部長" for e, v, _ in found), found


# -- package restores, product tables, occupations in prose (hard negatives, `auto`) ----


@pytest.mark.parametrize(
    "line",
    [
        "  Restored Newtonsoft.Json 7.0.0.0 for net6.0 (151 ms).",
        "  Restored Moq 2.0.0.0 for net6.0 (324 ms).",
        "  Restored Serilog.Sinks.Console 4.0.0.0 for net6.0 (835 ms).",
        "| part no. 152-593-9147 | 食器洗い乾燥機 | 72 pcs |",
        "| part no. 139-430-9574 | エアコン | 42 pcs |",
        "商品名：食器洗い乾燥機用フィルター／JANコード 4579521052974／希望小売価格 11600円（税込）",
        "タクシーの運転手さんによると、11月以降は都市部での利用が68%増えたという。",
    ],
    ids=[
        "nuget-dotted",
        "nuget-version",
        "nuget-sinks",
        "product-table",
        "product-katakana",
        "jan-product",
        "occupation",
    ],
)
def test_when_packages_products_or_occupations_then_no_name_org_or_title(nlp_detector: Any, line: str) -> None:
    found = _all(nlp_detector, line)
    assert not {f for f in found if f[0] in NAMEISH | {"JOB_TITLE"}}, found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("松本由美さんが総務部の研究員に就任しました。", {("PERSON", "松本由美"), ("JOB_TITLE", "研究員")}),
        ("トヨタの社長は記者会見で述べた。", {("ORGANIZATION", "トヨタ"), ("JOB_TITLE", "社長")}),
        ("みずほ銀行に振り込みました。", {("ORGANIZATION", "みずほ銀行")}),
        ("株式会社さくらネット　統括マネージャー　タカハシ ケンイチ", {("PERSON", "タカハシ ケンイチ")}),
        ("Restored contact with John Smith 12.50 paid", {("PERSON", "John Smith")}),
    ],
    ids=["title-with-person", "title-with-company", "proper-noun-company", "signature", "money-not-version"],
)
def test_when_title_has_a_subject_or_org_is_a_proper_noun_then_still_reported(
    line: str, expected: set[tuple[str, str]]
) -> None:
    assert expected <= _ner([line])[0]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Restored", True), ("Running", True), ("Copied", True), ("Stopped", True), ("Deployed", True),
     ("Ted", False), ("Fred", False), ("Manning", False), ("Sterling", False), ("Grace", False)],
)
def test_action_verb_forms(word: str, expected: bool) -> None:
    from scanner.filters import _is_action_verb

    assert _is_action_verb(word.lower()) is expected


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("- Patrick had a rollback runbook ready.", "- Patrick", "Patrick"),
        ("— Tanaka, on call", "— Tanaka", "Tanaka"),
        ("plans to acquire Brightline Freight's software division", "Brightline Freight's", "Brightline Freight"),
        ("met Brightline Freight's CEO,", "Brightline Freight's", "Brightline Freight"),
        ("signed by Smith-Jones today", "Smith-Jones", "Smith-Jones"),
        ("Dear O'Brien", "O'Brien", "O'Brien"),
    ],
    ids=["bullet", "dash", "possessive", "possessive-2", "hyphenated", "apostrophe-name"],
)
def test_when_span_has_a_bullet_or_possessive_then_trimmed_to_the_name(text: str, span: str, expected: str) -> None:
    from models.ner import _trim

    start = text.index(span)
    s, e = _trim(text, start, start + len(span))
    assert text[s:e] == expected


def test_when_company_is_named_in_the_possessive_then_auto_reports_it(en_nlp: Any) -> None:
    line = "Board approved the plan to acquire Brightline Freight's software division next year."
    assert ("ORGANIZATION", "Brightline Freight") in _ner([line])[0]
