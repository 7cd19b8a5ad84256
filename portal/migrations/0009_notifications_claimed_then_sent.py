# The notification ledger becomes claim, send, mark sent (portal/models/notifications.py).

import hashlib
from datetime import UTC
from urllib.parse import urlsplit

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rows_sent_before(apps, schema_editor):
    """Rows from before claims were recorded were written in the transaction that sent them: sent, then.

    They went out with a random Message-ID that nobody kept; they get the one their key gives (the rule of
    Notification.message_id_for as of this migration), which is never used to send since they are sent. Their
    words were not kept either: a sent row is never resent.
    """
    Notification = apps.get_model("portal", "Notification")
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    for row in Notification.objects.select_related("recipient").iterator():
        key = ":".join(str(part) for part in (
            row.milestone_id, row.member_state_id or "-", row.kind, row.days_before, row.recipient_id,
            row.deadline.astimezone(UTC).isoformat()))
        row.message_id = f"<notification-{hashlib.sha256(key.encode()).hexdigest()[:32]}@{host}>"
        row.claimed_at, row.claimed_by, row.address = row.sent_at, "before claims were recorded", row.recipient.email
        row.save(update_fields=["message_id", "claimed_at", "claimed_by", "address"])


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0008_user_deactivated_by_reserved_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='status',
            field=models.CharField(choices=[('claimed', 'Claimed, not marked sent'), ('sent', 'Sent'), ('resent', 'Resent by an admin'), ('dismissed', 'Dismissed by an admin, not resent')], default='sent', max_length=20),
        ),
        migrations.AlterField(
            model_name='notification',
            name='status',
            field=models.CharField(choices=[('claimed', 'Claimed, not marked sent'), ('sent', 'Sent'), ('resent', 'Resent by an admin'), ('dismissed', 'Dismissed by an admin, not resent')], default='claimed', max_length=20),
        ),
        migrations.AddField(
            model_name='notification',
            name='address',
            field=models.EmailField(default='', max_length=254),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notification',
            name='subject',
            field=models.TextField(default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notification',
            name='body',
            field=models.TextField(default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notification',
            name='body_html',
            field=models.TextField(default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notification',
            name='claimed_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='claimed_by',
            field=models.CharField(default='', help_text='The host, process and run that claimed it.', max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='notification',
            name='message_id',
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='settled_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='settled_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(rows_sent_before, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='notification',
            name='claimed_at',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='notification',
            name='message_id',
            field=models.CharField(editable=False, max_length=200, unique=True),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('status', 'claimed')), fields=['claimed_at'], name='notification_open_claims'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('sent_at__isnull', True), ('settled_at__isnull', True), ('status', 'claimed')), models.Q(('sent_at__isnull', False), ('settled_at__isnull', True), ('status', 'sent')), models.Q(('sent_at__isnull', False), ('settled_at__isnull', False), ('status', 'resent')), models.Q(('sent_at__isnull', True), ('settled_at__isnull', False), ('status', 'dismissed')), _connector='OR'), name='notification_status_matches_timestamps'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('settled_at__isnull', True), ('settled_by__isnull', True)), models.Q(('settled_at__isnull', False), ('settled_by__isnull', False)), _connector='OR'), name='notification_settled_by_someone'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(('sent_at__isnull', True), ('sent_at__gte', models.F('claimed_at')), _connector='OR'), name='notification_sent_after_claimed'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(('message_id', ''), _negated=True), name='notification_message_id_set'),
        ),
    ]
