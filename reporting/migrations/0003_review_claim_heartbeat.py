# Written by hand on 2026-11-22 (Django 5.2.19): a running review has an owner and a heartbeat.

from django.db import migrations, models


def requeue_running(apps, schema_editor):
    """A build running while this migrates has neither owner nor heartbeat: it goes back to the queue.

    The sweep hands it over again. If the old build still finishes, it writes the same figures; the new build's
    claim-guarded writes then change nothing.
    """
    CoordinatedReview = apps.get_model("reporting", "CoordinatedReview")
    CoordinatedReview.objects.filter(status="running").update(status="queued", enqueued_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0002_review_records_population'),
    ]

    operations = [
        migrations.AddField(
            model_name='coordinatedreview',
            name='claimed_by',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='coordinatedreview',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(requeue_running, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='coordinatedreview',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'running'), _negated=True), models.Q(models.Q(('claimed_by', ''), _negated=True), ('heartbeat_at__isnull', False)), _connector='OR'), name='review_running_is_claimed'),
        ),
    ]
