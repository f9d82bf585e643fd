"""Secrecy: no raw value in any output, log or error; 0600 files; no network; nothing executed."""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from recognizers.registry import load_specs
from scanner.cli import main, open_output
from scanner.normalize import normalize, to_original
from scanner.report import reporters

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "sample_data" / "expected.jsonl"

#: entities whose raw value must never appear anywhere (secrets, card/ID numbers, contacts)
SECRET_ENTITIES = frozenset({
    "PASSWORD", "API_KEY", "JWT", "HTTP_COOKIE", "CREDIT_CARD", "BANK_ACCOUNT", "US_SSN",
    "JP_MY_NUMBER", "PASSPORT", "DRIVER_LICENSE", "EMAIL_ADDRESS", "PHONE_NUMBER",
})
#: planted values shorter than this are not grepped for (they occur by chance: "1234")
MIN_LEN = 6
EXTRA_LINES = [
    # identifiers inside request paths must not leak through the request/URL previews
    '203.0.113.9 - - [10/Oct/2024:13:55:36 +0900] "GET /users/path.person@example.com/profile'
    ' HTTP/1.1" 200 12',
    "login=tanaka_ichiro password=Sup3rS3cret!x mail=ichiro.tanaka@example.co.jp",
]


@pytest.fixture(autouse=True)
def _fast_cli(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # the no-network test builds everything for real; the others share detectors
    if "sockets_disabled" not in request.node.name:
        from tests.corpus import reuse_detectors

        reuse_detectors(monkeypatch)


def _planted() -> tuple[list[str], dict[str, str]]:
    """Lines to plant (the recognizers' own match examples) and {raw value: entity}."""
    lines: list[str] = []
    values: dict[str, str] = {}
    for spec in load_specs():
        rec = spec.build()
        entity = rec.supported_entities[0]
        if entity not in SECRET_ENTITIES:
            continue
        for ex in spec.examples.get("match", []):
            text = ex if isinstance(ex, str) else ex["text"]
            norm, mapping = normalize(text)
            found = [text[slice(*to_original(mapping, s, e))] for s, e, sc, _ in rec.iter_matches(norm) if sc >= 0.5]
            lines.append(text)
            for v in found:
                if len(v) >= MIN_LEN:
                    values[v] = entity
    lines.extend(EXTRA_LINES)
    values.update({"path.person@example.com": "EMAIL_ADDRESS", "Sup3rS3cret!x": "PASSWORD",
                   "ichiro.tanaka@example.co.jp": "EMAIL_ADDRESS"})
    return lines, values


def _expected_values() -> dict[str, str]:
    """Raw values of sensitive entities listed in sample_data/expected.jsonl (when present)."""
    out: dict[str, str] = {}
    for line in EXPECTED.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        value = rec.get("value", rec.get("raw"))
        if isinstance(value, str) and len(value) >= MIN_LEN and (
            rec.get("entity") in SECRET_ENTITIES or rec.get("sensitive")
        ):
            out[value] = str(rec.get("entity"))
    return out


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("planted")
    lines, values = _planted()
    (folder / "planted.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "planted-crlf.txt").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    (folder / "broken.log").write_bytes(b"\x00\x01" * 100)  # an error message too
    return folder, values


def _targets(planted: tuple[Path, dict[str, str]]) -> Iterator[tuple[str, Path, dict[str, str]]]:
    yield "planted", planted[0], planted[1]
    if EXPECTED.exists():
        values = _expected_values()
        assert values, (
            f"{EXPECTED} lists no raw values of sensitive entities (keys 'value' and 'entity'): "
            "the secrecy test needs them to grep the outputs"
        )
        yield "sample_data", EXPECTED.parent, values


def _leaks(text: str, values: dict[str, str]) -> list[str]:
    return [f"{e}:{v[:3]}…" for v, e in values.items() if v in text]


@pytest.mark.parametrize("fmt", sorted(reporters()))
def test_when_scanned_in_any_format_then_no_raw_value_in_output_stderr_or_logs(
    fmt: str, planted: tuple[Path, dict[str, str]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, folder, values in _targets(planted):
        out = tmp_path / f"{name}.{fmt}"
        res = CliRunner().invoke(
            main, ["-vv", "scan", str(folder), "--format", fmt, "-o", str(out), "--workers", "1", "--nlp", "auto"]
        )
        assert res.exit_code in (1, 3), res.output
        report = out.read_text("utf-8")
        everything = "\n".join([report, res.stdout, res.stderr, caplog.text,
                                *(r.getMessage() for r in caplog.records)])
        assert _leaks(everything, values) == [], f"{name} leaks in --format {fmt}"


def test_when_planted_values_scanned_then_each_secret_entity_is_found(
    planted: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    # guards the test above: a scan that finds nothing also leaks nothing
    folder, values = planted
    out = tmp_path / "r.json"
    CliRunner().invoke(main, ["scan", str(folder), "--format", "json", "-o", str(out), "--workers", "1"])
    doc = json.loads(out.read_text("utf-8"))
    found = {f["entity"] for f in doc["findings"]}
    assert set(values.values()) <= found


@pytest.mark.parametrize(
    ("entity", "value", "preview"),
    [
        ("EMAIL_ADDRESS", "taro@example.com", "t***@example.com"),
        ("CREDIT_CARD", "4111 1111 1111 1234", "****-****-****-1234"),
        ("JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJhbGci…[JWT]"),
        ("PASSWORD", "hunter2!", "********"),
        ("JP_MY_NUMBER", "123456789018", "********9018"),
        ("US_SSN", "536-22-8745", "***-**-8745"),
        ("API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_… [32 chars]"),
        ("REQUEST_HISTORY", '"GET /u/a.b@example.com/x HTTP/1.1" 200 1', "GET /u/*/x → 200"),
        ("REQUEST_HISTORY", 'at=info method=GET path="/u/a.b@example.com/x" fwd="203.0.113.5"', "GET /u/*/x"),
    ],
    ids=["email", "card", "jwt", "password", "my-number", "ssn", "api-key", "request-path", "request-logfmt"],
)
def test_when_value_masked_then_preview_as_documented(entity: str, value: str, preview: str) -> None:
    from scanner.mask import mask

    assert mask(entity, value) == preview


def test_when_reader_error_quotes_content_then_message_is_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner.readers import READERS
    from tests.corpus import scan_paths

    def leaky(src: Any, options: Any) -> Iterator[Any]:
        raise ValueError("CSV parse error: row 3: taro.leak@example.com,4111 1111 1111 1111")
        yield  # pragma: no cover

    monkeypatch.setitem(READERS, ".boom", leaky)
    (tmp_path / "x.boom").write_text("whatever")
    result = scan_paths([tmp_path])
    (issue,) = result.issues
    assert issue.kind == "error"
    assert "taro.leak@example.com" not in issue.message and "4111 1111 1111 1111" not in issue.message
    assert "t***@example.com" in issue.message


def test_when_output_file_created_then_mode_0600(tmp_path: Path) -> None:
    new = tmp_path / "new.jsonl"
    with open_output(str(new)) as fh:
        fh.write("x\n")
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    old = tmp_path / "old.jsonl"
    old.write_text("")
    old.chmod(0o644)
    with open_output(str(old)) as fh:
        fh.write("x\n")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_when_cli_writes_report_then_file_mode_0600(planted: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    old = os.umask(0o022)
    try:
        CliRunner().invoke(main, ["scan", str(planted[0]), "--format", "json", "-o", str(out), "--workers", "1"])
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_when_sockets_disabled_then_full_scan_completes(
    planted: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[1:2] or args[:1])
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(
        main, ["scan", str(planted[0]), "--format", "json", "-o", str(out), "--workers", "1", "--nlp", "auto"]
    )
    assert res.exit_code == 3, res.output  # findings, and broken.log could not be read
    assert json.loads(out.read_text("utf-8"))["stats"]["findings"] > 0
    assert attempts == []


_EVIL_YAML = """\
id: evil
categories:
  - id: identifiers
    label: !!python/object/apply:os.system ["touch {marker}"]
    entities: [EMAIL_ADDRESS]
"""


def test_when_policy_yaml_has_python_tag_then_rejected_and_not_run(tmp_path: Path) -> None:
    from scanner.errors import ConfigError
    from scanner.policy import load_policy

    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(_EVIL_YAML.format(marker=marker))
    with pytest.raises(ConfigError, match="evil.yaml"):
        load_policy(str(evil))
    res = CliRunner().invoke(main, ["scan", str(tmp_path), "--policy", str(evil)])
    assert res.exit_code == 2
    assert not marker.exists()


def test_when_pattern_yaml_has_python_tag_then_rejected(tmp_path: Path) -> None:
    from recognizers.registry import load_specs_from_text
    from scanner.errors import ConfigError

    marker = tmp_path / "pwned"
    text = f'recognizers:\n  - name: Evil\n    supported_entity: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(ConfigError):
        load_specs_from_text(text, "evil-patterns.yaml")
    assert not marker.exists()


class _Boom:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("name", ["data.pkl", "data.pickle", "model.joblib", "arr.npy", "frame.pkl.gz"],
                         ids=["pkl", "pickle", "joblib", "npy", "pkl-gz"])
def test_when_pickle_file_scanned_then_never_unpickled(name: str, tmp_path: Path) -> None:
    import gzip

    from tests.corpus import scan_paths

    marker = tmp_path / "pwned"
    data = pickle.dumps(_Boom(str(marker)))
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    result = scan_paths([tmp_path])
    assert not marker.exists()
    assert result.stats.files_scanned + result.stats.files_skipped + result.stats.files_failed == 1


#: calls that would execute or deserialise content: none may appear in piimap's own code
_FORBIDDEN = [
    r"\bpickle\.loads?\(", r"\bcPickle\b", r"\bmarshal\.loads?\(", r"\bshelve\.open\(", r"\bdill\.",
    r"(?<![\w.])eval\(", r"(?<![\w.])exec\(", r"\byaml\.load\((?![^)]*Loader=_?\w*Safe|[^)]*Loader=_LineLoader)",
    r"\byaml\.unsafe_load\(", r"\byaml\.full_load\(", r"\bread_pickle\(", r"allow_pickle\s*=\s*True",
    r"\bjoblib\.load\(", r"\btorch\.load\(", r"\bsubprocess\.", r"\bos\.system\(",
]


def test_when_source_checked_then_no_call_executes_or_unpickles_content() -> None:
    hits = []
    for pkg in ("scanner", "recognizers", "models"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            text = path.read_text("utf-8")
            for pat in _FORBIDDEN:
                for m in re.finditer(pat, text):
                    hits.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
    assert hits == []


def test_when_headers_hold_control_characters_then_no_report_carries_them(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    evil = "we\nird\x1b]0;pwned\x07\x1b[31m\u202e"  # line break, OSC title, colour, bidi override
    pq.write_table(pa.table({evil: ["gina@example.com", "hal@example.com"]}), tmp_path / "t.parquet")
    (tmp_path / "t.csv").write_text(f'"{evil}",n\nivy@example.com,1\n', encoding="utf-8")
    (tmp_path / "t.jsonl").write_text(json.dumps({evil: {"x": "joe@example.com"}}) + "\n", encoding="utf-8")
    for fmt in ("jsonl", "json", "table", "md", "csv", "html", "sarif", "columns"):
        res = CliRunner().invoke(main, ["scan", str(tmp_path), "--nlp", "off", "--workers", "1", "--format", fmt])
        assert res.exit_code == 1, (fmt, res.output[-300:])
        text = res.stdout_bytes.decode("utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", text), fmt  # tabs/newlines are layout
        if fmt in ("jsonl", "columns"):
            names = {json.loads(line)["column"] for line in text.splitlines()}
            escaped = "we\\nird\\x1b]0;pwned\\x07\\x1b[31m\\u202e"
            assert names >= {escaped, escaped + ".x"}, names  # one name per column, escaped


def test_when_openpyxl_warns_about_a_workbook_then_its_message_does_not_reach_stderr() -> None:
    import warnings

    from scanner.readers.excel import quiet_openpyxl

    # openpyxl's own words (reader/workbook.py), which quote a defined name's value from the file
    with warnings.catch_warnings(record=True) as shown:
        quiet_openpyxl()  # what reading a workbook does first
        warnings.warn_explicit(
            "Print area cannot be set to Defined name: kim@example.com.", UserWarning, "workbook.py", 1,
            module="openpyxl.reader.workbook",
        )
        warnings.warn_explicit("a warning of our own", UserWarning, "x.py", 1, module="scanner.x")
    assert [str(w.message) for w in shown] == ["a warning of our own"]


@pytest.mark.parametrize(
    ("entity", "preview", "shown"),
    [
        ("CREDIT_CARD", "4532015112830366", "****-****-****-0366"),  # a raw value: masked again
        ("PASSWORD", "hunter2!", "********"),
        ("CREDIT_CARD", "****-****-****-0366", "****-****-****-0366"),  # already masked: as saved
        ("EMAIL_ADDRESS", "t***@example.com", "t***@example.com"),
        ("URL", "https://shop.example.com/cart", "https://shop.example.com/cart"),  # host and path by design
        ("URL", "https://u:pw@shop.example.com/a?token=x", "https://shop.example.com/a?…"),
    ],
)
def test_when_saved_findings_are_rerendered_then_unmasked_previews_are_masked(
    tmp_path: Path, entity: str, preview: str, shown: str
) -> None:
    from click.testing import CliRunner

    from scanner.cli import main

    saved = tmp_path / "f.jsonl"
    row = {"path": "a.log", "line": 1, "row": None, "column": None, "start": 0, "end": 4, "entity": entity,
           "categories": [], "sensitive": False, "score": 1.0, "recognizer": "x", "preview": preview}
    saved.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["report", str(saved), "--format", "json"]).stdout
    assert [f["preview"] for f in json.loads(out)["findings"]] == [shown]
