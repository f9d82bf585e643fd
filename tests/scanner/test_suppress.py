"""Inline `piimap: ignore` markers and allowlist files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.filters import inline_ignores, load_allowlist
from scanner.records import ScanResult

CONF = Path(__file__).parent / "conf"


@pytest.mark.parametrize(
    ("line", "ignored"),
    [
        ("alice@example.com  # piimap: ignore", frozenset()),
        ("alice@example.com  // PIIMAP: IGNORE", None),
        ("a@b.co 03-1234-5678 # piimap: ignore[EMAIL_ADDRESS]", frozenset({"EMAIL_ADDRESS"})),
        ("x # piimap: ignore[email_address, PHONE_NUMBER]", frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"})),
        ("alice@example.com", None),
        ("piimap: scanned ok", None),
    ],
    ids=["all", "no-upper-case", "one-entity", "two-entities", "no-marker", "other-piimap-text"],
)
def test_when_line_has_marker_then_entities_ignored(line: str, ignored: frozenset[str] | None) -> None:
    assert inline_ignores(line) == ignored


def test_when_scanning_lines_with_markers_then_only_unmarked_findings_remain(
    scan: Callable[..., ScanResult], tmp_path: Path
) -> None:
    src = tmp_path / "config.py"
    src.write_text(
        'ADMIN = "root@corp.example.org"  # piimap: ignore\n'
        'SUPPORT = "help@corp.example.org"  # piimap: ignore[PHONE_NUMBER]\n'
        'OTHER = "ops@corp.example.org"\n',
        "utf-8",
    )
    found = [(f.line, f.entity) for f in scan([src]).findings]
    assert found == [(2, "EMAIL_ADDRESS"), (3, "EMAIL_ADDRESS")]


def test_when_cell_holds_marker_then_cell_is_ignored() -> None:
    from recognizers.registry import build_recognizers
    from scanner.detect import Detector

    det = Detector(build_recognizers({"EMAIL_ADDRESS"}), use_hyperscan=False)
    found = det.detect_cells("t.csv", "email", [0, 1], ["a@corp.example.org piimap: ignore", "b@corp.example.org"])
    assert [d.row for d in found] == [1]


def test_when_allowlist_loaded_then_values_and_regexes_match() -> None:
    allow = load_allowlist(str(CONF / "good_allowlist.yaml"))
    assert allow.allows("CREDIT_CARD", "4111 1111 1111 1111")  # separators do not matter
    assert allow.allows("EMAIL_ADDRESS", "alice@example.com")
    assert allow.allows("EMAIL_ADDRESS", "bob@example.org")  # regex
    assert allow.allows("IP_ADDRESS", "203.0.113.5")
    assert not allow.allows("PHONE_NUMBER", "203.0.113.5")  # entity-scoped regex
    assert not allow.allows("EMAIL_ADDRESS", "bob@corp.example.com.evil")
    assert not allow.allows("CREDIT_CARD", "5500000000000004")


def test_when_allowlist_used_then_test_card_is_dropped_before_record_rules(
    scan: Callable[..., ScanResult], corpus: Path
) -> None:
    result = scan([corpus / "app.log"], allowlist=str(CONF / "good_allowlist.yaml"))
    entities = {(f.line, f.entity): f for f in result.findings}
    assert (2, "CREDIT_CARD") not in entities
    # without the card, the security code on that line is no longer sensitive card data
    assert entities[(2, "CARD_SECURITY_CODE")].sensitive is False
    assert entities[(2, "CARD_EXPIRY")].sensitive is False
    assert (5, "EMAIL_ADDRESS") not in entities
    assert (1, "IP_ADDRESS") not in entities


@pytest.mark.parametrize(
    ("filename", "words"),
    [
        ("bad_allowlist_regex.yaml", ":3: regex"),
        ("bad_allowlist_key.yaml", ":3: unknown keys ['valu']"),
        ("bad_allowlist_entity.yaml", ":2: unknown entity 'EMAIL'"),
        ("bad_allowlist_shape.yaml", ":1: an allowlist must be a mapping"),
        ("bad_allowlist_unsafe.yaml", ":2: invalid YAML"),
    ],
    ids=["regex", "key", "entity", "shape", "unsafe-tag"],
)
def test_when_allowlist_is_broken_then_error_names_file_and_line(filename: str, words: str) -> None:
    path = CONF / filename
    with pytest.raises(ConfigError) as err:
        load_allowlist(str(path))
    assert str(err.value).startswith(str(path)) and words in str(err.value), str(err.value)
