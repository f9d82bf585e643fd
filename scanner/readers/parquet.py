"""Parquet reader: single files and Hive-partitioned folders, nested columns flattened.

Presentation of a partitioned dataset: the source walker yields each part file, and each
is scanned as its own table (so files scan in parallel and memory stays bounded);
`key=value` folders in its path become constant string columns (`dt`, `region`), so the
partition columns appear like any other column. Reading is by record batch; in sample mode
only the row groups holding sampled rows are decoded.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scanner.errors import ReadError
from scanner.readers import register
from scanner.readers.text import SkipFile
from scanner.sources import Source
from scanner.tables import (
    TableProfiles,
    TableScan,
    batch_from_arrow,
    flatten_array,
    mode_of,
    sample_indices,
    table_seed,
)

BATCH_ROWS = 65536
#: sample mode decodes at most this many row groups, spread evenly over the file
MAX_SAMPLE_GROUPS = 16


def sample_groups(meta: Any, seed: int) -> list[tuple[int, int, int]]:
    """List (row group, first data row, rows) of the groups a sample reads.

    All of them, or one seeded random group in each of MAX_SAMPLE_GROUPS equal strata.
    """
    firsts, start = [], 0
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        firsts.append((g, start, n))
        start += n
    count = len(firsts)
    if count <= MAX_SAMPLE_GROUPS:
        return [f for f in firsts if f[2]]
    rng = random.Random(seed)
    chosen = []
    for k in range(MAX_SAMPLE_GROUPS):
        lo, hi = k * count // MAX_SAMPLE_GROUPS, (k + 1) * count // MAX_SAMPLE_GROUPS
        chosen.append(firsts[rng.randrange(lo, max(lo + 1, hi))])
    return [f for f in chosen if f[2]]


def hive_partitions(path: str) -> dict[str, str]:
    """`key=value` folder names in `path` (Hive partitioning), in path order."""
    out: dict[str, str] = {}
    for part in path.replace("\\", "/").split("/")[:-1]:
        key, sep, value = part.partition("=")
        if sep and key and not key.startswith("."):
            out[unquote(key)] = unquote(value)
    return out


@register(".parquet", ".parq", ".pq")
def read_parquet(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream a Parquet file as table units (see module docstring)."""
    if src.fs_path == "-":
        raise SkipFile("Parquet cannot be read from standard input")
    try:
        # remote objects (s3://, gs://, ...) are read through their seekable fsspec handle
        pf = pq.ParquetFile(src.open() if src.protocol else src.fs_path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ReadError(src.path, f"not a readable Parquet file: {exc}") from exc
    schema = pf.schema_arrow
    constants = {k: v for k, v in hive_partitions(src.path).items() if k not in schema.names}
    scan = TableScan(src.path, mode_of(options))
    empty = schema.empty_table()
    for i, name in enumerate(schema.names):  # every column gets a profile, even when empty
        for col in flatten_array(name, empty.column(i), np.empty(0, dtype=np.int64)):
            scan.column_stats(col.name)
    for k in constants:
        scan.column_stats(k)
    meta = pf.metadata
    total = meta.num_rows
    try:
        if getattr(options, "full", False) or total <= int(getattr(options, "sample_rows", 1000)):
            done = 0
            for rb in pf.iter_batches(batch_size=BATCH_ROWS):
                rows = np.arange(done, done + rb.num_rows, dtype=np.int64)
                done += rb.num_rows
                yield batch_from_arrow(scan, rb, rows, constants)
        else:
            n = int(getattr(options, "sample_rows", 1000))
            seed = table_seed(getattr(options, "seed", 0), src.path)
            groups = sample_groups(meta, seed)
            sizes = np.asarray([g[2] for g in groups], dtype=np.int64)
            virtual = sample_indices(int(sizes.sum()), n, seed)
            bounds = np.concatenate(([0], np.cumsum(sizes)))
            parts: list[pa.Table] = []
            picked_abs: list[np.ndarray] = []
            for gi, (g, first, _) in enumerate(groups):
                a, b = np.searchsorted(virtual, [bounds[gi], bounds[gi + 1]])
                if b <= a:
                    continue
                local = virtual[a:b] - bounds[gi]
                picked_abs.append(local + first)
                offset = 0
                for rb in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[g]):
                    lo, hi = np.searchsorted(local, [offset, offset + rb.num_rows])
                    if hi > lo:
                        parts.append(
                            pa.Table.from_batches([rb.take(pa.array(local[lo:hi] - offset))])
                        )
                    offset += rb.num_rows
                    if offset > local[-1]:
                        break  # rows after the last sampled one need no decoding
            if parts:
                rows = np.concatenate(picked_abs)
                yield batch_from_arrow(
                    scan, pa.concat_tables(parts).combine_chunks(), rows, constants
                )
    except (pa.ArrowException, OSError) as exc:
        raise ReadError(src.path, f"Parquet read failed: {exc}") from exc
    yield TableProfiles(scan)
