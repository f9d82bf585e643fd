"""USERNAME / PASSWORD / API_KEY on whole log lines through the real detector: false positives
found by probing real logs (URL userinfo across JSON quotes, sudo `PWD=`, PAM service names,
MySQL `using password: YES`, code, measurements, cloud account numbers) and values that were
missed (Python/Ruby/PHP dumps, auth logs, connection strings, webhook secrets).

Each case states every credential on the line: the expected ones are found with their exact
span and nothing else is (a false positive makes the list longer)."""

from __future__ import annotations

import pytest

from scanner.detect import Detector

#: the new patterns must be selected by the Hyperscan and the pure-regex prefilter alike
BOTH_PREFILTERS = True

_CRED = {"USERNAME", "PASSWORD", "API_KEY"}


def _creds(det: Detector, line: str, path: str = "app.log") -> list[tuple[str, str]]:
    """(entity, value) of every credential on `line`, checking that each span is the value."""
    found = []
    for d in det.detect_text(path, line, 1):
        if d.entity in _CRED:
            assert line[d.start : d.end] == d.value
            found.append((d.entity, d.value))
    return sorted(found)


def _expect(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return sorted(pairs)


_AZURE_KEY = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0g="


@pytest.mark.parametrize(
    "line",
    [
        '{"referer":"https://www.google.com","email":"a.tanaka@gmail.com"}',
        '{"iss":"https://accounts.google.com","sub":"1101","email":"chris.evans@gmail.com"}',
        '"https://shop.acme-corp.com","a.b@gmail.com","https://x.example.com:8443","c@d.jp"',
        "<a href='https://www.example.com'>home</a> mail: 'k.ito@example.com'",
        "GET https://api.example.com:443?email=a@b.example.com",
    ],
)
def test_when_url_is_followed_by_quotes_and_an_email_then_no_userinfo_credential(
    detector: Detector, line: str
) -> None:
    assert _creds(detector, line) == []


def test_when_url_holds_userinfo_then_user_and_password_still_found(detector: Detector) -> None:
    line = '{"dsn":"postgres://app_user:s3cr3t@db.example.com/prod","email":"a.b@gmail.com"}'
    assert _creds(detector, line) == _expect(("USERNAME", "app_user"), ("PASSWORD", "s3cr3t"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # PWD is the working directory; USER=root is a system account; the invoker is a user
        (
            "Nov 26 07:38:01 web1 sudo[23420]:  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; "
            "COMMAND=/usr/bin/systemctl restart nginx",
            [("USERNAME", "deploy")],
        ),
        ("PWD=/srv/app", []),
        ("OLDPWD=/srv PWD=~/src/app SHLVL=1", []),
        ("pwd: /srv/www", []),
        ("pwd=C:\\Users\\deploy", []),
        ("pwd=s3cr3t", [("PASSWORD", "s3cr3t")]),
    ],
)
def test_when_pwd_holds_an_absolute_path_then_it_is_a_working_directory_not_a_password(
    detector: Detector, line: str, expected: list[tuple[str, str]]
) -> None:
    assert _creds(detector, line) == _expect(*expected)


def test_when_pam_names_passwd_service_then_no_password_and_the_user_is_found(detector: Detector) -> None:
    line = "Nov 26 07:40:12 web1 passwd[5124]: pam_unix(passwd:chauthtok): password changed for tmori"
    assert _creds(detector, line) == [("USERNAME", "tmori")]


@pytest.mark.parametrize(
    "line",
    [
        "ERROR 1045 (28000): Access denied for user 'app'@'localhost' (using password: YES)",
        "ERROR 1045 (28000): Access denied for user 'app'@'localhost' (using password: NO)",
        "password=$(cat /run/secrets/db)",
        "password=`cat /run/secrets/db`",
        "logger.debug('connect password={password!r}')",
        "Password=Sensitive data removed",
        'Parameters: {"utf8"=>"✓", "password"=>"[FILTERED]", "commit"=>"Log in"}',
    ],
)
def test_when_value_is_a_status_word_or_code_then_no_password(detector: Detector, line: str) -> None:
    assert [e for e in _creds(detector, line) if e[0] == "PASSWORD"] == []


@pytest.mark.parametrize("brackets", ["()", "{}", "[]"])
def test_when_value_ends_at_a_closing_bracket_then_the_bracket_is_not_in_the_span(
    detector: Detector, brackets: str
) -> None:
    line = f"DEBUG LoginRequest{brackets[0]}username=msato, password=Summer2024!{brackets[1]}"
    assert _creds(detector, line) == _expect(("USERNAME", "msato"), ("PASSWORD", "Summer2024!"))


def test_when_value_holds_its_own_brackets_then_they_stay(detector: Detector) -> None:
    assert _creds(detector, "Login(password=9(Lives)Cat!)") == [("PASSWORD", "9(Lives)Cat!")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "INFO payload={'email': 'rin.okada@gmail.com', 'password': 'Summer2024!', 'name': 'Rin Okada'}",
            [("PASSWORD", "Summer2024!")],
        ),
        ("auth kwargs {'user': 'kpark', 'passwd': 'qwerty123'}", [("USERNAME", "kpark"), ("PASSWORD", "qwerty123")]),
        (
            'Parameters: {"login"=>"kenji_i", "password"=>"Summer2024!"}',
            [("USERNAME", "kenji_i"), ("PASSWORD", "Summer2024!")],
        ),
        (
            'Parameters: {"login"=>"kenji_i", "password"=>"[FILTERED]"}',
            [("USERNAME", "kenji_i")],
        ),
        ('{:user=>"kenji_i", :password=>"Summer2024!"}', [("USERNAME", "kenji_i"), ("PASSWORD", "Summer2024!")]),
        ('  password => "x9Tq"', [("PASSWORD", "x9Tq")]),
        ("    [password] => Summer2024!", [("PASSWORD", "Summer2024!")]),
        ("    [username] => kenji_i", [("USERNAME", "kenji_i")]),
    ],
)
def test_when_python_ruby_or_php_dump_holds_credentials_then_found(
    detector: Detector, line: str, expected: list[tuple[str, str]]
) -> None:
    assert _creds(detector, line) == _expect(*expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Nov 26 07:41:00 mail dovecot: imap-login: Login: user=<keiko.sato>, method=PLAIN, "
            "rip=203.0.113.9, lip=10.0.0.2",
            "keiko.sato",
        ),
        ("Nov 26 07:42:00 web1 useradd[812]: new user: name=tmori, UID=1003, GID=1003, home=/home/tmori", "tmori"),
    ],
)
def test_when_a_key_follows_the_key_word_then_the_value_is_reported_not_the_key(
    detector: Detector, line: str, expected: str
) -> None:
    assert _creds(detector, line) == [("USERNAME", expected)]


@pytest.mark.parametrize(
    "line",
    [
        "2024-11-26T07:43:00.123+0000: [GC (Allocation Failure) [Times: user=0.05 sys=0.01, real=0.06 secs]",
        "cpu user=12.3% sys=1.0% idle=86.7%",
        "cpu user=12% sys=1%",
        '{"eventVersion":"1.08","userIdentity":{"type":"Root","accountId":"123456789012"},"eventName":"ConsoleLogin"}',
        '{"version":"0","account":"123456789012","region":"us-east-1"}',
        "Service Account:  checkout",
    ],
)
def test_when_value_is_a_measurement_cloud_account_or_service_account_then_no_username(
    detector: Detector, line: str
) -> None:
    assert [e for e in _creds(detector, line) if e[0] == "USERNAME"] == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Nov 26 07:44:00 bastion sudo:  kwatanabe : TTY=pts/0 ; PWD=/home/kwatanabe ; USER=root ; COMMAND=/bin/ls",
            "kwatanabe",
        ),
        (
            "Nov 26 07:44:05 bastion sudo: kwatanabe : 3 incorrect password attempts ; TTY=pts/1 ; "
            "PWD=/home/kwatanabe ; USER=root ; COMMAND=/bin/su",
            "kwatanabe",
        ),
        ("Nov 26 07:45:00 bastion systemd-logind[512]: New session 1422 of user hsuzuki.", "hsuzuki"),
        ("\tAccount Name:\t\tyuta.kimura", "yuta.kimura"),
        ('<Data Name="TargetUserName">s.hasegawa</Data>', "s.hasegawa"),
        ('<Data Name="SubjectUserName">s.hasegawa</Data>', "s.hasegawa"),
        (
            "[Tue Nov 26 07:46:00 2024] [auth_basic:error] [pid 123] [client 10.0.0.1:5000] "
            "AH01618: user mwhite not found: /admin",
            "mwhite",
        ),
    ],
)
def test_when_auth_log_names_the_account_then_username_found(
    detector: Detector, line: str, expected: str
) -> None:
    assert _creds(detector, line) == [("USERNAME", expected)]


def test_when_pam_session_opens_for_a_user_then_username_found(detector: Detector) -> None:
    line = "sshd[9]: pam_unix(sshd:session): session opened for user kwatanabe(uid=1003) by (uid=0)"
    assert _creds(detector, line) == [("USERNAME", "kwatanabe")]


@pytest.mark.parametrize(
    "line",
    [
        "Nov 26 07:47:00 bastion sshd[9]: pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)",
        "\tAccount Name:\t\t-",
        "\tAccount Name:\t\tSYSTEM",
        "\tAccount Name:\t\tWS01$",
        "\tAccount Name:\t\tLOCAL SERVICE",
        "\tAccount Name:\t\tANONYMOUS LOGON",
        '<Data Name="TargetUserName">WS01$</Data>',
        '<Data Name="SubjectUserName">-</Data>',
        "Nov 26 07:48:00 web1 sudo[1]:  root : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/ls",
        "Payee Account Name: ACME Corporation Ltd",
    ],
)
def test_when_auth_log_names_a_system_or_machine_account_then_no_username(detector: Detector, line: str) -> None:
    assert _creds(detector, line) == []


@pytest.mark.parametrize(
    ("line", "entity", "value"),
    [
        (
            f"DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey={_AZURE_KEY};EndpointSuffix=core.windows.net",
            "API_KEY",
            _AZURE_KEY,
        ),
        (
            "az login --service-principal client_secret=Qh.8Q~abcDEF123ghiJKL456mnoPQR789stuVWX0 --tenant x",
            "API_KEY",
            "Qh.8Q~abcDEF123ghiJKL456mnoPQR789stuVWX0",
        ),
        ('1700000000.123 [0 10.0.0.5:50012] "AUTH" "R3dis-Pr0d-Passw0rd!"', "PASSWORD", "R3dis-Pr0d-Passw0rd!"),
        (
            "curl -H 'Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b' https://api.example.com/v1/",
            "API_KEY",
            "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
        ),
        (
            "POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 200",
            "API_KEY",
            "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ),
        (
            "stripe listen ready; your webhook signing secret is whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSz",
            "API_KEY",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSz",
        ),
    ],
)
def test_when_secret_in_connection_string_header_or_webhook_then_found(
    detector: Detector, line: str, entity: str, value: str
) -> None:
    assert _creds(detector, line) == [(entity, value)]


@pytest.mark.parametrize("line", ['user: ユーザー名', 'username: "User name"', '"login": "ログインID"'])
def test_when_an_i18n_file_labels_the_login_field_then_no_username(detector: Detector, line: str) -> None:
    assert [e for e, _ in _creds(detector, line) if e == "USERNAME"] == []
