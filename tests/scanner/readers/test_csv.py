from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scanner.pipeline import Engine
from tests.scanner.readers.tables_util import keys, run


@pytest.fixture()
def engine(table_engine: Engine) -> Engine:
    return table_engine




@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("comma.csv", "id,email\n1,a@example.com\n2,b@example.com\n"),
        ("semi.csv", "id;email\n1;a@example.com\n2;b@example.com\n"),
        ("pipe.csv", "id|email\n1|a@example.com\n2|b@example.com\n"),
        ("tab.tsv", "id\temail\n1\ta@example.com\n2\tb@example.com\n"),
    ],
    ids=["comma", "semicolon", "pipe", "tab"],
)
def test_when_delimiter_varies_then_it_is_sniffed(
    engine: Engine, tmp_path: Path, name: str, text: str
) -> None:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = run(engine, p)
    assert keys(res) == {(0, "email", "EMAIL_ADDRESS"), (1, "email", "EMAIL_ADDRESS")}
    assert [c.column for c in res.columns] == ["id", "email"]


def test_when_first_row_is_data_then_columns_are_numbered(engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "nohdr.csv"
    p.write_text("1,a@example.com\n2,b@example.com\n", encoding="utf-8")
    res = run(engine, p)
    assert keys(res) == {(0, "column_2", "EMAIL_ADDRESS"), (1, "column_2", "EMAIL_ADDRESS")}


def test_when_cell_spans_lines_then_offsets_are_cell_relative(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "multi.csv"
    p.write_text('id,notes\n1,"first line\nmail x@example.com"\n2,plain\n', encoding="utf-8")
    res = run(engine, p, full=True)
    [f] = res.findings
    assert (f.row, f.column, f.start, f.end, f.line) == (0, "notes", 16, 29, None)


def test_when_rows_are_ragged_then_the_rest_of_the_file_is_scanned(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "ragged.csv"
    p.write_text(
        "id,email\n1\n2,b@example.com,extra@example.org\n3,c@example.com\n", encoding="utf-8"
    )
    res = run(engine, p, full=True)
    assert keys(res) == {
        (1, "email", "EMAIL_ADDRESS"),
        (1, "column_3", "EMAIL_ADDRESS"),
        (2, "email", "EMAIL_ADDRESS"),
    }
    assert not res.issues


def test_when_ragged_row_comes_after_arrow_batches_then_rows_stay_numbered(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.readers.csv as csv_reader

    monkeypatch.setattr(
        csv_reader, "BLOCK_BYTES", 16 * 1024
    )  # many Arrow batches before the bad row
    p = tmp_path / "late.csv"
    body = "".join(
        f"{i},{'user@example.com' if i in (5, 15000) else 'plain text'}\n" for i in range(20000)
    )
    p.write_text("id,email\n" + body + "x,y,z\n20001,last@example.com\n", encoding="utf-8")
    res = run(engine, p, full=True)
    assert sorted(f.row for f in res.findings) == [5, 15000, 20001]
    assert res.stats.cells_scanned >= 2 * 20000


def test_when_file_is_empty_then_it_is_skipped(engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    res = run(engine, p)
    assert [i.kind for i in res.issues] == ["skipped"]
    assert not res.findings


def test_when_file_has_only_a_header_then_columns_are_empty(engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "hdr.csv"
    p.write_text("email,phone\n", encoding="utf-8")
    res = run(engine, p)
    assert not res.findings and not res.issues
    assert [(c.column, c.entity, c.sampled) for c in res.columns] == [
        ("email", None, 0),
        ("phone", None, 0),
    ]
    assert "empty" in res.columns[0].evidence


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "utf-8"], ids=["cp932", "euc-jp", "utf-8"])
def test_when_japanese_csv_is_encoded_then_headers_and_values_decode(
    engine: Engine, tmp_path: Path, encoding: str
) -> None:
    p = tmp_path / "ja.csv"
    text = "氏名,メールアドレス,役職\n山田 太郎,taro@example.jp,課長\n佐藤 花子,hanako@example.jp,部長\n"
    p.write_bytes(text.encode(encoding))
    res = run(engine, p)
    assert {
        (0, "メールアドレス", "EMAIL_ADDRESS"),
        (1, "役職", "JOB_TITLE"),
        (0, "氏名", "PERSON"),
    } <= keys(res)
    prof = {c.column: c.entity for c in res.columns}
    assert prof == {"氏名": "PERSON", "メールアドレス": "EMAIL_ADDRESS", "役職": "JOB_TITLE"}


def test_when_csv_is_gzipped_then_it_is_read(engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "z.csv.gz"
    p.write_bytes(gzip.compress(b"id,email\n1,a@example.com\n"))
    assert keys(run(engine, p)) == {(0, "email", "EMAIL_ADDRESS")}


def test_when_column_is_all_null_then_profile_is_empty(engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "nulls.csv"
    p.write_text("email,notes\na@example.com,\nb@example.com,\n", encoding="utf-8")
    res = run(engine, p)
    notes = next(c for c in res.columns if c.column == "notes")
    assert (notes.entity, notes.sampled, "empty" in notes.evidence) == (None, 0, True)


def test_when_column_mixes_types_then_match_ratio_counts_non_null(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "mixed.csv"
    p.write_text("contact\na@example.com\n42\n\nb@example.com\ntrue\n", encoding="utf-8")
    res = run(engine, p)
    [c] = res.columns
    assert c.entity == "EMAIL_ADDRESS"
    assert c.sampled == 4
    assert c.match_ratio == pytest.approx(0.5)


def test_when_sampling_then_only_sampled_rows_report_and_seed_decides(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "big.csv"
    p.write_text("email\n" + "".join(f"u{i}@example.com\n" for i in range(500)), encoding="utf-8")
    a = run(engine, p, sample_rows=20, seed=1)
    b = run(engine, p, sample_rows=20, seed=1)
    c = run(engine, p, sample_rows=20, seed=2)
    rows_a = sorted(f.row for f in a.findings)
    assert len(rows_a) == 20 and rows_a == sorted(f.row for f in b.findings)
    assert rows_a != sorted(f.row for f in c.findings)
    assert a.columns[0].sampled == 20
    assert len(run(engine, p, full=True).findings) == 500


def _many_rows(p: Path, n: int) -> None:
    p.write_text(
        "email,note\n" + "".join(f"u{i}@example.com,order {i} shipped\n" for i in range(n)),
        encoding="utf-8",
    )


def test_when_csv_is_sampled_then_only_a_bounded_prefix_is_read(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "long.csv"
    _many_rows(p, 60_000)  # ~2 MB: 64 KB blocks, 4 of them -> the sample comes from the start
    res = run(engine, p, sample_rows=50, seed=3, extra={"csv_sample_bytes": 256 * 1024})
    rows = sorted(f.row for f in res.findings)
    assert len(rows) == 50
    assert max(rows) < 15_000  # 256 KB hold about 8,000 of these rows
    profile = res.columns[0]
    assert profile.sampled == 50
    assert any(e.startswith("sample:first ") for e in profile.evidence)


def test_when_csv_prefix_sample_repeats_then_it_is_identical_and_seed_decides(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "long.csv"
    _many_rows(p, 30_000)
    kw = {"sample_rows": 40, "extra": {"csv_sample_bytes": 128 * 1024}}
    a = run(engine, p, seed=1, **kw)
    b = run(engine, p, seed=1, **kw)
    c = run(engine, p, seed=2, **kw)
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]
    assert sorted(f.row for f in a.findings) != sorted(f.row for f in c.findings)


def test_when_csv_fits_in_the_prefix_then_the_whole_file_is_sampled(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "short.csv"
    _many_rows(p, 2_000)
    res = run(engine, p, sample_rows=2_000)
    assert len(res.findings) == 2_000
    assert not any(e.startswith("sample:") for e in res.columns[0].evidence)


@pytest.mark.parametrize(
    ("header", "cells", "columns"),
    [
        (",name,email", "{i},John Smith,a{i}@example.com", ["column_1", "name", "email"]),
        ("id,email,email,name", "{i},a{i}@example.com,b{i}@example.com,John Smith",
         ["id", "email", "email_2", "name"]),
        ("id,,email,", "{i},John Smith,a{i}@example.com,x", ["id", "column_2", "email", "column_4"]),
    ],
    ids=["pandas-index", "duplicate", "blank-cells"],
)
def test_when_header_has_blank_or_repeated_cells_then_it_is_still_the_header(
    engine: Engine, tmp_path: Path, header: str, cells: str, columns: list[str]
) -> None:
    p = tmp_path / "h.csv"
    p.write_text(header + "\n" + "".join(cells.format(i=i) + "\n" for i in range(3)), encoding="utf-8")
    res = run(engine, p)
    assert [c.column for c in res.columns] == columns
    mails = sorted((f.row, f.column) for f in res.findings if f.entity == "EMAIL_ADDRESS")
    assert mails[0] == (0, "email") and max(r for r, _ in mails) == 2
    email = next(c for c in res.columns if c.column == "email")
    assert "header:email->EMAIL_ADDRESS" in email.evidence


def test_when_headerless_first_row_has_blank_cells_then_it_stays_data(
    engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "n.csv"
    p.write_text("".join(f"{i},,a{i}@example.com,Tokyo\n" for i in range(5)), encoding="utf-8")
    res = run(engine, p)
    assert [c.column for c in res.columns] == ["column_1", "column_2", "column_3", "column_4"]
    assert sorted(f.row for f in res.findings if f.entity == "EMAIL_ADDRESS") == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("full", [False, True], ids=["sample", "full"])
@pytest.mark.parametrize("ragged", [False, True], ids=["arrow", "python-fallback"])
def test_when_first_line_is_excel_sep_hint_then_it_sets_the_delimiter_and_is_skipped(
    engine: Engine, tmp_path: Path, full: bool, ragged: bool
) -> None:
    p = tmp_path / "sep.csv"
    rows = [f"{i};a{i}@example.com;x,y" for i in range(3)]
    if ragged:
        rows[2] += ";extra"
    p.write_text("sep=;\nid;email;note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    res = run(engine, p, full=full)
    assert [c.column for c in res.columns][:3] == ["id", "email", "note"]
    assert sorted((f.row, f.column) for f in res.findings) == [
        (0, "email"), (1, "email"), (2, "email")
    ]
