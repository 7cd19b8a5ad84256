"""Every version's rows digest, recomputed from its rows' canonical values (assessments/snapshots.py) instead of
PostgreSQL's text output of its rows (`ROW()::text`, which changes with a column's scale).

A digest is recomputed only where the rows still give the digest recorded at submission by the old rule: they are
the rows submitted, and the new digest says so again. Where they do not (or on another database, whose digests
were spelled otherwise), the digest is emptied: the next review build checks those versions the long way, their
answers rebuilt from the rows and compared with the snapshot that their SHA-256 proves, and records their digest
only if they pass (snapshots.integrity_problems). Nothing gets a digest without being checked.
"""

import hashlib

from django.db import migrations

# The answer tables as of this migration: (name in the snapshot, model, the columns the digest covers).
TABLES = [
    ("scope", "ScopeAnswer", ["contributing_authorities", "method", "method_detail", "operators_consulted", "summary"]),
    ("actors", "ThreatActorRating", ["actor_id", "capability", "intent", "note"]),
    ("threats", "ThreatRelevance", ["threat_id", "relevance", "note"]),
    ("assets", "AssetSensitivity", ["asset_class_id", "sensitivity", "note"]),
    ("suppliers", "SupplierPresence", ["supplier_id", "share_core", "share_access", "share_transport",
                                       "share_management", "criteria", "risk_profile", "justification"]),
    ("scenarios", "ScenarioRating", ["scenario_id", "likelihood", "impact", "level", "trend", "justification"]),
    ("measures", "MeasureStatus", ["measure_id", "status", "target_date", "note"]),
]
CHUNK = 500


def tables_then(apps):
    return [(name, apps.get_model("assessments", model), columns) for name, model, columns in TABLES]


def old_digests(connection, tables, version_ids):
    """The retired rule, kept here only to recognise what it recorded: per table, md5 over the rows' ROW()::text in
    the order of their catalogue item; SHA-256 over the tables' digests."""
    quote = connection.ops.quote_name
    parts = {pk: [] for pk in version_ids}
    for _name, model, columns in tables:
        names = [quote(model._meta.get_field(c).column) for c in columns]
        row = "ROW({})::text".format(", ".join(names))
        order = f"{names[0]}, {row}" if columns[0].endswith("_id") else row
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version_id, md5(string_agg({row}, E'\\n' ORDER BY {order})) "
                           f"FROM {quote(model._meta.db_table)} WHERE version_id = ANY(%s) GROUP BY version_id",
                           [list(version_ids)])
            found = dict(cursor.fetchall())
        for pk in version_ids:
            parts[pk].append(f"{model._meta.db_table}:{found.get(pk, '-')}")
    return {pk: hashlib.sha256(";".join(parts[pk]).encode()).hexdigest() for pk in version_ids}


def recompute(apps, schema_editor):
    from assessments.snapshots import rows_digests  # the rule in force from now on

    versions = apps.get_model("assessments", "AssessmentVersion").objects
    connection = schema_editor.connection
    recorded = versions.exclude(rows_digest="")
    if connection.vendor != "postgresql":
        recorded.update(rows_digest="")
        return
    tables = tables_then(apps)
    ids = list(recorded.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = list(versions.filter(pk__in=ids[start:start + CHUNK]).only("pk", "rows_digest"))
        pks = [version.pk for version in chunk]
        old, new = old_digests(connection, tables, pks), rows_digests(pks, tables=tables)
        for version in chunk:
            version.rows_digest = new[version.pk] if old[version.pk] == version.rows_digest else ""
        versions.bulk_update(chunk, ["rows_digest"])


def forget(apps, schema_editor):
    """Back to the old rule: every digest emptied, so that the old code checks each version the long way once."""
    apps.get_model("assessments", "AssessmentVersion").objects.exclude(rows_digest="").update(rows_digest="")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0016_unsaved_input_outdated'),
    ]

    operations = [
        migrations.RunPython(recompute, forget),
    ]
