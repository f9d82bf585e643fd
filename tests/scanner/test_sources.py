"""Sources: walking, what is skipped, how paths are shown, how files are opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.errors import SkipFile
from scanner.records import FileIssue
from scanner.sources import OPEN_BUFFER, OUTSIDE_LINK, Source, display_path, iter_sources


def _paths(items: list[Source | FileIssue]) -> list[str]:
    return [i.path for i in items if isinstance(i, Source)]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("logs/app.log", "logs/app.log"),
        ("データ/顧客.csv", "データ/顧客.csv"),
        (os.fsdecode(b"caf\xe9.log"), "caf\\xe9.log"),
        ("a\nb.log", "a\\nb.log"),
        ("esc\x1b[31m.log", "esc\\x1b[31m.log"),
        ("tab\t.log", "tab\\t.log"),
        ("c1\x85.log", "c1\\x85.log"),
        ("invoice\u202egpj.exe", "invoice\\u202egpj.exe"),
    ],
    ids=["ascii", "japanese", "latin1-bytes", "newline", "escape", "tab", "c1-control", "bidi-override"],
)
def test_when_path_displayed_then_valid_utf8_single_line(raw: str, shown: str) -> None:
    out = display_path(raw)
    assert out == shown
    out.encode("utf-8")  # never raises: no lone surrogates
    assert out.isprintable()


def test_when_folder_walked_then_sorted_and_vcs_venv_caches_skipped(tmp_path: Path) -> None:
    for rel in ("b.log", "a.log", "sub/c.txt", ".git/config", "node_modules/x.js", "env/pyvenv.cfg",
                "env/lib.py", "__pycache__/m.pyc"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    got = _paths(list(iter_sources([str(tmp_path)])))
    root = str(tmp_path)
    assert got == [f"{root}/a.log", f"{root}/b.log", f"{root}/sub/c.txt"]


def test_when_exclude_glob_then_matching_files_not_listed(tmp_path: Path) -> None:
    (tmp_path / "keep.log").write_text("x")
    (tmp_path / "drop.tmp").write_text("x")
    got = _paths(list(iter_sources([str(tmp_path)], exclude=("*.tmp",))))
    assert got == [f"{tmp_path}/keep.log"]


def test_when_named_path_missing_then_error_issue(tmp_path: Path) -> None:
    items = list(iter_sources([str(tmp_path / "nope.log")]))
    assert [(type(i).__name__, getattr(i, "kind", None)) for i in items] == [("FileIssue", "error")]


def test_when_fifo_in_folder_then_skipped_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.log")
    items = list(iter_sources([str(tmp_path)]))
    assert [(i.path.rsplit("/", 1)[-1], i.kind) for i in items if isinstance(i, FileIssue)] == [
        ("p.log", "skipped")
    ]


def test_when_symlinked_folder_loops_then_visited_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.log").write_text("x")
    (tmp_path / "a" / "back").symlink_to("..")
    items = list(iter_sources([str(tmp_path)]))
    assert _paths(items) == [f"{tmp_path}/a/f.log"]
    assert [i.kind for i in items if isinstance(i, FileIssue)] == ["skipped"]


def test_when_source_opened_then_buffer_holds_the_encoding_sample(tmp_path: Path) -> None:
    from scanner.readers.text import SAMPLE_BYTES

    p = tmp_path / "big.log"
    p.write_bytes(b"x" * (SAMPLE_BYTES * 2))
    with Source(str(p), str(p)).open() as fh:
        assert len(fh.peek(1)) >= SAMPLE_BYTES
    assert OPEN_BUFFER >= SAMPLE_BYTES


def test_when_source_is_fifo_then_open_raises_skipfile_without_blocking(tmp_path: Path) -> None:
    p = tmp_path / "f.log"
    os.mkfifo(p)
    with pytest.raises(SkipFile):
        Source(str(p), str(p)).open()


def test_when_source_is_directory_then_open_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        Source(str(tmp_path), str(tmp_path)).open()


def test_when_name_not_utf8_then_source_opens_real_file_and_shows_escaped_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff\xfe.log")
    (tmp_path / name).write_text("hello")
    (src,) = [i for i in iter_sources([str(tmp_path)]) if isinstance(i, Source)]
    assert src.path.endswith("/\\xff\\xfe.log")
    with src.open() as fh:
        assert fh.read() == b"hello"


def test_when_a_link_leads_out_of_the_folder_then_it_is_skipped_unless_followed(tmp_path: Path) -> None:
    # a pull request adding `root -> /` must not make CI walk the runner's disk
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.log").write_text("x")
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "a.log").write_text("x")
    (repo / "ext").symlink_to(outside)
    (repo / "ext.log").symlink_to(outside / "secret.log")
    (repo / "inner").symlink_to(repo / "src")  # inside the folder: followed
    items = list(iter_sources([str(repo)]))
    assert _paths(items) == [f"{repo}/inner/a.log"]  # src is the same folder: visited once
    skipped = {i.path.rsplit("/", 1)[-1]: i.message for i in items if isinstance(i, FileIssue)}
    assert skipped["ext"] == skipped["ext.log"] == OUTSIDE_LINK
    assert set(skipped) == {"ext", "ext.log", "src"}
    followed = list(iter_sources([str(repo)], follow_symlinks=True))
    assert f"{repo}/ext/secret.log" in _paths(followed) and f"{repo}/ext.log" in _paths(followed)


def test_when_a_file_is_to_be_skipped_by_inode_then_the_walk_leaves_it_out(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text("x")
    (tmp_path / "report.jsonl").write_text("{}")
    st = os.stat(tmp_path / "report.jsonl")
    items = list(iter_sources([str(tmp_path)], skip_files=frozenset({(st.st_dev, st.st_ino)})))
    assert _paths(items) == [f"{tmp_path}/a.log"]
