"""The member states' names in English, French and German, and the EU's protocol order.

The names are the short names of the EU's Interinstitutional Style Guide (section 7.1 and its annex A5) in each
language; the protocol order is the order of its list, by each state's name in its own language, with the United
Kingdom last as in the texts of 2019. The English names move from the member state's row into its translations.

`load` is idempotent, and loads every member state from 0002's list as well: tests/conftest.py runs it (not
0002's, which writes the name into a column that no longer exists) after a transactional test empties the tables.
"""

import importlib

from django.db import migrations

MEMBER_STATES = importlib.import_module("portal.migrations.0002_member_states").MEMBER_STATES

# (EU code, French, German), in protocol order.
NAMES = [
    ("BE", "Belgique", "Belgien"),
    ("BG", "Bulgarie", "Bulgarien"),
    ("CZ", "Tchéquie", "Tschechien"),
    ("DK", "Danemark", "Dänemark"),
    ("DE", "Allemagne", "Deutschland"),
    ("EE", "Estonie", "Estland"),
    ("IE", "Irlande", "Irland"),
    ("EL", "Grèce", "Griechenland"),
    ("ES", "Espagne", "Spanien"),
    ("FR", "France", "Frankreich"),
    ("HR", "Croatie", "Kroatien"),
    ("IT", "Italie", "Italien"),
    ("CY", "Chypre", "Zypern"),
    ("LV", "Lettonie", "Lettland"),
    ("LT", "Lituanie", "Litauen"),
    ("LU", "Luxembourg", "Luxemburg"),
    ("HU", "Hongrie", "Ungarn"),
    ("MT", "Malte", "Malta"),
    ("NL", "Pays-Bas", "Niederlande"),
    ("AT", "Autriche", "Österreich"),
    ("PL", "Pologne", "Polen"),
    ("PT", "Portugal", "Portugal"),
    ("RO", "Roumanie", "Rumänien"),
    ("SI", "Slovénie", "Slowenien"),
    ("SK", "Slovaquie", "Slowakei"),
    ("FI", "Finlande", "Finnland"),
    ("SE", "Suède", "Schweden"),
    ("UK", "Royaume-Uni", "Vereinigtes Königreich"),
]


def load(apps, schema_editor):
    MemberState = apps.get_model("portal", "MemberState")
    Translation = apps.get_model("portal", "MemberStateTranslation")
    english = {}
    for iso, eu, name, joined, left in MEMBER_STATES:
        MemberState.objects.update_or_create(iso_code=iso, defaults={"eu_code": eu, "joined": joined, "left": left})
        english[iso] = name
    for state in MemberState.objects.all():
        # While migrating, the English name is still the row's own column (as an admin may have changed it): it
        # becomes the English translation. Run by the tests on today's tables, the name is 0002's.
        name = state.__dict__.get("name") or english.get(state.iso_code)
        if name:
            Translation.objects.update_or_create(master_id=state.pk, language_code="en", defaults={"name": name})
    for order, (code, french, german) in enumerate(NAMES, 1):
        state = MemberState.objects.filter(eu_code=code).first()
        if state is None:
            continue
        MemberState.objects.filter(pk=state.pk).update(protocol_order=order)
        for language, name in (("fr", french), ("de", german)):
            Translation.objects.update_or_create(master_id=state.pk, language_code=language, defaults={"name": name})


def unload(apps, schema_editor):
    MemberState = apps.get_model("portal", "MemberState")
    Translation = apps.get_model("portal", "MemberStateTranslation")
    for state in MemberState.objects.all():
        english = Translation.objects.filter(master_id=state.pk, language_code="en").first()
        if english is not None:
            MemberState.objects.filter(pk=state.pk).update(name=english.name)
    Translation.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0012_member_state_names_translatable")]
    operations = [migrations.RunPython(load, unload)]
