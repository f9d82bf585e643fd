"""Orchestration: sources -> readers -> detect -> classify, per file, in parallel.

`iter_results()` yields one `FileResult` per source in a deterministic order (the order
the sources were named and walked), whatever the number of workers. Per-file errors become
`FileIssue`s; nothing a file contains can stop the scan.
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from recognizers.registry import build_recognizers
from scanner.blocks import DetectionBlock, FindingBlock, JsonlPart
from scanner.classify import BLOCK_MAX_RULES, classify, classify_block
from scanner.detect import Detector, LineDetector
from scanner.errors import ReadError, SkipFile
from scanner.filters import load_allowlist
from scanner.mask import redact
from scanner.policy import Policy, load_policy
from scanner.readers import reader_for
from scanner.readers.text import (
    MAX_DECOMPRESSED,
    SAMPLE_BYTES,
    detect_encoding,
    is_binary,
    read_range,
    read_text,
)
from scanner.records import (
    ColumnProfile,
    FileIssue,
    Finding,
    ScanResult,
    TextChunk,
)
from scanner.sources import Source, sources_for

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
    #: JSON and JSON Lines are sampled too (`--sample` given); by default every record is scanned
    sample_json: bool = False
    full: bool = False
    seed: int = 0
    use_hyperscan: bool = True
    allowlist: str | None = None  # path of an allowlist YAML (scanner/filters.py)
    #: follow symbolic links out of a folder scanned (`--follow-symlinks`)
    follow_symlinks: bool = False
    #: (device, inode) of files never read: the report being written into a scanned folder
    skip_files: tuple[tuple[int, int], ...] = ()
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
    #: False for an early part of a file's findings (`iter_results(parts=True)`): more parts of
    #: the same file follow, and the last (final) one carries columns, issue and counters
    final: bool = True
    #: the earlier parts of this file, in order: files a worker spilled them to, or the parts
    #: themselves (the scheduler reads and deletes the files before this result is handed on)
    spilled: list[str | FileResult] = field(default_factory=list)


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


class _ReaderWarnings(logging.Handler):
    """Takes the warnings readers log about one file (`logger.warning("%s: ...", path)`) while
    it is scanned, in whichever process scans it, so that they reach the file's report entry
    (a worker's log reached its stderr alone). Attached to the `scanner.readers` logger, so it
    sees a record before the CLI's handler on `scanner`, which leaves records taken here alone."""

    def __init__(self, path: str) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.levelno != logging.WARNING or not args or args[0] != self.path:
            return
        msg = record.getMessage()
        if msg.startswith(self.path + ": "):
            self.messages.append(msg[len(self.path) + 2 :])
            record.piimap_taken = True

    def issue(self) -> FileIssue | None:
        """One warning for the file: the first message, and how many more there were."""
        if not self.messages:
            return None
        first, more = self.messages[0], len(self.messages) - 1
        return FileIssue(self.path, "warning", first + (f" (and {more} more warnings)" if more else ""))


_READERS_LOG = logging.getLogger("scanner.readers")


class Engine:
    """One process's scanning state: detector and policy, built once."""

    allowlist: Any = None  # set in __init__; the class default serves engines built by tests

    def __init__(self, opts: ScanOptions) -> None:
        """Build the detector and load the policy."""
        self.opts = opts
        self.policy: Policy = load_policy(opts.policy)
        self.detector = build_detector(opts)
        self.allowlist = load_allowlist(opts.allowlist) if opts.allowlist else None

    def scan_source(self, src: Source, columnar: bool = False) -> FileResult:
        """Scan one source; never raises for a problem with the file itself.

        `columnar`: a table's findings may come as one `FindingBlock` (a Sequence of Finding,
        compact to pickle and fast to write as JSON Lines) instead of a list.
        """
        units = lambda: reader_for(src.path)(src, self.opts)  # noqa: E731
        return next(self._iter_units(src, units, src.size, None, columnar))

    def scan_piece(self, src: Source, start: int, end: int, first_line: int) -> FileResult:
        """Scan bytes [start, end) of a large plain UTF-8 text file (see `split_points`)."""
        return self._scan_units(src, lambda: read_range(src, start, end, first_line), end - start)

    def iter_source(self, src: Source, part_findings: int, columnar: bool = False) -> Iterator[FileResult]:
        """Scan one source, yielding its findings in parts of about `part_findings` (the last
        part is `final`): memory stays bounded by a part, not by the file. `columnar` as in
        `scan_source`."""
        units = lambda: reader_for(src.path)(src, self.opts)  # noqa: E731
        return self._iter_units(src, units, src.size, part_findings, columnar)

    def _scan_units(self, src: Source, units: Callable[[], Iterator[Any]], size: int) -> FileResult:
        return next(self._iter_units(src, units, size, None))

    def _iter_units(
        self, src: Source, units: Callable[[], Iterator[Any]], size: int, part_findings: int | None,
        columnar: bool = False,
    ) -> Iterator[FileResult]:
        result = FileResult(path=src.path, bytes_read=size)
        blocks: list[FindingBlock] = []  # columnar table findings not yet handed out
        warned = _ReaderWarnings(src.path)
        _READERS_LOG.addHandler(warned)
        try:
            for unit in units():
                if isinstance(unit, FileIssue):  # a reader's "warning": scanned, with a caveat
                    msg = self._safe(unit.message)
                    result.issue = result.issue or FileIssue(src.path, unit.kind, msg)
                    continue
                if isinstance(unit, TextChunk):
                    dets = self.detector.detect_text(unit.path, unit.text, unit.first_line, unit.first_col)
                    if not size:
                        result.bytes_read += len(unit.text.encode("utf-8", "replace"))
                else:  # table units know how to run the detector over their cells
                    dets, profiles, cells = unit.detect(self.detector, self.policy, self.opts)
                    result.columns.extend(profiles)
                    result.cells += cells
                if isinstance(dets, DetectionBlock) and len(self.policy.record_rules) > BLOCK_MAX_RULES:
                    dets = list(dets)  # more record rules than a block's bit set holds
                if isinstance(dets, DetectionBlock):
                    found = self._classify_block(dets)
                    if columnar and not result.findings:
                        blocks.append(found)
                    else:
                        result.findings.extend(_findings(blocks))
                        blocks = []
                        result.findings.extend(found)
                else:
                    if self.opts.entities:
                        dets = [d for d in dets if d.entity in self.opts.entities]
                    if self.allowlist is not None:
                        dets = self.allowlist.filter(dets)
                    listed = classify(dets, self.policy) if dets else []
                    if listed and blocks:  # text after columnar findings: one list, in order
                        result.findings.extend(_findings(blocks))
                        blocks = []
                    result.findings.extend(listed)
                held = len(result.findings) + sum(len(b) for b in blocks)
                if part_findings is not None and held >= part_findings:
                    part = _findings(blocks) if blocks else result.findings
                    yield FileResult(path=src.path, findings=part, final=False)  # type: ignore[arg-type]
                    result.findings, blocks = [], []
        except SkipFile as exc:
            result.issue = FileIssue(src.path, "skipped", self._safe(str(exc)))
        except ReadError as exc:
            result.issue = FileIssue(src.path, "error", self._safe(exc.reason))
        except MemoryError:
            result.issue = FileIssue(src.path, "error", "out of memory while reading")
        except RecursionError:
            result.issue = FileIssue(src.path, "error", "structure nested too deeply")
        except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the scan
            # no exc_info: a parser's message may quote the file; log frames, not values
            logger.debug("unexpected %s in %s at\n%s", type(exc).__name__, src.path,
                         "".join(traceback.format_tb(exc.__traceback__)))
            msg = self._safe(f"unexpected {type(exc).__name__}: {exc}")
            result.issue = FileIssue(src.path, "error", msg)
        finally:
            _READERS_LOG.removeHandler(warned)
        logged = warned.issue()
        if logged is not None and result.issue is None:
            result.issue = FileIssue(src.path, logged.kind, self._safe(logged.message))
        if blocks:  # only blocks: findings were never a list in this result
            result.findings = _findings(blocks)  # type: ignore[assignment]
        yield result

    def _classify_block(self, dets: DetectionBlock) -> FindingBlock:
        """Entity filter, allowlist and classification of a table batch, column-wise."""
        ents = self.opts.entities
        if ents:
            dets = dets.select(lambda h: h[2] in ents)
        allow = self.allowlist
        if allow is not None and allow.rules:
            dets = dets.select(lambda h: not allow.allows(h[2], h[5]))
        return classify_block(dets, self.policy)

    def _safe(self, message: str) -> str:
        """A reader's message as it may be reported: one line, short, PII masked."""
        return redact(message, self.detector)


def _findings(blocks: list[FindingBlock]) -> Sequence[Finding]:
    """The findings of consecutive blocks of one file as one block (none: an empty list)."""
    return FindingBlock.concat(blocks) if blocks else []


_ENGINE: Engine | None = None


def tune_gc() -> None:
    """Fewer cyclic-GC passes for a scanning process (the CLI and its workers, not a library
    caller's process): findings are many small acyclic objects, and every collection of the
    oldest generation walked the whole engine (patterns, word lists, models). Frozen objects are
    never walked again; gen-0 collections run every 100,000 allocations instead of 700.
    Measured: 10% less CPU on dense logs, 20-28% on dense tables in `--full` mode."""
    import gc

    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _init_worker(opts: ScanOptions) -> None:
    global _ENGINE
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends workers it no longer needs
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    if _ENGINE is None or _ENGINE.opts != opts:  # a forked worker inherits the parent's engine
        _ENGINE = Engine(opts)
    tune_gc()


def _scan_in_worker(src: Source, spill_dir: str | None = None, render: bool = False) -> FileResult:
    """Scan one file in a worker. With `spill_dir` (results streamed in parts), the columnar
    parts but the last are written to files there (`FindingBlock.save`: numpy arrays and
    JSON, mode 0600, no pickle) and the last part lists them in order (`FileResult.spilled`):
    a dense table costs the worker and the parent one part of memory each, not the whole
    file's findings plus their pickled copy. With `render`, lists of findings travel as
    JSON Lines (`_rendered`)."""
    assert _ENGINE is not None
    if spill_dir is None:
        return _ENGINE.scan_source(src)
    spilled: list[str | FileResult] = []
    for part in _ENGINE.iter_source(src, PART_FINDINGS, columnar=True):
        if part.final:
            part.spilled = spilled
            return _rendered(part) if render else part
        if not isinstance(part.findings, FindingBlock):  # a list of findings: sent as it is
            spilled.append(_rendered(part) if render else part)
            continue
        fd, path = tempfile.mkstemp(dir=spill_dir, suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            part.findings.save(fh)
        spilled.append(path)
    raise AssertionError("a scan ends with its final part")  # pragma: no cover


def _unspill(fr: FileResult) -> Iterator[FileResult]:
    """The earlier parts a worker spilled (files read and deleted one by one), then `fr`."""
    for item in fr.spilled:
        if isinstance(item, FileResult):
            yield item
            continue
        try:
            with open(item, "rb") as fh:
                block = FindingBlock.load(fh)
        finally:
            os.unlink(item)
        yield FileResult(path=fr.path, findings=block, final=False)  # type: ignore[arg-type]
    fr.spilled = []
    yield fr


def _scan_piece_in_worker(src: Source, start: int, end: int, first_line: int, render: bool = False) -> FileResult:
    assert _ENGINE is not None
    fr = _ENGINE.scan_piece(src, start, end, first_line)
    return _rendered(fr) if render else fr


def _rendered(fr: FileResult) -> FileResult:
    """`fr` with a list of findings replaced by its JSON Lines (`JsonlPart`): a worker encodes
    its own findings, and the parent, which only writes them, neither unpickles nor encodes
    them (measured on 100 MB of logs, 2 workers: the parent spent about half its CPU time
    there, while both workers competed with it for the two cores)."""
    if isinstance(fr.findings, list):
        from scanner.report.jsonl import render_part

        fr.findings = render_part(fr.findings)  # type: ignore[assignment]
    return fr


#: target size of one piece (cut after the next newline); plain text files of at least two
#: pieces are cut so that workers scan them in parallel (one 20 MB log keeps both cores busy;
#: a piece costs one task and a little pickling, nothing per line)
PIECE_BYTES = 4 * 1024 * 1024


def split_points(src: Source, piece_bytes: int | None = None) -> list[tuple[int, int, int]] | None:
    """(start, end, first line) pieces of a large plain UTF-8 text file, cut after newlines.

    None when the file must be read whole: standard input, a table format, gzip, another
    encoding or binary content (the text reader decides those), or a small file.
    """
    piece_bytes = piece_bytes or PIECE_BYTES
    if src.fs_path == "-" or src.protocol or src.size < 2 * piece_bytes or reader_for(src.path) is not read_text:
        return None
    try:
        with open(src.fs_path, "rb") as fh:
            head = fh.read(SAMPLE_BYTES)
            if head[:2] == b"\x1f\x8b" or detect_encoding(head) != "utf-8" or is_binary(head, "utf-8"):
                return None
            cuts = [0]
            pos = piece_bytes
            while pos < src.size:
                fh.seek(pos)
                while True:
                    block = fh.read(1 << 20)
                    nl = block.find(b"\n")
                    if nl >= 0 or not block:
                        break
                    pos += len(block)
                if nl < 0:
                    break
                cut = pos + nl + 1
                if cut >= src.size:
                    break
                cuts.append(cut)
                pos = cut + piece_bytes
            cuts.append(src.size)
            pieces = []
            line = 1
            for start, end in zip(cuts, cuts[1:], strict=False):
                pieces.append((start, end, line))
                fh.seek(start)
                left = end - start
                while left > 0:
                    block = fh.read(min(left, 8 << 20))
                    if not block:
                        break
                    line += block.count(b"\n")
                    left -= len(block)
    except OSError:
        return None  # the normal reader reports the problem
    return pieces if len(pieces) > 1 else None


#: findings per part when results are streamed in parts (`iter_results(parts=True)`): about
#: 40 MB of Finding objects at ~0.4 KB each
PART_FINDINGS = 100_000


def merge_pieces(src: Source, parts: Sequence[FileResult]) -> FileResult:
    """One FileResult for a file scanned in pieces (in file order)."""
    out = FileResult(path=src.path, bytes_read=src.size)
    rendered: list[JsonlPart] = []
    for part in parts:
        if part.issue is not None and out.issue is None:
            out.issue = part.issue
        if isinstance(part.findings, JsonlPart):
            rendered.append(part.findings)
        else:
            out.findings.extend(part.findings)
        out.cells += part.cells
    if rendered:  # pieces rendered by workers (they all are, or none is)
        assert not out.findings, "rendered and unrendered pieces of one file"
        out.findings = JsonlPart.concat(rendered)  # type: ignore[assignment]
    return out


#: a scan whose local files are all known, at most IN_PROCESS_FILES of them, and hold at most
#: IN_PROCESS_BYTES together runs in the calling process, whatever `--workers` says: starting
#: worker processes (each builds its own engine) costs more than they save on so little. A
#: 1 KB log took 0.79 s with two workers and 0.58 s in-process; 2 MB of dense logs scan in
#: about 0.3 s on one core. A pre-commit hook or a CI step on a few changed files is this case.
IN_PROCESS_BYTES = 2 * 1024 * 1024
IN_PROCESS_FILES = 64


def _small_scan(
    items: Iterable[Source | FileIssue | FileResult],
) -> tuple[bool, Iterable[Source | FileIssue | FileResult]]:
    """(whether the scan is small, the same items): reads ahead at most IN_PROCESS_FILES + 1
    items of the walk, which stays lazy for a large scan."""
    it = iter(items)
    ahead: list[Source | FileIssue | FileResult] = []
    files = total = 0
    for item in it:
        ahead.append(item)
        if isinstance(item, Source):
            files += 1
            total += item.size
            unknown = item.fs_path == "-" or bool(item.protocol)
            if unknown or files > IN_PROCESS_FILES or total > IN_PROCESS_BYTES:
                return False, itertools.chain(ahead, it)
    return True, ahead


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
    parts: bool = False,
    render: bool = False,
) -> Iterator[FileResult]:
    """Scan `paths`; yield a FileResult per source (and per unreadable path), in order.

    With `parts`, a file with many findings may come as several FileResults in order, all but
    the last with `final=False` (about PART_FINDINGS findings each; pieces of a large text
    file one by one): a consumer that streams findings (JSON Lines) then holds one part, not
    one file. Without it, exactly one FileResult per source. With `parts` and `render`, worker
    processes hand lists of findings over as their JSON Lines (`JsonlPart`, see `_rendered`);
    tables' columnar parts stay blocks (`FindingBlock.write_jsonl` is cheap in the parent).

    `sources` replaces the walk of `paths`; FileResults in it pass through unchanged (results
    an incremental scan kept from its state file). `opts.extra["storage_options"]` goes to
    fsspec for URLs.
    """
    items: Iterable[Source | FileIssue | FileResult] = (
        sources if sources is not None else sources_for(paths, opts)
    )
    small = False
    if opts.workers > 1:
        small, items = _small_scan(items)
    if opts.workers <= 1 or small:
        eng = engine
        for item in items:
            if isinstance(item, FileResult):
                yield item
            elif isinstance(item, FileIssue):
                yield FileResult(path=item.path, issue=item)
            else:
                eng = eng or Engine(opts)
                if parts:
                    yield from eng.iter_source(item, PART_FINDINGS, columnar=True)
                else:
                    yield eng.scan_source(item)
        return
    global _ENGINE
    # an Engine built here is inherited by forked workers; the CLI passes a lazy one
    # (api._CachedEngine) that each worker builds on its first file: building it here first
    # was measured no faster (20 MB of logs: 3.1-3.6 s vs 2.9-3.0 s wall)
    _ENGINE = engine if engine is not None and engine.opts == opts else Engine(opts)
    # streamed parts: a private folder for the parts workers spill (removed at the end, or on Ctrl-C)
    spill: AbstractContextManager[str | None] = (
        tempfile.TemporaryDirectory(prefix="piimap-parts-") if parts else nullcontext(None)
    )
    with (
        ProcessPoolExecutor(max_workers=opts.workers, initializer=_init_worker, initargs=(opts,)) as pool,
        spill as spill_dir,
    ):
        yield from _ordered(pool, items, opts.workers, parts, spill_dir, render and parts)


class _Group:
    """One output slot, in input order: a ready FileResult, or the futures of one source."""

    __slots__ = ("src", "futures", "total", "ready", "emitted", "cells", "issue")

    def __init__(self, src: Source | None = None, total: int = 0, ready: FileResult | None = None) -> None:
        self.src, self.total, self.ready = src, total, ready
        self.futures: list[Future[FileResult]] = []
        self.emitted = 0  # pieces already handed out as parts (`parts=True`)
        self.cells = 0
        self.issue: FileIssue | None = None

    def early_parts(self) -> Iterator[FileResult]:
        """Finished leading pieces (all but the last) as non-final parts, in order."""
        assert self.src is not None
        while self.emitted < self.total - 1 and self.emitted < len(self.futures):
            fut = self.futures[self.emitted]
            if not fut.done():
                return
            piece = fut.result()
            self.emitted += 1
            self.cells += piece.cells
            self.issue = self.issue or piece.issue
            yield FileResult(path=self.src.path, findings=piece.findings, final=False)

    def done(self) -> bool:
        return self.ready is not None or (
            len(self.futures) == self.total and all(f.done() for f in self.futures)
        )

    def result(self) -> FileResult:
        if self.ready is not None:
            return self.ready
        if self.src is None:  # a whole file
            return self.futures[0].result()
        out = merge_pieces(self.src, [f.result() for f in self.futures[self.emitted :]])
        out.cells += self.cells
        out.issue = self.issue or out.issue  # the first piece's issue, as merge_pieces keeps
        return out


def _ordered(
    pool: ProcessPoolExecutor,
    items: Iterable[Source | FileIssue | FileResult],
    workers: int,
    parts: bool = False,
    spill_dir: str | None = None,
    render: bool = False,
) -> Iterator[FileResult]:
    """Run files and pieces of files in `pool`; yield one FileResult per item, in input order
    (with `parts`, the finished leading pieces of a file as non-final parts first).

    At most `2 × workers` tasks run or wait in the pool at a time, so the pieces of the next
    file start while the last pieces of a large one finish (no worker idles at file ends).
    Finished results of files after the one being waited for are held, at most `8 × workers`
    of them (memory stays bounded when one file is slow).
    """
    busy_max, held_max = 2 * workers, 8 * workers
    groups: deque[_Group] = deque()
    active: list[Future[FileResult]] = []

    def tasks() -> Iterator[tuple[_Group, Callable[..., FileResult], tuple[Any, ...]]]:
        for item in items:
            if isinstance(item, FileResult):
                groups.append(_Group(ready=item))
            elif isinstance(item, FileIssue):
                groups.append(_Group(ready=FileResult(path=item.path, issue=item)))
            elif item.fs_path == "-":
                assert _ENGINE is not None
                groups.append(_Group(ready=_ENGINE.scan_source(item)))
            else:
                pieces = split_points(item)
                if pieces:
                    g = _Group(item, len(pieces))
                    groups.append(g)
                    for p in pieces:
                        yield g, _scan_piece_in_worker, (item, *p, render)
                else:
                    g = _Group(None, 1)
                    groups.append(g)
                    yield g, _scan_in_worker, (item, spill_dir, render)

    feed = tasks()
    exhausted = False
    try:
        while True:
            active = [f for f in active if not f.done()]
            while not exhausted and len(active) < busy_max:
                held = sum(len(g.futures) for g in list(groups)[1:])
                if held >= held_max and groups and not groups[0].done() and groups[0].futures:
                    break  # results pile up behind a slow head: wait for it first
                try:
                    g, fn, args = next(feed)
                except StopIteration:
                    exhausted = True
                    break
                fut = pool.submit(fn, *args)
                g.futures.append(fut)
                active.append(fut)
            while groups:
                if parts and groups[0].src is not None:
                    yield from groups[0].early_parts()
                if not groups[0].done():
                    break
                yield from _unspill(groups.popleft().result())
            if exhausted and not groups:
                return
            if active:
                wait(active, return_when=FIRST_COMPLETED)
    except BaseException:
        for g in groups:
            for f in g.futures:
                f.cancel()
        _stop_workers(pool)
        raise


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """On Ctrl-C/SIGTERM: end the workers now instead of waiting for their current file."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


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
    found = fr.findings
    out.stats.sensitive_findings += (
        found.sensitive_count()
        if isinstance(found, (FindingBlock, JsonlPart))
        else sum(1 for f in found if f.sensitive)
    )
    if keep_findings:
        if isinstance(found, JsonlPart):
            raise TypeError("rendered findings (iter_results(render=True)) cannot be kept")
        out.findings.extend(fr.findings)
    if not fr.final:  # an early part of a file: its last part carries the rest
        return
    out.columns.extend(fr.columns)
    out.stats.cells_scanned += fr.cells
    if fr.issue is not None:
        out.issues.append(fr.issue)
    if fr.issue is not None and fr.issue.kind != "warning":
        if fr.issue.kind == "error":
            out.stats.files_failed += 1
        else:
            out.stats.files_skipped += 1
    else:
        out.stats.files_scanned += 1
        out.stats.bytes_read += fr.bytes_read
