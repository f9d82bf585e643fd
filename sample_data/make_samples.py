"""Writes sample_data/logs/*, sample_data/clean/* and their rows of sample_data/expected.jsonl.

Deterministic: running it twice gives the same bytes. Every planted value is synthetic
(example.* domains, 555-01xx and documentation IP ranges, test card numbers, check-digit-valid
but made-up identifiers). Rows of expected.jsonl for files this script does not write are kept.

Run: python sample_data/make_samples.py
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OWN = ("sample_data/logs/app.log", "sample_data/logs/access.log", "sample_data/logs/auth.log",
       "sample_data/logs/app_ja.log", "sample_data/logs/legacy_sjis.log",
       "sample_data/logs/archive/app-2024-09.log.gz", "sample_data/logs/cookies.txt")

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IlRhcm8gWWFtYWRhIn0"
       ".dGhpc19pc19ub3RfYV9yZWFsX3NpZ25hdHVyZV9vbmx5X2Zvcl90ZXN0cw")

# Each line: (template, [(entity, value), ...]). A line without plants must yield nothing.
APP_LOG = [
    ("2024-10-01T09:00:00Z INFO  service=billing starting version=v2.3.14 build=7f3c9a1e2b4d", []),
    ("2024-10-01T09:00:01Z INFO  request_id=3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d order=100234 total=4980 yen", []),
    ("2024-10-01T09:00:02Z INFO  signup email={v0} plan=pro", [("EMAIL_ADDRESS", "taro.yamada@example.co.jp")]),
    ("2024-10-01T09:00:03Z INFO  contact phone={v0} alt={v1}",
     [("PHONE_NUMBER", "+1 415-555-0132"), ("PHONE_NUMBER", "090-1234-5678")]),
    ("2024-10-01T09:00:04Z DEBUG upstream host={v0} latency_ms=12", [("DOMAIN_NAME", "api.example-shop.com")]),
    ("2024-10-01T09:00:05Z INFO  redirect to={v0}",
     [("URL", "https://portal.example.com/account/settings"), ("DOMAIN_NAME", "portal.example.com")]),
    ("2024-10-01T09:00:06Z WARN  rate limit client={v0} ipv6={v1}",
     [("IP_ADDRESS", "203.0.113.42"), ("IP_ADDRESS", "2001:db8::8a2e:370:7334")]),
    ("2024-10-01T09:00:07Z DEBUG Authorization: Bearer {v0}", [("JWT", JWT)]),
    ("2024-10-01T09:00:08Z DEBUG Cookie: {v0}",
     [("HTTP_COOKIE", "sessionid=9f8e7d6c5b4a39281716; csrftoken=Zq81mX0a")]),
    ("2024-10-01T09:00:09Z ERROR login failed login={v0} password={v1}",
     [("USERNAME", "jsmith"), ("PASSWORD", "Tr0ub4dor-88")]),
    ("2024-10-01T09:00:10Z DEBUG aws key={v0} gh={v1}",
     [("API_KEY", "AKIAZ3MPLE7QWERTY123"), ("API_KEY", "ghp_16C7e42F292c6912E7710c838347Ae178B4a")]),
    ("2024-10-01T09:00:11Z INFO  payment card={v0} status=declined", [("CREDIT_CARD", "4111 1111 1111 1111")]),
    ("2024-10-01T09:00:12Z INFO  payout iban={v0}", [("BANK_ACCOUNT", "GB82 WEST 1234 5698 7654 32")]),
    ("2024-10-01T09:00:13Z INFO  kyc ssn={v0}", [("US_SSN", "536-22-8745")]),
    ("2024-10-01T09:00:14Z INFO  kyc passport_no={v0}", [("PASSPORT", "TK1234567")]),
    ("2024-10-01T09:00:15Z INFO  kyc driver license: {v0}", [("DRIVER_LICENSE", "D1234567")]),
    ("2024-10-01T09:00:16Z INFO  device registered serial_no={v0}", [("PRODUCT_SERIAL", "HS-2024-00017")]),
    ("2024-10-01T09:00:17Z INFO  sha256=9b74c9897bac770ffc029102a200c5de1a6c5d0c3b6e6f0f0b1d2c3e4f5a6b7c"
     " uuid=550e8400-e29b-41d4-a716-446655440000", []),
    ("2024-10-01T09:00:18Z INFO  invoice=INV-2024-000123 amount=12000 ts=1727773218000 lib=requests/2.32.3", []),
    ("2024-10-01T09:00:19Z INFO  db=postgres://{v0}:{v1}@db.internal.example.net:5432/app",
     [("USERNAME", "app_user"), ("PASSWORD", "Xyz!2024"), ("DOMAIN_NAME", "db.internal.example.net")]),
    ("2024-10-01T09:00:20Z INFO  payment card={v0} cvv={v1} exp={v2} status=approved",
     [("CREDIT_CARD", "5500 0000 0000 0004"), ("CARD_SECURITY_CODE", "318"), ("CARD_EXPIRY", "08/27")]),
]
ACCESS_LOG = [
    ('{v0}',
     [("REQUEST_HISTORY", '203.0.113.9 - - [01/Oct/2024:09:12:01 +0900] "GET /products/42 HTTP/1.1" 200 5120 '
                          '"-" "Mozilla/5.0"'),
      ("IP_ADDRESS", "203.0.113.9")]),
    ('{v0}',
     [("REQUEST_HISTORY", '198.51.100.77 - - [01/Oct/2024:09:12:05 +0900] "POST /api/v1/orders HTTP/1.1" 201 310 '
                          '"https://shop.example.com/cart" "Mozilla/5.0"'),
      ("IP_ADDRESS", "198.51.100.77"), ("URL", "https://shop.example.com/cart"), ("DOMAIN_NAME", "shop.example.com")]),
    ('{v0}',
     [("REQUEST_HISTORY", '{"time":"2024-10-01T00:12:09Z","method":"GET","path":"/account","status":200,'
                          '"client":"192.0.2.15"}'),
      ("IP_ADDRESS", "192.0.2.15")]),
]
AUTH_LOG = [
    ("Oct  1 09:20:01 bastion sshd[2211]: Invalid user {v0} from 192.0.2.201 port 52144",
     [("USERNAME", "admin2"), ("IP_ADDRESS", "192.0.2.201")]),
    ("Oct  1 09:20:03 bastion sshd[2211]: Connection closed by authenticating user root port 52144 [preauth]", []),
    ("Oct  1 09:21:44 bastion sshd[2240]: Failed password for invalid user {v0} from 192.0.2.202 port 40022 ssh2",
     [("USERNAME", "oracle"), ("IP_ADDRESS", "192.0.2.202")]),
]
APP_JA = [
    ("2024-10-01 10:00:00 INFO お問い合わせを受け付けました 受付番号=Q-20241001-0042", []),
    ("2024-10-01 10:00:01 INFO 会員登録 メール={v0}", [("EMAIL_ADDRESS", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")]),
    ("2024-10-01 10:00:02 INFO 連絡先 電話番号：{v0}", [("PHONE_NUMBER", "０３－１２３４－５６７８")]),
    ("2024-10-01 10:00:03 WARN マイナンバー: {v0} を平文で受信", [("JP_MY_NUMBER", "482917365029")]),
    ("2024-10-01 10:00:04 INFO 取引先 法人番号 {v0}", [("JP_CORPORATE_NUMBER", "7000012050002")]),
    ("2024-10-01 10:00:05 ERROR ログイン失敗 ユーザーID: {v0} パスワード：{v1}",
     [("USERNAME", "hanako01"), ("PASSWORD", "himitsu123")]),
    ("2024-10-01 10:00:06 INFO 振込先 口座番号: {v0}", [("BANK_ACCOUNT", "1234567")]),
    ("2024-10-01 10:00:07 INFO 本人確認 旅券番号: {v0}", [("PASSPORT", "TZ7654321")]),
    ("2024-10-01 10:00:08 INFO 本人確認 運転免許証番号: {v0}", [("DRIVER_LICENSE", "301234567890")]),
    ("2024-10-01 10:00:09 INFO 製品登録 シリアル番号：{v0}", [("PRODUCT_SERIAL", "DS5-88213-XJ")]),
    ("2024-10-01 10:00:10 INFO 決済 カード番号 {v0}", [("CREDIT_CARD", "４１１１－１１１１－１１１１－１１１１")]),
    ("2024-10-01 10:00:11 INFO バージョン 2.3.14 にアップデートしました", []),
    ("2024-10-01 10:00:12 INFO 決済 カード番号 {v0} セキュリティコード：{v1} 有効期限：{v2}",
     [("CREDIT_CARD", "3782 822463 10005"), ("CARD_SECURITY_CODE", "7421"), ("CARD_EXPIRY", "11/28")]),
]
SJIS = [
    ("2024-09-30 18:00:00 INFO 旧システムから移行", []),
    ("2024-09-30 18:00:01 INFO 顧客メール {v0} 電話 {v1}",
     [("EMAIL_ADDRESS", "suzuki.ichiro@example.jp"), ("PHONE_NUMBER", "06-6123-4567")]),
    ("2024-09-30 18:00:02 WARN 個人番号 {v0}", [("JP_MY_NUMBER", "716253849105")]),
]
GZ = [
    ("2024-09-01T00:00:00Z INFO archived log start", []),
    ("2024-09-01T00:00:01Z INFO signup email={v0} from={v1}",
     [("EMAIL_ADDRESS", "archive.user@example.org"), ("IP_ADDRESS", "198.51.100.23")]),
]
COOKIES = [
    ("# Netscape HTTP Cookie File", []),
    ("{v0}", [("HTTP_COOKIE", ".example.com\tTRUE\t/\tTRUE\t1767225600\tsession\t5f4dcc3b5aa765d61d8327deb882cf99")]),
]

CLEAN_PROSE = """# Release notes

Version 2.3.14 improves start-up time and fixes the retry logic in the billing worker.
The team measured a 12% reduction in latency at the 99th percentile over 1,000,000 requests.
See the design document in the docs folder for details; build 7f3c9a1e2b4d is the release.

## リリースノート

バージョン 2.3.14 では起動時間を短縮し、請求処理の再試行ロジックを修正しました。
設定ファイルの書式は変わりません。詳細は設計資料を参照してください。
"""
CLEAN_CODE = '''"""Retry helpers for the billing worker."""

import logging
import os.path
import time
import uuid

logger = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 30  # seconds
MAX_RETRIES = 5
VERSION = "2.3.14"
CHECKSUM = "9b74c9897bac770ffc029102a200c5de1a6c5d0c3b6e6f0f0b1d2c3e4f5a6b7c"


def retry(fn, attempts=MAX_RETRIES, delay=0.5):
    """Call fn until it succeeds, sleeping between attempts."""
    for attempt in range(attempts):
        try:
            return fn()
        except OSError as exc:
            logger.info("attempt %d failed: %s", attempt, exc)
            time.sleep(delay * 2**attempt)
    raise RuntimeError("giving up after %d attempts" % attempts)


def new_request_id():
    """A fresh request id such as 550e8400-e29b-41d4-a716-446655440000."""
    return str(uuid.uuid4())


def config_path(name):
    """Path of a config file, e.g. settings.yaml next to this module."""
    return os.path.join(os.path.dirname(__file__), name + ".yaml")
'''
CLEAN_CONFIG = """# Service configuration (no secrets: they come from the environment)
service:
  name: billing
  port: 8080
  timeout_ms: 1500
database:
  user: ${DB_USER}
  password: ${DB_PASSWORD}
  pool_size: 10
features:
  retries: 5
  version: 2.3.14
"""


def render(lines: list[tuple[str, list[tuple[str, str]]]], path: str) -> tuple[str, list[dict[str, object]]]:
    """Render template lines; return the text and its expected rows (1-based lines)."""
    out, rows = [], []
    for i, (tpl, plants) in enumerate(lines, start=1):
        values = {f"v{k}": v for k, (_, v) in enumerate(plants)}
        text = tpl.format(**values) if plants else tpl
        out.append(text)
        for entity, value in plants:
            start = text.index(value)
            rows.append({"path": path, "line": i, "row": None, "column": None, "entity": entity,
                         "value": value, "start": start, "end": start + len(value)})
    return "\n".join(out) + "\n", rows


def main() -> None:
    """Write the files and merge their rows into expected.jsonl."""
    rows: list[dict[str, object]] = []
    jobs = [
        ("sample_data/logs/app.log", APP_LOG, "utf-8", False),
        ("sample_data/logs/access.log", ACCESS_LOG, "utf-8", False),
        ("sample_data/logs/auth.log", AUTH_LOG, "utf-8", False),
        ("sample_data/logs/app_ja.log", APP_JA, "utf-8", False),
        ("sample_data/logs/legacy_sjis.log", SJIS, "cp932", False),
        ("sample_data/logs/archive/app-2024-09.log.gz", GZ, "utf-8", True),
        ("sample_data/logs/cookies.txt", COOKIES, "utf-8", False),
    ]
    for rel, lines, enc, gz in jobs:
        text, r = render(lines, rel)
        rows.extend(r)
        target = ROOT / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode(enc)
        if gz:
            data = gzip.compress(data, mtime=0)
        target.write_bytes(data)
    (HERE / "clean").mkdir(exist_ok=True)
    (HERE / "clean" / "release-notes.md").write_text(CLEAN_PROSE, encoding="utf-8")
    (HERE / "clean" / "retry.py").write_text(CLEAN_CODE, encoding="utf-8")
    (HERE / "clean" / "settings.yaml").write_text(CLEAN_CONFIG, encoding="utf-8")
    (HERE / ".piimapignore").write_text(
        "# test metadata, not data: keep it out of `piimap scan sample_data/`\nexpected.jsonl\nmake_*.py\n",
        encoding="utf-8",
    )
    expected = HERE / "expected.jsonl"
    kept = []
    if expected.exists():
        for line in expected.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line)["path"] not in OWN:
                kept.append(line)
    new = [json.dumps(r, ensure_ascii=False) for r in rows]
    expected.write_text("\n".join(sorted(kept) + new) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
