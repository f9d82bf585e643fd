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
        (1, "社員!氏名", "PERSON"),
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
