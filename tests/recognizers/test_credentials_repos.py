"""USERNAME / PASSWORD / API_KEY in source repositories through the real detector, with the
file name the scanner sees (source code and configuration files are judged differently):
secrets that were missed (PHP `define`, Maven XML, `curl -u`, Django SECRET_KEY, base64 PEM
keys in Kubernetes Secrets, Terraform state, Telegram and Discord tokens, `#` in a DSN
password, quoted values with `&`) and false positives that failed CI gates on every repo
(printf conversions, Rust `env::var`, Terraform references, protobuf field numbers, OpenAPI
flow mappings, i18n labels and validation messages, template users and placeholders).

Each case states every credential in its text: the expected ones are found with their exact
span and nothing else is (a false positive makes the list longer)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.detect import Detector

#: the new patterns must be selected by the Hyperscan and the pure-regex prefilter alike
BOTH_PREFILTERS = True

_CRED = {"USERNAME", "PASSWORD", "API_KEY"}


def _creds(det: Detector, path: str, text: str) -> list[tuple[str, str]]:
    """(entity, value) of every credential in `text` scanned as file `path`, checking that
    each span is the value."""
    lines = text.split("\n")
    found = []
    for d in det.detect_text(path, text, 1):
        if d.entity in _CRED:
            assert lines[d.line - 1][d.start : d.end] == d.value
            found.append((d.entity, d.value))
    return sorted(found)


def _expect(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return sorted(pairs)


_PEM_B64 = base64.b64encode(
    b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
).decode()
_RSA_B64 = base64.b64encode(b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1L\n").decode()
_EC_B64 = base64.b64encode(b"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9\n").decode()
_CERT_B64 = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIC/TCCAeWgAwIBAgIJAO\n").decode()
#: base64 of `-----BEGIN PRIVATE KEY--`, all a truncated value may show
_PEM_HEAD_B64 = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0t"
_DISCORD = "Xk9mQ2vL8pzR4tW7yB1cN5dF3gH6jK0aS2eU9iO4pZ8xC7vB1nM3qW5eR7tY9uI0oP2aS4dF"
_TELEGRAM = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
_DJANGO = "django-insecure-8x#k2$m9!q@w3e4r5t6y7u8i9o0p"


def test_base64_prefixes_are_those_of_a_private_key_header() -> None:
    assert _PEM_B64.startswith("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0t")
    assert _RSA_B64.startswith("LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVkt")
    assert _EC_B64.startswith("LS0tLS1CRUdJTiBFQyBQUklWQVRF")
    assert _CERT_B64.startswith("LS0tLS1CRUdJTiBDRVJU")


# -- 1. a `#` inside a DSN password ---------------------------------------------------------


@pytest.mark.parametrize("path", ["docker-compose.yml", ".env", "app.log"])
def test_when_dsn_password_holds_a_hash_then_user_and_password_found(detector: Detector, path: str) -> None:
    text = "      - DATABASE_URL=postgres://acme:Xk9#mQ2vL8pz@db:5432/acme"
    assert _creds(detector, path, text) == _expect(("USERNAME", "acme"), ("PASSWORD", "Xk9#mQ2vL8pz"))


@pytest.mark.parametrize(
    "text",
    [
        "see https://x.example.com:8443#contact@b.example.com",
        "GET https://api.example.com:443?email=a@b.example.com",
    ],
)
def test_when_a_port_is_followed_by_a_fragment_or_query_then_no_userinfo(detector: Detector, text: str) -> None:
    assert _creds(detector, "README.md", text) == []


# -- 2. missed secrets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("wp-config.php", "define('DB_PASSWORD', 'r00tP@ss!');", [("PASSWORD", "r00tP@ss!")]),
        ("config.php", 'define("SMTP_PASS", "Sm7p-Pa55word");', [("PASSWORD", "Sm7p-Pa55word")]),
        (
            "settings.xml",
            "    <server>\n      <id>nexus</id>\n      <password>N3xusP@ssw0rd</password>\n    </server>",
            [("PASSWORD", "N3xusP@ssw0rd")],
        ),
        ("pom.xml", "<keystorePassword>St0reP@ss</keystorePassword>", [("PASSWORD", "St0reP@ss")]),
        (
            "context.xml",
            "<jdbc-url>jdbc:mysql://db:3306/app?user=app&password=Id3aPa55!</jdbc-url>",
            [("USERNAME", "app"), ("PASSWORD", "Id3aPa55!")],
        ),
        ("deploy.sh", "curl -u admin:Adm1nPa55 https://api.example.com", [("PASSWORD", "Adm1nPa55")]),
        (
            "deploy.sh",
            "curl -fsS --user deployer:Adm1nPa55 https://api.example.com/v1/release",
            [("USERNAME", "deployer"), ("PASSWORD", "Adm1nPa55")],
        ),
        ("settings.py", f"SECRET_KEY = '{_DJANGO}'", [("API_KEY", _DJANGO)]),
        (".env", f"DJANGO_SECRET_KEY={_DJANGO}", [("API_KEY", _DJANGO)]),
        ("tls-secret.yaml", f"data:\n  tls.key: {_PEM_B64}", [("API_KEY", _PEM_B64)]),
        ("secret.yaml", f"  tls.key: {_RSA_B64}", [("API_KEY", _RSA_B64)]),
        # the header alone (a value cut short in a review comment or a log)
        ("secret.yaml", f"  tls.key: {_PEM_HEAD_B64}", [("API_KEY", _PEM_HEAD_B64)]),
        ("secret.json", f'{{"data": {{"tls.key": "{_EC_B64}"}}}}', [("API_KEY", _EC_B64)]),
        (
            "terraform.tfstate",
            '            "ses_smtp_password_v4": "BNmZ2k1wQ8xLp3Rt6Vw1Yz5Ab7Cd0Ef2Gh4Ij6Kl8Mn",',
            [("PASSWORD", "BNmZ2k1wQ8xLp3Rt6Vw1Yz5Ab7Cd0Ef2Gh4Ij6Kl8Mn")],
        ),
        ("bot.py", f'TELEGRAM_BOT_TOKEN = "{_TELEGRAM}"', [("API_KEY", _TELEGRAM)]),
        ("notify.sh", f"curl -s https://api.telegram.org/bot{_TELEGRAM}/sendMessage", [("API_KEY", _TELEGRAM)]),
        (
            "notify.py",
            f'WEBHOOK = "https://discord.com/api/webhooks/123456789012345678/{_DISCORD}"',
            [("API_KEY", _DISCORD)],
        ),
    ],
)
def test_when_repo_file_holds_a_secret_then_found_with_its_span(
    detector: Detector, path: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _creds(detector, path, text) == _expect(*expected)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        # a certificate, not a key
        ("kubeconfig.yaml", f"    certificate-authority-data: {_CERT_B64}"),
        ("tls-secret.yaml", f"  tls.crt: {_CERT_B64}"),
        # docker's -u is uid:gid, and curl -u with variables is no literal
        ("run.sh", "docker run -u 1000:1000 app"),
        ("deploy.sh", 'curl -u "$API_USER:$API_PASS" https://api.example.com'),
        ("settings.py", "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']"),
        ("settings.py", "SECRET_KEY = 'django-insecure-change-me-in-production-please'"),
        # neighbouring keys that are not the password
        ("terraform.tfstate", '"password_reset_required": false, "password_length": 24'),
        ("user.rb", 'password_hash: "$2b$12$abcdefghijklmnopqrstuv"'),
        # a YAML block scalar: the value is on the next lines
        ("values.yaml", "db:\n  password: |"),
        ("settings.xml", "<passwordPolicy>strict</passwordPolicy>"),
        ("config.php", "define('COMPASS_HEADING', 'north');"),
    ],
)
def test_when_repo_file_holds_a_look_alike_then_no_credential(detector: Detector, path: str, text: str) -> None:
    assert _creds(detector, path, text) == []


# -- 3. not passwords ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("main.go", '\tfmt.Printf("user=%s password=%s\\n", u, p)'),
        ("main.go", '\tlog.Printf("password=%v token=%q", p, t)'),
        ("main.go", '\tfmt.Sprintf("password=%x", p)'),
        ("main.rs", '    println!("password={}", p);'),
        ("main.rs", '    println!("password={:?}", p);'),
        ("app.py", '    msg = "password={0}".format(p)'),
        ("app.py", '    password = "{}".format(pw)'),
        ("app.py", '    msg = "password=%(pw)s" % vals'),
        ("main.rs", '    let password = env::var("PASSWORD").unwrap();'),
        ("main.rs", '    let password = std::env::var("DB_PASSWORD")?;'),
        ("main.rs", '    let password = env!("DB_PASSWORD");'),
        ("Config.php", "$password = Config::get('database.password');"),
        ("main.tf", "  password = var.db_password"),
        ("main.tf", "  password = local.db_password"),
        ("main.tf", "  password = data.aws_ssm_parameter.db.value"),
        ("main.tf", "  password = module.secrets.db_password"),
        ("main.tf", "  password = random_password.db.result"),
        ("main.tf", "  password = random_password.db[0].result"),
        ("main.tf", "  password = sensitive(var.db_password)"),
        ("main.tf", "  username = var.db_username"),
        ("user.proto", "  string password = 4;"),
        ("user.proto", "  optional bytes admin_password = 12 [deprecated = true];"),
        ("openapi.yaml", "        password: {type: string, format: password}"),
        ("openapi.yml", "        password: { type: string, minLength: 8 }"),
    ],
)
def test_when_code_computes_or_declares_the_password_then_no_credential(
    detector: Detector, path: str, text: str
) -> None:
    assert _creds(detector, path, text) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("ja.yml", 'ja:\n  password: "パスワード"'),
        ("ja.yml", "ja:\n  password_confirmation: パスワード（確認）"),
        ("ja.yml", "ja:\n  new_password: 新しいパスワード"),
        ("en.yml", 'en:\n  password: "Password"'),
        ("en.yml", 'en:\n  password_confirmation: "Confirm password"'),
        ("zh-CN.yml", "zh-CN:\n  password: 密码"),
        ("ko.yml", "ko:\n  password: 비밀번호"),
        ("de.yml", "de:\n  password: Passwort"),
        ("fr.yml", "fr:\n  password: mot de passe"),
        ("fr.yml", 'fr:\n  password: "Mot de passe"'),
        ("es.js", 'export default { "password": "Contraseña" }'),
        ("pt.js", 'export default { "password": "Senha" }'),
        ("ja.js", 'export default { "password": "暗証番号" }'),
        ("messages.properties", "password=Password"),
        ("messages_de.properties", "password=Kennwort"),
        # a sentence: Japanese with particles, or 4+ words with function words
        ("errors.js", 'const e = {"errors":{"password":"パスワードは8文字以上で入力してください"}}'),
        ("errors.js", 'const e = {"errors":{"password":"must be at least 8 characters"}}'),
        ("ja.yml", "ja:\n  password: パスワードは 8 文字以上で入力してください"),
        ("en.yml", 'en:\n  password: "Your password is too short."'),
        ("ja.yml", "ja:\n  password: パスワードを入力してください"),
    ],
)
def test_when_value_is_a_label_or_message_then_no_password(detector: Detector, path: str, text: str) -> None:
    assert _creds(detector, path, text) == []


@pytest.mark.parametrize(
    ("path", "text", "value"),
    [
        # a passphrase without function words stays a password
        ("config.yml", 'password: "correct horse battery staple"', "correct horse battery staple"),
        # a label word with digits is a real (weak) password
        ("config.yml", "password: Passwort123", "Passwort123"),
        ("config.yml", "password: パスワード2024", "パスワード2024"),
        # a Rust literal is still a literal
        ("main.rs", '    let password = "Tr0ub4dor&3-prod";', "Tr0ub4dor&3-prod"),
    ],
)
def test_when_value_only_resembles_a_label_then_password_still_found(
    detector: Detector, path: str, text: str, value: str
) -> None:
    assert _creds(detector, path, text) == [("PASSWORD", value)]


# -- 4. placeholders -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "DATABASE_URL=postgres://user:password@localhost/db",
        "DATABASE_URL=postgres://username:password@localhost/db",
        "DATABASE_URL=postgres://your_user:your_password@localhost/db",
        "DATABASE_URL=postgres://<user>:<password>@localhost/db",
        "DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB",
        "DB_PASSWORD=changeme",
        'DB_PASSWORD="changeme"',
    ],
)
def test_when_env_example_holds_template_values_then_no_credential(detector: Detector, text: str) -> None:
    assert _creds(detector, ".env.example", text) == []


@pytest.mark.parametrize("value", ["changeme", "password", "secret", "example", "xxx", "your_password",
                                   "<password>", "${DB_PASSWORD}"])  # fmt: skip
@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_when_fixture_password_is_a_placeholder_then_quoting_does_not_matter(
    detector: Detector, value: str, quote: str
) -> None:
    assert _creds(detector, "fixtures.yml", f"admin:\n  password: {quote}{value}{quote}") == []


def test_when_admin_logs_in_then_only_the_password_is_reported(detector: Detector) -> None:
    # `admin` is a role account like root: it names no person (the password is the secret)
    text = "sshd[1]: Invalid user admin from 203.0.113.5 port 22\ncurl -u admin:Adm1nPa55 https://x.example.com"
    assert _creds(detector, "deploy.log", text) == [("PASSWORD", "Adm1nPa55")]


# -- 5. spans of quoted values -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "value"),
    [
        ("prod.tfvars", 'db_password = "Tr0ub4dor&3-prod"', "Tr0ub4dor&3-prod"),
        ("App.java", '    String password = "Tr0ub4dor&3-prod";', "Tr0ub4dor&3-prod"),
        ("settings.py", "DB_PASSWORD = 'Tr0ub4dor&3-prod'", "Tr0ub4dor&3-prod"),
        ("config.yml", 'password: "Tr0ub4dor&3;prod"', "Tr0ub4dor&3;prod"),
        # a quoted value keeps its closing bracket; an unquoted one does not
        ("config.yml", 'password: "Summer2024!)"', "Summer2024!)"),
        ("app.log", "LoginRequest(password=Summer2024!)", "Summer2024!"),
        # unquoted in a query string: `&` ends the value
        ("access.log", "GET /login?password=Tr0ub4dor&3-prod HTTP/1.1", "Tr0ub4dor"),
    ],
)
def test_when_value_is_quoted_then_it_runs_to_the_closing_quote(
    detector: Detector, path: str, text: str, value: str
) -> None:
    assert _creds(detector, path, text) == [("PASSWORD", value)]


@pytest.mark.parametrize(
    "text",
    [
        'log.info("password=" + pw + " user=" + u)',
        'url = "https://x.example.com/login?password="+pw+"&next=/"',
    ],
)
def test_when_quotes_close_a_literal_then_the_code_between_is_no_password(detector: Detector, text: str) -> None:
    assert _creds(detector, "app.log", text) == []


# -- end to end: the CLI over a small repository -------------------------------------------

_REPO = {
    "docker-compose.yml": "services:\n  app:\n    environment:\n"
    "      - DATABASE_URL=postgres://acme:Xk9#mQ2vL8pz@db:5432/acme\n",
    ".env.example": "DATABASE_URL=postgres://user:password@localhost/db\nDB_PASSWORD=changeme\n",
    "src/main.go": 'package main\n\nfunc main() {\n\tfmt.Printf("user=%s password=%s\\n", u, p)\n}\n',
    "src/main.rs": 'fn main() {\n    let password = env::var("PASSWORD").unwrap();\n}\n',
    "src/App.java": 'class App {\n    String password = "Tr0ub4dor&3-prod";\n}\n',
    "infra/main.tf": 'resource "aws_db_instance" "db" {\n  username = var.db_username\n'
    "  password = var.db_password\n}\n",
    "infra/prod.tfvars": 'db_password = "Tr0ub4dor&3-prod"\n',
    "proto/user.proto": "message User {\n  string name = 1;\n  string password = 4;\n}\n",
    "api/openapi.yaml": "components:\n  schemas:\n    Login:\n      properties:\n"
    "        password: {type: string, format: password}\n",
    "config/locales/ja.yml": 'ja:\n  password: "パスワード"\n',
    "config/wp-config.php": "<?php\ndefine('DB_PASSWORD', 'r00tP@ss!');\n",
}

#: (file, line, entity, value) of every credential in _REPO
_REPO_FOUND = [
    ("config/wp-config.php", 2, "PASSWORD", "r00tP@ss!"),
    ("docker-compose.yml", 4, "PASSWORD", "Xk9#mQ2vL8pz"),
    ("docker-compose.yml", 4, "USERNAME", "acme"),
    ("infra/prod.tfvars", 1, "PASSWORD", "Tr0ub4dor&3-prod"),
    ("src/App.java", 2, "PASSWORD", "Tr0ub4dor&3-prod"),
]


def test_when_cli_scans_a_repository_then_only_the_real_credentials_are_reported(
    runner: CliRunner, tmp_path: Path
) -> None:
    for name, text in _REPO.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    res = runner.invoke(main, ["scan", str(tmp_path), "--format", "jsonl", "--workers", "1", "--nlp", "off"])
    assert res.exit_code == 1, res.output
    found = []
    for row in map(json.loads, res.output.splitlines()):
        if row["entity"] in _CRED:
            rel = row["path"][len(tmp_path.as_posix()) + 1 :]
            line = _REPO[rel].split("\n")[row["line"] - 1]
            found.append((rel, row["line"], row["entity"], line[row["start"] : row["end"]]))
    assert sorted(found) == _REPO_FOUND
