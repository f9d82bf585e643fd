"""Progress display: only on a terminal, erased at the end."""

from __future__ import annotations

import io

from click.testing import CliRunner

from scanner.cli import main
from scanner.progress import Progress


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_when_stream_is_a_tty_then_status_is_drawn_and_erased() -> None:
    tty = FakeTty()
    p = Progress(tty, interval=0.0)
    p.update(1, 3 * 1024 * 1024)
    assert "1 files, 3.0 MB scanned" in tty.getvalue() and "MB/s" in tty.getvalue()
    p.close()
    assert tty.getvalue().endswith("\r")


def test_when_stream_is_not_a_tty_then_nothing_is_written() -> None:
    out = io.StringIO()
    p = Progress(out, interval=0.0)
    p.update(2, 100)
    p.close()
    assert out.getvalue() == "" and p.files == 2 and p.nbytes == 100


def test_when_cli_stderr_is_not_a_tty_then_no_progress_text(tmp_path) -> None:
    f = tmp_path / "a.log"
    f.write_text("mail taro@example.com\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(f), "--nlp", "off", "--workers", "1"])
    assert result.exit_code == 1
    assert "MB scanned" not in result.output
