"""The lean Japanese tokenizer (models/ja_tokenizer.py) and bounded NER memory.

The lean tokenizer must give GiNZA's NER exactly what spaCy's JapaneseTokenizer gives it
(words, spaces, Sudachi tags), and a long scan of new words must not grow the vocabulary.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def _texts() -> list[str]:
    rows = [json.loads(line) for line in (DATA / "nlp_eval.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [r["text"] for r in rows if r["lang"] == "ja"]
    return texts + [
        "",
        " ",
        "  全角　　スペース　　連続  ",
        "ｱｲｳ　ｴｵ（半角カナ）",
        "a\u3000\u3000b\t\tc",
        "…と言った。",
        "〒100-0001 東京都千代田区千代田1-1 山田 太郎 様",
        "English only line",
    ]


def _reference(nlp: Any) -> Any:
    from spacy.lang.ja import JapaneseTokenizer

    return JapaneseTokenizer(nlp.vocab, nlp.tokenizer.split_mode)


def _analyse(nlp: Any, tokenizer: Any, text: str) -> tuple[list[tuple[str, str, str]], list[tuple[int, int, str]]]:
    doc = tokenizer(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(t.text, t.tag_, t.whitespace_) for t in doc], [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_when_ginza_loaded_then_its_tokenizer_is_the_lean_one(ja_nlp: Any) -> None:
    assert type(ja_nlp.tokenizer).__name__ == "LeanJapaneseTokenizer"


def test_when_lean_tokenizer_used_then_tokens_tags_and_entities_equal_spacys(ja_nlp: Any) -> None:
    ref = _reference(ja_nlp)
    texts = _texts()
    assert len(texts) > 150

    def tokens(tokenizer: Any, text: str) -> list[tuple[str, str, str]]:
        return [(t.text, t.tag_, t.whitespace_) for t in tokenizer(text)]

    for text in texts:  # every text through both tokenizers (cheap) ...
        assert tokens(ja_nlp.tokenizer, text) == tokens(ref, text), text
    for text in texts[::6]:  # ... and a sample through NER (40 ms a line)
        assert _analyse(ja_nlp, ja_nlp.tokenizer, text) == _analyse(ja_nlp, ref, text), text


def _new_names(seed: int, n: int) -> list[str]:
    r = random.Random(seed)

    def word() -> str:
        return "".join(chr(r.randint(0x4E00, 0x4FFF)) for _ in range(2))

    return [f"{word()}{word()}様から{word()}{word()}株式会社の件で連絡" for _ in range(n)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_when_ner_sees_new_words_then_the_vocabulary_does_not_grow(lang: str, ja_nlp: Any, en_nlp: Any) -> None:
    from models.ner import NerDetector

    nlp = ja_nlp if lang == "ja" else en_nlp
    if lang == "ja":
        lines = _new_names(7, 200)
    else:
        r = random.Random(7)
        lines = [
            f"customer: {''.join(r.choice('bcdfghjklmnprstvz') + r.choice('aeiou') for _ in range(4)).title()} "
            f"{''.join(r.choice('bcdfghjklmnprstvz') + r.choice('aeiou') for _ in range(4)).title()}"
            for _ in range(400)
        ]
    det = NerDetector("on")
    list(det.detect_lines(lines[:20]))  # first use: labels and fixed strings
    before = len(nlp.vocab.strings)
    found = list(det.detect_lines(lines[20:]))
    assert found, "NER found nothing: the test would prove nothing"
    assert len(nlp.vocab.strings) == before


def test_when_ner_runs_then_each_language_uses_its_batch_size_from_pipelines_yaml(ja_nlp: Any, en_nlp: Any) -> None:
    from models.loader import pipeline_specs
    from models.ner import NerDetector

    sizes: dict[str, int] = {}

    def loader(lang: str, override: str | None = None) -> Any:
        nlp = ja_nlp if lang == "ja" else en_nlp

        class Recording:
            tokenizer = nlp.tokenizer

            def pipe(self, texts: Any, batch_size: int = 0, **kw: Any) -> Any:
                sizes[lang] = batch_size
                return nlp.pipe(texts, batch_size=batch_size, **kw)

        return Recording()

    list(NerDetector("on", loader=loader).detect_lines(["山田太郎様に連絡", "Call with Grace Brennan today"]))
    specs = pipeline_specs()
    assert sizes == {"ja": specs["ja"].batch_size, "en": specs["en"].batch_size}
    assert specs["ja"].batch_size < specs["en"].batch_size  # GiNZA's batches hold far more memory
