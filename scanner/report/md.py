"""Markdown: the gap analysis, then the disclosure table in the shape of the policy's table."""

from __future__ import annotations

from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import build_summary, examples_found, locations_text, ui


def _cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or "-"


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return out


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the Markdown report."""
    lang = ctx.lang
    s = build_summary(result.findings, ctx.policy, lang)
    out = [f"# {ui('title', lang)}", "", f"**{ui('policy', lang)}:** {s.policy_title}", ""]
    out.append(ui("summary_line", lang).format(n=s.findings, r=s.records, s=s.sensitive, g=len(s.problems)))
    out += ["", f"## {ui('gaps_title', lang)}", ""]
    if s.problems:
        out += _table(
            [ui("gap_kind", lang), ui("entity", lang), ui("category", lang), ui("findings", lang),
             ui("records", lang), ui("sensitive", lang), ui("locations", lang), ui("gap_reason", lang)],
            [[ui(f"gap.{g.kind}", lang), f"{g.label} (`{g.subject}`)",
              " / ".join(g.categories) or ui("uncategorized", lang),
              g.findings, g.records, g.sensitive, locations_text(g.locations), g.reason] for g in s.problems],
        )
    else:
        out.append(ui("gaps_none", lang))
    info = [g.label for g in s.gaps if g.informational]
    if info:
        out += ["", f"*{ui('reason.declared_not_found', lang)}:* " + ", ".join(info)]
    out += ["", f"## {ui('categories_title', lang)}", ""]
    out += _table(
        [ui("category", lang), ui("declared", lang), ui("examples_declared", lang), ui("examples_found", lang),
         ui("records", lang), ui("sensitive", lang), ui("locations", lang)],
        [[c.label, ui("yes", lang) if c.declared else ui("no", lang),
          "、".join(c.declared_examples) if lang == "ja" else ", ".join(c.declared_examples),
          examples_found(c, lang), c.records, f"{c.sensitive} ({c.sensitive_share:.0%})" if c.findings else 0,
          locations_text(c.locations)] for c in s.categories],
    )
    fired = [r for r in s.rules if r.records]
    if fired:
        out += ["", f"## {ui('rules_title', lang)}", ""]
        out += _table([ui("rule", lang), ui("records", lang)], [[r.label, r.records] for r in fired])
    if result.issues:
        out += ["", f"## {ui('issues', lang)}", ""]
        out += _table([ui("path", lang), ui("kind", lang), ui("message", lang)],
                      [[i.path, i.kind, i.message] for i in result.issues])
    stream.write("\n".join(out) + "\n")
