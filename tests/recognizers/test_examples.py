"""Every recognizer's YAML examples: match rows must be found, no-match rows must not."""

from __future__ import annotations

from typing import Any

import pytest

from recognizers.registry import load_specs
from scanner.normalize import normalize, to_original


def _rows(kind: str) -> list[Any]:
    rows = []
    for spec in load_specs():
        for ex in spec.examples.get(kind, []):
            text = ex if isinstance(ex, str) else ex["text"]
            rows.append(pytest.param(spec, ex, id=f"{spec.name}:{text[:40]}"))
    return rows


def _matches(spec: Any, text: str, context: str = "") -> list[str]:
    rec = spec.build()
    norm, mapping = normalize(text)
    out = []
    for start, end, score, _ in rec.iter_matches(norm, context):
        if score >= 0.5:
            s, e = to_original(mapping, start, end)
            out.append(text[s:e])
    return out


def _context(example: Any) -> str:
    """An example may name a column/path as context: {text: '123', context: card_cvv}."""
    return str(example.get("context", "")) if isinstance(example, dict) else ""


def test_when_specs_load_then_every_recognizer_has_both_kinds_of_example() -> None:
    for spec in load_specs():
        assert spec.examples.get("match"), f"{spec.name} has no match examples"
        assert spec.examples.get("no_match"), f"{spec.name} has no no_match examples"


@pytest.mark.parametrize(("spec", "example"), _rows("match"))
def test_when_match_example_then_found(spec: Any, example: Any) -> None:
    text = example if isinstance(example, str) else example["text"]
    found = _matches(spec, text, _context(example))
    assert found, f"{spec.name} found nothing in {text!r}"
    if isinstance(example, dict) and "value" in example:
        assert example["value"] in found


@pytest.mark.parametrize(("spec", "example"), _rows("no_match"))
def test_when_no_match_example_then_nothing_found(spec: Any, example: Any) -> None:
    text = example if isinstance(example, str) else example["text"]
    assert _matches(spec, text, _context(example)) == []
