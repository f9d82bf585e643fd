"""Japanese job titles and departments through a detector with the gazetteers (word lists) as
`--nlp off` runs them: titles inside compound nouns, a company word before a department, a
weak title right after a department."""

from __future__ import annotations

import pytest

from recognizers.gazetteer import Gazetteer
from recognizers.registry import build_recognizers
from scanner.detect import Detector
from tests.detecting import values


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(build_recognizers(), line_detectors=[Gazetteer()])


@pytest.mark.parametrize(
    "text",
    [
        "次回の部長会議は3月10日です。",
        "部長会議で決定",
        "課長職以上の評価様式",
        "部長級の人事異動が発表された",
        "年収は課長クラスで800万円",
        "部長候補研修を実施",
        "次長職の募集",
        "課長以上の方は出席してください",
        "取締役会で承認された",
    ],
)
def test_when_title_begins_a_compound_noun_then_no_job_title(det: Detector, text: str) -> None:
    assert values(det, text, "JOB_TITLE") == []


@pytest.mark.parametrize(
    ("text", "titles", "persons"),
    [
        ("山田部長が出席", ["部長"], ["山田"]),
        ("部長の山田", ["部長"], []),
        ("紹介：藤田部長", ["部長"], ["藤田"]),
        ("部長代理が回答しました", ["部長代理"], []),
    ],
)
def test_when_title_is_a_persons_title_then_still_reported(
    det: Detector, text: str, titles: list[str], persons: list[str]
) -> None:
    assert values(det, text, "JOB_TITLE") == titles
    assert values(det, text, "PERSON") == persons


def test_when_company_word_precedes_a_department_then_it_is_left_out(det: Detector) -> None:
    assert values(det, "弊社カスタマーサクセス本部", "DEPARTMENT") == ["カスタマーサクセス本部"]
    assert values(det, "当社 営業企画部の佐藤", "DEPARTMENT") == ["営業企画部"]


@pytest.mark.parametrize(
    ("text", "department", "title"),
    [
        ("経営企画室 主任", "経営企画室", "主任"),
        ("品質保証部主任の佐藤", "品質保証部", "主任"),
        ("総務課 秘書", "総務課", "秘書"),
    ],
)
def test_when_weak_title_follows_a_department_then_both_reported(
    det: Detector, text: str, department: str, title: str
) -> None:
    assert values(det, text, "DEPARTMENT") == [department]
    assert values(det, text, "JOB_TITLE") == [title]


@pytest.mark.parametrize("text", ["主任", "秘書を募集", "全部 主任"])
def test_when_weak_title_stands_alone_then_below_threshold(det: Detector, text: str) -> None:
    assert values(det, text, "JOB_TITLE") == []


# Departments in prose stay reported without a person nearby: a department name is an item of
# its own in the policies (the China policy's 部署名; professional information under
# `california`), a form cell or CSV column holds it with the person in another cell, and
# tying it to a person would need NER or a line-wide search per match.
def test_when_departments_are_named_in_prose_then_each_is_reported(det: Detector) -> None:
    assert values(det, "営業部と開発部の統合は見送り", "DEPARTMENT") == ["営業部", "開発部"]
