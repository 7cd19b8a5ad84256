"""The full stack from requirements.txt alone: what `make up` starts, used over HTTP like a person would.

In a venv built from requirements.txt only (tests/full_stack.py), everything the portal imports imports, Celery's
Redis transport included (tests/runtime_imports.py), and `manage.py check` and `preflight` pass. Gunicorn, the Celery
worker and beat start from the Procfile, on a Redis of the test's own and the test database. A lead reporter signs in
through the real pages (password, then the authenticator's code) and submits the national assessment; the worker
builds the coordinated review, and beat's sweep reaches the worker too.
"""

import contextlib
import http.client
import http.cookiejar
import json
import re
import secrets
import time
import urllib.error
import urllib.request
import uuid
from typing import NamedTuple
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import global_settings
from django.db import connection
from django.urls import reverse

from portal.models import Role
from reporting.models import CoordinatedReview, ReviewStatus
from tests import factories, full_stack
from tests.assessments import helpers
from tests.processes import SeaweedFS
from tests.signing_in import second_factor, totp_code

pytestmark = [pytest.mark.fullstack, pytest.mark.long, pytest.mark.django_db(transaction=True)]

STARTS_WITHIN = 30  # seconds for gunicorn to answer /healthz
REVIEW_WITHIN = 60  # seconds from the submission to the review built by the worker
SWEEP = re.compile(r"Task reporting\.sweep_reviews\[[^\]]+\] succeeded")


class Page(NamedTuple):
    url: str
    status: int
    body: str


class Visitor:
    """Someone whose browser keeps its cookies and follows redirects, over plain HTTP (the stdlib's urllib)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path, fields=None):
        data = urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(urljoin(self.base, path), data=data, timeout=15) as response:
                return Page(response.url, response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Page(error.geturl(), error.code, error.read().decode(errors="replace"))

    def submit(self, page, **fields):
        """Post `fields` to the page's own address with its form's CSRF token, as its form does."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert token, f"no form with a CSRF token on {page.url} ({page.status}):\n{page.body[:2000]}"
        return self.open(page.url, {"csrfmiddlewaretoken": token.group(1), **fields})


def path_of(page):
    return urlsplit(page.url).path


def current_code():
    """The authenticator's code, never one about to expire: the portal accepts only the current 30-second step."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return totp_code()


def wait_until(what, check, stack, timeout):
    """check()'s first true answer, polled; fails early when a process of the stack has stopped."""
    deadline = time.monotonic() + timeout
    while True:
        assert stack.running, f"the stack stopped while waiting for {what}"
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"no {what} within {timeout} s"
        time.sleep(0.2)


def healthy(visitor):
    """/healthz once it answers 200 (while gunicorn starts nothing listens; what is unavailable, the web log says)."""
    with contextlib.suppress(urllib.error.URLError, http.client.HTTPException, OSError):
        page = visitor.open("/healthz")
        return page if page.status == 200 else None


def built(cycle):
    review = CoordinatedReview.objects.filter(cycle=cycle).order_by("pk").last()
    return review if review and review.status in (ReviewStatus.DONE, ReviewStatus.FAILED) else None


@contextlib.contextmanager
def explained(stack):
    """A failure inside shows what the processes printed."""
    try:
        yield
    except (Exception, pytest.fail.Exception) as exc:
        pytest.fail(f"{exc}\n\n{stack.tail()}")


def test_make_up_from_requirements_txt_alone_signs_in_submits_and_builds_the_review(tmp_path, settings):
    venv = full_stack.runtime_venv()
    python, env = str(venv / "bin" / "python"), full_stack.fresh_environment(DEBUG="1")
    full_stack.run([python, "tests/runtime_imports.py"], env=env,
                   what="requirements.txt alone does not install what the portal imports (Celery's Redis transport "
                        "included).")

    web_port = full_stack.free_port()
    with full_stack.redis_server(tmp_path) as redis_port:
        env = full_stack.fresh_environment(
            PATH=f"{venv / 'bin'}:{env['PATH']}",  # as `make up` runs honcho
            DEBUG="1", SECRET_KEY=secrets.token_urlsafe(50), PYTHONUNBUFFERED="1",
            # The test database: the processes read what this test committed.
            DATABASE_URL=full_stack.database_url(connection.settings_dict),
            CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0", CACHE_URL=f"redis://127.0.0.1:{redis_port}/1",
            CELERY_TASK_DEFAULT_QUEUE=f"portal-fullstack-{uuid.uuid4().hex[:8]}",
            WEB_BIND=f"127.0.0.1:{web_port}", BEAT_SCHEDULE_FILE=str(tmp_path / "celerybeat-schedule"),
            REVIEW_SWEEP_SECONDS="2",  # so that beat sends its sweep within the test
            # The Procfile's S3 server on ports of the test's own, its data in the test's folder.
            STORAGE_URL=SeaweedFS(tmp_path / "seaweedfs").url(), STORAGE_DIR=str(tmp_path / "seaweedfs"),
        )
        with full_stack.Stack(venv, env, tmp_path / "stack.log") as stack, explained(stack):
            # While the processes start: the checks `make up` runs first, and the data.
            full_stack.run([python, "manage.py", "check"], env=env, what="`manage.py check` fails in the venv.")
            full_stack.run([python, "manage.py", "preflight", "--require-postgresql", "--require-broker"], env=env,
                           what="`manage.py preflight` (make up's first step) fails in the venv.")
            settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the web processes check with these
            cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE", "DE"])
            lead = factories.user(Role.LEAD_REPORTER, "AT")
            second_factor(lead)
            draft = helpers.fill(helpers.start(cycle, lead))

            visitor = Visitor(f"http://127.0.0.1:{web_port}")
            health = wait_until("200 from /healthz", lambda: healthy(visitor), stack, STARTS_WITHIN)
            assert json.loads(health.body) == {"database": "ok", "broker": "ok", "storage": "ok"}

            password = visitor.submit(visitor.open(reverse("account_login")),
                                      login=lead.username, password=factories.PASSWORD)
            assert path_of(password) == reverse("mfa_authenticate"), password.body[:2000]
            home = visitor.submit(password, code=current_code())
            assert home.status == 200 and "Log out" in home.body, (home.url, home.body[:2000])

            confirm = visitor.open(reverse("assessments:submit", args=[draft.pk]))
            assert "Summary of what you are about to submit" in confirm.body, (confirm.status, confirm.body[:2000])
            receipt = visitor.submit(confirm, certify="1")
            assert path_of(receipt) == reverse("assessments:receipt", args=[draft.pk, 1]), receipt.body[:2000]

            review = wait_until("coordinated review built", lambda: built(cycle), stack, REVIEW_WITHIN)
            assert review.status == ReviewStatus.DONE, review.error
            assert review.results["completeness"]["included"] == ["AT"]
            # The web process handed the build to the broker itself (none left for the sweep)...
            assert "left for the sweep" not in stack.output()
            # ...and beat's sweep reached the worker through the same broker.
            wait_until("sweep sent by beat and run by the worker", lambda: SWEEP.search(stack.output()), stack, 15)
