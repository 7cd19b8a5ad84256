"""Celery tasks of the coordinated review: thin, idempotent, and the only code that talks to the broker."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from reporting import services

log = logging.getLogger(__name__)


@shared_task(name="reporting.build_review", bind=True, acks_late=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def build_review(self, review_id):
    """Thin: the work, its claim and its idempotence are in services.review_build.

    The claim is the task id, which a message keeps when Celery hands it out again (a retry, or a redelivery after
    the pool process died), so that the same build may take its own claim up again and no other can meanwhile.
    """
    return services.review_build(review_id=review_id, claim=self.request.id)


@shared_task(name="reporting.sweep_reviews")
def sweep_reviews():
    """Hand over again what waits: never sent (the broker was down), or left by a worker that died mid-build."""
    return sum(enqueue(review_id) for review_id in services.review_sweep())


def enqueue(review_id):
    """Hand a build to the broker. Never raises: a review that could not be sent stays queued for the sweep."""
    try:
        build_review.apply_async(args=[review_id], retry=False)
    except Exception:  # noqa: BLE001 -- the broker is down or refused: the database row is the record that matters
        log.warning("review %s: broker unavailable, left for the sweep", review_id, exc_info=True)
        return False
    services.review_mark_enqueued(review_id)
    return True


def enqueue_on_commit(review_id):
    """After the transaction that wrote the review commits, hand its build to the broker."""
    transaction.on_commit(lambda: enqueue(review_id))
