"""The 28 member states of 2019 with their membership periods.

The UK left on 1 Feb 2020 (`left` is the first day it was no longer a member).
The EU writes EL for Greece and UK for the United Kingdom where ISO uses GR and GB.
"""

import datetime

from django.db import migrations

D = datetime.date
MEMBER_STATES = [
    # (ISO, EU, name, joined, left)
    ("AT", "AT", "Austria", D(1995, 1, 1), None),
    ("BE", "BE", "Belgium", D(1958, 1, 1), None),
    ("BG", "BG", "Bulgaria", D(2007, 1, 1), None),
    ("HR", "HR", "Croatia", D(2013, 7, 1), None),
    ("CY", "CY", "Cyprus", D(2004, 5, 1), None),
    ("CZ", "CZ", "Czechia", D(2004, 5, 1), None),
    ("DK", "DK", "Denmark", D(1973, 1, 1), None),
    ("EE", "EE", "Estonia", D(2004, 5, 1), None),
    ("FI", "FI", "Finland", D(1995, 1, 1), None),
    ("FR", "FR", "France", D(1958, 1, 1), None),
    ("DE", "DE", "Germany", D(1958, 1, 1), None),
    ("GR", "EL", "Greece", D(1981, 1, 1), None),
    ("HU", "HU", "Hungary", D(2004, 5, 1), None),
    ("IE", "IE", "Ireland", D(1973, 1, 1), None),
    ("IT", "IT", "Italy", D(1958, 1, 1), None),
    ("LV", "LV", "Latvia", D(2004, 5, 1), None),
    ("LT", "LT", "Lithuania", D(2004, 5, 1), None),
    ("LU", "LU", "Luxembourg", D(1958, 1, 1), None),
    ("MT", "MT", "Malta", D(2004, 5, 1), None),
    ("NL", "NL", "Netherlands", D(1958, 1, 1), None),
    ("PL", "PL", "Poland", D(2004, 5, 1), None),
    ("PT", "PT", "Portugal", D(1986, 1, 1), None),
    ("RO", "RO", "Romania", D(2007, 1, 1), None),
    ("SK", "SK", "Slovakia", D(2004, 5, 1), None),
    ("SI", "SI", "Slovenia", D(2004, 5, 1), None),
    ("ES", "ES", "Spain", D(1986, 1, 1), None),
    ("SE", "SE", "Sweden", D(1995, 1, 1), None),
    ("GB", "UK", "United Kingdom", D(1973, 1, 1), D(2020, 2, 1)),
]


def load(apps, schema_editor):
    MemberState = apps.get_model("portal", "MemberState")
    for iso, eu, name, joined, left in MEMBER_STATES:
        MemberState.objects.update_or_create(
            iso_code=iso, defaults={"eu_code": eu, "name": name, "joined": joined, "left": left}
        )


def unload(apps, schema_editor):
    apps.get_model("portal", "MemberState").objects.filter(iso_code__in=[m[0] for m in MEMBER_STATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
