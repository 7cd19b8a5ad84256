"""The demo data set marked as such, so that `seed_demo` resets only what it made (portal/demo.py).

A database seeded before has its demo rows marked here, by the seed's own signature: the accounts it names
(`admin`, `reviewer`, `<eu code>-lead`, `<eu code>-reporter`) with the address it gives them (`<name>@example.eu`), and,
where its admin account exists, the cycles it titles. Nothing else is marked: `seed_demo` refuses to take over an
account or a cycle of one of those names that is not marked.
"""

import re

from django.db import migrations, models

DEMO_USERNAME = re.compile(r"^(admin|reviewer|[a-z]{2}-lead|[a-z]{2}-reporter)$")
DEMO_TITLES = ("2019 national risk assessments of 5G networks", "2020 implementation of the EU Toolbox")
OPEN_TITLE = re.compile(r"^National risk assessments: \d{4} update$")


def mark_seeded_demo(apps, schema_editor):
    User = apps.get_model("portal", "User")
    ReportingCycle = apps.get_model("portal", "ReportingCycle")
    demo_users = [user.pk for user in User.objects.filter(email__endswith="@example.eu")
                  if DEMO_USERNAME.match(user.username) and user.email == f"{user.username}@example.eu"]
    User.objects.filter(pk__in=demo_users).update(is_demo=True)
    if User.objects.filter(username="admin", email="admin@example.eu").exists():
        cycles = [cycle.pk for cycle in ReportingCycle.objects.all()
                  if cycle.title in DEMO_TITLES or OPEN_TITLE.match(cycle.title)]
        ReportingCycle.objects.filter(pk__in=cycles).update(is_demo=True)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0017_usual_addresses_and_sign_in_episodes'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportingcycle',
            name='is_demo',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='user',
            name='is_demo',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_seeded_demo, migrations.RunPython.noop),
    ]
