"""Masked previews never show a whole value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.mask import mask


@pytest.mark.parametrize(
    ("entity", "value", "preview"),
    [
        ("EMAIL_ADDRESS", "taro@example.com", "t***@example.com"),
        ("CREDIT_CARD", "4111 1111 1111 1234", "****-****-****-1234"),
        ("JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJhbGci…[JWT]"),
        ("PASSWORD", "hunter2", "********"),
        ("JP_MY_NUMBER", "482917365029", "********5029"),
        ("IP_ADDRESS", "203.0.113.42", "203.0.*.*"),
    ],
    ids=["email", "card", "jwt", "password", "my-number", "ip"],
)
def test_when_masked_then_preview_has_expected_shape(entity: str, value: str, preview: str) -> None:
    assert mask(entity, value) == preview


@pytest.mark.parametrize(
    "entity",
    ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "PASSWORD", "API_KEY", "JWT", "US_SSN", "JP_MY_NUMBER",
     "PASSPORT", "USERNAME", "HTTP_COOKIE", "URL", "UNKNOWN_ENTITY"],
)
@pytest.mark.parametrize("value", ["abc", "x9", "Secr3tValue!", "https://a.example.com/"], ids=["3", "2", "12", "url"])
def test_when_any_entity_masked_then_value_never_shown_whole(entity: str, value: str) -> None:
    assert value not in mask(entity, value)


@pytest.mark.parametrize(
    ("url", "preview"),
    [
        ("https://docs.python.org/3/library/re.html", "https://docs.python.org/3/library/…"),
        ("https://example.com/", "https://ex*******om"),
        ("https://example.com", "https://ex*******om"),
        ("https://shop.example.com/u/jane.doe@example.com/orders?id=7", "https://shop.example.com/u/*/orders?…"),
    ],
    ids=["short-path", "root", "no-path", "identifier-in-path"],
)
def test_when_a_url_is_short_then_its_preview_keeps_the_host_and_hides_the_rest(url: str, preview: str) -> None:
    assert mask("URL", url) == preview  # never "[redacted]": the reader can see which URL it is


@given(st.sampled_from(["USERNAME", "URL", "REQUEST_HISTORY", "EMAIL_ADDRESS", "API_KEY"]), st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_when_a_value_holds_lone_surrogates_then_its_preview_is_still_valid_utf8(entity: str, text: str) -> None:
    value = "\ud800" + text + "\udc80x"  # a JSON "\ud800" escape decodes to a lone surrogate
    preview = mask(entity, value)
    preview.encode("utf-8")  # raises on a lone surrogate: a report could not be written
    assert value not in preview
