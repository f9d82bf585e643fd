r"""Sources: turn what the user named into readable files, never raising past the scan.

Walks folders (no symlink loops, no links out of the folder unless `--follow-symlinks`, skips
VCS folders, virtualenvs and caches, `--exclude` globs), keeps only regular files (FIFOs,
sockets and devices are skipped, never opened), and reports per-path problems as `FileIssue`s.

Paths are shown as valid UTF-8 whatever the file system holds: bytes that are not UTF-8
(kept by Python as surrogate escapes) and control characters appear as backslash escapes
(`caf\xe9.log`, `a\nb.log`), so JSON reports stay valid and a crafted file name cannot
forge terminal output. The real name is still what is opened (`Source.fs_path`). URLs with a scheme (s3://, gs://, abfs://,
file://, memory:// ...) are listed and opened through fsspec (`scanner/remote.py`).
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from scanner.errors import SkipFile
from scanner.normalize import without_lone_surrogates
from scanner.records import FileIssue

#: read buffer of an opened source: large enough that the first peek sees the whole
#: encoding sample (`scanner.readers.text.SAMPLE_BYTES`)
OPEN_BUFFER = 256 * 1024

#: folder names never descended into
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", "node_modules", "site-packages", ".eggs"}
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
        """Open for binary reading (standard input for `-`).

        Opens without blocking and checks the opened file is still a regular file: a path
        that became a FIFO or device after the walk raises SkipFile instead of hanging.
        Raises OSError when the file cannot be opened.
        """
        if self.fs_path == "-":
            return sys.stdin.buffer
        if self.protocol:
            from scanner.remote import open_remote

            return open_remote(self)
        fd = os.open(self.fs_path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(21, "Is a directory", self.fs_path)
            if not stat.S_ISREG(st.st_mode):
                raise SkipFile(NOT_REGULAR)
            os.set_blocking(fd, True)
            return os.fdopen(fd, "rb", buffering=OPEN_BUFFER)
        except BaseException:
            os.close(fd)
            raise


#: message of the notice for FIFOs, sockets and device files
NOT_REGULAR = "not a regular file (FIFO, socket or device); not opened"

#: bidirectional overrides/isolates: a name could otherwise display reversed ("Trojan Source")
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI:
        return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
    return ch


def display_path(path: str) -> str:
    """`path` as shown in reports: valid UTF-8, undecodable bytes and control chars escaped."""
    if path.isascii() and path.isprintable():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        path = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(_escape(ch) for ch in path)


def display_text(text: str) -> str:
    """A name taken from scanned data (a column header, a JSON key) as reports show it: line
    breaks, control characters (terminal escape sequences) and bidi overrides escaped as in
    paths, lone surrogates as U+FFFD. Idempotent."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escape(ch) for ch in without_lone_surrogates(text))


def _display(given: str, rel: str | None) -> str:
    base = given.replace(os.sep, "/")
    if rel is None:
        return display_path(base)
    base = base.rstrip("/") or "/"
    return display_path(str(PurePosixPath(base) / rel.replace(os.sep, "/")))


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    name = display.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatch(display, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(display, f"*/{p}")
        for p in patterns
    )


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def sources_for(paths: Sequence[str], opts: Any) -> Iterator[Source | FileIssue]:
    """`iter_sources` with the walking options of a `ScanOptions`."""
    return iter_sources(
        paths, opts.exclude, opts.extra.get("storage_options"),
        follow_symlinks=opts.follow_symlinks, skip_files=frozenset(opts.skip_files),
    )


def iter_sources(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    storage_options: Mapping[str, Any] | None = None,
    follow_symlinks: bool = False,
    skip_files: frozenset[tuple[int, int]] = frozenset(),
) -> Iterator[Source | FileIssue]:
    """Yield a Source per regular file under `paths`, or a FileIssue for what is skipped/broken.

    In a folder, a symbolic link that leads outside the folder named is skipped with a notice
    unless `follow_symlinks` (a pull request adding `root -> /` must not walk the CI runner's
    disk); links inside it are followed. `skip_files`: (device, inode) of files never read
    (the report being written into a scanned folder).
    """
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
            yield from _walk(given, exclude, follow_symlinks, skip_files)
        elif stat.S_ISREG(st.st_mode):
            display = _display(given, None)
            if not _excluded(display, exclude):
                yield Source(path=display, fs_path=given, size=st.st_size)
        else:
            yield FileIssue(_display(given, None), "skipped", NOT_REGULAR)


IGNORE_FILE = ".piimapignore"


def ignore_patterns(root: str) -> list[str]:
    """Globs from `root/.piimapignore` (one per line, # comments), relative to `root`."""
    try:
        with open(os.path.join(root, IGNORE_FILE), encoding="utf-8") as fh:
            lines = [ln.strip() for ln in fh]
    except (OSError, UnicodeDecodeError):
        return []
    base = root.replace(os.sep, "/").rstrip("/")
    pats = [IGNORE_FILE]
    for ln in lines:
        if ln and not ln.startswith("#"):
            pats.append(ln)
            pats.append(f"{base}/{ln.lstrip('/')}")
    return pats


#: the notice of a symbolic link leading out of the folder scanned
OUTSIDE_LINK = "symbolic link to outside the folder scanned (not followed; --follow-symlinks follows it)"


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _walk(
    root: str, exclude: Sequence[str], follow_symlinks: bool = False,
    skip_files: frozenset[tuple[int, int]] = frozenset(),
) -> Iterator[Source | FileIssue]:
    exclude = [*exclude, *ignore_patterns(root)]
    real_root = os.path.realpath(root)
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(root)
        seen.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    stack: list[tuple[str, str | None]] = [(root, None)]  # (folder, path relative to root)
    while stack:
        folder, rel = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield FileIssue(_display(root, rel), "error", f"cannot list folder: {exc.strerror}")
            continue
        subdirs: list[tuple[str, str | None]] = []
        for entry in entries:
            child_rel = entry.name if rel is None else f"{rel}/{entry.name}"
            display = _display(root, child_rel)
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                kind = "skipped" if entry.is_symlink() else "error"
                yield FileIssue(display, kind, f"cannot stat: {exc.strerror or 'broken link'}")
                continue
            if (
                not follow_symlinks
                and entry.is_symlink()
                and not _inside(os.path.realpath(entry.path), real_root)
            ):
                yield FileIssue(display, "skipped", OUTSIDE_LINK)
                continue
            if stat.S_ISDIR(st.st_mode):
                if entry.name in SKIP_DIRS or _is_venv(entry.path) or _excluded(display, exclude):
                    continue
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    yield FileIssue(display, "skipped", "folder already visited (symlink loop or second link)")
                    continue
                seen.add(key)
                subdirs.append((entry.path, child_rel))
            elif stat.S_ISREG(st.st_mode):
                if (st.st_dev, st.st_ino) in skip_files:
                    continue
                if not _excluded(display, exclude):
                    yield Source(path=display, fs_path=entry.path, size=st.st_size)
            else:
                yield FileIssue(display, "skipped", NOT_REGULAR)
        stack.extend(reversed(subdirs))
