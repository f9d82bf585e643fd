"""Python API: scan paths, pandas DataFrames and Spark DataFrames; results as DataFrames.

Every function returns `ScanFrames(findings, columns, issues)`: findings with exactly the
findings-contract columns (`FINDING_KEYS`), column profiles (`ColumnProfile.to_dict()`
columns) and per-file issues. pandas in, pandas out; Spark in, Spark out.

    >>> from scanner.api import scan_paths, scan_dataframe
    >>> res = scan_paths(["s3://lake/raw/2026/"], state="raw.state")   # doctest: +SKIP
    >>> res.findings.groupby("entity").size()                          # doctest: +SKIP

    >>> import pandas as pd
    >>> df = pd.DataFrame({"email": ["alice@example.com", None], "note": ["hello", "hi"]})
    >>> res = scan_dataframe(df, name="crm.contacts")
    >>> res.findings[["row", "column", "entity", "preview"]].to_dict("records")
    [{'row': 0, 'column': 'email', 'entity': 'EMAIL_ADDRESS', 'preview': 'a***@example.com'}]
    >>> res.columns[["column", "entity", "match_ratio"]].iloc[0].to_dict()
    {'column': 'email', 'entity': 'EMAIL_ADDRESS', 'match_ratio': 1.0}

    >>> from scanner.api import scan_spark_dataframe                   # doctest: +SKIP
    >>> res = scan_spark_dataframe(spark.read.parquet("s3a://lake/crm/"), name="crm")  # doctest: +SKIP
    >>> res.findings.write.json("s3a://lake/piimap/crm/findings")      # doctest: +SKIP

DataFrame scans look at every non-null cell (or the first `rows` rows): values are turned
into text, each column is scanned with its name as context (`Detector.detect_cells`), and a
row's detections are classified together (record rules see the whole row). A column profile
names the entity found in most of the column's rows, with `match_ratio` = rows with that
entity / non-null rows scanned.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple, cast

from scanner.classify import classify
from scanner.pipeline import Engine, FileResult, ScanOptions, add_result, iter_results
from scanner.policy import Policy
from scanner.records import FINDING_KEYS, ColumnProfile, Finding, ScanResult
from scanner.sources import Source, sources_for

logger = logging.getLogger(__name__)

COLUMN_KEYS = ("path", "column", "entity", "categories", "sensitive", "match_ratio", "sampled", "score", "evidence")
ISSUE_KEYS = ("path", "kind", "message")
#: rows scanned per detector call in DataFrame scans (bounds memory, keeps calls large)
CELL_CHUNK = 10_000

#: per column: (non-null cells scanned, rows per entity)
Tally = dict[str, tuple[int, Counter[str]]]


class ScanFrames(NamedTuple):
    """Findings, column profiles and issues as DataFrames (pandas or Spark)."""

    findings: Any
    columns: Any
    issues: Any


_ENGINES: list[tuple[ScanOptions, Engine]] = []


def engine_for(opts: ScanOptions) -> Engine:
    """This process's Engine for `opts`, built on first use (models load once per process).

    Options that only shape listing and parallelism (workers, exclude, storage options) do
    not make a new Engine.
    """
    extra = {k: v for k, v in opts.extra.items() if k != "storage_options"}
    key = replace(opts, workers=1, exclude=(), extra=extra)
    for known, engine in _ENGINES:
        if known == key:
            return engine
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    engine = Engine(key)
    _ENGINES.append((key, engine))
    del _ENGINES[:-4]  # a long-lived executor serving many different scans stays bounded
    return engine


class _CachedEngine:
    """Builds (or reuses) this process's Engine only when a file really has to be read."""

    def __init__(self, opts: ScanOptions) -> None:
        self.opts = opts

    def scan_source(self, src: Source, columnar: bool = False) -> FileResult:
        """Scan one source with the cached Engine (see `Engine.scan_source`)."""
        engine = engine_for(self.opts)
        return engine.scan_source(src, columnar) if columnar else engine.scan_source(src)

    def iter_source(self, src: Source, part_findings: int, columnar: bool = False) -> Iterator[FileResult]:
        """Scan one source in parts with the cached Engine (see `Engine.iter_source`)."""
        return engine_for(self.opts).iter_source(src, part_findings, columnar)

    def scan_piece(self, src: Source, start: int, end: int, first_line: int) -> FileResult:
        """Scan one piece of a large text file (see `pipeline.split_points`) with the cached Engine."""
        return engine_for(self.opts).scan_piece(src, start, end, first_line)


def make_options(options: ScanOptions | None = None, **overrides: Any) -> ScanOptions:
    """ScanOptions from a base (default: one worker, in-process) and keyword overrides."""
    base = options or ScanOptions(workers=1)
    if overrides.get("entities") is not None:
        overrides["entities"] = frozenset(e.upper() for e in overrides["entities"])
    if "exclude" in overrides:
        overrides["exclude"] = tuple(overrides["exclude"])
    return replace(base, **overrides) if overrides else base


def iter_scan(
    paths: Sequence[str],
    opts: ScanOptions,
    *,
    engine: str = "local",
    state: str | None = None,
    spark: Any = None,
    parts: bool = False,
    render: bool = False,
) -> Iterator[FileResult]:
    """FileResults for `paths` on the local or Spark engine, incremental when `state` is a file.

    `parts`: a file's findings may come in several FileResults (`final=False` but the last; see
    `pipeline.iter_results`), local engine without a state file only (the state file and Spark
    deal in whole files). `render`: with `parts`, worker processes may hand findings over as
    JSON Lines (`blocks.JsonlPart`), for a consumer that only writes them.
    """
    from scanner.state import ScanState

    st = ScanState(state, opts) if state else None
    try:
        planned = None
        if st is not None:
            planned = st.plan(sources_for(paths, opts))
        if engine == "spark":
            from scanner.spark import iter_results_spark

            results: Iterable[FileResult] = iter_results_spark(paths, opts, spark, sources=planned)
        else:
            local = cast(Engine, _CachedEngine(opts))
            results = iter_results(
                paths, opts, engine=local, sources=planned, parts=parts and st is None,
                render=render and st is None,
            )
        yield from (st.track(results) if st is not None else results)
    finally:
        if st is not None:
            logger.info(
                "state %s: %d unchanged objects reused, %d scanned, %d recorded",
                st.path, st.stats.reused, st.stats.scanned, st.stats.recorded,
            )
            st.close()


def scan_paths(
    paths: str | Sequence[str],
    *,
    options: ScanOptions | None = None,
    storage_options: Mapping[str, Any] | None = None,
    state: str | None = None,
    engine: str = "local",
    spark: Any = None,
    **overrides: Any,
) -> ScanFrames:
    """Scan files, folders or URLs (s3://bucket/prefix ...) into pandas DataFrames.

    `overrides` are ScanOptions fields (policy=, min_score=, nlp=, workers=, entities= ...);
    `storage_options` go to fsspec (e.g. {"anon": True} or {"client_kwargs": {...}});
    `state` is a state file for incremental, resumable scans; `engine` "local" or "spark".
    """
    opts = make_options(options, **overrides)
    if storage_options:
        opts = replace(opts, extra={**opts.extra, "storage_options": dict(storage_options)})
    result = ScanResult()
    names = [paths] if isinstance(paths, str) else list(paths)
    for fr in iter_scan(names, opts, engine=engine, state=state, spark=spark):
        add_result(result, fr)
    return result_frames(result)


def result_frames(result: ScanResult) -> ScanFrames:
    """A ScanResult as pandas DataFrames."""
    return ScanFrames(
        findings=findings_frame(result.findings),
        columns=columns_frame(result.columns),
        issues=_frame([i.to_dict() for i in result.issues], ISSUE_KEYS),
    )


def findings_frame(findings: Iterable[Finding]) -> Any:
    """Findings as a pandas DataFrame with exactly the contract columns."""
    df = _frame([f.to_dict() for f in findings], FINDING_KEYS)
    return df.astype({"line": "Int64", "row": "Int64", "start": "int64", "end": "int64"})


def columns_frame(profiles: Iterable[ColumnProfile]) -> Any:
    """Column profiles as a pandas DataFrame."""
    return _frame([p.to_dict() for p in profiles], COLUMN_KEYS)


def _frame(rows: list[dict[str, Any]], keys: Sequence[str]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows, columns=list(keys))


# --- DataFrames ----------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def scan_rows(
    engine: Engine, name: str, columns: Sequence[str], rows: Iterable[tuple[int, Sequence[Any]]]
) -> tuple[list[Finding], Tally]:
    """Scan table rows `(row number, values)`; return findings (row, column order) and a tally."""
    tally: Tally = {c: (0, Counter()) for c in columns}
    order = {c: i for i, c in enumerate(columns)}
    findings: list[Finding] = []
    chunk: list[tuple[int, Sequence[Any]]] = []

    def flush() -> None:
        dets = []
        for ci, col in enumerate(columns):
            idxs: list[int] = []
            vals: list[str] = []
            for r, values in chunk:
                v = values[ci]
                if not _missing(v):
                    idxs.append(r)
                    vals.append(_text(v))
            seen, counter = tally[col]
            tally[col] = (seen + len(vals), counter)
            if not vals:
                continue
            found = engine.detector.detect_cells(name, col, idxs, vals)
            if engine.opts.entities:
                found = [d for d in found if d.entity in engine.opts.entities]
            for ent in {d.entity for d in found}:
                counter[ent] += len({d.row for d in found if d.entity == ent})
            dets.extend(found)
        findings.extend(classify(dets, engine.policy))
        chunk.clear()

    for item in rows:
        chunk.append(item)
        if len(chunk) >= CELL_CHUNK:
            flush()
    if chunk:
        flush()
    findings.sort(key=lambda f: (f.row, order.get(f.column or "", 0), f.start, f.end, f.entity))
    return findings, tally


def profiles(name: str, columns: Sequence[str], tally: Tally, policy: Policy) -> list[ColumnProfile]:
    """Column profiles from a tally: the entity found in most rows, and its match ratio."""
    out = []
    for col in columns:
        seen, counter = tally.get(col, (0, Counter()))
        if not counter or not seen:
            out.append(ColumnProfile(name, col, None, (), False, 0.0, seen))
            continue
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        entity, hits = ranked[0]
        out.append(
            ColumnProfile(
                path=name,
                column=col,
                entity=entity,
                categories=policy.categories_for(entity),
                sensitive=entity in policy.sensitive_entities,
                match_ratio=hits / seen,
                sampled=seen,
                evidence=tuple(f"values:{e}={n}/{seen}" for e, n in ranked),
            )
        )
    return out


def merge_tallies(parts: Iterable[Tally]) -> Tally:
    """Add up tallies of disjoint row ranges (Spark partitions)."""
    total: Tally = {}
    for part in parts:
        for col, (seen, counter) in part.items():
            s, c = total.get(col, (0, Counter()))
            total[col] = (s + seen, c + counter)
    return total


def scan_dataframe(
    df: Any,
    *,
    name: str = "dataframe",
    options: ScanOptions | None = None,
    rows: int | None = None,
    **overrides: Any,
) -> ScanFrames:
    """Scan a pandas DataFrame (every row, or the first `rows`): pandas DataFrames out.

    `name` is the `path` of findings and profiles; `row` is the 0-based row position.
    """
    opts = make_options(options, **overrides)
    engine = engine_for(opts)
    frame = df if rows is None else df.head(rows)
    columns = [str(c) for c in frame.columns]
    items = enumerate(frame.itertuples(index=False, name=None))
    findings, tally = scan_rows(engine, name, columns, items)
    return ScanFrames(
        findings=findings_frame(findings),
        columns=columns_frame(profiles(name, columns, tally, engine.policy)),
        issues=_frame([], ISSUE_KEYS),
    )


def scan_spark_dataframe(
    sdf: Any,
    *,
    name: str = "dataframe",
    options: ScanOptions | None = None,
    **overrides: Any,
) -> ScanFrames:
    """Scan a Spark DataFrame on its executors: Spark DataFrames out (same results as pandas).

    Rows are numbered in the DataFrame's order (`zipWithIndex`); every row is scanned.
    """
    from pyspark.sql import types as T

    from scanner.policy import load_policy
    from scanner.spark import column_schema, finding_schema, issue_schema

    opts = make_options(options, **overrides)
    spark = sdf.sparkSession
    columns = [str(c) for c in sdf.columns]

    def run(part: Iterable[tuple[Any, int]]) -> Iterator[tuple[str, Any]]:
        engine = engine_for(opts)
        order = {c: i for i, c in enumerate(columns)}
        found, tally = scan_rows(engine, name, columns, ((idx, tuple(row)) for row, idx in part))
        for f in found:
            yield "f", (*f.to_dict().values(), order[f.column or ""])
        yield "t", tally

    tagged = sdf.rdd.zipWithIndex().mapPartitions(run).cache()
    tally = merge_tallies(t for kind, t in tagged.filter(lambda kv: kv[0] == "t").collect())
    schema = T.StructType([*finding_schema().fields, T.StructField("_col", T.LongType(), False)])
    findings = (
        spark.createDataFrame(tagged.filter(lambda kv: kv[0] == "f").map(lambda kv: kv[1]), schema)
        .orderBy("row", "_col", "start", "end", "entity")
        .drop("_col")
    )
    profs = profiles(name, columns, tally, load_policy(opts.policy))
    cols = spark.createDataFrame([tuple(p.to_dict().values()) for p in profs], column_schema())
    issues = spark.createDataFrame([], issue_schema())
    return ScanFrames(findings=findings, columns=cols, issues=issues)


__all__ = [
    "ScanFrames",
    "engine_for",
    "iter_scan",
    "make_options",
    "scan_dataframe",
    "scan_paths",
    "scan_spark_dataframe",
]
