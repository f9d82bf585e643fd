"""The benchmark's hard negatives (bench/generate.py, clean/hard/): PII-free text shaped like
personal data. piimap must report nothing on it, except for the shapes listed in
KNOWN_FLAGGED (still flagged when they were added; the benchmark keeps measuring them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import evaluate
from bench.generate import (
    HARD_DIR,
    HARD_FILES,
    HARD_JSON,
    KNOWN_FLAGGED,
    MB,
    ean13,
    generate,
    luhn_ok,
    shape_name,
    write_hard_negatives,
)
from scanner.pipeline import ScanOptions, iter_results

ALL_SHAPES = {shape_name(f) for _, _, t in HARD_FILES for f, _ in t} | {
    shape_name(b) for *_, b in HARD_JSON
}


def _my_number_ok(num: str) -> bool:
    total = sum(int(num[11 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    rem = total % 11
    return num[-1] == str(0 if rem <= 1 else 11 - rem)


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("hard")
    shapes = write_hard_negatives(out, int(0.15 * MB), seed=7, exclude=KNOWN_FLAGGED)
    return out, shapes


def test_when_hard_negatives_are_scanned_then_piimap_finds_nothing(
    hard: tuple[Path, dict[str, object]],
) -> None:
    out, shapes = hard
    found = []
    for fr in iter_results([str(out / HARD_DIR)], ScanOptions(nlp="off", workers=1)):
        assert fr.issue is None, fr.issue
        for f in fr.findings:
            rel = Path(f.path).resolve().relative_to(out.resolve()).as_posix()
            shape = evaluate.shape_of(shapes, rel, f.line)  # type: ignore[arg-type]
            found.append((shape, f"{rel}:{f.line}", f.entity, f.preview))
    assert found == []


def test_when_hard_negatives_are_generated_then_every_shape_is_there(
    hard: tuple[Path, dict[str, object]],
) -> None:
    out, shapes = hard
    seen = set()
    for rel, shape in shapes.items():
        if isinstance(shape, str):
            seen.add(shape)
        else:
            text = (out / rel).read_text(encoding="utf-8")
            assert len(shape) == text.count("\n"), rel  # one shape per line
            seen.update(shape)
    assert seen == ALL_SHAPES - KNOWN_FLAGGED
    assert KNOWN_FLAGGED <= ALL_SHAPES


def test_when_hard_negatives_hold_numbers_then_their_check_digits_are_valid(
    hard: tuple[Path, dict[str, object]],
) -> None:
    import re

    text = (hard[0] / HARD_DIR / "ja.txt").read_text(encoding="utf-8")
    jans = re.findall(r"JANコード[：: ]\s*(\d{13})", text)
    assert jans and all(j[:2] in ("45", "49") and ean13_ok(j) for j in jans)
    tracking = [
        m.replace("-", "")
        for m in re.findall(r"(?:伝票番号|追跡番号)[：: ]\s*([\d-]{12,14})", text)
    ]
    passing = [t for t in tracking if _my_number_ok(t)]
    assert len(tracking) >= 10 and len(passing) >= len(tracking) / 2  # the hard part
    import random

    r = random.Random(1)
    assert any(luhn_ok(ean13(r)) for _ in range(50))  # some JANs are also Luhn-valid


def ean13_ok(code: str) -> bool:
    total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(code[:12]))
    return code[12] == str((10 - total % 10) % 10)


def test_when_corpus_is_generated_twice_then_hard_negatives_are_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    ma = generate(a, 0.02, seed=3, clean_mb=0.04)
    generate(b, 0.02, seed=3, clean_mb=0.04)
    assert ma["hard_version"] and ma["hard_mb"] == pytest.approx(0.02)
    files = sorted(p.relative_to(a) for p in (a / HARD_DIR).rglob("*") if p.is_file())
    assert files and all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    shapes = json.loads((a / "hard_negatives.json").read_text(encoding="utf-8"))
    assert set(shapes) == {f.as_posix() for f in files}
