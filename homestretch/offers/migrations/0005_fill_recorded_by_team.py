"""The team that recorded each existing competing offer and version of priorities, where it can be known.

- Its recorder is known (`recorded_by`, or for a competing offer the `by` of its first change, which
  the service writes with the recorder): the recorder's team. A recorder with no team (an admin)
  leaves it empty, as the services do.
- Its recorder is not known: the candidate's only team, when every application of the candidate is
  with recruiters of one team (nobody else can have told it).
- Otherwise empty: the record is nobody's, and any team with the candidate in its pipeline may change
  it, as before (docs/data-model.md, Who may change what).

The recorder's team is read as it is now: a recruiter who moved teams since is counted in the new one.
Set-based: a few UPDATEs, and the candidates' teams read once; no query per row.
"""

from collections import defaultdict

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH_SIZE = 500  # ids per UPDATE, well under SQLite's limit on the parameters of one query


def fill(apps, schema_editor):
    alias = schema_editor.connection.alias
    User = apps.get_model("accounts", "User")
    Application = apps.get_model("pipeline", "Application")
    CompetingOffer = apps.get_model("offers", "CompetingOffer")
    CompetingOfferChange = apps.get_model("offers", "CompetingOfferChange")
    Priorities = apps.get_model("offers", "Priorities")
    competing = CompetingOffer.objects.using(alias)
    priorities = Priorities.objects.using(alias)

    recorder_team = Subquery(User.objects.using(alias).filter(pk=OuterRef("recorded_by_id")).values("team_id")[:1])
    for records in (competing, priorities):
        records.filter(recorded_by_team__isnull=True, recorded_by__isnull=False).update(recorded_by_team_id=recorder_team)

    first_change = CompetingOfferChange.objects.using(alias).filter(competing_id=OuterRef("pk")).order_by("at", "id")
    competing.filter(recorded_by_team__isnull=True, recorded_by__isnull=True).update(
        recorded_by_team_id=Subquery(first_change.values("by__team_id")[:1])
    )

    # Recorder not known: the candidate's only team.
    teams_of = defaultdict(set)
    for candidate_id, team_id in (
        Application.objects.using(alias).values_list("candidate_id", "recruiter__team_id").distinct().order_by()
    ):
        teams_of[candidate_id].add(team_id)
    only_team = {candidate_id: next(iter(teams)) for candidate_id, teams in teams_of.items()
                 if len(teams) == 1 and None not in teams}
    unknown = {
        "competing": competing.filter(recorded_by_team__isnull=True, recorded_by__isnull=True)
        .annotate(first_by=Subquery(first_change.values("by_id")[:1])).filter(first_by__isnull=True),
        "priorities": priorities.filter(recorded_by_team__isnull=True, recorded_by__isnull=True),
    }
    for name, records in unknown.items():
        by_team = defaultdict(list)
        for pk, candidate_id in records.values_list("pk", "candidate_id").order_by("pk"):
            if candidate_id in only_team:
                by_team[only_team[candidate_id]].append(pk)
        model = competing if name == "competing" else priorities
        for team_id, pks in by_team.items():
            for start in range(0, len(pks), BATCH_SIZE):
                model.filter(pk__in=pks[start:start + BATCH_SIZE]).update(recorded_by_team_id=team_id)


class Migration(migrations.Migration):

    dependencies = [
        ("offers", "0004_recorded_by_team"),
        ("pipeline", "0001_initial"),
    ]

    operations = [
        # Going back drops the columns in 0004: nothing to undo here.
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
