"""A version's answers as JSON, built from its answer rows: what is hashed is what the review counts.

Submitting copies the draft's rows into the version, then builds the snapshot from those copies (one read, inside
the assessment's row lock), so the snapshot and the rows cannot disagree. The review build rebuilds the answers
from the rows and checks them against the snapshot and its SHA-256 (`integrity_problem`).
"""

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation

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
