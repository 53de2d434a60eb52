"""What the candidate search reads, folded (homestretch.lib.folding): one truth for every writer of
Candidate.search_text — the model's save and bulk writes, the demo's fast inserter, the migration that
filled it. Imports no model, so that the demo generator reads it before Django's apps are loaded."""

from __future__ import annotations

from homestretch.lib.folding import fold

# The fields the candidate search reads.
CANDIDATE_SEARCHED = ("name", "email", "skills")


def candidate_search_text(name: str, email: str, skills: str) -> str:
    """The folded text a candidate is found by: 'Ana Müller', 'ana@x.org', 'Go' -> 'ana muller ana@x.org go'."""
    return fold(f"{name} {email} {skills}")
