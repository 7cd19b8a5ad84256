"""The four roles are groups; see portal.models.Role for what each may do."""

from django.db import migrations

ROLES = ["reporter", "lead reporter", "reviewer", "admin"]


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_member_states"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(load, remove)]
