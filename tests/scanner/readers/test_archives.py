"""Compressed files (gzip, bzip2, xz) and archives (tar, tar.gz, zip), read by magic bytes."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.corpus import TEST_MAX_DECOMPRESSED, scan_paths

LOG = b"2024-10-01 login ok\ncontact alice@example.com\n"
BLOB = bytes(range(256)) * 20  # binary: NUL and control bytes


def _tar(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _found(path: Path) -> list[tuple[str, int | None, str]]:
    res = scan_paths([path])
    return sorted((f.path.rsplit("/", 1)[-1], f.line, f.entity) for f in res.findings)


@pytest.mark.parametrize(
    ("name", "compress"),
    [("app.log.bz2", bz2.compress), ("app.log.xz", lzma.compress), ("renamed.dat", gzip.compress)],
    ids=["bzip2", "xz", "gzip-without-its-suffix"],
)
def test_when_a_file_is_compressed_then_it_is_read_by_its_magic_bytes(
    tmp_path: Path, name: str, compress: object
) -> None:
    p = tmp_path / name
    p.write_bytes(compress(LOG))  # type: ignore[operator]
    assert _found(p) == [(name, 2, "EMAIL_ADDRESS")]


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_when_a_tar_archive_holds_logs_then_each_member_is_scanned_under_its_own_name(
    tmp_path: Path, mode: str
) -> None:
    p = _tar(tmp_path / "logs.tar", {"a/app.log": LOG, "b.txt.gz": gzip.compress(b"TEL 03-1234-5678\n")}, mode)
    res = scan_paths([p])
    assert sorted((f.path, f.line, f.entity) for f in res.findings) == [
        (f"{p}!/a/app.log", 2, "EMAIL_ADDRESS"),
        (f"{p}!/b.txt.gz", 1, "PHONE_NUMBER"),  # a compressed member is decompressed
    ]
    assert res.issues == []


def test_when_a_zip_holds_binary_and_nested_archives_then_they_are_named_in_a_warning(tmp_path: Path) -> None:
    inner = _zip(tmp_path / "inner.zip", {"x.log": LOG}).read_bytes()
    p = _zip(tmp_path / "bundle.zip", {"app.log": LOG, "img.png": BLOB, "inner.zip": inner, "dir/": b""})
    res = scan_paths([p])
    assert [(f.path, f.entity) for f in res.findings] == [(f"{p}!/app.log", "EMAIL_ADDRESS")]
    assert [i.kind for i in res.issues] == ["warning"]
    assert "2 archive members not scanned" in res.issues[0].message
    assert "img.png" in res.issues[0].message and "inner.zip (archive)" in res.issues[0].message


def test_when_an_archive_is_corrupt_then_it_is_a_read_error_and_the_scan_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.log"
    good.write_bytes(LOG)
    broken_zip = tmp_path / "broken.zip"
    broken_zip.write_bytes(_zip(tmp_path / "z.zip", {"app.log": LOG * 100}).read_bytes()[:60])
    data = _tar(tmp_path / "t.tar.gz", {"app.log": LOG * 2000}).read_bytes()
    broken_tar = tmp_path / "broken.tar.gz"
    broken_tar.write_bytes(data[: len(data) // 2])
    res = scan_paths([good, broken_zip, broken_tar])
    kinds = {i.path.rsplit("/", 1)[-1]: i.kind for i in res.issues}
    assert kinds == {"broken.zip": "error", "broken.tar.gz": "error"}
    assert [f.path for f in res.findings] == [str(good)]


def test_when_archive_members_together_exceed_the_limit_then_error(tmp_path: Path) -> None:
    # each member alone is within the limit; the archive's budget is for all of them
    part = b"x" * (TEST_MAX_DECOMPRESSED // 2 + 1)
    p = _zip(tmp_path / "many.zip", {"a.log": part, "b.log": part, "c.log": part})
    res = scan_paths([p], max_decompressed=TEST_MAX_DECOMPRESSED)
    assert [i.kind for i in res.issues] == ["error"]
    assert "exceeds the limit" in res.issues[0].message
