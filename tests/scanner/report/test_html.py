"""HTML report: self-contained, and checked in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.records import ScanResult
from scanner.report.html_report import MAX_ROWS

Render = Callable[..., str]
REPO = Path(__file__).parents[3]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"


def chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Open `page` in headless chromium (no network, throwaway profile); console goes to stderr."""
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, page.as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    """Console output and JS exceptions chromium logged for the page."""
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


def test_when_page_throws_then_the_console_check_sees_it(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><script>undefinedFn();</script></body></html>", "utf-8")
    proc = chromium(page, tmp_path / "profile", "--dump-dom")
    assert any("undefinedFn" in m for m in console_messages(proc.stderr))


@pytest.mark.parametrize("lang", ["en", "ja"], ids=["en", "ja"])
def test_when_report_of_sample_data_opens_in_chromium_then_charts_render_without_errors(
    scan: Callable[..., ScanResult], corpus: Path, render: Render, tmp_path: Path, lang: str
) -> None:
    paths: list[Path] = [corpus]
    sample = REPO / "sample_data"
    if sample.is_dir() and any(sample.iterdir()):  # the shared fixture, when present on this branch
        paths.append(sample)
    result = scan(paths)
    page = tmp_path / f"report-{lang}.html"
    page.write_text(render(result, "html", lang=lang), "utf-8")
    proc = chromium(page, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=2000")
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert console_messages(proc.stderr) == []
    assert f'<html lang="{lang}">' in dom
    # gap analysis first, then the charts: two inline SVGs with one bar per category
    assert dom.index('id="gaps"') < dom.index('id="charts"') < dom.index('id="drilldown"')
    svgs = re.findall(r'<svg class="chart-svg".*?</svg>', dom, re.S)
    assert len(svgs) == 2
    assert svgs[0].count('class="bar"') == 5  # the California policy's five categories
    # the script ran: the row counter was filled in
    shown = re.search(r'<span id="shown"[^>]*>([^<]+)</span>', dom)
    assert shown and str(min(len(result.findings), MAX_ROWS)) in shown.group(1)
    assert "JP_MY_NUMBER" in dom[dom.index('id="gaps"'):dom.index('id="charts"')]


def test_when_rendered_then_self_contained_and_masked(result: ScanResult, render: Render) -> None:
    html = render(result, "html")
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)=', html)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "default-src 'none'" in html
    for raw in ("hunter2", "4111111111111111", "123456789018", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"):
        assert raw not in html


def test_when_screenshot_taken_then_png_is_written(result: ScanResult, render: Render, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render(result, "html"), "utf-8")
    shot = tmp_path / "report.png"
    proc = chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1800")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page is a few KB
