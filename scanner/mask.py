"""Masked previews: what a report may show of a matched value (never the whole of it).

`mask()` is the only way a value reaches a report. `redact()` cleans free text that may
quote scanned content (third-party parser error messages) before it is reported or logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

from scanner import yamlio
from scanner.normalize import without_lone_surrogates

_MAX = 48
#: longest message `redact()` returns
MAX_MESSAGE = 200
#: what replaces a preview that would still contain the value
_FALLBACK = "[redacted]"
#: line breaks (everything str.splitlines() splits on) and other control characters become
#: a space: a preview is one line and cannot carry terminal escape sequences
_ONE_LINE = {i: " " for i in (*range(32), *range(127, 160), 0x2028, 0x2029, 0x200E, 0x200F,
                              *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _stars(n: int) -> str:
    return "*" * max(3, min(n, 12))


def _ends(v: str) -> str:
    if len(v) <= 3:
        return _stars(len(v))
    keep = 1 if len(v) < 8 else 2
    return v[:keep] + _stars(len(v) - 2 * keep) + v[-keep:]


def _email(v: str) -> str:
    local, _, domain = v.rpartition("@")
    return (local[:1] + "***@" + domain) if local else _ends(v)


def _keep_last(n: int) -> Callable[[str], str]:
    def mask(v: str) -> str:
        digits_seen = 0
        out = []
        # keep the last n alphanumerics, star the rest, keep separators
        for ch in reversed(v):
            if ch.isalnum():
                digits_seen += 1
                out.append(ch if digits_seen <= n and len(v) > n + 2 else "*")
            else:
                out.append(ch)
        return "".join(reversed(out))

    return mask


def _card(v: str) -> str:
    d = [c for c in v if c.isdigit()]
    return "****-****-****-" + "".join(d[-4:]) if len(d) >= 12 else _stars(len(v))


def _hidden(v: str) -> str:
    return "********"  # not even the length


def _prefix(v: str) -> str:
    m = re.match(r"[A-Za-z]+[_-]?(?:live_|test_|pat_|proj-)?", v)
    head = m.group(0) if m and len(m.group(0)) < len(v) // 2 else v[:2]
    return f"{head[:12]}… [{len(v)} chars]"


def _jwt(v: str) -> str:
    return v[:8] + "…[JWT]"


def _cookie(v: str) -> str:
    names = re.findall(r"(?:^|;\s*|\t)([A-Za-z0-9_.-]{1,40})=", v)
    return ("cookies: " + ", ".join(names[:5]) + "=…") if names else "[cookie …]"


def _ip(v: str) -> str:
    if ":" in v:
        parts = v.split(":")
        return ":".join(parts[:2]) + ":…"
    parts = v.split(".")
    return ".".join(parts[:2] + ["*", "*"])


def _scrub_path(path: str) -> str:
    """Star path segments that may hold an identifier: an @, 5+ digits or 20+ characters."""
    return "/".join(
        "*" if ("@" in seg or sum(c.isdigit() for c in seg) >= 5 or len(seg) >= 20) else seg
        for seg in path.split("/")
    )


def _url(v: str) -> str:
    m = re.match(r"([a-z][a-z0-9+.-]*://)(?:[^@/\s]*@)?([^/?#\s]*)([^?#\s]*)", v, re.IGNORECASE)
    if not m:
        return _ends(v)
    scheme, host = m.group(1), m.group(2)
    path = _scrub_path(m.group(3))
    path = path if len(path) <= 24 else path[:24] + "…"
    preview = f"{scheme}{host}{path}" + ("?…" if "?" in v else "")
    if v in preview:  # a short URL would show whole: hide its last path segment, else the host
        head, sep, _ = path.rstrip("/").rpartition("/")
        preview = f"{scheme}{host}{head}/…" if sep else f"{scheme}{_ends(host)}"
    return preview


_KV_REQUEST = re.compile(r'\bmethod=([A-Z]+)\b.*?\bpath="?([^"\s?]*)')


def _request(v: str) -> str:
    kv = _KV_REQUEST.search(v) if "method=" in v else None  # logfmt: method=GET path="/x"
    if kv:
        return f"{kv.group(1)} {_scrub_path(kv.group(2))[:40]}"
    m = re.search(r'"?\b(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE)\s+([^\s"?]*)', v)
    if not m:
        m2 = re.search(r'"(?:method|http_method|verb|request_method)"\s*:\s*"(\w+)"', v)
        p2 = re.search(r'"(?:path|uri|url|request)"\s*:\s*"([^"?]*)', v)
        if m2:
            return f"{m2.group(1)} {_scrub_path(p2.group(1) if p2 else '?')[:40]}"
        return "[request]"
    path = _scrub_path(m.group(2))[:40]
    status = re.search(r'"\s+(\d{3})\s', v)
    return f"{m.group(1)} {path}" + (f" → {status.group(1)}" if status else "")


STRATEGIES: dict[str, Callable[[str], str]] = {
    "ends": _ends,
    "email": _email,
    "last4": _keep_last(4),
    "last2": _keep_last(2),
    "card": _card,
    "hidden": _hidden,
    "prefix": _prefix,
    "jwt": _jwt,
    "cookie": _cookie,
    "ip": _ip,
    "url": _url,
    "request": _request,
}


@lru_cache(maxsize=1)
def _table() -> tuple[str, dict[str, str]]:
    doc = yamlio.safe_load((resources.files("scanner") / "masking.yaml").read_text("utf-8"))
    table = {str(k): str(v) for k, v in (doc.get("entities") or {}).items()}
    unknown = set(table.values()) - set(STRATEGIES)
    if unknown:  # pragma: no cover - guarded by tests
        raise ValueError(f"masking.yaml: unknown strategies {sorted(unknown)}")
    return str(doc.get("default", "ends")), table


def mask(entity: str, value: str) -> str:
    """Masked preview of `value` for `entity` (single line, at most ~48 chars)."""
    default, table = _table()
    if not value.isprintable():  # every character _ONE_LINE maps is non-printable
        value = value.translate(_ONE_LINE)
        value = without_lone_surrogates(value)  # a report is UTF-8
    preview = STRATEGIES[table.get(entity, default)](value)
    preview = preview if len(preview) <= _MAX else preview[: _MAX - 1] + "…"
    # belt and braces: whatever a strategy did with an odd value, never show it whole
    if value and value in preview:
        preview = _FALLBACK if value not in _FALLBACK else _stars(len(value))
    elif preview == value:
        preview = _stars(len(value))
    return preview


def remask(entity: str, preview: str) -> str:
    """`preview` masked again unless it already looks masked (a star or an ellipsis): for
    findings read back from a file (`piimap report`). URL and request previews show a host and
    a path by design; they are masked again only when they hold userinfo or a query."""
    default, table = _table()
    strategy = table.get(entity, default)
    if strategy in ("url", "request"):
        return mask(entity, preview) if ("@" in preview or "?" in preview.replace("?…", "")) else preview
    if "*" in preview or "…" in preview:
        return preview
    return mask(entity, preview)


def redact(message: str, detector: Any = None) -> str:
    """`message` as one line of at most MAX_MESSAGE chars, with detected PII masked.

    `detector` is a `scanner.detect.Detector`; without one only the length and line
    breaks are handled. Used for error messages that may quote the file being scanned.
    """
    text = message.translate(_ONE_LINE)
    if len(text) > 4 * MAX_MESSAGE:
        text = text[: 4 * MAX_MESSAGE]
    if detector is not None:
        try:
            dets = detector.detect_text("", text, 1)
        except Exception:  # noqa: BLE001 - never let redaction fail a scan; drop the text
            return "(message withheld)"
        spans: list[Any] = []  # outermost first, no overlaps
        for d in sorted(dets, key=lambda d: (d.start, -d.end)):
            if not spans or d.start >= spans[-1].end:
                spans.append(d)
        for d in reversed(spans):
            text = text[: d.start] + mask(d.entity, d.value) + text[d.end :]
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
