"""Validators for contact and network entities: email, phone, domain, URL, IP."""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterator
from functools import lru_cache
from typing import Any

import regex

from recognizers.base import CONTEXT_WINDOW, Match, PiiPatternRecognizer, digits


@lru_cache(maxsize=2)
def _psl(punycode: bool = False) -> Any:
    """The bundled public suffix list, parsed on first use.

    Without `punycode` its rules stay as written (0.03 s); with it, every rule with non-ASCII
    labels is also encoded (`xn--…`), which takes 0.1 s: only hosts that hold `xn--` need it.
    """
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=False, accept_encoded_idn=punycode, only_icann=True)

# Suffixes that are real TLDs but, in logs and source code, are nearly always file
# extensions or attribute names (`config.py`, `logger.info`, `self.name`).
_CODE_SUFFIXES = frozenset(
    "py sh md rs pl so zip mov ps java class name info id js ts cs go php rb exe bat cfg ini "
    "log txt json yaml yml xml csv tsv gz tar bak tmp lock toml sql html htm css png jpg gif "
    "svg pdf doc docx xls xlsx ppt jar war mk am in at is it to do as be by me my no on or us "
    "so up we ai".split()
)


@lru_cache(maxsize=65536)
def public_suffix(host: str) -> str | None:
    """Return the ICANN public suffix of `host`, or None when it has no known suffix."""
    host = host.lower().rstrip(".")
    suffix = _psl("xn--" in host).publicsuffix(host)
    if suffix is None or suffix == host:
        return None
    return str(suffix)


@lru_cache(maxsize=1)
def _namespace_hosts() -> frozenset[str]:
    """Hosts of standards, schemas and public infrastructure (recognizers/wordlists)."""
    from recognizers.gazetteer import read_wordlist

    return frozenset(h.lower() for h in read_wordlist("namespace_hosts.txt"))


def is_namespace_host(host: str) -> bool:
    """True for a host (or a subdomain of one) in `namespace_hosts.txt`: `www.w3.org`."""
    hosts = _namespace_hosts()
    host = host.lower().rstrip(".")
    while True:
        if host in hosts:
            return True
        _, dot, host = host.partition(".")
        if not dot:
            return False


#: the receiver of an attribute in source code, never the first label of a host written bare
#: (`self.app`, `request.url.host`, `ctx.Host`, `t.IO`: `.app`, `.host`, `.io` are real TLDs)
_CODE_RECEIVERS = frozenset(
    "self this cls ctx req res request response args kwargs opts options settings config cfg "
    "os sys np pd t e err ev event el obj".split()
)


class PiimapEmailRecognizer(PiiPatternRecognizer):
    """Email addresses whose domain ends in a real public suffix (no `icon@2x.png`)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """A known public suffix makes the address certain; otherwise drop it.

        An address URL-encoded in a query string (`mary%40example.com`) is decoded first.
        """
        _, _, domain = _url_decoded(pattern_text).rpartition("@")
        return public_suffix(domain) is not None


def _url_decoded(text: str) -> str:
    """`text` with the URL escapes that the patterns accept decoded: `%40` -> `@`, `%2B` -> `+`."""
    if "%" not in text:
        return text
    return text.replace("%40", "@").replace("%2B", "+").replace("%2b", "+")


class PiimapDomainRecognizer(PiiPatternRecognizer):
    """Host and domain names, validated against the bundled public suffix list."""

    #: validation only drops matches, never certifies them (lets the prefilter gate
    #: low-score patterns on context words)
    can_certify = False

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop hosts without an ICANN suffix, code-like names (`app.py`, `logger.info`,
        attribute access `self.app`, `t.IO`, `ctx.Host`: mixed case across labels is code,
        a host is written in one case) and the hosts of standards (`www.w3.org`)."""
        if not (pattern_text.islower() or pattern_text.isupper()):
            return False
        if pattern_text.split(".", 1)[0].lower() in _CODE_RECEIVERS or is_namespace_host(pattern_text):
            return False
        suffix = public_suffix(pattern_text)
        if suffix is None:
            return False
        last = suffix.rsplit(".", 1)[-1]
        if last in _CODE_SUFFIXES and "." not in suffix:
            return False
        return None


class PiimapUrlRecognizer(PiiPatternRecognizer):
    """URLs with a scheme; the host must be an IP, localhost or carry a public suffix."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Keep URLs whose host is plausible."""
        rest = pattern_text.split("://", 1)[-1]
        host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
        host = host.split(":", 1)[0] if not host.startswith("[") else host
        if not host:
            return False
        if host.startswith("[") or host.replace(".", "").isdigit() or host == "localhost":
            return None
        if is_namespace_host(host):
            return False  # an XML namespace or schema location names a standard, not anybody
        return None if public_suffix(host) is not None else False


def _ipv4_verdict(text: str) -> bool:
    """`ipaddress.IPv4Address` acceptance (4 decimal octets, no leading zeros), minus 0.0.0.0."""
    parts = text.split(".")
    if len(parts) != 4 or text == "0.0.0.0":
        return False
    for p in parts:
        if not (p.isascii() and p.isdigit()) or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            return False
        if int(p) > 255:
            return False
    return True


def _ipv4_names_a_host(text: str) -> bool:
    """False for valid IPv4 addresses that can name no person's device: 0.0.0.0/8 (the
    unspecified "this network" block, `bind 0.0.0.0`, Cisco wildcard masks), 127.0.0.0/8
    (loopback: `listening on 127.0.0.1:8080`), 224.0.0.0/4 (multicast groups, `239.255.255.250`
    for SSDP) and 240.0.0.0/4 (reserved, never assigned: it holds the broadcast 255.255.255.255
    and every netmask from /4 up, `netmask 255.255.255.0`).
    Private ranges (10/8, 172.16/12, 192.168/16) stay: they name employees' hosts."""
    first = int(text.split(".", 1)[0])
    return first != 0 and first != 127 and first < 224


#: package-manager and build words before a dotted quad: a version, not an address
#: (`Restored Polly 8.0.0.0`, `Package 'X' 8.0.0.0 -> 8.1.0.0`, `package downgrade: X from 2.8.1.0`)
_PACKAGE_CUE = regex.compile(
    r"(?i:(?<![a-z])(?:restored|restoring|nuget|packages?|downgrade|upgrade|dependenc(?:y|ies)"
    r"|assembl(?:y|ies)|installed|installing)(?![a-z]))"
)
#: words that name an address: with one of them before it, a dotted quad stays an address
_ADDRESS_KEY = regex.compile(r"(?i:(?<![a-z])(?:ip|ipv4|addr|address|client|remote|src|dst|host|peer)(?![a-z]))")


_PREFIX_LEN = regex.compile(r"/(\d{1,3})(?!\d)")


def _is_network(text: str, start: int, end: int) -> bool:
    """True when text[start:end] starts a CIDR range whose host bits are all zero
    (`203.0.113.0/24`, `2001:db8::/32`): a network, not a device. `203.0.113.7/32` and
    `10.1.2.3/24` (an interface's address with its prefix) name a host."""
    m = _PREFIX_LEN.match(text, end)
    if m is None:
        return False
    try:
        ipaddress.ip_network(f"{text[start:end].split('%', 1)[0]}/{m.group(1)}", strict=True)
    except ValueError:  # host bits set, or not a prefix length
        return False
    prefix = int(m.group(1))
    return prefix < (32 if ":" not in text[start:end] else 128)


def _is_table_cell(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a whole cell of a pipe table (`| Polly | 7.7.0.0 | build |`)."""
    before = text[max(0, start - 8) : start].rstrip(" \t")
    after = text[end : end + 8].lstrip(" \t")
    return before.endswith("|") and after.startswith("|")


class PiimapIpAddressRecognizer(PiiPatternRecognizer):
    """IPv4 and IPv6 addresses, parsed by the standard library.

    A dotted quad after a package-manager or build word on its line (restored, package,
    upgrade, NuGet, …) is a version, unless an address word (ip, addr, client, host, …) is
    there too: `Restored Polly 8.0.0.0 for net8.0` is not an address.
    A CIDR range with its host bits zero (`203.0.113.0/24`) is a network, not a device.
    A whole pipe-table cell ending in `.0` is a version or a network number, not a host
    (`| Polly | 7.7.0.0 | build |` in a README's package table); `| web01 | 10.0.0.5 |` stays.
    """

    def iter_matches(
        self, text: str, context_text: str = "", only: Collection[int] | None = None
    ) -> Iterator[Match]:
        """The base matches, minus dotted quads in package-manager lines and version cells
        of pipe tables (see the class)."""
        for hit in super().iter_matches(text, context_text, only):
            start, end = hit[0], hit[1]
            if text.startswith("/", end) and _is_network(text, start, end):
                continue
            if ":" not in text[start:end]:
                if text.endswith(".0", start, end) and _is_table_cell(text, start, end):
                    continue
                line_start = text.rfind("\n", 0, start) + 1
                before = text[max(line_start, start - 2 * CONTEXT_WINDOW) : start]
                if _PACKAGE_CUE.search(before) and not _ADDRESS_KEY.search(before):
                    continue
            yield hit

    def validate_result(self, pattern_text: str) -> bool | None:
        """Parseable addresses are certain; unparseable shapes are dropped."""
        text = pattern_text.split("%", 1)[0]
        if ":" not in text:  # IPv4: the standard library's rules, without its object cost
            return _ipv4_verdict(text) and _ipv4_names_a_host(text)
        try:
            addr = ipaddress.IPv6Address(text)  # not ip_address(): it tries (and fails) IPv4 first
        except ValueError:
            return False
        if "::" not in text and text.count(":") != 7:
            return False
        if addr.is_loopback or addr.is_unspecified or addr.is_multicast:
            return False  # wildcard, loopback and group addresses (`::`, `::1`, `ff02::1`)
        mapped = addr.ipv4_mapped
        if mapped is not None and not _ipv4_names_a_host(str(mapped)):
            return False  # `::ffff:127.0.0.1`: the same rule as the plain IPv4 form
        return True


class PiimapPhoneRecognizer(PiiPatternRecognizer):
    """Phone numbers, validated with Google's libphonenumber (`phonenumbers`)."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """Valid numbers for their region are certain; others are dropped.

        Numbers with a leading + (or `%2B`, URL-encoded) are parsed as international; numbers
        with a leading 0 (or `(0`, an area code in parentheses) as Japanese domestic; others as
        North American. The column recognizer (`PiimapPhoneColumnRecognizer`: a bare cell in a
        phone column) reads digits without a leading 0 as a Japanese number whose trunk 0 a
        spreadsheet dropped (`9012345678` -> 090-1234-5678), never as North American.
        """
        text = _url_decoded(pattern_text.strip())
        if self.name in _JP_NATIONAL and text[:1].isdigit() and text[0] != "0":
            text = "0" + text
        return _phone_verdict(text)


#: phone recognizers whose bare digits are Japanese national numbers (see validate_result)
_JP_NATIONAL = frozenset({"PiimapPhoneColumnRecognizer"})


@lru_cache(maxsize=1)
def _keep_phone_patterns() -> None:
    """Have libphonenumber keep its compiled metadata patterns (`re_util.enable_pattern_cache`):
    they outnumber the `re` module's 512-entry cache, so a scan recompiled them over and over
    (measured: 74 -> 63 us per distinct number on a table's phone column)."""
    from phonenumbers import re_util

    enable = getattr(re_util, "enable_pattern_cache", None)  # phonenumbers >= 9.0.x
    if enable is not None:
        enable()


@lru_cache(maxsize=65536)
def _phone_verdict(raw: str) -> bool:
    """Libphonenumber's verdict on one candidate (cached: logs repeat the same numbers)."""
    n = digits(raw)
    if len(n) < 9 or len(n) > 15 or len(set(n)) <= 2:
        return False
    import phonenumbers  # imported on first use: a fifth of a second of start-up

    _keep_phone_patterns()

    region = None if raw.startswith("+") else ("JP" if raw.lstrip("(").startswith("0") else "US")
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))
