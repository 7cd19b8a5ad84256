"""Requesting, building, sweeping and publishing coordinated reviews."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssessmentVersion
from assessments.services import canonical_json
from reporting import aggregate
from reporting.models import CoordinatedReview, ReviewInput, ReviewStatus
from reporting.timeliness import State, timeliness

log = logging.getLogger(__name__)

# A review handed to the broker but still queued after this long is handed over again by the sweep.
RESEND_AFTER = datetime.timedelta(minutes=10)


class NothingToReview(Exception):
    """No member state has submitted in this cycle yet."""


def latest_versions(cycle):
    """The latest submitted version of each member state in the cycle."""
    latest = AssessmentVersion.objects.filter(assessment=OuterRef("assessment")).order_by("-number").values("pk")[:1]
    return (AssessmentVersion.objects.filter(assessment__cycle=cycle, pk=Subquery(latest))
            .select_related("assessment__member_state").order_by("assessment__member_state__eu_code"))


def fingerprint(versions):
    key = ";".join(f"{v.assessment.member_state.eu_code}:{v.number}:{v.sha256}" for v in versions)
    return hashlib.sha256(key.encode()).hexdigest()


def review_request(*, cycle, user=None):
    """The review of the cycle's current inputs: the existing one for these inputs, or a new one, queued.

    The row is written in the caller's transaction and the build is handed to
    the broker only after commit; if the broker is down the row waits, queued,
    for the sweep. Returns (review, created).
    """
    versions = list(latest_versions(cycle))
    if not versions:
        raise NothingToReview
    with transaction.atomic():
        review, created = CoordinatedReview.objects.get_or_create(
            cycle=cycle, fingerprint=fingerprint(versions), defaults={"requested_by": user})
        if created:
            ReviewInput.objects.bulk_create(
                ReviewInput(review=review, version=v, member_state_code=v.assessment.member_state.eu_code,
                            number=v.number, sha256=v.sha256) for v in versions)
            transaction.on_commit(lambda: enqueue(review.pk))
    return review, created


def enqueue(review_id):
    """Hand a build to the broker. Never raises: a review that could not be sent stays queued for the sweep."""
    from reporting.tasks import build_review

    try:
        build_review.apply_async(args=[review_id], retry=False)
    except Exception:  # the broker is down or refused: the database row is the record that matters
        log.warning("review %s: broker unavailable, left for the sweep", review_id, exc_info=True)
        return False
    CoordinatedReview.objects.filter(pk=review_id, status=ReviewStatus.QUEUED).update(enqueued_at=timezone.now())
    return True


def review_sweep(*, now=None):
    """Hand over again what waits: never sent, sent long ago but still queued, or running past its time limit."""
    now = now or timezone.now()
    stuck = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    waiting = CoordinatedReview.objects.filter(
        Q(status=ReviewStatus.QUEUED, enqueued_at__isnull=True)
        | Q(status=ReviewStatus.QUEUED, enqueued_at__lt=now - RESEND_AFTER)
        | Q(status=ReviewStatus.RUNNING, started_at__lt=stuck)
    ).values_list("pk", flat=True)
    return sum(enqueue(pk) for pk in list(waiting))


def _completeness(cycle, included):
    report = timeliness(cycle, now=timezone.now())
    expected, late = [], []
    for member_state, cells in report.rows:
        if cells and cells[0].state == State.NOT_APPLICABLE:
            continue
        expected.append(member_state.eu_code)
        if any(cell.state == State.LATE for cell in cells):
            late.append(member_state.eu_code)
    if not report.milestones:
        expected = sorted(cycle.member_states.values_list("eu_code", flat=True))
    return {"expected": sorted(expected), "included": sorted(included),
            "missing": sorted(set(expected) - set(included)), "late": sorted(late)}


def review_build(*, review_id):
    """Build the review's figures from its recorded inputs. Safe to run twice: only a claimed review is built."""
    now = timezone.now()
    stuck = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = CoordinatedReview.objects.filter(
        Q(status__in=[ReviewStatus.QUEUED, ReviewStatus.FAILED]) | Q(status=ReviewStatus.RUNNING, started_at__lt=stuck),
        pk=review_id,
    ).update(status=ReviewStatus.RUNNING, started_at=now, attempts=F("attempts") + 1, error="")
    if not claimed:
        return None  # gone, already built, or being built
    review = CoordinatedReview.objects.select_related("cycle").get(pk=review_id)
    try:
        inputs = list(review.provenance.select_related("version"))
        for item in inputs:
            # The version must still be what the review was requested for.
            actual = hashlib.sha256(canonical_json(item.version.snapshot).encode()).hexdigest()
            if actual != item.sha256:
                raise ValueError(f"Version {item.number} of {item.member_state_code} does not match its SHA-256 "
                                 f"any more: its stored content was changed after submission.")
        results = aggregate.compute([item.version_id for item in inputs],
                                    _completeness(review.cycle, [item.member_state_code for item in inputs]))
    except Exception as exc:
        CoordinatedReview.objects.filter(pk=review_id).update(
            status=ReviewStatus.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
        raise
    results["generated_at"] = timezone.now().isoformat()
    CoordinatedReview.objects.filter(pk=review_id).update(status=ReviewStatus.DONE, results=results,
                                                          finished_at=timezone.now())
    return review_id


def review_retry(*, review):
    CoordinatedReview.objects.filter(pk=review.pk, status=ReviewStatus.FAILED).update(
        status=ReviewStatus.QUEUED, enqueued_at=None)
    transaction.on_commit(lambda: enqueue(review.pk))


def review_publish(*, review, user):
    CoordinatedReview.objects.filter(pk=review.pk, status=ReviewStatus.DONE).update(
        published_at=timezone.now(), published_by=user)


def review_changes(review):
    """What changed in the cycle's inputs since the review: [(member state code, text)]; empty when current."""
    current = {v.assessment.member_state.eu_code: v for v in latest_versions(review.cycle)}
    used = {item.member_state_code: item for item in review.provenance.all()}
    changes = []
    for code, version in sorted(current.items()):
        if code not in used:
            changes.append((code, _("%(ms)s submitted for the first time (version %(n)s)")
                            % {"ms": code, "n": version.number}))
        elif used[code].number != version.number:
            changes.append((code, _("%(ms)s submitted version %(n)s (the review used version %(used)s)")
                            % {"ms": code, "n": version.number, "used": used[code].number}))
    return changes


def after_submission(*, cycle):
    """Called when a member state submits: a review of the new inputs is requested automatically."""
    try:
        return review_request(cycle=cycle)
    except NothingToReview:
        return None
