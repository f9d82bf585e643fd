"""SARIF 2.1.0, validated against the official OASIS schema (vendored in tests/data)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from scanner.records import FileIssue, ScanResult

Render = Callable[..., str]
SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _validate(doc: dict) -> None:  # type: ignore[type-arg]
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)


@pytest.mark.parametrize("lang", ["en", "ja"], ids=["en", "ja"])
def test_when_rendered_then_valid_against_the_official_schema(result: ScanResult, render: Render, lang: str) -> None:
    doc = json.loads(render(result, "sarif", lang=lang))
    _validate(doc)
    run = doc["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {f.entity for f in result.findings}
    assert len(run["results"]) == len(result.findings)


def test_when_text_finding_then_region_is_one_based(result: ScanResult, render: Render) -> None:
    doc = json.loads(render(result, "sarif"))
    f = next(x for x in result.findings if x.entity == "EMAIL_ADDRESS" and x.path.endswith("app.log"))
    res = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "EMAIL_ADDRESS"
               and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("app.log"))
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": f.line, "startColumn": f.start + 1, "endColumn": f.end + 1}
    assert "a***@example.com" in res["message"]["text"]


def test_when_table_finding_then_column_is_a_logical_location_and_row_a_property(
    result: ScanResult, render: Render
) -> None:
    cell = replace(result.findings[0], path="data/users.csv", line=None, row=7, column="email")
    res = ScanResult(findings=[cell], issues=[FileIssue("data/broken.parquet", "error", "not parquet")])
    res.stats.files_failed = 1
    doc = json.loads(render(res, "sarif"))
    _validate(doc)
    loc = doc["runs"][0]["results"][0]["locations"][0]
    assert "region" not in loc["physicalLocation"]
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "email[7]"
    assert doc["runs"][0]["results"][0]["properties"]["row"] == 7
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_when_rendered_then_no_raw_value_in_the_log(result: ScanResult, render: Render) -> None:
    text = render(result, "sarif")
    for raw in ("hunter2", "4111111111111111", "123456789018", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"):
        assert raw not in text


def test_when_schema_check_runs_then_it_rejects_a_broken_log() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"message": {}}]}]})


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("c10/a\\b.txt", "c10/a%5Cb.txt"),  # a backslash in a POSIX name is no path step
        ("bad/caf\\xe9.txt", "bad/caf%5Cxe9.txt"),  # the escape of a byte that is not UTF-8
        ("new/a\\nb.txt", "new/a%5Cnb.txt"),
        ("logs/app 1.log", "logs/app%201.log"),
        ("/srv/日本.log", "file:///srv/%E6%97%A5%E6%9C%AC.log"),
    ],
)
def test_when_a_path_has_odd_characters_then_the_uri_keeps_every_segment(path: str, uri: str) -> None:
    from scanner.report.sarif import artifact_uri

    assert artifact_uri(path) == uri
