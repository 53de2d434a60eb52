"""One change per existing competing offer, with what it says today, dated from when that is known.

Before changes were kept, a competing offer's row was edited in place and what it said earlier is
lost. A row never edited since it was recorded says what was learned: its change is dated
`learned_at`. A row edited since says what it says only from its last edit on (`updated_at`): dated
then, it is left out of a moment between the two rather than shown with what became true later (the
rule the training set followed for such rows before changes were kept).
Set-based: the rows are read in chunks and the changes inserted in batches, no query per row.
"""

from datetime import timedelta

from django.db import migrations

BATCH_SIZE = 2000
# created_at and updated_at are set apart by microseconds when a row is first saved.
EDITED_AFTER = timedelta(seconds=1)
FIELDS = (
    "kind", "company", "stage", "base", "bonus", "equity", "currency", "period", "remote_policy", "remote_days",
    "deadline", "confidential",
)


def backfill(apps, schema_editor):
    CompetingOffer = apps.get_model("offers", "CompetingOffer")
    CompetingOfferChange = apps.get_model("offers", "CompetingOfferChange")
    alias = schema_editor.connection.alias
    rows = (
        CompetingOffer.objects.using(alias).filter(changes__isnull=True).order_by("id")
        .values_list("id", "learned_at", "created_at", "updated_at", "recorded_by_id", *FIELDS)
        .iterator(chunk_size=BATCH_SIZE)
    )
    batch = []
    for competing_id, learned_at, created_at, updated_at, recorded_by_id, *values in rows:
        at = max(learned_at, updated_at) if updated_at - created_at > EDITED_AFTER else learned_at
        batch.append(CompetingOfferChange(competing_id=competing_id, at=at, by_id=recorded_by_id,
                                          **dict(zip(FIELDS, values, strict=True))))
        if len(batch) >= BATCH_SIZE:
            CompetingOfferChange.objects.using(alias).bulk_create(batch)
            batch = []
    if batch:
        CompetingOfferChange.objects.using(alias).bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("offers", "0002_competing_offer_change"),
    ]

    operations = [
        # Going back drops the table in 0002: nothing to undo here.
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
