"""ReDoS benchmark: every recognizer pattern against long adversarial runs; prints timings.

Run: `.venv/bin/python -m bench.redos [LENGTH ...]` (default 10000 100000). Prints, per input
kind, the slowest pattern and the time of all recognizers' `iter_matches` together, and flags
any pattern that hit the regex timeout (recognizers/base.py REGEX_TIMEOUT_S).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from recognizers.base import REGEX_TIMEOUT_S
from recognizers.registry import build_recognizers

#: adversarial inputs: name -> n -> text of about n characters
INPUTS: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "1" * n,
    "digits-spaced": lambda n: "1 " * (n // 2),
    "digits-dashed": lambda n: "12-" * (n // 3),
    "dots": lambda n: "." * n,
    "digit-dots": lambda n: "1." * (n // 2),
    "at-signs": lambda n: "@" * n,
    "a-at": lambda n: "a@" * (n // 2),
    "email-ish": lambda n: "a.b-c_" * (n // 6) + "@",
    "domain-ish": lambda n: "ab." * (n // 3),
    "email-long-domain": lambda n: "a@" + "b1." * (n // 3),
    "emails-no-tld": lambda n: "a@b." * (n // 4),
    "base64": lambda n: "QUJD" * (n // 4),
    "jwt-ish": lambda n: "eyJ" + "a" * (n // 2) + "." + "b" * (n // 2),
    "spaces": lambda n: " " * n,
    "tabs-semicolons": lambda n: "a=b; " * (n // 5),
    "hex-colons": lambda n: "ab:" * (n // 3),
    "equals": lambda n: "=" * n,
    "password-kv": lambda n: "password=" * (n // 9),
    "url-ish": lambda n: "http://" + "a/" * (n // 2),
    "fullwidth-digits": lambda n: "１" * n,
    "kana": lambda n: "ア" * n,
    "quotes": lambda n: '"a": "' * (n // 6),
}


def time_pattern(compiled: object, text: str) -> tuple[float, bool]:
    """Seconds to run one compiled pattern over `text`, and whether it timed out."""
    t0 = time.perf_counter()
    try:
        for _ in compiled.finditer(text, timeout=REGEX_TIMEOUT_S):  # type: ignore[attr-defined]
            pass
        timed_out = False
    except TimeoutError:
        timed_out = True
    return time.perf_counter() - t0, timed_out


def main(argv: list[str]) -> int:
    """Print the timing table; exit 1 when some pattern hit the timeout."""
    lengths = [int(a) for a in argv] or [10_000, 100_000]
    recs = build_recognizers()
    any_timeout = False
    print(f"{'input':18} {'chars':>7} {'all recognizers s':>18} {'slowest pattern':40} {'s':>7}")
    for n in lengths:
        for name, make in INPUTS.items():
            text = make(n)
            worst = ("", 0.0)
            t0 = time.perf_counter()
            for rec in recs:
                for pi, pattern in enumerate(rec.patterns):
                    compiled = rec.compiled(pi)
                    dt, timed_out = time_pattern(compiled, text)
                    if timed_out:
                        any_timeout = True
                        print(f"  TIMEOUT {rec.name}/{pattern.name} on {name} x{n}")
                    if dt > worst[1]:
                        worst = (f"{rec.name}/{pattern.name}", dt)
                list(rec.iter_matches(text))
            total = time.perf_counter() - t0
            print(f"{name:18} {len(text):>7} {total:>18.3f} {worst[0][:40]:40} {worst[1]:>7.3f}")
    return 1 if any_timeout else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
