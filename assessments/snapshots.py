"""A version's answers as JSON, built from its answer rows: what is hashed is what the review counts.

Submitting copies the draft's rows into the version and builds the snapshot from the same read (inside the
assessment's row lock), so the snapshot and the rows cannot disagree; it then records `rows_digest`, a digest of
those rows computed where they are (`rows_digests`: in PostgreSQL, one aggregate per answer table, nothing sent
to Python). The review build checks every input's rows against that digest and its snapshot against its SHA-256
(`integrity_problems`) without rebuilding a version's JSON; a version submitted before the digest existed is
checked the long way once (`integrity_problem`: its answers rebuilt from the rows and compared with its snapshot)
and gets its digest then.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.utils.translation import gettext as _

from assessments.models import AssessmentVersion, AssessmentVersionAttachment, ScopeAnswer, Section
from assessments.sections import PARTS, item_key


def _json_value(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 20.00 -> "20", 20.50 -> "20.5": one spelling per number
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def answers_json(rows_by_part, scope):
    """The answers as plain JSON: {part prefix: ...}, stable in order so that its hash is reproducible."""
    answers = {Section.SCOPE.value: {name: getattr(scope, name) for name in ScopeAnswer.snapshot_fields}}
    for parts in PARTS.values():
        for part in parts:
            answers[part.prefix] = [
                {"item": item_key(getattr(row, part.item_field)),
                 **{name: _json_value(getattr(row, name)) for name in part.model.snapshot_fields}}
                for row in rows_by_part.get(part.prefix, [])
            ]
    return answers


def attachments_json(attachments):
    return [{"name": a.name, "sha256": a.sha256, "size": a.size, "content_type": a.content_type}
            for a in sorted(attachments, key=lambda a: (a.uploaded_at, a.pk))]


def version_answers(versions):
    """{version id: answers JSON} rebuilt from the versions' own rows, in one query per answer table."""
    ids = [v.pk for v in versions]
    scopes = {row.version_id: row for row in ScopeAnswer.objects.filter(version__in=ids)}
    rows = defaultdict(lambda: defaultdict(list))
    for parts in PARTS.values():
        for part in parts:
            for row in part.rows(version__in=ids):
                rows[row.version_id][part.prefix].append(row)
    return {v.pk: answers_json(rows[v.pk], scopes.get(v.pk) or ScopeAnswer()) for v in versions}


def version_attachments(versions):
    """{version id: attachments JSON} from the attachments each version cites."""
    cited = defaultdict(list)
    for link in AssessmentVersionAttachment.objects.filter(version__in=versions).select_related("attachment"):
        cited[link.version_id].append(link.attachment)
    return {v.pk: attachments_json(cited[v.pk]) for v in versions}


def _same(rebuilt, stored):
    """Equal, where a number may be spelled differently: versions submitted before 2026-11 wrote 30 as "3E+1"."""
    if isinstance(rebuilt, dict) and isinstance(stored, dict):
        return rebuilt.keys() == stored.keys() and all(_same(rebuilt[k], stored[k]) for k in rebuilt)
    if isinstance(rebuilt, list) and isinstance(stored, list):
        return len(rebuilt) == len(stored) and all(_same(a, b) for a, b in zip(rebuilt, stored))
    if isinstance(rebuilt, str) and isinstance(stored, str) and rebuilt != stored:
        try:
            return Decimal(rebuilt) == Decimal(stored)
        except InvalidOperation:
            return False
    return rebuilt == stored


def integrity_problem(version, answers, attachments):
    """None when the version's rows, its snapshot and its SHA-256 agree; else what does not.

    The hash is checked on the snapshot as stored (it is what the receipt shows); the rows rebuilt must say the
    same as that snapshot, so that what the review counts is what was hashed.
    """
    snapshot = version.snapshot
    if not (_same(answers, snapshot.get("answers")) and _same(attachments, snapshot.get("attachments"))):
        return _("the answers stored as rows differ from the snapshot that was hashed")
    if AssessmentVersion.digest(snapshot) != version.sha256:
        return _("its snapshot does not match its SHA-256")
    return None


def answer_tables():
    """(model, columns) of every table a version's answers live in: what `rows_digest` covers."""
    yield ScopeAnswer, list(ScopeAnswer.snapshot_fields)
    for parts in PARTS.values():
        for part in parts:
            yield part.model, [f"{part.item_field}_id", *part.model.snapshot_fields]


def _table_digests_sql(model, columns, version_ids):
    table, quote = model._meta.db_table, connection.ops.quote_name
    names = [quote(model._meta.get_field(c).column) for c in columns]
    row = "ROW({})::text".format(", ".join(names))
    # In the order of the catalogue item (one row per item and version), then of the whole row.
    order = f"{names[0]}, {row}" if columns[0].endswith("_id") else row
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version_id, md5(string_agg({row}, E'\\n' ORDER BY {order})) FROM {quote(table)} "
                       f"WHERE version_id = ANY(%s) GROUP BY version_id", [list(version_ids)])
        return dict(cursor.fetchall())


def _table_digests_python(model, columns, version_ids):
    """The same on a database without string_agg's ORDER BY (SQLite, the embedded development mode)."""
    texts = defaultdict(list)
    for version_id, *values in model.objects.filter(version__in=version_ids).values_list("version_id", *columns):
        texts[version_id].append(json.dumps(values, sort_keys=True, default=str))
    return {version_id: hashlib.md5("\n".join(sorted(rows)).encode()).hexdigest()  # noqa: S324 -- a checksum
            for version_id, rows in texts.items()}


def rows_digests(version_ids):
    """{version id: SHA-256 over the digests of its rows in every answer table}: changes with any stored answer."""
    table_digests = _table_digests_sql if connection.vendor == "postgresql" else _table_digests_python
    parts = defaultdict(list)
    for model, columns in answer_tables():
        found = table_digests(model, columns, version_ids)
        for version_id in version_ids:
            parts[version_id].append(f"{model._meta.db_table}:{found.get(version_id, '-')}")
    return {version_id: hashlib.sha256(";".join(parts[version_id]).encode()).hexdigest() for version_id in version_ids}


def integrity_problems(expected, *, chunk=200):
    """{version id: what is wrong} for the versions whose rows or SHA-256 are not what was submitted; empty if none.

    `expected` maps each version id to the SHA-256 the caller counts on (the review recorded it when requested).
    The rows are checked against the digest recorded with them at submission, in the database: nothing is read
    into Python but one digest per version. (The snapshot is checked against its SHA-256 where it is shown: the
    version page and the receipt, `AssessmentVersion.snapshot_intact`.) A version without a recorded digest
    (from before it existed) is checked the long way, once, a chunk at a time, and given its digest when it passes.
    """
    ids = list(expected)
    problems = {}
    digests = rows_digests(ids)
    unrecorded = []
    for pk, sha256, recorded in AssessmentVersion.objects.filter(pk__in=ids).values_list(
            "pk", "sha256", "rows_digest"):
        if sha256 != expected[pk]:
            problems[pk] = _("its SHA-256 is not the one the review was requested for")
        elif not recorded:
            unrecorded.append(pk)
        elif recorded != digests[pk]:
            problems[pk] = _("the answers stored as rows differ from those submitted")
    for start in range(0, len(unrecorded), chunk):
        older = list(AssessmentVersion.objects.filter(pk__in=unrecorded[start:start + chunk]))
        answers, attachments = version_answers(older), version_attachments(older)
        for version in older:
            problem = integrity_problem(version, answers[version.pk], attachments[version.pk])
            if problem:
                problems[version.pk] = problem
            else:
                AssessmentVersion.objects.filter(pk=version.pk, rows_digest="").update(rows_digest=digests[version.pk])
    return problems
