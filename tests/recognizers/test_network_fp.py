"""False positives and misses of the network/contact recognizers, through the real detector.

IP_ADDRESS: version numbers (.NET assembly/file versions, NuGet packages, chart upgrades, user
agents) and addresses that name no device (loopback, 0.0.0.0/8, broadcast, netmasks).
DOMAIN_NAME: Kubernetes label/annotation keys (`app.kubernetes.io/name:`).
PHONE_NUMBER: digits without separators right after a phone key.

The `test_when_..._then_...` cases failed before the fix; the `*_guard` lists hold lines that
were already right and must stay so (real addresses, URL hosts, bare digit runs).
"""

from __future__ import annotations

import pytest

from scanner.detect import Detector
from tests.detecting import values

#: every test runs with Hyperscan and with the regex prefilter (tests/recognizers/conftest.py)
BOTH_PREFILTERS = True


_values = values


@pytest.mark.parametrize(
    "line",
    [
        '[assembly: AssemblyVersion("1.0.0.0")]',
        '[assembly: AssemblyFileVersion("2.1.0.0")]',
        "<AssemblyVersion>1.2.0.0</AssemblyVersion>",
        "<FileVersion>4.0.3.4</FileVersion>",
        "Restored package Microsoft.Extensions.Logging 8.0.0.0",
        "Microsoft.Extensions.Logging/8.0.0.0",
        "helm upgrade nginx-ingress 4.10.1.2 -> 4.11.0.0",
        '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"',
        "listening on 127.0.0.1:8080",
        '"127.0.0.1:8080:8080"',
        "netmask 255.255.255.0",
        "mask 255.255.0.0",
        "broadcast 255.255.255.255",
        "peer ::ffff:127.0.0.1",
        # a dotted quad after a package-manager word on its line is a version
        "  Restored Polly 8.0.0.0 for net8.0 (20 ms).",
        "info : Package 'Dapper' 2.1.0.0 -> 2.2.0.0 (upgrade)",
        "warn : Detected package downgrade: Serilog from 3.1.1.0 to 3.1.0.0",
    ],
)
def test_when_not_an_address_of_anybody_then_no_ip(detector: Detector, line: str) -> None:
    assert _values(detector, line, "IP_ADDRESS") == []


@pytest.mark.parametrize(
    "line",
    [
        "System.Runtime, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a",
        "bind 0.0.0.0",
        "listening on [::1]:8080",
    ],
)
def test_no_ip_guard(detector: Detector, line: str) -> None:
    assert _values(detector, line, "IP_ADDRESS") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # `server`/`driver` held `ver`, which the version look-behind took for a version key
        ("DNS server 192.168.1.1", ["192.168.1.1"]),
        ("SERVER=172.16.4.2", ["172.16.4.2"]),
        ("inet 192.168.1.20 netmask 255.255.255.0 broadcast 192.168.1.255", ["192.168.1.20", "192.168.1.255"]),
        ("upstream 127.0.0.1:9000 for client 203.0.113.7", ["203.0.113.7"]),
        # an address word keeps it an address, even after a package word
        ("package mirror at host 10.1.2.3", ["10.1.2.3"]),
        # firewall and NAT lines, hosts before a slash, exceptions with a port: addresses
        ("fw-edge 10.0.0.5 -> 10.0.3.7", ["10.0.0.5", "10.0.3.7"]),
        ("kube-proxy 10.244.1.5 -> 10.96.0.1", ["10.244.1.5", "10.96.0.1"]),
        ("Connection refused: DBSERVER/10.0.5.20:1433", ["10.0.5.20"]),
        ("(Broker1/10.0.0.15:9092)", ["10.0.0.15"]),
        ("System.Net.Sockets.SocketException 10.0.5.20:5432", ["10.0.5.20"]),
        ("Shop.Api.Controllers.LoginController 203.0.113.5", ["203.0.113.5"]),
        ("upgrade request from client 203.0.113.7", ["203.0.113.7"]),
    ],
)
def test_when_real_address_then_only_it_is_reported(detector: Detector, line: str, expected: list[str]) -> None:
    assert _values(detector, line, "IP_ADDRESS") == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("client 203.0.113.7 connected", ["203.0.113.7"]),
        ("sshd[88]: Accepted publickey for bob from 10.1.2.3 port 22 ssh2", ["10.1.2.3"]),
        ("nat-gw 10.0.0.5 -> 203.0.113.9", ["10.0.0.5", "203.0.113.9"]),
        ("GET /Hosts/172.16.4.2 HTTP/1.1", ["172.16.4.2"]),
        ("version=2 client=198.51.100.7", ["198.51.100.7"]),
    ],
)
def test_ip_kept_guard(detector: Detector, line: str, expected: list[str]) -> None:
    assert _values(detector, line, "IP_ADDRESS") == expected


@pytest.mark.parametrize(
    "line",
    [
        "    app.kubernetes.io/name: web",
        'app.kubernetes.io/version: "1.0"',
        "  kubernetes.io/hostname: node-1",
        '"app.kubernetes.io/managed-by": "Helm"',
        "cert-manager.io/cluster-issuer: letsencrypt",
        "kubectl get pods -l app.kubernetes.io/name=web",
    ],
)
def test_when_domain_prefixes_a_key_then_no_domain(detector: Detector, line: str) -> None:
    assert _values(detector, line, "DOMAIN_NAME") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("see https://docs.example-cloud.io/guide", ["docs.example-cloud.io"]),
        ("mail example.co.jp", ["example.co.jp"]),
        ("visit example.com/pricing today", ["example.com"]),
    ],
)
def test_domain_kept_guard(detector: Detector, line: str, expected: list[str]) -> None:
    assert _values(detector, line, "DOMAIN_NAME") == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("phone=4155550199", "4155550199"),
        ('{"phone":"4155550199"}', "4155550199"),
        ('{"phoneNumber": 4155550199}', "4155550199"),
        ("tel: 0312345678", "0312345678"),
        ("fax_no=0312345678", "0312345678"),
        ("電話番号：0312345678", "0312345678"),
        ("TEL 0312345678", "0312345678"),
        ("<cellPhone>14155550199</cellPhone>", "14155550199"),
    ],
)
def test_when_compact_number_after_phone_key_then_phone(detector: Detector, line: str, expected: str) -> None:
    found = [d for d in detector.detect_text("t.log", line, 1) if d.entity == "PHONE_NUMBER"]
    assert [d.value for d in found] == [expected]
    assert found[0].score == 1.0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("tel: 09012345678", "09012345678"),
        ('"mobile": "+14155550199"', "+14155550199"),
        ("携帯 09012345678", "09012345678"),
    ],
)
def test_phone_found_guard(detector: Detector, line: str, expected: str) -> None:
    assert _values(detector, line, "PHONE_NUMBER") == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "order 4155550199 shipped",
        "ts 1732600000",
        "order_id=4155550199",
        "microphone=4155550199",
        "telemetry=4155550199",
        "phone=1732600000",  # a key, but libphonenumber rejects the number
    ],
)
def test_no_phone_guard(detector: Detector, line: str) -> None:
    assert _values(detector, line, "PHONE_NUMBER") == []


@pytest.mark.parametrize(
    "line",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">',
        'xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd"',
        "type: kubernetes.io/tls",
        "def f(s: t.IO[bytes]) -> None:",
        "        self.app = app",
        "host = request.url.host",
        "return ctx.Host",
        '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"',
        '"resolved": "https://registry.npmjs.org/react/-/react-18.2.0.tgz",',
        'source = "sparse+https://index.crates.io/"',
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0",
    ],
)
def test_when_a_host_names_a_standard_or_is_attribute_access_then_no_domain_or_url(
    detector: Detector, line: str
) -> None:
    assert _values(detector, line, "DOMAIN_NAME") == [] and _values(detector, line, "URL") == []
