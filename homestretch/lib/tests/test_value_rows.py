"""`value_rows` converts SQLite's columns in bulk: it must give exactly what `list(queryset)` gives, on any
database (issue 18, Speed)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Exists

from homestretch.lib.bulk_python import value_rows
from homestretch.offers.models import CompetingOffer, CompetingOfferChange, Priorities
from homestretch.pipeline.models import Application, Job, Touchpoint, TouchSummary
from homestretch.pipeline.services import log_touchpoint


def test_value_rows_equal_the_querysets_own_rows(application, alice, job, now):
    log_touchpoint(Touchpoint(application=application, recruiter=alice, at=now - timedelta(hours=5),
                              channel="call", direction="inbound", interest=4, competition_asked=True,
                              competition_answer="disclosed", status_update_given=True))
    Priorities.objects.create(candidate=application.candidate, base_min=Decimal("91000.5"), currency="EUR",
                              as_of=now, remote_days=None)
    Job.objects.create(client=job.client, title="Second", base_min=job.base_min, base_max=Decimal("120000"),
                       currency=job.currency, period=job.period)
    CompetingOffer.objects.create(candidate=application.candidate, company="Acme", kind="external",
                                  stage="offer", base=Decimal("99000"), bonus=None, currency="EUR",
                                  learned_at=now - timedelta(days=1))
    querysets = [
        # datetimes (one null), through a join too
        Application.objects.values_list("id", "created_at", "accepted_at", "stage", "candidate__name"),
        # decimals (one null), a boolean-free row of a job
        Job.objects.values_list("id", "base_min", "base_max", "remote_days", "opened_on"),
        # booleans, small integers, datetimes from a stored summary
        Touchpoint.objects.values_list("id", "at", "competition_asked", "interest", "status_update_given"),
        TouchSummary.objects.values_list("application_id", "touchpoints", "last_contact_at", "last_inbound_at"),
        Priorities.objects.values_list("base_min", "base_target", "as_of", "remote_days"),
        # an annotation among the columns (the risk loader's competing offers: whether any changed later)
        CompetingOffer.objects.annotate(changed_later=Exists(CompetingOfferChange.objects.filter(at__gt=now)))
        .values_list("id", "learned_at", "base", "bonus", "confidential", "changed_later"),
        # the same pay on several rows, read once each (Decimal('95000.00'), not Decimal('95000'))
        Job.objects.values_list("base_min", "base_max"),
        # nothing matches
        Application.objects.filter(pk=-1).values_list("id", "created_at"),
    ]
    for queryset in querysets:
        rows = value_rows(queryset)
        assert rows == list(queryset.all())
        assert repr(rows) == repr(list(queryset.all()))  # a Decimal's places too, which == does not compare
        assert [tuple(map(type, row)) for row in rows] == [tuple(map(type, row)) for row in queryset.all()]
        # the zone attached too (on PostgreSQL read by psycopg's own loader, then given the connection's zone)
        assert [tuple(getattr(value, "tzinfo", None) for value in row) for row in rows] == [
            tuple(getattr(value, "tzinfo", None) for value in row) for row in queryset.all()]
    aware = value_rows(Application.objects.values_list("created_at"))[0][0]
    assert aware.utcoffset() == timedelta(0) and aware == application.created_at
