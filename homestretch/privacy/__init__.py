"""Candidates' data rights: a copy of everything held about a person (export), erasure on request and after the
retention period, with a de-identified outcome kept for the statistics (docs/data-rights.md)."""
