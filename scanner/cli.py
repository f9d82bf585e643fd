"""The `piimap` command line.

Exit codes: 0 scan completed, nothing found; 1 findings present; 2 usage error;
3 some files could not be read (the rest were scanned). Only this module maps
`ScanError` to click exceptions.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

from scanner.api import iter_scan
from scanner.errors import ScanError
from scanner.pipeline import ScanOptions, add_result, default_workers
from scanner.policy import load_policy
from scanner.records import ScanResult
from scanner.report import ReportContext, reporters
from scanner.report.jsonl import write_findings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_READ_ERRORS = 0, 1, 2, 3

logger = logging.getLogger("piimap")


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a file created with owner-only permissions (0600)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
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


def _policy(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        load_policy(value)
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(reporters())), default="jsonl", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE (mode 0600) instead of stdout.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True, help="Drop findings scoring below this.")
@click.option("--entities", callback=_entities, help="Comma-separated entities to report (default: all).")
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Worker processes (default: number of cores).")
@click.option("--policy", default="california", show_default=True, callback=_policy, help="Built-in policy name or a policy YAML file.")
@click.option("--nlp", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True, help="NER: only where it can matter (auto), everywhere (on), never (off).")
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True, help="Language of report labels.")
@click.option("--sample", "sample_rows", type=click.IntRange(1), default=1000, show_default=True, help="Rows sampled per table for column classification.")
@click.option("--full", is_flag=True, help="Scan every table cell instead of a sample.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True, help="Scan with local worker processes, or as Spark tasks (the spark-submit/active session, else local[*]).")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), help="State file (SQLite): re-scans read only new or changed files and report the union; an interrupted scan resumes.")
def scan(paths: tuple[str, ...], fmt: str, output: str | None, exclude: tuple[str, ...], min_score: float,
         entities: frozenset[str] | None, workers: int | None, policy: str, nlp: str, lang: str,
         sample_rows: int, full: bool, engine: str, state_path: str | None) -> None:
    """Scan PATHS (files, folders, URLs such as s3://bucket/prefix, or - for standard input) for personal data."""
    opts = ScanOptions(
        min_score=min_score,
        entities=entities,
        policy=policy,
        nlp=nlp,
        workers=workers or default_workers(),
        exclude=exclude,
        sample_rows=sample_rows,
        full=full,
    )
    ctx = ReportContext(policy=load_policy(policy), lang=lang)
    result = ScanResult()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        with open_output(output) as stream:
            try:
                for fr in iter_scan(list(paths), opts, engine=engine, state=state_path):
                    if fr.issue is not None and fr.issue.kind == "error":
                        click.echo(f"piimap: error: {fr.issue.path}: {fr.issue.message}", err=True)
                    elif fr.issue is not None:
                        logger.info("skipped %s: %s", fr.issue.path, fr.issue.message)
                    if fmt == "jsonl":
                        write_findings(fr.findings, stream)
                        stream.flush()
                    add_result(result, fr, keep_findings=fmt != "jsonl")
            except KeyboardInterrupt:
                result.stats.interrupted = True
                click.echo("piimap: interrupted: the report holds what was scanned before the stop", err=True)
            if fmt != "jsonl":
                reporters()[fmt](result, stream, ctx)
    except ScanError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.exit(exit_code(result))


def _raise_interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def exit_code(result: ScanResult) -> int:
    """0 clean, 1 findings, 3 read errors (errors win: the scan is incomplete)."""
    if result.stats.files_failed:
        return EXIT_READ_ERRORS
    if result.stats.findings:
        return EXIT_FINDINGS
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    main()
