"""The candidate search ignores accents and case on both databases (issue 17, item 8): a folded copy of
the name, e-mail and skills, written with the record, filled here for the candidates already stored."""

from django.db import migrations

import homestretch.pipeline.models

BATCH = 2000


def fill(apps, schema_editor):
    from homestretch.pipeline.search import candidate_search_text

    Candidate = apps.get_model("pipeline", "Candidate")
    last = 0
    while True:
        batch = list(Candidate.objects.filter(pk__gt=last).order_by("pk").only("id", "name", "email", "skills")[:BATCH])
        if not batch:
            return
        for candidate in batch:
            candidate.search_text = candidate_search_text(candidate.name, candidate.email, candidate.skills)
        Candidate.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("pipeline", "0005_candidate_email_taken_is_a_conflict"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="search_text",
            field=homestretch.pipeline.models.SearchTextField(blank=True, default="", db_default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
