"""The generation a snapshot is checked against moves to the application (pipeline.Application.generation,
counted by the writers through homestretch.pipeline.changes instead of by signals), and a snapshot
remembers the team it was computed for (a recruiter's change of team makes it stale when read).

Existing snapshots are derived data computed under the old counter: they are deleted here, and each
is recomputed on its next read (the pages, the worker). Nothing else is lost.
"""

import django.db.models.deletion
from django.db import migrations, models


def delete_snapshots(apps, schema_editor):
    apps.get_model("risk", "RiskSnapshot").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_apitoken'),
        ('pipeline', '0004_application_generation'),
        ('risk', '0002_trainedmodel'),
    ]

    operations = [
        migrations.RunPython(delete_snapshots, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='risksnapshot',
            name='generation',
        ),
        migrations.AddField(
            model_name='risksnapshot',
            name='team',
            field=models.ForeignKey(blank=True, help_text="The recruiter's team when computed (its cadence was used)", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.team'),
        ),
        migrations.AlterField(
            model_name='risksnapshot',
            name='computed_generation',
            field=models.PositiveIntegerField(blank=True, help_text="The application's generation the values below were computed from", null=True),
        ),
    ]
