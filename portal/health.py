"""Can the portal reach its database and its broker? Used by /healthz and `manage.py preflight`."""

from django.conf import settings
from django.db import DatabaseError, connections
from kombu import Connection


def database_problem(alias="default"):
    """None when a query goes through, else a one-line description of the failure."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return None


def broker_is_embedded():
    return settings.CELERY_TASK_ALWAYS_EAGER


def broker_problem(timeout=2.0):
    """None when the broker accepts a connection (or tasks run in-process), else a description."""
    if broker_is_embedded():
        return None
    try:
        options = {"max_retries": 0}
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            # Redis connects lazily: opening a channel forces a round trip.
            conn.default_channel  # noqa: B018 -- the attribute access is the round trip
    except Exception as exc:  # kombu raises transport-specific errors; any of them means "down".
        return f"{type(exc).__name__}: {exc}"
    return None
