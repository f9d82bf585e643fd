"""Masked previews: what a report may show of a matched value (never the whole of it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import yaml

_MAX = 48


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


def _url(v: str) -> str:
    m = re.match(r"([a-z][a-z0-9+.-]*://)(?:[^@/\s]*@)?([^/?#\s]*)([^?#\s]*)", v, re.IGNORECASE)
    if not m:
        return _ends(v)
    path = m.group(3)
    path = path if len(path) <= 24 else path[:24] + "…"
    return f"{m.group(1)}{m.group(2)}{path}" + ("?…" if "?" in v else "")


def _request(v: str) -> str:
    m = re.search(r'"?\b(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE)\s+([^\s"?]*)', v)
    if not m:
        m2 = re.search(r'"(?:method|http_method|verb|request_method)"\s*:\s*"(\w+)"', v)
        p2 = re.search(r'"(?:path|uri|url|request)"\s*:\s*"([^"?]*)', v)
        if m2:
            return f"{m2.group(1)} {(p2.group(1) if p2 else '?')[:40]}"
        return "[request]"
    path = m.group(2)[:40]
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
    doc = yaml.safe_load((resources.files("scanner") / "masking.yaml").read_text("utf-8"))
    table = {str(k): str(v) for k, v in (doc.get("entities") or {}).items()}
    unknown = set(table.values()) - set(STRATEGIES)
    if unknown:  # pragma: no cover - guarded by tests
        raise ValueError(f"masking.yaml: unknown strategies {sorted(unknown)}")
    return str(doc.get("default", "ends")), table


def mask(entity: str, value: str) -> str:
    """Masked preview of `value` for `entity` (single line, at most ~48 chars)."""
    default, table = _table()
    value = value.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    preview = STRATEGIES[table.get(entity, default)](value)
    if value and value in preview:  # belt and braces: never show the whole value
        preview = _stars(len(value))
    return preview if len(preview) <= _MAX else preview[: _MAX - 1] + "…"
