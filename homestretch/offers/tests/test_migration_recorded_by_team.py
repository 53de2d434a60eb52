"""offers 0005 fills the team that recorded each existing competing offer and version of priorities,
where it can be known, and leaves it empty (nobody's: any team with the candidate may change it)
otherwise; going back to 0003 and forward again works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("offers", "0003_backfill_competing_offer_changes")]
AFTER = [("offers", "0005_fill_recorded_by_team")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_team_is_filled_where_it_can_be_known_and_the_migration_goes_back():
    old = _migrate(BEFORE)
    try:
        Team, User = old.get_model("accounts", "Team"), old.get_model("accounts", "User")
        north, south = Team.objects.create(name="North"), Team.objects.create(name="South")
        alice = User.objects.create(email="alice@example.com", role="recruiter", team=north)
        charlie = User.objects.create(email="charlie@example.com", role="recruiter", team=south)
        ada = User.objects.create(email="ada@example.com", role="admin", team=None)
        Client, Job = old.get_model("pipeline", "Client"), old.get_model("pipeline", "Job")
        Candidate, Application = old.get_model("pipeline", "Candidate"), old.get_model("pipeline", "Application")
        acme = Client.objects.create(name="Acme")
        at = timezone.now()

        def candidate(name, *recruiters):
            person = Candidate.objects.create(name=name)
            for recruiter in recruiters:
                Application.objects.create(candidate=person, job=Job.objects.create(client=acme, title="Engineer"),
                                           recruiter=recruiter, stage="screening", stage_entered_at=at)
            return person

        only_north, shared, nobody_s = candidate("Priya", alice), candidate("Sam", alice, charlie), candidate("Nina")
        CompetingOffer = old.get_model("offers", "CompetingOffer")
        CompetingOfferChange = old.get_model("offers", "CompetingOfferChange")
        Priorities = old.get_model("offers", "Priorities")

        def competing(company, person, recorded_by=None, first_change_by=None):
            row = CompetingOffer.objects.create(candidate=person, company=company, learned_at=at,
                                                recorded_by=recorded_by)
            if first_change_by is not None:
                for by, moment in ((first_change_by, at), (alice, at + timedelta(days=1))):
                    CompetingOfferChange.objects.create(competing=row, at=moment, by=by, kind="external",
                                                        company=company, stage="interviewing", period="year",
                                                        confidential=False)
            return row.pk

        rows = {
            "by charlie": competing("A", shared, recorded_by=charlie),
            "first change by charlie": competing("B", shared, first_change_by=charlie),
            "by ada, no team": competing("C", only_north, recorded_by=ada),
            "unknown, candidate of north only": competing("D", only_north),
            "unknown, candidate of two teams": competing("E", shared),
            "unknown, candidate of nobody": competing("F", nobody_s),
        }
        priorities = {
            "by charlie": Priorities.objects.create(candidate=shared, as_of=at, recorded_by=charlie).pk,
            "unknown, candidate of north only": Priorities.objects.create(candidate=only_north, as_of=at).pk,
            "unknown, candidate of two teams": Priorities.objects.create(candidate=shared, as_of=at).pk,
        }
    finally:
        new = _migrate(AFTER)

    def team_of(model, pk):
        team_id = new.get_model("offers", model).objects.get(pk=pk).recorded_by_team_id
        return None if team_id is None else new.get_model("accounts", "Team").objects.get(pk=team_id).name

    assert {name: team_of("CompetingOffer", pk) for name, pk in rows.items()} == {
        "by charlie": "South",
        "first change by charlie": "South",
        "by ada, no team": None,
        "unknown, candidate of north only": "North",
        "unknown, candidate of two teams": None,
        "unknown, candidate of nobody": None,
    }
    assert {name: team_of("Priorities", pk) for name, pk in priorities.items()} == {
        "by charlie": "South",
        "unknown, candidate of north only": "North",
        "unknown, candidate of two teams": None,
    }

    # Back and forth again: the columns go and come back, filled the same way.
    _migrate(BEFORE)
    again = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert again.get_model("offers", "CompetingOffer").objects.get(pk=rows["by charlie"]).recorded_by_team_id
