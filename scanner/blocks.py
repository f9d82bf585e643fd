"""Columnar findings of table batches: one array entry per finding, each distinct hit once.

A dense table repeats its values (a customer's e-mail on every order), and `--full` finds
millions of them: one Python object per finding cost more than detecting the distinct
values. A batch's detections therefore travel as arrays instead of objects:

* `DetectionBlock` (detector -> classifier): `row`, `col` (position in `columns`) and `hit`
  (index into `hits`, the distinct `(start, end, entity, score, recognizer, value)` tuples).
* `FindingBlock` (classifier -> reporter): per finding `row`, `col` and `kind`; per kind
  (a distinct finding without its position) the offsets, the class (entity, categories,
  sensitive flag, score, recognizer), the masked preview and the sha256 digest, as columns.
  It holds no raw value, crosses from a worker as an `.npz` file (`save`/`load`, no pickle)
  and writes JSON Lines without building a Finding or a dict per finding (`write_jsonl`).

Both are Sequences: iterating yields exactly the Detection/Finding objects the list path
builds (tested), so every other consumer (baselines, state file, Spark, the Python API) keeps
working unchanged. `scanner.classify.classify_block` turns one into the other.

`JsonlPart` is the third form findings travel in: a worker's list of (log) findings already
rendered as JSON Lines bytes, for a consumer that only writes them (`iter_results(render=True)`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO, TypeVar, overload

import numpy as np

from scanner.records import Detection, Finding
from scanner.streams import write_utf8

#: (start, end, entity, score, recognizer, raw value) of one distinct detection
Hit = tuple[int, int, str, float, str, str]
#: what many findings share: entity, categories, sensitive flag, score, recognizer
Class = tuple[str, tuple[str, ...], bool, float, str]

#: findings per JSON Lines write (bounds the text held at once)
WRITE_CHUNK = 1 << 16


T = TypeVar("T")


class _Rows(Sequence[T]):
    """A Sequence over the per-row arrays of a block; subclasses build item `i` (`_at`)."""

    row: np.ndarray

    def __len__(self) -> int:
        """Number of rows (detections or findings)."""
        return len(self.row)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        """Item `i` (or a list for a slice), built on demand."""
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        return self._at(range(len(self))[i])  # negative indices, IndexError past the end

    def _at(self, i: int) -> T:
        raise NotImplementedError


@dataclass(eq=False)
class DetectionBlock(_Rows[Detection]):
    """The detections of one table batch, as columns (see the module docstring)."""

    path: str
    columns: list[str]
    hits: list[Hit]
    row: np.ndarray
    col: np.ndarray
    hit: np.ndarray

    def _at(self, i: int) -> Detection:
        h = self.hits[int(self.hit[i])]
        return Detection(self.path, None, int(self.row[i]), self.columns[int(self.col[i])], *h)

    def __iter__(self) -> Iterator[Detection]:
        """Detections in block order."""
        path, columns, hits = self.path, self.columns, self.hits
        for r, c, h in zip(self.row.tolist(), self.col.tolist(), self.hit.tolist(), strict=True):
            yield Detection(path, None, r, columns[c], *hits[h])

    def select(self, keep: Callable[[Hit], bool]) -> DetectionBlock:
        """The detections whose hit passes `keep` (called once per distinct hit)."""
        ok = np.fromiter((bool(keep(h)) for h in self.hits), dtype=bool, count=len(self.hits))
        if ok.all():
            return self
        m = ok[self.hit]
        return DetectionBlock(self.path, self.columns, self.hits, self.row[m], self.col[m], self.hit[m])

    def sorted(self) -> DetectionBlock:
        """Sorted by row, column position (first of equal names), start, end, entity,
        recognizer, descending score; stable, like sorting the Detection list with that key."""
        if len(self) < 2:
            return self
        first: dict[str, int] = {}
        for i, name in enumerate(self.columns):
            first.setdefault(name, i)
        colpos = np.asarray([first[n] for n in self.columns], dtype=np.int64)
        order = sorted(range(len(self.hits)), key=lambda i: _hit_key(self.hits[i]))
        rank = np.empty(len(self.hits), dtype=np.int64)
        rank[order] = np.arange(len(order))
        idx = np.lexsort((rank[self.hit], colpos[self.col], self.row))
        return DetectionBlock(self.path, self.columns, self.hits, self.row[idx], self.col[idx], self.hit[idx])


def _hit_key(h: Hit) -> tuple[Any, ...]:
    return (h[0], h[1], h[2], h[4], -h[3])


def column_hits(
    rows: np.ndarray, cell_u: np.ndarray, per_u: dict[int, tuple[Hit, ...]]
) -> tuple[list[Hit], np.ndarray, np.ndarray]:
    """Fan the hits of distinct values out to cells, in cell order (hits of a cell in order).

    `rows[i]` is the data row of cell i, `cell_u[i]` the index of its distinct value; returns
    the column's hit table, and per detection its row and its index into that table.
    """
    table: list[Hit] = []
    first = np.zeros(int(cell_u.max()) + 1 if len(cell_u) else 0, dtype=np.int64)
    count = np.zeros_like(first)
    for u, hits in per_u.items():
        if u < len(first):
            first[u] = len(table)
            count[u] = len(hits)
            table.extend(hits)
    k = count[cell_u]
    keep = k > 0
    rows, cell_u, k = rows[keep], cell_u[keep], k[keep]
    out_rows = np.repeat(rows, k)
    ends = np.cumsum(k)
    within = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) - np.repeat(ends - k, k)
    return table, out_rows, np.repeat(first[cell_u], k) + within


def concat_detections(
    path: str, columns: list[str], parts: Sequence[tuple[int, list[Hit], np.ndarray, np.ndarray]]
) -> DetectionBlock:
    """One block from per-column parts `(column position, hit table, rows, hit indices)`."""
    hits: list[Hit] = []
    rows, cols, idx = [], [], []
    for ci, table, r, h in parts:
        if not len(r):
            continue
        idx.append(h + len(hits))
        hits.extend(table)
        rows.append(r)
        cols.append(np.full(len(r), ci, dtype=np.int32))
    if not rows:
        empty = np.empty(0, dtype=np.int64)
        return DetectionBlock(path, columns, [], empty, np.empty(0, dtype=np.int32), empty)
    return DetectionBlock(path, columns, hits, np.concatenate(rows), np.concatenate(cols), np.concatenate(idx))


@dataclass(eq=False)
class FindingBlock(_Rows[Finding]):
    """Classified findings of table batches, as columns (see the module docstring).

    A *kind* is a distinct finding without its position: offsets, class, masked preview and
    the digest of the raw value; a *class* is what many kinds share: entity, categories,
    sensitive flag, score and recognizer.
    """

    path: str
    columns: list[str]
    classes: list[Class]
    # per kind
    k_start: np.ndarray
    k_end: np.ndarray
    k_class: np.ndarray
    k_preview: list[str]
    k_digest: np.ndarray  # (kinds, 32) uint8: sha256 of the raw value
    # per finding
    row: np.ndarray
    col: np.ndarray
    kind: np.ndarray

    def _at(self, i: int) -> Finding:
        k = int(self.kind[i])
        ent, cats, sens, score, rec = self.classes[int(self.k_class[k])]
        return Finding(
            self.path, None, int(self.row[i]), self.columns[int(self.col[i])], int(self.k_start[k]),
            int(self.k_end[k]), ent, cats, sens, score, rec, self.k_preview[k], self.k_digest[k].tobytes().hex(),
        )

    def __iter__(self) -> Iterator[Finding]:
        """Findings in block order (the objects `classify` would have built)."""
        path, columns, classes, previews = self.path, self.columns, self.classes, self.k_preview
        starts, ends, kcls = self.k_start.tolist(), self.k_end.tolist(), self.k_class.tolist()
        hexes: dict[int, str] = {}
        for r, c, k in zip(self.row.tolist(), self.col.tolist(), self.kind.tolist(), strict=True):
            ent, cats, sens, score, rec = classes[kcls[k]]
            dig = hexes.get(k)
            if dig is None:
                dig = hexes[k] = self.k_digest[k].tobytes().hex()
            yield Finding(path, None, r, columns[c], starts[k], ends[k], ent, cats, sens, score, rec, previews[k], dig)

    def one_per_class(self) -> list[Finding]:
        """One finding per class present (entity, categories and flag decide a `--fail-on` gate)."""
        if not len(self):
            return []
        _, first = np.unique(self.k_class[self.kind], return_index=True)
        return [self[int(i)] for i in np.sort(first)]

    def sensitive_count(self) -> int:
        """How many findings are sensitive."""
        if not len(self):
            return 0
        flags = np.asarray([c[2] for c in self.classes], dtype=bool)
        return int(np.count_nonzero(flags[self.k_class[self.kind]]))

    def write_jsonl(self, stream: TextIO) -> int:
        """Write the findings as JSON Lines, byte-identical to `Finding.to_dict()` encoded
        one by one; return how many were written.

        Each line is joined in Arrow from pieces encoded once: per block (path), per column,
        per kind (offsets, preview) and per class (entity ... recognizer); no per-finding Python.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(self)
        if not n:
            return 0
        enc = json.JSONEncoder(ensure_ascii=False).encode
        text = pa.large_string()
        head = pa.scalar(enc({"path": self.path, "line": None})[:-1] + ', "row": ', text)
        col_part = pa.array([f', "column": {enc(c)}, "start": ' for c in self.columns], text)
        end_part = pa.scalar(', "end": ', text)
        class_part = pa.array([
            f', "entity": {enc(e)}, "categories": {enc(list(c))}, "sensitive": {enc(s)}, '
            f'"score": {enc(round(sc, 3))}, "recognizer": {enc(r)}, "preview": '
            for e, c, s, sc, r in self.classes
        ], text)
        close = pa.scalar("}\n", text)
        starts = pc.cast(pa.array(self.k_start), text)
        ends = pc.cast(pa.array(self.k_end), text)
        previews = pa.array(self.k_preview, text)
        plain = pc.invert(pc.match_substring_regex(previews, r'[\x00-\x1f"\\]'))
        if pc.all(plain).as_py():
            quote = pa.scalar('"', text)
            quoted = pc.binary_join_element_wise(quote, previews, quote, pa.scalar("", text))
        else:  # a preview needing escapes: encoded one by one (rare)
            quoted = pa.array([enc(p) for p in self.k_preview], text)
        k_class = pa.array(self.k_class)
        empty = pa.scalar("", text)
        for lo in range(0, n, WRITE_CHUNK):
            hi = min(n, lo + WRITE_CHUNK)
            kind = pa.array(self.kind[lo:hi])
            lines = pc.binary_join_element_wise(
                head, pc.cast(pa.array(self.row[lo:hi]), text), pc.take(col_part, pa.array(self.col[lo:hi])),
                pc.take(starts, kind), end_part, pc.take(ends, kind),
                pc.take(class_part, pc.take(k_class, kind)), pc.take(quoted, kind), close, empty,
            )
            write_utf8(stream, _joined(lines))
        return n

    _ARRAYS = ("k_start", "k_end", "k_class", "k_digest", "row", "col", "kind")

    def save(self, fh: BinaryIO) -> None:
        """Write the block as an `.npz` archive: numpy arrays plus one JSON document for the
        strings (no pickle: `load` never executes anything it reads)."""
        meta = {
            "path": self.path, "columns": self.columns, "previews": self.k_preview,
            "classes": [[e, list(c), s, sc, r] for e, c, s, sc, r in self.classes],
        }
        raw = json.dumps(meta, ensure_ascii=False).encode("utf-8", "surrogatepass")
        arrays = {name: getattr(self, name) for name in self._ARRAYS}
        np.savez(fh, meta=np.frombuffer(raw, dtype=np.uint8), **arrays)

    @classmethod
    def load(cls, fh: BinaryIO) -> FindingBlock:
        """Read a block written by `save` (arrays only: `allow_pickle=False`)."""
        with np.load(fh, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("utf-8", "surrogatepass"))
            arrays = {name: z[name] for name in cls._ARRAYS}
        classes = [(e, tuple(c), bool(s), float(sc), r) for e, c, s, sc, r in meta["classes"]]
        return cls(meta["path"], meta["columns"], classes, k_preview=meta["previews"], **arrays)

    @staticmethod
    def concat(blocks: Sequence[FindingBlock]) -> FindingBlock:
        """One block holding `blocks` in order (same path; columns, classes and kinds merged)."""
        if len(blocks) == 1:
            return blocks[0]
        where_col: dict[str, int] = {}
        where_cls: dict[Class, int] = {}
        rows, cols, ks = [], [], []
        starts, ends, kcls, digests = [], [], [], []
        previews: list[str] = []
        nk = 0
        for b in blocks:
            col_map = np.asarray([where_col.setdefault(c, len(where_col)) for c in b.columns] or [0], dtype=np.int32)
            cls_map = np.asarray([where_cls.setdefault(c, len(where_cls)) for c in b.classes] or [0], dtype=np.int32)
            rows.append(b.row)
            cols.append(col_map[b.col])
            ks.append(b.kind + nk)
            starts.append(b.k_start)
            ends.append(b.k_end)
            kcls.append(cls_map[b.k_class])
            digests.append(b.k_digest)
            previews.extend(b.k_preview)
            nk += len(b.k_preview)
        return FindingBlock(
            blocks[0].path, list(where_col), list(where_cls), np.concatenate(starts), np.concatenate(ends),
            np.concatenate(kcls), previews, np.concatenate(digests), np.concatenate(rows), np.concatenate(cols),
            np.concatenate(ks),
        )


def _joined(lines: Any) -> memoryview:
    """The UTF-8 bytes of a large_string array whose values all end in a newline, as one
    view (no copy)."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    data = lines.buffers()[2]
    lo, hi = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    return memoryview(data)[lo:hi]


@dataclass(eq=False)
class JsonlPart:
    """Findings already rendered as JSON Lines (by a worker process, for a JSON Lines stream).

    Rendering where the findings are made spares the parent process unpickling and encoding
    every finding (it only writes `data`, UTF-8). Not a Sequence of findings: only what the stream's
    consumer needs travels along, the count, the sensitive count and one finding per class
    (a `--fail-on` gate looks at entity, categories and flag). Consumers that need the
    findings themselves (baselines, other formats) do not ask for rendering.
    """

    data: bytes
    count: int
    sensitive: int
    classes: list[Finding]

    def __len__(self) -> int:
        """Number of findings."""
        return self.count

    def one_per_class(self) -> list[Finding]:
        """One finding per (entity, categories, sensitive flag) present."""
        return self.classes

    def sensitive_count(self) -> int:
        """How many findings are sensitive."""
        return self.sensitive

    @staticmethod
    def concat(parts: Sequence[JsonlPart]) -> JsonlPart:
        """One part holding `parts` in order."""
        seen: dict[tuple[str, tuple[str, ...], bool], Finding] = {}
        for p in parts:
            for f in p.classes:
                seen.setdefault((f.entity, f.categories, f.sensitive), f)
        return JsonlPart(
            b"".join(p.data for p in parts), sum(p.count for p in parts), sum(p.sensitive for p in parts),
            list(seen.values()),
        )
