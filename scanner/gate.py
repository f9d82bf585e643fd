"""The CI gate: which findings make `piimap` exit with 1 (`--fail-on`).

Tokens (comma-separated, any of them matching fails the run):
`any` (default: every finding), `none` (never fail on findings), `sensitive` (findings
flagged sensitive, alone or by a record rule), `undisclosed` (a finding filed under a category
that does not declare its entity: the gap analysis' headline, same per-(category, entity) rule),
a policy category id, or an entity name.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.errors import ConfigError
from scanner.policy import Policy, known_entities
from scanner.records import Finding

KEYWORDS = ("any", "none", "sensitive", "undisclosed")


@dataclass(frozen=True)
class Gate:
    """A parsed `--fail-on` value."""

    keywords: frozenset[str]
    categories: frozenset[str]
    entities: frozenset[str]
    policy: Policy

    def matches(self, f: Finding) -> bool:
        """True when finding `f` should fail the run."""
        if "any" in self.keywords:
            return True
        if "sensitive" in self.keywords and f.sensitive:
            return True
        if "undisclosed" in self.keywords and self.policy.is_undisclosed(f.entity, f.categories):
            return True
        return f.entity in self.entities or any(c in self.categories for c in f.categories)


def parse_fail_on(value: str, policy: Policy) -> Gate:
    """Parse `--fail-on` against `policy` (unknown tokens are an error naming them)."""
    tokens = [t.strip() for t in value.split(",") if t.strip()]
    if not tokens:
        raise ConfigError("empty value")
    cat_ids = {c.id.lower(): c.id for c in policy.categories}
    entities = known_entities()
    kw: set[str] = set()
    cats: set[str] = set()
    ents: set[str] = set()
    unknown = []
    for t in tokens:
        if t.lower() in KEYWORDS:
            kw.add(t.lower())
        elif t.lower() in cat_ids:
            cats.add(cat_ids[t.lower()])
        elif t.upper() in entities:
            ents.add(t.upper())
        else:
            unknown.append(t)
    if unknown:
        raise ConfigError(
            f"unknown {unknown}; use {'/'.join(KEYWORDS)}, a category of policy "
            f"{policy.id!r} ({', '.join(sorted(cat_ids.values()))}) or an entity name"
        )
    if "none" in kw and len(tokens) > 1:
        raise ConfigError("'none' cannot be combined with other values")
    return Gate(frozenset(kw), frozenset(cats), frozenset(ents), policy)
