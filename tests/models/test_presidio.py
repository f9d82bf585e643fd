from __future__ import annotations

from typing import Any

from models import nlp_recognizers
from recognizers.registry import build_registry


def test_when_registry_built_with_nlp_then_ner_and_gazetteer_recognizers_are_in_it() -> None:
    names = {r.name for r in build_registry(("en", "ja"), with_nlp=True).recognizers}
    assert {"SpacyNerRecognizer", "GinzaNerRecognizer", "GazetteerRecognizer"} <= names
    assert "SpacyNerRecognizer" not in {r.name for r in build_registry(("en",)).recognizers}


def test_when_presidio_recognizer_analyzes_then_offsets_are_in_the_original_text(
    en_nlp: Any,
) -> None:
    ner, gaz = nlp_recognizers(("en",))
    text = "line one\nWe met Jane Doe, Head of People."
    res = {(r.entity_type, text[r.start : r.end]) for r in ner.analyze(text, [])}
    assert ("PERSON", "Jane Doe") in res
    res = {(r.entity_type, text[r.start : r.end]) for r in gaz.analyze(text, ["JOB_TITLE"])}
    assert res == {("JOB_TITLE", "Head of People")}


def test_when_fullwidth_text_then_offsets_map_back(ja_nlp: Any) -> None:
    _, gaz = nlp_recognizers(("ja",))
    text = "所属：Ｒ＆Ｄ"  # full-width: matched as R&D after NFKC, reported in the original
    res = [(r.entity_type, text[r.start : r.end]) for r in gaz.analyze(text, [])]
    assert res == [("DEPARTMENT", "Ｒ＆Ｄ")]
    text = "役職：部長"
    res = [(r.entity_type, text[r.start : r.end]) for r in gaz.analyze(text, [])]
    assert res == [("JOB_TITLE", "部長")]
