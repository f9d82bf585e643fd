from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.pipeline import Engine
from scanner.readers.parquet import hive_partitions
from tests.scanner.readers.tables_util import keys, run


def test_when_columns_are_nested_then_paths_are_dotted(
    table_engine: Engine, tmp_path: Path
) -> None:
    schema = pa.schema(
        [
            ("user", pa.struct([("contact", pa.struct([("email", pa.string())]))])),
            ("tags", pa.list_(pa.string())),
            ("attrs", pa.map_(pa.string(), pa.string())),
            ("orders", pa.list_(pa.struct([("card", pa.string())]))),
        ]
    )
    rows = [
        {
            "user": {"contact": {"email": "a@example.com"}},
            "tags": ["x", "t@example.org"],
            "attrs": [("mail", "m@example.com")],
            "orders": [{"card": "4111 1111 1111 1111"}],
        },
        {"user": None, "tags": None, "attrs": None, "orders": []},
        {"user": {"contact": {"email": "c@example.com"}}, "tags": [], "attrs": [], "orders": None},
    ]
    p = tmp_path / "n.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), p)
    res = run(table_engine, p, full=True)
    assert keys(res) == {
        (0, "user.contact.email", "EMAIL_ADDRESS"),
        (2, "user.contact.email", "EMAIL_ADDRESS"),
        (0, "tags", "EMAIL_ADDRESS"),
        (0, "attrs.mail", "EMAIL_ADDRESS"),
        (0, "orders.card", "CREDIT_CARD"),
    }


def test_when_folder_is_hive_partitioned_then_partition_columns_appear(
    table_engine: Engine, tmp_path: Path
) -> None:
    for day, mail in (("2024-10-01", "a@example.com"), ("2024-10-02", "b@example.com")):
        d = tmp_path / "events" / f"dt={day}" / "region=jp"
        d.mkdir(parents=True)
        pq.write_table(pa.table({"email": [mail, None]}), d / "part-0.parquet")
    res = run(table_engine, tmp_path / "events")
    assert {(f.path.split("events/")[1], f.row, f.column) for f in res.findings} == {
        ("dt=2024-10-01/region=jp/part-0.parquet", 0, "email"),
        ("dt=2024-10-02/region=jp/part-0.parquet", 0, "email"),
    }
    cols = {(c.path.split("events/")[1].split("/")[0], c.column) for c in res.columns}
    assert ("dt=2024-10-01", "dt") in cols and ("dt=2024-10-02", "region") in cols


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("data/events/dt=2024-10-01/part-0.parquet", {"dt": "2024-10-01"}),
        ("s/y=2024/m=10/x.parquet", {"y": "2024", "m": "10"}),
        ("plain/folder/x.parquet", {}),
        ("a/x=1.parquet", {}),
    ],
    ids=["one-key", "two-keys", "no-partition", "file-name-not-a-partition"],
)
def test_when_path_has_key_value_folders_then_they_are_partitions(
    path: str, expected: dict[str, str]
) -> None:
    assert hive_partitions(path) == expected


def test_when_column_types_cannot_hold_text_then_they_are_skipped(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "types.parquet"
    pq.write_table(
        pa.table(
            {
                "price": pa.array([1.5, 2.5]),
                "flag": pa.array([True, False]),
                "age": pa.array([31, 42]),
                "マイナンバー": pa.array([123456789018, None], pa.int64()),
                "empty": pa.array([None, None], pa.string()),
            }
        ),
        p,
    )
    res = run(table_engine, p)
    prof = {c.column: c for c in res.columns}
    assert keys(res) == {(0, "マイナンバー", "JP_MY_NUMBER")}
    assert prof["price"].entity is None and any("not scanned" in e for e in prof["price"].evidence)
    assert prof["age"].sampled == 0
    assert prof["empty"].evidence[-1] == "empty"
    assert prof["マイナンバー"].entity == "JP_MY_NUMBER"


def test_when_values_repeat_then_every_row_is_reported(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "dict.parquet"
    vals = ["same@example.com" if i % 3 == 0 else "nothing" for i in range(3000)]
    pq.write_table(pa.table({"email": pa.array(vals).dictionary_encode()}), p)
    res = run(table_engine, p, full=True)
    assert sorted(f.row for f in res.findings) == list(range(0, 3000, 3))


def test_when_sampling_then_rows_spread_over_row_groups_and_seed_decides(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "big.parquet"
    pq.write_table(
        pa.table({"email": [f"u{i}@example.com" for i in range(5000)]}), p, row_group_size=500
    )
    a = sorted(f.row for f in run(table_engine, p, sample_rows=40, seed=7).findings)
    b = sorted(f.row for f in run(table_engine, p, sample_rows=40, seed=7).findings)
    c = sorted(f.row for f in run(table_engine, p, sample_rows=40, seed=8).findings)
    assert len(a) == 40 and a == b and a != c
    assert len({r // 500 for r in a}) >= 5  # spread over the file, not the first row group


def test_when_file_has_no_rows_then_profiles_are_empty(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "none.parquet"
    pq.write_table(pa.table({"email": pa.array([], pa.string())}), p)
    res = run(table_engine, p)
    assert not res.findings and not res.issues
    assert [(c.column, c.entity) for c in res.columns] == [("email", None)]


def test_when_file_is_not_parquet_then_it_is_a_read_error(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "bad.parquet"
    p.write_bytes(b"PAR1 not really")
    res = run(table_engine, p)
    assert [i.kind for i in res.issues] == ["error"]


def test_when_file_has_many_row_groups_then_sample_reads_a_bounded_spread(
    table_engine: Engine, tmp_path: Path
) -> None:
    from scanner.readers import parquet as reader

    p = tmp_path / "groups.parquet"
    # 64 row groups, more rows than sample mode reads whole (10 x --sample)
    pq.write_table(
        pa.table({"email": [f"u{i}@example.com" for i in range(12800)]}), p, row_group_size=200
    )
    rows = sorted(f.row for f in run(table_engine, p, sample_rows=640, seed=1).findings)
    groups = {r // 200 for r in rows}
    assert len(rows) == 640 and len(rows) == len(set(rows))
    assert len(groups) <= reader.MAX_SAMPLE_GROUPS
    strata = {g * reader.MAX_SAMPLE_GROUPS // 64 for g in groups}
    assert len(strata) >= reader.MAX_SAMPLE_GROUPS - 2  # one group per stratum, over the whole file


def _people(n: int = 3) -> pa.Table:
    return pa.table({"id": list(range(n)), "email": [f"u{i}@example.com" for i in range(n)]})


@pytest.mark.parametrize("name", ["000000_0", "part-00000"])
def test_when_parquet_part_file_has_no_suffix_then_it_is_read_by_magic(
    table_engine: Engine, tmp_path: Path, name: str
) -> None:
    d = tmp_path / "warehouse" / "dt=2024-10-01"
    d.mkdir(parents=True)
    pq.write_table(_people(), d / name)
    res = run(table_engine, d / name)
    assert not res.issues
    assert keys(res) == {(i, "email", "EMAIL_ADDRESS") for i in range(3)}
    assert [c.column for c in res.columns] == ["id", "email", "dt"]


def test_when_binary_file_only_starts_like_parquet_then_it_is_still_skipped(
    table_engine: Engine, tmp_path: Path
) -> None:
    p = tmp_path / "blob"
    p.write_bytes(b"PAR1" + bytes(range(256)) * 4)
    assert [i.kind for i in run(table_engine, p).issues] == ["skipped"]


@pytest.mark.parametrize("name", ["t.orc", "000001_0"])
def test_when_file_is_orc_then_it_is_read_like_parquet(
    table_engine: Engine, tmp_path: Path, name: str
) -> None:
    from pyarrow import orc

    p = tmp_path / name
    orc.write_table(_people(5), str(p))
    for full in (False, True):
        res = run(table_engine, p, full=full)
        assert not res.issues
        assert keys(res) == {(i, "email", "EMAIL_ADDRESS") for i in range(5)}


@pytest.mark.parametrize("name", ["e.parquet", "e.orc"])
def test_when_parquet_file_is_empty_then_it_is_skipped(
    table_engine: Engine, tmp_path: Path, name: str
) -> None:
    p = tmp_path / name
    p.write_bytes(b"")
    assert [(i.kind, i.message) for i in run(table_engine, p).issues] == [("skipped", "empty file")]


@pytest.mark.parametrize(("full", "sample_rows"), [(False, 1000), (False, 4), (True, 1000)],
                         ids=["sample-all", "sample-some", "full"])
def test_when_parquet_has_duplicate_column_names_then_the_second_is_numbered(
    table_engine: Engine, tmp_path: Path, full: bool, sample_rows: int
) -> None:
    t = pa.Table.from_arrays(  # 60 rows: over 10 x 4 (sample-some samples), under 10 x 1000
        [pa.array([f"u{i}@example.com" for i in range(60)]), pa.array(["x"] * 60)], names=["email", "email"]
    )
    p = tmp_path / "dup.parquet"
    pq.write_table(t, p, row_group_size=20)
    res = run(table_engine, p, full=full, sample_rows=sample_rows)
    assert [(c.column, c.entity) for c in res.columns] == [("email", "EMAIL_ADDRESS"), ("email_2", None)]
    rows = {r for r, _, _ in keys(res)}
    assert {c for _, c, _ in keys(res)} == {"email"}
    assert len(rows) == (4 if sample_rows == 4 else 60)
