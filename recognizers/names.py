"""Validation for names found by form: a display name before an e-mail address.

`Priya Raman <priya.raman@example.com>` in a mail header, a git trailer or a package's
author field names a person; `Customer Support <support@…>`, `Acme Inc. <noreply@…>` and
`Build Bot <ci@…>` do not. The same named filters that judge NER candidates decide
(scanner/filters.py, applied as to an NER PERSON), and a Latin-script name also needs the
`auto` evidence shape: two or more Title-case name words, one of them not a common word
(models/gate.py `has_evidence`).
"""

from __future__ import annotations

from recognizers.base import PiiPatternRecognizer


class PiimapDisplayNameRecognizer(PiiPatternRecognizer):
    """A person's display name before an e-mail address."""

    def validate_result(self, pattern_text: str) -> bool | None:
        """False for roles, teams, departments, companies, products and common words."""
        from models.gate import has_evidence  # models imports scanner: keep it lazy
        from scanner.filters import suppressed_by

        if suppressed_by(pattern_text, entity="PERSON") is not None:
            return False
        if pattern_text.isascii() and not has_evidence(pattern_text, "PERSON", ""):
            return False
        return None
