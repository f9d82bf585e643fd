"""The compliance reviewer's findings: per-(category, entity) gaps, table cells stored readable,
actionable locations, escaping, Japanese wording, per-policy labels, SARIF locations."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from scanner.classify import reclassify
from scanner.cli import main
from scanner.errors import ConfigError
from scanner.gate import parse_fail_on
from scanner.policy import load_policy, parse_policy
from scanner.records import FileIssue, Finding, ScanResult
from scanner.report.summary import build_summary

Render = Callable[..., str]
SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _f(entity: str, path: str = "app.log", line: int | None = 1, row: int | None = None,
       column: str | None = None) -> Finding:
    return Finding(path, line, row, column, 0, 4, entity, (), False, 1.0, "test", "****")


def _result(findings: list[Finding], policy: str = "california", issues: list[FileIssue] | None = None) -> ScanResult:
    return ScanResult(findings=reclassify(findings, load_policy(policy)), issues=issues or [])


def _card_table() -> list[Finding]:
    # a table row: username + password + card + cvv, all in cells
    return [_f(e, "accounts.tsv", None, 0, c) for e, c in
            [("USERNAME", "user"), ("PASSWORD", "password"), ("CREDIT_CARD", "card_no"), ("CARD_SECURITY_CODE", "cvv")]]


# -- 1. table cells are data stored readable -------------------------------------------------

def test_when_sensitive_finding_is_in_a_table_cell_then_plaintext_gap_names_file_and_column() -> None:
    res = _result(_card_table())
    s = build_summary(res.findings, load_policy("california"))
    gap = next(g for g in s.gaps if g.kind == "plaintext" and g.subject == "PASSWORD")
    assert gap.locations == [("accounts.tsv:password", 1)]


# -- 2. per-(category, entity) disclosure ---------------------------------------------------

def test_when_card_stored_with_cvv_then_gap_under_sensitive_category_says_where_it_is_declared() -> None:
    pol = load_policy("california")
    res = _result(_card_table())
    s = build_summary(res.findings, pol)
    gap = next(g for g in s.gaps if g.kind == "undisclosed" and g.subject == "CREDIT_CARD")
    assert gap.category == "sensitive_personal_information"
    assert gap.reason.startswith("filed under Sensitive personal information (Card number with security code")
    assert "which the policy declares only as ID and password" in gap.reason
    assert "declared under Commercial information" in gap.reason
    card = next(f for f in res.findings if f.entity == "CREDIT_CARD")
    assert parse_fail_on("undisclosed", pol).matches(card)
    # a card alone (no record rule) is declared
    assert not parse_fail_on("undisclosed", pol).matches(_result([_f("CREDIT_CARD")]).findings[0])


def test_when_address_found_then_gap_under_identifiers_only() -> None:
    pol = load_policy("california")
    assert set(pol.categories_for("ADDRESS")) == {"identifiers", "professional_information"}
    s = build_summary(_result([_f("ADDRESS")]).findings, pol)
    gaps = [g for g in s.gaps if g.kind == "undisclosed"]
    assert [(g.subject, g.category) for g in gaps] == [("ADDRESS", "identifiers")]
    assert "declared under Professional or employment-related information" in gaps[0].reason


@pytest.mark.parametrize("name", ["california", "china", "japan"])
def test_when_builtin_loads_then_declared_entities_are_filed_in_their_category(name: str) -> None:
    pol = load_policy(name)
    for cat in pol.categories:
        by_rule = {e for r in pol.record_rules if r.category == cat.id for e in r.marks}
        assert cat.declared_entities <= cat.entities | by_rule, cat.id


def test_when_a_category_declares_an_entity_it_does_not_file_then_load_fails() -> None:
    text = ("id: t\ncategories:\n  - id: pro\n    declared: true\n    declared_entities: [ADDRESS]\n"
            "    entities: [JOB_TITLE]\n")
    with pytest.raises(ConfigError, match=r"t.yaml:3: category 'pro' declares \['ADDRESS'\]"):
        parse_policy(text, "t.yaml")


# -- 3. findings vs records -----------------------------------------------------------------

def test_when_html_rendered_then_cards_and_category_table_label_findings_and_records(render: Render) -> None:
    html = render(_result(_card_table()), "html")
    assert "sensitive findings</div>" in html and "sensitive records</div>" in html
    assert "<th>findings</th><th>records</th><th>sensitive findings</th><th>sensitive records</th>" in html


# -- 4. Japan profile -------------------------------------------------------------------------

def test_when_japan_profile_then_no_borrowed_examples_and_its_own_terms(render: Render) -> None:
    pol = load_policy("japan")
    assert all(not c.declared_examples for c in pol.categories)
    for e in ("PASSPORT", "DRIVER_LICENSE", "US_SSN", "BANK_ACCOUNT", "PRODUCT_SERIAL"):
        assert pol.is_declared(e), e
    assert pol.category("person_related_information").label["en"] == "Personally referable information"
    res = _result([_f("JP_MY_NUMBER"), _f("PERSON"), _f("JP_CORPORATE_NUMBER", line=2)], "japan")
    md = render(res, "md", policy="japan", lang="ja")
    assert "センシティブ" not in md and "要配慮" not in md
    assert "(例示なし)" in md and "氏名、メールアドレス" not in md
    assert "JP_CORPORATE_NUMBER" not in md.split("## 開示表")[0]  # not personal information: no gap


@pytest.mark.parametrize(("policy", "category"), [("california", "professional_information"),
                                                  ("china", "company_name")])
def test_when_corporate_number_then_filed_and_declared_like_the_company_name(policy: str, category: str) -> None:
    pol = load_policy(policy)
    assert pol.categories_for("JP_CORPORATE_NUMBER") == pol.categories_for("ORGANIZATION") == (category,)
    assert pol.is_declared("JP_CORPORATE_NUMBER")


# -- 5. China profile -----------------------------------------------------------------------

def test_when_china_profile_then_survey_answers_declared_and_cards_sensitive() -> None:
    pol = load_policy("china")
    survey = pol.category("survey_answers")
    assert survey.declared and survey.label["ja"] == "アンケート回答内容"
    assert {"CREDIT_CARD", "CARD_EXPIRY", "CARD_SECURITY_CODE", "BANK_ACCOUNT"} <= pol.sensitive_entities


# -- 6. actionable locations ------------------------------------------------------------------

def test_when_gap_has_many_locations_then_md_and_html_list_all_with_lines(render: Render) -> None:
    res = _result([_f("API_KEY", "app.log", n) for n in range(1, 13)])
    md = render(res, "md")
    assert "app.log:12 (1)" in md and "+" not in md.split("## Disclosure table")[0].split("API_KEY")[1]
    assert md.index("app.log:2 (1)") < md.index("app.log:10 (1)")  # by line, numerically
    assert "app.log:12 (1)" in render(res, "html")


def test_when_table_report_has_long_paths_then_they_are_wrapped_not_cut(render: Render) -> None:
    path = "data/lake/" + "very_long_folder_name/" * 4 + "part-0.log"
    text = render(_result([_f("API_KEY", path, 7)]), "table")
    assert f"{path}:7 (1)" in text
    assert "sensitive data stored readable" in text or "also stored readable" in text


# -- 7. Markdown escaping -----------------------------------------------------------------------

def test_when_paths_hold_markup_then_md_renders_text() -> None:
    from scanner.report.md import escape_md

    evil = '<script>alert(1)</x"onmouseover=alert(2) .log'
    assert "<" not in escape_md(evil) and "&lt;script&gt;" in escape_md(evil)
    assert escape_md("[click](https___evil.example)") == "\\[click\\](https\\_\\_\\_evil.example)"
    assert escape_md("`a` *b*") == "\\`a\\` \\*b\\*"


def test_when_md_rendered_then_file_and_column_names_are_escaped(render: Render) -> None:
    res = _result([_f("API_KEY", "<b>x</b>.log"), _f("PASSWORD", "t.csv", None, 0, "[click](http://e)")])
    md = render(res, "md")
    assert "<b>" not in md and "[click]" not in md and "\\[click\\]" in md


# -- 8. Japanese output and per-policy labels -------------------------------------------------

def test_when_csv_in_japanese_then_declared_column_is_translated(render: Render) -> None:
    text = render(_result([_f("EMAIL_ADDRESS")]), "csv", lang="ja")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r[2] for r in rows[1:]} == {"あり"}


def test_when_md_in_japanese_then_issue_kind_and_message_are_translated(render: Render) -> None:
    res = _result([_f("EMAIL_ADDRESS")], issues=[FileIssue("empty.csv", "skipped", "empty file")])
    assert "| empty.csv | スキップ | 空のファイル |" in render(res, "md", lang="ja")


def test_when_china_report_then_entity_labels_use_the_sections_words(render: Render) -> None:
    res = _result([_f("DEPARTMENT"), _f("JOB_TITLE", line=2), _f("ORGANIZATION", line=3)], "china")
    md = render(res, "md", policy="china", lang="ja")
    assert "部署名 (1)" in md and "役職 (1)" in md and "会社名 (1)" in md
    assert "所属部署" not in md and "役職名" not in md and "企業名" not in md


def test_when_html_drilldown_then_rows_are_one_based_in_their_own_column(render: Render) -> None:
    html = render(_result([_f("EMAIL_ADDRESS", "t.csv", None, 0, "email")]), "html", lang="ja")
    assert "<th>行番号</th><th>レコード</th>" in html
    assert "<td class=\"n\"></td><td class=\"n\">1</td><td>email</td>" in html
    assert "#0" not in html


# -- 9. nothing lost silently ----------------------------------------------------------------------

def test_when_report_asked_for_columns_then_usage_error_says_why(tmp_path: Path) -> None:
    saved = tmp_path / "f.jsonl"
    saved.write_text(json.dumps(_f("EMAIL_ADDRESS").to_dict()) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["report", str(saved), "--format", "columns"])
    assert res.exit_code == 2
    assert "no column profiles" in res.output


def test_when_report_json_of_saved_findings_then_files_scanned_is_unknown(tmp_path: Path) -> None:
    saved = tmp_path / "f.jsonl"
    saved.write_text("".join(json.dumps(_f("EMAIL_ADDRESS", p).to_dict()) + "\n" for p in ("a", "b", "a")),
                     encoding="utf-8")
    res = CliRunner().invoke(main, ["report", str(saved), "--format", "json"])
    stats = json.loads(res.output)["stats"]
    assert stats["files_scanned"] is None and stats["files_with_findings"] == 2


def test_when_a_reader_logs_a_warning_then_md_lists_it(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "logins.jsonl").write_text('{"email": "a@corp.example.org"}\n{not json\n', encoding="utf-8")
    res = runner.invoke(main, ["scan", "--workers", "1", "--nlp", "off", str(tmp_path), "--format", "md"])
    assert "| warning | 1 lines are not valid JSON" in res.output


# -- 10. SARIF locations -------------------------------------------------------------------------

def test_when_sarif_then_partition_paths_archive_members_and_columns_are_valid(render: Render) -> None:
    res = _result([_f("EMAIL_ADDRESS", "events/dt=2024-10-01/part-0.parquet", None, 3, "email"),
                   _f("PASSWORD", "logs.tar.gz!/app/app.log", 12)])
    doc = json.loads(render(res, "sarif"))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    table, member = doc["runs"][0]["results"]
    loc = table["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "events/dt=2024-10-01/part-0.parquet"
    assert loc["logicalLocations"] == [{"name": "email", "fullyQualifiedName": "email[3]", "kind": "property"}]
    mloc = member["locations"][0]
    assert mloc["physicalLocation"] == {"artifactLocation": {"uri": "logs.tar.gz"}}
    assert member["properties"]["archiveMember"] == "/app/app.log" and member["properties"]["line"] == 12


# -- 11. minor ---------------------------------------------------------------------------------------

def test_when_fail_on_invalid_then_message_names_the_option_once(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    res = runner.invoke(main, ["scan", "--workers", "1", "--nlp", "off", str(tmp_path), "--fail-on", "FOO"])
    assert res.exit_code == 2 and res.output.count("--fail-on") == 1


def test_when_many_locations_then_table_says_how_many_more(render: Render) -> None:
    res = _result([_f("EMAIL_ADDRESS", f"f{n:02}.log") for n in range(13)])
    text = render(res, "table")
    assert "… +3 more  3" in text
    assert "entity         label" in text


# -- 11. Japan and China wording; plaintext rows apart from disclosure gaps --------------------

def _my_number_row() -> list[Finding]:
    # a roster row: name, phone and My Number in one table row (the my_number_with_name rule)
    return [_f(e, "ledger.csv", None, 0, c) for e, c in
            [("PERSON", "氏名"), ("PHONE_NUMBER", "電話番号"), ("JP_MY_NUMBER", "マイナンバー")]]


def test_when_a_rule_marks_contact_data_then_its_plaintext_row_names_the_rule_category() -> None:
    pol = load_policy("japan")
    s = build_summary(_result(_my_number_row(), "japan").findings, pol, "ja")
    rows = {g.subject: g for g in s.gaps if g.kind == "plaintext"}
    assert set(rows) == {"PERSON", "PHONE_NUMBER", "JP_MY_NUMBER"}
    # the name is 特定個人情報 because it sits with a My Number, as the category table says
    assert rows["PERSON"].categories == ["個人情報", "特定個人情報(マイナンバー)"]
    assert rows["JP_MY_NUMBER"].categories == ["特定個人情報(マイナンバー)"]
    assert s.category("specific_personal_information").entities["PERSON"] == 1


def test_when_everything_is_declared_then_the_headline_counts_no_disclosure_gap() -> None:
    pol = load_policy("japan")
    s = build_summary(_result(_my_number_row(), "japan").findings, pol, "ja")
    assert [g.kind for g in s.problems] == ["plaintext"] * 3
    assert "開示との差異 0 件" in s.line() and "平文保存の要慎重取扱い情報 3 種類" in s.line()
    en = build_summary(_result(_my_number_row(), "japan").findings, pol, "en").line()
    assert "0 disclosure gaps; 3 kinds of data to handle with care stored readable" in en


@pytest.mark.parametrize("policy", ["japan", "china"])
def test_when_a_policy_renames_sensitive_then_no_japanese_string_keeps_the_default_word(policy: str) -> None:
    # California's word (センシティブ) must not leak into a policy that has its own (要慎重取扱い, 機微)
    from scanner.report.summary import _labels, ui

    pol = load_policy(policy)
    assert "センシティブ" not in ui("sensitive", "ja", pol)
    leaked = [key for key in _labels()["ui"] if "センシティブ" in ui(key, "ja", pol)]
    assert leaked == []


@pytest.mark.parametrize(("policy", "word"), [("japan", "要慎重取扱い"), ("china", "機微")])
def test_when_japanese_table_report_then_gap_counts_use_the_policy_word(
    render: Render, policy: str, word: str
) -> None:
    out = render(_result(_card_table() + _my_number_row(), policy), "table", policy, "ja")
    assert "センシティブ" not in out
    assert word in out
