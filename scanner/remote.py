"""Remote sources: list and stream objects of any fsspec file system (s3://, gs://, abfs://,
file://, memory:// ...) without downloading whole buckets.

A URL is listed one "folder" (prefix) at a time, in name order, with the same skip rules as
local folders (VCS folders, caches, `--exclude` globs). Each object becomes a `Source` whose
`open()` returns a seekable, streaming file object (ranged reads), so the text reader and the
table readers read remote objects exactly like local files. Credentials and endpoints come
from each store's standard environment and configuration (for S3: AWS_ACCESS_KEY_ID,
AWS_PROFILE, ~/.aws/config, AWS_ENDPOINT_URL ...; any store: fsspec's FSSPEC_<PROTOCOL>_<KEY>
variables), or from explicit `storage_options`.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO

from scanner.records import FileIssue
from scanner.sources import SKIP_DIRS, Source, _excluded

logger = logging.getLogger(__name__)

#: "scheme://" at the start of a path; one letter is not enough (Windows drives: C:\\)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
#: listing keys that identify an object's content, best first
_VERSION_KEYS = ("ETag", "etag", "md5Hash", "generation")
#: keys per S3 ListObjectsV2 page (the API's maximum): the most a streamed listing holds
LIST_PAGE = 1000
#: listing keys holding a modification time, used when no content identifier is listed
_MTIME_KEYS = ("LastModified", "last_modified", "mtime", "updated", "modified", "created")


def is_url(path: str) -> bool:
    """True for paths with a scheme (s3://bucket/key, file:///tmp/x, memory://x)."""
    return bool(_URL.match(path))


def protocol_of(url: str) -> str:
    """The scheme of `url`, lower case ("s3" for s3://bucket/key)."""
    return url.split("://", 1)[0].lower()


def storage_json(storage_options: Mapping[str, Any] | None) -> str:
    """Storage options as canonical JSON text ("" when there are none)."""
    if not storage_options:
        return ""
    return json.dumps(dict(storage_options), sort_keys=True, default=str)


def filesystem(protocol: str, storage: str = "") -> Any:
    """The fsspec file system for `protocol` and JSON `storage` options.

    fsspec caches instances per process and drops them after a fork, so worker processes
    and Spark executors build their own connection pools.
    """
    import fsspec

    options = json.loads(storage) if storage else {}
    return fsspec.filesystem(protocol, **options)


def open_remote(src: Source) -> BinaryIO:
    """Open a remote object for streaming binary reads (the caller closes it)."""
    fs = filesystem(src.protocol, src.storage)
    handle: BinaryIO = fs.open(src.fs_path, "rb")
    return handle


def object_version(info: Mapping[str, Any]) -> str:
    """What tells a changed object from an unchanged one: ETag or similar, else mtime."""
    for key in _VERSION_KEYS:
        value = info.get(key)
        if value:
            return f"{key}:{str(value).strip(chr(34))}"
    for key in _MTIME_KEYS:
        value = info.get(key)
        if isinstance(value, _dt.datetime):
            return f"mtime:{value.isoformat()}"
        if value:
            return f"mtime:{value}"
    return ""


def iter_remote(
    url: str, exclude: Sequence[str] = (), storage_options: Mapping[str, Any] | None = None
) -> Iterator[Source | FileIssue]:
    """Yield a Source per object under `url` (an object or a prefix), or FileIssues."""
    protocol = protocol_of(url)
    storage = storage_json(storage_options)
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url, **dict(storage_options or {}))
    except ImportError as exc:  # e.g. gs:// without gcsfs, abfs:// without adlfs
        yield FileIssue(url, "error", f"no file system for {protocol}:// ({exc})")
        return
    except ValueError as exc:  # unknown protocol
        yield FileIssue(url, "error", f"cannot open {protocol}:// URLs: {exc}")
        return
    try:
        info = fs.info(root)
    except FileNotFoundError:
        yield FileIssue(url, "error", "no such object or prefix")
        return
    except Exception as exc:  # noqa: BLE001 - credentials, network, permissions: report, go on
        yield FileIssue(url, "error", f"cannot list: {_reason(exc)}")
        return
    if info.get("type") == "directory":
        yield from _walk(fs, url, root, exclude, protocol, storage)
        return
    if not _excluded(url, exclude):
        yield _source(url, root, info, protocol, storage)


def _source(display: str, fs_path: str, info: Mapping[str, Any], protocol: str, storage: str) -> Source:
    return Source(
        path=display,
        fs_path=fs_path,
        size=int(info.get("size") or 0),
        protocol=protocol,
        storage=storage,
        version=object_version(info),
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def _walk(
    fs: Any, url: str, root: str, exclude: Sequence[str], protocol: str, storage: str
) -> Iterator[Source | FileIssue]:
    """List `root` prefix by prefix (depth first, name order), like the local walk."""
    base = url.rstrip("/")
    root = root.rstrip("/")
    stack: list[tuple[str, str | None]] = [(root, None)]
    while stack:
        folder, rel = stack.pop()
        display_folder = base if rel is None else f"{base}/{rel}"
        subdirs: list[tuple[str, str]] = []
        try:
            for info in _entries(fs, folder):
                full = str(info["name"]).rstrip("/")
                name = full.rsplit("/", 1)[-1]
                if full == folder or not name:
                    continue  # some stores list the prefix itself
                child_rel = name if rel is None else f"{rel}/{name}"
                display = f"{base}/{child_rel}"
                if info.get("type") == "directory":
                    if name in SKIP_DIRS or _excluded(display, exclude):
                        continue
                    subdirs.append((full, child_rel))
                elif not _excluded(display, exclude):
                    yield _source(display, full, info, protocol, storage)
        except Exception as exc:  # noqa: BLE001 - one unreadable prefix must not stop the scan
            yield FileIssue(display_folder, "error", f"cannot list: {_reason(exc)}")
            continue
        subdirs.sort()
        stack.extend(reversed(subdirs))


def _entries(fs: Any, folder: str) -> Iterator[Mapping[str, Any]]:
    """The entries of one prefix: objects in name order (sub-prefixes in any order).

    S3 (s3fs, not version-aware) is listed page by page (LIST_PAGE keys a request) and each
    page's objects are yielded as they arrive: ListObjectsV2 returns keys in UTF-8 binary
    order, which is Python's string order, so a prefix of millions of objects is streamed in
    the local walk's order without ever being held whole. Other file systems only offer a
    full listing of a prefix (`fs.ls`): it is held, sorted, for the time of that prefix.
    """
    call = getattr(fs, "call_s3", None)
    protocols = fs.protocol if isinstance(fs.protocol, (tuple, list)) else (fs.protocol,)
    if call is None or "s3" not in protocols or getattr(fs, "version_aware", True):
        entries = fs.ls(folder, detail=True)
        fs.invalidate_cache(folder)  # fsspec caches listings: a big bucket must not pile up
        yield from sorted(entries, key=lambda i: str(i["name"]))
        return
    bucket, key, _ = fs.split_path(folder)
    kwargs: dict[str, Any] = {"Bucket": bucket, "Delimiter": "/", "MaxKeys": LIST_PAGE}
    if key:
        kwargs["Prefix"] = key.rstrip("/") + "/"
    while True:
        page = call("list_objects_v2", **kwargs)
        for common in page.get("CommonPrefixes", []):
            yield {"name": f"{bucket}/{common['Prefix'].rstrip('/')}", "type": "directory", "size": 0}
        for obj in page.get("Contents", []):
            yield {**obj, "name": f"{bucket}/{obj['Key']}", "type": "file", "size": obj.get("Size", 0)}
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            return
        kwargs["ContinuationToken"] = token
