"""What people type in a spreadsheet for "we don't know": one list for the importer and the evaluator."""

from __future__ import annotations

# Compared after stripping and case-folding.
PLACEHOLDERS = frozenset({
    "", "na", "n/a", "n.a.", "n.a", "nan", "-", "--", "—", "?", "??", "null", "none", "nil", "unknown",
    "#n/a", "#na", "#value!", "not available", "missing", "(blank)", "blank", "undefined",
})


def is_missing(text: str | None) -> bool:
    """Empty, or a placeholder for an unknown value ("NA", "n/a", "?", "unknown", …)."""
    return text is None or text.strip().casefold() in PLACEHOLDERS
