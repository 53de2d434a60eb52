# Indexes for speed (issue 18): the API's list orderings, and the risk snapshots' expiry probes.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("pipeline", "0008_candidate_legal_basis"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["name", "id"], name="candidate_name_id"),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["created_at", "id"], name="candidate_created_id"),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["updated_at", "id"], name="candidate_updated_id"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["created_at", "id"], name="application_created_id"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["stage_entered_at", "id"], name="application_stage_entered_id"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["updated_at", "id"], name="application_updated_id"),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["accepted_at"], name="application_accepted_at"),
        ),
        migrations.AddIndex(
            model_name="stagechange",
            index=models.Index(fields=["at"], name="stagechange_at"),
        ),
    ]
