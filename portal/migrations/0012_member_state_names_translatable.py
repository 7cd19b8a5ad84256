import django.db.models.deletion
import parler.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0011_user_language'),
    ]

    operations = [
        # Until 0014 removes it, the English name may be left blank: going back, 0014 adds it again blank and 0013
        # fills it before it is unique again.
        migrations.AlterField(
            model_name='memberstate',
            name='name',
            field=models.CharField(default='', max_length=100, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='memberstate',
            name='protocol_order',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='protocol order'),
        ),
        migrations.AlterModelOptions(
            name='authority',
            options={'ordering': ['member_state__protocol_order', 'name'], 'verbose_name': 'national authority', 'verbose_name_plural': 'national authorities'},
        ),
        migrations.AlterModelOptions(
            name='cyclecoverage',
            options={'ordering': ['cycle', 'member_state__protocol_order', 'since'], 'verbose_name': 'cycle coverage'},
        ),
        migrations.AlterModelOptions(
            name='extension',
            options={'ordering': ['milestone', 'member_state__protocol_order', '-granted_at'], 'verbose_name': 'extension', 'verbose_name_plural': 'extensions'},
        ),
        migrations.AlterModelOptions(
            name='memberstate',
            options={'ordering': ['protocol_order', 'eu_code'], 'verbose_name': 'member state', 'verbose_name_plural': 'member states'},
        ),
        migrations.CreateModel(
            name='MemberStateTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language_code', models.CharField(db_index=True, max_length=15, verbose_name='Language')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('master', parler.fields.TranslationsForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='portal.memberstate')),
            ],
            options={
                'verbose_name': 'member state Translation',
                'db_table': 'portal_memberstate_translation',
                'db_tablespace': '',
                'managed': True,
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('language_code', 'master'), name='portal_memberstate_translation_uniq_lang')],
                'unique_together': {('language_code', 'name')},
            },
            bases=(models.Model,),  # plain in migrations: the shared models' history has no parler base
        ),
    ]
