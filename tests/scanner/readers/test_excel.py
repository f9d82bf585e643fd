from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from scanner.pipeline import Engine
from tests.scanner.readers.tables_util import keys, run


def test_when_workbook_has_sheets_then_each_is_a_table(
    table_engine: Engine, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "社員"
    for r in (
        ["氏名", "メール", "部署", "内線"],
        ["高橋 次郎", "j@example.jp", "開発部", 1234],
        [None, None, None, None],
        ["田中 三郎", None, 42, 5678],
    ):
        ws.append(r)
    ws2 = wb.create_sheet("raw")
    ws2.append([1, "a@example.com"])
    ws2.append([2, "b@example.com", "extra@example.org"])
    wb.create_sheet("blank")
    p = tmp_path / "b.xlsx"
    wb.save(p)
    res = run(table_engine, p)
    assert keys(res) == {
        (0, "社員!氏名", "PERSON"),
        (2, "社員!氏名", "PERSON"),  # the blank row below 高橋 is counted: row 2 = sheet row 4
        (0, "社員!メール", "EMAIL_ADDRESS"),
        (0, "社員!部署", "DEPARTMENT"),
        (0, "raw!column_2", "EMAIL_ADDRESS"),
        (1, "raw!column_2", "EMAIL_ADDRESS"),
        (1, "raw!column_3", "EMAIL_ADDRESS"),
    }
    dept = next(c for c in res.columns if c.column == "社員!部署")
    assert dept.entity == "DEPARTMENT"
    assert not res.issues


def test_when_workbook_is_corrupt_then_it_is_a_read_error(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "bad.xlsx"
    p.write_bytes(b"PK\x03\x04 not a workbook")
    assert [i.kind for i in run(table_engine, p).issues] == ["error"]


def test_when_sheet_has_only_a_header_then_no_findings(
    table_engine: Engine, tmp_path: Path
) -> None:
    wb = Workbook()
    wb.active.append(["email", "phone"])
    p = tmp_path / "h.xlsx"
    wb.save(p)
    res = run(table_engine, p)
    assert not res.findings
    assert [c.column for c in res.columns] == ["Sheet!email", "Sheet!phone"]


def _save(tmp_path: Path, rows: list[list[object]], name: str = "w.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for r in rows:
        ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


def test_when_title_rows_are_above_the_header_then_they_are_skipped(
    table_engine: Engine, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["顧客一覧 2024年度"], [], ["氏名", "メールアドレス", "電話番号"]]
    rows += [["山田 太郎", f"t{i}@example.jp", "03-1234-5678"] for i in range(3)]
    res = run(table_engine, _save(tmp_path, rows))
    assert [c.column for c in res.columns] == ["S!氏名", "S!メールアドレス", "S!電話番号"]
    assert (2, "S!メールアドレス", "EMAIL_ADDRESS") in keys(res)
    assert {r for r, _, _ in keys(res)} == {0, 1, 2}


def test_when_sheet_has_blank_rows_then_rows_keep_the_sheet_position(
    table_engine: Engine, tmp_path: Path
) -> None:
    rows: list[list[object]] = [[], ["name", "email"], ["x", "a@example.com"], [], [], ["y", "b@example.com"]]
    res = run(table_engine, _save(tmp_path, rows), full=True)
    # row = 0-based data row below the header, blank rows counted (sheet row 6 -> row 3)
    assert sorted((f.row, f.column) for f in res.findings if f.entity == "EMAIL_ADDRESS") == [
        (0, "S!email"), (3, "S!email")
    ]


def test_when_header_repeats_a_name_then_the_second_column_is_numbered(
    table_engine: Engine, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["email", "email", "name"]]
    rows += [[f"a{i}@example.com", "not-an-email", "x"] for i in range(3)]
    res = run(table_engine, _save(tmp_path, rows))
    assert [c.column for c in res.columns] == ["S!email", "S!email_2", "S!name"]
    assert [(c.column, c.match_ratio) for c in res.columns if c.entity == "EMAIL_ADDRESS"] == [
        ("S!email", 1.0)
    ]


def test_when_dimension_tag_is_wrong_then_every_column_is_read(
    table_engine: Engine, tmp_path: Path
) -> None:
    import re
    import zipfile

    good = _save(tmp_path, [["id", "email", "name"], [1, "d@example.com", "John Smith"]], "g.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            zout.writestr(item, data)
    res = run(table_engine, bad)
    assert [c.column for c in res.columns] == ["S!id", "S!email", "S!name"]
    assert (0, "S!email", "EMAIL_ADDRESS") in keys(res)


def test_when_xlsx_is_empty_then_it_is_skipped(table_engine: Engine, tmp_path: Path) -> None:
    p = tmp_path / "e.xlsx"
    p.write_bytes(b"")
    res = run(table_engine, p)
    assert [(i.kind, i.message) for i in res.issues] == [("skipped", "empty file")]


def test_when_xlsx_is_really_a_csv_then_it_is_read_as_csv_with_a_warning(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "export.xlsx"
    p.write_text("id,email\n1,a@example.com\n2,b@example.com\n", encoding="utf-8")
    res = run(table_engine, p)
    assert keys(res) == {(0, "email", "EMAIL_ADDRESS"), (1, "email", "EMAIL_ADDRESS")}
    [issue] = res.issues
    assert issue.kind == "warning" and "does not match the content" in issue.message


def test_when_xlsx_is_binary_but_not_a_zip_then_it_stays_an_error(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "legacy.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4)
    assert [i.kind for i in run(table_engine, p).issues] == ["error"]
