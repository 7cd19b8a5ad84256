"""The portal's dependencies fail safely: a Redis stopped or silent, a PostgreSQL silent.

Real servers of the test's own (tests/processes.py): a Redis on a free port that holds the cache, the sessions
(`cached_db`) and the broker, as `make up` configures them; stopped, or frozen with SIGSTOP (it accepts connections
and never answers). Only the processes a test started are stopped.
"""

import os
import signal
import time

import pytest
from django.urls import reverse

from assessments.models import MeasureStatus, NationalAssessment, Status
from portal.models import Role
from reporting.models import CoordinatedReview, ReviewStatus
from tests import factories
from tests.assessments import helpers
from tests.assessments.test_autosave import autosave
from tests.processes import Redis, broker_at
from tests.signing_in import PortalClient, second_factor, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER_WITHIN = 3  # seconds for any page while a dependency is down or silent


@pytest.fixture
def redis(settings):
    """`make up`'s arrangement on a Redis of this test's own: the broker on db 0, cache and sessions on db 1."""
    server = Redis().start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "BACKEND": "portal.lib.cache.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{server.port}/1",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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
    receipt, took = timed(lead.post, confirm)
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

