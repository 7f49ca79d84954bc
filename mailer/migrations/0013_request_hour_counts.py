"""Send requests counted by the hour, by triggers, for the API list's totalElements
(mailer.request_counts): a statement's inserted or deleted rows are added up by hour in one
statement; a row whose time or project changes moves its count."""

import django.db.models.deletion
from django.db import migrations, models

# Row locks on the counts are taken in (project, hour) order, so that two statements that
# change the same hours wait for each other instead of deadlocking.
TRIGGERS = """
CREATE FUNCTION request_hours_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mailer_requesthourcount (project_id, hour, count)
    SELECT project_id, date_trunc('hour', created, 'UTC'), count(*) FROM added
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (project_id, hour)
        DO UPDATE SET count = mailer_requesthourcount.count + EXCLUDED.count;
    RETURN NULL;
END $$;

CREATE FUNCTION request_hours_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH removed_hours AS (
        SELECT project_id, date_trunc('hour', created, 'UTC') AS hour, count(*) AS n
        FROM removed GROUP BY 1, 2
    ), locked AS (
        SELECT c.id, r.n FROM mailer_requesthourcount c
        JOIN removed_hours r USING (project_id, hour)
        ORDER BY c.project_id, c.hour FOR UPDATE OF c
    )
    UPDATE mailer_requesthourcount c SET count = c.count - locked.n
    FROM locked WHERE c.id = locked.id;
    RETURN NULL;
END $$;

CREATE FUNCTION request_hours_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mailer_requesthourcount SET count = count - 1
    WHERE project_id = OLD.project_id AND hour = date_trunc('hour', OLD.created, 'UTC');
    INSERT INTO mailer_requesthourcount (project_id, hour, count)
    VALUES (NEW.project_id, date_trunc('hour', NEW.created, 'UTC'), 1)
    ON CONFLICT (project_id, hour) DO UPDATE SET count = mailer_requesthourcount.count + 1;
    RETURN NULL;
END $$;

CREATE FUNCTION request_hours_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM mailer_requesthourcount;
    RETURN NULL;
END $$;

CREATE TRIGGER request_hours_added AFTER INSERT ON mailer_sendrequest
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION request_hours_added();
CREATE TRIGGER request_hours_removed AFTER DELETE ON mailer_sendrequest
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION request_hours_removed();
CREATE TRIGGER request_hours_moved AFTER UPDATE OF created, project_id ON mailer_sendrequest
    FOR EACH ROW
    WHEN (OLD.created IS DISTINCT FROM NEW.created
          OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION request_hours_moved();
CREATE TRIGGER request_hours_emptied AFTER TRUNCATE ON mailer_sendrequest
    FOR EACH STATEMENT EXECUTE FUNCTION request_hours_emptied();

INSERT INTO mailer_requesthourcount (project_id, hour, count)
SELECT project_id, date_trunc('hour', created, 'UTC'), count(*) FROM mailer_sendrequest
GROUP BY 1, 2;
"""

DROP = """
DROP TRIGGER request_hours_added ON mailer_sendrequest;
DROP TRIGGER request_hours_removed ON mailer_sendrequest;
DROP TRIGGER request_hours_moved ON mailer_sendrequest;
DROP TRIGGER request_hours_emptied ON mailer_sendrequest;
DROP FUNCTION request_hours_added();
DROP FUNCTION request_hours_removed();
DROP FUNCTION request_hours_moved();
DROP FUNCTION request_hours_emptied();
"""


def _keep_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def _drop_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("console", "0004_languages"),
        ("mailer", "0012_request_indexes_for_pages_and_batches"),
    ]

    operations = [
        migrations.CreateModel(
            name="RequestHourCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("hour", models.DateTimeField()),
                ("count", models.BigIntegerField()),
                ("project", models.ForeignKey(db_index=False,
                                              on_delete=django.db.models.deletion.CASCADE,
                                              related_name="+", to="console.project")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("project", "hour"),
                                                        name="request_hour_count_key")],
            },
        ),
        migrations.RunPython(_keep_counts, _drop_counts),
    ]
