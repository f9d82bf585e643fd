"""`--nlp auto`: which lines reach NER (cue / evidence / none) and which results are kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from models.gate import CUE, EVIDENCE, JA, gate, gate_lines, has_evidence, has_name_key

NAMEISH = {"PERSON", "ORGANIZATION"}


def _names(detector: Any, lines: list[str]) -> list[set[tuple[str, str]]]:
    return [{(h.entity, v) for h, v in hits if h.entity in NAMEISH} for hits in detector.detect_lines(lines)]


@pytest.mark.parametrize(
    ("line", "prev", "level"),
    [
        ("customer: John Smith", "", CUE),
        ("担当: 山田太郎様", "", CUE),
        ("Mr. Tanaka called about the invoice.", "", CUE),
        ("Grace Brennan", "Best regards,", CUE),
        ("Refund approved for Emily Clarke by the billing team", "", EVIDENCE),
        ("Invoice 507 was sent to the Bank of Ishikawa yesterday", "", EVIDENCE),
        ("Computes config model an pattern and of query interface config.", "", None),
        ("Release Notes and Known Issues", "", None),
        ("- Requires Python 3.11 and version 2.3.1 or later.", "", None),
        ("notify to=mary.brown@example.com template=welcome", "", None),
        ("login ok client=10.0.0.1 session=abc", "", None),
        ("2024-01-09T19:01:25Z INFO [search] Authorization: Bearer eyJhbGciOiJIUzI1NiJ9", "", None),
        ("Grace Brennan", "", None),
    ],
    ids=[
        "name-key",
        "ja-key-honorific",
        "en-honorific",
        "signature",
        "prose-name-pair",
        "connector-pair",
        "word-soup",
        "title-case-heading",
        "docs-bullet",
        "key-with-email-value",
        "key-with-ip-value",
        "bearer-header",
        "short-line-no-cue",
    ],
)
def test_when_line_given_then_gate_returns_trust_level(line: str, prev: str, level: str | None) -> None:
    assert gate(line, "", prev) == level


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("name=John Smith action=login", True),
        ('{"name": "Jane Doe"}', True),
        ("From: John Smith <john@example.com>", True),
        ("氏名：山田太郎", True),
        ("notify to=mary@example.com", False),
        ("client=10.0.0.1", False),
        ("担当：03-1234-5678", False),
        ("hostname: web01", False),
    ],
)
def test_when_name_key_value_is_not_a_name_then_no_cue(line: str, expected: bool) -> None:
    assert has_name_key(line) is expected


@pytest.mark.parametrize(
    ("value", "entity", "line", "kept"),
    [
        ("Emily Clarke", "PERSON", "", True),
        ("J. Tolkien", "PERSON", "", True),
        ("Ironbridge Holdings", "ORGANIZATION", "", True),
        ("Summit Partners", "ORGANIZATION", "", True),
        ("Acme Widgets Inc.", "ORGANIZATION", "", True),
        ("Bank of Ishikawa", "ORGANIZATION", "", True),
        ("Computes config", "PERSON", "", False),
        ("Config Handler", "PERSON", "", False),
        ("Default Value", "ORGANIZATION", "", False),
        ("The Data Pipeline", "ORGANIZATION", "", False),
        ("Tanaka", "PERSON", "", False),
        ("Mark Young", "PERSON", "", True),
        ("Summer Rain", "PERSON", "", True),
        ("Release Notes", "PERSON", "write to r.notes@example.com", True),
        ("営業部長", "JOB_TITLE", "", True),
    ],
)
def test_when_candidate_on_evidence_line_then_kept_only_with_name_shape(
    value: str, entity: str, line: str, kept: bool
) -> None:
    assert has_evidence(value, entity, line) is kept


def _sample_lines() -> list[str]:
    root = Path(__file__).resolve().parents[2]
    lines: list[str] = []
    for rel in ("sample_data/logs", "docs"):
        for p in sorted((root / rel).rglob("*")):
            if p.is_file() and p.suffix in (".log", ".txt", ".md"):
                lines += p.read_text(encoding="utf-8", errors="replace").split("\n")
    lines += ["Best regards,", "John Smith", "Mr. Tanaka called", "CUSTOMER = Jane Doe", "--name=Bob Ray"]
    lines += ["Kind regards,\r", "Ｊｏｈｎ Ｓｍｉｔｈ", "İstanbul Office Team called Ayşe Yılmaz"]
    return lines


@pytest.mark.parametrize("use_hyperscan", [True, False], ids=["hyperscan", "aho-corasick"])
def test_when_chunk_gated_then_same_as_gating_each_line(use_hyperscan: bool) -> None:
    lines = _sample_lines()
    for k in range(0, len(lines), 500):
        chunk = lines[k : k + 500]
        expected = {}
        for i, line in enumerate(chunk):
            level = gate(line, "", chunk[i - 1] if i else "")
            if level is not None:
                expected[i] = level
        assert gate_lines(chunk, use_hyperscan=use_hyperscan) == expected


def test_when_word_lists_loaded_then_every_entry_is_a_string() -> None:
    # YAML 1.1 reads bare no/yes/on/off as booleans: they must be quoted in the lists
    root = Path(__file__).resolve().parents[2] / "models"
    for name in ("gate.yaml", "common_words_en.yaml"):
        doc = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        for key, value in doc.items():
            if isinstance(value, list):
                bad = [v for v in value if not isinstance(v, str)]
                assert not bad, (name, key, bad)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["customer: John Smith"], ("PERSON", "John Smith")),
        (["担当: 山田太郎様"], ("PERSON", "山田太郎")),
        (["Mr. Tanaka called about the invoice."], ("PERSON", "Tanaka")),
        (["Refund approved for Emily Clarke by the billing team"], ("PERSON", "Emily Clarke")),
        (["Please reach Mark Young at mark.young@example.com today"], ("PERSON", "Mark Young")),
        (["Thanks for the quick reply.", "Best regards,", "Grace Brennan"], ("PERSON", "Grace Brennan")),
    ],
    ids=["name-key", "ja-honorific", "en-honorific", "prose-name", "with-email", "signature"],
)
def test_when_name_has_cue_or_evidence_then_auto_reports_it(
    nlp_detector: Any, lines: list[str], expected: tuple[str, str]
) -> None:
    found = set().union(*_names(nlp_detector, lines))
    assert expected in found, found


@pytest.mark.parametrize(
    "line",
    [
        "Computes config model an pattern and of query interface config.",
        '    """Of config list of config value is instance! Data it string table."""',
        "Server Config Handler returns Default Value",
        "The Data Pipeline team met on Monday.",
        "Getting Started With Cluster Monitoring",
        "## Design pattern",
        "class CacheBuffer:",
        "login ok client=10.0.0.1 session=abc",
        "2024-01-09T19:01:25Z INFO [search] Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x",
        "Webhooks fire on Order Shipped and Order Delivered; failed calls retry with Exponential Backoff.",
        "- `core/jobs` - Background Workers for exports, emails and webhooks",
        "Run the stack locally with Docker Compose before you open a pull request.",
        "Every plan includes Bulk Export, Scheduled Reports and our Uptime Guarantee.",
    ],
    ids=[
        "word-soup",
        "docstring",
        "title-case-words",
        "team-name",
        "heading",
        "md-heading",
        "code",
        "kv-ip",
        "bearer",
        "api-events",
        "readme-bullet",
        "docker-compose",
        "marketing-features",
    ],
)
def test_when_prose_code_or_log_line_has_no_name_then_auto_reports_none(nlp_detector: Any, line: str) -> None:
    assert _names(nlp_detector, [line]) == [set()]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("山田太郎は営業部の部長です", JA),
        ("2024-03-18 10:00:00 INFO 山田太郎様から問い合わせ", JA),
        ("担当：佐藤 花子", CUE),
        ("2024-03-18T20:21:31Z INFO [reports] バッチ処理が完了しました 件数=700", None),
    ],
    ids=["ja-free-text", "ja-machine-honorific", "ja-name-key", "ja-machine-no-cue"],
)
def test_when_japanese_line_then_ginza_trust_level(line: str, level: str | None) -> None:
    assert gate(line) == level


def test_when_english_inside_japanese_text_then_latin_candidates_need_evidence() -> None:
    from models.ner import NerDetector

    line = "| NOT DISCLOSED / 未開示 | data found in an entity or category the policy does not declare |"
    assert NerDetector._trusted(JA, "English prose", "ORGANIZATION", line) is False
    assert NerDetector._trusted(JA, "ID and password", "JOB_TITLE", line) is False
    assert NerDetector._trusted(JA, "Acme Widgets Inc.", "ORGANIZATION", line) is True
    assert NerDetector._trusted(JA, "山田太郎", "PERSON", line) is True
    assert NerDetector._trusted(CUE, "English prose", "ORGANIZATION", line) is True


def test_when_mode_on_then_ner_runs_without_the_trust_rule(en_nlp: Any) -> None:
    from models.ner import NerDetector

    line = "Server Config Handler returns Default Value"
    on = {(e, line[s:t]) for _, s, t, e, *_ in NerDetector("on").detect_lines([line])}
    auto = list(NerDetector("auto").detect_lines([line]))
    assert on and not auto


# -- Japanese free text: GiNZA only where a name can be (cue or a Sudachi name word) ----


@pytest.mark.parametrize(
    ("line", "cue"),
    [
        ("ワタナベ様より資料を受領", True),
        ("山田さんに確認済み", True),
        ("北斗システムズ株式会社との契約", True),
        ("(株)青葉と打合せ", True),
        ("氏名を記入してください", True),
        ("本製品の仕様は従来モデルと同様です。", False),
        ("申込様式を更新しました", False),
        ("皆様のご意見をお待ちしています", False),
        ("たくさんのご応募ありがとうございました", False),
        ("タクシーの運転手さんによると利用が増えた", False),
        ("殿下のご訪問", False),
    ],
    ids=["katakana-sama", "san", "kabushiki", "kabu-abbrev", "name-key", "shiyou", "yoshiki", "minasama",
         "takusan", "occupation-san", "denka"],
)
def test_when_japanese_text_has_a_name_cue_then_has_ja_cue(line: str, cue: bool) -> None:
    from models.gate import has_ja_cue

    assert has_ja_cue(line) is cue


class _CountingLoader:
    """The real pipeline loader, counting the texts each language's pipeline is given."""

    def __init__(self) -> None:
        from models.loader import load_pipeline

        self.load = load_pipeline
        self.texts: dict[str, list[str]] = {}

    def __call__(self, lang: str, override: str | None = None) -> Any:
        nlp = self.load(lang, override)
        seen = self.texts.setdefault(lang, [])

        class Counting:
            tokenizer = nlp.tokenizer

            def pipe(self, texts: Any, **kw: Any) -> Any:
                texts = list(texts)
                seen.extend(texts)
                return nlp.pipe(texts, **kw)

        return Counting()


def test_when_japanese_prose_names_nobody_then_ginza_never_runs_on_it(ja_nlp: Any) -> None:
    from models.ner import NerDetector

    lines = [
        "本製品は表示部が8インチに大型化され、操作パネルの様式も刷新されました。",  # no name
        "ご注文の商品を発送しました。伝票番号：985248294155",  # no name
        "田中が資料を送付した。",  # a surname Sudachi knows, no honorific
        "株式会社さくらネットと契約した。",  # a company form
        "ワタナベ様より受領",  # an honorific after a name Sudachi may not know
    ]
    loader = _CountingLoader()
    found = {(e, lines[i][s:t]) for i, s, t, e, *_ in NerDetector("auto", loader=loader).detect_lines(lines)}
    assert loader.texts["ja"] == lines[2:]
    assert ("PERSON", "田中") in found
    # `on` still sends every line
    on_loader = _CountingLoader()
    list(NerDetector("on", loader=on_loader).detect_lines(lines))
    assert on_loader.texts["ja"] == lines


def test_when_pipeline_has_no_sudachi_tokenizer_then_every_japanese_line_goes_to_it(ja_nlp: Any) -> None:
    from models.ner import NerDetector

    lines = ["本製品の仕様は従来モデルと同様です。", "田中が資料を送付した。"]
    seen: list[str] = []

    class NoSudachi:
        def pipe(self, texts: Any, **kw: Any) -> Any:
            texts = list(texts)
            seen.extend(texts)
            return ja_nlp.pipe(texts, **kw)

    list(NerDetector("auto", loader=lambda lang, o=None: NoSudachi()).detect_lines(lines))
    assert seen == lines
