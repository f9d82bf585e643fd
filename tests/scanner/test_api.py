"""Python API: scan_paths and scan_dataframe return findings and column profiles as pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scanner.api import COLUMN_KEYS, ISSUE_KEYS, engine_for, scan_dataframe, scan_paths
from scanner.pipeline import ScanOptions
from scanner.records import FINDING_KEYS

OPTS = ScanOptions(workers=1, nlp="off")


@pytest.fixture(scope="module", autouse=True)
def _engine() -> None:
    engine_for(OPTS)  # built once for the module; every call below reuses it


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "login": ["alice@example.com", "bob@example.org", "not an address"],
            "secret": ["password=Tr0ub4dor3x", None, "n/a"],
            "phone": ["+1 415 555 0100", None, "call (415) 555-0199 today"],
            "note": ["hello", "fine", None],
            "empty": [None, None, None],
        }
    )


def test_when_dataframe_scanned_then_findings_have_contract_columns_and_cell_offsets(people: pd.DataFrame) -> None:
    res = scan_dataframe(people, name="crm.people", options=OPTS)
    assert list(res.findings.columns) == list(FINDING_KEYS)
    got = [
        (r.row, r.column, r.start, r.end, r.entity)
        for r in res.findings.itertuples(index=False)
    ]
    assert got == [
        (0, "login", 0, 17, "EMAIL_ADDRESS"),
        (0, "secret", 9, 20, "PASSWORD"),
        (0, "phone", 0, 15, "PHONE_NUMBER"),
        (1, "login", 0, 15, "EMAIL_ADDRESS"),
        (2, "phone", 5, 19, "PHONE_NUMBER"),
    ]
    assert set(res.findings["path"]) == {"crm.people"}
    assert res.findings["line"].isna().all()
    assert "alice@example.com" not in " ".join(res.findings["preview"])
    assert list(res.issues.columns) == list(ISSUE_KEYS) and res.issues.empty


def test_when_email_and_password_share_a_row_then_the_row_is_a_sensitive_credential(people: pd.DataFrame) -> None:
    res = scan_dataframe(people, options=OPTS)
    emails = res.findings[res.findings["entity"] == "EMAIL_ADDRESS"].set_index("row")
    assert bool(emails.loc[0, "sensitive"]) is True  # same row as a password
    assert "sensitive_personal_information" in emails.loc[0, "categories"]
    assert bool(emails.loc[1, "sensitive"]) is False


@pytest.mark.parametrize(
    ("column", "entity", "ratio", "sampled"),
    [
        ("login", "EMAIL_ADDRESS", 2 / 3, 3),
        ("secret", "PASSWORD", 0.5, 2),
        ("phone", "PHONE_NUMBER", 1.0, 2),
        ("note", None, 0.0, 2),
        ("empty", None, 0.0, 0),
    ],
    ids=["email-2-of-3", "password-1-of-2-non-null", "phone-all", "no-match-text", "no-match-all-null"],
)
def test_when_dataframe_scanned_then_each_column_gets_a_profile(
    people: pd.DataFrame, column: str, entity: str | None, ratio: float, sampled: int
) -> None:
    res = scan_dataframe(people, options=OPTS)
    assert list(res.columns.columns) == list(COLUMN_KEYS)
    prof = res.columns.set_index("column").loc[column]
    assert (prof["entity"] if isinstance(prof["entity"], str) else None) == entity
    assert prof["match_ratio"] == pytest.approx(round(ratio, 4))
    assert prof["sampled"] == sampled
    assert bool(prof["sensitive"]) is (entity == "PASSWORD")


def test_when_rows_limit_given_then_only_the_first_rows_are_scanned(people: pd.DataFrame) -> None:
    res = scan_dataframe(people, options=OPTS, rows=1)
    assert set(res.findings["row"]) == {0}
    assert res.columns.set_index("column").loc["login", "sampled"] == 1


def test_when_entities_override_given_then_other_entities_are_dropped(people: pd.DataFrame) -> None:
    res = scan_dataframe(people, options=OPTS, entities=["phone_number"])
    assert set(res.findings["entity"]) == {"PHONE_NUMBER"}
    assert set(res.columns["entity"].dropna()) == {"PHONE_NUMBER"}


def test_when_non_string_values_then_they_are_scanned_as_text() -> None:
    df = pd.DataFrame({"id": [1, 2], "contact": [b"mail dan@example.com", 3.5]})
    res = scan_dataframe(df, options=OPTS)
    assert [(r.row, r.column, r.entity) for r in res.findings.itertuples()] == [(0, "contact", "EMAIL_ADDRESS")]


def test_when_paths_scanned_then_pandas_frames_come_back(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text("x\nmail eve@example.com\n")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02" * 100)
    res = scan_paths(str(tmp_path), options=OPTS)
    assert res.findings[["line", "start", "end", "entity"]].values.tolist() == [[2, 5, 20, "EMAIL_ADDRESS"]]
    assert res.findings.loc[0, "path"].endswith("/a.log")
    assert res.issues.values.tolist() == [[f"{tmp_path}/b.bin", "skipped", "binary content"]]
    assert res.columns.empty and list(res.columns.columns) == list(COLUMN_KEYS)
