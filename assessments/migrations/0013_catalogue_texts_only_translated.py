from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0012_catalogue_in_three_languages"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='keyassetclass',
            name='title',
        ),
        migrations.RemoveField(
            model_name='riskcategory',
            name='title',
        ),
        migrations.RemoveField(
            model_name='riskscenario',
            name='title',
        ),
        migrations.RemoveField(
            model_name='supplierriskcriterion',
            name='title',
        ),
        migrations.RemoveField(
            model_name='threat',
            name='title',
        ),
        migrations.RemoveField(
            model_name='threatactor',
            name='description',
        ),
        migrations.RemoveField(
            model_name='threatactor',
            name='title',
        ),
        migrations.RemoveField(
            model_name='toolboxmeasure',
            name='title',
        ),
    ]
