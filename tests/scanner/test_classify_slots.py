from __future__ import annotations

import hashlib

from scanner.classify import classify
from scanner.mask import mask
from scanner.policy import load_policy
from scanner.records import Detection, Finding


def test_when_findings_are_built_then_they_equal_the_constructor_and_rules_still_mark() -> None:
    policy = load_policy("california")
    dets = [
        Detection("t.csv", None, 0, "email", 0, 13, "EMAIL_ADDRESS", 1.0, "R", "a@example.com"),
        Detection("t.csv", None, 1, "user", 0, 4, "USERNAME", 0.6, "H", "taro"),
        Detection("t.csv", None, 1, "pw", 0, 6, "PASSWORD", 0.6, "H", "s3cret"),
        Detection("x.log", 3, None, None, 5, 18, "EMAIL_ADDRESS", 1.0, "R", "a@example.com"),
    ]
    got = classify(dets, policy)
    for f, d in zip(got, dets, strict=True):
        want = Finding(
            path=d.path,
            line=d.line,
            row=d.row,
            column=d.column,
            start=d.start,
            end=d.end,
            entity=d.entity,
            categories=f.categories,
            sensitive=f.sensitive,
            score=d.score,
            recognizer=d.recognizer,
            preview=mask(d.entity, d.value),
            digest=hashlib.sha256(d.value.encode()).hexdigest(),
        )
        assert f == want and repr(f) == repr(want) and f.digest == want.digest
        assert f.categories == tuple(policy.categories_for(d.entity)) or f.sensitive
    # the username + password row is a credential; the lone e-mail is not sensitive
    assert [f.sensitive for f in got] == [False, True, True, False]
    assert "sensitive_personal_information" in got[1].categories
