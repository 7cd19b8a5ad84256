"""Fixtures of the reporting tests: a built review, and real processes (tests/processes.py)."""

from types import SimpleNamespace

import pytest

from reporting import services
from reporting.models import CoordinatedReview
from tests.processes import Celery, Redis, broker_at


@pytest.fixture
def review(four):
    """The review the last of the four member states' submissions asked for, built in this process."""
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    services.review_build(review_id=review.pk)
    review.refresh_from_db()
    assert review.is_done, review.error
    return review


@pytest.fixture
def broker(tmp_path):
    """A Redis of this test's own, this process publishing through it, and the Celery processes started on it."""
    redis = Redis().start()
    started = []

    def celery(kind, **env):
        process = Celery(kind, redis.url, tmp_path, env=env).start()
        started.append(process)
        return process

    def logs():
        return "\n".join(f"--- {p.kind} {p.name}\n{p.tail()}" for p in started)

    with broker_at(redis.url):
        yield SimpleNamespace(redis=redis, celery=celery, logs=logs)
    for process in started:
        process.stop()
    redis.stop()
