# Indexes for speed (issue 18): the risk snapshots' expiry probes read the few rows dated later today.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("offers", "0006_constraints_on_their_fields"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="competingoffer",
            index=models.Index(fields=["learned_at"], name="competing_learned_at"),
        ),
        migrations.AddIndex(
            model_name="priorities",
            index=models.Index(fields=["as_of"], name="priorities_as_of"),
        ),
        migrations.AddIndex(
            model_name="offerevent",
            index=models.Index(fields=["at"], name="offerevent_at"),
        ),
    ]
