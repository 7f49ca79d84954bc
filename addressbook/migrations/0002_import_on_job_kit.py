# Address imports run on the background-job kit (console.models.Job).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('addressbook', '0001_initial'),
        ('console', '0003_export_on_job_kit'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='addressimport', name='address_import_by_status'),
        migrations.RenameField(model_name='addressimport', old_name='updated',
                               new_name='heartbeat'),
        migrations.RemoveField(model_name='addressimport', name='progress'),
        migrations.AddField(model_name='addressimport', name='progress_done',
                            field=models.PositiveBigIntegerField(default=0)),
        migrations.AddField(model_name='addressimport', name='progress_total',
                            field=models.PositiveBigIntegerField(blank=True, null=True)),
        migrations.AddField(model_name='addressimport', name='started',
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name='addressimport', name='file',
                            field=models.CharField(blank=True, max_length=255)),
        migrations.AddField(model_name='addressimport', name='expires', field=models.DateTimeField(
            blank=True, null=True, verbose_name='expires')),
        migrations.AlterField(model_name='addressimport', name='heartbeat',
                              field=models.DateTimeField(default=django.utils.timezone.now)),
        migrations.AlterField(model_name='addressimport', name='created', field=models.DateTimeField(
            default=django.utils.timezone.now, verbose_name='requested')),
        migrations.AlterField(model_name='addressimport', name='status', field=models.CharField(
            choices=[('queued', 'Queued'), ('running', 'In progress'), ('done', 'Ready'),
                     ('failed', 'Failed'), ('expired', 'Expired')],
            default='queued', max_length=10, verbose_name='status')),
        migrations.AddIndex(model_name='addressimport', index=models.Index(
            fields=['status', 'heartbeat'], name='address_import_by_status')),
    ]
