"""Can the portal reach its database and its broker? Used by /healthz and `manage.py preflight`.

/healthz must answer within about two seconds whatever the broker and the database do: a broker that accepts the
connection and then never answers used to hold it for a minute, and a load balancer's probe with it. So each check
talks over a fresh connection of its own with short timeouts (never the request's connection, which a hung server
would leave unusable), and /healthz runs both side by side under one deadline: a check still running when it
passes counts as down, and its thread ends on its own timeout shortly after.
"""

import copy
import threading
import time

from django.conf import settings
from django.core.files.storage import storages
from django.db import DatabaseError, connections
from django.db.utils import load_backend
from kombu import Connection

from portal.lib.storage import storage_is_local  # noqa: F401 -- /healthz says "local" or "ok"

DEADLINE = 1.8  # seconds for /healthz as a whole
TIMEOUT = 1.5  # seconds for any one network operation of a check


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


def storage_problem(timeout=TIMEOUT):
    """None when the bucket of attachments and exports answers (or they are local files), else a description."""
    try:
        storages["attachments"].check(timeout=timeout)
    except Exception as exc:  # botocore raises connection and HTTP errors alike; any of them means "down".
        return _describe(exc)
    return None


def problems(*, deadline=DEADLINE):
    """{"database": problem, "broker": problem, "storage": problem}, each None when it answered; never longer than
    `deadline`."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    checks = {"database": lambda: database_problem(settings_dict=settings_dict), "broker": broker_problem,
              "storage": storage_problem}
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
    end = time.monotonic() + deadline
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
    return {name: found.get(name, f"no answer within {deadline} s") for name in checks}
