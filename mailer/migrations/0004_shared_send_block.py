# The send-block list is shared by every project of the installation (as in the reference),
# and its history speaks the reference's words: actions C(reate) / D(elete), requested by a
# project, the system or the administrators.

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = {"BLOCK": ("C", "PROJECT"), "UNBLOCK": ("D", "PROJECT"), "EXPIRE": ("D", "SYSTEM")}


def merge_blocks(apps, schema_editor):
    """One block per address: the one that lasts longest."""
    SendBlock = apps.get_model("mailer", "SendBlock")
    seen = set()
    for block in SendBlock.objects.order_by("address", "-blocked_until", "-id"):
        if block.address in seen:
            block.delete()
        else:
            seen.add(block.address)


def translate_history(apps, schema_editor):
    History = apps.get_model("mailer", "SendBlockHistory")
    for old, (action, requester) in ACTIONS.items():
        History.objects.filter(action=old).update(action=action, requester=requester)


class Migration(migrations.Migration):

    dependencies = [
        ('console', '0003_export_on_job_kit'),
        ('mailer', '0003_send_request_names'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='sendblock', name='send_block_unique'),
        migrations.AlterField(model_name='sendblock', name='project', field=models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
            related_name='+', to='console.project')),
        migrations.AlterField(model_name='sendblock', name='result_code', field=models.CharField(
            blank=True, max_length=32)),
        migrations.RunPython(merge_blocks, migrations.RunPython.noop),
        migrations.AddConstraint(model_name='sendblock', constraint=models.UniqueConstraint(
            fields=('address',), name='send_block_unique_address')),
        migrations.RemoveIndex(model_name='sendblockhistory',
                               name='send_block_history_address'),
        migrations.AlterField(model_name='sendblockhistory', name='project',
                              field=models.ForeignKey(
                                  blank=True, null=True,
                                  on_delete=django.db.models.deletion.SET_NULL,
                                  related_name='+', to='console.project')),
        migrations.AlterField(model_name='sendblockhistory', name='action',
                              field=models.CharField(max_length=8)),
        migrations.RunPython(translate_history, migrations.RunPython.noop),
        migrations.AlterField(model_name='sendblockhistory', name='action',
                              field=models.CharField(choices=[('C', 'Create'), ('D', 'Delete')],
                                                     max_length=1)),
        migrations.AlterField(model_name='sendblockhistory', name='requester',
                              field=models.CharField(choices=[('PROJECT', 'Project'),
                                                              ('SYSTEM', 'System'),
                                                              ('ADMIN', 'Admin')],
                                                     max_length=8)),
        migrations.AddIndex(model_name='sendblockhistory', index=models.Index(
            fields=['address', '-created'], name='send_block_history_of_address')),
    ]
