"""Markdown: the gap analysis, then the disclosure table in the shape of the policy's table.

Every cell is escaped so that a Markdown viewer renders file and column names as text: HTML
(`<`, `>`, `&` as entities), links and images (`[`, `]` backslash-escaped: with no bracket left,
`(…)` can no longer form a link target, so parentheses stay readable), emphasis and code (`*`,
`_`, backticks, `~`) and table pipes.
"""

from __future__ import annotations

import re
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import (
    build_summary,
    examples_declared,
    examples_found,
    issue_message,
    locations_text,
    sampled_tables,
)

#: Markdown punctuation that can start markup inside a table cell (backslash-escaped)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
#: category locations listed in the disclosure table before "… +N more"
CATEGORY_LOCATIONS = 20


def escape_md(text: object) -> str:
    """`text` as literal Markdown inline text: HTML entities for `& < >`, backslashes for the rest."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\r", " ").replace("\n", " ")


def _cell(text: object) -> str:
    return escape_md(text) or "-"


def _table(headers: list[str], rows: list[list[object]], raw: set[int] | None = None) -> list[str]:
    """A pipe table; cells are escaped except the columns in `raw` (already Markdown)."""
    raw = raw or set()

    def cell(i: int, c: object) -> str:
        return (str(c) or "-") if i in raw else _cell(c)

    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cell(i, c) for i, c in enumerate(r)) + " |" for r in rows]
    return out


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the Markdown report."""
    lang = ctx.lang
    s = build_summary(result.findings, ctx.policy, lang)
    ui = s.ui
    out = [f"# {escape_md(ui('title'))}", "", f"**{escape_md(ui('policy'))}:** {escape_md(s.policy_title)}", ""]
    out.append(escape_md(s.line()))
    sampled, rows = sampled_tables(result.columns)
    if sampled:
        out += ["", f"> {escape_md(ui('sampled_tables').format(n=sampled, r=rows))}"]
    if ctx.scanned and not result.stats.files_scanned:
        out += ["", f"> {escape_md(ui('none_scanned'))}"]
    out += ["", f"## {escape_md(ui('gaps_title'))}", ""]
    if s.problems:
        out += _table(
            [ui("gap_kind"), ui("entity"), ui("category"), ui("findings"), ui("records"), ui("sensitive_findings"),
             ui("locations"), ui("gap_reason")],
            [[ui(f"gap.{g.kind}"), f"{escape_md(g.label)} (`{g.subject}`)",
              " / ".join(g.categories) or ui("uncategorized"),
              g.findings, g.records, g.sensitive, locations_text(g.locations, None, lang), g.reason]
             for g in s.problems],
            raw={1},
        )
    else:
        out.append(escape_md(ui("gaps_none")))
    info = [g.label for g in s.gaps if g.informational]
    if info:
        out += ["", f"*{escape_md(ui('reason.declared_not_found'))}:* " + escape_md(", ".join(info))]
    out += ["", f"## {escape_md(ui('categories_title'))}", ""]
    out += _table(
        [ui("category"), ui("declared"), ui("examples_declared"), ui("examples_found"), ui("findings"),
         ui("records"), ui("sensitive_findings"), ui("sensitive_records"), ui("locations")],
        [[c.label, ui("yes") if c.declared else ui("no"), examples_declared(c, lang),
          examples_found(c, lang, ctx.policy), c.findings, c.records,
          f"{c.sensitive} ({c.sensitive_share:.0%})" if c.findings else 0, c.sensitive_records,
          locations_text(c.locations, CATEGORY_LOCATIONS, lang)] for c in s.categories],
    )
    fired = [r for r in s.rules if r.records]
    if fired:
        out += ["", f"## {escape_md(ui('rules_title'))}", ""]
        out += _table([ui("rule"), ui("records")], [[r.label, r.records] for r in fired])
    if result.issues:
        out += ["", f"## {escape_md(ui('issues'))}", ""]
        out += _table([ui("path"), ui("kind"), ui("message")],
                      [[i.path, ui(f"issue.{i.kind}"), issue_message(i.message, lang)] for i in result.issues])
    stream.write("\n".join(out) + "\n")
