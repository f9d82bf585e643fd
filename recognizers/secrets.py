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
        [|>][-+]?\d?|
        <[^>]*>|[(\[][a-z_ -]*[)\]]?|\$\{[^}]*\}|\$\(.*\)|\{\{.*\}\}|\$\w+|
        %(?:\(\w*\))?[-+\ \#0]{0,4}\d{0,3}(?:\.\d{1,3})?[sdvqxXifurgeEcobpT]|
        (?:%(?:\(\w*\))?[sdvq]|\{\w*\})(?:[^\w\s]{1,3}(?:%(?:\(\w*\))?[sdvq]|\{\w*\}))+|
        \{[\w.!:<>^?\[\]-]+\}|
        null|none|nil|undefined|true|false|yes|no|on|off|empty|
        redacted|\[redacted\]|\[filtered\]|filtered|masked|hidden|secret|password|pass|passwd|pwd|
        sensitive|removed|omitted|scrubbed|saniti[sz]ed|withheld|elided|censored|obfuscated|suppressed|
        change[_-]?me|change[_-]?this|replace[_-]?me|todo|fixme|
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
    # a format string's escapes after a conversion: printf("password=%s\\n", p)
    v = _TRAILING_ESCAPES.sub("", v)
    # a template opener means the real value is filled in elsewhere (`<your password>`)
    return not v or v.startswith(("<", "${", "{{", "%(")) or bool(_PLACEHOLDER.match(v))


#: backslash escapes (`\\n`, `\\t`) ending a value cut out of a format string
_TRAILING_ESCAPES = re.compile(r"(?:\\[nrt])+$")

#: a value that is code computing the secret, not the secret: a `::` path (Rust
#: `env::var("PASSWORD")`, PHP `Config::get(`, Ruby `Secrets::DB`), a macro call (`env!(`),
#: a Terraform/HCL reference (`var.db_password`, `local.x`, `data.x.y`, `module.x.y`,
#: `random_password.db.result`, `each.value`; not `self.x`, Python's too) or an HCL function
#: call (`sensitive(var.x)`);
#: in HCL an unquoted value is never a string
_EXPRESSION = re.compile(
    r"""[A-Za-z_]\w{0,63}(?:::[A-Za-z_]\w{0,63}){1,8}(?:[(!].*)?
    |[A-Za-z_]\w{0,63}!\(.*
    |(?:var|local|data|module|each)\.[A-Za-z_][\w-]{0,63}
        (?:\.[A-Za-z_*][\w-]{0,63}|\[[^\]]{0,64}\]){0,8}
    |[a-z][a-z0-9]{0,31}_[a-z0-9_]{1,63}\.[A-Za-z_][\w-]{0,63}(?:\[[^\]]{0,64}\])?\.[a-z_][a-z0-9_]{0,63}
        (?:\.[A-Za-z_][\w-]{0,63}|\[[^\]]{0,64}\]){0,8}
    |(?:try|lookup|coalesce|sensitive|nonsensitive|jsondecode|yamldecode|base64decode|file|
        trimspace|element|one|tostring|templatefile)\(.*""",
    re.VERBOSE,
)


def is_expression(value: str) -> bool:
    """True for code that computes the credential (`env::var(`, `var.db_password`), not a value."""
    return _EXPRESSION.fullmatch(value) is not None


#: the word "password" in the languages of i18n files (`password: "パスワード"`,
#: `"password": "Contraseña"`): a form label, not a password
_PASSWORD_WORDS = frozenset(
    """
    password passwort kennwort contraseña contrasena clave senha palavra-passe wachtwoord lösenord
    losenord adgangskode passord salasana hasło haslo heslo jelszó parola şifre sifre пароль
    passcode passphrase
    パスワード 暗証番号 密码 密碼 口令 비밀번호 암호 รหัสผ่าน סיסמה पासवर्ड
    """.split()
) | {"mot de passe", "mật khẩu", "kata sandi", "kata laluan", "كلمة المرور", "palavra passe"}

#: characters of the longest label looked at (`Confirm new password (again)`)
_LABEL_MAX = 64
#: English words around a label word (`Confirm password`, `New password (again)`)
_LABEL_AROUND = re.compile(
    r"(?:(?:new|current|old|confirm|repeat|retype|re-?enter|enter|your|verify)\s+)?(?P<word>.+?)"
    r"(?:\s+(?:again|confirmation|\(again\)|\(confirm(?:ation)?\)|confirm))?"
)

#: CJK, kana and Hangul characters
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
#: the password word in CJK scripts, inside a longer label or message (`新しいパスワード`)
_CJK_PASSWORD_WORD = re.compile(r"パスワード|暗証番号|密码|密碼|口令|비밀번호|암호")
#: Japanese/Chinese/Korean polite endings and message words (`…入力してください`, `请输入…`)
_CJK_PROSE = re.compile(r"ください|下さい|です|ます|ません|。|하세요|십시오|습니다|입니다|请|請|不能|必须|必須")
#: a Japanese particle between words (`パスワードは…`, `…文字以上で…`)
_JA_PARTICLE = re.compile(r"[\u3400-\u9fff\u30a0-\u30ff][はをがでにへとも][\u3040-\u30ff\u3400-\u9fff]")

#: function words of English, French, Spanish, Portuguese, German validation messages
_STOPWORDS = frozenset(
    """
    the a an is are be must should at least of to in for with your please not and or than
    characters chars long too only can cannot may was were has have
    le la les de des du doit être au moins caractères votre est
    el los las debe ser al menos caracteres su es con
    o os deve ter pelo menos caracteres sua
    der die das muss mindestens zeichen ihr ist nicht
    """.split()
)


def is_password_label(value: str) -> bool:
    """True for the word "password" in some language, maybe with `Confirm`/`New`/`(again)`
    around it or a colon after it: a form label in an i18n file, not a password."""
    v = value.strip().rstrip(":：*").strip().casefold()
    if len(v) > _LABEL_MAX:
        return False
    if v in _PASSWORD_WORDS:
        return True
    if _CJK.search(v) and _CJK_PASSWORD_WORD.search(v) and not re.search(r"[a-z0-9]", v):
        return True  # 新しいパスワード, パスワード（確認用）, 请输入密码, 비밀번호 확인
    m = _LABEL_AROUND.fullmatch(v)
    return m is not None and m.group("word") in _PASSWORD_WORDS and m.group("word") != v


def is_prose(value: str) -> bool:
    """True for a sentence (a validation message), not a password: 4+ words with a function
    word or a closing full stop (`must be at least 8 characters`; not `correct horse battery
    staple`), or CJK text with particles or polite endings (`パスワードは8文字以上で入力してください`)."""
    words = value.split()
    if len(words) >= 4:
        if value.rstrip()[-1:] in ".!?" or any(w.strip(".,!?:;()").casefold() in _STOPWORDS for w in words):
            return True
    n = len(_CJK.findall(value))
    if n >= 5 and _CJK_PROSE.search(value) is not None:
        return True
    return n >= 10 and len(_JA_PARTICLE.findall(value)) >= 2


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

# Template words in URLs and DSNs (`postgres://USER:PASSWORD@HOST:5432/DB`), all capitals (the
# lower-case template user names are in _SYSTEM_ACCOUNTS: `host` or `name` may be real ones).
_CAPS_PLACEHOLDERS = frozenset(
    "USER USERNAME USER_NAME LOGIN PASSWORD PASS PASSWD PWD SECRET TOKEN HOST HOSTNAME PORT DB "
    "DATABASE DBNAME NAME".split()
)

#: the opening line of a PEM private key block (`-----BEGIN RSA PRIVATE KEY-----`)
_PEM_PRIVATE = re.compile(r"^-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----$")


def is_status_word(value: str) -> bool:
    """True for an outcome word (`ok`, `failed`, `updated`), or a phrase of them (a quoted
    `"changed successfully"`), in place of a credential value."""
    words = value.strip().rstrip(".!").lower().split()
    return (bool(words) and all(w in _STATUS_WORDS for w in words)) or value in _CAPS_PLACEHOLDERS


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


#: a protobuf field up to its `=` (`string password = `, `optional bytes db_pwd = `): the
#: number after it is the field number (a number is never a `string` in a programming language)
_PROTO_FIELD_BEFORE = re.compile(
    r"(?:^|[\s{;])(?:(?:optional|repeated|required)\s{1,8})?(?:string|bytes)\s{1,8}\w{1,64}\s{0,8}=\s{0,8}$"
)
_PROTO_FIELD_AFTER = re.compile(r"\s{0,8}(?:;|\[)")
#: a mapping line up to its value (`  password: `, `- db.password=`): in YAML and properties
#: the unquoted scalar is the rest of the line
_LINE_KEY = re.compile(r"\s{0,64}(?:-\s{1,8})?[\w.-]{1,64}\s{0,8}[:=]\s{0,8}")
#: characters after a value looked at for the rest of its line (labels and messages are short)
_SCALAR_MAX = 512
#: a YAML comment at the end of a line
_LINE_COMMENT = re.compile(r"\s#.*$")


class _LineScan:
    """Line starts and `"` counts up to increasing offsets of one text, in one pass: each
    match asks about its own position without rescanning the line (long minified lines)."""

    __slots__ = ("text", "cursor", "line_start", "quotes")

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0  # offsets before it are counted
        self.line_start = 0
        self.quotes = 0  # unescaped `"` in text[line_start:cursor]

    def advance(self, pos: int) -> None:
        """Count up to `pos` (at or after the cursor)."""
        text, cur = self.text, self.cursor
        nl = text.rfind("\n", cur, pos)
        if nl >= 0:
            self.line_start = cur = nl + 1
            self.quotes = 0
        self.quotes += text.count('"', cur, pos) - text.count('\\"', cur, pos)
        self.cursor = pos


class PiimapPasswordRecognizer(PiiPatternRecognizer):
    """Password values after a key, in URL userinfo, or inside `Authorization: Basic`."""

    def iter_matches(
        self, text: str, context_text: str = "", only: Collection[int] | None = None
    ) -> Iterator[Match]:
        """The base matches, each without the closing brackets that end it unopened
        (`kept_length`; only an unquoted value ending in `)`, `]` or `}` is looked at), and
        without the `key_value` matches that are no value: a protobuf field number
        (`string password = 4;`), an empty format field closing a literal (`"password={}"`;
        a bare `{}` in a config file stays), code between two literals (`"password=" + pw + ""`),
        a label or a CJK sentence filling a YAML/properties line (`password: mot de passe`)."""
        scan: _LineScan | None = None
        for start, end, score, name in super().iter_matches(text, context_text, only):
            q = text[start - 1] if start else ""
            quoted = q in ("'", '"') and text[end : end + 1] == q
            if name == "key_value":
                if scan is None or scan.cursor > start - 1:
                    scan = _LineScan(text)
                scan.advance(max(0, start - 1))
                if self._not_a_value(text, start, end, quoted, scan):
                    continue
            if not quoted and text[end - 1] in _CLOSER_OF:
                end = start + kept_length(text[start:end])
                if end <= start:
                    continue
            yield start, end, score, name

    @staticmethod
    def _not_a_value(text: str, start: int, end: int, quoted: bool, scan: _LineScan) -> bool:
        """True when the `key_value` match at [start, end) is no value (see `iter_matches`);
        `scan` has counted up to the character before the value."""
        if text[start:end] == "{}" and text[end : end + 1] in ('"', "'"):
            return True  # a format string's field: println!("password={}", p), "{}".format(pw)
        if quoted:  # an odd number of `"` before the quote: it closes a literal, not opens one
            return text[start - 1] == '"' and scan.quotes % 2 == 1
        line_start = scan.line_start
        if text[start:end].isdigit() and _PROTO_FIELD_AFTER.match(text, end):
            if _PROTO_FIELD_BEFORE.search(text, max(line_start, start - 160), start):
                return True
        if text[end : end + 1] in (" ", "\t") and _LINE_KEY.fullmatch(text, line_start, start):
            line_end = text.find("\n", end, end + _SCALAR_MAX)
            stop = line_end if line_end >= 0 else min(len(text), end + _SCALAR_MAX)
            scalar = _LINE_COMMENT.sub("", text[start:stop]).strip()
            # a Latin sentence stays: config files keep unquoted values (`- password: The
            # password for …` is pinned as one in tests/scanner/test_hard_negatives.py)
            return is_password_label(scalar) or (is_prose(scalar) and _CJK.search(scalar) is not None)
        return False

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders and status words (judged without unopened closing brackets:
        `YES)` is `YES`), code (`env::var(`, `var.db_password`), the word "password" in any
        language (`パスワード`, `Contraseña`) and sentences (validation messages); a Basic
        credential decoding to `user:pass` is certain."""
        if pattern_text[-1:] in _CLOSER_OF:
            pattern_text = pattern_text[: kept_length(pattern_text)]
        if not pattern_text or is_placeholder(pattern_text) or is_status_word(pattern_text):
            return False
        if is_expression(pattern_text) or is_password_label(pattern_text) or is_prose(pattern_text):
            return False
        return True if is_basic_credential(pattern_text) else None


#: accounts that exist on every machine and name no person: Unix system accounts, the
#: superuser role a PostgreSQL install creates, Windows well-known principals; anonymous markers
_SYSTEM_ACCOUNTS = frozenset(
    {
        "root", "nobody", "nfsnobody", "daemon", "www-data", "postgres",
        "system", "local service", "network service", "anonymous logon",
        "anonymous", "guest", "-",
        # role accounts, the same on every appliance and install (`curl -u admin:…`,
        # sshd `Invalid user admin`): they name a role, not a person
        "admin", "administrator",
        # the key word as its own value (`login => 'username'`, `postgres://user:password@`,
        # `.env.example`): a template
        "user", "username", "user_name", "userid", "user_id", "login", "myuser", "my_user",
    }
)  # fmt: skip

#: what an i18n file shows next to a login field: the field's name in one of its languages
#: (`"user": "ユーザー名"`, `username: User name`), not a login
_USERNAME_LABEL = re.compile(
    r"(?i:user\s?name|user\s?id|login(?:\s?id)?|account(?:\s?name)?)"
    r"|(?:ユーザー?|ログイン|アカウント|用户|用戶|账号|帳號|사용자|아이디)(?i:id)?[^A-Za-z0-9]{0,12}"
)

#: a measurement after `user=` (`[Times: user=0.05 sys=0.01`), a version (`1.2.3`)
_DECIMAL = re.compile(r"\d*\.\d+(?:\.\d+)*")


class PiimapUsernameRecognizer(PiiPatternRecognizer):
    """Account IDs: login/user fields, auth log lines, URL userinfo."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop placeholders, status words (`login: failed`), code (`var.db_user`), system and
        role accounts and anonymous markers (`root`, `admin`, `SYSTEM`, `-`), template words
        (`user`), Windows machine accounts (`WS01$`), decimal numbers and the field's label in an
        i18n file (`ユーザー名`)."""
        if is_placeholder(pattern_text) or is_status_word(pattern_text) or is_expression(pattern_text):
            return False
        if _USERNAME_LABEL.fullmatch(pattern_text):
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

#: base64 of `-----BEGIN ` (a PEM block inside a Kubernetes Secret or Helm value)
_PEM_BASE64 = "LS0tLS1CRUdJTi"
#: the start of a PEM private key header, decoded from a base64 value that may stop early
_PEM_PRIVATE_HEAD = re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY")
#: the prefix of the SECRET_KEY `django-admin startproject` writes
_DJANGO_INSECURE = "django-insecure-"
#: a digit or symbol of Django's key alphabet: a generated key has some, words do not
_DJANGO_RANDOM = re.compile(r"[0-9!@#$%^&*()=+]")


def is_base64_private_key(value: str) -> bool:
    """True when `value` is base64 of a PEM private key (its decoded first line)."""
    head = value[:64]
    try:
        decoded = base64.b64decode(head[: len(head) // 4 * 4], validate=True)
    except (binascii.Error, ValueError):
        return False
    return _PEM_PRIVATE_HEAD.match(decoded.decode("ascii", "replace")) is not None


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
        if pattern_text.startswith(_PEM_BASE64):
            return is_base64_private_key(pattern_text)
        if pattern_text.startswith("eyJ") or is_placeholder(pattern_text):
            return False
        if pattern_text.startswith(_DJANGO_INSECURE):
            # the key startproject wrote; words with dashes after it are a placeholder
            # (`django-insecure-change-me-in-production`)
            return None if _DJANGO_RANDOM.search(pattern_text, len(_DJANGO_INSECURE)) else False
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
