"""Terminal table: the gap analysis is the last section (the headline), colour only on request."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner.records import ColumnProfile, FileIssue, ScanResult

Render = Callable[..., str]


@pytest.mark.parametrize(
    ("lang", "title", "undisclosed"),
    [("en", "Disclosure gaps: what was found", "NOT DISCLOSED"), ("ja", "開示との差異の分析", "未開示")],
    ids=["en", "ja"],
)
def test_when_rendered_then_report_ends_with_gap_table(
    result: ScanResult, render: Render, lang: str, title: str, undisclosed: str
) -> None:
    text = render(result, "table", lang=lang)
    tail = text[text.index(title):]
    assert "JP_MY_NUMBER" in tail and undisclosed in tail
    assert text.rstrip().splitlines()[-1].count("|") == 0  # plain text, not markdown


def test_when_not_a_tty_then_no_ansi_codes(result: ScanResult, render: Render) -> None:
    assert "\033[" not in render(result, "table")


def test_when_colour_requested_then_gap_rows_are_red(result: ScanResult, render: Render) -> None:
    text = render(result, "table", color=True)
    assert "\033[31m" in text


def test_when_rendered_then_no_raw_values_leak(result: ScanResult, render: Render) -> None:
    text = render(result, "table")
    for raw in ("hunter2", "4111111111111111", "123456789018", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"):
        assert raw not in text


def test_when_nothing_found_then_says_so(render: Render) -> None:
    res = ScanResult()
    res.stats.files_scanned = 3
    text = render(res, "table", lang="ja")
    assert "個人情報は見つかりませんでした" in text


def test_when_no_file_was_scanned_then_the_report_does_not_read_as_a_pass(render: Render) -> None:
    # a folder holding only skipped files: "no personal data found" would read as a clean pass
    res = ScanResult(issues=[FileIssue("venv.tar", "skipped", "binary content")])
    res.stats.files_skipped = 1
    for fmt in ("table", "md"):
        text = render(res, fmt)
        assert "No file was scanned: nothing was checked" in text
        assert "No personal data found" not in text


def test_when_tables_were_sampled_then_the_report_says_findings_cover_the_sample(render: Render) -> None:
    res = ScanResult()
    res.stats.files_scanned = 2
    res.columns = [
        ColumnProfile("big.csv", "email", None, (), False, 0.0, 1000, ("mode:sample",)),
        ColumnProfile("small.csv", "email", None, (), False, 0.0, 200,
                      ("mode:sample", "sample:every row (200 rows; ...)")),
    ]
    for fmt in ("table", "md"):
        assert "1 tables were sampled (1000 rows at most each)" in render(res, fmt)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_when_gaps_are_listed_then_each_is_a_block_that_fits_a_terminal(
    result: ScanResult, render: Render, lang: str
) -> None:
    from scanner.report.table import width

    text = render(result, "table", lang=lang)
    title = "Disclosure gaps" if lang == "en" else "開示との差異の分析"
    gaps = text[text.index(title):].splitlines()
    # a block per gap: a headline naming the entity, then indented counts, locations and reason
    heads = [i for i, line in enumerate(gaps) if "[JP_MY_NUMBER]" in line]
    assert heads and all(gaps[i + 1].startswith("    ") for i in heads)
    # nothing wider than a terminal but a single location too long to break (a temp-dir path)
    wide = [line.strip() for line in gaps if width(line) > 100]
    assert all(line.count(" ") <= 2 and line.rstrip(",").endswith(")") for line in wide), wide
