"""Record-level sensitive rules (policy `record_rules`, applied per line/row in classify)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.classify import classify, reclassify, rule_records
from scanner.policy import load_policy
from scanner.records import Detection, ScanResult


def _det(entity: str, line: int | None = 1, row: int | None = None, path: str = "f.log", value: str = "v") -> Detection:
    return Detection(path=path, line=line, row=row, column=None if row is None else "c", start=0, end=1,
                     entity=entity, score=1.0, recognizer="test", value=value)


@pytest.mark.parametrize(
    ("entities", "sensitive"),
    [
        (["USERNAME", "PASSWORD"], {"USERNAME": True, "PASSWORD": True}),
        (["EMAIL_ADDRESS", "PASSWORD"], {"EMAIL_ADDRESS": True, "PASSWORD": True}),
        (["EMAIL_ADDRESS"], {"EMAIL_ADDRESS": False}),
        (["USERNAME"], {"USERNAME": False}),
        (["CREDIT_CARD"], {"CREDIT_CARD": False}),
        (["CREDIT_CARD", "CARD_SECURITY_CODE"], {"CREDIT_CARD": True, "CARD_SECURITY_CODE": True}),
        (["CREDIT_CARD", "CARD_EXPIRY"], {"CREDIT_CARD": True, "CARD_EXPIRY": True}),
        (["CARD_EXPIRY"], {"CARD_EXPIRY": False}),
        (["BANK_ACCOUNT", "PASSWORD"], {"BANK_ACCOUNT": True, "PASSWORD": True}),
    ],
    ids=["user+password", "email+password", "email-alone", "user-alone", "card-alone", "card+cvv",
         "card+expiry", "expiry-alone", "account+password"],
)
def test_when_entities_share_a_line_then_record_rules_decide_sensitivity(
    entities: list[str], sensitive: dict[str, bool]
) -> None:
    findings = classify([_det(e) for e in entities], load_policy("california"))
    assert {f.entity: f.sensitive for f in findings} == sensitive


def test_when_card_and_cvv_are_on_different_lines_then_not_sensitive() -> None:
    findings = classify([_det("CREDIT_CARD", line=1), _det("CARD_SECURITY_CODE", line=2)], load_policy("california"))
    assert [f.sensitive for f in findings] == [False, False]


def test_when_card_and_cvv_share_a_table_row_then_sensitive() -> None:
    findings = classify([_det("CREDIT_CARD", line=None, row=4), _det("CARD_SECURITY_CODE", line=None, row=4),
                         _det("CREDIT_CARD", line=None, row=5)], load_policy("california"))
    assert [f.sensitive for f in findings] == [True, True, False]


def test_when_rule_fires_then_finding_gains_the_rules_category() -> None:
    [card, _] = classify([_det("CREDIT_CARD"), _det("CARD_SECURITY_CODE")], load_policy("california"))
    assert card.categories == ("commercial_information", "sensitive_personal_information")


def test_when_counting_rule_records_then_each_line_counts_once() -> None:
    dets = [_det("USERNAME", line=1), _det("PASSWORD", line=1), _det("PASSWORD", line=1),
            _det("USERNAME", line=2), _det("PASSWORD", line=3)]
    fired = rule_records(dets, load_policy("california"))
    assert fired["credential"] == {("f.log", 1, None)}
    assert fired["card_with_security_data"] == set()


def test_when_reclassified_for_another_policy_then_categories_follow_it() -> None:
    findings = classify([_det("EMAIL_ADDRESS"), _det("IP_ADDRESS")], load_policy("california"))
    china = reclassify(findings, load_policy("china"))
    assert [f.categories for f in china] == [("email_address",), ("online_identifiers",)]
    assert [f.preview for f in china] == [f.preview for f in findings]


def test_when_log_line_holds_card_cvv_and_expiry_then_all_three_are_sensitive(
    scan: Callable[..., ScanResult], corpus: Path
) -> None:
    result = scan([corpus / "app.log"])
    line2 = {f.entity: f for f in result.findings if f.line == 2}
    assert set(line2) == {"CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY"}
    assert all(f.sensitive for f in line2.values())
    assert line2["CARD_SECURITY_CODE"].preview == "********"
    assert "123" not in line2["CARD_SECURITY_CODE"].preview
