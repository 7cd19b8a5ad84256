"""Surviving a dropped database connection in a long run of small steps (the reminders job)."""

import logging
import time

from django.db import InterfaceError, OperationalError, connection

log = logging.getLogger(__name__)

# Seconds to wait before each new attempt: a restarted server or a failover is usually back within these;
# one that is not is the Celery task's to retry, with its own, longer backoff.
PAUSES = (0.5, 2, 8)


def with_reconnect(step, *, what, pauses=PAUSES):
    """step(), again on a fresh connection if the connection broke (closed, reset, server restarted), up to
    len(pauses) more times.

    Only for a step that is safe to run twice: reads, or writes that are one statement, or one transaction, each
    committed or not as a whole, that the step itself recognises as done (a unique key, a conditional UPDATE).
    Inside a transaction nothing is retried: the transaction is lost with its connection, and only its owner can
    start it again.
    """
    for pause in (*pauses, None):
        try:
            return step()
        except (OperationalError, InterfaceError):
            if pause is None or connection.in_atomic_block:
                raise
            log.warning("%s: the database connection broke; again on a new one in %ss", what, pause, exc_info=True)
            connection.close()  # a broken connection is dropped; the next query opens a new one
            time.sleep(pause)
