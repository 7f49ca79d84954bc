"""Send requests: the lists' page index ends with the id (their tiebreak), an index of what
waits to be prepared, no index of the project alone (every other one starts with it), and room
on each page for the updates a request goes through."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _leave_room(apps, schema_editor):
    # A request's row is updated four or five times on its way; those that change no indexed
    # column (the heartbeat, the preparation's progress, send_started_at) stay on their page
    # (HOT) and write no index entry, if the page has room: a fifth of it is kept for them.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE mailer_sendrequest SET (fillfactor = 80)")


def _fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE mailer_sendrequest RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("console", "0004_languages"),
        ("mailer", "0011_preparation_without_constraint_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="sendrequest",
            name="project",
            field=models.ForeignKey(db_index=False,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="send_requests", to="console.project"),
        ),
        migrations.RemoveIndex(
            model_name="sendrequest",
            name="request_project_created",
        ),
        migrations.AddIndex(
            model_name="sendrequest",
            index=models.Index(fields=["project", "-created", "-id"],
                               name="request_project_newest"),
        ),
        migrations.AddIndex(
            model_name="sendrequest",
            index=models.Index(condition=models.Q(("prepare_heartbeat__isnull", True),
                                                  ("status", "P")),
                               fields=["id"], name="request_waiting"),
        ),
        migrations.RunPython(_leave_room, _fill),
    ]
