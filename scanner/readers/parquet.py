"""Parquet reader: single files and Hive-partitioned folders, nested columns flattened.

Presentation of a partitioned dataset: the source walker yields each part file, and each
is scanned as its own table (so files scan in parallel and memory stays bounded);
`key=value` folders in its path become constant string columns (`dt`, `region`), so the
partition columns appear like any other column. Reading is by record batch; in sample mode
only the row groups holding sampled rows are decoded.

Row-group ranges (the Spark engine's task plan, `--full`): `row_group_ranges()` cuts a file
into runs of consecutive row groups of about `task_bytes()` compressed bytes. The local
reader reads a whole file range by range, and `read_parquet_groups()` reads one range (one
Spark task) into a caller-owned `ParquetScan`, whose per-column statistics are merged with
`merge_stats()`. Three things make the merged result equal to a whole-file scan:

- record batches never cross a range boundary (the local reader reads range by range too),
  so every batch, and therefore every map-key column and first-seen column order, is the same;
- the findings of a batch are sorted (`OrderedBatch`: row, column position, offsets), so
  their order does not depend on which values an earlier batch already memoised;
- per-entity score sums are exact (`ExactSum`), so the order in which partial sums are
  added cannot change a column profile's score.
"""

from __future__ import annotations

import math
import os
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import unquote

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scanner.blocks import DetectionBlock
from scanner.detect import Detector
from scanner.errors import ReadError
from scanner.policy import Policy
from scanner.readers import register
from scanner.readers.text import SkipFile
from scanner.records import ColumnProfile
from scanner.sources import Source, display_text
from scanner.tables import (
    ColumnStats,
    TableBatch,
    TableProfiles,
    TableScan,
    batch_from_arrow,
    flatten_array,
    mode_of,
    sample_indices,
    table_seed,
    unique_names,
    whole_table_note,
    whole_table_rows,
)

BATCH_ROWS = 65536
#: sample mode decodes at most this many row groups, spread evenly over the file
MAX_SAMPLE_GROUPS = 16
#: target compressed bytes of consecutive row groups per range (one Spark task in `--full`)
TASK_BYTES = 128 * 1024 * 1024


def task_bytes(options: Any = None) -> int:
    """Target bytes of a row-group range: `extra["parquet_task_bytes"]`, the
    `PIIMAP_PARQUET_TASK_BYTES` environment variable, else TASK_BYTES (128 MiB)."""
    extra = getattr(options, "extra", None) or {}
    value = extra.get("parquet_task_bytes") or os.environ.get("PIIMAP_PARQUET_TASK_BYTES")
    return max(1, int(value)) if value else TASK_BYTES


def row_group_ranges(meta: Any, target: int) -> list[tuple[int, int, int]]:
    """(first row group, end row group, first data row) runs of about `target` bytes.

    Consecutive row groups are added to a run until the next one would take it past
    `target` compressed bytes; a row group larger than `target` is a run of its own. A file
    with one row group is one run; a file with none has no run.
    """
    out: list[tuple[int, int, int]] = []
    start, first, size, row = 0, 0, 0, 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        nbytes = sum(rg.column(c).total_compressed_size for c in range(rg.num_columns))
        if g > start and size + nbytes > target:
            out.append((start, g, first))
            start, first, size = g, row, 0
        size += nbytes
        row += rg.num_rows
    if meta.num_row_groups:
        out.append((start, meta.num_row_groups, first))
    return out


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


# -- order-independent statistics --------------------------------------------------------
class ExactSum:
    """A sum of floats that is exact until read (Shewchuk's partials, as in `math.fsum`).

    Used as the per-entity score sum of a column (`ColumnStats.score_sum`), so partial
    sums of row-group ranges merge into exactly the whole file's sum, in any order.
    """

    __slots__ = ("partials",)

    def __init__(self) -> None:
        self.partials: list[float] = []

    def __iadd__(self, x: Any) -> ExactSum:
        if isinstance(x, ExactSum):
            for p in x.partials:
                self._add(p)
        else:
            self._add(float(x))
        return self

    def _add(self, x: float) -> None:
        partials = self.partials
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]

    def __float__(self) -> float:
        return math.fsum(self.partials)

    def __truediv__(self, n: float) -> float:
        return float(self) / n

    def __getstate__(self) -> list[float]:
        return self.partials

    def __setstate__(self, state: list[float]) -> None:
        self.partials = state


class ParquetScan(TableScan):
    """A TableScan whose column score sums are `ExactSum`s (mergeable in any order)."""

    def column_stats(self, name: str) -> ColumnStats:
        """The statistics record of column `name`, created with an exact score sum."""
        name = display_text(name)
        st = self.stats.get(name)
        if st is None:
            st = super().column_stats(name)
            # ColumnStats.score_sum is typed dict[str, float] (scanner/tables.py); ExactSum has the
            # float operations it is used with there (+=, /, float())
            st.score_sum = defaultdict(ExactSum)  # type: ignore[arg-type]
        return st


def merge_stats(path: str, mode: str, parts: Iterable[dict[str, ColumnStats]]) -> ParquetScan:
    """One scan holding the statistics of row-group ranges (`parts`, in file order).

    Equal to the statistics of the whole file read by the local reader: counts add up,
    score sums are exact, the column type is the last range's, columns keep first-seen order.
    """
    scan = ParquetScan(path, mode)
    for stats in parts:
        for name, st in stats.items():
            scan.column_stats(name).merge(st)
    return scan


class OrderedBatch(TableBatch):
    """A TableBatch whose findings come sorted: row, column position, start, end, entity.

    Without the sort, values memoised in an earlier batch of the same scan come first, so
    the order would depend on where the previous batches were read (another Spark task).
    """

    def detect(
        self, detector: Detector, policy: Policy, opts: Any
    ) -> tuple[DetectionBlock, list[ColumnProfile], int]:
        """Detect column by column (TableBatch.detect), then sort the detections."""
        dets, profiles, cells = super().detect(detector, policy, opts)
        return dets.sorted(), profiles, cells


def _ordered(batch: TableBatch) -> OrderedBatch:
    return OrderedBatch(batch.scan, batch.columns)


# -- reading ----------------------------------------------------------------------------
def _is_empty(src: Source) -> bool:
    try:
        with src.open() as fh:
            return not fh.read(1)
    except OSError:
        return False


def open_parquet(src: Source) -> pq.ParquetFile:
    """The ParquetFile of `src` (remote objects through their seekable fsspec handle)."""
    if src.fs_path == "-":
        raise SkipFile("Parquet cannot be read from standard input")
    try:
        return pq.ParquetFile(src.open() if src.protocol else src.fs_path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        if _is_empty(src):
            raise SkipFile("empty file") from exc
        raise ReadError(src.path, f"not a readable Parquet file: {exc}") from exc


def _renamed(data: Any) -> Any:
    """A RecordBatch or Table with duplicate column names made unique (`unique_names`)."""
    names = data.schema.names
    if len(set(names)) == len(names):
        return data
    return data.rename_columns(unique_names(names))


def _prepare(src: Source, pf: Any, scan: TableScan) -> dict[str, str]:
    """Create every column's statistics in schema order; return the partition constants."""
    schema = pf.schema_arrow if isinstance(pf, pq.ParquetFile) else pf.schema
    constants = {k: v for k, v in hive_partitions(src.path).items() if k not in schema.names}
    empty = _renamed(schema.empty_table())
    schema = empty.schema
    for i, name in enumerate(schema.names):  # every column gets a profile, even when empty
        for col in flatten_array(name, empty.column(i), np.empty(0, dtype=np.int64)):
            scan.column_stats(col.name)
    for k in constants:
        scan.column_stats(k)
    return constants


def _read_groups(
    pf: pq.ParquetFile, scan: TableScan, ranges: Sequence[tuple[int, int, int]], constants: dict[str, str]
) -> Iterator[OrderedBatch]:
    """Every row of the row-group ranges, batch by batch; batches never cross a range."""
    for start, end, first in ranges:
        done = first
        for rb in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=list(range(start, end))):
            rows = np.arange(done, done + rb.num_rows, dtype=np.int64)
            done += rb.num_rows
            yield _ordered(batch_from_arrow(scan, _renamed(rb), rows, constants))


@register(".parquet", ".parq", ".pq")
def read_parquet(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream a Parquet file as table units (see module docstring)."""
    pf = open_parquet(src)
    scan = ParquetScan(src.path, mode_of(options))
    constants = _prepare(src, pf, scan)
    meta = pf.metadata
    total = meta.num_rows
    try:
        if getattr(options, "full", False) or total <= whole_table_rows(options):
            if not getattr(options, "full", False) and total > int(getattr(options, "sample_rows", 1000)):
                scan.note(whole_table_note(total))
            yield from _read_groups(pf, scan, row_group_ranges(meta, task_bytes(options)), constants)
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
                table = _renamed(pa.concat_tables(parts).combine_chunks())
                yield _ordered(batch_from_arrow(scan, table, rows, constants))
    except (pa.ArrowException, OSError) as exc:
        raise ReadError(src.path, f"Parquet read failed: {exc}") from exc
    yield TableProfiles(scan)


def read_parquet_groups(
    src: Source, scan: ParquetScan, start: int, end: int, first_row: int
) -> Iterator[OrderedBatch]:
    """Every row of row groups [start, end), numbered from `first_row` (one Spark task).

    Statistics accumulate in `scan` (the caller merges them with `merge_stats`); no profiles
    are emitted here.
    """
    pf = open_parquet(src)
    constants = _prepare(src, pf, scan)
    try:
        yield from _read_groups(pf, scan, [(start, end, first_row)], constants)
    except (pa.ArrowException, OSError) as exc:
        raise ReadError(src.path, f"Parquet read failed: {exc}") from exc


# -- ORC ------------------------------------------------------------------------------------
@register(".orc")
def read_orc(src: Source, options: Any = None) -> Iterator[Any]:
    """Stream an ORC file (Hive's other format) as table units, stripe by stripe.

    Same columns as Parquet (nested fields flattened, `key=value` folders as constant
    columns). Sample mode offers every stripe's rows to a seeded bottom-k sampler (ORC gives
    no per-stripe row counts without reading), so every stripe is decoded, one at a time.
    """
    from pyarrow import orc

    from scanner.tables import ArrowSampler

    if src.fs_path == "-":
        raise SkipFile("ORC cannot be read from standard input")
    try:
        of = orc.ORCFile(src.open() if src.protocol else src.fs_path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        if _is_empty(src):
            raise SkipFile("empty file") from exc
        raise ReadError(src.path, f"not a readable ORC file: {exc}") from exc
    scan = TableScan(src.path, mode_of(options))
    constants = _prepare(src, of, scan)
    full = bool(getattr(options, "full", False))
    sampler = ArrowSampler(
        int(getattr(options, "sample_rows", 1000)), table_seed(getattr(options, "seed", 0), src.path),
        whole_upto=whole_table_rows(options),
    )
    done = 0
    try:
        for i in range(of.nstripes):
            stripe = _renamed(of.read_stripe(i))
            for rb in pa.Table.from_batches([stripe]).to_batches(max_chunksize=BATCH_ROWS):
                if full:
                    rows = np.arange(done, done + rb.num_rows, dtype=np.int64)
                    yield batch_from_arrow(scan, rb, rows, constants)
                else:
                    sampler.add(rb)
                done += rb.num_rows
        if not full:
            if sampler.whole and sampler.seen > sampler.n:
                scan.note(whole_table_note(sampler.seen))
            tbl, rows = sampler.result()
            if tbl is not None and tbl.num_rows:
                yield batch_from_arrow(scan, tbl, rows, constants)
    except (pa.ArrowException, OSError) as exc:
        raise ReadError(src.path, f"ORC read failed: {exc}") from exc
    yield TableProfiles(scan)
