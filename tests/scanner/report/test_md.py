"""Markdown: gap analysis then the disclosure table in the shape of the policy's table."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner.records import ScanResult

Render = Callable[..., str]


@pytest.mark.parametrize(
    ("lang", "header", "row"),
    [
        ("en", "| category | declared | examples declared | examples found | findings | records | sensitive findings "
         "| sensitive records | locations |", "| Commercial information | yes |"),
        ("ja", "| カテゴリ | 開示 | 開示している例 | 検出した例 | 検出数 | レコード数 | センシティブな検出数 "
         "| センシティブなレコード数 | 検出箇所 |", "| 商業的情報 | あり |"),
    ],
    ids=["en", "ja"],
)
def test_when_rendered_then_disclosure_table_has_policy_shape(
    result: ScanResult, render: Render, lang: str, header: str, row: str
) -> None:
    text = render(result, "md", lang=lang)
    assert header in text
    line = next(ln for ln in text.splitlines() if ln.startswith(row))
    # findings, records, sensitive findings, sensitive records: labelled and consistent
    assert line.split(" | ")[-5:-1] == ["3", "1", "3 (100%)", "1"]


def test_when_rendered_then_gap_section_comes_first(result: ScanResult, render: Render) -> None:
    text = render(result, "md")
    assert text.index("## Disclosure gaps") < text.index("## Disclosure table")


def test_when_cell_holds_a_pipe_then_it_is_escaped(render: Render, result: ScanResult) -> None:
    from dataclasses import replace

    res = ScanResult(findings=[replace(f, path="a|b.log") for f in result.findings])
    assert "a\\|b.log" in render(res, "md")
