"""Fixtures shared by the whole suite: personas, a real Celery worker, a real browser."""

import importlib
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from portal.models import Role
from tests import factories, full_stack
from tests.processes import SeaweedFS

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_configure(config):
    """Under pytest-xdist each test process has a Celery queue of its own, as it has a database of its own
    (pytest-django suffixes the name): one process's worker must never take the tasks of another's tests. Worker
    processes the tests start inherit it through the environment."""
    process = os.environ.get("PYTEST_XDIST_WORKER")
    if process:
        from portal.celery import app

        queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{process}"
        os.environ["CELERY_TASK_DEFAULT_QUEUE"] = settings.CELERY_TASK_DEFAULT_QUEUE = queue
        app.conf.task_default_queue = queue


def _database_use(item):
    """pytest-django's order: 0 for a test that rolls back, 1 for one that empties the tables, 2 for one without the
    database."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
            {"transactional_db", "live_server"} & fixtures):
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The long tests first, so that pytest-xdist's processes finish together: handed out in the suite's order, a
    60-second test near the end kept one process busy while the other had nothing left.

    pytest-django has ordered the tests that roll back, then those that empty the tables (a rollback test after them
    would find the migrations' reference data gone), then those without the database; each group keeps its place and
    its long tests start it. Long tests without the database (a benchmark on a database of its own) start the suite.
    """
    def place(item):
        use, long = _database_use(item), item.get_closest_marker("long") is not None
        return (-1, 0) if use == 2 and long else (use, 0 if long else 1)

    items[:] = sorted(items, key=place)  # stable: the order within each place is the suite's


# The loaders of today's tables: 0013 and 0012 load the member states and the catalogue of the 0002 migrations
# with their texts in English, French and German (0002's own loaders write columns that are translations now).
REFERENCE_DATA_MIGRATIONS = [
    "portal.migrations.0013_member_state_names_in_three_languages",
    "portal.migrations.0003_roles",
    "assessments.migrations.0022_catalogue_editions",  # before the catalogue: each measure names its edition
    "assessments.migrations.0012_catalogue_in_three_languages",
]


def load_reference_data():
    from django.apps import apps

    for module in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests flush every table afterwards, the migrations' reference data included.

    Django's serialized_rollback cannot restore it here: Playwright's sync API runs
    the test in a greenlet whose database connection is not the one that holds the
    serialized copy. So the migrations' own loaders run again (they are idempotent).
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        load_reference_data()


@pytest.fixture
def silent_server():
    """A TCP server that accepts every connection and never says a word: a broker, database or mail server that
    hangs."""
    server = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """One S3 server (SeaweedFS, tests/processes.py) per test process, started by the first test that stores in one:
    each test takes a bucket of its own (`seaweed.bucket()`). A test that kills its server starts its own."""
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()


@pytest.fixture
def client():
    """Django's test client, whose force_login is a session that used a second factor where the role needs one."""
    from tests.signing_in import PortalClient

    return PortalClient()


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its reader's language in the test's thread and nothing deactivates it after; the
    catalogue's texts follow the active language, so each test starts (and ends) in the default one."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used second-factor codes live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; test personas need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Personas: a filer of one member state, its lead, a filer of another, a reviewer, an admin.
@pytest.fixture
def reporter_at(db):
    return factories.user(Role.REPORTER, "AT", username="anna-at")


@pytest.fixture
def lead_at(db):
    return factories.user(Role.LEAD_REPORTER, "AT", username="lukas-at")


@pytest.fixture
def reporter_fr(db):
    return factories.user(Role.REPORTER, "FR", username="francoise-fr")


@pytest.fixture
def reviewer(db):
    return factories.user(Role.REVIEWER, username="rita-reviewer")


@pytest.fixture
def admin_user(db):
    return factories.user(Role.ADMIN, username="ada-admin")


@pytest.fixture
def export_root(settings, tmp_path):
    """Exports stored in the test's own folder; a worker the test starts is given the same (EXPORT_ROOT)."""
    settings.EXPORT_ROOT = tmp_path / "exports"
    return settings.EXPORT_ROOT


@pytest.fixture
def submit(db):
    """submit(cycle, "AT", at=...): the member state's lead starts, fills and submits its assessment; the version.

    `fill=False` submits the draft as it stands (the caller filled it); `lead=` uses that lead reporter; `marking=`
    and `shared_with=` are the lead reporter's choice of handling marking (the draft's by default).
    """
    from assessments import services
    from tests.assessments import helpers

    leads = {}

    def submit(cycle, code, at=None, *, fill=True, lead=None, marking=None, shared_with=()):
        lead = lead or leads.get(code) or factories.user(Role.LEAD_REPORTER, code)
        leads[code] = lead
        assessment = services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead)
        if fill:
            helpers.fill(assessment)
        return services.assessment_submit(certify=True, assessment=assessment, user=lead, now=at, marking=marking,
                                          shared_with=shared_with)

    return submit


@pytest.fixture
def same_queries():
    """same_queries(action, grow): `action` runs the same number of queries before and after `grow` adds data.

    The query-budget pattern of every list page: compare N and M, never pin a number.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(action, grow):
        action()  # once before counting: a session's first request writes it
        cache.clear()  # what a page renders is measured, not what it kept (portal/lib/fragments.py)
        with CaptureQueriesContext(connection) as small:
            action()
        grow()
        cache.clear()
        with CaptureQueriesContext(connection) as large:
            action()
        assert len(large) == len(small), (
            f"{len(small)} queries before, {len(large)} after the data grew:\n"
            + "\n".join(q["sql"][:200] for q in large.captured_queries))

    return check


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process, consuming the suite's queue through Redis, on the test database.

    Tests that hand it work must commit their data (transactional_db), since the
    worker reads the database over its own connection.
    """
    from django.db import connection

    from portal.celery import app

    db = connection.settings_dict
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    env = dict(os.environ)
    env["DATABASE_URL"] = full_stack.database_url(db)
    # Only tests/portal/test_celery.py reads a result (its probe's): the portal itself keeps none.
    env["CELERY_RESULT_BACKEND"] = settings.CELERY_BROKER_URL
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)  # messages left by an interrupted earlier run
    log_path = ROOT / "var" / f"test-worker-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "--queues", queue,
         "--hostname", name, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    hostname = name.replace("%h", os.uname().nodename)
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[hostname], timeout=1):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"The Celery worker did not start; see {log_path}:\n{log_path.read_text()[-3000:]}")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


# Every page a journey opens reports Content-Security-Policy violations to the test (tests/conftest.py PolicyWatch).
CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
                (e.sourceFile || document.location.href) + ":" + e.lineNumber);
});"""


class PolicyWatch:
    """Watches a browser context: every HTML page it loads from the portal has a strict Content-Security-Policy and
    no-store when signed in, and nothing on them breaks the policy (an inline script or style would)."""

    def __init__(self):
        self.problems, self.documents, self.contexts = [], 0, 0

    def attach(self, context):
        self.contexts += 1
        context.add_init_script(CSP_VIOLATIONS)
        context.on("console", self.console)
        context.on("response", self.response)

    def console(self, message):
        if message.text.startswith("CSP violation"):
            self.problems.append(message.text)

    def response(self, response):
        if response.request.resource_type != "document" or "text/html" not in response.headers.get("content-type", ""):
            return
        self.documents += 1
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy or "unsafe-inline" in policy:
            self.problems.append(f"{response.url}: Content-Security-Policy is {policy!r}")


class WatchedBrowser:
    """The session's Chromium; each context it opens during a test is watched by that test's PolicyWatch."""

    def __init__(self, browser):
        self._browser, self.watch = browser, None

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if self.watch is not None:
            self.watch.attach(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield WatchedBrowser(chromium)
        chromium.close()


@pytest.fixture(autouse=True)
def _content_security_policy_holds(request):
    """In every browser journey: no page without the policy, no violation of it."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    watch = browser.watch = PolicyWatch()
    yield watch
    browser.watch = None
    assert watch.problems == [], "\n".join(watch.problems)
    assert watch.documents > 0 or watch.contexts == 0  # a journey that opened portal pages had them checked


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """A real OpenID provider configured as EU Login (tests/oidc_provider.py), for the whole session."""
    from tests.oidc_provider import OIDCProvider

    provider = OIDCProvider(base_url=live_server.url, log_dir=tmp_path_factory.mktemp("oidc")).start()
    yield provider
    provider.stop()


@pytest.fixture
def eu_login(oidc_provider, settings):
    """The portal signing in with that provider for this test; `eu_login.people({...})` says whom it knows."""
    oidc_provider.configure(settings)
    yield oidc_provider
    oidc_provider.people({})


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/Brussels")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core on the current page and fail with its report when it finds violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, context=None):
        """`context`: a CSS selector to check only part of the page (the header), else the whole page.

        A click on a link returns before the browser has left the page; axe, run then, finds the old document torn
        down under it. So the check waits for the page to load, and runs again on the new page if that happened.
        """
        from playwright.sync_api import Error

        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page, context=context)
                break
            except Error as error:
                leaving = "documentElement" in error.message or "context was destroyed" in error.message
                if not leaving or attempt == 2:
                    raise
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def four(db, submit):
    """Four member states with answers simple enough to work out by hand (see tests/reporting/test_aggregate.py)."""
    import datetime

    from assessments import services
    from portal.models import BRUSSELS
    from tests.assessments import helpers

    cycle = helpers.cycle_with_questionnaire(title="Four", codes=["AT", "BE", "DE", "FR", "IT"])
    plans = {
        "AT": dict(scenarios={"R4": (5, 4), "R5": (4, 5)}, sm03="applied", capability=5, sensitivity=5,
                   suppliers=[("Huawei", 60, 40, "high"), ("Ericsson", 40, 60, "low")]),
        "BE": dict(scenarios={"R4": (2, 2), "R5": (3, 3)}, sm03="planned", capability=4, sensitivity=4,
                   suppliers=[("Nokia", 100, 50, "low"), ("Huawei", 0, 50, "high")]),
        "DE": dict(scenarios={"R4": (4, 4), "R5": (5, 5)}, sm03="adopted", capability=5, sensitivity=3,
                   suppliers=[("Ericsson", 50, 30, "low"), ("Nokia", 50, 70, "low")],
                   note='=HYPERLINK("http://evil.example","click")'),
        "FR": dict(scenarios={"R4": (1, 3), "R5": (2, 5)}, sm03="not_started", capability=3, sensitivity=4,
                   suppliers=[("Huawei", 30, 100, "high"), ("Ericsson", 70, 0, "low")]),
    }
    for code, plan in plans.items():
        lead = factories.user("lead reporter", code)
        helpers.answer(services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead), **plan)
        at = datetime.datetime(2019, 7, 20 if code == "FR" else 10, 12, 0, tzinfo=BRUSSELS)
        submit(cycle, code, at, fill=False, lead=lead)
    return cycle


@pytest.fixture
def cycle(db):
    """The 2019-style cycle: every member state, the whole catalogue, NRA-SUBMIT due 15 July 2019."""
    from tests.assessments import helpers

    return helpers.cycle_with_questionnaire()


@pytest.fixture
def draft(cycle, reporter_at):
    from tests.assessments import helpers

    return helpers.start(cycle, reporter_at)
