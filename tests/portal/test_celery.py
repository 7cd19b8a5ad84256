import pytest

from portal.tasks import worker_probe


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_on_a_real_worker(celery_worker):
    result = worker_probe.delay()
    # The worker answers from the test database: the 28 member states of migration 0002.
    assert result.get(timeout=30) == {"member_states": 28}
    assert result.successful()
