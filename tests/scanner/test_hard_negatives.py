"""Hard negatives: shapes that look like personal data to a naive regex but are not."""

from __future__ import annotations

import pytest

from recognizers.registry import build_recognizers
from scanner.detect import Detector


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(build_recognizers())


@pytest.mark.parametrize(
    "line",
    [
        "request_id=550e8400-e29b-41d4-a716-446655440000",
        "sha256=9b74c9897bac770ffc029102a200c5de1a6c5d0c3b6e6f0f0b1d2c3e4f5a6b7c",
        "md5 d41d8cd98f00b204e9800998ecf8427e",
        "git commit 7f3c9a1e2b4d6f8a0c1e3b5d7f9a1c3e5b7d9f1a",
        "2024-10-01T09:00:00.123456Z took 1234 ms",
        "ts=1727773218000 epoch=1727773218",
        "order=100234 invoice=INV-2024-000123 total=4980",
        "version 2.3.14 build v1.2.3.4 (1.3.6.1.4.1.311)",
        "card 4111 1111 1111 1112 declined",
        "my number 123456789012",
        "corporate 7000012050003",
        "mac aa:bb:cc:dd:ee:ff at 12:34:56",
        "def load(self): return os.path.join(base, 'config.yaml')",
        "logger.info('saved %s', obj.name)",
        "password=${DB_PASSWORD} token=<your-token> secret: ********",
        "serializer=json serial port opened",
        "the price is 1,234,567 yen for 3 items",
    ],
    ids=["uuid", "sha256", "md5", "git-sha", "timestamp", "epoch-ms", "order-numbers", "versions",
         "bad-luhn", "bad-my-number", "bad-corporate", "mac-and-time", "code", "code-attrs",
         "placeholders", "serial-words", "prices"],
)
def test_when_hard_negative_then_nothing_found(detector: Detector, line: str) -> None:
    found = [(d.entity, d.value) for d in detector.detect_text("t", line, 1)]
    assert found == []


@pytest.mark.parametrize(
    ("line", "in_code", "in_config"),
    [
        ("        self.password = credentials", False, True),
        ("    pwd = os.environ['DB_PASSWORD']", False, False),
        ("db_password = settings.DB_PASSWORD", False, True),
        ("password=get_password()", False, True),
        ('password = "hunter2!"', True, True),  # a literal in code is a leak
        ("# password = hunter2!", True, True),  # so is one in a comment
        ("if password == stored:", False, False),  # a comparison was never a candidate
        ("    def __init__(self, passwd=None):", False, True),
        ("        self.passwd = {}", False, True),
        ("        pwd = (self.password.encode('utf-8') if x else y)", False, True),
        ("        if user or passwd: self.auth_cache[key] = (user, passwd)", False, True),
        ("            - password:     The password for the authentication.", False, True),
        ("password: hunter2", False, True),  # in code, `key: word` is a mapping or an annotation
        ("password: hunter2!", True, True),  # not an expression: reported
    ],
)
def test_when_source_code_assigns_an_expression_then_it_is_no_password(
    detector: Detector, line: str, in_code: bool, in_config: bool
) -> None:
    # USERNAME follows the same rule: `user = unquote(user)` (tested below)
    def passwords(path: str) -> list[str]:
        return [d.value for d in detector.detect_text(path, line, 1) if d.entity == "PASSWORD"]

    assert bool(passwords("app/settings.py")) == in_code
    assert bool(passwords("src/Main.java")) == in_code
    # in a config file an unquoted value is the password itself
    assert bool(passwords("deploy/app.env")) == bool(passwords("app.properties")) == in_config


@pytest.mark.parametrize(
    ("line", "in_code"),
    [
        ("        user = unquote(user or '')", False),
        ("        login = lexer.get_token()", False),
        ("    username = a_s.local_part", False),
        ("user = 'taro_yamada'", True),
        ("# login: taro_yamada", True),
    ],
)
def test_when_source_code_assigns_an_expression_to_a_user_key_then_it_is_no_username(
    detector: Detector, line: str, in_code: bool
) -> None:
    def users(path: str) -> list[str]:
        return [d.value for d in detector.detect_text(path, line, 1) if d.entity == "USERNAME"]

    assert bool(users("lib/auth.py")) == in_code
    assert users("conf/app.ini") != []

