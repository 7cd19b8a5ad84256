"""Asking for an export and making it: one row per distinct export, one job per row, each file made once.

Asking only writes (or finds) the Export row, keyed by a SHA-256 of everything that decides its content; the caller
hands the job to the broker after commit (reporting.tasks.enqueue_export_on_commit), and a broker that is down leaves
the row queued for the sweep. The job claims the row as a review's build claims its review (reporting/claims.py),
renders into a temporary file (reporting/exports/content.py), stores that file content-addressed (written whole or
not at all, portal/lib/storage.py), and marks the row done only while it still holds the claim. Killed at any line, it
leaves either nothing or a stored file that no row points at yet, which the next attempt stores again under the same
name.
"""

import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation

from portal import markings
from portal.lib import translated
from portal.lib.digests import sha256_of_file, sha256_of_json
from portal.lib.storage import content_name, export_storage
from reporting import claims, publishing
from reporting.compare import compared_versions, previous_cycle_of
from reporting.exports import content as exports
from reporting.models import Audience, Export, ExportKind, JobStatus, audience_of


def export_key(*, kind, subject, parameters, fmt, language, audience, cap=""):
    """The export's identity: the same inputs give the same key, so the same file. A cap is part of it when there is
    one (an uncapped export keeps the key it had before caps existed)."""
    return sha256_of_json([kind, subject, parameters, fmt, language, audience, *([cap] if cap else [])])


def _request(*, kind, subject, cycle, review, parameters, fmt, language, user, audience, cap=""):
    """(export, created): the row of this export, written now or found; the caller hands a new one to the broker."""
    cap = cap if audience == Audience.REVIEWER else ""  # a cap is the reviewers' choice (export_cap_for_reviewers)
    key = export_key(kind=kind, subject=subject, parameters=parameters, fmt=fmt, language=language, audience=audience,
                     cap=cap)
    # get_or_create retries the read when a parallel request inserted the same key first (the unique constraint).
    return Export.objects.get_or_create(key=key, defaults={
        "kind": kind, "review": review, "cycle": cycle, "parameters": parameters, "format": fmt,
        "language": language, "audience": audience, "requested_by": user, "cap": cap or ""})


def export_review_request(*, review, fmt, user, language, cap=""):
    """The export of a done review for the user's audience (everything for reviewers, aggregates for staff); a
    reviewer's `cap` ("up to TLP:GREEN") leaves out what is marked above it.

    A done review never changes, so each (review, format, language, audience, cap) is made once and served after.
    Staff's file carries the standing publication's marking, which is part of its key: published again under another
    marking, it is another file.
    """
    audience = audience_of(user)
    parameters = {}
    if audience == Audience.PUBLIC:
        publication = publishing.standing_publication(review)
        parameters = {"marking": publication.marking if publication else markings.PUBLISHED_DEFAULT.value}
    return _request(kind=ExportKind.REVIEW, subject=f"review:{review.pk}", cycle=review.cycle, review=review,
                    parameters=parameters, fmt=fmt, language=language, user=user, audience=audience, cap=cap)


def export_comparison_request(*, cycle, member_states, section, previous, fmt, user, language, differ=False,
                              cap=""):
    """The export of a comparison, keyed by its choices and the versions it shows (the cycle's and the previous one's).

    Submitted versions never change, so a new submission gives a new file, and the same comparison of the same
    versions is made once. `differ` (only the rows where the member states differ) is recorded only when asked.
    """
    earlier = previous_cycle_of(cycle) if previous else None
    counted = compared_versions(cycle, earlier)
    parameters = {"member_states": sorted(ms.eu_code for ms in member_states), "section": str(section),
                  "previous": bool(previous),
                  "versions": [sorted(v.pk for v in counted.get(c, [])) for c in (cycle, earlier)]}
    if differ:
        parameters["differ"] = True
    return _request(kind=ExportKind.COMPARISON, subject=f"cycle:{cycle.pk}", cycle=cycle, review=None,
                    parameters=parameters, fmt=fmt, language=language, user=user, audience=audience_of(user),
                    cap=cap)


def export_trend_request(*, subject, title, cycle, publications, fmt, user, language):
    """The export of a trend, keyed by its subject and the publications it reads (a new publication, or one
    withdrawn, gives a new file). `cycle` is the newest cycle the trend shows: every export names one."""
    parameters = {"subject": subject.value, "segment": subject.segment, "title": title,
                  "publications": sorted(publication.pk for publication in publications)}
    return _request(kind=ExportKind.TREND, subject=f"trend:{subject.value}", cycle=cycle, review=None,
                    parameters=parameters, fmt=fmt, language=language, user=user, audience=audience_of(user))


def export_build(*, export_id, claim=None):
    """Make the export's file: the export id when this call made it, else None (gone, done, or another's to make).

    `claim` names the job, as for a review's build: the Celery task id, so that the same message handed out again
    after its pool process died takes its own claim up again.
    """
    claim = claim or uuid.uuid4().hex
    if not claims.exports.take(export_id, claim=claim):
        return None
    mine = Export.objects.filter(pk=export_id).held_by(claim)
    with claims.exports.heartbeat(export_id, claim):
        export = Export.objects.select_related("review__cycle", "cycle").get(pk=export_id)
        try:
            # In the reader's language, catalogue titles and member state names included, each table read once.
            with (translation.override(export.language), translated.reading(),
                  tempfile.TemporaryDirectory(prefix="export-") as folder):
                path = Path(folder) / f"export.{export.format}"
                marking = exports.render(export, path, _progress(mine))
                mine.update(progress=translation.gettext("Storing the file"))
                name, sha256, size = _store(path)
        except Exception as exc:
            mine.update(status=JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
            raise
        done = mine.update(status=JobStatus.DONE, file=name, sha256=sha256, size=size, progress="",
                           marking=marking, finished_at=timezone.now())
    return export_id if done else None


def _progress(mine):
    """What a renderer calls at each step: the text goes on the row (while the job holds it) for the page to show."""
    paused = False

    def progress(text):
        nonlocal paused
        mine.update(progress=str(text)[:200])
        if settings.EXPORT_BUILD_PAUSE_SECONDS and not paused:  # fault drills only: hold the job mid-render
            paused = True
            time.sleep(settings.EXPORT_BUILD_PAUSE_SECONDS)

    return progress


def _store(path):
    """Store the file under its SHA-256, reading it in chunks (twice: to name it, then to copy it)."""
    with open(path, "rb") as handle:
        sha256, size = sha256_of_file(handle)
    storage, name = export_storage(), content_name(sha256)
    if not storage.exists(name):  # stored by an earlier attempt, or the same content for another export
        with open(path, "rb") as handle:
            storage.save(name, File(handle))
    return name, sha256, size


def export_retry(*, export):
    """A failed export is queued again (the caller hands it to the broker after commit)."""
    return Export.objects.filter(pk=export.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, enqueued_at=None, progress="")


def export_lost(*, export):
    """A done export whose stored file is gone is made again (the caller hands it to the broker after commit)."""
    return Export.objects.filter(pk=export.pk, status=JobStatus.DONE).update(status=JobStatus.QUEUED,
                                                                          enqueued_at=None)


def export_sweep(*, now=None):
    """Ids of the exports to hand over again: never sent, sent long ago and still queued, or left by a dead worker."""
    now = now or timezone.now()
    claims.exports.release_abandoned(now=now)
    return Export.objects.to_hand_over(now=now)


def export_mark_enqueued(export_id):
    Export.objects.mark_enqueued(export_id)
