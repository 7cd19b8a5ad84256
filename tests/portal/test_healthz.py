import time

import pytest
from django.db import connections

from portal import health
from portal.health import database_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_round():
    """Each test's probe runs the checks against what that test set up, not a round another test left."""
    health.forget()
    yield
    health.forget()


@pytest.fixture
def database_at(monkeypatch):
    """Point the database settings healthz copies at another port. The test's own connection is open already
    and stays as it is; the settings are put back afterwards."""
    # The suite runs on PostgreSQL (make test's preflight requires it): a silent server over TCP is the point here.
    assert connections["default"].vendor == "postgresql", "these tests need the database over TCP: PostgreSQL"

    def point(port):
        monkeypatch.setitem(connections["default"].settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connections["default"].settings_dict, "PORT", str(port))
    return point


def timed_get(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


def test_it_answers_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "storage": "local"}


def test_it_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable", "storage": "local"}


def test_a_broker_that_accepts_and_never_answers_is_unavailable_within_seconds(client, settings, silent_server):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"
    response, elapsed = timed_get(client)
    assert elapsed < 3
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable", "storage": "local"}


def test_a_database_that_accepts_and_never_answers_is_unavailable_within_seconds(client, silent_server,
                                                                                 database_at):
    database_at(silent_server)
    response, elapsed = timed_get(client)
    assert elapsed < 3
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "broker": "ok", "storage": "local"}


def test_both_hanging_still_answer_within_seconds(client, settings, silent_server, database_at):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"
    database_at(silent_server)
    response, elapsed = timed_get(client)
    assert elapsed < 3
    assert response.json() == {"database": "unavailable", "broker": "unavailable", "storage": "local"}


def test_the_database_check_gives_up_on_a_silent_server_by_itself(silent_server):
    params = dict(connections["default"].settings_dict, HOST="127.0.0.1", PORT=str(silent_server))
    assert params["ENGINE"] == "django.db.backends.postgresql", "this test needs the database over TCP: PostgreSQL"
    started = time.monotonic()
    problem = database_problem(settings_dict=params)
    assert time.monotonic() - started < 3
    assert "timeout" in problem


def test_the_database_check_uses_a_connection_of_its_own(client):
    before = connections["default"].connection
    assert database_problem() is None
    assert connections["default"].connection is before  # the request's connection is never put at risk
