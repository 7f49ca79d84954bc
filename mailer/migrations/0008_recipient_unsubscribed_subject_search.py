"""The time a recipient unsubscribed through its own mail, and on PostgreSQL a trigram index
for the Mailing list's "subject contains" search (icontains is UPPER(title) LIKE '%…%')."""

from django.db import migrations, models

TRIGRAM_INDEX = ("CREATE INDEX IF NOT EXISTS request_title_trigram ON mailer_sendrequest "
                 "USING gin (UPPER(title) gin_trgm_ops)")


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(TRIGRAM_INDEX)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS request_title_trigram")


class Migration(migrations.Migration):

    dependencies = [
        ("mailer", "0007_bulk_send_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipient",
            name="unsubscribed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
