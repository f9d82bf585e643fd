"""CSV: one row per category of the policy."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from scanner.records import ScanResult

Render = Callable[..., str]


@pytest.mark.parametrize(("lang", "examples_col"), [("en", "examples found"), ("ja", "検出した例")], ids=["en", "ja"])
def test_when_rendered_then_one_row_per_category(
    result: ScanResult, render: Render, lang: str, examples_col: str
) -> None:
    text = render(result, "csv", lang=lang)
    assert text.startswith("\ufeff") == (lang == "ja")  # a BOM for Excel with --lang ja only
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["category_id"] for r in rows] == [
        "identifiers", "commercial_information", "internet_activity", "professional_information",
        "sensitive_personal_information",
    ]
    com = rows[1]
    assert "credit card" in com[examples_col] or "クレジットカード" in com[examples_col]
    ident = rows[0]
    assert "My Number" in ident[list(ident)[-1]] or "マイナンバー" in ident[list(ident)[-1]]


def test_when_china_policy_then_rows_follow_its_list(result: ScanResult, render: Render) -> None:
    from scanner.classify import reclassify
    from scanner.policy import load_policy

    res = ScanResult(findings=reclassify(result.findings, load_policy("china")))
    rows = list(csv.DictReader(io.StringIO(render(res, "csv", policy="china"))))
    email = next(r for r in rows if r["category_id"] == "email_address")
    assert email["findings"] == "2"
