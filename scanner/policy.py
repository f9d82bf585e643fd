"""Policies as data: categories, labels, declared entities, sensitive flags, record rules.

A policy is a YAML file (`scanner/policies/*.yaml`, or any path given to `--policy`).
Loading validates it and reports problems with the file name and the offending line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from scanner import yamlio
from scanner.errors import ConfigError, ScanError


@dataclass(frozen=True)
class Category:
    """One disclosure category of the policy."""

    id: str
    label: dict[str, str]
    entities: frozenset[str]
    declared: bool
    declared_entities: frozenset[str]
    declared_examples: dict[str, list[str]]


@dataclass(frozen=True)
class RecordRule:
    """Entities that, found together on one line or row, make the record sensitive."""

    id: str
    label: dict[str, str]
    requires: tuple[frozenset[str], ...]
    marks: frozenset[str]
    category: str | None


@dataclass(frozen=True)
class Policy:
    """A validated policy."""

    id: str
    title: dict[str, str]
    categories: tuple[Category, ...]
    sensitive_entities: frozenset[str]
    record_rules: tuple[RecordRule, ...] = ()
    source: str = ""
    #: entities the profile does not treat as personal information: filed nowhere, never a gap
    not_personal: frozenset[str] = frozenset()
    #: report wording of this policy: `ui` key -> {lang: text}, entity -> {lang: text}
    labels: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    entity_labels: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    _by_entity: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def categories_for(self, entity: str) -> tuple[str, ...]:
        """Category ids an entity belongs to (in policy order)."""
        if not self._by_entity:
            for cat in self.categories:
                for ent in cat.entities:
                    self._by_entity.setdefault(ent, ())
                    self._by_entity[ent] += (cat.id,)
        return self._by_entity.get(entity, ())

    def declares(self, cat_id: str, entity: str) -> bool:
        """True when category `cat_id` is declared and its declaration covers `entity`."""
        try:
            cat = self.category(cat_id)
        except KeyError:
            return False
        return cat.declared and entity in cat.declared_entities

    def undeclared_categories(self, entity: str, categories: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Of the categories a finding is filed under, those that do not declare its entity."""
        return tuple(c for c in categories if not self.declares(c, entity))

    def is_undisclosed(self, entity: str, categories: tuple[str, ...] | list[str] | None = None) -> bool:
        """The disclosure rule, per (category, entity): a finding is undisclosed when ANY category
        it is filed under does not declare its entity, or when it is filed under none (unless the
        profile lists the entity as not personal information). `categories` defaults to the
        entity's own categories (no record rule)."""
        cats = self.categories_for(entity) if categories is None else tuple(categories)
        if not cats:
            return entity not in self.not_personal
        return bool(self.undeclared_categories(entity, cats))

    def is_declared(self, entity: str) -> bool:
        """True when every category the entity is filed under (record rules aside) declares it."""
        return not self.is_undisclosed(entity)

    def category(self, cat_id: str) -> Category:
        """The category with id `cat_id`."""
        for c in self.categories:
            if c.id == cat_id:
                return c
        raise KeyError(cat_id)


class _LineList(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers its line (for error messages)."""

    line: int = 0


class _LineLoader(yamlio.SafeLoader):  # type: ignore[misc]  # PyYAML has no stubs here: SafeLoader is Any
    """Safe loader that remembers the line of each mapping and sequence."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = cast(dict[str, Any], loader.construct_mapping(node, deep=True))
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    seq = _LineList(loader.construct_sequence(node, deep=True))
    seq.line = node.start_mark.line + 1
    return seq


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

#: keys allowed at each level (a typo such as `declard:` is an error, not a silent default)
_TOP_KEYS = {"id", "version", "title", "source", "categories", "sensitive_entities", "record_rules",
             "not_personal", "labels", "entity_labels"}
_CAT_KEYS = {"id", "label", "declared", "declared_examples", "declared_entities", "entities"}
_RULE_KEYS = {"id", "label", "requires", "marks", "category"}


@lru_cache(maxsize=1)
def known_entities() -> frozenset[str]:
    """Entity names a policy may use: the canonical list, pattern and NLP entities."""
    doc = yamlio.safe_load((resources.files("scanner") / "entities.yaml").read_text("utf-8"))
    names: set[str] = {str(e) for e in doc.get("entities") or []}
    try:
        from recognizers.registry import all_entities

        names |= set(all_entities())
    except ScanError:  # pragma: no cover - a broken pattern file is reported elsewhere
        pass
    try:
        from models import NLP_ENTITIES

        names |= set(NLP_ENTITIES)
    except ImportError:
        pass
    return frozenset(names)


def _at(source: str, node: Any, fallback: int | None = None) -> str:
    line = None
    if isinstance(node, dict):
        line = node.get("__line__")
    elif isinstance(node, _LineList):
        line = node.line
    line = line or fallback
    return f"{source}:{line}" if line else source


def _strs(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return list(value)


def _entities(value: Any, where: str) -> frozenset[str]:
    names = _strs(value, where)
    unknown = sorted(set(names) - known_entities())
    if unknown:
        raise ConfigError(f"{where}: unknown entities {unknown}")
    return frozenset(names)


def _labels(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value, "ja": value}
    if not isinstance(value, dict) or "en" not in value:
        raise ConfigError(f"{where}: label needs at least an 'en' entry")
    labels = {k: v for k, v in value.items() if k != "__line__"}
    bad = sorted(str(k) for k, v in labels.items() if not isinstance(v, str) or not isinstance(k, str))
    if bad:
        # `{en: a, b}` parses as two keys: a label holding a comma needs quotes
        raise ConfigError(f"{where}: label entries {bad} are not 'language: text' (quote labels that contain commas)")
    return {str(k): str(v) for k, v in labels.items()}


def _check_keys(raw: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed - {"__line__"})
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown} (allowed: {sorted(allowed)})")


def _category(raw: Any, source: str, parent: Any, seen: set[str]) -> Category:
    where = _at(source, raw, _at_line(parent))
    if not isinstance(raw, dict) or "id" not in raw:
        raise ConfigError(f"{where}: each category must be a mapping with an 'id'")
    _check_keys(raw, _CAT_KEYS, where)
    if not isinstance(raw["id"], str) or not raw["id"]:
        raise ConfigError(f"{where}: category id must be a non-empty string")
    if raw["id"] in seen:
        raise ConfigError(f"{where}: duplicate category id {raw['id']!r}")
    seen.add(raw["id"])
    declared = raw.get("declared", False)
    if not isinstance(declared, bool):
        raise ConfigError(f"{where}: 'declared' must be true or false")
    examples = raw.get("declared_examples") or {}
    if not isinstance(examples, dict):
        raise ConfigError(f"{where}: declared_examples must map a language to a list")
    entities = _entities(raw.get("entities"), f"{where}: entities")
    declared_entities = _entities(raw.get("declared_entities"), f"{where}: declared_entities")
    if declared_entities and not declared:
        raise ConfigError(f"{where}: declared_entities given but the category is not declared")
    return Category(
        id=raw["id"],
        label=_labels(raw.get("label", raw["id"]), where),
        entities=entities,
        declared=declared,
        declared_entities=declared_entities,
        declared_examples={
            str(k): _strs(v, f"{where}: declared_examples")
            for k, v in examples.items()
            if k != "__line__"
        },
    )


def _at_line(node: Any) -> int | None:
    return node.line if isinstance(node, _LineList) else None


def _rule(raw: Any, source: str, parent: Any, cats: set[str]) -> RecordRule:
    where = _at(source, raw, _at_line(parent))
    if not isinstance(raw, dict) or "id" not in raw or "requires" not in raw:
        raise ConfigError(f"{where}: each record rule needs 'id' and 'requires'")
    _check_keys(raw, _RULE_KEYS, where)
    groups = raw["requires"]
    if not isinstance(groups, list) or not groups or not all(isinstance(g, list) and g for g in groups):
        raise ConfigError(f"{where}: 'requires' must be a non-empty list of entity lists")
    category = raw.get("category")
    if category is not None and category not in cats:
        raise ConfigError(f"{where}: record rule names unknown category {category!r}")
    return RecordRule(
        id=str(raw["id"]),
        label=_labels(raw.get("label", raw["id"]), where),
        requires=tuple(_entities(g, f"{where}: requires") for g in groups),
        marks=_entities(raw.get("marks"), f"{where}: marks"),
        category=category,
    )


def load_yaml_lines(text: str, source: str) -> Any:
    """Safe-load YAML whose mappings remember their line (`__line__`); errors name the line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc


def parse_policy(text: str, source: str) -> Policy:
    """Parse and validate a policy document; errors name `source` and the line."""
    doc = load_yaml_lines(text, source)
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}:1: a policy must be a mapping")
    _check_keys(doc, _TOP_KEYS, f"{source}:{doc['__line__']}")
    for key in ("id", "categories"):
        if key not in doc:
            raise ConfigError(f"{source}:{doc['__line__']}: missing top-level key {key!r}")
    raw_cats = doc["categories"]
    if not isinstance(raw_cats, list) or not raw_cats:
        raise ConfigError(f"{_at(source, raw_cats, doc['__line__'])}: 'categories' must be a non-empty list")
    seen: set[str] = set()
    cats = [_category(raw, source, raw_cats, seen) for raw in raw_cats]
    raw_rules = doc.get("record_rules") or []
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{_at(source, raw_rules, doc['__line__'])}: 'record_rules' must be a list")
    rules = [_rule(raw, source, raw_rules, seen) for raw in raw_rules]
    _check_declared_filed(cats, rules, source, raw_cats)
    title = doc.get("title") or {"en": str(doc["id"])}
    sens = doc.get("sensitive_entities")
    not_personal = doc.get("not_personal")
    return Policy(
        id=str(doc["id"]),
        title=_labels(title, _at(source, title, doc["__line__"])),
        categories=tuple(cats),
        sensitive_entities=_entities(sens, f"{_at(source, sens, doc['__line__'])}: sensitive_entities"),
        record_rules=tuple(rules),
        source=str(doc.get("source", "")),
        not_personal=_entities(not_personal, f"{_at(source, not_personal, doc['__line__'])}: not_personal"),
        labels=_label_map(doc.get("labels"), source, doc["__line__"], "labels"),
        entity_labels=_label_map(doc.get("entity_labels"), source, doc["__line__"], "entity_labels", entities=True),
    )


def _check_declared_filed(cats: list[Category], rules: list[RecordRule], source: str, raw_cats: Any) -> None:
    """Every declared entity of a category must be filable there: in its `entities`, or marked
    by a record rule that files into it (else the declaration can never be matched)."""
    by_rule: dict[str, set[str]] = {}
    for r in rules:
        if r.category:
            by_rule.setdefault(r.category, set()).update(r.marks)
    for cat, raw in zip(cats, raw_cats, strict=True):
        stray = sorted(cat.declared_entities - cat.entities - by_rule.get(cat.id, set()))
        if stray:
            raise ConfigError(
                f"{_at(source, raw, _at_line(raw_cats))}: category {cat.id!r} declares {stray} but does not "
                "list them in 'entities' (nor does a record rule file them there)"
            )


def _label_map(value: Any, source: str, line: int, key: str, entities: bool = False) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    where = _at(source, value, line)
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{key}' must map a name to {{en: ..., ja: ...}}")
    out = {str(k): _labels(v, f"{where}: {key}.{k}") for k, v in value.items() if k != "__line__"}
    if entities:
        _entities(list(out), f"{where}: {key}")
    return out


def builtin_policies() -> list[str]:
    """Names of the policies shipped with piimap."""
    folder = resources.files("scanner") / "policies"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_policy(name_or_path: str = "california") -> Policy:
    """Load a built-in policy by name, or a policy YAML file by path."""
    path = Path(name_or_path)
    if name_or_path in builtin_policies():
        res = resources.files("scanner") / "policies" / f"{name_or_path}.yaml"
        return parse_policy(res.read_text("utf-8"), f"{name_or_path}.yaml")
    if path.is_file():
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read policy: {exc}") from exc
        return parse_policy(text, str(path))
    raise ConfigError(
        f"unknown policy {name_or_path!r}: not a file, and not one of {builtin_policies()}"
    )
