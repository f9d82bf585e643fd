"""HTML: one self-contained file with the gap analysis first.

Inline CSS, inline SVG charts and a few lines of inline JS; no external scripts, fonts or
CDNs (a Content-Security-Policy forbids them). Then the disclosure table, charts per
category and per file/column, and a drill-down table of findings with masked previews.
`--lang en|ja` switches the labels.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from scanner.records import ScanResult
from scanner.report import ReportContext
from scanner.report.summary import (
    Summary,
    build_summary,
    examples_declared,
    examples_found,
    issue_message,
    locations_text,
)

#: drill-down rows kept in the file (a report must open quickly in a browser)
MAX_ROWS = 5000

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP",sans-serif;
margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.2em;margin:28px 0 8px;border-bottom:2px solid #d9dde5;padding-bottom:4px}
.sub{color:#5a6275;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #d9dde5;border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:1.5em}.card.bad b{color:#b3261e}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}
th,td{border:1px solid #d9dde5;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef0f4;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
#gap-table td:nth-child(8){min-width:16em}#gap-table td:nth-child(7){word-break:break-all;min-width:18em}
tr.gap-undisclosed td:first-child,tr.gap-plaintext td:first-child{color:#b3261e;font-weight:600}
tr.nodecl td:nth-child(2){color:#b3261e;font-weight:600}
.ok{color:#1e7b34;font-weight:600}.info{color:#5a6275}
.charts{margin-top:16px;display:grid;grid-template-columns:1fr 1fr;gap:16px}
.chart{background:#fff;border:1px solid #d9dde5;border-radius:8px;padding:8px}
.chart h3{font-size:1em;margin:4px 8px}
svg text{font-size:12px;fill:#1d2330}
.controls{margin:8px 0;display:flex;gap:8px}.controls input,.controls select{padding:4px 6px}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
footer{color:#5a6275;font-size:.8em;margin-top:24px}
@media (max-width:800px){.charts{grid-template-columns:1fr}}
"""

_JS = """
(function(){
  var q=document.getElementById('q'),ent=document.getElementById('ent'),
      rows=document.querySelectorAll('#findings tbody tr'),count=document.getElementById('shown'),
      fmt=count.getAttribute('data-fmt');
  function apply(){
    var text=q.value.toLowerCase(),e=ent.value,n=0;
    for(var i=0;i<rows.length;i++){
      var r=rows[i],ok=(!e||r.getAttribute('data-entity')===e)&&(!text||r.textContent.toLowerCase().indexOf(text)>=0);
      r.style.display=ok?'':'none';if(ok){n++;}
    }
    count.textContent=fmt.replace('{n}',String(n));
  }
  q.addEventListener('input',apply);ent.addEventListener('change',apply);apply();
})();
"""


def bar_chart(pairs: list[tuple[str, int]], title: str, color: str = "#3867d6",
              highlight: set[str] | None = None) -> str:
    """A horizontal bar chart as inline SVG (`<svg class="chart-svg">`)."""
    highlight = highlight or set()
    bar_h, gap, label_w, width = 20, 6, 330, 560
    height = max(1, len(pairs)) * (bar_h + gap) + 10
    top = max((n for _, n in pairs), default=0) or 1
    parts = [f'<svg class="chart-svg" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="100%">']
    for i, (label, n) in enumerate(pairs):
        y = 5 + i * (bar_h + gap)
        w = max(2, int((width - label_w - 60) * n / top)) if n else 0
        fill = "#b3261e" if label in highlight else color
        short = label if len(label) <= 44 else label[:43] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
                     f'<title>{escape(label)}</title>{escape(short)}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{fill}" rx="3"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 15}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _gap_section(s: Summary, lang: str) -> str:
    ui = s.ui
    out = [f"<section id=\"gaps\"><h2>{escape(ui('gaps_title'))}</h2>"]
    if not s.problems:
        out.append(f"<p class=\"ok\">{escape(ui('gaps_none'))}</p>")
    else:
        heads = ["gap_kind", "entity", "category", "findings", "records", "sensitive_findings", "locations",
                 "gap_reason"]
        out.append("<table id=\"gap-table\"><thead><tr>" + "".join(f"<th>{escape(ui(h))}</th>" for h in heads)
                   + "</tr></thead><tbody>")
        for g in s.problems:
            out.append(
                f"<tr class=\"gap-{g.kind}\"><td>{escape(ui('gap.' + g.kind))}</td>"
                f"<td>{escape(g.label)} <code>{escape(g.subject)}</code></td>"
                f"<td>{escape(' / '.join(g.categories) or ui('uncategorized'))}</td>"
                f"<td class=\"n\">{g.findings}</td><td class=\"n\">{g.records}</td><td class=\"n\">{g.sensitive}</td>"
                f"<td>{escape(locations_text(g.locations, None, lang))}</td><td>{escape(g.reason)}</td></tr>"
            )
        out.append("</tbody></table>")
    info = [g.label for g in s.gaps if g.informational]
    if info:
        out.append(f"<p class=\"info\">{escape(ui('reason.declared_not_found'))}: {escape(', '.join(info))}</p>")
    out.append("</section>")
    return "".join(out)


#: category locations listed before "… +N more"
CATEGORY_LOCATIONS = 20


def _category_section(s: Summary, lang: str) -> str:
    ui = s.ui
    heads = ["category", "declared", "examples_declared", "examples_found", "findings", "records",
             "sensitive_findings", "sensitive_records", "locations"]
    out = [f"<section id=\"categories\"><h2>{escape(ui('categories_title'))}</h2><table><thead><tr>"]
    out.append("".join(f"<th>{escape(ui(h))}</th>" for h in heads) + "</tr></thead><tbody>")
    for c in s.categories:
        sens = f"{c.sensitive} ({c.sensitive_share:.0%})" if c.findings else "0"
        out.append(
            f"<tr class=\"{'' if c.declared else 'nodecl'}\"><td>{escape(c.label)}</td>"
            f"<td>{escape(ui('yes') if c.declared else ui('no'))}</td>"
            f"<td>{escape(examples_declared(c, lang) or '-')}</td>"
            f"<td>{escape(examples_found(c, lang, s.policy) or '-')}</td>"
            f"<td class=\"n\">{c.findings}</td><td class=\"n\">{c.records}</td><td class=\"n\">{escape(sens)}</td>"
            f"<td class=\"n\">{c.sensitive_records}</td>"
            f"<td>{escape(locations_text(c.locations, CATEGORY_LOCATIONS, lang) or '-')}</td></tr>"
        )
    out.append("</tbody></table></section>")
    return "".join(out)


def _issues_section(result: ScanResult, s: Summary, lang: str) -> str:
    if not result.issues:
        return ""
    ui = s.ui
    out = [f"<section id=\"issues\"><h2>{escape(ui('issues'))}</h2><table><thead><tr>"
           + "".join(f"<th>{escape(ui(h))}</th>" for h in ("path", "kind", "message")) + "</tr></thead><tbody>"]
    out += [f"<tr class=\"issue-{escape(i.kind)}\"><td>{escape(i.path)}</td><td>{escape(ui('issue.' + i.kind))}</td>"
            f"<td>{escape(issue_message(i.message, lang))}</td></tr>" for i in result.issues]
    out.append("</tbody></table></section>")
    return "".join(out)


def write(result: ScanResult, stream: TextIO, ctx: ReportContext) -> None:
    """Write the self-contained HTML report."""
    lang = ctx.lang
    s = build_summary(result.findings, ctx.policy, lang)
    ui = s.ui
    st = result.stats
    undisclosed_labels = {c.label for c in s.categories if not c.declared}
    cat_pairs = [(c.label, c.findings) for c in s.categories]
    loc_pairs = s.locations.most_common(15)
    out = [
        "<!DOCTYPE html>",
        f"<html lang=\"{escape(lang)}\"><head><meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{escape(ui('title'))} — {escape(s.policy_title)}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        f"<h1>{escape(ui('title'))}</h1>",
        f"<p class=\"sub\">{escape(ui('policy'))}: {escape(s.policy_title)}"
        + (" · " + escape(ui("files").format(s=st.files_scanned, k=st.files_skipped, f=st.files_failed,
                                                   b=st.bytes_read, c=st.cells_scanned))
           if st.files_scanned or st.files_skipped or st.files_failed else "")
        + "</p>",
        "<div class=\"cards\">"
        f"<div class=\"card{' bad' if s.problems else ''}\"><b id=\"gap-count\">{len(s.problems)}</b>"
        f"{escape(ui('gaps_count'))}</div>"
        f"<div class=\"card\"><b>{s.findings}</b>{escape(ui('findings'))}</div>"
        f"<div class=\"card\"><b>{s.records}</b>{escape(ui('records'))}</div>"
        f"<div class=\"card\"><b>{s.sensitive}</b>{escape(ui('sensitive_findings'))}</div>"
        f"<div class=\"card\"><b>{s.sensitive_records}</b>{escape(ui('sensitive_records'))}</div></div>",
        _gap_section(s, lang),
        _category_section(s, lang),
        _issues_section(result, s, lang),
        "<section id=\"charts\"><div class=\"charts\">",
        f"<div class=\"chart\" id=\"chart-categories\"><h3>{escape(ui('chart_categories'))}</h3>"
        + bar_chart(cat_pairs, ui("chart_categories"), highlight=undisclosed_labels) + "</div>",
        f"<div class=\"chart\" id=\"chart-locations\"><h3>{escape(ui('chart_locations'))}</h3>"
        + bar_chart(loc_pairs, ui("chart_locations"), color="#20a39e") + "</div>",
        "</div></section>",
    ]
    fired = [r for r in s.rules if r.records]
    if fired:
        out.append(f"<section id=\"rules\"><h2>{escape(ui('rules_title'))}</h2><table><thead><tr>"
                   f"<th>{escape(ui('rule'))}</th><th>{escape(ui('records'))}</th></tr></thead><tbody>")
        out += [f"<tr><td>{escape(r.label)}</td><td class=\"n\">{r.records}</td></tr>" for r in fired]
        out.append("</tbody></table></section>")
    rows = result.findings[:MAX_ROWS]
    out.append(f"<section id=\"drilldown\"><h2>{escape(ui('drilldown'))}</h2>")
    if len(result.findings) > MAX_ROWS:
        out.append(f"<p class=\"info\">{escape(ui('truncated').format(n=MAX_ROWS, t=len(result.findings)))}</p>")
    options = "".join(f"<option value=\"{escape(e)}\">{escape(s.entity(e))} ({n})</option>"
                      for e, n in sorted(s.entities.items()))
    out.append(f"<div class=\"controls\"><input id=\"q\" type=\"search\" placeholder=\"{escape(ui('filter'))}\">"
               f"<select id=\"ent\"><option value=\"\">{escape(ui('all_entities'))}</option>{options}</select>"
               f"<span id=\"shown\" data-fmt=\"{escape(ui('shown'))}\"></span></div>")
    # lines and table rows both 1-based for people (the JSON/SARIF contracts keep 0-based rows)
    heads = ["path", "line", "row", "column", "entity", "category", "sensitive", "preview", "score"]
    out.append("<table id=\"findings\"><thead><tr>" + "".join(f"<th>{escape(ui(h))}</th>" for h in heads)
               + "</tr></thead><tbody>")
    cat_label = {c.id: c.label.get(lang, c.label["en"]) for c in ctx.policy.categories}
    for f in rows:
        line = "" if f.line is None else str(f.line)
        row = "" if f.row is None else str(f.row + 1)
        cats = ", ".join(cat_label[c] for c in f.categories if c in cat_label) or "-"
        out.append(
            f"<tr data-entity=\"{escape(f.entity)}\"><td>{escape(f.path)}</td>"
            f"<td class=\"n\">{line}</td><td class=\"n\">{row}</td>"
            f"<td>{escape(f.column or '')}</td><td>{escape(s.entity(f.entity))}</td><td>{escape(cats)}</td>"
            f"<td>{escape(ui('yes') if f.sensitive else '')}</td><td><code>{escape(f.preview)}</code></td>"
            f"<td class=\"n\">{f.score:.2f}</td></tr>"
        )
    out.append("</tbody></table></section>")
    out.append(f"<footer>{escape(ui('generated'))}</footer></main><script>{_JS}</script></body></html>")
    stream.write("\n".join(out) + "\n")
