"""Detectors shared by the recognizer tests, built once per session.

`detector` runs the Hyperscan prefilter. A module that sets `BOTH_PREFILTERS = True` gets
every test that takes `detector` twice, once with Hyperscan and once with the pure-regex
prefilter (both must select the same lines).
"""

from __future__ import annotations

import pytest

from recognizers.registry import build_recognizers
from scanner.detect import Detector

_BUILT: dict[bool, Detector] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "detector" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_PREFILTERS", False):
        metafunc.parametrize("detector", [True, False], indirect=True, ids=["hyperscan", "regex"])


@pytest.fixture()
def detector(request: pytest.FixtureRequest) -> Detector:
    use_hyperscan = bool(getattr(request, "param", True))
    if use_hyperscan not in _BUILT:
        _BUILT[use_hyperscan] = Detector(build_recognizers(), use_hyperscan=use_hyperscan)
    return _BUILT[use_hyperscan]
