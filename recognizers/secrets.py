"""Validators for credentials and web entities: JWT, passwords, API keys, usernames."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Iterator

from recognizers.base import Match, PiiPatternRecognizer
from recognizers.checksums import shannon_entropy

# Values that stand in for a secret without being one.
_PLACEHOLDER = re.compile(
    r"""^(?:
        \*+|x{3,}|X{3,}|\.{3,}|-+|_+|
        <[^>]*>|[(\[][a-z_ -]*[)\]]?|\$\{[^}]*\}|\$\(.*\)|\{\{.*\}\}|%(?:\(\w*\))?[sd]|\$\w+|
        (?:%(?:\(\w*\))?[sd]|\{\w*\})(?:[^\w\s]{1,3}(?:%(?:\(\w*\))?[sd]|\{\w*\}))+|
        \{[\w.!:<>^\[\]-]+\}|
        null|none|nil|undefined|true|false|yes|no|on|off|empty|
        redacted|\[redacted\]|\[filtered\]|filtered|masked|hidden|secret|password|
        sensitive|removed|omitted|scrubbed|saniti[sz]ed|withheld|elided|censored|obfuscated|suppressed|
        changeit_placeholder|your[_-]?\w*|example\w*|dummy|required|optional|string|str|
        os\.environ.*|getenv.*|env\(.*\)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_placeholder(value: str) -> bool:
    """True for values that name or hide a secret instead of holding it (`${DB_PASS}`, ***,
    `{password!r}`, `Sensitive data removed`), or compute it (`$(cat /run/secrets/db)`, backticks)."""
    v = value.strip()
    if v.startswith(("$(", "`")):  # shell command substitution: the value comes from elsewhere
        return True
    v = v.strip("\"'`,;")
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


#: a whole standard-base64 value (what `Authorization: Basic` carries)
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def is_basic_credential(value: str) -> bool:
    """True when `value` is strict base64 of printable UTF-8 `user:password` (lenient decoding
    would drop the other characters: `chauthtok):` is no credential)."""
    if len(value) < 8 or len(value) % 4 or not _BASE64.fullmatch(value):
        return False
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return False
    return ":" in decoded and decoded.isprintable()


_CLOSER_OF = {")": "(", "]": "[", "}": "{"}


def kept_length(value: str) -> int:
    """Length of `value` without the closing brackets at its end that open nowhere in it: a
    value pattern runs into the bracket around it (`LoginRequest(password=Summer2024!)`);
    `pa(ss)` keeps its own."""
    n = len(value)
    if not n or value[-1] not in _CLOSER_OF:
        return n
    opened = {c: value.count(o) for c, o in _CLOSER_OF.items()}
    closed = {c: value.count(c) for c in _CLOSER_OF}
    while n and value[n - 1] in _CLOSER_OF:
        closer = value[n - 1]
        closed[closer] -= 1  # the counts of the value without this closer
        if opened[closer] > closed[closer]:
            break
        n -= 1
    return n


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

    def iter_matches(
        self, text: str, context_text: str = "", only: Collection[int] | None = None
    ) -> Iterator[Match]:
        """The base matches, each without the closing brackets that end it unopened
        (`kept_length`; only a value ending in `)`, `]` or `}` is looked at)."""
        for start, end, score, name in super().iter_matches(text, context_text, only):
            if text[end - 1] in _CLOSER_OF:
                end = start + kept_length(text[start:end])
                if end <= start:
                    continue
            yield start, end, score, name

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders and status words (judged without unopened closing brackets:
        `YES)` is `YES`); a Basic credential decoding to `user:pass` is certain."""
        if pattern_text[-1:] in _CLOSER_OF:
            pattern_text = pattern_text[: kept_length(pattern_text)]
        if not pattern_text or is_placeholder(pattern_text) or is_status_word(pattern_text):
            return False
        return True if is_basic_credential(pattern_text) else None


#: accounts that exist on every machine and name no person: Unix system accounts, the
#: superuser role a PostgreSQL install creates, Windows well-known principals; anonymous markers
_SYSTEM_ACCOUNTS = frozenset(
    {
        "root", "nobody", "nfsnobody", "daemon", "www-data", "postgres",
        "system", "local service", "network service", "anonymous logon",
        "anonymous", "guest", "-",
        "username",  # the key word as its own value (`login => 'username'`): a template
    }
)  # fmt: skip

#: a measurement after `user=` (`[Times: user=0.05 sys=0.01`), a version (`1.2.3`)
_DECIMAL = re.compile(r"\d*\.\d+(?:\.\d+)*")


class PiimapUsernameRecognizer(PiiPatternRecognizer):
    """Account IDs: login/user fields, auth log lines, URL userinfo."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders, status words (`login: failed`), system accounts and anonymous
        markers (`root`, `SYSTEM`, `-`), Windows machine accounts (`WS01$`) and decimal numbers."""
        if is_placeholder(pattern_text) or is_status_word(pattern_text):
            return False
        if pattern_text.lower() in _SYSTEM_ACCOUNTS or pattern_text.endswith("$"):
            return False
        if pattern_text[:1].isdigit() or pattern_text[:1] == ".":
            if _DECIMAL.fullmatch(pattern_text):
                return False
        return None


#: lower-case structured names after a secret-named key, not secrets: resource paths
#: (`projects/123456/secrets/db-password/versions/3`), slugs (`tls-cert-secret-2024`,
#: `req-20241126-000123`) and reverse-domain ids (`com.example.shop.android2024`). Generated
#: secrets mix cases or are unbroken hex/base64.
_STRUCTURED_NAME = re.compile(
    r"[a-z0-9._-]+(?:/[a-z0-9._-]+)+|[a-z0-9]+(?:-[a-z0-9]+){2,}|[a-z][a-z0-9]*(?:\.[a-z][a-z0-9_]*){2,}"
)

#: the secret path of a Slack incoming webhook (`hooks.slack.com/services/T.../B.../...`): its
#: shape is the evidence, so it is not held to the entropy bar
_SLACK_WEBHOOK_PATH = re.compile(r"T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}")


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
        if pattern_text[:1] == "T" and _SLACK_WEBHOOK_PATH.fullmatch(pattern_text):
            return None
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
