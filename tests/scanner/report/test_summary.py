"""The disclosure gap analysis (one implementation for every reporter)."""

from __future__ import annotations

import pytest

from scanner.classify import reclassify
from scanner.policy import load_policy
from scanner.records import ScanResult
from scanner.report.summary import build_summary


def _gaps(res: ScanResult, policy: str, lang: str = "en") -> dict[tuple[str, str], object]:
    pol = load_policy(policy)
    s = build_summary(reclassify(res.findings, pol), pol, lang)
    return {(g.kind, g.subject): g for g in s.gaps}


def test_when_my_number_and_api_key_found_then_california_flags_them_undisclosed(result: ScanResult) -> None:
    gaps = _gaps(result, "california")
    assert ("undisclosed", "JP_MY_NUMBER") in gaps
    assert ("undisclosed", "API_KEY") in gaps
    assert ("undisclosed", "EMAIL_ADDRESS") not in gaps


def test_when_password_in_a_log_then_plaintext_gap_even_though_declared(result: ScanResult) -> None:
    gaps = _gaps(result, "california")
    assert ("plaintext", "PASSWORD") in gaps
    assert ("undisclosed", "PASSWORD") not in gaps


def test_when_category_declared_but_nothing_found_then_informational_gap(result: ScanResult) -> None:
    gaps = _gaps(result, "california")
    gap = gaps[("declared_not_found", "internet_activity")]
    assert gap.informational  # type: ignore[attr-defined]


def test_when_china_policy_then_card_and_ip_are_undisclosed_but_email_is_not(result: ScanResult) -> None:
    gaps = _gaps(result, "china")
    assert ("undisclosed", "CREDIT_CARD") in gaps
    assert ("undisclosed", "IP_ADDRESS") in gaps
    assert ("undisclosed", "EMAIL_ADDRESS") not in gaps


def test_when_japan_policy_then_my_number_is_declared_and_api_key_is_not(result: ScanResult) -> None:
    gaps = _gaps(result, "japan")
    assert ("undisclosed", "JP_MY_NUMBER") not in gaps
    assert ("plaintext", "JP_MY_NUMBER") in gaps
    assert ("undisclosed", "API_KEY") in gaps


@pytest.mark.parametrize(("lang", "label"), [("en", "Commercial information"), ("ja", "商業的情報")], ids=["en", "ja"])
def test_when_summarised_then_category_counts_records_and_sensitive_share(
    result: ScanResult, lang: str, label: str
) -> None:
    pol = load_policy("california")
    s = build_summary(result.findings, pol, lang)
    com = s.category("commercial_information")
    assert com.label == label
    assert (com.findings, com.records, com.sensitive) == (3, 1, 3)
    assert com.sensitive_share == 1.0
    assert com.entities == {"CREDIT_CARD": 1, "CARD_SECURITY_CODE": 1, "CARD_EXPIRY": 1}
    assert {r.id: r.records for r in s.rules} == {
        "credential": 1, "card_with_security_data": 1, "account_with_password": 0
    }


def test_when_nothing_found_then_no_problem_gaps() -> None:
    s = build_summary([], load_policy("california"))
    assert s.problems == []
    assert all(g.kind == "declared_not_found" for g in s.gaps)


def test_when_labels_loaded_then_every_entity_and_string_has_both_languages() -> None:
    from scanner.policy import known_entities
    from scanner.report.summary import _labels

    labels = _labels()
    assert known_entities() <= set(labels["entities"])
    for section in ("entities", "ui"):
        for key, entry in labels[section].items():
            assert set(entry) == {"en", "ja"} and all(isinstance(v, str) and v for v in entry.values()), key
