"""The portal's dependencies fail safely: a Redis stopped or silent, a PostgreSQL silent.

Real servers of the test's own (tests/processes.py): a Redis on a free port that holds the cache, the sessions
(`cached_db`) and the broker, as `make up` configures them; stopped, or frozen with SIGSTOP (it accepts connections
and never answers). Only the processes a test started are stopped.
"""

import json
import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from assessments.models import MeasureStatus, NationalAssessment, Status
from portal import health
from portal.models import Role
from reporting.models import CoordinatedReview, ReviewStatus
from tests import factories
from tests.assessments import helpers
from tests.assessments.test_autosave import autosave
from tests.processes import Gunicorn, Redis, Relay, broker_at, database_url
from tests.signing_in import PortalClient, second_factor, totp_code

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

ANSWER_WITHIN = 3  # seconds for any page while a dependency is down or silent


@pytest.fixture
def redis(settings):
    """`make up`'s arrangement on a Redis of this test's own: the broker on db 0, cache and sessions on db 1."""
    server = Redis().start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "BACKEND": "portal.lib.cache.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{server.port}/1",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    health.forget()
    with broker_at(server.url):
        yield server
    if server.proc.poll() is None:
        os.kill(server.proc.pid, signal.SIGCONT)  # a frozen one must be able to hear the SIGTERM
    server.stop()


def timed(request, *args, **kwargs):
    """A request through the test client, which raises what a server would answer with a 500; and its duration."""
    started = time.monotonic()
    response = request(*args, **kwargs)
    return response, time.monotonic() - started


def signs_in_through_the_pages(user):
    second_factor(user)
    client = PortalClient()
    response, took = timed(client.post, reverse("account_login"), {"login": user.username,
                                                                    "password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"), response
    response, second = timed(client.post, reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302, response.content.decode()[:2000]
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200 and home.wsgi_request.user == user
    return client, took + second


def test_with_redis_stopped_signed_in_people_save_submit_and_sign_in(redis, cycle, reporter_at, lead_at):
    draft = helpers.fill(helpers.start(cycle, lead_at))
    reporter = PortalClient()
    reporter.force_login(reporter_at)  # signed in while Redis was up: the session is in the cache and the database
    lead, _ = signs_in_through_the_pages(lead_at)
    confirm = reverse("assessments:submit", args=[draft.pk])
    assert lead.get(confirm).status_code == 200

    redis.stop()
    durations = []
    codes = ["SM01", "SM02", "SM03", "SM04", "SM05"]
    typed = dict.fromkeys(codes, "")
    for number, code in enumerate(codes * 4):
        (response, body), took = timed(autosave, reporter, draft, code, "note", f"Note {number}.", base=typed[code])
        assert response.status_code == 200 and body["status"] == "saved", body
        typed[code] = f"Note {number}."
        durations.append(took)
    page, took = timed(lead.get, confirm)
    assert page.status_code == 200 and "Summary of what you are about to submit" in page.content.decode()
    durations.append(took)
    receipt, took = timed(lead.post, confirm, {"certify": "1"})
    assert receipt.status_code == 302 and receipt["Location"] == reverse("assessments:receipt", args=[draft.pk, 1])
    durations.append(took)
    assert lead.get(receipt["Location"]).status_code == 200
    # Signing in needs the rate limits and the used second-factor codes, which live in the cache.
    reviewer = factories.user(Role.REVIEWER)
    _, took = signs_in_through_the_pages(reviewer)
    durations.append(took)

    # Nothing lost: every autosave's last word, the submission, and its review waiting for the broker.
    saved = dict(MeasureStatus.objects.filter(assessment=draft, version__number=1, measure__code__in=codes)
                 .values_list("measure__code", "note"))
    assert saved == {code: f"Note {15 + index}." for index, code in enumerate(codes)}
    assert NationalAssessment.objects.get(pk=draft.pk).status == Status.SUBMITTED
    assert CoordinatedReview.objects.get(cycle=cycle).status == ReviewStatus.QUEUED
    print(f"Redis stopped: slowest answer {max(durations):.2f} s of {len(durations)}")
    assert max(durations) < ANSWER_WITHIN

    # Redis back, empty: the sessions come from the database, nobody is signed out.
    redis.start()
    assert reporter.get(reverse("home"), follow=True).wsgi_request.user == reporter_at


def test_with_redis_silent_pages_still_answer_within_seconds(redis, cycle, reporter_at):
    draft = helpers.start(cycle, reporter_at)
    reporter = PortalClient()
    reporter.force_login(reporter_at)
    os.kill(redis.proc.pid, signal.SIGSTOP)  # accepts connections, never answers
    durations = []
    for number in range(5):
        (response, body), took = timed(autosave, reporter, draft, "SM01", "note", f"Note {number}.",
                                       base=f"Note {number - 1}." if number else "")
        assert response.status_code == 200 and body["status"] == "saved", body
        durations.append(took)
    page, took = timed(reporter.get, reverse("assessments:section", args=[draft.pk, "measures"]))
    assert page.status_code == 200
    durations.append(took)
    print(f"Redis silent: answers took {', '.join(f'{d:.2f}' for d in durations)} s")
    # The first call waits for its socket timeout; after it the cache is left alone for a while.
    assert max(durations) < ANSWER_WITHIN and sum(durations[1:]) < ANSWER_WITHIN
    assert MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SM01").note == "Note 4."



# The web process's bounds in the next test, shorter than the defaults so that it runs in seconds. A page waiting on
# a silent database answers within REQUEST_TIMEOUT (its connection cut), twice DB_CONNECT_TIMEOUT (Django connects
# again, and the messages' storage once more while the error page goes out) and the cache's second.
REQUEST_TIMEOUT, CONNECT_TIMEOUT = 6, 2
PAGE_WITHIN = REQUEST_TIMEOUT + 2 * CONNECT_TIMEOUT + 3
HEALTHZ_WITHIN = 2  # seconds, each of 20 probes at once


def fetch(url, *, session=None, language="en"):
    """(status, body, seconds) of a GET, as a browser with that session cookie would send it."""
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    if session:
        request.add_header("Cookie", f"{django_settings.SESSION_COOKIE_NAME}={session}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, body = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode(errors="replace")
    return status, body, time.monotonic() - started


def test_with_postgresql_and_redis_silent_healthz_and_pages_answer_503_within_their_bounds(redis, tmp_path, cycle,
                                                                                          reporter_at):
    relay = Relay(int(connection.settings_dict["PORT"] or 5432)).start()
    url = database_url().replace(f":{connection.settings_dict['PORT'] or 5432}/", f":{relay.port}/")
    web = Gunicorn(tmp_path, DATABASE_URL=url, DB_CONN_MAX_AGE="60", DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
                   DB_STATEMENT_TIMEOUT="3", ATTACHMENT_SCANNER_TIMEOUT="4", REQUEST_TIMEOUT=str(REQUEST_TIMEOUT),
                   CELERY_BROKER_URL=redis.url, CACHE_URL=f"redis://127.0.0.1:{redis.port}/1", WEB_ACCESS_LOG="",
                   # One process with twelve threads: every page is served at once (none queued behind another), and
                   # twenty probes are more than its threads.
                   WEB_WORKERS="1", WEB_THREADS="12")
    try:
        web.start().wait_ready()
        helpers.start(cycle, reporter_at)
        signed_in = PortalClient()
        signed_in.force_login(reporter_at)
        session = signed_in.cookies[django_settings.SESSION_COOKIE_NAME].value
        home = f"{web.url}{reverse('authority_home')}"
        with ThreadPoolExecutor(20) as pool:  # every thread of the web process opens its database connection
            assert {status for status, _, _ in pool.map(lambda _: fetch(home, session=session), range(24))} == {200}

            os.kill(redis.proc.pid, signal.SIGSTOP)
            relay.silence()
            # A round of checks is given again for REUSE seconds (portal/health.py): the one that found the
            # server ready may still answer for the first probes.
            time.sleep(health.REUSE + 0.2)
            probes = list(pool.map(lambda _: fetch(f"{web.url}/healthz"), range(20)))
            pages = list(pool.map(lambda n: fetch(home, session=session, language=("en", "fr", "de")[n % 3]),
                                  range(12)))
            api = list(pool.map(lambda _: fetch(f"{web.url}/api/v1/cycles/", session=session), range(3)))
        slowest = max(seconds for _, _, seconds in probes)
        print(f"silent PostgreSQL and Redis: 20 probes at once, slowest {slowest:.2f} s; 12 pages: "
              f"{', '.join(f'{seconds:.1f}' for _, _, seconds in pages)} s")
        assert {(status, body) for status, body, _ in probes} == {
            (503, json.dumps({"database": "unavailable", "broker": "unavailable", "storage": "local"}))}
        assert slowest <= HEALTHZ_WITHIN
        for (status, body, seconds), title in zip(pages, ["The portal is temporarily unavailable",
                                                          "Le portail est momentanément indisponible",
                                                          "Das Portal ist vorübergehend nicht erreichbar"] * 4):
            assert status == 503 and title in body, (status, seconds, body[:500])
            assert seconds < PAGE_WITHIN
        for status, body, seconds in api:  # a script gets the API's own refusal, not a page
            assert status == 503 and json.loads(body)["type"] == "urn:5g-portal:problem:unavailable", (status, body)
            assert "database did not answer" in json.loads(body)["detail"] and seconds < PAGE_WITHIN
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n--- gunicorn ---\n{web.tail()}") from failure
    finally:
        web.stop()
        relay.stop()
        _until_alone()


def _until_alone(timeout=10):
    """Until PostgreSQL has ended the sessions gunicorn had through the relay (the test database is dropped after)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.2)
