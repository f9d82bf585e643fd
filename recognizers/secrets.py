"""Validators for credentials and web entities: JWT, passwords, API keys, usernames."""

from __future__ import annotations

import base64
import binascii
import json
import re

from recognizers.base import PiiPatternRecognizer
from recognizers.checksums import shannon_entropy

# Values that stand in for a secret without being one.
_PLACEHOLDER = re.compile(
    r"""^(?:
        \*+|x{3,}|X{3,}|\.{3,}|-+|_+|
        <[^>]*>|\$\{[^}]*\}|\$\(.*\)|\{\{.*\}\}|%(?:\(\w*\))?[sd]|\$\w+|
        (?:%(?:\(\w*\))?[sd]|\{\w*\})(?:[^\w\s]{1,3}(?:%(?:\(\w*\))?[sd]|\{\w*\}))+|
        null|none|nil|undefined|true|false|yes|no|on|off|empty|
        redacted|\[redacted\]|\[filtered\]|filtered|masked|hidden|secret|password|
        changeit_placeholder|your[_-]?\w*|example\w*|dummy|required|optional|string|str|
        os\.environ.*|getenv.*|env\(.*\)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_placeholder(value: str) -> bool:
    """True for values that name or hide a secret instead of holding it (`${DB_PASS}`, ***)."""
    v = value.strip().strip("\"'`,;")
    # a template opener means the real value is filled in elsewhere (`<your password>`)
    return not v or v.startswith(("<", "${", "{{", "%(")) or bool(_PLACEHOLDER.match(v))


def _b64decode(segment: str) -> bytes | None:
    pad = "=" * (-len(segment) % 4)
    try:
        return base64.urlsafe_b64decode(segment + pad)
    except (binascii.Error, ValueError):
        return None


class PiimapJwtRecognizer(PiiPatternRecognizer):
    """JSON Web Tokens: three base64url segments whose header is JSON with `alg`."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Decode the header: a JSON object with `alg` makes it certain."""
        header = _b64decode(pattern_text.split(".", 1)[0])
        if header is None:
            return False
        try:
            obj = json.loads(header)
        except (ValueError, UnicodeDecodeError):
            return False
        return isinstance(obj, dict) and "alg" in obj


class PiimapPasswordRecognizer(PiiPatternRecognizer):
    """Password values after a key, in URL userinfo, or inside `Authorization: Basic`."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders; a Basic credential that decodes to `user:pass` is certain."""
        if is_placeholder(pattern_text):
            return False
        decoded = _b64decode(pattern_text) if len(pattern_text) >= 8 else None
        if decoded and b":" in decoded:
            try:
                decoded.decode("utf-8")
                return True
            except UnicodeDecodeError:
                pass
        return None


class PiimapUsernameRecognizer(PiiPatternRecognizer):
    """Account IDs: login/user fields, auth log lines, URL userinfo."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders and anonymous markers."""
        if is_placeholder(pattern_text) or pattern_text.lower() in ("anonymous", "guest", "-"):
            return False
        return None


class PiimapApiKeyRecognizer(PiiPatternRecognizer):
    """Access tokens: vendor formats plus high-entropy bearer/api-key values."""

    #: bits per character below which a "token" is a word or a repeated pattern
    MIN_ENTROPY = 3.0

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop JWTs (their own entity), placeholders and low-entropy values."""
        if pattern_text.startswith("eyJ") or is_placeholder(pattern_text):
            return False
        if shannon_entropy(pattern_text) < self.MIN_ENTROPY:
            return False
        return None


class PiimapRequestRecognizer(PiiPatternRecognizer):
    """Request records in access logs (one per request line)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """JSON access logs must carry a path-like key besides the method."""
        if pattern_text.lstrip().startswith("{"):
            low = pattern_text.lower()
            return None if any(k in low for k in ('"path"', '"uri"', '"url"', '"request"')) else False
        return None
