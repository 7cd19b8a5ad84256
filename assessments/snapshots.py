"""A version's answers as JSON, built from its answer rows: what is hashed is what the review counts.

Submitting copies the draft's rows into the version and builds the snapshot from the same read (inside the
assessment's row lock), so the snapshot and the rows cannot disagree; it then records `rows_digest`, a digest of
those rows computed where they are (`rows_digests`: in PostgreSQL, one aggregate per answer table, nothing sent
to Python). The review build checks every input's rows against that digest and its snapshot against its SHA-256
(`integrity_problems`) without rebuilding a version's JSON; a version submitted before the digest existed is
checked the long way once (`integrity_problem`: its answers rebuilt from the rows and compared with its snapshot)
and gets its digest then.

**The rows digest is of values, not of how a database prints them.** Each row is spelled as a JSON array of its
canonical values (`row_text`: a number at its own scale, "20" for 20.00 whatever the column's scale; a day in ISO;
a JSON object as its [key, value] pairs in key order; text, whole numbers and NULL as they are); a table's digest is
the SHA-256 of its rows' spellings, one per line, in the order of their catalogue item. PostgreSQL builds the same
spelling in SQL (`_canonical_sql`), so a migration that changes a column's type or scale, but no value, changes no
digest; other databases compute it in Python (tests/assessments/test_rows_digest.py: both spell every row alike).
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, models
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentVersion,
    AssessmentVersionAttachment,
    Attachment,
    PhaseOutEntry,
    ScopeAnswer,
    Section,
)
from assessments.questionnaire.sections import (
    OPTIONAL_SECTIONS,
    OPTIONAL_SINGLES,
    PARTS,
    SINGLES,
    item_key,
    optional_rows,
)


def _json_value(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 20.00 -> "20", 20.50 -> "20.5": one spelling per number
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def answers_json(rows_by_part, scope):
    """The answers as plain JSON: {part prefix: ...}, stable in order so that its hash is reproducible. A section
    some cycles ask (OPTIONAL_SINGLES) is there when `rows_by_part` holds its row, under its prefix."""
    answers = {Section.SCOPE.value: {name: getattr(scope, name) for name in ScopeAnswer.snapshot_fields}}
    for single in OPTIONAL_SINGLES:
        for row in rows_by_part.get(single.prefix) or []:
            answers[single.prefix] = {name: _json_value(getattr(row, name)) for name in single.model.snapshot_fields}
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


def phase_out_json(rows):
    """The phase-out tracker's rows as JSON, with the designation each was submitted under (it is the supplier's, and
    may be corrected later: the version keeps what its deadlines were computed from)."""
    return [{"operator": row.operator, "asset_class": row.asset_class.code, "supplier": row.supplier.name,
             "designated_on": _json_value(row.supplier.designated_high_risk_on),
             **{name: _json_value(getattr(row, name)) for name in row.snapshot_fields}}
            for row in sorted(rows, key=lambda r: (r.operator, r.asset_class.position, r.asset_class.code,
                                                   r.supplier.name))]


@dataclass(frozen=True)
class DraftContent:
    """What a version of the draft would hold, read once: the rows to copy, and their JSON with its SHA-256, which
    a certification names."""

    rows: dict  # {prefix: [rows]} of every part, and of the one-row sections beyond the scope that the cycle asks
    singles: dict  # {Single: [its row]} of those one-row sections (the legislation of 2023), to copy as they are
    scope: object  # the draft's ScopeAnswer (None before its rows exist)
    attachments: list
    phase_out: list | None  # None when the cycle keeps no phase-out tracker
    json: dict
    sha256: str


def draft_content(assessment):
    """The draft's content as a version would freeze it now (the snapshot's answers, attachments and phase-out): what
    a certification names by its SHA-256, and the draft's document prints."""
    questionnaire = assessment.cycle.questionnaire
    asked = questionnaire.sections
    singles = {SINGLES[section]: list(SINGLES[section].model.objects.filter(assessment=assessment,
                                                                            version__isnull=True))
               for section in OPTIONAL_SECTIONS if section in asked}
    rows = {part.prefix: list(part.draft_rows(assessment)) for parts in PARTS.values() for part in parts}
    rows |= {single.prefix: found for single, found in singles.items()}
    scope = ScopeAnswer.objects.filter(assessment=assessment, version__isnull=True).first()
    attachments = list(Attachment.objects.filter(assessment=assessment).in_draft())
    content = {"answers": answers_json(rows, scope or ScopeAnswer()), "attachments": attachments_json(attachments)}
    phase_out = None
    if questionnaire.asks_phase_out:  # only then: other cycles' snapshots stay as they were
        phase_out = list(PhaseOutEntry.objects.filter(assessment=assessment, version__isnull=True)
                         .select_related("asset_class", "supplier"))
        content["phase_out"] = phase_out_json(phase_out)
    return DraftContent(rows, singles, scope, attachments, phase_out, content, AssessmentVersion.digest(content))


def version_answers(versions):
    """{version id: answers JSON} rebuilt from the versions' own rows, in one query per answer table."""
    ids = [v.pk for v in versions]
    scopes = {row.version_id: row for row in ScopeAnswer.objects.filter(version__in=ids)}
    rows = defaultdict(lambda: defaultdict(list))
    for prefix, found in optional_rows(version__in=ids).items():
        for row in found:
            rows[row.version_id][prefix].append(row)
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
    """(name, model, columns) of every table a version's answers live in, named as in the snapshot: what
    `rows_digest` covers."""
    yield Section.SCOPE.value, ScopeAnswer, list(ScopeAnswer.snapshot_fields)
    for single in OPTIONAL_SINGLES:
        yield single.prefix, single.model, list(single.model.snapshot_fields)
    for parts in PARTS.values():
        for part in parts:
            yield part.prefix, part.model, [f"{part.item_field}_id", *part.model.snapshot_fields]


OPTIONAL_TABLES = {single.prefix for single in OPTIONAL_SINGLES}


def _canonical_value(value):
    """A column's value as the rows digest spells it (see the module's docstring)."""
    if isinstance(value, dict):
        return [[key, value[key]] for key in sorted(value)]
    return _json_value(value)


def row_text(values):
    """One row's canonical spelling: a JSON array as PostgreSQL's json_build_array writes it (", " between items)."""
    return json.dumps([_canonical_value(v) for v in values], ensure_ascii=False, separators=(", ", ": "))


def _canonical_sql(field, column):
    """SQL spelling `column`'s value as `_canonical_value` does, whatever the column's type and scale."""
    if isinstance(field, models.DecimalField):
        return f"trim_scale({column})::text"
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return f"to_char({column}, 'YYYY-MM-DD')"
    if isinstance(field, models.JSONField):
        pairs = (f'SELECT json_agg(json_build_array(pair.key, pair.value) ORDER BY pair.key COLLATE "C") '
                 f"FROM jsonb_each({column}) AS pair")
        return (f"CASE WHEN jsonb_typeof({column}) = 'object' THEN coalesce(({pairs}), '[]'::json) "
                f"ELSE {column}::json END")
    return column


def _order(columns):
    """The column a table's rows are taken in the order of: its catalogue item where it has one (one row per item
    and version, a constraint of every such table), else none but the rows' spelling (the scope: one row)."""
    return columns[0] if columns[0].endswith("_id") else None


def _table_digests_sql(model, columns, version_ids):
    """{version id: digest of its rows in the table}, in one query: the rows are spelled and hashed in PostgreSQL."""
    table, quote = model._meta.db_table, connection.ops.quote_name
    fields = [model._meta.get_field(c) for c in columns]
    row = "json_build_array({})::text".format(", ".join(_canonical_sql(f, quote(f.column)) for f in fields))
    item = _order(columns)
    # COLLATE "C": in the order of the bytes of UTF-8, which is the order of code points, as Python sorts text.
    order = quote(model._meta.get_field(item).column) if item else 'row_text COLLATE "C"'
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version_id, encode(sha256(convert_to(string_agg(row_text, E'\\n' ORDER BY {order}), "
                       f"'UTF8')), 'hex') FROM (SELECT *, {row} AS row_text FROM {quote(table)} "
                       f"WHERE version_id = ANY(%s)) AS spelled GROUP BY version_id", [list(version_ids)])
        return dict(cursor.fetchall())


def _table_digests_python(model, columns, version_ids):
    """The same on another database (SQLite, the embedded development mode): the rows read and spelled here."""
    rows = defaultdict(list)
    for version_id, *values in model.objects.filter(version__in=version_ids).values_list("version_id", *columns):
        rows[version_id].append((values[0] if _order(columns) else None, row_text(values)))
    return {version_id: hashlib.sha256("\n".join(text for _item, text in sorted(spelled)).encode()).hexdigest()
            for version_id, spelled in rows.items()}


def rows_digests(version_ids, *, tables=None, in_python=None):
    """{version id: SHA-256 over the digests of its rows in every answer table}: changes with any stored value.

    `tables`: (name, model, columns) as `answer_tables()` gives them (a data migration passes its own). `in_python`
    computes it in Python even on PostgreSQL (the tests compare both ways)."""
    if in_python is None:
        in_python = connection.vendor != "postgresql"
    table_digests = _table_digests_python if in_python else _table_digests_sql
    parts = defaultdict(list)
    for name, model, columns in tables or answer_tables():
        found = table_digests(model, columns, version_ids)
        for version_id in version_ids:
            if version_id in found or name not in OPTIONAL_TABLES:  # a section not asked: no part of the digest
                parts[version_id].append(f"{name}:{found.get(version_id, '-')}")
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
