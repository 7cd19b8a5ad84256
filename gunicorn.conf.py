"""gunicorn's settings for the portal (the Procfile and the benchmarks use them).

Sized from the cores: the portal's requests spend most of their time in Python, so more processes than cores buy
little and more threads per process let a request waiting on PostgreSQL or Redis leave the core to another. The
figures behind the defaults are in bench/RESULTS.md. WEB_WORKERS and WEB_THREADS override them.
"""

import multiprocessing
import os
import threading
import time

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread" if threads > 1 else "sync"
# A gthread worker's main loop keeps telling the arbiter it is alive while one of its threads hangs, so gunicorn's own
# timeout never ends it: the hooks below do. A request's database is cut after REQUEST_TIMEOUT (20 s, the portal's
# 503); a request still running `timeout` seconds after it started ends its worker, which the arbiter replaces.
timeout = 30
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once): memory cannot creep for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None


_started = {}  # thread id -> when its request started (time.monotonic())


def pre_request(worker, req):
    _started[threading.get_ident()] = time.monotonic()


def post_request(worker, req, environ, resp):
    _started.pop(threading.get_ident(), None)


def post_worker_init(worker):
    if worker_class != "gthread":
        return  # a sync worker's hung request stops its heartbeat: the arbiter kills it after `timeout` itself

    def watch():
        while True:
            time.sleep(1)
            oldest = min(list(_started.values()), default=None)  # a copy: other threads change it
            if oldest is not None and time.monotonic() - oldest > timeout:
                worker.log.critical("a request ran for more than %s s: worker %s exits, to be replaced", timeout,
                                    os.getpid())
                os._exit(1)

    threading.Thread(target=watch, name="hung-request", daemon=True).start()
