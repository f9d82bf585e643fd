"""Prefilter: derived triggers widen, never narrow; Hyperscan, regex and brute force agree."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from bench.generate import generate
from recognizers.registry import build_recognizers, load_specs
from scanner.detect import Detector
from scanner.normalize import normalize
from scanner.prefilter import Prefilter, hyperscan_available, trigger_regex


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small generated corpus (logs with planted values, plus PII-free text) as one text."""
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 0.12, seed=3, clean_mb=0.05)
    parts = [
        p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.suffix in (".log", ".txt", ".py", ".md")
    ]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def recognizers() -> list:
    return build_recognizers()


def _detections(det: Detector, text: str) -> list[tuple]:
    return [
        (d.line, d.start, d.end, d.entity, d.score, d.recognizer)
        for d in det.detect_text("x", text, 1)
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<![\w.-])\d{3}(?![\w-])", r"(?:^|[^\w.-])\d{3}(?:[^\w-]|$)"),
        (r"(?<!\d)a", r"(?:^|\D)a"),
        (r"(?<=://)host", r"(?:://)host"),
        (r"a(?=b)c", r"ac"),
        (r"[a-z]{0,61}x", r"[a-z]{0,}x"),
        (r"\d{1,4}", r"\d{1,4}"),
        (r"x(?![\w-]|\.\d)", r"x(?:[^\w\-]|$)"),
        (r"(?<![\w:.])(?:[0-9a-f]{1,4}:){1,7}", r"(?:^|[^\w:.])(?:[0-9a-f]{1,4}:){1,7}"),
    ],
    ids=[
        "neg-class",
        "neg-escape",
        "pos-behind",
        "pos-ahead-dropped",
        "long-repeat",
        "short-repeat",
        "neg-alternation",
        "ipv6-head",
    ],
)
def test_when_pattern_has_lookarounds_then_trigger_is_lookaround_free(
    pattern: str, expected: str
) -> None:
    assert trigger_regex(pattern) == expected


def test_when_match_examples_run_then_their_recognizer_is_a_candidate(recognizers: list) -> None:
    pf = Prefilter(recognizers, min_score=0.0)
    names = [r.name for r in recognizers]
    for spec in load_specs():
        for ex in spec.examples.get("match", []):
            text = normalize(ex if isinstance(ex, str) else ex["text"])[0]
            context = "" if isinstance(ex, str) else ex.get("context", "")
            cands = pf.candidates(text)
            # a column-name context forces its recognizers onto every cell of the column
            chosen = cands.get(0, set()) | set(pf.forced(context) if context else ())
            assert names.index(spec.name) in chosen, (
                f"{spec.name} not triggered by {text!r}"
            )


def test_when_no_trigger_fires_then_no_pattern_matches_either(
    recognizers: list, sample: str
) -> None:
    pf = Prefilter(recognizers, min_score=0.0)
    lines = [normalize(li)[0] for li in sample.split("\n")]
    cands = pf.candidate_patterns("\n".join(lines))
    for ri, rec in enumerate(recognizers):
        if rec.keywords or rec.context_required:
            continue  # keyword and context triggers are about context, not shape
        for pi, pat in enumerate(rec.patterns):
            compiled = regex.compile(pat.regex, rec.global_regex_flags)
            for li, line in enumerate(lines):
                if compiled.search(line):
                    per = cands.get(li, {})
                    assert ri in per and (per[ri] is None or pi in per[ri]), (
                        rec.name,
                        pat.name,
                        line,
                    )


def test_when_hyperscan_or_regex_prefilter_then_same_detections(
    recognizers: list, sample: str
) -> None:
    assert hyperscan_available()
    fast = Detector(recognizers, use_hyperscan=True)
    slow = Detector(recognizers, use_hyperscan=False)
    assert fast.prefilter.engine == "hyperscan" and slow.prefilter.engine == "regex"
    got = _detections(fast, sample)
    assert got == _detections(slow, sample)
    assert len({d[3] for d in got}) >= 10  # the sample really exercises many entities


def test_when_every_line_runs_every_recognizer_then_same_detections(
    recognizers: list, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = Detector(recognizers)
    expected = _detections(fast, sample)
    brute = Detector(recognizers)
    n_lines = sample.count("\n") + 1
    every = {i: dict.fromkeys(range(len(recognizers))) for i in range(n_lines)}
    monkeypatch.setattr(
        brute.prefilter, "candidate_patterns", lambda _text: {k: dict(v) for k, v in every.items()}
    )
    assert _detections(brute, sample) == expected


def test_when_column_name_is_context_then_context_gated_recognizers_run(recognizers: list) -> None:
    det = Detector(recognizers)
    found = det.detect_cells("t.csv", "passport_no", [0, 1], ["TK1234567", "hello"])
    assert [(d.row, d.entity) for d in found] == [(0, "PASSPORT")]
    assert det.detect_cells("t.csv", "code", [0], ["TK1234567"]) == []


def test_when_column_name_is_context_then_only_context_triggered_patterns_are_forced(recognizers: list) -> None:
    det = Detector(recognizers)
    names = [r.name for r in det.recognizers]
    forced = {names[i]: pats for i, pats in det.prefilter.forced("phone_number").items()}
    assert "PiimapPhoneRecognizer" not in forced  # its patterns trigger on their own shapes
    passport = {names[i]: pats for i, pats in det.prefilter.forced("passport_no").items()}
    assert passport.get("PiimapPassportRecognizer", 0) is None  # context_required: every pattern
    values = ["+1 646-484-2834", "(415) 831-7178", "080-6128-7037", "n/a", "03-1234-5678"]
    got = det.detect_values(values, "phone")
    every = Detector(recognizers)  # the phone recognizer forced onto every value: the same hits
    phone = names.index("PiimapPhoneRecognizer")
    every.prefilter.context_gated[phone] = (["phone"], None)
    assert every.detect_values(values, "phone") == got
    assert [len(h) for h in got] == [1, 1, 1, 0, 1]


def test_when_database_cached_then_second_prefilter_loads_it(
    recognizers: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIIMAP_CACHE_DIR", str(tmp_path))
    first = Prefilter(recognizers)
    files = list(tmp_path.glob("hyperscan-*.db"))
    assert len(files) == 1
    second = Prefilter(recognizers)
    text = "mail taro@example.com from 203.0.113.7\nnothing here"
    assert second.candidate_patterns(text) == first.candidate_patterns(text)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (r"a[^\s<>]{2,}?", r"a[^\s<>]{2}"),
        (r"x[a-z]+", r"x[a-z]"),
        (r"x\w*", "x"),
        (r"(?:a|b)", r"(?:a|b)"),
        (r"\d{4}(?:\D|$)", r"\d{4}(?:\D|$)"),
        (r"Basic\s+[A-Za-z0-9+/]{8,}={0,2}", r"Basic\s+[A-Za-z0-9+/]{8}"),
        (r"Bearer\s+(?P<value>[A-Za-z0-9._~+/-]{20,}=*)", r"Bearer\s+[A-Za-z0-9._~+/-]{20}"),
        (r"k=(?:a|b)+", r"k=(?:a|b)+"),
        (r"(?i:x[a-z]+)", r"(?i:x[a-z]+)"),
    ],
    ids=[
        "lazy-open-repeat", "plus", "star", "group-untouched", "boundary-untouched",
        "optional-tail-dropped", "final-group-opened", "repeated-group-untouched", "flags-group-untouched",
    ],
)
def test_when_trigger_ends_in_a_repeat_then_it_is_cut_to_its_minimum(
    expr: str, expected: str
) -> None:
    from scanner.prefilter import _trim_tail

    assert _trim_tail(expr) == expected


def test_when_bundled_triggers_compile_then_hyperscan_takes_every_one(recognizers: list) -> None:
    # a trigger Hyperscan rejects runs as a Python regex over every chunk (and skips the cache)
    pre = Prefilter(recognizers)
    assert pre._db is not None and pre._fallback == []


def test_when_logs_are_prefiltered_then_few_lines_reach_the_exact_patterns(recognizers: list) -> None:
    # A count, not a timing: (line, recognizer) candidates per log line. Measured 0.40 on the
    # benchmark corpus; a keyword trigger list of common words (`Lead`, `Staff`, `Head` …, matched
    # caselessly) once made the English job-title patterns a candidate on 31% of all lines (0.71).
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), 0.3, seed=5, clean_mb=0.01)
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(tmp).rglob("*.log")))
    pre = Prefilter(recognizers)
    lines = text.count("\n") + 1
    pairs = sum(len(per) for per in pre.candidate_patterns(text).values())
    assert pairs / lines < 0.5, pairs / lines
    job = next(i for i, r in enumerate(recognizers) if r.name == "JobTitlePatternRecognizer")
    with_job = sum(1 for per in pre.candidate_patterns(text).values() if job in per)
    assert with_job / lines < 0.05, with_job / lines
