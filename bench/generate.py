"""Seeded benchmark corpus: mixed application/access logs with gold labels, plus PII-free text.

    python -m bench.generate --size-mb 100 --out bench/corpus --seed 7

Writes
  logs/*.log        mixed shapes: JSON logs, key=value logs, nginx combined access logs,
                    Python/Java stack traces, Japanese messages, full-width forms; about 90% of
                    lines hold no personal data. One file is half the corpus (chunk parallelism).
  gold.jsonl        one row per planted value: {"path", "line", "start", "end", "entity"}
                    (path relative to the corpus folder, 1-based line, character offsets).
  clean/*.txt|.py|.md   PII-free prose, source code and docs (false-positive rate).
  clean/hard/       hard negatives: PII-free engineering and Japanese business text shaped like
                    personal data (versions, loopback, label keys, status lines, placeholders,
                    JAN and tracking numbers with valid check digits, ...); half the size of
                    the other clean text, from its own random stream.
  hard_negatives.json   the shape of every hard-negative line (or JSON file).
  manifest.json     sizes, seed, line counts.
The same seed and size give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import string
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024

FIRST = "taro hanako james mary robert linda wei yuki kenji aiko michael sarah david emma".split()
LAST = "yamada suzuki tanaka smith johnson brown garcia sato ito kobayashi miller wilson".split()
MAIL_DOMAINS = [
    "example.com",
    "example.co.jp",
    "mail.example.org",
    "corp.example.net",
    "example.jp",
]
WEB_HOSTS = ["shop.example.com", "www.example.co.jp", "api.example.org", "portal.example.net"]
SERVICES = "orders billing auth search inventory gateway scheduler mailer reports catalog".split()
LEVELS = ["INFO"] * 12 + ["DEBUG"] * 6 + ["WARN"] * 2 + ["ERROR"]
MSGS = [
    "request completed",
    "cache hit",
    "cache miss",
    "connection pool resized",
    "job finished",
    "retrying after backoff",
    "health check ok",
    "flushed metrics",
    "config reloaded",
    "queue drained",
    "slow query detected",
    "index rebuilt",
    "batch committed",
    "lease renewed",
    "worker started",
    "shutting down gracefully",
    "rate limit applied",
    "snapshot written",
]
JA_MSGS = [
    "注文を処理しました",
    "在庫を更新しました",
    "バッチ処理が完了しました",
    "キャッシュを再構築しました",
    "接続を再試行しています",
    "設定を再読み込みしました",
    "ジョブを開始しました",
    "タイムアウトしました",
]
PATHS = [
    "/api/v1/orders",
    "/api/v1/items",
    "/static/app.js",
    "/health",
    "/api/v2/search",
    "/login",
    "/cart",
    "/img/logo.png",
    "/api/v1/users/me",
    "/checkout",
]
UAS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.4.0",
    "Go-http-client/1.1",
]
US_AREAS = ["212", "415", "646", "312", "617", "206", "303", "512"]


class Line:
    """A line under construction: text parts plus the gold spans of planted values."""

    __slots__ = ("parts", "n", "spans")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.spans: list[tuple[str, int, int]] = []

    def t(self, text: str) -> Line:
        self.parts.append(text)
        self.n += len(text)
        return self

    def p(self, entity: str, value: str, *extra: tuple[str, int, int]) -> Line:
        """Append a planted value; `extra` are (entity, start, end) relative to the value."""
        self.spans.append((entity, self.n, self.n + len(value)))
        for ent, s, e in extra:
            self.spans.append((ent, self.n + s, self.n + e))
        return self.t(value)

    def text(self) -> str:
        return "".join(self.parts)


# -- planted values ------------------------------------------------------------------------
def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def card(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.5:
        num = luhn_complete("4" + "".join(r.choices(string.digits, k=14)))
    elif kind < 0.8:
        num = luhn_complete(str(r.randint(51, 55)) + "".join(r.choices(string.digits, k=13)))
    else:
        num = luhn_complete(r.choice(["34", "37"]) + "".join(r.choices(string.digits, k=12)))
        sep = r.choice([" ", "-", ""])
        return f"{num[:4]}{sep}{num[4:10]}{sep}{num[10:]}"
    sep = r.choice([" ", "-", ""])
    return sep.join(num[i : i + 4] for i in range(0, 16, 4))


def ssn(r: random.Random) -> str:
    area = r.randint(1, 665)
    return f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"


def iban(r: random.Random) -> str:
    country, blen = r.choice([("DE", 18), ("GB", 18), ("FR", 23), ("NL", 14)])
    if country == "GB":
        bban = "".join(r.choices(string.ascii_uppercase, k=4)) + "".join(
            r.choices(string.digits, k=14)
        )
    elif country == "NL":
        bban = "".join(r.choices(string.ascii_uppercase, k=4)) + "".join(
            r.choices(string.digits, k=10)
        )
    else:
        bban = "".join(r.choices(string.digits, k=blen))
    num = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(num) % 97
    value = f"{country}{check:02d}{bban}"
    if r.random() < 0.4:
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


def my_number(r: random.Random) -> str:
    body = "".join(r.choices(string.digits, k=11))
    total = sum(int(body[11 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    rem = total % 11
    return body + str(0 if rem <= 1 else 11 - rem)


def corporate_number(r: random.Random) -> str:
    body = "".join(r.choices(string.digits, k=12))
    total = sum(int(ch) * (2 if i % 2 == 1 else 1) for i, ch in enumerate(reversed(body)))
    return str(9 - total % 9) + body


def email(r: random.Random) -> str:
    sep = r.choice([".", "_", ""])
    return f"{r.choice(FIRST)}{sep}{r.choice(LAST)}{r.randint(1, 999)}@{r.choice(MAIL_DOMAINS)}"


def phone(r: random.Random) -> str:
    k = r.random()
    if k < 0.35:
        return f"0{r.choice('789')}0-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"
    if k < 0.5:
        return f"03-{r.randint(3000, 6999)}-{r.randint(1000, 9999)}"
    if k < 0.75:
        return f"({r.choice(US_AREAS)}) {r.randint(201, 989)}-{r.randint(1000, 9999)}"
    if k < 0.9:
        return f"{r.choice(US_AREAS)}-{r.randint(201, 989)}-{r.randint(1000, 9999)}"
    return f"+81 {r.choice('789')}0-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"


def ipv4(r: random.Random) -> str:
    first = r.choice([23, 45, 81, 93, 101, 133, 151, 176, 185, 198, 203, 211])
    return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def ip(r: random.Random) -> str:
    if r.random() < 0.85:
        return ipv4(r)
    return (
        "2001:db8:"
        + ":".join(f"{r.randint(1, 0xFFFF):x}" for _ in range(3))
        + "::"
        + f"{r.randint(1, 0xFFFF):x}"
    )


def token(r: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(r.choices(alphabet, k=n))


def api_key(r: random.Random) -> str:
    k = r.random()
    if k < 0.4:
        return "AKIA" + token(r, 16, string.ascii_uppercase + string.digits)
    if k < 0.8:
        return "ghp_" + token(r, 36)
    return "sk_live_" + token(r, 24)


def jwt(r: random.Random) -> str:
    import base64

    def b64(obj: dict[str, object]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    head = b64({"alg": r.choice(["HS256", "RS256"]), "typ": "JWT"})
    body = b64({"sub": str(r.randint(1, 10**6)), "iat": 1700000000 + r.randint(0, 10**6)})
    return f"{head}.{body}.{token(r, 43, string.ascii_letters + string.digits + '-_')}"


def password(r: random.Random) -> str:
    return token(r, r.randint(8, 14), string.ascii_letters + string.digits + "!#%")


def username(r: random.Random) -> str:
    return f"{r.choice(FIRST)}{r.choice(['_', '.', ''])}{r.choice(LAST)[:4]}{r.randint(1, 99)}"


def url(r: random.Random) -> tuple[str, int, int]:
    host = r.choice(WEB_HOSTS)
    path = r.choice(PATHS)
    q = f"?ref={token(r, 6, string.ascii_lowercase)}" if r.random() < 0.5 else ""
    value = f"https://{host}{path}{q}"
    return value, 8, 8 + len(host)


# -- line shapes ---------------------------------------------------------------------------
def ts(r: random.Random, i: int) -> str:
    return (
        f"2024-{(i // 200000) % 12 + 1:02d}-{(i // 8000) % 28 + 1:02d}"
        f"T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}.{r.randint(0, 999):03d}Z"
    )


def clean_json(r: random.Random, i: int) -> Line:
    return Line().t(
        f'{{"ts":"{ts(r, i)}","level":"{r.choice(LEVELS)}","service":"{r.choice(SERVICES)}",'
        f'"msg":"{r.choice(MSGS)}","latency_ms":{r.randint(1, 900)},'
        f'"trace_id":"{r.getrandbits(128):032x}","status":{r.choice([200, 200, 201, 204, 304, 404, 500])}}}'
    )


def clean_kv(r: random.Random, i: int) -> Line:
    return Line().t(
        f"ts={ts(r, i)} level={r.choice(LEVELS).lower()} component={r.choice(SERVICES)} "
        f'msg="{r.choice(MSGS)}" duration={r.random() * 3:.3f}s job_id={r.randint(1, 10**7)} '
        f"attempt={r.randint(1, 5)} bytes={r.randint(0, 10**6)}"
    )


def clean_plain(r: random.Random, i: int) -> Line:
    return Line().t(
        f"{ts(r, i)} [{r.choice(LEVELS):5}] {r.choice(SERVICES)}.{r.choice(['Worker', 'Handler', 'Pool'])} - "
        f"{r.choice(MSGS)} (elapsed {r.randint(1, 5000)} ms, items={r.randint(0, 500)}, "
        f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)})"
    )


def clean_ja(r: random.Random, i: int) -> Line:
    return Line().t(
        f"{ts(r, i)} {r.choice(LEVELS)} [{r.choice(SERVICES)}] {r.choice(JA_MSGS)} "
        f"件数={r.randint(1, 999)} 処理時間={r.randint(1, 900)}ms"
    )


def stack_trace(r: random.Random, i: int) -> list[Line]:
    svc = r.choice(SERVICES)
    if r.random() < 0.5:
        lines = [
            Line().t(f"{ts(r, i)} ERROR [{svc}] unhandled exception"),
            Line().t("Traceback (most recent call last):"),
        ]
        for fn in r.sample(["handle", "dispatch", "run", "process_batch", "commit", "fetch"], 3):
            lines.append(
                Line().t(f'  File "/srv/{svc}/app/{fn}.py", line {r.randint(10, 900)}, in {fn}')
            )
            lines.append(Line().t(f"    result = self.{fn}(payload, timeout={r.randint(1, 60)})"))
        lines.append(
            Line().t(
                f"{r.choice(['ValueError', 'KeyError', 'TimeoutError'])}: invalid state {r.randint(1, 99)}"
            )
        )
        return lines
    lines = [Line().t(f"{ts(r, i)} ERROR [{svc}] java.lang.IllegalStateException: pool exhausted")]
    for cls in r.sample(
        ["OrderService", "BillingClient", "RetryTemplate", "HttpHandler", "JobRunner"], 4
    ):
        lines.append(Line().t(f"\tat com.acme.{svc}.{cls}.invoke({cls}.java:{r.randint(10, 900)})"))
    lines.append(Line().t(f"\t... {r.randint(3, 40)} more"))
    return lines


def nginx(r: random.Random, i: int) -> Line:
    ln = Line()
    addr = ipv4(r)
    start = 0
    ln.p("IP_ADDRESS", addr)
    ln.t(
        f" - - [{(i // 8000) % 28 + 1:02d}/Oct/2024:{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d} +0900] "
        f'"{r.choice(["GET", "GET", "POST"])} {r.choice(PATHS)} HTTP/1.1" '
        f'{r.choice([200, 200, 302, 404])} {r.randint(100, 90000)} '
    )
    if r.random() < 0.5:
        ln.t('"-"')
    else:
        value, hs, he = url(r)
        ln.t('"').p("URL", value, ("DOMAIN_NAME", hs, he)).t('"')
    ln.t(f' "{r.choice(UAS)}"')
    ln.spans.append(("REQUEST_HISTORY", start, ln.n))
    return ln


def pii_line(r: random.Random, i: int) -> Line:
    """A log line carrying one or two planted values, in one of the log shapes."""
    kind = r.randrange(20)
    head = f"{ts(r, i)} {r.choice(['INFO', 'INFO', 'WARN'])} [{r.choice(SERVICES)}] "
    ln = Line()
    if kind == 0:
        ln.t(f'{{"ts":"{ts(r, i)}","level":"INFO","msg":"signup","email":"').p(
            "EMAIL_ADDRESS", email(r)
        ).t('"}')
    elif kind == 1:
        ln.t(head + "notify to=").p("EMAIL_ADDRESS", email(r)).t(
            f" template=welcome_{r.randint(1, 9)}"
        )
    elif kind == 2:
        ln.t(head + "contact phone=").p("PHONE_NUMBER", phone(r)).t(" verified=true")
    elif kind == 3:
        ln.t(f'{{"ts":"{ts(r, i)}","event":"profile_update","tel":"').p("PHONE_NUMBER", phone(r)).t(
            '"}'
        )
    elif kind == 4:
        ln.t(head + "login ok client=").p("IP_ADDRESS", ip(r)).t(
            f" session={r.getrandbits(64):016x}"
        )
    elif kind == 5:
        ln.t(head + "payment authorised card=").p("CREDIT_CARD", card(r)).t(
            f" amount={r.randint(100, 99999)}"
        )
    elif kind == 6:
        ln.t(head + "kyc check ssn=").p("US_SSN", ssn(r)).t(" result=pass")
    elif kind == 7:
        ln.t(head + "payout iban=").p("BANK_ACCOUNT", iban(r)).t(
            f" currency=EUR amount={r.randint(10, 9999)}"
        )
    elif kind == 8:
        value, hs, he = url(r)
        ln.t(head + "redirect location=").p("URL", value, ("DOMAIN_NAME", hs, he))
    elif kind == 9:
        ln.t(head + "auth user=").p("USERNAME", username(r)).t(" password=").p(
            "PASSWORD", password(r)
        ).t(" method=basic")
    elif kind == 10:
        ln.t(head + "outbound call api_key=").p("API_KEY", api_key(r)).t(" region=ap-northeast-1")
    elif kind == 11:
        ln.t(head + "Authorization: Bearer ").p("JWT", jwt(r))
    elif kind == 12:
        ln.t(head + "request headers Cookie: ").p(
            "HTTP_COOKIE", f"sessionid={token(r, 24)}; theme=dark"
        )
    elif kind == 13:
        ln.t(f"{ts(r, i)} INFO [{r.choice(SERVICES)}] 顧客のメールアドレス ").p(
            "EMAIL_ADDRESS", email(r)
        ).t(" に確認メールを送信しました")
    elif kind == 14:
        d = f"０{r.choice('789')}０－{r.randint(1000, 9999)}－{r.randint(1000, 9999)}"
        d = d.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        ln.t(f"{ts(r, i)} INFO 電話番号：").p("PHONE_NUMBER", d).t(" を登録しました")
    elif kind == 15:
        ln.t(f"{ts(r, i)} INFO 個人番号: ").p("JP_MY_NUMBER", my_number(r)).t(" を照合しました")
    elif kind == 16:
        ln.t(f"{ts(r, i)} INFO 取引先 法人番号 ").p("JP_CORPORATE_NUMBER", corporate_number(r))
    elif kind == 17:
        ln.t(head + "device registered Serial No: ").p(
            "PRODUCT_SERIAL", f"HS-{r.randint(2019, 2025)}-{r.randint(10000, 99999)}"
        )
    elif kind == 18:
        e = email(r).translate(
            str.maketrans(
                string.ascii_letters + string.digits + "@.",
                "".join(chr(ord(c) + 0xFEE0) for c in string.ascii_letters + string.digits + "@."),
            )
        )
        ln.t(f"{ts(r, i)} INFO 連絡先（全角）：").p("EMAIL_ADDRESS", e)
    else:
        ln.t(f'{{"ts":"{ts(r, i)}","msg":"login","username":"').p("USERNAME", username(r)).t(
            '","ip":"'
        ).p("IP_ADDRESS", ipv4(r)).t('"}')
    return ln


CLEAN: list[tuple[Callable[[random.Random, int], Line], int]] = [
    (clean_json, 30),
    (clean_kv, 30),
    (clean_plain, 20),
    (clean_ja, 8),
]


def log_lines(r: random.Random, start: int, pii_rate: float = 0.07, nginx_rate: float = 0.03):
    """Endless log lines (each a Line); about 10% carry personal data."""
    funcs = [f for f, w in CLEAN for _ in range(w)]
    i = start
    while True:
        x = r.random()
        if x < pii_rate:
            yield pii_line(r, i)
        elif x < pii_rate + nginx_rate:
            yield nginx(r, i)
        elif x < pii_rate + nginx_rate + 0.004:
            yield from stack_trace(r, i)
        else:
            yield r.choice(funcs)(r, i)
        i += 1


def write_logs(
    out: Path, size: int, r: random.Random, gold: list[dict[str, object]]
) -> dict[str, int]:
    """Write the log files (one half of the size in one file); return lines per file."""
    shares = [
        ("logs/app-main.log", 0.5),
        ("logs/api-2024-10-01.log", 0.2),
        ("logs/worker.log", 0.15),
        ("logs/batch-ja.log", 0.15),
    ]
    counts: dict[str, int] = {}
    for rel, share in shares:
        target = int(size * share)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        written, line_no = 0, 0
        buf: list[str] = []
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for ln in log_lines(r, r.randint(0, 10**6)):
                text = ln.text()
                line_no += 1
                for ent, s, e in ln.spans:
                    gold.append({"path": rel, "line": line_no, "start": s, "end": e, "entity": ent})
                buf.append(text)
                written += len(text.encode("utf-8")) + 1
                if len(buf) >= 4096:
                    fh.write("\n".join(buf) + "\n")
                    buf.clear()
                if written >= target:
                    break
            if buf:
                fh.write("\n".join(buf) + "\n")
        counts[rel] = line_no
    return counts


# -- PII-free text -------------------------------------------------------------------------
WORDS = (
    "the a of to and in is that for it with as was on be by this are from at or an have not which "
    "system data value result process function module server request response table query index "
    "memory thread lock cache buffer stream record field column schema version release build test "
    "design pattern model method class object instance interface type string number list map set "
    "performance latency throughput error warning handler config option default parameter argument "
    "returns raises computes updates creates deletes reads writes checks validates parses formats"
).split()


def prose(r: random.Random) -> str:
    sents = []
    for _ in range(r.randint(3, 7)):
        words = r.choices(WORDS, k=r.randint(8, 20))
        if r.random() < 0.3:
            words.insert(r.randrange(len(words)), f"{r.randint(2, 999)}")
        if r.random() < 0.2:
            words.insert(
                r.randrange(len(words)), f"v{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}"
            )
        if r.random() < 0.1:
            words.insert(
                r.randrange(len(words)),
                f"{r.randint(1, 31)}/{r.randint(1, 12)}/{r.randint(1990, 2030)}",
            )
        sents.append(" ".join(words).capitalize() + r.choice([".", ".", ";", "!", "?"]))
    return " ".join(sents)


def code(r: random.Random) -> str:
    name = r.choice(WORDS) + "_" + r.choice(WORDS)
    cls = r.choice(WORDS).title() + r.choice(WORDS).title()
    return "\n".join(
        [
            f"class {cls}:",
            f'    """{prose(r)[:80]}"""',
            "",
            f"    def {name}(self, value: int = {r.randint(0, 100)}, *, retries: int = 3) -> dict[str, int]:",
            f"        result = self.{r.choice(WORDS)}.get({r.randint(0, 9)}, default=None)",
            f'        logger.info("{r.choice(MSGS)} %s", result)',
            f'        path = os.path.join(self.root, "{r.choice(WORDS)}.yaml")',
            f"        if len(result) > {r.randint(10, 10**6)} and version >= ({r.randint(1, 3)}, {r.randint(0, 12)}):",
            f'            return {{"{r.choice(WORDS)}": {r.randint(0, 10**9)}, "sha": "{r.getrandbits(160):040x}"}}',
            f"        timeout = {r.random() * 10:.2f}  # seconds",
            f'        uid = uuid.UUID("{r.getrandbits(128):032x}")',
            "        return {}",
            "",
        ]
    )


def doc(r: random.Random) -> str:
    return "\n".join(
        [
            f"## {r.choice(WORDS).title()} {r.choice(WORDS)}",
            "",
            prose(r),
            "",
            f"- Set `{r.choice(WORDS)}.{r.choice(WORDS)}` to `{r.randint(1, 4096)}` in `config.yaml`.",
            f"- Requires Python 3.{r.randint(8, 13)} and version "
            f"{r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)} or later.",
            f"- Table sizes: {r.randint(1, 999)},{r.randint(100, 999)},{r.randint(100, 999)} rows; "
            f"p99 {r.randint(1, 99)}.{r.randint(0, 9)} ms.",
            "",
            "```bash",
            f"make build -j{r.randint(1, 16)} && ./run --port {r.randint(1024, 65535)} --threads {r.randint(1, 64)}",
            "```",
            "",
        ]
    )


def write_clean(out: Path, size: int, r: random.Random) -> None:
    for rel, fn in (("clean/prose.txt", prose), ("clean/code.py", code), ("clean/docs.md", doc)):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            while written < size // 3:
                block = fn(r) + "\n"
                fh.write(block)
                written += len(block.encode("utf-8"))


# -- hard negatives: PII-free text shaped like personal data ------------------------------
# Engineering and Japanese business text that a naive pattern takes for personal data:
# versions with four parts (IPv4 shapes), loopback and netmasks, label keys (domains),
# key: value lines after credential words, placeholders, product and tracking numbers with
# valid check digits (EAN-13, My Number), ids and timestamps. Every template is non-personal
# whatever its random parts: no names, no hosts, no addresses, no credentials. Written under
# clean/hard/ with its own random stream (the logs and the other clean files do not change),
# and `hard_negatives.json` names the shape of every line (or of every JSON file).
HARD_DIR = "clean/hard"
HARD_SIDECAR = "hard_negatives.json"
HARD_VERSION = 1
#: size of the hard-negative part, as a share of the other clean text
HARD_SHARE = 0.5

DOTNET_ASSEMBLIES = [
    ("System.Runtime", "b03f5f7f11d50a3a"),
    ("System.Web", "b03f5f7f11d50a3a"),
    ("System.Configuration", "b03f5f7f11d50a3a"),
    ("System.Core", "b77a5c561934e089"),
    ("mscorlib", "b77a5c561934e089"),
    ("System.Web.Mvc", "31bf3856ad364e35"),
    ("System.Net.Http.Formatting", "31bf3856ad364e35"),
    ("Microsoft.Owin", "31bf3856ad364e35"),
    ("Newtonsoft.Json", "30ad4fe6b2a6aeed"),
    ("System.Memory", "cc7b13ffcd2ddd51"),
    ("Microsoft.Extensions.Logging.Abstractions", "adb9793829ddae60"),
]
NUGET_PACKAGES = [
    "Microsoft.Extensions.Logging",
    "Microsoft.Extensions.DependencyInjection",
    "Microsoft.Extensions.Configuration.Json",
    "Microsoft.EntityFrameworkCore.SqlServer",
    "System.Text.Json",
    "Serilog.Sinks.Console",
    "Newtonsoft.Json",
]
#: names without a capitalised dotted prefix (nuget_restore_other_name; flagged until the fix of 2026-11-26)
NUGET_OTHER = ["Polly", "Dapper", "Serilog", "Moq", "AutoMapper", "MediatR", "xunit.runner.visualstudio"]
NPM_DEPS = ["express", "pino", "zod", "axios", "dotenv", "jest", "typescript", "ts-node", "eslint"]
COMPONENTS = ["api", "worker", "frontend", "database", "cache", "scheduler"]
API_TITLES = ["Billing", "Orders", "Inventory", "Search", "Catalog", "Reports", "Shipping", "Notifications"]
API_RESOURCES = ["invoices", "orders", "items", "reports", "shipments", "events", "products"]
TEST_RUNNERS = ["pytest", "jest", "go test", "cargo test", "dotnet test", "rspec"]
STATUS_LINES = [
    "password: changed successfully",
    "password: updated",
    "password: expired, reset required",
    "password: reset",
    "login: success",
    "login: ok",
    "login: failed (invalid credentials)",
    "login: required",
    "user: unknown",
    "user: not found",
    "user: locked",
    "username: (hidden)",
]
#: status words in place of a credential (flagged until the fix of 2026-11-26)
STATUS_VERBS = [
    "user: created",
    "user: deleted",
    "login: disabled",
    "password: policy check passed",
    "password: too short",
]
CODE_CALLS = [
    "conn = psycopg2.connect(user=cfg.user, password=cfg.password, dbname=cfg.dbname)",
    "conn = pymysql.connect(host=settings.DB_HOST, user=settings.DB_USER, password=settings.DB_PASSWORD)",
    "client = redis.Redis(host=cfg.redis_host, port=cfg.redis_port, password=cfg.redis_password)",
    "session.login(username=username, password=password)",
    "token = auth.get_token(user=request.user, scope=scope)",
    "engine = create_engine(url, connect_args={'password': secrets.get('db_password')})",
]
#: a call as the credential argument (flagged until the fix of 2026-11-26)
CODE_CALL_ARGS = [
    "return self._client.authenticate(user=self.user, password=self._password())",
    "client = Client(user=cfg.user, password=get_password())",
    "return ldap.bind(user=cfg.bind_dn, password=vault.read_password(path))",
]
CODE_ERRORS = [
    "psycopg2.OperationalError: connection timed out",
    "redis.exceptions.ConnectionError: Error 111 connecting. Connection refused.",
    "TimeoutError: timed out after 30 s",
    "KeyError: 'db_password'",
    "pymysql.err.OperationalError: (2003, 'connection refused')",
]
PLACEHOLDER_URLS = [
    "postgres://USER:PASSWORD@HOST:5432/DB",
    "postgresql://USERNAME:PASSWORD@HOST:PORT/DATABASE",
    "mysql://<user>:<password>@<host>:3306/<database>",
    "mongodb://USER:PASSWORD@HOST:27017/DB?authSource=admin",
    "amqp://USER:PASSWORD@HOST:5672/",
    "redis://:PASSWORD@HOST:6379/0",
]
JA_PRODUCTS = ["冷蔵庫", "洗濯機", "エアコン", "電子レンジ", "掃除機", "炊飯器", "食器洗い乾燥機"]
JA_PROSE = [
    "新モデルの冷凍室は{a}L、野菜室は{b}Lで、棚の配置は従来モデルと同様の仕様です。",
    "本製品は表示部が{c}インチに大型化され、操作パネルの様式も刷新されました。",
    "都市部では{p}%の世帯が{prod}を買い替えており、求められる機能は多様化しています。",
    "タクシーの運転手さんによると、{m}月以降は都市部での利用が{p}%増えたという。",
    "仕様および外観は改良のため予告なく変更する場合があります（{y}年{m}月現在）。",
    "{prod}の表示部にエラーコード{e}が出た場合は、電源を入れ直してください。",
    "申請は所定の様式{k}で受け付け、審査には{d}営業日ほどかかります。",
    "冷凍室と野菜室の温度は{t}段階で切り替えられ、霜取りも自動で行われる仕様です。",
    "前年同様、{prod}の出荷台数は都市部が全体の{p}%を占めた。",
    "多様な働き方に合わせ、{prod}のアプリ連携機能を{y}年{m}月に追加した。",
]
JA_DIRECT = "ABCDEFGHJKLMNPRSTUVWXYZ"


def ean13(r: random.Random) -> str:
    """A valid EAN-13 with a Japanese (JAN) prefix, 45 or 49."""
    body = r.choice(["45", "49"]) + "".join(r.choices(string.digits, k=10))
    total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(body))
    return body + str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    return luhn_complete(num[:-1]) == num


def tracking_number(r: random.Random) -> str:
    """12 digits; two in three also pass the My Number check digit (the hard part)."""
    value = my_number(r)
    if r.random() < 1 / 3:
        value = value[:-1] + str((int(value[-1]) + r.randint(1, 9)) % 10)
    return value


def sku(r: random.Random) -> str:
    """A 3-3-4 product code that no phone number can be: 1xx-xxx-xxxx (a North American area
    code never starts with 1, a Japanese number starts with 0; 829-149-… is valid in the
    Dominican Republic, 042-667-… in Japan)."""
    return f"1{r.randint(0, 99):02d}-{r.randint(0, 999):03d}-{r.randint(0, 9999):04d}"


def _ver(r: random.Random, parts: int = 3) -> str:
    return ".".join(str(x) for x in [r.randint(1, 12)] + [r.randint(0, 20) for _ in range(parts - 1)])


def _hts(r: random.Random) -> str:
    return (
        f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
        f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"
    )


def _unix(r: random.Random) -> int:
    return r.randint(1_577_836_800, 1_798_761_600)  # 2020-2026


def _b64tok(r: random.Random, n: int) -> str:
    return token(r, n, string.ascii_letters + string.digits + "-_")


# each template returns its lines (one shape per call)
def hn_dotnet_log(r: random.Random) -> list[str]:
    asm, key = r.choice(DOTNET_ASSEMBLIES)
    ver = r.choice(["4.0.0.0", f"{r.randint(1, 8)}.0.0.0", f"{r.randint(1, 13)}.{r.randint(0, 9)}.0.0"])
    return [
        f"{_hts(r)} ERROR [{r.choice(SERVICES)}] System.IO.FileLoadException: Could not load file or "
        f"assembly '{asm}, Version={ver}, Culture=neutral, PublicKeyToken={key}' or one of its dependencies."
    ]


def hn_nuget_restore(r: random.Random) -> list[str]:
    pkg = r.choice(NUGET_PACKAGES)
    a = r.randint(1, 9)
    if r.random() < 0.5:
        return [f"  Restored {pkg} {a}.0.0.0 for net{r.choice(['6.0', '7.0', '8.0'])} ({r.randint(20, 900)} ms)."]
    return [f"Successfully installed {pkg} {a}.{r.randint(0, 9)}.0.0"]


def hn_nuget_restore_other_name(r: random.Random) -> list[str]:
    """As nuget_restore, for other names (Polly 8.0.0.0, xunit.runner.visualstudio 4.0.0.0)."""
    pkg = r.choice(NUGET_OTHER)
    return [
        f"  Restored {pkg} {r.randint(1, 9)}.0.0.0 "
        f"for net{r.choice(['6.0', '7.0', '8.0'])} ({r.randint(20, 900)} ms)."
    ]


def hn_nuget_upgrade(r: random.Random) -> list[str]:
    pkg = r.choice(NUGET_PACKAGES + NUGET_OTHER)
    a, b = r.randint(1, 9), r.randint(0, 9)
    if r.random() < 0.5:
        return [f"warn : Detected package downgrade: {pkg} from {a}.{b}.1.0 to {a}.{b}.0.0"]
    return [f"info : Package '{pkg}' {a}.{b}.0.0 -> {a}.{b + 1}.0.0 (upgrade)"]


def hn_user_agent(r: random.Random) -> list[str]:
    major = r.randint(100, 131)
    ua = r.choice(
        [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Safari/537.36 Edg/{major}.0.{r.randint(1000, 2999)}.{r.randint(10, 99)}",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Mobile Safari/537.36",
        ]
    )
    return [
        f"{_hts(r)} INFO [gateway] method=GET path={r.choice(PATHS)} status={r.choice([200, 200, 304, 404])} "
        f'bytes={r.randint(100, 90000)} ua="{ua}"'
    ]


def hn_loopback(r: random.Random) -> list[str]:
    port = r.choice([3000, 5432, 6379, 8000, 8080, 8443, 9090, r.randint(1024, 65535)])
    mask = r.choice(
        ["255.255.255.0", "255.255.0.0", "255.0.0.0", "255.255.255.128", "255.255.240.0", "255.255.255.252"]
    )
    return [
        r.choice(
            [
                f"{_hts(r)} INFO [{r.choice(SERVICES)}] listening on 127.0.0.1:{port}",
                f"{_hts(r)} INFO [{r.choice(SERVICES)}] server bound to 0.0.0.0:{port} (workers={r.randint(1, 16)})",
                f"{_hts(r)} INFO [{r.choice(SERVICES)}] metrics listening on [::1]:{port}",
                "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536  inet 127.0.0.1  netmask 255.0.0.0",
                f"route: destination 0.0.0.0 netmask {mask} metric {r.randint(0, 600)}",
                f"subnet prefix /{r.randint(8, 30)} netmask {mask} broadcast 255.255.255.255",
            ]
        )
    ]


def hn_test_summary(r: random.Random) -> list[str]:
    n, k = r.randint(1, 3000), r.randint(0, 40)
    return [
        r.choice(
            [
                f"summary: pass={n} fail=0 skip={k} duration={r.random() * 300:.1f}s",
                f"Results: pass: {n}, fail: 0, skip: {k}",
                f"Tests: {n} passed, {n} total",
                f"===== {n} passed, {k} skipped in {r.random() * 90:.2f}s =====",
                f"[{r.choice(TEST_RUNNERS)}] passed={n} failed=0 errors=0 skipped={k}",
                f"Passed!  - Failed: 0, Passed: {n}, Skipped: {k}, Total: {n + k}",
            ]
        )
    ]


def hn_status_line(r: random.Random) -> list[str]:
    return [
        f"{_hts(r)} INFO [auth] {r.choice(STATUS_LINES)} (policy=default attempts={r.randint(1, 5)})"
    ]


def hn_status_verb(r: random.Random) -> list[str]:
    return [
        f"{_hts(r)} INFO [auth] {r.choice(STATUS_VERBS)} (policy=default attempts={r.randint(1, 5)})"
    ]


def hn_stack_trace(r: random.Random, calls: list[str] = CODE_CALLS) -> list[str]:
    svc = r.choice(SERVICES)
    call = r.choice(calls)
    return [
        f"{_hts(r)} ERROR [{svc}] unhandled exception",
        "Traceback (most recent call last):",
        f'  File "/srv/{svc}/app/handlers.py", line {r.randint(10, 900)}, in handle',
        f"    result = self.process(payload, timeout={r.randint(1, 60)})",
        f'  File "/srv/{svc}/app/db.py", line {r.randint(10, 900)}, in connect',
        f"    {call}",
        r.choice(CODE_ERRORS),
    ]


def hn_stack_trace_call_arg(r: random.Random) -> list[str]:
    return hn_stack_trace(r, CODE_CALL_ARGS)


def hn_pagination(r: random.Random) -> list[str]:
    tok = _b64tok(r, r.choice([16, 24, 32, 44, 64]))
    res = r.choice(API_RESOURCES)
    return [
        r.choice(
            [
                f"{_hts(r)} DEBUG [{r.choice(SERVICES)}] GET /api/v1/{res}?limit={r.randint(10, 500)}"
                f"&next_token={tok} status=200",
                f'{{"ts":"{_hts(r)}","msg":"page fetched","items":{r.randint(0, 500)},"nextPageToken":"{tok}"}}',
                f"{_hts(r)} DEBUG [{r.choice(SERVICES)}] list {res} cursor={tok} page_size={r.randint(10, 500)}",
                f"{_hts(r)} DEBUG [{r.choice(SERVICES)}] continuation_token={tok} remaining={r.randint(0, 9999)}",
            ]
        )
    ]


def hn_timestamp(r: random.Random) -> list[str]:
    t = _unix(r)
    return [
        r.choice(
            [
                f"{_hts(r)} INFO [{r.choice(SERVICES)}] created_at={t} updated_at={t + r.randint(1, 10**6)}",
                f'{{"event":"job_done","started":{t},"finished_ms":{t * 1000 + r.randint(0, 999_999)}}}',
                f"{_hts(r)} DEBUG [{r.choice(SERVICES)}] lease expires {t + 3600} (now {t})",
            ]
        )
    ]


def hn_uuid(r: random.Random) -> list[str]:
    import uuid

    u = uuid.UUID(int=r.getrandbits(128), version=4)
    return [f"{_hts(r)} INFO [{r.choice(SERVICES)}] request_id={u} tenant={r.choice(COMPONENTS)} {r.choice(MSGS)}"]


def hn_git_sha(r: random.Random) -> list[str]:
    sha = f"{r.getrandbits(160):040x}"
    return [
        r.choice(
            [
                f"{_hts(r)} INFO [deploy] build {sha[:7]} from commit {sha} (version {_ver(r)})",
                f"commit {sha}",
                f"Merge: {sha[:7]} {r.getrandbits(28):07x}",
            ]
        )
    ]


def hn_sku_en(r: random.Random) -> list[str]:
    return [
        r.choice(
            [
                f"{_hts(r)} INFO [inventory] restocked sku={sku(r)} qty={r.randint(1, 500)} "
                f"warehouse=W{r.randint(1, 9)}",
                f"Replacement filter (SKU {sku(r)}) ships in {r.randint(2, 9)} business days.",
                f"| part no. {sku(r)} | {r.choice(JA_PRODUCTS)} | {r.randint(1, 99)} pcs |",
            ]
        )
    ]


def hn_sku_ja(r: random.Random) -> list[str]:
    return [f"交換用フィルター（品番：{sku(r)}）は{r.randint(2, 9)}営業日以内に出荷します。"]


def hn_jan(r: random.Random) -> list[str]:
    code = ean13(r)
    prod = r.choice(JA_PRODUCTS)
    return [
        r.choice(
            [
                f"JANコード：{code}　{prod}用 交換部品 {r.randint(1, 12)}個入り",
                f"商品名：{prod}用フィルター／JANコード {code}／希望小売価格 {r.randint(5, 300) * 100}円（税込）",
                f"JANコード: {code} 入数: {r.randint(1, 48)} 賞味期限: 製造から{r.randint(6, 36)}か月",
            ]
        )
    ]


def hn_tracking(r: random.Random) -> list[str]:
    num = tracking_number(r)
    return [
        r.choice(
            [
                f"ご注文の商品を発送しました。伝票番号：{num}（配送業者の追跡ページでご確認いただけます）",
                f"お問い合わせ伝票番号 {num[:4]}-{num[4:8]}-{num[8:]} 出荷日 {r.randint(1, 12)}月{r.randint(1, 28)}日",
                f"追跡番号: {num} 配達予定: {r.randint(1, 12)}月{r.randint(1, 28)}日 "
                f"{r.choice(['午前中', '14-16時', '18-20時'])}",
                f"伝票番号 {num} の荷物は配達店に到着しました"
                f"（{r.randint(1, 28)}日 {r.randint(8, 20)}:{r.randint(0, 59):02d}）",
            ]
        )
    ]


def hn_ja_prose(r: random.Random) -> list[str]:
    return [
        "".join(
            r.choice(JA_PROSE).format(
                a=r.randint(50, 200), b=r.randint(50, 150), c=r.randint(3, 10), p=r.randint(5, 80),
                prod=r.choice(JA_PRODUCTS), m=r.randint(1, 12), y=r.randint(2019, 2026),
                e=f"{r.choice(JA_DIRECT)}{r.randint(1, 99):02d}", k=r.randint(1, 12),
                d=r.randint(2, 20), t=r.randint(2, 7),
            )
            for _ in range(r.randint(1, 3))
        )
    ]


def hn_readme_placeholder(r: random.Random) -> list[str]:
    env = r.choice(["DATABASE_URL", "DB_URL", "BROKER_URL", "CACHE_URL", "MONGO_URI"])
    return [
        f"### {r.choice(['Configuration', 'Local setup', 'Environment'])}",
        "",
        f"Set `{env}` before starting the service (replace the upper-case words):",
        "",
        "```bash",
        f"export {env}={r.choice(PLACEHOLDER_URLS)}",
        f"./run --port {r.randint(1024, 65535)}",
        "```",
        "",
    ]


def hn_package_reference(r: random.Random) -> list[str]:
    pkg = r.choice(NUGET_PACKAGES + NUGET_OTHER)
    a, b = r.randint(1, 9), r.randint(0, 9)
    return [
        f"`dotnet add package {pkg} --version {a}.{b}.{r.randint(0, 9)}`",
        f'<PackageReference Include="{pkg}" Version="{a}.{b}.{r.randint(0, 9)}" />',
    ]


def hn_nuget_table(r: random.Random) -> list[str]:
    pkg = r.choice(NUGET_PACKAGES + NUGET_OTHER)
    return [f"| {pkg} | {r.randint(1, 9)}.{r.randint(0, 9)}.0.0 | {r.choice(['runtime', 'build', 'test'])} |"]


def hn_assembly_info(r: random.Random) -> list[str]:
    a, b, c = r.randint(1, 9), r.randint(0, 20), r.randint(0, 500)
    name = r.choice(API_TITLES) + r.choice(["Service", "Core", "Client", "Worker"])
    return [
        f"// {name}: generated by the build, do not edit",
        f'[assembly: AssemblyTitle("{name}")]',
        f'[assembly: AssemblyVersion("{r.choice(["1.0.0.0", f"{a}.{b}.0.0", f"{a}.0.0.0"])}")]',
        f'[assembly: AssemblyFileVersion("{a}.{b}.{c}.0")]',
        f'[assembly: AssemblyInformationalVersion("{a}.{b}.{c}")]',
        f'[assembly: Guid("{r.getrandbits(128):032x}")]',
        "",
    ]


def hn_binding_redirect(r: random.Random) -> list[str]:
    asm, key = r.choice(DOTNET_ASSEMBLIES)
    ver = f"{r.randint(1, 13)}.{r.randint(0, 9)}.{r.randint(0, 9)}.0"
    return [
        "      <dependentAssembly>",
        f'        <assemblyIdentity name="{asm}" publicKeyToken="{key}" culture="neutral" />',
        f'        <bindingRedirect oldVersion="0.0.0.0-{ver}" newVersion="{ver}" />',
        "      </dependentAssembly>",
    ]


def hn_k8s(r: random.Random) -> list[str]:
    name = r.choice(SERVICES)
    ver = _ver(r)
    return [
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        f"  name: {name}",
        "  labels:",
        f"    app.kubernetes.io/name: {name}",
        f"    app.kubernetes.io/instance: {name}-{r.choice(['prod', 'staging', 'dev'])}",
        f'    app.kubernetes.io/version: "{ver}"',
        f"    app.kubernetes.io/component: {r.choice(COMPONENTS)}",
        f"    app.kubernetes.io/part-of: {r.choice(SERVICES)}",
        "    app.kubernetes.io/managed-by: Helm",
        f"    helm.sh/chart: {name}-{_ver(r)}",
        "spec:",
        f"  replicas: {r.randint(1, 12)}",
        "  selector:",
        "    matchLabels:",
        f"      app.kubernetes.io/name: {name}",
        "  template:",
        "    spec:",
        "      containers:",
        f"        - name: {name}",
        f"          image: {name}:{ver}",
        "          ports:",
        f"            - containerPort: {r.choice([8080, 8443, 9090, 3000])}",
        "          resources:",
        f"            limits: {{cpu: {r.randint(1, 20) * 100}m, memory: {r.choice([128, 256, 512, 1024])}Mi}}",
    ]


def package_json(r: random.Random) -> dict[str, object]:
    name = f"{r.choice(SERVICES)}-{r.choice(['service', 'worker', 'api', 'ui', 'lib'])}"
    deps = r.sample(NPM_DEPS, r.randint(2, 5))
    return {
        "name": name,
        "version": _ver(r),
        "private": True,
        "description": f"{name.replace('-', ' ')} for the {r.choice(SERVICES)} platform",
        "main": "dist/index.js",
        "scripts": {"build": "tsc -p .", "test": "jest --ci", "start": "node dist/index.js"},
        "dependencies": {d: f"^{_ver(r)}" for d in deps},
        "engines": {"node": f">={r.choice([16, 18, 20])}"},
        "license": r.choice(["MIT", "Apache-2.0", "UNLICENSED"]),
    }


def openapi(r: random.Random) -> dict[str, object]:
    title = r.choice(API_TITLES)
    paths: dict[str, object] = {}
    for res in r.sample(API_RESOURCES, r.randint(1, 3)):
        paths[f"/v1/{res}"] = {
            "get": {
                "operationId": f"list{res.title()}",
                "summary": f"List {res}",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "maximum": r.choice([100, 500, 1000])},
                    },
                    {"name": "next_token", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "OK"}, "404": {"description": "Not found"}},
            }
        }
    return {
        "openapi": r.choice(["3.0.3", "3.1.0"]),
        "info": {"title": f"{title} API", "version": _ver(r), "description": f"Internal {title.lower()} endpoints."},
        "paths": paths,
        "components": {
            "schemas": {
                title: {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "created_at": {"type": "integer", "example": _unix(r)},
                        "status": {"type": "string", "enum": ["open", "closed"]},
                    },
                }
            }
        },
    }


#: line-based hard-negative files: (path under clean/hard, share of the part, [(template, weight)])
HARD_FILES: list[tuple[str, float, list[tuple[Callable[[random.Random], list[str]], int]]]] = [
    (
        "app.log",
        0.36,
        [
            (hn_dotnet_log, 3), (hn_nuget_restore, 2), (hn_nuget_restore_other_name, 1),
            (hn_nuget_upgrade, 1), (hn_user_agent, 4), (hn_loopback, 4), (hn_test_summary, 3),
            (hn_status_line, 3), (hn_status_verb, 1), (hn_stack_trace, 1),
            (hn_stack_trace_call_arg, 1), (hn_pagination, 3), (hn_timestamp, 3), (hn_uuid, 2),
            (hn_git_sha, 2), (hn_sku_en, 2),
        ],
    ),
    ("ja.txt", 0.22, [(hn_jan, 3), (hn_tracking, 3), (hn_ja_prose, 4), (hn_sku_ja, 1)]),
    ("README.md", 0.12, [(hn_readme_placeholder, 2), (hn_package_reference, 2), (hn_nuget_table, 1)]),
    ("Properties/AssemblyInfo.cs", 0.06, [(hn_assembly_info, 1)]),
    ("app.config", 0.06, [(hn_binding_redirect, 1)]),
    ("deploy/manifests.yaml", 0.08, [(hn_k8s, 1)]),
]
#: JSON documents, one per file: (folder under clean/hard, file name, share, builder)
HARD_JSON: list[tuple[str, str, float, Callable[[random.Random], dict[str, object]]]] = [
    ("packages", "package.json", 0.05, package_json),
    ("apis", "openapi.json", 0.05, openapi),
]


def shape_name(fn: Callable[..., object]) -> str:
    return fn.__name__.removeprefix("hn_")


#: shapes piimap still flags (measured 2026-11-26, docs/performance.md "Hard negatives"): they
#: stay in the benchmark so that the figure shows them; tests/test_bench_clean.py leaves them out
KNOWN_FLAGGED: frozenset[str] = frozenset()  # nuget_table: fixed in session 6 (pipe-table cells)


def write_hard_negatives(
    out: Path, size: int, seed: int, exclude: frozenset[str] = frozenset()
) -> dict[str, object]:
    """Write the hard-negative part (about `size` bytes) under clean/hard, without the shapes in
    `exclude`; return the shape map {path: [shape of each line]} or {path: shape} for a JSON
    document."""
    r = random.Random(f"hard-negatives-{seed}")
    shapes: dict[str, object] = {}
    for rel, share, templates in HARD_FILES:
        funcs = [f for f, w in templates for _ in range(w) if shape_name(f) not in exclude]
        target = max(1, int(size * share))
        path = out / HARD_DIR / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        lines: list[str] = []
        names: list[str] = []
        written = 0
        if rel == "app.config":
            lines += ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>", "  <runtime>",
                      '    <assemblyBinding xmlns="urn:schemas-microsoft-com:asm.v1">']
            names += ["binding_redirect"] * len(lines)
        first = True
        while written < target or first:
            first = False
            fn = r.choice(funcs)
            block = fn(r)
            lines += block
            names += [shape_name(fn)] * len(block)
            written += sum(len(x.encode("utf-8")) + 1 for x in block)
        if rel == "app.config":
            tail = ["    </assemblyBinding>", "  </runtime>", "</configuration>"]
            lines += tail
            names += ["binding_redirect"] * len(tail)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
        shapes[f"{HARD_DIR}/{rel}"] = names
    for folder, fname, share, build in HARD_JSON:
        if shape_name(build) in exclude:
            continue
        written, n = 0, 0
        while written < max(1, int(size * share)) or n == 0:
            n += 1
            rel = f"{HARD_DIR}/{folder}/{n:04d}/{fname}"
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(build(r), indent=2, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8", newline="\n")
            written += len(text.encode("utf-8"))
            shapes[rel] = shape_name(build)
    return shapes


def generate(
    out: Path, size_mb: float, seed: int = 7, clean_mb: float | None = None
) -> dict[str, object]:
    """Write the corpus into `out`; return the manifest."""
    r = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    gold: list[dict[str, object]] = []
    counts = write_logs(out, int(size_mb * MB), r, gold)
    with (out / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for g in gold:
            fh.write(json.dumps(g) + "\n")
    clean = clean_mb if clean_mb is not None else max(1.0, min(10.0, size_mb / 10))
    write_clean(out, int(clean * MB), r)
    hard = clean * HARD_SHARE
    shapes = write_hard_negatives(out, int(hard * MB), seed)
    (out / HARD_SIDECAR).write_text(json.dumps(shapes), encoding="utf-8")
    manifest = {
        "seed": seed,
        "size_mb": size_mb,
        "clean_mb": clean,
        "hard_mb": hard,
        "hard_version": HARD_VERSION,
        "lines": counts,
        "gold": len(gold),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def ensure(out: Path, size_mb: float, seed: int = 7) -> dict[str, object]:
    """Generate unless `out` already holds a corpus of that size and seed."""
    mf = out / "manifest.json"
    if mf.exists():
        m = json.loads(mf.read_text(encoding="utf-8"))
        if (
            m.get("seed") == seed
            and m.get("size_mb") == size_mb
            and m.get("hard_version") == HARD_VERSION
        ):
            return m  # type: ignore[no-any-return]
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    return generate(out, size_mb, seed)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size-mb", type=float, default=100.0, help="size of the log corpus in MB")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(json.dumps(ensure(a.out, a.size_mb, a.seed), indent=2))


if __name__ == "__main__":
    main()
