"""Seeded benchmark corpus: mixed application/access logs with gold labels, plus PII-free text.

    python -m bench.generate --size-mb 100 --out bench/corpus --seed 7

Writes
  logs/*.log        mixed shapes: JSON logs, key=value logs, nginx combined access logs,
                    Python/Java stack traces, Japanese messages, full-width forms; about 90% of
                    lines hold no personal data. One file is half the corpus (chunk parallelism).
  gold.jsonl        one row per planted value: {"path", "line", "start", "end", "entity"}
                    (path relative to the corpus folder, 1-based line, character offsets).
  clean/*.txt|.py|.md   PII-free prose, source code and docs (false-positive rate).
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
    manifest = {
        "seed": seed,
        "size_mb": size_mb,
        "clean_mb": clean,
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
        if m.get("seed") == seed and m.get("size_mb") == size_mb:
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
