"""Celery tasks of the reporting app: thin, idempotent, and the only code that talks to the broker."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from reporting import services
from reporting.exports import jobs as export_jobs

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


@shared_task(name="reporting.build_export", bind=True, acks_late=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def build_export(self, export_id):
    """Thin, as build_review: the claim (the task id), the file and the idempotence are in export_jobs.export_build."""
    return export_jobs.export_build(export_id=export_id, claim=self.request.id)


@shared_task(name="reporting.sweep_exports")
def sweep_exports():
    """Hand over again the exports that wait: never sent, or left by a worker that died mid-render."""
    return sum(enqueue_export(export_id) for export_id in export_jobs.export_sweep())


def _send(task, pk, mark_enqueued, what):
    """Hand a job to the broker. Never raises: a job that could not be sent stays queued for its sweep."""
    try:
        task.apply_async(args=[pk], retry=False)
    except Exception:  # noqa: BLE001 -- the broker is down or refused: the database row is the record that matters
        log.warning("%s %s: broker unavailable, left for the sweep", what, pk, exc_info=True)
        return False
    mark_enqueued(pk)
    return True


def enqueue(review_id):
    return _send(build_review, review_id, services.review_mark_enqueued, "review")


def enqueue_on_commit(review_id):
    """After the transaction that wrote the review commits, hand its build to the broker."""
    transaction.on_commit(lambda: enqueue(review_id))


def enqueue_export(export_id):
    return _send(build_export, export_id, export_jobs.export_mark_enqueued, "export")


def enqueue_export_on_commit(export_id):
    """After the transaction that wrote the export commits, hand its job to the broker."""
    transaction.on_commit(lambda: enqueue_export(export_id))
