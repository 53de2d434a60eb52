"""The number of candidates kept as parts by triggers on PostgreSQL (pipeline/candidate_count.py), so that the
API's list of candidates reads its total instead of counting every candidate for each page. The statements are
written out here, as migrations keep what they did; the candidates already stored are counted under a lock
that holds their writers back until the migration commits."""

from django.db import migrations, models

TRIGGERS_SQL = """
CREATE FUNCTION pipeline_candidate_count_part_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pipeline_candidate_count_part (delta) SELECT count(*) FROM added HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE FUNCTION pipeline_candidate_count_part_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pipeline_candidate_count_part (delta) SELECT -count(*) FROM removed HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE FUNCTION pipeline_candidate_count_part_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM pipeline_candidate_count_part;
    RETURN NULL;
END $$;
CREATE TRIGGER pipeline_candidate_count_part_added AFTER INSERT ON pipeline_candidate
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION pipeline_candidate_count_part_added();
CREATE TRIGGER pipeline_candidate_count_part_removed AFTER DELETE ON pipeline_candidate
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION pipeline_candidate_count_part_removed();
CREATE TRIGGER pipeline_candidate_count_part_emptied AFTER TRUNCATE ON pipeline_candidate
    FOR EACH STATEMENT EXECUTE FUNCTION pipeline_candidate_count_part_emptied();
"""
DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS pipeline_candidate_count_part_added ON pipeline_candidate;
DROP TRIGGER IF EXISTS pipeline_candidate_count_part_removed ON pipeline_candidate;
DROP TRIGGER IF EXISTS pipeline_candidate_count_part_emptied ON pipeline_candidate;
DROP FUNCTION IF EXISTS pipeline_candidate_count_part_added();
DROP FUNCTION IF EXISTS pipeline_candidate_count_part_removed();
DROP FUNCTION IF EXISTS pipeline_candidate_count_part_emptied();
"""
COUNT_THOSE_STORED_SQL = """
LOCK TABLE pipeline_candidate IN SHARE MODE;
DELETE FROM pipeline_candidate_count_part;
INSERT INTO pipeline_candidate_count_part (delta) SELECT count(*) FROM pipeline_candidate HAVING count(*) > 0;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS_SQL)
        schema_editor.execute(COUNT_THOSE_STORED_SQL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("pipeline", "0010_job_list_orderings"),
    ]

    operations = [
        migrations.CreateModel(
            name="CandidateCountPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("delta", models.BigIntegerField()),
            ],
            options={
                "db_table": "pipeline_candidate_count_part",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
