"""Can the portal reach its database and its broker? Used by /healthz and `manage.py preflight`.

/healthz must answer within two seconds whatever its dependencies do, for one probe or twenty at once: a broker
that accepts the connection and then never answers used to hold it for a minute, and a load balancer's probe with
it. So each check talks over a fresh connection of its own with short timeouts (never the request's connection,
which a hung server would leave unusable); a round runs every check side by side under one deadline (a check still
running when it passes counts as down, and its thread ends on its own timeout shortly after); and the probes of a
process share rounds (see _Round).
"""

import copy
import threading
import time

from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connections
from django.db.utils import load_backend
from kombu import Connection

DEADLINE = 1.2  # seconds for a round of checks as a whole; /healthz waits for one round at most
TIMEOUT = 1.0  # seconds for any one network operation of a check (libpq's connect_timeout: 2, its least)
REUSE = 1.0  # seconds a round's answer is given again to the probes that follow


def _describe(exc):
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"


def database_problem(alias="default", *, settings_dict=None, timeout=TIMEOUT):
    """None when a query goes through a fresh connection, else a one-line description of the failure."""
    params = copy.deepcopy(settings_dict if settings_dict is not None else connections[alias].settings_dict)
    if params["ENGINE"] == "django.db.backends.postgresql":
        options = params.setdefault("OPTIONS", {})
        options.pop("pool", None)  # one connection, closed afterwards
        # libpq counts whole seconds and treats anything under 2 as 2.
        options["connect_timeout"] = max(2, round(timeout))
        options["options"] = f"{options.get('options', '')} -c statement_timeout={int(timeout * 1000)}".strip()
    connection = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return _describe(exc)
    finally:
        connection.close()
    return None


def broker_is_embedded():
    return settings.CELERY_TASK_ALWAYS_EAGER


def broker_problem(timeout=TIMEOUT):
    """None when the broker answers (or tasks run in-process), else a description."""
    if broker_is_embedded():
        return None
    # The redis transport passes these to every socket: a broker that accepts and never answers times out too.
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "socket_connect_timeout": timeout,
               "socket_timeout": timeout, "max_retries": 0}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout, transport_options=options) as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)
            # Redis connects lazily: opening a channel forces a round trip.
            conn.default_channel  # noqa: B018 -- the attribute access is the round trip
    except Exception as exc:  # kombu raises transport-specific errors; any of them means "down".
        return _describe(exc)
    return None


def _database():
    return database_problem()


def storage_problem(timeout=TIMEOUT):
    """None when the bucket of attachments and exports answers (or they are local files), else a description."""
    try:
        storages["attachments"].check(timeout=timeout)
    except Exception as exc:  # botocore raises connection and HTTP errors alike; any of them means "down".
        return _describe(exc)
    return None


# What /healthz checks: a name and a function returning None when that dependency answers, else a description.
# Adding a dependency is adding one entry here (its function must give up on its own within TIMEOUT or so).
CHECKS = {"database": _database, "broker": broker_problem, "storage": storage_problem}


class _Round:
    """One run of every check, shared by all the probes that arrive while it runs and for REUSE seconds after.

    Twenty probes at once used to start forty checks, each holding a request thread for as long as a silent server
    made it wait: more probes than threads queued behind each other and answered after 5-9 s. Now a process runs
    at most one round at a time; every probe waits for the same one (never longer than DEADLINE) or reuses the
    last one's answer.
    """

    def __init__(self, deadline):
        self.done = threading.Event()
        self.found = None
        self.deadline = deadline

    def run(self, checks):
        found = {}

        def run(name, check):
            try:
                found[name] = check()
            except Exception as exc:  # a check that fails in an unforeseen way still says "down", not 500
                found[name] = _describe(exc)

        threads = [threading.Thread(target=run, args=item, name=f"healthz-{item[0]}", daemon=True)
                   for item in checks.items()]
        for thread in threads:
            thread.start()
        end = time.monotonic() + self.deadline
        for thread in threads:
            thread.join(max(0.0, end - time.monotonic()))
        # A check still running when the deadline passes counts as down; its thread ends on its own timeout.
        self.found = {name: found.get(name, f"no answer within {self.deadline} s") for name in checks}
        self.finished = time.monotonic()
        self.done.set()


_lock = threading.Lock()
_current = None  # the round running, or the last one


def problems(*, deadline=DEADLINE, reuse=REUSE):
    """{name: problem} for every check of CHECKS, each None when it answered; never longer than `deadline`.

    A round that finished less than `reuse` seconds ago answers again; otherwise the round running is joined, or
    one started.
    """
    global _current
    with _lock:
        latest = _current
        fresh = latest is not None and (not latest.done.is_set() or time.monotonic() - latest.finished < reuse)
        if not fresh:
            latest = _current = _Round(deadline)
            threading.Thread(target=latest.run, args=(dict(CHECKS),), name="healthz-round", daemon=True).start()
    latest.done.wait(deadline + 0.2)
    return latest.found or {name: f"no answer within {deadline} s" for name in CHECKS}


def forget():
    """The next probe starts a round of its own (tests change what the checks reach between probes)."""
    global _current
    with _lock:
        _current = None
