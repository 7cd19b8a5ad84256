import django.db.models.deletion
import parler.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0010_draft_started_from_an_earlier_version'),
        ('portal', '0012_member_state_names_translatable'),
    ]

    operations = [
        # Until 0013 removes them, the English texts may be left blank: going back, 0013 adds them again blank and
        # 0012 fills them.
        migrations.AlterField(
            model_name='keyassetclass',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='riskcategory',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='riskscenario',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='supplierriskcriterion',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='threat',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='threatactor',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='toolboxmeasure',
            name='title',
            field=models.CharField(default='', max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='threatactor',
            name='description',
            field=models.TextField(blank=True, default='', verbose_name='description'),
        ),
        migrations.AlterModelOptions(
            name='nationalassessment',
            options={'ordering': ['cycle', 'member_state__protocol_order'], 'verbose_name': 'national assessment', 'verbose_name_plural': 'national assessments'},
        ),
        migrations.CreateModel(
            name='KeyAssetClassTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.keyassetclass')),
            ],
            options={
                'verbose_name': 'key asset class Translation',
                'db_table': 'assessments_keyassetclass_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_keyassetclass_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
        migrations.CreateModel(
            name='RiskCategoryTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.riskcategory')),
            ],
            options={
                'verbose_name': 'risk scenario category Translation',
                'db_table': 'assessments_riskcategory_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_riskcategory_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
        migrations.CreateModel(
            name='RiskScenarioTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.riskscenario')),
            ],
            options={
                'verbose_name': 'risk scenario Translation',
                'db_table': 'assessments_riskscenario_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_riskscenario_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
        migrations.CreateModel(
            name='SupplierRiskCriterionTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.supplierriskcriterion')),
            ],
            options={
                'verbose_name': 'supplier risk criterion Translation',
                'db_table': 'assessments_supplierriskcriterion_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_supplierriskcriterion_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
        migrations.CreateModel(
            name='ThreatActorTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.threatactor')),
            ],
            options={
                'verbose_name': 'threat actor Translation',
                'db_table': 'assessments_threatactor_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_threatactor_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
        migrations.CreateModel(
            name='ThreatTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.threat')),
            ],
            options={
                'verbose_name': 'main threat Translation',
                'db_table': 'assessments_threat_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_threat_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
        migrations.CreateModel(
            name='ToolboxMeasureTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='assessments.toolboxmeasure')),
            ],
            options={
                'verbose_name': 'toolbox measure Translation',
                'db_table': 'assessments_toolboxmeasure_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='assessments_toolboxmeasure_translation_uniq_lang')],
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
    ]
