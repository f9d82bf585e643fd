"""The one place where piimap's recognizers are assembled.

Pattern recognizers are data (`patterns/*.yaml`); an entry's `validator` names the small
class holding its check-digit or structure logic (`VALIDATORS` below). `build_recognizers()`
returns them for the scanner (no Presidio import: fast start-up);
`build_presidio_recognizers()` returns the same as Presidio `PatternRecognizer`s, and
`build_registry()` puts those in a Presidio `RecognizerRegistry` (plus the NLP recognizers
from `models/`) for use in an `AnalyzerEngine`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

from recognizers.base import Pattern, PiiPatternRecognizer
from recognizers.names import PiimapDisplayNameRecognizer
from recognizers.network import (
    PiimapDomainRecognizer,
    PiimapEmailRecognizer,
    PiimapIpAddressRecognizer,
    PiimapPhoneRecognizer,
    PiimapUrlRecognizer,
)
from recognizers.numbers import (
    PiimapContextNumberRecognizer,
    PiimapCreditCardRecognizer,
    PiimapIbanRecognizer,
    PiimapJpCorporateNumberRecognizer,
    PiimapJpMyNumberRecognizer,
    PiimapUsSsnRecognizer,
)
from recognizers.secrets import (
    PiimapApiKeyRecognizer,
    PiimapJwtRecognizer,
    PiimapPasswordRecognizer,
    PiimapRequestRecognizer,
    PiimapUsernameRecognizer,
)
from scanner import yamlio
from scanner.errors import ConfigError

#: validator name used in the YAML -> the class holding that logic
VALIDATORS: dict[str, type[PiiPatternRecognizer]] = {
    "email": PiimapEmailRecognizer,
    "phone": PiimapPhoneRecognizer,
    "domain": PiimapDomainRecognizer,
    "url": PiimapUrlRecognizer,
    "ip": PiimapIpAddressRecognizer,
    "jwt": PiimapJwtRecognizer,
    "request": PiimapRequestRecognizer,
    "username": PiimapUsernameRecognizer,
    "password": PiimapPasswordRecognizer,
    "api_key": PiimapApiKeyRecognizer,
    "credit_card": PiimapCreditCardRecognizer,
    "iban": PiimapIbanRecognizer,
    "jp_my_number": PiimapJpMyNumberRecognizer,
    "jp_corporate_number": PiimapJpCorporateNumberRecognizer,
    "us_ssn": PiimapUsSsnRecognizer,
    "context_number": PiimapContextNumberRecognizer,
    "display_name": PiimapDisplayNameRecognizer,
}

#: keys of a YAML entry that are piimap's, not Presidio's
_OWN_KEYS = ("examples", "validator")
_ALLOWED_KEYS = {
    "name",
    "supported_entity",
    "patterns",
    "context",
    "context_required",
    "ignore_case",
    "keywords",
    "keywords_exact",
    "deny_list",
    "version",
    *_OWN_KEYS,
}

LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class RecognizerSpec:
    """One YAML entry, validated: the recognizer's arguments, class and examples."""

    source: str
    cls: type[PiiPatternRecognizer]
    kwargs: dict[str, Any]
    examples: dict[str, list[Any]]
    #: a bundled pattern file (checked by `bench.redos`): see PiiPatternRecognizer.vetted
    vetted: bool = False

    @property
    def name(self) -> str:
        """The recognizer name (appears in findings: renaming it changes the contract)."""
        return str(self.kwargs["name"])

    def build(self, language: str = "en") -> PiiPatternRecognizer:
        """Instantiate the recognizer for `language`."""
        kw = copy.deepcopy(self.kwargs)
        kw["patterns"] = [Pattern(p["name"], p["regex"], float(p["score"])) for p in kw["patterns"]]
        rec = self.cls(supported_language=language, **kw)
        rec.vetted = self.vetted
        return rec


def _spec_from_dict(entry: dict[str, Any], source: str, compile_check: bool = True) -> RecognizerSpec:
    ident = f"{source}: recognizer {entry.get('name', '?')!r}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{source}: each recognizer must be a mapping")
    unknown = set(entry) - _ALLOWED_KEYS
    if unknown:
        raise ConfigError(f"{ident}: unknown keys {sorted(unknown)}")
    for key in ("name", "supported_entity", "patterns"):
        if not entry.get(key):
            raise ConfigError(f"{ident}: missing {key!r}")
    d = dict(entry)
    validator = d.pop("validator", None)
    examples = d.pop("examples", None) or {}
    for kind in ("match", "no_match"):
        for ex in examples.get(kind, []) or []:
            ok = isinstance(ex, str) or (isinstance(ex, dict) and isinstance(ex.get("text"), str))
            if not ok:
                raise ConfigError(f"{ident}: example {ex!r} must be a string or {{text: ...}}")
    cls = PiiPatternRecognizer
    if validator is not None:
        if validator not in VALIDATORS:
            raise ConfigError(f"{ident}: unknown validator {validator!r}")
        cls = VALIDATORS[validator]
    for p in d["patterns"]:
        if not {"name", "regex", "score"} <= set(p):
            raise ConfigError(f"{ident}: each pattern needs name, regex and score")
        if compile_check:
            try:
                regex.compile(p["regex"])
            except regex.error as exc:
                raise ConfigError(f"{ident}: pattern {p['name']!r} does not compile: {exc}") from exc
        if not 0.0 <= float(p["score"]) <= 1.0:
            raise ConfigError(f"{ident}: pattern {p['name']!r} score must be in 0..1")
    return RecognizerSpec(source=source, cls=cls, kwargs=d, examples=examples)


def load_specs_from_text(text: str, source: str, compile_check: bool = True) -> list[RecognizerSpec]:
    """Parse one patterns YAML document (safe loader) into validated specs.

    `compile_check=False` skips compiling each regex here (the bundled files: their patterns
    compile lazily at first use, and a test compiles every one of them).
    """
    try:
        doc = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("recognizers"), list):
        raise ConfigError(f"{source}: expected a top-level 'recognizers' list")
    return [_spec_from_dict(e, source, compile_check) for e in doc["recognizers"]]


@lru_cache(maxsize=1)
def load_specs() -> tuple[RecognizerSpec, ...]:
    """All bundled pattern specs, in file-name order (deterministic)."""
    specs: list[RecognizerSpec] = []
    folder = resources.files("recognizers") / "patterns"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            text = item.read_text(encoding="utf-8")
            specs.extend(replace(s, vetted=True) for s in load_specs_from_text(text, item.name, compile_check=False))
    names = [s.name for s in specs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ConfigError(f"duplicate recognizer names: {sorted(dupes)}")
    return tuple(specs)


def build_recognizers(
    entities: set[str] | None = None, language: str = "en"
) -> list[PiiPatternRecognizer]:
    """Pattern recognizers (optionally only those for `entities`) for one language."""
    return [
        s.build(language)
        for s in load_specs()
        if entities is None or s.kwargs["supported_entity"] in entities
    ]


def build_presidio_recognizers(
    entities: set[str] | None = None, language: str = "en"
) -> list[Any]:
    """The pattern recognizers as Presidio `PatternRecognizer`s (for your `AnalyzerEngine`)."""
    return [rec.to_presidio() for rec in build_recognizers(entities, language)]


def build_registry(languages: tuple[str, ...] = LANGUAGES, with_nlp: bool = False) -> Any:
    """A Presidio `RecognizerRegistry` holding every piimap recognizer for `languages`.

    With `with_nlp`, the NLP-backed recognizers from `models/` are added too.
    """
    from presidio_analyzer import RecognizerRegistry

    registry = RecognizerRegistry(supported_languages=list(languages))
    for lang in languages:
        for rec in build_presidio_recognizers(language=lang):
            registry.add_recognizer(rec)
    if with_nlp:
        from models import nlp_recognizers

        for nlp_rec in nlp_recognizers(languages):
            registry.add_recognizer(nlp_rec)
    return registry


@cache
def _validators(entity: str) -> tuple[Any, ...]:
    """The `validate_result` of every pattern recognizer of `entity` that has one."""
    return tuple(r.validate_result for r in build_recognizers({entity}) if r._validates)


def value_rejected(entity: str, value: str) -> bool:
    """True when a recognizer of `entity` rejects `value` as a whole (its validator says False):
    the value rules of text, for a table cell that only its column's name calls `entity`."""
    return any(validate(value) is False for validate in _validators(entity))


def all_entities() -> list[str]:
    """Every entity a pattern recognizer can report."""
    return sorted({str(s.kwargs["supported_entity"]) for s in load_specs()})
