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
        <[^>]*>|[(\[][a-z_ -]*[)\]]?|\$\{[^}]*\}|\$\(.*\)|\{\{.*\}\}|%(?:\(\w*\))?[sd]|\$\w+|
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


# Words a log writes after `password:` / `login:` to report an outcome, never the value itself
# (`password: changed successfully`, `login: failed`, `user: unknown`).
_STATUS_WORDS = frozenset(
    """
    ok okay success successful successfully succeeded fail failed failure error denied rejected
    accepted invalid valid unknown changed unchanged updated reset set unset saved expired locked
    unlocked verified mismatch incorrect wrong missing provided blank not done pending created
    deleted removed added disabled enabled active inactive suspended blocked revoked rotated
    generated issued granted sent required policy too weak
    """.split()
)

# Template words in URLs and DSNs (`postgres://USER:PASSWORD@HOST:5432/DB`): all capitals only,
# a lower-case `user` or `admin` may be a real account.
_CAPS_PLACEHOLDERS = frozenset(
    "USER USERNAME USER_NAME LOGIN PASSWORD PASS PASSWD PWD SECRET TOKEN HOST HOSTNAME PORT DB "
    "DATABASE DBNAME NAME".split()
)

#: the opening line of a PEM private key block (`-----BEGIN RSA PRIVATE KEY-----`)
_PEM_PRIVATE = re.compile(r"^-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----$")


def is_status_word(value: str) -> bool:
    """True for an outcome word (`ok`, `failed`, `updated`) in place of a credential value."""
    return value.strip().rstrip(".!").lower() in _STATUS_WORDS or value in _CAPS_PLACEHOLDERS


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
        """Drop placeholders and status words; a Basic credential decoding to `user:pass` is certain."""
        if is_placeholder(pattern_text) or is_status_word(pattern_text):
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
        """Drop placeholders, status words (`login: failed`) and anonymous markers."""
        if is_placeholder(pattern_text) or is_status_word(pattern_text):
            return False
        if pattern_text.lower() in ("anonymous", "guest", "-"):
            return False
        return None


#: lower-case structured names after a secret-named key, not secrets: resource paths
#: (`projects/123456/secrets/db-password/versions/3`), slugs (`tls-cert-secret-2024`,
#: `req-20241126-000123`) and reverse-domain ids (`com.example.shop.android2024`). Generated
#: secrets mix cases or are unbroken hex/base64.
_STRUCTURED_NAME = re.compile(
    r"[a-z0-9._-]+(?:/[a-z0-9._-]+)+|[a-z0-9]+(?:-[a-z0-9]+){2,}|[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*){2,}"
)


class PiimapApiKeyRecognizer(PiiPatternRecognizer):
    """Access tokens: vendor formats plus high-entropy bearer/api-key values."""

    #: bits per character below which a "token" is a word or a repeated pattern
    MIN_ENTROPY = 3.0

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop JWTs (their own entity), placeholders and low-entropy values; a PEM private
        key header is certain."""
        if _PEM_PRIVATE.match(pattern_text):
            return True
        if pattern_text.startswith("eyJ") or is_placeholder(pattern_text):
            return False
        if _STRUCTURED_NAME.fullmatch(pattern_text):
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
