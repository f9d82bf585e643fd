from __future__ import annotations

import pytest

from scanner.filters import FILTERS, is_reference_expression, suppressed_by


@pytest.mark.parametrize(
    ("value", "line", "expected"),
    [
        ("INFO", "INFO started", "is_log_level"),
        ("INFO Service", "INFO Service started", "is_log_level"),
        ("March", "in March", "is_month_or_weekday"),
        ("Kubernetes", "via Kubernetes", "is_product_or_tech_term"),
        ("JSON API", "the JSON API", "is_product_or_tech_term"),
        ("getUserName", "getUserName failed", "is_code_identifier"),
        ("user_id", "user_id missing", "is_code_identifier"),
        ("Customer", "Customer=42", "is_log_key"),
        ("Jo", "Jo", "is_too_short"),
        ("Customer Success Department", "the Customer Success Department", "is_department_like"),
        ("経営企画部", "所属：経営企画部", "is_department_like"),
        ("John Smith", "Call John Smith today", None),
        ("山田太郎", "山田太郎様", None),
        ("Acme Widgets Inc.", "from Acme Widgets Inc.", None),
        ("May Lee", "Name: May Lee", "is_month_or_weekday"),
        ("UTC", "starts at 02:00 UTC", "is_product_or_tech_term"),
    ],
    ids=[
        "level",
        "level-inside",
        "month",
        "product",
        "products",
        "camel",
        "snake",
        "key",
        "short",
        "dept-en",
        "dept-ja",
        "name-kept",
        "ja-name-kept",
        "org-kept",
        "known-gap-may",
        "timezone",
    ],
)
def test_when_candidate_checked_then_named_filter_decides(
    value: str, line: str, expected: str | None
) -> None:
    start = line.find(value)
    assert suppressed_by(value, line, start, start + len(value)) == expected


def test_when_filters_listed_then_names_are_unique_and_documented() -> None:
    from scanner.filters import LAST_FILTERS

    names = [n for n, _ in FILTERS + LAST_FILTERS]
    assert len(names) == len(set(names))
    for _, pred in FILTERS + LAST_FILTERS:
        assert pred.__doc__


@pytest.mark.parametrize(
    ("value", "entity", "expected"),
    [
        ("Treasury", "ORGANIZATION", "is_lone_latin_word"),
        ("Config", "PERSON", "is_lone_latin_word"),
        ("config v5.3.8", "PERSON", "is_lone_latin_word"),
        ("Margaret Holloway", "PERSON", None),
        ("Lead Data Engineer", "ORGANIZATION", "is_job_title_or_department"),
        ("Bluefin Treasury", "ORGANIZATION", None),
        ("青葉物産", "PERSON", "is_company_like"),
        ("北斗システムズ", "JOB_TITLE", "is_company_like"),
        ("青葉物産", "ORGANIZATION", None),
        ("Acme Widgets Inc.", "ORGANIZATION", None),
        ("高橋 美咲", "PERSON", None),
        ("and departments", "PERSON", "is_lowercase_phrase"),
        ("the policy's categories", "JOB_TITLE", "is_lowercase_phrase"),
        ("related information", "JOB_TITLE", "is_lowercase_phrase"),
        ("van der Berg", "PERSON", None),
        ("Spark DataFrames", "ORGANIZATION", "is_product_or_tech_term"),
        ("顧客", "JOB_TITLE", "is_generic_role"),
        ("スタッフ一同", "JOB_TITLE", "is_generic_role"),
        ("部長", "JOB_TITLE", None),
    ],
    ids=[
        "lone-word-org",
        "lone-word-person",
        "digits-in-person",
        "two-word-person-kept",
        "title-as-org",
        "org-kept-two-words",
        "company-as-person",
        "company-as-title",
        "company-kept",
        "org-kept",
        "person-kept",
        "lowercase-person",
        "lowercase-title",
        "lowercase-title-2",
        "particle-name-kept",
        "tech-org",
        "customer-as-title",
        "staff-as-title",
        "title-kept",
    ],
)
def test_when_entity_specific_filter_applies_then_named(
    value: str, entity: str, expected: str | None
) -> None:
    assert suppressed_by(value, value, 0, len(value), entity) == expected


_TRACE = """Traceback (most recent call last):
  File "/app/db.py", line 12, in connect
      conn = psycopg2.connect(user=cfg.user, password=cfg.password)
    user = authenticate(username=username, password=password)
pwd=self.db_password
login attempt user=alice password=hunter2
"""


def test_when_a_log_quotes_code_then_credential_references_are_not_findings() -> None:
    from recognizers.registry import build_recognizers
    from scanner.detect import Detector

    found = [(d.line, d.entity, d.value) for d in Detector(build_recognizers()).detect_text("app.log", _TRACE, 1)]
    # only the real values: the attribute paths, the call and the key's own name in an
    # argument list say where a credential comes from
    assert found == [
        (6, "USERNAME", "alice"),
        (6, "PASSWORD", "hunter2"),
    ]


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        ("connect(user=cfg.user, password=cfg.password)", "cfg.password)", True),
        ("user = authenticate(username=username)", "authenticate", True),
        ("login(username=username, password=password)", "username", True),
        ("pwd=self.db_password", "self.db_password", True),
        ("password=hunter2", "hunter2", False),
        ("password=Summer.Sale2024", "Summer.Sale2024", False),
        ("password=password", "password", False),
        ("user=alice.smith", "alice.smith", False),
        ("authenticate(user=self.user, password=self._password())", "self._password())", True),
        ("Client(password=get_password())", "get_password())", True),
        ("ldap.bind(user=cfg.bind_dn, password=x)", "cfg.bind_dn", True),
    ],
)
def test_is_reference_expression(line: str, value: str, expected: bool) -> None:
    start = line.index(value, line.index("=") + 1)
    assert is_reference_expression(line, start, start + len(value)) is expected


def test_is_reference_expression_looks_only_near_the_value() -> None:
    # a long line with many keys must cost a bounded look per hit, not a scan of the line: an
    # opening bracket far before the value is not seen (the call it opens is not this value's)
    far = "(" + "x" * 1000 + " password=password,"
    near = "login(user=bob, password=password,"
    assert is_reference_expression(near, near.rindex("password"), len(near) - 1) is True
    assert is_reference_expression(far, far.rindex("password"), len(far) - 1) is False


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        (
            "Nov 26 07:47:00 bastion sshd[9]: pam_unix(sshd:session): session opened for user "
            "kwatanabe(uid=1003) by (uid=0)",
            "kwatanabe",
            False,
        ),
        ("session opened for user tmori(uid=1004, gid=1004)", "tmori", False),
        ("user = get_user(id=5)", "get_user", True),
        ("user=lookup(name=x)", "lookup", True),
        ("session opened for user kwatanabe(get_uid())", "kwatanabe", True),
    ],
    ids=["pam-annotation", "two-pairs", "assigned-call", "assigned-call-no-space", "call-argument"],
)
def test_when_a_name_is_followed_by_key_value_brackets_then_it_is_a_call_only_after_an_assignment(
    line: str, value: str, expected: bool
) -> None:
    start = line.index(value)
    assert is_reference_expression(line, start, start + len(value)) is expected


@pytest.mark.parametrize(
    ("value", "line", "entity", "expected"),
    [
        ("Run Tests", "      - name: Run Tests", "PERSON", "is_action_phrase"),
        ("Notify Slack", "      - name: Notify Slack", "ORGANIZATION", "is_action_phrase"),
        ("Ignore Transfer-Encoding", '    """Ignore Transfer-Encoding when chunked."""', "PERSON", "is_action_phrase"),
        ("Check Point", "We moved the firewalls to Check Point last year", "ORGANIZATION", None),
        ("Apply Digital Labs", "Apply Digital Labs won the bid", "ORGANIZATION", None),
        ("Will Smith", "Will Smith called", "PERSON", None),
        ("Web Server", "name=Web Server", "PERSON", "is_component_name"),
        ("Fair Scheduler", '    """Fair Scheduler for the pool."""', "PERSON", "is_component_name"),
        ("Acme CLI", "//! Acme CLI.", "PERSON", "is_component_name"),
        ("Rachel Page", "author: Rachel Page", "PERSON", None),
        ("ParameterSource", "    source: ParameterSource,", "ORGANIZATION", "is_code_identifier"),
        ("McDonald", "customer: McDonald", "PERSON", None),
        ("DiCaprio", "Mr. DiCaprio", "PERSON", None),
        ("Headers", "section: Headers", "PERSON", "is_single_common_word"),
        ("The Acme", "//! The Acme CLI tool.", "PERSON", "starts_with_article"),
        ("An Nguyen", "Call An Nguyen", "PERSON", None),
        ("Page", "Dr. Page called", "PERSON", None),
        ("部長", "次回の部長会議は3月10日です。", "JOB_TITLE", "is_title_in_compound"),
        ("部長", "部長会議で決定", "JOB_TITLE", "is_title_in_compound"),
        ("課長職以上", "課長職以上の評価様式", "JOB_TITLE", "is_title_in_compound"),
        ("部長", "営業部の部長に確認しました", "JOB_TITLE", None),
        ("副会長", "副会長が出席しました", "JOB_TITLE", None),
        ("社長室長", "社長室長に報告しました", "JOB_TITLE", None),
        ("ご担当者様", "ご担当者様", "JOB_TITLE", "is_generic_role"),
        ("担当者様", "経理部 担当者様", "JOB_TITLE", "is_generic_role"),
        ("鈴木", "「鈴木電機 経理部 御中」", "PERSON", "is_in_company_name"),
        ("鈴木", "鈴木建設に見積もりを依頼", "PERSON", "is_in_company_name"),
        ("青木", "青木 経理部 御中", "PERSON", "is_in_company_name"),
        ("鈴木", "鈴木様から電話がありました", "PERSON", None),
        ("鈴木", "鈴木が経理部に電話した", "PERSON", None),
    ],
    ids=[
        "ci-step",
        "ci-step-org",
        "docstring-imperative",
        "verb-mid-sentence-kept",
        "verb-org-with-org-word-kept",
        "first-name-verb-kept",
        "infra-noun",
        "scheduler",
        "cli",
        "surname-page-kept",
        "camelcase",
        "mc-name-kept",
        "di-name-kept",
        "common-word",
        "article",
        "given-name-an-kept",
        "common-word-after-honorific-kept",
        "title-before-meeting",
        "title-before-meeting-2",
        "title-grade-inside-span",
        "title-kept",
        "vice-chair-kept",
        "office-head-kept",
        "go-tantousha-sama",
        "tantousha-sama",
        "name-in-company",
        "name-before-company-word",
        "onchu-line",
        "person-kept",
        "person-kept-no-onchu",
    ],
)
def test_when_ner_candidate_is_an_action_component_compound_or_company_then_named_filter_drops_it(
    value: str, line: str, entity: str, expected: str | None
) -> None:
    start = line.find(value)
    assert suppressed_by(value, line, start, start + len(value), entity) == expected
