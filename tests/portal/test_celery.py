import pytest
from celery.backends.redis import RedisBackend
from django.conf import settings

from portal.celery import app
from portal.tasks import worker_probe


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_on_a_real_worker(celery_worker):
    # The portal keeps no task results (CELERY_TASK_IGNORE_RESULT); the suite's worker stores this one, asked for,
    # in the broker's Redis, where the test reads it.
    result = worker_probe.apply_async(ignore_result=False)
    stored = app.AsyncResult(result.id, backend=RedisBackend(app=app, url=settings.CELERY_BROKER_URL))
    # The worker answers from the test database: the 28 member states of migration 0002.
    assert stored.get(timeout=30) == {"member_states": 28}
    assert stored.successful()


def test_no_task_keeps_a_result_unless_asked():
    # Publishing then never touches a result backend, whose reconnection retries would hold a request.
    from assessments.tasks import send_reminders
    from reporting.tasks import build_review, sweep_reviews

    assert app.conf.task_ignore_result
    assert all(task.ignore_result for task in (build_review, sweep_reviews, send_reminders, worker_probe))
