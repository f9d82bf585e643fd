from __future__ import annotations

import pytest

from recognizers.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


def _hits(gaz: Gazetteer, text: str, context: str = "") -> dict[tuple[str, str], float]:
    return {(e, text[s:t]): sc for _, s, t, e, sc, _ in gaz.detect_lines([text], context)}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("She is the Chief Financial Officer now", "JOB_TITLE", "Chief Financial Officer"),
        ("promoted to senior software engineer", "JOB_TITLE", "senior software engineer"),
        ("Owner: Dan (Senior Account Executive)", "JOB_TITLE", "Senior Account Executive"),
        ("代表取締役社長の田中", "JOB_TITLE", "代表取締役社長"),
        ("課長に報告", "JOB_TITLE", "課長"),
        ("プロジェクトマネージャーを募集", "JOB_TITLE", "プロジェクトマネージャー"),
        ("transferred to Human Resources", "DEPARTMENT", "Human Resources"),
        ("the R&D budget", "DEPARTMENT", "R&D"),
        ("経営戦略本部の会議", "DEPARTMENT", "経営戦略本部"),
        ("title: Manager", "JOB_TITLE", "Manager"),
        ("dept=IT", "DEPARTMENT", "IT"),
    ],
    ids=[
        "cfo",
        "lowercase-multiword",
        "seniority-prefix",
        "ja-ceo",
        "ja-kacho",
        "ja-katakana",
        "hr",
        "rnd",
        "ja-honbu",
        "weak-with-context",
        "acronym-with-context",
    ],
)
def test_when_listed_term_present_then_reported_above_threshold(
    gaz: Gazetteer, text: str, entity: str, value: str
) -> None:
    hits = _hits(gaz, text)
    assert hits.get((entity, value), 0) >= 0.5, hits


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("connection manager restarted", "manager"),
        ("The Manager class was loaded", "Manager"),
        ("IT was late", "IT"),
        ("エンジニアリング部門", "エンジニア"),
        ("management console", "management"),
    ],
    ids=[
        "lowercase-weak",
        "weak-no-context",
        "acronym-no-context",
        "katakana-inside-word",
        "substring",
    ],
)
def test_when_weak_or_partial_term_without_context_then_below_threshold(
    gaz: Gazetteer, text: str, value: str
) -> None:
    assert all(sc < 0.5 for (e, v), sc in _hits(gaz, text).items() if v == value)


def test_when_column_header_is_context_then_weak_term_is_boosted(gaz: Gazetteer) -> None:
    assert _hits(gaz, "Director", "job_title")[("JOB_TITLE", "Director")] >= 0.5
    assert _hits(gaz, "Director", "sku").get(("JOB_TITLE", "Director"), 0) < 0.5


def test_when_limited_to_department_then_titles_not_reported() -> None:
    only = Gazetteer({"DEPARTMENT"})
    assert {h[3] for h in only.detect_lines(["Head of Sales, Human Resources"])} == {"DEPARTMENT"}


def test_when_offsets_reported_then_they_point_into_the_right_line(gaz: Gazetteer) -> None:
    lines = ["nothing here", "ask the CFO", "営業部へ"]
    hits = sorted(gaz.detect_lines(lines))
    assert [(li, lines[li][s:e]) for li, s, e, *_ in hits] == [(1, "CFO"), (2, "営業部")]
