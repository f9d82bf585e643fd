"""Credentials through the real detector: missed secrets in .env/YAML/JSON and status-word /
test-summary / system-identity false positives of PASSWORD and USERNAME."""

from __future__ import annotations

import pytest

from scanner.detect import Detector

_CRED = {"USERNAME", "PASSWORD", "API_KEY"}


def _found(det: Detector, text: str) -> set[tuple[str, str]]:
    return {(d.entity, d.value) for d in det.detect_text("t.env", text, 1) if d.entity in _CRED}


_AWS = "h4Jd9Kx2Lm8Qp3Rt6Vw1Yz5Ab7Cd0Ef2Gh4Ij6K"
_TOK = "9Kx2Lm8Qp3Rt6Vw1Yz5Ab7Cd"
_AZ_SECRET = "Qh.8Q~abcDEF123ghiJKL456mnoPQR789stuVWX0"
_AZ_KEY = "k3Jd9Kx2Lm8Qp3Rt6Vw1Yz5Ab7Cd0Ef2Gh4Ij6Kl8MnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWx=="
_AZ_CONN = f"DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey={_AZ_KEY};EndpointSuffix=core.windows.net"
_WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSz"
_HOOK = "T04QX7K2L/B05R8N3JD9A/q8Zx2Lm4Np7Rt1Vw9Yb3Cd6F"


@pytest.mark.parametrize(
    ("line", "entity", "value"),
    [
        ("MYSQL_ROOT_PASSWORD=Rt7kLp2QxZ", "PASSWORD", "Rt7kLp2QxZ"),
        ("SPRING_DATASOURCE_PASSWORD=Rt7kLp2QxZ", "PASSWORD", "Rt7kLp2QxZ"),
        ("PGPASSWORD=Rt7kLp2QxZ", "PASSWORD", "Rt7kLp2QxZ"),
        ("adminPassword: Rt7kLp2QxZ", "PASSWORD", "Rt7kLp2QxZ"),
        ('dbPassword: "Rt7kLp2QxZ"', "PASSWORD", "Rt7kLp2QxZ"),
        ('{"dbPassword": "Rt7kLp2QxZ"}', "PASSWORD", "Rt7kLp2QxZ"),
        ("redis://:myRedisPass99@redis.internal:6379/0", "PASSWORD", "myRedisPass99"),
        (f"AWS_SECRET_ACCESS_KEY={_AWS}", "API_KEY", _AWS),
        (f'{{"AWS_SECRET_ACCESS_KEY": "{_AWS}"}}', "API_KEY", _AWS),
        (f"JWT_SECRET={_TOK}", "API_KEY", _TOK),
        (f"ENCRYPTION_KEY={_TOK}", "API_KEY", _TOK),
        (f"TOKEN={_TOK}", "API_KEY", _TOK),
        (f'{{"token":"{_TOK}"}}', "API_KEY", _TOK),
        ("-----BEGIN RSA PRIVATE KEY-----", "API_KEY", "-----BEGIN RSA PRIVATE KEY-----"),
        ("-----BEGIN PRIVATE KEY-----", "API_KEY", "-----BEGIN PRIVATE KEY-----"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "API_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----"),
        ("-----BEGIN EC PRIVATE KEY-----", "API_KEY", "-----BEGIN EC PRIVATE KEY-----"),
        ("MYSQL_PWD=Rt7kLp2QxZ", "PASSWORD", "Rt7kLp2QxZ"),
        (f"AZURE_CLIENT_SECRET={_AZ_SECRET}", "API_KEY", _AZ_SECRET),
        (f"AZURE_STORAGE_CONNECTION_STRING={_AZ_CONN}", "API_KEY", _AZ_KEY),
        (f"STRIPE_WEBHOOK_SECRET={_WHSEC}", "API_KEY", _WHSEC),
        (f"SLACK_WEBHOOK_URL=https://hooks.slack.com/services/{_HOOK}", "API_KEY", _HOOK),
    ],
)
def test_when_secret_in_config_then_found(detector: Detector, line: str, entity: str, value: str) -> None:
    assert (entity, value) in _found(detector, line)


@pytest.mark.parametrize(
    "line",
    [
        "summary: pass=120 fail=0 skip=2",
        "Results: pass: 57, fail: 0",
        "password: changed successfully",
        "user: created",
        "login: disabled",
        "password: policy check passed",
        "password: too short",
        # lower-case structured names after a secret-named key: paths, slugs, reverse domains
        "secret=projects/123456/secrets/db-password/versions/3",
        "app_key=com.example.shop.android2024",
        "master_key=mk-2024-11-rotation-03",
        "request_token=req-20241126-000123",
        "password: (hidden)",
        "Password: updated",
        "INFO user: unknown",
        "INFO login: success",
        "login=ok",
        "login: failed",
        "user=system:serviceaccount:kube-system:default",
        "postgres://USER:PASSWORD@HOST:5432/DB",
        # env dumps: the working directory, the shell's user, a cloud account number
        "PWD=/srv/app",
        "PWD=/home/deploy",
        "USER=root",
        "account_id=123456789012",
        "DB_PASSWORD=$(cat /run/secrets/db)",
        "DB_PASSWORD=true",
        "SMTP_PASSWORD={smtp_password}",
    ],
)
def test_when_status_word_or_non_personal_then_no_credential(detector: Detector, line: str) -> None:
    assert _found(detector, line) == set()


@pytest.mark.parametrize(
    "line",
    ["password: ********", "password: <redacted>", "password reset: ok", f"next_token={_TOK}"],
)
def test_when_masked_or_not_a_secret_then_nothing_found(detector: Detector, line: str) -> None:
    # guards: these already passed before the fix; they pin the behaviour down
    assert _found(detector, line) == set()


@pytest.mark.parametrize(
    ("line", "entity", "value"),
    [
        ("password=123456", "PASSWORD", "123456"),
        ("password: hunter2", "PASSWORD", "hunter2"),
        ("password: Summer2024!", "PASSWORD", "Summer2024!"),
        ("user: tyamada", "USERNAME", "tyamada"),
        ("login=jsmith", "USERNAME", "jsmith"),
        ("user=alice@example.com", "USERNAME", "alice@example.com"),
        ("pwd=s3cr3t", "PASSWORD", "s3cr3t"),
        ("USER=kwatanabe", "USERNAME", "kwatanabe"),
        ("ACCOUNT_ID=48213", "USERNAME", "48213"),
    ],
)
def test_when_real_credential_then_still_found(detector: Detector, line: str, entity: str, value: str) -> None:
    assert (entity, value) in _found(detector, line)
