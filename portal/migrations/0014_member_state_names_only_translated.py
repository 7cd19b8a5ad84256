from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0013_member_state_names_in_three_languages"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='memberstate',
            name='name',
        ),
    ]
