"""The reader table: lazy imports by suffix agree with what the reader modules register."""

from __future__ import annotations

import subprocess
import sys

from scanner.readers import TABLE_SUFFIXES, load_all, reader_for


def test_when_all_readers_loaded_then_registered_suffixes_equal_the_lazy_table() -> None:
    assert set(load_all()) == set(TABLE_SUFFIXES)
    for suffix in TABLE_SUFFIXES:
        assert reader_for(f"x{suffix}") is load_all()[suffix]


def test_when_a_log_is_read_then_no_table_library_is_imported() -> None:
    code = (
        "import sys\n"
        "from scanner.readers import reader_for\n"
        "from scanner.readers.text import read_text\n"
        "assert reader_for('app.log') is read_text\n"
        "print(sorted(m for m in ('pyarrow', 'pandas', 'openpyxl') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
