"""Orchestration: sources -> readers -> detect -> classify, per file, in parallel.

`iter_results()` yields one `FileResult` per source in a deterministic order (the order
the sources were named and walked), whatever the number of workers. Per-file errors become
`FileIssue`s; nothing a file contains can stop the scan.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from recognizers.registry import build_recognizers
from scanner.classify import classify
from scanner.detect import Detector, LineDetector
from scanner.errors import ReadError
from scanner.policy import Policy, load_policy
from scanner.readers import reader_for
from scanner.readers.text import MAX_DECOMPRESSED, SkipFile
from scanner.records import (
    ColumnProfile,
    FileIssue,
    Finding,
    ScanResult,
    TextChunk,
)
from scanner.sources import Source, iter_sources

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanOptions:
    """Everything that shapes a scan (picklable: sent to worker processes)."""

    min_score: float = 0.5
    entities: frozenset[str] | None = None
    policy: str = "california"
    nlp: str = "auto"
    workers: int = 1
    exclude: tuple[str, ...] = ()
    max_decompressed: int = MAX_DECOMPRESSED
    sample_rows: int = 1000
    full: bool = False
    seed: int = 0
    use_hyperscan: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileResult:
    """What scanning one source produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    columns: list[ColumnProfile] = field(default_factory=list)
    issue: FileIssue | None = None
    bytes_read: int = 0
    cells: int = 0


def line_detectors(opts: ScanOptions) -> list[LineDetector]:
    """NLP and gazetteer detectors for the chosen `--nlp` mode (from `models/`)."""
    try:
        from models import line_detectors as model_detectors
    except ImportError:  # pragma: no cover - models/ is part of the distribution
        return []
    found: list[LineDetector] = model_detectors(opts.nlp, opts.entities)
    return found


def build_detector(opts: ScanOptions) -> Detector:
    """The detector for `opts`: pattern recognizers plus the NLP line detectors."""
    recs = build_recognizers(set(opts.entities) if opts.entities else None)
    return Detector(
        recs,
        min_score=opts.min_score,
        line_detectors=line_detectors(opts),
        use_hyperscan=opts.use_hyperscan,
    )


class Engine:
    """One process's scanning state: detector and policy, built once."""

    def __init__(self, opts: ScanOptions) -> None:
        """Build the detector and load the policy."""
        self.opts = opts
        self.policy: Policy = load_policy(opts.policy)
        self.detector = build_detector(opts)

    def scan_source(self, src: Source) -> FileResult:
        """Scan one source; never raises for a problem with the file itself."""
        result = FileResult(path=src.path, bytes_read=src.size)
        reader = reader_for(src.path)
        try:
            for unit in reader(src, self.opts):
                if isinstance(unit, TextChunk):
                    dets = self.detector.detect_text(unit.path, unit.text, unit.first_line, unit.first_col)
                    if not src.size:
                        result.bytes_read += len(unit.text.encode("utf-8", "replace"))
                else:  # table units know how to run the detector over their cells
                    dets, profiles, cells = unit.detect(self.detector, self.policy, self.opts)
                    result.columns.extend(profiles)
                    result.cells += cells
                if self.opts.entities:
                    dets = [d for d in dets if d.entity in self.opts.entities]
                result.findings.extend(classify(dets, self.policy))
        except SkipFile as exc:
            result.issue = FileIssue(src.path, "skipped", str(exc))
        except ReadError as exc:
            result.issue = FileIssue(src.path, "error", exc.reason)
        except MemoryError:
            result.issue = FileIssue(src.path, "error", "out of memory while reading")
        except RecursionError:
            result.issue = FileIssue(src.path, "error", "structure nested too deeply")
        except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the scan
            logger.debug("unexpected error in %s", src.path, exc_info=True)
            result.issue = FileIssue(src.path, "error", f"unexpected {type(exc).__name__}: {exc}")
        return result


_ENGINE: Engine | None = None


def _init_worker(opts: ScanOptions) -> None:
    global _ENGINE
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    _ENGINE = Engine(opts)


def _scan_in_worker(src: Source) -> FileResult:
    assert _ENGINE is not None
    return _ENGINE.scan_source(src)


def default_workers() -> int:
    """Default `--workers`: the number of usable cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def iter_results(
    paths: Sequence[str],
    opts: ScanOptions,
    engine: Engine | None = None,
    sources: Iterable[Source | FileIssue | FileResult] | None = None,
) -> Iterator[FileResult]:
    """Scan `paths`; yield a FileResult per source (and per unreadable path), in order.

    `sources` replaces the walk of `paths`; FileResults in it pass through unchanged (results
    an incremental scan kept from its state file). `opts.extra["storage_options"]` goes to
    fsspec for URLs.
    """
    items = sources if sources is not None else iter_sources(
        paths, opts.exclude, opts.extra.get("storage_options")
    )
    if opts.workers <= 1:
        eng = engine
        for item in items:
            if isinstance(item, FileResult):
                yield item
            elif isinstance(item, FileIssue):
                yield FileResult(path=item.path, issue=item)
            else:
                eng = eng or Engine(opts)
                yield eng.scan_source(item)
        return
    window = opts.workers * 2
    with ProcessPoolExecutor(max_workers=opts.workers, initializer=_init_worker, initargs=(opts,)) as pool:
        pending: list[FileResult | Future[FileResult]] = []
        try:
            for item in items:
                if isinstance(item, FileResult):
                    pending.append(item)
                elif isinstance(item, FileIssue):
                    pending.append(FileResult(path=item.path, issue=item))
                elif item.fs_path == "-":
                    eng = engine or Engine(opts)
                    pending.append(eng.scan_source(item))
                else:
                    pending.append(pool.submit(_scan_in_worker, item))
                while len(pending) > window or (pending and not isinstance(pending[0], Future)):
                    head = pending.pop(0)
                    yield head.result() if isinstance(head, Future) else head
            for head in pending:
                yield head.result() if isinstance(head, Future) else head
        except BaseException:
            for p in pending:
                if isinstance(p, Future):
                    p.cancel()
            raise


def scan(paths: Sequence[str], opts: ScanOptions | None = None) -> ScanResult:
    """Scan `paths` and collect everything (convenient for tests and the Python API)."""
    opts = opts or ScanOptions()
    out = ScanResult()
    for fr in iter_results(paths, opts):
        add_result(out, fr)
    return out


def add_result(out: ScanResult, fr: FileResult, keep_findings: bool = True) -> None:
    """Fold one FileResult into a ScanResult's lists and counters.

    With `keep_findings` False only the counters grow (streamed JSON Lines output).
    """
    out.stats.findings += len(fr.findings)
    out.stats.sensitive_findings += sum(1 for f in fr.findings if f.sensitive)
    if keep_findings:
        out.findings.extend(fr.findings)
    out.columns.extend(fr.columns)
    out.stats.cells_scanned += fr.cells
    if fr.issue is not None:
        out.issues.append(fr.issue)
        if fr.issue.kind == "error":
            out.stats.files_failed += 1
        else:
            out.stats.files_skipped += 1
    else:
        out.stats.files_scanned += 1
        out.stats.bytes_read += fr.bytes_read
