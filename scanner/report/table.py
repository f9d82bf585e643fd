"""Human summary for the terminal: categories, entities, top files, disclosure gaps, issues."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import summarize, undisclosed_entities

_T = {
    "en": {
        "title": "piimap scan summary",
        "files": "files scanned {s}, skipped {k}, failed {f}; {b} bytes, {c} table cells",
        "cats": "Findings by policy category ({policy})",
        "category": "category",
        "declared": "declared",
        "findings": "findings",
        "records": "records",
        "sensitive": "sensitive",
        "entities": "Findings by entity",
        "entity": "entity",
        "count": "count",
        "files_top": "Top files",
        "gaps": "Disclosure gaps: found but not declared by the policy",
        "nogaps": "Disclosure gaps: none (everything found is declared by the policy)",
        "issues": "Files not (fully) scanned",
        "yes": "yes",
        "no": "NO",
        "none": "No personal data found.",
        "columns": "Column classification",
    },
    "ja": {
        "title": "piimap スキャン結果",
        "files": "スキャン {s} 件、スキップ {k} 件、失敗 {f} 件; {b} バイト、{c} セル",
        "cats": "ポリシーのカテゴリ別 ({policy})",
        "category": "カテゴリ",
        "declared": "開示",
        "findings": "検出数",
        "records": "レコード数",
        "sensitive": "センシティブ",
        "entities": "種類別",
        "entity": "種類",
        "count": "件数",
        "files_top": "検出の多いファイル",
        "gaps": "開示との差異: ポリシーに記載のない個人情報",
        "nogaps": "開示との差異: なし",
        "issues": "スキャンできなかったファイル",
        "yes": "あり",
        "no": "なし",
        "none": "個人情報は見つかりませんでした。",
        "columns": "列の分類",
    },
}


def width(s: str) -> int:
    """Display width in a terminal (East Asian wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - width(s))


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table."""
    widths = [max(width(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [width(h) for h in headers]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(_pad(str(x), w) for x, w in zip(r, widths)).rstrip())
    return "\n".join(lines)


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the terminal summary."""
    t = _T.get(ctx.lang, _T["en"])
    st = result.stats
    out = [t["title"], t["files"].format(s=st.files_scanned, k=st.files_skipped, f=st.files_failed, b=st.bytes_read, c=st.cells_scanned), ""]
    if not result.findings:
        out.append(t["none"])
    else:
        title = ctx.policy.title.get(ctx.lang, ctx.policy.title["en"])
        out.append(t["cats"].format(policy=title))
        cats = summarize(result.findings, ctx.policy, ctx.lang)
        rows = [
            [c.label, t["yes"] if c.declared else t["no"], str(c.findings), str(c.records), str(c.sensitive)]
            for c in cats
        ]
        out.append(render_table([t["category"], t["declared"], t["findings"], t["records"], t["sensitive"]], rows))
        out.append("")
        out.append(t["entities"])
        ents = Counter(f.entity for f in result.findings)
        out.append(render_table([t["entity"], t["count"]], [[e, str(n)] for e, n in sorted(ents.items(), key=lambda x: (-x[1], x[0]))]))
        out.append("")
        out.append(t["files_top"])
        files = Counter(f.path for f in result.findings)
        out.append(render_table(["path", t["count"]], [[p, str(n)] for p, n in files.most_common(10)]))
        out.append("")
        gaps = undisclosed_entities(result.findings, ctx.policy)
        if gaps:
            out.append(t["gaps"])
            out.append(render_table([t["entity"], t["count"]], [[e, str(n)] for e, n in sorted(gaps.items())]))
        else:
            out.append(t["nogaps"])
    if result.columns:
        out.append("")
        out.append(t["columns"])
        rows = [
            [c.path, c.column, c.entity or "-", f"{c.match_ratio:.0%}", str(c.sampled), f"{c.score:.2f}",
             next((e.split(":", 1)[1].split("->")[0] for e in c.evidence if e.startswith("header:")), "-")]
            for c in result.columns
            if c.entity
        ]
        out.append(render_table(["path", "column", t["entity"], "match", "sampled", "score", "header"], rows))
    if result.issues:
        out.append("")
        out.append(t["issues"])
        out.append(render_table(["path", "kind", "message"], [[i.path, i.kind, i.message] for i in result.issues]))
    stream.write("\n".join(out) + "\n")
