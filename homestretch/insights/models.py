"""Each application's stored practice measure (see homestretch.insights.stored for how it is kept)."""

from __future__ import annotations

from django.db import models


class PracticeMeasure(models.Model):
    """What the practice figure (homestretch.insights.figures, "The practice, tested") measured of one
    answered application: its days within cadence, days counted, touches and touches asking about the
    competition, so that any process (a fresh server, the API, the CLI) reads them in one query instead
    of the touches of their windows.

    Derived data, never edited: a row is valid while `key` equals the key the figures compute for the
    application now (its id, candidate, creation time, `generation`, team, the day while an acceptance
    waits for its start, and the rules, default cadence and time zone it was measured with). A row
    that does not match is measured afresh and written back; an application without one is measured on
    first read or by the worker (`homestretch worker`).

    No database constraint on the application: a measure written while its application is deleted must
    not fail the page that wrote it; deleting through Django deletes the row, and a row left by a raw
    delete is never read as valid (its key names the candidate and creation time).
    """

    application = models.OneToOneField(
        "pipeline.Application", on_delete=models.CASCADE, primary_key=True, related_name="+",
        db_constraint=False,
    )
    key = models.CharField(max_length=200, help_text="What the measure was computed from (figures._practice_key)")
    days_in_cadence = models.PositiveIntegerField(default=0)
    days_measured = models.PositiveIntegerField(default=0)
    touches = models.PositiveIntegerField(default=0)
    touches_asking = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "practice measure"

    def __str__(self) -> str:
        return f"Practice measure of application {self.application_id}"
