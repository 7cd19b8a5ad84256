"""A database that does not answer gives a clear "temporarily unavailable" page (503), never a 500 or no answer.

Three bounds, set in settings (DB_CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT, REQUEST_TIMEOUT): libpq gives up
connecting, PostgreSQL ends a statement that runs too long, and for a server that answers nothing at all (frozen,
or a network that drops everything while the connection looks open) a watchdog thread cuts the database connection
of a request still running after REQUEST_TIMEOUT. The cut is a shutdown() of the connection's socket: the request's
thread, blocked in libpq waiting for an answer, wakes at once with "server closed the connection", and Django drops
that connection at the end of the request. The socket itself stays the request's to close: only its traffic ends.

Whichever bound it was, the error travels up as Django's OperationalError (or InterfaceError, for a connection
already cut) and Django renders its server error: with DEBUG off `server_error` (handler500), with it on the
technical page's reporter, each of which renders the 503 page instead for these errors (the technical page would
touch the request's user, the database again, for every frame); the middleware, first of all, gives that answer its
status. The page stands alone (templates/503.html): nothing it needs may be what failed.

The file storage that does not answer (portal/lib/storage.py: StorageUnavailable) gets the same answer with its
own words, from `StorageUnavailableMiddleware`; uploads catch it themselves to keep the form on screen. In the API
either answer is a problem+json body (portal/api/errors.py), with Retry-After as on a page.
"""

import contextlib
import logging
import os
import socket
import sys
import threading
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views import debug, defaults

from portal.lib.problems import problem_body
from portal.lib.storage import StorageUnavailable

log = logging.getLogger(__name__)
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER = 30  # seconds, told to browsers and clients
WORDS = {  # what did not answer: the page's heading and what it means for the reader
    "database": (_("The portal is temporarily unavailable"), _(
        "Its database did not answer in time, so this request could not be completed. What you typed is still on "
        "the page you came from: go back and save again in a minute.")),
    "storage": (_("Files are unavailable for a moment"), _(
        "The portal's file storage did not answer. Nothing was changed; please try again in a few minutes, and tell "
        "an admin if it lasts.")),
}

_lock = threading.Lock()
_running = {}  # thread id -> (deadline, that thread's database wrappers)
_watchdog = None


class UnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = threading.get_ident()
        with _lock:
            _running[key] = (time.monotonic() + settings.REQUEST_TIMEOUT, [connections[a] for a in connections])
        _ensure_watchdog()
        try:
            response = self.get_response(request)
        finally:
            with _lock:
                _running.pop(key, None)
        if response.status_code == 500 and getattr(request, "database_unavailable", False):
            return unavailable_response(request)
        return response


class StorageUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        log.warning("file storage unavailable for %s: %s", request.path, exception)
        return unavailable_response(request, "storage")


@receiver(got_request_exception)
def _note_unavailable(sender, request=None, **kwargs):
    """Sent while Django handles the request's exception: is it the database not answering?"""
    if request is not None and _database_unavailable(sys.exception()):
        request.database_unavailable = True


def _database_unavailable(exc):
    return isinstance(exc, UNAVAILABLE)


def server_error(request, *args, **kwargs):
    """handler500: the 503 page when the database did not answer, else Django's own (templates/500.html)."""
    if _database_unavailable(sys.exception()):
        return unavailable_response(request)
    return defaults.server_error(request, *args, **kwargs)


class ExceptionReporter(debug.ExceptionReporter):
    """DEBUG's technical page, except for a database that did not answer: the 503 page, nothing more."""

    def get_traceback_html(self):
        if _database_unavailable(self.exc_value):
            return _page("database")
        return super().get_traceback_html()


def unavailable_response(request, dependency="database"):
    """503, for a browser the page and for the API a problem+json body, saying that `dependency` did not answer."""
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse(problem_body(503, "unavailable", WORDS[dependency][1]), status=503,
                                content_type="application/problem+json")
    else:
        response = HttpResponse(_page(dependency), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _page(dependency):
    title, explanation = WORDS[dependency]
    return render_to_string("503.html", {"title": title, "explanation": explanation})


def _ensure_watchdog():
    global _watchdog
    if _watchdog is None or not _watchdog.is_alive():
        with _lock:
            if _watchdog is None or not _watchdog.is_alive():
                _watchdog = threading.Thread(target=_watch, name="request-deadline", daemon=True)
                _watchdog.start()


def _watch():
    while True:
        time.sleep(0.5)
        now = time.monotonic()
        with _lock:
            late = [(key, wrappers) for key, (deadline, wrappers) in _running.items() if deadline < now]
            for key, wrappers in late:
                _running.pop(key, None)  # cut once; the request ends on its own from there
                for wrapper in wrappers:
                    _cut(wrapper)
        for key, _wrappers in late:
            log.error("a request (thread %s) ran past REQUEST_TIMEOUT (%s s): its database connection was cut",
                      key, settings.REQUEST_TIMEOUT)


def _cut(wrapper):
    """Shut down the socket under `wrapper`'s connection (another thread's; its fd stays open, as it owns it)."""
    conn = wrapper.connection
    if conn is None or wrapper.vendor != "postgresql":
        return
    with contextlib.suppress(Exception):  # already closed, or closed between the check and here
        duplicate = socket.socket(fileno=os.dup(conn.fileno()))
        with duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
