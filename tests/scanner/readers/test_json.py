from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scanner.cli import main
from scanner.pipeline import Engine
from scanner.tables import flatten_json
from tests.scanner.readers.tables_util import keys, run


def test_when_jsonl_is_nested_then_paths_are_dotted(table_engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text(
        json.dumps({"user": {"contact": {"email": "a@example.com"}}, "n": 1})
        + "\n\n"
        + json.dumps({"user": {"contact": {"email": None}}, "items": [{"email": "i@example.com"}]})
        + "\n",
        encoding="utf-8",
    )
    res = run(table_engine, p)
    assert keys(res) == {
        (0, "user.contact.email", "EMAIL_ADDRESS"),
        (1, "items.email", "EMAIL_ADDRESS"),
    }


def test_when_a_jsonl_line_is_broken_then_only_that_line_is_raw(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "b.jsonl"
    p.write_text(
        '{"email": "a@example.com"}\n{"email": "broken@example.com"\n{"email": "c@example.com"}\n',
        encoding="utf-8",
    )
    res = run(table_engine, p)
    assert keys(res) == {
        (0, "email", "EMAIL_ADDRESS"),
        (1, "_unparsed", "EMAIL_ADDRESS"),
        (2, "email", "EMAIL_ADDRESS"),
    }
    # scanned, with a caveat the report shows (a warning, not an error)
    assert [(i.kind, i.message) for i in res.issues] == [
        ("warning", "1 lines are not valid JSON (scanned as raw text)")
    ]


def test_when_json_is_deeply_nested_then_no_recursion_error(
    table_engine: Engine, tmp_path: Path
) -> None:
    deep = '{"a":' * 50000 + '"x@example.com"' + "}" * 50000
    (tmp_path / "d.jsonl").write_text(deep + '\n{"email": "ok@example.com"}\n', encoding="utf-8")
    (tmp_path / "d.json").write_text(deep, encoding="utf-8")
    res = run(table_engine, tmp_path)
    # the too-deep line is scanned as raw text, with a warning; nothing is an error
    assert [(Path(i.path).name, i.kind) for i in res.issues] == [("d.jsonl", "warning")]
    by_path = {(f.path.rsplit("/", 1)[1], f.entity) for f in res.findings}
    assert ("d.json", "EMAIL_ADDRESS") in by_path
    assert (1, "email", "EMAIL_ADDRESS") in keys(res)


def test_when_flattening_deep_objects_then_it_is_iterative() -> None:
    obj: object = "v"
    for _ in range(5000):
        obj = {"k": obj}
    [(path, value)] = flatten_json(obj)
    assert value == "v" and path.startswith("k.k.k") and path.endswith("…")


def test_when_json_is_an_array_of_records_then_each_is_a_row(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "r.json"
    p.write_text(
        json.dumps(
            [
                {"id": 1, "mail": "a@example.com", "ok": True, "w": 1.5},
                {"id": 2, "mail": "b@example.com"},
            ]
        ),
        encoding="utf-8",
    )
    res = run(table_engine, p)
    assert keys(res) == {(0, "mail", "EMAIL_ADDRESS"), (1, "mail", "EMAIL_ADDRESS")}
    prof = {c.column: c for c in res.columns}
    assert prof["ok"].sampled == 0 and prof["w"].sampled == 0


def test_when_json_is_one_object_then_it_is_row_zero(table_engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "o.json"
    p.write_text(json.dumps({"owner": {"email": "a@example.com"}}), encoding="utf-8")
    assert keys(run(table_engine, p)) == {(0, "owner.email", "EMAIL_ADDRESS")}


def test_when_json_file_is_not_json_then_it_is_scanned_as_text(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "t.json"
    p.write_text("not json at all: contact a@example.com\n", encoding="utf-8")
    [f] = run(table_engine, p).findings
    assert (f.line, f.row, f.column) == (1, None, None)


def test_when_json_file_is_empty_then_it_is_skipped(table_engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "e.jsonl"
    p.write_text("", encoding="utf-8")
    assert [i.kind for i in run(table_engine, p).issues] == ["skipped"]


def test_when_json_document_is_huge_then_it_is_streamed_as_text(
    table_engine: Engine, tmp_path: Path, monkeypatch: object
) -> None:
    import scanner.readers.json as reader

    monkeypatch.setattr(reader, "MAX_JSON_BYTES", 10)  # type: ignore[attr-defined]
    p = tmp_path / "h.json"
    p.write_text('[{"email": "a@example.com"}]\n', encoding="utf-8")
    [f] = run(table_engine, p).findings
    assert (f.line, f.row) == (1, None)


def test_when_compressed_json_is_huge_decompressed_then_it_is_streamed_as_text(
    table_engine: Engine, tmp_path: Path, monkeypatch: object
) -> None:
    import gzip

    import scanner.readers.json as reader

    body = ('[{"email": "a@example.com", "pad": "' + " " * 5000 + '"}]\n').encode()
    p = tmp_path / "h.json.gz"
    p.write_bytes(gzip.compress(body))
    # the limit is on the decompressed bytes, not on the (much smaller) file
    monkeypatch.setattr(reader, "MAX_JSON_BYTES", 1000)  # type: ignore[attr-defined]
    assert p.stat().st_size < 1000 < len(body)
    [f] = run(table_engine, p).findings
    assert (f.line, f.row) == (1, None)


def test_when_json_lines_are_scanned_by_default_then_every_record_is_read(tmp_path: Path) -> None:
    # a structured log: 3,000 records, personal data in two of them (a 1,000-row sample would
    # see each with probability 1/3: a CI gate passed with personal data in the file)
    lines = [json.dumps({"level": "info", "msg": f"tick {i}"}) for i in range(3000)]
    lines[1500] = json.dumps({"level": "warn", "email": "mika.sato@example.co.jp"})
    lines[2999] = json.dumps({"level": "warn", "email": "kenta.ito@example.co.jp"})
    (tmp_path / "app.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    args = ["scan", str(tmp_path), "--workers", "1", "--nlp", "off", "--format", "json"]
    doc = json.loads(runner.invoke(main, args).stdout)
    assert sorted(f["row"] for f in doc["findings"]) == [1500, 2999]
    assert doc["columns"][0]["evidence"][0] == "mode:full"
    # --sample given explicitly samples JSON too (the data-lake choice), and says so
    doc = json.loads(runner.invoke(main, [*args, "--sample", "100"]).stdout)
    assert {c["evidence"][0] for c in doc["columns"]} == {"mode:sample"}
    assert all(c["sampled"] <= 100 for c in doc["columns"])
