"""Large blocks of report lines reach unbuffered streams whole, in line-sized pieces."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.streams import _ATOMIC_CHARS, write_lines


class _Unbuffered(io.StringIO):
    """Records each write, like a stream whose every write is one os.write."""

    write_through = True

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, s: str) -> int:
        self.writes.append(s)
        return super().write(s)


_lines = st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n"), max_size=1500), max_size=40)


@given(_lines)
@settings(max_examples=100, deadline=None)
def test_when_an_unbuffered_stream_gets_many_lines_then_each_write_is_whole_lines_and_small(lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    out = _Unbuffered()
    write_lines(out, text)
    assert out.getvalue() == text
    for w in out.writes:
        assert w.endswith("\n")
        assert len(w) <= _ATOMIC_CHARS or w.count("\n") == 1  # small, or one long line alone
        assert len(w.encode("utf-8")) <= 4096 or w.count("\n") == 1


def test_when_a_stream_is_buffered_then_the_text_goes_in_one_write() -> None:
    out = _Unbuffered()
    out.write_through = False  # type: ignore[misc]
    text = "x" * 50 + "\n"
    write_lines(out, text * 1000)
    assert out.writes == [text * 1000]
