"""Sources: turn what the user named into readable files, never raising past the scan.

Walks folders (no symlink loops, skips VCS folders, virtualenvs and caches, `--exclude`
globs), keeps only regular files (FIFOs, sockets and devices are skipped, never opened),
and reports per-path problems as `FileIssue`s. URLs with a scheme (s3://, gs://, abfs://,
file://, memory:// ...) are listed and opened through fsspec (`scanner/remote.py`).
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from scanner.records import FileIssue

#: folder names never descended into
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", "node_modules", "site-packages", ".idea", ".eggs"}
)


@dataclass(frozen=True)
class Source:
    """A file to scan: `path` is what findings report; `fs_path` what is opened.

    Remote objects carry their fsspec `protocol`, the storage options as JSON text (so a
    Source stays hashable and picklable for worker processes and Spark executors) and a
    `version` from the listing (ETag, else modification time) for incremental scans.
    """

    path: str
    fs_path: str
    size: int = 0
    protocol: str = ""
    storage: str = ""
    version: str = ""

    def open(self) -> BinaryIO:
        """Open for binary reading (standard input for `-`); remote objects stream, seekable."""
        if self.fs_path == "-":
            return sys.stdin.buffer
        if self.protocol:
            from scanner.remote import open_remote

            return open_remote(self)
        return open(self.fs_path, "rb")  # noqa: SIM115 - the caller closes it


def _display(given: str, rel: str | None) -> str:
    base = given.replace(os.sep, "/")
    if rel is None:
        return base
    base = base.rstrip("/") or "/"
    return str(PurePosixPath(base) / rel.replace(os.sep, "/"))


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    name = display.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatch(display, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(display, f"*/{p}")
        for p in patterns
    )


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def iter_sources(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    storage_options: Mapping[str, Any] | None = None,
) -> Iterator[Source | FileIssue]:
    """Yield a Source per regular file under `paths`, or a FileIssue for what is skipped/broken."""
    for given in paths:
        if given == "-":
            yield Source(path="-", fs_path="-")
            continue
        if "://" in given:
            from scanner.remote import is_url, iter_remote

            if is_url(given):
                yield from iter_remote(given, exclude, storage_options)
                continue
        try:
            st = os.stat(given)
        except FileNotFoundError:
            yield FileIssue(_display(given, None), "error", "no such file or directory")
            continue
        except OSError as exc:
            yield FileIssue(_display(given, None), "error", f"cannot stat: {exc.strerror}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(given, exclude)
        elif stat.S_ISREG(st.st_mode):
            display = _display(given, None)
            if not _excluded(display, exclude):
                yield Source(path=display, fs_path=given, size=st.st_size)
        else:
            yield FileIssue(_display(given, None), "skipped", "not a regular file (FIFO, socket or device)")


def _walk(root: str, exclude: Sequence[str]) -> Iterator[Source | FileIssue]:
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(root)
        seen.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    stack = [(root, None)]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield FileIssue(_display(root, rel), "error", f"cannot list folder: {exc.strerror}")
            continue
        subdirs = []
        for entry in entries:
            child_rel = entry.name if rel is None else f"{rel}/{entry.name}"
            display = _display(root, child_rel)
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                kind = "skipped" if entry.is_symlink() else "error"
                yield FileIssue(display, kind, f"cannot stat: {exc.strerror or 'broken link'}")
                continue
            if stat.S_ISDIR(st.st_mode):
                if entry.name in SKIP_DIRS or _is_venv(entry.path) or _excluded(display, exclude):
                    continue
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    yield FileIssue(display, "skipped", "symlink loop (folder already visited)")
                    continue
                seen.add(key)
                subdirs.append((entry.path, child_rel))
            elif stat.S_ISREG(st.st_mode):
                if not _excluded(display, exclude):
                    yield Source(path=display, fs_path=entry.path, size=st.st_size)
            else:
                yield FileIssue(display, "skipped", "not a regular file (FIFO, socket or device)")
        stack.extend(reversed(subdirs))
