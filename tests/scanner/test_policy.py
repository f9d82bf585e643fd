"""Policies as data: the built-in profiles, their labels, and clear errors for broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.policy import builtin_policies, load_policy

CONF = Path(__file__).parent / "conf"


def test_when_listing_builtins_then_california_china_and_japan_ship() -> None:
    assert {"california", "china", "japan"} <= set(builtin_policies())


@pytest.mark.parametrize("name", ["california", "china", "japan"], ids=["california", "china", "japan"])
@pytest.mark.parametrize("lang", ["en", "ja"], ids=["en", "ja"])
def test_when_builtin_loads_then_every_category_has_a_label_in_both_languages(name: str, lang: str) -> None:
    pol = load_policy(name)
    for cat in pol.categories:
        assert cat.label.get(lang), f"{name}:{cat.id} has no {lang} label"
        if cat.declared and name != "japan":  # japan's section gives no examples (tested below)
            assert cat.declared_examples.get(lang), f"{name}:{cat.id} declares no {lang} examples"
    assert pol.title.get(lang)


@pytest.mark.parametrize(
    ("cat_id", "ja", "entities"),
    [
        ("name", "氏名", {"PERSON"}),
        ("address", "住所", {"ADDRESS"}),
        ("phone_number", "電話番号", {"PHONE_NUMBER"}),
        ("email_address", "メールアドレス", {"EMAIL_ADDRESS"}),
        ("company_name", "会社名", {"ORGANIZATION"}),
        ("department", "部署名", {"DEPARTMENT"}),
        ("job_title", "役職", {"JOB_TITLE"}),
        ("inquiry_content", "お問い合わせ内容", {"INQUIRY_CONTENT"}),
        ("product_serial", "製品シリアル情報", {"PRODUCT_SERIAL"}),
    ],
    ids=["name", "address", "phone", "email", "company", "department", "title", "inquiry", "serial"],
)
def test_when_china_loads_then_its_list_is_declared_with_the_sections_labels(
    cat_id: str, ja: str, entities: set[str]
) -> None:
    cat = load_policy("china").category(cat_id)
    assert cat.declared
    assert cat.label["ja"] == ja
    assert entities <= cat.declared_entities


@pytest.mark.parametrize(
    ("policy", "entity", "declared"),
    [
        ("china", "EMAIL_ADDRESS", True),
        ("china", "CREDIT_CARD", False),
        ("china", "IP_ADDRESS", False),
        ("china", "JP_MY_NUMBER", False),
        ("japan", "JP_MY_NUMBER", True),
        ("japan", "API_KEY", False),
        ("california", "JP_MY_NUMBER", False),
        ("california", "US_SSN", False),
        ("california", "PASSWORD", True),
        ("california", "CARD_SECURITY_CODE", True),
    ],
    ids=["cn-email", "cn-card-no", "cn-ip-no", "cn-mynumber-no", "jp-mynumber", "jp-apikey-no",
         "ca-mynumber-no", "ca-ssn-no", "ca-password", "ca-cvv"],
)
def test_when_asking_is_declared_then_the_profile_answers(policy: str, entity: str, declared: bool) -> None:
    assert load_policy(policy).is_declared(entity) is declared


def test_when_japan_loads_then_my_number_is_specific_personal_information_and_sensitive() -> None:
    pol = load_policy("japan")
    assert pol.categories_for("JP_MY_NUMBER") == ("specific_personal_information",)
    assert pol.category("specific_personal_information").label["ja"].startswith("特定個人情報")
    assert "JP_MY_NUMBER" in pol.sensitive_entities


@pytest.mark.parametrize("name", ["california", "china", "japan"], ids=["california", "china", "japan"])
def test_when_card_entities_mapped_then_card_rule_marks_them(name: str) -> None:
    pol = load_policy(name)
    assert pol.categories_for("CARD_SECURITY_CODE")
    rule = next(r for r in pol.record_rules if r.id == "card_with_security_data")
    assert {"CARD_SECURITY_CODE", "CARD_EXPIRY", "CREDIT_CARD"} <= rule.marks


def test_when_policy_file_given_by_path_then_it_loads() -> None:
    pol = load_policy(str(CONF / "good_policy.yaml"))
    assert pol.id == "tiny"
    assert pol.categories_for("PHONE_NUMBER") == ("contact",)
    assert pol.is_declared("EMAIL_ADDRESS") and not pol.is_declared("PHONE_NUMBER")


@pytest.mark.parametrize(
    ("filename", "line", "words"),
    [
        ("bad_yaml_syntax.yaml", 5, "invalid YAML"),
        ("bad_unknown_key.yaml", 3, "declard"),
        ("bad_unknown_entity.yaml", 3, "EMAIL_ADRESS"),
        ("bad_rule_category.yaml", 6, "nowhere"),
        ("bad_duplicate_category.yaml", 5, "duplicate"),
        ("bad_declared_not_bool.yaml", 3, "declared"),
        ("bad_categories_not_list.yaml", 3, "must be a non-empty list"),
        ("bad_category_scalar.yaml", 3, "mapping with an 'id'"),
        ("bad_label_comma.yaml", 3, "quote labels"),
    ],
    ids=["syntax", "unknown-key", "unknown-entity", "rule-category", "duplicate", "not-bool", "not-list", "scalar",
         "label-comma"],
)
def test_when_policy_is_malformed_then_error_names_file_and_line(filename: str, line: int, words: str) -> None:
    path = CONF / filename
    with pytest.raises(ConfigError) as err:
        load_policy(str(path))
    msg = str(err.value)
    assert msg.startswith(f"{path}:{line}:"), msg
    assert words in msg


def test_when_policy_name_unknown_then_error_lists_builtins() -> None:
    with pytest.raises(ConfigError, match="california"):
        load_policy("atlantis")
