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
    examples_found,
    issue_message,
    locations_text,
    sampled_tables,
)

_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"
#: cells wider than this wrap onto more lines (at ", " / "; " / spaces); nothing is cut off
_MAX_CELL = 72
#: rows of "Findings by file / column" before "… +N more"
TOP_LOCATIONS = 10
#: locations listed per gap row / category row in the terminal
GAP_LOCATIONS = 20
#: width of a gap block's wrapped lines (where, why): readable in a 100-column terminal
_GAP_TEXT = 88


def width(s: str) -> int:
    """Display width in a terminal (East Asian wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _tokens(s: str) -> list[str]:
    """`s` split after spaces (each token keeps its separator); a count `(3)` stays with what it
    counts, so that `path:line (3)` is never torn apart."""
    out, cur = [], ""
    for i, ch in enumerate(s):
        cur += ch
        if ch == " " and not s.startswith("(", i + 1):
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def _is_prose(tok: str) -> bool:
    """Mostly wide (Japanese) characters: text without spaces, which may break anywhere."""
    wide = sum(1 for ch in tok if unicodedata.east_asian_width(ch) in "WF")
    return wide * 2 > len(tok.strip())


def _split_wide(tok: str, limit: int) -> list[str]:
    """A long Japanese run in pieces of at most `limit` columns."""
    out, cur = [], ""
    for ch in tok:
        if cur and width(cur + ch) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    return [*out, cur] if cur else out


def wrap(s: str, limit: int = _MAX_CELL) -> list[str]:
    """`s` as lines of at most `limit` columns, broken between words, and anywhere in Japanese
    text (it has no spaces); a longer word (a path) gets a line of its own, whole, so that it
    can be copied."""
    if width(s) <= limit:
        return [s]
    tokens: list[str] = []
    for tok in _tokens(s):
        tokens += _split_wide(tok, limit // 2) if width(tok) > limit // 2 and _is_prose(tok) else [tok]
    lines, cur = [], ""
    for tok in tokens:
        if cur and width(cur + tok.rstrip()) > limit:
            lines.append(cur.rstrip())
            cur = ""
        cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - width(s))


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table; long cells wrap onto continuation lines (never clipped)."""
    cells = [[wrap(str(x)) for x in r] for r in rows]
    widths = [width(h) for h in headers]
    for r in cells:
        for i, lines in enumerate(r):
            widths[i] = max(widths[i], *(width(ln) for ln in lines))
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        for k in range(max(len(c) for c in r)):
            parts = (_pad(c[k] if k < len(c) else "", w) for c, w in zip(r, widths, strict=True))
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


class _Style:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.on else text


def gap_section(s: Summary, color: bool = False) -> list[str]:
    """The disclosure gap analysis as text lines (the report's headline)."""
    lang = s.lang
    ui = s.ui
    paint = _Style(color)
    out = [paint(f"== {ui('gaps_title')} ==", _BOLD), f"{ui('policy')}: {s.policy_title}"]
    out += wrap(s.line(), _GAP_TEXT)
    problems = s.problems
    if not problems:
        out.append(paint(ui("gaps_none"), _BOLD))
    else:
        # one block per gap, not a table row: eight columns with paths and reasons made a
        # table over 200 columns wide; a block reads in any terminal
        for g in problems:
            cats = " / ".join(g.categories) or ui("uncategorized")
            out.append("")
            head_lines = wrap(f"{ui(f'gap.{g.kind}')}  {g.label} [{g.subject}]  — {cats}", _GAP_TEXT)
            out.append(paint(head_lines[0], _RED))
            out += [paint("    " + ln, _RED) for ln in head_lines[1:]]
            out.append("    " + ui("gap_counts").format(n=g.findings, r=g.records, s=g.sensitive))
            for key, text in (("locations", locations_text(g.locations, GAP_LOCATIONS, lang)),
                              ("gap_reason", g.reason)):
                head = f"    {ui(key)}: "
                lines = wrap(text, _GAP_TEXT - width(head))
                out.append(head + lines[0])
                out += [" " * width(head) + ln for ln in lines[1:]]
    info = [g for g in s.gaps if g.informational]
    if info:
        out.append("")
        text = ui("reason.declared_not_found") + ": " + ", ".join(g.label for g in info)
        out += [paint(line, _DIM) for line in wrap(text, _GAP_TEXT)]
    return out


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the terminal report."""
    lang = ctx.lang
    st = result.stats
    paint = _Style(ctx.color)
    s = build_summary(result.findings, ctx.policy, lang)
    ui = s.ui
    out = [paint(ui("title"), _BOLD)]
    if ctx.scanned:  # re-rendered findings (`piimap report`) have no scan counters
        out.append(ui("files").format(s=st.files_scanned, k=st.files_skipped, f=st.files_failed,
                                            b=st.bytes_read, c=st.cells_scanned))
    sampled, most = sampled_tables(result.columns)
    if sampled:
        out.append(paint(ui("sampled_tables").format(n=sampled, r=most), _YELLOW))
    out.append("")
    if not result.findings:
        out.append(ui("none_scanned") if ctx.scanned and not st.files_scanned else ui("none"))
    else:
        out.append(ui("entities"))
        out.append(render_table(
            [ui("entity"), ui("label"), ui("count")],
            [[e, s.entity(e), str(n)] for e, n in sorted(s.entities.items(), key=lambda x: (-x[1], x[0]))],
        ))
        out.append("")
        out.append(ui("files_top"))
        top = sorted(s.locations.items(), key=lambda kv: (-kv[1], kv[0]))
        rows = [[p, str(n)] for p, n in top[:TOP_LOCATIONS]]
        if len(top) > TOP_LOCATIONS:
            rest = top[TOP_LOCATIONS:]
            rows.append([ui("more").format(n=len(rest)), str(sum(n for _, n in rest))])
        out.append(render_table([ui("path"), ui("count")], rows))
        fired = [r for r in s.rules if r.records]
        if fired:
            out.append("")
            out.append(ui("rules_title"))
            out.append(render_table([ui("rule"), ui("records")],
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
            out.append(ui("columns"))
            heads = [ui("path"), ui("column"), ui("entity"), ui("match"), ui("sampled"), ui("score"), ui("header")]
            out.append(render_table(heads, rows))
    if result.issues:
        out.append("")
        out.append(paint(ui("issues"), _YELLOW))
        out.append(render_table([ui("path"), ui("kind"), ui("message")],
                                [[i.path, ui(f"issue.{i.kind}"), issue_message(i.message, lang)]
                                 for i in result.issues]))
    out.append("")
    out.append(paint(ui("categories_title"), _BOLD))
    out.append(render_table(
        [ui("category"), ui("declared"), ui("examples_found"), ui("findings"), ui("records"),
         ui("sensitive_findings"), ui("sensitive_records"), ui("locations")],
        [
            [c.label, ui("yes") if c.declared else ui("no"), examples_found(c, lang, ctx.policy) or "-",
             str(c.findings), str(c.records), f"{c.sensitive} ({c.sensitive_share:.0%})" if c.findings else "0",
             str(c.sensitive_records), locations_text(c.locations, 5, lang) or "-"]
            for c in s.categories
        ],
    ))
    out.append("")
    out += gap_section(s, ctx.color)
    stream.write("\n".join(out) + "\n")
