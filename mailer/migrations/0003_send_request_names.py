# One name for one thing: `request_id` is the public 20-digit ID of a SendRequest; the foreign
# keys to it are `send_request` (column send_request_id).
#
# The columns are renamed in place (PostgreSQL and SQLite both keep their indexes and foreign
# keys on a renamed column), so no index is rebuilt on a table of millions of rows; only
# Django's idea of the fields and indexes changes besides.

from django.db import migrations, models

TABLES = ["mailer_mail", "mailer_recipient", "mailer_unsubscriber", "mailer_idempotencykey"]


class Migration(migrations.Migration):

    dependencies = [
        ('mailer', '0002_lower_address_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'ALTER TABLE "{table}" RENAME COLUMN "request_id" TO "send_request_id"',
                    f'ALTER TABLE "{table}" RENAME COLUMN "send_request_id" TO "request_id"')
                for table in TABLES
            ],
            state_operations=[
                migrations.RemoveConstraint(model_name='mail', name='mail_unique_seq'),
                migrations.RemoveIndex(model_name='mail', name='mail_request_status'),
                migrations.RemoveIndex(model_name='mail', name='mail_claimable'),
                migrations.RemoveIndex(model_name='recipient', name='recipient_request_result'),
                migrations.RenameField(model_name='mail', old_name='request',
                                       new_name='send_request'),
                migrations.RenameField(model_name='recipient', old_name='request',
                                       new_name='send_request'),
                migrations.RenameField(model_name='unsubscriber', old_name='request',
                                       new_name='send_request'),
                migrations.RenameField(model_name='idempotencykey', old_name='request',
                                       new_name='send_request'),
                migrations.AddIndex(model_name='mail', index=models.Index(
                    fields=['send_request', 'status'], name='mail_request_status')),
                migrations.AddIndex(model_name='mail', index=models.Index(
                    condition=models.Q(('status', 'I')),
                    fields=['send_request', 'next_attempt_at'], name='mail_claimable')),
                migrations.AddIndex(model_name='recipient', index=models.Index(
                    fields=['send_request', 'result_code'], name='recipient_request_result')),
                migrations.AddConstraint(model_name='mail', constraint=models.UniqueConstraint(
                    fields=('send_request', 'seq'), name='mail_unique_seq')),
            ]),
    ]
