"""The coordinated review survives its faults: workers killed mid-build and a broker that goes away.

Real processes throughout: a Redis of the test's own (tests/processes.py), Celery workers and beat on it with the
portal's own settings (heartbeat every 5 s, abandoned after 20 s, the sweep every 5 s), SIGKILL, and the test
client's submission. Each test prints what it measured (pytest -s, or the junit properties).
"""

import os
import signal
import time

import pytest
from django.urls import reverse

from portal.models import Role
from reporting.models import CoordinatedReview, ReviewStatus
from tests import factories
from tests.assessments import helpers
from tests.reporting.test_review_worker import JULY_10

pytestmark = [pytest.mark.worker, pytest.mark.long, pytest.mark.django_db(transaction=True)]

# The goals (docs/operations.md, "The coordinated review survives its faults").
RECOVERY_GOAL = 60  # seconds from a worker (or the broker) being back to the review built
HANDOVER_GOAL = 30  # seconds from a killed worker's last heartbeat to another build holding the review
ANSWER_GOAL = 1  # seconds for a submission while the broker is down


def wait_for(review, status, *, timeout, logs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        review.refresh_from_db()
        if review.status == status:
            return review
        time.sleep(0.1)
    raise AssertionError(f"review {review.pk} still {review.status} ({review.error}) after {timeout} s, not "
                         f"{status}\n{logs()}")


def measured(record_property, name, seconds):
    record_property(name, round(seconds, 1))
    print(f"{name}: {seconds:.1f} s")


def test_a_review_whose_worker_is_killed_mid_build_is_built_once_another_worker_is_up(broker, submit,
                                                                                       record_property):
    broker.celery("beat")  # as in production: beat runs throughout, the sweep every 5 s
    doomed = broker.celery("worker", REVIEW_BUILD_PAUSE_SECONDS="120")
    doomed.wait_ready()
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE"])
    submit(cycle, "AT", JULY_10)
    review = wait_for(CoordinatedReview.objects.get(cycle=cycle), ReviewStatus.RUNNING, timeout=20, logs=broker.logs)
    first_claim = review.claimed_by

    doomed.kill()  # the worker and its pool process, mid-build: the review stays running, its message unacked
    killed = time.monotonic()
    review.refresh_from_db()
    last_heartbeat = review.heartbeat_at
    up = broker.celery("worker").wait_ready()

    review = wait_for(review, ReviewStatus.DONE, timeout=RECOVERY_GOAL, logs=broker.logs)
    done = time.monotonic()
    measured(record_property, "worker killed: built after the new worker was up", done - up)
    measured(record_property, "worker killed: built after the kill", done - killed)
    handed_over = (review.started_at - last_heartbeat).total_seconds()  # the new build's claim, stamped by it
    measured(record_property, "worker killed: handed over after its last heartbeat", handed_over)
    assert handed_over <= HANDOVER_GOAL
    assert review.claimed_by not in ("", first_claim)  # the sweep's new message built it, not the dead one's
    assert review.attempts == 2 and review.results["completeness"]["included"] == ["AT"]


def test_a_review_whose_pool_process_is_killed_is_taken_up_again_by_its_own_message(broker, submit,
                                                                                     record_property):
    # The drill's pause applies to the build handed out again too: it is part of the time measured.
    worker = broker.celery("worker", REVIEW_BUILD_PAUSE_SECONDS="3")
    worker.wait_ready()
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE"])
    submit(cycle, "AT", JULY_10)
    review = wait_for(CoordinatedReview.objects.get(cycle=cycle), ReviewStatus.RUNNING, timeout=20, logs=broker.logs)
    claim = review.claimed_by

    [pool_process] = worker.pool_processes()
    os.kill(pool_process, signal.SIGKILL)  # the worker lives on and starts a new pool process
    killed = time.monotonic()

    # No beat, no sweep: Celery requeues the message (reject_on_worker_lost) and the same task takes its claim up.
    review = wait_for(review, ReviewStatus.DONE, timeout=RECOVERY_GOAL, logs=broker.logs)
    measured(record_property, "pool process killed: built after the kill (3 s of it the drill's pause)",
             time.monotonic() - killed)
    assert review.claimed_by == claim and review.attempts == 2


def test_a_submission_while_the_broker_is_down_answers_at_once_and_is_built_when_it_is_back(broker, client,
                                                                                           record_property):
    broker.celery("beat")
    broker.celery("worker").wait_ready()
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE"])
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    draft = helpers.start(cycle, lead)
    helpers.fill(draft)
    client.force_login(lead)
    url = reverse("assessments:submit", args=[draft.pk])
    assert client.get(url).status_code == 200  # the lead opens the page, then the broker goes away

    broker.redis.stop()
    started = time.monotonic()
    response = client.post(url, {"certify": "1"})
    answered = time.monotonic() - started
    measured(record_property, "broker down: the submission answered in", answered)
    assert response.status_code == 302 and response.url == reverse("assessments:receipt", args=[draft.pk, 1])
    assert answered <= ANSWER_GOAL
    review = CoordinatedReview.objects.get(cycle=cycle)
    assert (review.status, review.enqueued_at) == (ReviewStatus.QUEUED, None)  # not sent: left for the sweep

    time.sleep(5)  # the outage lasts; the worker and beat keep trying to reconnect
    broker.redis.start()  # empty, as after a crash: only the database remembers the review
    back = time.monotonic()
    review = wait_for(review, ReviewStatus.DONE, timeout=RECOVERY_GOAL, logs=broker.logs)
    measured(record_property, "broker down: built after the broker was back", time.monotonic() - back)
    assert review.attempts == 1
