"""The coordinated review built by a real Celery worker through Redis."""

import datetime
import time

import pytest

from assessments.models import AssessmentVersion, ScopeAnswer
from portal.models import BRUSSELS
from reporting import services, tasks
from reporting.models import CoordinatedReview, ReviewStatus
from tests.assessments import helpers
from tests.processes import broker_at

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(review, statuses=(ReviewStatus.DONE, ReviewStatus.FAILED), timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        review.refresh_from_db()
        if review.status in statuses:
            return review
        time.sleep(0.2)
    raise AssertionError(f"review {review.pk} still {review.status} after {timeout}s")


JULY_10 = datetime.datetime(2019, 7, 10, 12, tzinfo=BRUSSELS)


def retry(review):
    """What the retry button does: queue the failed build again and hand it to the broker."""
    services.review_retry(review=review)
    tasks.enqueue(review.pk)


def broker_unreachable():
    """Point this process's Celery app at a port where nothing listens, then back."""
    return broker_at("redis://127.0.0.1:1/0")


def test_a_submission_triggers_a_review_that_a_real_worker_builds(celery_worker, submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE", "DE"])
    submit(cycle, "AT", JULY_10)
    submit(cycle, "BE", JULY_10)
    review = wait_for(CoordinatedReview.objects.filter(cycle=cycle).latest("pk"))
    assert review.status == ReviewStatus.DONE, review.error
    assert review.enqueued_at is not None and review.attempts == 1
    assert [(p.member_state_code, p.number) for p in review.provenance.all()] == [("AT", 1), ("BE", 1)]
    assert review.results["completeness"]["included"] == ["AT", "BE"]

    # Asking again for the same inputs returns the same review, and builds nothing.
    again, created = services.review_request(cycle=cycle)
    assert (again.pk, created) == (review.pk, False)
    # Running the build twice changes nothing.
    assert services.review_build(review_id=review.pk) is None
    assert CoordinatedReview.objects.get(pk=review.pk).finished_at == review.finished_at

    # A new submission makes it stale, naming what changed.
    submit(cycle, "DE", JULY_10)
    assert services.review_changes(review) == [("DE", "DE submitted for the first time (version 1)")]
    newer = wait_for(CoordinatedReview.objects.filter(cycle=cycle).latest("pk"))
    assert newer.pk != review.pk and newer.status == ReviewStatus.DONE
    assert services.review_changes(newer) == []


def test_with_the_broker_down_the_submission_succeeds_and_the_sweep_builds_the_review_later(celery_worker, submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE"])
    with broker_unreachable():
        version = submit(cycle, "AT", JULY_10)
    assert AssessmentVersion.objects.filter(pk=version.pk).exists()
    review = CoordinatedReview.objects.get(cycle=cycle)
    assert (review.status, review.enqueued_at) == (ReviewStatus.QUEUED, None)

    assert tasks.sweep_reviews() == 1
    review = wait_for(review)
    assert review.status == ReviewStatus.DONE, review.error
    assert tasks.sweep_reviews() == 0


def test_a_failing_build_is_recorded_with_its_error_and_a_retry_succeeds(celery_worker, submit):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    version = submit(cycle, "AT", JULY_10)
    wait_for(CoordinatedReview.objects.get(cycle=cycle))
    # An answer row of the version altered behind the portal's back no longer matches the digest of its rows.
    summary = ScopeAnswer.objects.get(version=version).summary
    ScopeAnswer.objects.filter(version=version).update(summary="forged")
    review = CoordinatedReview.objects.get(cycle=cycle)
    CoordinatedReview.objects.filter(pk=review.pk).update(status=ReviewStatus.FAILED)  # as if it had failed
    retry(review)
    review = wait_for(review)
    assert review.status == ReviewStatus.FAILED
    assert "Version 1 of AT: the answers stored as rows differ from those submitted" in review.error

    ScopeAnswer.objects.filter(version=version).update(summary=summary)
    retry(review)
    review = wait_for(review, statuses=(ReviewStatus.DONE,))
    assert review.status == ReviewStatus.DONE and review.error == "" and review.attempts == 3


def test_four_member_states_through_the_worker_give_the_hand_computed_figures(celery_worker, four):
    review = wait_for(CoordinatedReview.objects.filter(cycle=four).latest("pk"))
    assert review.status == ReviewStatus.DONE, review.error
    r4 = {s["code"]: s for s in review.results["scenarios"]}["R4"]
    assert r4["likelihood"] == {"n": 4, "min": 1, "median": 2, "mean": 3.0, "max": 5,
                                "distribution": {"1": 1, "2": 1, "4": 1, "5": 1}}


