# Exports run on the background-job kit (console.models.Job): progress as done / total, the
# heartbeat under its own name, attempts and the start time.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('console', '0002_export'),
    ]

    operations = [
        migrations.RenameField(model_name='export', old_name='updated', new_name='heartbeat'),
        migrations.RenameField(model_name='export', old_name='row_count',
                               new_name='progress_done'),
        migrations.AlterField(model_name='export', name='progress_done',
                              field=models.PositiveBigIntegerField(default=0)),
        migrations.RemoveField(model_name='export', name='progress'),
        migrations.AddField(model_name='export', name='progress_total',
                            field=models.PositiveBigIntegerField(blank=True, null=True)),
        migrations.AddField(model_name='export', name='attempts',
                            field=models.PositiveSmallIntegerField(default=0)),
        migrations.AddField(model_name='export', name='started',
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AlterField(model_name='export', name='error',
                              field=models.TextField(blank=True)),
        migrations.AlterField(model_name='export', name='heartbeat',
                              field=models.DateTimeField(default=django.utils.timezone.now)),
        migrations.AlterField(model_name='export', name='status', field=models.CharField(
            choices=[('queued', 'Queued'), ('running', 'In progress'), ('done', 'Ready'),
                     ('failed', 'Failed'), ('expired', 'Expired')],
            default='queued', max_length=10, verbose_name='status')),
    ]
