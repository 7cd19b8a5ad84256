import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0020, whose data step filled the editions: PostgreSQL alters no table with those writes pending."""

    dependencies = [
        ('assessments', '0022_catalogue_editions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='questionnaire',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questionnaires', to='assessments.catalogueedition', verbose_name='catalogue edition'),
        ),
        migrations.AlterField(
            model_name='riskscenario',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scenarios', to='assessments.catalogueedition', verbose_name='edition'),
        ),
        migrations.AlterField(
            model_name='toolboxmeasure',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='measures', to='assessments.catalogueedition', verbose_name='edition'),
        ),
        ]
