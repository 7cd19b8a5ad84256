from celery import shared_task
from django.db import InterfaceError, OperationalError

from reporting import services


@shared_task(name="reporting.build_review", acks_late=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, retry_backoff_max=300, max_retries=5)
def build_review(review_id):
    """Thin: the work and its idempotence are in services.review_build."""
    return services.review_build(review_id=review_id)


@shared_task(name="reporting.sweep_reviews")
def sweep_reviews():
    return services.review_sweep()
