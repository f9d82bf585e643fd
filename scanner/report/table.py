"""Terminal report, ending with the disclosure gap analysis.

Stats, findings by entity and file, the policy's disclosure table, and last — so it is what
stays on screen — the gap analysis. Colour only on a TTY.
"""

from __future__ import annotations

import unicodedata
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import (
    Summary,
    build_summary,
    entity_label,
    examples_found,
    locations_text,
    ui,
)

_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"
_MAX_CELL = 60


def width(s: str) -> int:
    """Display width in a terminal (East Asian wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _clip(s: str, limit: int = _MAX_CELL) -> str:
    if width(s) <= limit:
        return s
    out, w = "", 0
    for ch in s:
        cw = width(ch)
        if w + cw > limit - 1:
            break
        out += ch
        w += cw
    return out + "…"


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - width(s))


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table (cells clipped to keep lines readable)."""
    rows = [[_clip(str(x)) for x in r] for r in rows]
    widths = ([max(width(str(x)) for x in col) for col in zip(headers, *rows, strict=True)] if rows
              else [width(h) for h in headers])
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(_pad(str(x), w) for x, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


class _Style:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.on else text


def gap_section(s: Summary, color: bool = False) -> list[str]:
    """The disclosure gap analysis as text lines (the report's headline)."""
    lang = s.lang
    paint = _Style(color)
    out = [paint(f"== {ui('gaps_title', lang)} — {ui('policy', lang)}: {s.policy_title} ==", _BOLD)]
    out.append(ui("summary_line", lang).format(n=s.findings, r=s.records, s=s.sensitive, g=len(s.problems)))
    problems = s.problems
    if not problems:
        out.append(paint(ui("gaps_none", lang), _BOLD))
    else:
        rows = [
            [
                ui(f"gap.{g.kind}", lang),
                f"{g.label} [{g.subject}]",
                " / ".join(g.categories) or ui("uncategorized", lang),
                str(g.findings),
                str(g.records),
                str(g.sensitive),
                locations_text(g.locations, 2),
                g.reason,
            ]
            for g in problems
        ]
        table = render_table(
            [ui("gap_kind", lang), ui("entity", lang), ui("category", lang), ui("findings", lang),
             ui("records", lang), ui("sensitive", lang), ui("locations", lang), ui("gap_reason", lang)],
            rows,
        )
        head, sep, *body = table.split("\n")
        out += [head, sep] + [paint(line, _RED) for line in body]
    info = [g for g in s.gaps if g.informational]
    if info:
        out.append(paint(ui("reason.declared_not_found", lang) + ": " + ", ".join(g.label for g in info), _DIM))
    return out


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the terminal report."""
    lang = ctx.lang
    st = result.stats
    paint = _Style(ctx.color)
    out = [paint(ui("title", lang), _BOLD)]
    if st.files_scanned or st.files_skipped or st.files_failed:  # not for re-rendered findings
        out.append(ui("files", lang).format(s=st.files_scanned, k=st.files_skipped, f=st.files_failed,
                                            b=st.bytes_read, c=st.cells_scanned))
    out.append("")
    s = build_summary(result.findings, ctx.policy, lang)
    if not result.findings:
        out.append(ui("none", lang))
    else:
        out.append(ui("entities", lang))
        out.append(render_table(
            [ui("entity", lang), "", ui("count", lang)],
            [[e, entity_label(e, lang), str(n)] for e, n in sorted(s.entities.items(), key=lambda x: (-x[1], x[0]))],
        ))
        out.append("")
        out.append(ui("files_top", lang))
        out.append(render_table([ui("path", lang), ui("count", lang)],
                                [[p, str(n)] for p, n in s.locations.most_common(10)]))
        fired = [r for r in s.rules if r.records]
        if fired:
            out.append("")
            out.append(ui("rules_title", lang))
            out.append(render_table([ui("rule", lang), ui("records", lang)],
                                    [[r.label, str(r.records)] for r in fired]))
    if result.columns:
        rows = [
            [c.path, c.column, c.entity or "-", f"{c.match_ratio:.0%}", str(c.sampled), f"{c.score:.2f}",
             next((e.split(":", 1)[1].split("->")[0] for e in c.evidence if e.startswith("header:")), "-")]
            for c in result.columns
            if c.entity
        ]
        if rows:
            out.append("")
            out.append(ui("columns", lang))
            heads = [ui("path", lang), ui("column", lang), ui("entity", lang), ui("match", lang), ui("sampled", lang),
                     "score", "header"]
            out.append(render_table(heads, rows))
    if result.issues:
        out.append("")
        out.append(paint(ui("issues", lang), _YELLOW))
        out.append(render_table([ui("path", lang), ui("kind", lang), ui("message", lang)],
                                [[i.path, i.kind, i.message] for i in result.issues]))
    out.append("")
    out.append(paint(ui("categories_title", lang), _BOLD))
    out.append(render_table(
        [ui("category", lang), ui("declared", lang), ui("examples_found", lang), ui("records", lang),
         ui("sensitive", lang), ui("locations", lang)],
        [
            [c.label, ui("yes", lang) if c.declared else ui("no", lang), examples_found(c, lang) or "-",
             str(c.records), f"{c.sensitive} ({c.sensitive_share:.0%})" if c.findings else "0",
             locations_text(c.locations, 2) or "-"]
            for c in s.categories
        ],
    ))
    out.append("")
    out += gap_section(s, ctx.color)
    stream.write("\n".join(out) + "\n")
