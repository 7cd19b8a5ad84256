from django.db import migrations, models

import portal.models


def give_tokens(apps, schema_editor):
    User = apps.get_model("portal", "User")
    for user in User.objects.filter(calendar_token__isnull=True):
        user.calendar_token = portal.models.new_calendar_token()
        user.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_locks_reminders_calendar")]
    operations = [
        migrations.RunPython(give_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user", name="calendar_token",
            field=models.CharField(default=portal.models.new_calendar_token, editable=False, max_length=64,
                                   unique=True),
        ),
    ]
