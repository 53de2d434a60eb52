"""pipeline 0008 gives every candidate who consented to be contacted the legal basis "consent", obtained when the
consent was given (the record's creation when no date was kept), renewed 24 months later; the others get none."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("pipeline", "0007_constraints_on_their_fields")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_consent_to_contact_becomes_the_basis_consent_and_the_others_have_none():
    old = _migrate(BEFORE)
    try:
        Candidate = old.get_model("pipeline", "Candidate")
        dated = Candidate.objects.create(name="Dated", consent_to_contact=True,
                                         consent_given_at=datetime(2026, 2, 28, 10, tzinfo=UTC))
        undated = Candidate.objects.create(name="Undated", consent_to_contact=True)
        leap = Candidate.objects.create(name="Leap", consent_to_contact=True,
                                        consent_given_at=datetime(2024, 2, 29, 10, tzinfo=UTC))
        none = Candidate.objects.create(name="None")
        ids = {"dated": dated.pk, "undated": undated.pk, "leap": leap.pk, "none": none.pk}
        undated_created = undated.created_at
    finally:
        new = _migrate()
    Candidate = new.get_model("pipeline", "Candidate")
    rows = {name: Candidate.objects.get(pk=pk) for name, pk in ids.items()}
    assert (rows["dated"].legal_basis, rows["dated"].basis_obtained_at, rows["dated"].basis_renew_by) == (
        "consent", datetime(2026, 2, 28, 10, tzinfo=UTC), date(2028, 2, 28))
    assert rows["undated"].basis_obtained_at == rows["undated"].consent_given_at == undated_created
    assert rows["leap"].basis_renew_by == date(2026, 2, 28)
    assert (rows["none"].legal_basis, rows["none"].basis_obtained_at, rows["none"].basis_renew_by) == ("", None, None)
