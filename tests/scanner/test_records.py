"""Records: findings survive the trip from a worker process intact."""

from __future__ import annotations

import pickle

from scanner.records import Finding


def test_when_finding_pickled_then_every_field_including_digest_survives() -> None:
    f = Finding("a.log", 3, None, None, 4, 20, "EMAIL_ADDRESS", ("identifiers",), True, 0.9,
                "PiimapEmailRecognizer", "t***@example.com", "ab" * 32)
    g = pickle.loads(pickle.dumps(f))
    assert g == f
    assert g.digest == f.digest  # not part of equality, so checked on its own
    assert type(g) is Finding
