"""Columnar findings (scanner/blocks.py, classify_block): the same findings as the object path."""

from __future__ import annotations

import io
import json
import pickle
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import scanner.blocks as blocks
from scanner.blocks import DetectionBlock, FindingBlock, column_hits, concat_detections
from scanner.classify import classify, classify_block
from scanner.pipeline import Engine, ScanOptions
from scanner.policy import load_policy
from scanner.records import Detection
from scanner.sources import iter_sources

ENTITIES = [
    "EMAIL_ADDRESS", "PASSWORD", "USERNAME", "CREDIT_CARD", "CARD_EXPIRY", "PHONE_NUMBER", "BANK_ACCOUNT", "PERSON"
]


def _random_block(seed: int, n: int = 400) -> DetectionBlock:
    """Random detections over a few rows, so that record rules fire on some rows only."""
    rng = random.Random(seed)
    hits = [
        (rng.randint(0, 3), rng.randint(4, 20), rng.choice(ENTITIES), rng.choice([0.5, 0.85, 1.0]),
         rng.choice(["R1", "R2"]), rng.choice(["a@example.com", "hunter22", "4111 1111 1111 1111", "山田 太郎", "x"]))
        for _ in range(30)
    ]
    hits[:2] = [(0, 13, "EMAIL_ADDRESS", 1.0, "R1", "a@example.com"), (0, 8, "PASSWORD", 0.85, "R2", "hunter22")]
    rows = np.asarray([rng.randint(0, 60) for _ in range(n)], dtype=np.int64)
    cols = np.asarray([rng.randint(0, 3) for _ in range(n)], dtype=np.int32)
    hit = np.asarray([rng.randrange(len(hits)) for _ in range(n)], dtype=np.int64)
    return DetectionBlock("dir/表.parquet", ["email", "氏名", "pw", "email"], hits, rows, cols, hit)


def test_when_hits_fan_out_to_cells_then_they_come_in_cell_order() -> None:
    per_u = {0: ((0, 3, "EMAIL_ADDRESS", 1.0, "R", "a@b"),),
             1: ((1, 2, "X", 0.5, "S", "v"), (2, 3, "Y", 0.6, "T", "w"))}
    rows, us = np.asarray([4, 5, 6, 7]), np.asarray([1, 0, 2, 1])  # value 2 has no hit
    table, out_rows, idx = column_hits(rows, us, per_u)
    block = concat_detections("p", ["c"], [(0, table, out_rows, idx)])
    want = [Detection("p", None, r, "c", *h)
            for r, u in zip(rows.tolist(), us.tolist(), strict=True) for h in per_u.get(u, ())]
    assert list(block) == want
    assert [block[i] for i in range(len(block))] == want
    assert block[-1] == want[-1] and block[1:3] == want[1:3]
    with pytest.raises(IndexError):
        block[len(want)]


def test_when_a_block_is_sorted_then_it_equals_the_sorted_detection_list() -> None:
    block = _random_block(1)
    pos = {"email": 0, "氏名": 1, "pw": 2}
    want = sorted(block, key=lambda d: (d.row, pos[d.column], d.start, d.end, d.entity, d.recognizer, -d.score))
    assert list(block.sorted()) == want


@pytest.mark.parametrize("seed", range(8))
def test_when_a_block_is_classified_then_it_equals_classifying_the_list(seed: int) -> None:
    policy = load_policy("california")
    block = _random_block(seed)
    want = classify(list(block), policy)
    got = classify_block(block, policy)
    assert list(got) == want
    assert [f.digest for f in got] == [f.digest for f in want]
    assert got.sensitive_count() == sum(f.sensitive for f in want)
    # record rules fired somewhere and not everywhere: the row-wise numpy path was exercised
    emails = sum(f.entity == "EMAIL_ADDRESS" for f in want)
    assert 0 < sum(f.sensitive and f.entity == "EMAIL_ADDRESS" for f in want) < emails


def test_when_hits_are_selected_then_only_their_detections_remain() -> None:
    block = _random_block(3)
    kept = block.select(lambda h: h[2] != "PASSWORD")
    assert list(kept) == [d for d in block if d.entity != "PASSWORD"]
    assert block.select(lambda h: True) is block


@pytest.mark.parametrize("chunk", [7, 1 << 16])
def test_when_a_block_is_written_as_json_lines_then_the_bytes_equal_the_object_path(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(blocks, "WRITE_CHUNK", chunk)
    found = classify_block(_random_block(5), load_policy("california"))
    out = io.StringIO()
    assert found.write_jsonl(out) == len(found)
    enc = json.JSONEncoder(ensure_ascii=False)
    assert out.getvalue() == "".join(enc.encode(f.to_dict()) + "\n" for f in found)
    assert "山田" not in out.getvalue() and "4111 1111 1111 1111" not in out.getvalue()  # previews only


def test_when_blocks_are_concatenated_or_pickled_then_their_findings_are_kept() -> None:
    policy = load_policy("california")
    a = classify_block(_random_block(6), policy)
    b = classify_block(DetectionBlock(a.path, ["pw", "other"], [(0, 4, "PASSWORD", 1.0, "R", "pw")],
                                      np.asarray([9, 2]), np.asarray([1, 0], dtype=np.int32), np.asarray([0, 0])),
                       policy)
    both = FindingBlock.concat([a, b])
    assert list(both) == list(a) + list(b)
    assert list(pickle.loads(pickle.dumps(both))) == list(both)
    reps = both.one_per_class()
    classes = {(f.entity, f.categories, f.sensitive) for f in both}
    assert {(f.entity, f.categories, f.sensitive) for f in reps} == classes


@pytest.mark.parametrize("opts", [
    {}, {"entities": frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"})},
], ids=["all", "entities"])
def test_when_a_table_is_scanned_columnar_then_findings_equal_the_list_path(tmp_path: Path, opts: dict) -> None:
    rows = 300
    table = pa.table({
        "email": [f"user{i % 40}@example.com" for i in range(rows)],
        "password": [f"S3cret!{i % 7}x" for i in range(rows)],
        "phone": ["090-1234-5678" if i % 3 else "n/a" for i in range(rows)],
        "notes": ["call 03-5555-1234" if i % 5 == 0 else "ok" for i in range(rows)],
    })
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=64)
    eng = Engine(ScanOptions(nlp="off", workers=1, full=True, **opts))
    src = next(iter(iter_sources([str(path)])))
    listed = eng.scan_source(src)
    col = eng.scan_source(src, columnar=True)
    assert isinstance(col.findings, FindingBlock) and isinstance(listed.findings, list)
    assert list(col.findings) == listed.findings and len(listed.findings) > rows
    assert any(f.sensitive for f in listed.findings) == (not opts)  # e-mail + password rows: record rule
    parts = list(eng.iter_source(src, 100, columnar=True))
    assert len(parts) >= 2 and [f for p in parts for f in p.findings] == listed.findings


def test_when_the_cli_writes_tables_as_json_lines_then_workers_and_formats_agree(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scanner.cli import main

    rows = 200
    pq.write_table(pa.table({
        "email": [f"user{i % 30}@example.com" for i in range(rows)],
        "password": [f"Pw!{i % 9}secret" for i in range(rows)],
        "メモ": ["電話 090-1234-5678" if i % 4 == 0 else "なし" for i in range(rows)],
    }), tmp_path / "a.parquet", row_group_size=50)
    (tmp_path / "b.csv").write_text(
        "name,card\n" + "".join(f"Taro {i},4111 1111 1111 1111\n" for i in range(50)), encoding="utf-8"
    )
    (tmp_path / "c.log").write_text("login user=alice@example.com from 203.0.113.9\n", encoding="utf-8")
    runner = CliRunner()
    base = ["scan", str(tmp_path), "--full", "--nlp", "off"]
    one = runner.invoke(main, [*base, "--workers", "1"])
    two = runner.invoke(main, [*base, "--workers", "2"])
    doc = runner.invoke(main, [*base, "--workers", "1", "--format", "json"])
    assert one.exit_code == two.exit_code == doc.exit_code == 1
    assert one.output == two.output and one.output.count("\n") > 2 * rows
    assert [json.loads(line) for line in one.output.splitlines()] == json.loads(doc.output)["findings"]
    sensitive = runner.invoke(main, [*base, "--workers", "2", "--fail-on", "sensitive"])
    assert sensitive.exit_code == 1  # e-mail and password on one row: a record rule
    none = runner.invoke(main, [*base, "--workers", "2", "--fail-on", "JP_MY_NUMBER"])
    assert none.exit_code == 0 and none.output == one.output


def test_when_previews_need_json_escapes_then_the_lines_still_equal_the_object_path() -> None:
    values = ['O"Brien\\Smith', "tab\there\nnewline", "山田\u3000太郎", 'x"@example.com']
    hits = [(0, len(v), ent, 0.6, "R", v) for v in values for ent in ("PERSON", "EMAIL_ADDRESS")]
    n = len(hits)
    block = DetectionBlock("p.csv", ['col "q"'], hits, np.arange(n, dtype=np.int64), np.zeros(n, dtype=np.int32),
                           np.arange(n))
    found = classify_block(block, load_policy("california"))
    assert any(ch in p for p in found.k_preview for ch in '"\\\t\n')  # the escape path runs
    out = io.StringIO()
    found.write_jsonl(out)
    enc = json.JSONEncoder(ensure_ascii=False)
    assert out.getvalue() == "".join(enc.encode(f.to_dict()) + "\n" for f in found)


def test_when_a_block_is_saved_and_loaded_then_its_findings_are_kept(tmp_path: Path) -> None:
    found = classify_block(_random_block(7), load_policy("california"))
    path = tmp_path / "part.npz"
    with open(path, "wb") as fh:
        found.save(fh)
    with open(path, "rb") as fh:
        back = FindingBlock.load(fh)
    assert list(back) == list(found) and [f.digest for f in back] == [f.digest for f in found]
    raw = path.read_bytes()
    assert b"hunter22" not in raw and b"a@example.com" not in raw  # previews and digests only


def test_when_a_policy_has_more_record_rules_than_a_block_holds_then_the_list_path_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.pipeline as pipeline

    pq.write_table(pa.table({"email": ["a@example.com", "b@example.com"], "password": ["S3cret!1x", "S3cret!2x"]}),
                   tmp_path / "t.parquet")
    eng = Engine(ScanOptions(nlp="off", workers=1, full=True))
    src = next(iter(iter_sources([str(tmp_path / "t.parquet")])))
    columnar = eng.scan_source(src, columnar=True)
    assert isinstance(columnar.findings, FindingBlock)
    monkeypatch.setattr(pipeline, "BLOCK_MAX_RULES", 0)
    fallback = eng.scan_source(src, columnar=True)
    assert isinstance(fallback.findings, list) and fallback.findings == list(columnar.findings)
    assert fallback.issue is None and any(f.sensitive for f in fallback.findings)
    import scanner.classify as classify_module

    monkeypatch.setattr(classify_module, "BLOCK_MAX_RULES", 0)
    with pytest.raises(ValueError, match="record rules"):  # the block path refuses, it never guesses
        classify_block(_random_block(1), load_policy("california"))
