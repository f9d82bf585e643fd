"""The README stays true: its entity table matches the policy and the registry."""

from __future__ import annotations

import re
from pathlib import Path

from recognizers.registry import all_entities
from scanner.policy import load_policy

README = Path(__file__).resolve().parent.parent / "README.md"


def test_when_readme_entity_table_read_then_it_matches_policy_and_registry() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- entity-table:start -->")[1].split("<!-- entity-table:end -->")[0]
    rows = {}
    for line in block.splitlines():
        m = re.match(r"\| `(\w+)` \| ([^|]*) \| ([^|]*) \| ([^|]*) \|", line)
        if m:
            rows[m.group(1)] = (m.group(2).strip(), m.group(3).strip(), m.group(4).strip())
    policy = load_policy("california")
    assert set(all_entities()) <= set(rows)
    for entity, (cats, sensitive, declared) in rows.items():
        assert cats == ", ".join(policy.categories_for(entity)), entity
        assert (sensitive == "yes") == (entity in policy.sensitive_entities), entity
        assert (declared == "yes") == policy.is_declared(entity), entity


def test_when_readme_read_then_quick_start_is_the_two_make_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start")[1].split("##")[0]
    assert "make demo" in quick and "make test" in quick
