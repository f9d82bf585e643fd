"""Offline loading of the spaCy pipelines named in models/pipelines.yaml.

A pipeline is loaded from its installed Python package with `spacy.load(name)`, never
downloaded. Each (language, name) is loaded at most once per process, on first use. When
the package is missing (or fails to load) one warning line names the pip package to install
and None is returned: the scan goes on with patterns only.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from scanner import yamlio

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], Any] = {}


@dataclass(frozen=True)
class LabelRule:
    """A pipeline label mapped to a piimap entity with a fixed score."""

    entity: str
    score: float


@dataclass(frozen=True)
class PipelineSpec:
    """One language's pipeline: default package, pip name, env override, labels."""

    lang: str
    package: str
    pip: str
    env: str
    disable: tuple[str, ...]
    labels: dict[str, LabelRule]
    license: str = ""
    #: texts per `nlp.pipe` batch (memory of a batch grows with the model's width)
    batch_size: int = 256

    def name(self, override: str | None = None) -> str:
        """The pipeline to load: `override`, else the env variable, else the default."""
        return override or os.environ.get(self.env, "").strip() or self.package

    def pip_for(self, name: str) -> str:
        """The pip package providing pipeline `name` (a guess for user-named pipelines)."""
        return self.pip if name == self.package else name.replace("_", "-")


@lru_cache(maxsize=1)
def pipeline_specs() -> dict[str, PipelineSpec]:
    """The pipelines per language, from models/pipelines.yaml."""
    text = (resources.files("models") / "pipelines.yaml").read_text(encoding="utf-8")
    doc = yamlio.safe_load(text) or {}
    specs = {}
    for lang, d in (doc.get("pipelines") or {}).items():
        labels = {
            str(k): LabelRule(str(v["entity"]), float(v["score"]))
            for k, v in (d.get("labels") or {}).items()
        }
        specs[lang] = PipelineSpec(
            lang=lang,
            package=d["package"],
            pip=d["pip"],
            env=d["env"],
            disable=tuple(d.get("disable") or ()),
            labels=labels,
            license=str(d.get("license", "")),
            batch_size=int(d.get("batch_size", 256)),
        )
    return specs


def is_installed(name: str) -> bool:
    """True when pipeline package `name` can be imported (no download is ever tried)."""
    if not name.isidentifier():
        return os.path.isdir(name)  # a pipeline directory on disk
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def load_pipeline(lang: str, override: str | None = None) -> Any | None:
    """The spaCy pipeline for `lang` (cached per process), or None when unavailable."""
    spec = pipeline_specs().get(lang)
    if spec is None:
        return None
    name = spec.name(override)
    key = (lang, name)
    with _LOCK:
        if key in _LOADED:
            return _LOADED[key]
        nlp = _load(spec, name)
        _LOADED[key] = nlp
        return nlp


def _load(spec: PipelineSpec, name: str) -> Any | None:
    if not is_installed(name):
        logger.warning(
            "spaCy pipeline %r (%s) is not installed: pip install %s; "
            "NER for %s is off, patterns still run",
            name,
            spec.lang,
            spec.pip_for(name),
            spec.lang,
        )
        return None
    try:
        import spacy

        nlp = spacy.load(name)
        for comp in spec.disable:
            if comp in nlp.pipe_names and not _has_listeners(nlp, comp):
                nlp.disable_pipe(comp)
        from models.ja_tokenizer import lean_tokenizer

        lean = lean_tokenizer(nlp)
        if lean is not None:
            nlp.tokenizer = lean  # words and tags only: bounded memory, ~0.3 ms a line less
        if "ner" not in nlp.pipe_names:
            logger.warning(
                "spaCy pipeline %r has no 'ner' component; NER for %s is off", name, spec.lang
            )
            return None
        return nlp
    except Exception as exc:  # noqa: BLE001 - a broken model must not stop the scan
        logger.warning(
            "spaCy pipeline %r (%s) could not be loaded (%s: %s); reinstall with pip install %s; "
            "NER for %s is off, patterns still run",
            name,
            spec.lang,
            type(exc).__name__,
            str(exc).splitlines()[0][:200] if str(exc) else "",
            spec.pip_for(name),
            spec.lang,
        )
        return None


def _has_listeners(nlp: Any, comp: str) -> bool:
    """True when an enabled component listens to `comp` (a shared tok2vec must stay)."""
    pipe = nlp.get_pipe(comp)
    listeners = getattr(pipe, "listening_components", None) or []
    return "ner" in listeners


def reset_cache() -> None:
    """Forget loaded pipelines (tests only)."""
    with _LOCK:
        _LOADED.clear()
