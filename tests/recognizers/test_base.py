"""The pattern recognizer's fast path (recognizers/base.py): the regex time limit."""

from __future__ import annotations

import time

import recognizers.base as base
from recognizers.base import Pattern, PiiPatternRecognizer
from recognizers.registry import build_recognizers

#: exponential backtracking on a short text (the `regex` module does not stop it by itself)
EVIL = Pattern("evil", r"(a|aa)+b", 0.9)
EVIL_TEXT = "a" * 40 + "!"


def test_when_the_evil_pattern_runs_unlimited_then_it_does_not_finish_soon() -> None:
    import regex

    compiled = regex.compile(EVIL.regex)
    t0 = time.perf_counter()
    try:
        list(compiled.finditer(EVIL_TEXT, timeout=1.0))
    except TimeoutError:
        pass
    assert time.perf_counter() - t0 >= 0.9  # so the tests below do prove the limit


def test_when_bundled_then_recognizers_are_vetted_and_own_ones_are_not() -> None:
    assert all(r.vetted for r in build_recognizers())
    assert not PiiPatternRecognizer("X", patterns=[EVIL]).vetted


def test_when_an_own_pattern_backtracks_on_a_short_text_then_the_time_limit_stops_it(monkeypatch) -> None:
    monkeypatch.setattr(base, "REGEX_TIMEOUT_S", 0.2)
    rec = PiiPatternRecognizer("X", patterns=[EVIL])
    t0 = time.perf_counter()
    assert list(rec.iter_matches(EVIL_TEXT)) == []
    assert time.perf_counter() - t0 < 5  # stopped by the limit, not after 2^40 steps


def test_when_a_vetted_text_is_long_then_the_time_limit_applies(monkeypatch) -> None:
    monkeypatch.setattr(base, "REGEX_TIMEOUT_S", 0.2)
    monkeypatch.setattr(base, "UNTIMED_MAX_CHARS", 10)
    rec = PiiPatternRecognizer("X", patterns=[EVIL])
    rec.vetted = True  # pretend: the long text still gets the limit
    t0 = time.perf_counter()
    assert list(rec.iter_matches(EVIL_TEXT)) == []
    assert time.perf_counter() - t0 < 5


def test_when_vetted_or_not_then_matches_are_the_same() -> None:
    text = "mail taro@example.co.jp or call 090-1234-5678 from 203.0.113.7"
    for rec in build_recognizers():
        own = PiiPatternRecognizer.__new__(type(rec))
        own.__dict__.update(rec.__dict__)
        own.vetted = False
        assert list(rec.iter_matches(text)) == list(own.iter_matches(text)), rec.name


def test_when_a_match_lies_inside_a_certain_one_then_it_is_not_validated_again() -> None:
    calls: list[str] = []

    class Counting(PiiPatternRecognizer):
        def validate_result(self, pattern_text: str) -> bool | None:
            calls.append(pattern_text)
            return pattern_text.startswith("+") or None

    rec = Counting(
        "PHONE_NUMBER",
        patterns=[Pattern("intl", r"\+1 \d{3}-\d{3}-\d{4}", 0.5), Pattern("na", r"\d{3}-\d{3}-\d{4}", 0.5)],
    )
    text = "call +1 646-484-2834 or 212-555-0199"
    got = list(rec.iter_matches(text))
    assert [(text[s:e], score) for s, e, score, _ in got] == [("+1 646-484-2834", 1.0), ("212-555-0199", 0.5)]
    assert calls == ["+1 646-484-2834", "212-555-0199"]  # the inner 646-484-2834 is skipped
    uncertain = Counting("PHONE_NUMBER", patterns=[Pattern("na", r"\d{3}-\d{3}-\d{4}", 0.5)] * 2)
    calls.clear()
    assert len(list(uncertain.iter_matches("212-555-0199"))) == 2  # not certain: both kept
    assert len(calls) == 2
