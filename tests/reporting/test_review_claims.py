"""The claim on a review's build: who may build it, when a silent build loses it, and the heartbeat that keeps it.

The same rules with real workers killed and a real broker stopped: tests/reporting/test_review_faults.py.
"""

import datetime
import time

import pytest
from django.utils import timezone

from reporting import claims, services
from reporting.models import CoordinatedReview, ReviewStatus
from tests.assessments import helpers
from tests.processes import broker_at
from tests.reporting.test_review_worker import JULY_10

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def review(db, submit):
    """A queued review that no worker will touch: its hand-over, if the test commits at all, finds no broker."""
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE"])
    with broker_at("redis://127.0.0.1:1/0"):
        submit(cycle, "AT", JULY_10)
    return CoordinatedReview.objects.get(cycle=cycle, status=ReviewStatus.QUEUED)


def state(review):
    review.refresh_from_db()
    return review.status, review.claimed_by, review.attempts


def test_a_live_claim_refuses_every_other_build_and_takes_up_its_own_message_again(review, settings):
    now = timezone.now()
    assert claims.take(review.pk, claim="task-1", now=now)
    silent_for = settings.REVIEW_ABANDONED_AFTER_SECONDS
    assert not claims.take(review.pk, claim="task-2", now=now + (silent_for - 1) * SECOND)
    assert state(review) == (ReviewStatus.RUNNING, "task-1", 1)
    # The same message handed out again (its pool process died): the same build, one more attempt.
    assert claims.take(review.pk, claim="task-1", now=now + 2 * SECOND)
    assert state(review) == (ReviewStatus.RUNNING, "task-1", 2)


def test_a_silent_claim_is_taken_over_and_the_silent_build_writes_nothing_after(review, settings):
    now = timezone.now()
    claims.take(review.pk, claim="task-1", now=now)
    silent_for = settings.REVIEW_ABANDONED_AFTER_SECONDS  # no heartbeat for longer: abandoned
    assert claims.take(review.pk, claim="task-2", now=now + (silent_for + 1) * SECOND)
    assert state(review) == (ReviewStatus.RUNNING, "task-2", 2)
    # Every write of a build goes through its claim: the first build, waking up, changes nothing.
    assert CoordinatedReview.objects.filter(pk=review.pk).held_by("task-1").update(status=ReviewStatus.DONE) == 0
    assert review.__class__.objects.get(pk=review.pk).status == ReviewStatus.RUNNING


def test_a_built_review_is_not_built_again_by_a_late_message(review):
    assert services.review_build(review_id=review.pk, claim="task-1") == review.pk
    assert services.review_build(review_id=review.pk, claim="task-1") is None  # redelivered after it finished
    assert services.review_build(review_id=review.pk) is None
    assert state(review) == (ReviewStatus.DONE, "task-1", 1)


def test_the_sweep_queues_again_a_review_whose_build_fell_silent_and_only_that_one(review, submit, settings):
    now = timezone.now()
    claims.take(review.pk, claim="task-1", now=now)
    silent_for = settings.REVIEW_ABANDONED_AFTER_SECONDS
    assert services.review_sweep(now=now + silent_for * SECOND) == []  # silent for exactly that long: not yet
    assert services.review_sweep(now=now + (silent_for + 1) * SECOND) == [review.pk]
    review.refresh_from_db()
    assert (review.status, review.enqueued_at) == (ReviewStatus.QUEUED, None)
    # Sent, and no worker took it: not sent again at every sweep.
    services.review_mark_enqueued(review.pk)
    assert services.review_sweep(now=timezone.now() + 60 * SECOND) == []


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_build_alive_and_stops_with_it(review, settings):
    settings.REVIEW_HEARTBEAT_SECONDS = 1
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    claims.take(review.pk, claim="task-1", now=long_ago)
    with claims.heartbeat(review.pk, "task-1"):
        time.sleep(1.5)
        review.refresh_from_db()
        assert review.heartbeat_at > timezone.now() - 2 * SECOND  # a thread beside the build wrote it
    beaten = review.heartbeat_at
    time.sleep(1.5)
    review.refresh_from_db()
    assert review.heartbeat_at == beaten  # the build ended: so did its heartbeat
