"""Policies as data: categories, labels, declared entities, sensitive flags, record rules.

A policy is a YAML file (`scanner/policies/*.yaml`, or any path given to `--policy`).
Loading validates it and reports problems with the file name and the offending line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from scanner.errors import ConfigError


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
    _by_entity: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def categories_for(self, entity: str) -> tuple[str, ...]:
        """Category ids an entity belongs to (in policy order)."""
        if not self._by_entity:
            for cat in self.categories:
                for ent in cat.entities:
                    self._by_entity.setdefault(ent, ())
                    self._by_entity[ent] += (cat.id,)
        return self._by_entity.get(entity, ())

    def is_declared(self, entity: str) -> bool:
        """True when some declared category of the policy discloses this entity."""
        return any(c.declared and entity in c.declared_entities for c in self.categories)

    def category(self, cat_id: str) -> Category:
        """The category with id `cat_id`."""
        for c in self.categories:
            if c.id == cat_id:
                return c
        raise KeyError(cat_id)


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of each mapping (for error messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strs(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return list(value)


def _labels(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value, "ja": value}
    if not isinstance(value, dict) or "en" not in value:
        raise ConfigError(f"{where}: label needs at least an 'en' entry")
    return {str(k): str(v) for k, v in value.items() if k != "__line__"}


def parse_policy(text: str, source: str) -> Policy:
    """Parse and validate a policy document."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(doc, dict):
        raise ConfigError(f"{source}: a policy must be a mapping")
    for key in ("id", "categories"):
        if key not in doc:
            raise ConfigError(f"{source}: missing top-level key {key!r}")
    cats = []
    seen: set[str] = set()
    for raw in doc["categories"] or []:
        where = f"{source}:{raw.get('__line__', '?')}" if isinstance(raw, dict) else source
        if not isinstance(raw, dict) or "id" not in raw:
            raise ConfigError(f"{where}: each category needs an 'id'")
        if raw["id"] in seen:
            raise ConfigError(f"{where}: duplicate category id {raw['id']!r}")
        seen.add(raw["id"])
        examples = raw.get("declared_examples") or {}
        cats.append(
            Category(
                id=str(raw["id"]),
                label=_labels(raw.get("label", raw["id"]), where),
                entities=frozenset(_strs(raw.get("entities"), f"{where}: entities")),
                declared=bool(raw.get("declared", False)),
                declared_entities=frozenset(
                    _strs(raw.get("declared_entities"), f"{where}: declared_entities")
                ),
                declared_examples={
                    str(k): _strs(v, f"{where}: declared_examples")
                    for k, v in examples.items()
                    if k != "__line__"
                },
            )
        )
    rules = []
    for raw in doc.get("record_rules") or []:
        where = f"{source}:{raw.get('__line__', '?')}" if isinstance(raw, dict) else source
        if not isinstance(raw, dict) or "id" not in raw or "requires" not in raw:
            raise ConfigError(f"{where}: each record rule needs 'id' and 'requires'")
        groups = raw["requires"]
        if not isinstance(groups, list) or not groups:
            raise ConfigError(f"{where}: 'requires' must be a list of entity lists")
        category = raw.get("category")
        if category is not None and category not in seen:
            raise ConfigError(f"{where}: record rule names unknown category {category!r}")
        rules.append(
            RecordRule(
                id=str(raw["id"]),
                label=_labels(raw.get("label", raw["id"]), where),
                requires=tuple(frozenset(_strs(g, f"{where}: requires")) for g in groups),
                marks=frozenset(_strs(raw.get("marks"), f"{where}: marks")),
                category=category,
            )
        )
    title = doc.get("title") or {"en": str(doc["id"])}
    return Policy(
        id=str(doc["id"]),
        title=_labels(title, source),
        categories=tuple(cats),
        sensitive_entities=frozenset(_strs(doc.get("sensitive_entities"), f"{source}")),
        record_rules=tuple(rules),
        source=str(doc.get("source", "")),
    )


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
